// Every API route declares the schema of its success answer: the schema serialises the response,
// types the handler and documents the route in /api/docs. This walks every route of the OpenAPI
// document the running app generates from its registered routes and fails on one whose 2xx answer
// has no schema (Fastify then documents a bare "Default Response").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_AMOUNT_FEN } from '../core/money-text.ts';
import { makeAjv } from '../server.ts';
import { IsoDateString, MAX_ROW_ID, PeriodString } from './schemas.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
before(async () => {
  // the demo's database: its simulators' routes exist only there, and their requests are walked too
  t = await makeTestApp({ demo: true });
});
after(async () => {
  await t.close();
});

interface OpenApiOperation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  parameters?: { name: string; in: string; schema?: unknown }[];
}
type OpenApi = { paths: Record<string, Record<string, OpenApiOperation>> };
const openApi = (): OpenApi => (t.app as unknown as { swagger(): OpenApi }).swagger();

test('every /api route declares a response schema for its 2xx answer', async () => {
  await t.app.ready();
  const doc = openApi();
  const missing: string[] = [];
  let count = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, op] of Object.entries(ops)) {
      count += 1;
      const ok = Object.entries(op.responses ?? {}).some(
        ([code, r]) => /^2/.test(code) && Object.values(r.content ?? {}).some((c) => c.schema !== undefined),
      );
      if (!ok) missing.push(`${method.toUpperCase()} ${path}`);
    }
  }
  assert.ok(count > 50, `found ${count} API operations`);
  assert.deepEqual(missing, [], `routes without a 2xx response schema:\n${missing.join('\n')}`);
});

/**
 * Every schema node a caller sends (bodies; with `parameters`, the query and path too), depth first, each
 * with where it sits ("POST /api/v1/… body.lines.amountFen").
 */
function eachRequestSchema(
  visit: (o: Record<string, unknown>, at: string) => void,
  parameters: boolean,
): void {
  const walk = (s: unknown, at: string): void => {
    if (typeof s !== 'object' || s === null) return;
    const o = s as Record<string, unknown>;
    visit(o, at);
    for (const [k, v] of Object.entries((o['properties'] as Record<string, unknown> | undefined) ?? {}))
      walk(v, `${at}.${k}`);
    walk(o['items'], at);
    for (const k of ['anyOf', 'oneOf', 'allOf'])
      for (const v of (o[k] as unknown[] | undefined) ?? []) walk(v, at);
  };
  for (const [path, ops] of Object.entries(openApi().paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, op] of Object.entries(ops)) {
      const at = `${method.toUpperCase()} ${path}`;
      for (const c of Object.values(op.requestBody?.content ?? {})) walk(c.schema, `${at} body`);
      if (parameters) for (const p of op.parameters ?? []) walk(p.schema, `${at} ${p.in}.${p.name}`);
    }
  }
}

test('every amount in fen a caller sends has a maximum: JSON’s 1e300 is an integer to a bare schema', async () => {
  await t.app.ready();
  const unbounded: string[] = [];
  let amounts = 0;
  eachRequestSchema((o, at) => {
    if ((o['type'] === 'integer' || o['type'] === 'number') && /Fen$/.test(at)) {
      amounts += 1;
      const max = o['maximum'];
      if (typeof max !== 'number' || max > MAX_AMOUNT_FEN) unbounded.push(at);
    }
  }, true);
  assert.ok(amounts > 20, `found ${amounts} amounts in requests`);
  assert.deepEqual(unbounded, [], `amounts without a maximum:\n${unbounded.join('\n')}`);
});

test('every page, page size, limit and offset a caller sends has a maximum: a page of 2^53 was computed into an offset past any number', async () => {
  await t.app.ready();
  const open: string[] = [];
  let paging = 0;
  eachRequestSchema((o, at) => {
    if ((o['type'] === 'integer' || o['type'] === 'number') && /\.(page|pageSize|limit|offset)$/.test(at)) {
      paging += 1;
      if (typeof o['maximum'] !== 'number' || typeof o['minimum'] !== 'number') open.push(at);
    }
  }, true);
  assert.ok(paging > 40, `found ${paging} paging parameters`);
  assert.deepEqual(open, [], `paging parameters without a minimum and a maximum:\n${open.join('\n')}`);
});

test('every number a caller sends — path, query string or body — has a minimum and a maximum: an id past bigint reached the database, and a year, count or day in a body took 1e300', async () => {
  await t.app.ready();
  const open: string[] = [];
  let numbers = 0;
  let inBodies = 0;
  eachRequestSchema((o, at) => {
    if (o['type'] !== 'integer' && o['type'] !== 'number') return;
    numbers += 1;
    if (at.includes(' body.')) inBodies += 1;
    const [min, max] = [o['minimum'], o['maximum']];
    // past 2^53 − 1 a JSON number is no longer the figure typed, whatever the field
    if (typeof min !== 'number' || typeof max !== 'number' || min < -MAX_ROW_ID || max > MAX_ROW_ID)
      open.push(at);
  }, true);
  assert.ok(numbers > 150 && inBodies > 50, `found ${numbers} numbers, ${inBodies} in bodies`);
  assert.deepEqual(open, [], `numbers without a minimum and a maximum:\n${open.join('\n')}`);
});

test('every list a caller sends has a maxItems, and every string with a shape a maxLength unless its pattern bounds it: a `+` or a date-time format takes a megabyte', async () => {
  await t.app.ready();
  const open: string[] = [];
  let lists = 0;
  let shaped = 0;
  eachRequestSchema((o, at) => {
    if (o['type'] === 'array') {
      lists += 1;
      if (typeof o['maxItems'] !== 'number') open.push(`${at} (no maxItems)`);
    }
    if (o['type'] !== 'string' || typeof o['maxLength'] === 'number') return;
    if (o['pattern'] === undefined && o['format'] === undefined) return; // free text: the string walk below
    shaped += 1;
    // a pattern bounds the length when nothing in it repeats without end (escaped characters aside)
    const pattern = typeof o['pattern'] === 'string' ? o['pattern'].replace(/\\./g, '') : undefined;
    if (pattern === undefined || /[*+]|\{\d+,\}/.test(pattern)) open.push(`${at} (no length limit)`);
  }, true);
  assert.ok(lists > 5 && shaped > 100, `found ${lists} lists and ${shaped} shaped strings`);
  assert.deepEqual(open, [], `lists and strings without a bound:\n${open.join('\n')}`);
});

test('every request body refuses a field it does not name: a service that spreads its input cannot be steered by one', async () => {
  await t.app.ready();
  const open: string[] = [];
  let objects = 0;
  eachRequestSchema((o, at) => {
    if (o['type'] === 'object' && o['properties'] !== undefined) {
      objects += 1;
      if (o['additionalProperties'] !== false) open.push(at);
    }
  }, false);
  assert.ok(objects > 50, `found ${objects} objects in request bodies`);
  assert.deepEqual(open, [], `request bodies that take fields they do not name:\n${open.join('\n')}`);
});

test('every string a caller sends is bounded, and every one that takes a day or a month is IsoDateString or PeriodString — found by what its validator accepts, not by its name', async () => {
  await t.app.ready();
  const ajv = makeAjv(false);
  const wrong: string[] = [];
  let days = 0;
  let months = 0;
  let strings = 0;
  eachRequestSchema((o, at) => {
    if (o['type'] !== 'string') return;
    strings += 1;
    if (o['enum'] !== undefined || o['const'] !== undefined) return;
    const structured = o['pattern'] !== undefined || o['format'] !== undefined;
    // free text has a length limit; anything with a shape is probed below
    if (!structured) {
      if (typeof o['maxLength'] !== 'number') wrong.push(`${at} (no length limit)`);
      return;
    }
    const accepts = ajv.compile(o);
    const takes = (v: string) => accepts(v) === true;
    // a day or a month, not a code that happens to take one (a bank reference takes letters, and dashes anywhere)
    const dated = (shaped: string[], unlike: string[]) => shaped.some(takes) && !unlike.every(takes);
    const sameAs = (shared: Record<string, unknown>) =>
      o['pattern'] === shared['pattern'] && o['format'] === shared['format'];
    if (dated(['2021-02-28', '2021-02-30', '2021-13-01'], ['x021-02-28', '2021-0228-'])) {
      days += 1;
      if (!sameAs(IsoDateString)) wrong.push(`${at} (day)`);
    }
    if (dated(['2021-02', '2021-13'], ['x021-02', '202-102'])) {
      months += 1;
      if (!sameAs(PeriodString)) wrong.push(`${at} (month)`);
    }
  }, true);
  assert.ok(
    strings > 300 && days > 40 && months > 12,
    `found ${strings} strings, ${days} days and ${months} months in requests`,
  );
  assert.deepEqual(
    wrong,
    [],
    `strings unbounded, or days and months not checked as what they are:\n${wrong.join('\n')}`,
  );
});
