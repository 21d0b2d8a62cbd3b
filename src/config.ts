// Configuration read and validated in one place at start; a bad value stops start-up with a clear message.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { SbError } from './core/errors.ts';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; absent → embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo city on first start when the database is empty. */
  seedDemo: boolean;
  /** Set cookies with Secure (behind HTTPS). */
  secureCookies: boolean;
  sessionHours: number;
  /** Minutes without a request after which a staff session ends (besides the absolute sessionHours). */
  sessionIdleMinutes: number;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs); empty: none, the socket address counts. */
  trustedProxies: string[];
  /** FEDERATION_SECRET: the key of the national person index's hashed ID numbers (HMAC-SHA-256), shared by the federation's nodes; absent outside a federation. */
  federationSecret: string | undefined;
  /** PAYROLL_WORKERS: chunks of a pension payroll (and of the annual adjustment) run at once, each on its own connection of the pool (10); 1 on PGlite, which has one connection. */
  payrollWorkers: number;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function bad(name: string, value: string, expected: string): SbError {
  return new SbError('SB_ERR_INVALID_CONFIG', {
    field: name,
    zh: `${name}=“${value}”，应为${expected}`,
    en: `${name}="${value}", expected ${expected}`,
  });
}

function intVar(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw bad(name, raw, `${min}–${max} 的整数 / an integer ${min}–${max}`);
  return n;
}

function boolVar(env: NodeJS.ProcessEnv, name: string, dflt: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw bad(name, raw, 'true 或 false / true or false');
}

/** TRUSTED_PROXIES: comma-separated IPv4/IPv6 addresses or CIDRs (`10.0.0.1, 10.1.0.0/16`). */
function proxiesVar(env: NodeJS.ProcessEnv): string[] {
  const raw = env['TRUSTED_PROXIES'] ?? '';
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    const [addr = '', bits, ...rest] = item.split('/');
    const v = isIP(addr);
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (v === 6 ? 128 : 32));
    if (v === 0 || !okBits || rest.length > 0)
      throw bad('TRUSTED_PROXIES', raw, '逗号分隔的 IP 地址或 CIDR / comma-separated IP addresses or CIDRs');
  }
  return items;
}

function secretVar(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env['FEDERATION_SECRET'];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 32) throw bad('FEDERATION_SECRET', '***', '至少 32 个字符 / at least 32 characters');
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env['DATABASE_URL'] || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw bad(
      'DATABASE_URL',
      databaseUrl.replace(/:[^:@/]*@/, ':***@'),
      'postgres://… 连接串 / a postgres:// URL',
    );
  }
  const logLevel = (env['LOG_LEVEL'] || 'info') as Config['logLevel'];
  if (!LEVELS.includes(logLevel)) throw bad('LOG_LEVEL', logLevel, LEVELS.join('|'));
  return {
    port: intVar(env, 'PORT', 8080, 0, 65535),
    host: env['HOST'] || '0.0.0.0',
    databaseUrl,
    dataDir: resolve(env['DATA_DIR'] || '.shebao-data'),
    logLevel,
    seedDemo: boolVar(env, 'SHEBAO_DEMO', true),
    secureCookies: boolVar(env, 'SECURE_COOKIES', false),
    sessionHours: intVar(env, 'SESSION_HOURS', 8, 1, 24 * 30),
    sessionIdleMinutes: intVar(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    trustedProxies: proxiesVar(env),
    federationSecret: secretVar(env),
    // at most 8 of the pool's 10 connections: two stay for the requests while a payroll runs
    payrollWorkers: databaseUrl === undefined ? 1 : intVar(env, 'PAYROLL_WORKERS', 1, 1, 8),
  };
}
