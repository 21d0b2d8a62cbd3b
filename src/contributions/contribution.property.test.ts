// Properties of the contribution assessment and of account crediting, over random wages, averages,
// periods, regions and rates (fast-check).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { projectParams } from '../core/params-loader.ts';
import { fen } from '../core/money.ts';
import { Trace } from '../core/trace.ts';
import {
  assessContribution,
  computeContribution,
  resolveContributionRates,
  type ContributionInput,
} from './contribution.rules.ts';
import { creditAccountYear } from './account-interest.rules.ts';

const params = projectParams();
const REGIONS = ['000000', '110000', '320000', '340000', '370000', '430000', '440000', '440300'];

const period = fc
  .record({ y: fc.integer({ min: 2016, max: 2027 }), m: fc.integer({ min: 1, max: 12 }) })
  .map(({ y, m }) => `${y}-${String(m).padStart(2, '0')}`);

const input = fc.record({
  region: fc.constantFrom(...REGIONS),
  period,
  kind: fc.constantFrom('employee' as const, 'flexible' as const),
  wageFen: fc.integer({ min: 0, max: 100_000_000 }).map((n) => fen(n)),
  averageWageFen: fc.integer({ min: 1, max: 10_000_000 }).map((n) => fen(n)),
  injuryRateBp: fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
  industryClass: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
}) as fc.Arbitrary<ContributionInput>;

/** Independent half-up rounding of base × percent (percent with at most 2 decimals) in BigInt. */
function roundedProduct(base: number, percent: number): number {
  const bp = BigInt(Math.round(percent * 100));
  return Number((BigInt(base) * bp + 5000n) / 10000n);
}

function moneyLeaves(o: unknown, path = ''): Array<[string, unknown]> {
  if (o === null || typeof o !== 'object') return [];
  return Object.entries(o).flatMap(([k, v]) =>
    k.endsWith('Fen') ? [[`${path}${k}`, v] as [string, unknown]] : moneyLeaves(v, `${path}${k}.`),
  );
}

test('the contribution base is always within the rounded 60%–300% limits', () => {
  fc.assert(
    fc.property(input, (i) => {
      const r = assessContribution(i, params);
      const avg = BigInt(i.averageWageFen ?? 0);
      const floor = Number((avg * 60n + 50n) / 100n);
      const ceiling = Number(avg * 3n);
      assert.equal(r.floorFen, floor);
      assert.equal(r.ceilingFen, ceiling);
      assert.ok(r.baseFen >= floor && r.baseFen <= ceiling, `${r.baseFen} within [${floor}, ${ceiling}]`);
      if (i.wageFen >= floor && i.wageFen <= ceiling) assert.equal(r.baseFen, i.wageFen);
    }),
    { numRuns: 2000 },
  );
});

test('every money result is a safe integer and not negative', () => {
  fc.assert(
    fc.property(input, (i) => {
      const r = assessContribution(i, params, new Trace());
      const leaves = moneyLeaves(r);
      assert.ok(leaves.length >= 10);
      for (const [k, v] of leaves)
        assert.ok(Number.isSafeInteger(v) && (v as number) >= 0, `${k} = ${String(v)}`);
    }),
    { numRuns: 1000 },
  );
});

test('employer and employee parts are each the rounded product of base and rate; totals are sums of the parts', () => {
  fc.assert(
    fc.property(input, (i) => {
      const rates = resolveContributionRates(params, i);
      const r = computeContribution(rates, i.wageFen);
      const b = r.baseFen;
      assert.equal(r.pension.employerFen, roundedProduct(b, rates.pensionEmployerPercent));
      assert.equal(r.pension.employeeFen, roundedProduct(b, rates.pensionEmployeePercent));
      assert.equal(r.pension.personalAccountFen, roundedProduct(b, rates.personalAccountPercent));
      assert.equal(r.unemployment.employerFen, roundedProduct(b, rates.unemploymentEmployerPercent));
      assert.equal(r.unemployment.employeeFen, roundedProduct(b, rates.unemploymentEmployeePercent));
      const injury = Number(
        (BigInt(b) * BigInt(rates.injuryRateBp) * BigInt(100 - rates.injuryCutPercent) + 500_000n) /
          1_000_000n,
      );
      assert.equal(r.injury.employerFen, injury);
      assert.equal(
        r.employerTotalFen,
        r.pension.employerFen + r.unemployment.employerFen + r.injury.employerFen,
      );
      assert.equal(r.employeeTotalFen, r.pension.employeeFen + r.unemployment.employeeFen);
      assert.equal(r.totalFen, r.employerTotalFen + r.employeeTotalFen);
      if (i.kind === 'flexible') {
        assert.equal(r.pension.employerFen, 0);
        assert.equal(r.unemployment.employerFen + r.unemployment.employeeFen + r.injury.employerFen, 0);
      }
    }),
    { numRuns: 2000 },
  );
});

test('the batch path (resolve once, compute many) equals the one-call path and its trace-less run', () => {
  fc.assert(
    fc.property(
      input,
      fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 1, maxLength: 20 }),
      (i, wages) => {
        const rates = resolveContributionRates(params, i);
        for (const w of wages) {
          const one = assessContribution({ ...i, wageFen: fen(w) }, params, new Trace());
          assert.deepEqual(computeContribution(rates, fen(w)), one);
        }
      },
    ),
    { numRuns: 200 },
  );
});

test('account crediting: closing = opening + contributions + interest, interest never falls with a larger opening balance', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1_000_000_000 }),
      fc.integer({ min: 0, max: 1_000_000_000 }),
      fc.integer({ min: 0, max: 100_000_000 }),
      fc.integer({ min: 0, max: 1000 }).map((n) => n / 100),
      (a, b, c, rate) => {
        const lo = creditAccountYear(rate, fen(Math.min(a, b)), fen(c));
        const hi = creditAccountYear(rate, fen(Math.max(a, b)), fen(c));
        for (const r of [lo, hi]) {
          assert.ok(Number.isSafeInteger(r.interestFen) && Number.isSafeInteger(r.closingBalanceFen));
          assert.equal(r.interestFen, r.openingInterestFen + r.contributionsInterestFen);
        }
        assert.equal(hi.closingBalanceFen, Math.max(a, b) + c + hi.interestFen);
        assert.ok(hi.interestFen >= lo.interestFen);
      },
    ),
    { numRuns: 1000 },
  );
});
