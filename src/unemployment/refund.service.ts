// Stable-employment refunds after the scan (refund.job.ts): what an employer sees (its refund and why,
// or why not), the agency's batch per year and region, and the payment. A clerk prepares the payment
// of a year's qualifying employers in a region; a reviewer who is another person releases it
// (src/approval/, kind `refund.pay`); only then is each refund paid to the employer's bank account,
// posted to the unemployment fund (refund expenditure against the bank) and the employer told. The
// payment goes in batches, each one transaction; a refund is paid once (primary key on the result),
// so a resumed or repeated release pays nobody twice.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, permits, regionCovers } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import type { Note } from '../core/bilingual.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatMoney } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { storedTrace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { paidEqualsPostedCheck, type SubLedgerCheck } from '../ledger/ledger-verify.repository.ts';
import { findEmployer } from '../registry/employer.repository.ts';
import { maskBankAccount } from '../registry/person.rules.ts';
import { findRegion } from '../registry/region.repository.ts';
import { checkRefundYear, mayStartRefundScan, refundScanSummary } from './refund.job.ts';
import {
  batchFigures,
  employerResults,
  heldForAccount,
  insertPayments,
  lockRefundYear,
  refusalReasons,
  REFUNDS_PAID_BY_REGION,
  resultById,
  resultsPage,
  tellEmployersHeld,
  unpaidWithAccount,
  type ResultRow,
} from './refund.repository.ts';

const REFUND_PAY_BATCH = 5_000;
const REFUND_LEDGER_KIND = 'unemployment.stable-refund';

export interface RefundView {
  id: number;
  year: number;
  dataYear: number;
  employerId: number;
  employerName: string;
  region: string;
  size: string;
  insuredCount: number;
  laidOffCount: number;
  premiumsPaidFen: number;
  paidMonths: number;
  arrears: boolean;
  eligible: boolean;
  refundFen: number;
  ratePercent: number | null;
  layoffRatePercent: number | null;
  layoffLimitPercent: number | null;
  reason: string | null;
  reasonZh: string | null;
  trace: TraceStep[];
  payment: null | { paidOn: string; amountFen: number; bankName: string; bankAccount: string | null };
  /** scanned (qualifying, waiting for the batch release), paid, held (no bank account), not-eligible */
  paymentStatus: 'paid' | 'awaiting-release' | 'no-bank-account' | 'not-eligible';
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function view(r: ResultRow): RefundView {
  const paid = r.paid_on !== null;
  return {
    id: int(r.id),
    year: int(r.year),
    dataYear: int(r.year) - 1,
    employerId: int(r.employer_id),
    employerName: r.employer_name,
    region: r.region.trim(),
    size: r.size,
    insuredCount: int(r.insured_count),
    laidOffCount: int(r.laid_off_count),
    premiumsPaidFen: int(r.premiums_paid_fen),
    paidMonths: int(r.paid_months),
    arrears: r.arrears,
    eligible: r.eligible,
    refundFen: int(r.refund_fen),
    ratePercent: num(r.rate_percent),
    layoffRatePercent: num(r.layoff_rate_percent),
    layoffLimitPercent: num(r.layoff_limit_percent),
    reason: r.reason,
    reasonZh: r.reason_zh,
    trace: storedTrace(r.trace),
    payment: paid
      ? {
          paidOn: r.paid_on ?? '',
          amountFen: int(r.paid_fen),
          bankName: r.pay_bank_name ?? '',
          bankAccount: maskBankAccount(r.pay_bank_account),
        }
      : null,
    paymentStatus: !r.eligible
      ? 'not-eligible'
      : paid
        ? 'paid'
        : r.has_account
          ? 'awaiting-release'
          : 'no-bank-account',
  };
}

export interface RefundBatchView {
  year: number;
  dataYear: number;
  region: string;
  scanStatus: 'not_started' | 'running' | 'done';
  employersScanned: number;
  qualifying: number;
  totalFen: number;
  paid: number;
  paidFen: number;
  awaitingRelease: number;
  awaitingFen: number;
  noBankAccount: number;
  notEligibleByReason: Array<{ reasonZh: string; reason: string; employers: number }>;
  pendingApprovalId: number | null;
  /** may the caller start the year's scan (refund.scan and a region covering every employer)? */
  scanAllowed: boolean;
}

/** A released refund held back (暂缓拨付), shown beside its status in the hall. */
const HELD: Note = { zh: '暂缓拨付', en: 'held' };

/**
 * The refunds a release could not pay for want of the employer's bank account: each employer's
 * application says it is held and why (case.status, still `accepted`; the hall ignores the same words
 * again on a later release). A later release that pays it reports `completed`, which ends the hold.
 * Answers how many are held.
 */
async function tellHeld(tx: Db, actor: Actor, year: number, region: string): Promise<number> {
  await lockRefundYear(tx, year);
  const held = await heldForAccount(tx, year, region);
  if (held.length === 0) return 0;
  const ids = held.map((r) => int(r.id));
  const notes = held.map((r) =>
    JSON.stringify({
      zh: `${year}年度稳岗返还 ${formatMoney(int(r.refund_fen))} 暂缓拨付：单位未登记银行账户。请到经办机构登记单位银行账户，登记后随下一批复核拨付。`,
      en: `The ${year} stable-employment refund of ${formatMoney(int(r.refund_fen))} is held: the organisation has no bank account on record. Register one with the office; the refund is paid with the next release after that.`,
    }),
  );
  await tellEmployersHeld(tx, { year, ids, notes, stage: JSON.stringify(HELD), actor: actor.username });
  return held.length;
}

export class RefundService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** An employer's refunds, every scanned year (qualifying or why not). */
  async employerRefunds(actor: Actor, employerId: number): Promise<{ items: RefundView[] }> {
    authorize(actor, 'refund.read');
    const e = await findEmployer(this.db, employerId);
    // Another employer's id and an unknown id answer alike (403 to an employer, 404 to staff, another
    // city's too), saying nothing about either.
    if (!e || !permits(actor, 'refund.read', { employerIds: [e.id], region: e.region.trim() })) {
      if (actor.role === 'employer')
        throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'refund.read', en: 'refund.read' });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    }
    return { items: (await employerResults(this.db, employerId)).map(view) };
  }

  /** One result, for staff of its region (or the employer itself). */
  async result(actor: Actor, id: number): Promise<RefundView> {
    authorize(actor, 'refund.read');
    const row = await resultById(this.db, id);
    if (
      !row ||
      !permits(actor, 'refund.read', { employerIds: [int(row.employer_id)], region: row.region.trim() })
    ) {
      if (actor.role === 'employer')
        throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'refund.read', en: 'refund.read' });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    }
    return view(row);
  }

  /** The year and region a staff member reads (the own region unless given); employers are refused. */
  private staffScope(actor: Actor, q: { year: number; region?: string }): { year: number; region: string } {
    authorize(actor, 'refund.read');
    if (actor.role === 'employer')
      throw new SbError('SB_ERR_FORBIDDEN', { zh: 'refund.read', en: 'refund.read' });
    const year = checkRefundYear(q.year, this.params);
    const region = q.region ?? actor.region ?? '000000';
    authorize(actor, 'refund.read', { region });
    return { year, region };
  }

  /** The agency's view of a year's batch in a region (scan figures, payments, reasons for refusals). */
  async batch(actor: Actor, q: { year: number; region?: string }): Promise<RefundBatchView> {
    const { year, region } = this.staffScope(actor, q);
    const scan = await refundScanSummary(this.db, year);
    const x = await batchFigures(this.db, year, region);
    const reasons = await refusalReasons(this.db, year, region);
    const pending = await new ApprovalService(this.db).openId('refund.pay', `${region}:${year}`);
    return {
      year,
      dataYear: year - 1,
      region,
      scanStatus: scan.status,
      employersScanned: x.scanned,
      qualifying: x.qualifying,
      totalFen: x.totalFen,
      paid: x.paid,
      paidFen: x.paidFen,
      awaitingRelease: x.awaiting,
      awaitingFen: x.awaitingFen,
      noBankAccount: x.noAccount,
      notEligibleByReason: reasons,
      pendingApprovalId: pending,
      scanAllowed: await mayStartRefundScan(this.db, actor),
    };
  }

  /** The results of a year in the staff member's region, a page at a time. */
  async results(
    actor: Actor,
    q: { year: number; region?: string; eligible?: boolean; page: number; pageSize: number },
  ): Promise<{ items: RefundView[]; total: number; page: number; pageSize: number }> {
    const { year, region } = this.staffScope(actor, q);
    const { rows, total } = await resultsPage(this.db, { year, region, eligible: q.eligible }, q);
    return { items: rows.map(view), total, page: q.page, pageSize: q.pageSize };
  }

  /** A clerk prepares the payment of the year's qualifying employers in a region (four eyes). */
  async preparePayment(actor: Actor, input: { year: number; region: string }): Promise<ApprovalView> {
    authorize(actor, 'refund.pay', { region: input.region });
    const year = checkRefundYear(input.year, this.params);
    if (!(await findRegion(this.db, input.region)))
      throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
    const scan = await refundScanSummary(this.db, year);
    if (scan.status !== 'done')
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `${year}年度稳岗返还尚未完成扫描`,
        en: `the ${year} refund scan is not finished`,
      });
    const b = await this.batch(actor, { year, region: input.region });
    if (b.awaitingRelease === 0)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '没有待拨付的稳岗返还（均已拨付或缺少单位银行账户）',
        en: 'nothing to pay: every qualifying refund is paid or lacks a bank account',
      });
    return new ApprovalService(this.db).prepare(actor, {
      kind: 'refund.pay',
      dedupeKey: `${input.region}:${year}`,
      region: input.region,
      subjectPersonId: null,
      payload: { year, region: input.region },
      summary: {
        year,
        region: input.region,
        employers: b.awaitingRelease,
        totalFen: b.awaitingFen,
        noBankAccount: b.noBankAccount,
      },
    });
  }

  /**
   * Pays the released refunds of a year in a region, in batches: each batch posts one ledger entry per
   * region (refund expenditure / bank, unemployment fund), records each payment against that entry and
   * tells each employer, in one transaction. Refunds already paid are skipped by the anti-join and the
   * primary key; an advisory lock keeps two payers of the same year apart.
   */
  async payRefunds(
    actor: Actor,
    input: {
      year: number;
      region: string;
      approvalId: number | null;
      batchSize?: number;
      /** for the crash test only: runs after batch n commits */
      afterBatch?: (n: number) => void;
    },
  ): Promise<{ employers: number; totalFen: number; noBankAccount: number }> {
    const { year, region } = input;
    const batchSize = input.batchSize ?? REFUND_PAY_BATCH;
    let employers = 0;
    let totalFen = 0;
    let batches = 0;
    for (;;) {
      const n = await this.db.transaction().execute(async (tx) => {
        await lockRefundYear(tx, year);
        const rows = await unpaidWithAccount(tx, year, region, batchSize);
        if (rows.length === 0) return 0;
        const byRegion = new Map<string, number>();
        for (const r of rows) {
          const reg = r.region.trim();
          byRegion.set(reg, (byRegion.get(reg) ?? 0) + int(r.refund_fen));
        }
        const on = today();
        const firstId = int(rows[0]?.id);
        const entryOf = new Map<string, number>();
        for (const [reg, amount] of [...byRegion].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
          const e = await postEntry(tx, actor, {
            fund: 'unemployment',
            region: reg,
            period: periodOf(on),
            entryDate: on,
            kind: REFUND_LEDGER_KIND,
            description: `${year}年度稳岗返还拨付 / stable-employment refunds ${year} (from result #${firstId})`,
            idempotencyKey: `refund:${year}:${reg}:${firstId}`,
            source: { type: 'refund_batch', id: `${year}:${region}` },
            lines: [
              { account: ACCOUNTS.refundExpenditure, debitFen: amount },
              { account: ACCOUNTS.bank, creditFen: amount },
            ],
          });
          entryOf.set(reg, e.entryId);
        }
        const ids = rows.map((r) => int(r.id));
        const entries = rows.map((r) => entryOf.get(r.region.trim()) ?? 0);
        const notes = rows.map((r) =>
          JSON.stringify({
            zh: `${year}年度稳岗返还 ${formatMoney(int(r.refund_fen))} 已拨付至单位银行账户（尾号${r.bank_account.slice(-4)}）。`,
            en: `The ${year} stable-employment refund of ${formatMoney(int(r.refund_fen))} was paid to the organisation's bank account ending ${r.bank_account.slice(-4)}.`,
          }),
        );
        await insertPayments(tx, {
          year,
          ids,
          entries,
          notes,
          approvalId: input.approvalId,
          paidOn: on,
          actor: actor.username,
        });
        const batchFen = [...byRegion.values()].reduce((a, b) => a + b, 0);
        await appendAudit(tx, actor, {
          action: 'refund.pay',
          entityType: 'refund_batch',
          entityId: `${year}:${region}`,
          region,
          after: {
            year,
            region,
            approvalId: input.approvalId,
            employers: ids.length,
            totalFen: batchFen,
            firstId,
          },
        });
        employers += ids.length;
        totalFen += batchFen;
        return ids.length;
      });
      if (n === 0) break;
      batches += 1;
      input.afterBatch?.(batches);
    }
    const noBankAccount = await this.db.transaction().execute((tx) => tellHeld(tx, actor, year, region));
    return { employers, totalFen, noBankAccount };
  }

  /** The approval kind the server registers: released by a reviewer of the batch's region. */
  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'refund.pay',
        checkAction: 'money.release',
        resumable: true,
        execute: async (maker, payload, approvalId) => {
          const p = payload as { year: number; region: string };
          if (maker.region !== null && !regionCovers(maker.region, p.region))
            throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'refund.pay', en: 'refund.pay' });
          return this.payRefunds(maker, { year: p.year, region: p.region, approvalId });
        },
      },
    ];
  }
}

/** `shebao ledger verify`: the refunds paid equal the refund postings, per region. */
export const REFUND_CHECKS: readonly SubLedgerCheck[] = [
  paidEqualsPostedCheck({
    name: 'stable-employment refunds paid = unemployment fund refund expenditure',
    label: 'refunds',
    paid: REFUNDS_PAID_BY_REGION,
    fund: 'unemployment',
    account: ACCOUNTS.refundExpenditure,
    kind: REFUND_LEDGER_KIND,
  }),
];
