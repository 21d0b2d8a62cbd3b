// Property tests of the pension-family rules: monotonicity, the retirement-age floor, integer money.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { addYears, makeDate, daysInMonth } from '../core/dates.ts';
import { fen } from '../core/money.ts';
import { projectParams } from '../core/params-loader.ts';
import { Trace } from '../core/trace.ts';
import { computeAnnuityDivisor } from './annuity-divisor.rules.ts';
import { computeEmployeePension, type EmployeePensionInput } from './employee-pension.rules.ts';
import { computePensionAdjustment } from './pension-adjustment.rules.ts';
import { computeRetirementAge, ORIGINAL_AGE_MONTHS, RETIREMENT_CATEGORIES } from './retirement-age.rules.ts';
import { computeSurvivorBenefit } from './survivor-benefit.rules.ts';

const params = projectParams();
const RUNS = { numRuns: 300 };

const dateArb = (fromYear: number, toYear: number): fc.Arbitrary<string> =>
  fc
    .record({
      y: fc.integer({ min: fromYear, max: toYear }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 31 }),
    })
    .map(({ y, m, d }) => makeDate(y, m, Math.min(d, daysInMonth(y, m))));

/** Employee-pension inputs with C given or Beijing's own C (2024/2025), with or without a transitional part. */
const pensionArb: fc.Arbitrary<EmployeePensionInput> = fc
  .record({
    beijing: fc.boolean(),
    year: fc.constantFrom(2024, 2025),
    c: fc.integer({ min: 100_000, max: 3_000_000 }),
    z: fc.double({ min: 0, max: 4, noNaN: true }),
    months: fc.integer({ min: 0, max: 600 }),
    account: fc.integer({ min: 0, max: 100_000_000 }),
    age: fc.integer({ min: 480, max: 840 }),
    deemed: fc.integer({ min: 0, max: 240 }),
    withTransitional: fc.boolean(),
  })
  .map(({ beijing, year, c, z, months, account, age, deemed, withTransitional }) => {
    const input: EmployeePensionInput = {
      region: beijing ? '110000' : '000000',
      retirementDate: `${year}-06-30`,
      averageContributionIndex: z,
      contributionMonths: months + deemed,
      personalAccountFen: fen(account),
      ageMonths: age,
    };
    if (!beijing) input.benefitBaseWageFen = fen(c);
    if (beijing && withTransitional)
      input.transitional = { deemedMonths: deemed, actualMonthsBefore199807: 0 };
    return input;
  });

const total = (input: EmployeePensionInput): number =>
  computeEmployeePension(input, params, new Trace()).totalFen;

describe('employee-pension properties', () => {
  test('never falls when contribution months rise', () => {
    fc.assert(
      fc.property(pensionArb, fc.integer({ min: 0, max: 240 }), (input, more) => {
        assert.ok(total({ ...input, contributionMonths: input.contributionMonths + more }) >= total(input));
      }),
      RUNS,
    );
  });

  test('never falls when the contribution index rises', () => {
    fc.assert(
      fc.property(pensionArb, fc.double({ min: 0, max: 3, noNaN: true }), (input, more) => {
        assert.ok(
          total({ ...input, averageContributionIndex: input.averageContributionIndex + more }) >=
            total(input),
        );
      }),
      RUNS,
    );
  });

  test('money results are integers and the total is the sum of the rounded parts', () => {
    fc.assert(
      fc.property(pensionArb, (input) => {
        const r = computeEmployeePension(input, params, new Trace());
        for (const v of [r.basicPensionFen, r.accountPensionFen, r.transitionalPensionFen, r.totalFen])
          assert.ok(Number.isSafeInteger(v));
        assert.equal(r.totalFen, r.basicPensionFen + r.accountPensionFen + r.transitionalPensionFen);
      }),
      RUNS,
    );
  });
});

describe('annuity-divisor properties', () => {
  test('falls (weakly) as the age rises, and has one decimal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 480, max: 839 }), (age) => {
        const a = computeAnnuityDivisor(age, params, new Trace());
        const b = computeAnnuityDivisor(age + 1, params, new Trace());
        assert.ok(b <= a);
        assert.equal(Math.round(a * 10) / 10, a);
      }),
      RUNS,
    );
  });
});

describe('retirement-age properties', () => {
  const categoryArb = fc.constantFrom(...RETIREMENT_CATEGORIES);

  test('the retirement date never precedes the pre-reform one (birth + 60/55/50 years)', () => {
    fc.assert(
      fc.property(dateArb(1962, 2010), categoryArb, (birthDate, category) => {
        const r = computeRetirementAge({ birthDate, category }, params, new Trace());
        const preReform = addYears(birthDate, ORIGINAL_AGE_MONTHS[category] / 12);
        assert.ok(r.retirementDate >= preReform, `${r.retirementDate} < ${preReform}`);
        assert.ok(r.delayMonths >= 0 && r.delayMonths <= (category === 'female-50' ? 60 : 36));
        assert.equal(r.ageMonths, r.originalAgeMonths + r.delayMonths);
        assert.ok(r.minContributionMonths >= 180 && r.minContributionMonths <= 240);
      }),
      RUNS,
    );
  });

  test('a later birth never retires earlier', () => {
    fc.assert(
      fc.property(dateArb(1962, 2010), dateArb(1962, 2010), categoryArb, (a, b, category) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const ra = computeRetirementAge({ birthDate: early, category }, params, new Trace());
        const rb = computeRetirementAge({ birthDate: late, category }, params, new Trace());
        assert.ok(ra.retirementDate <= rb.retirementDate);
      }),
      RUNS,
    );
  });
});

describe('survivor-benefit and adjustment properties', () => {
  test('survivor months lie in 3–24 (retirees at least 9) and money is integer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 480 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        (contributionMonths, retired, received, income) => {
          const r = computeSurvivorBenefit(
            {
              region: '000000',
              deathDate: '2023-05-01',
              contributionMonths,
              retired,
              pensionMonthsReceived: retired ? received : 0,
              monthlyDisposableIncomeFen: fen(income),
            },
            params,
            new Trace(),
          );
          assert.ok(r.months >= (retired ? 9 : 3) && r.months <= 24);
          for (const v of [r.funeralGrantFen, r.survivorPensionFen, r.totalFen])
            assert.ok(Number.isSafeInteger(v));
          assert.equal(r.totalFen, r.funeralGrantFen + r.survivorPensionFen);
        },
      ),
      RUNS,
    );
  });

  test('Shandong 2021 increase never falls with more contribution months, and is the sum of its integer parts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        (months, more, pension) => {
          const base = {
            region: '370000',
            year: 2021,
            monthlyPensionFen: fen(pension),
            birthDate: '1950-01-01',
            retirementDate: '2010-01-01',
          };
          const a = computePensionAdjustment({ ...base, contributionMonths: months }, params, new Trace());
          const b = computePensionAdjustment(
            { ...base, contributionMonths: months + more },
            params,
            new Trace(),
          );
          assert.ok(b.increaseFen >= a.increaseFen);
          assert.equal(
            a.increaseFen,
            a.components.reduce((s, c) => s + c.amountFen, 0),
          );
          for (const c of a.components) assert.ok(Number.isSafeInteger(c.amountFen));
        },
      ),
      RUNS,
    );
  });
});
