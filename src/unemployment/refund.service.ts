// Stable-employment refunds after the scan (refund.job.ts): what an employer sees (its refund and why,
// or why not), the agency's batch per year and region, and the payment. A clerk prepares the payment
// of a year's qualifying employers in a region; a reviewer who is another person releases it
// (src/approval/, kind `refund.pay`); only then is each refund paid to the employer's bank account,
// posted to the unemployment fund (refund expenditure against the bank) and the employer told. The
// payment goes in batches, each one transaction; a refund is paid once (primary key on the result),
// so a resumed or repeated release pays nobody twice.
import { sql, type RawBuilder } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, regionCovers } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import type { Note } from '../core/bilingual.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatMoney } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { paidEqualsPostedCheck, type SubLedgerCheck } from '../ledger/ledger-verify.repository.ts';
import { maskBankAccount } from '../registry/person.rules.ts';
import { checkRefundYear, mayStartRefundScan, REFUND_SERVICE, refundScanSummary } from './refund.job.ts';

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

type ResultRow = {
  id: unknown;
  year: number;
  employer_id: unknown;
  employer_name: string;
  region: string;
  size: string;
  insured_count: number;
  laid_off_count: number;
  premiums_paid_fen: unknown;
  paid_months: number;
  arrears: boolean;
  eligible: boolean;
  refund_fen: unknown;
  rate_percent: unknown;
  layoff_rate_percent: unknown;
  layoff_limit_percent: unknown;
  reason: string | null;
  reason_zh: string | null;
  trace: unknown;
  paid_on: string | null;
  paid_fen: unknown;
  pay_bank_name: string | null;
  pay_bank_account: string | null;
  has_account: boolean;
};

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
    trace: (typeof r.trace === 'string' ? JSON.parse(r.trace) : r.trace) as TraceStep[],
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

const resultSelect = sql`
  SELECT r.id, r.year, r.employer_id, e.name AS employer_name, r.region, r.size, r.insured_count, r.laid_off_count,
    r.premiums_paid_fen, r.paid_months, r.arrears, r.eligible, r.refund_fen, r.rate_percent, r.layoff_rate_percent,
    r.layoff_limit_percent, r.reason, r.reason_zh, r.trace, p.paid_on::text AS paid_on, p.amount_fen AS paid_fen,
    p.bank_name AS pay_bank_name, p.bank_account AS pay_bank_account, (ba.employer_id IS NOT NULL) AS has_account
  FROM refund_result r
  JOIN employer e ON e.id = r.employer_id
  LEFT JOIN refund_payment p ON p.result_id = r.id
  LEFT JOIN employer_bank_account ba ON ba.employer_id = r.employer_id`;

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
async function tellHeld(tx: Db, actor: Actor, year: number, covers: RawBuilder<boolean>): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(726354202, ${year})`.execute(tx);
  const held = await sql<{ id: unknown; employer_id: unknown; region: string; refund_fen: unknown }>`
    SELECT r.id, r.employer_id, r.region, r.refund_fen FROM refund_result r
    WHERE r.year = ${year} AND r.eligible AND ${covers}
      AND NOT EXISTS (SELECT 1 FROM refund_payment p WHERE p.result_id = r.id)
      AND NOT EXISTS (SELECT 1 FROM employer_bank_account ba WHERE ba.employer_id = r.employer_id)
    ORDER BY r.id`.execute(tx);
  if (held.rows.length === 0) return 0;
  const ids = held.rows.map((r) => int(r.id));
  const notes = held.rows.map((r) =>
    JSON.stringify({
      zh: `${year}年度稳岗返还 ${formatMoney(int(r.refund_fen))} 暂缓拨付：单位未登记银行账户。请到经办机构登记单位银行账户，登记后随下一批复核拨付。`,
      en: `The ${year} stable-employment refund of ${formatMoney(int(r.refund_fen))} is held: the organisation has no bank account on record. Register one with the office; the refund is paid with the next release after that.`,
    }),
  );
  await sql`
    INSERT INTO outbox (topic, payload)
    SELECT 'case.status', jsonb_build_object('service', ${REFUND_SERVICE}::text, 'ref', 'refund_result:' || r.id,
      'employerId', r.employer_id, 'status', 'accepted', 'actor', ${actor.username}::text, 'note', src.note::jsonb,
      'stage', ${JSON.stringify(HELD)}::jsonb, 'regionCode', trim(r.region), 'year', ${year}::int)
    FROM unnest(${ids}::bigint[], ${notes}::text[]) AS src(result_id, note)
    JOIN refund_result r ON r.id = src.result_id ORDER BY r.id`.execute(tx);
  return held.rows.length;
}

export class RefundService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** An employer's refunds, every scanned year (qualifying or why not). */
  async employerRefunds(actor: Actor, employerId: number): Promise<{ items: RefundView[] }> {
    authorize(actor, 'refund.read');
    const e = await this.db
      .selectFrom('employer')
      .select(['id', 'region'])
      .where('id', '=', employerId)
      .executeTakeFirst();
    // Another employer's id and an unknown id answer alike (403), saying nothing about either.
    if (!e) {
      if (actor.role === 'employer')
        throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'refund.read', en: 'refund.read' });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    }
    authorize(actor, 'refund.read', { employerIds: [e.id], region: e.region });
    const r =
      await sql<ResultRow>`${resultSelect} WHERE r.employer_id = ${employerId} ORDER BY r.year DESC`.execute(
        this.db,
      );
    return { items: r.rows.map(view) };
  }

  /** One result, for staff of its region (or the employer itself). */
  async result(actor: Actor, id: number): Promise<RefundView> {
    authorize(actor, 'refund.read');
    const r = await sql<ResultRow>`${resultSelect} WHERE r.id = ${id}`.execute(this.db);
    const row = r.rows[0];
    if (!row) {
      if (actor.role === 'employer')
        throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'refund.read', en: 'refund.read' });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    }
    authorize(actor, 'refund.read', { employerIds: [int(row.employer_id)], region: row.region.trim() });
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
    const covers = regionCoversSql(sql`r.region`, region);
    const t = await sql<Record<string, unknown>>`
      SELECT count(*) AS scanned, count(*) FILTER (WHERE r.eligible) AS qualifying,
        coalesce(sum(r.refund_fen), 0)::bigint AS total,
        count(p.result_id) AS paid, coalesce(sum(p.amount_fen), 0)::bigint AS paid_fen,
        count(*) FILTER (WHERE r.eligible AND p.result_id IS NULL AND ba.employer_id IS NOT NULL) AS awaiting,
        coalesce(sum(r.refund_fen) FILTER (WHERE r.eligible AND p.result_id IS NULL AND ba.employer_id IS NOT NULL), 0)::bigint AS awaiting_fen,
        count(*) FILTER (WHERE r.eligible AND p.result_id IS NULL AND ba.employer_id IS NULL) AS no_account
      FROM refund_result r
      LEFT JOIN refund_payment p ON p.result_id = r.id
      LEFT JOIN employer_bank_account ba ON ba.employer_id = r.employer_id
      WHERE r.year = ${year} AND ${covers}`.execute(this.db);
    const reasons = await sql<{ reason: string; reason_zh: string; n: unknown }>`
      SELECT coalesce(r.reason, '') AS reason, coalesce(r.reason_zh, '') AS reason_zh, count(*) AS n FROM refund_result r
      WHERE r.year = ${year} AND NOT r.eligible AND ${covers}
      GROUP BY 1, 2 ORDER BY count(*) DESC, 2 LIMIT 20`.execute(this.db);
    const pending = await sql<{ id: unknown }>`
      SELECT id FROM approval WHERE kind = 'refund.pay' AND dedupe_key = ${`${region}:${year}`} AND status = 'prepared'`.execute(
      this.db,
    );
    const x = t.rows[0] ?? {};
    return {
      year,
      dataYear: year - 1,
      region,
      scanStatus: scan.status,
      employersScanned: int(x['scanned']),
      qualifying: int(x['qualifying']),
      totalFen: int(x['total']),
      paid: int(x['paid']),
      paidFen: int(x['paid_fen']),
      awaitingRelease: int(x['awaiting']),
      awaitingFen: int(x['awaiting_fen']),
      noBankAccount: int(x['no_account']),
      notEligibleByReason: reasons.rows.map((r) => ({
        reason: r.reason,
        reasonZh: r.reason_zh,
        employers: int(r.n),
      })),
      pendingApprovalId: pending.rows[0] ? int(pending.rows[0].id) : null,
      scanAllowed: await mayStartRefundScan(this.db, actor),
    };
  }

  /** The results of a year in the staff member's region, a page at a time. */
  async results(
    actor: Actor,
    q: { year: number; region?: string; eligible?: boolean; page: number; pageSize: number },
  ): Promise<{ items: RefundView[]; total: number; page: number; pageSize: number }> {
    const { year, region } = this.staffScope(actor, q);
    const where = sql`r.year = ${year} AND ${regionCoversSql(sql`r.region`, region)} ${
      q.eligible === undefined ? sql`` : sql`AND r.eligible = ${q.eligible}`
    }`;
    const n = await sql<{ n: unknown }>`SELECT count(*) AS n FROM refund_result r WHERE ${where}`.execute(
      this.db,
    );
    const rows = await sql<ResultRow>`${resultSelect} WHERE ${where} ORDER BY r.eligible DESC, r.id
      LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`.execute(this.db);
    return { items: rows.rows.map(view), total: int(n.rows[0]?.n), page: q.page, pageSize: q.pageSize };
  }

  /** A clerk prepares the payment of the year's qualifying employers in a region (four eyes). */
  async preparePayment(actor: Actor, input: { year: number; region: string }): Promise<ApprovalView> {
    authorize(actor, 'refund.pay', { region: input.region });
    const year = checkRefundYear(input.year, this.params);
    if (
      !(await this.db.selectFrom('region').select('code').where('code', '=', input.region).executeTakeFirst())
    )
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
    const covers = regionCoversSql(sql`r.region`, region);
    let employers = 0;
    let totalFen = 0;
    let batches = 0;
    for (;;) {
      const n = await this.db.transaction().execute(async (tx) => {
        await sql`SELECT pg_advisory_xact_lock(726354202, ${year})`.execute(tx);
        const rows = await sql<{
          id: unknown;
          employer_id: unknown;
          region: string;
          refund_fen: unknown;
          bank_name: string;
          bank_account: string;
        }>`
        SELECT r.id, r.employer_id, r.region, r.refund_fen, ba.bank_name, ba.bank_account
        FROM refund_result r JOIN employer_bank_account ba ON ba.employer_id = r.employer_id
        WHERE r.year = ${year} AND r.eligible AND r.refund_fen > 0 AND ${covers}
          AND NOT EXISTS (SELECT 1 FROM refund_payment p WHERE p.result_id = r.id)
        ORDER BY r.id LIMIT ${batchSize}`.execute(tx);
        if (rows.rows.length === 0) return 0;
        const byRegion = new Map<string, number>();
        for (const r of rows.rows) {
          const reg = r.region.trim();
          byRegion.set(reg, (byRegion.get(reg) ?? 0) + int(r.refund_fen));
        }
        const on = today();
        const firstId = int(rows.rows[0]?.id);
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
        const ids = rows.rows.map((r) => int(r.id));
        const entries = rows.rows.map((r) => entryOf.get(r.region.trim()) ?? 0);
        const notes = rows.rows.map((r) =>
          JSON.stringify({
            zh: `${year}年度稳岗返还 ${formatMoney(int(r.refund_fen))} 已拨付至单位银行账户（尾号${r.bank_account.slice(-4)}）。`,
            en: `The ${year} stable-employment refund of ${formatMoney(int(r.refund_fen))} was paid to the organisation's bank account ending ${r.bank_account.slice(-4)}.`,
          }),
        );
        await sql`
        WITH src AS (
          SELECT * FROM unnest(${ids}::bigint[], ${entries}::bigint[], ${notes}::text[]) AS t(result_id, entry_id, note)
        ), ins AS (
          INSERT INTO refund_payment (result_id, year, employer_id, region, amount_fen, bank_name, bank_account, approval_id,
            journal_entry_id, paid_on, created_by)
          SELECT r.id, r.year, r.employer_id, r.region, r.refund_fen, ba.bank_name, ba.bank_account, ${input.approvalId},
            src.entry_id, ${on}::date, ${actor.username}
          FROM src JOIN refund_result r ON r.id = src.result_id JOIN employer_bank_account ba ON ba.employer_id = r.employer_id
          RETURNING result_id, employer_id, region
        )
        INSERT INTO outbox (topic, payload)
        SELECT 'case.status', jsonb_build_object('service', ${REFUND_SERVICE}::text, 'ref', 'refund_result:' || ins.result_id,
          'employerId', ins.employer_id, 'status', 'completed', 'actor', ${actor.username}::text, 'note', src.note::jsonb,
          'regionCode', trim(ins.region), 'year', ${year}::int)
        FROM ins JOIN src ON src.result_id = ins.result_id ORDER BY ins.result_id`.execute(tx);
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
    const noBankAccount = await this.db.transaction().execute((tx) => tellHeld(tx, actor, year, covers));
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
    paid: sql`SELECT region, sum(amount_fen)::bigint AS amount FROM refund_payment GROUP BY region`,
    fund: 'unemployment',
    account: ACCOUNTS.refundExpenditure,
    kind: REFUND_LEDGER_KIND,
  }),
];
