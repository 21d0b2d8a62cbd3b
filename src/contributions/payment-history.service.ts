// One payment record (缴费到账记录) for the staff answering "where did our money go?": the bank's line as
// it came (the bill it named, that bill's payer) and whose money it is held to be now, the bills it named
// or paid, what happened to it — arrived, held, allocated, reversed by kind with what the money did,
// refunded, held again — and the approvals on it, open and decided. Staff of the record's region only
// (it names clerks and reviewers); another region's record answers the 404 of an unknown id.
import type { Actor } from '../auth/actor.ts';
import { foundInRegion } from '../auth/policy.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import { maskIdNumbersIn } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import { billById } from './bill.repository.ts';
import { paymentChannel } from './bill.service.ts';
import { REVERSAL_KINDS, type ReversalKind } from './contribution.schema.ts';
import type { HeldStatus } from './held-receipt.service.ts';
import { billPayerNamed, payerNamed } from './payment.repository.ts';
import {
  paymentApprovals,
  paymentAuditEntries,
  paymentRecord,
  regionBills,
} from './payment-history.repository.ts';

type Fields = Record<string, unknown>;
type PaymentStatus = 'matched' | 'unallocated' | 'reversed';

const fields = (v: unknown): Fields => (typeof v === 'object' && v !== null ? (v as Fields) : {});
const idOf = (v: unknown): number | null =>
  typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : null;
const statusOf = (v: unknown): PaymentStatus | null =>
  v === 'matched' || v === 'unallocated' || v === 'reversed' ? v : null;
const kindOf = (v: unknown): ReversalKind | null =>
  (REVERSAL_KINDS as readonly unknown[]).includes(v) ? (v as ReversalKind) : null;

/** The entries that change a record's status (its creation by hand or online has entries of its own). */
const CHANGES = new Set(['payment.allocate', 'payment.reverse', 'payment.refund', 'payment.held-again']);
/** The approval kind whose release wrote an entry of this action. */
const RELEASED_AS: Record<string, string> = {
  'payment.reverse': 'payment.reverse',
  'payment.refund': 'payment.reverse',
  'payment.allocate': 'payment.allocate',
};

/** One step of a record's history: an audit entry, or a bank file receipt's arrival (its row). */
interface PaymentEvent {
  at: string;
  action: string;
  actorUsername: string | null;
  /** none for a bank file's receipt: the file's importer made it */
  actorRole: string | null;
  reason: string | null;
  status: PaymentStatus | null;
  billId: number | null;
  reasonKind: ReversalKind | null;
  money: string | null;
  approvalId: number | null;
  releasedBy: string | null;
}

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
    const [entries, approvals] = await Promise.all([
      paymentAuditEntries(this.db, region, paymentId),
      paymentApprovals(this.db, region, paymentId),
    ]);
    const changes = entries.filter((e) => CHANGES.has(e.action));
    // The bank line's bill: only an allocation moves a record to another bill, and says where it was.
    const firstAllocation = changes.find((e) => e.action === 'payment.allocate');
    const namedBillId = firstAllocation ? idOf(fields(firstAllocation.before).billId) : idOf(p.bill_id);
    const namedBill = namedBillId === null ? undefined : await billById(this.db, namedBillId);
    const namedPayer =
      namedBill && namedBill.region.trim() === region.trim()
        ? await billPayerNamed(this.db, namedBill)
        : null;

    // The released approval an entry carried out: its release ran it, with the maker's authority, just
    // before the entry. Each release writes one such entry, so one taken is not matched again (a later
    // allocation by hand is not the earlier reviewed one).
    const used = new Set<number>();
    const releasedFor = (action: string, by: string, at: string) => {
      const a = approvals
        .filter(
          (x) =>
            x.kind === RELEASED_AS[action] &&
            x.status === 'released' &&
            x.maker_username === by &&
            x.decided_at !== null &&
            Date.parse(x.decided_at) <= Date.parse(at) + 1000 &&
            !used.has(Number(x.id)),
        )
        .at(-1);
      if (a) used.add(Number(a.id));
      return a;
    };
    const events: PaymentEvent[] = entries.map((e) => {
      const before = fields(e.before);
      const after = fields(e.after);
      const released = releasedFor(e.action, e.actor_username, e.at);
      return {
        at: e.at,
        action: e.action,
        actorUsername: e.actor_username,
        actorRole: e.actor_role,
        // a clerk's words may hold a payer's ID number: shown masked, as the audit list shows them
        reason: e.reason === null ? null : maskIdNumbersIn(e.reason),
        status: statusOf(after.status),
        billId: idOf(after.billId) ?? idOf(before.billId),
        reasonKind: kindOf(after.reasonKind),
        money: typeof after.money === 'string' ? after.money : null,
        approvalId: released === undefined ? null : Number(released.id),
        releasedBy: released?.checker_username ?? null,
      };
    });
    // A bank file's receipt has no entry of its own (the import's is the file's): its row is its arrival,
    // matched or held as the first change found it.
    if (p.upload_id !== null)
      events.unshift({
        at: p.created_at,
        action: 'payment.import',
        actorUsername: p.created_by,
        actorRole: null,
        reason: null,
        status: statusOf(changes[0] ? fields(changes[0].before).status : p.status),
        billId: namedBillId,
        reasonKind: null,
        money: null,
        approvalId: null,
        releasedBy: null,
      });

    const billIds = [
      ...new Set([namedBillId, ...events.map((e) => e.billId), idOf(p.bill_id)].filter((n) => n !== null)),
    ];
    const bills = await regionBills(this.db, region, billIds);
    const open = approvals.filter((a) => a.status === 'prepared');
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
        paysNow: p.status === 'matched' && idOf(p.bill_id) === Number(b.id),
      })),
      events,
      approvals: approvals.map((a) => {
        const reason = fields(a.payload).reason;
        return {
          id: Number(a.id),
          kind: a.kind,
          status: a.status,
          makerUsername: a.maker_username,
          preparedAt: a.prepared_at,
          checkerUsername: a.checker_username,
          decidedAt: a.decided_at,
          reason: typeof reason === 'string' ? maskIdNumbersIn(reason) : null,
        };
      }),
    };
  }
}
