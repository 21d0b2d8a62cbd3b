// An account as an actor, read as it is now: the approval service runs a released action with its
// maker's authority, so a maker whose role or region changed since acts with what they hold today.
import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { AppUserTable } from '../db/database.ts';
import type { Actor } from './actor.ts';

type AccountActor = { actor: Actor; disabled: boolean };

const ACCOUNT_COLUMNS = ['id', 'username', 'role', 'person_id', 'employer_id', 'region', 'disabled'] as const;

const accounts = (db: Db) => db.selectFrom('app_user').select(ACCOUNT_COLUMNS);

/** The account's actor and whether it is disabled; undefined for no such account. */
export async function accountActor(db: Db, userId: number): Promise<AccountActor | undefined> {
  const u = await accounts(db).where('id', '=', userId).executeTakeFirst();
  return u && toAccountActor(u);
}

/** The same, found by login name (the demo acts through its named logins). */
export async function accountActorByUsername(db: Db, username: string): Promise<AccountActor | undefined> {
  const u = await accounts(db).where('username', '=', username).executeTakeFirst();
  return u && toAccountActor(u);
}

function toAccountActor(u: Pick<Selectable<AppUserTable>, (typeof ACCOUNT_COLUMNS)[number]>): AccountActor {
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
