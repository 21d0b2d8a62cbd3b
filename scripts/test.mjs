#!/usr/bin/env node
// `npm test`: every *.test.ts under src/ (and scripts/test-group.test.mjs) with Node's test runner, first
// on embedded PGlite, then — for the database tests — on PostgreSQL when TEST_DATABASE_URL is set (CI
// sets it; see .ci/run).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  statfsSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const find = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? find(full) : name.endsWith('.test.ts') ? [full] : [];
  });
const only = process.argv.slice(2);
// Two files run at a time, in this order: the longest start first, so that the two slots finish
// together instead of one waiting for a long file that started last. These took longest in the last
// full run (seconds on PGlite); a file not named here sorts with the rest.
const LONGEST = [
  'src/ops/federation.reliability.test.ts', // 146
  'src/pension/payroll.db.test.ts', // 118
  'src/demo/demo-seed.db.test.ts', // 49
  'src/http/hostile-input.db.test.ts', // 292 before its write check by trigger; about a third since
  'src/unemployment/unemployment.cli.db.test.ts', // 24
  'src/http/edge-security.db.test.ts',
  'src/pension/adjustment-workers.db.test.ts',
  'src/approval/approval.db.test.ts',
  'src/ops/backup.db.test.ts',
  'src/auth/route-policy.db.test.ts',
  'src/audit/audit-queue.db.test.ts',
  'src/http/api-types.db.test.ts',
].map((f) => join(root, f));
const rank = (f) => (LONGEST.includes(f) ? LONGEST.indexOf(f) : LONGEST.length);
const files = (
  only.length
    ? only.map((f) => resolve(root, f))
    : [...find(join(root, 'src')), join(root, 'scripts', 'test-group.test.mjs')]
)
  .sort()
  .sort((a, b) => rank(a) - rank(b));
const dbFiles = files.filter((f) => f.endsWith('.db.test.ts'));

// The tests' temporary folder (TMPDIR): the PGlite test databases are 47 MB data folders copied, written,
// closed and removed by the hundred, which on a disk costs seconds of waiting each (2-4 s to close and as
// much to remove under a loaded disk) and in memory a tenth of that. So the run gets its own folder on the
// memory file system /dev/shm when it has room (a container's is often 64 MB), else on the disk; it is
// removed at the end with whatever the tests left in it.
function scratchFolder() {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize >= 2 ** 31) return mkdtempSync('/dev/shm/shebao-test-');
  } catch {
    // no /dev/shm, or not writable
  }
  return mkdtempSync(join(tmpdir(), 'shebao-test-'));
}
const scratch = scratchFolder();
// tsx keeps its transform cache in the temporary folder: this run's points to the lasting one.
const tsxCache = `tsx-${userInfo().uid}`;
mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
symlinkSync(join(tmpdir(), tsxCache), join(scratch, tsxCache));
process.env.TMPDIR = scratch;

// Every test process logs into this folder; the log scan reads it at the end.
const logDir = mkdtempSync(join(scratch, 'logs-'));
process.env.SHEBAO_TEST_LOG_DIR = logDir;
// Each test database is a copy of a template migrated once per run (src/testing/test-db.ts): a PGlite
// data folder in this run's folder, and on PostgreSQL a template database named with this run's id.
const templateDir = mkdtempSync(join(scratch, 'templates-'));
process.env.SHEBAO_TEST_TEMPLATE_DIR = templateDir;

// Test files share a process where they can (scripts/test-group.mjs): alone, each paid 2-5 s of starting
// Node, tsx and ~870 modules, often for a few seconds of tests. A file that fixes the clock, writes
// process.env, mocks or sets process-wide state runs alone, as do the long ones above; the unit tests
// make one group, the database tests groups of GROUP files. The pattern only sorts: a grouped file that
// leaves such state changed fails its group by name (scripts/test-group.mjs checks after each file).
const GROUP = 6;
const alone = (f) =>
  LONGEST.includes(f) ||
  /fixToday|fixNow|fixElapsed|onDay\(|process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete process\.env|mock\.|process\.on|globalThis/.test(
    readFileSync(f, 'utf8'),
  );
const groupDir = mkdtempSync(join(scratch, 'groups-'));
let groupFiles = 0;
/** The list with each group's files replaced by one group file, at the place of the group's first file. */
function grouped(list) {
  const unit = list.filter((f) => !f.endsWith('.db.test.ts') && !alone(f));
  const db = list.filter((f) => f.endsWith('.db.test.ts') && !alone(f));
  const groups = [
    unit,
    ...Array.from({ length: Math.ceil(db.length / GROUP) }, (_, i) => db.slice(i * GROUP, (i + 1) * GROUP)),
  ];
  const first = new Map();
  for (const g of groups.filter((g) => g.length > 1)) {
    const file = join(groupDir, `${++groupFiles}.test.mjs`);
    writeFileSync(
      file,
      `import { testGroup } from ${JSON.stringify(pathToFileURL(join(root, 'scripts', 'test-group.mjs')).href)};\ntestGroup(${JSON.stringify(g)});\n`,
    );
    for (const f of g) first.set(f, f === g[0] ? file : null);
  }
  return list.flatMap((f) => (!first.has(f) ? [f] : first.get(f) ? [first.get(f)] : []));
}
process.env.SHEBAO_TEST_RUN = randomBytes(4).toString('hex');
// A response schema that drops a field the service returned fails the request (src/http/response-check.ts).
process.env.SHEBAO_CHECK_RESPONSES = '1';

/** Removes this run's template databases (and a build a killed process left behind). */
async function dropRunTemplates(admin) {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: admin });
  try {
    await c.connect();
    const r = await c.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'shebao\\_tpl\\_%' AND datname ~ $1",
      [`_${process.env.SHEBAO_TEST_RUN}(_b)?$`],
    );
    for (const { datname } of r.rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } catch (e) {
    console.log(`# PostgreSQL: could not drop this run's template databases: ${e.message}`);
  } finally {
    await c.end().catch(() => {});
  }
}

function run(label, list, env) {
  if (list.length === 0) return 0;
  const processes = grouped(list);
  console.log(`\n# ${label}: ${list.length} test files in ${processes.length} processes`);
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      // the stage's slowest files at its end (scripts/test-times.mjs)
      `--test-reporter=${pathToFileURL(join(root, 'scripts', 'test-times.mjs')).href}`,
      '--test-reporter-destination=stdout',
      ...processes,
    ],
    { stdio: 'inherit', env: { ...process.env, ...env }, cwd: root },
  );
  return r.status ?? 1;
}

// Every stage runs even when an earlier one failed, so one run shows everything that is wrong.
let failed = run('unit and PGlite', files, { SHEBAO_TEST_DB: 'pglite', DATABASE_URL: '' });
if (process.env.TEST_DATABASE_URL) {
  failed =
    run(`PostgreSQL (${process.env.TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')})`, dbFiles, {
      SHEBAO_TEST_DB: 'postgresql',
      DATABASE_URL: process.env.TEST_DATABASE_URL,
    }) || failed;
  await dropRunTemplates(process.env.TEST_DATABASE_URL);
} else if (dbFiles.length) {
  console.log(
    '\n# PostgreSQL: TEST_DATABASE_URL is not set, so the database tests ran on PGlite only (CI runs both).',
  );
}
// The log scan reads what the database tests logged: after the whole suite, and after any targeted run
// of database tests (e.g. the hostile-input suite alone), where not every file serves requests.
if (only.length === 0 || dbFiles.length > 0)
  failed =
    run('log scan', [join(root, 'scripts', 'log-scan.test.mjs')], {
      SHEBAO_LOG_SCAN_REQUESTS: only.length === 0 ? '1' : '0',
    }) || failed;
rmSync(scratch, { recursive: true, force: true });
process.exit(failed);
