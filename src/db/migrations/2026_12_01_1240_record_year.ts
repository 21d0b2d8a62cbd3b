// The rights record's per-person-year summary (issue 18): what the record shows per year and fund of
// the lines that are settled — paid or cancelled — kept by the database for every writer of bills and
// bill lines, so that a record reads a person's ~12 year rows instead of every bill line (one a month
// and payer) joined to its bill.
//
// A row per (person, year, fund) with at least one line of a paid or cancelled bill:
//   closed_lines  the lines counted here (paid or cancelled bills): the record compares it with the
//                 person's lines of the year (an index-only count) and reads the lines of a year that
//                 has others — open bills — instead of its rows
//   paid_lines    lines of paid bills (a year without any shows no row)
//   pension/unemployment/injury_months  distinct months of paid lines with that part
//   base_sum      bases of paid lines of employers and flexible workers
//   account_credit  personal-account part of paid lines
//   index_lines   the paid employee-pension lines as [yyyymm, base, average wage], in period and bill
//                 order (the contribution index Z is computed from them by its one rule, in the process)
//   employers     [employer id, mask of the months paid (bit m−1)] per employer with paid lines
//
// Open lines are not summarized, so the assessment's bulk insert of lines into its new open bills
// writes nothing here (its cost stays the assessment's own). Who keeps the rest: statement-level
// triggers with transition tables, so every writer is covered — payments, reversals, cancellations,
// back-payments, the demo city, corrections: a bill's status, payer, wage or employer changed, a line
// inserted into a bill that is not open, a line updated or deleted, a bill deleted — each recomputes
// the person-years it touches from the lines (record_year_refresh), by the aggregate the backfill uses.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE record_year (
    person_id bigint NOT NULL,
    year integer NOT NULL,
    fund text NOT NULL CHECK (fund IN ('employee_pension', 'resident_pension')),
    closed_lines integer NOT NULL,
    paid_lines integer NOT NULL,
    pension_months integer NOT NULL,
    unemployment_months integer NOT NULL,
    injury_months integer NOT NULL,
    base_sum bigint NOT NULL,
    account_credit bigint NOT NULL,
    index_lines bigint[] NOT NULL,
    employers bigint[] NOT NULL,
    PRIMARY KEY (person_id, year, fund)
  )`.execute(db);

  // One row per person-year ever summarized, locked by each recomputation of it: two transactions
  // paying bills of the same person-year (two months of one employer, two employers) recompute one
  // after the other, the second reading the first's committed lines (each statement of the function
  // takes a new snapshot once the lock is held), instead of both writing from what they saw alone.
  await sql`CREATE TABLE record_year_key (
    person_id bigint NOT NULL,
    year integer NOT NULL,
    PRIMARY KEY (person_id, year)
  )`.execute(db);

  // The person-years (p[i], y[i]) recomputed from their lines: the one aggregate of the summary.
  await sql`CREATE FUNCTION record_year_refresh(p bigint[], y integer[]) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO record_year_key (person_id, year)
      SELECT DISTINCT u.person_id, u.year FROM unnest(p, y) AS u(person_id, year) ORDER BY 1, 2
      ON CONFLICT DO NOTHING;
    -- In key order, so that two recomputations never wait on each other in a cycle.
    PERFORM 1 FROM record_year_key k JOIN unnest(p, y) AS u(person_id, year)
        ON k.person_id = u.person_id AND k.year = u.year
      ORDER BY k.person_id, k.year FOR UPDATE OF k;
    DELETE FROM record_year r USING unnest(p, y) AS k(person_id, year)
      WHERE r.person_id = k.person_id AND r.year = k.year;
    INSERT INTO record_year (person_id, year, fund, closed_lines, paid_lines, pension_months,
        unemployment_months, injury_months, base_sum, account_credit, index_lines, employers)
    WITH k AS (SELECT DISTINCT u.person_id, u.year FROM unnest(p, y) AS u(person_id, year)),
    l AS MATERIALIZED (
      SELECT l.person_id, k.year,
        CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END AS fund,
        l.period, substr(l.period, 6, 2)::int AS m, l.bill_id, l.base_fen, l.personal_account_fen,
        b.average_wage_fen, b.employer_id, b.status, b.payer_kind,
        (l.pension_employer_fen + l.pension_employee_fen) > 0 AS pension,
        (l.unemployment_employer_fen + l.unemployment_employee_fen) > 0 AS unemployment,
        l.injury_fen > 0 AS injury
      FROM k JOIN contribution_bill_line l ON l.person_id = k.person_id
          AND l.period BETWEEN (k.year::text || '-01')::char(7) AND (k.year::text || '-12')::char(7)
        JOIN contribution_bill b ON b.id = l.bill_id AND b.status IN ('paid', 'cancelled')),
    e AS (
      SELECT person_id, year, fund, array_agg(ARRAY[employer_id, mask] ORDER BY employer_id) AS employers
      FROM (SELECT person_id, year, fund, employer_id, bit_or(1::bigint << (m - 1)) AS mask
        FROM l WHERE status = 'paid' AND employer_id IS NOT NULL GROUP BY 1, 2, 3, 4) x
      GROUP BY 1, 2, 3)
    SELECT g.*, coalesce(e.employers, '{}') FROM (
      SELECT person_id, year, fund, count(*), count(*) FILTER (WHERE status = 'paid'),
        count(DISTINCT period) FILTER (WHERE status = 'paid' AND pension),
        count(DISTINCT period) FILTER (WHERE status = 'paid' AND unemployment),
        count(DISTINCT period) FILTER (WHERE status = 'paid' AND injury),
        coalesce(sum(base_fen) FILTER (WHERE status = 'paid' AND payer_kind <> 'resident'), 0)::bigint,
        coalesce(sum(personal_account_fen) FILTER (WHERE status = 'paid'), 0)::bigint,
        coalesce(array_agg(ARRAY[substr(period, 1, 4)::bigint * 100 + m, base_fen, average_wage_fen]
            ORDER BY period, bill_id)
          FILTER (WHERE status = 'paid' AND payer_kind <> 'resident' AND pension), '{}')
      FROM l GROUP BY 1, 2, 3) g
    LEFT JOIN e USING (person_id, year, fund);
  END $$`.execute(db);

  await sql`CREATE FUNCTION record_year_lines_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE p bigint[]; y integer[];
  BEGIN
    -- Lines of open bills (the assessment's) are not summarized: first ask, per distinct bill, whether
    -- any line went into a bill that is not open (a few thousand bill probes for a month's
    -- assessment, not one per line); only then recompute the person-years of those lines.
    IF NOT EXISTS (SELECT 1 FROM (SELECT DISTINCT bill_id FROM new_lines) n
        LEFT JOIN contribution_bill b ON b.id = n.bill_id WHERE b.status IS DISTINCT FROM 'open') THEN
      RETURN NULL;
    END IF;
    SELECT array_agg(k.person_id), array_agg(k.year) INTO p, y FROM (
      SELECT DISTINCT n.person_id, substr(n.period, 1, 4)::int AS year
      FROM new_lines n JOIN contribution_bill b ON b.id = n.bill_id AND b.status IN ('paid', 'cancelled')) k;
    IF p IS NOT NULL THEN PERFORM record_year_refresh(p, y); END IF;
    RETURN NULL;
  END $$`.execute(db);

  await sql`CREATE FUNCTION record_year_lines_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
    IF p IS NOT NULL THEN PERFORM record_year_refresh(p, y); END IF;
    RETURN NULL;
  END $$`.execute(db);

  await sql`CREATE FUNCTION record_year_bills_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
    IF p IS NOT NULL THEN PERFORM record_year_refresh(p, y); END IF;
    RETURN NULL;
  END $$`.execute(db);

  await sql`CREATE TRIGGER record_year_lines_insert AFTER INSERT ON contribution_bill_line
    REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION record_year_lines_inserted()`.execute(
    db,
  );
  await sql`CREATE TRIGGER record_year_lines_update AFTER UPDATE ON contribution_bill_line
    REFERENCING OLD TABLE AS old_lines NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION record_year_lines_changed()`.execute(
    db,
  );
  await sql`CREATE TRIGGER record_year_lines_delete AFTER DELETE ON contribution_bill_line
    REFERENCING OLD TABLE AS old_lines FOR EACH STATEMENT EXECUTE FUNCTION record_year_lines_changed()`.execute(
    db,
  );
  await sql`CREATE TRIGGER record_year_bills_update AFTER UPDATE ON contribution_bill
    REFERENCING OLD TABLE AS old_bills NEW TABLE AS new_bills FOR EACH STATEMENT EXECUTE FUNCTION record_year_bills_changed()`.execute(
    db,
  );
  await sql`CREATE TRIGGER record_year_bills_delete AFTER DELETE ON contribution_bill
    REFERENCING OLD TABLE AS old_bills FOR EACH STATEMENT EXECUTE FUNCTION record_year_bills_changed()`.execute(
    db,
  );

  // Backfill: every person-year with a line, by the same aggregate.
  await sql`SELECT record_year_refresh(array_agg(person_id), array_agg(year))
    FROM (SELECT DISTINCT person_id, substr(period, 1, 4)::int AS year FROM contribution_bill_line) k
    HAVING count(*) > 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER record_year_bills_delete ON contribution_bill`.execute(db);
  await sql`DROP TRIGGER record_year_bills_update ON contribution_bill`.execute(db);
  await sql`DROP TRIGGER record_year_lines_delete ON contribution_bill_line`.execute(db);
  await sql`DROP TRIGGER record_year_lines_update ON contribution_bill_line`.execute(db);
  await sql`DROP TRIGGER record_year_lines_insert ON contribution_bill_line`.execute(db);
  await sql`DROP FUNCTION record_year_bills_changed()`.execute(db);
  await sql`DROP FUNCTION record_year_lines_changed()`.execute(db);
  await sql`DROP FUNCTION record_year_lines_inserted()`.execute(db);
  await sql`DROP FUNCTION record_year_refresh(bigint[], integer[])`.execute(db);
  await sql`DROP TABLE record_year`.execute(db);
  await sql`DROP TABLE record_year_key`.execute(db);
}
