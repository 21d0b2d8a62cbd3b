// Eighteenth pass (issue 18): each row of the record summary `record_year` (migration 1240) keeps its
// year row as the record sends it, `row_json` — the JSON array [year, fund, paid_lines,
// pension_months, unemployment_months, injury_months, base_sum, account_credit, index_lines,
// employers] as text — written by the one recomputation (record_year_refresh) from the figures it
// writes beside it. The record then joins ~12 ready texts instead of building them on every read:
// json_build_array over the index lines' arrays was a fifth of the record statement's database CPU
// (~40 of ~190 µs an execution, the bench's person). A year row changes only when its lines do, so
// it is built once per write instead of once per read.
// The function below is 1240's with the column added; down puts 1240's back.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

// record_year_refresh's body as 1240 wrote it (its columns named), with one more column and its value.
const refresh = (extraColumn: string, extraValue: string) => `
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
        unemployment_months, injury_months, base_sum, account_credit, index_lines, employers${extraColumn})
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
    SELECT r.*${extraValue} FROM (
      SELECT g.*, coalesce(e.employers, '{}') AS employers FROM (
        SELECT person_id, year, fund, count(*) AS closed_lines, count(*) FILTER (WHERE status = 'paid') AS paid_lines,
          count(DISTINCT period) FILTER (WHERE status = 'paid' AND pension) AS pension_months,
          count(DISTINCT period) FILTER (WHERE status = 'paid' AND unemployment) AS unemployment_months,
          count(DISTINCT period) FILTER (WHERE status = 'paid' AND injury) AS injury_months,
          coalesce(sum(base_fen) FILTER (WHERE status = 'paid' AND payer_kind <> 'resident'), 0)::bigint AS base_sum,
          coalesce(sum(personal_account_fen) FILTER (WHERE status = 'paid'), 0)::bigint AS account_credit,
          coalesce(array_agg(ARRAY[substr(period, 1, 4)::bigint * 100 + m, base_fen, average_wage_fen]
              ORDER BY period, bill_id)
            FILTER (WHERE status = 'paid' AND payer_kind <> 'resident' AND pension), '{}') AS index_lines
        FROM l GROUP BY 1, 2, 3) g
      LEFT JOIN e USING (person_id, year, fund)) r;
  END`;

/** The year row as the record sends it, from the row's figures (`r.` or a table's columns). */
const rowJson = (r: string) =>
  `json_build_array(${r}year, ${r}fund, ${r}paid_lines, ${r}pension_months, ${r}unemployment_months,
    ${r}injury_months, ${r}base_sum, ${r}account_credit, ${r}index_lines, ${r}employers)::text`;

const createRefresh = (body: string) =>
  sql.raw(
    `CREATE OR REPLACE FUNCTION record_year_refresh(p bigint[], y integer[]) RETURNS void LANGUAGE plpgsql AS $$${body} $$`,
  );

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE record_year ADD COLUMN row_json text`.execute(db);
  await sql.raw(`UPDATE record_year SET row_json = ${rowJson('')}`).execute(db);
  await sql`ALTER TABLE record_year ALTER COLUMN row_json SET NOT NULL`.execute(db);
  await createRefresh(refresh(', row_json', `, ${rowJson('r.')}`)).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await createRefresh(refresh('', '')).execute(db);
  await sql`ALTER TABLE record_year DROP COLUMN row_json`.execute(db);
}
