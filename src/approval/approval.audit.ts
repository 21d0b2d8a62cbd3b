// The audit action codes the four-eyes approvals writes beyond its policy actions (approval.service.ts).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
export const APPROVAL_AUDIT_ACTIONS = [
  'approval.prepare',
  'approval.release',
  'approval.release-failed',
  'approval.return',
] as const;
