// The employer's last twelve months of bills, month by month, for the bills chart: what was due, split
// into paid, open and not yet due, and open past its due date. The same bills and totals (fen) as the
// table; cancelled bills owe nothing and are left out. Pure, so the server's runner tests it
// (src/core/bill-months-web.test.ts).
import { addMonths } from '../../../../src/core/dates.ts';

export interface BillForMonth {
  period: string;
  status: string;
  dueDate: string;
  totalFen: number;
}

export interface BillMonth {
  period: string;
  paidFen: number;
  /** open, its due date not passed */
  openFen: number;
  /** open after its due date: late fees run */
  overdueFen: number;
}

/**
 * Twelve months ending with the newest bill's month (a month without a bill is a gap, shown as one),
 * oldest first; none when there is no bill. `today` decides what is overdue.
 */
export function billMonths(bills: readonly BillForMonth[], today: string): BillMonth[] {
  const counted = bills.filter((b) => b.status !== 'cancelled');
  const newest = counted.reduce((m, b) => (b.period > m ? b.period : m), '');
  if (!newest) return [];
  const months = Array.from({ length: 12 }, (_, i): BillMonth => ({
    period: addMonths(`${newest}-01`, i - 11).slice(0, 7),
    paidFen: 0,
    openFen: 0,
    overdueFen: 0,
  }));
  const byPeriod = new Map(months.map((m) => [m.period, m]));
  for (const b of counted) {
    const m = byPeriod.get(b.period);
    if (!m) continue;
    if (b.status === 'paid') m.paidFen += b.totalFen;
    else if (b.dueDate < today) m.overdueFen += b.totalFen;
    else m.openFen += b.totalFen;
  }
  return months;
}
