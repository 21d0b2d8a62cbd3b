// Unemployment in the demo city (issue 12):
// - `jobless` (password shebao-demo): a person of working age whose employer recorded an involuntary
//   separation on the 15th of last month, with more than a year of unemployment contributions — so the
//   claim in the citizen portal answers eligible: true. The separation goes through the registry's
//   own service (enrolments ended, audited), as an employer's 减员 would.
// - People already receiving benefits: the demo city's involuntary separations of the last months
//   (no new job, no contribution since, alive, no pension, ≥12 months paid), each with an approved
//   claim from a registration a few days after the separation, amounts by the same pure rules as a live
//   claim. Deterministic: same city, same picks. Only on a database the demo seeded.
// - The benefit payroll of the months before asOf's month (payDemoBenefits, after the hall has granted
//   its claims), each run on its own day, so a run for the current month is left to the clerk.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';
import { onDay } from '../core/clock.ts';
import { addDays, addMonths, addPeriods, maxDate, minDate, periodOf, type IsoDate } from '../core/dates.ts';
import { applyPercent } from '../core/money.ts';
import { Trace } from '../core/trace.ts';
import { EmploymentService } from '../registry/employment.service.ts';
import { runBenefitPayroll } from '../unemployment/benefit-payroll.job.ts';
import { assessUnemploymentBenefit } from '../unemployment/unemployment-benefit.rules.ts';
import {
  claimDecisionDeadline,
  unemploymentEntitlement,
} from '../unemployment/unemployment-entitlement.rules.ts';
import { isDemoDatabase } from './demo-city.ts';
import { CITY_CODE } from './demo-data.ts';

export interface DemoUnemploymentReport {
  jobless: boolean;
  recipients: number;
}

const actor = systemActor('demo-seed');

export async function seedDemoUnemployment(ctx: AppContext, asOf: IsoDate): Promise<DemoUnemploymentReport> {
  const report: DemoUnemploymentReport = { jobless: false, recipients: 0 };
  const db = ctx.db;
  if (!(await isDemoDatabase(db))) return report;
  const prefix = CITY_CODE.slice(0, 4);
  const lastMonth = addPeriods(periodOf(asOf), -1);

  // 1. Recipients: recent involuntary separations (before the jobless one is made, so it is not one of them).
  const since = addMonths(asOf, -10);
  const picks = await sql<{
    person_id: number;
    employment_id: number;
    employer_id: number;
    end_date: string;
    region: string;
    months: unknown;
  }>`
    SELECT em.person_id, em.id AS employment_id, em.employer_id, em.end_date::text AS end_date, er.region,
      (SELECT count(DISTINCT l.period) FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
        WHERE l.person_id = em.person_id AND b.status = 'paid' AND l.period <= to_char(em.end_date, 'YYYY-MM')
          AND (l.unemployment_employer_fen + l.unemployment_employee_fen) > 0) AS months
    FROM employment em JOIN employer er ON er.id = em.employer_id JOIN person p ON p.id = em.person_id
    WHERE em.end_reason = 'involuntary' AND em.end_date > ${since}::date AND em.end_date < ${asOf}::date
      AND left(er.region, 4) = ${prefix} AND p.death_date IS NULL
      AND p.birth_date > ${asOf}::date - interval '58 years'
      AND NOT EXISTS (SELECT 1 FROM employment e2 WHERE e2.person_id = em.person_id AND (e2.end_date IS NULL OR e2.start_date > em.end_date))
      AND NOT EXISTS (SELECT 1 FROM contribution_bill_line l WHERE l.person_id = em.person_id AND l.period > to_char(em.end_date, 'YYYY-MM'))
      AND NOT EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = em.person_id)
      AND NOT EXISTS (SELECT 1 FROM unemployment_claim c WHERE c.person_id = em.person_id)
      AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.person_id = em.person_id)
    ORDER BY em.person_id`.execute(db);
  const rows: Array<Record<string, unknown>> = [];
  for (const p of picks.rows) {
    const months = Number(p.months);
    const registration = addDays(p.end_date, 3) < asOf ? addDays(p.end_date, 3) : p.end_date;
    const region = p.region.trim();
    const trace = new Trace();
    const b = assessUnemploymentBenefit(
      { region, claimDate: registration, contributionMonths: months },
      ctx.params,
      trace,
    );
    if (!b.eligible || b.monthlyFen === null) continue;
    const dates = unemploymentEntitlement({ registrationDate: registration, maxMonths: b.maxMonths }, trace);
    const pct = ctx.params.get<number>('unemployment/medical-premium-percent', region, registration, trace);
    rows.push({
      person_id: Number(p.person_id),
      region,
      employment_id: Number(p.employment_id),
      employer_id: Number(p.employer_id),
      separation_date: p.end_date,
      separation_reason: 'involuntary',
      registration_date: registration,
      decision_deadline: claimDecisionDeadline(registration, region, ctx.params),
      contribution_months: months,
      eligible: true,
      max_months: b.maxMonths,
      monthly_fen: b.monthlyFen,
      medical_fen: applyPercent(b.monthlyFen, pct),
      entitlement_start: dates.entitlementStart,
      entitlement_end: dates.entitlementEnd,
      first_period: dates.firstPeriod,
      last_period: dates.lastPeriod,
      status: 'approved',
      inputs: JSON.stringify({
        demo: true,
        employmentId: Number(p.employment_id),
        contributionMonths: months,
      }),
      trace: JSON.stringify(trace.steps),
      decided_by: 'demo-seed',
      reviewed_by: 'demo-seed',
      decided_at: new Date().toISOString(),
      created_by: 'demo-seed',
    });
  }
  if (rows.length > 0)
    await db
      .insertInto('unemployment_claim')
      .values(rows as never)
      .execute();
  report.recipients = rows.length;
  // 2. jobless: an employee of working age with more than a year paid, laid off on the 15th of last month.
  const hash = await db
    .selectFrom('app_user')
    .select('password_hash')
    .where('username', '=', 'clerk')
    .executeTakeFirst();
  const exists = await db
    .selectFrom('app_user')
    .select('id')
    .where('username', '=', 'jobless')
    .executeTakeFirst();
  if (hash && !exists) {
    const endDate = `${lastMonth}-15`;
    const j = await sql<{ employment_id: number; person_id: number; name: string; start_date: string }>`
      SELECT em.id AS employment_id, em.person_id, p.name, em.start_date::text AS start_date
      FROM employment em JOIN person p ON p.id = em.person_id JOIN employer er ON er.id = em.employer_id
      WHERE em.end_date IS NULL AND left(er.region, 4) = ${prefix} AND p.death_date IS NULL
        AND p.birth_date BETWEEN ${asOf}::date - interval '50 years' AND ${asOf}::date - interval '25 years'
        AND em.start_date < ${endDate}::date - interval '3 years'
        AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.person_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM employment e2 WHERE e2.person_id = p.id AND e2.id <> em.id AND e2.end_date IS NULL)
        AND (SELECT count(DISTINCT l.period) FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
             WHERE l.person_id = p.id AND b.status = 'paid' AND (l.unemployment_employer_fen + l.unemployment_employee_fen) > 0) >= 24
      ORDER BY p.id LIMIT 1`.execute(db);
    const pick = j.rows[0];
    if (pick) {
      await new EmploymentService(db).end(actor, Number(pick.employment_id), {
        endDate: maxDate(endDate, pick.start_date),
        reason: 'involuntary',
        note: '经济性裁员（演示）',
      });
      await db
        .insertInto('app_user')
        .values({
          username: 'jobless',
          display_name: pick.name,
          password_hash: hash.password_hash,
          role: 'citizen',
          person_id: Number(pick.person_id),
          employer_id: null,
          region: null,
        })
        .execute();
      report.jobless = true;
    }
  }
  return report;
}

/**
 * The benefit payroll of the last months (up to six before asOf's month), each month's run early the
 * next month (the 5th, or asOf when that is later), as the agency would have run it then: every claim
 * granted by that day — the ones above and the hall's, decided up to five days after their month ends —
 * is paid for the month, booked to the fund on the month's last day (the run's entry date).
 */
export async function payDemoBenefits(
  ctx: AppContext,
  asOf: IsoDate,
): Promise<Array<{ period: string; payments: number }>> {
  const paid: Array<{ period: string; payments: number }> = [];
  if (!(await isDemoDatabase(ctx.db))) return paid;
  const first = await ctx.db
    .selectFrom('unemployment_claim')
    .select((eb) => eb.fn.min('first_period').as('first'))
    .where('status', '=', 'approved')
    .where('region', 'like', `${CITY_CODE.slice(0, 4)}%`)
    .executeTakeFirst();
  if (!first?.first) return paid;
  const lastMonth = addPeriods(periodOf(asOf), -1);
  const sixBack = addPeriods(lastMonth, -5);
  for (let p = first.first > sixBack ? first.first : sixBack; p <= lastMonth; p = addPeriods(p, 1)) {
    const s = await onDay(minDate(`${addPeriods(p, 1)}-05`, asOf), () =>
      runBenefitPayroll(ctx, actor, { period: p, region: CITY_CODE }),
    );
    paid.push({ period: p, payments: s.payments });
  }
  return paid;
}
