// The generic `case.status` outbox topic (docs/hall.md): any process reports the status of what a
// person or employer applied for, and the hall keeps the application, its history, deadline and
// office, and tells the applicant. Unknown service codes and malformed events are logged and
// skipped without stopping the consumer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { fixToday } from '../core/clock.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { caseStatusTools } from './case-status-support.ts';
import { consumeEvents } from './events.job.ts';
import type { Words } from '../core/bilingual.ts';

let t: TestApp;
let citizen: LoginResult;
let employer: LoginResult;
let clerk: LoginResult;

interface App {
  id: number;
  serviceCode: string;
  status: string;
  region: string;
  deadline: string | null;
  submittedOn: string;
  closedOn: string | null;
  externalLink: string | null;
  citizenLink: string | null;
  channel: string;
  events: Array<{ status: string; note: Words | null; actor: string; role: string }>;
}
interface Msg {
  topic: string;
  titleZh: string;
  bodyZh: string;
  bodyEn: string;
  link: string | null;
}

const { get, emit, idOf, read } = caseStatusTools<App>(() => t);

/** The consumer with its warnings and errors captured. */
function capturing(): { ctx: AppContext; warnings: string[] } {
  const warnings: string[] = [];
  const log = Object.create(t.ctx.log) as AppContext['log'];
  const warn = (o: { reason?: string }) => void warnings.push(o.reason ?? '');
  const error = (o: { err?: Error }) => void warnings.push(`error: ${o.err?.message ?? ''}`);
  Object.assign(log, { warn, error });
  return { ctx: { ...t.ctx, log }, warnings };
}

const byRef = async (ref: string): Promise<App> => read(await idOf(ref), clerk);

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

describe('case.status', () => {
  test('a submitted claim becomes the person’s application: catalogue limit as deadline, office = region, actor, message with a link', async () => {
    await emit({
      service: 'unemployment-benefit',
      ref: 'unemployment_claim:7',
      personId: t.personId,
      status: 'submitted',
      actor: 'citizen',
      note: '申领失业保险金',
    });
    const { ctx, warnings } = capturing();
    await consumeEvents(ctx);
    assert.deepEqual(warnings, []);
    const a = await byRef('unemployment_claim:7');
    assert.equal(a.serviceCode, 'unemployment-benefit');
    assert.equal(a.status, 'submitted');
    assert.equal(a.region, TEST_REGION, 'the office is the person’s region');
    assert.equal(a.submittedOn, '2025-09-24');
    // 10 working days from 2025-09-24 across the National Day holiday (10-01…10-08 off, 09-28 and
    // 10-11 worked): 25, 26, 28, 29, 30, 09, 10, 11, 13, 14 → 2025-10-14.
    assert.equal(a.deadline, '2025-10-14');
    assert.equal(a.events.length, 1);
    assert.equal(a.events[0]?.role, 'citizen', 'who acted: the applicant’s own login');
    assert.deepEqual(
      a.events[0]?.note,
      { zh: '申领失业保险金', en: '申领失业保险金' },
      'one language: as it is',
    );
    const mine = (await get('/api/v1/applications', citizen)).json<{ items: App[] }>();
    assert.ok(
      mine.items.some((x) => x.id === a.id),
      'in the citizen’s own list',
    );
    await consumeEvents(t.ctx);
    const msgs = (await get('/api/v1/messages', citizen)).json<{ items: Msg[] }>();
    const m = msgs.items.find((x) => x.link === `/citizen/applications/${a.id}`);
    assert.ok(m, 'the applicant is told, with a link to the application');
    assert.match(m.titleZh, /失业保险金.*已提交/);
  });

  test('a note of the former shape, one string in both languages, reaches each reader in their half', async () => {
    await emit({
      service: 'unemployment-benefit',
      ref: 'unemployment_claim:71',
      personId: t.personId,
      status: 'submitted',
      actor: 'citizen',
      note: '跨省通办：已转安徽省办理 / sent to Anhui',
    });
    await consumeEvents(t.ctx);
    const a = await byRef('unemployment_claim:71');
    await consumeEvents(t.ctx);
    const msgs = (await get('/api/v1/messages?pageSize=100', citizen)).json<{ items: Msg[] }>();
    const m = msgs.items.find((x) => x.link === `/citizen/applications/${a.id}`);
    assert.ok(m, 'the applicant is told');
    assert.match(m.bodyZh, /说明：跨省通办：已转安徽省办理$/, m.bodyZh);
    assert.match(m.bodyEn, /Note: sent to Anhui$/, m.bodyEn);
  });

  test('accepted, returned with words for the applicant, resubmitted (clock restarts), approved, completed: history, who, messages', async () => {
    const base = { service: 'unemployment-benefit', ref: 'unemployment_claim:7', personId: t.personId };
    await emit({ ...base, status: 'accepted', actor: 'clerk' });
    await emit({ ...base, status: 'returned', actor: 'clerk', note: '请补充解除劳动合同证明' });
    await consumeEvents(t.ctx);
    let a = await byRef('unemployment_claim:7');
    assert.equal(a.status, 'returned');
    fixToday('2025-10-09');
    await emit({ ...base, status: 'submitted', actor: 'citizen', note: '已补充' });
    await consumeEvents(t.ctx);
    a = await byRef('unemployment_claim:7');
    assert.equal(a.submittedOn, '2025-10-09', 'the clock restarts from the complete application');
    assert.equal(a.deadline, '2025-10-22');
    await emit({ ...base, status: 'approved', actor: 'clerk' });
    await emit({ ...base, status: 'approved', actor: 'clerk' });
    await emit({ ...base, status: 'completed', actor: 'reviewer', note: '已核定，自次月起发放' });
    await consumeEvents(t.ctx);
    a = await byRef('unemployment_claim:7');
    assert.equal(a.status, 'completed');
    assert.equal(a.closedOn, '2025-10-09');
    assert.deepEqual(
      a.events.map((e) => e.status),
      ['submitted', 'accepted', 'returned', 'submitted', 'approved', 'completed'],
      'a repeated event adds nothing',
    );
    assert.equal(a.events[2]?.actor, 'clerk');
    assert.equal(a.events[5]?.actor, 'reviewer');
    const msgs = (await get('/api/v1/messages', citizen)).json<{ items: Msg[] }>();
    const about = msgs.items.filter((m) => m.link === `/citizen/applications/${a.id}`);
    assert.ok(
      about.some((m) => m.bodyZh.includes('请补充解除劳动合同证明')),
      'the return says what is missing',
    );
    assert.ok(about.some((m) => /已办结/.test(m.titleZh)));
    fixToday('2025-09-24');
  });

  test('the citizen’s own page of the process: an event’s citizenPath becomes the application’s citizenLink; an older application without one has none until an event brings it; only a /citizen/ path is taken', async () => {
    const base = { service: 'unemployment-benefit', ref: 'unemployment_claim:41', personId: t.personId };
    await emit({ ...base, status: 'submitted', actor: 'citizen' });
    await consumeEvents(t.ctx);
    const asCitizen = async (ref: string) => {
      const id = (await byRef(ref)).id;
      const r = await get(`/api/v1/applications/${id}`, citizen);
      assert.equal(r.statusCode, 200, r.body);
      return r.json<App>();
    };
    assert.equal(
      (await asCitizen(base.ref)).citizenLink,
      null,
      'an event without it: none (as rows before it)',
    );
    await emit({ ...base, status: 'accepted', actor: 'clerk', citizenPath: '/citizen/unemployment' });
    await consumeEvents(t.ctx);
    assert.equal((await asCitizen(base.ref)).citizenLink, '/citizen/unemployment');
    await emit({ ...base, status: 'completed', actor: 'clerk' });
    await consumeEvents(t.ctx);
    assert.equal((await asCitizen(base.ref)).citizenLink, '/citizen/unemployment', 'kept by later events');
    let n = 50;
    for (const bad of [
      '//evil.example/x',
      'https://evil.example/',
      '/agency/transfers/1',
      '/citizen/../agency',
      'citizen/x',
    ]) {
      const ref = `unemployment_claim:${n++}`;
      await emit({ ...base, ref, status: 'submitted', actor: 'citizen', citizenPath: bad });
      await consumeEvents(t.ctx);
      assert.equal((await asCitizen(ref)).citizenLink, null, bad);
    }
  });

  test('an employer’s case, the reported region as the office, the process’s page as the link', async () => {
    await emit({
      service: 'job-stabilisation-refund',
      ref: 'stabilisation_refund:3',
      employerId: t.employerId,
      status: 'approved',
      actor: 'wenbu-job',
      regionCode: '341802',
      link: '/agency/job-stabilisation/3',
    });
    await consumeEvents(t.ctx);
    const a = await byRef('stabilisation_refund:3');
    assert.equal(a.region, '341802');
    assert.equal(a.deadline, null, 'no published limit, no clock');
    assert.equal(a.externalLink, '/agency/job-stabilisation/3');
    assert.equal(a.events[0]?.role, 'system', 'a process, not a login');
    const msgs = (await get('/api/v1/messages', employer)).json<{ items: Msg[] }>();
    assert.ok(msgs.items.some((m) => m.link === `/employer/applications/${a.id}`));
    const own = (await get('/api/v1/applications', employer)).json<{ items: App[] }>();
    assert.ok(own.items.some((x) => x.id === a.id));
    const cit = (await get('/api/v1/applications', citizen)).json<{ items: App[] }>();
    assert.ok(!cit.items.some((x) => x.id === a.id), 'not the citizen’s');
  });

  test('unknown service codes and malformed events are logged and skipped; the events after them are handled', async () => {
    await emit({
      service: 'no-such-service',
      ref: 'x:1',
      personId: t.personId,
      status: 'submitted',
      actor: 'a',
    });
    await emit({ service: 'injury-recognition', ref: 'injury_report:1', status: 'submitted', actor: 'a' });
    await emit({
      service: 'injury-recognition',
      ref: 'injury_report:2',
      personId: t.personId,
      status: 'lost',
      actor: 'a',
    });
    await emit({
      service: 'injury-recognition',
      ref: 'injury_report:3',
      personId: 99999999,
      status: 'submitted',
      actor: 'a',
    });
    await emit({
      service: 'injury-recognition',
      ref: 'stabilisation_refund:3',
      personId: t.personId,
      status: 'submitted',
      actor: 'a',
    });
    const bad = await emit({ service: 'injury-recognition' }, 'case.status');
    await t.ctx.db
      .updateTable('outbox')
      .set({ payload: '"not an object"' })
      .where('id', '=', bad.id)
      .execute();
    await emit({
      service: 'injury-recognition',
      ref: 'injury_report:4',
      personId: t.personId,
      status: 'submitted',
      actor: 'clerk',
    });
    const { ctx, warnings } = capturing();
    await consumeEvents(ctx);
    assert.ok(
      warnings.some((w) => w.includes('unknown service code "no-such-service"')),
      warnings.join('\n'),
    );
    assert.ok(warnings.some((w) => w.includes('neither personId nor employerId')));
    assert.ok(warnings.some((w) => w.includes('unknown status "lost"')));
    assert.ok(warnings.some((w) => w.includes('no person 99999999')));
    assert.ok(warnings.some((w) => w.includes('belongs to service job-stabilisation-refund')));
    const a = await byRef('injury_report:4');
    assert.equal(a.status, 'submitted', 'the good event after the bad ones');
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox o
      WHERE o.topic = 'case.status' AND NOT EXISTS (SELECT 1 FROM hall_consumed_event c WHERE c.outbox_id = o.id)`.execute(
      t.ctx.db,
    );
    assert.equal(left.rows[0]?.n, 0, 'every event marked consumed, none retried forever');
  });
});
