// The record summary (`record_year`, migration 2026_12_01_1240) recomputed at commit, once per
// transaction, instead of in each statement. Why: each statement's recomputation locked its
// person-years' keys (`record_year_key`) until commit, in key order within the statement but not across
// statements, so two transactions writing bills or lines of the same persons in opposite orders, one
// statement each (two bank receipt imports; a payment of person 25's bill then 26's against one of
// 26's then 25's) each held a key the other wanted: PostgreSQL aborted one (deadlock).
//
// Now the statement triggers only note the person-years they touch, in a setting local to the
// transaction (`shebao.record_year_pending`); the transaction's first note also inserts its row in
// `record_year_pending_tx`, whose one deferred constraint trigger recomputes, at commit, all the noted
// person-years in one call — so a transaction takes all its key locks in key order, at one moment, and
// two transactions cannot wait on each other in a cycle over them. The rest is unchanged: the
// recomputation takes the key locks before it reads the lines, so of two payers of the same
// person-year the second recomputes after the first's commit, from its lines (no lost update); open
// lines (the assessment's bulk insert) note nothing. A transaction sees its own writes in the summary
// only from its commit on (or after `SET CONSTRAINTS record_year_flush IMMEDIATE`); no code reads the
// record inside a transaction that wrote bills or lines. The list is a setting, not rows: a table of
// noted person-years (a row each, inserted and deleted) cost a payment of a 50-person bill ~0.7 ms more,
// about a tenth of its recomputation. The transaction's row is deleted by the recomputation, so the
// table is empty outside a transaction that is writing: unlogged, nothing to recover.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

// The person-years of a statement's writes, as each trigger function of 1240 computes them.
const linesInserted = (then: string) => `
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
    IF p IS NOT NULL THEN PERFORM ${then}(p, y); END IF;
    RETURN NULL;
  END`;

const linesChanged = (then: string) => `
  DECLARE p bigint[]; y integer[];
  BEGIN
    IF TG_OP = 'UPDATE' THEN
      SELECT array_agg(k.person_id), array_agg(k.year) INTO p, y FROM (
        SELECT person_id, substr(period, 1, 4)::int AS year FROM old_lines
        UNION SELECT person_id, substr(period, 1, 4)::int FROM new_lines) k;
    ELSE
      SELECT array_agg(k.person_id), array_agg(k.year) INTO p, y FROM (
        SELECT DISTINCT person_id, substr(period, 1, 4)::int AS year FROM old_lines) k;
    END IF;
    IF p IS NOT NULL THEN PERFORM ${then}(p, y); END IF;
    RETURN NULL;
  END`;

const billsChanged = (then: string) => `
  DECLARE p bigint[]; y integer[];
  BEGIN
    IF TG_OP = 'UPDATE' THEN
      SELECT array_agg(k.person_id), array_agg(k.year) INTO p, y FROM (
        SELECT DISTINCT l.person_id, substr(l.period, 1, 4)::int AS year
        FROM new_bills n JOIN old_bills o ON o.id = n.id
          JOIN contribution_bill_line l ON l.bill_id = n.id
        WHERE (o.status, o.payer_kind, o.average_wage_fen, o.employer_id)
          IS DISTINCT FROM (n.status, n.payer_kind, n.average_wage_fen, n.employer_id)) k;
    ELSE
      SELECT array_agg(k.person_id), array_agg(k.year) INTO p, y FROM (
        SELECT DISTINCT l.person_id, substr(l.period, 1, 4)::int AS year
        FROM old_bills o JOIN contribution_bill_line l ON l.bill_id = o.id) k;
    END IF;
    IF p IS NOT NULL THEN PERFORM ${then}(p, y); END IF;
    RETURN NULL;
  END`;

async function triggerFunctions(db: Kysely<unknown>, then: string): Promise<void> {
  for (const [name, body] of [
    ['record_year_lines_inserted', linesInserted(then)],
    ['record_year_lines_changed', linesChanged(then)],
    ['record_year_bills_changed', billsChanged(then)],
  ] as const)
    await sql
      .raw(`CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$${body} $$`)
      .execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE UNLOGGED TABLE record_year_pending_tx (xid xid8 PRIMARY KEY)`.execute(db);

  // Recomputes the person-years of a list 'person:year,…' (once each), in key order.
  await sql`CREATE FUNCTION record_year_refresh_list(list text) RETURNS void LANGUAGE plpgsql AS $$
  DECLARE p bigint[]; y integer[];
  BEGIN
    SELECT array_agg(split_part(e, ':', 1)::bigint), array_agg(split_part(e, ':', 2)::integer) INTO p, y
      FROM (SELECT DISTINCT e FROM unnest(string_to_array(nullif(list, ''), ',')) AS e) k;
    IF p IS NOT NULL THEN PERFORM record_year_refresh(p, y); END IF;
  END $$`.execute(db);

  // The noted person-years as 'person:year,…' in a setting local to the transaction (a rolled-back
  // savepoint takes its notes back with its writes). The list first, then the transaction's row: with
  // the trigger set immediate, it fires at that insert and must find the list. Each note copies the
  // list, so a transaction that notes very many person-years (a month's bank receipts in one file:
  // a statement per bill) recomputes its list whenever it passes 256 KiB (~20,000 person-years) and
  // starts a new one — 10,000 bills of 25 persons took 37 s in appends alone with one unbounded list.
  // Only such a transaction takes its key locks in more than one batch (each in key order).
  await sql`CREATE FUNCTION record_year_note(p bigint[], y integer[]) RETURNS void LANGUAGE plpgsql AS $$
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
    IF noted = '' THEN
      INSERT INTO record_year_pending_tx (xid) VALUES (pg_current_xact_id());
    END IF;
  END $$`.execute(db);

  await sql`CREATE FUNCTION record_year_flush() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE list text := current_setting('shebao.record_year_pending', true);
  BEGIN
    PERFORM set_config('shebao.record_year_pending', '', true);
    DELETE FROM record_year_pending_tx WHERE xid = NEW.xid;
    PERFORM record_year_refresh_list(list);
    RETURN NULL;
  END $$`.execute(db);
  await sql`CREATE CONSTRAINT TRIGGER record_year_flush AFTER INSERT ON record_year_pending_tx
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION record_year_flush()`.execute(db);

  await triggerFunctions(db, 'record_year_note');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await triggerFunctions(db, 'record_year_refresh');
  await sql`DROP TRIGGER record_year_flush ON record_year_pending_tx`.execute(db);
  await sql`DROP FUNCTION record_year_flush()`.execute(db);
  await sql`DROP FUNCTION record_year_note(bigint[], integer[])`.execute(db);
  await sql`DROP FUNCTION record_year_refresh_list(text)`.execute(db);
  await sql`DROP TABLE record_year_pending_tx`.execute(db);
}
