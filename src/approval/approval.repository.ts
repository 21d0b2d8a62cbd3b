// The approval table's SQL: the approval service (maker–checker) reads and writes through these, in the
// transaction it opens. The maker's and checker's names come from the auth capability, not from here.
import { sql, type Selectable } from 'kysely';
import { now } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import type { ApprovalTable } from '../db/database.ts';
import { newestFirstPage } from '../db/paging.ts';

export type ApprovalRow = Selectable<ApprovalTable>;
export type ApprovalStatus = ApprovalRow['status'];

export async function approvalById(db: Db, id: number): Promise<ApprovalRow | undefined> {
  return db.selectFrom('approval').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The approval of this kind and key still waiting for a check, if any. */
export async function openApprovalId(db: Db, kind: string, dedupeKey: string): Promise<number | undefined> {
  const r = await db
    .selectFrom('approval')
    .select('id')
    .where('kind', '=', kind)
    .where('dedupe_key', '=', dedupeKey)
    .where('status', '=', 'prepared')
    .executeTakeFirst();
  return r?.id;
}

/** The approvals of this kind still waiting for a check, by their key. */
export async function openApprovalIds(
  db: Db,
  kind: string,
): Promise<Array<{ id: number; dedupe_key: string }>> {
  return db
    .selectFrom('approval')
    .select(['id', 'dedupe_key'])
    .where('kind', '=', kind)
    .where('status', '=', 'prepared')
    .execute();
}

export async function insertApproval(
  db: Db,
  a: {
    kind: string;
    dedupeKey: string;
    region: string;
    subjectPersonId: number | null;
    payload: unknown;
    summary: unknown;
    makerUserId: number | null;
    makerUsername: string;
    makerPersonId: number | null;
  },
): Promise<number> {
  const row = await db
    .insertInto('approval')
    .values({
      kind: a.kind,
      dedupe_key: a.dedupeKey,
      region: a.region,
      subject_person_id: a.subjectPersonId,
      payload: JSON.stringify(a.payload),
      summary: JSON.stringify(a.summary),
      maker_user_id: a.makerUserId,
      maker_username: a.makerUsername,
      maker_person_id: a.makerPersonId,
      // the app's clock (core/clock), as the action's own days are, not the database's
      prepared_at: now().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A page of approvals, newest first, and how many match. `regionPattern` null: every region. */
export async function approvalPage(
  db: Db,
  f: { regionPattern: string | null; status?: ApprovalStatus; kind?: string },
  page: { page: number; pageSize: number },
): Promise<{ rows: ApprovalRow[]; total: number }> {
  let q = db.selectFrom('approval');
  if (f.regionPattern !== null) q = q.where('region', 'like', f.regionPattern);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await newestFirstPage(q.selectAll(), page);
  return { rows, total: Number(total.n) };
}

/**
 * The checker's decision: prepared → released or returned in one conditional update. Answers false when
 * the approval was no longer prepared (another checker won the race).
 */
export async function decideApproval(
  tx: Db,
  id: number,
  d: {
    status: 'released' | 'returned';
    checkerUserId: number | null;
    checkerUsername: string;
    checkerPersonId: number;
    note: string | null;
  },
): Promise<boolean> {
  const won = await sql<{ id: number }>`
    UPDATE approval SET status = ${d.status}, checker_user_id = ${d.checkerUserId},
      checker_username = ${d.checkerUsername}, checker_person_id = ${d.checkerPersonId},
      decided_at = ${now().toISOString()}, note = ${d.note}
    WHERE id = ${id} AND status = 'prepared' RETURNING id`.execute(tx);
  return won.rows.length === 1;
}

/** A released action that failed before it had a result waits for a check again. */
export async function reopenFailedRelease(tx: Db, id: number): Promise<void> {
  await sql`UPDATE approval SET status = 'prepared', checker_user_id = NULL, checker_username = NULL,
      checker_person_id = NULL, decided_at = NULL, note = NULL
    WHERE id = ${id} AND status = 'released' AND result IS NULL`.execute(tx);
}

/** Keeps what the released action answered; `onlyFirst`: unless a result is already kept. */
export async function keepApprovalResult(
  db: Db,
  id: number,
  result: unknown,
  onlyFirst: boolean,
): Promise<void> {
  let q = db
    .updateTable('approval')
    .set({ result: JSON.stringify(result ?? {}) })
    .where('id', '=', id);
  if (onlyFirst) q = q.where('result', 'is', null);
  await q.execute();
}
