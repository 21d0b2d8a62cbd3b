// The annual adjustment's chunks on several connections at once (AdjustmentOptions.workers,
// PAYROLL_WORKERS; issue #18, seventeenth pass): the same rows as one worker — the amounts with their
// arrears, the hall's events (but for the amount ids they name) and messages, the next payroll's
// payments, the job's result — also when a chunk fails and the rerun resumes. On PostgreSQL a chunk is
// held back by an uncommitted adjustment row of its first award while the other worker adjusts every
// other chunk: proof that the chunks run at once. On PGlite (one connection) one worker runs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import { consumeEvents } from '../hall/events.job.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { holdFirstChunk, seedPensioners } from '../testing/pension-fixtures.ts';
import { runAdjustment, type AdjustmentOptions } from './adjustment.job.ts';
import { PENSION_CHECKS } from './ledger-checks.repository.ts';
import { runPayroll } from './payroll.job.ts';

const REGION = '370000';
const actor = systemActor('test');
const onPostgres = (process.env['SHEBAO_TEST_DB'] ?? 'pglite') === 'postgresql';
const adjust = (t: TestDb, o: Partial<AdjustmentOptions> = {}) =>
  runAdjustment(t.ctx, actor, { region: REGION, year: 2021, chunkSize: 10, ...o });

/** 120 pensioners paid January and February (so every adjusted award has arrears). */
async function prepare(): Promise<TestDb> {
  const t = await openTestDb();
  await seedPensioners(t.ctx.db, {
    count: 120,
    region: REGION,
    startPeriod: '2020-07',
    retirementDate: '2020-06-15',
  });
  for (const p of ['2021-01', '2021-02'])
    await runPayroll(t.ctx.db, actor, { period: p, region: REGION, chunkSize: 40 });
  return t;
}

/** After the adjustment: the hall's messages and the March payroll; md5 of the rows in key order, without the ids a sequence gives. */
async function fingerprint(t: TestDb): Promise<Record<string, string>> {
  const db: Db = t.ctx.db;
  while ((await consumeEvents(t.ctx, 1000)) > 0);
  await runPayroll(db, actor, { period: '2021-03', region: REGION, chunkSize: 40 });
  const r = await sql<Record<string, string>>`
    SELECT
      (SELECT md5(string_agg(concat_ws(',', award_id, effective_period, monthly_fen, account_fen, previous_fen, components::text, created_by, arrears_fen, arrears_from_period, arrears_to_period), ';' ORDER BY award_id))
        FROM pension_amount WHERE reason = 'adjustment' AND adjustment_year = 2021) AS amounts,
      (SELECT md5(string_agg((payload - 'fromAmountId' - 'toAmountId')::text, ';' ORDER BY payload->>'fromAwardId', payload::text))
        FROM outbox WHERE topic = 'pension.adjusted') AS events,
      (SELECT count(*)::text FROM outbox o WHERE topic = 'pension.adjusted' AND (SELECT count(*) FROM pension_amount pa
          WHERE pa.id BETWEEN (o.payload->>'fromAmountId')::bigint AND (o.payload->>'toAmountId')::bigint
            AND pa.award_id BETWEEN (o.payload->>'fromAwardId')::bigint AND (o.payload->>'toAwardId')::bigint
            AND pa.reason = 'adjustment' AND pa.adjustment_year = 2021) = (o.payload->>'awards')::int) AS events_naming_their_amounts,
      (SELECT md5(string_agg(concat_ws(',', person_id, title_zh, title_en, body_zh, body_en, link), ';' ORDER BY person_id))
        FROM hall_message WHERE topic = 'pension.adjusted') AS messages,
      (SELECT md5(string_agg(concat_ws(',', award_id, period, kind, amount_fen, account_fen, offset_fen, chunk_no, arrears_through_amount_id IS NOT NULL), ';' ORDER BY award_id, kind))
        FROM pension_payment WHERE period = '2021-03') AS payments,
      (SELECT concat_ws(',', status, done, total, detail::text) FROM job_run WHERE kind = 'adjustment') AS job`.execute(
    db,
  );
  const row = r.rows[0];
  assert.ok(row);
  return row;
}

describe('adjustment with several workers', { timeout: 600_000 }, () => {
  let serial: Record<string, string>;
  before(async () => {
    fixToday('2021-04-10');
    const one = await prepare();
    try {
      assert.equal((await adjust(one, { workers: 1 })).adjusted, 120);
      serial = await fingerprint(one);
    } finally {
      await one.close();
    }
  });
  after(() => fixToday(null));

  test('two workers write exactly the rows of one; a failed chunk rolls back alone and the rerun resumes', async () => {
    for (const [k, v] of Object.entries(serial)) assert.ok(v, `${k} of the serial run`);
    assert.equal(serial['events_naming_their_amounts'], '12', 'each of 12 events names exactly its amounts');
    const two = await prepare();
    try {
      const seen: number[] = [];
      await assert.rejects(
        adjust(two, {
          workers: 2,
          onProgress: (done) => seen.push(done),
          hooks: {
            insideChunk: (n) => {
              if (n === 5) throw new Error('chunk 5 fails');
            },
          },
        }),
        /chunk 5 fails/,
      );
      const written = await sql<{ n: unknown; lo: unknown }>`
        SELECT count(*) AS n, count(*) FILTER (WHERE award_id - (SELECT min(id) FROM pension_award) BETWEEN 40 AND 49) AS lo
        FROM pension_amount WHERE reason = 'adjustment'`.execute(two.ctx.db);
      assert.equal(Number(written.rows[0]?.n), 10 * seen.length, 'the recorded chunks only');
      assert.equal(Number(written.rows[0]?.lo), 0, "chunk 5's awards rolled back");
      const r = await adjust(two, { workers: 2 });
      assert.equal(r.adjusted, 120 - 10 * seen.length, 'the rerun adjusts the rest');
      const again = await adjust(two, { workers: 2 });
      assert.equal(again.adjusted, 0);
      const fp = await fingerprint(two);
      // the job's result is the last run's (nothing adjusted); the rows are the same
      assert.deepEqual({ ...fp, job: '' }, { ...serial, job: '' });
      assert.equal((await verifyLedger(two.ctx.db, PENSION_CHECKS)).ok, true);
    } finally {
      await two.close();
    }
  });

  test('the job reports what one worker reports', async () => {
    const two = await prepare();
    try {
      await adjust(two, { workers: 2 });
      assert.deepEqual(await fingerprint(two), serial);
    } finally {
      await two.close();
    }
  });

  test(
    'PostgreSQL: the other worker adjusts every other chunk while one waits',
    { skip: !onPostgres && 'one connection on PGlite: a chunk held back would hold the only worker' },
    async () => {
      const t = await prepare();
      try {
        const db = t.ctx.db;
        // An uncommitted adjustment row of chunk 1's first award: chunk 1's insert waits on the unique
        // key until this transaction rolls back, which it does once the other eleven chunks are done.
        const held = holdFirstChunk(db, (tx, firstAwardId) =>
          sql`INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, adjustment_year, created_by)
              VALUES (${firstAwardId}, '2021-01', 1, 'adjustment', 2021, 'holder')`.execute(tx),
        );
        await adjust(t, {
          workers: 2,
          onProgress: held.onProgress,
        });
        assert.equal(await held.doneWhileHeld(), 11, 'eleven chunks done while chunk 1 was held');
        assert.deepEqual(await fingerprint(t), serial);
      } finally {
        await t.close();
      }
    },
  );
});
