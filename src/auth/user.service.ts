// Staff accounts, managed by an administrator of the region. Administrators manage users; they
// approve no money (no money action grants the admin role).
import { appendAudit } from '../audit/audit.repository.ts';
import { SbError } from '../core/errors.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import type { Actor } from './actor.ts';
import { activeLoginLocks, clearLoginLocks } from './auth.service.ts';
import { checkPasswordPolicy, hashPassword } from './password.ts';
import { authorize, regionCovers } from './policy.ts';

export const STAFF_ROLES = ['clerk', 'reviewer', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  role: string;
  region: string | null;
  disabled: boolean;
  lockedUntil: string | null;
}

export async function listStaffUsers(db: Db, actor: Actor, page: number, pageSize: number) {
  authorize(actor, 'user.manage');
  let q = db.selectFrom('app_user').where('role', 'in', [...STAFF_ROLES]);
  if (actor.role !== 'system') q = q.where('region', 'like', regionLikePattern(actor.region ?? ''));
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select(['id', 'username', 'display_name', 'role', 'region', 'disabled', 'locked_until'])
    .orderBy('id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  const locks = await activeLoginLocks(
    db,
    rows.map((r) => r.username),
  );
  return {
    items: rows.map((r): StaffUser => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      role: r.role,
      region: r.region?.trim() ?? null,
      disabled: r.disabled,
      lockedUntil: locks.get(r.username) ?? r.locked_until,
    })),
    total: Number(total.n),
    page,
    pageSize,
  };
}

export interface NewStaffUser {
  username: string;
  displayName: string;
  role: StaffRole;
  region: string;
  password: string;
}

export async function createStaffUser(db: Db, actor: Actor, input: NewStaffUser): Promise<StaffUser> {
  authorize(actor, 'user.manage', { region: input.region });
  const username = input.username.trim().toLowerCase();
  if (!/^[a-z0-9_.-]{3,64}$/.test(username)) {
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'username',
      zh: '用户名为3–64位小写字母、数字或 _.-',
      en: 'username: 3–64 of a-z 0-9 _ . -',
    });
  }
  checkPasswordPolicy(input.password, username);
  const region = await db
    .selectFrom('region')
    .select('code')
    .where('code', '=', input.region)
    .executeTakeFirst();
  if (!region) throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
  const hash = await hashPassword(input.password);
  return db.transaction().execute(async (tx) => {
    const exists = await tx
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    if (exists) throw new SbError('SB_ERR_DUPLICATE', { field: 'username', zh: username, en: username });
    const row = await tx
      .insertInto('app_user')
      .values({
        username,
        display_name: input.displayName,
        password_hash: hash,
        role: input.role,
        person_id: null,
        employer_id: null,
        region: input.region,
      })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const user: StaffUser = {
      id: row.id,
      username,
      displayName: input.displayName,
      role: input.role,
      region: input.region,
      disabled: false,
      lockedUntil: null,
    };
    await appendAudit(tx, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: row.id,
      region: input.region,
      after: user,
    });
    return user;
  });
}

/** Disables an account and ends all its sessions at once. */
export async function disableStaffUser(db: Db, actor: Actor, userId: number, reason: string): Promise<void> {
  authorize(actor, 'user.manage');
  await db.transaction().execute(async (tx) => {
    const user = await tx
      .selectFrom('app_user')
      .select(['id', 'role', 'region', 'disabled'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user || !(STAFF_ROLES as readonly string[]).includes(user.role))
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    if (
      actor.role !== 'system' &&
      (actor.region === null || user.region === null || !regionCovers(actor.region, user.region.trim()))
    ) {
      throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'user.manage', en: 'user.manage' });
    }
    if (actor.userId === userId)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '不能停用自己的账号',
        en: 'you cannot disable your own account',
      });
    await tx.updateTable('app_user').set({ disabled: true }).where('id', '=', userId).execute();
    await tx.deleteFrom('user_session').where('user_id', '=', userId).execute();
    await appendAudit(tx, actor, {
      action: 'user.disable',
      entityType: 'user',
      entityId: userId,
      region: user.region,
      before: { disabled: user.disabled },
      after: { disabled: true },
      reason,
    });
  });
}

/**
 * Clears a staff account's login locks (from every address, and the account-wide one) so the real
 * user can log in at once; audited. Locks are per username, so this works whatever address locked it.
 */
export async function unlockStaffUser(
  db: Db,
  actor: Actor,
  userId: number,
  reason: string | undefined,
): Promise<{ cleared: number }> {
  authorize(actor, 'user.manage');
  return db.transaction().execute(async (tx) => {
    const user = await tx
      .selectFrom('app_user')
      .select(['id', 'username', 'role', 'region'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user || !(STAFF_ROLES as readonly string[]).includes(user.role))
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    if (
      actor.role !== 'system' &&
      (actor.region === null || user.region === null || !regionCovers(actor.region, user.region.trim()))
    ) {
      throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'user.manage', en: 'user.manage' });
    }
    const cleared = await clearLoginLocks(tx, user.username);
    await tx
      .updateTable('app_user')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', userId)
      .execute();
    await appendAudit(tx, actor, {
      action: 'user.unlock',
      entityType: 'user',
      entityId: userId,
      region: user.region,
      after: { locksCleared: cleared },
      ...(reason === undefined ? {} : { reason }),
    });
    return { cleared };
  });
}
