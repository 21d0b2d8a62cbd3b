// Login limits that do not reveal which usernames exist and that one attacker cannot use to keep an
// account locked (issue #10): failure counters per (username, source address), per source address and
// per username — whether or not the username exists — and the last request of each session, for the
// staff idle timeout. Frozen: never import app code.
import { sql, type Kysely } from 'kysely';

const STATEMENTS = [
  // key: 'pair:<username>|<address>', 'source:<address>' or 'account:<username>'.
  sql`CREATE TABLE login_throttle (
    key text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    window_start timestamptz NOT NULL,
    locked_until timestamptz
  )`,
  sql`CREATE INDEX login_throttle_window_idx ON login_throttle (window_start)`,
  sql`ALTER TABLE user_session ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of STATEMENTS) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE user_session DROP COLUMN IF EXISTS last_seen_at`.execute(db);
  await sql`DROP TABLE IF EXISTS login_throttle`.execute(db);
}
