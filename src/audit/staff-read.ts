// Staff reads of a person's data are audited, so the person sees them in "who looked at my data"
// (GET /api/v1/persons/{id}/access-log): searches that return people, and reads of a person's
// employments, enrolments, bills, certification and personal pension.
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';
import { appendAudit } from './audit.repository.ts';

const STAFF = new Set<Actor['role']>(['clerk', 'reviewer', 'supervisor', 'admin']);

export const isStaffReader = (actor: Actor): boolean => STAFF.has(actor.role);

export interface StaffRead {
  action: string;
  personId: number;
  region: string | null;
  entityType?: string;
  entityId?: string | number;
  after?: unknown;
}

/** One audit entry per person read (nothing for the person themself, an employer or a batch job). */
export async function auditStaffReads(db: Db, actor: Actor, reads: readonly StaffRead[]): Promise<void> {
  if (!isStaffReader(actor) || reads.length === 0) return;
  await db.transaction().execute(async (tx) => {
    for (const r of reads) {
      await appendAudit(tx, actor, {
        action: r.action,
        entityType: r.entityType ?? 'person',
        entityId: r.entityId ?? r.personId,
        region: r.region,
        subjectPersonId: r.personId,
        ...(r.after === undefined ? {} : { after: r.after }),
      });
    }
  });
}
