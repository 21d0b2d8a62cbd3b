// The annual adjustment's message to each pensioner (issue #18, fourth pass): the adjustment reports
// one `pension.adjusted` event per chunk instead of one per award, and the hall expands it from the
// amounts the chunk wrote. What the pensioner reads must not change: the same words, the same
// recipients, once — also when an event is delivered twice.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor, type Actor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { formatMoney } from '../core/money.ts';
import { moneySql } from '../db/money-sql.ts';
import { runAdjustment } from '../pension/adjustment.job.ts';
import { PensionService } from '../pension/pension.service.ts';
import { pensionerGroups } from '../simulation/simulation.repository.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { consumeEvents } from './events.job.ts';

let t: TestApp;
const REGION = '370000';

interface Row {
  person_id: unknown;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  link: string | null;
}

const money = (f: number) => formatMoney(f);

/** The hall's messages of the topic, by person. */
const told = async (): Promise<Row[]> =>
  (
    await sql<Row>`SELECT person_id, title_zh, title_en, body_zh, body_en, link FROM hall_message
      WHERE topic = 'pension.adjusted' ORDER BY person_id, id`.execute(t.ctx.db)
  ).rows.map((r) => ({ ...r, person_id: Number(r.person_id) }));

/** The message each adjusted pensioner must read, in the words the hall has always used. */
async function expected(year: number): Promise<Row[]> {
  const r = await sql<{ person_id: unknown; monthly_fen: unknown; previous_fen: unknown }>`
    SELECT a.person_id, pa.monthly_fen, pa.previous_fen FROM pension_amount pa JOIN pension_award a ON a.id = pa.award_id
    WHERE pa.reason = 'adjustment' AND pa.adjustment_year = ${year} ORDER BY a.person_id`.execute(t.ctx.db);
  return r.rows.map((x) => {
    const now = Number(x.monthly_fen);
    const up = now - Number(x.previous_fen);
    return {
      person_id: Number(x.person_id),
      title_zh: `${year}年基本养老金已调整`,
      title_en: `Your basic pension was adjusted for ${year}`,
      body_zh: `每月增加 ${money(up)}，调整后每月 ${money(now)}。`,
      body_en: `Up ${money(up)} a month, now ${money(now)} a month.`,
      link: '/citizen/my-pension',
    };
  });
}

before(async () => {
  t = await makeTestApp();
  await seedPensioners(t.ctx.db, {
    count: 7,
    region: REGION,
    startPeriod: '2020-07',
    retirementDate: '2020-06-15',
  });
  fixToday('2021-04-10');
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('after the adjustment each pensioner adjusted is told once, in the same words, with the new amount (several chunks)', async () => {
  const r = await runAdjustment(t.ctx, systemActor('test'), { region: REGION, year: 2021, chunkSize: 3 });
  assert.equal(r.adjusted, 7);
  await consumeEvents(t.ctx);
  const want = await expected(2021);
  assert.equal(want.length, 7);
  assert.deepEqual(await told(), want);
});

test('an event delivered twice tells nobody twice: a second pass, and a redelivery after the claim is lost', async () => {
  const before = await told();
  await consumeEvents(t.ctx);
  assert.deepEqual(await told(), before, 'a second pass');
  // Redelivery: the hall's record of having consumed the events is gone (restored from an older
  // backup, a consumer that crashed between effect and claim in another design): the events are
  // handled again and must not tell anyone a second time.
  await sql`DELETE FROM hall_consumed_event WHERE outbox_id IN (SELECT id FROM outbox WHERE topic = 'pension.adjusted')`.execute(
    t.ctx.db,
  );
  await consumeEvents(t.ctx);
  assert.deepEqual(await told(), before, 'a redelivery');
});

test('the adjustment writes fewer outbox events than awards, and a rerun none', async () => {
  const events = async () =>
    Number(
      (
        await sql<{
          n: unknown;
        }>`SELECT count(*) AS n FROM outbox WHERE topic = 'pension.adjusted'`.execute(t.ctx.db)
      ).rows[0]?.n,
    );
  const n = await events();
  assert.ok(n >= 1 && n < 7, `${n} events for 7 awards`);
  await runAdjustment(t.ctx, systemActor('test'), { region: REGION, year: 2021, chunkSize: 3 });
  assert.equal(await events(), n, 'a rerun adjusts nobody and reports nothing');
});

test('an event in the former shape (one per award, written before the upgrade) still tells its pensioner', async () => {
  const p = await t.ctx.db.selectFrom('person').select('id').orderBy('id').executeTakeFirstOrThrow();
  await t.ctx.db
    .insertInto('outbox')
    .values({
      topic: 'pension.adjusted',
      payload: JSON.stringify({
        personId: p.id,
        awardId: 1,
        year: 2020,
        effectivePeriod: '2020-01',
        increaseFen: 12345,
        newMonthlyFen: 312345,
        region: REGION,
      }),
    })
    .execute();
  await consumeEvents(t.ctx);
  const mine = (await told()).filter((m) => m.person_id === Number(p.id) && m.title_zh.startsWith('2020'));
  assert.deepEqual(mine, [
    {
      person_id: Number(p.id),
      title_zh: '2020年基本养老金已调整',
      title_en: 'Your basic pension was adjusted for 2020',
      body_zh: '每月增加 ¥123.45，调整后每月 ¥3,123.45。',
      body_en: 'Up ¥123.45 a month, now ¥3,123.45 a month.',
      link: '/citizen/my-pension',
    },
  ]);
});

test('the award row is not written by the adjustment, and the pensioner’s pension shows the new amount', async () => {
  const a = await sql<{ id: unknown; person_id: unknown; version: unknown; monthly_fen: unknown }>`
    SELECT id, person_id, version, monthly_fen FROM pension_award ORDER BY id LIMIT 1`.execute(t.ctx.db);
  const award = a.rows[0]!;
  assert.equal(Number(award.version), 1, 'the adjustment left the award row as it was');
  const adjusted = await sql<{ monthly_fen: unknown; previous_fen: unknown }>`
    SELECT monthly_fen, previous_fen FROM pension_amount WHERE award_id = ${award.id} AND reason = 'adjustment'`.execute(
    t.ctx.db,
  );
  assert.equal(Number(award.monthly_fen), Number(adjusted.rows[0]?.previous_fen), 'the amount first awarded');
  const clerk: Actor = {
    userId: 0,
    username: 'clerk370',
    role: 'clerk',
    personId: null,
    employerId: null,
    region: REGION,
  };
  const view = await new PensionService(t.ctx).personPension(clerk, Number(award.person_id));
  assert.equal(view.awards[0]?.monthlyFen, Number(adjusted.rows[0]?.monthly_fen), 'the amount in force');
});

test('the simulator’s pensioner groups count the adjusted amount, as when the award row carried it', async () => {
  const groups = await pensionerGroups(t.ctx.db, REGION, '2021-04-10');
  const adjusted = await sql<{ s: unknown }>`
    SELECT sum(monthly_fen) AS s FROM pension_amount WHERE reason = 'adjustment' AND adjustment_year = 2021`.execute(
    t.ctx.db,
  );
  assert.equal(
    groups.reduce((n, g) => n + g.monthlySumFen, 0),
    Number(adjusted.rows[0]?.s),
  );
});

test('the SQL that writes the amounts in the message writes them as formatMoney does (¥3,123.45)', async () => {
  const values = [
    0, 1, 9, 10, 99, 100, 101, 12345, 300000, 123456789, 1234567890123, -1, -99, -100, -12345, -123456789,
  ];
  // In the array's order by its ordinality: a set's order is not promised without ORDER BY.
  const r = await sql<{ v: unknown; text: string }>`
    SELECT v, ${moneySql(sql`v`)} AS text FROM unnest(${`{${values.join(',')}}`}::bigint[]) WITH ORDINALITY AS u (v, n)
    ORDER BY n`.execute(t.ctx.db);
  assert.deepEqual(
    r.rows.map((x) => x.text),
    values.map((v) => formatMoney(v)),
  );
});
