// The hall through the real HTTP app: the public catalogue, applications with their deadline
// clock and the staff work queue, return and resubmission, messages to the applicant, a retirement
// case reporting in through the outbox, certificates and their public verification, statistics.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { ApplicationService } from './application.service.ts';
import { parseCatalogue } from './catalogue.ts';
import { consumeEvents } from './events.job.ts';
import { makeEmployer, makeEnrolment, makePerson } from '../testing/factories.ts';
import { countingDb } from '../testing/statement-count.ts';
import { actorOfAccount, makeUsers } from '../testing/users.ts';
import { pdfText } from '../testing/pdf-text.ts';

let t: TestApp;
let citizen: LoginResult;
let clerk: LoginResult;
let employer: LoginResult;
let retireeId: number;

type Err = { error: { code: string } };
interface App {
  id: number;
  status: string;
  deadline: string | null;
  overdue: boolean;
  version: number;
  workingDaysLeft: number | null;
  externalLink: string | null;
  serviceCode: string;
  applicantName: string | null;
}
interface Msg {
  id: number;
  titleZh: string;
  titleEn: string;
  link: string | null;
  read: boolean;
  topic: string;
}

// The consumer runs in the background in a server; here it runs, deterministically, before each read.
const get = async (url: string, who?: LoginResult) => {
  await consumeEvents(t.ctx);
  return t.app.inject({ method: 'GET', url, ...(who ? { headers: who.headers } : {}) });
};
const post = (url: string, who: LoginResult, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: who.headers, payload });
/** An action on an application (return, resubmit, approve, …) with the version the caller read. */
const act = (appId: number, who: LoginResult, body: Record<string, unknown>) =>
  post(`/api/v1/applications/${appId}/actions`, who, body);

before(async () => {
  fixToday('2025-04-15');
  t = await makeTestApp();
  const p = await makePerson(t.ctx.db, {
    id_number: makeIdNumber('341802', '1965-03-10', 13),
    name: '孙退休',
    sex: 'M',
    birth_date: '1965-03-10',
    phone: '13600001234',
    bank_name: '工商银行',
    bank_account: '6222000000000000009',
  });
  retireeId = p.id;
  await makeEnrolment(t.ctx.db, {
    person_id: retireeId,
    region: TEST_REGION,
    employer_id: t.employerId,
    start_date: '1990-01-01',
  });
  await makeUsers(t.ctx.db, {
    retiree: { displayName: '孙退休', personId: retireeId },
    farclerk: { displayName: 'far clerk', role: 'clerk', region: '110000' },
  });
  citizen = await t.login('citizen');
  clerk = await t.login('clerk');
  employer = await t.login('employer');
});

after(async () => {
  fixToday(null);
  await t.close();
});

describe('service catalogue', () => {
  test('public, at least 15 services, each with who applies, channels, what is known, the time limit and 跨省通办', async () => {
    const r = await get('/api/v1/services');
    assert.equal(r.statusCode, 200);
    const body = r.json<{ items: Array<Record<string, unknown>>; total: number }>();
    assert.ok(body.total >= 15, `${body.total} services`);
    for (const s of body.items) {
      for (const k of [
        'code',
        'nameZh',
        'nameEn',
        'applicants',
        'channels',
        'known',
        'timeLimit',
        'crossProvince',
        'handledBy',
      ])
        assert.ok(k in s, `${String(s['code'])} has ${k}`);
    }
    assert.ok(
      body.items.some((s) => s['handledBy'] === 'province'),
      'the province\u2019s other systems are listed too',
    );
    assert.ok(body.items.some((s) => s['crossProvince'] === true));
  });

  test('searchable in Chinese and English; a guide page each; unknown code 404', async () => {
    const zh = (await get(`/api/v1/services?q=${encodeURIComponent('养老金 申领')}`)).json<{
      items: Array<{ code: string }>;
    }>();
    assert.ok(zh.items.some((s) => s.code === 'retirement-pension'));
    const en = (await get('/api/v1/services?q=Unemployment%20benefit')).json<{
      items: Array<{ code: string }>;
    }>();
    assert.deepEqual(
      en.items.map((s) => s.code),
      ['unemployment-benefit'],
    );
    const guide = await get('/api/v1/services/insurance-certificate');
    assert.equal(guide.json<{ nameZh: string }>().nameZh, '参保证明查询打印');
    assert.equal((await get('/api/v1/services/no-such')).statusCode, 404);
  });

  test('the catalogue file is checked: a duplicate code, an unknown channel, a stray time-limit key or an internal reference stops the load', () => {
    const item = (code: string, channel: string) => `
  - {code: ${code}, nameZh: 甲, nameEn: A, category: x, applicants: [citizen], channels: [${channel}], known: [], asks: [],
     timeLimit: {workingDays: 5}, crossProvince: false, handledBy: shebao, hallHandled: true, reference: r, keywords: []}`;
    assert.equal(parseCatalogue(`services:${item('a-b', 'online')}`).length, 1);
    assert.throws(
      () => parseCatalogue(`services:${item('a-b', 'online')}${item('a-b', 'online')}`),
      /duplicate code/,
    );
    assert.throws(() => parseCatalogue(`services:${item('a-b', 'fax')}`), /channels/);
    assert.throws(
      () =>
        parseCatalogue(`services:${item('a-b', 'online').replace('reference: r', 'reference: domain §6.5')}`),
      /published law or policy/,
    );
    // An unquoted comma in a note splits it into a stray key: refused rather than shown cut off.
    const comma = item('a-b', 'online').replace(
      '{workingDays: 5}',
      '{workingDays: 0, noteEn: immediate, free}',
    );
    assert.throws(() => parseCatalogue(`services:${comma}`), /unknown keys free/);
    const quoted = item('a-b', 'online').replace(
      '{workingDays: 5}',
      "{workingDays: 0, noteEn: 'immediate, free'}",
    );
    assert.equal(parseCatalogue(`services:${quoted}`)[0]?.timeLimit.noteEn, 'immediate, free');
  });
});

describe('applications', () => {
  let appId = 0;

  test('a citizen applies for a service the hall takes: submitted, deadline 10 working days later', async () => {
    const r = await post('/api/v1/applications', citizen, {
      serviceCode: 'person-change',
      note: '变更联系地址',
    });
    assert.equal(r.statusCode, 201, r.body);
    const a = r.json<App>();
    assert.equal(a.status, 'submitted');
    assert.equal(a.deadline, '2025-04-28', 'the Sunday 04-27 is worked (调休)');
    assert.equal(a.workingDaysLeft, 10);
    appId = a.id;
    const mine = (await get('/api/v1/applications', citizen)).json<{ items: App[] }>();
    assert.ok(mine.items.some((x) => x.id === appId));
    const theirs = (await get('/api/v1/applications', employer)).json<{ items: App[] }>();
    assert.ok(!theirs.items.some((x) => x.id === appId), 'not in another applicant\u2019s list');
  });

  test('others cannot read it; services handled elsewhere and services for employers are refused', async () => {
    const retiree = await t.login('retiree');
    const r = await get(`/api/v1/applications/${appId}`, retiree);
    assert.equal(r.statusCode, 404); // as an unknown id: another's is not confirmed
    assert.equal(r.json<Err>().error.code, 'SB_ERR_NOT_FOUND');
    const far = await t.login('farclerk');
    assert.equal((await get(`/api/v1/applications/${appId}`, far)).statusCode, 404);
    // acting on it answers as reading it does, and as for a number that matches no application
    const farAct = await act(appId, far, { action: 'accept', version: 1 });
    const unknownAct = await act(appId + 100_000, far, { action: 'accept', version: 1 });
    assert.equal(farAct.statusCode, 404, farAct.body);
    assert.equal(farAct.body, unknownAct.body);
    // a step the caller may not take at all is refused before the id is looked up
    const staffStep = await act(appId, retiree, { action: 'accept', version: 1 });
    assert.equal(staffStep.statusCode, 403, staffStep.body);
    assert.equal(
      staffStep.body,
      (await act(appId + 100_000, retiree, { action: 'accept', version: 1 })).body,
    );
    assert.equal(
      (await post('/api/v1/applications', citizen, { serviceCode: 'pension-transfer' })).statusCode,
      422,
    );
    assert.equal(
      (await post('/api/v1/applications', citizen, { serviceCode: 'employer-registration' })).statusCode,
      422,
    );
    assert.equal((await post('/api/v1/applications', citizen, { serviceCode: 'no-such' })).statusCode, 404);
  });

  test('the work queue: across services, by deadline, overdue marked and counted', async () => {
    const late = (await post('/api/v1/applications', citizen, { serviceCode: 'card-loss' })).json<App>();
    await t.ctx.db
      .updateTable('hall_application' as never)
      .set({ submitted_on: '2025-03-03', deadline: '2025-04-01' } as never)
      .where('id' as never, '=', late.id as never)
      .execute();
    const q = await get('/api/v1/applications/queue?sort=deadline', clerk);
    assert.equal(q.statusCode, 200, q.body);
    const body = q.json<{ items: App[]; overdue: number; total: number }>();
    assert.equal(body.items[0]?.id, late.id, 'the overdue one first');
    assert.equal(body.items[0]?.overdue, true);
    assert.equal(body.overdue, 1);
    assert.ok(body.items.some((x) => x.id === appId && !x.overdue));
    const overdueOnly = (await get('/api/v1/applications/queue?overdue=true', clerk)).json<{
      items: App[];
    }>();
    assert.deepEqual(
      overdueOnly.items.map((x) => x.id),
      [late.id],
    );
    // an employer's application is named by the employer (it has no person)
    const fromEmployer = await post('/api/v1/applications', employer, { serviceCode: 'person-change' });
    assert.equal(fromEmployer.statusCode, 201, fromEmployer.body);
    const all = (await get('/api/v1/applications/queue?pageSize=100', clerk)).json<{ items: App[] }>();
    const employerName = await t.ctx.db
      .selectFrom('employer')
      .select('name')
      .where('id', '=', t.employerId)
      .executeTakeFirstOrThrow();
    assert.equal(
      all.items.find((x) => x.id === fromEmployer.json<App>().id)?.applicantName,
      employerName.name,
    );
    assert.ok(all.items.find((x) => x.id === appId)?.applicantName, 'a citizen by their name');
    const one = await get(`/api/v1/applications/${fromEmployer.json<App>().id}`, clerk);
    assert.equal(one.json<App>().applicantName, employerName.name, 'one application names its employer too');
    const own = (await get('/api/v1/applications', employer)).json<{ items: App[] }>();
    assert.ok(own.items.length > 0 && own.items.every((x) => x.applicantName === employerName.name));
    assert.equal((await get('/api/v1/applications/queue', citizen)).statusCode, 403);
    const far = await t.login('farclerk');
    assert.equal((await get('/api/v1/applications/queue', far)).json<{ total: number }>().total, 0);
  });

  test('a page of the list or the queue is one statement and one per kind of applicant named; a page past the end keeps its counts', async () => {
    const viaHttp = (await get('/api/v1/applications/queue?pageSize=100', clerk)).json<{
      items: App[];
      total: number;
      overdue: number;
    }>();
    const { db, seen } = countingDb(t.ctx.db);
    const service = new ApplicationService({ ...t.ctx, db });
    const staff = await actorOfAccount(t.ctx.db, 'clerk');
    const q = { pageSize: 100, sort: 'deadline', overdueOnly: false } as const;
    const queue = await service.queue(staff, { ...q, page: 1 });
    assert.equal(seen.n, 3, 'the page with its counts, the persons named, the employers named');
    assert.deepEqual(
      [queue.items.map((a) => [a.id, a.applicantName]), queue.total, queue.overdue],
      [viaHttp.items.map((a) => [a.id, a.applicantName]), viaHttp.total, viaHttp.overdue],
    );
    assert.ok(queue.total >= 3 && queue.overdue === 1, JSON.stringify([queue.total, queue.overdue]));
    seen.n = 0;
    const past = await service.queue(staff, { ...q, page: 9 });
    assert.deepEqual([past.items, past.total, past.overdue], [[], queue.total, 1]);
    assert.equal(seen.n, 2, 'past the end: the empty page, then the counts apart; nobody to name');
    seen.n = 0;
    const own = await service.listOwn(await actorOfAccount(t.ctx.db, 'citizen'), { page: 2, pageSize: 1 });
    assert.equal(seen.n, 2, 'the page with its count, the person named');
    assert.equal(own.items.length, 1);
    assert.ok(own.total >= 2 && own.items[0]?.applicantName, JSON.stringify(own));
  });

  test('returned for more information, resubmitted (clock restarts), approved and completed; the applicant is told each time', async () => {
    let a = (await get(`/api/v1/applications/${appId}`, clerk)).json<App>();
    const noNote = await act(appId, clerk, { action: 'return', version: a.version });
    assert.equal(noNote.statusCode, 400, 'a return says what is missing');
    const ret = await act(appId, clerk, { action: 'return', version: a.version, note: '请补充户口簿首页' });
    assert.equal(ret.statusCode, 200, ret.body);
    a = ret.json<App>();
    assert.equal(a.status, 'returned');
    const stale = await act(appId, clerk, { action: 'approve', version: a.version - 1 });
    assert.equal(stale.statusCode, 409);
    assert.equal(
      (await act(appId, citizen, { action: 'approve', version: a.version })).statusCode,
      403,
      'the applicant cannot approve',
    );

    const msgs = (await get('/api/v1/messages', citizen)).json<{ items: Msg[]; unread: number }>();
    const m = msgs.items.find((x) => x.link === `/citizen/applications/${appId}`);
    assert.ok(m, 'a message about the return, linking to the application');
    assert.match(m.titleZh, /退回补正/);

    fixToday('2025-04-18');
    const re = await act(appId, citizen, { action: 'resubmit', version: a.version, note: '已上传户口簿' });
    assert.equal(re.statusCode, 200, re.body);
    a = re.json<App>();
    assert.equal(a.status, 'submitted');
    assert.equal(a.deadline, '2025-05-06', 'ten working days from the resubmission, 05-01…05-05 off');
    const staffMsgs = (await get('/api/v1/messages', clerk)).json<{ items: Msg[] }>();
    assert.ok(
      staffMsgs.items.some((x) => x.link === `/agency/applications/${appId}`),
      'the office hears of it',
    );

    a = (await act(appId, clerk, { action: 'approve', version: a.version })).json<App>();
    a = (await act(appId, clerk, { action: 'complete', version: a.version })).json<App>();
    assert.equal(a.status, 'completed');
    // A step on a closed application names its status in words (it said 办件状态为 completed).
    const closed = await act(appId, clerk, { action: 'approve', version: a.version });
    assert.equal(closed.statusCode, 409, closed.body);
    assert.equal(
      closed.json<{ error: { message: string } }>().error.message,
      '状态冲突，请刷新后重试：办件状态为“已办结” / Conflict: refresh and try again: the application is completed',
    );
    const detail = (await get(`/api/v1/applications/${appId}`, citizen)).json<{
      events: Array<{ status: string; actor: string | null; role: string }>;
    }>();
    assert.deepEqual(
      detail.events.map((e) => `${e.status}:${e.actor ?? e.role}`),
      ['submitted:citizen', 'returned:clerk', 'submitted:citizen', 'approved:clerk', 'completed:clerk'],
      'a login that is not an ID number is shown by role (it read *******)',
    );
    assert.deepEqual(
      detail.events.filter((e) => e.role === 'clerk').map((e) => e.actor),
      [null, null, null],
      'the applicant sees staff by role, never their usernames',
    );
    // Staff see a colleague by display name, not by login.
    await t.ctx.db
      .updateTable('app_user')
      .set({ display_name: '王芳' })
      .where('username', '=', 'clerk')
      .execute();
    const staffView = (await get(`/api/v1/applications/${appId}`, clerk)).json<{
      events: Array<{ actor: string | null; role: string }>;
    }>();
    assert.ok(
      staffView.events.filter((e) => e.role === 'clerk').every((e) => e.actor === '王芳'),
      'staff see who it was, by name',
    );
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username'])
      .where('entity_type', '=', 'hall_application')
      .where('entity_id', '=', String(appId))
      .orderBy('id')
      .execute();
    assert.equal(audit.length, 5, 'every status change audited');
    const after = (await get('/api/v1/messages', citizen)).json<{ items: Msg[] }>();
    assert.equal(after.items.filter((x) => x.link === `/citizen/applications/${appId}`).length, 3);
    fixToday('2025-04-15');
  });

  test('messages: read and unread, own only', async () => {
    const list = (await get('/api/v1/messages?unread=true', citizen)).json<{
      items: Msg[];
      unread: number;
    }>();
    assert.ok(list.unread >= 3);
    const first = list.items[0];
    assert.ok(first);
    assert.equal(
      (await post(`/api/v1/messages/${first.id}/read`, citizen, {})).json<{ updated: number }>().updated,
      1,
    );
    const again = (await get('/api/v1/messages', citizen)).json<{ items: Msg[]; unread: number }>();
    assert.equal(again.unread, list.unread - 1);
    assert.equal(again.items.find((x) => x.id === first.id)?.read, true);
    assert.equal(
      (await post(`/api/v1/messages/${first.id}/read`, employer, {})).statusCode,
      404,
      'another\u2019s message',
    );
    assert.equal((await post('/api/v1/messages/read-all', citizen, {})).statusCode, 200);
    assert.equal((await get('/api/v1/messages', citizen)).json<{ unread: number }>().unread, 0);
    assert.equal((await get('/api/v1/messages')).statusCode, 401);
  });

  test('a retirement case reports into the hall through the outbox: the person sees it and its progress', async () => {
    const opened = await post('/api/v1/retirement/cases', clerk, {
      personId: retireeId,
      scheme: 'employee_pension',
    });
    assert.equal(opened.statusCode, 201, opened.body);
    const caseId = opened.json<{ id: number }>().id;
    const retiree = await t.login('retiree');
    const mine = (await get('/api/v1/applications', retiree)).json<{ items: App[] }>();
    const a = mine.items.find((x) => x.serviceCode === 'retirement-pension');
    assert.ok(a, 'the case is an application of the person');
    assert.equal(a.status, 'submitted');
    assert.equal(a.externalLink, `/agency/retirement/${caseId}`);
    assert.equal(
      a.deadline,
      '2025-05-15',
      '20 working days (经办条例 Art. 18), across the Labour Day holiday',
    );
    const act = await post(`/api/v1/applications/${a.id}/actions`, clerk, {
      action: 'approve',
      version: a.version,
    });
    assert.equal(act.statusCode, 409, 'acted on in its own process, not in the hall');
    // Consumed once: reading again does not duplicate it.
    const again = (await get('/api/v1/applications', retiree)).json<{ items: App[] }>();
    assert.equal(again.items.filter((x) => x.serviceCode === 'retirement-pension').length, 1);
    const msgs = (await get('/api/v1/messages', retiree)).json<{ items: Msg[] }>();
    assert.ok(msgs.items.some((m) => m.link === `/citizen/applications/${a.id}`));
  });
});

describe('certificates', () => {
  let code = '';
  let pdf: Buffer = Buffer.alloc(0);

  test('the insurance certificate: a PDF with the CJK font embedded and the verification code in a header', async () => {
    const r = await get(`/api/v1/persons/${t.personId}/certificate.pdf`, citizen);
    assert.equal(r.statusCode, 200, r.body.slice(0, 300));
    assert.equal(r.headers['content-type'], 'application/pdf');
    code = String(r.headers['x-verification-code']);
    assert.match(code, /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    pdf = r.rawPayload;
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = pdf.toString('latin1');
    assert.match(text, /\/FontFile3?/, 'the font program is embedded');
    assert.match(text, /NotoSans(Mono)?CJK/, 'the CJK font');
    assert.match(text, /\/Subtype \/Image/, 'the QR code');
    assert.ok(pdf.length < 400_000, `a subset, not the whole font (${pdf.length} bytes)`);
  });

  test('verification is public and shows what it stated, masked; the exact PDF matches, a changed one does not', async () => {
    const v = await get(`/api/v1/verify/${code}`);
    assert.equal(v.statusCode, 200, v.body);
    const body = v.json<{
      valid: boolean;
      regionName: string;
      issuedOn: string;
      statement: { name: string; idNumber: string; enrolments: unknown[] };
    }>();
    assert.equal(body.valid, true);
    assert.equal(body.issuedOn, '2025-04-15');
    assert.equal(body.statement.name, '张*');
    assert.match(body.statement.idNumber, /\*{6,}/);
    const up = (b: Buffer) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/verify/${code}/pdf`,
        headers: { 'content-type': 'application/pdf' },
        payload: b,
      });
    assert.equal((await up(pdf)).json<{ pdfMatches: boolean }>().pdfMatches, true);
    const changed = Buffer.from(pdf);
    changed[Math.floor(changed.length / 2)] = (changed[Math.floor(changed.length / 2)] ?? 0) ^ 1;
    assert.equal((await up(changed)).json<{ pdfMatches: boolean }>().pdfMatches, false);
    const notFound = await get('/api/v1/verify/AAAA-BBBB-CCCC-DDDD');
    assert.equal(notFound.statusCode, 404);
  });

  test('own person or staff of the region only: anyone else gets the 404 of an unknown person', async () => {
    const far = await t.login('farclerk');
    // the employer's role issues no person's certificate: refused whatever the id
    assert.equal((await get(`/api/v1/persons/${t.personId}/certificate.pdf`, employer)).statusCode, 403);
    for (const [who, id] of [
      [citizen, retireeId],
      [far, t.personId],
    ] as const) {
      const theirs = await get(`/api/v1/persons/${id}/certificate.pdf`, who);
      const unknown = await get('/api/v1/persons/987654321/certificate.pdf', who);
      assert.equal(theirs.statusCode, 404, theirs.body);
      assert.equal(theirs.body, unknown.body);
    }
    assert.equal((await get(`/api/v1/persons/${t.personId}/certificate.pdf`)).statusCode, 401);
    const staff = await get(`/api/v1/persons/${t.personId}/certificate.pdf`, clerk);
    assert.equal(staff.statusCode, 200);
  });

  test('the record statement (权益记录单) is a verifiable PDF too', async () => {
    const r = await get(`/api/v1/persons/${t.personId}/record-statement.pdf`, citizen);
    assert.equal(r.statusCode, 200, r.body.slice(0, 300));
    const v = (await get(`/api/v1/verify/${String(r.headers['x-verification-code'])}`)).json<{
      kind: string;
    }>();
    assert.equal(v.kind, 'record');
  });
});

describe('messages from other processes', () => {
  test('bill created and payment recorded (outbox events) reach the employer once, with a link to its bills', async () => {
    const bill901 = {
      billId: 901,
      employerId: t.employerId,
      personId: null,
      region: TEST_REGION,
      period: '2025-04',
      amountFen: 1234567,
    };
    await t.ctx.db
      .insertInto('outbox')
      .values([
        { topic: 'bill.created', payload: JSON.stringify({ ...bill901, dueDate: '2025-04-30' }) },
        { topic: 'payment.recorded', payload: JSON.stringify(bill901) },
      ])
      .execute();
    const list = (await get('/api/v1/messages', employer)).json<{ items: Msg[] }>();
    const bill = list.items.find((m) => m.topic === 'bill.created');
    assert.ok(bill);
    // the month in words, as the pages show periods (the title said 缴费通知：2025-04)
    assert.equal(bill.titleZh, '缴费通知：2025年4月 应缴 ¥12,345.67');
    assert.equal(bill.titleEn, 'Contributions due for Apr 2025: ¥12,345.67');
    assert.equal(
      list.items.find((m) => m.topic === 'payment.recorded')?.titleEn,
      'Payment received: Apr 2025',
    );
    assert.equal(bill.link, '/employer/bills');
    assert.ok(list.items.some((m) => m.topic === 'payment.recorded'));
    const again = (await get('/api/v1/messages', employer)).json<{ items: Msg[] }>();
    assert.equal(again.items.filter((m) => m.topic === 'bill.created').length, 1, 'consumed once');
    const other = (await get('/api/v1/messages', citizen)).json<{ items: Msg[] }>();
    assert.ok(!other.items.some((m) => m.topic === 'bill.created'), 'not to anyone else');
  });
});

describe('access statistics', () => {
  test('uses by service and channel for the supervisor; not for citizens', async () => {
    const sup = await t.login('supervisor');
    const r = await get('/api/v1/hall/statistics', sup);
    assert.equal(r.statusCode, 200, r.body);
    const items = r.json<{
      items: Array<{ serviceCode: string; total: number; byChannel: Record<string, number> }>;
    }>().items;
    const cert = items.find((i) => i.serviceCode === 'insurance-certificate');
    assert.deepEqual(cert?.byChannel, { online: 1, counter: 1 });
    assert.equal((await get('/api/v1/hall/statistics', citizen)).statusCode, 403);
  });
});

describe('certificates in words', () => {
  // After the access statistics, which count the certificates issued above.
  const read = async (url: string) => {
    const r = await get(url, clerk);
    assert.equal(r.statusCode, 200, r.body.slice(0, 300));
    return { text: pdfText(r.rawPayload), code: String(r.headers['x-verification-code']) };
  };
  // Only the verification address may hold an ISO-looking date.
  const noIsoDate = (text: string) =>
    assert.doesNotMatch(text.replace(/\S*\/verify\/\S*/g, ''), /\d{4}-\d{2}/, text);

  test('the insurance certificate writes its days in words in both languages (they were 1990-01-01 and 2025-04-15)', async () => {
    const { text, code } = await read(`/api/v1/persons/${retireeId}/certificate.pdf`);
    for (const words of [
      '1990年1月1日\n1 Jan 1990',
      '正常参保\nactive',
      '企业职工基本养老保险\nEmployee basic pension',
      '参保情况如上表所列（截至2025年4月15日）',
      'as of 15 Apr 2025',
      '出具日期 Date：2025年4月15日 / 15 Apr 2025',
    ])
      assert.ok(text.includes(words), `${words} in\n${text}`);
    noIsoDate(text);
    // the statement behind the public page keeps the ISO day, which the page writes in words
    const v = (await get(`/api/v1/verify/${code}`)).json<{
      statement: { enrolments: Array<{ startDate: string; statusEn: string }> };
    }>();
    assert.deepEqual(
      v.statement.enrolments.map((e) => [e.startDate, e.statusEn]),
      [['1990-01-01', 'active']],
    );
  });

  test('the record statement writes its day in words and money as ¥ with separators', async () => {
    const { text } = await read(`/api/v1/persons/${retireeId}/record-statement.pdf`);
    for (const words of [
      '个人账户 Account：\n¥0.00',
      '以上为截至2025年4月15日的个人权益记录。Rights recorded as of 15 Apr 2025.',
      '出具日期 Date：2025年4月15日 / 15 Apr 2025',
    ])
      assert.ok(text.includes(words), `${words} in\n${text}`);
    noIsoDate(text);
    assert.doesNotMatch(text, /\(yuan\)|\(元\)/, 'the ¥ says it; no unit in the labels');
  });
});

describe('counter applications', () => {
  test('at the counter a clerk files for a person or employer of the region; another city\u2019s answers the 404 of an unknown id (the same body, without the id) and nothing is filed', async () => {
    const farPerson = await makePerson(t.ctx.db, { name: '合肥人', region: '340100' });
    const farEmployer = await makeEmployer(t.ctx.db, { name: '合肥公司', region: '340100' });
    const filed = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM hall_application`.execute(t.ctx.db)).rows[0]
        ?.n;
    const before = await filed();
    for (const [field, far, unknown] of [
      ['personId', farPerson.id, 987654321],
      ['employerId', farEmployer.id, 987654322],
    ] as const) {
      const theirs = await post('/api/v1/applications', clerk, {
        serviceCode: 'person-change',
        [field]: far,
      });
      const none = await post('/api/v1/applications', clerk, {
        serviceCode: 'person-change',
        [field]: unknown,
      });
      assert.equal(theirs.statusCode, 404, `${field}: ${theirs.body}`);
      assert.equal(theirs.json<Err>().error.code, 'SB_ERR_NOT_FOUND');
      assert.equal(theirs.body, none.body, `${field}: another city's reads as an unknown id`);
      assert.ok(!theirs.body.includes(String(far)) && !none.body.includes(String(unknown)), theirs.body);
      assert.ok(!theirs.body.includes('合肥'), theirs.body);
    }
    assert.equal(await filed(), before, 'nothing filed for another city');
    for (const body of [{ personId: t.personId }, { employerId: t.employerId }]) {
      const own = await post('/api/v1/applications', clerk, { serviceCode: 'person-change', ...body });
      assert.equal(own.statusCode, 201, own.body);
      assert.equal(own.json<App>().status, 'submitted');
    }
  });
});
