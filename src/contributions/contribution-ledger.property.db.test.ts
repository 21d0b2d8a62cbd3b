// Property: any sequence of declarations, assessments, payments (API and bank receipts), payment
// reversals, bill cancellations and interest postings leaves every journal entry balanced, the
// accounting equation true, and the contribution sub-ledgers equal to the journal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeEmployer, makeEmployment, makePerson } from '../testing/factories.ts';
import fc from 'fast-check';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { runAccountInterest } from './account-interest.job.ts';
import { ContributionService } from './contribution.service.ts';
import { CONTRIBUTION_CHECKS } from './ledger-checks.repository.ts';

const REGION = '341800';
const sys = systemActor('property');
let t: TestDb;
let svc: ContributionService;
let employerId: number;
const personIds: number[] = [];
const PERIODS = ['2021-10', '2021-11', '2021-12'];

before(async () => {
  fixToday('2022-02-10');
  t = await openTestDb();
  svc = new ContributionService(t.ctx.db, t.ctx.params);
  const e = await makeEmployer(t.ctx.db, {
    credit_code: makeCreditCode(REGION, 3001),
    name: '性质测试单位',
    region: REGION,
    industry_class: 3,
    size: 'sme',
  });
  employerId = e.id;
  for (let i = 0; i < 4; i++) {
    const p = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('341802', `197${i}-05-1${i}`, 30 + i),
      name: `性质${i}`,
      sex: i % 2 ? 'M' : 'F',
      birth_date: `197${i}-05-1${i}`,
      hukou_region: '341802',
      region: REGION,
    });
    personIds.push(p.id);
    await makeEmployment(t.ctx.db, {
      person_id: p.id,
      employer_id: employerId,
      start_date: '2021-01-01',
      monthly_wage_fen: 500000,
    });
  }
});

after(async () => {
  fixToday(null);
  await t.close();
});

type Op =
  | { op: 'declare'; person: number; period: number; wage: number }
  | { op: 'assess'; period: number }
  | { op: 'pay'; pick: number; late: number }
  | { op: 'receipt'; pick: number; off: number }
  | { op: 'reverse'; pick: number }
  | { op: 'cancel'; pick: number }
  | { op: 'interest' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('declare' as const),
    person: fc.nat(3),
    period: fc.nat(2),
    wage: fc.integer({ min: 0, max: 4_000_000 }),
  }),
  fc.record({ op: fc.constant('assess' as const), period: fc.nat(2) }),
  fc.record({ op: fc.constant('pay' as const), pick: fc.nat(50), late: fc.nat(40) }),
  fc.record({ op: fc.constant('receipt' as const), pick: fc.nat(50), off: fc.integer({ min: -2, max: 2 }) }),
  fc.record({ op: fc.constant('reverse' as const), pick: fc.nat(50) }),
  fc.record({ op: fc.constant('cancel' as const), pick: fc.nat(50) }),
  fc.constant({ op: 'interest' as const }),
);

let ref = 0;
async function apply(o: Op): Promise<void> {
  const pick = async <T>(rows: T[], i: number): Promise<T | undefined> => rows[i % Math.max(1, rows.length)];
  switch (o.op) {
    case 'declare':
      await svc.declare(sys, employerId, {
        lines: [
          {
            line: 1,
            personId: personIds[o.person] ?? 0,
            period: PERIODS[o.period] ?? '2021-10',
            wageFen: o.wage,
          },
        ],
      });
      return;
    case 'assess':
      await svc.assess(sys, { region: REGION, period: PERIODS[o.period] ?? '2021-10' });
      return;
    case 'pay': {
      const b = await pick(
        await t.ctx.db
          .selectFrom('contribution_bill')
          .select(['id', 'due_date'])
          .where('status', '=', 'open')
          .orderBy('id')
          .execute(),
        o.pick,
      );
      if (!b) return;
      const d = new Date(`${b.due_date}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + o.late);
      const paidDate =
        d.toISOString().slice(0, 10) > '2022-02-10' ? '2022-02-10' : d.toISOString().slice(0, 10);
      await svc.pay(sys, b.id, { paidDate });
      return;
    }
    case 'receipt': {
      const b = await pick(
        await t.ctx.db.selectFrom('contribution_bill').select(['id', 'status']).orderBy('id').execute(),
        o.pick,
      );
      if (!b) return;
      const due = (await svc.getBill(sys, b.id)).due.totalFen;
      ref++;
      await svc.importReceipts(
        sys,
        REGION,
        `bank_ref,paid_date,bill_no,amount_fen\nP${String(ref).padStart(6, '0')},2022-02-10,${b.id},${Math.max(1, due + o.off)}\n`,
        null,
      );
      return;
    }
    case 'reverse': {
      const p = await pick(
        await t.ctx.db
          .selectFrom('contribution_payment')
          .select('id')
          .where('status', '<>', 'reversed')
          .orderBy('id')
          .execute(),
        o.pick,
      );
      if (p) await svc.reversePayment(sys, p.id, 'bank_return', 'property test');
      return;
    }
    case 'cancel': {
      const b = await pick(
        await t.ctx.db
          .selectFrom('contribution_bill')
          .select('id')
          .where('status', '=', 'open')
          .orderBy('id')
          .execute(),
        o.pick,
      );
      if (b) await svc.cancelBill(sys, b.id, 'property test');
      return;
    }
    case 'interest':
      await t.ctx.db.deleteFrom('job_run').where('kind', '=', 'account-interest').execute();
      await runAccountInterest(t.ctx.db, t.ctx.params, sys, { year: 2021, region: REGION });
      return;
  }
}

test('every sequence of contribution events keeps the books balanced and the sub-ledgers equal to the journal', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
      for (const o of ops) await apply(o);
      const v = await verifyLedger(t.ctx.db, CONTRIBUTION_CHECKS);
      assert.deepEqual(v.unbalancedEntries, []);
      assert.deepEqual(v.equationDifferences, []);
      for (const s of v.subLedgers) assert.deepEqual(s.differences, [], s.name);
    }),
    { numRuns: 12, seed: 20211231 },
  );
});
