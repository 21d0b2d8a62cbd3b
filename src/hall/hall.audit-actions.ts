// The audit codes the online hall writes beyond its policy actions: accounts, applications and a home visit's steps.
import { auditFamily } from '../audit/audit-actions.ts';

/** A home visit's steps (home-service.service.ts), each audited as home-visit.<step>. */
const HOME_VISIT_STEPS = ['assign', 'cancel', 'refuse', 'done', 'not-home'] as const;
export type HomeVisitStep = (typeof HOME_VISIT_STEPS)[number];

export const HALL_AUDIT_ACTIONS = [
  'account.code-sent',
  'account.create',
  'account.password-reset',
  'application.create',
  'application.status',
  'home-visit.book',
  ...auditFamily('home-visit.', HOME_VISIT_STEPS),
] as const;

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    hall: (typeof HALL_AUDIT_ACTIONS)[number];
  }
}
