// The service catalogue: catalogue.yaml read and checked once (a bad entry stops start-up naming the
// entry), listed and searched in Chinese and English.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const CHANNELS = ['online', 'mobile', 'counter', 'bank', 'phone', 'home', 'system'] as const;
export type ServiceChannel = (typeof CHANNELS)[number];
export type Applicant = 'citizen' | 'employer';

export interface ServiceItem {
  code: string;
  nameZh: string;
  nameEn: string;
  category: string;
  applicants: Applicant[];
  channels: ServiceChannel[];
  known: string[];
  asks: string[];
  timeLimit: { workingDays: number | null; noteZh?: string; noteEn?: string };
  crossProvince: boolean;
  handledBy: 'shebao' | 'province';
  hallHandled: boolean;
  reference: string;
  keywords: string[];
}

const FILE = join(import.meta.dirname, 'catalogue.yaml');

function fail(where: string, what: string): never {
  throw new Error(`${FILE}: ${where}: ${what}`);
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

function checkItem(raw: unknown, i: number, seen: Set<string>): ServiceItem {
  if (typeof raw !== 'object' || raw === null) fail(`services[${i}]`, 'not a mapping');
  const o = raw as Record<string, unknown>;
  const where = `services[${i}] (${String(o['code'])})`;
  const str = (k: string): string => {
    const v = o[k];
    if (typeof v !== 'string' || v.trim() === '') fail(where, `${k} must be a non-empty string`);
    return v;
  };
  const code = str('code');
  if (!/^[a-z][a-z0-9-]{1,48}$/.test(code)) fail(where, 'code must be kebab-case');
  if (seen.has(code)) fail(where, 'duplicate code');
  seen.add(code);
  const applicants = o['applicants'];
  if (
    !isStrings(applicants) ||
    applicants.length === 0 ||
    !applicants.every((a) => a === 'citizen' || a === 'employer')
  )
    fail(where, 'applicants must list citizen and/or employer');
  const channels = o['channels'];
  if (
    !isStrings(channels) ||
    channels.length === 0 ||
    !channels.every((c) => (CHANNELS as readonly string[]).includes(c))
  )
    fail(where, `channels must be among ${CHANNELS.join(', ')}`);
  for (const k of ['known', 'asks', 'keywords'])
    if (!isStrings(o[k])) fail(where, `${k} must be a list of strings`);
  const tl = o['timeLimit'] as Record<string, unknown> | undefined;
  if (typeof tl !== 'object' || tl === null) fail(where, 'timeLimit missing');
  const wd = tl['workingDays'];
  if (wd !== null && !(Number.isInteger(wd) && (wd as number) >= 0 && (wd as number) <= 365))
    fail(where, 'timeLimit.workingDays must be null or an integer 0–365');
  // An unquoted comma in a YAML flow mapping starts a new key (`noteEn: immediate, free`): refuse it.
  const stray = Object.keys(tl).filter((k) => !['workingDays', 'noteZh', 'noteEn'].includes(k));
  if (stray.length > 0)
    fail(where, `timeLimit has unknown keys ${stray.join(', ')} (quote a note with a comma)`);
  // The guide is read by citizens and employers: it cites the published policy, never our own docs.
  const reference = str('reference');
  if (/domain|§|\.md\b/i.test(reference))
    fail(where, 'reference must cite a published law or policy document, not an internal document');
  for (const k of ['crossProvince', 'hallHandled'])
    if (typeof o[k] !== 'boolean') fail(where, `${k} must be true or false`);
  const handledBy = o['handledBy'];
  if (handledBy !== 'shebao' && handledBy !== 'province') fail(where, 'handledBy must be shebao or province');
  return {
    code,
    nameZh: str('nameZh'),
    nameEn: str('nameEn'),
    category: str('category'),
    applicants,
    channels: channels as ServiceChannel[],
    known: o['known'] as string[],
    asks: o['asks'] as string[],
    timeLimit: {
      workingDays: wd as number | null,
      ...(typeof tl['noteZh'] === 'string' ? { noteZh: tl['noteZh'] } : {}),
      ...(typeof tl['noteEn'] === 'string' ? { noteEn: tl['noteEn'] } : {}),
    },
    crossProvince: o['crossProvince'] as boolean,
    handledBy,
    hallHandled: o['hallHandled'] as boolean,
    reference,
    keywords: o['keywords'] as string[],
  };
}

/** Parses and checks a catalogue document (exported for the test of the checks). */
export function parseCatalogue(text: string): ServiceItem[] {
  const doc = parse(text) as { services?: unknown };
  if (!Array.isArray(doc?.services)) fail('services', 'missing list');
  const seen = new Set<string>();
  return doc.services.map((s, i) => checkItem(s, i, seen));
}

let cached: ServiceItem[] | null = null;

export function catalogue(): ServiceItem[] {
  cached ??= parseCatalogue(readFileSync(FILE, 'utf8'));
  return cached;
}

export function serviceByCode(code: string): ServiceItem | undefined {
  return catalogue().find((s) => s.code === code);
}

/** Every word of the query must occur in the names, keywords, category or code (case-insensitive). */
export function searchServices(q: string | undefined, applicant?: Applicant): ServiceItem[] {
  const words = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return catalogue().filter((s) => {
    if (applicant && !s.applicants.includes(applicant)) return false;
    const hay = [s.code, s.nameZh, s.nameEn, s.category, ...s.keywords].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
