// Benchmark of the pension payroll and the annual adjustment with N pensioners (default 1,000,000),
// each next to a COPY of the same number of rows into a table with the same indexes, in the same run:
//   BENCH_DATABASE_URL=postgres://…/fresh_db node --import tsx bench/payroll.bench.ts [N] [pglite|postgresql|both]
// PostgreSQL: BENCH_DATABASE_URL must name a fresh, empty database (the COPY baseline reads a CSV
// file server-side, so the server must run on this machine and the user must be allowed to).
// PGlite: a temporary data folder. Peak RSS is sampled every 100 ms (PGlite runs in this process).
// A benchmark, not a test: it prints sizes, times and ratios and never fails on timing.
//
// Measured 2026-11-29 on the shared 2-core box (other engineers' jobs running; ±30% noise), N = 1,000,000,
// PostgreSQL 15 with default settings, PGlite 0.5 on disk, after commit 91ccd6e:
//   PostgreSQL: payroll 25.9 s (38,700 payments/s) vs COPY 3.5 s → 7.4×; adjustment (1M amounts +
//     1M arrears + 1M award updates) 97.5 s vs COPY of 1M amount rows 16.8 s → 5.8×; next payroll with
//     1M regular + 1M arrears payments 146 s; rerun of a finished period 0.02 s; peak RSS 749 MB.
//   PGlite: payroll 90.3 s vs COPY 19.8 s → 4.6×; adjustment 418 s vs COPY 77.3 s → 5.4×.
//     The next payroll (1M regular + 1M arrears) had not finished after 11 minutes and was stopped
//     (RSS 923 MB then): the arrears-marking UPDATE is the suspect; open work.
//   Before the range-scan rewrite (c1b73d2): PostgreSQL payroll 36.6 s (8.9×), adjustment 156 s (9.7×).
// Not yet at the 2× aim: per-row costs left are the foreign-key check on pension_payment.award_id
// (~10%), the INSERT … SELECT executor itself, and for the arrears payroll the UPDATE that marks
// arrears paid (see the report of issue 5).
import type { AppContext } from '../src/app-context.ts';
import { sql } from 'kysely';
import { systemActor } from '../src/auth/actor.ts';
import { fixToday } from '../src/core/clock.ts';
import { runAdjustment } from '../src/pension/adjustment.job.ts';
import { seedPensioners } from '../src/testing/pension-fixtures.ts';
import { runPayroll } from '../src/pension/payroll.job.ts';
import { copyCsvBaseline, runInProcess, timed } from './bench-support.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const which = process.argv[3] ?? 'both';
const REGION = '370000'; // Shandong: its 2021 adjustment rule is encoded
const actor = systemActor('bench');

/** COPY of N rows shaped like the job's output into a copy of the table with the same indexes. */
function copyBaseline(
  ctx: AppContext,
  table: 'pension_payment' | 'pension_amount',
  csv: string,
): Promise<number> {
  const cols =
    table === 'pension_payment'
      ? 'award_id, period, kind, amount_fen, payroll_run_id, chunk_no'
      : 'id, award_id, effective_period, monthly_fen, previous_fen, components, reason, adjustment_year, created_by';
  return copyCsvBaseline(ctx, table, cols, csv);
}

function paymentCsv(n: number): string {
  const parts: string[] = [];
  for (let i = 1; i <= n; i++)
    parts.push(`${i},2021-05,regular,${200000 + ((i * 7919) % 400000)},1,${Math.ceil(i / 50000)}\n`);
  return parts.join('');
}

function amountCsv(n: number): string {
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    const before = 200000 + ((i * 7919) % 400000);
    parts.push(
      `${i},${i},2021-01,${before + 9000},${before},"[{""kind"": ""fixed"", ""amountFen"": 6500}, {""kind"": ""perYearBanded"", ""amountFen"": 2500}]",adjustment,2021,bench\n`,
    );
  }
  return parts.join('');
}

async function bench(kind: 'pglite' | 'postgresql', ctx: AppContext, peak: () => string): Promise<void> {
  try {
    const existing = await ctx.db
      .selectFrom('pension_award')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    if (Number(existing?.n ?? 0) > 0) throw new Error('the benchmark needs a fresh database');
    fixToday('2021-05-20');
    const [, seedS] = await timed(async () => {
      for (let off = 0; off < N; off += 250_000)
        await seedPensioners(ctx.db, {
          count: Math.min(250_000, N - off),
          region: REGION,
          startPeriod: '2020-07',
          retirementDate: '2020-06-15',
          offset: off,
        });
    });
    await sql`ANALYZE`.execute(ctx.db);
    console.log(
      `${kind}: seeded ${N.toLocaleString('en')} pensioners (persons, awards, amounts) in ${seedS.toFixed(1)} s`,
    );

    // Payroll of a month with nothing paid before (every payment is new), then the adjustment with
    // one paid month behind it (arrears for every person), then the next payroll (regular + arrears).
    const [p1, payS] = await timed(() => runPayroll(ctx.db, actor, { period: '2021-04', region: REGION }));
    const copyPay = await copyBaseline(ctx, 'pension_payment', paymentCsv(p1.payments));
    console.log(
      `${kind}: payroll 2021-04  ${p1.payments.toLocaleString('en')} payments in ${payS.toFixed(1)} s (${Math.round(p1.payments / payS).toLocaleString('en')}/s); COPY of the same rows into pension_payment's shape: ${copyPay.toFixed(1)} s; ratio ${(payS / copyPay).toFixed(2)}×`,
    );

    const [adj, adjS] = await timed(() => runAdjustment(ctx, actor, { region: REGION, year: 2021 }));
    const copyAmt = await copyBaseline(ctx, 'pension_amount', amountCsv(adj.adjusted));
    console.log(
      `${kind}: adjustment 2021  ${adj.adjusted.toLocaleString('en')} new amounts + ${adj.arrearsQueued.toLocaleString('en')} arrears in ${adjS.toFixed(1)} s; COPY of the same number of amount rows into pension_amount's shape: ${copyAmt.toFixed(1)} s; ratio ${(adjS / copyAmt).toFixed(2)}×`,
    );

    const [p2, pay2S] = await timed(() => runPayroll(ctx.db, actor, { period: '2021-05', region: REGION }));
    console.log(
      `${kind}: payroll 2021-05  ${p2.payments.toLocaleString('en')} payments (regular + arrears, arrears marked paid) in ${pay2S.toFixed(1)} s; ratio to the COPY of ${p1.payments.toLocaleString('en')} rows ${(pay2S / copyPay).toFixed(2)}×`,
    );
    const [again, rerunS] = await timed(() =>
      runPayroll(ctx.db, actor, { period: '2021-05', region: REGION }),
    );
    console.log(
      `${kind}: rerun of 2021-05 (done): ${rerunS.toFixed(2)} s, payments still ${again.payments.toLocaleString('en')}`,
    );
    console.log(`${kind}: peak RSS of this process ${peak()}`);
  } finally {
    fixToday(null);
  }
}

await runInProcess(which, bench);
