// The hall's outbox consumer as a background job: the hall's reads no longer write, the loop in the
// server process consumes on its own and stops cleanly, and only one pass runs at a time (across
// servers on PostgreSQL, by an advisory lock).
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { CONSUMER_LOCK, runConsumerOnce, startConsumerLoop } from './events.job.ts';

let t: TestApp;
let employer: LoginResult;

const billEvent = (billId: number) =>
  t.ctx.db
    .insertInto('outbox')
    .values({
      topic: 'bill.created',
      payload: JSON.stringify({
        billId,
        employerId: t.employerId,
        personId: null,
        region: TEST_REGION,
        period: '2025-04',
        amountFen: 100,
        dueDate: '2025-04-30',
      }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

const consumed = async (outboxId: number) =>
  (
    await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM hall_consumed_event WHERE outbox_id = ${outboxId}`.execute(t.ctx.db)
  ).rows[0]?.n === 1;

const messages = async () =>
  (await t.app.inject({ method: 'GET', url: '/api/v1/messages', headers: employer.headers })).json<{
    items: Array<{ bodyZh: string }>;
  }>().items;

before(async () => {
  t = await makeTestApp();
  employer = await t.login('employer');
});
after(() => t.close());

test('reading the messages, applications or the queue consumes nothing; a consumer pass does', async () => {
  const ev = await billEvent(501);
  assert.equal((await messages()).length, 0);
  const clerk = await t.login('clerk');
  for (const url of ['/api/v1/applications', '/api/v1/applications/queue'])
    assert.equal((await t.app.inject({ method: 'GET', url, headers: clerk.headers })).statusCode, 200);
  assert.equal(await consumed(ev.id), false, 'a read does not write');
  assert.equal(await runConsumerOnce(t.ctx), 1);
  assert.ok((await messages()).some((m) => m.bodyZh.includes('501')));
});

test('one pass at a time: a pass started while another runs is skipped', async () => {
  await billEvent(502);
  const [a, b] = await Promise.all([runConsumerOnce(t.ctx), runConsumerOnce(t.ctx)]);
  assert.deepEqual([a, b].sort(), [1, null].sort());
});

test('across servers (PostgreSQL): while another holds the advisory lock, the pass is skipped', async (s) => {
  if (t.ctx.dbKind !== 'postgresql') return s.skip('PGlite is one process');
  const ev = await billEvent(503);
  await t.ctx.db.connection().execute(async (other) => {
    await sql`SELECT pg_advisory_lock(${CONSUMER_LOCK})`.execute(other);
    try {
      assert.equal(await runConsumerOnce(t.ctx), null);
      assert.equal(await consumed(ev.id), false);
    } finally {
      await sql`SELECT pg_advisory_unlock(${CONSUMER_LOCK})`.execute(other);
    }
  });
  assert.equal(await runConsumerOnce(t.ctx), 1);
});

test('the background loop consumes on its own and stops cleanly: nothing runs after stop()', async () => {
  const job = startConsumerLoop(t.ctx, 20);
  const ev = await billEvent(504);
  for (let i = 0; i < 250 && !(await consumed(ev.id)); i++) await sleep(20);
  assert.ok(await consumed(ev.id), 'consumed by the loop within 5 s');
  await job.stop();
  const late = await billEvent(505);
  await sleep(150);
  assert.equal(await consumed(late.id), false, 'the loop is stopped');
  assert.equal(await runConsumerOnce(t.ctx), 1);
});

test('HALL_CONSUMER_INTERVAL_MS=0 turns the loop off', async () => {
  const job = startConsumerLoop(t.ctx, 0);
  const ev = await billEvent(506);
  await sleep(100);
  assert.equal(await consumed(ev.id), false);
  await job.stop();
});
