// The payroll's chunks on several connections at once (PayrollOptions.workers, PAYROLL_WORKERS; issue
// #18, fourteenth pass): the same rows as one worker — payments, arrears markers, ledger entries with
// their idempotency keys, chunk rows, the run's totals — the completion audited once, the ledger checks
// passing. On PostgreSQL a chunk is held back by an uncommitted payment of its first award while the
// other workers pay every other chunk: proof that the chunks run at once, and that the run is closed
// by the chunk that finds all the others done, whichever it is. On PGlite (one connection) the workers
// take turns; the rows are the same.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { holdFirstChunk, seedPensioners } from '../testing/pension-fixtures.ts';
import { runAdjustment } from './adjustment.job.ts';
import { AwardService } from './award.service.ts';
import { PENSION_CHECKS } from './ledger-checks.repository.ts';
import { runPayroll } from './payroll.job.ts';

const REGION = '370000';
const actor = systemActor('test');
const onPostgres = (process.env['SHEBAO_TEST_DB'] ?? 'pglite') === 'postgresql';

/** 120 pensioners paid January and February, arrears rows for three, the 2021 adjustment (arrears on its amounts). */
async function prepare(t: TestDb): Promise<void> {
  const db = t.ctx.db;
  await seedPensioners(db, {
    count: 120,
    region: REGION,
    startPeriod: '2020-07',
    retirementDate: '2020-06-15',
  });
  for (const p of ['2021-01', '2021-02'])
    await runPayroll(db, actor, { period: p, region: REGION, chunkSize: 40 });
  const awards = await db.selectFrom('pension_award').select('id').orderBy('id').execute();
  await db.transaction().execute(async (tx) => {
    for (const [i, a] of [awards[3], awards[57], awards[111]].entries()) {
      assert.ok(a);
      await new AwardService(tx).queueArrears(actor, {
        awardId: a.id,
        reason: 'restoration',
        fromPeriod: '2020-12',
        toPeriod: '2020-12',
        amountFen: 1000 * (i + 1),
        idempotencyKey: `workers:${a.id}`,
      });
    }
  });
  const adj = await runAdjustment(t.ctx, actor, { region: REGION, year: 2021, chunkSize: 50 });
  assert.equal(adj.adjusted, 120);
}

/** md5 of each table's rows of the March payroll in key order, without the ids a sequence gives. */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const r = await sql<Record<string, string>>`
    SELECT
      (SELECT md5(string_agg(concat_ws(',', award_id, period, kind, amount_fen, account_fen, offset_fen, payroll_run_id, chunk_no, arrears_through_amount_id), ';' ORDER BY award_id, kind))
        FROM pension_payment WHERE period = '2021-03') AS payments,
      (SELECT md5(string_agg(concat_ws(',', award_id, arrears_id, paid_in_period, payroll_run_id), ';' ORDER BY award_id, arrears_id))
        FROM pension_arrears_paid WHERE paid_in_period = '2021-03') AS markers,
      (SELECT md5(string_agg(concat_ws(',', e.idempotency_key, e.fund, e.region, e.period, e.entry_date, e.kind, e.description, e.source_type, e.source_id, l.line_no, l.account_code, l.debit_fen, l.credit_fen), ';' ORDER BY e.idempotency_key, l.line_no))
        FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id WHERE e.kind = 'pension_payroll' AND e.period = '2021-03') AS ledger,
      (SELECT md5(string_agg(concat_ws(',', c.run_id, c.chunk_no, c.from_award_id, c.to_award_id, c.payments, c.regular_fen, c.arrears_fen, c.total_fen), ';' ORDER BY c.chunk_no))
        FROM payroll_chunk c JOIN payroll_run r ON r.id = c.run_id WHERE r.period = '2021-03') AS chunks,
      (SELECT concat_ws(',', id, status, chunks_done, chunks_total, payments, regular_fen, arrears_fen, total_fen, finished_at IS NOT NULL)
        FROM payroll_run WHERE period = '2021-03') AS run,
      (SELECT count(*)::text FROM audit_log WHERE action = 'payroll.complete' AND after->>'period' = '2021-03') AS completions`.execute(
    db,
  );
  const row = r.rows[0];
  assert.ok(row);
  return row;
}

describe('payroll with several workers', { timeout: 600_000 }, () => {
  let one: TestDb;
  let three: TestDb;
  let serial: Record<string, string>;
  before(async () => {
    fixToday('2021-04-10');
    one = await openTestDb();
    three = await openTestDb();
    await prepare(one);
    await prepare(three);
    await runPayroll(one.ctx.db, actor, { period: '2021-03', region: REGION, chunkSize: 10, workers: 1 });
    serial = await fingerprint(one.ctx.db);
  });
  after(async () => {
    fixToday(null);
    await one.close();
    await three.close();
  });

  test('three workers write exactly the rows of one; the completion is audited once; the ledger checks pass', async () => {
    for (const [table, digest] of Object.entries(serial)) assert.ok(digest, `${table}: rows of 2021-03`);
    assert.equal(serial['completions'], '1');
    assert.match(serial['run'] ?? '', /,done,12,12,240,/, 'a regular and an arrears payment for each of 120');
    const seen: number[] = [];
    const s = await runPayroll(three.ctx.db, actor, {
      period: '2021-03',
      region: REGION,
      chunkSize: 10,
      workers: 3,
      onProgress: (done) => seen.push(done),
    });
    assert.equal(s.status, 'done');
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(await fingerprint(three.ctx.db), serial);
    for (const db of [one.ctx.db, three.ctx.db]) {
      const ledger = await verifyLedger(db, PENSION_CHECKS);
      assert.equal(ledger.ok, true, JSON.stringify(ledger));
    }
    // a rerun of the done run (with workers) runs nothing and changes nothing
    await runPayroll(three.ctx.db, actor, { period: '2021-03', region: REGION, chunkSize: 10, workers: 3 });
    assert.deepEqual(await fingerprint(three.ctx.db), serial);
  });

  test(
    'PostgreSQL: the other workers pay every other chunk while one waits; the waiting one closes the run',
    { skip: !onPostgres && 'one connection on PGlite: a chunk held back would hold every worker' },
    async () => {
      const t = await openTestDb();
      try {
        await prepare(t);
        const db = t.ctx.db;
        // An uncommitted payment of chunk 1's first award: chunk 1's insert waits on its key until this
        // transaction rolls back, which it does only once the other eleven chunks are recorded.
        const held = holdFirstChunk(db, (tx, firstAwardId) =>
          sql`INSERT INTO pension_payment (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
              VALUES (${firstAwardId}, '2021-03', 'regular', 1, 0, 0)`.execute(tx),
        );
        const s = await runPayroll(db, actor, {
          period: '2021-03',
          region: REGION,
          chunkSize: 10,
          workers: 2,
          onProgress: held.onProgress,
        });
        // chunk 1 was recorded last, so it closed the run: done, audited once, the same rows
        assert.equal(await held.doneWhileHeld(), 11, 'eleven chunks recorded while chunk 1 was held');
        assert.equal(s.status, 'done');
        assert.deepEqual(await fingerprint(db), serial);
        assert.equal((await verifyLedger(db, PENSION_CHECKS)).ok, true);
      } finally {
        await t.close();
      }
    },
  );
});
