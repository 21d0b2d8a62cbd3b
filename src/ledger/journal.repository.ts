// The fund journal: balanced entries with an idempotency key, never updated or deleted. Every money
// event of every capability posts here, inside the transaction that causes it.
import { sql, type Insertable } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { Database, Fund, JournalEntryTable } from '../db/database.ts';

export const FUNDS: readonly Fund[] = ['employee_pension', 'resident_pension', 'unemployment', 'injury'];

/** The chart of accounts (same codes in every fund; see migration 0003). */
export const ACCOUNTS = {
  bank: '1001',
  contributionsReceivable: '1101',
  subsidiesReceivable: '1201',
  overpaymentsReceivable: '1301',
  benefitsPayable: '2101',
  centralAdjustmentPayable: '2201',
  unallocatedReceipts: '2301',
  pooledFund: '3001',
  personalAccountFund: '3002',
  contributionIncome: '4001',
  subsidyIncome: '4002',
  interestIncome: '4003',
  lateFeeIncome: '4004',
  centralAdjustmentIncome: '4005',
  transferIncome: '4006',
  benefitExpenditure: '5001',
  centralAdjustmentExpenditure: '5002',
  refundExpenditure: '5003',
  transferExpenditure: '5004',
  otherExpenditure: '5005',
} as const;
export type AccountCode = (typeof ACCOUNTS)[keyof typeof ACCOUNTS];

export interface PostingLine {
  account: AccountCode;
  debitFen?: number;
  creditFen?: number;
}

export interface Posting {
  fund: Fund;
  region: string;
  period: string;
  entryDate: string;
  kind: string;
  description: string;
  /** Same key → same entry: a rerun of a job or a retried request never posts twice. */
  idempotencyKey: string;
  source?: { type: string; id: string | number };
  lines: PostingLine[];
}

/** Checks a posting before it reaches the database: fen integers, one side per line, debits = credits. */
export function checkPosting(p: Posting): void {
  const lines = p.lines.filter((l) => (l.debitFen ?? 0) !== 0 || (l.creditFen ?? 0) !== 0);
  let debit = 0;
  let credit = 0;
  for (const l of lines) {
    const d = l.debitFen ?? 0;
    const c = l.creditFen ?? 0;
    if (!Number.isSafeInteger(d) || !Number.isSafeInteger(c) || d < 0 || c < 0 || (d > 0 && c > 0)) {
      throw new SbError('SB_ERR_INVALID_AMOUNT', {
        field: 'lines',
        zh: `分录行金额不正确（${l.account}）`,
        en: `bad line amount on ${l.account}`,
      });
    }
    debit += d;
    credit += c;
  }
  if (lines.length < 2 || debit !== credit) {
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'lines',
      zh: `借贷不平：借 ${debit} 贷 ${credit}`,
      en: `entry does not balance: debit ${debit}, credit ${credit}`,
    });
  }
}

export interface PostResult {
  entryId: number;
  created: boolean;
}

/** Inserts an entry once: a second insert with the same idempotency key (or reversing the same entry) finds the first. */
async function insertEntryOnce(
  tx: Db,
  values: Insertable<JournalEntryTable>,
): Promise<{ id: number; created: boolean }> {
  const inserted = await tx
    .insertInto('journal_entry')
    .values(values)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await tx
    .selectFrom('journal_entry')
    .select('id')
    .where('idempotency_key', '=', values.idempotency_key)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** Posts inside the caller's transaction (the entry balances at its commit), or in its own. */
export async function postEntry(tx: Db, actor: Actor, p: Posting): Promise<PostResult> {
  checkPosting(p);
  if (!tx.isTransaction) return tx.transaction().execute((t) => postEntry(t, actor, p));
  const inserted = await insertEntryOnce(tx, {
    fund: p.fund,
    region: p.region,
    period: p.period,
    entry_date: p.entryDate,
    kind: p.kind,
    description: p.description,
    idempotency_key: p.idempotencyKey,
    source_type: p.source?.type ?? null,
    source_id: p.source === undefined ? null : String(p.source.id),
    reverses_entry_id: null,
    created_by: actor.username,
  });
  if (!inserted.created) return { entryId: inserted.id, created: false };
  const lines = p.lines.filter((l) => (l.debitFen ?? 0) !== 0 || (l.creditFen ?? 0) !== 0);
  await tx
    .insertInto('journal_line')
    .values(
      lines.map((l, i) => ({
        entry_id: inserted.id,
        line_no: i + 1,
        account_code: l.account,
        debit_fen: l.debitFen ?? 0,
        credit_fen: l.creditFen ?? 0,
      })),
    )
    .execute();
  return { entryId: inserted.id, created: true };
}

/** The tables whose rows keep the id of the journal entry that posted them. */
export type PostedRecordTable = {
  [K in keyof Database]: 'journal_entry_id' extends keyof Database[K] ? K : never;
}[keyof Database];

/**
 * Posts the entry of one record (a benefit, a recovery, a collection: the entry's source) and keeps
 * the entry's id on the record's `journal_entry_id`, in the caller's transaction.
 */
export async function postEntryForRecord(
  tx: Db,
  actor: Actor,
  record: { table: PostedRecordTable; id: number },
  p: Omit<Posting, 'source'>,
): Promise<PostResult> {
  const posted = await postEntry(tx, actor, { ...p, source: { type: record.table, id: record.id } });
  await sql`UPDATE ${sql.table(record.table)} SET journal_entry_id = ${posted.entryId} WHERE id = ${record.id}`.execute(
    tx,
  );
  return posted;
}

/** A correction: the mirror image of an entry, linked to it; an entry can be reversed once. */
export async function reverseEntry(
  tx: Db,
  actor: Actor,
  entryId: number,
  entryDate: string,
  reason: string,
): Promise<PostResult> {
  if (!tx.isTransaction)
    return tx.transaction().execute((t) => reverseEntry(t, actor, entryId, entryDate, reason));
  const entry = await tx.selectFrom('journal_entry').selectAll().where('id', '=', entryId).executeTakeFirst();
  if (!entry)
    throw new SbError('SB_ERR_NOT_FOUND', {
      field: 'entryId',
      zh: `分录 ${entryId}`,
      en: `entry ${entryId}`,
    });
  if (entry.reverses_entry_id !== null)
    throw new SbError('SB_ERR_CONFLICT', { zh: '冲销分录不能再冲销', en: 'a reversal cannot be reversed' });
  const lines = await tx
    .selectFrom('journal_line')
    .selectAll()
    .where('entry_id', '=', entryId)
    .orderBy('line_no')
    .execute();
  const key = `reversal:${entryId}`;
  const inserted = await insertEntryOnce(tx, {
    fund: entry.fund,
    region: entry.region,
    period: entry.period,
    entry_date: entryDate,
    kind: `reversal:${entry.kind}`,
    description: `冲销 / reversal of #${entryId}: ${reason}`,
    idempotency_key: key,
    source_type: entry.source_type,
    source_id: entry.source_id,
    reverses_entry_id: entryId,
    created_by: actor.username,
  });
  if (!inserted.created) return { entryId: inserted.id, created: false };
  await tx
    .insertInto('journal_line')
    .values(
      lines.map((l) => ({
        entry_id: inserted.id,
        line_no: l.line_no,
        account_code: l.account_code,
        debit_fen: l.credit_fen,
        credit_fen: l.debit_fen,
      })),
    )
    .execute();
  return { entryId: inserted.id, created: true };
}

export interface AccountBalance {
  fund: Fund;
  region: string;
  account: string;
  kind: string;
  debitFen: number;
  creditFen: number;
}

/** Balances derived from the journal (never stored), up to and including `throughPeriod`. */
export async function accountBalances(
  db: Db,
  filter: { region?: string; throughPeriod?: string; fromPeriod?: string } = {},
): Promise<AccountBalance[]> {
  let q = db
    .selectFrom('journal_line as l')
    .innerJoin('journal_entry as e', 'e.id', 'l.entry_id')
    .innerJoin('ledger_account as a', 'a.code', 'l.account_code')
    .select([
      'e.fund',
      'e.region',
      'l.account_code as account',
      'a.kind',
      sql<number>`sum(l.debit_fen)::bigint`.as('debitFen'),
      sql<number>`sum(l.credit_fen)::bigint`.as('creditFen'),
    ])
    .groupBy(['e.fund', 'e.region', 'l.account_code', 'a.kind'])
    .orderBy('e.fund')
    .orderBy('e.region')
    .orderBy('l.account_code');
  if (filter.region !== undefined) q = q.where('e.region', '=', filter.region);
  if (filter.throughPeriod !== undefined) q = q.where('e.period', '<=', filter.throughPeriod);
  if (filter.fromPeriod !== undefined) q = q.where('e.period', '>=', filter.fromPeriod);
  return q.execute();
}
