// Browser tests: builds the web app if needed, seeds a small demo city into a fresh temporary
// PGlite folder, copies it once, serves each copy on a free port and runs the journeys in e2e/*.e2e.ts
// (node:test + playwright-core driving /usr/bin/chromium) in two shards, one per server and core (a
// journey keeps about one core busy: the server and Chromium take turns), then stops the servers and
// prints "N passed, N failed" for both. E2E_PERSONS (default 2000) sizes the city; E2E_SHARDS=2 shards them (default 1: sharded, a journey timed out under the other shard’s load); E2E_SHARDS=1 runs
// every journey against one server as before; E2E_KEEP=1 keeps the data folders and server logs.
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const persons = process.env.E2E_PERSONS ?? '2000';
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

function say(line) {
  process.stdout.write(`e2e: ${line}\n`);
}

async function waitForHealth(base, server, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no answer from ${base}/api/health within ${timeoutMs / 1000}s`);
}

/** The child's exit code once it has exited and its output is read (null when a signal ended it). */
function finished(child) {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

if (!existsSync(chromium)) {
  say(`${chromium} not found: install it with \`apt-get install -y chromium fonts-noto-cjk\``);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

// `npm run e2e -- pages-audit mobile` (or a path, e2e/pages-audit.e2e.ts): only the journeys whose path
// contains one of the words. None matching is an error before the city is seeded (node --test given no
// file would run other tests).
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'e2e'))
  .filter((f) => f.endsWith('.e2e.ts'))
  .map((f) => join('e2e', f))
  .filter((f) => only.length === 0 || only.some((w) => f.includes(w)))
  .sort();
if (files.length === 0) {
  say(`no journey's path contains ${only.map((w) => `"${w}"`).join(' or ')} (e2e/*.e2e.ts)`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

// Seconds per journey file in one shard, the shards are balanced by them; a file not listed counts as
// TYPICAL. Estimates (lines of each file, the two page walks measured): the first whole run, on a machine
// shared with other work, found the two shards they make within 4 % of each other (2,377 and 2,456 s of
// journeys at a load of ~25 on 2 cores). Each whole run prints the figures: when the shards drift apart,
// update these from them and run the whole set, since another split puts other files side by side.
const SECONDS = {
  'e2e/pages-menu.e2e.ts': 150,
  'e2e/mobile-portals.e2e.ts': 133,
  'e2e/retirement-collection.e2e.ts': 107,
  'e2e/cross-province.e2e.ts': 71,
  'e2e/federation.e2e.ts': 71,
  'e2e/pages-pension.e2e.ts': 65,
  'e2e/benefits-3-agency.e2e.ts': 55,
  'e2e/pages-payment.e2e.ts': 42,
  'e2e/supervision-cases.e2e.ts': 41,
  'e2e/approvals.e2e.ts': 41,
  'e2e/injury-hospital.e2e.ts': 39,
  'e2e/pages-staff.e2e.ts': 35,
  'e2e/hall-home.e2e.ts': 34,
  'e2e/hall.e2e.ts': 33,
  'e2e/logins.e2e.ts': 31,
  'e2e/cards.e2e.ts': 31,
};
const TYPICAL = 20;
// Files that share one server in their order: pages-staff reads the refund-due order pages-payment
// leaves.
const TOGETHER = [['e2e/pages-payment.e2e.ts', 'e2e/pages-staff.e2e.ts']];
// The federation's journeys start a broker and nodes that seed cities of their own (both cores for a
// minute): they run after the shards, one at a time with nothing beside them. Beside the other shard
// (CI, 6948fcb) a node missed its start-up limit and the other shard's hospital journey its 20 s wait.
const ALONE = ['e2e/cross-province.e2e.ts', 'e2e/federation.e2e.ts', 'e2e/retirement-collection.e2e.ts'];

/** The files in `count` shards of about equal seconds: the longest unit first into the lightest shard. */
function shard(all, count) {
  const units = TOGETHER.map((g) => g.filter((f) => all.includes(f))).filter((g) => g.length > 0);
  for (const f of all) if (!units.some((g) => g.includes(f))) units.push([f]);
  const cost = (g) => g.reduce((sum, f) => sum + (SECONDS[f] ?? TYPICAL), 0);
  units.sort((a, b) => cost(b) - cost(a));
  const shards = Array.from({ length: count }, () => ({ files: [], seconds: 0 }));
  for (const g of units) {
    const lightest = shards.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    lightest.files.push(...g);
    lightest.seconds += cost(g);
  }
  // in name order within a shard, as in one run: a file may count on what an earlier one left
  for (const s of shards) s.files.sort();
  return shards.filter((s) => s.files.length > 0);
}

/** Bytes and files under `dir`: the copy of the stopped seed must have the same. */
function tally(dir) {
  let bytes = 0;
  let count = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    bytes += statSync(join(e.parentPath ?? e.path, e.name)).size;
    count += 1;
  }
  return `${count} files, ${bytes} bytes`;
}

/** Two free ports at once: each held until both are known, so the second cannot be the first again. */
async function freePorts(count) {
  const servers = [];
  for (let i = 0; i < count; i += 1) {
    const srv = createServer();
    await new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', resolve);
    });
    servers.push(srv);
  }
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Each line of `stream` on stdout as it comes, after `prefix` (two shards' lines interleave). */
function prefixed(stream, prefix) {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
    process.stdout.write(`${prefix}${line}\n`),
  );
}

/**
 * CPU seconds of this run's processes that have ended (the build, the seed, the servers, the shards and
 * their browsers): the kernel's count in /proc, so other work on a shared machine does not blur it.
 */
function childCpuSeconds() {
  if (!existsSync('/proc/self/stat')) return null;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // after "(comm) ": state is field 3, cutime and cstime fields 16 and 17, in ticks of 1/100 s
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const begun = Date.now();
const shardCount = Math.max(1, Math.min(Number(process.env.E2E_SHARDS ?? 1) || 1, files.length >= 4 ? 2 : 1));
const alone = shardCount > 1 ? files.filter((f) => ALONE.includes(f)) : [];
const shards = shard(
  files.filter((f) => !alone.includes(f)),
  shardCount,
);
const dataDir = mkdtempSync(join(tmpdir(), 'shebao-e2e-'));
const env = { ...process.env, LOG_LEVEL: 'warn', SHEBAO_DEMO: 'true' };
delete env.DATABASE_URL; // always the embedded database: the journeys need the demo city
const servers = [];
let exitCode = 1;
let summary = '0 passed, 1 failed';
try {
  // The web build and the seed need nothing of each other: side by side on the two cores, not one after
  // the other (each is mostly one process's work; in sequence the second waited some 15 s for the first).
  const seedDir = join(dataDir, 'db-1');
  say(`building the web app if needed and seeding a demo city of ${persons} people into ${dataDir}`);
  const [build, seed] = await Promise.all([
    finished(spawn(node, [join(root, 'scripts', 'build-web.mjs')], { cwd: root, stdio: 'inherit' })),
    finished(
      spawn(node, [join(root, 'bin', 'shebao.mjs'), 'seed', '--persons', persons], {
        cwd: root,
        env: { ...env, DATA_DIR: seedDir },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    ),
  ]);
  if (build !== 0) throw new Error('the web build failed');
  if (seed !== 0) throw new Error(`seeding failed (exit ${seed})`);
  // The seed has exited, so its folder is a stopped database: a copy is the same city (a second seed
  // would cost its ~40 s again).
  for (let i = 2; i <= shards.length; i += 1) {
    const copy = join(dataDir, `db-${i}`);
    cpSync(seedDir, copy, { recursive: true });
    if (tally(copy) !== tally(seedDir)) throw new Error(`the copy ${copy} differs from ${seedDir}`);
  }

  const ports = await freePorts(shards.length);
  for (const [i, port] of ports.entries()) {
    const log = createWriteStream(join(dataDir, `server-${i + 1}.log`));
    const server = spawn(node, [join(root, 'bin', 'shebao.mjs'), 'serve'], {
      cwd: root,
      env: { ...env, DATA_DIR: join(dataDir, `db-${i + 1}`), PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.pipe(log);
    server.stderr.pipe(log);
    servers.push({ server, base: `http://127.0.0.1:${port}` });
  }
  await Promise.all(servers.map(({ server, base }) => waitForHealth(base, server, 120_000)));
  for (const [i, s] of shards.entries())
    say(`shard ${i + 1}: ${servers[i].base}, ${s.files.length} files, ~${s.seconds} s: ${s.files.join(' ')}`);

  if (alone.length > 0) say(`then alone, on ${servers[0].base}: ${alone.join(' ')}`);

  /** One `node --test` over `list` against server `i`'s copy; its lines prefixed with `label` when piped. */
  async function runFiles(list, i, label) {
    const reportFile = join(dataDir, `report-${label}.json`);
    const piped = shards.length > 1;
    const child = spawn(
      node,
      [
        '--import',
        'tsx',
        '--test',
        '--test-concurrency=1',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${pathToFileURL(join(root, 'scripts', 'e2e-report.mjs')).href}`,
        `--test-reporter-destination=${reportFile}`,
        ...list,
      ],
      {
        cwd: root,
        env: { ...process.env, E2E_BASE_URL: servers[i].base, CHROMIUM: chromium },
        stdio: ['ignore', piped ? 'pipe' : 'inherit', piped ? 'pipe' : 'inherit'],
      },
    );
    if (piped) {
      prefixed(child.stdout, `[${label}] `);
      prefixed(child.stderr, `[${label}] `);
    }
    const code = await finished(child);
    // no report (the runner crashed): nothing passed
    const r = existsSync(reportFile)
      ? JSON.parse(readFileSync(reportFile, 'utf8'))
      : { pass: 0, fail: 0, cancelled: 0, files: [] };
    return { label, code, passed: r.pass, failed: r.fail + r.cancelled, files: r.files };
  }

  const started = Date.now();
  const runs = await Promise.all(shards.map((s, i) => runFiles(s.files, i, String(i + 1))));
  if (alone.length > 0) runs.push(await runFiles(alone, 0, 'alone'));
  const passed = runs.reduce((n, r) => n + r.passed, 0);
  const failed = runs.reduce((n, r) => n + r.failed, 0);
  summary = `${passed} passed, ${failed} failed`;
  for (const r of runs) say(`shard ${r.label}: ${r.passed} passed, ${r.failed} failed`);
  // the figures for SECONDS, longest first
  const times = runs.flatMap((r) => r.files).sort((a, b) => b[1] - a[1]);
  say(
    `journeys took ${Math.round((Date.now() - started) / 1000)} s: ${times.map(([f, t]) => `${t} ${f}`).join(', ')}`,
  );
  // a shard that ran nothing (a file that failed to load, a crash) fails the run as a failed test would
  exitCode = runs.every((r) => r.code === 0 && r.failed === 0 && r.passed > 0) ? 0 : 1;
  if (exitCode !== 0)
    say(
      `server logs: ${join(dataDir, 'server-*.log')}${process.env.E2E_KEEP ? '' : ' (set E2E_KEEP=1 to keep them)'}`,
    );
} catch (e) {
  say(`error: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await Promise.all(servers.map(({ server }) => stop(server)));
  const cpu = childCpuSeconds();
  const wall = (Date.now() - begun) / 1000;
  if (cpu !== null)
    say(`CPU ${Math.round(cpu)} s in ${Math.round(wall)} s: ${(cpu / wall).toFixed(2)} cores busy`);
  if (!process.env.E2E_KEEP) rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`${summary}\n`);
  process.exit(exitCode);
}
