// SQL for enrolments (参保登记). Functions take the executor first.
import { sql, type Selectable } from 'kysely';
import type { IsoDate } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import type { EnrolmentDto } from './enrolment.schema.ts';
import type { EnrolmentEndReason, EnrolmentKind, EnrolmentTable, Scheme } from '../db/database.ts';

export type EnrolmentRow = Selectable<EnrolmentTable>;

/** An enrolment as the API shows it. */
export const toEnrolment = (r: EnrolmentRow): EnrolmentDto => ({
  id: r.id,
  personId: r.person_id,
  scheme: r.scheme,
  kind: r.kind,
  region: r.region,
  employerId: r.employer_id,
  startDate: r.start_date,
  endDate: r.end_date,
  status: r.status,
  endReason: r.end_reason,
  endNote: r.end_note ?? null,
});

export const findEnrolment = (db: Db, id: number): Promise<EnrolmentRow | undefined> =>
  db.selectFrom('enrolment').selectAll().where('id', '=', id).executeTakeFirst();

/** A person's enrolments, newest first, with the employer's name; `employerId` keeps only those through that employer. */
export async function listEnrolments(
  db: Db,
  personId: number,
  employerId?: number,
): Promise<(EnrolmentRow & { employer_name: string | null })[]> {
  let q = db
    .selectFrom('enrolment')
    .leftJoin('employer', 'employer.id', 'enrolment.employer_id')
    .selectAll('enrolment')
    .select('employer.name as employer_name')
    .where('enrolment.person_id', '=', personId);
  if (employerId !== undefined) q = q.where('enrolment.employer_id', '=', employerId);
  return q.orderBy('enrolment.start_date', 'desc').orderBy('enrolment.id', 'desc').execute();
}

/** Open (not ended) enrolments of a person, locked for the transaction. */
export const openEnrolments = (db: Db, personId: number): Promise<EnrolmentRow[]> =>
  db
    .selectFrom('enrolment')
    .selectAll()
    .where('person_id', '=', personId)
    .where('status', '<>', 'ended')
    .orderBy('id')
    .forUpdate()
    .execute();

export interface NewEnrolment {
  person_id: number;
  scheme: Scheme;
  kind: EnrolmentKind;
  region: string;
  employer_id: number | null;
  start_date: IsoDate;
}

export const insertEnrolment = (db: Db, e: NewEnrolment): Promise<EnrolmentRow> =>
  db
    .insertInto('enrolment')
    .values({ ...e, status: 'active', end_date: null, end_reason: null, end_note: null })
    .returningAll()
    .executeTakeFirstOrThrow();

export interface EndFilter {
  ids?: readonly number[];
  employerId?: number;
  kinds?: readonly EnrolmentKind[];
  schemes?: readonly Scheme[];
}

/**
 * Ends a person's open enrolments matching the filter on `endDate` (never before an enrolment's own
 * start), in one statement; returns the rows as they were before.
 */
export async function endOpenEnrolments(
  db: Db,
  personId: number,
  endDate: IsoDate,
  reason: EnrolmentEndReason,
  f: EndFilter = {},
  /** why, in words, kept on the enrolment (e.g. 转职工参保 … at which employer, from when) */
  note: string | null = null,
): Promise<EnrolmentRow[]> {
  let q = db
    .updateTable('enrolment')
    .set({
      status: 'ended',
      end_reason: reason,
      end_note: note,
      end_date: sql<string>`GREATEST(start_date, ${endDate}::date)`,
    })
    .where('person_id', '=', personId)
    .where('status', '<>', 'ended');
  if (f.ids !== undefined) q = q.where('id', 'in', f.ids.length ? f.ids : [-1]);
  if (f.employerId !== undefined) q = q.where('employer_id', '=', f.employerId);
  if (f.kinds !== undefined) q = q.where('kind', 'in', f.kinds);
  if (f.schemes !== undefined) q = q.where('scheme', 'in', f.schemes);
  return q.returningAll().execute();
}

/** `endOpenEnrolments` for many persons in one statement: person ids[i] ends at dates[i]. */
export async function endOpenEnrolmentsOfPersons(
  db: Db,
  ids: readonly number[],
  dates: readonly string[],
  reason: EnrolmentEndReason,
): Promise<{ id: number; person_id: number }[]> {
  const r = await sql<{ id: number | string; person_id: number | string }>`
    UPDATE enrolment e SET status = 'ended', end_reason = ${reason}, end_note = NULL,
      end_date = GREATEST(e.start_date, d.end_date)
    FROM unnest(${[...ids]}::bigint[], ${[...dates]}::date[]) AS d(person_id, end_date)
    WHERE e.person_id = d.person_id AND e.status <> 'ended'
    RETURNING e.id, e.person_id`.execute(db);
  return r.rows.map((x) => ({ id: Number(x.id), person_id: Number(x.person_id) }));
}
