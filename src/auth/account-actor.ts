// An account as an actor, read as it is now: the approval service runs a released action with its
// maker's authority, so a maker whose role or region changed since acts with what they hold today.
import type { Db } from '../db/connection.ts';
import type { Actor } from './actor.ts';

/** The account's actor and whether it is disabled; undefined for no such account. */
export async function accountActor(
  db: Db,
  userId: number,
): Promise<{ actor: Actor; disabled: boolean } | undefined> {
  const u = await db
    .selectFrom('app_user')
    .select(['id', 'username', 'role', 'person_id', 'employer_id', 'region', 'disabled'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!u) return undefined;
  return {
    disabled: u.disabled,
    actor: {
      userId: u.id,
      username: u.username,
      role: u.role,
      personId: u.role === 'citizen' ? u.person_id : null,
      employerId: u.employer_id,
      region: u.region?.trim() ?? null,
    },
  };
}
