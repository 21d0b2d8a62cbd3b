// The audit action codes qualification certification writes beyond its policy actions (campaigns, the home-visit register, the sweep).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
export const CERTIFICATION_AUDIT_ACTIONS = [
  'certification.campaign.create',
  'certification.register.add',
  'certification.register.remove',
  'certification.sweep',
  'certification.sweep-chunk',
] as const;
