// The projection on tiny populations, computed by hand; the live rules and parameter files behind it;
// determinism.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadParams, projectParams } from '../core/params-loader.ts';
import { fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace } from '../core/trace.ts';
import { computeEmployeePension } from '../pension/employee-pension.rules.ts';
import { projectFund, type Snapshot } from './projection.rules.ts';
import { OverlayBuilder, type Scenario } from './scenario-params.rules.ts';

const REGION = '341800';
const PARAMS_DIR = join(import.meta.dirname, '..', '..', 'params');

/** The live parameters with a flat mortality table (q for every age), for figures that can be done by hand. */
function withMortality(base: ParamStore, qPpm: number): ParamStore {
  const o = new OverlayBuilder(base);
  const table = Array.from({ length: 111 }, () => qPpm);
  o.add('simulation/mortality', REGION, {
    effectiveFrom: '2020-01-01',
    value: { male: table, female: table },
    reference: { zh: '测试', en: 'test' },
    uncertain: true,
  });
  return o.build();
}

/** One man of 37 earning exactly the average wage, one pensioner of 77 on 3,000.00 a month. */
const tiny: Snapshot = {
  region: REGION,
  asOf: '2026-06-30',
  balanceFen: 10_000_000,
  contributors: [
    {
      birthYear: 1990,
      birthMonth: 1,
      sex: 'M',
      kind: 'employee',
      indexPpm: 1_000_000,
      count: 1,
      contributionMonths: 120,
      accountFen: 500_000,
    },
  ],
  pensioners: [
    {
      birthYear: 1950,
      sex: 'M',
      monthlyFen: 300_000,
      contributionMonths: 360,
      retirementDate: '2010-03-01',
      count: 1,
    },
  ],
};

/** Wages frozen at Anhui's last published average (7,376.00), no interest, no entrants, 2% adjustment. */
const handScenario: Scenario = {
  years: 2,
  adjustmentRatePpm: 20_000,
  assumptions: { wageGrowthPpm: 0, fundInterestPpm: 0, entrantsPpm: 0 },
};

test('1 contributor + 1 pensioner, 2 years, no deaths: income 12 × (16% + 8%) × 7,376.00 = 21,242.88 a year; pension 3,000 → 3,060 → 3,121.20 (2%); balance 100,000 → 84,522.88 → 68,311.36', () => {
  const r = projectFund(tiny, handScenario, withMortality(projectParams(), 0));
  assert.equal(r.startYear, 2027);
  const [y1, y2] = r.years;
  assert.ok(y1 && y2);
  // 737,600 × 16% = 118,016; × 8% = 59,008; (118,016 + 59,008) × 12 = 2,124,288
  assert.equal(y1.averageWageFen, 737_600);
  assert.equal(y1.contributionIncomeFen, 2_124_288);
  // 300,000 × 1.02 = 306,000 × 12 = 3,672,000
  assert.equal(y1.expenditureFen, 3_672_000);
  assert.equal(y1.averagePensionFen, 306_000);
  assert.equal(y1.interestFen, 0);
  assert.equal(y1.balanceFen, 10_000_000 + 2_124_288 - 3_672_000);
  assert.equal(y1.balanceFen, 8_452_288);
  assert.equal(y1.contributors, 1);
  assert.equal(y1.pensioners, 1);
  assert.equal(y1.dependencyRatioPpm, 1_000_000);
  // 306,000 × 1.02 = 312,120 × 12 = 3,745,440
  assert.equal(y2.expenditureFen, 3_745_440);
  assert.equal(y2.contributionIncomeFen, 2_124_288);
  assert.equal(y2.balanceFen, 8_452_288 + 2_124_288 - 3_745_440);
});

test('deaths at 10% a year: the year pays the mid-year count (0.95 × 12 × 3,060.00 = 34,884.00) and ends with 0.9 of each cohort', () => {
  const r = projectFund(tiny, { ...handScenario, years: 1 }, withMortality(projectParams(), 100_000));
  const y = r.years[0];
  assert.ok(y);
  // 0.95 × 12 × 306,000 = 3,488,400; contributions 0.95 × 2,124,288 = 2,018,073.6 → 2,018,074
  assert.equal(y.expenditureFen, 3_488_400);
  assert.equal(y.contributionIncomeFen, 2_018_074);
  // 0.1 + 0.1 persons died; 0.9 + 0.9 remain → the dependency ratio stays 1
  assert.equal(y.deaths, 0);
  assert.equal(y.dependencyRatioPpm, 1_000_000);
});

test('fund interest: round(opening × r + net flow × r ÷ 2) — 100,000.00 at 2.5% with a net flow of −15,477.12 earns 2,306.54', () => {
  const r = projectFund(
    tiny,
    { ...handScenario, years: 1, assumptions: { wageGrowthPpm: 0, fundInterestPpm: 25_000, entrantsPpm: 0 } },
    withMortality(projectParams(), 0),
  );
  // 10,000,000 × 0.025 = 250,000; (2,124,288 − 3,672,000) × 0.025 / 2 = −19,346.4 → 230,653.6 → 230,654
  assert.equal(r.years[0]?.interestFen, 230_654);
});

test('a man born 1967-03 retires on 2027-10-01 (60 years 7 months by the live retirement-age rule): 9 months of contributions, 2 months of the pension the live employee-pension rule gives', () => {
  const snap: Snapshot = {
    ...tiny,
    pensioners: [],
    contributors: [{ ...tiny.contributors[0]!, birthYear: 1967, birthMonth: 3, contributionMonths: 360 }],
  };
  const params = withMortality(projectParams(), 0);
  const r = projectFund(snap, { ...handScenario, years: 1 }, params);
  const y = r.years[0]!;
  assert.equal(y.newRetirees, 1);
  assert.equal(y.contributors, 0);
  assert.equal(y.pensioners, 1);
  assert.equal(y.contributionIncomeFen, 9 * 177_024);
  // the account: 500,000 + 9 × 59,008 credited at the assumed rate by the live account-interest rule
  const account = 500_000 + 9 * 59_008;
  const credited = account + Math.round(500_000 * 0.0262) + Math.round(9 * 59_008 * 0.0262 * (13 / 24));
  const pension = computeEmployeePension(
    {
      region: REGION,
      retirementDate: '2027-10-01',
      averageContributionIndex: 1,
      contributionMonths: 369,
      personalAccountFen: fen(credited),
      ageMonths: 727,
    },
    params,
    new Trace(),
  );
  assert.equal(y.expenditureFen, 2 * pension.totalFen);
  assert.equal(y.averagePensionFen, pension.totalFen);
});

test('the retirement-age scenario goes through the live rule: one month per birth month up to 60 keeps the 1967-03 man working in 2027', () => {
  const snap: Snapshot = {
    ...tiny,
    pensioners: [],
    contributors: [{ ...tiny.contributors[0]!, birthYear: 1967, birthMonth: 3, contributionMonths: 360 }],
  };
  const r = projectFund(
    snap,
    { ...handScenario, years: 1, retirementAge: { male: { maxDelayMonths: 60, stepMonths: 1 } } },
    withMortality(projectParams(), 0),
  );
  assert.equal(r.years[0]?.newRetirees, 0);
  assert.equal(r.years[0]?.contributionIncomeFen, 12 * 177_024);
});

test('the employer-rate and base-floor scenarios change the contribution rule: 20% → 12 × 28% × 7,376.00; a floor of 80% raises a 50% base', () => {
  const params = withMortality(projectParams(), 0);
  const r = projectFund(tiny, { ...handScenario, years: 1, employerRatePpm: 200_000 }, params);
  // 737,600 × 20% = 147,520; + 59,008 = 206,528 × 12 = 2,478,336
  assert.equal(r.years[0]?.contributionIncomeFen, 2_478_336);
  const low: Snapshot = { ...tiny, contributors: [{ ...tiny.contributors[0]!, indexPpm: 500_000 }] };
  const atFloor = projectFund(low, { ...handScenario, years: 1 }, params).years[0];
  const raised = projectFund(low, { ...handScenario, years: 1, baseFloorPpm: 800_000 }, params).years[0];
  // 60% floor: 442,560 × 24% = 106,214.4 → 70,810 + 35,405 = 106,215 × 12 = 1,274,580
  assert.equal(atFloor?.contributionIncomeFen, 1_274_580);
  // 80% floor: 590,080 × 16% = 94,412.8 → 94,413; × 8% = 47,206.4 → 47,206; 141,619 × 12 = 1,699,428
  assert.equal(raised?.contributionIncomeFen, 1_699_428);
});

test('the projection reads the live parameter files: an employer rate of 18% in pension-employer-rate.yaml gives 12 × 26% × 7,376.00', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shebao-params-'));
  try {
    cpSync(PARAMS_DIR, dir, { recursive: true });
    const file = join(dir, 'contributions', 'pension-employer-rate.yaml');
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(/(2019-05-01:\n\s+value: )16/, '$118');
    assert.notEqual(changed, text);
    writeFileSync(file, changed);
    const before = projectFund(tiny, handScenario, withMortality(projectParams(), 0)).years[0];
    const after = projectFund(tiny, handScenario, withMortality(loadParams(dir), 0)).years[0];
    assert.equal(before?.contributionIncomeFen, 2_124_288);
    // 737,600 × 18% = 132,768; + 59,008 = 191,776 × 12 = 2,301,312
    assert.equal(after?.contributionIncomeFen, 2_301_312);
    // and the mortality file: every age at 10% removes a tenth of each cohort each year
    const mort = join(dir, 'simulation', 'mortality.yaml');
    const flat = Array.from({ length: 111 }, () => 100_000).join(', ');
    writeFileSync(
      mort,
      readFileSync(mort, 'utf8').replace(
        /value:\n\s+male:[\s\S]*$/,
        `value:\n      male: [${flat}]\n      female: [${flat}]\n`,
      ),
    );
    const dying = projectFund(tiny, handScenario, loadParams(dir)).years[0];
    assert.equal(dying?.expenditureFen, 3_488_400);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('deterministic: the same snapshot and scenario give the same projection, to the fen, on the live table', () => {
  const s: Scenario = { years: 30, adjustmentRatePpm: 15_000 };
  const a = projectFund(tiny, s, projectParams());
  const b = projectFund(structuredClone(tiny), structuredClone(s), projectParams());
  assert.deepEqual(a, b);
  assert.equal(a.years.length, 30);
  assert.ok(a.assumptions.some((x) => x.parameter === 'simulation/mortality' && x.uncertain));
});

test('a birth-year cohort of 12 men born 1967 retires month by month: those born January–April reach 60 years 7 months in 2027 (Aug–Nov), May–December (60y8m, 60y9m) in 2028', () => {
  const snap: Snapshot = {
    ...tiny,
    pensioners: [],
    contributors: [
      {
        ...tiny.contributors[0]!,
        birthYear: 1967,
        birthMonth: undefined,
        count: 12,
        contributionMonths: 360,
      },
    ],
  };
  const r = projectFund(snap, { ...handScenario, years: 2 }, withMortality(projectParams(), 0));
  const [y1, y2] = r.years;
  assert.equal(y1?.newRetirees, 4);
  assert.equal(y1?.contributors, 8);
  // worked 7 + 8 + 9 + 10 months by the four who retire, 8 × 12 by the others: 130 × 177,024
  assert.equal(y1?.contributionIncomeFen, 130 * 177_024);
  assert.equal(y2?.newRetirees, 8);
  assert.equal(y2?.contributors, 0);
  assert.equal(y2?.pensioners, 12);
});
