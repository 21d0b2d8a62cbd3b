// The simulator's reads (the region's population as groups, counted by the database in one statement
// each) and its stored runs. Read-only over the registry, contribution and pension tables.
import { mulDiv } from '../core/money.ts';
import { sql } from 'kysely';
import type { IsoDate } from '../core/dates.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { currentAmountsSql } from '../pension/pension.repository.ts';

/** Base index bands (base ÷ average wage), upper edges in parts per million. */
const BAND_EDGES = [400_000, 600_000, 800_000, 1_000_000, 1_250_000, 1_500_000, 2_000_000, 3_000_000];

export interface ContributorRow {
  birthYear: number;
  sex: 'M' | 'F';
  kind: 'employee' | 'flexible';
  count: number;
  wageSumFen: number;
  monthsSum: number;
  archivedAccountSumFen: number;
}

/**
 * Living contributors of the employee pension in the region on `asOf` (an active enrolment as
 * employee or flexible worker, no pension award), grouped by birth year, sex, kind and base band.
 * The base is the open employment's wage, else the latest flexible declaration, else the average
 * wage; months are those since the enrolment began plus deemed and archived months.
 */
export async function contributorGroups(
  db: Db,
  region: string,
  asOf: IsoDate,
  averageWageFen: number,
): Promise<ContributorRow[]> {
  const edges = BAND_EDGES.map((e) => mulDiv(averageWageFen, e, 1_000_000));
  const r = await sql<{
    birth_year: number | string;
    sex: 'M' | 'F';
    kind: 'employee' | 'flexible';
    n: string | number;
    wage_sum: string | number;
    months_sum: string | number;
    account_sum: string | number;
  }>`
    WITH enrolled AS (
      SELECT DISTINCT ON (e.person_id) e.person_id, e.kind, e.start_date
      FROM enrolment e
      WHERE e.scheme = 'employee_pension' AND e.kind IN ('employee', 'flexible') AND e.status = 'active'
        AND e.region LIKE ${regionLikePattern(region)} AND e.start_date <= ${asOf}
        AND (e.end_date IS NULL OR e.end_date > ${asOf})
      ORDER BY e.person_id, e.start_date
    ), wage AS (
      SELECT DISTINCT ON (m.person_id) m.person_id, m.monthly_wage_fen
      FROM employment m JOIN enrolled ON enrolled.person_id = m.person_id
      WHERE m.end_date IS NULL AND m.monthly_wage_fen IS NOT NULL
      ORDER BY m.person_id, m.start_date DESC
    ), chosen AS (
      SELECT DISTINCT ON (d.person_id) d.person_id, d.wage_fen
      FROM contribution_declaration d JOIN enrolled ON enrolled.person_id = d.person_id AND enrolled.kind = 'flexible'
      WHERE d.kind = 'flexible'
      ORDER BY d.person_id, d.period DESC, d.id DESC
    ), c AS (
      SELECT extract(year FROM p.birth_date)::int AS birth_year, p.sex, en.kind,
        coalesce(w.monthly_wage_fen, ch.wage_fen, ${averageWageFen}::bigint) AS wage,
        greatest(0, (extract(year FROM age(${asOf}::date, en.start_date)) * 12
                     + extract(month FROM age(${asOf}::date, en.start_date)))::int)
          + coalesce(ps.deemed_months, 0) + coalesce(ps.archived_months, 0) AS months,
        coalesce(ps.archived_account_fen, 0) AS account
      FROM enrolled en
      JOIN person p ON p.id = en.person_id
      LEFT JOIN wage w ON w.person_id = en.person_id
      LEFT JOIN chosen ch ON ch.person_id = en.person_id
      LEFT JOIN prior_service ps ON ps.person_id = en.person_id
      WHERE (p.death_date IS NULL OR p.death_date > ${asOf})
        AND NOT EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id AND a.scheme = 'employee_pension'
                        AND a.status <> 'stopped')
    )
    SELECT birth_year, sex, kind, width_bucket(wage, ${sql.raw(`ARRAY[${edges.join(',')}]::bigint[]`)}) AS band,
      count(*) AS n, sum(wage)::bigint AS wage_sum, sum(months)::bigint AS months_sum, sum(account)::bigint AS account_sum
    FROM c GROUP BY birth_year, sex, kind, band
    ORDER BY birth_year, sex, kind, band`.execute(db);
  return r.rows.map((x) => ({
    birthYear: int(x.birth_year),
    sex: x.sex,
    kind: x.kind,
    count: int(x.n),
    wageSumFen: int(x.wage_sum),
    monthsSum: int(x.months_sum),
    archivedAccountSumFen: int(x.account_sum),
  }));
}

export interface PensionerRow {
  birthYear: number;
  sex: 'M' | 'F';
  count: number;
  monthlySumFen: number;
  monthsSum: number;
  latestRetirementDate: string;
}

/** Living employee pensioners of the region with an active award, by birth year, sex, pension band (1,000 yuan), contribution years (5) and whether they retired this year (not yet adjusted). */
export async function pensionerGroups(db: Db, region: string, asOf: IsoDate): Promise<PensionerRow[]> {
  const r = await sql<{
    birth_year: number | string;
    sex: 'M' | 'F';
    n: string | number;
    monthly_sum: string | number;
    months_sum: string | number;
    latest: string;
  }>`
    SELECT birth_year, sex, count(*) AS n, sum(monthly_fen)::bigint AS monthly_sum,
      sum(contribution_months)::bigint AS months_sum, to_char(max(retirement_date), 'YYYY-MM-DD') AS latest
    FROM (
      SELECT extract(year FROM p.birth_date)::int AS birth_year, p.sex, coalesce(cur.monthly_fen, a.monthly_fen) AS monthly_fen,
        a.contribution_months, a.retirement_date, coalesce(cur.monthly_fen, a.monthly_fen) / 100000 AS pension_band,
        a.contribution_months / 60 AS years_band, a.retirement_date >= date_trunc('year', ${asOf}::date) AS this_year
      FROM pension_award a JOIN person p ON p.id = a.person_id
      -- the current amount by the pension's rule (the award row keeps the amount first awarded only)
      LEFT JOIN ${currentAmountsSql()} cur ON cur.award_id = a.id
      WHERE a.scheme = 'employee_pension' AND a.status = 'active' AND a.region LIKE ${regionLikePattern(region)}
        AND a.retirement_date <= ${asOf} AND (p.death_date IS NULL OR p.death_date > ${asOf})
    ) x
    GROUP BY birth_year, sex, pension_band, years_band, this_year
    ORDER BY birth_year, sex, pension_band, years_band, this_year`.execute(db);
  return r.rows.map((x) => ({
    birthYear: int(x.birth_year),
    sex: x.sex,
    count: int(x.n),
    monthlySumFen: int(x.monthly_sum),
    monthsSum: int(x.months_sum),
    latestRetirementDate: x.latest,
  }));
}

export interface RunRow {
  id: number;
  region: string;
  name: string;
  scenario: unknown;
  snapshot: unknown;
  result: unknown;
  createdBy: string;
  durationMs: number;
  createdAt: string;
}

export async function insertRun(
  db: Db,
  row: Omit<RunRow, 'id' | 'createdAt'> & { userId: number | null },
): Promise<{ id: number; createdAt: string }> {
  const r = await db
    .insertInto('simulation_run')
    .values({
      region: row.region,
      name: row.name,
      scenario: JSON.stringify(row.scenario),
      snapshot: JSON.stringify(row.snapshot),
      result: JSON.stringify(row.result),
      created_by: row.createdBy,
      created_by_user_id: row.userId,
      duration_ms: row.durationMs,
    })
    .returning([
      'id',
      sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as('at'),
    ])
    .executeTakeFirstOrThrow();
  return { id: int(r.id), createdAt: r.at };
}

const runColumns = [
  'id',
  'region',
  'name',
  'scenario',
  'snapshot',
  'result',
  'created_by',
  'duration_ms',
  sql<string>`to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as('at'),
] as const;

type RawRun = {
  id: number | string;
  region: string;
  name: string;
  scenario: unknown;
  snapshot: unknown;
  result: unknown;
  created_by: string;
  duration_ms: number;
  at: string;
};

const parseJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

function toRun(r: RawRun): RunRow {
  return {
    id: int(r.id),
    region: r.region.trim(),
    name: r.name,
    scenario: parseJson(r.scenario),
    snapshot: parseJson(r.snapshot),
    result: parseJson(r.result),
    createdBy: r.created_by,
    durationMs: r.duration_ms,
    createdAt: r.at,
  };
}

export async function findRun(db: Db, id: number): Promise<RunRow | undefined> {
  const r = await db.selectFrom('simulation_run').select(runColumns).where('id', '=', id).executeTakeFirst();
  return r ? toRun(r) : undefined;
}

/** The region's runs (and its sub-regions'), newest first. */
export async function listRuns(
  db: Db,
  region: string,
  page: number,
  pageSize: number,
): Promise<{ items: RunRow[]; total: number }> {
  const where = regionLikePattern(region);
  const [rows, total] = await Promise.all([
    db
      .selectFrom('simulation_run')
      .select(runColumns)
      .where('region', 'like', where)
      .orderBy('id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    db
      .selectFrom('simulation_run')
      .select(sql<string>`count(*)`.as('n'))
      .where('region', 'like', where)
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toRun(r as RawRun)), total: int(total.n) };
}
