// SQL for bills: one bill by id (for update), its lines, lists and arrears, status changes, and the
// fund parts a bill owes. Functions take the executor first.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { ContributionBillTable, Fund } from '../db/database.ts';

export type BillRow = Selectable<ContributionBillTable>;

/** What a bill's payer owes on a date: contributions and the late fee, by fund. */
export interface AmountDue {
  contributionFen: number;
  lateDays: number;
  lateFeeFen: number;
  totalFen: number;
  parts: Array<{ fund: Fund; amountFen: number; lateFeeFen: number }>;
}

export const billById = (db: Db, id: number): Promise<BillRow | undefined> =>
  db.selectFrom('contribution_bill').selectAll().where('id', '=', id).executeTakeFirst();
/** The payer kind of each bill named, by id (read 1,000 at a time). */
export async function payerKinds(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const kinds = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const bs = await db
      .selectFrom('contribution_bill')
      .select(['id', 'payer_kind'])
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const b of bs) kinds.set(Number(b.id), b.payer_kind);
  }
  return kinds;
}
export const billForUpdate = (db: Db, id: number): Promise<BillRow | undefined> =>
  db.selectFrom('contribution_bill').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** The fund parts of a bill: what the payer owes each fund. */
export function billParts(
  b: Pick<
    BillRow,
    | 'payer_kind'
    | 'pension_employer_fen'
    | 'pension_employee_fen'
    | 'unemployment_employer_fen'
    | 'unemployment_employee_fen'
    | 'injury_fen'
  >,
): Array<{ fund: Fund; amountFen: number }> {
  if (b.payer_kind === 'resident')
    return [{ fund: 'resident_pension', amountFen: Number(b.pension_employee_fen) }];
  return [
    { fund: 'employee_pension', amountFen: Number(b.pension_employer_fen) + Number(b.pension_employee_fen) },
    {
      fund: 'unemployment',
      amountFen: Number(b.unemployment_employer_fen) + Number(b.unemployment_employee_fen),
    },
    { fund: 'injury', amountFen: Number(b.injury_fen) },
  ];
}

export const pensionFundOf = (payerKind: string): Fund =>
  payerKind === 'resident' ? 'resident_pension' : 'employee_pension';

export async function billLines(db: Db, billId: number) {
  return db
    .selectFrom('contribution_bill_line as l')
    .innerJoin('person as p', 'p.id', 'l.person_id')
    .select([
      'l.person_id',
      'p.name',
      'p.id_number',
      'l.period',
      'l.base_fen',
      'l.pension_employer_fen',
      'l.pension_employee_fen',
      'l.personal_account_fen',
      'l.unemployment_employer_fen',
      'l.unemployment_employee_fen',
      'l.injury_fen',
      'l.waived_fen',
    ])
    .where('l.bill_id', '=', billId)
    .orderBy('l.person_id')
    .execute();
}

/** The work-injury industry risk class of a bill's employer (its benchmark rate is what the assessment bills). */
export async function employerIndustryClass(db: Db, employerId: number): Promise<number | undefined> {
  const e = await db
    .selectFrom('employer')
    .select('industry_class')
    .where('id', '=', employerId)
    .executeTakeFirst();
  return e?.industry_class;
}

/** Which bills a list shows: an employer's, a person's own (not their employer's), a region's, a period, a status. */
export interface BillFilter {
  employerId?: number;
  personId?: number;
  region?: string;
  period?: string;
  status?: string;
}

export async function listBills(
  db: Db,
  f: BillFilter & { limit: number; offset: number },
): Promise<{ items: BillRow[]; total: number }> {
  let q = db.selectFrom('contribution_bill');
  if (f.employerId !== undefined) q = q.where('employer_id', '=', f.employerId);
  if (f.personId !== undefined)
    q = q.where('person_id', '=', f.personId).where('payer_kind', '<>', 'employer');
  if (f.region !== undefined) q = q.where('region', '=', f.region);
  if (f.period !== undefined) q = q.where('period', '=', f.period);
  if (f.status !== undefined) q = q.where('status', '=', f.status as 'open');
  const total = await q.select(sql<number>`count(*)::bigint`.as('n')).executeTakeFirstOrThrow();
  const items = await q
    .selectAll()
    .orderBy('period', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { items, total: Number(total.n) };
}

/** Open bills past their due date (arrears), oldest first. */
export async function arrearsBills(
  db: Db,
  f: { region?: string; employerId?: number; personId?: number; asOf: string; limit: number },
): Promise<BillRow[]> {
  let q = db
    .selectFrom('contribution_bill')
    .selectAll()
    .where('status', '=', 'open')
    .where('due_date', '<', f.asOf);
  if (f.region !== undefined) q = q.where('region', '=', f.region);
  if (f.employerId !== undefined) q = q.where('employer_id', '=', f.employerId);
  if (f.personId !== undefined) q = q.where('person_id', '=', f.personId);
  return q.orderBy('due_date').orderBy('id').limit(f.limit).execute();
}

/** Moves a bill to paid (with the payment date), back to open, or to cancelled. */
export async function setBillStatus(
  tx: Db,
  billId: number,
  status: 'open' | 'paid' | 'cancelled',
  paidDate?: string | null,
): Promise<void> {
  await tx
    .updateTable('contribution_bill')
    .set(paidDate === undefined ? { status } : { status, paid_date: paidDate })
    .where('id', '=', billId)
    .execute();
}
