// Benchmark of the HTTP API against a bare route (issue 18), on PostgreSQL (BENCH_DATABASE_URL, an
// admin URL: a fresh database is created there and dropped after; `npm run bench -- api` starts a
// throwaway cluster when none is given).
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55602/postgres node --import tsx bench/api.bench.ts \
//     [--persons 2000] [--connections 50] [--duration 10] [--warmup 2]
// The demo city is built into the fresh database; then two servers run, each in its own process:
// the real server (buildServer, as `shebao start` runs it) and a bare Fastify + pg route reading the
// same person row from the same database with a pool of the same size. autocannon (in this process)
// drives each case with the same connections after a warm-up and prints requests/s, p50, p99 and the
// ratio of requests/s to the bare route's (measured before and after the cases; their mean is the
// reference). The machine is shared and noisy: the ratio within one run is the figure that counts.
// A benchmark, not a test: it never fails on timing.
//
// Each figure line also prints the CPU per answered request of the server process and of the
// database's backends (Linux /proc): on a shared machine that, not requests/s, is what to compare
// between runs. `--cases citizen,clerk,record,search,login` runs a subset.
//
// Where the time goes (docs/performance.md, API, third pass): the citizen read is one statement
// (the session comes from the process's 1 s cache) plus Fastify, Kysely and the socket writes — no
// single hot spot once helmet's headers are computed once; the clerk read adds its audit entry,
// group-committed with the reads around it straight into the chain (queued when that would wait); the record is the database's — 133 bill
// lines in 133 heap blocks joined to their bills, and a complex statement planned on each execution.
//
// Quiet run (2026-12-02 03:30 UTC, load ~2, main at eff7ded, 10 s per case): bare 5,750 req/s;
// citizen 56 % (p99 31 ms), clerk 34 % (p99 56 ms), record 4 % (241 req/s, p99 488 ms), search 10 %,
// login 103 req/s.
// Last run (branch api-perf, 2026-12-02 04:44 UTC, 5 s per case, load average 17–19 — four other
// helpers at work, the bare route swinging between 930 and 3,945 req/s within the run): CPU per
// request server / database, bare 0.13–0.34 / 0.12–0.20 ms; citizen 0.44 / 0.12 ms (ratio 149 %,
// p99 239 ms: the bare run before it was slowed by the load); clerk 0.43 / 0.23 ms (39 %, p99 172 ms);
// record 2.27 / 3.05 ms (3 %, p99 1.5 s); search 0.97 / 1.55 ms (17 %); login 11 req/s. Before this
// branch, same session (03:35, load 4–11): citizen 17 %, clerk 15 %, record 4 %, search 9 %.
// Quiet re-run after the changes (2026-12-02 05:50 UTC, load 1–3, main at b82b927, 10 s per case):
// bare 6,842–7,896 req/s; citizen 85 % (5,806 req/s, p99 18 ms: aim met), clerk 52 % (p99 26 ms),
// record 7 % (533 req/s, p99 143 ms), search 13 % (p99 86 ms), login 102 req/s.
// Fourth pass (branch api-2, 2026-12-02 06:59–07:18 UTC, load 9–16: three other helpers at work, so
// only the CPU per request and pairs minutes apart compare; main at e4bde05 as "before"):
// record: one statement returning the lines raw (json int arrays) and aggregated in the process, its
// generic plan kept (the id as a one-row subquery) — CPU per request server / database 1.21 / 1.13 ms
// against 1.75 / 2.29 before (07:00, 407 req/s against 209); the clerk's read and its audit-queue
// insert in one statement — 0.29 / 0.15 ms against 0.38 / 0.19 (07:07, 2,493 req/s against 1,300);
// search page and total in one statement — 0.84 / 0.93 ms against 1.15 / 1.65 (07:12). The all-case
// pair at 07:14–07:18 (load 11–16): record db 1.80 against 2.99 ms, search db 0.89 against 1.39 ms;
// the clerk's and citizen's ratios moved with the load (clerk 53 % against 43 %). No aim met at that load.
// Calmer pair (07:30–07:34, load 4–7, after then before): record 710 req/s, p99 160 ms, 0.92 / 0.99 ms
// against 324 req/s, p99 388 ms, 1.44 / 2.57 ms; clerk 46 % (p99 50 ms, 0.22 / 0.17 ms) against 33 %
// (p99 52 ms, 0.31 / 0.20 ms); search 18 % (0.40 / 0.69 ms) against 14 % (0.52 / 1.11 ms); citizen
// (unchanged) 69 % against 79 %. Aims still not met: record p99, clerk ratio and p99.
// Fifth pass (branch clerk-read, 10:25–11:40 UTC, load 12–19, pairs with main at d915b21): the clerk's
// audit chain writer cost more database time per read than the read itself — audit_log's UNIQUE (hash)
// index (dropped, migration 1300) and a look for an empty queue before every batch (skipped under
// load). Writer insert 63–85 → 19–25 µs per entry; clerk CPU server / database 0.19–0.24 / 0.11–0.14 →
// 0.15–0.19 / 0.09–0.11 ms over three pairs; the ratios (main 30–45 %,
// branch 28–92 %) followed the load. Aims not judgeable at that load; re-run on a quiet machine.
// Fifth pass, record (branch record-sum, 2026-12-02 11:08–11:09 UTC, load 15, main at d915b21 then the
// branch on the same database): the record reads the person's per-year summary (record_year, kept by
// triggers; a year with an open bill from its lines) — CPU per record server / database 0.78 / 0.44 ms
// against 0.96 / 0.91 ms; 619 against 493 req/s; p99 338 against 263 ms with the bare route falling
// from 10,282 to 2,063 req/s between the two runs: the p99 aim is not judgeable at that load. A second
// pair (11:24–11:26, load 17–23): database 0.69 → 0.52–0.54 ms, server 0.89 → 0.95–1.22 ms (noise): the
// database's share fell; the server's (the index rule over the lines, the driver, Fastify) did not.
// Sixth pass (branch clerk-batch, 2026-12-02 13:51–14:50 UTC, load 8–19): the clerk's entry group-committed
// straight into the chain (a plain read, then a batch insert per event-loop turn) — database CPU per read
// −25–35 % but p50 doubled and 1,700–1,979 against main's 3,250–3,539 req/s at 50 connections: not taken
// (docs/performance.md, API, sixth pass). `--rate N` offers a fixed load (autocannon's overallRate).
// Sixth pass, record (branch record-p99, 2026-12-02 14:52–14:55 UTC, load 8–9, alternating with main at
// 179c479 on the same database): the index rule in exact integer fractions (~210 → ~35 µs), a light
// statement for a person with every line in the summary and no transfer (execution 0.37 → 0.18 ms), its
// text built once — CPU per record server / database 0.43–0.52 / 0.27 ms against 0.90–0.97 / 0.55–0.60;
// 1,388–1,673 against 709–750 req/s, p99 99–163 against 254–261 ms: p99 aim not judgeable at that load.
// Seventh pass (branch clerk7, 16:43–18:15 UTC, load 8–17): the clerk's response is byte for byte the
// citizen's (headers and body), so its extra cost is the audit alone — the read-and-queue statement's
// insert and commit in the database (~0.08–0.1 ms of backend CPU per read under load, against ~0.02–0.03
// for the writer's share) and the writer's JS per entry, which was cut from 40–46 to 23–34 µs (hash from
// a fixed key order, the chain's insert built without Kysely). `--cpu-prof DIR` profiles the server.
// Ninth pass (branch near9, load 5–10): the writer's take (`DELETE … WHERE id IN (SELECT … LIMIT)`) was
// planned as two sequential scans of a queue full of deleted entries; as `id = ANY (ARRAY(…))` it walks
// the primary key: 1.4–1.5 → 0.46–0.59 ms a take of 100, 15 → 5–6 µs per entry in a steady drain. At a
// fixed 800 req/s a clerk read costs server / database 0.38 / 0.16 ms against the citizen's 0.34 / 0.07:
// what is left is the entry's write transaction (its statement: 7 buffer hits, 2 WAL records) and the chain.
// Tenth pass (branch api10, load 6–13): the chain's insert had a text per batch size, parsed and planned
// for every batch (a 1,200–1,500-parameter VALUES: ~11 µs per entry of planning alone); now eight sizes
// (1–128 rows), each prepared once per connection — database CPU per chained entry −20–35 % in a drain
// of 20,000, clerk read database CPU 0.20–0.27 → 0.19–0.22 ms at a fixed 800 req/s. The session lookup
// runs once per in-flight request when its 1 s entry expires (~35 lookups a second at 50 connections).
// Eleventh pass (branch api11, load 2.5–12): one lookup in flight per token, renewed in its entry's last
// fifth — session statements per citizen+clerk run 753–838 → 26; each case's line now also shows the real
// server's event-loop delay and GC pauses (watchLoop): the p99 follows the loop's stalls and the load
// (GC pauses of 1–3 ms stretched to 10–95 ms at load 3–12), and `--server-flags` sets its node flags.
// Sixteenth pass (branch api16, 2026-12-04, load 9–21): each case runs `--repeat` times in a row
// (default 2), every run printed, its aim met only when all runs meet it — a fresh cluster's or a busy
// window's first run had been quoted alone. In this closed loop the p99 is the mean wait (50 ÷ req/s,
// Little's law) times 1.8–2.1 on a quiet machine (every quiet run since the sixth pass): the record's
// p99 ≤ 50 ms needs ≥ ~1,900 records/s, the clerk's p99 ≤ 25 ms ≥ ~3,800 reads/s — the server's one
// thread at ≤ ~0.45 and ≤ ~0.25 ms of CPU a request. Under load the factor grows to 4–6: the 40
// requests beyond the pool's 10 wait in the process (the person reads' pool wait p50 15–25, p99 76–131
// ms at load 17–21), scavenges of 1–3 ms stretch to 16–444 ms waiting for a core. The audit writer is
// not the tail: no read waited for it in a closed loop, its hashing is 18 µs an entry in batches of
// 50–110. A pool of 4, a 64 MB young generation, single-threaded GC: measured, not taken.
// Eighteenth pass (2026-12-04 15:25–15:33 UTC, quiet: load 2.1–2.8, two pairs alternating on the same
// cluster): the clerk's read is the plain person read, its entry group-committed into the audit queue
// with the staff reads around it (QueueBatcher) instead of inserted in the read's own statement — clerk
// 2,959–3,870 against 2,279–2,710 req/s, CPU per read server / database 0.24–0.31 / 0.13–0.16 against
// 0.28–0.36 / 0.20–0.26 ms, ratio 58–81 % against 41–52 %, p99 24–37 against 35–41 ms. A 64 MB young
// generation for the record, again: fewer, longer pauses, p99 74–87 against 71–87 ms; not taken.
// Eighteenth pass (branch rec18, load 4–12): the record is one statement of ~185 µs of backend CPU in
// one connection (the bare read ~34): the year rows' JSON built per read was ~40–50 of it; each
// record_year row now keeps its text (row_json, written with the row), −15–20 % of the record's database
// CPU (statement 130–208 → 110–165 µs; 0.59 → 0.50 ms a record at 10 concurrent). What is left there: the
// employers' names, the interest credits, the open-line count and the transfer probes (~60 µs), the
// executor's nodes. A fresh seed reads ~158 buffers a record (heap fetches of the open-line count) until
// autovacuum sets the visibility map, within a minute; 25 after.
// Nineteenth pass (branch clerk19, load 2–12, six pairs alternating with main): the clerk's batch goes
// straight into the chain when the chain's lock is free and nothing is queued (one prepared statement,
// the head from memory), else queued as before — per read 4.07 against 7.12 WAL records, 0.06 against
// 0.11 audit statements, database CPU 0.14–0.24 against 0.19–0.25 ms (medians 0.18 / 0.225), server
// 0.22–0.41 against 0.29–0.45 ms; the ratio and p99 not judgeable at that load.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const PERSONS = Number(arg('persons', '2000'));
const CONNECTIONS = Number(arg('connections', '50'));
const DURATION = Number(arg('duration', '10'));
const WARMUP = Number(arg('warmup', '2'));
// --rate N: a fixed offered load of N requests/s in all (autocannon's overallRate) instead of as
// many as the connections can make: CPU per request and p99 at the same load compare between runs.
const RATE = Number(arg('rate', '0'));
// --cases citizen,clerk,record,search,login: only these (all by default).
const ONLY = arg('cases', '')
  .split(',')
  .filter((x) => x !== '');
// --repeat N: each case (with its bare run before it) measured N times in a row, every run printed;
// its aim counts as met only when every run meets it. Default 2: one run's p99 is one window's — on a
// fresh cluster or a busy machine the first run of a case was 2–3× the second (docs/performance.md).
const REPEAT = Math.max(1, Number(arg('repeat', '2')));
// --cpu-prof DIR: the real server writes a V8 CPU profile of its whole run into DIR (node --cpu-prof).
const CPU_PROF = arg('cpu-prof', '');
// --server-flags "…": node flags for the real server's process only (e.g. a GC setting), space-separated.
const SERVER_FLAGS = arg('server-flags', '')
  .split(' ')
  .filter((x) => x !== '');
const POOL = 10; // the real server's pool size (src/db/connection.ts); the bare route gets the same

// ---- child processes ---------------------------------------------------------------------------

async function serveReal(url: string): Promise<void> {
  const { openContext, makeLogger } = await import('../src/bootstrap.ts');
  const { loadConfig } = await import('../src/config.ts');
  const { buildServer } = await import('../src/server.ts');
  const log = makeLogger('silent');
  const ctx = await openContext(
    { ...loadConfig({ TRUSTED_PROXIES: '127.0.0.1' }), databaseUrl: url, logLevel: 'silent' },
    log,
  );
  if (process.argv.includes('--seed')) {
    const { buildDemo } = await import('../src/demo/demo-seed.ts');
    const report = await buildDemo(ctx, {
      seed: 20211231,
      persons: PERSONS,
      employers: Math.max(40, Math.round(PERSONS / 25)),
      asOf: new Date().toISOString().slice(0, 10),
    });
    await ctx.handle.close();
    process.stdout.write(`SEEDED ${report.seconds.toFixed(1)}\n`);
    return;
  }
  const app = await buildServer(ctx);
  watchLoop();
  const stop = () =>
    void app
      .close()
      .then(() => ctx.handle.close())
      .then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
}

/**
 * The event loop's delay and the GC's pauses in the real server over a measured run: SIGUSR2 prints
 * them (`LOOP p50 p99 max gcMs gcMaxMs gcCount majorMs majorCount`, milliseconds) and starts the next window. Where the
 * p99 of a read comes from: a loop that stalls (GC, a long batch) delays every request queued behind it.
 */
function watchLoop(): void {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const gc = { ms: 0, max: 0, n: 0, majorMs: 0, majorN: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.ms += e.duration;
      gc.max = Math.max(gc.max, e.duration);
      gc.n += 1;
      // Anything but a scavenge (NODE_PERFORMANCE_GC_MINOR): mark-sweep-compact, incremental marking.
      if (
        (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind !==
        constants.NODE_PERFORMANCE_GC_MINOR
      ) {
        gc.majorMs += e.duration;
        gc.majorN += 1;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    process.stdout.write(
      `LOOP ${ms(loop.percentile(50))} ${ms(loop.percentile(99))} ${ms(loop.max)} ${gc.ms.toFixed(0)} ${gc.max.toFixed(1)} ${gc.n} ${gc.majorMs.toFixed(0)} ${gc.majorN}\n`,
    );
    loop.reset();
    Object.assign(gc, { ms: 0, max: 0, n: 0, majorMs: 0, majorN: 0 });
  });
}

async function serveBare(url: string): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/bare/persons/:id', async (req, reply) => {
    const r = await pool.query('SELECT * FROM person WHERE id = $1', [Number(req.params.id)]);
    if (r.rows.length === 0) return reply.status(404).send({ error: 'not found' });
    return r.rows[0] as unknown;
  });
  const stop = () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  process.stdout.write(`PORT ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
}

// ---- the driver --------------------------------------------------------------------------------

function child(mode: string, url: string, extra: string[] = []): Promise<Child> {
  const proc = spawn(
    process.execPath,
    [
      ...(CPU_PROF !== '' && mode === 'real' && !extra.includes('--seed')
        ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF]
        : []),
      ...(mode === 'real' ? SERVER_FLAGS : []),
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child',
      mode,
      '--url',
      url,
      ...extra,
      ...process.argv.slice(2),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const waiting: Array<(line: string) => void> = [];
  const loop = () =>
    new Promise<string>((resolve) => {
      waiting.push(resolve);
      proc.kill('SIGUSR2');
    });
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout });
    rl.on('line', (line) => {
      if (/^(PORT|SEEDED) /.test(line)) resolve({ proc, line, loop });
      else if (line.startsWith('LOOP ')) waiting.shift()?.(line.slice(5));
    });
    proc.on('exit', (code) => reject(new Error(`${mode} exited with ${String(code)}`)));
  });
}

interface Child {
  proc: ChildProcess;
  line: string;
  /** The real server's event loop and GC since the last call (watchLoop): "p50 p99 max gcMs gcMax gcN majorMs majorN". */
  loop: () => Promise<string>;
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU milliseconds per answered request: the server's process and the database's backends. */
  serverCpu: number;
  dbCpu: number | null;
  /** the real server's event loop over the run (watchLoop), or null for the bare route */
  loop: string | null;
}

// CPU time (Linux /proc, in ms) of a process, and of the PostgreSQL backends serving one database
// (their process titles name it; none found — another host or OS — gives null). Unlike requests/s
// on a shared machine, CPU per request does not depend on what else runs: it is the figure to
// compare between runs.
const TICK_MS = 10; // USER_HZ is 100 on Linux
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}
function backendsCpuMs(dbName: string): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d));
  } catch {
    return out;
  }
  for (const d of pids) {
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres: ') && cmd.includes(` ${dbName} `))
        out.set(Number(d), procCpuMs(Number(d)));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function drive(
  opts: autocannon.Options,
  serverPid: number,
  dbName: string,
  loop?: () => Promise<string>,
): Promise<Figures> {
  const base = { connections: CONNECTIONS, ...(RATE > 0 ? { overallRate: RATE } : {}), ...opts };
  if (WARMUP > 0) await autocannon({ ...base, duration: WARMUP });
  const server0 = procCpuMs(serverPid);
  const db0 = backendsCpuMs(dbName);
  await loop?.();
  const r = await autocannon({ ...base, duration: DURATION });
  const loopLine = (await loop?.()) ?? null;
  const serverMs = procCpuMs(serverPid) - server0;
  const db1 = backendsCpuMs(dbName);
  let dbMs = 0;
  for (const [pid, ms] of db1) dbMs += ms - (db0.get(pid) ?? 0);
  const answered = Math.max(1, r.requests.total);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    serverCpu: serverMs / answered,
    dbCpu: db1.size > 0 ? dbMs / answered : null,
    loop: loopLine,
  };
}

/** "p50 p99 max gcMs gcMax gcN majorMs majorN" as the figure line prints it. */
function loopText(line: string): string {
  const [p50, p99, max, gcMs, gcMax, gcN, majorMs, majorN] = line.split(' ');
  return `delay p50 ${p50} ms p99 ${p99} ms max ${max} ms; GC ${gcMs} ms in ${gcN} pauses (longest ${gcMax} ms; not scavenges ${majorMs} ms in ${majorN})`;
}

async function login(base: string, username: string) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'shebao-demo' }),
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const body = (await r.json()) as { user: { personId: number | null } };
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, personId: body.user.personId };
}

async function main(): Promise<void> {
  const admin = process.env['BENCH_DATABASE_URL'];
  if (!admin) {
    console.log('# api: BENCH_DATABASE_URL is not set (PostgreSQL only): skipped');
    return;
  }
  // --reuse NAME: a database of that name already holding the demo city (kept after the run).
  const reuse = arg('reuse', '');
  const name = reuse || `shebao_bench_api_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  if (!reuse) await c.query(`CREATE DATABASE ${name}`);
  const serverVersion =
    (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  const children: ChildProcess[] = [];
  try {
    const t0 = performance.now();
    if (!reuse) {
      const seeded = await child('real', url, ['--seed']);
      await new Promise((r) => seeded.proc.once('exit', r));
    }
    console.log(
      `# PostgreSQL ${serverVersion}, demo city of ${PERSONS} persons ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const real = await child('real', url);
    const bare = await child('bare', url);
    children.push(real.proc, bare.proc);
    const realBase = `http://127.0.0.1:${real.line.split(' ')[1]}`;
    const bareBase = `http://127.0.0.1:${bare.line.split(' ')[1]}`;
    const citizen = await login(realBase, 'citizen');
    const clerk = await login(realBase, 'clerk');
    const pid = citizen.personId;
    if (pid === null) throw new Error('the demo citizen has no person');
    const who = new pg.Client({ connectionString: url });
    await who.connect();
    const personName = (await who.query<{ name: string }>('SELECT name FROM person WHERE id = $1', [pid]))
      .rows[0]!.name;
    await who.end();
    console.log(
      `# ${CONNECTIONS} connections, ${DURATION} s each after a ${WARMUP} s warm-up, each case ${REPEAT}× in a row; pool ${POOL} on both servers; person ${pid}`,
    );

    let ip = 0;
    const cases: Array<{
      key: string;
      label: string;
      aim: string;
      minRatio?: number;
      maxP99?: number;
      opts: autocannon.Options;
    }> = [
      {
        key: 'citizen',
        label: 'GET /api/v1/persons/{id}, citizen (own record)',
        aim: '≥ 70 %, p99 ≤ 25 ms',
        minRatio: 0.7,
        maxP99: 25,
        opts: { url: `${realBase}/api/v1/persons/${pid}`, headers: { cookie: citizen.cookie } },
      },
      {
        key: 'clerk',
        label: 'GET /api/v1/persons/{id}, clerk (audited)',
        aim: '≥ 60 %, p99 ≤ 25 ms',
        minRatio: 0.6,
        maxP99: 25,
        opts: { url: `${realBase}/api/v1/persons/${pid}`, headers: { cookie: clerk.cookie } },
      },
      {
        key: 'record',
        label: 'GET /api/v1/persons/{id}/record, citizen',
        aim: 'p99 ≤ 50 ms',
        maxP99: 50,
        opts: { url: `${realBase}/api/v1/persons/${pid}/record`, headers: { cookie: citizen.cookie } },
      },
      {
        key: 'search',
        label: 'GET /api/v1/persons?name=…, clerk (audited search)',
        aim: '—',
        opts: {
          url: `${realBase}/api/v1/persons?name=${encodeURIComponent(personName)}&pageSize=20`,
          headers: { cookie: clerk.cookie },
        },
      },
      {
        key: 'login',
        label: 'POST /api/v1/auth/login (argon2)',
        aim: '—',
        opts: {
          url: `${realBase}/api/v1/auth/login`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'citizen', password: 'shebao-demo' }),
          // Each request from its own address (the server trusts 127.0.0.1 as a proxy here), so the
          // login rate limit of 30 a minute per address does not answer 429 instead of logging in.
          requests: [
            {
              setupRequest: (req) => ({
                ...req,
                headers: {
                  ...req.headers,
                  'x-forwarded-for': `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip++ & 255}`,
                },
              }),
            },
          ],
        },
      },
    ];
    // The bare route runs right before each case, so a change in the machine's load between cases
    // moves both figures of a ratio alike.
    const bareUrl = `${bareBase}/bare/persons/${pid}`;
    const fmt = (f: Figures) =>
      `${f.rps.toFixed(0).padStart(6)} req/s  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms` +
      `  cpu/req server ${f.serverCpu.toFixed(2)} ms db ${f.dbCpu === null ? '—' : f.dbCpu.toFixed(2)} ms` +
      (f.non2xx + f.errors > 0 ? `  (${f.non2xx} non-2xx, ${f.errors} errors)` : '') +
      (f.loop === null ? '' : `\n${' '.repeat(52)}  loop ${loopText(f.loop)}`);
    for (const k of cases) {
      if (ONLY.length > 0 && !ONLY.includes(k.key)) continue;
      let metRuns = 0;
      for (let run = 1; run <= REPEAT; run++) {
        const b = await drive({ url: bareUrl }, bare.proc.pid!, name);
        const f = await drive(k.opts, real.proc.pid!, name, real.loop);
        const ratio = f.rps / b.rps;
        // A case with no answers (every request timed out) meets nothing, whatever its zero p99 says.
        const met =
          f.rps > 0 &&
          f.errors + f.non2xx === 0 &&
          (k.minRatio === undefined || ratio >= k.minRatio) &&
          (k.maxP99 === undefined || f.p99 <= k.maxP99);
        if (met) metRuns += 1;
        console.log(
          `${'  bare Fastify + pg, same row'.padEnd(52)} ${fmt(b)}  load ${loadavg()
            .map((x) => x.toFixed(1))
            .join(' ')}`,
        );
        console.log(
          `${`${k.label}${REPEAT > 1 ? ` [${run}/${REPEAT}]` : ''}`.padEnd(52)} ${fmt(f)}  ratio ${(ratio * 100).toFixed(0).padStart(3)} %  aim ${k.aim}${k.aim === '—' ? '' : met ? '  met' : '  NOT met'}`,
        );
      }
      if (k.aim !== '—' && REPEAT > 1)
        console.log(
          `${`  ${k.key}: aim ${k.aim}`.padEnd(52)} met in ${metRuns} of ${REPEAT} runs${metRuns === REPEAT ? '  met' : '  NOT met'}`,
        );
    }
  } finally {
    // Let the servers close their pools before the database is dropped under them.
    await Promise.all(
      children.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null) return resolve();
            const force = setTimeout(() => p.kill('SIGKILL'), 10_000);
            p.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            p.kill('SIGTERM');
          }),
      ),
    );
    if (!reuse) {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    }
  }
}

const mode = process.argv.includes('--child') ? process.argv[process.argv.indexOf('--child') + 1] : null;
const childUrl = process.argv.includes('--url') ? process.argv[process.argv.indexOf('--url') + 1]! : '';
if (mode === 'real') await serveReal(childUrl);
else if (mode === 'bare') await serveBare(childUrl);
else await main();
