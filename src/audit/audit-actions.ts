// Every code an audit entry's action may hold: the policy's actions (src/auth/policy.ts) and the
// codes each capability writes beyond them, declared in its own <capability>.audit-actions.ts. The
// audit (floor 1) names no capability above it: each adds its codes to AuditActionCodes below, as
// the tables add themselves to Database, so a code no capability declares does not compile at a
// writer; the assembly composes the lists (src/audit-actions.ts) for GET /api/v1/audit/actions.
// The audit page names each code in both languages (web/src/i18n, key audit.<code>). Entries already
// in the log keep the code they were written with; the page shows an unnamed one as its code.
import type { Action } from '../auth/policy.ts';

/** The audit's own codes. */
export const AUDIT_AUDIT_ACTIONS = ['audit.export'] as const;

/**
 * Each capability's codes, one member each, added from its <capability>.audit-actions.ts with
 * `declare module '../audit/audit-actions.ts' { interface AuditActionCodes { cards: … } }`.
 */
export interface AuditActionCodes {
  audit: (typeof AUDIT_AUDIT_ACTIONS)[number];
}

/** An entry may be written under the policy action it was authorized as, or under a capability's code. */
export type AuditAction = Action | AuditActionCodes[keyof AuditActionCodes];

/** A process's steps, each audited as <prefix><step> (card.apply, home-visit.assign). */
export const auditFamily = <P extends string, S extends string>(prefix: P, steps: readonly S[]) =>
  steps.map((s): `${P}${S}` => `${prefix}${s}`);
