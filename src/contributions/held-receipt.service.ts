// Held receipts (暂收款): money received that paid no bill — a bank receipt matching no open bill exactly,
// or a second online order for one bill — held in 2301 until a collections clerk allocates it to a bill
// or has it refunded. The clerk's list (region-scoped) and the allocation live here; the refund is the
// reviewed reversal (money-approval.service.ts), which returns a held receipt to its payer.
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion } from '../auth/policy.ts';
import { openApprovalIds, openApprovalId } from '../approval/approval.repository.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { addDays, daysBetween } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatMoney } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { billForUpdate, setBillStatus } from './bill.repository.ts';
import { amountDue, billNotOpen, paymentSplit } from './bill-support.ts';
import { postAllocation, postPayment } from './contribution-posting.repository.ts';
import {
  allocatePayment,
  heldReceipts,
  orderNoOfPayment,
  paymentById,
  paymentForUpdate,
  publishPaymentRecorded,
  type HeldRow,
} from './payment.repository.ts';

/** held: waits for a clerk; refundDue: an online order's surplus, owed back; refundReview: a refund awaits its reviewer. */
export type HeldStatus = 'held' | 'refundDue' | 'refundReview';

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
}

const STATUSES: readonly HeldStatus[] = ['held', 'refundDue', 'refundReview'];

function view(r: HeldRow, on: string, inReview: ReadonlySet<string>): HeldReceiptView {
  const payer =
    r.person_id !== null
      ? { kind: 'person' as const, id: Number(r.person_id), name: r.person_name ?? '' }
      : r.employer_id !== null
        ? { kind: 'employer' as const, id: Number(r.employer_id), name: r.employer_name ?? '' }
        : null;
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
    status: inReview.has(String(r.id))
      ? 'refundReview'
      : r.order_status === 'refund_due'
        ? 'refundDue'
        : 'held',
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
    const inReview = new Set((await openApprovalIds(this.db, 'payment.reverse')).map((a) => a.dedupe_key));
    const items = rows.map((r) => view(r, on, inReview));
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
   * Allocates a held receipt to an open bill of its region whose amount due on the day the money came
   * (late fee to that day) it pays exactly: the bill is paid as by a matched receipt. Anything else is
   * refused in words: a part payment cannot pay a bill (the bill stays open and the receipt held), and
   * a surplus has nowhere to go (refund it and let the payer pay the amount due).
   */
  async allocate(actor: Actor, paymentId: number, input: { billId: number; reason: string }) {
    const reason = input.reason.trim();
    if (reason.length < 2) throw new SbError('SB_ERR_REQUIRED', { field: 'reason' });
    foundInRegion(actor, 'payment.import', await paymentById(this.db, paymentId));
    return this.db.transaction().execute(async (tx) => {
      // The receipt first, then the bill: a second allocation or a refund's release waits here.
      const held = await paymentForUpdate(tx, paymentId);
      if (held.status !== 'unallocated')
        throw new SbError('SB_ERR_CONFLICT', {
          zh: held.status === 'matched' ? '该暂收款已分配到账单' : '该暂收款已退费',
          en:
            held.status === 'matched'
              ? 'this receipt is already allocated to a bill'
              : 'this receipt was refunded',
        });
      const orderNo = await orderNoOfPayment(tx, paymentId);
      if (orderNo !== undefined)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `网上缴费订单 ${orderNo} 的重复支付款只能原路退费，不能分配到其他账单`,
          en: `the surplus of online order ${orderNo} can only be refunded to where it came from, not allocated`,
        });
      if ((await openApprovalId(tx, 'payment.reverse', String(paymentId))) !== undefined)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '该暂收款的退费正待复核，复核退回后才能分配',
          en: 'a refund of this receipt awaits review; it can be allocated only once the refund is returned',
        });
      const b = await billForUpdate(tx, input.billId);
      // Another region's bill is no bill here, as for a number that does not exist.
      if (!b || b.region.trim() !== held.region.trim())
        throw new SbError('SB_ERR_NOT_FOUND', {
          field: 'billId',
          zh: '本地区没有这个账单编号，请核对回单上的账单号',
          en: 'no bill of this region has this number; check the bill number on the receipt',
        });
      if (b.status !== 'open') throw billNotOpen(b.status);
      const due = amountDue(this.params, b, held.paid_date);
      const amount = Number(held.amount_fen);
      if (amount !== due.totalFen) {
        const dueText = `${formatMoney(due.totalFen)}（含滞纳金 ${formatMoney(due.lateFeeFen)}，计至到账日 ${held.paid_date}）`;
        const dueEn = `${formatMoney(due.totalFen)} (late fee ${formatMoney(due.lateFeeFen)} to ${held.paid_date}, the day the money came)`;
        throw new SbError('SB_ERR_AMOUNT_MISMATCH', {
          field: 'billId',
          ...(amount < due.totalFen
            ? {
                zh: `暂收款 ${formatMoney(amount)} 少于账单应缴 ${dueText}：不能部分缴费，账单仍未缴、款项仍暂收；请缴费人补足差额后一并处理，或退费`,
                en: `the receipt of ${formatMoney(amount)} is less than the ${dueEn} due: a bill cannot be part-paid; the payer pays the difference, or the receipt is refunded`,
              }
            : {
                zh: `暂收款 ${formatMoney(amount)} 多于账单应缴 ${dueText}：多出部分无处入账；请退费后由缴费人按应缴金额缴纳`,
                en: `the receipt of ${formatMoney(amount)} is more than the ${dueEn} due: the surplus has nowhere to go; refund it and let the payer pay the amount due`,
              }),
        });
      }
      const p = await allocatePayment(tx, paymentId, b, paymentSplit(due));
      // Paid on the day the money came; booked today, when the agency learned whose it is.
      await setBillStatus(tx, b.id, 'paid', held.paid_date);
      await postAllocation(tx, actor, {
        id: paymentId,
        region: held.region,
        amountFen: amount,
        billId: b.id,
        entryDate: today(),
      });
      await postPayment(tx, actor, b, due, { id: paymentId, paidDate: today() });
      await publishPaymentRecorded(tx, {
        billId: b.id,
        employerId: b.employer_id,
        personId: b.person_id,
        region: b.region,
        period: b.period,
        amountFen: amount,
      });
      await appendAudit(tx, actor, {
        action: 'payment.allocate',
        entityType: 'contribution_payment',
        entityId: paymentId,
        region: held.region,
        subjectPersonId: b.person_id,
        before: {
          status: 'unallocated',
          billId: held.bill_id,
          employerId: held.employer_id,
          personId: held.person_id,
        },
        after: {
          status: 'matched',
          billId: b.id,
          amountFen: amount,
          lateFeeFen: due.lateFeeFen,
          paidDate: held.paid_date,
        },
        reason,
      });
      return {
        paymentId,
        billId: Number(b.id),
        amountFen: amount,
        contributionFen: Number(p.contribution_fen),
        lateFeeFen: Number(p.late_fee_fen),
        paidDate: p.paid_date,
        status: 'matched' as const,
      };
    });
  }
}
