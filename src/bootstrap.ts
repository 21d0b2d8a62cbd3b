// Opens everything a process needs: configuration, logger, database (migrated) and parameters.
import { pino, type Logger } from 'pino';
import type { AppContext } from './app-context.ts';
import { maskMachineKeys } from './auth/machine-key.ts';
import { MACHINE_KEY_HEADERS } from './auth/machines.ts';
import { loadConfig, type Config } from './config.ts';
import { projectParams } from './core/params-loader.ts';
import { checkParamCodeLists } from './code-lists.ts';
import { openDatabase } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { syncRegions } from './registry/region.repository.ts';

// A resident ID number (18 characters, or the old 15 digits), a bank account (16–19 digits) or an
// 11-digit mobile number, bounded by non-digits.
const PERSONAL_NUMBER = /(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15,19}|1[3-9][0-9]{9})(?![0-9])/g;
const WHOLE_PERSONAL_NUMBER = /^(?:[0-9]{15,19}|1[3-9][0-9]{9})$/;

const maskNumber = (m: string): string =>
  m.length === 11
    ? `${m.slice(0, 3)}****${m.slice(-4)}`
    : `${m.slice(0, 4)}${'*'.repeat(m.length - 8)}${m.slice(-4)}`;

/** ID numbers, phones and bank accounts anywhere in a logged string keep only their ends. */
export const maskPersonalNumbers = (s: string): string => s.replace(PERSONAL_NUMBER, maskNumber);

/** What a logged string is written as: personal numbers masked, a machine's key cut to its prefix. */
const scrubString = (s: string): string => maskMachineKeys(maskPersonalNumbers(s));

// What a database error carries besides its message: the query's values. Never logged.
const ERROR_VALUE_KEYS = new Set(['params', 'parameters', 'queryOptions', 'values', 'bindings']);

/** A copy of a logged value with every string masked and every query parameter removed. */
export function scrubForLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (typeof value === 'number')
    return Number.isInteger(value) && WHOLE_PERSONAL_NUMBER.test(String(value))
      ? maskNumber(String(value))
      : value;
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) return value.map((v) => scrubForLog(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (ERROR_VALUE_KEYS.has(k)) {
      out[k] = '[redacted]';
      continue;
    }
    // "Key (id_number)=(…) already exists", "Failing row contains (…)" (a check or not-null refusal
    // names the whole row: a name, a bank reference): the values of a constraint's detail are personal data.
    out[k] =
      k === 'detail' && typeof v === 'string'
        ? v.replace(/=\(.*\)/s, '=(…)').replace(/contains \(.*\)/s, 'contains (…)')
        : scrubForLog(v, depth + 1);
  }
  return out;
}

/** Errors: the standard fields, the database's code and position, never the query's values. */
function errSerializer(err: unknown): unknown {
  return scrubForLog(pino.stdSerializers.err(err as Error));
}

/**
 * The last line of defence: every line the logger writes is parsed and scrubbed again, so a value
 * logged under any key or in any message (a phone in an error text) is masked before it is written.
 */
function scrubbingDestination(destination: NodeJS.WritableStream): { write(line: string): boolean } {
  return {
    write(line: string): boolean {
      let out: string;
      try {
        out = `${JSON.stringify(scrubForLog(JSON.parse(line)))}\n`;
      } catch {
        out = scrubString(line);
      }
      return destination.write(out);
    },
  };
}

export function makeLogger(level: Config['logLevel'], destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: 'shebao' },
      serializers: {
        // Query strings can carry an ID number or a name being searched: log the path, masked.
        req: (req: { method?: string; url?: string; id?: string }) => ({
          method: req.method,
          url: maskPersonalNumbers((req.url ?? '').split('?')[0] ?? ''),
          id: req.id,
        }),
        err: errSerializer,
        error: errSerializer,
      },
      // Secrets and identities never reach the log, whatever a caller logs.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          ...MACHINE_KEY_HEADERS.flatMap((h) => [`req.headers["${h}"]`, `*.headers["${h}"]`]),
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          '*.idNumber',
          '*.id_number',
          '*.phone',
          '*.bankAccount',
          '*.bank_account',
          '*.params',
          '*.parameters',
        ],
        censor: '[redacted]',
      },
    },
    scrubbingDestination(destination ?? process.stdout),
  );
}

export async function openContext(config: Config = loadConfig(), log?: Logger): Promise<AppContext> {
  const logger = log ?? makeLogger(config.logLevel);
  // Parameters first: a malformed file, or one naming a code list that does not exist, stops start-up
  // before anything else happens.
  const params = projectParams();
  checkParamCodeLists(params);
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrateToLatest(handle.db as never);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');
  await syncRegions(handle.db);
  return { config, db: handle.db, dbKind: handle.kind, handle, params, log: logger };
}
