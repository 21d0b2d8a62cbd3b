// The work-injury case table (migration 0400): reads and the status history. Every process of the
// capability (report, recognition, appraisal, benefits, hospital settlement, rehabilitation) finds
// its case here; a status change goes through `moveCase` so it is recorded in injury_case_event.
import type { Db } from '../db/connection.ts';
import { addDays } from '../core/dates.ts';
import { int } from '../db/values.ts';
import type { InjuryCaseStatus, InjuryCaseTable } from './injury.tables.ts';
import './injury.tables.ts';

export interface InjuryCaseRow {
  id: number;
  personId: number;
  employerId: number;
  regionCode: string;
  kind: InjuryCaseTable['kind'];
  accidentDate: string;
  description: string;
  status: InjuryCaseStatus;
  reportedBy: string;
  reporterKind: InjuryCaseTable['reporter_kind'];
  reportedDate: string;
  lateDays: number;
  employerInsured: boolean;
  acceptedDate: string | null;
  simpleCase: boolean;
  decidedDate: string | null;
  deliveredDate: string | null;
  decidedBy: string | null;
  reviewedBy: string | null;
  decisionNote: string | null;
  version: number;
}

export async function findInjuryCase(db: Db, id: number): Promise<InjuryCaseRow | null> {
  const r = await db.selectFrom('injury_case').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toRow(r) : null;
}

/** The recognised case of a person, newest first (what benefits and hospital bills hang on). */
export async function recognisedCasesOf(db: Db, personId: number): Promise<InjuryCaseRow[]> {
  const rows = await db
    .selectFrom('injury_case')
    .selectAll()
    .where('person_id', '=', personId)
    .where('status', '=', 'recognised')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toRow);
}

/** Moves a case from one status to another under its version, with its event; false when it moved meanwhile. */
export async function moveCase(
  db: Db,
  c: { id: number; version: number; from: InjuryCaseStatus },
  to: InjuryCaseStatus,
  kind: string,
  actor: string,
  note: string | null,
  set: Partial<Record<keyof InjuryCaseTable, unknown>> = {},
): Promise<boolean> {
  const res = await db
    .updateTable('injury_case')
    .set({ ...(set as object), status: to, version: c.version + 1, updated_at: new Date().toISOString() })
    .where('id', '=', c.id)
    .where('version', '=', c.version)
    .where('status', '=', c.from)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  await db
    .insertInto('injury_case_event')
    .values({ case_id: c.id, from_status: c.from, to_status: to, kind, note, actor })
    .execute();
  return true;
}

export function toRow(r: {
  id: number;
  person_id: number;
  employer_id: number;
  region_code: string;
  kind: InjuryCaseTable['kind'];
  accident_date: string;
  description: string;
  status: InjuryCaseStatus;
  reported_by: string;
  reporter_kind: InjuryCaseTable['reporter_kind'];
  reported_date: string;
  late_days: number;
  employer_insured: boolean;
  accepted_date: string | null;
  simple_case: boolean;
  decided_date: string | null;
  delivered_date: string | null;
  decided_by: string | null;
  reviewed_by: string | null;
  decision_note: string | null;
  version: number;
}): InjuryCaseRow {
  return {
    id: int(r.id),
    personId: int(r.person_id),
    employerId: int(r.employer_id),
    regionCode: r.region_code,
    kind: r.kind,
    accidentDate: r.accident_date,
    description: r.description,
    status: r.status,
    reportedBy: r.reported_by,
    reporterKind: r.reporter_kind,
    reportedDate: r.reported_date,
    lateDays: int(r.late_days),
    employerInsured: r.employer_insured,
    acceptedDate: r.accepted_date,
    simpleCase: r.simple_case,
    decidedDate: r.decided_date,
    deliveredDate: r.delivered_date,
    decidedBy: r.decided_by,
    reviewedBy: r.reviewed_by,
    decisionNote: r.decision_note,
    version: int(r.version),
  };
}

/**
 * The late period of an employer's report (条例 Art. 17 ¶4): from the day after the 30-day deadline
 * to the report, inclusive; work-injury costs incurred in it are the employer's, not the fund's (a
 * hospital bill dated in it is charged to the employer). null when the report was in time.
 */
export function lateWindow(
  c: Pick<InjuryCaseRow, 'lateDays' | 'reportedDate'>,
): { from: string; to: string } | null {
  if (c.lateDays <= 0) return null;
  return { from: addDays(c.reportedDate, -(c.lateDays - 1)), to: c.reportedDate };
}
