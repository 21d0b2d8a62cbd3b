// Where the payroll's with-history cost goes, and the levers aimed at it (issue #18, twenty-ninth and thirtieth passes).
// PostgreSQL only, on a cluster this process may restart:
//   BENCH_DATABASE_URL=postgres://…/postgres BENCH_RESTART='runuser -u postgres -- pg_ctl -D … -l … -w -m fast restart' \
//   node --import tsx bench/payroll-history-lever.bench.ts [N] [--history M] [--cache cold,warm] [--repeat R] [--explain]
// N pensioners (default 200,000) and M earlier months (default 12) paid as bench/payroll.bench.ts pays
// them, in a template database, with a second table of the payments' shape holding the same months (the
// COPY's); each variant's schema change made once on its own template. Then, for each cache state and
// each of R rounds (default 2), each case on a fresh `CREATE DATABASE … TEMPLATE` copy, the cluster
// restarted right before it (BENCH_RESTART: its shared buffers empty, the OS cache as the copy left it),
// then for `warm` the case's payments indexes read in (pg_prewarm); what of the payments sits in shared
// buffers is printed (pg_buffercache). The cases: the payroll of 2021-04 in each variant, and the COPY of
// the same number of rows into the COPY's table — so the job and its COPY start from the same state:
//   (a) the schema as it is: primary key (award_id, period, kind), each month's keys in the middle;
//   (b) that key rebuilt with fillfactor 70 (REINDEX): room on each leaf for the next months' keys;
//   (c) the key in period order (period, award_id, kind), a month appended at the index's right edge,
//       and a plain index on award_id for the readers by award (its duplicates deduplicated); the
//       earlier months inserted into it in the order the payrolls wrote them.
// Each case prints seconds, the cluster CPU, the payments' index sizes and the month's md5 (equal in every variant).
// --explain: the chunk statements of (a) again on another copy, with auto_explain (ANALYZE, BUFFERS) in the
// server log. A benchmark: it prints figures and never fails on timing. Figures: docs/performance.md.
import { sql } from 'kysely';
import type pg from 'pg';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../src/app-context.ts';
import { systemActor } from '../src/auth/actor.ts';
import { fixToday } from '../src/core/clock.ts';
import { int } from '../src/db/values.ts';
import { runPayroll } from '../src/pension/payroll.job.ts';
import {
  arg,
  benchAdminDb as adminDb,
  cacheText,
  clusterCpuReader,
  loadText as load,
  monthsBefore,
  onBenchDb as onDb,
  openBenchDb as open,
  PAYMENT_COLS,
  paymentCsv,
  prewarm,
  relationsOf,
  timed,
} from './bench-support.ts';
import { monthDigest, seedWithHistory, tableSize } from './payroll-history.ts';

const N = Number(process.argv[2] ?? 200_000);
const HISTORY = Number(arg('history') ?? 12);
const EXPLAIN = process.argv.includes('--explain');
/** cold: shared buffers empty (a restart); warm: then the payments' indexes read in, job and COPY alike */
const STATES = (arg('cache') ?? 'cold,warm').split(',') as ('cold' | 'warm')[];
const ROUNDS = Number(arg('repeat') ?? 2);
const REGION = '370000';
const PERIOD = '2021-04';
const EARLIER = monthsBefore(PERIOD, HISTORY);
const actor = systemActor('bench');
const admin = process.env['BENCH_DATABASE_URL'];
const restartCmd = process.env['BENCH_RESTART'];
/** the COPY's table in the template: the payments' shape and indexes, the same earlier months */
const COPY_TABLE = 'payment_copy';

interface Variant {
  label: string;
  /** DDL on the variant's template (untimed), then VACUUM (ANALYZE) */
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

/** The seeded history and the COPY's table holding the same months, in the same order; the payments of the last month counted. */
async function buildTemplate(name: string): Promise<number> {
  await onDb(adminDb(), (c) => c.query(`CREATE DATABASE ${name}`));
  const ctx = await open(name);
  try {
    const { seedS, historyS: histS } = await seedWithHistory(ctx, actor, {
      n: N,
      region: REGION,
      months: EARLIER,
      next: 'the template',
    });
    await sql`CREATE TABLE ${sql.id(COPY_TABLE)} (LIKE pension_payment INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING INDEXES)`.execute(
      ctx.db,
    );
    await sql`INSERT INTO ${sql.id(COPY_TABLE)} SELECT * FROM pension_payment ORDER BY period, award_id, kind`.execute(
      ctx.db,
    );
    await sql`VACUUM (ANALYZE) ${sql.id(COPY_TABLE)}`.execute(ctx.db);
    const last = await sql<{ n: unknown }>`
      SELECT count(*) AS n FROM pension_payment WHERE period = ${EARLIER.at(-1) ?? PERIOD}`.execute(ctx.db);
    console.log(
      `seeded ${N.toLocaleString('en')} pensioners in ${seedS.toFixed(1)} s; ${HISTORY} earlier months in ${histS.toFixed(1)} s, pension_payment ${await tableSize(ctx, 'pension_payment')}, the COPY's table ${await tableSize(ctx, COPY_TABLE)}; ${load()}`,
    );
    return int(last.rows[0]?.n);
  } finally {
    await ctx.handle.close();
  }
}

/** A variant's own template: the base copied, the COPY's table dropped, the variant's DDL, vacuumed. */
async function variantTemplate(base: string, name: string, v: Variant): Promise<void> {
  await onDb(adminDb(), (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${base} STRATEGY FILE_COPY`));
  await onDb(name, async (c) => {
    await c.query(`DROP TABLE ${COPY_TABLE}`);
    await v.prepare(c);
    await c.query('VACUUM (ANALYZE) pension_payment');
  });
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

/** The cluster restarted (BENCH_RESTART): shared buffers empty, every case from the same start. */
function restart(): void {
  const r = spawnSync('sh', ['-c', restartCmd ?? 'false'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`BENCH_RESTART failed (exit ${r.status})`);
}

/**
 * fn on a fresh copy of `template`, after a restart and, when warm, `table`'s indexes read into shared
 * buffers; prints what of `table` is cached at the start. The copy is dropped after.
 */
async function onFreshCopy(
  template: string,
  state: 'cold' | 'warm',
  table: string,
  fn: (ctx: AppContext, cpu: () => number | null) => Promise<void>,
): Promise<void> {
  const db = `${template}_case`;
  await onDb(adminDb(), (c) => c.query(`CREATE DATABASE ${db} TEMPLATE ${template} STRATEGY FILE_COPY`));
  try {
    restart();
    const ctx = await open(db);
    try {
      const rels = await relationsOf(ctx, table);
      if (state === 'warm') await prewarm(ctx, rels.slice(1));
      console.log(`    [${state}] in shared buffers at the start: ${await cacheText(ctx, rels)}; ${load()}`);
      await fn(ctx, await clusterCpuReader(ctx));
    } finally {
      await ctx.handle.close();
    }
  } finally {
    await onDb(adminDb(), (c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
  }
}

const perPayment = (used: number | null, n: number): string =>
  used === null ? 'n/a' : `${used.toFixed(2)} s, ${((used / n) * 1e6).toFixed(1)} µs a payment`;

async function jobCase(template: string, v: Variant, state: 'cold' | 'warm'): Promise<void> {
  await onFreshCopy(template, state, 'pension_payment', async (ctx, cpu) => {
    const before = await indexSizes(ctx);
    const c0 = cpu();
    const [p, s] = await timed(() => runPayroll(ctx.db, actor, { period: PERIOD, region: REGION }));
    const c1 = cpu();
    console.log(
      `${v.label} [${state}]: ${p.payments.toLocaleString('en')} payments in ${s.toFixed(2)} s; cluster CPU ${perPayment(c0 === null || c1 === null ? null : c1 - c0, p.payments)}; ${load()}`,
    );
    console.log(`    indexes before: ${before}; after: ${await indexSizes(ctx)}`);
    console.log(`    ${PERIOD}: ${await monthDigest(ctx, PERIOD)}`);
  });
}

/** The COPY of n payment rows into the COPY's table (the earlier months in it), from the same start as the job. */
async function copyCase(template: string, file: string, n: number, state: 'cold' | 'warm'): Promise<void> {
  await onFreshCopy(template, state, COPY_TABLE, async (ctx, cpu) => {
    const c0 = cpu();
    const [, s] = await timed(() =>
      sql.raw(`COPY ${COPY_TABLE} (${PAYMENT_COLS}) FROM '${file}' WITH (FORMAT csv)`).execute(ctx.db),
    );
    const c1 = cpu();
    console.log(
      `COPY [${state}]: ${n.toLocaleString('en')} rows into ${COPY_TABLE} in ${s.toFixed(2)} s; cluster CPU ${perPayment(c0 === null || c1 === null ? null : c1 - c0, n)}; ${load()}`,
    );
  });
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
  if (!admin || !restartCmd) {
    console.log('PostgreSQL only, on a cluster it may restart: set BENCH_DATABASE_URL and BENCH_RESTART');
    return;
  }
  const base = `histlever_${randomBytes(4).toString('hex')}`;
  const made: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'shebao-bench-copy-'));
  chmodSync(dir, 0o755);
  fixToday('2021-04-20');
  try {
    console.log(
      `payroll with history, N = ${N.toLocaleString('en')}, ${HISTORY} earlier months; cache ${STATES.join(', ')}, ${ROUNDS} rounds; ${load()}`,
    );
    made.push(base);
    const n = await buildTemplate(base);
    const file = join(dir, 'payments.csv');
    writeFileSync(file, paymentCsv(n, 1, PERIOD), { mode: 0o644 });
    const templates = [base];
    for (const [i, v] of VARIANTS.entries())
      if (i > 0) {
        const t = `${base}_${i}`;
        made.push(t);
        const [, s] = await timed(() => variantTemplate(base, t, v));
        console.log(`${v.label}: its template in ${s.toFixed(1)} s`);
        templates.push(t);
      }
    for (let round = 1; round <= ROUNDS; round++)
      for (const state of STATES) {
        console.log(`round ${round}, ${state}:`);
        await copyCase(base, file, n, state);
        for (const [i, v] of VARIANTS.entries()) await jobCase(templates[i] ?? base, v, state);
      }
    if (EXPLAIN) {
      const x = `${base}_x`;
      await onDb(adminDb(), (c) => c.query(`CREATE DATABASE ${x} TEMPLATE ${base} STRATEGY FILE_COPY`));
      made.push(x);
      await explainChunks(x);
    }
  } finally {
    fixToday(null);
    rmSync(dir, { recursive: true, force: true });
    if (process.env['BENCH_KEEP']) console.log(`kept ${made.join(', ')}`);
    else
      for (const d of made)
        await onDb(adminDb(), (c) => c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`));
  }
}

await main();
