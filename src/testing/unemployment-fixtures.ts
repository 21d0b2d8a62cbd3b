// Unemployment test fixtures: paid monthly bills with unemployment contributions (set-based), and
// approved claims ready for the payroll. Tests and the benchmark only: production goes through the services.
import { mulDiv } from '../core/money.ts';
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';

/** One paid employer bill per month from `from` to `to` (YYYY-MM) with the person's unemployment contributions. */
export async function addUnemploymentContributions(
  db: Db,
  o: { personId: number; employerId: number; from: string; to: string; region?: string },
): Promise<void> {
  const region = o.region ?? '341800';
  await sql`
    WITH months AS (
      SELECT to_char(d, 'YYYY-MM') AS period FROM generate_series(${`${o.from}-01`}::date, ${`${o.to}-01`}::date, interval '1 month') d
    ), bills AS (
      INSERT INTO contribution_bill (region, period, payer_kind, employer_id, person_id, due_date, average_wage_fen, lines,
        unemployment_employer_fen, unemployment_employee_fen, total_fen, status, paid_date)
      SELECT ${region}, period, 'employer', ${o.employerId}, NULL, (period || '-15')::date, 800000, 1, 2500, 2500, 5000, 'paid', (period || '-10')::date
      FROM months RETURNING id, period
    )
    INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen,
      personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
    SELECT id, ${o.personId}, period, 500000, 0, 0, 0, 2500, 2500, 0, 0 FROM bills`.execute(db);
}

/**
 * `count` persons, each with an approved claim (first period `firstPeriod`, `maxMonths` months at
 * `monthlyFen`), set-based: the payroll's fixture and the benchmark's.
 */
export async function seedApprovedClaims(
  db: Db,
  o: {
    count: number;
    region: string;
    employerId: number;
    firstPeriod: string;
    maxMonths?: number;
    monthlyFen?: number;
    idPrefix?: string;
  },
): Promise<void> {
  const max = o.maxMonths ?? 12;
  const monthly = o.monthlyFen ?? 148500;
  const medical = mulDiv(monthly, 8, 100);
  const prefix = o.idPrefix ?? 'U';
  await sql`
    WITH persons AS (
      INSERT INTO person (id_number, name, sex, birth_date, hukou_region, region, bank_name, bank_account)
      SELECT ${prefix} || lpad(g::text, 17, '0'), '失业测试' || g, CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, '1985-05-05',
        ${o.region}, ${o.region}, '工商银行', '6222' || lpad(g::text, 15, '0')
      FROM generate_series(1, ${o.count}) g
      RETURNING id
    ), jobs AS (
      INSERT INTO employment (person_id, employer_id, start_date, end_date, end_reason, monthly_wage_fen)
      SELECT id, ${o.employerId}, '2015-01-01', (${`${o.firstPeriod}-01`}::date - 1), 'involuntary', 500000 FROM persons
      RETURNING id, person_id, end_date
    )
    INSERT INTO unemployment_claim (person_id, region, employment_id, employer_id, separation_date, separation_reason,
      registration_date, decision_deadline, contribution_months, eligible, max_months, monthly_fen, medical_fen,
      entitlement_start, entitlement_end, first_period, last_period, status, created_by)
    SELECT j.person_id, ${o.region}, j.id, ${o.employerId}, j.end_date, 'involuntary', ${`${o.firstPeriod}-01`}::date,
      ${`${o.firstPeriod}-15`}::date, 120, true, ${max}, ${monthly}, ${medical}, ${`${o.firstPeriod}-01`}::date,
      ((${`${o.firstPeriod}-01`}::date + make_interval(months => ${max}))::date - 1),
      ${o.firstPeriod}, to_char(${`${o.firstPeriod}-01`}::date + make_interval(months => ${max - 1}), 'YYYY-MM'), 'approved', 'fixture'
    FROM jobs j`.execute(db);
}
