// The deadline clock runs while the office owes a decision (submitted, accepted), for every kind of
// application alike: an approved one — a benefit paid month by month, a refund waiting for its
// payment — is never overdue, and shows where it stands (the stage the process reported: 发放中 /
// being paid) instead. A returned one waits for the applicant. And the stage, like the note, is the
// applicant's own: another citizen, another employer or a caller without a login cannot read it or act.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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
  deadline: string | null;
  workingDaysLeft: number | null;
  overdue: boolean;
  closedOn: string | null;
  stage: Words | null;
  note: Words | null;
  version: number;
  events: Array<{ status: string }>;
}
interface Queue {
  items: App[];
  total: number;
  overdue: number;
}

let t: TestApp;
let citizen: LoginResult;
let employer: LoginResult;
let clerk: LoginResult;

const { get, emit, consume, idOf, read } = caseStatusTools<App>(() => t);

const BENEFIT = 'unemployment_claim:7001';
const REFUND = 'refund_result:7002';
const PENDING = 'unemployment_claim:7003';
const BEING_PAID = { zh: '发放中', en: 'being paid' };
const GRANTED = { zh: '核准领取失业保险金12个月', en: 'unemployment benefit granted for 12 months' };

before(async () => {
  fixToday('2025-09-24');
  t = await makeTestApp();
  citizen = await t.login('citizen');
  employer = await t.login('employer');
  clerk = await t.login('clerk');
  const claim = (ref: string, status: string, extra: Record<string, unknown> = {}) =>
    emit({ service: 'unemployment-benefit', ref, personId: t.personId, status, actor: 'citizen', ...extra });
  await claim(BENEFIT, 'submitted');
  await claim(PENDING, 'submitted');
  await emit({
    service: 'job-stabilisation-refund',
    ref: REFUND,
    employerId: t.employerId,
    status: 'accepted',
    actor: 'refund-scan',
    note: { zh: '返还金额 ¥540.00，经复核后拨付', en: '¥540.00, paid once a reviewer releases it' },
  });
  await consume();
  // The reviewer's release: approved, paid month by month.
  await claim(BENEFIT, 'approved', { note: GRANTED, stage: BEING_PAID });
  await consume();
});

after(async () => {
  fixToday(null);
  await t.close();
});

describe('the deadline clock runs only while a decision is awaited', () => {
  test('weeks past the deadline: the claim being paid shows 发放中 and is not overdue; the one still awaiting a decision is', async () => {
    fixToday('2025-12-01');
    const paid = await read(await idOf(BENEFIT), citizen);
    assert.equal(paid.status, 'approved');
    assert.ok(paid.deadline !== null && paid.deadline < '2025-12-01', 'its deadline has passed');
    assert.equal(paid.overdue, false, 'approved: the decision was made, nothing is late');
    assert.equal(paid.workingDaysLeft, null);
    assert.deepEqual(paid.stage, BEING_PAID);
    assert.deepEqual(paid.note, GRANTED);
    const waiting = await read(await idOf(PENDING), citizen);
    assert.equal(waiting.overdue, true, 'submitted, past the deadline: overdue');
    assert.ok((waiting.workingDaysLeft ?? 0) < 0);
    assert.equal(waiting.stage, null);
  });

  test('the hall’s own applications by the same rule: approved by a clerk is not overdue, returned waits for the applicant', async () => {
    fixToday('2025-09-24');
    const services = await t.app.inject({ method: 'GET', url: '/api/v1/services' });
    const code = services
      .json<{
        items: Array<{
          code: string;
          hallHandled: boolean;
          applicants: string[];
          timeLimit: { workingDays: number | null };
        }>;
      }>()
      .items.find(
        (x) => x.hallHandled && x.applicants.includes('citizen') && (x.timeLimit.workingDays ?? 0) > 0,
      )?.code;
    assert.ok(code, 'a service the hall takes itself, with a time limit');
    const make = async () => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        headers: citizen.headers,
        payload: { serviceCode: code },
      });
      assert.ok(r.statusCode < 300, r.body);
      return r.json<App>();
    };
    const act = async (x: App, action: string, note?: string) => {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/applications/${x.id}/actions`,
        headers: clerk.headers,
        payload: { action, version: x.version, ...(note ? { note } : {}) },
      });
      assert.equal(r.statusCode, 200, r.body);
    };
    // one application awaiting a decision per service: the second is filed once the first is decided
    const approved = await make();
    await act(approved, 'approve');
    const returned = await make();
    await act(returned, 'return', '请补充材料');
    fixToday('2025-12-01');
    const a1 = await read(approved.id, citizen);
    assert.equal(a1.status, 'approved');
    assert.equal(a1.overdue, false);
    assert.equal(a1.workingDaysLeft, null);
    const a2 = await read(returned.id, citizen);
    assert.equal(a2.status, 'returned');
    assert.equal(a2.overdue, false, 'returned: the applicant’s turn, the clock restarts on resubmission');
  });

  test('the work queue counts and filters as the pages show: only what awaits a decision is overdue, and it comes first', async () => {
    fixToday('2025-12-01');
    const all = (await get('/api/v1/applications/queue?pageSize=100&sort=deadline', clerk)).json<Queue>();
    const late = all.items.filter((x) => x.overdue);
    assert.equal(all.overdue, late.length, 'the count is the rows shown overdue');
    assert.ok(!all.items.some((x) => x.status === 'approved' && x.overdue));
    assert.ok(
      all.items.some((x) => x.status === 'approved'),
      'approved and open: still in the queue',
    );
    const firstDecided = all.items.findIndex((x) => x.status === 'approved');
    assert.ok(
      late.every((x) => all.items.indexOf(x) < firstDecided),
      'overdue first',
    );
    const only = (await get('/api/v1/applications/queue?pageSize=100&overdue=true', clerk)).json<Queue>();
    assert.equal(only.total, all.overdue);
    assert.ok(only.items.every((x) => x.overdue && x.status !== 'approved'));
    assert.ok(only.total > 0, 'the claim still awaiting a decision');
  });

  test('a stage reported again (the months paid so far) is kept without a history row; the end closes it and drops the stage', async () => {
    fixToday('2025-12-01');
    const id = await idOf(BENEFIT);
    const before = await read(id, citizen);
    const twoMonths = { zh: '发放中，已发放 2 个月', en: 'being paid, 2 months paid' };
    await emit({
      service: 'unemployment-benefit',
      ref: BENEFIT,
      personId: t.personId,
      status: 'approved',
      actor: 'unemployment-payroll',
      stage: twoMonths,
    });
    await consume();
    const mid = await read(id, citizen);
    assert.deepEqual(mid.stage, twoMonths);
    assert.equal(mid.events.length, before.events.length, 'no history row for progress alone');
    assert.deepEqual(mid.note, GRANTED, 'the words stay');
    await emit({
      service: 'unemployment-benefit',
      ref: BENEFIT,
      personId: t.personId,
      status: 'completed',
      actor: 'unemployment-payroll',
      note: { zh: '失业保险金领取期满', en: 'the unemployment benefit has run its course' },
    });
    await consume();
    const done = await read(id, citizen);
    assert.equal(done.status, 'completed');
    assert.equal(done.closedOn, '2025-12-01');
    assert.equal(done.stage, null, 'ended: no longer being paid');
    assert.equal(done.overdue, false);
  });
});

describe('attacks: the stage is the applicant’s only', () => {
  test('another citizen, an employer and a caller without a login read neither the application nor its stage', async () => {
    const id = await idOf(BENEFIT);
    const other = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('341802', '1991-03-03', 41),
      name: '王五',
      sex: 'M',
      birth_date: '1991-03-03',
    });
    const mallory = await loginAsNew(t, 'mallory16', { personId: other.id });
    for (const who of [mallory, employer]) {
      const r = await get(`/api/v1/applications/${id}`, who);
      // as for an unknown id: another's id is not confirmed
      assert.equal(r.statusCode, 404, r.body);
      assert.doesNotMatch(r.body, /发放|being paid|核准|granted/);
    }
    const anon = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${id}` });
    assert.equal(anon.statusCode, 401, anon.body);
    assert.doesNotMatch(anon.body, /发放|being paid/);
    const list = await get('/api/v1/applications?pageSize=100', mallory);
    assert.doesNotMatch(list.body, /发放|being paid/);
    // nor act on it (a process's application is acted on in its process; someone else's is refused first)
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/actions`,
      headers: mallory.headers,
      payload: { action: 'withdraw', version: 1 },
    });
    assert.equal(r.statusCode, 404, r.body);
    const rival = await makeEmployer(t.ctx.db, { name: '另一有限公司' });
    const eve = await loginAsNew(t, 'eve16', { role: 'employer', employerId: rival.id });
    const refund = await get(`/api/v1/applications/${await idOf(REFUND)}`, eve);
    assert.equal(refund.statusCode, 404, refund.body);
    assert.doesNotMatch(refund.body, /540|返还/);
  });
});
