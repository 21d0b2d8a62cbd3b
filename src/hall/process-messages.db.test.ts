// The messages the other processes cause arrive, each linking to a page of the web app: the annual
// pension adjustment, a certification campaign (certification due), a card blocked, a bill created
// (bill due) and a bill overdue (arrears). The processes write outbox rows in their own
// transactions; the hall's consumer turns them into messages (in bulk for the set-based ones).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { hashPassword } from '../auth/password.ts';
import { CampaignService } from '../certification/campaign.service.ts';
import { fixToday, onDay } from '../core/clock.ts';
import { runAdjustment } from '../pension/adjustment.job.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { formatMoney } from '../core/money.ts';
import { consumeEvents, remindArrears, runConsumerOnce } from './events.job.ts';

let t: TestApp;
let pensioner: LoginResult;
let citizen: LoginResult;
let employer: LoginResult;
let pensionerId: number;
const REGION = '370000';

interface Msg {
  id: number;
  topic: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  link: string | null;
}
const messages = async (who: LoginResult, topic: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/v1/messages?pageSize=100', headers: who.headers }))
    .json<{ items: Msg[] }>()
    .items.filter((m) => m.topic === topic);

before(async () => {
  t = await makeTestApp();
  await seedPensioners(t.ctx.db, {
    count: 5,
    region: REGION,
    startPeriod: '2020-07',
    retirementDate: '2020-06-15',
  });
  const p = await t.ctx.db
    .selectFrom('pension_award')
    .select('person_id')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  pensionerId = p.person_id;
  await t.ctx.db
    .insertInto('app_user')
    .values({
      username: 'pensioner',
      display_name: '退休人员',
      password_hash: await hashPassword(t.password),
      role: 'citizen',
      person_id: pensionerId,
      employer_id: null,
      region: null,
    })
    .execute();
  pensioner = await t.login('pensioner');
  citizen = await t.login('citizen');
  employer = await t.login('employer');
  fixToday('2021-04-10');
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('the annual adjustment tells every pensioner adjusted, with the new amount, linking to their pension page', async () => {
  const r = await runAdjustment(t.ctx, systemActor('test'), { region: REGION, year: 2021 });
  assert.equal(r.adjusted, 5);
  await consumeEvents(t.ctx);
  const mine = await messages(pensioner, 'pension.adjusted');
  assert.equal(mine.length, 1);
  assert.equal(mine[0]?.link, '/citizen/my-pension');
  // the new amount: the award's latest amount (the award row keeps the amount first awarded)
  const award = await t.ctx.db
    .selectFrom('pension_amount as pa')
    .innerJoin('pension_award as a', 'a.id', 'pa.award_id')
    .select('pa.monthly_fen')
    .where('a.person_id', '=', pensionerId)
    .orderBy('pa.effective_period', 'desc')
    .orderBy('pa.id', 'desc')
    .executeTakeFirstOrThrow();
  const f = Number(award.monthly_fen);
  assert.ok(mine[0]?.bodyZh.includes(`调整后每月 ${formatMoney(f)}`), mine[0]?.bodyZh);
  const all = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM hall_message WHERE topic = 'pension.adjusted'`.execute(t.ctx.db);
  assert.equal(all.rows[0]?.n, 5, 'one per pensioner adjusted');
  await runAdjustment(t.ctx, systemActor('test'), { region: REGION, year: 2021 });
  await consumeEvents(t.ctx);
  assert.equal(
    (await messages(pensioner, 'pension.adjusted')).length,
    1,
    'a rerun adjusts nobody and tells nobody',
  );
});

test('a certification campaign tells each pensioner not yet certified, with the deadline, linking to the certification page', async () => {
  await new CampaignService(t.ctx.db).create(systemActor('test'), { region: REGION, year: 2021 });
  await consumeEvents(t.ctx);
  const mine = await messages(pensioner, 'certification.due');
  assert.equal(mine.length, 1);
  assert.equal(mine[0]?.link, '/citizen/certification');
  // the deadline in words, as the pages show dates (the message said 请于 2021-12-31 前)
  assert.match(mine[0]?.bodyZh ?? '', /请于2021年12月31日前完成认证/);
  assert.equal(
    (await messages(citizen, 'certification.due')).length,
    0,
    'not to someone who draws no pension',
  );
});

test('a card reported lost tells its holder, linking to the card page', async () => {
  const card = await t.ctx.db
    .insertInto('card')
    .values({
      person_id: t.personId,
      region: TEST_REGION,
      card_no: 'A00000001',
      card_ref: 'a'.repeat(32),
      chip_id: 'b'.repeat(32),
      status: 'activated',
      applied_via: 'person',
      batch_id: null,
      replaces_card_id: null,
      loss_until: null,
      bank_name: null,
      bank_account: null,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/cards/${card.id}/loss`,
    headers: citizen.headers,
    payload: {},
  });
  assert.equal(r.statusCode, 200, r.body);
  await consumeEvents(t.ctx);
  const mine = await messages(citizen, 'card.blocked');
  assert.equal(mine.length, 1);
  assert.equal(mine[0]?.link, '/citizen/card');
  assert.match(mine[0]?.titleZh ?? '', /临时挂失/);
  assert.match(mine[0]?.bodyZh ?? '', /^社保卡已暂停使用至\d{4}年\d{1,2}月\d{1,2}日，/);
});

test('bill due (a new bill) and arrears (overdue, once per bill) reach the payer, linking to their bill page, dated by the app’s clock', async () => {
  const bill = async (v: {
    employerId?: number;
    personId?: number;
    kind: 'employer' | 'flexible';
    due: string;
  }) =>
    (
      await t.ctx.db
        .insertInto('contribution_bill')
        .values({
          assessment_id: null,
          region: TEST_REGION,
          period: '2021-03',
          payer_kind: v.kind,
          employer_id: v.employerId ?? null,
          person_id: v.personId ?? null,
          due_date: v.due,
          lines: 1,
          total_fen: 123456,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const overdue = await bill({ employerId: t.employerId, kind: 'employer', due: '2021-03-31' });
  await bill({ employerId: t.employerId, kind: 'employer', due: '2021-04-30' });
  const flex = await bill({ personId: t.personId, kind: 'flexible', due: '2021-03-31' });
  await t.ctx.db
    .insertInto('outbox')
    .values({
      topic: 'bill.created',
      payload: JSON.stringify({
        billId: flex,
        personId: t.personId,
        employerId: null,
        period: '2021-03',
        amountFen: 123456,
        dueDate: '2021-03-31',
      }),
    })
    .execute();
  // the consumer on a moved clock (the demo seed's past days): the messages read its time, not the database's
  assert.equal(
    await onDay('2021-04-10', () => runConsumerOnce(t.ctx), '10:00'),
    3,
    'the bill.created event and two arrears notices',
  );
  const stamps = await sql<{ topic: string; at: string }>`
    SELECT DISTINCT topic, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS at FROM hall_message
    WHERE topic IN ('bill.created', 'bill.arrears') ORDER BY topic`.execute(t.ctx.db);
  assert.deepEqual(stamps.rows, [
    { topic: 'bill.arrears', at: '2021-04-10T02:00' },
    { topic: 'bill.created', at: '2021-04-10T02:00' },
  ]);
  const due = await messages(citizen, 'bill.created');
  assert.equal(due[0]?.link, '/citizen/flexible-contributions');
  assert.match(due[0]?.bodyZh ?? '', /请于2021年3月31日前缴纳/);
  const arrears = await messages(employer, 'bill.arrears');
  assert.equal(arrears.length, 1, 'only the overdue bill');
  assert.match(
    arrears[0]?.bodyZh ?? '',
    new RegExp(`账单编号 ${overdue}（¥1,234\\.56）已于2021年3月31日到期`),
  );
  assert.equal(arrears[0]?.titleZh, '欠费提醒：2021年3月账单已逾期', 'the month in words, not 2021-03');
  assert.equal(arrears[0]?.titleEn, 'Arrears: the bill for Mar 2021 is overdue');
  assert.equal(arrears[0]?.link, '/employer/bills');
  assert.equal((await messages(citizen, 'bill.arrears'))[0]?.link, '/citizen/flexible-contributions');
  assert.equal(await remindArrears(t.ctx), 0, 'told once per bill');
});

test('every link a message carries is a page of the web app', async () => {
  const pages = readFileSync(join(import.meta.dirname, '..', '..', 'web', 'src', 'pages.tsx'), 'utf8');
  const paths = [...pages.matchAll(/path: '([^']+)'/g)].map((m) => m[1] ?? '');
  const patterns = paths.map((p) => new RegExp(`^${p.replace(/:\w+/g, '[^/]+')}$`));
  const links = await sql<{
    link: string;
  }>`SELECT DISTINCT link FROM hall_message WHERE link IS NOT NULL`.execute(t.ctx.db);
  assert.ok(links.rows.length >= 5);
  for (const { link } of links.rows)
    assert.ok(
      patterns.some((re) => re.test(link)),
      `${link} is not a page`,
    );
});
