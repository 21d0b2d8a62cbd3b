// The audit codes the work-injury capability writes beyond its policy actions: a case's steps,
// appraisals, hospitals, rehabilitation and settlements.
import { auditFamily } from '../audit/audit-actions.ts';

/** A work-injury case's steps (injury-recognition.service.ts), each audited as injury.<step>. */
const INJURY_CASE_STEPS = ['accept', 'suspend', 'resume', 'recognise', 'not-recognise', 'withdraw'] as const;
export type InjuryCaseStep = (typeof INJURY_CASE_STEPS)[number];

export const INJURY_AUDIT_ACTIONS = [
  'hospital.create',
  'hospital.key.create',
  'hospital.key.old-end',
  'hospital.key.revoke',
  'hospital.key.rotate',
  'injury.appraisal.conclude',
  'injury.appraisal.open',
  'injury.benefit.decide',
  'injury.document',
  'injury.filing.create',
  'rehab.outcome',
  'rehab.refer',
  'rehab.screen',
  'rehab.screen-batch',
  'settlement.complete',
  'settlement.start',
  ...auditFamily('injury.', INJURY_CASE_STEPS),
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    injury: (typeof INJURY_AUDIT_ACTIONS)[number];
  }
}
