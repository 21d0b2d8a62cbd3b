// Assembly (floor 6): every audit action code, from the capabilities that write them, for the audit
// routes (GET /api/v1/audit/actions) and the audit page's names (web/src/i18n/zh-CN.ts is typed
// against AuditAction). The record below must name every capability that added codes to
// AuditActionCodes (src/audit/audit-actions.ts), or it does not compile.
import { APPROVAL_AUDIT_ACTIONS } from './approval/approval.audit-actions.ts';
import { AUDIT_AUDIT_ACTIONS, type AuditAction, type AuditActionCodes } from './audit/audit-actions.ts';
import { AUTH_AUDIT_ACTIONS } from './auth/auth.audit-actions.ts';
import { ACTIONS } from './auth/policy.ts';
import { CARDS_AUDIT_ACTIONS } from './cards/cards.audit-actions.ts';
import { CERTIFICATION_AUDIT_ACTIONS } from './certification/certification.audit-actions.ts';
import { CONTRIBUTIONS_AUDIT_ACTIONS } from './contributions/contributions.audit-actions.ts';
import { DEMO_AUDIT_ACTIONS } from './demo/demo.audit-actions.ts';
import { FEDERATION_AUDIT_ACTIONS } from './federation/federation.audit-actions.ts';
import { HALL_AUDIT_ACTIONS } from './hall/hall.audit-actions.ts';
import { INJURY_AUDIT_ACTIONS } from './injury/injury.audit-actions.ts';
import { LEDGER_AUDIT_ACTIONS } from './ledger/ledger.audit-actions.ts';
import { PENSION_AUDIT_ACTIONS } from './pension/pension.audit-actions.ts';
import { REGISTRY_AUDIT_ACTIONS } from './registry/registry.audit-actions.ts';
import { SUPERVISION_AUDIT_ACTIONS } from './supervision/supervision.audit-actions.ts';
import { UNEMPLOYMENT_AUDIT_ACTIONS } from './unemployment/unemployment.audit-actions.ts';

export type { AuditAction };

/** Each capability's codes beyond the policy's actions. */
export const AUDIT_ACTIONS_BY_CAPABILITY: { [C in keyof AuditActionCodes]: readonly AuditActionCodes[C][] } =
  {
    audit: AUDIT_AUDIT_ACTIONS,
    approval: APPROVAL_AUDIT_ACTIONS,
    auth: AUTH_AUDIT_ACTIONS,
    ledger: LEDGER_AUDIT_ACTIONS,
    registry: REGISTRY_AUDIT_ACTIONS,
    contributions: CONTRIBUTIONS_AUDIT_ACTIONS,
    pension: PENSION_AUDIT_ACTIONS,
    unemployment: UNEMPLOYMENT_AUDIT_ACTIONS,
    injury: INJURY_AUDIT_ACTIONS,
    certification: CERTIFICATION_AUDIT_ACTIONS,
    cards: CARDS_AUDIT_ACTIONS,
    hall: HALL_AUDIT_ACTIONS,
    supervision: SUPERVISION_AUDIT_ACTIONS,
    federation: FEDERATION_AUDIT_ACTIONS,
    demo: DEMO_AUDIT_ACTIONS,
  };

/** Every audit action once (a step's code may also be a policy action: card.apply, injury.recognise). */
export const AUDIT_ACTIONS: readonly AuditAction[] = [
  ...new Set<AuditAction>([...ACTIONS, ...Object.values(AUDIT_ACTIONS_BY_CAPABILITY).flat()]),
];
