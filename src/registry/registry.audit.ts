// The audit action codes the registry writes beyond its policy actions (back-entry.service.ts).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
export const REGISTRY_AUDIT_ACTIONS = [
  'employment.back-entry.approve',
  'employment.back-entry.request',
  'employment.back-entry.return',
] as const;
