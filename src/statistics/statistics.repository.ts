// Read-only aggregates over the registry tables for the dashboards. Counting is done by the database
// in one statement per figure; nothing is written.
import { sql } from 'kysely';
import type { IsoDate } from '../core/dates.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';

const BAND_YEARS = 5;
const LAST_BAND = 90;

export async function countPersons(db: Db, region: string, asOf: IsoDate): Promise<number> {
  const r = await db
    .selectFrom('person')
    .select(sql<string>`count(*)`.as('n'))
    .where('region', 'like', regionLikePattern(region))
    .where((eb) => eb.or([eb('death_date', 'is', null), eb('death_date', '>', asOf)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countEmployers(db: Db, region: string): Promise<number> {
  const r = await db
    .selectFrom('employer')
    .select(sql<string>`count(*)`.as('n'))
    .where('region', 'like', regionLikePattern(region))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countOpenEmployments(db: Db, region: string, asOf: IsoDate): Promise<number> {
  const r = await db
    .selectFrom('employment')
    .innerJoin('employer', 'employer.id', 'employment.employer_id')
    .select(sql<string>`count(*)`.as('n'))
    .where('employer.region', 'like', regionLikePattern(region))
    .where('employment.start_date', '<=', asOf)
    .where((eb) => eb.or([eb('employment.end_date', 'is', null), eb('employment.end_date', '>', asOf)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insuredBySchemeAndKind(
  db: Db,
  region: string,
  asOf: IsoDate,
): Promise<{ scheme: string; kind: string; n: number }[]> {
  const rows = await db
    .selectFrom('enrolment')
    .select(['scheme', 'kind', sql<string>`count(*)`.as('n')])
    .where('region', 'like', regionLikePattern(region))
    .where('status', '=', 'active')
    .where('start_date', '<=', asOf)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', asOf)]))
    .groupBy(['scheme', 'kind'])
    .execute();
  return rows.map((r) => ({ scheme: r.scheme, kind: r.kind, n: Number(r.n) }));
}

/** Living persons by completed years of age on `asOf` in 5-year bands (the last band open) and sex. */
export async function agePyramid(
  db: Db,
  region: string,
  asOf: IsoDate,
): Promise<{ band: number; sex: 'M' | 'F'; n: number }[]> {
  const band = sql<number>`least(floor(extract(year from age(${asOf}::date, birth_date)) / ${BAND_YEARS}) * ${BAND_YEARS}, ${LAST_BAND})::int`;
  const rows = await db
    .selectFrom('person')
    .select([band.as('band'), 'sex', sql<string>`count(*)`.as('n')])
    .where('region', 'like', regionLikePattern(region))
    .where('birth_date', '<=', asOf)
    .where((eb) => eb.or([eb('death_date', 'is', null), eb('death_date', '>', asOf)]))
    // by position: the band expression carries a parameter, so repeating it would not match the select
    .groupBy([sql`1`, 'sex'])
    .execute();
  return rows.map((r) => ({ band: Number(r.band), sex: r.sex, n: Number(r.n) }));
}

export const AGE_BANDS = { width: BAND_YEARS, last: LAST_BAND };
