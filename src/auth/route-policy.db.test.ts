// Walks every route of the app with every role: a route without a declared policy fails the suite;
// anonymous callers get 401, roles outside the policy get 403 SB_ERR_FORBIDDEN, and roles inside it
// never do (they may still be refused a record outside their scope: SB_ERR_OUT_OF_SCOPE). The app runs on a
// database marked as the demo's, so the demo's own routes are walked too: the simulators exist only there,
// and the sample return file answers its roles 404 anywhere else (wave 12 walks them on a real database).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../db/database.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { bearerToken } from '../testing/users.ts';
import { POLICY, type Action } from './policy.ts';

const ROLES: Role[] = ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'admin', 'policy'];

describe('route × role policy', () => {
  let t: TestApp;
  const tokens = new Map<Role, string>();
  before(async () => {
    t = await makeTestApp({ demo: true });
    for (const role of ROLES) tokens.set(role, await bearerToken(t.app, role, t.password));
  });
  after(() => t.close());

  const apiRoutes = () =>
    t.app.routeTable.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));

  test('every API route is public or names a policy action that exists', () => {
    const missing = apiRoutes().filter((r) => !r.public && (r.action === undefined || !(r.action in POLICY)));
    assert.deepEqual(
      missing.map((r) => `${r.method} ${r.url}`),
      [],
    );
    assert.ok(apiRoutes().length >= 5);
  });

  test('every route in the OpenAPI document is in the route table', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const table = new Set(apiRoutes().map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`));
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const m of Object.keys(methods))
        if (m !== 'head') assert.ok(table.has(`${m.toUpperCase()} ${path}`), `${m} ${path}`);
    }
  });

  test('anonymous, refused and allowed roles on every guarded route', async () => {
    const failures: string[] = [];
    // Logging out ends the sessions the walk uses, so that route goes last.
    const routes = apiRoutes()
      .filter((x) => !x.public)
      .sort((a, b) => Number(a.url.endsWith('/logout')) - Number(b.url.endsWith('/logout')));
    for (const r of routes) {
      const url = r.url
        .replace(/\/persons\/:\w+/, `/persons/${t.personId}`)
        .replace(/\/employers\/:\w+/, `/employers/${t.employerId}`)
        .replace(/:\w+/g, '1');
      const write = !['GET', 'DELETE'].includes(r.method);
      const anon = await t.app.inject({ method: r.method as 'GET', url, ...(write ? { payload: {} } : {}) });
      if (anon.statusCode !== 401) failures.push(`anonymous ${r.method} ${r.url} → ${anon.statusCode}`);
      for (const role of ROLES) {
        const res = await t.app.inject({
          method: r.method as 'GET',
          url,
          headers: { authorization: `Bearer ${tokens.get(role) ?? ''}` },
          ...(write ? { payload: {} } : {}),
        });
        const code =
          res.statusCode >= 400 ? res.json<{ error?: { code?: string } }>().error?.code : undefined;
        const allowed = r.action === undefined || POLICY[r.action as Action][role] !== undefined;
        if (res.statusCode >= 500) failures.push(`${role} ${r.method} ${r.url} → ${res.statusCode}`);
        if (allowed && (res.statusCode === 401 || code === 'SB_ERR_FORBIDDEN'))
          failures.push(`${role} should reach ${r.method} ${r.url} (${res.statusCode} ${code})`);
        if (!allowed && code !== 'SB_ERR_FORBIDDEN')
          failures.push(`${role} should be refused ${r.method} ${r.url} (${res.statusCode} ${code})`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
