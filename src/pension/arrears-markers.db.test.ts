// Arrears paid by inserting markers (issue #18, fifth pass; migration 2026_12_01_1260): the adjustment
// carries what it owes for the months already paid on its amount row instead of an arrears row, the
// payroll pays both sources — arrears rows (restorations, corrections, adjustments queued before the
// migration) and the amounts' arrears — in one arrears payment per award, marks the arrears rows paid by
// a row in pension_arrears_paid and the amounts by the payment's arrears_through_amount_id (migration
// 2026_12_03_1480), and never pays a paid one again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import * as migration1480 from '../db/migrations/2026_12_03_1480_arrears_paid_through.ts';
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
      UNION ALL SELECT 'amounts', count(*)::int, min(pp.period) FROM pension_payment pp
        JOIN pension_amount pa ON pa.id = pp.arrears_through_amount_id AND pa.award_id = pp.award_id AND pa.arrears_fen > 0`.execute(
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

describe('the adjustments’ arrears paid up to the newest amount a payment settles', () => {
  let t: TestDb;
  before(async () => {
    t = await openTestDb();
    await seedPensioners(t.ctx.db, {
      count: 6,
      region: REGION,
      startPeriod: '2020-07',
      retirementDate: '2020-06-15',
    });
    fixToday('2021-05-10');
    for (const p of ['2021-01', '2021-02'])
      await runPayroll(t.ctx.db, actor, { period: p, region: REGION, chunkSize: 4 });
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  /** An amount row with arrears as an adjustment of `year` writes it (effective before the amount in force). */
  const carry = (year: number, fen: number): Promise<unknown> =>
    sql`INSERT INTO pension_amount (award_id, effective_period, monthly_fen, previous_fen, reason, adjustment_year, created_by,
        arrears_fen, arrears_from_period, arrears_to_period)
      SELECT a.id, ${`${year}-01`}, 1, 1, 'adjustment', ${year}::smallint, 'test', ${fen}, '2021-01', '2021-01'
      FROM pension_award a ORDER BY a.id`.execute(t.ctx.db);
  const throughs = async (): Promise<Array<[number, string, number | null]>> =>
    (
      await sql<{ award_id: number; period: string; through: number | null }>`
        SELECT award_id, period, arrears_through_amount_id AS through FROM pension_payment WHERE kind = 'arrears' ORDER BY 1, 2`.execute(
        t.ctx.db,
      )
    ).rows.map((r) => [Number(r.award_id), r.period, r.through === null ? null : Number(r.through)]);

  test('two amounts unpaid at once are paid in one payment; a later one next time; the migration carries them both ways', async () => {
    const db = t.ctx.db;
    await carry(2019, 300);
    const adj = await runAdjustment(t.ctx, actor, { region: REGION, year: 2021, chunkSize: 4 });
    assert.equal(adj.arrearsQueued, 6);
    assert.equal(
      (await previewPayroll(db, { period: '2021-03', region: REGION })).arrearsFen,
      adj.arrearsFen + 1800,
    );
    const march = await runPayroll(db, actor, { period: '2021-03', region: REGION, chunkSize: 4 });
    assert.equal(march.arrearsFen, adj.arrearsFen + 1800, 'both amounts of every award');
    assert.equal(march.payments, 12);
    // An amount with arrears written after the payment (a higher id) is unpaid, the older ones stay paid.
    await carry(2020, 400);
    assert.equal((await previewPayroll(db, { period: '2021-04', region: REGION })).arrearsFen, 2400);
    const april = await runPayroll(db, actor, { period: '2021-04', region: REGION, chunkSize: 4 });
    assert.equal(april.arrearsFen, 2400);
    const ids = await db
      .selectFrom('pension_amount')
      .select(['award_id', 'id', 'adjustment_year'])
      .where('arrears_fen', '>', 0)
      .orderBy('award_id')
      .orderBy('id')
      .execute();
    const expected = ids
      .filter((r) => r.adjustment_year !== 2019)
      .map((r): [number, string, number | null] => [
        Number(r.award_id),
        r.adjustment_year === 2021 ? '2021-03' : '2021-04',
        Number(r.id),
      ]);
    assert.deepEqual(await throughs(), expected);

    // Down: one marker per amount, in the payment that reached it first; up: the same watermarks.
    const raw = db as unknown as Kysely<unknown>;
    await migration1480.down(raw);
    const markers = await sql<{ award_id: number; amount_id: number; paid_in_period: string }>`
      SELECT award_id, amount_id, paid_in_period FROM pension_amount_arrears_paid ORDER BY 1, 2`.execute(db);
    assert.deepEqual(
      markers.rows.map((r) => [Number(r.award_id), Number(r.amount_id), r.paid_in_period]),
      ids.map((r) => [Number(r.award_id), Number(r.id), r.adjustment_year === 2020 ? '2021-04' : '2021-03']),
    );
    await migration1480.up(raw);
    assert.deepEqual(await throughs(), expected);
    const may = await runPayroll(db, actor, { period: '2021-05', region: REGION, chunkSize: 4 });
    assert.equal(may.arrearsFen, 0);
    assert.equal((await verifyLedger(db, PENSION_CHECKS)).ok, true);
  });
});
