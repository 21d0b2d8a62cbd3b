// Benchmark of the monthly unemployment benefit payroll with N recipients (default 100,000), next to a
// COPY of the same number of payment rows into a table with unemployment_payment's shape and indexes,
// in the same run:
//   BENCH_DATABASE_URL=postgres://…/fresh_db node --import tsx bench/unemployment-payroll.bench.ts [N] [pglite|postgresql|both]
// PostgreSQL: BENCH_DATABASE_URL must name a fresh, empty database on this machine (the COPY baseline
// reads a server-side CSV file). PGlite: a temporary data folder. Every run also has a few thousand
// re-employed recipients (a new employment after the separation), so the set-based stop is measured too.
// A benchmark, not a test: it prints sizes, times and ratios and never fails on timing.
//
// Measured 2026-12-01 on the shared 2-core box (other helpers' jobs running; ±30% noise), N = 100,000,
// PostgreSQL 15 default settings and PGlite on disk:
//   PostgreSQL: payroll 2026-11 (100,000 payments, 2,000 re-employed stopped from December) 3.5 s vs COPY
//     1.5 s → 2.40×; payroll 2026-12 (98,000) 3.6 s → 2.47×; rerun of a finished month 0.02 s; RSS 188 MB.
//   PGlite: 7.4 s vs COPY 3.1 s → 2.37×; 2026-12 6.7 s → 2.15×; rerun 0.05 s; RSS 894 MB.
// Before dropping the four foreign keys of unemployment_payment and probing the dead as a hashed set:
// PostgreSQL 3.05×, PGlite 5.6×. What is left per row: ON CONFLICT's speculative insertion, RETURNING
// for the ledger totals, and the re-employment match (~0.25 s per 50,000-claim chunk on PostgreSQL).
import { sql } from 'kysely';
import {
  copyCsvBaseline,
  copyRunsText,
  runInProcess,
  settle,
  timed,
  type CopyBaseline,
} from './bench-support.ts';
import type { AppContext } from '../src/app-context.ts';
import { systemActor } from '../src/auth/actor.ts';
import { fixToday } from '../src/core/clock.ts';
import { makeCreditCode } from '../src/core/ids.ts';
import { runBenefitPayroll } from '../src/unemployment/benefit-payroll.job.ts';
import { seedApprovedClaims } from '../src/testing/unemployment-fixtures.ts';

const N = Number(process.argv[2] ?? 100_000);
const which = process.argv[3] ?? 'both';
const REGION = '341800';
const actor = systemActor('bench');

function copyBaseline(
  ctx: AppContext,
  n: number,
  firstPerson: number,
  firstClaim: number,
): Promise<CopyBaseline> {
  const parts: string[] = [];
  for (let i = 0; i < n; i++)
    parts.push(
      `${firstPerson + i},${firstClaim + i},${REGION},2026-11,148500,11880,1,${Math.ceil((i + 1) / 50000)}\n`,
    );
  const cols = 'person_id, claim_id, region, period, amount_fen, medical_fen, run_id, chunk_no';
  return copyCsvBaseline(ctx, 'unemployment_payment', cols, parts.join(''));
}

async function bench(kind: 'pglite' | 'postgresql', ctx: AppContext, peak: () => string): Promise<void> {
  try {
    const existing = await ctx.db
      .selectFrom('unemployment_claim')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    if (Number(existing?.n ?? 0) > 0) throw new Error('the benchmark needs a fresh database');
    fixToday('2026-12-15');
    const employer = await ctx.db
      .insertInto('employer')
      .values({
        credit_code: makeCreditCode(REGION, 8_800_001),
        name: '基准测试单位',
        region: REGION,
        industry_class: 1,
        size: 'large',
        address: null,
        contact_phone: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const [, seedS] = await timed(() =>
      seedApprovedClaims(ctx.db, {
        count: N,
        region: REGION,
        employerId: employer.id,
        firstPeriod: '2026-10',
        maxMonths: 12,
      }),
    );
    // Every 50th recipient found a job on 2026-11-10: the November run stops them from December (November,
    // the event month, is still paid).
    await sql`INSERT INTO employment (person_id, employer_id, start_date, monthly_wage_fen)
      SELECT person_id, ${employer.id}, '2026-11-10', 500000 FROM unemployment_claim WHERE id % 50 = 0`.execute(
      ctx.db,
    );
    await settle(ctx, 'payroll 2026-11', {
      vacuum: [
        'employer',
        'person',
        'employment',
        'unemployment_claim',
        'contribution_bill',
        'contribution_bill_line',
      ],
    });
    const first = await sql<{
      p: unknown;
      c: unknown;
    }>`SELECT min(person_id) AS p, min(id) AS c FROM unemployment_claim`.execute(ctx.db);
    console.log(
      `${kind}: seeded ${N.toLocaleString('en')} recipients (persons, employments, approved claims) in ${seedS.toFixed(1)} s`,
    );

    const [nov, novS] = await timed(() =>
      runBenefitPayroll(ctx, actor, { period: '2026-11', region: REGION }),
    );
    const copy = await copyBaseline(ctx, nov.payments, Number(first.rows[0]?.p), Number(first.rows[0]?.c));
    console.log(
      `${kind}: payroll 2026-11  ${nov.payments.toLocaleString('en')} payments (+ ${nov.stopped} stopped) in ${novS.toFixed(1)} s (${Math.round(nov.payments / novS).toLocaleString('en')}/s); COPY of the same rows into unemployment_payment's shape: ${copyRunsText(copy)}; ratio ${(novS / copy.seconds).toFixed(2)}×`,
    );
    await settle(ctx, 'payroll 2026-12');
    const [dec, decS] = await timed(() =>
      runBenefitPayroll(ctx, actor, { period: '2026-12', region: REGION }),
    );
    console.log(
      `${kind}: payroll 2026-12  ${dec.payments.toLocaleString('en')} payments, ${dec.stopped.toLocaleString('en')} re-employed stopped in the same run, in ${decS.toFixed(1)} s; ratio to the COPY ${(decS / copy.seconds).toFixed(2)}×`,
    );
    await settle(ctx, 'the rerun');
    const [again, rerunS] = await timed(() =>
      runBenefitPayroll(ctx, actor, { period: '2026-12', region: REGION }),
    );
    console.log(
      `${kind}: rerun of 2026-12 (done): ${rerunS.toFixed(2)} s, payments still ${again.payments.toLocaleString('en')}`,
    );
    console.log(`${kind}: peak RSS of this process ${peak()}`);
  } finally {
    fixToday(null);
  }
}

await runInProcess(which, bench);
