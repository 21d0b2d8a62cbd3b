// Staff accounts: an admin creates and disables staff in their region under the password policy;
// a disabled account's sessions end at once; admins approve no money.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { POLICY } from './policy.ts';

describe('staff accounts', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp();
  });
  after(() => t.close());

  test('an admin creates a clerk who can log in; a weak password and another region are refused', async () => {
    const admin = await t.login('admin');
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: {
        username: 'clerk2',
        displayName: '经办员 二',
        role: 'clerk',
        region: '341802',
        password: 'short',
      },
    });
    assert.equal(weak.statusCode, 400);
    assert.equal(weak.json<{ error: { field: string } }>().error.field, 'password');
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: {
        username: 'clerk3',
        displayName: 'x',
        role: 'clerk',
        region: '440300',
        password: 'good-pass-2021',
      },
    });
    assert.equal(elsewhere.statusCode, 403);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: {
        username: 'clerk2',
        displayName: '经办员 二',
        role: 'clerk',
        region: '341802',
        password: 'good-pass-2021',
      },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: {
        username: 'clerk2',
        displayName: 'x',
        role: 'clerk',
        region: '341802',
        password: 'good-pass-2021',
      },
    });
    assert.equal(dup.statusCode, 409);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'clerk2', password: 'good-pass-2021' },
    });
    assert.equal(login.statusCode, 200);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/users', headers: admin.headers });
    assert.ok(list.json<{ items: Array<{ username: string }> }>().items.some((u) => u.username === 'clerk2'));
  });

  test('disabling ends the sessions at once, and is audited', async () => {
    const admin = await t.login('admin');
    const reviewer = await t.login('reviewer');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: reviewer.headers });
    assert.equal(me.statusCode, 200);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${reviewer.user.id}/disable`,
      headers: admin.headers,
      payload: { reason: 'left the agency' },
    });
    assert.equal(r.statusCode, 200, r.body);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: reviewer.headers });
    assert.equal(after.statusCode, 401);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('reason')
      .where('action', '=', 'user.disable')
      .executeTakeFirst();
    assert.equal(audit?.reason, 'left the agency');
  });

  test('no action that creates or changes a payment is granted to the admin role', () => {
    const money = Object.keys(POLICY).filter((a) =>
      /payroll|retirement|payment|bill|adjust|refund|recovery|survivor|declaration|pension\.|personal-pension/.test(
        a,
      ),
    );
    assert.ok(money.length > 0);
    for (const a of money) assert.equal(POLICY[a as keyof typeof POLICY]['admin'], undefined, a);
  });
});
