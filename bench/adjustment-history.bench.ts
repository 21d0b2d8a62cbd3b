// Where the annual adjustment's time goes with a year of payments behind it (issue #18, thirty-first pass).
// PostgreSQL only:
//   BENCH_DATABASE_URL=postgres://…/postgres node --import tsx bench/adjustment-history.bench.ts [N] [--history M] [--repeat R] [--template NAME] [--lever SQL] [--explain] [--payroll]
// N pensioners (default 200,000), M months paid before 2021-04 (default 12) and the payroll of 2021-04, as
// bench/payroll.bench.ts leaves them before its adjustment, in a template database (`--template NAME`
// reuses one kept by BENCH_KEEP=1, so that the code before and after a change runs on the same data).
// Then R times (default 2) the adjustment of 2021 on a fresh `CREATE DATABASE … TEMPLATE` copy, the
// payments' and amounts' indexes read into shared buffers first (pg_prewarm: every case starts alike),
// printing seconds, cluster CPU and the md5 of what it wrote (each new amount with its arrears, in
// award order: equal before and after a change). --explain: once more with auto_explain (ANALYZE,
// BUFFERS, TIMING) on the copy's sessions: the chunk statement's plan per node in the server log.
// --lever SQL: the rounds alternate, the even ones with SQL run on their copy first (an index dropped,
// say): a lever and the baseline in the same run, on the same data, in turn (thirty-second pass).
// --payroll (thirty-fourth pass): the template also holds that adjustment, and the rounds run the payroll
// of 2021-05 that pays its arrears instead, printing the md5 of the month's payments (monthDigest).
// A benchmark: it prints figures and never fails on timing. Figures: docs/performance.md.
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../src/app-context.ts';
import { systemActor } from '../src/auth/actor.ts';
import { fixToday } from '../src/core/clock.ts';
import { runAdjustment } from '../src/pension/adjustment.job.ts';
import { runPayroll } from '../src/pension/payroll.job.ts';
import {
  arg,
  benchAdminDb as adminDb,
  clusterCpuReader,
  loadText as load,
  monthsBefore,
  onBenchDb as onDb,
  openBenchDb as open,
  prewarm,
  relationsOf,
  settle,
  timed,
} from './bench-support.ts';
import { monthDigest, seedWithHistory } from './payroll-history.ts';

const N = Number(process.argv[2] ?? 200_000);
const HISTORY = Number(arg('history') ?? 12);
const ROUNDS = Number(arg('repeat') ?? 2);
const EXPLAIN = process.argv.includes('--explain');
const LEVER = arg('lever');
const PAYROLL = process.argv.includes('--payroll');
const REGION = '370000';
const actor = systemActor('bench');

/** count and md5 of the adjustment's rows of 2021 in award order: the new amount, its parts and its arrears. */
async function adjustmentDigest(ctx: AppContext): Promise<string> {
  const r = await sql<{ n: unknown; md5: string | null }>`
    SELECT count(*) AS n, md5(string_agg(concat_ws(',', award_id, effective_period, monthly_fen, account_fen, previous_fen,
      components::text, arrears_fen, arrears_from_period, arrears_to_period), ';' ORDER BY award_id)) AS md5
    FROM pension_amount WHERE reason = 'adjustment' AND adjustment_year = 2021`.execute(ctx.db);
  return `${Number(r.rows[0]?.n).toLocaleString('en')} rows, md5 ${r.rows[0]?.md5 ?? '-'}`;
}

/** The bench's state before its adjustment (the seeded history and the payroll of 2021-04), or with --payroll before its payroll 2021-05. */
async function buildTemplate(name: string): Promise<void> {
  await onDb(adminDb(), (c) => c.query(`CREATE DATABASE ${name}`));
  const ctx = await open(name);
  try {
    const { seedS, historyS } = await seedWithHistory(ctx, actor, {
      n: N,
      region: REGION,
      months: monthsBefore('2021-04', HISTORY),
      next: 'payroll 2021-04',
    });
    const [p, payS] = await timed(() => runPayroll(ctx.db, actor, { period: '2021-04', region: REGION }));
    await settle(ctx, 'the template', {
      vacuum: ['pension_payment', 'payroll_run', 'journal_entry', 'journal_line'],
    });
    if (PAYROLL) {
      // as bench/payroll.bench.ts: the adjustment, then whatever autovacuum does before the payroll
      const [adj, adjS] = await timed(() => runAdjustment(ctx, actor, { region: REGION, year: 2021 }));
      await settle(ctx, 'payroll 2021-05');
      console.log(
        `  adjustment of 2021: ${adj.arrearsQueued.toLocaleString('en')} arrears in ${adjS.toFixed(1)} s`,
      );
    }
    console.log(
      `template ${name}: seeded in ${seedS.toFixed(1)} s, ${HISTORY} earlier months in ${historyS.toFixed(1)} s, payroll 2021-04 (${p.payments.toLocaleString('en')} payments) in ${payS.toFixed(1)} s; ${load()}`,
    );
  } finally {
    await ctx.handle.close();
  }
}

/** The timed job of a round: the adjustment, or with --payroll the payroll of 2021-05; what it did and the md5 of what it wrote. */
async function job(ctx: AppContext): Promise<{ did: string; digest: () => Promise<string> }> {
  if (PAYROLL) {
    const p = await runPayroll(ctx.db, actor, { period: '2021-05', region: REGION });
    return {
      did: `${p.payments.toLocaleString('en')} payments (${p.arrearsFen} fen of arrears)`,
      digest: () => monthDigest(ctx, '2021-05'),
    };
  }
  const adj = await runAdjustment(ctx, actor, { region: REGION, year: 2021 });
  return {
    did: `${adj.adjusted.toLocaleString('en')} adjusted, ${adj.arrearsQueued.toLocaleString('en')} arrears (${adj.arrearsFen} fen)`,
    digest: () => adjustmentDigest(ctx),
  };
}

/** fn on a fresh copy of the template with the payments' and amounts' indexes in shared buffers; dropped after. */
async function onCopy(
  template: string,
  fn: (ctx: AppContext) => Promise<void>,
  setup?: string,
): Promise<void> {
  const db = `${template}_case`;
  await onDb(adminDb(), (c) => c.query(`CREATE DATABASE ${db} TEMPLATE ${template} STRATEGY FILE_COPY`));
  try {
    if (setup) await onDb(db, (c) => c.query(setup.replaceAll('$DB', db)));
    const ctx = await open(db);
    try {
      for (const t of ['pension_payment', 'pension_amount'])
        await prewarm(ctx, (await relationsOf(ctx, t)).slice(1));
      await fn(ctx);
    } finally {
      await ctx.handle.close();
    }
  } finally {
    await onDb(adminDb(), (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
  }
}

async function main(): Promise<void> {
  if (!process.env['BENCH_DATABASE_URL']) {
    console.log('PostgreSQL only: set BENCH_DATABASE_URL');
    return;
  }
  const given = arg('template');
  const template = given ?? `${PAYROLL ? 'payhist' : 'adjhist'}_${randomBytes(4).toString('hex')}`;
  fixToday('2021-05-20');
  try {
    console.log(
      `${PAYROLL ? 'payroll 2021-05 after the adjustment' : 'adjustment'} with history, N = ${N.toLocaleString('en')}, ${HISTORY} earlier months + 2021-04; ${ROUNDS} rounds; ${load()}`,
    );
    if (!given) await buildTemplate(template);
    for (let round = 1; round <= ROUNDS; round++) {
      const withLever = LEVER !== undefined && round % 2 === 0;
      await onCopy(
        template,
        async (ctx) => {
          const cpu = await clusterCpuReader(ctx);
          const c0 = cpu();
          const [out, s] = await timed(() => job(ctx));
          const c1 = cpu();
          const used = c0 === null || c1 === null ? 'n/a' : `${(c1 - c0).toFixed(2)} s`;
          console.log(
            `round ${round}${LEVER === undefined ? '' : withLever ? ' (lever)' : ' (baseline)'}: ${out.did} in ${s.toFixed(2)} s; cluster CPU ${used}; ${load()}`,
          );
          console.log(`    ${await out.digest()}`);
        },
        withLever ? LEVER : undefined,
      );
    }
    if (EXPLAIN)
      await onCopy(
        template,
        async (ctx) => {
          const [out, s] = await timed(() => job(ctx));
          console.log(`with auto_explain: ${out.did} in ${s.toFixed(2)} s (plans in the server log)`);
        },
        `ALTER DATABASE $DB SET session_preload_libraries = 'auto_explain'; ALTER DATABASE $DB SET auto_explain.log_min_duration = 300; ALTER DATABASE $DB SET auto_explain.log_analyze = on; ALTER DATABASE $DB SET auto_explain.log_buffers = on; ALTER DATABASE $DB SET auto_explain.log_nested_statements = on`,
      );
  } finally {
    fixToday(null);
    if (process.env['BENCH_KEEP'] || given) console.log(`kept ${template}`);
    else await onDb(adminDb(), (c) => c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`));
  }
}

await main();
