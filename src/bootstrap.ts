// Opens everything a process needs: configuration, logger, database (migrated) and parameters.
import { pino, type Logger } from 'pino';
import type { AppContext } from './app-context.ts';
import { loadConfig, type Config } from './config.ts';
import { projectParams } from './core/params-loader.ts';
import { openDatabase } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { syncRegions } from './registry/region.repository.ts';

const ID_LIKE = /\d{17}[\dXx]|\d{15}/g;

/** A resident ID number anywhere in a logged string keeps only its first and last four characters. */
export const maskIdsInText = (s: string): string =>
  s.replace(ID_LIKE, (m) => `${m.slice(0, 4)}${'*'.repeat(m.length - 8)}${m.slice(-4)}`);

export function makeLogger(level: Config['logLevel'], destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'shebao' },
      serializers: {
        // Query strings can carry an ID number or a name being searched: log the path, masked.
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          url: maskIdsInText((req.url ?? '').split('?')[0] ?? ''),
          id: req.id,
        }),
      },
      // Secrets and identities never reach the log, whatever a caller logs.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          '*.idNumber',
          '*.id_number',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}

export async function openContext(config: Config = loadConfig(), log?: Logger): Promise<AppContext> {
  const logger = log ?? makeLogger(config.logLevel);
  // Parameters first: a malformed file stops start-up before anything else happens.
  const params = projectParams();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateToLatest(handle.db as never);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');
  await syncRegions(handle.db);
  return { config, db: handle.db, dbKind: handle.kind, handle, params, log: logger };
}
