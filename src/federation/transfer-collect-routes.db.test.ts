// Attacks on the retirement collection routes the clerk's pages use, through the real server
// (app.inject): the list is the clerk's region only — another district's or province's clerk, a
// citizen and an anonymous caller get nothing — and shows each collection's progress as the exchange
// decided it.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { makePerson } from '../testing/factories.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { makeUser } from '../testing/users.ts';
import { sql } from 'kysely';
import { NATIONAL, setFederationSecret } from './fed.messaging.ts';
import { federationRoutes } from './federation.routes.ts';
import { CollectionService } from './transfer-collect.service.ts';
import { collectionRoutes } from './transfer-collect.routes.ts';

const A = '340000';
const B = '320000';
const C = '110000';

interface Row {
  id: number;
  personId: number;
  name: string;
  status: string;
  place: string | null;
  rule: number | null;
  appliedOn: string;
  transfers: number;
  completed: number;
}

describe('a province node: /api/v1/transfers/collections', () => {
  let t: TestApp;
  let mine: number;
  let hefei: number;
  before(async () => {
    setFederationSecret('test-federation-secret-0123456789abcdef');
    t = await makeTestApp({
      routes: async (app, ctx) => {
        await app.register(federationRoutes, { ctx, self: A, provinces: [A, B, C], stats: () => ({}) });
        await app.register(collectionRoutes, { ctx });
      },
    });
    const other = await makePerson(t.ctx.db, { region: '340100' });
    await makeUser(t.ctx.db, 'clerk-hf', { role: 'clerk', region: '340100', personId: null });
    await makeUser(t.ctx.db, 'clerk-ah', { role: 'clerk', region: A, personId: null });
    await makeUser(t.ctx.db, 'clerk-js', { role: 'clerk', region: B, personId: null });
    const xc = await t.login('clerk');
    const a = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/collections',
      headers: xc.headers,
      payload: { personId: t.personId },
    });
    assert.equal(a.statusCode, 201, a.body);
    mine = a.json<{ id: number }>().id;
    const hf = await t.login('clerk-hf');
    const b = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers/collections',
      headers: hf.headers,
      payload: { personId: other.id },
    });
    assert.equal(b.statusCode, 201, b.body);
    hefei = b.json<{ id: number }>().id;
    // The exchange decides A (rule 2): segments in B and C, so A opens a transfer in from each.
    const ref = await sql<{ ref: string }>`SELECT ref FROM fed_collection WHERE id = ${mine}`.execute(
      t.ctx.db,
    );
    const placed = CollectionService.handlers(A, t.ctx.params)['payment.placed'];
    assert.ok(placed);
    await t.ctx.db.transaction().execute((tx) =>
      placed(tx, {
        id: 'm1',
        from: NATIONAL,
        to: A,
        kind: 'payment.placed',
        at: '2026-12-03T00:00:00Z',
        body: {
          ref: ref.rows[0]?.ref,
          place: A,
          rule: 2,
          reason: 'current ≥120',
          segments: [
            { province: B, months: 36 },
            { province: C, months: 12 },
            { province: A, months: 130 },
          ],
          collectTemporary: [],
        },
      }),
    );
    // One of the two has arrived.
    await sql`UPDATE fed_transfer SET status = 'completed', months = 12, total_fen = 123456
      WHERE collection_id = ${mine} AND from_province = ${C}`.execute(t.ctx.db);
  });
  after(async () => t?.close());

  test('anonymous: 401', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/transfers/collections' });
    assert.equal(r.statusCode, 401);
  });

  test('a citizen gets nothing, not even their own collection', async () => {
    const me = await t.login('citizen');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/transfers/collections',
      headers: me.headers,
    });
    assert.equal(r.statusCode, 403, r.body);
  });

  test('the district clerk sees their district’s collection with its decision and progress, not the other district’s', async () => {
    const xc = await t.login('clerk');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/transfers/collections',
      headers: xc.headers,
    });
    assert.equal(r.statusCode, 200, r.body);
    const rows = r.json<Row[]>();
    assert.deepEqual(
      rows.map((c) => [c.id, c.personId, c.status, c.place, c.rule, c.transfers, c.completed]),
      [[mine, t.personId, 'gathering', A, 2, 2, 1]],
    );
    assert.match(rows[0]?.appliedOn ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.ok((rows[0]?.name ?? '').length > 0);
  });

  test('another district’s clerk sees only theirs; the province’s clerk sees both, newest first', async () => {
    const hf = await t.login('clerk-hf');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/transfers/collections',
      headers: hf.headers,
    });
    assert.deepEqual(
      r.json<Row[]>().map((c) => [c.id, c.status, c.transfers]),
      [[hefei, 'requested', 0]],
    );
    const ah = await t.login('clerk-ah');
    const all = await t.app.inject({
      method: 'GET',
      url: '/api/v1/transfers/collections',
      headers: ah.headers,
    });
    assert.deepEqual(
      all.json<Row[]>().map((c) => c.id),
      [hefei, mine],
    );
  });

  test('another province’s clerk gets an empty list and cannot read a collection', async () => {
    const js = await t.login('clerk-js');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/transfers/collections',
      headers: js.headers,
    });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json<Row[]>(), []);
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/transfers/collections/${mine}`,
      headers: js.headers,
    });
    assert.equal(one.statusCode, 403);
  });

  test('the detail shows the person, the day, the decision and the transfers gathering', async () => {
    const xc = await t.login('clerk');
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/transfers/collections/${mine}`,
      headers: xc.headers,
    });
    assert.equal(r.statusCode, 200, r.body);
    const c = r.json<{
      name: string;
      appliedOn: string;
      rule: number;
      reason: string;
      segments: Array<{ province: string; months: number }>;
      transfers: Array<{ fromProvince: string; status: string; totalFen: number | null }>;
    }>();
    assert.match(c.appliedOn, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(c.reason, 'current ≥120');
    assert.deepEqual(
      c.transfers.map((x) => [x.fromProvince, x.status, x.totalFen]),
      [
        [B, 'requested', null],
        [C, 'completed', 123456],
      ],
    );
  });
});
