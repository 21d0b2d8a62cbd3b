// Staff reads of a person's data are audited, so the person sees them in "who looked at my data"
// (GET /api/v1/persons/{id}/access-log): searches that return people, and reads of a person's
// employments, enrolments, bills, certification and personal pension.
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';
import type { AuditAction } from './audit-actions.ts';
import { auditReads } from './audit-queue.ts';

const STAFF = new Set<Actor['role']>(['clerk', 'reviewer', 'supervisor', 'admin']);

export const isStaffReader = (actor: Actor): boolean => STAFF.has(actor.role);

export interface StaffRead {
  action: AuditAction;
  personId: number;
  region: string | null;
  entityType?: string;
  entityId?: string | number;
  after?: unknown;
}

/** One audit entry per person read (nothing for the person themself, an employer or a batch job). */
export async function auditStaffReads(db: Db, actor: Actor, reads: readonly StaffRead[]): Promise<void> {
  if (!isStaffReader(actor) || reads.length === 0) return;
  // Queued in one insert and chained by the audit writer (src/audit/audit-queue.ts): a read does
  // not wait for the chain's lock.
  await auditReads(
    db,
    actor,
    reads.map((r) => ({
      action: r.action,
      entityType: r.entityType ?? 'person',
      entityId: r.entityId ?? r.personId,
      region: r.region,
      subjectPersonId: r.personId,
      ...(r.after === undefined ? {} : { after: r.after }),
    })),
  );
}
