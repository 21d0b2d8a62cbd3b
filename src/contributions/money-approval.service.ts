// Maker–checker for the contributions' money corrections (issue #10): a clerk prepares a payment
// reversal (冲正, with the kind of its reason) or a bill cancellation (作废); a reviewer who is another person — and not the payer
// nor anyone on the bill — releases it (src/approval/). Nothing is reversed or cancelled before.
import type { Actor } from '../auth/actor.ts';
import { foundInRegion } from '../auth/policy.ts';
import { openApprovalId } from '../approval/approval.repository.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { ContributionService } from './contribution.service.ts';
import { givenReason } from './bill-support.ts';
import { billWithAccess } from './bill.service.ts';
import { ALLOCATE_REVIEW, allocationsInReview } from './held-receipt.service.ts';
import type { ReversalKind } from './reversal.rules.ts';
import { reversalMoney } from './reversal.rules.ts';
import {
  jointPaymentIds,
  orderNoOfPayment,
  receiptsWithPayer,
  type PaymentRow,
} from './payment.repository.ts';

const n = (v: unknown): number => Number(v);

/** The persons on a bill's lines: none of them may check a correction of the bill. */
async function billPersons(db: Db, billId: number | null): Promise<number[]> {
  if (billId === null) return [];
  const rows = await db
    .selectFrom('contribution_bill_line')
    .select('person_id')
    .where('bill_id', '=', billId)
    .execute();
  return rows.map((r) => n(r.person_id));
}

export class MoneyApprovalService {
  constructor(private readonly db: Db) {}

  async prepareBillCancel(actor: Actor, billId: number, reason: string): Promise<ApprovalView> {
    const b = await billWithAccess(this.db, actor, billId, 'bill.cancel');
    if (b.status !== 'open')
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '只能作废未缴账单',
        en: 'only an open bill can be cancelled',
      });
    return new ApprovalService(this.db).prepare(actor, {
      kind: 'bill.cancel',
      dedupeKey: String(b.id),
      region: b.region.trim(),
      subjectPersonId: b.person_id,
      payload: { billId: b.id, reason },
      summary: {
        billId: b.id,
        period: b.period,
        payerKind: b.payer_kind,
        employerId: b.employer_id,
        personId: b.person_id,
        totalFen: n(b.total_fen),
      },
    });
  }

  /**
   * A payment's reversal (a bank return, a posting to the wrong bill, a duplicate, a keying error) or a
   * held receipt's refund. One receipt of a bill that several held receipts paid together undoes the
   * whole allocation: the summary names the bill that reopens and each other receipt that goes back to
   * held, so the reviewer sees it before releasing; the release refuses any other set (`reversePayment`).
   */
  async preparePaymentReverse(
    actor: Actor,
    paymentId: number,
    input: { reasonKind: ReversalKind; reason: string },
  ): Promise<ApprovalView> {
    // another region's receipt answers as an unknown one: its number tells that city's clerk nothing
    const p = foundInRegion(
      actor,
      'payment.reverse',
      await this.db
        .selectFrom('contribution_payment')
        .selectAll()
        .where('id', '=', paymentId)
        .executeTakeFirst(),
    );
    if (p.status === 'reversed')
      throw new SbError('SB_ERR_CONFLICT', { zh: '缴费已冲正', en: 'the payment is already reversed' });
    const reason = givenReason(input.reason);
    checkKindFits(input.reasonKind, p.status);
    return this.db
      .transaction()
      .execute((tx) => prepareReverseIn(tx, actor, p, { reasonKind: input.reasonKind, reason }));
  }

  approvalKinds(svc: ContributionService): ApprovalKind[] {
    return [
      {
        kind: 'bill.cancel',
        checkAction: 'money.release',
        extraSubjects: (payload) => billPersons(this.db, (payload as { billId: number }).billId),
        execute: (maker, payload, approvalId) => {
          const p = payload as { billId: number; reason: string };
          return svc.cancelBill(maker, p.billId, p.reason, approvalId);
        },
      },
      {
        kind: 'payment.reverse',
        checkAction: 'money.release',
        extraSubjects: async (payload) => {
          const p = await this.db
            .selectFrom('contribution_payment')
            .select('bill_id')
            .where('id', '=', (payload as { paymentId: number }).paymentId)
            .executeTakeFirst();
          return billPersons(this.db, p?.bill_id ?? null);
        },
        execute: (maker, payload, approvalId) => {
          const p = payload as {
            paymentId: number;
            reason: string;
            reasonKind?: ReversalKind;
            status?: 'matched' | 'unallocated';
            heldAgain?: number[];
          };
          // prepared before reversals had a kind: every one then was a bank return, or a held receipt's refund
          const kind = p.reasonKind ?? (p.status === 'unallocated' ? 'refund' : 'bank_return');
          return svc.reversePayment(maker, p.paymentId, kind, p.reason, {
            approvalId,
            expected: p.status,
            heldAgain: p.heldAgain,
          });
        },
      },
      {
        // held money to a bill of a payer it is not known to be from (held-receipt.service.ts)
        kind: ALLOCATE_REVIEW,
        checkAction: 'money.release',
        extraSubjects: async (payload) => {
          const p = payload as { paymentIds: number[]; billId: number };
          const payers = await this.db
            .selectFrom('contribution_payment')
            .select('person_id')
            .where('id', 'in', p.paymentIds)
            .execute();
          return [...(await billPersons(this.db, p.billId)), ...payers.map((r) => r.person_id)];
        },
        execute: (maker, payload, approvalId) => {
          const p = payload as { paymentIds: number[]; billId: number; reason: string };
          return svc.heldReceipts.allocateTogether(maker, p, approvalId);
        },
      },
    ];
  }
}

/**
 * A refund returns held money to its payer: a paid bill's payment is never "refunded" (its reversal
 * reopens the bill), and a held receipt was posted to no bill, so it cannot be on the wrong one.
 */
function checkKindFits(kind: ReversalKind, status: PaymentRow['status']): void {
  if (kind === 'refund' && status === 'matched')
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'reasonKind',
      zh: '已缴账单的款项不能按退费办理，请选择冲正原因（银行退票、误记账单、重复入账、录入错误）',
      en: 'a paid bill’s payment is not refunded: choose why it is reversed (bank return, wrong bill, duplicate, keying error)',
    });
  if (kind === 'wrong_bill' && status === 'unallocated')
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'reasonKind',
      zh: '暂收款未记入任何账单，不能按误记账单冲正',
      en: 'a held receipt was posted to no bill, so it cannot be reversed as posted to the wrong bill',
    });
}

/**
 * Prepares a reversal in the caller's transaction (the clerk's dialog, or a line of the bank's return
 * file): the checks that refuse it throw SB_ERR_CONFLICT before anything is written.
 */
export async function prepareReverseIn(
  tx: Db,
  actor: Actor,
  p: PaymentRow,
  why: { reasonKind: ReversalKind; reason: string; returnFile?: Record<string, unknown> },
): Promise<ApprovalView> {
  // A refund prepared while the receipt's allocation waits: two reviewers would each read one outcome.
  const allocating = (await allocationsInReview(tx)).get(String(p.id));
  if (allocating !== undefined)
    throw new SbError('SB_ERR_CONFLICT', {
      zh: `该暂收款分配到账单的申请 #${allocating} 正待复核，请待其复核后再办理`,
      en: `an allocation of this receipt (#${allocating}) awaits review; wait for that first`,
    });
  const others =
    p.status === 'matched' && p.bill_id !== null
      ? await receiptsWithPayer(tx, await jointPaymentIds(tx, p.id, Number(p.bill_id)))
      : [];
  // Two reversals of one joint bill waiting at once: the first released would leave the second's
  // receipt held, not matched, and its reviewer would have read another outcome.
  for (const o of others) {
    const open = await openApprovalId(tx, 'payment.reverse', String(o.paymentId));
    if (open !== undefined)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `同一账单的款项 ${o.bankRef ?? `#${o.paymentId}`} 已有待复核的冲正 #${open}，请待其复核后再办理`,
        en: `receipt ${o.bankRef ?? `#${o.paymentId}`} of the same bill already has a reversal waiting for review (#${open}); wait for that first`,
      });
  }
  // A gateway's money is real and came as recorded: an order's surplus is refunded, never withdrawn.
  if (p.status === 'unallocated' && reversalMoney(why.reasonKind) === 'withdrawn') {
    const orderNo = await orderNoOfPayment(tx, Number(p.id));
    if (orderNo !== undefined)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'reasonKind',
        zh: `网上缴费订单 ${orderNo} 的重复支付款确已到账，只能退费，不能按重复入账或录入错误撤销`,
        en: `the surplus of online order ${orderNo} did arrive: it is refunded, not withdrawn as a duplicate or a keying error`,
      });
  }
  const heldAgain = others.map((o) => o.paymentId);
  return ApprovalService.prepareIn(tx, actor, {
    kind: 'payment.reverse',
    dedupeKey: String(p.id),
    region: p.region.trim(),
    subjectPersonId: p.person_id,
    // the status it is prepared on: a held receipt allocated before the release is not reversed
    payload: {
      paymentId: p.id,
      reason: why.reason,
      reasonKind: why.reasonKind,
      status: p.status,
      ...(others.length > 0 ? { heldAgain } : {}),
    },
    summary: {
      paymentId: p.id,
      status: p.status,
      reasonKind: why.reasonKind,
      // what the release does to the money, for the reviewer to read before releasing
      money: reversalMoney(why.reasonKind),
      billId: p.bill_id,
      employerId: p.employer_id,
      personId: p.person_id,
      amountFen: n(p.amount_fen),
      paidDate: p.paid_date,
      bankRef: p.bank_ref,
      ...(others.length > 0 ? { heldAgain: others } : {}),
      ...(why.returnFile === undefined ? {} : { returnFile: why.returnFile }),
    },
  });
}
