// Browser tests: builds the web app if needed, seeds a small demo city into a fresh temporary PGlite
// folder, serves it on a free port and runs the journeys in e2e/*.e2e.ts one file after another in one
// Node process (node:test + playwright-core driving /usr/bin/chromium), then stops the server and prints
// "N passed, N failed", the files that failed, each journey file's seconds and the CPU seconds the run used. E2E_PERSONS (default 2000) sizes the city;
// E2E_KEEP=1 keeps the data folder and the server log; E2E_PROFILE=1 prints where each test's time went
// (scripts/e2e-profile.mjs: CPU of the server, the browser and the journey, waits, idle). (Two shards
// side by side, each with its own server, lost one journey to a timeout under the other shard's load in
// each of three whole runs: removed.)
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { profile, startSampler } from './e2e-profile.mjs';

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

/** A port nobody listens on now. */
async function freePort() {
  const srv = createServer();
  await new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

const readLines = (file) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

/**
 * Prints the profile, a line per test and one per file (from the end of the file before: its `before`
 * and `after` too), and writes it whole to `file`.
 */
function report(tests, samples, waits, from, file) {
  const ends = new Map();
  for (const t of tests) ends.set(t.file, Math.max(ends.get(t.file) ?? 0, t.end));
  const spans = [...ends]
    .sort((a, b) => a[1] - b[1])
    .map(([f, end], i, all) => ({
      file: f,
      name: `${f.slice(root.length + 1)} (whole file)`,
      start: i === 0 ? from : all[i - 1][1],
      end,
    }));
  const rows = profile([...tests, ...spans], samples, waits);
  writeFileSync(file, JSON.stringify(rows, null, 1));
  const r1 = (x) => (Math.round(x * 10) / 10).toString();
  for (const t of rows)
    say(
      `${t.nesting === undefined ? '' : '  '}${r1(t.seconds)} s: server ${r1(t.cpu.server)}, browser ${r1(t.cpu.browser)}, journey ${r1(t.cpu.journey)}, federation ${r1(t.cpu.federation)} CPU s; waited for a core ${r1(t.queued)} s; idle ${r1(t.idle)} s; ${Object.entries(
        t.waits,
      )
        .map(([k, v]) => `${k} ${r1(v)}`)
        .join(', ')} — ${t.name}`,
    );
  say(`profile: ${file}`);
}

/**
 * CPU seconds of this run's processes that have ended (the build, the seed, the server, the journeys and
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
const dataDir = mkdtempSync(join(tmpdir(), 'shebao-e2e-'));
const env = { ...process.env, DATA_DIR: join(dataDir, 'db'), LOG_LEVEL: 'warn', SHEBAO_DEMO: 'true' };
delete env.DATABASE_URL; // always the embedded database: the journeys need the demo city
let server = null;
let exitCode = 1;
let summary = '0 passed, 1 failed';
try {
  // The web build and the seed need nothing of each other: side by side on the two cores, not one after
  // the other (each is mostly one process's work; in sequence the second waited some 15 s for the first).
  say(`building the web app if needed and seeding a demo city of ${persons} people into ${dataDir}`);
  const [build, seed] = await Promise.all([
    finished(spawn(node, [join(root, 'scripts', 'build-web.mjs')], { cwd: root, stdio: 'inherit' })),
    finished(
      spawn(node, [join(root, 'bin', 'shebao.mjs'), 'seed', '--persons', persons], {
        cwd: root,
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    ),
  ]);
  if (build !== 0) throw new Error('the web build failed');
  if (seed !== 0) throw new Error(`seeding failed (exit ${seed})`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(dataDir, 'server.log'));
  server = spawn(node, [join(root, 'bin', 'shebao.mjs'), 'serve'], {
    cwd: root,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  await waitForHealth(base, server, 120_000);
  say(`server ready at ${base}`);

  const started = Date.now();
  const reportFile = join(dataDir, 'report.json');
  // E2E_PROFILE=1: where each test's time goes (scripts/e2e-profile.mjs), printed and kept in profile.json
  const waitsFile = join(dataDir, 'waits.jsonl');
  const sampler = process.env.E2E_PROFILE ? startSampler(process.pid, server.pid) : null;
  // Every journey file in one process, one after another, each a suite named by its file
  // (scripts/test-group.mjs): one start of Node, tsx, Playwright and the app's modules instead of one a
  // file. A file that leaves a child running (its browser, a federation's broker or nodes), the
  // environment or a clock changed fails by name, and its leftover children are ended.
  const entry = join(dataDir, 'journeys.test.mjs');
  writeFileSync(
    entry,
    `import { testGroup } from ${JSON.stringify(pathToFileURL(join(root, 'scripts', 'test-group.mjs')).href)};\ntestGroup(${JSON.stringify(files.map((f) => join(root, f)))}, { children: true });\n`,
  );
  const code = await finished(
    spawn(
      node,
      [
        '--import',
        'tsx',
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        `--test-reporter=${pathToFileURL(join(root, 'scripts', 'e2e-report.mjs')).href}`,
        `--test-reporter-destination=${reportFile}`,
        entry,
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          E2E_BASE_URL: base,
          CHROMIUM: chromium,
          ...(sampler ? { E2E_PROFILE_WAITS: waitsFile } : {}),
        },
        stdio: 'inherit',
      },
    ),
  );
  // no report (the runner crashed): nothing passed
  const r = existsSync(reportFile)
    ? JSON.parse(readFileSync(reportFile, 'utf8'))
    : { pass: 0, fail: 0, cancelled: 0, failed: [], files: [] };
  const failed = r.fail + r.cancelled;
  summary = `${r.pass} passed, ${failed} failed`;
  // each file's seconds, longest first
  const times = r.files.sort((a, b) => b[1] - a[1]);
  say(
    `journeys took ${Math.round((Date.now() - started) / 1000)} s: ${times.map(([f, t]) => `${t} ${f}`).join(', ')}`,
  );
  if (sampler) report(r.tests, sampler.stop(), readLines(waitsFile), started, join(dataDir, 'profile.json'));
  if (r.failed.length) say(`failed: ${r.failed.join(', ')}`);
  exitCode = code === 0 && failed === 0 && r.pass > 0 ? 0 : 1;
  if (exitCode !== 0)
    say(
      `server log: ${join(dataDir, 'server.log')}${process.env.E2E_KEEP ? '' : ' (set E2E_KEEP=1 to keep it)'}`,
    );
} catch (e) {
  say(`error: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await stop(server);
  const cpu = childCpuSeconds();
  const wall = (Date.now() - begun) / 1000;
  if (cpu !== null)
    say(`CPU ${Math.round(cpu)} s in ${Math.round(wall)} s: ${(cpu / wall).toFixed(2)} cores busy`);
  if (!process.env.E2E_KEEP) rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`${summary}\n`);
  process.exit(exitCode);
}
