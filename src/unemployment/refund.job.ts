// The yearly stable-employment refund scan (失业保险稳岗返还，免申即享): every employer, set-based,
// from the system's own data — no application. For policy year Y the facts are those of year Y − 1
// (上年): the insured staff, the involuntary separations, the unemployment premiums paid, the months
// fully paid, and arrears outstanding when the scan runs. The eligibility and the amount come only
// from the pure rule `stable-employment-refund` (one figure, one formula): SQL gathers the facts per
// chunk of employer ids, the rule decides each employer in the chunk, and the chunk's results (with
// their traces) and the notices to qualifying employers (outbox `case.status`) are written in one
// transaction. A crash leaves whole chunks; running the year again resumes with the first chunk not
// done, and once the scan is done a rerun answers the stored figures and notifies nobody again.
//
// Test hooks (RefundScanOptions.hooks): insideChunk(n) inside chunk n before its commit,
// afterChunk(n) after chunk n commits. Chunks count from 1.
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import type { Note } from '../core/bilingual.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { fen, formatMoney } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { caseStatusInsert } from '../hall/case-status.event.ts';
import {
  assessStableEmploymentRefund,
  type EmployerSize,
  type StableEmploymentRefundInput,
  type StableEmploymentRefundResult,
} from './stable-employment-refund.rules.ts';

export const REFUND_CHUNK = 10_000;
export const REFUND_SERVICE = 'job-stabilisation-refund';

export interface RefundScanHooks {
  insideChunk?: (chunkNo: number) => void;
  afterChunk?: (chunkNo: number) => void;
}

export interface RefundScanOptions {
  year: number;
  chunkSize?: number;
  onProgress?: (done: number, total: number, stage: string) => void;
  hooks?: RefundScanHooks;
}

export interface RefundScanSummary {
  year: number;
  status: 'not_started' | 'running' | 'done';
  chunksDone: number;
  chunksTotal: number;
  employersScanned: number;
  qualifying: number;
  totalFen: number;
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

export interface RefundDecision {
  input: StableEmploymentRefundInput | null;
  result: StableEmploymentRefundResult;
  trace: TraceStep[];
}

interface Bounds {
  from: number;
  to: number | null;
}

/** A policy year the scan may run for: a whole number, not in the future, with the rule in force. */
export function checkRefundYear(year: unknown, params: ParamStore): number {
  const y = typeof year === 'string' && /^[0-9]{4}$/.test(year) ? Number(year) : year;
  if (typeof y !== 'number' || !Number.isSafeInteger(y) || y < 2000 || y > 2100)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'year',
      zh: '年度应为四位数字',
      en: 'the year must be four digits',
    });
  const current = Number(today().slice(0, 4));
  if (y > current)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'year',
      zh: `返还年度不得晚于本年（${current}）`,
      en: `the refund year may be at most this year (${current})`,
    });
  // The rule in force for the year (its rates and conditions), or SB_ERR_RULE_NOT_IN_FORCE.
  assessStableEmploymentRefund(
    {
      region: '000000',
      year: y,
      size: 'sme',
      insuredCount: 1,
      laidOffCount: 0,
      premiumsPaidFen: fen(0),
      arrears: false,
    },
    params,
  );
  return y;
}

/**
 * The scan reads every employer here (the pooling region's 免申即享 comparison), so it is started by
 * staff whose region covers every employer — the pooling region's or the province's agency — never by a
 * district's clerk, whose region would see only part of what the job decides (and could not follow the
 * job it started). False for a role without `refund.scan`.
 */
export async function mayStartRefundScan(db: Db, actor: Actor): Promise<boolean> {
  try {
    await authorizeRefundScan(db, actor);
    return true;
  } catch (e) {
    if (e instanceof SbError && ['SB_ERR_FORBIDDEN', 'SB_ERR_OUT_OF_SCOPE'].includes(e.code)) return false;
    throw e;
  }
}

/** SB_ERR_FORBIDDEN without `refund.scan`; SB_ERR_OUT_OF_SCOPE when an employer lies outside the caller's region. */
export async function authorizeRefundScan(db: Db, actor: Actor): Promise<void> {
  if (authorize(actor, 'refund.scan') === 'any') return;
  const outside =
    actor.region === null
      ? [{}]
      : (
          await sql`SELECT 1 AS x FROM employer e WHERE NOT ${regionCoversSql(sql`e.region`, actor.region.trim())} LIMIT 1`.execute(
            db,
          )
        ).rows;
  if (outside.length > 0)
    throw new SbError('SB_ERR_OUT_OF_SCOPE', {
      zh: '稳岗返还扫描覆盖全部参保单位，须由辖区覆盖全部单位的经办机构（统筹地区或省级）启动',
      en: 'the refund scan covers every employer; only staff whose region covers them all (the pooling region or the province) may start it',
    });
}

/** The rule on one employer's facts: the one place a refund figure is computed. */
export function decideRefund(year: number, f: RefundFacts, params: ParamStore): RefundDecision {
  const trace = new Trace();
  const dataYear = year - 1;
  trace.add(`facts of ${dataYear} (the year before the policy year)`, dataYear, `依据${dataYear}年度数据`);
  trace.add('insured staff in the year', f.insuredCount, '当年参保职工人数');
  trace.add('involuntary separations in the year', f.laidOffCount, '当年裁员（非本人意愿离职）人数');
  trace.add('unemployment premiums paid for the year', f.premiumsPaidFen, '当年实际缴纳失业保险费（分）');
  trace.add('months fully paid', f.paidMonths, '足额缴费月数');
  trace.add('arrears outstanding at the scan', f.arrears, '扫描时存在欠缴');
  if (f.insuredCount === 0) {
    const result: StableEmploymentRefundResult = {
      eligible: false,
      refundFen: fen(0),
      ratePercent: 0,
      layoffRatePercent: 0,
      layoffLimitPercent: 0,
      reason: `no insured staff in ${dataYear}`,
      reasonZh: `${dataYear}年度无参保职工`,
    };
    trace.add('not eligible', result.reason, result.reasonZh);
    return { input: null, result, trace: trace.steps };
  }
  const input: StableEmploymentRefundInput = {
    region: f.region,
    year,
    size: f.size,
    insuredCount: f.insuredCount,
    laidOffCount: f.laidOffCount,
    premiumsPaidFen: fen(f.premiumsPaidFen),
    arrears: f.arrears,
    paidMonths: f.paidMonths,
  };
  const result = assessStableEmploymentRefund(input, params, trace);
  return { input, result, trace: trace.steps };
}

/**
 * The facts of the employers whose ids fall in the bounds, for policy year `year` (data year − 1),
 * arrears as of `asOf`. One statement: employments, bills and arrears aggregated per employer.
 */
export async function refundFacts(db: Db, year: number, b: Bounds, asOf: string): Promise<RefundFacts[]> {
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

async function startOrResume(
  db: Db,
  actor: Actor,
  year: number,
  chunkSize: number,
): Promise<{ bounds: Bounds[]; status: string }> {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(726354201, ${year})`.execute(tx);
    const existing = await sql<{ chunk_bounds: unknown; status: string }>`
      SELECT chunk_bounds, status FROM refund_scan WHERE year = ${year}`.execute(tx);
    const ex = existing.rows[0];
    if (ex) return { bounds: ex.chunk_bounds as Bounds[], status: ex.status };
    const starts = await sql<{ id: unknown }>`
      SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM employer) s
      WHERE rn % ${chunkSize} = 0 ORDER BY id`.execute(tx);
    const bounds: Bounds[] = starts.rows.map((r, i) => ({
      from: int(r.id),
      to: i + 1 < starts.rows.length ? int(starts.rows[i + 1]?.id) - 1 : null,
    }));
    const status = bounds.length === 0 ? 'done' : 'running';
    const job = await sql<{ id: unknown }>`
      INSERT INTO job_run (kind, key, status, total, detail, started_at, updated_at)
      VALUES ('refund-scan', ${String(year)}, ${status}, ${bounds.length}, ${JSON.stringify({ year })}, now(), now())
      ON CONFLICT (kind, key) DO UPDATE SET status = EXCLUDED.status, updated_at = now()
      RETURNING id`.execute(tx);
    await sql`INSERT INTO refund_scan (year, status, chunk_size, chunk_bounds, chunks_total, job_run_id, started_by, finished_at)
      VALUES (${year}, ${status}, ${chunkSize}, ${JSON.stringify(bounds)}, ${bounds.length}, ${int(job.rows[0]?.id)}, ${actor.username},
        ${status === 'done' ? sql`now()` : sql`NULL`})`.execute(tx);
    await appendAudit(tx, actor, {
      action: 'refund.scan-start',
      entityType: 'refund_scan',
      entityId: year,
      region: null,
      after: { year, chunks: bounds.length, chunkSize },
    });
    return { bounds, status };
  });
}

/** The notice a qualifying employer gets, in both languages (the hall shows it as a message). */
export function refundNotice(year: number, refundFen: number): Note {
  return {
    zh: `您单位符合${year}年度失业保险稳岗返还条件（依据${year - 1}年度参保、裁员和缴费数据，免申即享），返还金额 ${formatMoney(refundFen)}，经复核后拨付至单位银行账户。`,
    en: `Your organisation qualifies for the ${year} stable-employment refund (from its ${year - 1} staff, lay-offs and premiums, without applying): ${formatMoney(refundFen)}, paid to its bank account once a reviewer releases it.`,
  };
}

async function runChunk(
  db: Db,
  params: ParamStore,
  actor: Actor,
  year: number,
  chunkNo: number,
  b: Bounds,
  chunksTotal: number,
  hooks: RefundScanHooks,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const locked = await sql<{ status: string }>`
      SELECT status FROM refund_scan WHERE year = ${year} FOR UPDATE`.execute(tx);
    if (locked.rows[0]?.status !== 'running') return false;
    const done =
      await sql`SELECT 1 FROM refund_scan_chunk WHERE year = ${year} AND chunk_no = ${chunkNo}`.execute(tx);
    if (done.rows.length > 0) return false;
    // the year's bills and employments aggregated in memory, not spilled (PGlite's default is 4 MB)
    await sql`SET LOCAL work_mem = '128MB'`.execute(tx);
    const facts = await refundFacts(tx, year, b, today());
    const A = {
      employer: [] as number[],
      region: [] as string[],
      size: [] as string[],
      insured: [] as number[],
      laidOff: [] as number[],
      premiums: [] as number[],
      arrears: [] as boolean[],
      paidMonths: [] as number[],
      eligible: [] as boolean[],
      refund: [] as number[],
      rate: [] as number[],
      layoffRate: [] as number[],
      layoffLimit: [] as number[],
      reason: [] as Array<string | null>,
      reasonZh: [] as Array<string | null>,
      trace: [] as string[],
      notice: [] as Array<string | null>,
    };
    let qualifying = 0;
    let totalFen = 0;
    for (const f of facts) {
      const { result, trace } = decideRefund(year, f, params);
      A.employer.push(f.employerId);
      A.region.push(f.region);
      A.size.push(f.size);
      A.insured.push(f.insuredCount);
      A.laidOff.push(f.laidOffCount);
      A.premiums.push(f.premiumsPaidFen);
      A.arrears.push(f.arrears);
      A.paidMonths.push(f.paidMonths);
      A.eligible.push(result.eligible);
      A.refund.push(result.refundFen);
      A.rate.push(result.ratePercent);
      A.layoffRate.push(result.layoffRatePercent);
      A.layoffLimit.push(result.layoffLimitPercent);
      A.reason.push(result.reason ?? null);
      A.reasonZh.push(result.reasonZh ?? null);
      A.trace.push(JSON.stringify(trace));
      A.notice.push(result.eligible ? JSON.stringify(refundNotice(year, result.refundFen)) : null);
      if (result.eligible) {
        qualifying += 1;
        totalFen += result.refundFen;
      }
    }
    if (facts.length > 0) {
      // Results and notices in one statement: a notice only for a result this chunk inserted. The
      // traces travel as one JSON array (parsed once by the server), the other columns as arrays.
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
            actor: sql`${actor.username}::text`,
            note: sql`src.notice::jsonb`,
            regionCode: sql`trim(ins.region)`,
            year: sql`${year}::int`,
          },
          sql`FROM ins JOIN src ON src.employer_id = ins.employer_id
        WHERE ins.eligible
        ORDER BY ins.id`,
        )}`.execute(tx);
    }
    hooks.insideChunk?.(chunkNo);
    await sql`INSERT INTO refund_scan_chunk (year, chunk_no, employers, qualifying, total_fen)
      VALUES (${year}, ${chunkNo}, ${facts.length}, ${qualifying}, ${totalFen})`.execute(tx);
    const n = await sql<{
      n: unknown;
    }>`SELECT count(*) AS n FROM refund_scan_chunk WHERE year = ${year}`.execute(tx);
    const last = int(n.rows[0]?.n) >= chunksTotal;
    await sql`UPDATE job_run SET done = done + 1, updated_at = now(), status = ${last ? 'done' : 'running'},
        finished_at = ${last ? sql`now()` : sql`NULL`}
      WHERE id = (SELECT job_run_id FROM refund_scan WHERE year = ${year})`.execute(tx);
    if (last) {
      await sql`UPDATE refund_scan SET status = 'done', finished_at = now() WHERE year = ${year}`.execute(tx);
      const s = await scanTotals(tx, year);
      await appendAudit(tx, actor, {
        action: 'refund.scan-complete',
        entityType: 'refund_scan',
        entityId: year,
        region: null,
        after: { year, ...s },
      });
    }
    return true;
  });
}

async function scanTotals(
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

/** The stored figures of a year's scan (nothing is computed again). */
export async function refundScanSummary(db: Db, year: number): Promise<RefundScanSummary> {
  const s = await sql<{ status: 'running' | 'done'; chunks_total: number }>`
    SELECT status, chunks_total FROM refund_scan WHERE year = ${year}`.execute(db);
  const row = s.rows[0];
  if (!row)
    return {
      year,
      status: 'not_started',
      chunksDone: 0,
      chunksTotal: 0,
      employersScanned: 0,
      qualifying: 0,
      totalFen: 0,
    };
  return { year, status: row.status, chunksTotal: int(row.chunks_total), ...(await scanTotals(db, year)) };
}

/** Runs (or resumes) the scan of a policy year; a finished scan answers its stored figures. */
export async function runRefundScan(
  db: Db,
  params: ParamStore,
  actor: Actor,
  opts: RefundScanOptions,
): Promise<RefundScanSummary> {
  const year = checkRefundYear(opts.year, params);
  await authorizeRefundScan(db, actor);
  const chunkSize = opts.chunkSize ?? REFUND_CHUNK;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'chunkSize',
      zh: String(chunkSize),
      en: String(chunkSize),
    });
  const { bounds, status } = await startOrResume(db, actor, year, chunkSize);
  if (status === 'done') return refundScanSummary(db, year);
  const doneChunks = new Set(
    (
      await sql<{ chunk_no: number }>`SELECT chunk_no FROM refund_scan_chunk WHERE year = ${year}`.execute(db)
    ).rows.map((r) => int(r.chunk_no)),
  );
  let done = doneChunks.size;
  opts.onProgress?.(done, bounds.length, 'refund-scan');
  for (const [i, b] of bounds.entries()) {
    const chunkNo = i + 1;
    if (doneChunks.has(chunkNo)) continue;
    if (await runChunk(db, params, actor, year, chunkNo, b, bounds.length, opts.hooks ?? {})) {
      done += 1;
      opts.onProgress?.(done, bounds.length, 'refund-scan');
      opts.hooks?.afterChunk?.(chunkNo);
    }
  }
  return refundScanSummary(db, year);
}
