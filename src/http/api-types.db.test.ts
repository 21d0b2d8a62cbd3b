// The web client's API types (web/src/api.gen.ts) are generated from the routes' response schemas.
// This fails when a route's schema changed and the file was not regenerated, so the web client can
// never compile against shapes the server no longer sends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentApiTypes, renderApiTypes } from '../testing/api-types.ts';

test('web/src/api.gen.ts is what the routes generate today (run `npm run api-types` after changing a schema)', async () => {
  const fresh = await renderApiTypes();
  assert.ok(fresh.includes("'/api/v1/bills/{id}'"), 'the generated paths include the bill route');
  assert.ok(currentApiTypes() === fresh, 'web/src/api.gen.ts is stale: run `npm run api-types`');
});
