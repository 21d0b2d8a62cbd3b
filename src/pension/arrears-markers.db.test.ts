// Arrears paid by inserting markers (issue #18, fifth pass; migration 2026_12_01_1260): the adjustment
// carries what it owes for the months already paid on its amount row instead of an arrears row, the
// payroll pays both sources — arrears rows (restorations, corrections, adjustments queued before the
// migration) and the amounts' arrears — in one arrears payment per award, marks each paid by a row in
// pension_arrears_paid / pension_amount_arrears_paid, and never pays a marked one again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { runAdjustment } from './adjustment.job.ts';
import { AwardService } from './award.service.ts';
import { PENSION_CHECKS } from './ledger-checks.repository.ts';
import { previewPayroll, runPayroll } from './payroll.job.ts';

const REGION = '370000';
const actor = systemActor('test');

describe('arrears paid by markers', () => {
  let t: TestDb;
  before(async () => {
    t = await openTestDb();
    await seedPensioners(t.ctx.db, {
      count: 12,
      region: REGION,
      startPeriod: '2020-07',
      retirementDate: '2020-06-15',
    });
    fixToday('2021-04-10');
    for (const p of ['2021-01', '2021-02'])
      await runPayroll(t.ctx.db, actor, { period: p, region: REGION, chunkSize: 5 });
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('the adjustment writes no arrears row; the payroll pays the amounts’ arrears with the other arrears, once', async () => {
    const db = t.ctx.db;
    const awards = await db.selectFrom('pension_award').select(['id']).orderBy('id').execute();
    const [first, second] = awards;
    assert.ok(first && second);
    // An arrears row as a restoration queues it, and one as an adjustment queued it before the migration.
    await db.transaction().execute(async (tx) => {
      const s = new AwardService(tx);
      await s.queueArrears(actor, {
        awardId: first.id,
        reason: 'restoration',
        fromPeriod: '2020-12',
        toPeriod: '2020-12',
        amountFen: 5000,
        idempotencyKey: 'test:restoration',
      });
      await s.queueArrears(actor, {
        awardId: second.id,
        reason: 'adjustment',
        fromPeriod: '2020-01',
        toPeriod: '2020-02',
        amountFen: 700,
        idempotencyKey: `adjustment:${second.id}:2020`,
      });
    });

    const adj = await runAdjustment(t.ctx, actor, { region: REGION, year: 2021, chunkSize: 5 });
    assert.equal(adj.adjusted, 12);
    assert.equal(adj.arrearsQueued, 12, 'two paid months behind every award');
    const carried = await db
      .selectFrom('pension_amount')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('arrears_fen').as('fen')])
      .where('reason', '=', 'adjustment')
      .where('arrears_fen', '>', 0)
      .where('arrears_from_period', '=', '2021-01')
      .where('arrears_to_period', '=', '2021-02')
      .executeTakeFirstOrThrow();
    assert.equal(Number(carried.n), 12);
    assert.equal(Number(carried.fen), adj.arrearsFen);
    const rows = await db.selectFrom('pension_arrears').select('idempotency_key').orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => r.idempotency_key),
      ['test:restoration', `adjustment:${second.id}:2020`],
      'no arrears row from this adjustment',
    );

    const preview = await previewPayroll(db, { period: '2021-03', region: REGION });
    assert.equal(preview.arrearsFen, adj.arrearsFen + 5000 + 700);

    const march = await runPayroll(db, actor, { period: '2021-03', region: REGION, chunkSize: 5 });
    assert.equal(march.arrearsFen, adj.arrearsFen + 5700);
    assert.equal(march.payments, 12 + 12, 'one arrears payment per award, both sources summed');
    const firstArrears = await db
      .selectFrom('pension_payment')
      .select('amount_fen')
      .where('award_id', '=', first.id)
      .where('period', '=', '2021-03')
      .where('kind', '=', 'arrears')
      .executeTakeFirstOrThrow();
    const firstCarried = await db
      .selectFrom('pension_amount')
      .select('arrears_fen')
      .where('award_id', '=', first.id)
      .where('reason', '=', 'adjustment')
      .executeTakeFirstOrThrow();
    assert.equal(firstArrears.amount_fen, firstCarried.arrears_fen + 5000);

    const marks = await sql<{ src: string; n: number; period: string }>`
      SELECT 'rows' AS src, count(*)::int AS n, min(paid_in_period) AS period FROM pension_arrears_paid
      UNION ALL SELECT 'amounts', count(*)::int, min(paid_in_period) FROM pension_amount_arrears_paid`.execute(
      db,
    );
    assert.deepEqual(
      marks.rows.map((r) => [r.src, r.n, r.period]),
      [
        ['rows', 2, '2021-03'],
        ['amounts', 12, '2021-03'],
      ],
    );
    assert.equal((await previewPayroll(db, { period: '2021-04', region: REGION })).arrearsFen, 0);

    // Rerun of the month and the next month: nothing paid twice.
    const again = await runPayroll(db, actor, { period: '2021-03', region: REGION, chunkSize: 5 });
    assert.equal(again.arrearsFen, march.arrearsFen);
    const april = await runPayroll(db, actor, { period: '2021-04', region: REGION, chunkSize: 5 });
    assert.equal(april.arrearsFen, 0);
    assert.equal(april.payments, 12);
    assert.equal((await verifyLedger(db, PENSION_CHECKS)).ok, true);
  });
});
