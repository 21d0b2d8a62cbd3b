// Every API route declares the schema of its success answer: the schema serialises the response,
// types the handler and documents the route in /api/docs. This walks every route of the OpenAPI
// document the running app generates from its registered routes and fails on one whose 2xx answer
// has no schema (Fastify then documents a bare "Default Response").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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
}

test('every /api route declares a response schema for its 2xx answer', async () => {
  await t.app.ready();
  const doc = (
    t.app as unknown as { swagger(): { paths: Record<string, Record<string, OpenApiOperation>> } }
  ).swagger();
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
