// SQL of the stable-employment refunds: the yearly scan's facts, its run and chunks and the results it
// writes (refund.job.ts), then a result with its employer, payment and bank account, a year's figures
// in a region, the payment batches (each result paid once: refund_payment's primary key) and the
// employer's status messages (outbox `case.status`). Executor first; the service and the job own the
// transactions, the ledger and the audit.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { caseStatusInsert } from '../hall/case-status.event.ts';
import type { EmployerSize } from './stable-employment-refund.rules.ts';

/** The hall's service code of a refund (its `case.status` events). */
export const REFUND_SERVICE = 'job-stabilisation-refund';

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
  /** as stored: read through storedTrace (steps saved before they carried a unit have none) */
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

// ---- the yearly scan (refund.job.ts): its run, its chunks and the results it writes

/** The employer ids a chunk covers, `to` null for the last. */
export interface ScanBounds {
  from: number;
  to: number | null;
}

/** True when some employer lies outside the region (the scan reads every employer). */
export async function employerOutside(db: Db, region: string): Promise<boolean> {
  const r =
    await sql`SELECT 1 AS x FROM employer e WHERE NOT ${regionCoversSql(sql`e.region`, region)} LIMIT 1`.execute(
      db,
    );
  return r.rows.length > 0;
}

/** The facts of one employer for the year before the policy year (what the scan reads). */
export interface RefundFacts {
  employerId: number;
  region: string;
  size: EmployerSize;
  insuredCount: number;
  laidOffCount: number;
  premiumsPaidFen: number;
  paidMonths: number;
  arrears: boolean;
}

/**
 * The facts of the employers whose ids fall in the bounds, for policy year `year` (data year − 1),
 * arrears as of `asOf`. One statement: employments, bills and arrears aggregated per employer.
 */
export async function refundFacts(db: Db, year: number, b: ScanBounds, asOf: string): Promise<RefundFacts[]> {
  const d = year - 1;
  const from = `${d}-01-01`;
  const to = `${d}-12-31`;
  const range = (col: string) =>
    b.to === null ? sql`${sql.ref(col)} >= ${b.from}` : sql`${sql.ref(col)} BETWEEN ${b.from} AND ${b.to}`;
  const r = await sql<{
    id: number;
    region: string;
    size: EmployerSize;
    insured: unknown;
    laid_off: unknown;
    premiums: unknown;
    paid_months: unknown;
    arrears: boolean;
  }>`
    WITH staff AS (
      SELECT m.employer_id, count(DISTINCT m.person_id) AS insured,
        count(DISTINCT m.person_id) FILTER (WHERE m.end_date BETWEEN ${from}::date AND ${to}::date AND m.end_reason = 'involuntary') AS laid_off
      FROM employment m
      WHERE ${range('m.employer_id')} AND m.start_date <= ${to}::date AND (m.end_date IS NULL OR m.end_date >= ${from}::date)
      GROUP BY m.employer_id
    ), paid AS (
      -- one pass over the year's bills: premiums paid, and the months with a paid bill and with an
      -- open one as 12-bit masks (a month is fully paid when it has a paid bill and no open one)
      SELECT b.employer_id,
        coalesce(sum(b.unemployment_employer_fen + b.unemployment_employee_fen) FILTER (WHERE b.status = 'paid'), 0)::bigint AS premiums,
        coalesce(bit_or(1 << (substr(b.period, 6, 2)::int - 1)) FILTER (WHERE b.status = 'paid'), 0) AS paid_mask,
        coalesce(bit_or(1 << (substr(b.period, 6, 2)::int - 1)) FILTER (WHERE b.status = 'open'), 0) AS open_mask
      FROM contribution_bill b
      WHERE ${range('b.employer_id')} AND b.payer_kind = 'employer' AND b.status <> 'cancelled'
        AND b.period BETWEEN ${`${d}-01`} AND ${`${d}-12`}
      GROUP BY b.employer_id
    ), arrears AS (
      SELECT DISTINCT b.employer_id FROM contribution_bill b
      WHERE ${range('b.employer_id')} AND b.payer_kind = 'employer' AND b.status = 'open' AND b.due_date < ${asOf}::date
    )
    SELECT e.id, e.region, e.size, coalesce(s.insured, 0) AS insured, coalesce(s.laid_off, 0) AS laid_off,
      coalesce(p.premiums, 0)::bigint AS premiums,
      coalesce(length(replace(((p.paid_mask & ~p.open_mask)::bit(12))::text, '0', '')), 0) AS paid_months, a.employer_id IS NOT NULL AS arrears
    FROM employer e
    LEFT JOIN staff s ON s.employer_id = e.id
    LEFT JOIN paid p ON p.employer_id = e.id
    LEFT JOIN arrears a ON a.employer_id = e.id
    WHERE ${range('e.id')}
    ORDER BY e.id`.execute(db);
  return r.rows.map((x) => ({
    employerId: int(x.id),
    region: x.region.trim(),
    size: x.size,
    insuredCount: int(x.insured),
    laidOffCount: int(x.laid_off),
    premiumsPaidFen: int(x.premiums),
    paidMonths: Math.min(12, int(x.paid_months)),
    arrears: x.arrears === true || (x.arrears as unknown) === 't',
  }));
}

/** One starter of a year's scan at a time, to the transaction's end. */
export async function lockRefundScanYear(tx: Db, year: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(726354201, ${year})`.execute(tx);
}

/** A started scan's chunks and status, if the year has one. */
export async function scanBounds(
  tx: Db,
  year: number,
): Promise<{ bounds: ScanBounds[]; status: string } | undefined> {
  const existing = await sql<{ chunk_bounds: unknown; status: string }>`
    SELECT chunk_bounds, status FROM refund_scan WHERE year = ${year}`.execute(tx);
  const ex = existing.rows[0];
  return ex ? { bounds: ex.chunk_bounds as ScanBounds[], status: ex.status } : undefined;
}

/** The first employer id of each chunk of `chunkSize` employers, in id order. */
export async function chunkStarts(tx: Db, chunkSize: number): Promise<number[]> {
  const starts = await sql<{ id: unknown }>`
    SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM employer) s
    WHERE rn % ${chunkSize} = 0 ORDER BY id`.execute(tx);
  return starts.rows.map((r) => int(r.id));
}

/** The scan of a year and its job run (shown among the long jobs), started. */
export async function insertScan(
  tx: Db,
  s: { year: number; status: string; chunkSize: number; bounds: readonly ScanBounds[]; startedBy: string },
): Promise<void> {
  const job = await sql<{ id: unknown }>`
    INSERT INTO job_run (kind, key, status, total, detail, started_at, updated_at)
    VALUES ('refund-scan', ${String(s.year)}, ${s.status}, ${s.bounds.length}, ${JSON.stringify({ year: s.year })}, now(), now())
    ON CONFLICT (kind, key) DO UPDATE SET status = EXCLUDED.status, updated_at = now()
    RETURNING id`.execute(tx);
  await sql`INSERT INTO refund_scan (year, status, chunk_size, chunk_bounds, chunks_total, job_run_id, started_by, finished_at)
    VALUES (${s.year}, ${s.status}, ${s.chunkSize}, ${JSON.stringify(s.bounds)}, ${s.bounds.length}, ${int(job.rows[0]?.id)}, ${s.startedBy},
      ${s.status === 'done' ? sql`now()` : sql`NULL`})`.execute(tx);
}

/** The scan's status, its row locked to the transaction's end (a chunk runs while it is `running`). */
export async function lockScanStatus(tx: Db, year: number): Promise<string | undefined> {
  const locked = await sql<{ status: string }>`
    SELECT status FROM refund_scan WHERE year = ${year} FOR UPDATE`.execute(tx);
  return locked.rows[0]?.status;
}

export async function chunkDone(tx: Db, year: number, chunkNo: number): Promise<boolean> {
  const done =
    await sql`SELECT 1 FROM refund_scan_chunk WHERE year = ${year} AND chunk_no = ${chunkNo}`.execute(tx);
  return done.rows.length > 0;
}

/** The year's bills and employments aggregated in memory, not spilled (PGlite's default is 4 MB). */
export async function roomForTheYear(tx: Db): Promise<void> {
  await sql`SET LOCAL work_mem = '128MB'`.execute(tx);
}

/** A chunk's facts and decisions, one array per column, in the same employer order. */
export interface ResultColumns {
  employer: number[];
  region: string[];
  size: string[];
  insured: number[];
  laidOff: number[];
  premiums: number[];
  arrears: boolean[];
  paidMonths: number[];
  eligible: boolean[];
  refund: number[];
  rate: number[];
  layoffRate: number[];
  layoffLimit: number[];
  reason: Array<string | null>;
  reasonZh: Array<string | null>;
  /** each employer's trace as JSON */
  trace: string[];
  /** the notice as JSON for a qualifying employer, else null */
  notice: Array<string | null>;
}

/**
 * Results and notices in one statement: a notice only for a result this chunk inserted. The traces
 * travel as one JSON array (parsed once by the server), the other columns as arrays.
 */
export async function insertResults(
  tx: Db,
  c: { year: number; chunkNo: number; actor: string; columns: ResultColumns },
): Promise<void> {
  const { year, chunkNo, columns: A } = c;
  const traces = `[${A.trace.join(',')}]`;
  await sql`
    WITH src AS MATERIALIZED (
      SELECT t.*, j.trace FROM unnest(${A.employer}::bigint[], ${A.region}::text[], ${A.size}::text[], ${A.insured}::int[],
        ${A.laidOff}::int[], ${A.premiums}::bigint[], ${A.arrears}::boolean[], ${A.paidMonths}::int[], ${A.eligible}::boolean[],
        ${A.refund}::bigint[], ${A.rate}::numeric[], ${A.layoffRate}::numeric[], ${A.layoffLimit}::numeric[],
        ${A.reason}::text[], ${A.reasonZh}::text[], ${A.notice}::text[]) WITH ORDINALITY
        AS t(employer_id, region, size, insured, laid_off, premiums, arrears, paid_months, eligible, refund_fen, rate, layoff_rate,
          layoff_limit, reason, reason_zh, notice, n)
      JOIN jsonb_array_elements(${traces}::jsonb) WITH ORDINALITY AS j(trace, n) ON j.n = t.n
    ), ins AS (
      INSERT INTO refund_result (year, employer_id, region, size, insured_count, laid_off_count, premiums_paid_fen, arrears,
        paid_months, eligible, refund_fen, rate_percent, layoff_rate_percent, layoff_limit_percent, reason, reason_zh, trace, chunk_no)
      SELECT ${year}, employer_id, region, size, insured, laid_off, premiums, arrears, paid_months, eligible, refund_fen, rate,
        layoff_rate, layoff_limit, reason, reason_zh, trace, ${chunkNo} FROM src ORDER BY n
      ON CONFLICT (year, employer_id) DO NOTHING
      RETURNING id, employer_id, region, eligible
    )
    ${caseStatusInsert(
      {
        service: sql`${REFUND_SERVICE}::text`,
        ref: sql`'refund_result:' || ins.id`,
        employerId: sql`ins.employer_id`,
        status: 'accepted',
        actor: sql`${c.actor}::text`,
        note: sql`src.notice::jsonb`,
        regionCode: sql`trim(ins.region)`,
        year: sql`${year}::int`,
      },
      sql`FROM ins JOIN src ON src.employer_id = ins.employer_id
    WHERE ins.eligible
    ORDER BY ins.id`,
    )}`.execute(tx);
}

/**
 * A chunk recorded with its figures and the job run advanced; the scan done with its last chunk.
 * True when this was the last.
 */
export async function recordChunk(
  tx: Db,
  c: {
    year: number;
    chunkNo: number;
    employers: number;
    qualifying: number;
    totalFen: number;
    chunksTotal: number;
  },
): Promise<boolean> {
  const { year } = c;
  await sql`INSERT INTO refund_scan_chunk (year, chunk_no, employers, qualifying, total_fen)
    VALUES (${year}, ${c.chunkNo}, ${c.employers}, ${c.qualifying}, ${c.totalFen})`.execute(tx);
  const n = await sql<{
    n: unknown;
  }>`SELECT count(*) AS n FROM refund_scan_chunk WHERE year = ${year}`.execute(tx);
  const last = int(n.rows[0]?.n) >= c.chunksTotal;
  await sql`UPDATE job_run SET done = done + 1, updated_at = now(), status = ${last ? 'done' : 'running'},
      finished_at = ${last ? sql`now()` : sql`NULL`}
    WHERE id = (SELECT job_run_id FROM refund_scan WHERE year = ${year})`.execute(tx);
  if (last)
    await sql`UPDATE refund_scan SET status = 'done', finished_at = now() WHERE year = ${year}`.execute(tx);
  return last;
}

/** A year's figures from its recorded chunks. */
export async function scanTotals(
  db: Db,
  year: number,
): Promise<{ chunksDone: number; employersScanned: number; qualifying: number; totalFen: number }> {
  const t = await sql<{ chunks: unknown; employers: unknown; qualifying: unknown; total: unknown }>`
    SELECT count(*) AS chunks, coalesce(sum(employers), 0)::bigint AS employers, coalesce(sum(qualifying), 0)::bigint AS qualifying,
      coalesce(sum(total_fen), 0)::bigint AS total
    FROM refund_scan_chunk WHERE year = ${year}`.execute(db);
  const r = t.rows[0];
  return {
    chunksDone: int(r?.chunks),
    employersScanned: int(r?.employers),
    qualifying: int(r?.qualifying),
    totalFen: int(r?.total),
  };
}

/** A year's scan as started: its status and number of chunks, if the year has one. */
export async function scanHead(
  db: Db,
  year: number,
): Promise<{ status: 'running' | 'done'; chunksTotal: number } | undefined> {
  const s = await sql<{ status: 'running' | 'done'; chunks_total: number }>`
    SELECT status, chunks_total FROM refund_scan WHERE year = ${year}`.execute(db);
  const row = s.rows[0];
  return row ? { status: row.status, chunksTotal: int(row.chunks_total) } : undefined;
}

/** The numbers of a year's chunks already done. */
export async function doneChunkNos(db: Db, year: number): Promise<number[]> {
  const r = await sql<{
    chunk_no: number;
  }>`SELECT chunk_no FROM refund_scan_chunk WHERE year = ${year}`.execute(db);
  return r.rows.map((x) => int(x.chunk_no));
}
