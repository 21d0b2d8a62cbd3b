// The assembled app through app.inject(): health, OpenAPI, login, sessions, CSRF, error shape.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeTestApp, type TestApp } from './testing/test-app.ts';

describe('HTTP app', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp();
  });
  after(() => t.close());

  test('health names the database', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/health' });
    assert.equal(r.statusCode, 200);
    const body = r.json<{ status: string; database: string; version: string }>();
    assert.equal(body.status, 'ok');
    assert.equal(body.database, t.ctx.dbKind);
    assert.match(body.version, /^\d+\.\d+\.\d+/);
  });

  test('OpenAPI document at /api/docs/json lists the routes', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    assert.equal(r.statusCode, 200);
    const doc = r.json<{ openapi: string; paths: Record<string, unknown> }>();
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/api/v1/auth/login']);
    assert.ok(doc.paths['/api/v1/calc/{rule}']);
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs' });
    assert.ok([200, 302].includes(ui.statusCode));
  });

  test('login sets an httpOnly SameSite=Strict cookie and /me answers the user', async () => {
    const r = await t.login('clerk');
    assert.equal(r.user.role, 'clerk');
    assert.match(r.cookie, /HttpOnly/i);
    assert.match(r.cookie, /SameSite=Strict/i);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: r.cookieHeader },
    });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json<{ user: { username: string } }>().user.username, 'clerk');
  });

  test('a wrong password is 401 SB_ERR_BAD_CREDENTIALS and is audited', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'reviewer', password: 'wrong-password-1' },
    });
    assert.equal(r.statusCode, 401);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_BAD_CREDENTIALS');
    const audited = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.login-failed')
      .execute();
    assert.ok(audited.length >= 1);
  });

  test('five failures lock the account even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'supervisor', password: `bad-${i}-password` },
      });
    }
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'supervisor', password: t.password },
    });
    assert.equal(r.statusCode, 429);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_LOCKED');
  });

  test('a cookie-authenticated write without the CSRF token is refused', async () => {
    const s = await t.login('clerk');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.cookieHeader },
    });
    assert.equal(bad.statusCode, 403);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: s.cookieHeader, 'x-csrf-token': s.csrfToken },
    });
    assert.equal(ok.statusCode, 200);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: s.cookieHeader },
    });
    assert.equal(me.statusCode, 401);
  });

  test('unknown routes and malformed JSON answer the error shape, never a stack', async () => {
    const nf = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    assert.equal(nf.statusCode, 404);
    assert.equal(nf.json<{ error: { code: string } }>().error.code, 'SB_ERR_NOT_FOUND');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    assert.equal(bad.statusCode, 400);
    assert.doesNotMatch(bad.body, /at .*\.ts:\d+/);
  });

  test('security headers are set', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/health' });
    assert.ok(r.headers['x-content-type-options']);
    assert.ok(r.headers['content-security-policy']);
  });
});
