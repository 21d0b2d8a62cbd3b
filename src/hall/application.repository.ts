// An application's rows written inside the caller's transaction: a status change (history row,
// audit entry, outbox event) and a use of a catalogue service. The application service, the home
// service and the event consumer (events.job.ts) write through these.
import { sql, type Selectable, type Updateable } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { noteText, type Note } from '../core/bilingual.ts';
import { today } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import { hallDb, type ApplicationStatus, type HallApplicationTable, type HallDb } from './hall.db.ts';

type AppRow = Selectable<HallApplicationTable>;

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
    // the audit log is read by staff: a note's Chinese words (a person's own as typed)
    reason: note === null ? null : noteText(note).zh,
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

export async function recordUse(db: HallDb, serviceCode: string, channel: string, region: string | null) {
  await db
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

/** Moves an application its process reported on (the process decides; no version to check). */
export function moveApplication(tx: Db, id: number, set: Updateable<HallApplicationTable>): Promise<AppRow> {
  return hallDb(tx)
    .updateTable('hall_application')
    .set({ ...set, updated_at: new Date().toISOString(), version: sql`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
