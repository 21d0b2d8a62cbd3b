// What the server, the CLI and the jobs share: the database, the parameters, the configuration.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { ParamStore } from './core/params.ts';
import type { Db, DbHandle, DbKind } from './db/connection.ts';

export interface AppContext {
  config: Config;
  db: Db;
  dbKind: DbKind;
  handle: DbHandle;
  params: ParamStore;
  log: FastifyBaseLogger;
}
