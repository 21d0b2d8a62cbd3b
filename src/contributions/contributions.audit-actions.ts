// The audit codes the contributions write beyond their policy actions (flexible billing, online payment).
export const CONTRIBUTIONS_AUDIT_ACTIONS = [
  'assessment.flexible',
  'payment.allocate',
  'payment.held-again',
  'payment.hold',
  'payment.import-skipped',
  'payment.online-failed',
  'payment.online-order',
  'payment.online-refund-due',
  'payment.refund',
  'payment.return-import',
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    contributions: (typeof CONTRIBUTIONS_AUDIT_ACTIONS)[number];
  }
}
