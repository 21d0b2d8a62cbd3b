// The setup the hall's pension message tests share (a campaign's due message, a suspension's and a
// restoration's): pensioners drawing since 2020-07 in one region, and what the hall told whom.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { seedPensioners } from './pension-fixtures.ts';

/** `count` pensioners of `region`, paid since 2020-07 (retired 2020-06-15): their person ids, in order. */
export async function seedMessagePensioners(db: Db, o: { count: number; region: string }): Promise<number[]> {
  await seedPensioners(db, { ...o, startPeriod: '2020-07', retirementDate: '2020-06-15' });
  const r = await sql<{ person_id: unknown }>`
    SELECT person_id FROM pension_award WHERE region = ${o.region} ORDER BY person_id`.execute(db);
  return r.rows.map((x) => Number(x.person_id));
}

/** A message as the pensioner reads it. */
export interface Told {
  person_id: unknown;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  link: string | null;
}

/** The hall's messages of a topic, by person then in the order written. */
export async function toldOf(db: Db, topic: string): Promise<Told[]> {
  const r = await sql<Told>`SELECT person_id, title_zh, title_en, body_zh, body_en, link FROM hall_message
    WHERE topic = ${topic} ORDER BY person_id, id`.execute(db);
  return r.rows.map((x) => ({ ...x, person_id: Number(x.person_id) }));
}
