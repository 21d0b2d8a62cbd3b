// The payroll when payments of the period are already there (payChunk's two statement variants): a
// run of an overlapping region recorded before (the statement with the per-award probes), and
// payments written outside any run (the statement without them meets the primary key, falls back to a
// savepoint and runs with them). Either way: nobody paid twice, the same rows and totals as the probes
// give, the ledger balanced.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { AwardService } from './award.service.ts';
import { runPayroll } from './payroll.job.ts';

const actor = systemActor('test');
const CITY = '341800';
const PROVINCE = '340000';

describe('payroll: payments of the period already there', () => {
  let t: TestDb;
  let cityAwards: { id: number; monthly_fen: number }[];
  let otherAwards: { id: number; monthly_fen: number }[];
  before(async () => {
    fixToday('2026-03-15');
    t = await openTestDb();
    // Two prefectures of one province, their award ids interleaved in one range.
    for (let k = 0; k < 4; k++) {
      await seedPensioners(t.ctx.db, { count: 3, region: '341802', startPeriod: '2026-01', offset: k * 5 });
      await seedPensioners(t.ctx.db, {
        count: 2,
        region: '340102',
        startPeriod: '2026-01',
        offset: k * 5 + 3,
      });
    }
    const awards = await t.ctx.db
      .selectFrom('pension_award')
      .select(['id', 'monthly_fen', 'region'])
      .orderBy('id')
      .execute();
    cityAwards = awards.filter((a) => a.region === '341802');
    otherAwards = awards.filter((a) => a.region === '340102');
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  const sum = (xs: { monthly_fen: number }[]): number => xs.reduce((n, a) => n + a.monthly_fen, 0);
  const paymentsOf = async (period: string): Promise<number> => {
    const r = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pension_payment WHERE period = ${period}`.execute(t.ctx.db);
    return r.rows[0]?.n ?? -1;
  };
  const queueArrears = (awardId: number, amountFen: number, key: string): Promise<unknown> =>
    t.ctx.db.transaction().execute((tx) =>
      new AwardService(tx).queueArrears(actor, {
        awardId,
        reason: 'correction',
        fromPeriod: '2026-01',
        toPeriod: '2026-01',
        amountFen,
        idempotencyKey: key,
      }),
    );

  test("a province's run after a city's pays the rest and the city's new arrears, nobody twice", async () => {
    const db = t.ctx.db;
    const city = await runPayroll(db, actor, { period: '2026-02', region: CITY, chunkSize: 4 });
    assert.equal(city.payments, 12);
    assert.equal(city.regularFen, sum(cityAwards));
    const owed = cityAwards[1];
    assert.ok(owed);
    await queueArrears(owed.id, 777, 'test:owed');

    const province = await runPayroll(db, actor, { period: '2026-02', region: PROVINCE, chunkSize: 4 });
    assert.equal(province.status, 'done');
    assert.equal(province.payments, 8 + 1, "the other prefecture's 8 regular + the city award's arrears");
    assert.equal(province.regularFen, sum(otherAwards));
    assert.equal(province.arrearsFen, 777);
    assert.equal(await paymentsOf('2026-02'), 12 + 8 + 1);
    const ledger = await verifyLedger(db);
    assert.equal(ledger.ok, true, JSON.stringify(ledger.unbalancedEntries));
  });

  test('payments written outside any run are not paid again; an arrears payment there keeps new arrears for next month', async () => {
    const db = t.ctx.db;
    const [paid, owed] = [otherAwards[0], cityAwards[2]];
    assert.ok(paid && owed);
    await queueArrears(owed.id, 555, 'test:owed-later');
    // As the supervision demo plants them: no run, no chunk.
    await sql`INSERT INTO pension_payment (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
      VALUES (${paid.id}, '2026-03', 'regular', ${paid.monthly_fen}, 0, 0), (${owed.id}, '2026-03', 'arrears', 100, 0, 0)`.execute(
      db,
    );
    const march = await runPayroll(db, actor, { period: '2026-03', region: PROVINCE, chunkSize: 4 });
    assert.equal(march.status, 'done');
    assert.equal(march.payments, 19, 'every award but the one paid before; no arrears');
    assert.equal(march.regularFen, sum(cityAwards) + sum(otherAwards) - paid.monthly_fen);
    assert.equal(march.arrearsFen, 0);
    assert.equal(await paymentsOf('2026-03'), 19 + 2);

    const april = await runPayroll(db, actor, { period: '2026-04', region: PROVINCE, chunkSize: 4 });
    assert.equal(april.payments, 20 + 1);
    assert.equal(april.arrearsFen, 555);
    const ledger = await verifyLedger(db);
    assert.equal(ledger.ok, true, JSON.stringify(ledger.unbalancedEntries));
  });
});
