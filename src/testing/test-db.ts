// A fresh, migrated database per test file: a temporary PGlite data folder, or — when the suite runs
// on PostgreSQL (SHEBAO_TEST_DB=postgresql) — a new database on the server in DATABASE_URL.
// A database test never skips: without a usable database it fails.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AppContext } from '../app-context.ts';
import { makeLogger, openContext } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';

export interface TestDb {
  ctx: AppContext;
  close(): Promise<void>;
}

export async function openTestDb(): Promise<TestDb> {
  const mode = process.env['SHEBAO_TEST_DB'] ?? 'pglite';
  // The suite's logs go to files that scripts/log-scan.test.mjs greps for secrets afterwards.
  const logDir = process.env['SHEBAO_TEST_LOG_DIR'];
  const log = logDir
    ? makeLogger(
        'debug',
        createWriteStream(join(logDir, `${process.pid}-${randomBytes(4).toString('hex')}.log`)),
      )
    : makeLogger('silent');
  if (mode === 'postgresql') {
    const admin = process.env['DATABASE_URL'];
    if (!admin) throw new Error('SHEBAO_TEST_DB=postgresql needs DATABASE_URL');
    const name = `shebao_t_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const ctx = await openContext(
      { ...loadConfig({}), databaseUrl: url.toString(), logLevel: 'silent' },
      log,
    );
    return {
      ctx,
      async close() {
        await ctx.handle.close();
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        // pg's Pool.end() resolves before its sockets have closed; a FORCE drop that kills a backend
        // still saying goodbye makes that client emit an uncaught error. Wait for them to go first.
        for (let i = 0; i < 50; i++) {
          const r = await c.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          if ((r.rows[0]?.n ?? 0) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'shebao-test-'));
  const ctx = await openContext(
    { ...loadConfig({}), databaseUrl: undefined, dataDir: dir, logLevel: 'silent' },
    log,
  );
  return {
    ctx,
    async close() {
      await ctx.handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
