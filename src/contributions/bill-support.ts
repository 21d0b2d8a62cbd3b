// What a bill's payer owes on a day (its fund parts and the late fee on each), for the bills, the
// payments and online payment. Pure: the bill row and the parameters are given.
import { SbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import type { BillStatus, Fund } from '../db/database.ts';
import type { ParamStore } from '../core/params.ts';
import { billParts, type AmountDue, type BillRow } from './bill.repository.ts';
import { computeLateFee } from './late-fee.rules.ts';
import type { Words } from '../core/bilingual.ts';

/** What the bill's payer owes if paying on `paidDate`: its fund parts and the late fee on each. */
/** How a payment of the whole amount due splits into contribution and each fund's late fee (the payment row's columns). */
export function paymentSplit(due: AmountDue) {
  const fee = (f: Fund) => due.parts.find((p) => p.fund === f)?.lateFeeFen ?? 0;
  return {
    contributionFen: due.contributionFen,
    lateFeeFen: due.lateFeeFen,
    lateFeePensionFen: fee('employee_pension') + fee('resident_pension'),
    lateFeeUnemploymentFen: fee('unemployment'),
    lateFeeInjuryFen: fee('injury'),
    lateDays: due.lateDays,
  };
}

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

/** A bill's status in words (a receipt's reason, a refusal), never by its code. */
export const BILL_STATUS_TEXT: Record<BillStatus, Words> = {
  open: { zh: '未缴', en: 'open' },
  paid: { zh: '已缴', en: 'paid' },
  cancelled: { zh: '已作废', en: 'cancelled' },
};

/** The refusal to pay a bill that is not open (a clerk and a citizen read "账单状态为 paid"). */
export const billNotOpen = (status: BillStatus): SbError =>
  new SbError('SB_ERR_CONFLICT', {
    field: 'billId',
    zh: `账单${BILL_STATUS_TEXT[status].zh}`,
    en: `the bill is ${BILL_STATUS_TEXT[status].en}`,
  });

/**
 * The reason a clerk gave for a money action, trimmed. The HTTP edge already refused control
 * characters and more than 500; spaces alone pass a schema's minimum length, so they are refused here.
 */
export function givenReason(raw: string): string {
  const reason = raw.trim();
  if (reason.length < 2)
    throw new SbError('SB_ERR_REQUIRED', {
      field: 'reason',
      zh: '请填写原因（至少 2 个字，不能只有空格）',
      en: 'give a reason (at least 2 characters, not only spaces)',
    });
  return reason;
}
