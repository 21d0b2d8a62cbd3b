// The contribution capability's postings to the fund journal (src/ledger): an assessment's
// receivables, a resident's tier, a payment (with the late fee and the personal account's share), an
// unallocated receipt and its allocation to a bill, a cancelled bill, and the reversal of a payment's entries. Each entry carries
// an idempotency key, so a retried transaction posts nothing twice.
import type { Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { formatMoney } from '../core/money.ts';
import type { Db } from '../db/connection.ts';
import type { Fund } from '../db/database.ts';
import { ACCOUNTS, postEntry, reverseEntry, type PostingLine } from '../ledger/journal.repository.ts';
import type { AssessmentSummary } from './assessment.repository.ts';
import type { TierChoice } from './resident-tier.repository.ts';
import { billParts, pensionFundOf, type AmountDue, type BillRow } from './bill.repository.ts';

export async function postAssessment(tx: Db, actor: Actor, s: AssessmentSummary): Promise<void> {
  for (const fund of ['employee_pension', 'unemployment', 'injury'] as const) {
    const amount = s.byFund[fund];
    if (amount === 0) continue;
    await postEntry(tx, actor, {
      fund,
      region: s.region,
      period: s.period,
      entryDate: today(),
      kind: 'contribution.assessment',
      description: `${s.period} 社会保险费核定（第 ${s.runNo} 次，${s.bills} 张账单）/ assessment run ${s.runNo}`,
      idempotencyKey: `assessment:${s.assessmentId}:${fund}`,
      source: { type: 'assessment', id: s.assessmentId },
      lines: [
        { account: ACCOUNTS.contributionsReceivable, debitFen: amount },
        { account: ACCOUNTS.contributionIncome, creditFen: amount },
      ],
    });
  }
}

/** A resident's tier: the person's part and government's receivable; the account credit when paid at once. */
export async function postResidentTier(
  tx: Db,
  actor: Actor,
  t: TierChoice & { billId: number },
): Promise<void> {
  const gov = t.subsidyFen + t.governmentPaidFen;
  const lines: PostingLine[] = [
    { account: ACCOUNTS.contributionsReceivable, debitFen: t.personFen },
    { account: ACCOUNTS.subsidiesReceivable, debitFen: gov },
    { account: ACCOUNTS.contributionIncome, creditFen: t.personFen },
    { account: ACCOUNTS.subsidyIncome, creditFen: gov },
  ];
  if (t.personFen === 0)
    lines.push(
      { account: ACCOUNTS.pooledFund, debitFen: t.tierFen + t.subsidyFen },
      { account: ACCOUNTS.personalAccountFund, creditFen: t.tierFen + t.subsidyFen },
    );
  await postEntry(tx, actor, {
    fund: 'resident_pension',
    region: t.region,
    period: `${t.year}-01`,
    entryDate: today(),
    kind: 'contribution.resident',
    description: `城乡居民养老保险 ${t.year} 年缴费档次 ${formatMoney(t.tierFen)}（个人 ${formatMoney(t.personFen)}，补贴及代缴 ${formatMoney(gov)}）/ residents' pension tier`,
    idempotencyKey: `resident:${t.personId}:${t.year}`,
    source: { type: 'bill', id: t.billId },
    lines,
  });
}

/**
 * A matched payment: bank against receivable and late-fee income per fund, and the account's share.
 * `round`: how many times the receipt was allocated before (see `paidRoundsBefore`).
 */
export async function postPayment(
  tx: Db,
  actor: Actor,
  b: BillRow,
  due: AmountDue,
  p: { id: number; paidDate: string; round?: number },
): Promise<void> {
  const pensionFund = pensionFundOf(b.payer_kind);
  const accountFen = Number(b.personal_account_fen);
  const accountLines: PostingLine[] = [
    { account: ACCOUNTS.pooledFund, debitFen: accountFen },
    { account: ACCOUNTS.personalAccountFund, creditFen: accountFen },
  ];
  const entry = (fund: Fund, description: string, lines: PostingLine[]) =>
    postEntry(tx, actor, {
      fund,
      region: b.region,
      period: periodOf(p.paidDate),
      entryDate: p.paidDate,
      kind: 'contribution.payment',
      description,
      idempotencyKey: `payment:${p.id}:${fund}${roundKey(p.round ?? 0)}`,
      source: { type: 'payment', id: p.id },
      lines,
    });
  for (const part of due.parts) {
    const lines: PostingLine[] = [
      { account: ACCOUNTS.bank, debitFen: part.amountFen + part.lateFeeFen },
      { account: ACCOUNTS.contributionsReceivable, creditFen: part.amountFen },
      { account: ACCOUNTS.lateFeeIncome, creditFen: part.lateFeeFen },
    ];
    if (part.fund === pensionFund && accountFen > 0) lines.push(...accountLines);
    await entry(
      part.fund,
      `账单 #${b.id}（${b.period}）缴费${due.lateDays > 0 ? `，滞纳 ${due.lateDays} 天` : ''} / payment of bill ${b.id}`,
      lines,
    );
  }
  // A resident whose whole part was paid by government has no money part: credit the account alone.
  if (due.parts.length === 0 && accountFen > 0)
    await entry(pensionFund, `账单 #${b.id} 记入个人账户 / account credit`, accountLines);
}

/**
 * A receipt that matches no open bill exactly: held as unallocated until someone allocates it.
 * `entryDate`: when the hold is booked later than the money came (a payment taken off the wrong bill).
 */
export async function postUnallocated(
  tx: Db,
  actor: Actor,
  p: { id: number; region: string; amountFen: number; paidDate: string; bankRef: string; entryDate?: string },
): Promise<void> {
  const on = p.entryDate ?? p.paidDate;
  await postEntry(tx, actor, {
    fund: 'employee_pension',
    region: p.region,
    period: periodOf(on),
    entryDate: on,
    kind: 'contribution.unallocated',
    description: `暂收款（流水 ${p.bankRef}）/ unallocated receipt`,
    idempotencyKey: `payment:${p.id}:unallocated`,
    source: { type: 'payment', id: p.id },
    lines: [
      { account: ACCOUNTS.bank, debitFen: p.amountFen },
      { account: ACCOUNTS.unallocatedReceipts, creditFen: p.amountFen },
    ],
  });
}

/** The keys of a receipt's second and later allocations: its first allocation's entries keep theirs. */
const roundKey = (round: number): string => (round === 0 ? '' : `:${round + 1}`);

/**
 * How many times a held receipt paid a bill before: one returned to held (its joint bill's other
 * receipt came back from the bank, or it was taken off the wrong bill) is allocated again with entries
 * of their own, not the first ones' idempotency keys (which would post nothing).
 */
export async function paidRoundsBefore(tx: Db, paymentId: number): Promise<number> {
  const r = await tx
    .selectFrom('journal_entry')
    .select(['kind', 'fund', (e) => e.fn.countAll().as('n')])
    .where('source_type', '=', 'payment')
    .where('source_id', '=', String(paymentId))
    .where('kind', 'in', ['contribution.allocation', 'contribution.payment'])
    .groupBy(['kind', 'fund'])
    .execute();
  // A payment matched straight from the bank file and later taken off the wrong bill was paid once
  // without an allocation: its payment entries' count per fund says so.
  return Math.max(0, ...r.map((x) => Number(x.n)));
}

/** Whether the receipt's money already sits in held receipts (2301): a hold posted and not reversed. */
export async function holdPosted(tx: Db, paymentId: number): Promise<boolean> {
  const r = await tx
    .selectFrom('journal_entry as e')
    .select('e.id')
    .where('e.source_type', '=', 'payment')
    .where('e.source_id', '=', String(paymentId))
    .where('e.kind', '=', 'contribution.unallocated')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('journal_entry as r').select('r.id').whereRef('r.reverses_entry_id', '=', 'e.id'),
        ),
      ),
    )
    .executeTakeFirst();
  return r !== undefined;
}

/**
 * A held receipt allocated to a bill: the hold leaves 2301 (and the bank of the fund it was held in),
 * so that the bill's payment entries, posted after it, carry the money to each fund's receivable.
 */
export async function postAllocation(
  tx: Db,
  actor: Actor,
  p: { id: number; region: string; amountFen: number; billId: number; entryDate: string; round: number },
): Promise<void> {
  await postEntry(tx, actor, {
    fund: 'employee_pension',
    region: p.region,
    period: periodOf(p.entryDate),
    entryDate: p.entryDate,
    kind: 'contribution.allocation',
    description: `暂收款分配至账单 #${p.billId} / held receipt allocated to bill ${p.billId}`,
    idempotencyKey: `payment:${p.id}:allocation${roundKey(p.round)}`,
    source: { type: 'payment', id: p.id },
    lines: [
      { account: ACCOUNTS.unallocatedReceipts, debitFen: p.amountFen },
      { account: ACCOUNTS.bank, creditFen: p.amountFen },
    ],
  });
}

/** A cancelled bill: its receivables (and a resident's subsidy receivable) are written back. */
export async function postBillCancel(tx: Db, actor: Actor, b: BillRow, reason: string): Promise<void> {
  for (const p of billParts(b)) {
    if (p.amountFen === 0 && !(b.payer_kind === 'resident' && Number(b.subsidy_fen) > 0)) continue;
    const lines: PostingLine[] = [
      { account: ACCOUNTS.contributionIncome, debitFen: p.amountFen },
      { account: ACCOUNTS.contributionsReceivable, creditFen: p.amountFen },
    ];
    if (b.payer_kind === 'resident')
      lines.push(
        { account: ACCOUNTS.subsidyIncome, debitFen: Number(b.subsidy_fen) },
        { account: ACCOUNTS.subsidiesReceivable, creditFen: Number(b.subsidy_fen) },
      );
    await postEntry(tx, actor, {
      fund: p.fund,
      region: b.region,
      period: b.period,
      entryDate: today(),
      kind: 'contribution.bill-cancel',
      description: `作废账单 #${b.id}：${reason} / bill cancelled`,
      idempotencyKey: `bill-cancel:${b.id}:${p.fund}`,
      source: { type: 'bill', id: b.id },
      lines,
    });
  }
}

/**
 * A payment returned by the bank: every contribution entry it posted that is not reversed yet gets its
 * reversal entry. `kinds`: only entries of these kinds — a receipt going back to held keeps its hold
 * (`contribution.unallocated`) and loses its allocation and the bill's payment.
 */
export async function reversePaymentEntries(
  tx: Db,
  actor: Actor,
  paymentId: number,
  reason: string,
  kinds?: readonly string[],
): Promise<void> {
  let q = tx
    .selectFrom('journal_entry as e')
    .select('e.id')
    .where('e.source_type', '=', 'payment')
    .where('e.source_id', '=', String(paymentId))
    .where('e.reverses_entry_id', 'is', null)
    .where('e.kind', 'like', 'contribution.%')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('journal_entry as r').select('r.id').whereRef('r.reverses_entry_id', '=', 'e.id'),
        ),
      ),
    );
  if (kinds !== undefined) q = q.where('e.kind', 'in', kinds);
  const entries = await q.orderBy('e.id').execute();
  for (const e of entries) await reverseEntry(tx, actor, Number(e.id), today(), reason);
}
