// How held receipts that pay one bill together share its amount due. Pure: the amount due and the
// receipts' amounts are given.
import type { AmountDue } from './bill.repository.ts';

/**
 * Each receipt's share of the amount due, in the order given (the clerk's receipts by the day the money
 * came): the earlier money pays the contributions, fund by fund, and the late fee comes last, as it
 * grew until the last receipt came. Each share is what that receipt's payment row and journal entries
 * carry, so the shares add up to the bill's parts exactly. The amounts must add up to `due.totalFen`.
 */
export function shareDue(due: AmountDue, amounts: readonly number[]): AmountDue[] {
  const sum = amounts.reduce((s, a) => s + a, 0);
  if (sum !== due.totalFen) throw new Error(`receipts of ${sum} fen cannot share ${due.totalFen} fen due`);
  const pieces = [
    ...due.parts.map((p) => ({ fund: p.fund, late: false, fen: p.amountFen })),
    ...due.parts.map((p) => ({ fund: p.fund, late: true, fen: p.lateFeeFen })),
  ].filter((p) => p.fen > 0);
  let at = 0;
  return amounts.map((amount) => {
    const parts = due.parts.map((p) => ({ fund: p.fund, amountFen: 0, lateFeeFen: 0 }));
    let left = amount;
    while (left > 0) {
      const piece = pieces[at];
      if (!piece) throw new Error('the pieces ran out before the receipts did');
      const take = Math.min(left, piece.fen);
      const part = parts.find((x) => x.fund === piece.fund);
      if (part) {
        if (piece.late) part.lateFeeFen += take;
        else part.amountFen += take;
      }
      piece.fen -= take;
      left -= take;
      if (piece.fen === 0) at += 1;
    }
    const taken = parts.filter((p) => p.amountFen > 0 || p.lateFeeFen > 0);
    const contributionFen = taken.reduce((s, p) => s + p.amountFen, 0);
    const lateFeeFen = taken.reduce((s, p) => s + p.lateFeeFen, 0);
    return {
      contributionFen,
      lateDays: due.lateDays,
      lateFeeFen,
      totalFen: contributionFen + lateFeeFen,
      parts: taken,
    };
  });
}
