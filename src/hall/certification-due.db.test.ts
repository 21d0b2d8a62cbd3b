// A certification campaign's message to each pensioner not yet certified (issue #18, fourteenth pass):
// the campaign reports one `certification.due` event per chunk of persons, carrying their ids, instead
// of one per person, and the hall expands it set-based. What the pensioner reads must not change: the
// same words, the same recipients, once — also when an event is delivered twice, and for events of the
// former shape still in an outbox.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { CampaignService } from '../certification/campaign.service.ts';
import { fixToday } from '../core/clock.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { seedMessagePensioners, toldOf } from '../testing/hall-fixtures.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { consumeEvents } from './events.job.ts';

let t: TestApp;
const REGION = '370000';
const PENSIONERS = 9;
const CHUNK = 3;

/** The hall's certification messages, by person. */
const told = () => toldOf(t.ctx.db, 'certification.due');

const dueEvents = async () =>
  (
    await sql<{ id: unknown; payload: Record<string, unknown> }>`
      SELECT id, payload FROM outbox WHERE topic = 'certification.due' ORDER BY id`.execute(t.ctx.db)
  ).rows.map((r) => ({
    id: Number(r.id),
    p: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
  }));

/** What the campaign wrote before issue #18's chunks: one event per person, the statement as it was. */
async function perPersonEvents(campaignId: number, year: number, deadline: string, windowStart: string) {
  await sql`INSERT INTO outbox (topic, payload)
    SELECT 'certification.due', jsonb_build_object('personId', a.person_id, 'campaignId', ${campaignId}::bigint,
      'year', ${year}::int, 'deadline', ${deadline}::text, 'region', a.region)
    FROM (SELECT DISTINCT ON (a.person_id) a.person_id, a.region FROM pension_award a
          JOIN person p ON p.id = a.person_id
          WHERE a.status = 'active' AND p.death_date IS NULL
            AND ${regionCoversSql(sql.ref('a.region'), REGION)}
            AND NOT EXISTS (SELECT 1 FROM certification x WHERE x.person_id = a.person_id
                            AND x.certified_on BETWEEN ${windowStart} AND ${deadline})
          ORDER BY a.person_id) a`.execute(t.ctx.db);
}

let persons: number[];

before(async () => {
  t = await makeTestApp();
  const all = await seedMessagePensioners(t.ctx.db, { count: PENSIONERS, region: REGION });
  assert.equal(all.length, PENSIONERS);
  // One already certified in the window and one dead: neither is told.
  await sql`INSERT INTO certification (person_id, certified_on, channel, source_ref, created_by)
    VALUES (${all[1]}, '2021-03-01', 'counter', 'test', 'test')`.execute(t.ctx.db);
  await sql`UPDATE person SET death_date = '2021-02-01' WHERE id = ${all[4]}`.execute(t.ctx.db);
  persons = all.filter((_, i) => i !== 1 && i !== 4);
  fixToday('2021-04-10');
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('a campaign over N persons writes ceil(N / chunk) events carrying their ids, and the hall tells each once', async () => {
  await new CampaignService(t.ctx.db).create(
    systemActor('test'),
    { region: REGION, year: 2021 },
    { chunkSize: CHUNK },
  );
  const events = await dueEvents();
  assert.equal(events.length, Math.ceil(persons.length / CHUNK));
  assert.deepEqual(
    events.flatMap((e) => e.p['personIds'] as number[]),
    persons,
    'every uncertified living pensioner, once, in id order',
  );
  assert.deepEqual(
    events.map((e) => e.p['persons']),
    Array.from({ length: events.length }, (_, i) => Math.min(CHUNK, persons.length - i * CHUNK)),
  );
  assert.equal(events[0]?.p['deadline'], '2021-12-31');
  await consumeEvents(t.ctx);
  const mine = await told();
  assert.deepEqual(
    mine.map((m) => m.person_id),
    persons,
  );
  assert.deepEqual(mine[0], {
    person_id: persons[0],
    title_zh: '请完成领取养老金资格认证',
    title_en: 'Please certify your pension eligibility',
    body_zh: '请于2021年12月31日前完成认证，逾期将暂停发放。',
    body_en: 'Please certify by 31 Dec 2021; payments are suspended after that.',
    link: '/citizen/certification',
  });
});

test('a campaign with nobody to tell writes no event', async () => {
  const n = (await dueEvents()).length;
  await new CampaignService(t.ctx.db).create(systemActor('test'), { region: '110000', year: 2021 });
  assert.equal((await dueEvents()).length, n);
});

test('a chunk event delivered twice tells nobody twice', async () => {
  const before = await told();
  await consumeEvents(t.ctx);
  assert.deepEqual(await told(), before, 'a second pass');
  // The hall's record of having consumed the events is gone (restored from an older backup): the
  // events are handled again and must not tell anyone a second time.
  await sql`DELETE FROM hall_consumed_event WHERE outbox_id IN (SELECT id FROM outbox WHERE topic = 'certification.due')`.execute(
    t.ctx.db,
  );
  assert.ok(
    (await consumeEvents(t.ctx)) >= Math.ceil(persons.length / CHUNK),
    'the events were handled again',
  );
  assert.deepEqual(await told(), before, 'a redelivery');
});

test('the messages are those the former event per person wrote, and events of that shape are still understood', async () => {
  const chunked = await told();
  await sql`DELETE FROM hall_message WHERE topic = 'certification.due'`.execute(t.ctx.db);
  const c = await t.ctx.db
    .selectFrom('certification_campaign')
    .select(['id', 'window_start', 'deadline'])
    .where('region', '=', REGION)
    .executeTakeFirstOrThrow();
  const n = (await dueEvents()).length;
  await perPersonEvents(c.id, 2021, c.deadline, c.window_start);
  assert.equal((await dueEvents()).length, n + persons.length);
  await consumeEvents(t.ctx);
  assert.deepEqual(await told(), chunked);
});

test('a malformed chunk event fails alone: the events of its pass are still told, one by one', async () => {
  await sql`DELETE FROM hall_message WHERE topic = 'certification.due'`.execute(t.ctx.db);
  const deadline = '2022-06-30';
  const ids = persons.slice(0, 2);
  await t.ctx.db
    .insertInto('outbox')
    .values([
      { topic: 'certification.due', payload: JSON.stringify({ deadline, personIds: ['不是编号'] }) },
      { topic: 'certification.due', payload: JSON.stringify({ deadline, personIds: ids }) },
    ])
    .execute();
  await consumeEvents(t.ctx);
  const mine = await told();
  assert.deepEqual(
    mine.map((m) => [m.person_id, m.body_zh]),
    ids.map((id) => [id, '请于2022年6月30日前完成认证，逾期将暂停发放。']),
  );
  const failed = await sql<{ error: string | null }>`
    SELECT c.error FROM hall_consumed_event c JOIN outbox o ON o.id = c.outbox_id
    WHERE o.topic = 'certification.due' AND o.payload -> 'personIds' ->> 0 = '不是编号'`.execute(t.ctx.db);
  assert.equal(failed.rows.length, 1);
  assert.ok(failed.rows[0]?.error, 'recorded with its error');
});
