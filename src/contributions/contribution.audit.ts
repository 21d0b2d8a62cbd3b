// The audit action codes the contributions capability writes beyond its policy actions (flexible billing, online payment).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
export const CONTRIBUTION_AUDIT_ACTIONS = [
  'assessment.flexible',
  'payment.online-failed',
  'payment.online-order',
] as const;
