// The person's record (权益记录单): months contributed per scheme and year, bases, indices, the
// personal account with its interest, and the employers — from the paid bill lines and interest credits.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { IndexLine } from './contribution-index.rules.ts';

export interface RecordYearRow {
  year: number;
  fund: 'employee_pension' | 'resident_pension';
  pension_months: number;
  unemployment_months: number;
  injury_months: number;
  unpaid_months: number;
  base_sum: number;
  account_credit: number;
}

/**
 * The one query behind the contribution index Z: every paid employee-pension bill line of the
 * person (employers and flexible workers, not residents) with the average wage its bill was assessed
 * against, through `throughPeriod` when given. A month with two employers returns two lines.
 */
export async function contributionIndexLines(
  db: Db,
  personId: number,
  throughPeriod?: string,
): Promise<IndexLine[]> {
  const r = await sql<{ period: string; base_fen: unknown; average_wage_fen: unknown }>`
    SELECT l.period, l.base_fen, b.average_wage_fen
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
      AND (l.pension_employer_fen + l.pension_employee_fen) > 0
      ${throughPeriod === undefined ? sql`` : sql`AND l.period <= ${throughPeriod}`}
    ORDER BY l.period, l.bill_id`.execute(db);
  return r.rows.map(indexLineOf);
}

function indexLineOf(x: { period: string; base_fen: unknown; average_wage_fen: unknown }): IndexLine {
  return { period: x.period, baseFen: int(x.base_fen), averageWageFen: int(x.average_wage_fen) };
}

export async function recordYears(db: Db, personId: number): Promise<RecordYearRow[]> {
  const r = await sql<RecordYearRow>`
    SELECT substr(l.period, 1, 4)::int AS year,
      CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END AS fund,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'paid' AND (l.pension_employer_fen + l.pension_employee_fen) > 0)::bigint AS pension_months,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'paid' AND (l.unemployment_employer_fen + l.unemployment_employee_fen) > 0)::bigint AS unemployment_months,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'paid' AND l.injury_fen > 0)::bigint AS injury_months,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'open')::bigint AS unpaid_months,
      coalesce(sum(l.base_fen) FILTER (WHERE b.status = 'paid' AND b.payer_kind <> 'resident'), 0)::bigint AS base_sum,
      coalesce(sum(l.personal_account_fen) FILTER (WHERE b.status = 'paid'), 0)::bigint AS account_credit
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status <> 'cancelled'
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return r.rows.map(recordYearOf);
}

/** The counts and sums come back as bigint text (or JSON numbers): made numbers here. */
function recordYearOf(x: Omit<RecordYearRow, 'year'> & { year: number | string }): RecordYearRow {
  return {
    year: Number(x.year),
    fund: x.fund,
    pension_months: Number(x.pension_months),
    unemployment_months: Number(x.unemployment_months),
    injury_months: Number(x.injury_months),
    unpaid_months: Number(x.unpaid_months),
    base_sum: Number(x.base_sum),
    account_credit: Number(x.account_credit),
  };
}

export async function interestCredits(db: Db, personId: number) {
  const r = await db
    .selectFrom('account_interest_credit')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('year')
    .execute();
  return r.map(interestCreditOf);
}

interface InterestCreditRow {
  year: number;
  fund: 'employee_pension' | 'resident_pension';
  rate_percent: number | string;
  opening_fen: number;
  contributions_fen: number;
  interest_fen: number;
}

function interestCreditOf(x: InterestCreditRow) {
  return {
    year: Number(x.year),
    fund: x.fund,
    ratePercent: Number(x.rate_percent),
    openingFen: Number(x.opening_fen),
    contributionsFen: Number(x.contributions_fen),
    interestFen: Number(x.interest_fen),
  };
}

interface RecordEmployerRow {
  employer_id: number;
  name: string;
  credit_code: string;
  first_period: string;
  last_period: string;
  months: number;
}

function recordEmployerOf(x: RecordEmployerRow) {
  return {
    employerId: Number(x.employer_id),
    name: x.name,
    creditCode: x.credit_code,
    firstPeriod: x.first_period,
    lastPeriod: x.last_period,
    months: Number(x.months),
  };
}

export async function recordEmployers(db: Db, personId: number) {
  const r = await sql<RecordEmployerRow>`
    SELECT e.id AS employer_id, e.name, e.credit_code, min(l.period) AS first_period, max(l.period) AS last_period, count(DISTINCT l.period)::bigint AS months
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id JOIN employer e ON e.id = b.employer_id
    WHERE l.person_id = ${personId} AND b.status = 'paid'
    GROUP BY e.id, e.name, e.credit_code ORDER BY min(l.period)`.execute(db);
  return r.rows.map(recordEmployerOf);
}

/**
 * Everything the record needs in one round trip, prepared on PostgreSQL (issue 18: the four queries
 * ran in parallel and took four of the pool's connections per request; then the person was read
 * apart): the person (undefined when there is none), and the person's bill lines read once: the years,
 * the employers and the index lines are the same aggregates as recordYears, recordEmployers and
 * contributionIndexLines over them; the interest credits as interestCredits.
 */
export async function recordSources(db: Db, personId: number) {
  const r = await sql<{
    person: { id: number; id_number: string; name: string; region: string } | null;
    years: Array<Omit<RecordYearRow, 'year'> & { year: number | string }>;
    employers: RecordEmployerRow[];
    index_lines: Array<{ period: string; base_fen: number; average_wage_fen: number }>;
    interest: InterestCreditRow[];
  }>`/* prepared */
    WITH l AS MATERIALIZED (
      SELECT l.period, l.bill_id, l.base_fen, l.pension_employer_fen + l.pension_employee_fen AS pension_fen,
        l.unemployment_employer_fen + l.unemployment_employee_fen AS unemployment_fen, l.injury_fen,
        l.personal_account_fen, b.status, b.payer_kind, b.average_wage_fen, b.employer_id
      FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
      WHERE l.person_id = ${personId} AND b.status <> 'cancelled')
    SELECT
      (SELECT json_build_object('id', p.id, 'id_number', p.id_number, 'name', p.name, 'region', p.region)
        FROM person p WHERE p.id = ${personId}) AS person,
      (SELECT coalesce(json_agg(y ORDER BY y.year, y.fund), '[]') FROM (
        SELECT substr(period, 1, 4)::int AS year,
          CASE WHEN payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END AS fund,
          count(DISTINCT period) FILTER (WHERE status = 'paid' AND pension_fen > 0) AS pension_months,
          count(DISTINCT period) FILTER (WHERE status = 'paid' AND unemployment_fen > 0) AS unemployment_months,
          count(DISTINCT period) FILTER (WHERE status = 'paid' AND injury_fen > 0) AS injury_months,
          count(DISTINCT period) FILTER (WHERE status = 'open') AS unpaid_months,
          coalesce(sum(base_fen) FILTER (WHERE status = 'paid' AND payer_kind <> 'resident'), 0) AS base_sum,
          coalesce(sum(personal_account_fen) FILTER (WHERE status = 'paid'), 0) AS account_credit
        FROM l GROUP BY 1, 2) y) AS years,
      (SELECT coalesce(json_agg(x ORDER BY x.first_period), '[]') FROM (
        SELECT e.id AS employer_id, e.name, e.credit_code, min(l.period) AS first_period,
          max(l.period) AS last_period, count(DISTINCT l.period) AS months
        FROM l JOIN employer e ON e.id = l.employer_id WHERE l.status = 'paid'
        GROUP BY e.id, e.name, e.credit_code) x) AS employers,
      (SELECT coalesce(json_agg(json_build_object('period', period, 'base_fen', base_fen,
          'average_wage_fen', average_wage_fen) ORDER BY period, bill_id), '[]')
        FROM l WHERE status = 'paid' AND payer_kind <> 'resident' AND pension_fen > 0) AS index_lines,
      (SELECT coalesce(json_agg(c ORDER BY c.year), '[]') FROM (
        SELECT year, fund, rate_percent, opening_fen, contributions_fen, interest_fen
        FROM account_interest_credit WHERE person_id = ${personId}) c) AS interest`.execute(db);
  const row = r.rows[0]!;
  return {
    person: row.person === null ? undefined : { ...row.person, id: Number(row.person.id) },
    years: row.years.map(recordYearOf),
    employers: row.employers.map(recordEmployerOf),
    indexLines: row.index_lines.map(indexLineOf),
    interest: row.interest.map(interestCreditOf),
  };
}

/** Bases and bills month by month for one year (the detail of the record). */
export async function recordMonths(db: Db, personId: number, year: number) {
  const r = await sql<{
    period: string;
    employer_name: string | null;
    payer_kind: string;
    base_fen: number;
    personal_account_fen: number;
    status: string;
    average_wage_fen: number;
  }>`
    SELECT l.period, e.name AS employer_name, b.payer_kind, l.base_fen, l.personal_account_fen, b.status, b.average_wage_fen
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id LEFT JOIN employer e ON e.id = b.employer_id
    WHERE l.person_id = ${personId} AND l.period BETWEEN ${`${year}-01`} AND ${`${year}-12`} AND b.status <> 'cancelled'
    ORDER BY l.period`.execute(db);
  return r.rows;
}
