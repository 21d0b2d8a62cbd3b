// The funds report's figures hang together: a fund's personal accounts are part of its balance, so
// they never exceed it. Reproduces the residents' fund showing more in personal accounts than in
// the whole fund once year-end interest was credited without the interest the fund earned.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeEnrolment, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { runAccountInterest } from './account-interest.job.ts';
import { ContributionService } from './contribution.service.ts';
import { FundReportService } from '../ledger/fund-report.service.ts';
import { CONTRIBUTION_CHECKS } from './ledger-checks.repository.ts';

const REGION = '341800';
const sys = systemActor('test');
let t: TestDb;

before(async () => {
  fixToday('2021-06-01');
  t = await openTestDb();
});
after(async () => {
  fixToday(null);
  await t.close();
});

test('residents’ fund: 100-yuan tier paid by government + 30 subsidy, 2021 interest at 6.69% → personal accounts 134.71 = balance 134.71, ledger checks pass', async () => {
  const p = await makePerson(t.ctx.db, {
    id_number: makeIdNumber('341802', '1970-05-05', 21),
    name: '居民甲',
    sex: 'F',
    birth_date: '1970-05-05',
    region: REGION,
    hardship_group: 'dibao',
  });
  await makeEnrolment(t.ctx.db, {
    person_id: p.id,
    scheme: 'resident_pension',
    kind: 'resident',
    region: REGION,
    start_date: '2020-01-01',
  });
  const svc = new ContributionService(t.ctx.db, t.ctx.params);
  const tier = await svc.chooseResidentTier(sys, p.id, { year: 2021, tierFen: 10_000 });
  assert.deepEqual([tier.personFen, tier.subsidyFen, tier.governmentPaidFen], [0, 3_000, 10_000]);
  fixToday('2022-01-05');
  const interest = await runAccountInterest(t.ctx.db, t.ctx.params, sys, { year: 2021, region: REGION });
  // 13,000 × 6.69% × 13/24 = 471.1 → 471 fen
  assert.equal(interest.interestFen, 471);

  const report = await new FundReportService(t.ctx.db, t.ctx.params).fundsReport(sys, {
    period: '2021-12',
    region: REGION,
  });
  const residents = report.month.find((s) => s.fund === 'resident_pension');
  assert.ok(residents);
  assert.equal(residents.personalAccountFen, 13_471);
  assert.equal(residents.balanceFen, 13_471, 'the interest credited is interest the fund earned');
  for (const s of report.month)
    assert.ok(s.personalAccountFen <= s.balanceFen, `${s.fund}: ${s.personalAccountFen} > ${s.balanceFen}`);
  assert.deepEqual(report.warnings, []);

  const v = await verifyLedger(t.ctx.db, CONTRIBUTION_CHECKS);
  assert.ok(v.ok, JSON.stringify(v));
});
