// The audit codes qualification certification writes beyond its policy actions (campaigns, the home-visit register, the sweep).
export const CERTIFICATION_AUDIT_ACTIONS = [
  'certification.campaign.create',
  'certification.register.add',
  'certification.register.remove',
  'certification.sweep',
  'certification.sweep-chunk',
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    certification: (typeof CERTIFICATION_AUDIT_ACTIONS)[number];
  }
}
