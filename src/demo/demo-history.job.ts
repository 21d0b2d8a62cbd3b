// Contribution histories for the demo city, 2015-10 to the month before `asOf`, generated set-based:
// one INSERT … SELECT per table over generate_series of each enrolment's months, the rates resolved
// once per (period, kind, industry class) with the pure contribution rule. Employees' wages follow
// the average wage back in time from their recorded wage; flexible workers choose 60% or 100% of
// the average; residents choose a tier each year (hardship groups: the lowest tier paid by
// government). Nearly every bill is paid on its due date; a few employers are in arrears for the
// last months. The journal gets the month's totals per fund, so `shebao ledger verify` passes.
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import { systemActor } from '../auth/actor.ts';
import { onDay } from '../core/clock.ts';
import { addPeriods, periodOf, periodRange, type IsoDate, type Period } from '../core/dates.ts';
import { isSbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import type { Fund } from '../db/database.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { runAccountInterest } from '../contributions/account-interest.job.ts';
import { rateTable, type AssessmentSummary } from '../contributions/assessment.repository.ts';
import type { ResidentTierTable } from '../contributions/resident-tier.rules.ts';

/** The demo's monthly assessment batch: the operator its bills' history names as their issuer. */
const BATCH = systemActor('batch');
const ISSUE_TIME = '09:00';

/** The first month the contribution rule has every rate (the work-injury class rates of 人社部发〔2015〕71号 start 2015-10-01). */
export const DEMO_HISTORY_FROM: Period = '2015-10';

export interface DemoHistoryReport {
  periods: number;
  bills: number;
  lines: number;
  residentYears: number;
  interestYears: number[];
  seconds: number;
  byStage: Record<string, number>;
}

const arr = (xs: Array<string | number>, type: string) => sql`${`{${xs.join(',')}}`}::${sql.raw(type)}[]`;

export async function generateDemoHistory(
  db: Db,
  params: ParamStore,
  opts: {
    region: string;
    asOf: IsoDate;
    onProgress?: (done: number, total: number, stage: string) => void;
    /** people the demo retires later (pickDemoRetiree): no contribution after their retirement's month */
    retiring?: ReadonlyArray<{ personId: number; retirementDate: IsoDate }>;
  },
): Promise<DemoHistoryReport> {
  const t0 = performance.now();
  const byStage: Record<string, number> = {};
  const timed = async <T>(stage: string, f: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    opts.onProgress?.(0, 1, stage);
    try {
      return await f();
    } finally {
      byStage[stage] = (byStage[stage] ?? 0) + (performance.now() - t) / 1000;
      opts.onProgress?.(1, 1, stage);
    }
  };
  const { region, retiring = [] } = opts;
  const last = addPeriods(periodOf(opts.asOf), -1);
  const periods = periodRange(DEMO_HISTORY_FROM, last);
  const actor = systemActor('demo-history');
  const report: DemoHistoryReport = {
    periods: periods.length,
    bills: 0,
    lines: 0,
    residentYears: 0,
    interestYears: [],
    seconds: 0,
    byStage,
  };
  if (periods.length === 0) return report;
  const arrearsFrom = addPeriods(last, -2);

  await db.transaction().execute(async (tx) => {
    // Hash joins and sorts of a million rows in memory, not spilled to disk (PGlite's default is 4 MB).
    await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
    // Rates per (period, kind, class) from the pure rule.
    const R = {
      period: [] as string[],
      kind: [] as string[],
      cls: [] as number[],
      avg: [] as number[],
      floor: [] as number[],
      ceil: [] as number[],
      pe: [] as number[],
      pee: [] as number[],
      pa: [] as number[],
      ue: [] as number[],
      uee: [] as number[],
      ibp: [] as number[],
      icut: [] as number[],
      sue: [] as number[],
      suee: [] as number[],
    };
    for (const p of periods) {
      for (const r of rateTable(params, region, p)) {
        R.period.push(p);
        R.kind.push(r.kind);
        R.cls.push(r.cls);
        R.avg.push(r.averageWageFen);
        R.floor.push(r.floorFen);
        R.ceil.push(r.ceilingFen);
        R.pe.push(r.pensionEmployerPct);
        R.pee.push(r.pensionEmployeePct);
        R.pa.push(r.personalAccountPct);
        R.ue.push(r.unemploymentEmployerPct);
        R.uee.push(r.unemploymentEmployeePct);
        R.ibp.push(r.injuryBp);
        R.icut.push(r.injuryCutPct);
        R.sue.push(r.statUnemploymentEmployerPct);
        R.suee.push(r.statUnemploymentEmployeePct);
      }
    }
    const rates = sql`SELECT * FROM unnest(${arr(R.period, 'text')}, ${arr(R.kind, 'text')}, ${arr(R.cls, 'int')}, ${arr(R.avg, 'numeric')}, ${arr(R.floor, 'numeric')}, ${arr(R.ceil, 'numeric')},
        ${arr(R.pe, 'numeric')}, ${arr(R.pee, 'numeric')}, ${arr(R.pa, 'numeric')}, ${arr(R.ue, 'numeric')}, ${arr(R.uee, 'numeric')}, ${arr(R.ibp, 'numeric')}, ${arr(R.icut, 'numeric')},
        ${arr(R.sue, 'numeric')}, ${arr(R.suee, 'numeric')}) AS r(period, kind, cls, avg, floor_fen, ceiling_fen, pe, pee, pa, ue, uee, ibp, icut, sue, suee)`;

    await timed('rates', async () => {
      await sql`CREATE TEMP TABLE demo_rates ON COMMIT DROP AS ${rates}`.execute(tx);
      await sql`CREATE INDEX ON demo_rates (period, kind, cls)`.execute(tx);
    });
    // One assessment per period, run by the monthly batch on the period's first day.
    await timed('assessments', () =>
      sql`INSERT INTO contribution_assessment (region, period, run_no, created_by, created_at)
          SELECT ${region}, p, 1, ${BATCH.username}, (p || ${`-01 ${ISSUE_TIME}:00+08`})::timestamptz FROM unnest(${arr(periods, 'text')}) AS p
          ON CONFLICT (region, period, run_no) DO NOTHING`.execute(tx),
    );
    // Every covered month of every employee and flexible worker with its base (a temp table: read twice).
    await timed('months', async () => {
      await sql`CREATE TEMP TABLE demo_months ON COMMIT DROP AS
        WITH emp AS (
          SELECT n.person_id, n.employer_id, n.kind, greatest(n.start_date, ${`${DEMO_HISTORY_FROM}-01`}::date) AS s,
                 least(coalesce(n.end_date, ${opts.asOf}::date), r.retirement_date, ${`${last}-28`}::date) AS e,
                 w.monthly_wage_fen AS wage, coalesce(to_char(n.end_date, 'YYYY-MM'), ${last}) AS wage_period
          FROM enrolment n
          LEFT JOIN (SELECT DISTINCT ON (person_id, employer_id) person_id, employer_id, monthly_wage_fen FROM employment
                     ORDER BY person_id, employer_id, start_date DESC) w ON w.person_id = n.person_id AND w.employer_id = n.employer_id
          LEFT JOIN unnest(${arr(
            retiring.map((r) => r.personId),
            'bigint',
          )}, ${arr(
            retiring.map((r) => r.retirementDate),
            'date',
          )}) AS r (person_id, retirement_date) ON r.person_id = n.person_id
          WHERE n.scheme = 'employee_pension' AND n.region = ${region} AND n.kind IN ('employee', 'flexible')
            AND (n.end_date IS NULL OR n.end_date >= ${`${DEMO_HISTORY_FROM}-01`}::date) AND n.start_date <= ${`${last}-28`}::date
        ), mon AS (
          -- two enrolments with the same employer in one month (a re-hire) are one line
          SELECT DISTINCT ON (emp.person_id, emp.employer_id, g) emp.*, to_char(g, 'YYYY-MM') AS period
          FROM emp, generate_series(date_trunc('month', emp.s), emp.e, interval '1 month') AS g
          WHERE emp.s <= emp.e
          ORDER BY emp.person_id, emp.employer_id, g, emp.s DESC
        )
        SELECT x.person_id, x.employer_id, x.kind, x.period, x.payer_key, x.avg::bigint AS avg, x.base::bigint AS base,
          round(x.base * x.pe / 100)::bigint AS pension_employer, round(x.base * x.pee / 100)::bigint AS pension_employee,
          round(x.base * x.pa / 100)::bigint AS personal_account, round(x.base * x.ue / 100)::bigint AS unemployment_employer,
          round(x.base * x.uee / 100)::bigint AS unemployment_employee, round(x.base * x.ibp * (100 - x.icut) / 1000000)::bigint AS injury,
          (round(x.base * x.sue / 100) + round(x.base * x.suee / 100) - round(x.base * x.ue / 100) - round(x.base * x.uee / 100)
            + round(x.base * x.ibp / 10000) - round(x.base * x.ibp * (100 - x.icut) / 1000000))::bigint AS waived
        FROM (
        SELECT mon.person_id, mon.employer_id, mon.kind, mon.period, coalesce(mon.employer_id, -mon.person_id) AS payer_key, r.avg,
          least(greatest(CASE WHEN mon.kind = 'flexible' THEN round(r.avg * CASE WHEN mon.person_id % 3 = 0 THEN 1 ELSE 0.6 END)
                              ELSE round(coalesce(mon.wage, r.avg) * r.avg / coalesce(rw.avg, r.avg) * (0.98 + (mon.person_id + ascii(substr(mon.period, 7, 1))) % 5 * 0.01)) END,
                         r.floor_fen), r.ceiling_fen) AS base,
          r.pe, r.pee, r.pa, r.ue, r.uee, r.ibp, r.icut, r.sue, r.suee
        FROM mon
        LEFT JOIN employer e ON e.id = mon.employer_id
        JOIN demo_rates r ON r.period = mon.period AND r.kind = mon.kind AND r.cls = coalesce(e.industry_class, 0)
        LEFT JOIN demo_rates rw ON rw.period = least(mon.wage_period, ${last}) AND rw.kind = 'employee' AND rw.cls = 1
        ) x`.execute(tx);
    });
    // The amounts are computed once, into the temp table; bills and lines read them.
    const computed = sql`SELECT * FROM demo_months`;
    await timed('bills', () =>
      sql`INSERT INTO contribution_bill (assessment_id, region, period, payer_kind, employer_id, person_id, back_payment, due_date, average_wage_fen, lines,
            pension_employer_fen, pension_employee_fen, personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen, total_fen, status, paid_date,
            created_at)
          SELECT a.id, ${region}, c.period, CASE WHEN c.kind = 'employee' THEN 'employer' ELSE 'flexible' END, max(c.employer_id),
            CASE WHEN c.kind = 'flexible' THEN max(c.person_id) END, false,
            (to_date(c.period || '-01', 'YYYY-MM-DD') + interval '1 month' - interval '1 day')::date, max(c.avg)::bigint, count(*),
            sum(c.pension_employer)::bigint, sum(c.pension_employee)::bigint, sum(c.personal_account)::bigint, sum(c.unemployment_employer)::bigint,
            sum(c.unemployment_employee)::bigint, sum(c.injury)::bigint, sum(c.waived)::bigint,
            sum(c.pension_employer + c.pension_employee + c.unemployment_employer + c.unemployment_employee + c.injury)::bigint,
            CASE WHEN c.period >= ${arrearsFrom} AND c.payer_key % 23 = 0 THEN 'open' ELSE 'paid' END,
            CASE WHEN c.period >= ${arrearsFrom} AND c.payer_key % 23 = 0 THEN NULL ELSE (to_date(c.period || '-01', 'YYYY-MM-DD') + interval '1 month' - interval '1 day')::date END,
            a.created_at
          FROM (${computed}) c JOIN contribution_assessment a ON a.region = ${region} AND a.period = c.period AND a.run_no = 1
          GROUP BY a.id, c.period, c.kind, c.payer_key`.execute(tx),
    );
    await timed('lines', () =>
      sql`INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen, personal_account_fen,
            unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
          SELECT b.id, c.person_id, c.period, c.base, c.pension_employer, c.pension_employee, c.personal_account, c.unemployment_employer,
            c.unemployment_employee, c.injury, c.waived
          FROM (${computed}) c JOIN contribution_bill b ON b.region = ${region} AND b.period = c.period AND b.payer_kind <> 'resident'
            AND coalesce(b.employer_id, -b.person_id) = c.payer_key`.execute(tx),
    );
    // Each run audited as `shebao contributions assess` audits one (AssessmentService.assess), on its
    // day: a bill's history says the batch issued it, not nobody.
    await timed('issue', async () => {
      const runs = await sql<{
        id: number;
        period: string;
        bills: string;
        lines: string;
        total: string;
        waived: string;
        pension: string;
        unemployment: string;
        injury: string;
      }>`SELECT a.id, a.period, count(*) AS bills, sum(b.lines) AS lines, sum(b.total_fen) AS total, sum(b.waived_fen) AS waived,
            sum(b.pension_employer_fen + b.pension_employee_fen) AS pension,
            sum(b.unemployment_employer_fen + b.unemployment_employee_fen) AS unemployment, sum(b.injury_fen) AS injury
          FROM contribution_assessment a JOIN contribution_bill b ON b.assessment_id = a.id
          WHERE a.region = ${region} AND a.run_no = 1 AND a.created_by = ${BATCH.username}
          GROUP BY a.id, a.period ORDER BY a.period`.execute(tx);
      for (const r of runs.rows) {
        const summary: AssessmentSummary = {
          assessmentId: Number(r.id),
          region,
          period: r.period,
          runNo: 1,
          bills: Number(r.bills),
          lines: Number(r.lines),
          totalFen: Number(r.total),
          waivedFen: Number(r.waived),
          backPayment: false,
          byFund: {
            employee_pension: Number(r.pension),
            unemployment: Number(r.unemployment),
            injury: Number(r.injury),
          },
        };
        await onDay(
          `${r.period}-01`,
          () =>
            appendAudit(tx, BATCH, {
              action: 'assessment.run',
              entityType: 'contribution_assessment',
              entityId: summary.assessmentId,
              region,
              after: summary,
            }),
          ISSUE_TIME,
        );
      }
    });
    // Residents: a tier a year from the enrolment's first year (hardship groups: lowest tier by government).
    await timed('residents', async () => {
      const years = [...new Set(periods.map((p) => Number(p.slice(0, 4))))].filter(
        (y) => `${y}-12` <= last || y === Number(last.slice(0, 4)),
      );
      const tiers = params.get<ResidentTierTable>(
        'contributions/resident-tiers',
        region,
        `${years[0] ?? 2015}-01-01`,
      );
      const t = tiers.tiers.map((y) => y * 100);
      const lowest = Math.min(...t);
      const bands = [...tiers.subsidy].sort((a, b) => b[0] - a[0]);
      const subsidy = sql.raw(
        `CASE ${bands.map(([from, amount]) => `WHEN tier >= ${from * 100} THEN ${amount * 100}`).join(' ')} ELSE 0 END`,
      );
      const hardship = tiers.hardshipGroups.map((g) => `'${g.replace(/'/g, '')}'`).join(',');
      await sql`CREATE TEMP TABLE demo_resident ON COMMIT DROP AS
        SELECT x.person_id, x.year, x.tier, ${subsidy} AS subsidy,
          CASE WHEN x.hardship THEN ${lowest} ELSE 0 END AS gov
        FROM (
          SELECT n.person_id, y AS year, p.hardship_group IN (${sql.raw(hardship || "''")}) AS hardship,
            CASE WHEN p.hardship_group IN (${sql.raw(hardship || "''")}) THEN ${lowest} ELSE (${arr(t, 'bigint')})[1 + (n.person_id + y) % 4 + (n.person_id % 7 = 0)::int * 4] END AS tier
          FROM enrolment n JOIN person p ON p.id = n.person_id,
            generate_series(greatest(extract(year FROM n.start_date)::int, ${Number(DEMO_HISTORY_FROM.slice(0, 4))}),
                            least(extract(year FROM coalesce(n.end_date, ${opts.asOf}::date))::int, ${Number(last.slice(0, 4))})) AS y
          WHERE n.scheme = 'resident_pension' AND n.region = ${region} AND (p.birth_date > make_date(y - 60, 12, 31))
            -- the current year is paid by its end: three residents in ten have not chosen their tier yet
            AND (y < ${Number(last.slice(0, 4))} OR n.person_id % 10 >= 3)
        ) x`.execute(tx);
      await sql`INSERT INTO contribution_bill (assessment_id, region, period, payer_kind, employer_id, person_id, due_date, lines, pension_employee_fen,
            personal_account_fen, subsidy_fen, total_fen, status, paid_date)
          SELECT NULL, ${region}, year || '-01', 'resident', NULL, person_id, make_date(year, 12, 31), 1, tier - gov, tier + subsidy, subsidy + gov, tier - gov,
            'paid', make_date(year, 6, 30)
          FROM demo_resident`.execute(tx);
      await sql`INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen, personal_account_fen,
            unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
          SELECT b.id, b.person_id, b.period, r.tier, 0, b.pension_employee_fen, b.personal_account_fen, 0, 0, 0, 0
          FROM contribution_bill b JOIN demo_resident r ON r.person_id = b.person_id AND b.period = r.year || '-01'
          WHERE b.payer_kind = 'resident' AND b.region = ${region}`.execute(tx);
      await sql`INSERT INTO resident_tier_choice (person_id, year, region, tier_fen, subsidy_fen, government_paid_fen, bill_id, created_by)
          SELECT r.person_id, r.year, ${region}, r.tier, r.subsidy, r.gov, b.id, 'demo-history'
          FROM demo_resident r JOIN contribution_bill b ON b.person_id = r.person_id AND b.period = r.year || '-01' AND b.payer_kind = 'resident'`.execute(
        tx,
      );
    });
    // Payments on the due date for the paid bills (no late fee).
    await timed('payments', () =>
      sql`INSERT INTO contribution_payment (region, bill_id, employer_id, person_id, amount_fen, contribution_fen, paid_date, bank_ref, source, status, created_by)
          SELECT region, id, employer_id, person_id, total_fen, total_fen, paid_date, 'DEMO' || id, 'demo', 'matched', 'demo-history'
          FROM contribution_bill WHERE region = ${region} AND status = 'paid' AND total_fen > 0`.execute(tx),
    );
    const counts = await sql<{
      bills: number;
      lines: number;
      residents: number;
    }>`SELECT (SELECT count(*) FROM contribution_bill WHERE region = ${region})::bigint AS bills,
        (SELECT count(*) FROM contribution_bill_line)::bigint AS lines, (SELECT count(*) FROM resident_tier_choice WHERE region = ${region})::bigint AS residents`.execute(
      tx,
    );
    report.bills = Number(counts.rows[0]?.bills ?? 0);
    report.lines = Number(counts.rows[0]?.lines ?? 0);
    report.residentYears = Number(counts.rows[0]?.residents ?? 0);
    // The journal: the month's totals per fund.
    await timed('journal', async () => {
      const totals = await sql<{
        fund: Fund;
        period: string;
        assessed: number;
        paid: number;
        pa: number;
        subsidy: number;
      }>`
        SELECT f.fund, b.period, sum(f.amount)::bigint AS assessed, sum(CASE WHEN b.status = 'paid' THEN f.amount ELSE 0 END)::bigint AS paid,
          sum(CASE WHEN b.status = 'paid' AND f.pension THEN b.personal_account_fen ELSE 0 END)::bigint AS pa,
          sum(CASE WHEN f.pension THEN b.subsidy_fen ELSE 0 END)::bigint AS subsidy
        FROM contribution_bill b CROSS JOIN LATERAL (VALUES
          (CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END, b.pension_employer_fen + b.pension_employee_fen, true),
          ('unemployment', b.unemployment_employer_fen + b.unemployment_employee_fen, false), ('injury', b.injury_fen, false)) AS f(fund, amount, pension)
        WHERE b.region = ${region}
        GROUP BY f.fund, b.period ORDER BY b.period, f.fund`.execute(tx);
      for (const t of totals.rows) {
        const assessed = Number(t.assessed);
        const paid = Number(t.paid);
        const pa = Number(t.pa);
        const subsidy = Number(t.subsidy);
        const endOfPeriod = `${t.period}-28`;
        if (assessed + subsidy > 0) {
          await postEntry(tx, actor, {
            fund: t.fund,
            region,
            period: t.period,
            entryDate: endOfPeriod,
            kind: 'contribution.assessment',
            description: `${t.period} 社会保险费核定（演示历史）/ demo history assessment`,
            idempotencyKey: `demo:assessment:${region}:${t.period}:${t.fund}`,
            source: { type: 'demo-history', id: t.period },
            lines: [
              { account: ACCOUNTS.contributionsReceivable, debitFen: assessed },
              { account: ACCOUNTS.subsidiesReceivable, debitFen: subsidy },
              { account: ACCOUNTS.contributionIncome, creditFen: assessed },
              { account: ACCOUNTS.subsidyIncome, creditFen: subsidy },
            ],
          });
        }
        if (paid + pa > 0) {
          await postEntry(tx, actor, {
            fund: t.fund,
            region,
            period: t.period,
            entryDate: endOfPeriod,
            kind: 'contribution.payment',
            description: `${t.period} 缴费到账（演示历史）/ demo history payments`,
            idempotencyKey: `demo:payment:${region}:${t.period}:${t.fund}`,
            source: { type: 'demo-history', id: t.period },
            lines: [
              { account: ACCOUNTS.bank, debitFen: paid },
              { account: ACCOUNTS.contributionsReceivable, creditFen: paid },
              { account: ACCOUNTS.pooledFund, debitFen: pa },
              { account: ACCOUNTS.personalAccountFund, creditFen: pa },
            ],
          });
        }
      }
    });
  });
  // Year-end interest for every finished year with a national rate.
  await timed('interest', async () => {
    for (let y = Number(DEMO_HISTORY_FROM.slice(0, 4)); `${y}-12` <= last; y++) {
      try {
        await runAccountInterest(db, params, actor, { year: y, region });
        report.interestYears.push(y);
      } catch (e) {
        if (!isSbError(e) || e.code !== 'SB_ERR_RULE_NOT_IN_FORCE') throw e;
      }
    }
  });
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}
