// GET /api/v1/node: the web shows the federation's pages in its menu only on a node that serves them.
// A single server says so; a province node and the national exchange say which they are (the route is
// public: the login page's menu decision needs it before anyone logs in).
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { buildServer } from '../server.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp();
});
after(async () => {
  await t.close();
});

test('a single-province server answers role single, without a login', async () => {
  const r = await t.app.inject({ method: 'GET', url: '/api/v1/node' });
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { role: 'single', province: null });
  // …and it really has no federation routes, which is why the menu must not offer them there.
  const staff = await t.login('clerk');
  const transfers = await t.app.inject({ method: 'GET', url: '/api/v1/transfers', headers: staff.headers });
  assert.equal(transfers.statusCode, 404);
});

test('a province node and the national exchange say which they are', async () => {
  for (const node of [
    { role: 'province', province: '320000' },
    { role: 'national', province: null },
  ] as const) {
    const app = await buildServer(t.ctx, { node });
    try {
      const r = await app.inject({ method: 'GET', url: '/api/v1/node' });
      assert.equal(r.statusCode, 200);
      assert.deepEqual(r.json(), node);
    } finally {
      await app.close();
    }
  }
});
