// Annual adjustment (Shandong 2021: 65 yuan + banded years + 1.2%): the SQL translation equals the JS
// rule person by person, arrears for the months already paid go to the next payroll, a second run
// changes nothing. Death: payments stop from the month after, overpayment → recovery case, survivor
// benefit and inherited account on the ledger; the person.died event is consumed once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { fen } from '../core/money.ts';
import { Trace } from '../core/trace.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { runAdjustment } from './adjustment.job.ts';
import { currentAmountSql } from './pension.repository.ts';
import { DeathService } from './death.service.ts';
import { computePensionAdjustment } from './pension-adjustment.rules.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { runPayroll } from './payroll.job.ts';

const REGION = '370000';
const actor = systemActor('test');

describe('annual adjustment and death', () => {
  let t: TestDb;
  before(async () => {
    t = await openTestDb();
    await seedPensioners(t.ctx.db, {
      count: 40,
      region: REGION,
      startPeriod: '2020-07',
      retirementDate: '2020-06-15',
    });
    // one retired in 2021: not eligible for the 2021 adjustment
    await seedPensioners(t.ctx.db, {
      count: 1,
      region: REGION,
      startPeriod: '2021-02',
      retirementDate: '2021-01-10',
      offset: 1000,
    });
    fixToday('2021-04-10');
    for (const p of ['2021-01', '2021-02', '2021-03'])
      await runPayroll(t.ctx.db, actor, { period: p, region: REGION, chunkSize: 16 });
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('SQL equals the rule per person; arrears Jan–Mar queued and paid in April; twice → no change', async () => {
    const db = t.ctx.db;
    const before2021 = await db
      .selectFrom('pension_award as a')
      .innerJoin('person as p', 'p.id', 'a.person_id')
      .select(['a.id', 'a.monthly_fen', 'a.contribution_months', 'p.birth_date', 'a.retirement_date'])
      .orderBy('a.id')
      .execute();
    const r = await runAdjustment(t.ctx, actor, { region: REGION, year: 2021, chunkSize: 9 });
    assert.equal(r.adjusted, 40, 'the 2021 retiree is not adjusted');
    assert.ok(r.parameterVersions.some((v) => v.parameter === 'pension/adjustment-rules'));
    let expectedArrears = 0;
    for (const a of before2021) {
      const js = computePensionAdjustment(
        {
          region: REGION,
          year: 2021,
          monthlyPensionFen: fen(a.monthly_fen),
          contributionMonths: a.contribution_months,
          birthDate: a.birth_date,
          retirementDate: a.retirement_date,
        },
        t.ctx.params,
        new Trace(),
      );
      const row = await db
        .selectFrom('pension_amount')
        .selectAll()
        .where('award_id', '=', a.id)
        .where('reason', '=', 'adjustment')
        .executeTakeFirst();
      if (!js.eligible) {
        assert.equal(row, undefined);
        continue;
      }
      assert.ok(row, `award ${a.id} adjusted`);
      assert.equal(
        row.monthly_fen,
        js.newMonthlyPensionFen,
        `award ${a.id}: ${a.monthly_fen} fen, ${a.contribution_months} months`,
      );
      assert.deepEqual(
        row.components,
        js.components.map((c) => ({ kind: c.kind, amountFen: c.amountFen })),
      );
      assert.equal(row.effective_period, '2021-01');
      expectedArrears += 3 * js.increaseFen;
    }
    assert.equal(r.arrearsFen, expectedArrears);
    assert.equal(r.arrearsQueued, 40);

    const again = await runAdjustment(t.ctx, actor, { region: REGION, year: 2021 });
    assert.equal(again.adjusted, 0);
    assert.equal(again.arrearsFen, 0);

    const april = await runPayroll(db, actor, { period: '2021-04', region: REGION, chunkSize: 16 });
    assert.equal(april.arrearsFen, expectedArrears);
    const newTotal = await sql<{
      s: number;
    }>`SELECT sum(${currentAmountSql()})::bigint AS s FROM pension_award a`.execute(db);
    assert.equal(april.regularFen, Number(newTotal.rows[0]?.s));
  });

  test('death: stopped from the next month, overpayment recovered, survivor benefit and account on the ledger, event consumed once', async () => {
    const db = t.ctx.db;
    const a = await db
      .selectFrom('pension_award')
      .selectAll()
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    // Died in February 2021; March and April were paid.
    await db.updateTable('person').set({ death_date: '2021-02-14' }).where('id', '=', a.person_id).execute();
    await db
      .insertInto('outbox')
      .values({
        topic: 'person.died',
        payload: JSON.stringify({ personId: a.person_id, deathDate: '2021-02-14', region: REGION }),
      })
      .execute();
    const paidAfter = await sql<{
      s: number;
    }>`SELECT sum(amount_fen)::bigint AS s FROM pension_payment WHERE award_id = ${a.id} AND kind = 'regular' AND period > '2021-02'`.execute(
      db,
    );

    const ev = await new DeathService(t.ctx).processDeathEvents(actor);
    assert.equal(ev.processed, 1);
    const res = ev.results[0];
    assert.ok(res);
    assert.equal(res.stoppedFromPeriod, '2021-03');
    assert.equal(res.overpaymentFen, Number(paidAfter.rows[0]?.s));
    assert.equal(res.recoveryCaseIds.length, 1);
    // A death before 2021-09-01: the survivor-benefit rule is not in force (the province decides); the stop stands.
    assert.equal(res.survivorError?.code, 'SB_ERR_RULE_NOT_IN_FORCE');
    const award = await db
      .selectFrom('pension_award')
      .selectAll()
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    assert.equal(award.status, 'stopped');
    assert.equal(award.stop_reason, 'death');
    assert.equal((await new DeathService(t.ctx).processDeathEvents(actor)).processed, 0, 'consumed once');

    const may = await runPayroll(db, actor, { period: '2021-05', region: REGION, chunkSize: 16 });
    const paid = await db
      .selectFrom('pension_payment')
      .select('period')
      .where('award_id', '=', a.id)
      .where('period', '=', '2021-05')
      .execute();
    assert.equal(paid.length, 0, 'not paid after death');
    assert.equal(may.status, 'done');

    // Another death, with the income figure given by the clerk: survivor benefit paid.
    const b = await db
      .selectFrom('pension_award')
      .selectAll()
      .orderBy('id')
      .offset(1)
      .limit(1)
      .executeTakeFirstOrThrow();
    // (The survivor-benefit rule applies to deaths from 2021-09-01.)
    fixToday('2022-02-10');
    await db.updateTable('person').set({ death_date: '2022-01-05' }).where('id', '=', b.person_id).execute();
    const d = await db.transaction().execute((tx) =>
      new DeathService(t.ctx).processDeath(tx, actor, {
        personId: b.person_id,
        deathDate: '2022-01-05',
        source: 'manual',
        monthlyDisposableIncomeFen: 400_000,
      }),
    );
    assert.ok(d.survivorBenefit, JSON.stringify(d.survivorError));
    assert.equal(d.survivorBenefit.funeralGrantFen, 800_000, '2 × 4,000 yuan');
    assert.ok(d.survivorBenefit.survivorPensionFen >= 9 * 400_000, 'at least 9 months for a retiree');
    assert.equal(d.overpaymentFen, 0);
    const ledger = await verifyLedger(db);
    assert.equal(ledger.ok, true);
    const entry = await db
      .selectFrom('journal_entry')
      .select('id')
      .where('idempotency_key', '=', `survivor:${b.person_id}`)
      .executeTakeFirst();
    assert.ok(entry);
    const rc = await db
      .selectFrom('recovery_case')
      .selectAll()
      .where('person_id', '=', a.person_id)
      .executeTakeFirstOrThrow();
    assert.equal(rc.status, 'open');
    assert.ok(rc.journal_entry_id);
  });
});
