// The registry rows the contribution capability checks against (read-only): persons by ID number or
// id, an employer, a person's employment spans with one employer, the enrolment covering a period.
// Functions take the executor first.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Scheme } from '../db/database.ts';

export interface PersonRef {
  id: number;
  id_number: string;
  name: string;
  region: string;
  death_date: string | null;
  hardship_group: string | null;
}

export async function personsByIdNumber(db: Db, idNumbers: string[]): Promise<Map<string, PersonRef>> {
  if (idNumbers.length === 0) return new Map();
  const r = await sql<PersonRef>`SELECT id, id_number, name, region, death_date, hardship_group FROM person
    WHERE id_number = ANY(${`{${idNumbers.join(',')}}`}::text[])`.execute(db);
  return new Map(r.rows.map((p) => [p.id_number, p]));
}

export async function personsById(db: Db, ids: number[]): Promise<Map<number, PersonRef>> {
  if (ids.length === 0) return new Map();
  const r = await sql<PersonRef>`SELECT id, id_number, name, region, death_date, hardship_group FROM person
    WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[])`.execute(db);
  return new Map(r.rows.map((p) => [Number(p.id), { ...p, id: Number(p.id) }]));
}

/** The person, if there is one by that number. */
export const personById = async (db: Db, personId: number): Promise<PersonRef | undefined> =>
  (await personsById(db, [personId])).get(personId);

/** The employer, if there is one by that number. */
export const findEmployer = (
  db: Db,
  employerId: number,
): Promise<{ id: number; region: string; name: string } | undefined> =>
  db.selectFrom('employer').select(['id', 'region', 'name']).where('id', '=', employerId).executeTakeFirst();

/** The person's enrolment in a scheme (of one kind, if given) that covers any day of [from, to]. */
export function enrolmentCovering(
  db: Db,
  personId: number,
  f: { scheme: Scheme; kind?: 'flexible'; from: string; to: string },
): Promise<{ region: string } | undefined> {
  let q = db
    .selectFrom('enrolment')
    .select(['region'])
    .where('person_id', '=', personId)
    .where('scheme', '=', f.scheme);
  if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
  return q
    .where('start_date', '<=', f.to)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', f.from)]))
    .executeTakeFirst();
}

/** Employment spans of the given persons with one employer. */
export async function employmentSpans(
  db: Db,
  employerId: number,
  personIds: number[],
): Promise<Map<number, Array<{ start: string; end: string | null }>>> {
  const out = new Map<number, Array<{ start: string; end: string | null }>>();
  if (personIds.length === 0) return out;
  const r = await sql<{ person_id: number; start_date: string; end_date: string | null }>`
    SELECT person_id, start_date, end_date FROM employment
    WHERE employer_id = ${employerId} AND person_id = ANY(${`{${personIds.join(',')}}`}::bigint[])`.execute(
    db,
  );
  for (const e of r.rows) {
    const list = out.get(Number(e.person_id)) ?? [];
    list.push({ start: e.start_date, end: e.end_date });
    out.set(Number(e.person_id), list);
  }
  return out;
}
