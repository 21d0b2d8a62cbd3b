// The audit codes the four-eyes approvals write beyond their policy actions (approval.service.ts).
export const APPROVAL_AUDIT_ACTIONS = [
  'approval.prepare',
  'approval.release',
  'approval.release-failed',
  'approval.return',
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    approval: (typeof APPROVAL_AUDIT_ACTIONS)[number];
  }
}
