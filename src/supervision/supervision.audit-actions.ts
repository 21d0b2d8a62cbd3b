// The audit codes fund supervision writes beyond its policy actions (campaigns and cases).
export const SUPERVISION_AUDIT_ACTIONS = [
  'supervision.campaign.check',
  'supervision.campaign.create',
  'supervision.case.decide',
  'supervision.case.evidence',
  'supervision.case.note',
  'supervision.case.open',
  'supervision.finding.dismiss',
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    supervision: (typeof SUPERVISION_AUDIT_ACTIONS)[number];
  }
}
