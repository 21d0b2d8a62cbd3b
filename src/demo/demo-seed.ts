// The whole demo build, in order, for `npm start` on an empty database and `shebao seed`:
// the city (persons, employers, jobs, enrolments, six logins), its contribution history since
// 2015-10, the work histories before it (deemed years, archives, gaps), pensions for the city's
// retirees and elderly residents, the last months' payroll (so pensioners have payments), and the
// logins for every other kind of user. This year's certification campaign is left to the clerk (a
// journey creates it); until they certify, pensioners show as not yet certified.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';
import { onDay } from '../core/clock.ts';
import { addPeriods, periodOf, type IsoDate } from '../core/dates.ts';
import { runPayroll } from '../pension/payroll.job.ts';
import { seedDemoCity, type SeedReport } from './demo-city.ts';
import { CITY_CODE } from './demo-data.ts';
import { generateDemoHistory, type DemoHistoryReport } from './demo-history.job.ts';
import { addDemoLogins } from './demo-logins.ts';
import { awardDemoPensions, awardDemoResidentPensions } from './demo-pensions.job.ts';
import { recordDemoPriorService } from './demo-prior-service.job.ts';
import { issueDemoCards } from './demo-cards.job.ts';
import { payDemoBenefits, seedDemoUnemployment } from './demo-unemployment.job.ts';
import { seedDemoRefunds } from './demo-refunds.job.ts';
import { seedDemoInjuries } from './demo-injury.job.ts';
import { seedDemoHospitals, type DemoHospitalReport } from './demo-hospital.job.ts';
import { plantSupervisionCases } from '../supervision/detector.plant.ts';
import { seedDemoSupervision, type DemoSupervisionReport } from './demo-supervision.job.ts';
import { seedDemoHall, type DemoHallReport } from './demo-hall.job.ts';
import { pickDemoRetiree, seedDemoRetirements, type DemoRetirementReport } from './demo-retirement.job.ts';
import { SimulationService } from '../simulation/simulation.service.ts';
import { seedDemoHeldReceipts } from './demo-receipts.job.ts';

export interface DemoBuildOptions {
  seed: number;
  persons: number;
  employers: number;
  asOf: IsoDate;
  onProgress?: (done: number, total: number, stage: string) => void;
  /**
   * Months of payroll paid before asOf's month (default 12): pensioners have payments, and the funds
   * page's twelve months and the payroll page's history show a year of them (3 left January to
   * August of the pension fund empty).
   */
  payrollMonths?: number;
}

export interface DemoBuildReport {
  city: SeedReport;
  history: DemoHistoryReport;
  priorService: Awaited<ReturnType<typeof recordDemoPriorService>>;
  pensions: Awaited<ReturnType<typeof awardDemoPensions>>;
  residentPensions: Awaited<ReturnType<typeof awardDemoResidentPensions>>;
  /** retirement cases of the last months: one approved (paid by the payroll), one in review */
  retirement: DemoRetirementReport;
  payroll: Array<{ period: string; payments: number }>;
  logins: string[];
  cards: number;
  unemployment: Awaited<ReturnType<typeof seedDemoUnemployment>>;
  /** the benefit payroll's past months (payDemoBenefits): payments per month */
  benefitPayroll: Array<{ period: string; payments: number }>;
  /** issue 12: last year's stable-employment refund scan and the certificate register */
  refunds: Awaited<ReturnType<typeof seedDemoRefunds>>;
  /** the bank receipts held as 暂收款 (payment ids): one short of its bill, one naming no bill */
  heldReceipts: Awaited<ReturnType<typeof seedDemoHeldReceipts>>;
  /** work-injury cases in every state, and the `injured` login (demo-injury.job.ts) */
  injuries: Awaited<ReturnType<typeof seedDemoInjuries>>;
  /** work-injury hospitals, the `hospital` login, bills and rehabilitation screening (after the injury demo) */
  hospital: DemoHospitalReport;
  /** the findings of the demo's supervision scans per detector, their months, the cases and the inspection */
  supervision: DemoSupervisionReport;
  /** the hall's applications of the last months besides the refunds (certificates, cards, changes, claims) */
  hall: DemoHallReport;
  /** the policy researcher's first baseline (simulation run id and its projected years) */
  simulation: { baselineId: number; years: number };
  seconds: number;
}

export async function buildDemo(ctx: AppContext, opts: DemoBuildOptions): Promise<DemoBuildReport> {
  const t0 = performance.now();
  // Every stage after the history reports itself, so a first start shows what it is doing.
  const stage = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    opts.onProgress?.(0, 1, name);
    const r = await run();
    opts.onProgress?.(1, 1, name);
    return r;
  };
  const city = await seedDemoCity(ctx.db, opts);
  // The city's retirees' pensions (from their jobs alone), then the person the retirement story will
  // retire: her history stops at her retirement, as her approval ends her employment then.
  const pensions = await stage('pensions', () => awardDemoPensions(ctx));
  const retiring = await stage('retirement applicant', () => pickDemoRetiree(ctx, opts.asOf));
  const history = await generateDemoHistory(ctx.db, ctx.params, {
    region: CITY_CODE,
    asOf: opts.asOf,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    retiring: retiring ? [retiring] : [],
  });
  const priorService = await stage('prior service', () =>
    recordDemoPriorService(ctx.db, { region: CITY_CODE }),
  );
  // The city was just written in bulk: without fresh statistics the planner picks nested scans for the
  // jobs below (the unemployment stage took over 10 minutes for 20,000 people without this).
  await stage('statistics', () => sql`ANALYZE`.execute(ctx.db));
  const residentPensions = await stage('resident pensions', () => awardDemoResidentPensions(ctx, opts.asOf));
  // Before the payroll, so the case approved months ago has its pension paid from the month after.
  const retirement = await stage('retirement cases', () => seedDemoRetirements(ctx, opts.asOf));
  const payroll: DemoBuildReport['payroll'] = [];
  const months = opts.payrollMonths ?? 12;
  for (let k = months; k >= 1; k--) {
    const period = addPeriods(periodOf(opts.asOf), -k);
    // Each month's run on the 10th of that month, as the agency ran it then: the run's stamps, its audit
    // entries and its ledger entries read that day, not the day the demo was built.
    const s = await stage(`payroll ${period}`, () =>
      onDay(
        `${period}-10`,
        () => runPayroll(ctx.db, systemActor('demo-seed'), { period, region: CITY_CODE }),
        '10:00',
      ),
    );
    payroll.push({ period, payments: s.payments });
  }
  const logins = (await stage('logins', () => addDemoLogins(ctx.db, opts.asOf))).users;
  // Unemployment: the `jobless` login and people already receiving benefits (before the cards, so jobless gets one).
  const unemployment = await stage('unemployment', () => seedDemoUnemployment(ctx, opts.asOf));
  if (unemployment.jobless) logins.push('jobless');
  // The hall's 办件 of the last months, each filed and handled on its own day (服务统计 and the clerk's
  // queue showed the refunds alone); before the refund scan, whose applications the hall takes in today.
  const hall = await stage('hall applications', () => seedDemoHall(ctx, opts.asOf));
  // The benefit payroll of the past months, each on its day: after the hall, whose claims it grants.
  const benefitPayroll = await stage('benefit payroll', () => payDemoBenefits(ctx, opts.asOf));
  // Social security cards for the demo citizens and a share of the population (after the logins).
  const cards = (await stage('cards', () => issueDemoCards(ctx.db, CITY_CODE))).cards;
  // Issue 12 (refunds branch): employers' bank accounts, last year's refund scan, the certificate register.
  const refunds = await stage('refunds', () => seedDemoRefunds(ctx, opts.asOf));
  // Two bank receipts that paid no bill, so the clerk's 暂收款清单 is not empty (after the history's bills).
  const heldReceipts = await stage('held receipts', () => seedDemoHeldReceipts(ctx, opts.asOf));
  // Work-injury cases and the `injured` login (a recognised grade-5 case), after the logins.
  const injuries = await stage('work injury', () => seedDemoInjuries(ctx, opts.asOf));
  // Work-injury hospitals and their bills: after the injury demo job (it bills its recognised cases).
  const hospital = await stage('hospitals', () => seedDemoHospitals(ctx, opts.asOf));
  // Fund supervision (issue 17): one planted case of each detector's pattern, new people only, and
  // the city scanned over the past months (the scheduled scan runs a day after the server starts, which
  // left the demo's risk dashboard empty), then cases, a decision for 复核 and an inspection.
  await stage('supervision cases', () =>
    plantSupervisionCases(ctx.db, { region: CITY_CODE, asOf: opts.asOf }),
  );
  const supervision = await stage('supervision scan', () => seedDemoSupervision(ctx, opts.asOf));
  // The policy researcher's page opens on a chart: one 30-year baseline of the city (a second).
  const simulation = await stage('policy baseline', () =>
    new SimulationService(ctx.db, ctx.params).run(systemActor('demo-seed'), { years: 30, region: CITY_CODE }),
  );
  return {
    city,
    history,
    priorService,
    pensions,
    residentPensions,
    retirement,
    payroll,
    logins,
    cards,
    unemployment,
    benefitPayroll,
    refunds,
    heldReceipts,
    injuries,
    hospital,
    supervision,
    hall,
    simulation: { baselineId: simulation.id, years: simulation.years.length },
    seconds: (performance.now() - t0) / 1000,
  };
}
