// SQL for employers. Functions take the executor first.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { EmployerTable } from '../db/database.ts';

export type EmployerRow = Selectable<EmployerTable>;

export const findEmployer = (db: Db, id: number): Promise<EmployerRow | undefined> =>
  db.selectFrom('employer').selectAll().where('id', '=', id).executeTakeFirst();

/** Employers' names by id, in one read (a list that shows whose each row is). */
export async function employerNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('employer').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}

export const findEmployerForUpdate = (db: Db, id: number): Promise<EmployerRow | undefined> =>
  db.selectFrom('employer').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const employerIdByCreditCode = async (db: Db, code: string): Promise<number | undefined> =>
  (await db.selectFrom('employer').select('id').where('credit_code', '=', code).executeTakeFirst())?.id;

export type NewEmployer = Omit<EmployerRow, 'id' | 'created_at' | 'updated_at' | 'version'>;

export const insertEmployer = (db: Db, e: NewEmployer): Promise<EmployerRow> =>
  db.insertInto('employer').values(e).returningAll().executeTakeFirstOrThrow();

export type EmployerChanges = Partial<
  Pick<EmployerRow, 'name' | 'region' | 'industry_class' | 'size' | 'address' | 'contact_phone'>
>;

export async function updateEmployer(
  db: Db,
  id: number,
  version: number,
  changes: EmployerChanges,
): Promise<EmployerRow | undefined> {
  return db
    .updateTable('employer')
    .set({ ...changes, updated_at: sql<string>`now()`, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export interface EmployerFilter {
  regionPattern: string;
  name?: string;
  creditCodePrefix?: string;
  industryClass?: number;
  size?: 'large' | 'sme';
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function searchEmployers(
  db: Db,
  f: EmployerFilter,
  limit: number,
  offset: number,
): Promise<{ rows: EmployerRow[]; total: number }> {
  let q = db.selectFrom('employer').where('region', 'like', f.regionPattern);
  if (f.name !== undefined) q = q.where('name', 'like', `%${escapeLike(f.name)}%`);
  if (f.creditCodePrefix !== undefined)
    q = q.where('credit_code', 'like', `${escapeLike(f.creditCodePrefix)}%`);
  if (f.industryClass !== undefined) q = q.where('industry_class', '=', f.industryClass);
  if (f.size !== undefined) q = q.where('size', '=', f.size);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
