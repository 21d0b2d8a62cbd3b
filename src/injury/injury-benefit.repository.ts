// Benefit decisions of a case (migration 0401), the payments the payroll made on them and the fund's
// advances to recover from an uninsured employer.
import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { InjuryBenefitKind, InjuryBenefitTable, InjuryRecoveryTable } from './injury.tables.ts';
import './injury.tables.ts';

/** The case's benefits, each with what the payroll has paid on it. */
export function benefitsOf(db: Db, caseId: number) {
  return db
    .selectFrom('injury_benefit as b')
    .selectAll('b')
    .select(
      sql<unknown>`(SELECT coalesce(sum(amount_fen), 0)::bigint FROM injury_payment p WHERE p.benefit_id = b.id)`.as(
        'paid',
      ),
    )
    .where('b.case_id', '=', caseId)
    .orderBy('b.id')
    .execute();
}

export function recoveriesOf(db: Db, caseId: number) {
  return db.selectFrom('injury_recovery').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

/** Whether the case has a benefit of this kind that is not stopped (one decision per kind). */
export async function hasBenefitOfKind(db: Db, caseId: number, kind: InjuryBenefitKind): Promise<boolean> {
  const r = await db
    .selectFrom('injury_benefit')
    .select('id')
    .where('case_id', '=', caseId)
    .where('kind', '=', kind)
    .where('status', '<>', 'stopped')
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertBenefit(tx: Db, values: Insertable<InjuryBenefitTable>): Promise<number> {
  const r = await tx.insertInto('injury_benefit').values(values).returning('id').executeTakeFirstOrThrow();
  return int(r.id);
}

export async function insertRecovery(tx: Db, values: Insertable<InjuryRecoveryTable>): Promise<number> {
  const r = await tx.insertInto('injury_recovery').values(values).returning('id').executeTakeFirstOrThrow();
  return int(r.id);
}

/** What the employer owes: its benefits not stopped, with the open part of any advance to recover. */
export function owedByEmployer(db: Db, employerId: number) {
  return db
    .selectFrom('injury_benefit as b')
    .innerJoin('person as p', 'p.id', 'b.person_id')
    .leftJoin('injury_recovery as r', 'r.benefit_id', 'b.id')
    .select([
      'b.id',
      'b.case_id',
      'p.name',
      'b.kind',
      'b.monthly',
      'b.amount_fen',
      'b.from_period',
      'b.advanced',
      'r.amount_fen as rec_amount',
      'r.recovered_fen',
      'r.status as rec_status',
    ])
    .where('b.employer_id', '=', employerId)
    .where('b.payer', '=', 'employer')
    .where('b.status', '<>', 'stopped')
    .orderBy('b.id')
    .execute();
}
