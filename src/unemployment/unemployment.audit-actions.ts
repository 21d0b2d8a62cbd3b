// The audit codes the unemployment capability writes beyond its policy actions (refunds, subsidies, stops).
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

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    unemployment: (typeof UNEMPLOYMENT_AUDIT_ACTIONS)[number];
  }
}
