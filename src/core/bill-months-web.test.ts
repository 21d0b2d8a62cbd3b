// The employer's bills chart (web/src/pages/employer/bill-months.ts): twelve months ending with the
// newest bill, a month without a bill a gap, cancelled bills owing nothing, an open bill overdue only
// after its due date, and the same totals in fen the table lists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { billMonths } from '../../web/src/pages/employer/bill-months.ts';

const bill = (period: string, status: string, dueDate: string, totalFen: number) => ({
  period,
  status,
  dueDate,
  totalFen,
});

test('twelve months to the newest bill, split into paid, open and overdue', () => {
  const months = billMonths(
    [
      bill('2026-11', 'open', '2026-12-15', 500_00),
      bill('2026-10', 'open', '2026-11-15', 400_00),
      bill('2026-10', 'paid', '2026-11-15', 1_00), // a back payment in the same month
      bill('2026-09', 'paid', '2026-10-15', 300_00),
      bill('2026-08', 'cancelled', '2026-09-15', 999_00),
      bill('2025-11', 'paid', '2025-12-15', 7_00), // thirteen months back: outside
    ],
    '2026-12-06',
  );
  assert.equal(months.length, 12);
  assert.equal(months[0]?.period, '2025-12');
  assert.deepEqual(months.at(-1), { period: '2026-11', paidFen: 0, openFen: 500_00, overdueFen: 0 });
  assert.deepEqual(months.at(-2), { period: '2026-10', paidFen: 1_00, openFen: 0, overdueFen: 400_00 });
  assert.deepEqual(months.at(-3), { period: '2026-09', paidFen: 300_00, openFen: 0, overdueFen: 0 });
  assert.deepEqual(months.at(-4), { period: '2026-08', paidFen: 0, openFen: 0, overdueFen: 0 });
  const all = months.reduce((s, m) => s + m.paidFen + m.openFen + m.overdueFen, 0);
  assert.equal(all, 500_00 + 400_00 + 1_00 + 300_00);
});

test('on its due date a bill is open, the day after overdue; no bills, no months', () => {
  const b = [bill('2026-11', 'open', '2026-12-15', 10)];
  assert.equal(billMonths(b, '2026-12-15').at(-1)?.openFen, 10);
  assert.equal(billMonths(b, '2026-12-16').at(-1)?.overdueFen, 10);
  assert.deepEqual(billMonths([bill('2026-11', 'cancelled', '2026-12-15', 10)], '2026-12-06'), []);
  assert.deepEqual(billMonths([], '2026-12-06'), []);
});
