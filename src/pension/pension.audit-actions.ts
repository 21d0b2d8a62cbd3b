// The audit codes the pension capability writes beyond its policy actions (awards, adjustment, deaths, recoveries, retirement cases).
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
  'retirement.return',
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    pension: (typeof PENSION_AUDIT_ACTIONS)[number];
  }
}
