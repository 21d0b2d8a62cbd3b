// The SQL of 补录 (back-entry.service.ts): the request rows, and the users behind a four-eyes check.
// The service owns the transactions, the checks and the audit. Executor first.
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { EmploymentBackEntryTable } from '../db/database.ts';

export type BackEntryRow = Selectable<EmploymentBackEntryTable>;

export async function insertBackEntry(
  tx: Db,
  row: Insertable<EmploymentBackEntryTable>,
): Promise<BackEntryRow> {
  return tx.insertInto('employment_back_entry').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The latest 500 requests, of the regions matching `regionPattern` (LIKE; null: all) and `status` when given. */
export async function backEntries(
  db: Db,
  q: { regionPattern: string | null; status: 'pending' | 'approved' | 'returned' | undefined },
): Promise<BackEntryRow[]> {
  let sel = db.selectFrom('employment_back_entry').selectAll();
  if (q.regionPattern !== null) sel = sel.where('region', 'like', q.regionPattern);
  if (q.status !== undefined) sel = sel.where('status', '=', q.status);
  return sel.orderBy('id', 'desc').limit(500).execute();
}

export async function backEntryForUpdate(tx: Db, id: number): Promise<BackEntryRow | undefined> {
  return tx
    .selectFrom('employment_back_entry')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** The persons behind the given user ids. */
export async function usersPersons(
  tx: Db,
  userIds: number[],
): Promise<{ id: number; person_id: number | null }[]> {
  return tx.selectFrom('app_user').select(['id', 'person_id']).where('id', 'in', userIds).execute();
}

/** The request decided (approved with its employment, or returned). */
export async function decideBackEntry(
  tx: Db,
  id: number,
  d: {
    status: 'approved' | 'returned';
    decided_by: string;
    decided_by_user_id: number | null;
    decided_at: string;
    decision_note: string | null;
    employment_id?: number;
  },
): Promise<BackEntryRow> {
  return tx
    .updateTable('employment_back_entry')
    .set(d)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
