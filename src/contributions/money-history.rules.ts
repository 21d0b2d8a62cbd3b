// Which four-eyes approval a step of a money history carried out (the bill's page and the receipt's page
// name it, with its reviewer). A release runs its action with the maker's authority, and the action's
// audit entry names the approval (`after.approvalId`) since releases pass their id. Entries written
// before that are matched by inference: the maker's latest release of that kind, on the same payment
// (or bill), decided no later than a second after the entry.

/** An audit entry as the matching reads it. */
export interface StepToMatch {
  action: string;
  actorUsername: string;
  at: string;
  /** the payment it concerns, and the bill (a cancellation's) */
  paymentId: number | null;
  billId: number | null;
  /** the approval the entry names itself; null for an entry written before entries named it */
  namedApprovalId: number | null;
}

/** An approval as the matching reads it. */
export interface ApprovalToMatch {
  id: number;
  kind: string;
  status: string;
  makerUsername: string;
  checkerUsername: string | null;
  decidedAt: string | null;
  billId: number | null;
  paymentIds: readonly number[];
}

/** The approval kind whose release writes an entry of this action. */
const RELEASED_AS: Partial<Record<string, string>> = {
  'payment.reverse': 'payment.reverse',
  'payment.refund': 'payment.reverse',
  'payment.allocate': 'payment.allocate',
  'bill.cancel': 'bill.cancel',
};

/**
 * For each step, oldest first, the approval whose release did it and its reviewer (null: none). A
 * release writes one entry per payment it moves (a joint allocation, one per receipt), so an approval
 * matched to a payment's entry is not matched to another entry of that payment: a later allocation by
 * hand is not the earlier reviewed one.
 */
export function releasedApprovals(
  steps: readonly StepToMatch[],
  approvals: readonly ApprovalToMatch[],
): Array<{ approvalId: number; releasedBy: string | null } | null> {
  const used = new Set<string>();
  const key = (approvalId: number, paymentId: number | null) => `${approvalId}:${paymentId ?? 'bill'}`;
  for (const s of steps) if (s.namedApprovalId !== null) used.add(key(s.namedApprovalId, s.paymentId));
  return steps.map((s) => {
    if (s.namedApprovalId !== null) {
      const named = s.namedApprovalId;
      return {
        approvalId: named,
        releasedBy: approvals.find((a) => a.id === named)?.checkerUsername ?? null,
      };
    }
    const kind = RELEASED_AS[s.action];
    if (kind === undefined) return null;
    const a = approvals
      .filter(
        (x) =>
          x.kind === kind &&
          x.status === 'released' &&
          x.makerUsername === s.actorUsername &&
          x.decidedAt !== null &&
          Date.parse(x.decidedAt) <= Date.parse(s.at) + 1000 &&
          (kind === 'bill.cancel'
            ? x.billId === s.billId
            : s.paymentId !== null && x.paymentIds.includes(s.paymentId)) &&
          !used.has(key(x.id, s.paymentId)),
      )
      .at(-1);
    if (!a) return null;
    used.add(key(a.id, s.paymentId));
    return { approvalId: a.id, releasedBy: a.checkerUsername };
  });
}
