// SQL for online accounts (网上注册): the one-time codes (their limits, the live code of a request,
// an attempt, its use), the registry rows a registration is checked against, and the login it creates
// or whose password a reset sets. Functions take the executor first; the service owns the transaction.
import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/connection.ts';
import { hallDb, type CodePurpose, type HallCodeTable } from './hall.db.ts';

/** The advisory lock classes of the code limits (+0: a phone, +1: a source; 726354xxx is Shebao's). */
const CODE_LOCK = 726354150;

/** Locks the phone's and the source's code limits to the end of the caller's transaction. */
export async function lockCodeLimits(tx: Db, phone: string, source: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CODE_LOCK}, hashtext(${phone}))`.execute(tx);
  await sql`SELECT pg_advisory_xact_lock(${CODE_LOCK + 1}, hashtext(${source}))`.execute(tx);
}

/** The codes a phone was sent since a time, and when the last was. */
export function phoneCodesSince(db: Db, phone: string, since: string) {
  return hallDb(db)
    .selectFrom('hall_code')
    .select([sql<number>`count(*)::int`.as('n'), sql<string | null>`max(created_at)::text`.as('last')])
    .where('phone', '=', phone)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
}

/** The codes asked for from one source (address) since a time. */
export async function sourceCodesSince(db: Db, source: string, since: string): Promise<number> {
  const r = await hallDb(db)
    .selectFrom('hall_code')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('source', '=', source)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function insertCode(db: Db, c: Insertable<HallCodeTable>): Promise<void> {
  await hallDb(db).insertInto('hall_code').values(c).execute();
}

/** The newest unused code of (purpose, phone, subject), locked for its check. */
export function liveCodeForUpdate(
  tx: Db,
  purpose: CodePurpose,
  phone: string,
  subject: { personId?: number; employerId?: number; userId?: number },
) {
  let q = hallDb(tx)
    .selectFrom('hall_code')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('phone', '=', phone)
    .where('consumed_at', 'is', null);
  if (subject.personId !== undefined) q = q.where('person_id', '=', subject.personId);
  if (subject.employerId !== undefined) q = q.where('employer_id', '=', subject.employerId);
  if (subject.userId !== undefined) q = q.where('user_id', '=', subject.userId);
  return q.orderBy('id', 'desc').limit(1).forUpdate().executeTakeFirst();
}

/** A wrong code counted; `spent`: the last attempt allowed, the code is used up. */
export async function countCodeAttempt(tx: Db, id: number, attempts: number, spent: boolean): Promise<void> {
  await hallDb(tx)
    .updateTable('hall_code')
    .set({ attempts, consumed_at: spent ? new Date().toISOString() : null })
    .where('id', '=', id)
    .execute();
}

/** Uses a code once: false when it was used already (two confirmations at once). */
export async function consumeCode(tx: Db, id: number): Promise<boolean> {
  const r = await hallDb(tx)
    .updateTable('hall_code')
    .set({ consumed_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The registry's person under an ID number, with what a registration is checked against. */
export function registryPerson(db: Db, idNumber: string) {
  return db
    .selectFrom('person')
    .select(['id', 'name', 'phone', 'region', 'death_date'])
    .where('id_number', '=', idNumber)
    .executeTakeFirst();
}

/** The registry's employer under a credit code, with its legal representative. */
export function registryEmployer(db: Db, creditCode: string) {
  return hallDb(db)
    .selectFrom('employer')
    .select(['id', 'name', 'region', 'legal_rep_name', 'legal_rep_id_number'])
    .where('credit_code', '=', creditCode)
    .executeTakeFirst();
}

/** Whether a person already has a citizen login. */
export async function hasCitizenLogin(db: Db, personId: number): Promise<boolean> {
  const u = await db
    .selectFrom('app_user')
    .select('id')
    .where('person_id', '=', personId)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  return u !== undefined;
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const u = await db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst();
  return u !== undefined;
}

/** A citizen's or employer's login, made online (no region: the person's or employer's is theirs). */
export async function insertOnlineLogin(
  tx: Db,
  a: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: 'citizen' | 'employer';
    personId: number | null;
    employerId: number | null;
  },
): Promise<number> {
  const u = await tx
    .insertInto('app_user')
    .values({
      username: a.username,
      display_name: a.displayName,
      password_hash: a.passwordHash,
      role: a.role,
      person_id: a.personId,
      employer_id: a.employerId,
      region: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return u.id;
}

/** A login with the phones on record for it: the person's, or the employer's legal representative's. */
export function loginWithPhones(db: Db, username: string) {
  return hallDb(db)
    .selectFrom('app_user as u')
    .leftJoin('person as p', 'p.id', 'u.person_id')
    .leftJoin('employer as e', 'e.id', 'u.employer_id')
    .leftJoin('person as r', 'r.id_number', 'e.legal_rep_id_number')
    .select([
      'u.id',
      'u.role',
      'u.disabled',
      'p.phone as personPhone',
      'r.phone as repPhone',
      'p.region as pRegion',
      'e.region as eRegion',
      'u.person_id',
    ])
    .where('u.username', '=', username)
    .executeTakeFirst();
}

/** A new password: the lock and failed logins cleared, every session of the login ended. */
export async function resetPassword(tx: Db, userId: number, passwordHash: string): Promise<void> {
  await tx
    .updateTable('app_user')
    .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();
  await tx.deleteFrom('user_session').where('user_id', '=', userId).execute();
}

/** The demo sender's texts to one phone since a time, newest first (at most 20). */
export function demoTexts(db: Db, phone: string, since: string) {
  return hallDb(db)
    .selectFrom('hall_message_outbox')
    .select(['id', 'recipient', 'body', 'sent_at'])
    .where('recipient', '=', phone)
    .where('sender', '=', 'demo')
    .where('created_at', '>', since)
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
}
