// Test accounts beyond the one-per-role set the test app makes: a second citizen, a clerk of another
// region, a reviewer who is the subject of the money. Tests only; accounts in production are made
// through the staff-account routes.
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { hashPassword } from '../auth/password.ts';
import type { Db } from '../db/connection.ts';
import type { Role } from '../db/database.ts';
import { fixToday } from '../core/clock.ts';
import { makeTestApp, TEST_PASSWORD, type LoginResult, type TestApp } from './test-app.ts';

export interface UserOptions {
  /** 'citizen' unless given */
  role?: Role;
  personId?: number | null;
  employerId?: number | null;
  /** the staff region; null (a citizen or an employer) unless given */
  region?: string | null;
  /** the username unless given */
  displayName?: string;
  /** the test password unless given */
  password?: string;
}

const hashes = new Map<string, Promise<string>>();
/** argon2 is slow on purpose: one hash per password per process. */
const hashOf = (password: string): Promise<string> => {
  let h = hashes.get(password);
  if (h === undefined) {
    h = hashPassword(password);
    hashes.set(password, h);
  }
  return h;
};

/** Accounts, one per entry (username → options), that log in with the test password unless told. */
export async function makeUsers(db: Db, users: Record<string, UserOptions>): Promise<void> {
  const rows = await Promise.all(
    Object.entries(users).map(async ([username, o]) => ({
      username,
      display_name: o.displayName ?? username,
      password_hash: await hashOf(o.password ?? TEST_PASSWORD),
      role: o.role ?? 'citizen',
      person_id: o.personId ?? null,
      employer_id: o.employerId ?? null,
      region: o.region ?? null,
    })),
  );
  if (rows.length > 0) await db.insertInto('app_user').values(rows).execute();
}

/** One account (see makeUsers). */
export const makeUser = (db: Db, username: string, o: UserOptions = {}): Promise<void> =>
  makeUsers(db, { [username]: o });

/** A new account (see makeUsers) logged in. */
export async function loginAsNew(
  t: Pick<TestApp, 'ctx' | 'login'>,
  username: string,
  o: UserOptions = {},
): Promise<LoginResult> {
  await makeUser(t.ctx.db, username, o);
  return t.login(username, o.password);
}

/** Logs in each of `usernames` (the test app's accounts or ones made here), by name. */
export async function loginAll<K extends string>(
  t: Pick<TestApp, 'login'>,
  usernames: readonly K[],
): Promise<Record<K, LoginResult>> {
  const out = {} as Record<K, LoginResult>;
  for (const u of usernames) out[u] = await t.login(u);
  return out;
}

/** A bearer token for `username` (the test password unless given), as a command-line client logs in. */
export async function bearerToken(
  app: FastifyInstance,
  username: string,
  password: string = TEST_PASSWORD,
): Promise<string> {
  const r = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login?bearer=true',
    payload: { username, password },
  });
  if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
  return r.json<{ token: string }>().token;
}

/** The desk roles most registry tests act as. */
export const DESK_ROLES = ['clerk', 'citizen', 'employer', 'reviewer'] as const;

/** The test app on a fixed day (see fixToday), with `usernames` logged in, each under its name. */
export async function appWithLogins<K extends string>(
  day: string,
  usernames: readonly K[],
): Promise<{ t: TestApp } & Record<K, LoginResult>> {
  fixToday(day);
  const t = await makeTestApp();
  return { t, ...(await loginAll(t, usernames)) };
}

/** A seeded account as the actor its login would give (for calling a service directly). */
export async function actorOfAccount(db: Db, username: string): Promise<Actor> {
  const u = await db
    .selectFrom('app_user')
    .select(['id', 'username', 'role', 'person_id', 'employer_id', 'region'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return {
    userId: u.id,
    username: u.username,
    role: u.role,
    personId: u.person_id,
    employerId: u.employer_id,
    region: u.region,
  };
}
