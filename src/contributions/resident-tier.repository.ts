// SQL for residents' tier choices: one choice per person and year, written with its bill and line.
// Functions take the executor first.
import type { Db } from '../db/connection.ts';

/** A resident's choice for a year: the tier, the person's part, the subsidy and what government pays for the person. */
export interface TierChoice {
  personId: number;
  year: number;
  region: string;
  tierFen: number;
  personFen: number;
  subsidyFen: number;
  governmentPaidFen: number;
}

/**
 * The day the person's residents' enrolment ended at the residents' pension (reason retirement), if
 * it did by `on`: the pension is drawn from then, and no year's contribution falls due after it.
 */
export async function residentPensionFrom(db: Db, personId: number, on: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('enrolment')
    .select('end_date')
    .where('person_id', '=', personId)
    .where('scheme', '=', 'resident_pension')
    .where('end_reason', '=', 'retirement')
    .where('end_date', '<=', on)
    .executeTakeFirst();
  return r?.end_date ?? undefined;
}

export async function tierChosen(tx: Db, personId: number, year: number): Promise<boolean> {
  const prior = await tx
    .selectFrom('resident_tier_choice')
    .select(['bill_id'])
    .where('person_id', '=', personId)
    .where('year', '=', year)
    .executeTakeFirst();
  return prior !== undefined;
}

/** The year's bill (one line, the person's part; paid at once when government pays it all) and the choice. */
export async function insertTierChoice(
  tx: Db,
  c: TierChoice & { today: string; createdBy: string },
): Promise<number> {
  const period = `${c.year}-01`;
  const paidNow = c.personFen === 0;
  const accountFen = c.tierFen + c.subsidyFen;
  const bill = await tx
    .insertInto('contribution_bill')
    .values({
      assessment_id: null,
      region: c.region,
      period,
      payer_kind: 'resident',
      employer_id: null,
      person_id: c.personId,
      due_date: `${c.year}-12-31`,
      lines: 1,
      pension_employee_fen: c.personFen,
      personal_account_fen: accountFen,
      subsidy_fen: c.subsidyFen + c.governmentPaidFen,
      total_fen: c.personFen,
      status: paidNow ? 'paid' : 'open',
      paid_date: paidNow ? c.today : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('contribution_bill_line')
    .values({
      bill_id: bill.id,
      person_id: c.personId,
      period,
      base_fen: c.tierFen,
      pension_employer_fen: 0,
      pension_employee_fen: c.personFen,
      personal_account_fen: accountFen,
      unemployment_employer_fen: 0,
      unemployment_employee_fen: 0,
      injury_fen: 0,
      waived_fen: 0,
    })
    .execute();
  await tx
    .insertInto('resident_tier_choice')
    .values({
      person_id: c.personId,
      year: c.year,
      region: c.region,
      tier_fen: c.tierFen,
      subsidy_fen: c.subsidyFen,
      government_paid_fen: c.governmentPaidFen,
      bill_id: bill.id,
      created_by: c.createdBy,
    })
    .execute();
  return Number(bill.id);
}
