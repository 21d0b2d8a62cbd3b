// Work-capacity appraisals of a case (劳动能力鉴定, migration 0401): opened pending, concluded once.
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { NursingLevel } from './injury.tables.ts';
import './injury.tables.ts';

/** The case's most recent appraisal (pending or concluded), if any. */
export function latestAppraisal(db: Db, caseId: number) {
  return db
    .selectFrom('injury_appraisal')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The case's most recent concluded appraisal: the grade and nursing level benefits are decided on. */
export function latestConcludedAppraisal(db: Db, caseId: number) {
  return db
    .selectFrom('injury_appraisal')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('status', '=', 'concluded')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The appraisals of these cases, oldest first. */
export function appraisalsOf(db: Db, caseIds: readonly number[]) {
  return db
    .selectFrom('injury_appraisal')
    .selectAll()
    .where('case_id', 'in', caseIds.length ? [...caseIds] : [-1])
    .orderBy('id')
    .execute();
}

/** One appraisal, when it belongs to the case. */
export function appraisalOfCase(db: Db, caseId: number, appraisalId: number) {
  return db
    .selectFrom('injury_appraisal')
    .selectAll()
    .where('id', '=', appraisalId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
}

export async function insertAppraisal(
  tx: Db,
  a: { caseId: number; kind: 'initial' | 'reappraisal' | 'review'; receivedDate: string; by: string },
): Promise<number> {
  const r = await tx
    .insertInto('injury_appraisal')
    .values({ case_id: a.caseId, kind: a.kind, received_date: a.receivedDate, recorded_by: a.by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return int(r.id);
}

/** Concludes a pending appraisal; false when it was concluded meanwhile. */
export async function concludeAppraisal(
  tx: Db,
  appraisalId: number,
  c: { conclusionDate: string; grade: number | null; nursingLevel: NursingLevel },
): Promise<boolean> {
  const r = await tx
    .updateTable('injury_appraisal')
    .set({
      status: 'concluded',
      conclusion_date: c.conclusionDate,
      grade: c.grade,
      nursing_level: c.nursingLevel,
    })
    .where('id', '=', appraisalId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
