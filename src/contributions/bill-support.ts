// What a bill's payer owes on a day (its fund parts and the late fee on each), for the bills, the
// payments and online payment. Pure: the bill row and the parameters are given.
import { fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { billParts, type AmountDue, type BillRow } from './bill.repository.ts';
import { computeLateFee } from './late-fee.rules.ts';

/** What the bill's payer owes if paying on `paidDate`: its fund parts and the late fee on each. */
export function amountDue(params: ParamStore, b: BillRow, paidDate: string): AmountDue {
  const parts = billParts(b).filter((p) => p.amountFen > 0);
  const r = computeLateFee(
    { region: b.region, dueDate: b.due_date, paidDate, amountsFen: parts.map((p) => fen(p.amountFen)) },
    params,
  );
  const contributionFen = parts.reduce((s, p) => s + p.amountFen, 0);
  return {
    contributionFen,
    lateDays: r.lateDays,
    lateFeeFen: r.lateFeeFen,
    totalFen: contributionFen + r.lateFeeFen,
    parts: parts.map((p, i) => ({ ...p, lateFeeFen: r.parts[i]?.lateFeeFen ?? 0 })),
  };
}
