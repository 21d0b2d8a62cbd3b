// Login, sessions and logout. Tokens are random; only their SHA-256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.repository.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { Role } from '../db/database.ts';
import { now } from '../core/clock.ts';
import { STAFF_ROLES, type AccountRow, type Actor } from './actor.ts';
import {
  anyLocked,
  deleteCountersOf,
  deleteExpiredSessions,
  deleteSession,
  deleteSessionsOf,
  insertSession,
  locksOf,
  pruneCounters,
  reservePlace,
  resetFailures,
  sessionByHash,
  settlePlace,
  touchSession,
} from './auth.repository.ts';
import { verifyPassword } from './password.ts';
import { clearUserLock, userByUsername } from './user.repository.ts';

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

/** How long an attempt waits for the attempts in flight before it (one address's office at 9:00). */
const WAIT_MS = 10_000;

/** An attempt that found the limit filled by attempts in flight: it waits for them and tries again. */
class Busy extends Error {}

/**
 * Reserves a place for one attempt on a counter (a new window once the old one or its lock has passed):
 * refused if the wrong passwords on record reach the limit (`SB_ERR_LOCKED`), `Busy` if they and the
 * attempts in flight do. So wrong guesses in flight and on record never pass the limit, and right ones
 * sent at once only wait for each other.
 */
async function reserve(db: Db, key: string, at: Date, max: number): Promise<void> {
  const floor = new Date(at.getTime() - WINDOW_MINUTES * 60_000).toISOString();
  const { failures, inFlight } = await reservePlace(db, key, at.toISOString(), floor);
  if (failures >= max) throw new SbError('SB_ERR_LOCKED');
  if (failures + inFlight > max) throw new Busy();
}

/** Ends an attempt's reservation: a wrong password becomes a failure on record (and may lock). */
async function settle(db: Db, key: string, at: Date, wrong: boolean, max: number, lockMinutes: number) {
  const untilIso = new Date(at.getTime() + lockMinutes * 60_000).toISOString();
  await settlePlace(db, key, { wrong, max, untilIso });
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
    if (await anyLocked(this.db, [keys.pair, keys.source, keys.account], at.toISOString()))
      throw new SbError('SB_ERR_LOCKED');

    const user = await userByUsername(this.db, name);
    const known = user !== undefined && !user.disabled ? user : undefined;
    // Every attempt holds a place before its password is checked and gives it back when it proves right.
    // Counted after, guesses sent at once all read the counters before any was counted: a burst of 30
    // was tried against a limit of 5. Counted as failures until proved right, right passwords sent at
    // once from one address (an office at 9:00) filled its limit and were refused; now they wait.
    const limits = [
      { key: keys.pair, max: MAX_FAILED_LOGINS, lockMinutes: LOCKOUT_MINUTES },
      { key: keys.source, max: SOURCE_MAX_FAILURES, lockMinutes: LOCKOUT_MINUTES },
      { key: keys.account, max: ACCOUNT_MAX_FAILURES, lockMinutes: ACCOUNT_LOCK_MINUTES },
    ];
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      try {
        await this.db.transaction().execute(async (tx) => {
          for (const l of limits) await reserve(tx, l.key, at, l.max);
        });
        break;
      } catch (e) {
        if (!(e instanceof Busy)) throw e;
        if (Date.now() > deadline) throw new SbError('SB_ERR_LOCKED');
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
      }
    }
    // An unknown name costs the same hash as a known one, so timing does not tell them apart either.
    const settleAll = (wrong: boolean) =>
      this.db.transaction().execute(async (tx) => {
        for (const l of limits) await settle(tx, l.key, at, wrong, l.max, l.lockMinutes);
      });
    let ok: boolean;
    try {
      ok = known
        ? await verifyPassword(known.password_hash, password)
        : await verifyPassword(DUMMY_HASH, password).then(() => false);
    } catch (e) {
      await settleAll(false);
      throw e;
    }
    if (!ok || !known) {
      await settleAll(true);
      if (known) {
        const locks = await anyLocked(this.db, [keys.pair, keys.account], at.toISOString());
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
      await clearUserLock(tx, known.id);
      // This attempt's places given back; the pair's failures start again (kept as a row, for the
      // attempts still in flight on it); the address's and the username's run out with their window.
      for (const l of limits) await settle(tx, l.key, at, false, l.max, l.lockMinutes);
      await resetFailures(tx, keys.pair);
      await pruneCounters(tx, at);
      await insertSession(tx, {
        token_hash: sha256(token),
        user_id: known.id,
        csrf_token: csrfToken,
        expires_at: expiresAt,
        last_seen_at: at.toISOString(),
      });
      await deleteExpiredSessions(tx, at.toISOString());
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
    const rows = await locksOf(this.db, usernames, now().toISOString());
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
    return deleteCountersOf(this.db, name);
  }

  /** A session within its absolute limit and — for staff — used within the last `idleMinutes`. */
  async resolveSession(token: string, idleMinutes: number): Promise<ResolvedSession | null> {
    const at = now();
    const hash = sha256(token);
    const row = await sessionByHash(this.db, hash, at.toISOString());
    if (!row || row.disabled) return null;
    const idleMs = at.getTime() - new Date(row.last_seen_at).getTime();
    if ((STAFF_ROLES as readonly Role[]).includes(row.role) && idleMs > idleMinutes * 60_000) {
      await deleteSession(this.db, hash);
      return null;
    }
    // One write a minute at most per session, not one per request.
    if (idleMs > 60_000) await touchSession(this.db, hash, at.toISOString());
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
      if (everywhere && actor.userId !== null) await deleteSessionsOf(tx, actor.userId);
      else await deleteSession(tx, sha256(token));
      await appendAudit(tx, actor, {
        action: everywhere ? 'auth.logout-everywhere' : 'auth.logout',
        entityType: 'user',
        entityId: actor.userId,
        region: actor.region,
      });
    });
  }
}
