// Staff accounts, managed by an administrator of the region. Every staff account belongs to a
// registered person (app_user.person_id, given by ID number), so the four-eyes checks compare
// persons. A new account has no password anyone chose for it: it carries a one-time set-password
// token, shown once, with which the staff member sets their own. A staff role — every one of them
// touches money or the power to grant it — takes effect only when a second administrator or the
// supervisor (another person, not the account's own) approves it (src/approval/). Administrators
// approve no money (no money action grants the admin role).
import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.repository.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumber } from '../core/ids.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import { STAFF_ROLES, type Actor, type StaffRole } from './actor.ts';
import { AuthService } from './auth.service.ts';
import { findPersonByIdNumber } from '../registry/person.repository.ts';
import { findRegion } from '../registry/region.repository.ts';
import { deleteSessionsOf } from './auth.repository.ts';
import { checkPasswordPolicy, hashPassword } from './password.ts';
import {
  accountBySetPasswordToken,
  accountForUnlock,
  accountWithPerson,
  clearUserLock,
  disableAccount,
  insertAccount,
  pendingRoles,
  setPasswordOnce,
  setRole,
  staffPage,
  usernameTaken,
} from './user.repository.ts';
import { authorize, regionCovers } from './policy.ts';

/** No argon2 hash: verifying any password against it fails, so the account cannot log in yet. */
const NO_PASSWORD = '!set-password';
const SET_PASSWORD_DAYS = 7;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  role: string;
  region: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  personId: number | null;
  /** masked ID number of the person the account belongs to */
  personIdNumber: string | null;
  personName: string | null;
  /** the account has not set its password yet */
  mustSetPassword: boolean;
  /** a role waiting for a second approver (the approval id and the role) */
  pendingRole: { approvalId: number; role: string } | null;
}

export interface NewStaffUser {
  username: string;
  /** defaults to the person's registered name */
  displayName?: string;
  role: StaffRole;
  region: string;
  /** the staff member's resident ID number: the person must be in the registry */
  idNumber: string;
}

export interface CreatedStaffUser {
  user: StaffUser;
  /** the one-time set-password token: shown once, only its hash is stored */
  setPasswordToken: string;
  setPasswordExpiresAt: string;
  /** the role waits for a second approver */
  approval: ApprovalView;
}

async function personByIdNumber(db: Db, idNumber: string) {
  const p = await findPersonByIdNumber(db, idNumber.trim().toUpperCase());
  if (!p)
    throw new SbError('SB_ERR_NOT_FOUND', {
      field: 'idNumber',
      zh: '该身份号码不在人员登记册中，请先登记该人员',
      en: 'no registered person has this ID number; register the person first',
    });
  if (p.death_date !== null)
    throw new SbError('SB_ERR_CONFLICT', {
      field: 'idNumber',
      zh: '该人员已死亡',
      en: 'the person is deceased',
    });
  return p;
}

async function staffInScope(db: Db, actor: Actor, userId: number) {
  return checkStaffScope(actor, await accountWithPerson(db, userId));
}

/** A staff account the actor may manage: not found unless staff, out of scope unless in the actor's region. */
function checkStaffScope<U extends { role: string; region: string | null }>(
  actor: Actor,
  user: U | undefined,
): U {
  if (!user || !(STAFF_ROLES as readonly string[]).includes(user.role))
    throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
  if (
    actor.role !== 'system' &&
    (actor.region === null || user.region === null || !regionCovers(actor.region, user.region.trim()))
  ) {
    throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'user.manage', en: 'user.manage' });
  }
  return user;
}

export class UserService {
  constructor(private readonly db: Db) {}

  async list(actor: Actor, page: number, pageSize: number) {
    authorize(actor, 'user.manage');
    const { total, rows } = await staffPage(
      this.db,
      actor.role === 'system' ? null : regionLikePattern(actor.region ?? ''),
      page,
      pageSize,
    );
    const locks = await new AuthService(this.db).activeLoginLocks(rows.map((r) => r.username));
    const pendingBy = await pendingRoles(
      this.db,
      rows.map((r) => r.id),
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
        personId: r.person_id,
        personIdNumber: r.id_number ? maskIdNumber(r.id_number) : null,
        personName: r.name ?? null,
        mustSetPassword: r.password_hash === NO_PASSWORD,
        pendingRole: pendingBy.get(r.id) ?? null,
      })),
      total,
      page,
      pageSize,
    };
  }

  /** Creates a staff account for a registered person, without a password and without a role in force. */
  async create(actor: Actor, input: NewStaffUser): Promise<CreatedStaffUser> {
    authorize(actor, 'user.manage', { region: input.region });
    const username = input.username.trim().toLowerCase();
    if (!/^[a-z0-9_.-]{3,64}$/.test(username)) {
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'username',
        zh: '用户名为3–64位小写字母、数字或 _.-',
        en: 'username: 3–64 of a-z 0-9 _ . -',
      });
    }
    const region = await findRegion(this.db, input.region);
    if (!region) throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
    const person = await personByIdNumber(this.db, input.idNumber);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SET_PASSWORD_DAYS * 86_400_000).toISOString();
    const displayName = input.displayName?.trim() || person.name;
    const created = await this.db.transaction().execute(async (tx) => {
      if (await usernameTaken(tx, username))
        throw new SbError('SB_ERR_DUPLICATE', { field: 'username', zh: username, en: username });
      // Disabled until a second person approves its role (then enabled by the approval's release).
      const id = await insertAccount(tx, {
        username,
        display_name: displayName,
        password_hash: NO_PASSWORD,
        role: input.role,
        person_id: person.id,
        employer_id: null,
        region: input.region,
        disabled: true,
        set_password_token_hash: sha256(token),
        set_password_expires_at: expiresAt,
      });
      await appendAudit(tx, actor, {
        action: 'user.create',
        entityType: 'user',
        entityId: id,
        region: input.region,
        subjectPersonId: person.id,
        after: {
          username,
          displayName,
          requestedRole: input.role,
          region: input.region,
          personId: person.id,
        },
      });
      return id;
    });
    const approval = await new ApprovalService(this.db).prepare(actor, {
      kind: 'user.role',
      dedupeKey: String(created),
      region: input.region,
      subjectPersonId: person.id,
      payload: { userId: created, role: input.role, activate: true },
      summary: {
        username,
        displayName,
        role: input.role,
        personName: person.name,
        personIdNumber: maskIdNumber(person.id_number),
        newAccount: true,
      },
    });
    return {
      user: {
        id: created,
        username,
        displayName,
        role: input.role,
        region: input.region,
        disabled: true,
        lockedUntil: null,
        personId: person.id,
        personIdNumber: maskIdNumber(person.id_number),
        personName: person.name,
        mustSetPassword: true,
        pendingRole: { approvalId: approval.id, role: input.role },
      },
      setPasswordToken: token,
      setPasswordExpiresAt: expiresAt,
      approval,
    };
  }

  /** Prepares a role change; the account keeps its role until a second approver releases it. */
  async requestRoleChange(actor: Actor, userId: number, role: StaffRole): Promise<ApprovalView> {
    authorize(actor, 'user.manage');
    const user = await staffInScope(this.db, actor, userId);
    if (user.role === role)
      throw new SbError('SB_ERR_CONFLICT', { field: 'role', zh: '角色未改变', en: 'the role is unchanged' });
    if (user.person_id === null)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '账号未关联登记人员，请按身份号码重新开立',
        en: 'the account is not linked to a registered person; create it again by ID number',
      });
    return new ApprovalService(this.db).prepare(actor, {
      kind: 'user.role',
      dedupeKey: String(userId),
      region: (user.region ?? '').trim(),
      subjectPersonId: user.person_id,
      payload: { userId, role, activate: false },
      summary: {
        username: user.username,
        displayName: user.display_name,
        role,
        fromRole: user.role,
        personName: user.name,
        personIdNumber: user.id_number ? maskIdNumber(user.id_number) : null,
        newAccount: false,
      },
    });
  }

  /** The approval kind of staff roles: released by a second administrator or the supervisor. */
  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'user.role',
        checkAction: 'user.approve-role',
        execute: async (maker, payload) => {
          const p = payload as { userId: number; role: StaffRole; activate: boolean };
          return this.db.transaction().execute(async (tx) => {
            const before = await staffInScope(tx, maker, p.userId);
            await setRole(tx, p.userId, p.role, p.activate);
            // A changed role starts from a fresh login.
            if (!p.activate) await deleteSessionsOf(tx, p.userId);
            await appendAudit(tx, maker, {
              action: 'user.role',
              entityType: 'user',
              entityId: p.userId,
              region: before.region,
              subjectPersonId: before.person_id,
              before: { role: before.role, disabled: before.disabled },
              after: { role: p.role, disabled: p.activate ? false : before.disabled },
            });
            return { userId: p.userId, role: p.role };
          });
        },
      },
    ];
  }

  /** The staff member sets their own password with the one-time token (public; the token is the proof). */
  async setPasswordWithToken(token: string, password: string): Promise<{ username: string }> {
    const user = await accountBySetPasswordToken(this.db, sha256(token));
    if (!user || user.set_password_expires_at === null || new Date(user.set_password_expires_at) < new Date())
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'token',
        zh: '设置密码链接无效或已过期，请联系管理员重新发放',
        en: 'the set-password link is invalid or expired; ask the administrator for a new one',
      });
    checkPasswordPolicy(password, user.username);
    const hash = await hashPassword(password);
    await this.db.transaction().execute(async (tx) => {
      if (!(await setPasswordOnce(tx, user.id, sha256(token), hash)))
        throw new SbError('SB_ERR_CONFLICT', { field: 'token' });
      await appendAudit(
        tx,
        {
          userId: user.id,
          username: user.username,
          role: user.role,
          personId: null,
          employerId: null,
          region: user.region,
        },
        {
          action: 'user.set-password',
          entityType: 'user',
          entityId: user.id,
          region: user.region,
          subjectPersonId: user.person_id,
        },
      );
    });
    return { username: user.username };
  }

  /** Disables an account and ends all its sessions at once. */
  async disable(actor: Actor, userId: number, reason: string): Promise<void> {
    authorize(actor, 'user.manage');
    await this.db.transaction().execute(async (tx) => {
      const user = await staffInScope(tx, actor, userId);
      if (actor.userId === userId)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '不能停用自己的账号',
          en: 'you cannot disable your own account',
        });
      await disableAccount(tx, userId);
      await deleteSessionsOf(tx, userId);
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
  async unlock(actor: Actor, userId: number, reason: string | undefined): Promise<{ cleared: number }> {
    authorize(actor, 'user.manage');
    return this.db.transaction().execute(async (tx) => {
      const user = checkStaffScope(actor, await accountForUnlock(tx, userId));
      const cleared = await new AuthService(tx).clearLoginLocks(user.username);
      await clearUserLock(tx, userId);
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
}
