// Thirty-eighth pass: the register of card terminals (用卡终端登记) and the card's issue day. A terminal
// belonged to whichever region uploaded under its id first, so a clerk of one city could file made-up
// uses (life signs) under an id nobody had registered. Now a terminal is registered by its region and
// uploads go only through a registered, unretired terminal of the uploading region (the foreign key keeps
// every use on a registered terminal). Existing terminals are registered from the uses already stored:
// the region, kind and day of each terminal's first upload, named by its id (no other name is known).
// card.issued_on is the day a card was issued (发卡): a use dated before it is refused. Backfilled from
// the history (the first move to issued, or a demo card's activation).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE card_terminal (
    terminal_id text PRIMARY KEY CHECK (terminal_id ~ '^[A-Za-z0-9._:-]{1,64}$'),
    kind text NOT NULL CHECK (kind IN ('bus', 'library', 'hospital', 'counter', 'other')),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    region char(6) NOT NULL REFERENCES region(code),
    registered_on date NOT NULL,
    retired_on date CHECK (retired_on >= registered_on),
    registered_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  await sql`CREATE INDEX card_terminal_region_idx ON card_terminal (region, terminal_id)`.execute(db);
  await sql`INSERT INTO card_terminal (terminal_id, kind, name, region, registered_on, registered_by)
    SELECT DISTINCT ON (terminal_id) terminal_id, terminal_kind, terminal_id, region,
           (uploaded_at AT TIME ZONE 'Asia/Shanghai')::date, 'migration 0530'
    FROM card_use ORDER BY terminal_id, uploaded_at, seq`.execute(db);
  await sql`ALTER TABLE card_use ADD CONSTRAINT card_use_terminal_registered
    FOREIGN KEY (terminal_id) REFERENCES card_terminal(terminal_id)`.execute(db);
  await sql`ALTER TABLE card ADD COLUMN issued_on date`.execute(db);
  await sql`UPDATE card c SET issued_on = e.day
    FROM (SELECT card_id, (min(at) AT TIME ZONE 'Asia/Shanghai')::date AS day FROM card_event
          WHERE to_status IN ('issued', 'activated') GROUP BY card_id) e
    WHERE e.card_id = c.id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE card DROP COLUMN issued_on`.execute(db);
  await sql`ALTER TABLE card_use DROP CONSTRAINT card_use_terminal_registered`.execute(db);
  await sql`DROP TABLE card_terminal`.execute(db);
}
