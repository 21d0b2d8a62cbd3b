// What every benchmark in bench/ shares: the command-line flags, a fresh database per target
// (a new PostgreSQL database under BENCH_DATABASE_URL, dropped after; or a PGlite data folder), one
// child process per target so the peak memory is that target's, the COPY baseline (the database's own
// write limit for the same rows into a table with the same columns and indexes), timing and peak RSS.
// Benchmarks print figures; they never fail on timing.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { AppContext } from '../src/app-context.ts';
import { makeLogger, openContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { copyIn } from '../src/db/connection.ts';

export type Target = 'pglite' | 'postgresql';

/** The value after `--name` on the command line. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export const mib = (bytes: number): number => Math.round(bytes / 1048576);
/** The process's peak resident memory so far (max RSS), in MiB. */
export const peakRssMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Seconds `fn` took, with its value. */
export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, (performance.now() - t0) / 1000];
}

/** This process's peak RSS (VmHWM) from /proc/self/status, in bytes; null where /proc cannot say. */
function kernelPeakRss(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resets the kernel's peak RSS of this process to its current RSS (Linux: 5 into clear_refs); false where it cannot. */
function resetKernelPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return kernelPeakRss() !== null;
  } catch {
    return false;
  }
}

/**
 * This process's peak RSS; `peak()` since the last `reset()`. On Linux the kernel's high-water mark,
 * reset at `reset()`: a 100 ms timer on the event loop misses a peak inside one PGlite statement
 * (WebAssembly in this thread holds the loop) — at 1,000,000 with a year of history it read 1,018 MB
 * where the kernel's mark was 1,317 MiB (thirty-seventh pass). Elsewhere the timer's samples.
 */
export function rssSampler(): { peak: () => number; reset: () => void; stop: () => void } {
  let kernel = resetKernelPeakRss();
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  return {
    peak: () => Math.max(peak, process.memoryUsage().rss, (kernel && kernelPeakRss()) || 0),
    reset: () => {
      kernel = resetKernelPeakRss();
      peak = process.memoryUsage().rss;
    },
    stop: () => clearInterval(t),
  };
}

/**
 * A context on a fresh database: for PostgreSQL a new database under BENCH_DATABASE_URL (dropped by
 * `cleanup`), for PGlite a data folder under `work`.
 */
export async function openFreshTarget(target: Target, prefix: string): Promise<FreshTarget> {
  const work = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const removeWork = (): void => rmSync(work, { recursive: true, force: true });
  const log = makeLogger('silent');
  if (target === 'postgresql') {
    const admin = process.env['BENCH_DATABASE_URL'];
    if (!admin) throw new Error('BENCH_DATABASE_URL is not set');
    const name = `${prefix}_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const dbUrl = url.toString();
    const ctx = await openContext({ ...loadConfig({}), databaseUrl: dbUrl, logLevel: 'silent' }, log);
    const cleanup = async (): Promise<void> => {
      await ctx.handle.close();
      if (process.env['BENCH_KEEP']) {
        // Kept for EXPLAIN ANALYZE after the run (BENCH_KEEP=1); drop it by hand.
        process.stderr.write(`  [postgresql] kept database ${name}\n`);
        removeWork();
        return;
      }
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
      removeWork();
    };
    return withNotes(target, work, ctx, cleanup, dbUrl);
  }
  const ctx = await openContext(
    { ...loadConfig({}), databaseUrl: undefined, dataDir: join(work, 'data'), logLevel: 'silent' },
    log,
  );
  const cleanup = async (): Promise<void> => {
    await ctx.handle.close();
    removeWork();
  };
  return withNotes(target, work, ctx, cleanup, undefined);
}

export interface FreshTarget {
  ctx: AppContext;
  /** a temporary folder for the benchmark's files, removed by cleanup */
  work: string;
  cleanup: () => Promise<void>;
  dbUrl: string | undefined;
  /** the server's version (PGlite reports the PostgreSQL it embeds) */
  serverVersion: string;
  /** a progress line on stderr with the current RSS */
  say: (m: string) => void;
}

async function withNotes(
  target: Target,
  work: string,
  ctx: AppContext,
  cleanup: () => Promise<void>,
  dbUrl: string | undefined,
): Promise<FreshTarget> {
  const v = await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(ctx.db);
  const say = (m: string): void => {
    process.stderr.write(`  [${target}] ${m}  (rss ${mib(process.memoryUsage().rss)} MiB)\n`);
  };
  return { ctx, work, cleanup, dbUrl, serverVersion: String(v.rows[0]?.v), say };
}

/** The machine's load average (1, 5, 15 min), printed with every figure: the box is shared. */
export const loadText = (): string =>
  `load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`;

/** BENCH_DATABASE_URL pointing at database `db` of the same cluster. */
export function benchDbUrl(db: string): string {
  const u = new URL(process.env['BENCH_DATABASE_URL'] ?? '');
  u.pathname = `/${db}`;
  return u.toString();
}

/** The database BENCH_DATABASE_URL names (where databases are created and dropped). */
export const benchAdminDb = (): string =>
  new URL(process.env['BENCH_DATABASE_URL'] ?? '').pathname.slice(1) || 'postgres';

/** fn on a client of database `db` (benchDbUrl), closed after. */
export async function onBenchDb<T>(db: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: benchDbUrl(db) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The application's context on database `db` (benchDbUrl). */
export async function openBenchDb(db: string): Promise<AppContext> {
  return openContext(
    { ...loadConfig({}), databaseUrl: benchDbUrl(db), logLevel: 'silent' },
    makeLogger('silent'),
  );
}

/**
 * A context for the in-process benchmarks: PostgreSQL at BENCH_DATABASE_URL (which must be a fresh
 * database; undefined when it is not set) or PGlite in a temporary folder removed by `close`.
 */
export async function openBenchContext(
  kind: Target,
): Promise<{ ctx: AppContext; close: () => Promise<void> } | undefined> {
  const url = process.env['BENCH_DATABASE_URL'];
  if (kind === 'postgresql' && !url) {
    console.log('postgresql: BENCH_DATABASE_URL is not set, skipped');
    return undefined;
  }
  const dir = kind === 'pglite' ? mkdtempSync(join(tmpdir(), 'shebao-bench-')) : undefined;
  const ctx = await openContext(
    {
      ...loadConfig({}),
      databaseUrl: kind === 'postgresql' ? url : undefined,
      dataDir: dir ?? '',
      logLevel: 'silent',
    },
    makeLogger('silent'),
  );
  return {
    ctx,
    close: async () => {
      await ctx.handle.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `--maintenance as-is` leaves to autovacuum the tables a phase has left over its thresholds (the bench
 * before the thirty-fifth pass); by default settle vacuums and analyzes them itself (maintainOverThreshold).
 */
const MAINTAIN = arg('maintenance') !== 'as-is';

/**
 * VACUUM (ANALYZE) / ANALYZE every table of this database that autovacuum would pick up now — over its
 * vacuum, insert-vacuum or analyze threshold, as PostgreSQL 15's relation_needs_vacanalyze reckons them
 * (the schema sets no per-table autovacuum options) —, said on stderr. Without it the worker that a job's
 * writes call for starts on autovacuum's naptime, seconds later, inside the next timed phase or its COPY
 * (thirty-fifth pass, docs/performance.md): with it each phase and each COPY starts with nothing due.
 */
async function maintainOverThreshold(ctx: AppContext, before: string): Promise<void> {
  const r = await sql<{ rel: string; vacuum: boolean; analyze: boolean }>`
    WITH s AS (
      SELECT s.relid::regclass::text AS rel, s.n_dead_tup, s.n_ins_since_vacuum, s.n_mod_since_analyze,
        greatest(c.reltuples, 0) AS tuples
      FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname <> 'pg_toast' AND c.relkind = 'r'
    )
    SELECT rel,
      n_dead_tup > current_setting('autovacuum_vacuum_threshold')::float8
          + current_setting('autovacuum_vacuum_scale_factor')::float8 * tuples
        OR n_ins_since_vacuum > current_setting('autovacuum_vacuum_insert_threshold')::float8
          + current_setting('autovacuum_vacuum_insert_scale_factor')::float8 * tuples AS vacuum,
      -- autovacuum never analyzes pg_statistic
      rel <> 'pg_statistic' AND n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
          + current_setting('autovacuum_analyze_scale_factor')::float8 * tuples AS analyze
    FROM s ORDER BY rel`.execute(ctx.db);
  const due = r.rows.filter((x) => x.vacuum || x.analyze);
  if (!due.length) return;
  const t0 = performance.now();
  for (const x of due) {
    const rel = sql.raw(x.rel);
    if (x.vacuum) await sql`VACUUM (ANALYZE) ${rel}`.execute(ctx.db);
    else await sql`ANALYZE ${rel}`.execute(ctx.db);
  }
  process.stderr.write(
    `  settle before ${before}: ${due.map((x) => `${x.vacuum ? 'vacuumed' : 'analyzed'} ${x.rel}`).join(', ')} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
}

/**
 * The same starting state for every timed phase and every COPY baseline, so that a job and the
 * baseline it is divided by begin alike: `vacuum` (after a seed) is `VACUUM (ANALYZE)`d first; then, on
 * PostgreSQL, it waits (at most `maxWaitS`, saying so on stderr) until no autovacuum worker runs on
 * this database and takes a `CHECKPOINT`, so a phase neither writes out the previous one's dirty
 * buffers nor shares the cores with an autovacuum of its tables. Without it a quiet payroll run swung
 * 1.35–1.90× (docs/performance.md, sixteenth pass). PGlite has neither autovacuum nor other sessions.
 */
export async function settle(
  ctx: AppContext,
  before: string,
  opts: { vacuum?: readonly string[]; maxWaitS?: number } = {},
): Promise<void> {
  if (opts.vacuum?.length)
    await sql`VACUUM (ANALYZE) ${sql.join(opts.vacuum.map((t) => sql.table(t)))}`.execute(ctx.db);
  if (ctx.handle.pglite) return;
  if (MAINTAIN) await maintainOverThreshold(ctx, before);
  const maxWaitS = opts.maxWaitS ?? 300;
  const t0 = performance.now();
  let seen = '';
  for (;;) {
    const r = await sql<{ q: string | null }>`
      SELECT string_agg(query, '; ') AS q FROM pg_stat_activity
      WHERE backend_type = 'autovacuum worker' AND datname = current_database()`.execute(ctx.db);
    const running = r.rows[0]?.q ?? null;
    const waited = (performance.now() - t0) / 1000;
    if (running === null || waited >= maxWaitS) {
      if (seen)
        process.stderr.write(
          `  settle before ${before}: ${running === null ? 'waited' : 'gave up after'} ${waited.toFixed(1)} s for ${seen}\n`,
        );
      break;
    }
    if (!seen.includes(running)) seen = seen ? `${seen}; ${running}` : running;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await sql`CHECKPOINT`.execute(ctx.db);
}

/** The autovacuum workers seen by watchAutovacuum's sampler: when, and what each was doing. */
interface AutovacuumSamples {
  /** `ticks`: the worker's user + system CPU ticks so far (/proc; null where it cannot be read) */
  samples: { t: number; pid: number; what: string; ticks: number | null }[];
}

const AUTOVACUUM_SAMPLE_MS = 250;
const watches = new WeakMap<AppContext, AutovacuumSamples>();

/**
 * Watches autovacuum for the timed phases (thirty-fifth pass): `settle` waits only for a worker running
 * when it looks, but a job that has just written N rows leaves its table over autovacuum's thresholds and
 * a worker may start seconds later, inside the next timed phase or its COPY — a ratio with an autovacuum
 * inside it is not the job's. Samples the cluster's autovacuum workers every 250 ms (pg_stat_activity;
 * another database's prefixed with its name: the cluster CPU counts them too) and each worker's CPU so
 * far (/proc: the cluster runs on this machine) until `stop`, on a connection of ctx's pool;
 * autovacuumDuring reads them per phase. PostgreSQL only.
 */
export function watchAutovacuum(ctx: AppContext): { stop: () => void } {
  if (ctx.handle.pglite) return { stop: () => undefined };
  const seen: AutovacuumSamples = { samples: [] };
  watches.set(ctx, seen);
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const t = performance.now();
    sql<{ pid: number; what: string }>`
      SELECT pid, CASE WHEN datname = current_database() THEN '' ELSE datname || ': ' END
        || regexp_replace(query, '^autovacuum: ', '') AS what
      FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND query <> ''`
      .execute(ctx.db)
      .then(
        (r) => {
          for (const x of r.rows) seen.samples.push({ t, pid: x.pid, what: x.what, ticks: ticksOf(x.pid) });
        },
        (e: unknown) => process.stderr.write(`  autovacuum sample failed: ${String(e)}\n`),
      )
      .finally(() => {
        busy = false;
      });
  }, AUTOVACUUM_SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      watches.delete(ctx);
    },
  };
}

/** This database's autovacuum and autoanalyze counts per table (pg_stat_all_tables, catalogs and TOAST too). */
async function autovacuumCounts(ctx: AppContext): Promise<Map<string, [number, number]>> {
  const r = await sql<{ rel: string; v: unknown; a: unknown }>`
    SELECT schemaname || '.' || relname AS rel, autovacuum_count AS v, autoanalyze_count AS a
    FROM pg_stat_all_tables WHERE autovacuum_count + autoanalyze_count > 0`.execute(ctx.db);
  return new Map(r.rows.map((x) => [x.rel, [Number(x.v), Number(x.a)]]));
}

/**
 * fn, with what autovacuum did while it ran: "none", or each worker's statements with the seconds each was
 * seen and the worker's CPU in the phase (sampled every 250 ms, so ±0.25 s; a worker first seen in the
 * phase counts from its start), and the tables whose autovacuum or autoanalyze count rose (one shorter
 * than a sample is counted too). null when nothing watches ctx (watchAutovacuum; PGlite).
 */
export async function autovacuumDuring<T>(
  ctx: AppContext,
  fn: () => Promise<T>,
): Promise<[T, string | null]> {
  const seen = watches.get(ctx);
  if (!seen) return [await fn(), null];
  const before = await autovacuumCounts(ctx);
  const t0 = performance.now();
  const v = await fn();
  const t1 = performance.now();
  const after = await autovacuumCounts(ctx);
  // per worker: its statements' first and last sample in the phase, its ticks before and at the end
  const workers = new Map<
    number,
    { spans: Map<string, [number, number]>; from: number | null; to: number | null }
  >();
  const ticksBefore = new Map<number, number | null>();
  for (const x of seen.samples) {
    if (x.t < t0) ticksBefore.set(x.pid, x.ticks);
    if (x.t < t0 || x.t > t1) continue;
    const w = workers.get(x.pid) ?? {
      spans: new Map<string, [number, number]>(),
      from: ticksBefore.has(x.pid) ? (ticksBefore.get(x.pid) ?? null) : 0,
      to: null,
    };
    const s = w.spans.get(x.what);
    w.spans.set(x.what, s ? [s[0], x.t] : [x.t, x.t]);
    w.to = x.ticks;
    workers.set(x.pid, w);
  }
  const parts = [...workers.values()].map((w) => {
    const spans = [...w.spans].map(
      ([what, [a, b]]) => `${what} ${((b - a + AUTOVACUUM_SAMPLE_MS) / 1000).toFixed(1)} s`,
    );
    const cpu = w.from === null || w.to === null ? '' : ` (CPU ${((w.to - w.from) / CLK_TCK).toFixed(1)} s)`;
    return `${spans.join(', ')}${cpu}`;
  });
  const counted: string[] = [];
  for (const [rel, [v1, a1]] of after) {
    const [v0, a0] = before.get(rel) ?? [0, 0];
    if (v1 > v0) counted.push(`${rel} vacuumed`);
    if (a1 > a0) counted.push(`${rel} analyzed`);
  }
  if (counted.length) parts.push(`finished: ${counted.join(', ')}`);
  return [v, parts.length ? parts.join('; ') : 'none'];
}

/** A fresh table `bench_<table>` LIKE `table` with its defaults, identity, constraints and indexes: the COPY baselines' target. */
async function benchTableLike(ctx: AppContext, table: string): Promise<string> {
  const bench = `bench_${table}`;
  await sql`DROP TABLE IF EXISTS ${sql.id(bench)}`.execute(ctx.db);
  await sql`CREATE TABLE ${sql.id(bench)} (LIKE ${sql.id(table)} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING INDEXES)`.execute(
    ctx.db,
  );
  return bench;
}

/**
 * A COPY baseline: the faster of two runs of `once` (a COPY into a fresh target; its seconds), both kept
 * so the reader sees the spread. The same COPY took 5.5 s in one quiet run and 2.0–3.5 s in others (the
 * first after a job on a fresh cluster): a slow baseline makes a ratio look met, so the stricter run
 * counts. `cpu` (clusterCpuReader's) adds the cluster CPU of the faster run, unless `once` measured
 * its own (a TimedRun: the COPY alone, not the untimed filling of its table).
 */
export async function fasterOfTwo(
  once: () => Promise<number | TimedRun>,
  cpu: () => number | null = () => null,
): Promise<CopyBaseline> {
  const runs: TimedRun[] = [];
  for (let i = 0; i < 2; i++) {
    const c0 = cpu();
    const run = await once();
    const c1 = cpu();
    runs.push(typeof run === 'number' ? { seconds: run, cpu: cpuBetween(c0, c1) } : run);
  }
  const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    seconds: best.seconds,
    cpu: best.cpu,
    runs: runs.map((r) => r.seconds),
    autovacuum: runs.map((r) => r.autovacuum ?? null),
  };
}

/** One timed run: its seconds and the cluster CPU seconds it used (null without a reader). */
export interface TimedRun {
  seconds: number;
  cpu: number | null;
  /** what autovacuum did while it ran (autovacuumDuring); null when nothing watched it (PGlite) */
  autovacuum?: string | null;
}

const noCpu = (): null => null;

const cpuBetween = (c0: number | null, c1: number | null): number | null =>
  c0 === null || c1 === null ? null : c1 - c0;

/** Seconds, cluster CPU (`cpu`: clusterCpuReader's) and the autovacuum seen (autovacuumDuring) of fn. */
async function timedRun(
  ctx: AppContext,
  fn: () => Promise<unknown>,
  cpu: () => number | null,
): Promise<TimedRun> {
  const c0 = cpu();
  const [[, seconds], autovacuum] = await autovacuumDuring(ctx, () => timed(fn));
  return { seconds, cpu: cpuBetween(c0, cpu()), autovacuum };
}

export interface CopyBaseline {
  /** the faster run's seconds: the baseline */
  seconds: number;
  /** the faster run's cluster CPU seconds (null without a reader, or on PGlite) */
  cpu: number | null;
  /** every run's seconds, in order */
  runs: readonly number[];
  /** every run's autovacuum (autovacuumDuring), in order; null where nothing watched */
  autovacuum: readonly (string | null)[];
}

/** "2.1 s (faster of 3.5 s, 2.1 s)": the baseline and its runs, for the line that divides by it. */
export const copyRunsText = (b: CopyBaseline): string =>
  `${b.seconds.toFixed(1)} s (faster of ${b.runs.map((s) => `${s.toFixed(1)} s`).join(', ')})`;

/**
 * The COPY baseline of `csv` (columns `cols`) into a new table LIKE `table` with its defaults,
 * constraints and indexes, dropped after each run (fasterOfTwo). PostgreSQL reads the CSV file
 * server-side (the server must run on this machine); PGlite gets it as a blob. The cluster CPU (`cpu`) is
 * the COPY's alone. `fill` (untimed) gives
 * the fresh table what the job's table held before the job (the payroll bench's earlier months), so
 * that the COPY writes into an index of the same size as the job did.
 */
export async function copyCsvBaseline(
  ctx: AppContext,
  table: string,
  cols: string,
  csv: string,
  cpu?: () => number | null,
  fill?: (bench: string) => Promise<void>,
): Promise<CopyBaseline> {
  const dir = mkdtempSync(join(tmpdir(), 'shebao-bench-copy-'));
  chmodSync(dir, 0o755);
  const file = join(dir, `${table}.csv`);
  writeFileSync(file, csv, { mode: 0o644 });
  try {
    return await copyFileBaseline(ctx, table, cols, file, csv, cpu, fill);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * copyCsvBaseline of the rows `query` gives (columns `cols`), written to a CSV file by the server
 * (untimed): the COPY of exactly what a job wrote, without holding it in this process (its peak RSS
 * stays the jobs'). PostgreSQL only.
 */
export async function copyQueryBaseline(
  ctx: AppContext,
  table: string,
  cols: string,
  query: string,
  cpu?: () => number | null,
  fill?: (bench: string) => Promise<void>,
): Promise<CopyBaseline> {
  const dir = mkdtempSync(join(tmpdir(), 'shebao-bench-copy-'));
  // the server writes the file
  chmodSync(dir, 0o777);
  const file = join(dir, `${table}.csv`);
  try {
    await sql.raw(`COPY (${query}) TO '${file}' WITH (FORMAT csv)`).execute(ctx.db);
    return await copyFileBaseline(ctx, table, cols, file, null, cpu, fill);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** copyCsvBaseline's runs: PostgreSQL reads `file` server-side, PGlite gets `csv` as a blob. */
async function copyFileBaseline(
  ctx: AppContext,
  table: string,
  cols: string,
  file: string,
  csv: string | null,
  cpu?: () => number | null,
  fill?: (bench: string) => Promise<void>,
): Promise<CopyBaseline> {
  return fasterOfTwo(async () => {
    const bench = await benchTableLike(ctx, table);
    try {
      await fill?.(bench);
      await settle(ctx, `the COPY into ${bench}`);
      return await timedRun(
        ctx,
        async () => {
          if (ctx.handle.pglite) {
            if (csv === null) throw new Error('a COPY of a query is PostgreSQL only');
            await ctx.handle.pglite.query(`COPY ${bench} (${cols}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
              blob: new Blob([csv]),
            });
          } else await sql.raw(`COPY ${bench} (${cols}) FROM '${file}' WITH (FORMAT csv)`).execute(ctx.db);
        },
        cpu ?? noCpu,
      );
    } finally {
      await sql`DROP TABLE IF EXISTS ${sql.id(bench)}`.execute(ctx.db);
    }
  });
}

/**
 * The parallel floor of a job run on several connections: `parts` (CSV texts with columns `cols`)
 * COPYed at once, each on its own connection, into one new table LIKE `table` with its defaults,
 * constraints and indexes (dropped after each run, fasterOfTwo), filled first as copyCsvBaseline's;
 * seconds until the last COPY ends. PostgreSQL only: the server reads the files.
 */
export async function copyCsvBaselineParallel(
  ctx: AppContext,
  table: string,
  cols: string,
  parts: readonly string[],
  cpu?: () => number | null,
  fill?: (bench: string) => Promise<void>,
): Promise<CopyBaseline> {
  const dir = mkdtempSync(join(tmpdir(), 'shebao-bench-copy-'));
  chmodSync(dir, 0o755);
  const files = parts.map((csv, i) => {
    const file = join(dir, `${table}.${i}.csv`);
    writeFileSync(file, csv, { mode: 0o644 });
    return file;
  });
  try {
    return await fasterOfTwo(async () => {
      const bench = await benchTableLike(ctx, table);
      try {
        await fill?.(bench);
        await settle(ctx, `the parallel COPY into ${bench}`);
        return await timedRun(
          ctx,
          () =>
            Promise.all(
              files.map((f) =>
                sql.raw(`COPY ${bench} (${cols}) FROM '${f}' WITH (FORMAT csv)`).execute(ctx.db),
              ),
            ),
          cpu ?? noCpu,
        );
      } finally {
        await sql`DROP TABLE IF EXISTS ${sql.id(bench)}`.execute(ctx.db);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The COPY baseline of `chunks` (COPY text format, columns `cols`, `expected` rows) into a new table
 * LIKE `table` with its defaults, constraints and indexes, dropped after each run (fasterOfTwo); on
 * PostgreSQL through its own connection (copyChunksInto). `cpu` (databaseCpuReader's): the COPY's alone.
 */
export async function copyChunksBaseline(
  ctx: AppContext,
  dbUrl: string | undefined,
  table: string,
  cols: string,
  chunks: readonly Buffer[],
  expected: number,
  cpu: () => number | null = noCpu,
): Promise<CopyBaseline> {
  return fasterOfTwo(async () => {
    const bench = await benchTableLike(ctx, table);
    try {
      await settle(ctx, `the COPY into ${bench}`);
      return await copyChunksInto(ctx, dbUrl, bench, cols, chunks, expected, cpu);
    } finally {
      await sql`DROP TABLE IF EXISTS ${sql.id(bench)}`.execute(ctx.db);
    }
  });
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** user + system ticks of a process and its parent's pid, from /proc/<pid>/stat (the fields after the command's ')') */
function procTicks(stat: string): { ppid: number; own: number; children: number } {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const n = (k: number): number => Number(f[k - 3]);
  return { ppid: n(4), own: n(14) + n(15), children: n(16) + n(17) };
}

/** user + system CPU ticks of process `pid` so far (null if it has ended or /proc cannot say) */
function ticksOf(pid: number): number | null {
  try {
    return procTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')).own;
  } catch {
    return null;
  }
}

/**
 * A reader of the CPU seconds the PostgreSQL cluster behind `ctx` (on this machine) has used so far:
 * the postmaster's own and its reaped children's, and its live children's (backends, WAL writer,
 * checkpointer, autovacuum); null on PGlite or where /proc cannot say. Unlike seconds it hardly
 * depends on what else the machine runs, and it counts every backend of a job run on several connections.
 */
export async function clusterCpuReader(ctx: AppContext): Promise<() => number | null> {
  if (ctx.handle.pglite) return () => null;
  const r = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(ctx.db);
  let postmaster: number;
  try {
    postmaster = procTicks(readFileSync(`/proc/${r.rows[0]?.pid}/stat`, 'utf8')).ppid;
  } catch {
    return () => null;
  }
  return () => {
    try {
      const pm = procTicks(readFileSync(`/proc/${postmaster}/stat`, 'utf8'));
      let ticks = pm.own + pm.children;
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
          const t = procTicks(readFileSync(`/proc/${d}/stat`, 'utf8'));
          if (t.ppid === postmaster) ticks += t.own;
        } catch {
          // the process ended meanwhile: its ticks are now the postmaster's children's
        }
      }
      return ticks / CLK_TCK;
    } catch {
      return null;
    }
  };
}

/**
 * A reader of the CPU seconds the database behind `ctx` has used so far: the PostgreSQL cluster's
 * (clusterCpuReader) or, on PGlite, this process's, which runs it (and the job's JavaScript, which a
 * PostgreSQL cluster's figure leaves out).
 */
export async function databaseCpuReader(ctx: AppContext): Promise<() => number | null> {
  if (!ctx.handle.pglite) return clusterCpuReader(ctx);
  return () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
}

/** `table` and its indexes, by name (the heap first). */
export async function relationsOf(ctx: AppContext, table: string): Promise<string[]> {
  const r = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
    WHERE x.indrelid = ${table}::regclass ORDER BY c.relname`.execute(ctx.db);
  return [table, ...r.rows.map((x) => x.name)];
}

/**
 * How much of each relation sits in shared buffers, from pg_buffercache ("pension_payment_pkey 12 / 618
 * MiB, …"): what a timed phase starts with, printed beside its figure. PostgreSQL only (null on PGlite).
 */
export async function cacheText(ctx: AppContext, relations: readonly string[]): Promise<string | null> {
  if (ctx.handle.pglite) return null;
  await sql`CREATE EXTENSION IF NOT EXISTS pg_buffercache`.execute(ctx.db);
  const r = await sql<{ name: string; cached: unknown; size: unknown }>`
    SELECT c.relname AS name, round(count(b.bufferid) * current_setting('block_size')::int / 1048576.0) AS cached,
      round(pg_relation_size(c.oid) / 1048576.0) AS size
    FROM pg_class c LEFT JOIN pg_buffercache b ON b.relfilenode = pg_relation_filenode(c.oid)
      AND b.reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
    WHERE c.relname IN (${sql.join(relations.map((x) => sql`${x}`))}) AND c.relnamespace = 'public'::regnamespace
    GROUP BY c.oid, c.relname ORDER BY c.relname`.execute(ctx.db);
  return r.rows.map((x) => `${x.name} ${String(x.cached)} / ${String(x.size)} MiB`).join(', ');
}

/** Reads each relation into shared buffers (pg_prewarm), so that a job and its COPY start alike. PostgreSQL only. */
export async function prewarm(ctx: AppContext, relations: readonly string[]): Promise<void> {
  if (ctx.handle.pglite) return;
  await sql`CREATE EXTENSION IF NOT EXISTS pg_prewarm`.execute(ctx.db);
  for (const rel of relations) await sql`SELECT pg_prewarm(${rel}::regclass)`.execute(ctx.db);
}

/** The `count` months before `period`, oldest first ('YYYY-MM'). */
export function monthsBefore(period: string, count: number): string[] {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let k = count; k >= 1; k--) {
    const t = y * 12 + (m - 1) - k;
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** The columns of paymentCsv's rows. */
export const PAYMENT_COLS = 'award_id, period, kind, amount_fen, payroll_run_id, chunk_no';

/** n regular payment rows (CSV, PAYMENT_COLS) of awards from, from + 1, …, shaped like a payroll's: the payroll COPY baseline's rows. */
export function paymentCsv(n: number, from = 1, period = '2021-05'): string {
  const parts: string[] = [];
  for (let i = from; i < from + n; i++)
    parts.push(`${i},${period},regular,${200000 + ((i * 7919) % 400000)},1,${Math.ceil(i / 50000)}\n`);
  return parts.join('');
}

export function chunksOf(buf: Buffer, size = 64 * 1024): Buffer[] {
  const out: Buffer[] = [];
  for (let o = 0; o < buf.length; o += size) out.push(buf.subarray(o, Math.min(buf.length, o + size)));
  return out;
}

/**
 * The main of a per-target benchmark: as a child (`--target <t>`) it runs that target and answers its
 * result; as the parent it prints `header` and runs each target in a child (runTargets).
 */
export async function perTargetMain<R>(
  script: string,
  runTarget: (target: Target) => Promise<R>,
  opts: { header: () => string; order: readonly Target[]; print: (r: R) => void; maxBuffer?: number },
): Promise<void> {
  const target = arg('target');
  if (target === 'pglite' || target === 'postgresql') {
    emitResult(await runTarget(target));
    return;
  }
  console.log(opts.header());
  runTargets(script, targetsOf(opts.order), opts.print, opts.maxBuffer);
}

/**
 * The parent side of a per-target benchmark: runs `script` once per target in a child process
 * (`--target <t>`, the other arguments passed on), reads its `RESULT <json>` line and prints it.
 * The child side: `if (isChild()) emitResult(await runTarget(TARGET))`.
 */
export function runTargets<R>(
  script: string,
  targets: readonly Target[],
  print: (r: R) => void,
  maxBuffer = 64 * 1024 * 1024,
): void {
  const only = arg('only');
  for (const target of targets.filter((t) => only === undefined || t === only)) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, script, ...process.argv.slice(2), '--target', target],
      { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer },
    );
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (child.status !== 0 || !line) {
      console.log(`\n## ${target}: failed (exit ${child.status})\n${child.stdout}`);
      continue;
    }
    print(JSON.parse(line.slice(7)) as R);
  }
}

/** The child side's answer to runTargets. */
export const emitResult = (r: unknown): void => {
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
};

/** The targets in the order given, PostgreSQL only when BENCH_DATABASE_URL is set (said once). */
export function targetsOf(order: readonly Target[]): Target[] {
  if (!process.env['BENCH_DATABASE_URL']) console.log('(BENCH_DATABASE_URL is not set: PGlite only)');
  return order.filter((t) => t === 'pglite' || process.env['BENCH_DATABASE_URL']);
}

/**
 * The in-process benchmarks' main: `bench(kind)` for PostgreSQL then PGlite as `which` says
 * (pglite | postgresql | both), each with a context from openBenchContext and its own RSS peak.
 */
export async function runInProcess(
  which: string,
  bench: (kind: Target, ctx: AppContext, peakMb: () => string) => Promise<void>,
): Promise<void> {
  const rss = rssSampler();
  try {
    for (const kind of ['postgresql', 'pglite'] as const) {
      if (which !== kind && which !== 'both') continue;
      const opened = await openBenchContext(kind);
      if (!opened) continue;
      rss.reset();
      try {
        await bench(kind, opened.ctx, () => `${mib(rss.peak())} MB`);
      } finally {
        await opened.close();
      }
    }
  } finally {
    rss.stop();
  }
}

/**
 * Seconds to COPY `chunks` (COPY text format, columns `cols`) into `table`, and the CPU seconds `cpu`
 * counted meanwhile: PGlite as one blob, PostgreSQL through its own connection (COPY … FROM STDIN, the
 * chunks streamed). Checks, untimed, that `expected` rows arrived.
 */
export async function copyChunksInto(
  ctx: AppContext,
  dbUrl: string | undefined,
  table: string,
  cols: string,
  chunks: readonly Buffer[],
  expected: number,
  cpu: () => number | null = noCpu,
): Promise<TimedRun> {
  const c0 = cpu();
  // Read before the connection closes: an ended backend's CPU is not reliably its postmaster's yet.
  let c1: number | null;
  const t0 = performance.now();
  if (ctx.handle.pglite) {
    await ctx.handle.pglite.query(`COPY ${table} (${cols}) FROM '/dev/blob'`, [], {
      blob: new Blob(chunks.map((c) => new Uint8Array(c.buffer as ArrayBuffer, c.byteOffset, c.length))),
    });
    c1 = cpu();
  } else {
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    try {
      await copyIn(client, `COPY ${table} (${cols}) FROM STDIN`, chunks);
      c1 = cpu();
    } finally {
      await client.end();
    }
  }
  const run = { seconds: (performance.now() - t0) / 1000, cpu: cpuBetween(c0, c1) };
  const n = Number(
    (await sql<{ n: string | number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(ctx.db)).rows[0]
      ?.n,
  );
  if (n !== expected) throw new Error(`COPY wrote ${n} rows into ${table}, expected ${expected}`);
  return run;
}
