// A fresh, migrated database per test app: a temporary PGlite data folder, or — when the suite runs
// on PostgreSQL (SHEBAO_TEST_DB=postgresql) — a new database on the server in DATABASE_URL.
// A database test never skips: without a usable database it fails.
//
// Migrating a new database costs seconds (on PGlite, initdb in WebAssembly and then every migration),
// and a run opens well over a hundred. So the migrations run once into a template, and each test gets
// a copy of it: on PGlite a copy of a migrated, closed data folder; on PostgreSQL
// `CREATE DATABASE … TEMPLATE`. The template's name carries a hash of the migration files (names and
// contents), of the migrator and of the PGlite version, so a changed migration builds a new template
// and never reuses a stale one. Test processes run in parallel: the first to need the template builds
// it under a lock (a lock folder on PGlite, an advisory lock on PostgreSQL), the others wait for it.
// scripts/test.mjs gives each run its own template folder / names (SHEBAO_TEST_TEMPLATE_DIR,
// SHEBAO_TEST_RUN) and removes them at the end; a test file run alone keeps its template in the
// system's temporary folder (or on the server), keyed by the hash.
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { makeLogger, openContext } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';

export interface TestDb {
  ctx: AppContext;
  close(): Promise<void>;
}

/** A fresh, migrated database nobody has opened yet (e.g. for a child process), and how to remove it. */
export interface FreshDatabase {
  /** PostgreSQL: the new database's URL; PGlite: undefined. */
  databaseUrl: string | undefined;
  /** PGlite: the new data folder; PostgreSQL: the configured one, which holds no database. */
  dataDir: string;
  drop(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '..', '..');
const MIGRATIONS = join(ROOT, 'src', 'db', 'migrations');

/** Hash of everything that decides what a freshly migrated database contains. */
function templateKey(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS).sort()) {
    h.update(`${f}\0`);
    h.update(readFileSync(join(MIGRATIONS, f)));
    h.update('\0');
  }
  h.update(readFileSync(join(ROOT, 'src', 'db', 'migrate.ts')));
  try {
    h.update(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json')));
  } catch {
    h.update('pglite?');
  }
  return h.digest('hex').slice(0, 16);
}

const silentConfig = (over: { databaseUrl: string | undefined; dataDir?: string }) => ({
  ...loadConfig({}),
  ...over,
  logLevel: 'silent' as const,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock folder, or removes it when the process that holds it has died; true when taken. */
function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(lock, { recursive: true, force: true });
  } catch {
    // no pid yet: the holder has just taken it — unless it died in between, long ago
    try {
      if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
    } catch {
      // released meanwhile
    }
  }
  return false;
}

let pgliteTemplate: Promise<string> | undefined;

/** The migrated PGlite data folder every test copies; built once, by whichever process gets the lock. */
function pgliteTemplateDir(): Promise<string> {
  pgliteTemplate ??= (async () => {
    const base = process.env['SHEBAO_TEST_TEMPLATE_DIR'] || join(tmpdir(), 'shebao-test-templates');
    mkdirSync(base, { recursive: true });
    const ready = join(base, `pglite-${templateKey()}`);
    const lock = `${ready}.lock`;
    while (!existsSync(ready)) {
      if (!tryLock(lock)) {
        await sleep(200);
        continue;
      }
      try {
        if (existsSync(ready)) break;
        const build = `${ready}.build-${process.pid}`;
        rmSync(build, { recursive: true, force: true });
        const ctx = await openContext(
          silentConfig({ databaseUrl: undefined, dataDir: build }),
          makeLogger('silent'),
        );
        await ctx.handle.close();
        try {
          // Atomic: a folder named `ready` is always a complete, closed database.
          renameSync(build, ready);
        } catch (e) {
          rmSync(build, { recursive: true, force: true });
          if (!existsSync(ready)) throw e;
        }
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    return ready;
  })();
  void pgliteTemplate.catch(() => (pgliteTemplate = undefined));
  return pgliteTemplate;
}

const dbUrl = (admin: string, name: string): string => {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
};

/** Waits until no session is connected to the database (pg's Pool.end() resolves before its sockets close). */
async function waitForNoSessions(c: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const r = await c.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if ((r.rows[0]?.n ?? 0) === 0) return;
    await sleep(100);
  }
}

let postgresTemplate: Promise<string> | undefined;

/** The migrated template database on the server; built once, under an advisory lock. */
function postgresTemplateName(admin: string): Promise<string> {
  postgresTemplate ??= (async () => {
    const key = templateKey();
    const run = (process.env['SHEBAO_TEST_RUN'] ?? '').replace(/[^a-z0-9]/g, '').slice(0, 12);
    const name = `shebao_tpl_${key}${run ? `_${run}` : ''}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query('SELECT pg_advisory_lock($1::bigint)', [BigInt(`0x${key.slice(0, 15)}`).toString()]);
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        const build = `${name}_b`;
        await c.query(`DROP DATABASE IF EXISTS ${build} WITH (FORCE)`); // a build that died half-way
        await c.query(`CREATE DATABASE ${build}`);
        const ctx = await openContext(
          silentConfig({ databaseUrl: dbUrl(admin, build) }),
          makeLogger('silent'),
        );
        await ctx.handle.close();
        await waitForNoSessions(c, build);
        await c.query(`ALTER DATABASE ${build} RENAME TO ${name}`);
        // Nobody connects to it: CREATE DATABASE … TEMPLATE fails while a session is connected.
        await c.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      }
    } finally {
      await c.end(); // ends the session, and with it the advisory lock
    }
    return name;
  })();
  void postgresTemplate.catch(() => (postgresTemplate = undefined));
  return postgresTemplate;
}

/** Makes `dir` a migrated PGlite data folder (a copy of the run's template), e.g. for a process a test starts. */
export async function copyPgliteTemplate(dir: string): Promise<void> {
  cpSync(await pgliteTemplateDir(), dir, { recursive: true });
}

/** A new database of its own, migrated (a copy of the run's template). */
export async function freshTestDatabase(): Promise<FreshDatabase> {
  const mode = process.env['SHEBAO_TEST_DB'] ?? 'pglite';
  if (mode === 'postgresql') {
    const admin = process.env['DATABASE_URL'];
    if (!admin) throw new Error('SHEBAO_TEST_DB=postgresql needs DATABASE_URL');
    const template = await postgresTemplateName(admin);
    const name = `shebao_t_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await client.end();
    }
    return {
      databaseUrl: dbUrl(admin, name),
      dataDir: loadConfig({}).dataDir,
      async drop() {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        try {
          // A FORCE drop that kills a backend still saying goodbye makes its client emit an uncaught
          // error: wait for the sessions to go first.
          await waitForNoSessions(c, name);
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'shebao-test-'));
  await copyPgliteTemplate(dir);
  return {
    databaseUrl: undefined,
    dataDir: dir,
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openTestDb(): Promise<TestDb> {
  // The suite's logs go to files that scripts/log-scan.test.mjs greps for secrets afterwards.
  const logDir = process.env['SHEBAO_TEST_LOG_DIR'];
  const log = logDir
    ? makeLogger(
        'debug',
        createWriteStream(join(logDir, `${process.pid}-${randomBytes(4).toString('hex')}.log`)),
      )
    : makeLogger('silent');
  const fresh = await freshTestDatabase();
  const ctx = await openContext(
    silentConfig({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir }),
    log,
  );
  return {
    ctx,
    async close() {
      await ctx.handle.close();
      await fresh.drop();
    },
  };
}
