// The audit action codes fund supervision writes beyond its policy actions (campaigns and cases).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
export const SUPERVISION_AUDIT_ACTIONS = [
  'supervision.campaign.check',
  'supervision.campaign.create',
  'supervision.case.decide',
  'supervision.case.evidence',
  'supervision.case.note',
  'supervision.case.open',
  'supervision.finding.dismiss',
] as const;
