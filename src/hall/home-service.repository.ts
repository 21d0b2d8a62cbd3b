// SQL for home service (送服务上门): the appointments with what their views show from elsewhere, a
// step on one, a family booker's failed registry matches, and the logins a visit is given to or a
// booker is. Functions take the executor first; the service owns the transaction.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/connection.ts';
import { hallDb, type HallHomeVisitTable, type HomeVisitStatus } from './hall.db.ts';

type VisitRow = Selectable<HallHomeVisitTable>;
/** A visit with the person's registry fields, the assigned clerk's display name and the deadline. */
export type VisitJoined = VisitRow & {
  deadline: string | null;
  p_name: string;
  p_id_number: string;
  p_birth_date: string;
  p_hardship_group: string | null;
  assigned_name: string | null;
};

/** The advisory lock class of one booker's registry matches (726354xxx is Shebao's). */
const MATCH_LOCK = 726354152;

/**
 * The booker's failed registry matches in the last 24 hours, counted under a lock on the booker held
 * to the end of the caller's transaction: guesses sent at once are checked one at a time (each read
 * the day's count before any failure was written, and all were tried past the limit).
 */
export async function lockMatchFailures(tx: Db, userId: number): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(${MATCH_LOCK}, ${userId})`.execute(tx);
  const failures = await hallDb(tx)
    .selectFrom('hall_home_match_failure')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .where('at', '>', new Date(Date.now() - 86_400_000).toISOString())
    .executeTakeFirstOrThrow();
  return failures.n;
}

export async function recordMatchFailure(tx: Db, userId: number): Promise<void> {
  await hallDb(tx).insertInto('hall_home_match_failure').values({ user_id: userId }).execute();
}

export function insertHomeVisit(tx: Db, v: Insertable<HallHomeVisitTable>): Promise<VisitRow> {
  return hallDb(tx).insertInto('hall_home_visit').values(v).returningAll().executeTakeFirstOrThrow();
}

export function homeVisitById(db: Db, id: number): Promise<VisitRow | undefined> {
  return hallDb(db).selectFrom('hall_home_visit').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Visits with what their views show from elsewhere — the person, the assigned clerk's name, the
 * application's deadline — in the one statement (a list is one query, not one per row).
 */
function joined(db: Db) {
  return hallDb(db)
    .selectFrom('hall_home_visit as v')
    .innerJoin('hall_application as a', 'a.id', 'v.application_id')
    .innerJoin('person as p', 'p.id', 'v.person_id')
    .leftJoin('app_user as u', 'u.username', 'v.assigned_to')
    .selectAll('v')
    .select([
      'a.deadline',
      'p.name as p_name',
      'p.id_number as p_id_number',
      'p.birth_date as p_birth_date',
      'p.hardship_group as p_hardship_group',
      'u.display_name as assigned_name',
    ]);
}

/** One visit as the views read it (after a write: the row as it now stands). */
export function homeVisitJoined(db: Db, id: number): Promise<VisitJoined> {
  return joined(db).where('v.id', '=', id).executeTakeFirstOrThrow();
}

/** Whose visits a list shows: a region's (staff), or a citizen's booked by them or made for them. */
export type HomeVisitOwner = { regionPattern: string } | { userId: number; personId: number };

/** Up to 200 visits, by deadline (none last), newest first within a day. */
export function homeVisitList(
  db: Db,
  owner: HomeVisitOwner,
  status?: HomeVisitStatus,
): Promise<VisitJoined[]> {
  let q = joined(db);
  q =
    'regionPattern' in owner
      ? q.where('v.region', 'like', owner.regionPattern)
      : q.where((eb) =>
          eb.or([eb('v.booked_by_user_id', '=', owner.userId), eb('v.person_id', '=', owner.personId)]),
        );
  if (status) q = q.where('v.status', '=', status);
  return q
    .orderBy(sql`a.deadline ASC NULLS LAST`)
    .orderBy('v.id', 'desc')
    .limit(200)
    .execute();
}

/** A step on a visit as it was read (its version): undefined when someone else changed it since. */
export function stepHomeVisit(
  tx: Db,
  id: number,
  version: number,
  set: Updateable<HallHomeVisitTable>,
): Promise<VisitRow | undefined> {
  return hallDb(tx)
    .updateTable('hall_home_visit')
    .set({ ...set, updated_at: new Date().toISOString(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** The clerks of a region a visit can be given to, by login (at most 200). */
export function regionClerks(db: Db, regionPattern: string) {
  return db
    .selectFrom('app_user')
    .select(['username', 'display_name'])
    .where('role', '=', 'clerk')
    .where('region', 'like', regionPattern)
    .orderBy('username')
    .limit(200)
    .execute();
}

/** The login a visit is given to: its role and region decide whether it may be. */
export function loginByUsername(db: Db, username: string) {
  return db
    .selectFrom('app_user')
    .select(['username', 'region', 'role'])
    .where('username', '=', username)
    .executeTakeFirst();
}

/** The person a login is (a family booker told of each step), or null. */
export async function personOfLogin(db: Db, userId: number): Promise<number | null> {
  const u = await db.selectFrom('app_user').select(['person_id']).where('id', '=', userId).executeTakeFirst();
  return u?.person_id ?? null;
}
