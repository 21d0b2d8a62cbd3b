// Personal pension SQL: accounts, the yearly total row (the cap is a CHECK on it), contributions and
// withdrawals. Functions take the executor first; the service owns the transaction.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type {
  PersonalPensionAccountTable,
  PersonalPensionContributionTable,
  PersonalPensionWithdrawalTable,
  PersonalPensionYearTable,
} from '../db/database.ts';

export type AccountRow = Selectable<PersonalPensionAccountTable>;
export type YearRow = Selectable<PersonalPensionYearTable>;
export type ContributionRow = Selectable<PersonalPensionContributionTable>;
export type WithdrawalRow = Selectable<PersonalPensionWithdrawalTable>;

export const findAccountByPerson = (
  db: Db,
  personId: number,
  forUpdate = false,
): Promise<AccountRow | undefined> => {
  const q = db.selectFrom('personal_pension_account').selectAll().where('person_id', '=', personId);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
};

export const insertAccount = (
  db: Db,
  a: { person_id: number; region: string; opened_on: string; bank_name: string | null; created_by: string },
): Promise<AccountRow> =>
  db.insertInto('personal_pension_account').values(a).returningAll().executeTakeFirstOrThrow();

/** Creates the year's total row if missing, then locks it: concurrent payments of one person queue here. */
export async function lockYear(db: Db, accountId: number, year: number, capFen: number): Promise<YearRow> {
  await db
    .insertInto('personal_pension_year')
    .values({ account_id: accountId, year, cap_fen: capFen, contributed_fen: 0 })
    .onConflict((oc) => oc.columns(['account_id', 'year']).doNothing())
    .execute();
  return db
    .selectFrom('personal_pension_year')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('year', '=', year)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Adds a payment to the year's total; the CHECK (contributed_fen <= cap_fen) refuses an excess. */
export const addToYear = (
  db: Db,
  accountId: number,
  year: number,
  amountFen: number,
  capFen: number,
): Promise<YearRow> =>
  db
    .updateTable('personal_pension_year')
    .set({ contributed_fen: sql<number>`contributed_fen + ${amountFen}`, cap_fen: capFen })
    .where('account_id', '=', accountId)
    .where('year', '=', year)
    .returningAll()
    .executeTakeFirstOrThrow();

export const findContributionByKey = (db: Db, key: string): Promise<ContributionRow | undefined> =>
  db
    .selectFrom('personal_pension_contribution')
    .selectAll()
    .where('idempotency_key', '=', key)
    .executeTakeFirst();

export const insertContribution = (
  db: Db,
  c: Omit<ContributionRow, 'id' | 'created_at'>,
): Promise<ContributionRow> =>
  db.insertInto('personal_pension_contribution').values(c).returningAll().executeTakeFirstOrThrow();

export const findWithdrawalByKey = (db: Db, key: string): Promise<WithdrawalRow | undefined> =>
  db
    .selectFrom('personal_pension_withdrawal')
    .selectAll()
    .where('idempotency_key', '=', key)
    .executeTakeFirst();

export const insertWithdrawal = (
  db: Db,
  w: Omit<WithdrawalRow, 'id' | 'created_at' | 'trace'> & { trace: string },
): Promise<WithdrawalRow> =>
  db.insertInto('personal_pension_withdrawal').values(w).returningAll().executeTakeFirstOrThrow();

/** Balance = contributions − gross withdrawals (investment returns are held by the bank and not seen here). */
export async function accountTotals(
  db: Db,
  accountId: number,
): Promise<{ contributedFen: number; withdrawnFen: number; taxFen: number }> {
  const r = await sql<{ contributed: string; withdrawn: string; tax: string }>`
    SELECT
      (SELECT coalesce(sum(amount_fen), 0) FROM personal_pension_contribution WHERE account_id = ${accountId})::text AS contributed,
      (SELECT coalesce(sum(gross_fen), 0) FROM personal_pension_withdrawal WHERE account_id = ${accountId})::text AS withdrawn,
      (SELECT coalesce(sum(tax_fen), 0) FROM personal_pension_withdrawal WHERE account_id = ${accountId})::text AS tax`.execute(
    db,
  );
  const row = r.rows[0];
  return {
    contributedFen: Number(row?.contributed ?? 0),
    withdrawnFen: Number(row?.withdrawn ?? 0),
    taxFen: Number(row?.tax ?? 0),
  };
}

export const listYears = (db: Db, accountId: number): Promise<YearRow[]> =>
  db
    .selectFrom('personal_pension_year')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('year')
    .execute();

export const listContributions = (db: Db, accountId: number, limit = 100): Promise<ContributionRow[]> =>
  db
    .selectFrom('personal_pension_contribution')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();

export const listWithdrawals = (db: Db, accountId: number): Promise<WithdrawalRow[]> =>
  db
    .selectFrom('personal_pension_withdrawal')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();

/** Does the person draw (or have a suspended) basic pension? Read from the pension capability's own award table. */
export async function hasPensionAward(db: Db, personId: number): Promise<boolean> {
  const r = await sql<{
    n: number;
  }>`SELECT 1 AS n FROM pension_award WHERE person_id = ${personId} AND status IN ('active', 'suspended') LIMIT 1`.execute(
    db,
  );
  return r.rows.length > 0;
}

/** PostgreSQL check violation of the cap constraint. */
export const isCapViolation = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  (e as { code?: unknown }).code === '23514' &&
  String(
    (e as { constraint?: unknown; message?: unknown }).constraint ?? (e as { message?: unknown }).message,
  ).includes('personal_pension_year_cap');
