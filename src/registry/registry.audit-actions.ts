// The audit codes the registry writes beyond its policy actions (back-entry.service.ts).
export const REGISTRY_AUDIT_ACTIONS = [
  'employment.back-entry.approve',
  'employment.back-entry.request',
  'employment.back-entry.return',
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    registry: (typeof REGISTRY_AUDIT_ACTIONS)[number];
  }
}
