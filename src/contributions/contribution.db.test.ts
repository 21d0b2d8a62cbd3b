// Declarations, assessment, payments, reversals and interest against a real database (PGlite, and
// PostgreSQL in CI), checked against the pure rules and the fund journal.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeEmployer, makeEmployment, makePerson } from '../testing/factories.ts';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import { fen } from '../core/money.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { runAccountInterest } from './account-interest.job.ts';
import { computeContribution, resolveContributionRates } from './contribution.rules.ts';
import { ContributionService } from './contribution.service.ts';
import { CONTRIBUTION_CHECKS } from './ledger-checks.repository.ts';

const REGION = '341800';
const sys = systemActor('test');
let t: TestDb;
let svc: ContributionService;
let employerId: number;
const persons: Array<{ id: number; idNumber: string; name: string }> = [];

before(async () => {
  fixToday('2021-10-20');
  t = await openTestDb();
  svc = new ContributionService(t.ctx.db, t.ctx.params);
  const e = await makeEmployer(t.ctx.db, {
    credit_code: makeCreditCode(REGION, 2001),
    name: '宣城缴费测试有限公司',
    region: REGION,
    industry_class: 5,
    size: 'sme',
  });
  employerId = e.id;
  for (let i = 0; i < 6; i++) {
    const idNumber = makeIdNumber('341802', `198${i}-03-0${i + 1}`, 10 + i);
    const p = await makePerson(t.ctx.db, {
      id_number: idNumber,
      name: `测试${i}`,
      sex: i % 2 ? 'M' : 'F',
      birth_date: `198${i}-03-0${i + 1}`,
      hukou_region: '341802',
      region: REGION,
    });
    persons.push({ id: p.id, idNumber, name: `测试${i}` });
    // person 5 is not employed here
    if (i < 5)
      await makeEmployment(t.ctx.db, {
        person_id: p.id,
        employer_id: employerId,
        start_date: '2020-01-01',
        monthly_wage_fen: 600000,
      });
  }
});

after(async () => {
  fixToday(null);
  await t.close();
});

const p = (i: number) => persons[i] ?? assert.fail(`person ${i}`);

describe('declarations', () => {
  test('a CSV with bad lines writes nothing and names every bad line, field and reason', async () => {
    const bad = p(1).idNumber.slice(0, 17) + (p(1).idNumber.endsWith('0') ? '1' : '0');
    const csv = [
      'id_number,name,period,wage_fen',
      `${p(0).idNumber},${p(0).name},2021-09,650000`,
      `${bad},,2021-09,650000`,
      `${p(2).idNumber},,2021-13,650000`,
      `${p(3).idNumber},,2021-09,12.5`,
      `${p(5).idNumber},,2021-09,650000`,
      `${p(4).idNumber},,2099-01,650000`,
      `${p(0).idNumber},,2021-09,650000`,
    ].join('\n');
    const r = await svc.declareCsv(sys, employerId, csv, 'bad.csv');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.errors.map((e) => [e.line, e.field]),
      [
        [3, 'id_number'],
        [4, 'period'],
        [5, 'wage_fen'],
        [6, 'id_number'],
        [7, 'period'],
        [8, 'id_number'],
      ],
    );
    const n = await t.ctx.db
      .selectFrom('contribution_declaration')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 0);
  });

  test('the same file twice changes nothing the second time', async () => {
    const csv = [
      'id_number,name,period,wage_fen',
      ...[0, 1, 2, 3, 4].map(
        (i) => `${p(i).idNumber},${p(i).name},2021-09,${[650000, 150000, 3000000, 6216_00, 0][i]}`,
      ),
    ].join('\r\n');
    const a = await svc.declareCsv(sys, employerId, csv, 'sept.csv');
    assert.deepEqual(a.ok && [a.inserted, a.duplicateUpload], [5, false]);
    const b = await svc.declareCsv(sys, employerId, csv, 'sept.csv');
    assert.deepEqual(b.ok && [b.inserted, b.duplicateUpload], [0, true]);
    const c = await svc.declare(sys, employerId, {
      lines: [{ line: 1, personId: p(0).id, period: '2021-09', wageFen: 650000 }],
    });
    assert.deepEqual(c.ok && [c.inserted, c.unchanged], [0, 1]);
  });
});

describe('assessment', () => {
  test('bill lines equal the pure rule person by person; the bill is the sum of its lines; the waived amount is shown', async () => {
    const s = await svc.assess(sys, { region: REGION, period: '2021-09' });
    assert.equal(s.bills, 1);
    assert.equal(s.lines, 5);
    const rates = resolveContributionRates(t.ctx.params, {
      region: REGION,
      period: '2021-09',
      kind: 'employee',
      industryClass: 5,
    });
    const lines = await t.ctx.db
      .selectFrom('contribution_bill_line')
      .selectAll()
      .orderBy('person_id')
      .execute();
    let total = 0;
    for (const l of lines) {
      const decl = await t.ctx.db
        .selectFrom('contribution_declaration')
        .select('wage_fen')
        .where('person_id', '=', l.person_id)
        .executeTakeFirstOrThrow();
      const c = computeContribution(rates, fen(decl.wage_fen));
      assert.equal(l.base_fen, c.baseFen);
      assert.equal(l.pension_employer_fen, c.pension.employerFen);
      assert.equal(l.pension_employee_fen, c.pension.employeeFen);
      assert.equal(l.personal_account_fen, c.pension.personalAccountFen);
      assert.equal(l.unemployment_employer_fen, c.unemployment.employerFen);
      assert.equal(l.unemployment_employee_fen, c.unemployment.employeeFen);
      assert.equal(l.injury_fen, c.injury.employerFen);
      total += c.totalFen;
    }
    assert.equal(s.totalFen, total);
    assert.ok(s.waivedFen > 0, 'the unemployment phased cut waives part of the statutory 2% + 1%');
    // a second run finds nothing new
    const again = await svc.assess(sys, { region: REGION, period: '2021-09' });
    assert.equal(again.bills, 0);
  });

  test('a late declaration for a past month is a back-payment bill with its late fee', async () => {
    await svc.declare(sys, employerId, {
      lines: [{ line: 1, idNumber: p(0).idNumber, period: '2021-06', wageFen: 650000 }],
    });
    const s = await svc.assess(sys, { region: REGION, period: '2021-06' });
    assert.equal(s.backPayment, true);
    const bill = await t.ctx.db
      .selectFrom('contribution_bill')
      .selectAll()
      .where('assessment_id', '=', s.assessmentId)
      .executeTakeFirstOrThrow();
    const view = await svc.getBill(sys, bill.id);
    // due 2021-06-30, today 2021-10-20: 112 days
    assert.equal(view.due.lateDays, 112);
    assert.ok(view.due.lateFeeFen > 0);
  });
});

describe('payments, reversals, interest and the journal', () => {
  test('pay, reverse, pay again, cancel, interest: the sub-ledgers equal the journal throughout', async () => {
    const bills = await t.ctx.db.selectFrom('contribution_bill').selectAll().orderBy('id').execute();
    const [sept, june] = bills;
    assert.ok(sept && june);
    const due = (await svc.getBill(sys, sept.id)).due;
    assert.equal(due.lateDays, 20, 'as of 2021-10-20 the September bill is 20 days late');
    await assert.rejects(svc.pay(sys, sept.id, { amountFen: due.totalFen + 1 }), {
      code: 'SB_ERR_AMOUNT_MISMATCH',
    });
    const paid = await svc.pay(sys, sept.id, {
      amountFen: due.contributionFen,
      paidDate: '2021-09-30',
      bankRef: 'B0001',
    });
    assert.equal(paid.lateFeeFen, 0);
    const same = await svc.pay(sys, sept.id, { bankRef: 'B0001' });
    assert.equal(
      same.paymentId,
      paid.paymentId,
      'a retried payment with the same bank reference is the same payment',
    );
    let v = await verifyLedger(t.ctx.db, CONTRIBUTION_CHECKS);
    assert.ok(v.ok, JSON.stringify(v.subLedgers));
    await svc.reversePayment(sys, paid.paymentId, 'bank_return', 'bank returned');
    v = await verifyLedger(t.ctx.db, CONTRIBUTION_CHECKS);
    assert.ok(v.ok, JSON.stringify(v.subLedgers));
    const juneDue = (await svc.getBill(sys, june.id)).due;
    const receipts = [
      'bank_ref,paid_date,bill_no,amount_fen',
      `R-0001,2021-10-20,${june.id},${juneDue.totalFen}`,
      `R-0002,2021-10-20,${sept.id},1`,
    ].join('\n');
    const imp = await svc.importReceipts(sys, REGION, receipts, 'bank.csv');
    assert.ok(imp.ok);
    assert.deepEqual(imp.ok && [imp.matched, imp.unallocated], [1, 1]);
    const again = await svc.importReceipts(sys, REGION, receipts, 'bank.csv');
    assert.ok(again.ok && again.duplicateUpload);
    await svc.cancelBill(sys, sept.id, 'wrong wages');
    v = await verifyLedger(t.ctx.db, CONTRIBUTION_CHECKS);
    assert.ok(v.ok, JSON.stringify(v.subLedgers));
    fixToday('2022-01-05');
    const r1 = await runAccountInterest(t.ctx.db, t.ctx.params, sys, { year: 2021, region: REGION });
    assert.equal(r1.persons, 1);
    const r2 = await runAccountInterest(t.ctx.db, t.ctx.params, sys, { year: 2021, region: REGION });
    assert.equal(r2.persons, 0, 'a rerun credits nobody twice');
    v = await verifyLedger(t.ctx.db, CONTRIBUTION_CHECKS);
    assert.ok(v.ok, JSON.stringify(v));
    fixToday('2021-10-20');
  });
});
