// The security headers computed once (src/http/security-headers.ts) are the ones @fastify/helmet set
// on every answer with the same options: the same names and values, on answers, refusals and 404s.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fastifyHelmet from '@fastify/helmet';
import Fastify from 'fastify';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { SECURITY_HEADER_OPTIONS, securityHeaders } from './security-headers.ts';

describe('security headers', () => {
  let t: TestApp;
  /** What @fastify/helmet itself sends with the server's options (a bare app with one route). */
  let reference: Record<string, string>;

  before(async () => {
    t = await makeTestApp();
    const ref = Fastify();
    await ref.register(fastifyHelmet, SECURITY_HEADER_OPTIONS);
    ref.get('/x', async () => ({}));
    const plain = Fastify();
    plain.get('/x', async () => ({}));
    const [withHelmet, without] = await Promise.all([ref.inject('/x'), plain.inject('/x')]);
    reference = {};
    for (const [name, value] of Object.entries(withHelmet.headers))
      if (!(name in without.headers)) reference[name] = String(value);
    await Promise.all([ref.close(), plain.close()]);
  });
  after(() => t.close());

  test('helmet sets a dozen headers with these options, CSP and HSTS among them', () => {
    assert.ok(Object.keys(reference).length >= 10, JSON.stringify(reference));
    assert.match(reference['content-security-policy'] ?? '', /default-src 'self'/);
    assert.match(reference['content-security-policy'] ?? '', /style-src 'self' 'unsafe-inline'/);
    assert.ok(reference['strict-transport-security']);
    assert.deepEqual(
      Object.fromEntries(securityHeaders().set.map(([n, v]) => [n.toLowerCase(), v])),
      reference,
    );
  });

  test('every answer carries exactly helmet’s headers: an answer, a 401, a 404, the web page', async () => {
    const citizen = await t.login('citizen');
    const answers = await Promise.all([
      t.app.inject({ method: 'GET', url: '/api/health' }),
      t.app.inject({ method: 'GET', url: `/api/v1/persons/${t.personId}` }),
      t.app.inject({
        method: 'GET',
        url: `/api/v1/persons/${t.personId}`,
        headers: { cookie: citizen.cookieHeader },
      }),
      t.app.inject({ method: 'GET', url: '/api/v1/no-such-route' }),
      t.app.inject({ method: 'GET', url: '/' }),
    ]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 401, 200, 404, answers[4]?.statusCode],
    );
    for (const a of answers) {
      for (const [name, value] of Object.entries(reference))
        assert.equal(a.headers[name], value, `${name} on ${a.statusCode}`);
      assert.equal(a.headers['x-powered-by'], undefined);
    }
  });
});
