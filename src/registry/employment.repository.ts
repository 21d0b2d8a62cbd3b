// SQL for employment relations (劳动关系). Functions take the executor first.
import { sql, type Selectable } from 'kysely';
import type { IsoDate } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import type { EmploymentTable, EndReason } from '../db/database.ts';

export type EmploymentRow = Selectable<EmploymentTable>;

export const findEmployment = (db: Db, id: number): Promise<EmploymentRow | undefined> =>
  db.selectFrom('employment').selectAll().where('id', '=', id).executeTakeFirst();

export const findEmploymentForUpdate = (db: Db, id: number): Promise<EmploymentRow | undefined> =>
  db.selectFrom('employment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const openEmploymentsOfPerson = (db: Db, personId: number): Promise<EmploymentRow[]> =>
  db
    .selectFrom('employment')
    .selectAll()
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .orderBy('start_date')
    .orderBy('id')
    .execute();

export const employmentsOfPerson = (db: Db, personId: number): Promise<EmploymentRow[]> =>
  db
    .selectFrom('employment')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('start_date', 'desc')
    .orderBy('id', 'desc')
    .execute();

export interface NewEmployment {
  person_id: number;
  employer_id: number;
  start_date: IsoDate;
  monthly_wage_fen: number;
}

export const insertEmployment = (db: Db, e: NewEmployment): Promise<EmploymentRow> =>
  db
    .insertInto('employment')
    .values({ ...e, end_date: null, end_reason: null })
    .returningAll()
    .executeTakeFirstOrThrow();

export async function endEmployment(
  db: Db,
  id: number,
  endDate: IsoDate,
  reason: EndReason,
): Promise<EmploymentRow | undefined> {
  return db
    .updateTable('employment')
    .set({ end_date: endDate, end_reason: reason })
    .where('id', '=', id)
    .where('end_date', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Ends every open employment of a person (death): never before an employment's own start. */
export async function endOpenEmploymentsOfPerson(
  db: Db,
  personId: number,
  endDate: IsoDate,
  reason: EndReason,
): Promise<EmploymentRow[]> {
  return db
    .updateTable('employment')
    .set({ end_date: sql<string>`GREATEST(start_date, ${endDate}::date)`, end_reason: reason })
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .returningAll()
    .execute();
}

export interface StaffRow {
  employment_id: number;
  person_id: number;
  name: string;
  id_number: string;
  sex: 'M' | 'F';
  phone: string | null;
  start_date: string;
  end_date: string | null;
  end_reason: EndReason | null;
  monthly_wage_fen: number | null;
}

/** An employer's staff (current, or all with `includeEnded`), paginated. */
export async function staffOfEmployer(
  db: Db,
  employerId: number,
  includeEnded: boolean,
  limit: number,
  offset: number,
): Promise<{ rows: StaffRow[]; total: number }> {
  let q = db
    .selectFrom('employment as em')
    .innerJoin('person as p', 'p.id', 'em.person_id')
    .where('em.employer_id', '=', employerId);
  if (!includeEnded) q = q.where('em.end_date', 'is', null);
  const [rows, count] = await Promise.all([
    q
      .select([
        'em.id as employment_id',
        'p.id as person_id',
        'p.name',
        'p.id_number',
        'p.sex',
        'p.phone',
        'em.start_date',
        'em.end_date',
        'em.end_reason',
        'em.monthly_wage_fen',
      ])
      .orderBy('em.start_date')
      .orderBy('em.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** `endOpenEmploymentsOfPerson` for many persons in one statement: person ids[i] ends at dates[i]. */
export async function endOpenEmploymentsOfPersons(
  db: Db,
  ids: readonly number[],
  dates: readonly string[],
  reason: EndReason,
): Promise<{ id: number; person_id: number }[]> {
  const r = await sql<{ id: number | string; person_id: number | string }>`
    UPDATE employment e SET end_date = GREATEST(e.start_date, d.end_date), end_reason = ${reason}
    FROM unnest(${[...ids]}::bigint[], ${[...dates]}::date[]) AS d(person_id, end_date)
    WHERE e.person_id = d.person_id AND e.end_date IS NULL
    RETURNING e.id, e.person_id`.execute(db);
  return r.rows.map((x) => ({ id: Number(x.id), person_id: Number(x.person_id) }));
}
