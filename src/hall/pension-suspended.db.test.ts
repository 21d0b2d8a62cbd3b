// A suspended pensioner is told why (thirty-eighth pass): the pension capability reports each
// suspension (a clerk's, one per certification sweep chunk) and each restoration through the outbox,
// and the hall writes the messages — why in the reader's language (a clerk's words as written), from
// which month, what resumes it; then that it is paid again, from which month, with the back pay. Before,
// a pensioner's 消息 said nothing of either.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { CampaignService } from '../certification/campaign.service.ts';
import { fixToday } from '../core/clock.ts';
import { formatMoney } from '../core/money.ts';
import { seedMessagePensioners, toldOf } from '../testing/hall-fixtures.ts';
import { callAs } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { consumeEvents } from './events.job.ts';

let t: TestApp;
const as: Record<string, LoginResult> = {};
const call = callAs(() => t.app, as);

/** The hall's messages of a topic, by person. */
const told = (topic: string) => toldOf(t.ctx.db, topic);

let pensioners: number[] = [];

before(async () => {
  t = await makeTestApp();
  pensioners = await seedMessagePensioners(t.ctx.db, { count: 4, region: TEST_REGION });
  for (const u of ['clerk', 'reviewer', 'citizen']) as[u] = await t.login(u);
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('the certification sweep tells each pensioner it suspended why, from which month and to certify; a certification tells the back pay', async () => {
  fixToday('2021-04-10');
  const campaign = await new CampaignService(t.ctx.db).create(systemActor('test'), {
    region: TEST_REGION,
    year: 2021,
  });
  fixToday('2022-03-10');
  // chunks of two awards: one event per chunk, each pensioner told once
  const swept = await new CampaignService(t.ctx.db).sweep(systemActor('test'), campaign.id, { chunkSize: 2 });
  assert.equal(swept.suspended, pensioners.length);
  await consumeEvents(t.ctx);
  const mine = await told('pension.suspended');
  assert.deepEqual(
    mine.map((m) => m.person_id),
    pensioners,
  );
  assert.deepEqual(mine[0], {
    person_id: pensioners[0],
    title_zh: '养老金自2022年1月起暂停发放',
    title_en: 'Your pension is suspended from Jan 2022',
    body_zh: '暂停原因：未在规定期限内完成领取资格认证。完成认证后即恢复发放，暂停期间的养老金一并补发。',
    body_en:
      'Why: you were not certified as eligible by the deadline. Once you certify, payment resumes and the months held back are paid too.',
    link: '/citizen/certification',
  });
  await consumeEvents(t.ctx);
  assert.equal(
    (await told('pension.suspended')).length,
    pensioners.length,
    'a second pass tells nobody twice',
  );

  // A home visit certifies the first: paid again from March, January and February paid back.
  const first = pensioners[0] ?? 0;
  const visit = await call('clerk', 'POST', '/api/v1/certification/visits', {
    personId: first,
    visitedOn: '2022-03-10',
    outcome: 'alive',
  });
  assert.equal(visit.statusCode, 201, visit.body);
  const monthly = await sql<{ m: unknown }>`SELECT pa.monthly_fen AS m FROM pension_amount pa
    JOIN pension_award a ON a.id = pa.award_id WHERE a.person_id = ${first}`.execute(t.ctx.db);
  const back = 2 * Number(monthly.rows[0]?.m);
  await consumeEvents(t.ctx);
  assert.deepEqual(await told('pension.restored'), [
    {
      person_id: first,
      title_zh: '养老金已恢复发放',
      title_en: 'Your pension is paid again',
      body_zh: `自2022年3月起恢复按月发放。暂停期间（2022年1月至2022年2月）的养老金共 ${formatMoney(back)}，随下次发放一并补发。`,
      body_en: `Monthly payment resumes from Mar 2022. The ${formatMoney(back)} held back for Jan 2022 to Feb 2022 is paid with the next payroll.`,
      link: '/citizen/my-pension',
    },
  ]);
});

test("a clerk's suspension tells the pensioner the clerk's words as written and whom to ask; the restoration, once released, that it is paid again", async () => {
  fixToday('2022-03-10');
  const award = await sql<{ id: unknown }>`
    INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months,
      monthly_fen, created_by)
    VALUES (${t.personId}, 'employee_pension', ${TEST_REGION}, 'import', '2021-06-15', '2021-07', 300, 300000, 'test')
    RETURNING id`.execute(t.ctx.db);
  const awardId = Number(award.rows[0]?.id);
  await sql`INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, created_by)
    VALUES (${awardId}, '2021-07', 300000, 'initial', 'test')`.execute(t.ctx.db);
  const words = '本人申请暂停（出国定居）';
  const s = await call('clerk', 'POST', `/api/v1/pension/awards/${awardId}/suspend`, {
    fromPeriod: '2022-05',
    reason: words,
  });
  assert.equal(s.statusCode, 200, s.body);
  await consumeEvents(t.ctx);
  type Msg = {
    topic: string;
    titleZh: string;
    titleEn: string;
    bodyZh: string;
    bodyEn: string;
    link: string;
  };
  const inbox = async () => (await call('citizen', 'GET', '/api/v1/messages')).json<{ items: Msg[] }>().items;
  const suspended = (await inbox()).filter((m) => m.topic === 'pension.suspended');
  assert.deepEqual(suspended, [
    {
      ...suspended[0],
      titleZh: '养老金自2022年5月起暂停发放',
      titleEn: 'Your pension is suspended from May 2022',
      bodyZh: `暂停原因：经办机构说明“${words}”。如有疑问或需恢复发放，请联系参保地社会保险经办机构。`,
      // the clerk's words as they were written, in the English message too: not translated, not dropped
      bodyEn: `Why: the agency's note “${words}”. For questions, or to have payment resumed, please contact your social insurance agency.`,
      link: '/citizen/my-pension',
    },
  ]);

  const prepared = await call('clerk', 'POST', `/api/v1/pension/awards/${awardId}/restore`, {
    reason: '本人已回国',
  });
  assert.equal(prepared.statusCode, 200, prepared.body);
  await consumeEvents(t.ctx);
  assert.equal(
    (await inbox()).filter((m) => m.topic === 'pension.restored').length,
    0,
    'not told before a reviewer releases it',
  );
  const released = await call(
    'reviewer',
    'POST',
    `/api/v1/approvals/${prepared.json<{ id: number }>().id}/release`,
    {},
  );
  assert.equal(released.statusCode, 200, released.body);
  await consumeEvents(t.ctx);
  // suspended from a month not yet reached: nothing was held back, monthly payment goes on
  const restored = (await inbox()).filter((m) => m.topic === 'pension.restored');
  assert.deepEqual(
    restored.map((m) => [m.titleZh, m.bodyZh, m.bodyEn]),
    [['养老金已恢复发放', '自2022年3月起恢复按月发放。', 'Monthly payment resumes from Mar 2022.']],
  );
});

test("an event handled again after its consumption record was lost tells nobody twice: the message's key is the event's id", async () => {
  const events = await sql<{ id: unknown; topic: string }>`SELECT id, topic FROM outbox
    WHERE topic IN ('pension.suspended', 'pension.restored') ORDER BY id`.execute(t.ctx.db);
  assert.deepEqual([...new Set(events.rows.map((e) => e.topic))], ['pension.suspended', 'pension.restored']);
  const before = await sql<{ topic: string; n: unknown }>`SELECT topic, count(*) AS n FROM hall_message
    WHERE topic IN ('pension.suspended', 'pension.restored') GROUP BY topic ORDER BY topic`.execute(t.ctx.db);
  // the record of their consumption lost (a restore from before it): every event is handled again
  await sql`DELETE FROM hall_consumed_event WHERE outbox_id = ANY(${events.rows.map((e) => Number(e.id))}::bigint[])`.execute(
    t.ctx.db,
  );
  assert.equal(await consumeEvents(t.ctx), events.rows.length);
  const again = await sql<{ topic: string; n: unknown }>`SELECT topic, count(*) AS n FROM hall_message
    WHERE topic IN ('pension.suspended', 'pension.restored') GROUP BY topic ORDER BY topic`.execute(t.ctx.db);
  assert.deepEqual(again.rows, before.rows);
  const failed = await sql<{
    n: unknown;
  }>`SELECT count(*) AS n FROM hall_consumed_event WHERE error IS NOT NULL`.execute(t.ctx.db);
  assert.equal(Number(failed.rows[0]?.n), 0, 'handled, not failed on the key');
});
