// Notes on applications are data since migration 1581: a process sends `{ zh, en }` in its
// `case.status` event, the hall keeps it so on the application and in its history, the message
// carries each half, and the routes answer both languages. Events and rows of the former shape (one
// string, "中文 / English") still read in both halves; a person's own words read as typed. And the
// notes are the applicant's only: another citizen or another employer reads neither the application
// nor its words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makeEmployer, makePerson } from '../testing/factories.ts';
import { makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';
import { caseStatusTools } from './case-status-support.ts';
import type { Words } from '../core/bilingual.ts';

interface App {
  id: number;
  status: string;
  note: Words | null;
  events: Array<{ status: string; note: Words | null }>;
}
interface Msg {
  bodyZh: string;
  bodyEn: string;
  link: string | null;
}

let t: TestApp;
let citizen: LoginResult;
let employer: LoginResult;
let clerk: LoginResult;

const { get, emit, consume, idOf, read } = caseStatusTools<App>(() => t);

async function messagesAbout(id: number, who: LoginResult, portal: string): Promise<Msg[]> {
  const r = await get('/api/v1/messages?pageSize=100', who);
  assert.equal(r.statusCode, 200, r.body);
  return r.json<{ items: Msg[] }>().items.filter((m) => m.link === `/${portal}/applications/${id}`);
}

before(async () => {
  fixToday('2025-09-24');
  t = await makeTestApp();
  citizen = await t.login('citizen');
  employer = await t.login('employer');
  clerk = await t.login('clerk');
});

after(async () => {
  fixToday(null);
  await t.close();
});

describe('a note in both languages, from the event to the reader', () => {
  const base = { service: 'unemployment-benefit', ref: 'unemployment_claim:901', actor: 'clerk' };

  test('{ zh, en } in the event: kept as such, both in the detail and the history, each half in the message', async () => {
    const granted = {
      zh: '核准领取失业保险金12个月，每月¥1,800.00',
      en: 'unemployment benefit granted for 12 months, ¥1,800.00 a month',
    };
    await emit({ ...base, personId: t.personId, status: 'submitted' });
    await emit({ ...base, personId: t.personId, status: 'approved', note: granted });
    await consume();
    const id = await idOf(base.ref);
    const stored = await sql<{ detail: { note: unknown } }>`
      SELECT detail FROM hall_application WHERE id = ${id}`.execute(t.ctx.db);
    const detail = stored.rows[0]?.detail;
    const note = (typeof detail === 'string' ? JSON.parse(detail) : detail) as { note: unknown };
    assert.deepEqual(note.note, granted, 'stored as data, not as one string');
    const history = await sql<{ note: unknown }>`
      SELECT note FROM hall_application_event WHERE application_id = ${id} ORDER BY id`.execute(t.ctx.db);
    assert.deepEqual(
      history.rows.map((r) => r.note),
      [null, granted],
    );

    // The citizen's own detail answers the note in both languages.
    const a = await read(id, citizen);
    assert.equal(a.status, 'approved');
    assert.deepEqual(a.note, granted);
    assert.deepEqual(
      a.events.map((e) => e.note),
      [null, granted],
    );
    const m = (await messagesAbout(id, citizen, 'citizen')).find((x) => x.bodyZh.includes('审核通过'));
    assert.ok(m, 'the applicant is told');
    assert.match(m.bodyZh, /说明：核准领取失业保险金12个月，每月¥1,800\.00$/, m.bodyZh);
    assert.match(m.bodyEn, /Note: unemployment benefit granted for 12 months, ¥1,800\.00 a month$/, m.bodyEn);
    assert.doesNotMatch(m.bodyEn, /核准/, 'no Chinese in the English');
  });

  test('the same words again add nothing; new words add a history row', async () => {
    const id = await idOf(base.ref);
    const again = {
      zh: '核准领取失业保险金12个月，每月¥1,800.00',
      en: 'unemployment benefit granted for 12 months, ¥1,800.00 a month',
    };
    await emit({ ...base, personId: t.personId, status: 'approved', note: again });
    await consume();
    assert.equal((await read(id, clerk)).events.length, 2, 'a replayed event adds nothing');
    await emit({
      ...base,
      personId: t.personId,
      status: 'completed',
      note: { zh: '失业保险金领取期满', en: 'the unemployment benefit has run its course' },
    });
    await consume();
    const a = await read(id, clerk);
    assert.equal(a.status, 'completed');
    assert.deepEqual(a.events.at(-1)?.note, {
      zh: '失业保险金领取期满',
      en: 'the unemployment benefit has run its course',
    });
  });

  test('an event of the former shape (one string): each reader still gets their half, in the history and the message', async () => {
    const ref = 'fed_xp_request:902';
    await emit({
      service: 'record-statement',
      ref,
      personId: t.personId,
      status: 'submitted',
      actor: 'citizen',
      note: '跨省通办：已转安徽省办理个人权益记录 / sent to Anhui',
    });
    await consume();
    const id = await idOf(ref);
    const a = await read(id, citizen);
    const halves = { zh: '跨省通办：已转安徽省办理个人权益记录', en: 'sent to Anhui' };
    assert.deepEqual(a.note, halves);
    assert.deepEqual(a.events[0]?.note, halves);
    const m = (await messagesAbout(id, citizen, 'citizen'))[0];
    assert.ok(m);
    assert.match(m.bodyZh, /说明：跨省通办：已转安徽省办理个人权益记录$/, m.bodyZh);
    assert.match(m.bodyEn, /Note: sent to Anhui$/, m.bodyEn);
  });

  test('a history row written before 1581 (a JSON string) reads in both halves; a server’s Chinese-only note in English; other text as it is', async () => {
    const id = await idOf('fed_xp_request:902');
    await sql`INSERT INTO hall_application_event (application_id, status, note, actor_username, actor_role)
      VALUES (${id}, 'accepted', to_jsonb(${'江苏省已受理 / accepted by Jiangsu'}::text), 'clerk', 'clerk'),
             (${id}, 'accepted', to_jsonb(${'请补充 A/B 两份证明'}::text), 'clerk', 'clerk'),
             (${id}, 'accepted', to_jsonb(${'申请已撤回'}::text), 'system', 'system')`.execute(t.ctx.db);
    const a = await read(id, citizen);
    assert.deepEqual(
      a.events.slice(-3).map((e) => e.note),
      [
        { zh: '江苏省已受理', en: 'accepted by Jiangsu' },
        { zh: '请补充 A/B 两份证明', en: '请补充 A/B 两份证明' },
        // a process's note of the time, in Chinese only: the English page says it in English (old-notes.ts)
        { zh: '申请已撤回', en: 'application withdrawn' },
      ],
    );
  });

  test('a clerk’s own words stay as typed, in both languages, even when they look like two halves', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: citizen.headers,
      payload: { serviceCode: 'person-change', note: '变更联系地址' },
    });
    assert.equal(r.statusCode, 201, r.body);
    const app = r.json<App & { version: number }>();
    const typed = '请补充户口簿 / please bring the household register';
    const back = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${app.id}/actions`,
      headers: clerk.headers,
      payload: { action: 'return', note: typed, version: app.version },
    });
    assert.equal(back.statusCode, 200, back.body);
    await consume();
    const a = await read(app.id, citizen);
    assert.deepEqual(a.note, { zh: typed, en: typed });
    assert.deepEqual(
      a.events.map((e) => e.note),
      [
        { zh: '变更联系地址', en: '变更联系地址' },
        { zh: typed, en: typed },
      ],
    );
    const m = (await messagesAbout(app.id, citizen, 'citizen')).find((x) => x.bodyZh.includes('退回补正'));
    assert.ok(m);
    assert.ok(m.bodyZh.endsWith(`说明：${typed}`) && m.bodyEn.endsWith(`Note: ${typed}`), m.bodyEn);
  });
});

describe('attacks: another applicant reads neither the application nor its notes', () => {
  test('another citizen: the detail is refused and shows no words; it is not in their list or messages', async () => {
    const id = await idOf('unemployment_claim:901');
    const other = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('341802', '1990-02-02', 31),
      name: '李四',
      sex: 'F',
      birth_date: '1990-02-02',
    });
    const mallory = await loginAsNew(t, 'mallory', { personId: other.id });
    const r = await get(`/api/v1/applications/${id}`, mallory);
    // answered as an unknown id is: another's id is not confirmed to exist
    assert.equal(r.statusCode, 404, r.body);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_NOT_FOUND');
    assert.doesNotMatch(r.body, /核准|granted|失业保险金/);
    const list = await get('/api/v1/applications?pageSize=100', mallory);
    assert.equal(list.statusCode, 200);
    assert.equal(list.json<{ total: number }>().total, 0);
    const msgs = await get('/api/v1/messages?pageSize=100', mallory);
    assert.doesNotMatch(msgs.body, /核准|granted/);
    // An employer cannot read a person's application either.
    assert.equal((await get(`/api/v1/applications/${id}`, employer)).statusCode, 404);
  });

  test('another employer: not the refund notice of this one', async () => {
    const ref = 'refund_result:903';
    await emit({
      service: 'job-stabilisation-refund',
      ref,
      employerId: t.employerId,
      status: 'accepted',
      actor: 'refund-scan',
      note: { zh: '返还金额 ¥540.00，经复核后拨付', en: '¥540.00, paid once a reviewer releases it' },
    });
    await consume();
    const id = await idOf(ref);
    const own = await read(id, employer);
    assert.deepEqual(own.note, {
      zh: '返还金额 ¥540.00，经复核后拨付',
      en: '¥540.00, paid once a reviewer releases it',
    });
    const rival = await makeEmployer(t.ctx.db, { name: '竞争对手有限公司' });
    const eve = await loginAsNew(t, 'eve-employer', { role: 'employer', employerId: rival.id });
    const r = await get(`/api/v1/applications/${id}`, eve);
    assert.equal(r.statusCode, 404, r.body);
    assert.doesNotMatch(r.body, /540|返还/);
    const list = await get('/api/v1/applications?pageSize=100', eve);
    assert.ok(!list.json<{ items: Array<{ id: number }> }>().items.some((x) => x.id === id));
    assert.doesNotMatch((await get('/api/v1/messages?pageSize=100', eve)).body, /540|返还/);
    // Nor a citizen.
    assert.equal((await get(`/api/v1/applications/${id}`, citizen)).statusCode, 404);
  });
});
