// What happened to money on bills, in the reader's words — one reader for the bill's page and the
// receipt's page (they were near-copies): each audit entry as a step (who, when, why, the payment and bill
// it concerns, the status after it, a reversal's kind and what the money did), a bank file's receipt as
// its arrival (it has no entry of its own: the import's entry is the file's), and the approvals with
// their makers and reviewers; which approval a step carried out: money-history.rules.ts.
import type { Db } from '../db/connection.ts';
import { maskIdNumbersIn } from '../core/ids.ts';
import { REVERSAL_KINDS, type ReversalKind } from './reversal.rules.ts';
import { historyApprovals, historyEntries, type HistoryOf } from './money-history.repository.ts';
import { releasedApprovals } from './money-history.rules.ts';

type Fields = Record<string, unknown>;
type PaymentStatus = 'matched' | 'unallocated' | 'reversed';

const fields = (v: unknown): Fields => (typeof v === 'object' && v !== null ? (v as Fields) : {});
const idOf = (v: unknown): number | null =>
  typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : null;
const statusOf = (v: unknown): PaymentStatus | null =>
  v === 'matched' || v === 'unallocated' || v === 'reversed' ? v : null;
const kindOf = (v: unknown): ReversalKind | null =>
  (REVERSAL_KINDS as readonly unknown[]).includes(v) ? (v as ReversalKind) : null;

/** The entries that change a payment's status (its creation by hand or online has entries of its own). */
const CHANGES = new Set(['payment.allocate', 'payment.reverse', 'payment.refund', 'payment.held-again']);
/** One step of a history: an audit entry, or a bank file receipt's arrival. */
export interface HistoryEvent {
  at: string;
  action: string;
  actorUsername: string | null;
  /** none for a bank file's receipt: the file's importer made it */
  actorRole: string | null;
  reason: string | null;
  /** the payment it concerns: the entry's own, or the one a bill's entry names */
  paymentId: number | null;
  /** the payment's status after it */
  status: PaymentStatus | null;
  /** the bill it concerns: where the money went, else where it came from */
  billId: number | null;
  reasonKind: ReversalKind | null;
  /** what a reversal did to the money (worded as on 待复核) */
  money: string | null;
  /** the approval whose release did it, and its reviewer */
  approvalId: number | null;
  releasedBy: string | null;
}

/** An approval on the history's bill or payments, with the payments it acts on. */
export interface HistoryApproval {
  id: number;
  kind: string;
  status: 'prepared' | 'released' | 'returned';
  makerUsername: string;
  preparedAt: string;
  checkerUsername: string | null;
  decidedAt: string | null;
  /** the maker's reason */
  reason: string | null;
  billId: number | null;
  paymentIds: number[];
}

/** A payment whose bank-file arrival is a step of the history. */
export interface ReceivedPayment {
  id: number | string;
  status: string;
  bill_id: number | string | null;
  upload_id: number | string | null;
  created_by: string;
  created_at: string;
}

/**
 * The history of `of`: its steps oldest first — the audit entries and the bank-file arrivals of
 * `received` — the assessment's entry that issued a bill (kept apart: the page dates the issue by the
 * bill), the approvals, and the bill a payment's bank line named (`namedBill`).
 */
export async function readMoneyHistory(
  db: Db,
  region: string,
  of: HistoryOf,
  received: readonly ReceivedPayment[],
) {
  const [entries, rows] = await Promise.all([
    historyEntries(db, region, of),
    historyApprovals(db, region, of),
  ]);
  const approvals: HistoryApproval[] = rows.map((a) => {
    const p = fields(a.payload);
    return {
      id: Number(a.id),
      kind: a.kind,
      status: a.status,
      makerUsername: a.maker_username,
      preparedAt: a.prepared_at,
      checkerUsername: a.checker_username,
      decidedAt: a.decided_at,
      // a clerk's words may hold a payer's ID number: shown masked, as the audit list shows them
      reason: typeof p.reason === 'string' ? maskIdNumbersIn(p.reason) : null,
      billId: idOf(p.billId),
      paymentIds: (Array.isArray(p.paymentIds) ? p.paymentIds : [p.paymentId]).flatMap((x) => idOf(x) ?? []),
    };
  });
  const issue = entries.find((e) => e.entity_type === 'contribution_assessment');
  const steps = entries
    .filter((e) => e.entity_type !== 'contribution_assessment')
    .map((e) => {
      const before = fields(e.before);
      const after = fields(e.after);
      const onBill = e.entity_type === 'contribution_bill' ? idOf(e.entity_id) : null;
      return {
        entry: e,
        before,
        after,
        paymentId: e.entity_type === 'contribution_payment' ? idOf(e.entity_id) : idOf(after.paymentId),
        billId: idOf(after.billId) ?? idOf(before.billId) ?? onBill,
      };
    });

  const released = releasedApprovals(
    steps.map((s) => ({
      action: s.entry.action,
      actorUsername: s.entry.actor_username,
      at: s.entry.at,
      paymentId: s.paymentId,
      billId: s.billId,
      namedApprovalId: idOf(s.after.approvalId),
    })),
    approvals,
  );
  const events: HistoryEvent[] = steps.map((s, i) => ({
    at: s.entry.at,
    action: s.entry.action,
    actorUsername: s.entry.actor_username,
    actorRole: s.entry.actor_role,
    reason: s.entry.reason === null ? null : maskIdNumbersIn(s.entry.reason),
    paymentId: s.paymentId,
    status: statusOf(s.after.status),
    billId: s.billId,
    reasonKind: kindOf(s.after.reasonKind),
    money: typeof s.after.money === 'string' ? s.after.money : null,
    approvalId: released[i]?.approvalId ?? null,
    releasedBy: released[i]?.releasedBy ?? null,
  }));

  const changesOf = (paymentId: number) =>
    steps.filter((s) => s.paymentId === paymentId && CHANGES.has(s.entry.action));
  // The bank line's bill: only an allocation moves a payment to another bill, and says where it was.
  const namedBill = (p: ReceivedPayment): number | null => {
    const allocated = changesOf(Number(p.id)).find((s) => s.entry.action === 'payment.allocate');
    return allocated ? idOf(allocated.before.billId) : idOf(p.bill_id);
  };
  // A bank file's receipt arrives matched or held, as the first change found it (else as it is now); it
  // goes before any entry of the same moment.
  const arrivals: HistoryEvent[] = received
    .filter((p) => p.upload_id !== null)
    .map((p) => {
      const first = changesOf(Number(p.id))[0];
      return {
        at: p.created_at,
        action: 'payment.import',
        actorUsername: p.created_by,
        actorRole: null,
        reason: null,
        paymentId: Number(p.id),
        status: statusOf(first ? first.before.status : p.status),
        billId: namedBill(p),
        reasonKind: null,
        money: null,
        approvalId: null,
        releasedBy: null,
      };
    });
  return {
    events: [...arrivals, ...events].sort((x, y) => Date.parse(x.at) - Date.parse(y.at)),
    issuedBy: issue
      ? { action: issue.action, actorUsername: issue.actor_username, actorRole: issue.actor_role }
      : null,
    approvals,
    namedBill,
  };
}
