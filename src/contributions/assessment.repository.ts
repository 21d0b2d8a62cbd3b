// Set-based assessment: the rates are resolved once per (region, period, kind, industry class) with
// the pure `contribution` rule, then applied to every declaration in SQL with explicit half-up
// rounding (round(numeric) rounds half away from zero; every amount here is ≥ 0). A bill's amounts
// are the sums of its lines' rounded parts.
import { sql } from 'kysely';
import { periodEnd, periodStart, type Period } from '../core/dates.ts';
import { applyPercent, Dec } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { resolveContributionRates, type ContributionKind } from './contribution.rules.ts';

/** One row of the rate table the SQL joins on. `cls` 0 stands for flexible workers. */
export interface RateRow {
  kind: ContributionKind;
  cls: number;
  averageWageFen: number;
  floorFen: number;
  ceilingFen: number;
  pensionEmployerPct: number;
  pensionEmployeePct: number;
  personalAccountPct: number;
  unemploymentEmployerPct: number;
  unemploymentEmployeePct: number;
  injuryBp: number;
  injuryCutPct: number;
  /** statutory unemployment rates, to show what the phased cut waives */
  statUnemploymentEmployerPct: number;
  statUnemploymentEmployeePct: number;
}

export function rateTable(params: ParamStore, region: string, period: Period): RateRow[] {
  const date = periodStart(period);
  const rows: RateRow[] = [];
  const statEmployer = params.get<number>('contributions/unemployment-employer-rate', region, date);
  const statEmployee = params.get<number>('contributions/unemployment-employee-rate', region, date);
  const make = (kind: ContributionKind, cls: number): RateRow => {
    const r = resolveContributionRates(params, {
      region,
      period,
      kind,
      industryClass: cls === 0 ? undefined : cls,
    });
    return {
      kind,
      cls,
      averageWageFen: r.averageWageFen,
      floorFen: applyPercent(r.averageWageFen, r.floorPercent),
      ceilingFen: applyPercent(r.averageWageFen, r.ceilingPercent),
      pensionEmployerPct: r.pensionEmployerPercent,
      pensionEmployeePct: r.pensionEmployeePercent,
      personalAccountPct: r.personalAccountPercent,
      unemploymentEmployerPct: r.unemploymentEmployerPercent,
      unemploymentEmployeePct: r.unemploymentEmployeePercent,
      injuryBp: r.injuryRateBp,
      injuryCutPct: r.injuryCutPercent,
      statUnemploymentEmployerPct: kind === 'flexible' ? 0 : statEmployer,
      statUnemploymentEmployeePct: kind === 'flexible' ? 0 : statEmployee,
    };
  };
  for (let cls = 1; cls <= 8; cls++) rows.push(make('employee', cls));
  rows.push(make('flexible', 0));
  return rows;
}

const num = (xs: number[]) => sql`${`{${xs.join(',')}}`}::numeric[]`;
const ints = (xs: (number | string)[]) => sql`${`{${xs.join(',')}}`}::bigint[]`;

/** Whether every rate is a whole number of millionths (always so for the published rates). */
function exactRates(rows: RateRow[]): boolean {
  const ppm = (p: number): boolean => new Dec(p).mul(10000).isInteger();
  return rows.every(
    (r) =>
      [
        r.pensionEmployerPct,
        r.pensionEmployeePct,
        r.personalAccountPct,
        r.unemploymentEmployerPct,
        r.unemploymentEmployeePct,
        r.statUnemploymentEmployerPct,
        r.statUnemploymentEmployeePct,
      ].every(ppm) &&
      Number.isInteger(r.injuryBp) &&
      Number.isInteger(r.injuryCutPct),
  );
}

/**
 * The rate table as a derived table `r` of constants. Exact rates arrive as bigint millionths worked
 * out here, so no per-line numeric is computed or carried: the planner pulls this subquery up into
 * the join, and an expression in it (a `round(pe * 10000)` before, issue #18) was evaluated again
 * for every line.
 */
function ratesSql(rows: RateRow[], exact: boolean) {
  const col = <K extends keyof RateRow>(k: K) => rows.map((r) => r[k]) as number[];
  const rate = (k: keyof RateRow) =>
    exact ? ints(col(k).map((p) => new Dec(p).mul(10000).toFixed(0))) : num(col(k));
  return sql`SELECT * FROM unnest(
      ${`{${rows.map((r) => r.kind).join(',')}}`}::text[], ${`{${col('cls').join(',')}}`}::int[],
      ${ints(col('averageWageFen'))}, ${ints(col('floorFen'))}, ${ints(col('ceilingFen'))},
      ${rate('pensionEmployerPct')}, ${rate('pensionEmployeePct')}, ${rate('personalAccountPct')},
      ${rate('unemploymentEmployerPct')}, ${rate('unemploymentEmployeePct')},
      ${exact ? ints(col('injuryBp')) : num(col('injuryBp'))}, ${exact ? ints(col('injuryCutPct')) : num(col('injuryCutPct'))},
      ${rate('statUnemploymentEmployerPct')}, ${rate('statUnemploymentEmployeePct')}
    ) AS u(kind, cls, avg, floor_fen, ceiling_fen, pe, pee, pa, ue, uee, ibp, icut, sue, suee)`;
}

/**
 * The computed lines of the declarations not yet on a live bill, as a derived table `c` with
 * payer_key (employer id, or −person id for a flexible worker). `fresh`: nothing of this region and
 * period has been billed yet, so the anti-join is skipped. Only the columns the bills and lines use
 * are carried (the statement materializes a row per line).
 */
function linesSql(region: string, period: Period, rows: RateRow[], fresh: boolean, personId?: number) {
  const pending = fresh
    ? sql``
    : sql`AND NOT EXISTS (SELECT 1 FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
          WHERE l.person_id = d.person_id AND l.period = d.period AND b.status <> 'cancelled'
            AND b.region = d.region AND coalesce(b.employer_id, 0) = coalesce(d.employer_id, 0))`;
  // Integer arithmetic when every rate is a whole number of millionths: half-up is
  // (base × ppm + 500,000) div 1,000,000 for amounts ≥ 0, the same as round() on numeric and several
  // times faster. Otherwise numeric with round().
  const exact = exactRates(rows);
  const pct = (col: string) =>
    exact ? sql.raw(`((x.base * x.${col} + 500000) / 1000000)`) : sql.raw(`round(x.base * x.${col} / 100)`);
  const injury = exact
    ? sql.raw('((x.base * x.ibp * (100 - x.icut) + 500000) / 1000000)')
    : sql.raw('round(x.base * x.ibp * (100 - x.icut) / 1000000)');
  const injuryFull = exact
    ? sql.raw('((x.base * x.ibp + 5000) / 10000)')
    : sql.raw('round(x.base * x.ibp / 10000)');
  const only = personId === undefined ? sql`` : sql`AND d.kind = 'flexible' AND d.person_id = ${personId}`;
  // Employees through their employer's rate row (the employers joined to the nine rates first, then
  // each employer's declarations by its index, in employer order), everyone else by kind and class 0
  // as before — the same pairing of declaration and rate row as one join of all three: an employee
  // declaration without an employer, or whose employer has no class, matches no rate row either way.
  // Issue #18, seventh pass: a quarter less backend CPU than one pass over the declarations hashed
  // against the employers and the rates, and the lines come grouped by payer (docs/performance.md).
  return sql`WITH rates AS (${ratesSql(rows, exact)})
      SELECT x.kind, x.employer_id, x.person_id, x.payer_key, x.base, x.avg,
        ${pct('pe')} AS pension_employer,
        ${pct('pee')} AS pension_employee,
        ${pct('pa')} AS personal_account,
        ${pct('ue')} AS unemployment_employer,
        ${pct('uee')} AS unemployment_employee,
        ${injury} AS injury,
        ${pct('sue')} + ${pct('suee')} - ${pct('ue')} - ${pct('uee')} + ${injuryFull} - ${injury} AS waived
      FROM (
        SELECT d.kind, d.employer_id, d.person_id, d.employer_id AS payer_key,
               least(greatest(d.wage_fen, r.floor_fen), r.ceiling_fen) AS base,
               r.avg, r.pe, r.pee, r.pa, r.ue, r.uee, r.ibp, r.icut, r.sue, r.suee
        FROM (SELECT e.id, r.* FROM employer e JOIN rates r ON r.kind = 'employee' AND r.cls = e.industry_class) r
        JOIN contribution_declaration d ON d.employer_id = r.id
        WHERE d.kind = 'employee' AND d.region = ${region} AND d.period = ${period} ${pending} ${only}
        UNION ALL
        SELECT d.kind, d.employer_id, d.person_id, coalesce(d.employer_id, -d.person_id) AS payer_key,
               least(greatest(d.wage_fen, r.floor_fen), r.ceiling_fen) AS base,
               r.avg, r.pe, r.pee, r.pa, r.ue, r.uee, r.ibp, r.icut, r.sue, r.suee
        FROM contribution_declaration d
        LEFT JOIN employer e ON e.id = d.employer_id
        JOIN rates r ON r.kind = d.kind AND r.cls = coalesce(e.industry_class, 0)
        WHERE d.kind <> 'employee' AND d.region = ${region} AND d.period = ${period} ${pending} ${only}
      ) x`;
}

export interface AssessmentSummary {
  assessmentId: number;
  region: string;
  period: Period;
  runNo: number;
  bills: number;
  lines: number;
  totalFen: number;
  waivedFen: number;
  backPayment: boolean;
  byFund: { employee_pension: number; unemployment: number; injury: number };
}

/** One assessment of a region and period at a time: the assessment and the declarations of that period take this lock. */
export async function lockAssessmentPeriod(tx: Db, region: string, period: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(726354100, hashtext(${`${region}:${period}`}))`.execute(tx);
}

/** Writes the bills and lines of one assessment run (inside the caller's transaction). */
export async function assessPeriod(
  tx: Db,
  params: ParamStore,
  opts: {
    region: string;
    period: Period;
    today: string;
    createdBy: string;
    /** only this flexible worker's declaration (billed as soon as it is made) */
    personId?: number;
  },
): Promise<AssessmentSummary> {
  const { region, period } = opts;
  // One assessment of a region and period at a time; declarations of it wait for the commit.
  await lockAssessmentPeriod(tx, region, period);
  // Aggregate and join a million lines in memory rather than in temporary files (the default is 4 MB).
  await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
  const prev = await sql<{
    n: number;
  }>`SELECT coalesce(max(run_no), 0)::bigint AS n FROM contribution_assessment WHERE region = ${region} AND period = ${period}`.execute(
    tx,
  );
  const runNo = Number(prev.rows[0]?.n ?? 0) + 1;
  const rows = rateTable(params, region, period);
  const a = await tx
    .insertInto('contribution_assessment')
    .values({ region, period, run_no: runNo, created_by: opts.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  const due = periodEnd(period);
  const back = due < opts.today;
  const c = linesSql(region, period, rows, runNo === 1 && opts.personId === undefined, opts.personId);
  // One pass over the declarations: the lines are computed once (c), the bills are their sums per
  // payer, the lines take their bill's id from the bills' RETURNING (not from a scan of every bill of
  // the table) in the declarations' order, and the hall's events and the totals come from the same
  // rows. Before (issue #18) c was computed twice, the lines joined a scan of contribution_bill, and
  // the outbox and the totals read the new bills back. No sort of the lines into bill order: it cost
  // more than the primary key's inserts at its right edge saved (seventh pass). Instead the bills take
  // their ids in payer order, the order the lines arrive in (per employer), so the primary key
  // (bill_id, person_id) still grows at its right edge for a sort of 40,000 bills instead of a million
  // lines: a third smaller key, 5 % less WAL (eighth pass, docs/performance.md).
  // The lines join their bills by hashing the bills (a row per payer) and streaming c past them. The
  // planner underestimates c (the rates' filter on a CTE: ~1/9 of its rows) and chose a merge join
  // that sorted every line by payer — the lines held in memory a second time, beside c (nineteenth
  // pass: about a tenth of the statement's backend CPU at 1,000,000). Off for this statement only.
  // The estimate is left alone on purpose: with each branch reading its own rates (no filter, the
  // right estimate) the planner reads the declarations in one sequential scan and still sorts the
  // lines for a merge join (+5–39 % backend CPU); hashed in that scan's order each line lands in the
  // middle of the key (+36–160 %); forced per employer it takes a bitmap scan each (+19–106 %). The
  // underestimate keeps the plain index scan per employer that delivers the lines in key order
  // (twentieth pass, docs/performance.md).
  const mergeJoin = await sql<{ prev: string }>`SELECT current_setting('enable_mergejoin') AS prev,
    set_config('enable_mergejoin', 'off', true)`.execute(tx);
  const t = await sql<{
    bills: number;
    lines: number;
    total: number;
    waived: number;
    pension: number;
    unemployment: number;
    injury: number;
  }>`
    WITH c AS MATERIALIZED (${c}), bills AS (
      INSERT INTO contribution_bill (assessment_id, region, period, payer_kind, employer_id, person_id, back_payment, due_date,
        average_wage_fen, lines, pension_employer_fen, pension_employee_fen, personal_account_fen, unemployment_employer_fen,
        unemployment_employee_fen, injury_fen, waived_fen, total_fen)
      SELECT ${a.id}, ${region}, ${period}, CASE WHEN c.kind = 'employee' THEN 'employer' ELSE 'flexible' END,
        max(c.employer_id), CASE WHEN c.kind = 'flexible' THEN max(c.person_id) END, ${back}, ${due}::date, max(c.avg)::bigint, count(*),
        sum(c.pension_employer)::bigint, sum(c.pension_employee)::bigint, sum(c.personal_account)::bigint,
        sum(c.unemployment_employer)::bigint, sum(c.unemployment_employee)::bigint, sum(c.injury)::bigint, sum(c.waived)::bigint,
        sum(c.pension_employer + c.pension_employee + c.unemployment_employer + c.unemployment_employee + c.injury)::bigint
      FROM c GROUP BY c.kind, c.payer_key ORDER BY c.payer_key
      RETURNING id, coalesce(employer_id, -person_id) AS payer_key, employer_id, person_id, region, period, due_date, back_payment,
        lines, total_fen, waived_fen, pension_employer_fen, pension_employee_fen, unemployment_employer_fen,
        unemployment_employee_fen, injury_fen
    ), ins AS (
      INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen,
        personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
      SELECT b.id, c.person_id, ${period}, c.base, c.pension_employer, c.pension_employee, c.personal_account,
        c.unemployment_employer, c.unemployment_employee, c.injury, c.waived
      FROM c JOIN bills b ON b.payer_key = c.payer_key
    ), told AS (
      -- The online hall tells each payer of a new bill (one outbox event per bill, back payments excepted).
      INSERT INTO outbox (topic, payload)
      SELECT 'bill.created', jsonb_build_object('billId', id, 'employerId', employer_id, 'personId', person_id, 'region', region,
        'period', period, 'amountFen', total_fen, 'dueDate', due_date)
      FROM bills WHERE NOT back_payment ORDER BY id
    )
    SELECT count(*)::bigint AS bills, coalesce(sum(lines), 0)::bigint AS lines, coalesce(sum(total_fen), 0)::bigint AS total,
      coalesce(sum(waived_fen), 0)::bigint AS waived,
      coalesce(sum(pension_employer_fen + pension_employee_fen), 0)::bigint AS pension,
      coalesce(sum(unemployment_employer_fen + unemployment_employee_fen), 0)::bigint AS unemployment,
      coalesce(sum(injury_fen), 0)::bigint AS injury
    FROM bills`.execute(tx);
  await sql`SELECT set_config('enable_mergejoin', ${mergeJoin.rows[0]?.prev ?? 'on'}, true)`.execute(tx);
  const s = t.rows[0];
  const summary: AssessmentSummary = {
    assessmentId: a.id,
    region,
    period,
    runNo,
    bills: Number(s?.bills ?? 0),
    lines: Number(s?.lines ?? 0),
    totalFen: Number(s?.total ?? 0),
    waivedFen: Number(s?.waived ?? 0),
    backPayment: back,
    byFund: {
      employee_pension: Number(s?.pension ?? 0),
      unemployment: Number(s?.unemployment ?? 0),
      injury: Number(s?.injury ?? 0),
    },
  };
  await tx
    .updateTable('contribution_assessment')
    .set({ bills: summary.bills, lines: summary.lines, total_fen: summary.totalFen })
    .where('id', '=', a.id)
    .execute();
  return summary;
}
