// An application's rows written inside the caller's transaction: a status change (history row,
// audit entry, outbox event) and a use of a catalogue service. The application service, the home
// service and the event consumer (events.job.ts) write through these. And the lists' pages.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { noteLine, type Note } from '../core/bilingual.ts';
import { now, today } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { hallDb, type ApplicationStatus, type HallApplicationTable } from './hall.db.ts';

type AppRow = Selectable<HallApplicationTable>;

/** An application still awaiting the decision (or the applicant's completion): a second one is the same thing. */
const AWAITING: readonly ApplicationStatus[] = ['submitted', 'accepted', 'returned'];
/** The advisory lock class of one person's application for one service (726354xxx is Shebao's). */
const APPLY_LOCK = 726354154;

/**
 * The statuses in which the deadline clock runs: the office owes a decision. Once approved the time
 * limit was met (what follows — a benefit paid month by month, a refund's release — is not late);
 * a returned application waits for the applicant and its clock restarts on resubmission.
 */
export const AWAITING_DECISION: readonly ApplicationStatus[] = ['submitted', 'accepted'];

/** Which applications a list shows: an applicant's own or a region's, narrowed for the work queue. */
export interface ApplicationFilter {
  owner: { personId: number } | { employerId: number } | { regionPattern: string };
  openOnly?: boolean;
  overdueOnly?: boolean;
  serviceCode?: string;
  status?: ApplicationStatus;
}

/**
 * A page of applications with the number that match and of those overdue on `on`, in one statement:
 * the window counts are taken over every match before LIMIT. A page past the end has no row to carry
 * them; only then are they counted apart. Orders: newest first; the queue's by deadline (those that
 * owe a decision first, overdue at the top); by submission.
 */
export async function applicationPage(
  db: Db,
  f: ApplicationFilter,
  order: 'newest' | 'deadline' | 'submitted',
  on: string,
  page: { page: number; pageSize: number },
): Promise<{ rows: AppRow[]; total: number; overdue: number }> {
  const awaiting = sql`a.status IN (${sql.join([...AWAITING_DECISION])})`;
  const late = sql<boolean>`a.deadline < ${on} AND ${awaiting}`;
  let q = hallDb(db).selectFrom('hall_application as a');
  const o = f.owner;
  q =
    'personId' in o
      ? q.where('a.person_id', '=', o.personId)
      : 'employerId' in o
        ? q.where('a.employer_id', '=', o.employerId)
        : q.where('a.region', 'like', o.regionPattern);
  if (f.openOnly) q = q.where('a.closed_on', 'is', null);
  if (f.overdueOnly) q = q.where(late);
  if (f.serviceCode !== undefined) q = q.where('a.service_code', '=', f.serviceCode);
  if (f.status !== undefined) q = q.where('a.status', '=', f.status);
  let paged = q
    .selectAll('a')
    .select([
      sql<string>`count(*) OVER ()`.as('total_matches'),
      sql<string>`count(*) FILTER (WHERE ${late}) OVER ()`.as('overdue_matches'),
    ]);
  paged =
    order === 'newest'
      ? paged.orderBy('a.id', 'desc')
      : order === 'deadline'
        ? paged
            .orderBy(sql`${awaiting} DESC`)
            .orderBy(sql`a.deadline ASC NULLS LAST`)
            .orderBy('a.id')
        : paged.orderBy('a.submitted_on').orderBy('a.id');
  const offset = (page.page - 1) * page.pageSize;
  const found = await paged.limit(page.pageSize).offset(offset).execute();
  const first = found[0];
  if (first === undefined && offset > 0) {
    const n = await q
      .select([sql<string>`count(*)`.as('n'), sql<string>`count(*) FILTER (WHERE ${late})`.as('overdue')])
      .executeTakeFirstOrThrow();
    return { rows: [], total: int(n.n), overdue: int(n.overdue) };
  }
  return {
    rows: found.map(({ total_matches: _t, overdue_matches: _o, ...row }) => row),
    total: first === undefined ? 0 : int(first.total_matches),
    overdue: first === undefined ? 0 : int(first.overdue_matches),
  };
}

/** The applicant's side of the counter, or null for staff. */
export function applicantOf(actor: Actor): 'citizen' | 'employer' | null {
  return actor.role === 'citizen' || actor.role === 'employer' ? actor.role : null;
}

/** Writes a status change: history row, audit entry and the outbox event (same transaction). */
export async function recordStatus(
  tx: Db,
  actor: Actor,
  app: AppRow,
  from: ApplicationStatus | null,
  note: Note | null,
  opts: { tellApplicant?: boolean } = {},
): Promise<void> {
  const h = hallDb(tx);
  await h
    .insertInto('hall_application_event')
    .values({
      application_id: app.id,
      status: app.status,
      note: note === null ? null : JSON.stringify(note),
      actor_username: actor.username,
      actor_role: actor.role,
      // the clock the application's days come from (today()), so its history reads on the same day
      at: now().toISOString(),
    })
    .execute();
  await appendAudit(tx, actor, {
    action: from === null ? 'application.create' : 'application.status',
    entityType: 'hall_application',
    entityId: app.id,
    region: app.region,
    subjectPersonId: app.person_id,
    before: from === null ? null : { status: from },
    after: { status: app.status, serviceCode: app.service_code },
    // both languages, split again for each reader (src/audit/audit-reasons.ts); a person's own as typed
    reason: note === null ? null : noteLine(note),
  });
  await tx
    .insertInto('outbox')
    .values({
      topic: 'hall.application-status',
      payload: JSON.stringify({
        applicationId: app.id,
        serviceCode: app.service_code,
        personId: app.person_id,
        employerId: app.employer_id,
        region: app.region,
        from,
        status: app.status,
        note,
        byApplicant: applicantOf(actor) !== null,
        ...(opts.tellApplicant ? { tellApplicant: true } : {}),
      }),
    })
    .execute();
}

export async function recordUse(tx: Db, serviceCode: string, channel: string, region: string | null) {
  await hallDb(tx)
    .insertInto('hall_service_use')
    .values({ service_code: serviceCode, channel, region, on_day: today() })
    .execute();
}

/** The application a process reported under its reference (`retirement_case:7`), if any. */
export function applicationByRef(tx: Db, ref: string): Promise<AppRow | undefined> {
  return hallDb(tx)
    .selectFrom('hall_application')
    .selectAll()
    .where('source_ref', '=', ref)
    .executeTakeFirst();
}

/** Ties an application to the record its process keeps (`hall_home_visit:7`) and that record's pages. */
export async function setApplicationSource(
  tx: Db,
  id: number,
  sourceRef: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await hallDb(tx)
    .updateTable('hall_application')
    .set({ source_ref: sourceRef, detail: JSON.stringify(detail) })
    .where('id', '=', id)
    .execute();
}

/** Moves an application its process reported on (the process decides; no version to check). */
export function moveApplication(tx: Db, id: number, set: Updateable<HallApplicationTable>): Promise<AppRow> {
  return hallDb(tx)
    .updateTable('hall_application')
    .set({ ...set, updated_at: now().toISOString(), version: sql`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Whether the person has an application of the service the hall takes itself awaiting a decision,
 * looked up under a lock on (person, service) held to the end of the caller's transaction: copies
 * sent at once wait for the first and find it.
 */
export async function lockOpenApplication(tx: Db, personId: number, serviceCode: string): Promise<boolean> {
  await sql`SELECT pg_advisory_xact_lock(${APPLY_LOCK}, hashtext(${`${personId}:${serviceCode}`}))`.execute(
    tx,
  );
  const open = await hallDb(tx)
    .selectFrom('hall_application')
    .select('id')
    .where('person_id', '=', personId)
    .where('service_code', '=', serviceCode)
    .where('source_ref', 'is', null)
    .where('status', 'in', AWAITING)
    .executeTakeFirst();
  return open !== undefined;
}

export function insertApplication(tx: Db, values: Insertable<HallApplicationTable>): Promise<AppRow> {
  // dated by the app's clock (core/clock), as its submitted_on is
  const at = now().toISOString();
  return hallDb(tx)
    .insertInto('hall_application')
    .values({ created_at: at, updated_at: at, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function applicationById(db: Db, id: number): Promise<AppRow | undefined> {
  return hallDb(db).selectFrom('hall_application').selectAll().where('id', '=', id).executeTakeFirst();
}

/** An application's history, oldest first, with the display name of each login that acted. */
export function applicationEvents(db: Db, id: number) {
  return hallDb(db)
    .selectFrom('hall_application_event as e')
    .leftJoin('app_user as u', 'u.username', 'e.actor_username')
    .select(['e.status', 'e.note', 'e.actor_username', 'e.actor_role', 'e.at', 'u.display_name'])
    .where('e.application_id', '=', id)
    .orderBy('e.id')
    .execute();
}

/**
 * A step on an application as it was read (its version and status): undefined when someone else
 * changed it since.
 */
export function stepApplication(
  tx: Db,
  id: number,
  read: { version: number; status: ApplicationStatus },
  set: Updateable<HallApplicationTable>,
): Promise<AppRow | undefined> {
  return hallDb(tx)
    .updateTable('hall_application')
    .set({ ...set, updated_at: now().toISOString(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', read.version)
    .where('status', '=', read.status)
    .returningAll()
    .executeTakeFirst();
}
