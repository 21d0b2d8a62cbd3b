// One dialect switch: embedded PGlite in a data folder by default, PostgreSQL when DATABASE_URL is set.
// Both drivers return `date` as 'YYYY-MM-DD', int8 as a checked safe number, timestamptz as ISO text,
// numeric as text (cast sums of bigint back with ::bigint).
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './database.ts';

export type DbKind = 'pglite' | 'postgresql';
export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  kind: DbKind;
  /** The embedded instance, for dumps and restores; undefined on PostgreSQL. */
  pglite: PGlite | undefined;
  close(): Promise<void>;
}

function parseInt8(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`int8 value ${v} is beyond 2^53 and cannot be read safely`);
  return n;
}
const parseTimestamptz = (v: string): string => new Date(v).toISOString();
const keep = (v: string): string => v;

pg.types.setTypeParser(pg.types.builtins.INT8, parseInt8);
pg.types.setTypeParser(pg.types.builtins.DATE, keep);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, keep);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, parseTimestamptz);

const PGLITE_PARSERS = {
  [pgliteTypes.INT8]: parseInt8,
  [pgliteTypes.DATE]: keep,
  [pgliteTypes.NUMERIC]: keep,
  [pgliteTypes.TIMESTAMPTZ]: parseTimestamptz,
};

/**
 * A statement whose text starts with this comment is `COPY table (columns) FROM STDIN` and its one
 * parameter the rows in COPY's text format; both pools below send them by the COPY protocol on the
 * statement's own connection, so it runs inside a transaction like any other statement (see
 * `copyFromStdin`).
 */
const COPY_MARK = '/* copy from stdin */';

/**
 * Writes `rows` (COPY text format, UTF-8: tab-separated columns, a newline after each row, escaped by
 * the caller) into `table` — on `db` or inside a transaction `tx`. Issue 18: COPY writes a heap page per
 * WAL record where `INSERT … SELECT` writes one per row (the travel import's staging: about a third
 * less backend CPU for the same 200,000 lines).
 */
export function copyFromStdin(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: Buffer,
): Promise<void> {
  return db
    .executeQuery(CompiledQuery.raw(`${COPY_MARK} COPY ${table} (${columns.join(', ')}) FROM STDIN`, [rows]))
    .then(() => undefined);
}

const copyResult = (rowCount: number): PostgresQueryResult<never> =>
  ({ command: 'COPY', rowCount, rows: [] }) as unknown as PostgresQueryResult<never>;

/**
 * COPY … FROM STDIN on one node-postgres connection through pg-copy-streams (the maintained driver
 * helper: node-postgres's copy protocol hooks are its business, not ours). Resolves with the rows
 * written; a server error (a duplicate key) rejects and leaves the connection usable.
 */
export async function copyIn(
  client: pg.ClientBase,
  text: string,
  chunks: readonly Buffer[],
): Promise<number> {
  const stream = client.query(copyFrom(text));
  await pipeline(Readable.from(chunks), stream);
  return stream.rowCount;
}

/** PGlite has one connection: a lock hands it to one Kysely connection (and transaction) at a time. */
class PGlitePool implements PostgresPool {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise<void>((r) => (release = r));
    await previous;
    const pglite = this.pglite;
    return {
      async query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
        if (sql.startsWith(COPY_MARK)) {
          const blob = new Blob([parameters[0] as Uint8Array<ArrayBuffer>]);
          const res = await pglite.query(sql.replace(/STDIN$/, "'/dev/blob'"), [], { blob });
          return copyResult(res.affectedRows ?? 0);
        }
        const res = await pglite.query<R>(sql, parameters as unknown[]);
        const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT';
        return {
          command: command as PostgresQueryResult<R>['command'],
          rowCount: res.affectedRows ?? res.rows.length,
          rows: res.rows,
        };
      },
      release,
    } as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.queue;
  }
}

/**
 * A statement whose SQL text starts with this comment runs as a named prepared statement on
 * PostgreSQL: parsed and planned once per connection, not on every execution (issue 18: for the few
 * statements every request runs — the person read, the session, the record). It names its result
 * columns (never `*`), so a migration that adds a column cannot change a prepared result's type.
 * PGlite runs it as any other statement (the comment is only a comment).
 */
export const PREPARED_MARK = '/* prepared */';

const preparedNames = new Map<string, string>();
function preparedName(text: string): string | undefined {
  if (!text.startsWith(PREPARED_MARK)) return undefined;
  let name = preparedNames.get(text);
  if (name === undefined) {
    name = `sb_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/** The pg pool as Kysely sees it, with the marked statements prepared (see PREPARED_MARK). */
class PreparingPool implements PostgresPool {
  private readonly clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();

  constructor(private readonly pool: pg.Pool) {}

  async connect(): Promise<PostgresPoolClient> {
    const client = await this.pool.connect();
    let wrapped = this.clients.get(client);
    if (!wrapped) {
      wrapped = {
        query: (sqlOrCursor: unknown, parameters?: unknown[]) => {
          if (typeof sqlOrCursor === 'string' && sqlOrCursor.startsWith(COPY_MARK))
            return copyIn(client, sqlOrCursor, [parameters?.[0] as Buffer]).then(copyResult);
          const name = typeof sqlOrCursor === 'string' ? preparedName(sqlOrCursor) : undefined;
          return name === undefined
            ? client.query(sqlOrCursor as string, parameters)
            : client.query({ name, text: sqlOrCursor as string, values: parameters ?? [] });
        },
        release: (err?: Error | boolean) => client.release(err),
      } as unknown as PostgresPoolClient;
      this.clients.set(client, wrapped);
    }
    return wrapped;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

export async function openDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PreparingPool(pool) }) });
    return { db, kind: 'postgresql', pglite: undefined, close: () => db.destroy() };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create(opts.dataDir, { parsers: PGLITE_PARSERS });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new PGlitePool(pglite) }) });
  return {
    db,
    kind: 'pglite',
    pglite,
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
