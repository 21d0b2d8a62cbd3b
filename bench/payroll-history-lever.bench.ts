// Where the payroll's with-history cost goes, and the levers aimed at it (issue #18, twenty-ninth pass).
// PostgreSQL only, in one run:
//   BENCH_DATABASE_URL=postgres://…/postgres node --import tsx bench/payroll-history-lever.bench.ts [N] [--history M] [--explain]
// N pensioners (default 200,000) and M earlier months (default 12) paid as bench/payroll.bench.ts pays
// them, in a template database; then the payroll of 2021-04 on a TEMPLATE copy per variant, each with
// the cluster CPU, the payments' index sizes and the md5 of the month (the variants must write the same rows):
//   (a) the schema as it is: primary key (award_id, period, kind), each month's keys in the middle;
//   (b) that key rebuilt with fillfactor 70 (REINDEX): room on each leaf for the next months' keys;
//   (c) the key in period order (period, award_id, kind), a month appended at the index's right edge,
//       and a plain index on award_id for the readers by award (its duplicates deduplicated); the
//       earlier months inserted into it in the order the payrolls wrote them.
// --explain: the chunk statements of (a) again on another copy, with auto_explain (ANALYZE, BUFFERS) in the
// server log. A benchmark: it prints figures and never fails on timing. Figures: docs/performance.md.
import { sql } from 'kysely';
import type pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../src/app-context.ts';
import { systemActor } from '../src/auth/actor.ts';
import { fixToday } from '../src/core/clock.ts';
import { runPayroll } from '../src/pension/payroll.job.ts';
import {
  arg,
  benchAdminDb as adminDb,
  clusterCpuReader,
  loadText as load,
  monthsBefore,
  onBenchDb as onDb,
  openBenchDb as open,
  settle,
  timed,
} from './bench-support.ts';
import { monthDigest, seedWithHistory, tableSize } from './payroll-history.ts';

const N = Number(process.argv[2] ?? 200_000);
const HISTORY = Number(arg('history') ?? 12);
const EXPLAIN = process.argv.includes('--explain');
const REGION = '370000';
const PERIOD = '2021-04';
const EARLIER = monthsBefore(PERIOD, HISTORY);
const actor = systemActor('bench');
const admin = process.env['BENCH_DATABASE_URL'];

interface Variant {
  label: string;
  /** DDL on the copy before the job (untimed), then VACUUM (ANALYZE) */
  prepare: (c: pg.Client) => Promise<void>;
}

const VARIANTS: Variant[] = [
  { label: '(a) as it is: key (award_id, period, kind)', prepare: async () => {} },
  {
    label: '(b) the key rebuilt with fillfactor 70',
    prepare: async (c) => {
      await c.query('ALTER INDEX pension_payment_pkey SET (fillfactor = 70)');
      await c.query('REINDEX INDEX pension_payment_pkey');
    },
  },
  {
    label: '(c) key (period, award_id, kind) + index (award_id)',
    prepare: async (c) => {
      // a new table with the new indexes, filled in the payrolls' order (period, then award), swapped in
      await c.query(
        'CREATE TABLE pension_payment_new (LIKE pension_payment INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
      );
      await c.query('ALTER TABLE pension_payment_new ADD PRIMARY KEY (period, award_id, kind)');
      await c.query('CREATE INDEX pension_payment_new_award_idx ON pension_payment_new (award_id)');
      await c.query(
        `CREATE INDEX pension_payment_new_through_idx ON pension_payment_new (award_id, arrears_through_amount_id) WHERE arrears_through_amount_id IS NOT NULL`,
      );
      await c.query(
        'INSERT INTO pension_payment_new SELECT * FROM pension_payment ORDER BY period, award_id, kind',
      );
      await c.query('DROP TABLE pension_payment');
      await c.query('ALTER TABLE pension_payment_new RENAME TO pension_payment');
    },
  },
];

async function buildTemplate(name: string): Promise<void> {
  await onDb(adminDb(), (c) => c.query(`CREATE DATABASE ${name}`));
  const ctx = await open(name);
  try {
    const { seedS, historyS: histS } = await seedWithHistory(ctx, actor, {
      n: N,
      region: REGION,
      months: EARLIER,
      next: 'the template',
    });
    console.log(
      `seeded ${N.toLocaleString('en')} pensioners in ${seedS.toFixed(1)} s; ${HISTORY} earlier months in ${histS.toFixed(1)} s, pension_payment ${await tableSize(ctx, 'pension_payment')}; ${load()}`,
    );
  } finally {
    await ctx.handle.close();
  }
}

/** Each index of pension_payment and its size. */
async function indexSizes(ctx: AppContext): Promise<string> {
  const r = await sql<{ name: string; mib: unknown }>`
    SELECT c.relname AS name, round(pg_relation_size(c.oid) / 1048576.0) AS mib FROM pg_index x
    JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = 'pension_payment'::regclass ORDER BY c.relname`.execute(
    ctx.db,
  );
  return r.rows.map((x) => `${x.name} ${String(x.mib)} MiB`).join(', ');
}

async function runVariant(db: string, v: Variant): Promise<void> {
  await onDb(db, async (c) => {
    await v.prepare(c);
    await c.query('VACUUM (ANALYZE) pension_payment');
  });
  const ctx = await open(db);
  try {
    const before = await indexSizes(ctx);
    await settle(ctx, v.label);
    const cpu = await clusterCpuReader(ctx);
    const c0 = cpu();
    const [p, s] = await timed(() => runPayroll(ctx.db, actor, { period: PERIOD, region: REGION }));
    const c1 = cpu();
    const used = c0 === null || c1 === null ? null : c1 - c0;
    console.log(
      `${v.label}: ${p.payments.toLocaleString('en')} payments in ${s.toFixed(2)} s; cluster CPU ${used === null ? 'n/a' : `${used.toFixed(2)} s, ${((used / p.payments) * 1e6).toFixed(1)} µs a payment`}; ${load()}`,
    );
    console.log(`    indexes before: ${before}; after: ${await indexSizes(ctx)}`);
    console.log(`    ${PERIOD}: ${await monthDigest(ctx, PERIOD)}`);
  } finally {
    await ctx.handle.close();
  }
}

/** (a) once more with auto_explain on the copy's sessions: the chunk statements' plans in the server log. */
async function explainChunks(db: string): Promise<void> {
  await onDb(db, (c) =>
    c.query(
      `ALTER DATABASE ${db} SET session_preload_libraries = 'auto_explain'; ALTER DATABASE ${db} SET auto_explain.log_min_duration = 500; ALTER DATABASE ${db} SET auto_explain.log_analyze = on; ALTER DATABASE ${db} SET auto_explain.log_buffers = on; ALTER DATABASE ${db} SET auto_explain.log_timing = off`,
    ),
  );
  const ctx = await open(db);
  try {
    const [p, s] = await timed(() => runPayroll(ctx.db, actor, { period: PERIOD, region: REGION }));
    console.log(
      `(a) with auto_explain: ${p.payments.toLocaleString('en')} payments in ${s.toFixed(2)} s (plans in the server log)`,
    );
  } finally {
    await ctx.handle.close();
  }
}

async function main(): Promise<void> {
  if (!admin) {
    console.log('PostgreSQL only: BENCH_DATABASE_URL is not set');
    return;
  }
  const base = `histlever_${randomBytes(4).toString('hex')}`;
  const made: string[] = [];
  fixToday('2021-04-20');
  try {
    console.log(`payroll with history, N = ${N.toLocaleString('en')}, ${HISTORY} earlier months; ${load()}`);
    made.push(base);
    await buildTemplate(base);
    const copies = VARIANTS.map((_, i) => `${base}_${i}`);
    if (EXPLAIN) copies.push(`${base}_x`);
    for (const d of copies) {
      await onDb(adminDb(), (c) => c.query(`CREATE DATABASE ${d} TEMPLATE ${base} STRATEGY FILE_COPY`));
      made.push(d);
    }
    for (const [i, v] of VARIANTS.entries()) await runVariant(copies[i] ?? '', v);
    if (EXPLAIN) await explainChunks(`${base}_x`);
  } finally {
    fixToday(null);
    if (process.env['BENCH_KEEP']) console.log(`kept ${made.join(', ')}`);
    else
      for (const d of made)
        await onDb(adminDb(), (c) => c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`));
  }
}

await main();
