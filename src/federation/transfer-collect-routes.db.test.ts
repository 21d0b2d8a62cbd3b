// Attacks on the retirement collection routes the clerk's pages use, through the real server
// (app.inject): the list is the clerk's region only — another district's or province's clerk, a
// citizen and an anonymous caller get nothing — and shows each collection's progress as the exchange
// decided it.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import type { ErrorBody } from '../core/errors.ts';
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
interface Page {
  items: Row[];
  next: string | null;
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
    await makeUser(t.ctx.db, 'citizen-hf', { role: 'citizen', personId: other.id });
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
    const rows = r.json<Page>().items;
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
      r.json<Page>().items.map((c) => [c.id, c.status, c.transfers]),
      [[hefei, 'requested', 0]],
    );
    const ah = await t.login('clerk-ah');
    const all = await t.app.inject({
      method: 'GET',
      url: '/api/v1/transfers/collections',
      headers: ah.headers,
    });
    assert.deepEqual(
      all.json<Page>().items.map((c) => c.id),
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
    assert.deepEqual(r.json<Page>(), { items: [], next: null });
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/transfers/collections/${mine}`,
      headers: js.headers,
    });
    // as an unknown id (wave 14: it was 403)
    assert.equal(one.statusCode, 404);
  });

  describe('the insured person’s own: GET /api/v1/transfers/collections/mine', () => {
    const mineOf = async (user: string | null, query = '') =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/transfers/collections/mine${query}`,
        ...(user === null ? {} : { headers: (await t.login(user)).headers }),
      });
    interface Own {
      id: number;
      status: string;
      place: string | null;
      rule: number | null;
      reason: string | null;
      segments: Array<{ province: string; months: number }>;
      transfers: Array<{ fromProvince: string | null; status: string; months: number | null }>;
    }

    test('anonymous: 401', async () => {
      assert.equal((await mineOf(null)).statusCode, 401);
    });

    test('the citizen reads their own: the place, the rule, each province’s months and the transfers’ progress', async () => {
      const r = await mineOf('citizen');
      assert.equal(r.statusCode, 200, r.body);
      const own = r.json<Own[]>();
      assert.deepEqual(
        own.map((c) => [c.id, c.status, c.place, c.rule, c.reason]),
        [[mine, 'gathering', A, 2, 'current ≥120']],
      );
      assert.deepEqual(own[0]?.segments, [
        { province: B, months: 36 },
        { province: C, months: 12 },
        { province: A, months: 130 },
      ]);
      assert.deepEqual(
        own[0]?.transfers.map((x) => [x.fromProvince, x.status, x.months]),
        [
          [B, 'requested', null],
          [C, 'completed', 12],
        ],
      );
      assert.ok(!r.body.includes('"personId"') && !r.body.includes('"ref"'));
    });

    test('another citizen: only theirs, whatever person or id they send, and not another’s by its id', async () => {
      const r = await mineOf('citizen-hf', `?personId=${t.personId}&id=${mine}`);
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(
        r.json<Own[]>().map((c) => [c.id, c.status, c.place]),
        [[hefei, 'requested', null]],
      );
      const theirs = await t.app.inject({
        method: 'GET',
        url: `/api/v1/transfers/collections/${mine}`,
        headers: (await t.login('citizen-hf')).headers,
      });
      assert.equal(theirs.statusCode, 404, theirs.body);
    });

    test('an employer, a clerk and the province’s clerk: 403 (staff keep the list and the detail)', async () => {
      for (const who of ['employer', 'clerk', 'clerk-ah', 'supervisor']) {
        const r = await mineOf(who);
        assert.equal(r.statusCode, 403, `${who}: ${r.body}`);
        assert.equal(r.json<{ error: ErrorBody }>().error.code, 'SB_ERR_FORBIDDEN', who);
      }
    });
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

// Keyset paging of the clerk's list: the pages of a cursor chain are the whole list in order, with no
// row twice or missing even when a collection is filed between two pages; a cursor is checked against
// what the caller may list, and a bad one is refused in both languages without repeating it.
describe('a province node: paging /api/v1/transfers/collections', () => {
  let t: TestApp;
  /** newest first */
  let xuancheng: number[];
  let hefei: number[];
  const list = async (user: string, query: string) => {
    const s = await t.login(user);
    return t.app.inject({ method: 'GET', url: `/api/v1/transfers/collections${query}`, headers: s.headers });
  };
  /** follows `next` from the first page to the last */
  const walk = async (user: string, limit: number, between?: () => Promise<void>) => {
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const q: string = `?limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const r = await list(user, q);
      assert.equal(r.statusCode, 200, r.body);
      const page = r.json<Page>();
      assert.ok(page.items.length <= limit);
      pages.push(page.items.map((c) => c.id));
      cursor = page.next;
      if (pages.length === 1) await between?.();
    } while (cursor !== null);
    return pages;
  };
  const file = async (region: string) => {
    const p = await makePerson(t.ctx.db, { region });
    const r = await sql<{ id: string }>`
      INSERT INTO fed_collection (ref, person_id, status, applied_by)
      VALUES (${crypto.randomUUID()}, ${p.id}, 'requested', 'clerk') RETURNING id`.execute(t.ctx.db);
    return Number(r.rows[0]?.id);
  };
  before(async () => {
    setFederationSecret('test-federation-secret-0123456789abcdef');
    t = await makeTestApp({
      routes: async (app, ctx) => {
        await app.register(federationRoutes, { ctx, self: A, provinces: [A, B, C], stats: () => ({}) });
        await app.register(collectionRoutes, { ctx });
      },
    });
    await makeUser(t.ctx.db, 'clerk-ah', { role: 'clerk', region: A, personId: null });
    await makeUser(t.ctx.db, 'clerk-js', { role: 'clerk', region: B, personId: null });
    // Filed in turn: 7 in Xuancheng (the test clerk's 341800) and 4 in Hefei, interleaved.
    const filed: Array<[string, number]> = [];
    for (const region of [
      '341800',
      '340100',
      '341800',
      '341800',
      '340100',
      '341800',
      '341800',
      '340100',
      '341800',
      '340100',
      '341800',
    ])
      filed.push([region, await file(region)]);
    xuancheng = filed
      .filter(([r]) => r === '341800')
      .map(([, id]) => id)
      .reverse();
    hefei = filed
      .filter(([r]) => r === '340100')
      .map(([, id]) => id)
      .reverse();
  });
  after(async () => t?.close());

  test('the district clerk’s pages of 3 are their 7 collections, newest first, in 3 pages that neither overlap nor skip', async () => {
    const pages = await walk('clerk', 3);
    assert.deepEqual(pages, [xuancheng.slice(0, 3), xuancheng.slice(3, 6), xuancheng.slice(6)]);
  });

  test('the province clerk pages through all 11 (two districts) in order; a page of exactly the rest ends with next null', async () => {
    const all = [...xuancheng, ...hefei].sort((a, b) => b - a);
    const pages = await walk('clerk-ah', 4);
    assert.deepEqual(pages.flat(), all);
    assert.deepEqual(
      pages.map((p) => p.length),
      [4, 4, 3],
    );
    const whole = await list('clerk-ah', '?limit=11');
    assert.equal(whole.json<Page>().next, null);
    assert.deepEqual(
      whole.json<Page>().items.map((c) => c.id),
      all,
    );
    const last = await list('clerk-ah', '?limit=10');
    assert.equal(last.json<Page>().next, String(all[9]));
  });

  test('a collection filed between two pages shows on a fresh first page, not as a repeat on the next', async () => {
    let late = 0;
    const pages = await walk('clerk', 4, async () => {
      late = await file('341800');
    });
    assert.deepEqual(pages, [xuancheng.slice(0, 4), xuancheng.slice(4)]);
    const fresh = await list('clerk', '?limit=4');
    assert.equal(fresh.json<Page>().items[0]?.id, late);
    xuancheng.unshift(late);
  });

  test('region scoping holds across pages: another district’s cursor is refused, another province’s clerk pages nothing', async () => {
    // A cursor from the province clerk's list naming a Hefei collection: not on the Xuancheng clerk's list.
    const r = await list('clerk', `?limit=2&cursor=${hefei[0]}`);
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json<{ error: ErrorBody }>().error.code, 'SB_ERR_INVALID_CURSOR');
    // Their own cursor, given to the Jiangsu clerk, is refused too; their first page is empty.
    const js = await list('clerk-js', `?cursor=${xuancheng[0]}`);
    assert.equal(js.statusCode, 400, js.body);
    assert.deepEqual((await list('clerk-js', '')).json<Page>(), { items: [], next: null });
    // The district clerk's pages from a cursor of their own stay in their district.
    const rest = await list('clerk', `?limit=200&cursor=${xuancheng[1]}`);
    assert.deepEqual(
      rest.json<Page>().items.map((c) => c.id),
      xuancheng.slice(2),
    );
  });

  test('a forged or malformed cursor: 400 SB_ERR_INVALID_CURSOR in Chinese and English, the input not repeated', async () => {
    const forged = [
      'abc',
      '0',
      '-1',
      '007',
      '1e3',
      ' 5',
      '99999999999999999999',
      '999999999',
      '<script>alert(1)</script>',
      "1' OR '1'='1",
      'x'.repeat(2000),
    ];
    for (const cursor of forged) {
      const r = await list('clerk', `?cursor=${encodeURIComponent(cursor)}`);
      assert.equal(r.statusCode, 400, `${cursor.slice(0, 20)}: ${r.body}`);
      const e = r.json<{ error: ErrorBody }>().error;
      assert.equal(e.code, 'SB_ERR_INVALID_CURSOR');
      assert.equal(e.field, 'cursor');
      assert.match(e.message, /翻页标记无效/);
      assert.match(e.message, /page cursor is not valid/);
      assert.ok(!r.body.includes(cursor.trim()), `${cursor.slice(0, 20)} echoed`);
    }
  });

  test('a page size outside 1–200 is refused', async () => {
    for (const limit of ['0', '201', 'x'])
      assert.equal((await list('clerk', `?limit=${limit}`)).statusCode, 400, limit);
  });
});
