// SQL of the accounts (app_user) for logins and the staff accounts' management (auth.service.ts,
// user.service.ts). Executor first; the services own the transactions, the access checks and the audit.
import type { Insertable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { AppUserTable } from '../db/database.ts';
import { STAFF_ROLES, type StaffRole } from './actor.ts';

/** The columns of a staff account (app_user as u) and its person (person as p) that every read shows. */
const STAFF_COLUMNS = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.role',
  'u.region',
  'u.disabled',
  'u.person_id',
  'p.name',
  'p.id_number',
] as const;

export const userByUsername = (db: Db, username: string) =>
  db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();

/** An account's own lock and failures cleared (a login, an administrator's unlock). */
export async function clearUserLock(db: Db, userId: number): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();
}

/** An account with its person's name and ID number, whatever its role (the caller checks it is staff). */
export const accountWithPerson = (db: Db, userId: number) =>
  db
    .selectFrom('app_user as u')
    .leftJoin('person as p', 'p.id', 'u.person_id')
    .select(STAFF_COLUMNS)
    .where('u.id', '=', userId)
    .executeTakeFirst();

/** A page of staff accounts in id order, within the region's pattern (null: all), and their number. */
export async function staffPage(db: Db, regionPattern: string | null, page: number, pageSize: number) {
  let q = db
    .selectFrom('app_user as u')
    .leftJoin('person as p', 'p.id', 'u.person_id')
    .where('u.role', 'in', [...STAFF_ROLES]);
  if (regionPattern !== null) q = q.where('u.region', 'like', regionPattern);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select([...STAFF_COLUMNS, 'u.locked_until', 'u.password_hash'])
    .orderBy('u.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { total: Number(total.n), rows };
}

/** The staff roles waiting for a second approver, by account id (the approvals' `user.role` payloads). */
export async function pendingRoles(
  db: Db,
  userIds: readonly number[],
): Promise<Map<number, { approvalId: number; role: string }>> {
  const pending = await db
    .selectFrom('approval')
    .select(['id', 'payload'])
    .where('kind', '=', 'user.role')
    .where('status', '=', 'prepared')
    .where('dedupe_key', 'in', userIds.length === 0 ? ['-'] : userIds.map(String))
    .execute();
  return new Map(
    pending.map((a) => {
      const p = a.payload as { userId: number; role: string };
      return [p.userId, { approvalId: a.id, role: p.role }] as const;
    }),
  );
}

export async function usernameTaken(tx: Db, username: string): Promise<boolean> {
  const exists = await tx
    .selectFrom('app_user')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  return exists !== undefined;
}

export async function insertAccount(tx: Db, u: Insertable<AppUserTable>): Promise<number> {
  const row = await tx.insertInto('app_user').values(u).returning(['id']).executeTakeFirstOrThrow();
  return row.id;
}

/** A staff role in force (and the account enabled, for a new one). */
export async function setRole(tx: Db, userId: number, role: StaffRole, activate: boolean): Promise<void> {
  await tx
    .updateTable('app_user')
    .set({ role, ...(activate ? { disabled: false } : {}) })
    .where('id', '=', userId)
    .execute();
}

export const accountBySetPasswordToken = (db: Db, tokenHash: string) =>
  db
    .selectFrom('app_user')
    .select(['id', 'username', 'role', 'region', 'person_id', 'set_password_expires_at'])
    .where('set_password_token_hash', '=', tokenHash)
    .executeTakeFirst();

/** The password set and the token spent, only while the token is still the account's; false if not. */
export async function setPasswordOnce(tx: Db, userId: number, tokenHash: string, passwordHash: string) {
  const done = await tx
    .updateTable('app_user')
    .set({ password_hash: passwordHash, set_password_token_hash: null, set_password_expires_at: null })
    .where('id', '=', userId)
    .where('set_password_token_hash', '=', tokenHash)
    .returning('id')
    .executeTakeFirst();
  return done !== undefined;
}

export async function disableAccount(tx: Db, userId: number): Promise<void> {
  await tx.updateTable('app_user').set({ disabled: true }).where('id', '=', userId).execute();
}

export const accountForUnlock = (tx: Db, userId: number) =>
  tx
    .selectFrom('app_user')
    .select(['id', 'username', 'role', 'region'])
    .where('id', '=', userId)
    .executeTakeFirst();
