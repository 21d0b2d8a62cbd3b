// One payment record (缴费到账记录) for the staff answering "where did our money go?": the bank's line as
// it came (the bill it named, that bill's payer) and whose money it is held to be now, the bills it named
// or paid, what happened to it — arrived, held, allocated, reversed by kind with what the money did,
// refunded, held again — and the approvals on it, open and decided. Staff of the record's region only
// (it names clerks and reviewers); another region's record answers the 404 of an unknown id.
import type { Actor } from '../auth/actor.ts';
import { foundInRegion } from '../auth/policy.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import type { Db } from '../db/connection.ts';
import { billById } from './bill.repository.ts';
import { paymentChannel } from './bill.service.ts';
import type { HeldStatus } from './held-receipt.service.ts';
import { billPayerNamed, payerNamed } from './payment.repository.ts';
import { paymentRecord, regionBills } from './payment-history.repository.ts';
import { readMoneyHistory } from './money-history.service.ts';

export class PaymentHistoryService {
  constructor(private readonly db: Db) {}

  async getPayment(actor: Actor, paymentId: number) {
    const p = foundInRegion(actor, 'payment.read', await paymentRecord(this.db, paymentId));
    const region = p.region;
    // a flexible worker's or a resident's money: their data read, as for their bill
    if (p.person_id !== null)
      await auditStaffReads(this.db, actor, [
        {
          action: 'payment.read',
          personId: Number(p.person_id),
          region: region.trim(),
          entityType: 'contribution_payment',
          entityId: paymentId,
        },
      ]);
    const h = await readMoneyHistory(this.db, region, { paymentId }, [p]);
    const events = h.events;
    const namedBillId = h.namedBill(p);
    const namedBill = namedBillId === null ? undefined : await billById(this.db, namedBillId);
    const namedPayer =
      namedBill && namedBill.region.trim() === region.trim()
        ? await billPayerNamed(this.db, namedBill)
        : null;

    const billNow = p.bill_id === null ? null : Number(p.bill_id);
    const billIds = [
      ...new Set([namedBillId, ...events.map((e) => e.billId), billNow].filter((n) => n !== null)),
    ];
    const bills = await regionBills(this.db, region, billIds);
    const open = h.approvals.filter((a) => a.status === 'prepared');
    const held: HeldStatus | null =
      p.status !== 'unallocated'
        ? null
        : open.some((a) => a.kind === 'payment.reverse')
          ? 'refundReview'
          : open.some((a) => a.kind === 'payment.allocate')
            ? 'allocateReview'
            : p.order_status === 'refund_due'
              ? 'refundDue'
              : 'held';
    return {
      paymentId: Number(p.id),
      bankRef: p.bank_ref,
      paidDate: p.paid_date,
      amountFen: Number(p.amount_fen),
      contributionFen: Number(p.contribution_fen),
      lateFeeFen: Number(p.late_fee_fen),
      channel: p.order_no !== null ? ('online' as const) : paymentChannel(p.source, p.bank_ref),
      file: p.upload_id === null ? null : { uploadId: Number(p.upload_id), filename: p.filename },
      orderNo: p.order_no,
      status: p.status,
      held,
      // the column keeps a kind only once reversed; a wrong bill's record is held again, the audit says why
      reasonKind:
        events.findLast((e) => e.action === 'payment.reverse' || e.action === 'payment.refund')?.reasonKind ??
        p.reason_kind,
      named: { billId: namedBillId, payer: namedPayer },
      payer: payerNamed(p),
      bills: bills.map((b) => ({
        billId: Number(b.id),
        period: b.period,
        status: b.status,
        paysNow: p.status === 'matched' && billNow === Number(b.id),
      })),
      events,
      approvals: h.approvals.map((a) => ({
        id: a.id,
        kind: a.kind,
        status: a.status,
        makerUsername: a.makerUsername,
        preparedAt: a.preparedAt,
        checkerUsername: a.checkerUsername,
        decidedAt: a.decidedAt,
        reason: a.reason,
      })),
    };
  }
}
