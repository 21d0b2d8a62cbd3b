// The audit action codes the federation (transfers between regions, cross-province files, the central adjustment) writes beyond its policy actions (its services).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
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
