// The audit action codes the pension capability writes beyond its policy actions (awards, adjustments, deaths, recoveries, retirement cases).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
export const PENSION_AUDIT_ACTIONS = [
  'pension.adjust',
  'pension.arrears',
  'pension.award',
  'pension.death',
  'pension.recovery.offset',
  'pension.recovery.open',
  'pension.recovery.repayment',
  'pension.recovery.write-off',
  'pension.restore',
  'pension.stop',
  'pension.survivor-benefit',
  'pension.suspend',
  'retirement.reject',
  'retirement.return',
] as const;
