import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shareDue } from './held-receipt.rules.ts';

const due = {
  contributionFen: 100_000,
  lateDays: 3,
  lateFeeFen: 150,
  totalFen: 100_150,
  parts: [
    { fund: 'employee_pension' as const, amountFen: 80_000, lateFeeFen: 120 },
    { fund: 'unemployment' as const, amountFen: 20_000, lateFeeFen: 30 },
  ],
};

test('600.00 + 401.50 share 1,001.50 due: the first pays 600.00 of pension; the top-up the other 200.00 of pension, 200.00 of unemployment and the 1.50 late fee', () => {
  assert.deepEqual(shareDue(due, [60_000, 40_150]), [
    {
      contributionFen: 60_000,
      lateDays: 3,
      lateFeeFen: 0,
      totalFen: 60_000,
      parts: [{ fund: 'employee_pension', amountFen: 60_000, lateFeeFen: 0 }],
    },
    {
      contributionFen: 40_000,
      lateDays: 3,
      lateFeeFen: 150,
      totalFen: 40_150,
      parts: [
        { fund: 'employee_pension', amountFen: 20_000, lateFeeFen: 120 },
        { fund: 'unemployment', amountFen: 20_000, lateFeeFen: 30 },
      ],
    },
  ]);
});

test('one receipt of the whole amount due takes it all, as a single allocation did', () => {
  assert.deepEqual(shareDue(due, [100_150]), [due]);
});

test('receipts that do not add up to the amount due have no shares', () => {
  assert.throws(() => shareDue(due, [60_000, 40_000]), /cannot share/);
});
