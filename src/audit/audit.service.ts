// Reading the audit log: supervisors see their region's entries; a person sees who looked at or
// changed their record.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumbersDeep } from '../core/ids.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';

export interface AuditRow {
  id: number;
  at: string;
  actorUsername: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string | null;
  region: string | null;
  subjectPersonId: number | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export interface AuditQuery {
  page: number;
  pageSize: number;
  action?: string;
  entityType?: string;
  entityId?: string;
}

export async function listAudit(
  db: Db,
  actor: Actor,
  q: AuditQuery,
): Promise<{ items: AuditRow[]; total: number; page: number; pageSize: number }> {
  authorize(actor, 'audit.read');
  if (actor.role !== 'system' && actor.region === null) throw new SbError('SB_ERR_FORBIDDEN');
  let base = db.selectFrom('audit_log');
  if (actor.role !== 'system' && actor.region !== null)
    base = base.where('region', 'like', regionLikePattern(actor.region));
  if (q.action !== undefined) base = base.where('action', 'like', `${q.action}%`);
  if (q.entityType !== undefined) base = base.where('entity_type', '=', q.entityType);
  if (q.entityId !== undefined) base = base.where('entity_id', '=', q.entityId);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select([
      'id',
      'at',
      'actor_username',
      'actor_role',
      'action',
      'entity_type',
      'entity_id',
      'region',
      'subject_person_id',
      'before',
      'after',
      'reason',
    ])
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  // The stored entries (and their hash chain) keep what was written; the answer never shows a full
  // ID number, wherever it sits: a reason ("15-digit ID number converted to …"), before/after, any text.
  return {
    items: rows.map((r) =>
      maskIdNumbersDeep({
        id: r.id,
        at: r.at,
        actorUsername: r.actor_username,
        actorRole: r.actor_role,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        region: r.region?.trim() ?? null,
        subjectPersonId: r.subject_person_id === null ? null : Number(r.subject_person_id),
        before: r.before ?? null,
        after: r.after ?? null,
        reason: r.reason,
      }),
    ),
    total: Number(total.n),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Who looked at or changed this person's record (staff and employers; the person's own actions are left out). */
export async function personAccessLog(
  db: Db,
  actor: Actor,
  personId: number,
  page: number,
  pageSize: number,
) {
  authorize(actor, 'audit.read-own', { personId });
  let base = db
    .selectFrom('audit_log')
    .where('subject_person_id', '=', personId)
    .where('actor_role', 'not in', ['citizen']);
  base = base.where('action', 'not like', 'auth.%');
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['id', 'at', 'actor_role', 'action', 'reason'])
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  // Staff names are not shown to citizens: the role and the time, as the agency's notice to the person.
  return {
    items: rows.map((r) =>
      maskIdNumbersDeep({
        id: r.id,
        at: r.at,
        actorRole: r.actor_role,
        action: r.action,
        reason: r.reason,
      }),
    ),
    total: Number(total.n),
    page,
    pageSize,
  };
}
