// The fifteenth wave (sec40): what a hostile string, number or file does. The fields are found in the route
// schemas (the OpenAPI document the running app makes), as wave 13's id walk finds its ids, so a new route
// or field is walked without anyone listing it; the files, the JSON parser and the exports are probed on
// their own. Each test goes through the real server (app.inject) on a real database; the holes were seen
// failing first (docs/security.md, wave 15).
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { machineOfRoute } from '../auth/machines.ts';
import { POLICY, type Action } from '../auth/policy.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import { textKindOf } from '../core/text.ts';
import { repeatedField } from '../http/json-body.ts';
import type { Role } from '../db/database.ts';
import { makeAjv } from '../server.ts';
import { BANK_RECEIPT_HEADER, postBankReceipts } from '../testing/bill-fixtures.ts';
import type { Method } from '../testing/requests.ts';
import { TEST_REGION } from '../testing/test-app.ts';
import { attackerWalk } from './attackers.ts';
import { sampleOf, type OpenApi, type Operation, type SampleValues, type Schema } from './id-walk.ts';

const TODAY = '2026-04-20';
/** Who a route is walked as: the first of these its action admits (the test region's own staff first). */
const INSIDERS: readonly Role[] = ['clerk', 'reviewer', 'supervisor', 'policy', 'citizen', 'employer'];
/** Who may not use a route, or only for their own records: each sends every route one hostile request. */
const OUTSIDERS = [null, 'citizen', 'employer', 'clerk-hefei'] as const;

/** A hostile value for one field, and why it must be refused. */
interface Probe {
  in: 'query' | 'body';
  /** the field the answer must name: `name`, or one level down `lines.0.name` */
  field: string;
  what: string;
  /** the body's top-level field the probe replaces (`lines` for `lines.0.name`) */
  top: string;
  /** the top-level field's value in the body, or the query string's text for the field (`a=1&a=2`) */
  value: unknown;
}

const typeOf = (s: Schema): string =>
  (Array.isArray(s['type'])
    ? (s['type'] as string[]).find((t) => t !== 'null')
    : (s['type'] as string | undefined)) ?? 'none';

/** The hostile values of one field, by what its schema says it takes (none for a choice from a list). */
function probesOf(where: Probe['in'], field: string, s: Schema, good: unknown): Probe[] {
  if (s['enum'] !== undefined || s['const'] !== undefined || s['anyOf'] !== undefined) return [];
  const out: Probe[] = [];
  const add = (what: string, value: unknown) => out.push({ in: where, field, what, top: field, value });
  const q = (v: string) => `${field}=${encodeURIComponent(v)}`;
  const text = typeof good === 'string' ? good : JSON.stringify(good);
  switch (typeOf(s)) {
    case 'string': {
      const max = s['maxLength'];
      if (typeof max === 'number') {
        const long = 'w'.repeat(max + 1);
        add('one character past its maxLength', where === 'query' ? q(long) : long);
      }
      // a shaped value (a code, a day) with something after it: an unanchored pattern takes it
      if (typeof s['pattern'] === 'string' && typeof good === 'string')
        add('its shape with more after it', where === 'query' ? q(`${good}<x>`) : `${good}<x>`);
      if (where === 'query') add('repeated', `${q(text)}&${q(text)}`);
      else add('a number for text', 7);
      break;
    }
    case 'integer':
    case 'number': {
      const [min, max] = [s['minimum'], s['maximum']];
      if (typeof min === 'number') add('below its minimum', where === 'query' ? q(String(min - 1)) : min - 1);
      if (typeof max === 'number') add('past its maximum', where === 'query' ? q(String(max + 1)) : max + 1);
      if (typeOf(s) === 'integer') add('a fraction', where === 'query' ? q('1.5') : 1.5);
      if (where === 'query') {
        add('repeated', `${q(text)}&${q(text)}`);
        add('full-width digits', q('１２３'));
      } else {
        add('the number as text', text);
        add('a list for a number', [good]);
      }
      break;
    }
    case 'boolean':
      if (where === 'body') add('a boolean as text', 'true');
      break;
    default:
      break;
    case 'array':
      if (where === 'body') {
        const item: unknown = Array.isArray(good) ? good[0] : good;
        add('one item for a list', item);
        const maxItems = s['maxItems'];
        if (typeof maxItems === 'number' && item !== undefined && maxItems <= 10_000)
          add(
            'one item past its maxItems',
            Array.from({ length: maxItems + 1 }, (): unknown => item),
          );
      }
      break;
  }
  return out;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The hostile values of a body field and, one level down, of each field of its object or of its list's first
 * object (`lines.0.name`, the rest of the list as it was): a nested field's schema was checked only for being
 * declared (route-schemas.db.test.ts), never sent.
 */
function bodyProbesOf(
  field: string,
  s: Schema,
  good: unknown,
  fill: (s: Schema, name: string) => unknown,
): Probe[] {
  const out = probesOf('body', field, s, good);
  const nested = (
    at: string,
    inner: Schema,
    base: unknown,
    put: (changed: Record<string, unknown>) => unknown,
  ) => {
    const props = inner['properties'] as Record<string, Schema> | undefined;
    if (typeOf(inner) !== 'object' || props === undefined) return;
    const obj = isRecord(base) ? base : {};
    for (const [k, c] of Object.entries(props))
      for (const p of probesOf('body', `${at}.${k}`, c, obj[k] ?? fill(c, k)))
        out.push({ ...p, top: field, value: put({ ...obj, [k]: p.value }) });
  };
  if (typeOf(s) === 'object') nested(field, s, good ?? fill(s, field), (o) => o);
  if (typeOf(s) === 'array' && s['items'] !== undefined) {
    const list: unknown[] = Array.isArray(good) ? good : [];
    const items = s['items'] as Schema;
    nested(`${field}.0`, items, list[0] ?? fill(items, field), (o) => [o, ...list.slice(1)]);
  }
  return out;
}

/** A valid request the walk made for a route that writes (its body sampled from the route's schema). */
interface Base {
  where: string;
  method: Method;
  url: string;
  body: unknown;
  fields: Record<string, Schema>;
  insider: Role | null;
}

describe('wave 15', () => {
  const w = attackerWalk([], TODAY);
  const { as, call, error } = w;
  const bases: Base[] = [];

  test('every text, number and list field of every route, found in its schema, refuses what it does not take — past maxLength, an unanchored shape, text for a number, a fraction, out of range, repeated in the query, a list for a scalar — naming the field, for whoever the route admits; and anyone else hears no more than a refusal', async () => {
    const doc = (w.t.app as unknown as { swagger(): OpenApi }).swagger();
    const routeOf = (method: string, path: string) =>
      w.t.app.routeTable.find((r) => r.method === method && r.url.replace(/:(\w+)/g, '{$1}') === path);
    const v: SampleValues = {
      today: TODAY,
      idNumber: makeIdNumber('341802', '1980-05-05', 21),
      creditCode: '91341800MA2N0XXX00',
      idOf: () => undefined,
    };
    const bodyAjv = makeAjv(false);
    const queryAjv = makeAjv(true);
    const failures: string[] = [];
    const unsampled: string[] = [];
    let probes = 0;
    let nestedProbes = 0;
    let routes = 0;
    const started = Date.now();
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/') || path.startsWith('/api/docs')) continue;
      for (const [m, op] of Object.entries<Operation>(ops)) {
        const method = m.toUpperCase() as Method;
        const route = routeOf(method, path);
        // a hospital's system and a card terminal call their routes with a key, not a login, and are refused
        // before their body is read (the terminal's body is the clerk's `/api/v1/card-uses` one, walked here)
        if (route === undefined || machineOfRoute(route.url) !== undefined || route.url.endsWith('/logout'))
          continue;
        const action = route.action as Action | undefined;
        const insider = route.public
          ? null
          : INSIDERS.find((r) => action !== undefined && POLICY[action][r] !== undefined);
        if (insider === undefined) continue;
        const where = `${method} ${path}`;
        const words = [path, ...(op.tags ?? [])].join('/');
        // a valid request the probes change one field of: checked by the server's own validators first
        let url = path;
        const query: string[] = [];
        const querySchema: Schema = { type: 'object', properties: {}, required: [] };
        const queryProbes: Probe[] = [];
        let ok = true;
        for (const p of op.parameters ?? []) {
          const good = sampleOf(p.schema, p.name, v, words);
          if (p.in === 'path') {
            if (good === undefined) ok = false;
            url = url.replace(`{${p.name}}`, encodeURIComponent(String(good)));
          } else if (p.in === 'query' && p.schema !== undefined) {
            (querySchema['properties'] as Record<string, Schema>)[p.name] = p.schema;
            if (p.required === true) {
              if (good === undefined) ok = false;
              query.push(`${p.name}=${encodeURIComponent(String(good))}`);
            }
            queryProbes.push(...probesOf('query', p.name, p.schema, good ?? 1));
          }
        }
        const bodySchema = op.requestBody?.content?.['application/json']?.schema;
        const body = bodySchema === undefined ? undefined : sampleOf(bodySchema, '', v, words);
        const fields = (bodySchema?.['properties'] as Record<string, Schema> | undefined) ?? {};
        const queryOf = (probe?: Probe) =>
          [
            ...query.filter((x) => probe?.in !== 'query' || !x.startsWith(`${probe.field}=`)),
            ...(probe?.in === 'query' ? [probe.value as string] : []),
          ].join('&');
        const baseQuery = new Map(
          query.map((x): [string, string] => {
            const [k = '', value = ''] = x.split('=').map((part) => decodeURIComponent(part));
            return [k, value];
          }),
        );
        if (
          !ok ||
          (bodySchema !== undefined && (body === undefined || !bodyAjv.validate(bodySchema, body))) ||
          !queryAjv.validate(querySchema, Object.fromEntries(baseQuery))
        ) {
          unsampled.push(where);
          continue;
        }
        const fill = (s: Schema, name: string) => sampleOf(s, name, v, words);
        const bodyProbes = Object.entries(fields).flatMap(([name, s]) =>
          bodyProbesOf(name, s, (body as Record<string, unknown>)[name] ?? fill(s, name), fill),
        );
        routes += 1;
        if (method !== 'GET' && body !== undefined) {
          const q = queryOf();
          bases.push({ where, method, url: q === '' ? url : `${url}?${q}`, body, fields, insider });
        }
        let first = true;
        for (const probe of [...queryProbes, ...bodyProbes]) {
          const q = queryOf(probe);
          const target = q === '' ? url : `${url}?${q}`;
          const payload =
            body === undefined
              ? undefined
              : probe.in === 'body'
                ? { ...(body as object), [probe.top]: probe.value }
                : body;
          probes += 1;
          if (probe.field !== probe.top) nestedProbes += 1;
          const r = await call(insider, method, target, payload);
          const e = r.statusCode === 400 ? error(r) : undefined;
          if (e?.field !== probe.field && r.statusCode !== 429)
            failures.push(
              `${where} ${probe.in}.${probe.field} ${probe.what} → ${r.statusCode} ${r.body.slice(0, 160)}`,
            );
          if (!first) continue;
          first = false;
          // anyone the route does not admit, or admits for their own records only: a refusal that repeats nothing
          for (const who of OUTSIDERS) {
            if (who === insider) continue;
            const o = await call(who, method, target, payload);
            const echoed =
              typeof probe.value === 'string' && probe.value.length > 8 && o.body.includes(probe.value);
            if (o.statusCode < 400 || o.statusCode >= 500 || echoed)
              failures.push(
                `${who ?? 'anonymous'} ${where} ${probe.in}.${probe.field} ${probe.what} → ${o.statusCode} ${o.body.slice(0, 160)}`,
              );
          }
        }
      }
    }
    console.log(
      `wave 15 field walk: ${routes} routes, ${probes} probes (${nestedProbes} one level down); not sampled: ${unsampled.join(', ')}; ${Date.now() - started} ms`,
    );
    assert.deepEqual(failures, []);
    assert.ok(routes > 200 && probes > 1000, `${routes} routes, ${probes} probes`);
  });

  test('an ID number or credit code typed in full width (`３４１８…Ｘ`, an ideographic space around it) is read as the ASCII one; a region or day in full width is refused naming the field', async () => {
    const id = makeIdNumber('341802', '1975-03-04', 31);
    const person = await call('clerk', 'POST', '/api/v1/persons', {
      idNumber: `\u3000${fullWidth(id)} `,
      name: '全角',
      region: TEST_REGION,
    });
    assert.equal(person.statusCode, 201, person.body);
    assert.equal(person.json<{ idNumber: string }>().idNumber, id);
    const found = await call('clerk', 'GET', `/api/v1/persons?idNumber=${encodeURIComponent(fullWidth(id))}`);
    assert.equal(found.json<{ total: number }>().total, 1, found.body);
    const code = makeCreditCode(TEST_REGION, 4242);
    const employer = await call('clerk', 'POST', '/api/v1/employers', {
      creditCode: fullWidth(code),
      name: '全角单位',
      region: TEST_REGION,
      industryClass: 1,
      size: 'sme',
    });
    assert.equal(employer.statusCode, 201, employer.body);
    assert.equal(employer.json<{ creditCode: string }>().creditCode, code);
    const region = await call('clerk', 'POST', '/api/v1/persons', {
      idNumber: makeIdNumber('341802', '1975-03-04', 33),
      name: '全角',
      region: fullWidth(TEST_REGION),
    });
    assert.deepEqual([region.statusCode, error(region)?.field], [400, 'region']);
  });

  test('JSON: a field given twice is refused naming it (JSON.parse kept the last, another reader may keep the first), `__proto__` and `constructor.prototype` are refused as malformed and pollute nothing', async () => {
    const raw = (text: string) =>
      w.t.app.inject({
        method: 'POST',
        url: '/api/v1/persons',
        headers: { ...as['clerk']?.headers, 'content-type': 'application/json' },
        payload: text,
      });
    const id = makeIdNumber('341802', '1976-04-05', 41);
    const twice = await raw(`{"idNumber":"${id}","name":"甲","region":"${TEST_REGION}","name":"乙"}`);
    assert.deepEqual([twice.statusCode, error(twice)?.field], [400, 'name'], twice.body);
    assert.ok(!twice.body.includes('乙') && !twice.body.includes('甲'), 'the values are not repeated');
    const escaped = await raw(`{"idNumber":"${id}","name":"甲","region":"${TEST_REGION}","\\u006eame":"乙"}`);
    assert.deepEqual([escaped.statusCode, error(escaped)?.field], [400, 'name'], escaped.body);
    const none = await call('clerk', 'GET', `/api/v1/persons?idNumber=${id}`);
    assert.equal(none.json<{ total: number }>().total, 0, 'nothing was written');
    assert.equal(
      repeatedField('{"lines":[{"a":"x\\"","b":1},{"a":1,"b":{"c":"\\\\","c":2}}]}'),
      'lines.1.b.c',
    );
    assert.equal(repeatedField('{"a":{"b":1},"c":[{"b":1},{"b":2}],"b":"{\\"b\\":1,\\"b\\":2}"}'), null);
    for (const text of [
      `{"__proto__":{"isAdmin":true},"idNumber":"${id}","name":"甲","region":"${TEST_REGION}"}`,
      `{"constructor":{"prototype":{"isAdmin":true}},"idNumber":"${id}","name":"甲","region":"${TEST_REGION}"}`,
    ]) {
      const r = await raw(text);
      assert.deepEqual([r.statusCode, error(r)?.code], [400, 'SB_ERR_VALIDATION'], r.body);
      assert.equal(({} as Record<string, unknown>)['isAdmin'], undefined);
    }
  });

  test('files: a refused upload lists its first 1,000 problems and counts them all (a 7 MB file of bad lines answered 666,663, in half a minute); a BOM, CRLF, a 10,000-column line, a binary file and a file past the limit are each answered', async () => {
    const clerk = as['clerk'];
    assert.ok(clerk);
    const bad = `${BANK_RECEIPT_HEADER}\n${'x,2026-04-01,1,100\n'.repeat(3000)}`;
    const r = await postBankReceipts(w.t, clerk, bad);
    const e = r.json<{ error: { code: string; message: string; lines: unknown[] } }>().error;
    assert.deepEqual([r.statusCode, e.code, e.lines.length], [400, 'SB_ERR_INVALID_UPLOAD', 1000]);
    assert.match(e.message, /3000 处错误（列出前 1000 处）/);
    // a spreadsheet's BOM and CRLF are read as the lines they are: the header holds, the one error is line 2's reference
    const crlf = await postBankReceipts(w.t, clerk, `\uFEFF${BANK_RECEIPT_HEADER}\r\nx,2026-04-01,1,100\r\n`);
    assert.deepEqual(
      crlf.json<{ error: { lines: { line: number }[] } }>().error.lines.map((l) => l.line),
      [2],
      crlf.body,
    );
    const wide = await postBankReceipts(w.t, clerk, `${BANK_RECEIPT_HEADER}\n${'1,'.repeat(10_000)}\n`);
    assert.match(wide.body, /expected 4 columns, found 10001/);
    const binary = await postBankReceipts(w.t, clerk, '\u0089PNG\r\n\u001a\n\u0000\u0000');
    assert.deepEqual([binary.statusCode, error(binary)?.code], [400, 'SB_ERR_INVALID_TEXT']);
    const huge = await postBankReceipts(
      w.t,
      clerk,
      `${BANK_RECEIPT_HEADER}\n${'W15-0001,2026-04-01,1,100\n'.repeat(340_000)}`,
    );
    assert.deepEqual([huge.statusCode, error(huge)?.code], [413, 'SB_ERR_VALIDATION']);
  });

  test('every free-text line a route takes (a name, a title, a note), typed with spaces or an ideographic space around it, is kept without them; and the audit export of what the walk wrote has no cell a spreadsheet reads as a formula', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const b of bases) {
      const padded: Record<string, unknown> = { ...(b.body as object) };
      const texts: string[] = [];
      for (const [name, s] of Object.entries(b.fields))
        if (
          typeOf(s) === 'string' &&
          s['pattern'] === undefined &&
          s['enum'] === undefined &&
          s['format'] === undefined &&
          textKindOf(name) !== 'secret'
        ) {
          // a reason or a note also starts like a formula: the export below must neutralize it
          const x = `${textKindOf(name) === 'multiline' ? '=1+2 ' : ''}${typeof padded[name] === 'string' ? padded[name] : 'w15 说明'}`;
          padded[name] = `\u3000 ${x} `;
          texts.push(x);
        }
      if (texts.length === 0) continue;
      sent += 1;
      const r = await call(b.insider, b.method, b.url, padded);
      if (r.statusCode < 300 && (r.body.includes('\u3000') || texts.some((x) => r.body.includes(`${x} "`))))
        failures.push(`${b.where}: ${r.body.slice(0, 200)}`);
    }
    console.log(`wave 15 padded text: ${sent} routes`);
    assert.ok(sent > 40, `${sent} routes with free text`);
    assert.deepEqual(failures, []);
    const csv = await call('supervisor', 'GET', '/api/v1/audit.csv');
    assert.equal(csv.statusCode, 200);
    for (const line of csv.body.split('\r\n'))
      for (const cell of line.split(',')) assert.ok(!/^"?[=+@\t\r]/.test(cell), `a formula cell: ${cell}`);
  });
});

/** The full-width form of an ASCII text, as a Chinese input method in full-width mode types it. */
const fullWidth = (s: string): string =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
