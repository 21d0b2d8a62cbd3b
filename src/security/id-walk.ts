// The ids a caller sends, found in the OpenAPI document (wave 13): every integer path parameter, and every
// query or body field named `…Id`/`…Ids`, with the table its records live in (read from the database's
// foreign keys, so a new route is walked without anyone listing it), and a request for the route with any
// id put in that place — the rest of the request a valid sample built from the route's own schema.
import { sql } from 'kysely';
import { POLICY, type Action, type Scope } from '../auth/policy.ts';
import { periodOf } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import type { Role } from '../db/database.ts';
import type { Method } from '../testing/requests.ts';
import { TEST_REGION } from '../testing/test-app.ts';

export type Schema = Record<string, unknown>;
export interface Operation {
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

/** One place a route takes the id of a record: `table` is where such records are. */
export interface IdSlot {
  method: Method;
  path: string;
  action: Action;
  in: 'path' | 'query' | 'body';
  name: string;
  /** a list of ids (`billIds`), sent as a list of one */
  list: boolean;
  table: string;
  op: Operation;
}

/** The values a sample request takes where its schema asks a shaped string. */
export interface SampleValues {
  today: string;
  idNumber: string;
  creditCode: string;
  /** the id to send for a record (`bill`, `recovery_case`) a route (its path and tags) names where the walk is not looking (undefined: 1) */
  idOf: (noun: string, route: string) => number | undefined;
}

const words = (s: string): string[] =>
  s
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
const singular = (w: string): string =>
  w
    .replace(/ies$/, 'y')
    .replace(/(ch|sh|x)es$/, '$1')
    .replace(/s$/, '');

/** The record an id names: `billId` a bill, `{id}` after `/recovery-cases/` a recovery case. */
function nounOf(path: string, where: IdSlot['in'], name: string): string | undefined {
  if (where === 'path' && name === 'id') {
    const segs = path.split('/');
    const before = segs[segs.indexOf('{id}') - 1];
    return before === undefined ? undefined : words(before).map(singular).join('_');
  }
  const m = /^(.*?)Ids?$/.exec(name);
  return m?.[1] ? words(m[1]).join('_') : undefined;
}

/**
 * The table a noun names on a route (a column `<noun>_id` referencing it, or a table called so), the one
 * sharing most words with the route's path and tags (`payment` under the contributions tag: contribution_payment).
 */
async function tablesOf(db: Db): Promise<(noun: string, route: string) => string | undefined> {
  const refs = await sql<{ col: string; ref: string }>`
    SELECT a.attname AS col, c.confrelid::regclass::text AS ref
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1`.execute(db);
  const tables = await sql<{ name: string }>`
    SELECT c.relname AS name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'id'
    WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace`.execute(db);
  const withId = new Set(tables.rows.map((r) => r.name));
  return (noun, route) => {
    const found = new Set([
      ...refs.rows.filter((r) => r.col === `${noun}_id`).map((r) => r.ref.replace(/^public\./, '')),
      ...[...withId].filter((t) => t === noun || t.endsWith(`_${noun}`) || t.startsWith(`${noun}_`)),
    ]);
    // a path that shortens its table's name (`/hospital-keys/` for hospital_api_key): every word of the noun in it
    if (found.size === 0)
      for (const t of withId) if (noun.split('_').every((w) => t.split('_').includes(w))) found.add(t);
    const pathWords = new Set(words(route).map(singular));
    const score = (t: string) => t.split('_').filter((w) => pathWords.has(w)).length;
    // a table named as the noun first (`/hospitals/{id}/keys` names a hospital, not its keys)
    return [...found]
      .filter((t) => withId.has(t))
      .sort(
        (a, b) =>
          Number(b === noun) - Number(a === noun) ||
          score(b) - score(a) ||
          a.length - b.length ||
          a.localeCompare(b),
      )[0];
  };
}

const isInteger = (s: Schema | undefined): boolean => s?.['type'] === 'integer';
/** What names a route's records: its path and its tags. */
const routeWords = (path: string, op: Operation): string => [path, ...(op.tags ?? [])].join('/');

/**
 * Every id slot of every guarded route (`actionOf` gives a route's policy action; undefined: public),
 * and the slots whose record the walk could not name from the database (reported, not walked).
 */
export async function idSlots(
  db: Db,
  doc: OpenApi,
  actionOf: (method: string, path: string) => Action | undefined,
): Promise<{
  slots: IdSlot[];
  unnamed: string[];
  tableOf: (noun: string, route: string) => string | undefined;
}> {
  const tableOf = await tablesOf(db);
  const slots: IdSlot[] = [];
  const unnamed: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [m, op] of Object.entries(ops)) {
      const method = m.toUpperCase() as Method;
      const action = actionOf(method, path);
      if (action === undefined) continue;
      const places: { in: IdSlot['in']; name: string; list: boolean }[] = [];
      for (const p of op.parameters ?? [])
        if (
          (p.in === 'path' && isInteger(p.schema) && (p.name === 'id' || /Id$/.test(p.name))) ||
          (p.in === 'query' && isInteger(p.schema) && /Id$/.test(p.name))
        )
          places.push({ in: p.in, name: p.name, list: false });
      const body = op.requestBody?.content?.['application/json']?.schema;
      for (const [name, s] of Object.entries(
        (body?.['properties'] as Record<string, Schema> | undefined) ?? {},
      )) {
        if (isInteger(s) && /Id$/.test(name)) places.push({ in: 'body', name, list: false });
        if (s['type'] === 'array' && isInteger(s['items'] as Schema) && /Ids$/.test(name))
          places.push({ in: 'body', name, list: true });
      }
      for (const place of places) {
        const noun = nounOf(path, place.in, place.name);
        const table = noun === undefined ? undefined : tableOf(noun, routeWords(path, op));
        if (table === undefined) unnamed.push(`${method} ${path} ${place.in}.${place.name}`);
        else slots.push({ method, path, action, ...place, table, op });
      }
    }
  }
  return { slots, unnamed, tableOf };
}

/**
 * Moves each table's id sequence to a range of its own (table k from k × 1,000,000), so that a record made
 * afterwards has an id no other table's record has: an id of the wrong kind is then no record of the kind
 * asked for, and answers as an unknown id unless the route looks it up where it should not.
 */
export async function spreadIds(db: Db, tables: readonly string[]): Promise<void> {
  for (const [k, table] of [...new Set(tables)].sort().entries())
    await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), ${(k + 1) * 1_000_000})`.execute(db);
}

const NONE = Symbol('no sample');

/** A value the schema takes (NONE when the walk cannot make one), `name` the field's for ids. */
function sample(s: Schema | undefined, name: string, v: SampleValues, route: string): unknown {
  if (s === undefined) return NONE;
  if (s['const'] !== undefined) return s['const'];
  if (Array.isArray(s['enum'])) return s['enum'][0];
  for (const k of ['anyOf', 'oneOf'])
    if (Array.isArray(s[k]))
      for (const alt of s[k] as Schema[]) {
        const x = sample(alt, name, v, route);
        if (x !== NONE) return x;
      }
  const type = Array.isArray(s['type']) ? (s['type'] as string[]).find((t) => t !== 'null') : s['type'];
  switch (type) {
    case 'object': {
      const props = (s['properties'] as Record<string, Schema> | undefined) ?? {};
      const out: Record<string, unknown> = {};
      for (const key of (s['required'] as string[] | undefined) ?? []) {
        const x = sample(props[key], key, v, route);
        if (x === NONE) return NONE;
        out[key] = x;
      }
      return out;
    }
    case 'array': {
      const x = sample(s['items'] as Schema, name, v, route);
      return x === NONE ? NONE : [x];
    }
    case 'boolean':
      return false;
    case 'integer':
    case 'number': {
      const noun = nounOf('', 'body', name);
      const id = noun === undefined ? undefined : v.idOf(noun, route);
      if (id !== undefined) return id;
      const min = typeof s['minimum'] === 'number' ? s['minimum'] : 1;
      const max = typeof s['maximum'] === 'number' ? s['maximum'] : min;
      return Math.min(Math.max(min, 1), max);
    }
    case 'string':
      return sampleString(s, v);
    default:
      return NONE;
  }
}

/** A value `s` takes (undefined when the walk cannot make one): the field walk of wave 15 builds its requests from it. */
export function sampleOf(s: Schema | undefined, name: string, v: SampleValues, route: string): unknown {
  const x = sample(s, name, v, route);
  return x === NONE ? undefined : x;
}

function sampleString(s: Schema, v: SampleValues): unknown {
  const min = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
  const max = typeof s['maxLength'] === 'number' ? s['maxLength'] : 200;
  if (s['format'] === 'date') return v.today;
  if (s['format'] === 'date-time') return `${v.today}T08:00:00+08:00`;
  if (typeof s['pattern'] === 'string') {
    const re = new RegExp(s['pattern'], 'u');
    const candidates = [
      v.today,
      periodOf(v.today),
      TEST_REGION,
      v.idNumber,
      v.creditCode,
      'T0202',
      'W13-0001',
      'a'.repeat(32),
      'SB' + '0'.repeat(24),
      '13800000000',
      'abc',
      '1',
    ];
    return candidates.find((c) => re.test(c) && c.length >= min && c.length <= max) ?? NONE;
  }
  return 'w13 测试：核对说明'.padEnd(Math.max(min, 2), '。').slice(0, max);
}

/** The request for `slot` with `id` in its place; undefined when its schema asks what the walk cannot make. */
export function requestFor(
  slot: IdSlot,
  id: number,
  v: SampleValues,
): { method: Method; url: string; body?: unknown } | undefined {
  let url = slot.path;
  const query: string[] = [];
  for (const p of slot.op.parameters ?? []) {
    const mine = p.in === slot.in && p.name === slot.name;
    const value = mine
      ? id
      : p.in === 'path' && isInteger(p.schema)
        ? (v.idOf(nounOf(slot.path, 'path', p.name) ?? '', routeWords(slot.path, slot.op)) ?? 1)
        : p.in === 'path' || p.required === true
          ? sample(p.schema, p.name, v, routeWords(slot.path, slot.op))
          : undefined;
    if (value === NONE) return undefined;
    if (value === undefined) continue;
    const text = encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
    if (p.in === 'path') url = url.replace(`{${p.name}}`, text);
    else if (p.in === 'query') query.push(`${p.name}=${text}`);
  }
  if (query.length > 0) url += `?${query.join('&')}`;
  const content = slot.op.requestBody?.content;
  if (content === undefined) return { method: slot.method, url };
  const schema = content['application/json']?.schema;
  if (schema === undefined) return undefined;
  const body = sample(schema, '', v, routeWords(slot.path, slot.op));
  if (body === NONE || typeof body !== 'object' || body === null) return undefined;
  if (slot.in === 'body') (body as Record<string, unknown>)[slot.name] = slot.list ? [id] : id;
  return { method: slot.method, url, body };
}

/** A caller of the walk: a request as one of the logins (named after its role, or an attacker's name). */
export type WalkCall = (
  who: string,
  method: Method,
  url: string,
  body?: unknown,
) => Promise<{ statusCode: number; body: string; json: <T>() => T }>;

export interface WalkPlan {
  /** who attacks a route whose role holds the action over its own records only: a login with none of the walk's records */
  attackers: readonly (readonly [who: string, role: Role, scope: Scope])[];
  /** who may act on the walk's records, in the order the wrong-kind probe picks one (each login named after its role) */
  insiders: readonly Role[];
  /** an id no record has (past every table's spread range) */
  unknownId: number;
  /** the one record of each table the walk made (its id) */
  made: ReadonlyMap<string, number>;
  values: SampleValues;
  /** the slots walked (others are left to another wave) */
  walks?: (slot: IdSlot) => boolean;
}

/**
 * For each slot with a record made: as each attacker, the record's id against an unknown id — where the
 * unknown id was looked up (404), the record's answer must be the same status, code, field, and neither
 * may repeat the id; and as an insider, an id of another kind against the unknown id, the same answer.
 */
export async function walkIds(slots: readonly IdSlot[], call: WalkCall, plan: WalkPlan) {
  const answer = (r: { statusCode: number; json: <T>() => T }) => ({
    status: r.statusCode,
    error: r.statusCode >= 400 ? r.json<{ error?: { code: string; field?: string } }>().error : undefined,
  });
  const { made, unknownId, values: v } = plan;
  const failures: string[] = [];
  const notMade = new Set<string>();
  const unsampled: string[] = [];
  const walked = new Set<string>();
  let reached = 0;
  let wrongKinds = 0;
  for (const slot of slots) {
    if (plan.walks !== undefined && !plan.walks(slot)) continue;
    const where = `${slot.method} ${slot.path} ${slot.in}.${slot.name}`;
    const id = made.get(slot.table);
    if (id === undefined) {
      notMade.add(slot.table);
      continue;
    }
    const unknown = requestFor(slot, unknownId, v);
    const known = requestFor(slot, id, v);
    if (unknown === undefined || known === undefined) {
      unsampled.push(where);
      continue;
    }
    const grants = POLICY[slot.action];
    for (const [who, role, scope] of plan.attackers) {
      if (grants[role] !== scope) continue;
      const a = await call(who, unknown.method, unknown.url, unknown.body);
      // the unknown id was looked up (else another part of the sample answered first)
      if (a.statusCode !== 404) continue;
      reached += 1;
      walked.add(where);
      if (a.body.includes(String(unknownId))) failures.push(`${who} ${where}: the id repeated (${a.body})`);
      const b = await call(who, known.method, known.url, known.body);
      if (JSON.stringify(answer(b)) !== JSON.stringify(answer(a)))
        failures.push(
          `${who} ${where}: ${slot.table} ${id} → ${b.statusCode} ${b.body.slice(0, 200)}; unknown → ${a.body}`,
        );
    }
    // an id of another kind (every kind's ids are apart): the answer of an unknown id, to one who may act
    const insider = plan.insiders.find((r) => grants[r] !== undefined);
    const other = [...made].find(([table]) => table !== slot.table)?.[1];
    if (insider === undefined || other === undefined) continue;
    const a = await call(insider, unknown.method, unknown.url, unknown.body);
    if (a.statusCode !== 404) continue;
    wrongKinds += 1;
    if (a.body.includes(String(unknownId))) failures.push(`${insider} ${where}: the id repeated (${a.body})`);
    const wrong = requestFor(slot, other, v);
    if (wrong === undefined) continue;
    const b = await call(insider, wrong.method, wrong.url, wrong.body);
    if (JSON.stringify(answer(b)) !== JSON.stringify(answer(a)))
      failures.push(
        `${insider} ${where}: an id of another kind (${other}) → ${b.statusCode} ${b.body.slice(0, 200)}; unknown → ${a.body}`,
      );
  }
  return { failures, notMade, unsampled, walked, reached, wrongKinds };
}

/** The lowest id above the spread of each table (the record the walk made), for `made`. */
export async function madeIds(db: Db, tables: Iterable<string>): Promise<Map<string, number>> {
  const made = new Map<string, number>();
  for (const table of new Set(tables)) {
    const r = await sql<{ id: string | number | null }>`
      SELECT min(id) AS id FROM ${sql.table(table)} WHERE id > 1000000`.execute(db);
    const id = r.rows[0]?.id;
    if (id !== null && id !== undefined) made.set(table, Number(id));
  }
  return made;
}
