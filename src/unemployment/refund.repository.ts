// SQL of the stable-employment refunds after the scan (refund.job.ts writes refund_result): a result
// with its employer, payment and bank account, a year's figures in a region, the payment batches
// (each result paid once: refund_payment's primary key) and the employer's status messages (outbox
// `case.status`). Executor first; the service owns the transactions, the ledger and the audit.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { caseStatusInsert } from '../hall/case-status.event.ts';
import { REFUND_SERVICE } from './refund.job.ts';

export type ResultRow = {
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

const resultSelect = sql`
  SELECT r.id, r.year, r.employer_id, e.name AS employer_name, r.region, r.size, r.insured_count, r.laid_off_count,
    r.premiums_paid_fen, r.paid_months, r.arrears, r.eligible, r.refund_fen, r.rate_percent, r.layoff_rate_percent,
    r.layoff_limit_percent, r.reason, r.reason_zh, r.trace, p.paid_on::text AS paid_on, p.amount_fen AS paid_fen,
    p.bank_name AS pay_bank_name, p.bank_account AS pay_bank_account, (ba.employer_id IS NOT NULL) AS has_account
  FROM refund_result r
  JOIN employer e ON e.id = r.employer_id
  LEFT JOIN refund_payment p ON p.result_id = r.id
  LEFT JOIN employer_bank_account ba ON ba.employer_id = r.employer_id`;

/** An employer's results, every scanned year, newest first. */
export async function employerResults(db: Db, employerId: number): Promise<ResultRow[]> {
  const r =
    await sql<ResultRow>`${resultSelect} WHERE r.employer_id = ${employerId} ORDER BY r.year DESC`.execute(
      db,
    );
  return r.rows;
}

export async function resultById(db: Db, id: number): Promise<ResultRow | undefined> {
  const r = await sql<ResultRow>`${resultSelect} WHERE r.id = ${id}`.execute(db);
  return r.rows[0];
}

/** A page of a year's results in a region (only the eligible or the others, when asked), the eligible first; with the count of all that match. */
export async function resultsPage(
  db: Db,
  q: { year: number; region: string; eligible?: boolean | undefined },
  page: { page: number; pageSize: number },
): Promise<{ rows: ResultRow[]; total: number }> {
  const where = sql`r.year = ${q.year} AND ${regionCoversSql(sql`r.region`, q.region)} ${
    q.eligible === undefined ? sql`` : sql`AND r.eligible = ${q.eligible}`
  }`;
  const n = await sql<{ n: unknown }>`SELECT count(*) AS n FROM refund_result r WHERE ${where}`.execute(db);
  const rows = await sql<ResultRow>`${resultSelect} WHERE ${where} ORDER BY r.eligible DESC, r.id
      LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`.execute(db);
  return { rows: rows.rows, total: int(n.rows[0]?.n) };
}

/** A year's figures in a region: scanned, qualifying, paid, awaiting release, held for want of an account. */
export async function batchFigures(db: Db, year: number, region: string) {
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
      WHERE r.year = ${year} AND ${regionCoversSql(sql`r.region`, region)}`.execute(db);
  const x = t.rows[0] ?? {};
  return {
    scanned: int(x['scanned']),
    qualifying: int(x['qualifying']),
    totalFen: int(x['total']),
    paid: int(x['paid']),
    paidFen: int(x['paid_fen']),
    awaiting: int(x['awaiting']),
    awaitingFen: int(x['awaiting_fen']),
    noAccount: int(x['no_account']),
  };
}

/** Why employers did not qualify in a year and region, the commonest 20 reasons. */
export async function refusalReasons(db: Db, year: number, region: string) {
  const reasons = await sql<{ reason: string; reason_zh: string; n: unknown }>`
      SELECT coalesce(r.reason, '') AS reason, coalesce(r.reason_zh, '') AS reason_zh, count(*) AS n FROM refund_result r
      WHERE r.year = ${year} AND NOT r.eligible AND ${regionCoversSql(sql`r.region`, region)}
      GROUP BY 1, 2 ORDER BY count(*) DESC, 2 LIMIT 20`.execute(db);
  return reasons.rows.map((r) => ({ reason: r.reason, reasonZh: r.reason_zh, employers: int(r.n) }));
}

/** Keeps two payers (or a payer and the hold notices) of one year apart, to the transaction's end. */
export async function lockRefundYear(tx: Db, year: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(726354202, ${year})`.execute(tx);
}

/** The next unpaid qualifying refunds of a year in a region whose employer has a bank account, by id. */
export async function unpaidWithAccount(tx: Db, year: number, region: string, limit: number) {
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
    WHERE r.year = ${year} AND r.eligible AND r.refund_fen > 0 AND ${regionCoversSql(sql`r.region`, region)}
      AND NOT EXISTS (SELECT 1 FROM refund_payment p WHERE p.result_id = r.id)
    ORDER BY r.id LIMIT ${limit}`.execute(tx);
  return rows.rows;
}

/**
 * Records the payments (each against its ledger entry, to the employer's account on record) and tells
 * each employer, `completed`, in one statement.
 */
export async function insertPayments(
  tx: Db,
  p: {
    year: number;
    ids: readonly number[];
    entries: readonly number[];
    notes: readonly string[];
    approvalId: number | null;
    paidOn: string;
    actor: string;
  },
): Promise<void> {
  await sql`
    WITH src AS (
      SELECT * FROM unnest(${p.ids}::bigint[], ${p.entries}::bigint[], ${p.notes}::text[]) AS t(result_id, entry_id, note)
    ), ins AS (
      INSERT INTO refund_payment (result_id, year, employer_id, region, amount_fen, bank_name, bank_account, approval_id,
        journal_entry_id, paid_on, created_by)
      SELECT r.id, r.year, r.employer_id, r.region, r.refund_fen, ba.bank_name, ba.bank_account, ${p.approvalId},
        src.entry_id, ${p.paidOn}::date, ${p.actor}
      FROM src JOIN refund_result r ON r.id = src.result_id JOIN employer_bank_account ba ON ba.employer_id = r.employer_id
      RETURNING result_id, employer_id, region
    )
    ${caseStatusInsert(
      {
        service: sql`${REFUND_SERVICE}::text`,
        ref: sql`'refund_result:' || ins.result_id`,
        employerId: sql`ins.employer_id`,
        status: 'completed',
        actor: sql`${p.actor}::text`,
        note: sql`src.note::jsonb`,
        regionCode: sql`trim(ins.region)`,
        year: sql`${p.year}::int`,
      },
      sql`FROM ins JOIN src ON src.result_id = ins.result_id ORDER BY ins.result_id`,
    )}`.execute(tx);
}

/** The qualifying refunds of a year in a region not paid for want of the employer's bank account, by id. */
export async function heldForAccount(tx: Db, year: number, region: string) {
  const held = await sql<{ id: unknown; employer_id: unknown; region: string; refund_fen: unknown }>`
    SELECT r.id, r.employer_id, r.region, r.refund_fen FROM refund_result r
    WHERE r.year = ${year} AND r.eligible AND ${regionCoversSql(sql`r.region`, region)}
      AND NOT EXISTS (SELECT 1 FROM refund_payment p WHERE p.result_id = r.id)
      AND NOT EXISTS (SELECT 1 FROM employer_bank_account ba WHERE ba.employer_id = r.employer_id)
    ORDER BY r.id`.execute(tx);
  return held.rows;
}

/** Tells each employer of these results that its refund is held (status `accepted`, the stage named). */
export async function tellEmployersHeld(
  tx: Db,
  h: { year: number; ids: readonly number[]; notes: readonly string[]; stage: string; actor: string },
): Promise<void> {
  await caseStatusInsert(
    {
      service: sql`${REFUND_SERVICE}::text`,
      ref: sql`'refund_result:' || r.id`,
      employerId: sql`r.employer_id`,
      status: 'accepted',
      actor: sql`${h.actor}::text`,
      note: sql`src.note::jsonb`,
      stage: sql`${h.stage}::jsonb`,
      regionCode: sql`trim(r.region)`,
      year: sql`${h.year}::int`,
    },
    sql`FROM unnest(${h.ids}::bigint[], ${h.notes}::text[]) AS src(result_id, note)
    JOIN refund_result r ON r.id = src.result_id ORDER BY r.id`,
  ).execute(tx);
}

/** The refunds paid, per region (`shebao ledger verify` sets them against the fund's postings). */
export const REFUNDS_PAID_BY_REGION = sql`SELECT region, sum(amount_fen)::bigint AS amount FROM refund_payment GROUP BY region`;
