// Every code an audit entry's action may hold. The audit page names each one in both languages
// (web/src/i18n, key audit.<code>): zh-CN.ts is typed against AuditAction and a test reads
// AUDIT_ACTIONS, so a code the compiler accepts at a writer has a name. Entries already in the log
// keep the code they were written with; the page shows an unnamed one as its code.
// Each capability lists the codes it writes (its *.audit.ts); the audit composes them here.
import { APPROVAL_AUDIT_ACTIONS } from '../approval/approval.audit.ts';
import { AUTH_AUDIT_ACTIONS } from '../auth/auth.audit.ts';
import { ACTIONS, type Action } from '../auth/policy.ts';
import { CARD_AUDIT_ACTIONS } from '../cards/card.audit.ts';
import { CERTIFICATION_AUDIT_ACTIONS } from '../certification/certification.audit.ts';
import { CONTRIBUTION_AUDIT_ACTIONS } from '../contributions/contribution.audit.ts';
import { DEMO_AUDIT_ACTIONS } from '../demo/demo.audit.ts';
import { FEDERATION_AUDIT_ACTIONS } from '../federation/federation.audit.ts';
import { HALL_AUDIT_ACTIONS } from '../hall/hall.audit.ts';
import { INJURY_AUDIT_ACTIONS } from '../injury/injury.audit.ts';
import { PAYROLL_AUDIT_ACTIONS } from '../ledger/monthly-run.audit.ts';
import { PENSION_AUDIT_ACTIONS } from '../pension/pension.audit.ts';
import { REGISTRY_AUDIT_ACTIONS } from '../registry/registry.audit.ts';
import { SUPERVISION_AUDIT_ACTIONS } from '../supervision/supervision.audit.ts';
import { UNEMPLOYMENT_AUDIT_ACTIONS } from '../unemployment/unemployment.audit.ts';

/** The audit's own code (the policy's actions are its own list, src/auth/policy.ts). */
const AUDIT_OWN = ['audit.export'] as const;

const BY_CAPABILITY = [
  AUDIT_OWN,
  APPROVAL_AUDIT_ACTIONS,
  AUTH_AUDIT_ACTIONS,
  CARD_AUDIT_ACTIONS,
  CERTIFICATION_AUDIT_ACTIONS,
  CONTRIBUTION_AUDIT_ACTIONS,
  DEMO_AUDIT_ACTIONS,
  FEDERATION_AUDIT_ACTIONS,
  HALL_AUDIT_ACTIONS,
  INJURY_AUDIT_ACTIONS,
  PAYROLL_AUDIT_ACTIONS,
  PENSION_AUDIT_ACTIONS,
  REGISTRY_AUDIT_ACTIONS,
  SUPERVISION_AUDIT_ACTIONS,
  UNEMPLOYMENT_AUDIT_ACTIONS,
] as const;

/** An entry may be written under the policy action it was authorized as, or under a code its capability lists. */
export type AuditAction = Action | (typeof BY_CAPABILITY)[number][number];

/** Every audit action once (a step's code may also be a policy action: card.apply, injury.recognise). */
export const AUDIT_ACTIONS: readonly AuditAction[] = [...new Set([...ACTIONS, ...BY_CAPABILITY.flat()])];
