// Login, sessions and logout. Tokens are random; only their SHA-256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { Role } from '../db/database.ts';
import { now } from '../core/clock.ts';
import { STAFF_ROLES, type AccountRow, type Actor } from './actor.ts';
import { verifyPassword } from './password.ts';

/**
 * Login limits (issue #10). Failures are counted per (username, source address), per source address and
 * per username, whether the username exists or not, so a locked answer says nothing about existence:
 * - 5 failures of one username from one address lock that pair for 15 minutes (the attacker's address,
 *   not the real user's);
 * - 20 failures from one address, whatever the usernames, lock the address for 15 minutes;
 * - 20 failures of one username from any addresses lock the username for 5 minutes only, so a
 *   distributed attacker slows guessing without keeping the real user out for long.
 * A staff unlock (`POST /api/v1/users/{id}/unlock`) clears the username's locks at once.
 */
const MAX_FAILED_LOGINS = 5;
const LOCKOUT_MINUTES = 15;
const SOURCE_MAX_FAILURES = 20;
const ACCOUNT_MAX_FAILURES = 20;
const ACCOUNT_LOCK_MINUTES = 5;
const WINDOW_MINUTES = 15;

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

const normalizeUsername = (username: string): string => username.trim().toLowerCase();

const throttleKeys = (username: string, source: string) => ({
  pair: `pair:${username}|${source}`,
  source: `source:${source}`,
  account: `account:${username}`,
});

/** Adds a failure to a counter (a new window once the old one or its lock has passed); answers the count. */
async function countFailure(
  db: Db,
  key: string,
  at: Date,
  max: number,
  lockMinutes: number,
): Promise<number> {
  const atIso = at.toISOString();
  const floor = new Date(at.getTime() - WINDOW_MINUTES * 60_000).toISOString();
  const until = new Date(at.getTime() + lockMinutes * 60_000).toISOString();
  const fresh = sql`(t.window_start < ${floor}::timestamptz OR t.locked_until <= ${atIso}::timestamptz)`;
  const r = await sql<{ failures: number }>`
    INSERT INTO login_throttle AS t (key, failures, window_start, locked_until)
    VALUES (${key}, 1, ${atIso}::timestamptz, ${max <= 1 ? until : null}::timestamptz)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN ${fresh} THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN ${fresh} THEN ${atIso}::timestamptz ELSE t.window_start END,
      locked_until = CASE
        WHEN (CASE WHEN ${fresh} THEN 1 ELSE t.failures + 1 END) >= ${max} THEN ${until}::timestamptz
        WHEN ${fresh} THEN NULL
        ELSE t.locked_until END
    RETURNING failures`.execute(db);
  return Number(r.rows[0]?.failures ?? 0);
}

/** Gives back an attempt counted before its password proved right; the lock it set goes with it. */
async function uncount(db: Db, key: string, max: number): Promise<void> {
  await sql`UPDATE login_throttle SET failures = failures - 1,
      locked_until = CASE WHEN failures - 1 < ${max} THEN NULL ELSE locked_until END
    WHERE key = ${key} AND failures > 0`.execute(db);
}

export interface LoginOptions {
  sessionHours: number;
  /** The client address (the socket's, or the one a trusted proxy forwarded). */
  source: string;
  requestId?: string;
}

function actorOfUser(
  user: Omit<AccountRow, 'display_name'> & { id: number },
  requestId: string | undefined,
): Actor {
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    personId: user.person_id,
    employerId: user.employer_id,
    region: user.region,
    ...(requestId === undefined ? {} : { requestId }),
  };
}

function toPublic(u: AccountRow & { id: number }): PublicUser {
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

export class AuthService {
  constructor(private readonly db: Db) {}

  async login(username: string, password: string, opts: LoginOptions): Promise<SessionInfo> {
    const at = now();
    const name = normalizeUsername(username);
    const keys = throttleKeys(name, opts.source);
    // A locked pair, address or username answers the same for every name, known or not, and runs no hash.
    const locked = await this.db
      .selectFrom('login_throttle')
      .select('key')
      .where('key', 'in', [keys.pair, keys.source, keys.account])
      .where('locked_until', '>', at.toISOString())
      .executeTakeFirst();
    if (locked) throw new SbError('SB_ERR_LOCKED');

    const user = await this.db
      .selectFrom('app_user')
      .selectAll()
      .where('username', '=', name)
      .executeTakeFirst();
    const known = user !== undefined && !user.disabled ? user : undefined;
    // Every attempt is counted before its password is checked, and given back when it proves right.
    // Counted after, guesses sent at once all read the counters before any was counted: a burst of 30
    // was tried against a limit of 5. An attempt past a limit is refused unchecked, as a lock is.
    const count = await this.db.transaction().execute(async (tx) => ({
      pair: await countFailure(tx, keys.pair, at, MAX_FAILED_LOGINS, LOCKOUT_MINUTES),
      source: await countFailure(tx, keys.source, at, SOURCE_MAX_FAILURES, LOCKOUT_MINUTES),
      account: await countFailure(tx, keys.account, at, ACCOUNT_MAX_FAILURES, ACCOUNT_LOCK_MINUTES),
    }));
    if (
      count.pair > MAX_FAILED_LOGINS ||
      count.source > SOURCE_MAX_FAILURES ||
      count.account > ACCOUNT_MAX_FAILURES
    )
      throw new SbError('SB_ERR_LOCKED');
    // An unknown name costs the same hash as a known one, so timing does not tell them apart either.
    const ok = known
      ? await verifyPassword(known.password_hash, password)
      : await verifyPassword(DUMMY_HASH, password).then(() => false);
    if (!ok || !known) {
      if (known) {
        const locks = count.pair >= MAX_FAILED_LOGINS || count.account >= ACCOUNT_MAX_FAILURES;
        await this.db.transaction().execute((tx) =>
          appendAudit(tx, actorOfUser(known, opts.requestId), {
            action: locks ? 'auth.locked' : 'auth.login-failed',
            entityType: 'user',
            entityId: known.id,
            region: known.region,
          }),
        );
      }
      throw new SbError('SB_ERR_BAD_CREDENTIALS');
    }
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(at.getTime() + opts.sessionHours * 3_600_000).toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('app_user')
        .set({ failed_logins: 0, locked_until: null })
        .where('id', '=', known.id)
        .execute();
      // The pair's counter starts again; the address's and the username's run out with their window
      // (less this attempt, counted before the password was checked).
      await tx.deleteFrom('login_throttle').where('key', '=', keys.pair).execute();
      await uncount(tx, keys.source, SOURCE_MAX_FAILURES);
      await uncount(tx, keys.account, ACCOUNT_MAX_FAILURES);
      await tx
        .deleteFrom('login_throttle')
        .where('window_start', '<', new Date(at.getTime() - 24 * 3_600_000).toISOString())
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', at.toISOString())]))
        .execute();
      await tx
        .insertInto('user_session')
        .values({
          token_hash: sha256(token),
          user_id: known.id,
          csrf_token: csrfToken,
          expires_at: expiresAt,
          last_seen_at: at.toISOString(),
        })
        .execute();
      await tx.deleteFrom('user_session').where('expires_at', '<', at.toISOString()).execute();
      await appendAudit(tx, actorOfUser(known, opts.requestId), {
        action: 'auth.login',
        entityType: 'user',
        entityId: known.id,
        region: known.region,
      });
    });
    return { token, csrfToken, expiresAt, user: toPublic(known) };
  }

  /** The latest login lock still in force per username (from any address, or the username's own). */
  async activeLoginLocks(usernames: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (usernames.length === 0) return out;
    const rows = await this.db
      .selectFrom('login_throttle')
      .select(['key', 'locked_until'])
      .where('locked_until', '>', now().toISOString())
      .where((eb) =>
        eb.or(
          usernames.flatMap((u) => [
            eb('key', '=', `account:${u}`),
            eb('key', 'like', `pair:${u.replace(/[\\%_]/g, '\\$&')}|%`),
          ]),
        ),
      )
      .execute();
    for (const r of rows) {
      const name = r.key
        .replace(/^account:/, '')
        .replace(/^pair:/, '')
        .replace(/\|[^|]*$/, '');
      const until = new Date(r.locked_until ?? 0).toISOString();
      if ((out.get(name) ?? '') < until) out.set(name, until);
    }
    return out;
  }

  /** Clears every login lock of a username (all addresses, and the username's own). The caller audits. */
  async clearLoginLocks(username: string): Promise<number> {
    const name = normalizeUsername(username);
    const r = await this.db
      .deleteFrom('login_throttle')
      .where((eb) =>
        eb.or([
          eb('key', '=', `account:${name}`),
          eb('key', 'like', `pair:${name.replace(/[\\%_]/g, '\\$&')}|%`),
        ]),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** A session within its absolute limit and — for staff — used within the last `idleMinutes`. */
  async resolveSession(token: string, idleMinutes: number): Promise<ResolvedSession | null> {
    const at = now();
    const hash = sha256(token);
    // Prepared on PostgreSQL (src/db/connection.ts): the statement of every request's session.
    const row = (
      await sql<
        AccountRow & {
          id: number;
          disabled: boolean;
          csrf_token: string;
          expires_at: string;
          last_seen_at: string;
        }
      >`/* prepared */ SELECT u.id, u.username, u.display_name, u.role, u.person_id, u.employer_id, u.region,
          u.disabled, s.csrf_token, s.expires_at, s.last_seen_at
        FROM user_session s JOIN app_user u ON u.id = s.user_id
        WHERE s.token_hash = ${hash} AND s.expires_at > ${at.toISOString()}`.execute(this.db)
    ).rows[0];
    if (!row || row.disabled) return null;
    const idleMs = at.getTime() - new Date(row.last_seen_at).getTime();
    if ((STAFF_ROLES as readonly Role[]).includes(row.role) && idleMs > idleMinutes * 60_000) {
      await this.db.deleteFrom('user_session').where('token_hash', '=', hash).execute();
      return null;
    }
    // One write a minute at most per session, not one per request.
    if (idleMs > 60_000)
      await this.db
        .updateTable('user_session')
        .set({ last_seen_at: at.toISOString() })
        .where('token_hash', '=', hash)
        .execute();
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
  async logout(token: string, actor: Actor, everywhere: boolean): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
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
}
