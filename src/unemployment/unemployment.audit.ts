// The audit action codes the unemployment capability writes beyond its policy actions (refunds, subsidies, stops).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
export const UNEMPLOYMENT_AUDIT_ACTIONS = [
  'refund.scan-complete',
  'refund.scan-start',
  'skill-subsidy.pay',
  'skill-subsidy.reject',
  'unemployment.death-grant',
  'unemployment.grant.apply',
  'unemployment.grant.decide',
  'unemployment.resume',
  'unemployment.stop-event',
] as const;
