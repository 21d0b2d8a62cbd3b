// Held receipts (暂收款): money received that paid no bill — a bank receipt matching no open bill exactly,
// or a second online order for one bill — held in 2301 until a collections clerk allocates it (alone, or
// with its top-up) to a bill or has it refunded. The clerk's list (region-scoped) and the allocation live here; the refund is the
// reviewed reversal (money-approval.service.ts), which returns a held receipt to its payer.
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion } from '../auth/policy.ts';
import { openApprovalIds, openApprovalId } from '../approval/approval.repository.ts';
import { ApprovalService, type ApprovalView } from '../approval/approval.service.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { addDays, daysBetween } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatMoney } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { billById, billForUpdate, pensionFundOf, setBillStatus, type AmountDue } from './bill.repository.ts';
import { amountDue, billNotOpen, givenReason, paymentSplit } from './bill-support.ts';
import { paidRoundsBefore, postAllocation, postPayment } from './contribution-posting.repository.ts';
import { shareDue } from './held-receipt.rules.ts';
import {
  allocatePayment,
  billPayerNamed,
  heldReceipts,
  orderNoOfPayment,
  jointPaymentIds,
  paymentById,
  paymentsFound,
  payerNamed,
  paymentsForUpdate,
  publishPaymentRecorded,
  receiptsWithPayer,
  type HeldRow,
  type PaymentRow,
} from './payment.repository.ts';

/**
 * held: waits for a clerk; refundDue: an online order's surplus, owed back; refundReview: a refund awaits
 * its reviewer; allocateReview: an allocation to a payer it is not known to be from awaits its reviewer.
 */
export type HeldStatus = 'held' | 'refundDue' | 'refundReview' | 'allocateReview';

/** The approval kind of an allocation that needs a reviewer: its key is the receipts' ids, in order, joined by commas. */
export const ALLOCATE_REVIEW = 'payment.allocate';

/** The receipts whose allocation awaits its reviewer, by payment id → approval id. */
export async function allocationsInReview(db: Db): Promise<Map<string, number>> {
  const open = await openApprovalIds(db, ALLOCATE_REVIEW);
  return new Map(open.flatMap((a) => a.dedupe_key.split(',').map((id) => [id, Number(a.id)] as const)));
}

type Payer = { kind: 'employer' | 'person'; id: number; name: string } | null;
const samePayer = (a: Payer, b: Payer) => a !== null && b !== null && a.kind === b.kind && a.id === b.id;

export interface HeldReceiptView {
  paymentId: number;
  bankRef: string | null;
  paidDate: string;
  daysHeld: number;
  amountFen: number;
  /** the bill the receipt names (a bank file's bill_no of this region) or the online order's bill */
  billId: number | null;
  billPeriod: string | null;
  payer: { kind: 'employer' | 'person'; id: number; name: string } | null;
  source: 'bank-file' | 'online-order';
  orderNo: string | null;
  status: HeldStatus;
  /** the approval its refund or allocation awaits (refundReview, allocateReview), for 待复核 #n */
  approvalId: number | null;
  /**
   * Taken off the bill it names (`billId`) as posted to the wrong bill: no payer is known, so its next
   * allocation needs a reviewer; allocated, it no longer says so.
   */
  offWrongBill: boolean;
}

/** Held receipts that paid a bill: the bill's sum and paid date, and each receipt's share. */
export interface JointAllocationResult {
  billId: number;
  amountFen: number;
  contributionFen: number;
  lateFeeFen: number;
  paidDate: string;
  status: 'matched';
  payments: Array<{
    paymentId: number;
    bankRef: string | null;
    paidDate: string;
    amountFen: number;
    contributionFen: number;
    lateFeeFen: number;
  }>;
}

const STATUSES: readonly HeldStatus[] = ['held', 'refundDue', 'refundReview', 'allocateReview'];

/** refunding, allocating: the open approvals by payment id → approval id. */
function view(
  r: HeldRow,
  on: string,
  refunding: ReadonlyMap<string, number>,
  allocating: ReadonlyMap<string, number>,
): HeldReceiptView {
  const payer = payerNamed(r);
  const refund = refunding.get(String(r.id));
  const allocation = allocating.get(String(r.id));
  return {
    paymentId: Number(r.id),
    bankRef: r.bank_ref,
    paidDate: r.paid_date,
    daysHeld: daysBetween(r.paid_date, on),
    amountFen: Number(r.amount_fen),
    billId: r.bill_id === null ? null : Number(r.bill_id),
    billPeriod: r.bill_period,
    payer,
    source: r.order_no === null ? 'bank-file' : 'online-order',
    orderNo: r.order_no,
    status:
      refund !== undefined
        ? 'refundReview'
        : allocation !== undefined
          ? 'allocateReview'
          : r.order_status === 'refund_due'
            ? 'refundDue'
            : 'held',
    approvalId: refund ?? allocation ?? null,
    offWrongBill: r.reason_kind === 'wrong_bill',
  };
}

export class HeldReceiptService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** The region's held receipts, oldest first, with totals per status; `minDays`: held at least so long. */
  async list(actor: Actor, f: { region?: string; minDays?: number }) {
    const region = f.region ?? actor.region;
    if (!region) throw new SbError('SB_ERR_REQUIRED', { field: 'region' });
    authorize(actor, 'payment.import', { region });
    const on = today();
    const rows = await heldReceipts(
      this.db,
      region,
      f.minDays === undefined ? null : addDays(on, -f.minDays),
    );
    const refunding = new Map(
      (await openApprovalIds(this.db, 'payment.reverse')).map((a) => [a.dedupe_key, Number(a.id)]),
    );
    const allocating = await allocationsInReview(this.db);
    const items = rows.map((r) => view(r, on, refunding, allocating));
    return {
      region,
      asOf: on,
      items,
      totals: STATUSES.map((status) => {
        const of = items.filter((i) => i.status === status);
        return { status, count: of.length, amountFen: of.reduce((s, i) => s + i.amountFen, 0) };
      }),
    };
  }

  /**
   * What an open bill of the region is due on a day (the last chosen receipt's), for the clerk to weigh
   * the receipts' sum against before allocating. Another region's bill is not found, as a wrong number.
   */
  async dueOn(actor: Actor, billId: number, on: string) {
    const b = foundInRegion(actor, 'payment.import', await billById(this.db, billId));
    if (b.status !== 'open') throw billNotOpen(b.status);
    return { billId: Number(b.id), period: b.period, on, due: amountDue(this.params, b, on) };
  }

  /**
   * The region's payments by bank reference or bill number, for a clerk to find one the bank returned
   * (退票): each with its bill, payer, status, a reversal waiting for review, and — for a bill paid by
   * several receipts — the others that would go back to held, as the reversal's prepare will name them.
   * Another region's payment is not found here (its clerk sees nothing, and the reversal refuses).
   */
  async find(actor: Actor, by: { bankRef?: string; billId?: number }) {
    const region = actor.region;
    if (!region) throw new SbError('SB_ERR_REQUIRED', { field: 'region' });
    authorize(actor, 'payment.reverse', { region });
    if (by.bankRef === undefined && by.billId === undefined)
      throw new SbError('SB_ERR_REQUIRED', { field: 'bankRef' });
    const rows = await paymentsFound(this.db, region, by);
    const inReview = new Map(
      (await openApprovalIds(this.db, 'payment.reverse')).map((a) => [a.dedupe_key, Number(a.id)]),
    );
    const items = [];
    for (const r of rows) {
      const joint =
        r.status === 'matched' && r.bill_id !== null
          ? await receiptsWithPayer(this.db, await jointPaymentIds(this.db, Number(r.id), Number(r.bill_id)))
          : [];
      items.push({
        paymentId: Number(r.id),
        bankRef: r.bank_ref,
        paidDate: r.paid_date,
        amountFen: Number(r.amount_fen),
        status: r.status,
        billId: r.bill_id === null ? null : Number(r.bill_id),
        billPeriod: r.bill_period,
        payer: payerNamed(r),
        reversalReview: inReview.get(String(r.id)) ?? null,
        heldAgain: joint.map((j) => ({
          paymentId: j.paymentId,
          bankRef: j.bankRef,
          amountFen: j.amountFen,
          paidDate: j.paidDate,
        })),
      });
    }
    return { region, items };
  }

  /** One held receipt that pays a bill alone: `allocateTogether` with a single receipt. */
  async allocate(actor: Actor, paymentId: number, input: { billId: number; reason: string }) {
    const r = await this.allocateTogether(actor, { ...input, paymentIds: [paymentId] });
    if ('kind' in r) return r;
    const p = r.payments[0];
    if (!p) throw new Error('an allocation without its receipt');
    return {
      paymentId,
      billId: r.billId,
      amountFen: p.amountFen,
      contributionFen: p.contributionFen,
      lateFeeFen: p.lateFeeFen,
      paidDate: r.paidDate,
      status: r.status,
    };
  }

  /**
   * Allocates held receipts of the region — one, or a short receipt and its top-up — to an open bill
   * whose amount due they pay exactly together. The late fee runs to the day the last of them came: the
   * bill is paid only when all of its money is in, so that is its paid date. Each receipt is matched to
   * the bill with its share (earlier money pays the contributions, the late fee comes last) and posts as
   * a single allocation does; the hall hears of one payment. Anything else is refused in words and
   * nothing is written: a sum short of the amount due cannot part-pay a bill, a surplus has nowhere to go.
   *
   * Money of no known payer, or of a payer other than the bill's, moves to that bill only with a
   * reviewer's release (四眼): every check passes, nothing is written, and the answer is the approval
   * prepared (`ALLOCATE_REVIEW`), whose summary says what moves where. `approvalId`: that approval, its
   * release running this with the maker's authority (every check is made again under the locks); the
   * audit entries name it.
   */
  async allocateTogether(
    actor: Actor,
    input: { paymentIds: number[]; billId: number; reason: string },
    approvalId?: number,
  ): Promise<JointAllocationResult | ApprovalView> {
    const reason = givenReason(input.reason);
    const ids = input.paymentIds;
    if (ids.length === 0) throw new SbError('SB_ERR_REQUIRED', { field: 'paymentIds' });
    if (new Set(ids).size !== ids.length)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'paymentIds',
        zh: '同一笔暂收款在所选中出现了两次',
        en: 'the same receipt is chosen twice',
      });
    // Another district's receipt answers as one that does not exist.
    for (const id of ids) foundInRegion(actor, 'payment.import', await paymentById(this.db, id));
    return this.db.transaction().execute(async (tx): Promise<JointAllocationResult | ApprovalView> => {
      // The receipts first, in id order, then the bill: a second allocation or a refund's release waits here.
      const locked = await paymentsForUpdate(tx, ids);
      const many = locked.length > 1;
      for (const held of locked) await this.checkHeld(tx, held, many);
      const payers = await receiptsWithPayer(tx, ids);
      if (many) refuseMixedPayers(payers);
      const payerOf = (id: number) => payers.find((x) => x.paymentId === id)?.payer ?? null;
      // Oldest money first: it pays the contributions, and the last receipt's day ends the late fee.
      const receipts = [...locked].sort(
        (x, y) => x.paid_date.localeCompare(y.paid_date) || Number(x.id) - Number(y.id),
      );
      const last = receipts[receipts.length - 1];
      if (!last) throw new SbError('SB_ERR_REQUIRED', { field: 'paymentIds' });
      const b = await billForUpdate(tx, input.billId);
      // Another region's bill is no bill here, as for a number that does not exist.
      if (!b || receipts.some((h) => b.region.trim() !== h.region.trim()))
        throw new SbError('SB_ERR_NOT_FOUND', {
          field: 'billId',
          zh: '本地区没有这个账单编号，请核对回单上的账单号',
          en: 'no bill of this region has this number; check the bill number on the receipt',
        });
      if (b.status !== 'open') throw billNotOpen(b.status);
      const paidDate = last.paid_date;
      const due = amountDue(this.params, b, paidDate);
      const amounts = receipts.map((h) => Number(h.amount_fen));
      const sum = amounts.reduce((s, a) => s + a, 0);
      if (sum !== due.totalFen) throw amountMismatch(sum, receipts.length, due, paidDate);
      const billPayer = await billPayerNamed(tx, b);
      const strangers = receipts.filter((h) => !samePayer(payerOf(Number(h.id)), billPayer));
      // Prepared under the receipts' locks: an allocation or refund of them waits, then finds this one.
      if (strangers.length > 0 && approvalId === undefined)
        return ApprovalService.prepareIn(tx, actor, {
          kind: ALLOCATE_REVIEW,
          dedupeKey: [...ids].sort((x, y) => x - y).join(','),
          region: b.region.trim(),
          subjectPersonId: b.person_id,
          payload: { paymentIds: ids, billId: input.billId, reason },
          // what moves where, for the reviewer's line on 待复核
          summary: {
            bill: { billId: Number(b.id), period: b.period, payer: billPayer },
            amountFen: sum,
            lateFeeFen: due.lateFeeFen,
            paidDate,
            receipts: receipts.map((h) => ({
              paymentId: Number(h.id),
              bankRef: h.bank_ref,
              amountFen: Number(h.amount_fen),
              paidDate: h.paid_date,
              payer: payerOf(Number(h.id)),
            })),
          },
        });
      const shares = shareDue(due, amounts);
      // The personal account's credit is posted once, with the first share that pays the pension fund.
      const pension = pensionFundOf(b.payer_kind);
      const accountAt = shares.findIndex((s) => s.parts.some((p) => p.fund === pension));
      const payments = [];
      for (const [i, held] of receipts.entries()) {
        const share = shares[i];
        if (!share) throw new Error('a receipt without its share');
        const id = Number(held.id);
        // A receipt returned to held when its joint bill's other receipt came back is allocated anew.
        const round = await paidRoundsBefore(tx, id);
        const p = await allocatePayment(tx, id, b, paymentSplit(share));
        // Booked today, when the agency learned whose money it is.
        await postAllocation(tx, actor, {
          id,
          region: held.region,
          amountFen: share.totalFen,
          billId: b.id,
          entryDate: today(),
          round,
        });
        await postPayment(
          tx,
          actor,
          i === Math.max(accountAt, 0) ? b : { ...b, personal_account_fen: 0 },
          share,
          { id, paidDate: today(), round },
        );
        payments.push({
          paymentId: id,
          bankRef: held.bank_ref,
          paidDate: held.paid_date,
          amountFen: share.totalFen,
          contributionFen: Number(p.contribution_fen),
          lateFeeFen: Number(p.late_fee_fen),
        });
      }
      await setBillStatus(tx, b.id, 'paid', paidDate);
      await publishPaymentRecorded(tx, {
        billId: b.id,
        employerId: b.employer_id,
        personId: b.person_id,
        region: b.region,
        period: b.period,
        amountFen: sum,
        heldRefs: receipts.map((h) => h.bank_ref ?? `#${h.id}`),
      });
      for (const held of receipts) {
        const others = receipts.filter((o) => o.id !== held.id);
        const mine = payments.find((p) => p.paymentId === Number(held.id));
        await appendAudit(tx, actor, {
          action: 'payment.allocate',
          entityType: 'contribution_payment',
          entityId: held.id,
          region: held.region,
          subjectPersonId: b.person_id,
          before: {
            status: 'unallocated',
            billId: held.bill_id,
            employerId: held.employer_id,
            personId: held.person_id,
            payer: payerOf(Number(held.id)),
          },
          after: {
            status: 'matched',
            billId: b.id,
            amountFen: mine?.amountFen,
            lateFeeFen: mine?.lateFeeFen,
            paidDate: held.paid_date,
            billPaidDate: paidDate,
            billLateFeeFen: due.lateFeeFen,
            ...(approvalId === undefined ? {} : { approvalId }),
            ...(others.length === 0
              ? {}
              : {
                  together: others.map((o) => ({
                    paymentId: Number(o.id),
                    bankRef: o.bank_ref,
                    payer: payerOf(Number(o.id)),
                  })),
                  lateFeeTo: `${paidDate}: 最后一笔到账之日，款项到齐账单才缴清 / the day the last receipt came: the bill is paid only when all of its money is in`,
                }),
          },
          reason,
        });
      }
      return {
        billId: Number(b.id),
        amountFen: sum,
        contributionFen: due.contributionFen,
        lateFeeFen: due.lateFeeFen,
        paidDate,
        status: 'matched' as const,
        payments,
      };
    });
  }

  /** A receipt can be allocated while held: not matched or refunded, no online order's surplus, no refund in review. */
  private async checkHeld(tx: Db, held: PaymentRow, many: boolean): Promise<void> {
    // With several receipts chosen, the refusal says which one.
    const which = (zh: string, en: string) =>
      many
        ? {
            zh: `流水 ${held.bank_ref ?? `#${held.id}`}：${zh}`,
            en: `bank ref ${held.bank_ref ?? `#${held.id}`}: ${en}`,
          }
        : { zh, en };
    if (held.status !== 'unallocated')
      throw new SbError(
        'SB_ERR_CONFLICT',
        held.status === 'matched'
          ? which('该暂收款已分配到账单', 'this receipt is already allocated to a bill')
          : which('该暂收款已退费', 'this receipt was refunded'),
      );
    const orderNo = await orderNoOfPayment(tx, Number(held.id));
    if (orderNo !== undefined)
      throw new SbError(
        'SB_ERR_CONFLICT',
        which(
          `网上缴费订单 ${orderNo} 的重复支付款只能原路退费，不能分配到其他账单`,
          `the surplus of online order ${orderNo} can only be refunded to where it came from, not allocated`,
        ),
      );
    const allocating = (await allocationsInReview(tx)).get(String(held.id));
    if (allocating !== undefined)
      throw new SbError(
        'SB_ERR_CONFLICT',
        which(
          `该暂收款分配到账单的申请 #${allocating} 正待复核，复核放行或退回后才能再办理`,
          `an allocation of this receipt (#${allocating}) awaits review; it can be handled again once that is released or returned`,
        ),
      );
    if ((await openApprovalId(tx, 'payment.reverse', String(held.id))) !== undefined)
      throw new SbError(
        'SB_ERR_CONFLICT',
        which(
          '该暂收款的退费正待复核，复核退回后才能分配',
          'a refund of this receipt awaits review; it can be allocated only once the refund is returned',
        ),
      );
  }
}

/**
 * Receipts of two different payers do not pay one bill together: a bill is one payer's debt, and when
 * the bank returned one of them the other would go back to held as money of a payer it never was.
 * A receipt that named no bill (payer unknown) may join the receipts of one payer: the clerk found whose
 * it is. The refusal names each receipt's payer, for the clerk to check where the money came from.
 */
function refuseMixedPayers(
  receipts: ReadonlyArray<{
    bankRef: string | null;
    paymentId: number;
    payer: { kind: string; id: number; name: string } | null;
  }>,
): void {
  const known = receipts.filter((r) => r.payer !== null);
  if (new Set(known.map((r) => `${r.payer?.kind}:${r.payer?.id}`)).size <= 1) return;
  const each = known.map((r) => `${r.bankRef ?? `#${r.paymentId}`}：${r.payer?.name ?? ''}`);
  const eachEn = known.map((r) => `${r.bankRef ?? `#${r.paymentId}`}: ${r.payer?.name ?? ''}`);
  throw new SbError('SB_ERR_CONFLICT', {
    field: 'paymentIds',
    zh: `所选暂收款来自不同缴费人（${each.join('；')}），不能合并缴清一张账单：一张账单只能用同一缴费人的款项缴清。请核实款项来源，分别分配或退费`,
    en: `the receipts chosen come from different payers (${eachEn.join('; ')}) and cannot pay one bill together: a bill is paid with one payer's money. Check where the money came from, then allocate or refund each on its own`,
  });
}

/** The refusal of receipts that do not add up to the amount due, in words, with what to do instead. */
function amountMismatch(sum: number, count: number, due: AmountDue, paidDate: string): SbError {
  const what = count === 1 ? `暂收款 ${formatMoney(sum)}` : `所选 ${count} 笔暂收款合计 ${formatMoney(sum)}`;
  const whatEn =
    count === 1
      ? `the receipt of ${formatMoney(sum)}`
      : `the ${count} receipts chosen, together ${formatMoney(sum)},`;
  const day = count === 1 ? '到账日' : '最后一笔到账日';
  const dayEn = count === 1 ? 'the day the money came' : 'the day the last of them came';
  const dueText = `${formatMoney(due.totalFen)}（含滞纳金 ${formatMoney(due.lateFeeFen)}，计至${day} ${paidDate}）`;
  const dueEn = `${formatMoney(due.totalFen)} (late fee ${formatMoney(due.lateFeeFen)} to ${paidDate}, ${dayEn})`;
  const diff = formatMoney(Math.abs(due.totalFen - sum));
  return new SbError('SB_ERR_AMOUNT_MISMATCH', {
    field: 'billId',
    ...(sum < due.totalFen
      ? {
          zh: `${what} 少于账单应缴 ${dueText}：不能部分缴费，账单仍未缴、款项仍暂收；请缴费人补足差额 ${diff}，再将补缴款与本款一并分配，或退费`,
          en: `${whatEn} is less than the ${dueEn} due: a bill cannot be part-paid; the payer pays the difference of ${diff} and both receipts are allocated together, or the receipt is refunded`,
        }
      : {
          zh: `${what} 多于账单应缴 ${dueText}：多出 ${diff} 无处入账；请退费后由缴费人按应缴金额缴纳`,
          en: `${whatEn} is more than the ${dueEn} due: the surplus of ${diff} has nowhere to go; refund it and let the payer pay the amount due`,
        }),
  });
}
