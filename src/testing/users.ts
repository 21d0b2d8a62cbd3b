// Test accounts beyond the one-per-role set the test app makes: a second citizen, a clerk of another
// region, a reviewer who is the subject of the money. Tests only; accounts in production are made
// through the staff-account routes.
import { hashPassword } from '../auth/password.ts';
import type { Db } from '../db/connection.ts';
import type { Role } from '../db/database.ts';
import { TEST_PASSWORD, type LoginResult, type TestApp } from './test-app.ts';

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
