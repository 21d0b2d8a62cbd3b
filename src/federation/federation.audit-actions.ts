// The audit codes the federation writes beyond its policy actions (transfers between provinces, cross-province files, the central adjustment).
export const FEDERATION_AUDIT_ACTIONS = [
  'central-adjustment.post',
  'pension.record.credit',
  'pension.recovery.collect',
  'transfer.came-through',
  'transfer.collect',
  'transfer.credit',
  'transfer.refuse',
  'transfer.send',
  'transfer.wages.credit',
  'transfer.wages.request',
  'xp.decide',
  'xp.file',
  'xp.status',
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    federation: (typeof FEDERATION_AUDIT_ACTIONS)[number];
  }
}
