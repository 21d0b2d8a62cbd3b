// Login, sessions and logout. Tokens are random; only their SHA-256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { Role } from '../db/database.ts';
import type { Actor } from './actor.ts';
import { verifyPassword } from './password.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface SessionInfo {
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: PublicUser;
}

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  personId: number | null;
  employerId: number | null;
  region: string | null;
}

// A fixed hash to verify against when the user does not exist, so timing does not reveal usernames.
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$464JCk6EA7KQUsBGZZVsUg$OkPFeYQc12ViB4twj/fShCwrUR2aMwFga0L7mZKaRHA';

export async function login(
  db: Db,
  username: string,
  password: string,
  sessionHours: number,
  requestId?: string,
): Promise<SessionInfo> {
  const user = await db
    .selectFrom('app_user')
    .selectAll()
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst();
  if (!user || user.disabled) {
    await verifyPassword(DUMMY_HASH, password);
    throw new SbError('SB_ERR_BAD_CREDENTIALS');
  }
  if (user.locked_until && new Date(user.locked_until) > new Date()) {
    throw new SbError('SB_ERR_LOCKED', {
      zh: `请于 ${user.locked_until} 后再试`,
      en: `try again after ${user.locked_until}`,
    });
  }
  const actor: Actor = {
    userId: user.id,
    username: user.username,
    role: user.role,
    personId: user.person_id,
    employerId: user.employer_id,
    region: user.region,
    ...(requestId === undefined ? {} : { requestId }),
  };
  if (!(await verifyPassword(user.password_hash, password))) {
    await db.transaction().execute(async (tx) => {
      const failed = user.failed_logins + 1;
      const lock = failed >= MAX_FAILED_LOGINS;
      await tx
        .updateTable('app_user')
        .set({
          failed_logins: lock ? 0 : failed,
          locked_until: lock ? new Date(Date.now() + LOCKOUT_MINUTES * 60_000).toISOString() : null,
        })
        .where('id', '=', user.id)
        .execute();
      await appendAudit(tx, actor, {
        action: lock ? 'auth.locked' : 'auth.login-failed',
        entityType: 'user',
        entityId: user.id,
        region: user.region,
      });
    });
    throw new SbError('SB_ERR_BAD_CREDENTIALS');
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + sessionHours * 3_600_000).toISOString();
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('app_user')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    await tx
      .insertInto('user_session')
      .values({ token_hash: sha256(token), user_id: user.id, csrf_token: csrfToken, expires_at: expiresAt })
      .execute();
    await tx.deleteFrom('user_session').where('expires_at', '<', new Date().toISOString()).execute();
    await appendAudit(tx, actor, {
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      region: user.region,
    });
  });
  return { token, csrfToken, expiresAt, user: toPublic(user) };
}

function toPublic(u: {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  person_id: number | null;
  employer_id: number | null;
  region: string | null;
}): PublicUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    personId: u.person_id,
    employerId: u.employer_id,
    region: u.region,
  };
}

export interface ResolvedSession {
  actor: Actor;
  user: PublicUser;
  csrfToken: string;
  expiresAt: string;
}

export async function resolveSession(db: Db, token: string): Promise<ResolvedSession | null> {
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.person_id',
      'u.employer_id',
      'u.region',
      'u.disabled',
      's.csrf_token',
      's.expires_at',
    ])
    .where('s.token_hash', '=', sha256(token))
    .where('s.expires_at', '>', sql<string>`now()`)
    .executeTakeFirst();
  if (!row || row.disabled) return null;
  const user = toPublic(row);
  return {
    user,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
    actor: {
      userId: user.id,
      username: user.username,
      role: user.role,
      personId: user.personId,
      employerId: user.employerId,
      region: user.region,
    },
  };
}

/** Ends this session, or every session of the user ("log out everywhere"). */
export async function logout(db: Db, token: string, actor: Actor, everywhere: boolean): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (everywhere && actor.userId !== null)
      await tx.deleteFrom('user_session').where('user_id', '=', actor.userId).execute();
    else await tx.deleteFrom('user_session').where('token_hash', '=', sha256(token)).execute();
    await appendAudit(tx, actor, {
      action: everywhere ? 'auth.logout-everywhere' : 'auth.logout',
      entityType: 'user',
      entityId: actor.userId,
      region: actor.region,
    });
  });
}
