// SQL of the unemployment grants (失业补助金, the migrant contract workers' allowance): the application
// row, the one open application per person and kind, the decision, and the staff list. Executor first.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { UnemploymentGrantTable } from '../db/database.ts';

export type GrantRow = Selectable<UnemploymentGrantTable>;
export type GrantKind = UnemploymentGrantTable['kind'];

export function findGrant(db: Db, id: number, forUpdate = false): Promise<GrantRow | undefined> {
  const q = db.selectFrom('unemployment_grant').selectAll().where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

/** Serialises a person's applications, so the check for an open one and the insert are one step. */
export async function lockPersonGrants(tx: Db, personId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(726354303, ${personId}::int)`.execute(tx);
}

/** The person's application of this kind still submitted or already paid, if any. */
export function openGrant(
  tx: Db,
  personId: number,
  kind: GrantKind,
): Promise<Pick<GrantRow, 'id' | 'status'> | undefined> {
  return tx
    .selectFrom('unemployment_grant')
    .select(['id', 'status'])
    .where('person_id', '=', personId)
    .where('kind', '=', kind)
    .where('status', 'in', ['submitted', 'paid'])
    .executeTakeFirst();
}

export function insertGrant(tx: Db, values: Insertable<UnemploymentGrantTable>): Promise<GrantRow> {
  return tx.insertInto('unemployment_grant').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function recordGrantDecision(
  tx: Db,
  id: number,
  set: Updateable<UnemploymentGrantTable>,
): Promise<void> {
  await tx.updateTable('unemployment_grant').set(set).where('id', '=', id).execute();
}

/** The staff list's rows, with the person's name; the caller narrows it to what the actor may read. */
export const grantList = (db: Db) =>
  db.selectFrom('unemployment_grant as g').innerJoin('person as p', 'p.id', 'g.person_id');

export const grantListRows = (b: ReturnType<typeof grantList>) =>
  b.selectAll('g').select('p.name as person_name').orderBy('g.id', 'desc');
