// Properties of the unemployment rules over random contribution histories, regions and dates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { projectParams } from '../core/params-loader.ts';
import { fen } from '../core/money.ts';
import { Trace } from '../core/trace.ts';
import { assessUnemploymentBenefit } from './unemployment-benefit.rules.ts';
import { assessSkillSubsidy } from './skill-subsidy.rules.ts';
import { assessStableEmploymentRefund } from './stable-employment-refund.rules.ts';

const params = projectParams();
const REGIONS = ['000000', '110000', '320000', '340000', '370000', '430000', '440000', '440100', '440300'];

const date = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .record({
      y: fc.integer({ min, max }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 28 }),
    })
    .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

const claim = fc.record({
  region: fc.constantFrom(...REGIONS),
  claimDate: date(2020, 2030),
  minimumWageFen: fc.integer({ min: 0, max: 1_000_000 }).map((n) => fen(n)),
});

test('unemployment duration never falls with more contribution months (national table and Guangdong formula)', () => {
  fc.assert(
    fc.property(claim, fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 600 }), (c, a, b) => {
      const lo = assessUnemploymentBenefit({ ...c, contributionMonths: Math.min(a, b) }, params);
      const hi = assessUnemploymentBenefit({ ...c, contributionMonths: Math.max(a, b) }, params);
      assert.ok(
        hi.maxMonths >= lo.maxMonths,
        `${Math.min(a, b)} → ${lo.maxMonths}, ${Math.max(a, b)} → ${hi.maxMonths}`,
      );
      assert.ok(hi.maxMonths <= 24);
    }),
    { numRuns: 2000 },
  );
});

test('one more contribution month adds at most one benefit month in Guangdong and never removes one anywhere', () => {
  fc.assert(
    fc.property(claim, fc.integer({ min: 0, max: 400 }), (c, m) => {
      const a = assessUnemploymentBenefit({ ...c, contributionMonths: m }, params).maxMonths;
      const b = assessUnemploymentBenefit({ ...c, contributionMonths: m + 1 }, params).maxMonths;
      assert.ok(b >= a);
      if (c.region.startsWith('44') && c.claimDate >= '2022-06-01') assert.ok(b - a <= 1);
    }),
    { numRuns: 1000 },
  );
});

test('eligible exactly from 12 months; money is integer fen; the maximum is monthly × months', () => {
  fc.assert(
    fc.property(claim, fc.integer({ min: 0, max: 600 }), (c, m) => {
      const r = assessUnemploymentBenefit({ ...c, contributionMonths: m }, params, new Trace());
      assert.equal(r.eligible, m >= 12);
      assert.ok(r.monthlyFen !== null && r.maxTotalFen !== null, 'the 90% rule is in force from 2020');
      assert.ok(Number.isSafeInteger(r.monthlyFen) && Number.isSafeInteger(r.maxTotalFen));
      assert.equal(r.maxTotalFen, r.monthlyFen * r.maxMonths);
      if (r.eligible) assert.ok(r.monthlyFen <= c.minimumWageFen);
    }),
    { numRuns: 1000 },
  );
});

test('for any claim date under 失业保险条例 (1999-01-22 on), eligibility and months are answered; without an amount rule the amount is null and the trace says so', () => {
  fc.assert(
    fc.property(
      fc.record({ region: fc.constantFrom(...REGIONS), claimDate: date(1999, 2030) }),
      fc.integer({ min: 0, max: 600 }),
      (c, m) => {
        if (c.claimDate < '1999-01-22') return;
        const trace = new Trace();
        const r = assessUnemploymentBenefit(
          { ...c, contributionMonths: m, minimumWageFen: fen(200_000) },
          params,
          trace,
        );
        assert.equal(r.eligible, m >= 12);
        assert.ok(r.maxMonths >= (m >= 12 ? 1 : 0) && r.maxMonths <= 24);
        if (r.eligible && r.monthlyFen === null) {
          assert.equal(r.maxTotalFen, null);
          assert.ok(
            trace.steps.some((s) => s.step === 'amount not computed'),
            'the trace says why',
          );
        }
      },
    ),
    { numRuns: 500 },
  );
});

test('skill subsidy is either 0 or the full standard, and more contribution months never lose it', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(5 as const, 4 as const, 3 as const),
      date(2017, 2025),
      fc.integer({ min: 0, max: 500 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 60 }),
      (level, certificateDate, lag, a, b) => {
        const applicationDate = new Date(Date.parse(`${certificateDate}T00:00:00Z`) + lag * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const base = { region: '000000', certificateLevel: level, certificateDate, applicationDate };
        const lo = assessSkillSubsidy({ ...base, contributionMonths: Math.min(a, b) }, params);
        const hi = assessSkillSubsidy({ ...base, contributionMonths: Math.max(a, b) }, params);
        for (const r of [lo, hi]) assert.ok(r.amountFen === 0 || r.amountFen === r.standardFen);
        if (lo.eligible) assert.ok(hi.eligible);
      },
    ),
    { numRuns: 1000 },
  );
});

test('stable-employment refund: integer, at most the premiums, and fewer layoffs never lose it', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2021, max: 2025 }),
      fc.constantFrom('large' as const, 'sme' as const),
      fc.integer({ min: 1, max: 5000 }),
      fc.nat(),
      fc.nat(),
      fc.integer({ min: 0, max: 1_000_000_000 }),
      (year, size, insured, x, y, premiums) => {
        const a = x % (insured + 1);
        const b = y % (insured + 1);
        const base = {
          region: '000000',
          year,
          size,
          insuredCount: insured,
          premiumsPaidFen: fen(premiums),
          arrears: false,
        };
        const more = assessStableEmploymentRefund({ ...base, laidOffCount: Math.max(a, b) }, params);
        const fewer = assessStableEmploymentRefund({ ...base, laidOffCount: Math.min(a, b) }, params);
        for (const r of [more, fewer])
          assert.ok(Number.isSafeInteger(r.refundFen) && r.refundFen >= 0 && r.refundFen <= premiums);
        if (more.eligible) assert.ok(fewer.eligible);
        assert.equal(
          assessStableEmploymentRefund({ ...base, laidOffCount: 0, arrears: true }, params).eligible,
          false,
        );
      },
    ),
    { numRuns: 1000 },
  );
});
