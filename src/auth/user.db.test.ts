// Staff accounts: an admin creates and disables staff in their region under the password policy;
// a disabled account's sessions end at once; admins approve no money.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import {
  makeTestApp,
  TEST_PASSWORD,
  TEST_REGION,
  type LoginResult,
  type TestApp,
} from '../testing/test-app.ts';
import { POLICY } from './policy.ts';
import { makePerson } from '../testing/factories.ts';
import { releaseSettled } from '../http/background-jobs.testing.ts';

describe('staff accounts', () => {
  let t: TestApp;
  before(async () => {
    fixToday('2026-01-15');
    t = await makeTestApp();
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  const post = (login: LoginResult | null, url: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: login?.headers ?? {}, payload });
  const code = (r: { json: <T>() => T }) => r.json<{ error: { code: string; field?: string } }>().error;

  async function registeredPerson(seq: number): Promise<string> {
    const idNumber = makeIdNumber('341802', '1988-08-08', seq);
    await makePerson(t.ctx.db, {
      id_number: idNumber,
      name: `王${seq}`,
      sex: 'M',
      birth_date: '1988-08-08',
    });
    return idNumber;
  }

  test('the old bypass — one admin creates two accounts with chosen passwords and checks alone — is refused', async () => {
    const admin = await t.login('admin');
    const supervisor = await t.login('supervisor');
    // The old request: an admin-chosen password. Refused: no such field any more.
    const old = await post(admin, '/api/v1/users', {
      username: 'clerk2',
      displayName: '经办员 二',
      role: 'clerk',
      region: '341802',
      password: 'good-pass-2021',
    });
    assert.equal(old.statusCode, 400, old.body);
    // The account belongs to a registered person.
    const unknown = await post(admin, '/api/v1/users', {
      username: 'clerk2',
      role: 'clerk',
      region: '341802',
      idNumber: makeIdNumber('341802', '1970-01-01', 999),
    });
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(code(unknown).field, 'idNumber');
    const p = await registeredPerson(41);
    const elsewhere = await post(admin, '/api/v1/users', {
      username: 'clerk3',
      role: 'clerk',
      region: '440300',
      idNumber: p,
    });
    assert.equal(elsewhere.statusCode, 403);

    // One admin makes a clerk and a reviewer account for the same person.
    const made: Record<string, { token: string; approvalId: number; id: number }> = {};
    for (const [username, role] of [
      ['clerk2', 'clerk'],
      ['reviewer9', 'reviewer'],
    ] as const) {
      const r = await post(admin, '/api/v1/users', { username, role, region: TEST_REGION, idNumber: p });
      assert.equal(r.statusCode, 200, r.body);
      const body = r.json<{
        user: { id: number; disabled: boolean; mustSetPassword: boolean; personName: string };
        setPasswordToken: string;
        approval: { id: number; status: string; kind: string };
      }>();
      assert.equal(body.user.disabled, true, 'no role in force before a second approver');
      assert.equal(body.user.mustSetPassword, true);
      assert.equal(body.user.personName, '王41');
      assert.equal(body.approval.kind, 'user.role');
      assert.equal(body.approval.status, 'prepared');
      made[username] = { token: body.setPasswordToken, approvalId: body.approval.id, id: body.user.id };
    }
    const dup = await post(admin, '/api/v1/users', {
      username: 'clerk2',
      role: 'clerk',
      region: '341802',
      idNumber: p,
    });
    assert.equal(dup.statusCode, 409);
    const clerk2 = made['clerk2'];
    const reviewer9 = made['reviewer9'];
    assert.ok(clerk2 && reviewer9);

    // Nobody knows a password yet; the staff member sets their own with the one-time token.
    const weak = await post(null, '/api/v1/auth/set-password', { token: clerk2.token, password: 'short' });
    assert.equal(weak.statusCode, 400);
    for (const m of [clerk2, reviewer9]) {
      const set = await post(null, '/api/v1/auth/set-password', {
        token: m.token,
        password: 'own-choice-2026',
      });
      assert.equal(set.statusCode, 200, set.body);
    }
    const reuse = await post(null, '/api/v1/auth/set-password', {
      token: clerk2.token,
      password: 'other-choice-2026',
    });
    assert.equal(reuse.statusCode, 404, 'the token works once');
    const early = await post(null, '/api/v1/auth/login', { username: 'clerk2', password: 'own-choice-2026' });
    assert.equal(early.statusCode, 401, 'not before the role is approved');

    // The admin cannot approve their own request; the supervisor (another person) can, once.
    const self = await post(admin, `/api/v1/approvals/${clerk2.approvalId}/release`, {});
    assert.equal(self.statusCode, 403, self.body);
    assert.equal(code(self).code, 'SB_ERR_FOUR_EYES');
    for (const m of [clerk2, reviewer9]) {
      const ok = await post(supervisor, `/api/v1/approvals/${m.approvalId}/release`, {});
      assert.equal(ok.statusCode, 200, ok.body);
    }
    const twice = await post(supervisor, `/api/v1/approvals/${clerk2.approvalId}/release`, {});
    assert.equal(twice.statusCode, 409);
    const login = await post(null, '/api/v1/auth/login', { username: 'clerk2', password: 'own-choice-2026' });
    assert.equal(login.statusCode, 200, login.body);

    // The two accounts are one person: that person cannot both make and check a payroll.
    const asClerk2 = await t.login('clerk2', 'own-choice-2026');
    const asReviewer9 = await t.login('reviewer9', 'own-choice-2026');
    const prepared = await post(asClerk2, '/api/v1/payroll/runs', { period: '2026-01', region: TEST_REGION });
    assert.equal(prepared.statusCode, 200, prepared.body);
    const id = prepared.json<{ id: number }>().id;
    const same = await post(asReviewer9, `/api/v1/approvals/${id}/release`, {});
    assert.equal(same.statusCode, 403, same.body);
    assert.equal(code(same).code, 'SB_ERR_FOUR_EYES');
    const reviewer = await t.login('reviewer');
    const other = await releaseSettled(
      t.app,
      reviewer.headers,
      await post(reviewer, `/api/v1/approvals/${id}/release`, {}),
    );
    assert.equal(other.statusCode, 200, other.body);

    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users?pageSize=50',
      headers: admin.headers,
    });
    const c2 = list
      .json<{
        items: Array<{
          username: string;
          personName: string | null;
          mustSetPassword: boolean;
          disabled: boolean;
        }>;
      }>()
      .items.find((u) => u.username === 'clerk2');
    assert.deepEqual(c2 && [c2.personName, c2.mustSetPassword, c2.disabled], ['王41', false, false]);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', [
        'user.create',
        'user.set-password',
        'approval.prepare',
        'approval.release',
        'user.role',
      ])
      .execute();
    assert.ok(audit.filter((a) => a.action === 'user.role').length >= 2);
    assert.ok(audit.some((a) => a.action === 'user.set-password'));
  });

  test('a role change waits for a second approver who is not the account’s own person', async () => {
    const admin = await t.login('admin');
    const supervisor = await t.login('supervisor');
    const clerk = await t.login('clerk');
    const users = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users?pageSize=50',
      headers: admin.headers,
    });
    const sup = users
      .json<{ items: Array<{ id: number; username: string }> }>()
      .items.find((u) => u.username === 'supervisor');
    const clerkUser = users
      .json<{ items: Array<{ id: number; username: string }> }>()
      .items.find((u) => u.username === 'clerk');
    assert.ok(sup && clerkUser);
    // The supervisor cannot approve a change of their own account's role.
    const own = await post(admin, `/api/v1/users/${sup.id}/role`, { role: 'reviewer' });
    assert.equal(own.statusCode, 200, own.body);
    const bySubject = await post(
      supervisor,
      `/api/v1/approvals/${own.json<{ id: number }>().id}/release`,
      {},
    );
    assert.equal(bySubject.statusCode, 403);
    assert.equal(code(bySubject).code, 'SB_ERR_FOUR_EYES');
    // The clerk becomes a reviewer only when the supervisor approves; the clerk's session ends then.
    const change = await post(admin, `/api/v1/users/${clerkUser.id}/role`, { role: 'reviewer' });
    assert.equal(change.statusCode, 200, change.body);
    const still = await t.ctx.db
      .selectFrom('app_user')
      .select('role')
      .where('id', '=', clerkUser.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.role, 'clerk');
    const ok = await post(supervisor, `/api/v1/approvals/${change.json<{ id: number }>().id}/release`, {});
    assert.equal(ok.statusCode, 200, ok.body);
    const now = await t.ctx.db
      .selectFrom('app_user')
      .select('role')
      .where('id', '=', clerkUser.id)
      .executeTakeFirstOrThrow();
    assert.equal(now.role, 'reviewer');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: clerk.headers });
    assert.equal(me.statusCode, 401);
  });

  test("the session gives the agency's today (fixed 2026-01-15), by which the pages' pickers bound a day", async () => {
    const r = await post(null, '/api/v1/auth/login', { username: 'clerk', password: TEST_PASSWORD });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json<{ today: string }>().today, '2026-01-15');
    const clerk = await t.login('clerk');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: clerk.headers });
    assert.equal(me.json<{ today: string }>().today, '2026-01-15');
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
