// The work-injury case table (migration 0400): reads and the status history. Every process of the
// capability (report, recognition, appraisal, benefits, hospital settlement, rehabilitation) finds
// its case here; a status change goes through `moveCase` so it is recorded in injury_case_event.
// Also the registry rows a report is checked against (the person, the employment, the enrolment) and
// the case's hall event (an outbox row in the caller's transaction).
import { sql, type Insertable } from 'kysely';
import type { Note } from '../core/bilingual.ts';
import type { Db } from '../db/connection.ts';
import { addDays } from '../core/dates.ts';
import { regionLikePattern } from '../core/regions.ts';
import { int } from '../db/values.ts';
import { publishCaseStatusEvent, type CaseStatus } from '../hall/case-status.event.ts';
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

// ---- the registry rows a report is checked against ----

/** The registered person with this ID number (a report names the worker by it). */
export function personByIdNumber(db: Db, idNumber: string) {
  return db
    .selectFrom('person')
    .select(['id', 'name', 'death_date'])
    .where('id_number', '=', idNumber)
    .executeTakeFirst();
}

/** The worker's newest employment on `date`, with its employer's region; only at `employerId` when given. */
export function employmentOn(db: Db, personId: number, date: string, employerId?: number) {
  let q = db
    .selectFrom('employment as e')
    .innerJoin('employer as r', 'r.id', 'e.employer_id')
    .select(['e.employer_id', 'e.monthly_wage_fen', 'r.region'])
    .where('e.person_id', '=', personId)
    .where('e.start_date', '<=', date)
    .where((eb) => eb.or([eb('e.end_date', 'is', null), eb('e.end_date', '>=', date)]));
  if (employerId !== undefined) q = q.where('e.employer_id', '=', employerId);
  return q.orderBy('e.start_date', 'desc').executeTakeFirst();
}

/** Whether the employer had the worker enrolled for work injury on `date` (条例 Art. 62 when not). */
export async function injuryInsuredOn(
  db: Db,
  personId: number,
  employerId: number,
  date: string,
): Promise<boolean> {
  const r = await db
    .selectFrom('enrolment')
    .select('id')
    .where('person_id', '=', personId)
    .where('scheme', '=', 'injury')
    .where('employer_id', '=', employerId)
    .where('start_date', '<=', date)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', date)]))
    .executeTakeFirst();
  return r !== undefined;
}

/** The worker's monthly wage at the case's employer as of the accident (本人工资), if recorded. */
export async function wageAtAccident(
  db: Db,
  c: Pick<InjuryCaseRow, 'personId' | 'employerId' | 'accidentDate'>,
): Promise<number | null> {
  const r = await db
    .selectFrom('employment')
    .select('monthly_wage_fen')
    .where('person_id', '=', c.personId)
    .where('employer_id', '=', c.employerId)
    .where('start_date', '<=', c.accidentDate)
    .orderBy('start_date', 'desc')
    .executeTakeFirst();
  return r ? int(r.monthly_wage_fen) : null;
}

/** The names a case is shown with: the worker's and the employer's. */
export async function caseNames(
  db: Db,
  c: Pick<InjuryCaseRow, 'personId' | 'employerId'>,
): Promise<{ personName: string; employerName: string }> {
  const r = await db
    .selectFrom('person as p')
    .innerJoin('employer as e', (j) => j.on('e.id', '=', c.employerId))
    .select(['p.name as person_name', 'e.name as employer_name'])
    .where('p.id', '=', c.personId)
    .executeTakeFirstOrThrow();
  return { personName: r.person_name, employerName: r.employer_name };
}

// ---- writes of the case's processes ----

/** A new case; a second report of the worker's injury on the same day violates its unique key. */
export async function insertCase(tx: Db, values: Insertable<InjuryCaseTable>): Promise<number> {
  const r = await tx.insertInto('injury_case').values(values).returning('id').executeTakeFirstOrThrow();
  return int(r.id);
}

/** A step of the case's history (the report, an appraisal, a benefit) that does not move its status. */
export async function insertCaseEvent(
  tx: Db,
  e: {
    caseId: number;
    from: InjuryCaseStatus | null;
    to: InjuryCaseStatus;
    kind: string;
    note: string | null;
    actor: string;
  },
): Promise<void> {
  await tx
    .insertInto('injury_case_event')
    .values({
      case_id: e.caseId,
      from_status: e.from,
      to_status: e.to,
      kind: e.kind,
      note: e.note,
      actor: e.actor,
    })
    .execute();
}

/** The hall's `case.status` event of an application about the case, in the caller's transaction. */
export async function insertCaseStatusEvent(
  tx: Db,
  c: { id: number; personId: number; employerId: number; regionCode: string },
  e: { service: string; status: CaseStatus; actor: string; note: Note },
): Promise<void> {
  await publishCaseStatusEvent(tx, {
    service: e.service,
    ref: `injury_case:${c.id}`,
    personId: c.personId,
    employerId: c.employerId,
    status: e.status,
    actor: e.actor,
    note: e.note,
    regionCode: c.regionCode,
    citizenPath: `/citizen/injury/${c.id}`,
  });
}

/** The clerk's proposed outcome, shown to the reviewer while the approval waits. */
export async function recordProposal(
  db: Db,
  caseId: number,
  p: { outcome: 'recognised' | 'not_recognised'; by: string; note: string },
): Promise<void> {
  await db
    .updateTable('injury_case')
    .set({ proposed_outcome: p.outcome, proposed_by: p.by, decision_note: p.note })
    .where('id', '=', caseId)
    .execute();
}

export async function proposedOutcome(db: Db, caseId: number) {
  const r = await db
    .selectFrom('injury_case')
    .select(['proposed_outcome'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  return r.proposed_outcome;
}

export async function openSuspension(
  tx: Db,
  s: { caseId: number; fromDate: string; reason: string; by: string },
): Promise<void> {
  await tx
    .insertInto('injury_case_suspension')
    .values({ case_id: s.caseId, from_date: s.fromDate, reason: s.reason, created_by: s.by })
    .execute();
}

export async function closeSuspension(tx: Db, caseId: number, toDate: string): Promise<void> {
  await tx
    .updateTable('injury_case_suspension')
    .set({ to_date: toDate })
    .where('case_id', '=', caseId)
    .where('to_date', 'is', null)
    .execute();
}

// ---- reads of the case view and the queue ----

/** The suspensions of these cases, each case's in its order (the decision clock stops in them). */
export function suspensionsOf(db: Db, caseIds: readonly number[]) {
  return db
    .selectFrom('injury_case_suspension')
    .select(['id', 'case_id', 'from_date', 'to_date', 'reason'])
    .where('case_id', 'in', caseIds.length ? [...caseIds] : [-1])
    .orderBy('from_date')
    .orderBy('id')
    .execute();
}

export function eventsOf(db: Db, caseId: number) {
  return db.selectFrom('injury_case_event').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/** The cases a list shows: a worker's own, an employer's workers', a region's (null: every region). */
export function caseListRows(
  db: Db,
  scope: { personId: number } | { employerId: number } | { region: string | null },
  status: InjuryCaseStatus | undefined,
) {
  let b = db
    .selectFrom('injury_case as c')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .innerJoin('employer as e', 'e.id', 'c.employer_id');
  if ('personId' in scope) b = b.where('c.person_id', '=', scope.personId);
  else if ('employerId' in scope) b = b.where('c.employer_id', '=', scope.employerId);
  else if (scope.region !== null) b = b.where('c.region_code', 'like', regionLikePattern(scope.region));
  if (status) b = b.where('c.status', '=', status);
  return b
    .selectAll('c')
    .select(['p.name as person_name', 'e.name as employer_name'])
    .orderBy('c.id', 'desc')
    .limit(2000)
    .execute();
}

/** Cases (withdrawn ones aside) and recognised ones in the region, by industry class and by employer (top 20). */
export async function caseCounts(db: Db, region: string, year: number | undefined) {
  const where = sql`c.region_code LIKE ${regionLikePattern(region)} AND c.status <> 'withdrawn' ${year ? sql`AND extract(year FROM c.accident_date) = ${year}` : sql``}`;
  const ind = await sql<{ industry_class: number; cases: unknown; recognised: unknown }>`
      SELECT e.industry_class, count(*) AS cases, count(*) FILTER (WHERE c.status = 'recognised') AS recognised
      FROM injury_case c JOIN employer e ON e.id = c.employer_id WHERE ${where}
      GROUP BY e.industry_class ORDER BY e.industry_class`.execute(db);
  const emp = await sql<{
    id: number;
    name: string;
    industry_class: number;
    cases: unknown;
    recognised: unknown;
  }>`
      SELECT e.id, e.name, e.industry_class, count(*) AS cases, count(*) FILTER (WHERE c.status = 'recognised') AS recognised
      FROM injury_case c JOIN employer e ON e.id = c.employer_id WHERE ${where}
      GROUP BY e.id, e.name, e.industry_class ORDER BY count(*) DESC, e.id LIMIT 20`.execute(db);
  return {
    byIndustry: ind.rows.map((r) => ({
      industryClass: int(r.industry_class),
      cases: int(r.cases),
      recognised: int(r.recognised),
    })),
    byEmployer: emp.rows.map((r) => ({
      employerId: int(r.id),
      employerName: r.name,
      industryClass: int(r.industry_class),
      cases: int(r.cases),
      recognised: int(r.recognised),
    })),
  };
}
