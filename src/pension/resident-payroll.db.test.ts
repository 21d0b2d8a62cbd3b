// Issue 11: the residents' pension is two parts and the payroll posts both. Reproduces the residents'
// fund showing more in personal accounts than the whole fund once residents' pensions were paid:
// the payroll booked every payment as expenditure out of the fund but never drew the personal-account
// part down from the accounts (3002), nor booked the basic part against the government subsidy.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { int } from '../db/values.ts';
import { FundReportService } from '../ledger/fund-report.service.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { CONTRIBUTION_CHECKS } from '../contributions/ledger-checks.repository.ts';
import { makeEnrolment, makePerson } from '../testing/factories.ts';
import { makeTestApp, TEST_REGION, type TestApp } from '../testing/test-app.ts';
import { PENSION_CHECKS } from './ledger-checks.repository.ts';
import { runPayroll } from './payroll.job.ts';
import { pensionRecord } from './person-record.repository.ts';
import { RetirementService } from './retirement.service.ts';

const sys = systemActor('test');
let t: TestApp;
let personId = 0;
let awardId = 0;

before(async () => {
  fixToday('2019-06-01');
  t = await makeTestApp();
  const p = await makePerson(t.ctx.db, {
    id_number: makeIdNumber('341802', '1961-01-15', 31),
    name: '居民乙',
    sex: 'F',
    birth_date: '1961-01-15',
    region: TEST_REGION,
    hardship_group: 'dibao',
  });
  personId = p.id;
  await makeEnrolment(t.ctx.db, {
    person_id: personId,
    scheme: 'resident_pension',
    kind: 'resident',
    region: TEST_REGION,
    start_date: '2006-01-01',
  });
  // 13 paper years before the electronic record (no account balance carried), then 2019 and 2020
  // chosen at the lowest tier, which the government pays for a dibao household (100 + 30 subsidy).
  await t.ctx.db
    .insertInto('prior_service')
    .values({
      person_id: personId,
      region: TEST_REGION,
      resident_months: 156,
      source: 'demo',
      recorded_by: 't',
    })
    .execute();
  const clerk = await t.login('clerk');
  for (const year of [2019, 2020]) {
    fixToday(`${year}-06-01`);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${personId}/resident-tier`,
      headers: clerk.headers,
      payload: { year, tierFen: 10_000 },
    });
    assert.equal(r.statusCode, 200, r.body);
  }
  fixToday('2021-03-15');
  // The 2021-02 payroll ran before the decision: that month is paid as arrears by the next payroll.
  await runPayroll(t.ctx.db, sys, { period: '2021-02', region: TEST_REGION });
  const retirement = new RetirementService(t.ctx.db, t.ctx.params);
  const opened = await retirement.openCase(sys, { personId, scheme: 'resident_pension' });
  const computed = await retirement.computeCase(sys, opened.id, { version: opened.version });
  const submitted = await retirement.submitCase(sys, opened.id, computed.version);
  const approved = await retirement.reviewCase(sys, opened.id, {
    decision: 'approve',
    version: submitted.version,
  });
  awardId = approved.awardId ?? 0;
  assert.ok(awardId > 0);
});
after(async () => {
  fixToday(null);
  await t.close();
});

test('the award keeps the split its rule computed: basic 93 yuan (national minimum 2021) + account 260 yuan ÷ 139 = 1.87 yuan', async () => {
  const amt = await t.ctx.db
    .selectFrom('pension_amount')
    .select(['monthly_fen', 'account_fen'])
    .where('award_id', '=', awardId)
    .executeTakeFirstOrThrow();
  const c = await t.ctx.db
    .selectFrom('retirement_case')
    .select(['result'])
    .where('award_id', '=', awardId)
    .executeTakeFirstOrThrow();
  const result = c.result as { basicPensionFen: number; accountPensionFen: number; totalFen: number };
  assert.equal(result.accountPensionFen, 187, '26,000 fen ÷ 139 = 187.05 → 187 fen');
  assert.equal(int(amt.account_fen), result.accountPensionFen);
  assert.equal(int(amt.monthly_fen), result.totalFen);
  assert.equal(int(amt.monthly_fen) - int(amt.account_fen), result.basicPensionFen);
});

test('the payroll draws the account part down (3002) and books the basic part as subsidy; the fund report has no warning; the ledger verifies', async () => {
  const amt = await t.ctx.db
    .selectFrom('pension_amount')
    .select(['monthly_fen', 'account_fen'])
    .where('award_id', '=', awardId)
    .executeTakeFirstOrThrow();
  const monthly = int(amt.monthly_fen);
  const account = int(amt.account_fen);
  const before = await new FundReportService(t.ctx.db, t.ctx.params).fundsReport(sys, {
    period: '2021-02',
    region: TEST_REGION,
  });
  const res0 = before.month.find((s) => s.fund === 'resident_pension');
  assert.ok(res0);
  assert.equal(res0.personalAccountFen, 26_000);
  const s = await runPayroll(t.ctx.db, sys, { period: '2021-03', region: TEST_REGION });
  assert.equal(s.payments, 2, 'the regular March payment and the February arrears');
  assert.equal(s.totalFen, 2 * monthly);
  const pays = await t.ctx.db
    .selectFrom('pension_payment')
    .select(['kind', 'amount_fen', 'account_fen'])
    .where('award_id', '=', awardId)
    .orderBy('kind')
    .execute();
  assert.deepEqual(
    pays.map((p) => [p.kind, int(p.amount_fen), int(p.account_fen)]),
    [
      ['arrears', monthly, account],
      ['regular', monthly, account],
    ],
  );
  const report = await new FundReportService(t.ctx.db, t.ctx.params).fundsReport(sys, {
    period: '2021-03',
    region: TEST_REGION,
  });
  const res = report.month.find((x) => x.fund === 'resident_pension');
  assert.ok(res);
  assert.equal(res.personalAccountFen, 26_000 - 2 * account, 'the accounts are drawn down by what they paid');
  assert.ok(res.personalAccountFen <= res.balanceFen, `${res.personalAccountFen} > ${res.balanceFen}`);
  assert.equal(res.expenditureFen, 2 * monthly);
  assert.deepEqual(report.warnings, []);
  // The basic parts were booked as subsidy income of the month.
  const subsidy = await sql<{ n: unknown }>`
    SELECT coalesce(sum(l.credit_fen), 0)::bigint AS n FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
    WHERE e.kind = 'pension_payroll' AND l.account_code = '4002'`.execute(t.ctx.db);
  assert.equal(int(subsidy.rows[0]?.n), 2 * (monthly - account));
  const v = await verifyLedger(t.ctx.db, [...CONTRIBUTION_CHECKS, ...PENSION_CHECKS]);
  assert.ok(v.ok, JSON.stringify(v.subLedgers.filter((x) => !x.ok)));
  // The person's account (as the pension capability reads it) is what is left.
  const rec = await pensionRecord(t.ctx.db, personId, '2021-03');
  assert.equal(rec.residentAccountFen, 26_000 - 2 * account);
});

test('a payroll entry whose account drawdown disagrees with the payments is named by the check', async () => {
  await sql`UPDATE pension_payment SET account_fen = account_fen + 1 WHERE award_id = ${awardId} AND kind = 'regular'`.execute(
    t.ctx.db,
  );
  const v = await verifyLedger(t.ctx.db, PENSION_CHECKS);
  assert.equal(v.ok, false);
  const diffs = v.subLedgers.flatMap((x) => x.differences).join('\n');
  assert.match(diffs, /resident_pension\/341800 3002 .*difference -1/);
  await sql`UPDATE pension_payment SET account_fen = account_fen - 1 WHERE award_id = ${awardId} AND kind = 'regular'`.execute(
    t.ctx.db,
  );
});
