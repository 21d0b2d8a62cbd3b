// SQL for persons. Functions take the executor first.
import { CompiledQuery, sql, type Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { PersonTable } from '../db/database.ts';

export type PersonRow = Selectable<PersonTable>;

/** Every column of person, named (a prepared statement never reads `*`: src/db/connection.ts). */
const COLUMNS =
  'id, id_number, name, sex, birth_date, hukou_region, region, phone, address, bank_name, bank_account, hardship_group, death_date, created_at, updated_at, version';

// The two reads of every person page are written as text once, not built by Kysely from a template
// on each request (issue 18: compiling them cost each read more than the parameters' binding).
const PERSON_READ = `/* prepared */ SELECT ${COLUMNS} FROM person WHERE id = $1`;

/** The person read of every person page: prepared on PostgreSQL (issue 18). */
export const findPerson = async (db: Db, id: number): Promise<PersonRow | undefined> =>
  (await db.executeQuery<PersonRow>(CompiledQuery.raw(PERSON_READ, [id]))).rows[0];

/** Persons' names by id, in one read (a list that shows whose each row is). */
export async function personNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('person').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}

/** The living person registered under this ID number and name (both as the registry holds them), if any. */
export const livingPersonIdByIdAndName = async (
  db: Db,
  idNumber: string,
  name: string,
): Promise<number | undefined> =>
  (
    await db
      .selectFrom('person')
      .select('id')
      .where('id_number', '=', idNumber)
      .where('name', '=', name)
      .where('death_date', 'is', null)
      .executeTakeFirst()
  )?.id;

export const findPersonForUpdate = (db: Db, id: number): Promise<PersonRow | undefined> =>
  db.selectFrom('person').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** The person registered under this ID number, if any (a message between provinces names them so). */
export const findPersonByIdNumber = (db: Db, idNumber: string): Promise<PersonRow | undefined> =>
  db.selectFrom('person').selectAll().where('id_number', '=', idNumber).executeTakeFirst();

export const personIdByIdNumber = async (db: Db, idNumber: string): Promise<number | undefined> =>
  (await db.selectFrom('person').select('id').where('id_number', '=', idNumber).executeTakeFirst())?.id;

export type NewPerson = Omit<PersonRow, 'id' | 'created_at' | 'updated_at' | 'version'>;

export async function insertPerson(db: Db, p: NewPerson): Promise<PersonRow> {
  return db.insertInto('person').values(p).returningAll().executeTakeFirstOrThrow();
}

export type PersonChanges = Partial<
  Pick<
    PersonRow,
    | 'name'
    | 'hukou_region'
    | 'region'
    | 'phone'
    | 'address'
    | 'bank_name'
    | 'bank_account'
    | 'hardship_group'
    | 'death_date'
  >
>;

/** Updates when the version still matches; undefined when someone else changed the row first. */
export async function updatePerson(
  db: Db,
  id: number,
  version: number,
  changes: PersonChanges,
): Promise<PersonRow | undefined> {
  return db
    .updateTable('person')
    .set({ ...changes, updated_at: sql<string>`now()`, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export interface PersonFilter {
  /** LIKE pattern of the region and its sub-regions (required: searches are always within a region) */
  regionPattern: string;
  /** part of the name */
  name?: string;
  /** the whole ID number */
  idNumber?: string;
  /** the last four characters, only with the whole name */
  idNumberLast4?: string;
  exactName?: string;
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function searchPersons(
  db: Db,
  f: PersonFilter,
  limit: number,
  offset: number,
): Promise<{ rows: PersonRow[]; total: number }> {
  let q = db.selectFrom('person').where('region', 'like', f.regionPattern);
  if (f.name !== undefined) q = q.where('name', 'like', `%${escapeLike(f.name)}%`);
  if (f.idNumber !== undefined) q = q.where('id_number', '=', f.idNumber);
  if (f.idNumberLast4 !== undefined && f.exactName !== undefined)
    q = q.where('name', '=', f.exactName).where(sql<string>`right(id_number, 4)`, '=', f.idNumberLast4);
  // One statement for the page and the total (count(*) OVER () is computed over every match before
  // LIMIT): one connection and one scan instead of two in parallel (issue 18). A page past the end has
  // no row to carry the total; only then is it counted apart.
  const page = await q
    .selectAll()
    .select(sql<string>`count(*) OVER ()`.as('total_matches'))
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
  if (page.length === 0 && offset > 0) {
    const count = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { rows: [], total: Number(count.n) };
  }
  const total = page.length === 0 ? 0 : Number(page[0]!.total_matches);
  return { rows: page.map(({ total_matches: _, ...row }) => row), total };
}

/** The employers a person works or worked for (so an employer actor can be matched to its staff). */
export async function employerIdsOfPerson(db: Db, personId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('employment')
    .select('employer_id')
    .distinct()
    .where('person_id', '=', personId)
    .execute();
  return rows.map((r) => r.employer_id);
}

export { isUniqueViolation } from '../db/values.ts';

/** The persons of a batch of deaths, locked in id order (`ids` sorted): what the checks read. */
export async function lockPersonsForDeath(
  db: Db,
  ids: readonly number[],
): Promise<Pick<PersonRow, 'id' | 'region' | 'birth_date' | 'death_date' | 'version'>[]> {
  return db
    .selectFrom('person')
    .select(['id', 'region', 'birth_date', 'death_date', 'version'])
    .where('id', '=', sql<number>`ANY(${[...ids]}::bigint[])`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Sets each person's death date (one statement), as `updatePerson` would: a new version, updated_at now. */
export async function recordDeathDates(
  db: Db,
  ids: readonly number[],
  dates: readonly string[],
): Promise<{ id: number; region: string; version: number }[]> {
  const r = await sql<{ id: number | string; region: string; version: number }>`
    UPDATE person p SET death_date = d.death_date, updated_at = now(), version = p.version + 1
    FROM unnest(${[...ids]}::bigint[], ${[...dates]}::date[]) AS d(id, death_date)
    WHERE p.id = d.id AND p.death_date IS NULL
    RETURNING p.id, p.region, p.version`.execute(db);
  return r.rows.map((x) => ({ id: Number(x.id), region: x.region, version: x.version }));
}

/** One `person.died` event per payload (JSON text), in the order given (one statement). */
export async function insertDeathEvents(db: Db, payloads: readonly string[]): Promise<void> {
  await sql`INSERT INTO outbox (topic, payload)
    SELECT 'person.died', u.p::jsonb FROM unnest(${[...payloads]}::text[]) WITH ORDINALITY AS u(p, n) ORDER BY u.n`.execute(
    db,
  );
}
