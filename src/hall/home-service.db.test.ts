// Home service (送服务上门) through the real HTTP app: booking for oneself and for a family member
// (registry match, no leak, limited failures), the clerks' queue, assign / visit / outcome, cancel
// and refuse, the application in the hall with its deadline, the messages — and the attacks:
// another citizen's appointment, anonymous callers, other roles, another region.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makePerson } from '../testing/factories.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { countingDb } from '../testing/statement-count.ts';
import { actorOfAccount, makeUsers } from '../testing/users.ts';
import { consumeEvents } from './events.job.ts';
import { HomeServiceService } from './home-service.service.ts';

let t: TestApp;
let grandma: LoginResult; // 85, books for herself
let son: LoginResult; // the test citizen 张三, books for his mother
let prober: LoginResult; // another citizen
let clerk: LoginResult;
let farclerk: LoginResult;
let grandmaId: number;
const GRANDMA_ID = makeIdNumber('341802', '1940-02-02', 22);

type Err = { error: { code: string } };
interface Visit {
  id: number;
  applicationId: number;
  status: string;
  personName: string;
  personIdNumber: string;
  bookedFor: string;
  deadline: string | null;
  version: number;
  age?: number;
  personId?: number;
  region?: string;
  visitDate: string | null;
  outcome: string | null;
  assignedTo: string | null;
  assignedName: string | null;
}
interface Msg {
  topic: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  link: string | null;
}

const get = async (url: string, who?: LoginResult) => {
  await consumeEvents(t.ctx);
  return t.app.inject({ method: 'GET', url, ...(who ? { headers: who.headers } : {}) });
};
const post = (url: string, who: LoginResult | null, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, ...(who ? { headers: who.headers } : {}), payload });

const booking = (extra: Record<string, unknown> = {}) => ({
  group: 'elderly',
  serviceWanted: '养老金领取资格认证',
  address: '宣城市宣州区鳌峰街道 1 号',
  contactPhone: '13900001111',
  preferredDate: '2025-04-17',
  preferredSlot: 'am',
  ...extra,
});

before(async () => {
  fixToday('2025-04-15');
  t = await makeTestApp();
  const granny = await makePerson(t.ctx.db, {
    id_number: GRANDMA_ID,
    name: '李奶奶',
    sex: 'F',
    birth_date: '1940-02-02',
    region: TEST_REGION,
    phone: '13600009999',
    address: '宣城市宣州区鳌峰街道 1 号',
    hardship_group: 'disabled',
  });
  grandmaId = granny.id;
  const probe = await makePerson(t.ctx.db, {
    id_number: makeIdNumber('341802', '1990-01-01', 33),
    name: '王探',
    sex: 'M',
    birth_date: '1990-01-01',
    region: TEST_REGION,
    phone: '13600008888',
  });
  await makeUsers(t.ctx.db, {
    grandma: { displayName: '李奶奶', personId: grandmaId },
    prober: { displayName: '王探', personId: probe.id },
    farclerk: { displayName: 'far clerk', role: 'clerk', region: '110000' },
  });
  grandma = await t.login('grandma');
  son = await t.login('citizen');
  prober = await t.login('prober');
  clerk = await t.login('clerk');
  farclerk = await t.login('farclerk');
});

after(async () => {
  fixToday(null);
  await t.close();
});

let familyVisit: Visit;

describe('booking', () => {
  test('the very old book for themselves: an application in the hall, 5 working days to the visit', async () => {
    const r = await post('/api/v1/home-visits', grandma, booking());
    assert.equal(r.statusCode, 201, r.body);
    const v = r.json<Visit>();
    assert.equal(v.status, 'booked');
    assert.equal(v.bookedFor, 'self');
    assert.equal(v.deadline, '2025-04-22');
    const apps = (await get('/api/v1/applications', grandma)).json<{
      items: Array<{ id: number; serviceCode: string; status: string; deadline: string }>;
    }>();
    const a = apps.items.find((x) => x.id === v.applicationId);
    assert.equal(a?.serviceCode, 'home-service');
    assert.equal(a?.status, 'submitted');
    const act = await post(`/api/v1/applications/${v.applicationId}/actions`, clerk, {
      action: 'approve',
      version: 2,
    });
    assert.equal(act.statusCode, 409, 'acted on in the home-service pages, not by the generic actions');
  });

  test('someone under 80 booking for themselves as very old is refused', async () => {
    const r = await post('/api/v1/home-visits', son, booking());
    assert.equal(r.statusCode, 422);
    assert.equal(r.json<Err>().error.code, 'SB_ERR_NOT_ELIGIBLE');
  });

  test('the date must be a working day from tomorrow on; the phone a phone', async () => {
    for (const preferredDate of ['2025-04-15', '2025-04-19', '2025-06-30']) {
      const r = await post('/api/v1/home-visits', grandma, booking({ preferredDate }));
      assert.equal(r.statusCode, 400, preferredDate);
    }
    assert.equal(
      (await post('/api/v1/home-visits', grandma, booking({ contactPhone: 'abc' }))).statusCode,
      400,
    );
  });

  test('a family member books with the person’s ID number and name and learns nothing else', async () => {
    const r = await post(
      '/api/v1/home-visits',
      son,
      booking({ idNumber: GRANDMA_ID, name: '李奶奶', relation: '子女', group: 'bedridden' }),
    );
    assert.equal(r.statusCode, 201, r.body);
    familyVisit = r.json<Visit>();
    assert.equal(familyVisit.bookedFor, 'family');
    assert.equal(familyVisit.personName, '李**');
    assert.match(familyVisit.personIdNumber, /\*{6,}/);
    for (const k of ['age', 'personId', 'region', 'registryGroup', 'overdue'])
      assert.ok(!(k in familyVisit), `the booker is not told the ${k}`);
    assert.ok(!r.body.includes('1940'), 'no birth date');
    assert.ok(!r.body.includes('13600009999'), 'not the person’s phone on record');
    // The person sees it among her applications and appointments, and is told.
    const mine = (await get('/api/v1/home-visits', grandma)).json<{ items: Visit[] }>();
    assert.ok(mine.items.some((x) => x.id === familyVisit.id));
    const msgs = (await get('/api/v1/messages', grandma)).json<{ items: Msg[] }>();
    assert.ok(msgs.items.some((m) => m.link === `/citizen/applications/${familyVisit.applicationId}`));
    // The son does not see her applications.
    const his = (await get('/api/v1/applications', son)).json<{ items: Array<{ id: number }> }>();
    assert.ok(!his.items.some((x) => x.id === familyVisit.applicationId));
  });

  test('a wrong name and an unknown ID number get the same answer; 5 failures a day, then 429 even for a right pair', async () => {
    const wrong = await post(
      '/api/v1/home-visits',
      prober,
      booking({ idNumber: GRANDMA_ID, name: '李爷爷' }),
    );
    const unknown = await post(
      '/api/v1/home-visits',
      prober,
      booking({ idNumber: makeIdNumber('341802', '1941-03-03', 44), name: '李奶奶' }),
    );
    assert.equal(wrong.statusCode, 422);
    assert.equal(wrong.body, unknown.body, 'byte for byte the same');
    assert.equal(wrong.json<Err>().error.code, 'SB_ERR_REGISTRY_MISMATCH');
    for (let i = 0; i < 3; i++)
      await post('/api/v1/home-visits', prober, booking({ idNumber: GRANDMA_ID, name: `李${i}` }));
    const right = await post(
      '/api/v1/home-visits',
      prober,
      booking({ idNumber: GRANDMA_ID, name: '李奶奶' }),
    );
    assert.equal(right.statusCode, 429, 'the enumeration is cut off');
    const ok = await post(
      '/api/v1/home-visits',
      son,
      booking({ idNumber: GRANDMA_ID, name: '李奶奶', group: 'disabled' }),
    );
    assert.equal(ok.statusCode, 201, 'per login, not for everyone');
    await post(`/api/v1/home-visits/${ok.json<Visit>().id}/cancel`, son, {
      version: ok.json<Visit>().version,
    });
  });
});

describe('attacks', () => {
  test('another citizen cannot read, cancel or even confirm an appointment; anonymous 401; employer 403', async () => {
    const url = `/api/v1/home-visits/${familyVisit.id}`;
    assert.equal((await get(url, prober)).statusCode, 404);
    assert.equal((await post(`${url}/cancel`, prober, { version: familyVisit.version })).statusCode, 404);
    assert.equal((await get('/api/v1/home-visits/999999', prober)).statusCode, 404, 'same as missing');
    const list = (await get('/api/v1/home-visits', prober)).json<{ items: Visit[] }>();
    assert.equal(list.items.length, 0);
    assert.equal((await get(url)).statusCode, 401);
    assert.equal((await post('/api/v1/home-visits', null, booking())).statusCode, 401);
    const employer = await t.login('employer');
    assert.equal((await get(url, employer)).statusCode, 403);
    assert.equal((await post('/api/v1/home-visits', employer, booking())).statusCode, 403);
    assert.equal(
      (await post(`${url}/assign`, son, { assignee: 'clerk', visitDate: '2025-04-17', version: 1 }))
        .statusCode,
      403,
    );
    const reviewer = await t.login('reviewer');
    assert.equal((await post(`${url}/done`, reviewer, { outcome: 'served', version: 1 })).statusCode, 403);
  });

  test('a clerk of another region sees nothing of it', async () => {
    const url = `/api/v1/home-visits/${familyVisit.id}`;
    assert.equal((await get(url, farclerk)).statusCode, 404);
    const r = await post(`${url}/assign`, farclerk, {
      assignee: 'farclerk',
      visitDate: '2025-04-17',
      version: 1,
    });
    assert.equal(r.statusCode, 404);
    assert.equal((await get('/api/v1/home-visits', farclerk)).json<{ items: Visit[] }>().items.length, 0);
  });
});

describe('handled by the clerks', () => {
  test('the queue shows who the person is, their age and registry group, by deadline', async () => {
    const r = await get('/api/v1/home-visits?status=booked', clerk);
    assert.equal(r.statusCode, 200, r.body);
    const v = r.json<{ items: Visit[] }>().items.find((x) => x.id === familyVisit.id);
    assert.ok(v);
    assert.equal(v.personName, '李奶奶');
    assert.equal(v.age, 85);
    const staff = (await get('/api/v1/home-visits/staff', clerk)).json<{
      items: Array<{ username: string }>;
    }>();
    assert.ok(staff.items.some((s) => s.username === 'clerk'));
    assert.ok(!staff.items.some((s) => s.username === 'farclerk'));
  });

  test('assign (a clerk of the region only), nobody at home, visited: application accepted then completed; person and booker told', async () => {
    const url = `/api/v1/home-visits/${familyVisit.id}`;
    const bad = await post(`${url}/assign`, clerk, {
      assignee: 'farclerk',
      visitDate: '2025-04-17',
      version: familyVisit.version,
    });
    assert.equal(bad.statusCode, 400);
    const notStaff = await post(`${url}/assign`, clerk, {
      assignee: 'citizen',
      visitDate: '2025-04-17',
      version: familyVisit.version,
    });
    assert.equal(notStaff.statusCode, 400);
    const early = await post(`${url}/done`, clerk, { outcome: 'served', version: familyVisit.version });
    assert.equal(early.statusCode, 409, 'assign first');
    let r = await post(`${url}/assign`, clerk, {
      assignee: 'clerk',
      visitDate: '2025-04-17',
      version: familyVisit.version,
    });
    assert.equal(r.statusCode, 200, r.body);
    let v = r.json<Visit>();
    assert.equal(v.status, 'assigned');
    const clerkName = (
      await t.ctx.db
        .selectFrom('app_user')
        .select('display_name')
        .where('username', '=', 'clerk')
        .executeTakeFirstOrThrow()
    ).display_name;
    assert.equal(v.assignedTo, 'clerk', 'staff see whom they assigned by login name');
    assert.equal(v.assignedName, clerkName);
    const seenBySon = (await get(url, son)).json<Visit>();
    assert.equal(seenBySon.assignedName, clerkName, 'the booker learns who will come, by name');
    assert.equal(seenBySon.assignedTo, null, 'and not a staff login name');
    const stale = await post(`${url}/assign`, clerk, {
      assignee: 'clerk',
      visitDate: '2025-04-18',
      version: familyVisit.version,
    });
    assert.equal(stale.statusCode, 409, 'version guard');
    assert.equal(
      (await post(`${url}/done`, clerk, { outcome: 'not-home', version: v.version })).statusCode,
      400,
      'say what happened',
    );
    r = await post(`${url}/done`, clerk, { outcome: 'not-home', note: '电话未接通', version: v.version });
    v = r.json<Visit>();
    assert.equal(v.status, 'assigned', 'stays open to be arranged again');
    r = await post(`${url}/assign`, clerk, {
      assignee: 'clerk',
      visitDate: '2025-04-18',
      version: v.version,
    });
    v = r.json<Visit>();
    r = await post(`${url}/done`, clerk, { outcome: 'served', note: '已完成资格认证', version: v.version });
    assert.equal(r.statusCode, 200, r.body);
    v = r.json<Visit>();
    assert.equal(v.status, 'done');
    assert.equal(v.outcome, 'served');
    const app = (await get(`/api/v1/applications/${familyVisit.applicationId}`, grandma)).json<{
      status: string;
      events: Array<{ status: string; actor: string }>;
    }>();
    assert.equal(app.status, 'completed');
    assert.deepEqual(
      app.events.map((e) => e.status),
      ['submitted', 'accepted', 'accepted', 'accepted', 'completed'],
    );
    const hers = (await get('/api/v1/messages', grandma)).json<{ items: Msg[] }>();
    assert.ok(
      hers.items.some(
        (m) => m.link === `/citizen/applications/${familyVisit.applicationId}` && /已办结/.test(m.titleZh),
      ),
    );
    const his = (await get('/api/v1/messages', son)).json<{ items: Msg[] }>();
    const m = his.items.filter((x) => x.link === `/citizen/home-service/${familyVisit.id}`);
    assert.ok(m.some((x) => /上门未遇/.test(x.titleZh)));
    // the visit's day in words, as the pages show dates (the message said 已安排 2025-04-17 上门)
    assert.ok(
      m.some((x) => x.titleZh.endsWith('已安排2025年4月17日上门')),
      JSON.stringify(m.map((x) => x.titleZh)),
    );
    assert.ok(m.some((x) => x.titleEn.endsWith('a visit is arranged on 17 Apr 2025')));
    assert.ok(m.every((x) => !/\d{4}-\d{2}-\d{2}/.test(`${x.titleZh}${x.bodyZh}${x.titleEn}${x.bodyEn}`)));
    assert.ok(m.some((x) => /已上门办结/.test(x.titleZh)));
    assert.equal((await post(`${url}/cancel`, son, { version: v.version })).statusCode, 409, 'done is done');
  });

  test('a clerk refuses with a reason; the person cancels her own', async () => {
    const mine = (await get('/api/v1/home-visits', grandma)).json<{ items: Visit[] }>();
    const own = mine.items.find((x) => x.bookedFor === 'self' && x.status === 'booked');
    assert.ok(own);
    const r1 = await post(`/api/v1/home-visits/${own.id}/refuse`, clerk, { note: ' ', version: own.version });
    assert.equal(r1.statusCode, 400);
    const c = await post(`/api/v1/home-visits/${own.id}/cancel`, grandma, { version: own.version });
    assert.equal(c.statusCode, 200, c.body);
    assert.equal(c.json<Visit>().status, 'cancelled');
    const app = (await get(`/api/v1/applications/${own.applicationId}`, grandma)).json<{ status: string }>();
    assert.equal(app.status, 'withdrawn');
    const again = await post('/api/v1/home-visits', grandma, booking({ preferredDate: '2025-04-18' }));
    const v = again.json<Visit>();
    const ref = await post(`/api/v1/home-visits/${v.id}/refuse`, clerk, {
      note: '不在服务范围',
      version: v.version,
    });
    assert.equal(ref.statusCode, 200, ref.body);
    assert.equal(ref.json<Visit>().status, 'refused');
    // A step on a closed appointment names its status in words (it said 预约状态为 refused).
    for (const [step, who] of [
      ['cancel', grandma],
      ['refuse', clerk],
    ] as const) {
      const late = await post(`/api/v1/home-visits/${v.id}/${step}`, who, {
        note: '重复',
        version: v.version + 1,
      });
      assert.equal(late.statusCode, 409, late.body);
      assert.equal(
        late.json<{ error: { message: string } }>().error.message,
        '状态冲突，请刷新后重试：预约状态为“不予安排” / Conflict: refresh and try again: the appointment is refused',
      );
    }
    const a2 = (await get(`/api/v1/applications/${v.applicationId}`, grandma)).json<{ status: string }>();
    assert.equal(a2.status, 'rejected');
  });
});

describe('the list', () => {
  /** Counts the statements a service sends through its connection. */
  const counting = () => {
    const { db, seen } = countingDb(t.ctx.db);
    return { seen, service: new HomeServiceService({ ...t.ctx, db }) };
  };
  const actorOf = (username: string): Promise<Actor> => actorOfAccount(t.ctx.db, username);

  test('rows with different clerks: each row the same as read alone, the clerk named, staff logins only to staff, one statement', async () => {
    await makeUsers(t.ctx.db, { clerk2: { displayName: '周上门', role: 'clerk', region: TEST_REGION } });
    const forMother = (preferredDate: string) =>
      post(
        '/api/v1/home-visits',
        son,
        booking({ idNumber: GRANDMA_ID, name: '李奶奶', relation: '母子', preferredDate }),
      );
    const made: Visit[] = [];
    for (const d of ['2025-04-16', '2025-04-21', '2025-04-22']) {
      const r = await forMother(d);
      assert.equal(r.statusCode, 201, r.body);
      made.push(r.json<Visit>());
    }
    const assignees = ['clerk', 'clerk2', null];
    for (const [i, v] of made.entries()) {
      const who = assignees[i];
      if (!who) continue;
      const r = await post(`/api/v1/home-visits/${v.id}/assign`, clerk, {
        assignee: who,
        visitDate: '2025-04-23',
        version: v.version,
      });
      assert.equal(r.statusCode, 200, r.body);
    }
    const names = new Map(
      (await t.ctx.db.selectFrom('app_user').select(['username', 'display_name']).execute()).map((u) => [
        u.username,
        u.display_name,
      ]),
    );

    for (const [who, staff] of [
      [clerk, true],
      [son, false],
      [grandma, false],
    ] as const) {
      const list = (await get('/api/v1/home-visits', who)).json<{ items: Visit[]; total: number }>();
      assert.equal(list.total, list.items.length);
      for (const [i, v] of made.entries()) {
        const row = list.items.find((x) => x.id === v.id);
        assert.ok(row, `visit ${v.id} listed`);
        const alone = (await get(`/api/v1/home-visits/${v.id}`, who)).json<Visit>();
        assert.deepEqual(row, alone, 'the list row is the row read alone');
        const a = assignees[i];
        assert.equal(row.assignedName, a ? names.get(a) : null, 'the assigned clerk named per row');
        assert.equal(row.assignedTo, staff ? a : null, 'the login name to staff only');
        assert.equal(row.personName, staff ? '李奶奶' : '李**', 'the full name to staff only');
        assert.equal(row.deadline, v.deadline);
        if (staff) assert.equal(row.age, 85);
        else assert.equal(row.age, undefined);
      }
      // Every list row from other visits too: each one as read alone.
      for (const row of list.items) {
        const alone = (await get(`/api/v1/home-visits/${row.id}`, who)).json<Visit>();
        assert.deepEqual(row, alone);
      }
    }

    // One statement however many rows: the person, the clerk's name and the deadline joined in.
    for (const username of ['clerk', 'citizen', 'grandma']) {
      const { seen, service } = counting();
      const out = await service.list(await actorOf(username), {});
      assert.ok(out.items.length >= 3);
      assert.equal(seen.n, 1, `${username}: ${seen.n} statements for ${out.items.length} rows`);
    }
  });
});
