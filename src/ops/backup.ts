// `shebao backup` and `shebao restore`: PostgreSQL through pg_dump's custom format, PGlite through its
// own data-directory dump (a gzipped tar). A restore goes only into an empty database.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { SbError } from '../core/errors.ts';
import type { DbHandle } from '../db/connection.ts';

const MAGIC_PGLITE = 'SHEBAO-PGLITE-1\n';

function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const dirs = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of dirs) {
    const p = `/usr/lib/postgresql/${v}/bin/${name}`;
    if (existsSync(p)) return p;
  }
  return name;
}

export async function backup(
  handle: DbHandle,
  databaseUrl: string | undefined,
  file: string,
): Promise<{ bytes: number; format: string }> {
  if (handle.kind === 'pglite') {
    if (!handle.pglite) throw new Error('no PGlite instance');
    const blob = await handle.pglite.dumpDataDir('gzip');
    const body = Buffer.from(await blob.arrayBuffer());
    writeFileSync(file, Buffer.concat([Buffer.from(MAGIC_PGLITE), body]));
    return { bytes: body.length, format: 'pglite-datadir-tgz' };
  }
  if (!databaseUrl) throw new Error('DATABASE_URL is required for a PostgreSQL backup');
  const r = spawnSync(
    pgTool('pg_dump'),
    ['--format=custom', '--no-owner', '--file', file, '--dbname', databaseUrl],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr || r.error?.message}`);
  return { bytes: readFileSync(file).length, format: 'pg_dump-custom' };
}

/** Restores into an empty target: a new PGlite data folder, or an empty PostgreSQL database. */
export async function restore(
  target: { databaseUrl: string | undefined; dataDir: string },
  file: string,
): Promise<{ format: string }> {
  const data = readFileSync(file);
  const isPglite = data.subarray(0, MAGIC_PGLITE.length).toString() === MAGIC_PGLITE;
  if (target.databaseUrl === undefined) {
    if (!isPglite)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'file',
        zh: '这不是 PGlite 备份',
        en: 'not a PGlite backup',
      });
    if (existsSync(target.dataDir) && readdirSync(target.dataDir).length > 0) {
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `目标数据目录非空：${target.dataDir}`,
        en: `target data folder is not empty: ${target.dataDir}`,
      });
    }
    mkdirSync(target.dataDir, { recursive: true });
    const db = await PGlite.create(target.dataDir, {
      loadDataDir: new Blob([data.subarray(MAGIC_PGLITE.length)]),
    });
    await db.close();
    return { format: 'pglite-datadir-tgz' };
  }
  if (isPglite)
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'file',
      zh: 'PGlite 备份不能恢复到 PostgreSQL',
      en: 'a PGlite backup cannot be restored into PostgreSQL',
    });
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  const tables = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`,
  );
  await client.end();
  if ((tables.rows[0]?.n ?? 0) > 0) {
    throw new SbError('SB_ERR_CONFLICT', { zh: '目标数据库非空', en: 'the target database is not empty' });
  }
  const r = spawnSync(
    pgTool('pg_restore'),
    ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', target.databaseUrl, file],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`pg_restore failed: ${r.stderr || r.error?.message}`);
  return { format: 'pg_dump-custom' };
}
