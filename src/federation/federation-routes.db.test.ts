// Attacks on the federation routes the pages use, through the real server (app.inject): a province
// node's transfers (anonymous, a citizen for someone else, another province's clerk) and the national
// exchange's figures and central adjustment (anonymous, a citizen, a province's staff, a national
// supervisor trying to settle).
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../db/database.ts';
import { makeEnrolment, makePerson } from '../testing/factories.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { makeUser } from '../testing/users.ts';
import { NATIONAL, setFederationSecret } from './fed.messaging.ts';
import { federationRoutes } from './federation.routes.ts';
import { nationalRoutes } from './national.routes.ts';
import type { Words } from '../core/bilingual.ts';

const A = '340000';
const B = '320000';

const addUser = (t: TestApp, username: string, role: Role, region: string | null, personId: number | null) =>
  makeUser(t.ctx.db, username, { role, region, personId });

async function insure(t: TestApp, personId: number) {
  await makeEnrolment(t.ctx.db, { person_id: personId, region: '341800' });
}

describe('a province node: /api/v1/transfers', () => {
  let t: TestApp;
  before(async () => {
    // The national index is keyed by an HMAC of the ID number (set at node start from the configuration).
    setFederationSecret('test-federation-secret-0123456789abcdef');
    t = await makeTestApp({
      routes: async (app, ctx) => {
        await app.register(federationRoutes, { ctx, self: A, provinces: [A, B], stats: () => ({}) });
      },
    });
    await insure(t, t.personId);
    const other = await makePerson(t.ctx.db, { region: '341800' });
    await insure(t, other.id);
    await addUser(t, 'citizen2', 'citizen', null, other.id);
    await addUser(t, 'clerk-js', 'clerk', B, null);
  });
  after(async () => t?.close());

  test('anonymous: 401 on apply, list and read', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/transfers'],
      ['GET', '/api/v1/transfers'],
      ['GET', '/api/v1/transfers/1'],
    ] as const) {
      const r = await t.app.inject({
        method,
        url,
        ...(method === 'POST' ? { payload: { fromProvince: B } } : {}),
      });
      assert.equal(r.statusCode, 401, `${method} ${url}`);
    }
  });

  test('the citizen applies for themselves; another citizen and another province’s clerk cannot see it; a citizen cannot apply for someone else', async () => {
    const me = await t.login('citizen');
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers: me.headers,
      payload: { fromProvince: B },
    });
    assert.equal(applied.statusCode, 201, applied.body);
    const { id, status } = applied.json<{ id: number; status: string }>();
    assert.equal(status, 'requested');
    const mine = await t.app.inject({ method: 'GET', url: `/api/v1/transfers/${id}`, headers: me.headers });
    assert.equal(mine.statusCode, 200);
    // The old place is located by the national exchange (index.locate): until it answers, none.
    const view = mine.json<{ fromProvince: string | null; steps: Array<{ step: string }> }>();
    assert.deepEqual(
      view.steps.map((s) => s.step),
      ['applied'],
    );
    assert.equal(view.fromProvince, null);

    const other = await t.login('citizen2');
    const peek = await t.app.inject({
      method: 'GET',
      url: `/api/v1/transfers/${id}`,
      headers: other.headers,
    });
    // as an unknown id (wave 14: it was 403)
    assert.equal(peek.statusCode, 404);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/transfers', headers: other.headers });
    assert.deepEqual(list.json<unknown[]>(), []);
    const forSomeoneElse = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers: other.headers,
      payload: { fromProvince: B, personId: t.personId },
    });
    assert.equal(forSomeoneElse.statusCode, 403, forSomeoneElse.body);

    const js = await t.login('clerk-js');
    const fromJiangsu = await t.app.inject({
      method: 'GET',
      url: `/api/v1/transfers/${id}`,
      headers: js.headers,
    });
    assert.equal(fromJiangsu.statusCode, 404);
    const clerk = await t.login('clerk');
    const local = await t.app.inject({
      method: 'GET',
      url: `/api/v1/transfers/${id}`,
      headers: clerk.headers,
    });
    assert.equal(local.statusCode, 200);
  });

  test('hostile input: an unknown field, a bad province code → 400', async () => {
    const clerk = await t.login('clerk');
    for (const payload of [
      { fromProvince: B, extra: 1 },
      { fromProvince: 'AB' },
      { fromProvince: B, personId: -1 },
    ]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/transfers',
        headers: clerk.headers,
        payload,
      });
      assert.equal(r.statusCode, 400, JSON.stringify(payload));
    }
  });
});

describe('the national exchange: /api/v1/national/*', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({
      routes: async (app, ctx) => {
        await app.register(federationRoutes, { ctx, self: NATIONAL, provinces: [A, B], stats: () => ({}) });
        await app.register(nationalRoutes, { ctx, provinces: [A, B] });
      },
    });
    await addUser(t, 'nat-admin', 'admin', '000000', null);
    await addUser(t, 'nat-reviewer', 'reviewer', '000000', null);
    await addUser(t, 'nat-supervisor', 'supervisor', '000000', null);
  });
  after(async () => t?.close());

  test('anonymous: 401', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/national/central-adjustment'],
      ['GET', '/api/v1/national/central-adjustment'],
      ['GET', '/api/v1/national/central-adjustment/2019'],
      ['GET', '/api/v1/national/report?period=2021-09'],
    ] as const) {
      const r = await t.app.inject({
        method,
        url,
        ...(method === 'POST' ? { payload: { year: 2019 } } : {}),
      });
      assert.equal(r.statusCode, 401, `${method} ${url}`);
    }
  });

  test('a citizen, an administrator (a province’s or the exchange’s) and a national supervisor cannot settle; the exchange’s reviewer settles once', async () => {
    for (const who of ['citizen', 'admin', 'nat-admin', 'nat-supervisor', 'clerk']) {
      const s = await t.login(who);
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/national/central-adjustment',
        headers: s.headers,
        payload: { year: 2019 },
      });
      assert.equal(r.statusCode, 403, `${who}: ${r.body}`);
    }
    // A province's supervisor may not read the national figures or the adjustment either.
    const prov = await t.login('supervisor');
    for (const url of ['/api/v1/national/central-adjustment/2019', '/api/v1/national/central-adjustment']) {
      const r = await t.app.inject({ method: 'GET', url, headers: prov.headers });
      assert.equal(r.statusCode, 403, url);
    }
    const admin = await t.login('nat-reviewer');
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/national/central-adjustment',
      headers: admin.headers,
      payload: { year: 2019 },
    });
    assert.equal(first.statusCode, 202, first.body);
    assert.deepEqual(first.json<{ waitingFor: string[] }>().waitingFor, [A, B]);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/national/central-adjustment',
      headers: admin.headers,
      payload: { year: 2019 },
    });
    assert.equal(again.statusCode, 200);
    const sup = await t.login('nat-supervisor');
    const seen = await t.app.inject({
      method: 'GET',
      url: '/api/v1/national/central-adjustment/2019',
      headers: sup.headers,
    });
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.json<{ status: string }>().status, 'requested');
    const years = await t.app.inject({
      method: 'GET',
      url: '/api/v1/national/central-adjustment',
      headers: sup.headers,
    });
    assert.deepEqual(years.json(), { years: [2019] });
  });

  test('hostile input: an unknown field, a year before 2018, a year that is not a number → 400', async () => {
    const admin = await t.login('nat-reviewer');
    for (const payload of [{ year: 2019, x: 1 }, { year: 2017 }, { year: 'MMXIX' }]) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/national/central-adjustment',
        headers: admin.headers,
        payload,
      });
      assert.equal(r.statusCode, 400, JSON.stringify(payload));
    }
  });

  test('the national report answers in the article’s form (nothing reported yet: zero, every province missing)', async () => {
    const sup = await t.login('nat-supervisor');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/national/report?period=2021-09',
      headers: sup.headers,
    });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<{ missing: string[]; article: { total: Words } }>();
    assert.deepEqual(body.missing, [A, B]);
    assert.match(
      body.article.total.zh,
      /^全国：截至2021年9月底，.*总收入0\.00元，总支出0\.00元，累计结余0\.00元。$/,
    );
  });
});
