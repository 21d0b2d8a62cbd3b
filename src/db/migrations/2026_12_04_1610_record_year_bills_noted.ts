// Nineteenth pass (issue 18): the record summary (`record_year`, migrations 1240 and 1440) learns of
// lines written into settled bills from the bills, not from the lines. 1240's AFTER INSERT trigger on
// contribution_bill_line referenced a transition table, and PostgreSQL captures one for every insert
// into a table that has such a trigger, whatever its body does: the assessment's million lines into
// its new open bills were all copied into a tuplestore, then read again to find that every bill was
// open (~15–20 % of the assessment's backend CPU at 200,000 lines, docs/performance.md).
//
// Now a statement trigger on the bills' insert notes the bills written paid or cancelled (a bill per
// employer and month: the assessment's are all open, so it notes nothing), and the recomputation at
// commit (1440's record_year_flush) adds the person-years of those bills' lines — by then the
// transaction has written them. Every writer of a settled bill writes its lines in the same
// transaction (the residents' tier bills, the demo history, the fixtures); lines added to a settled
// bill of an earlier transaction would not be seen, and none are: record-summary-writers.db.test.ts
// lists every writer of lines and fails on a new one. Updates and deletes of lines and bills keep
// their triggers. Down restores 1440's functions and 1240's line trigger.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

// The setting of the noted bills ('id,id,…'), beside 1440's of the noted person-years.
const BILLS = `current_setting('shebao.record_year_pending_bills', true)`;

// record_year_note as 1440 wrote it; `alsoEmpty` is what else must be empty for this note to be the
// transaction's first (and insert its row).
const note = (alsoEmpty: string) => `
  DECLARE
    noted text := coalesce(current_setting('shebao.record_year_pending', true), '');
    added text := array_to_string(ARRAY(SELECT u.p || ':' || u.y FROM unnest(p, y) AS u(p, y)), ',');
  BEGIN
    IF length(noted) > 262144 THEN
      PERFORM record_year_refresh_list(noted);
      PERFORM set_config('shebao.record_year_pending', added, true);
    ELSE
      PERFORM set_config('shebao.record_year_pending', concat_ws(',', nullif(noted, ''), added), true);
    END IF;
    IF noted = ''${alsoEmpty} THEN
      INSERT INTO record_year_pending_tx (xid) VALUES (pg_current_xact_id());
    END IF;
  END`;

const flush1440 = `
  DECLARE list text := current_setting('shebao.record_year_pending', true);
  BEGIN
    PERFORM set_config('shebao.record_year_pending', '', true);
    DELETE FROM record_year_pending_tx WHERE xid = NEW.xid;
    PERFORM record_year_refresh_list(list);
    RETURN NULL;
  END`;

// 1440's record_year_lines_inserted.
const linesInserted1440 = `
  DECLARE p bigint[]; y integer[];
  BEGIN
    -- Lines of open bills (the assessment's) are not summarized: first ask, per distinct bill, whether
    -- any line went into a bill that is not open (a few thousand bill probes for a month's
    -- assessment, not one per line); only then take the person-years of those lines.
    IF NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT bill_id FROM new_lines) n
        LEFT JOIN contribution_bill b ON b.id = n.bill_id WHERE b.status IS DISTINCT FROM 'open') THEN
      RETURN NULL;
    END IF;
    SELECT array_agg(k.person_id), array_agg(k.year) INTO p, y FROM (
      SELECT DISTINCT n.person_id, substr(n.period, 1, 4)::int AS year
      FROM new_lines n JOIN contribution_bill b ON b.id = n.bill_id AND b.status IN ('paid', 'cancelled')) k;
    IF p IS NOT NULL THEN PERFORM record_year_note(p, y); END IF;
    RETURN NULL;
  END`;

const fn = (signature: string, returns: string, body: string) =>
  sql.raw(`CREATE OR REPLACE FUNCTION ${signature} RETURNS ${returns} LANGUAGE plpgsql AS $$${body} $$`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER record_year_lines_insert ON contribution_bill_line`.execute(db);
  await sql`DROP FUNCTION record_year_lines_inserted()`.execute(db);

  await fn(
    'record_year_note(p bigint[], y integer[])',
    'void',
    note(` AND coalesce(${BILLS}, '') = ''`),
  ).execute(db);
  // The bills written settled in this transaction, as 'id,id,…' in a setting local to it (a rolled-back
  // savepoint takes them back), and the transaction's row on its first note of either kind.
  await fn(
    'record_year_note_bills(b bigint[])',
    'void',
    `
  DECLARE noted text := coalesce(${BILLS}, '');
  BEGIN
    PERFORM set_config('shebao.record_year_pending_bills', concat_ws(',', nullif(noted, ''), array_to_string(b, ',')), true);
    IF noted = '' AND coalesce(current_setting('shebao.record_year_pending', true), '') = '' THEN
      INSERT INTO record_year_pending_tx (xid) VALUES (pg_current_xact_id());
    END IF;
  END`,
  ).execute(db);
  // At commit: the noted person-years and those of the noted bills' lines, written by now.
  await fn(
    'record_year_flush()',
    'trigger',
    `
  DECLARE
    list text := current_setting('shebao.record_year_pending', true);
    bills bigint[] := string_to_array(nullif(${BILLS}, ''), ',')::bigint[];
  BEGIN
    PERFORM set_config('shebao.record_year_pending', '', true);
    PERFORM set_config('shebao.record_year_pending_bills', '', true);
    DELETE FROM record_year_pending_tx WHERE xid = NEW.xid;
    IF bills IS NOT NULL THEN
      SELECT concat_ws(',', nullif(list, ''), string_agg(l.person_id || ':' || substr(l.period, 1, 4), ','))
        INTO list
        FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id AND b.status IN ('paid', 'cancelled')
        WHERE l.bill_id = ANY (bills);
    END IF;
    PERFORM record_year_refresh_list(list);
    RETURN NULL;
  END`,
  ).execute(db);
  await fn(
    'record_year_bills_inserted()',
    'trigger',
    `
  DECLARE b bigint[];
  BEGIN
    SELECT array_agg(id) INTO b FROM new_bills WHERE status <> 'open';
    IF b IS NOT NULL THEN PERFORM record_year_note_bills(b); END IF;
    RETURN NULL;
  END`,
  ).execute(db);
  await sql`CREATE TRIGGER record_year_bills_insert AFTER INSERT ON contribution_bill
    REFERENCING NEW TABLE AS new_bills FOR EACH STATEMENT EXECUTE FUNCTION record_year_bills_inserted()`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER record_year_bills_insert ON contribution_bill`.execute(db);
  await sql`DROP FUNCTION record_year_bills_inserted()`.execute(db);
  await fn('record_year_flush()', 'trigger', flush1440).execute(db);
  await sql`DROP FUNCTION record_year_note_bills(bigint[])`.execute(db);
  await fn('record_year_note(p bigint[], y integer[])', 'void', note('')).execute(db);
  await fn('record_year_lines_inserted()', 'trigger', linesInserted1440).execute(db);
  await sql`CREATE TRIGGER record_year_lines_insert AFTER INSERT ON contribution_bill_line
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION record_year_lines_inserted()`.execute(
    db,
  );
}
