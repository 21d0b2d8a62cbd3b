// What a reversal does to the money, by why it is made (docs/bills.md, 冲正原因). The reviewer reads it
// on 待复核 before releasing, and the release does exactly it.

/**
 * Why a payment is reversed (冲正原因): the bank returned it (退票), it was posted to the wrong bill, posted
 * twice, or keyed wrongly; a held receipt may also be refunded (退费) to its payer. The payer's message
 * is worded from the kind alone. The approval page reads this list (web/src/pages/agency/approval-values.ts).
 */
export const REVERSAL_KINDS = ['bank_return', 'wrong_bill', 'duplicate', 'keying_error', 'refund'] as const;
export type ReversalKind = (typeof REVERSAL_KINDS)[number];

/**
 * - `returnedByBank`: the bank took the money back — it leaves the bank account (1001).
 * - `refunded`: held money paid back to the payer — it leaves the bank account.
 * - `toHeld`: the money is in the agency's account but was posted to the wrong bill — it goes back to
 *   held receipts (2301) for a clerk to allocate to the right bill or refund; nothing leaves.
 * - `withdrawn`: the record itself was wrong (a second record of money that came once, or money keyed
 *   wrongly) — its entries are reversed because that money never arrived as recorded; nothing is paid
 *   out. The money that did arrive is on its own record: the first one, or the bank file's line.
 */
export const REVERSAL_MONEY = ['returnedByBank', 'refunded', 'toHeld', 'withdrawn'] as const;
export type ReversalMoney = (typeof REVERSAL_MONEY)[number];

export function reversalMoney(kind: ReversalKind): ReversalMoney {
  switch (kind) {
    case 'bank_return':
      return 'returnedByBank';
    case 'refund':
      return 'refunded';
    case 'wrong_bill':
      return 'toHeld';
    case 'duplicate':
    case 'keying_error':
      return 'withdrawn';
  }
}
