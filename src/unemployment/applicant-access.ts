// Who files and who sees an unemployment application (a claim, a grant): a citizen files their own; the
// citizen sees their own, the staff of its region, the system all; employers never. One rule for the
// list and for the single record.
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInScope } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import { regionLikePattern } from '../core/regions.ts';
import { int } from '../db/values.ts';

/** The person a citizen files for: themselves (a login without a person of its own is refused). */
export function ownApplicant(actor: Actor): number {
  authorize(actor, 'unemployment.claim');
  if (actor.personId === null)
    throw new SbError('SB_ERR_FORBIDDEN', { zh: '仅限本人申领', en: 'own claim only' });
  return actor.personId;
}

/** Narrows a list to what the actor may read (`alias.person_id`, `alias.region`), by status if given. */
export function visibleApplications<DB, TB extends keyof DB, O>(
  b: SelectQueryBuilder<DB, TB, O>,
  actor: Actor,
  alias: string,
  status: string | undefined,
): SelectQueryBuilder<DB, TB, O> {
  authorize(actor, 'unemployment.read');
  let q = b;
  if (actor.role === 'citizen') q = q.where(sql.ref(`${alias}.person_id`), '=', actor.personId ?? -1);
  else if (actor.role !== 'system')
    q = q.where(sql.ref(`${alias}.region`), 'like', regionLikePattern(actor.region ?? ''));
  if (status) q = q.where(sql.ref(`${alias}.status`), '=', status);
  return q;
}

/**
 * Checks the actor may read one application; another person's, another region's (or a missing one)
 * answers as not found, so nobody probes which ids exist.
 */
export function checkReadable<R extends { person_id: number; region: string }>(
  actor: Actor,
  r: R | undefined,
): R {
  return foundInScope(actor, 'unemployment.read', r, (x) => ({
    personId: x.person_id,
    region: x.region.trim(),
  }));
}

/** One page of a narrowed list and the count of all of it. */
export async function pageOf<DB, TB extends keyof DB, O, R>(
  b: SelectQueryBuilder<DB, TB, O>,
  q: { page: number; pageSize: number },
  rows: (b: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, R>,
): Promise<{ rows: R[]; total: number }> {
  const total = await b.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const page = await rows(b)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { rows: page, total: int((total as unknown as { n: unknown }).n) };
}
