// Every API route declares the schema of its success answer: the schema serialises the response,
// types the handler and documents the route in /api/docs. This walks every route of the OpenAPI
// document the running app generates from its registered routes and fails on one whose 2xx answer
// has no schema (Fastify then documents a bare "Default Response").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_AMOUNT_FEN } from '../core/money-text.ts';
import { IsoDateString, PeriodString } from './schemas.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp();
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

test('every day and month a caller sends is the shared IsoDateString or PeriodString: a shape-only pattern lets 2021-02-31 and 2021-13 through', async () => {
  await t.app.ready();
  const loose: string[] = [];
  let days = 0;
  let months = 0;
  eachRequestSchema((o, at) => {
    if (o['type'] !== 'string' || o['enum'] !== undefined || o['const'] !== undefined) return;
    const pattern = typeof o['pattern'] === 'string' ? o['pattern'] : '';
    const name = at.slice(at.lastIndexOf('.') + 1);
    // a day or a month by its pattern (four digits, a dash) or by its name
    const byPattern = /\{4\}-|\\d\{4\}|\d{4}-/.test(pattern) || o['format'] === 'date';
    const byName =
      /^(date|day|on|asOf|deadline|period|month|from|to|until|since)$/.test(name) ||
      /[a-z](Date|Day|On|Deadline|Period|Month|From|To|Until|Since)$/.test(name);
    if (!byPattern && !byName) return;
    const dashes = pattern.replace(/\[[^\]]*\]/g, '').split('-').length - 1;
    const isDay =
      o['format'] === 'date' || dashes === 2 || (dashes === 0 && !/period|Period|month|Month/.test(name));
    if (isDay) {
      days += 1;
      if (o['pattern'] !== IsoDateString.pattern || o['format'] !== IsoDateString.format)
        loose.push(`${at} (day)`);
    } else {
      months += 1;
      if (o['pattern'] !== PeriodString.pattern) loose.push(`${at} (month)`);
    }
  }, true);
  assert.ok(days > 40 && months > 12, `found ${days} days and ${months} months in requests`);
  assert.deepEqual(loose, [], `days and months not checked as what they are:\n${loose.join('\n')}`);
});
