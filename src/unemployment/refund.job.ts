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
import {
  chunkDone,
  chunkStarts,
  doneChunkNos,
  employerOutside,
  insertResults,
  insertScan,
  lockRefundScanYear,
  lockScanStatus,
  recordChunk,
  refundFacts,
  roomForTheYear,
  scanBounds,
  scanHead,
  scanTotals,
  type RefundFacts,
  type ResultColumns,
  type ScanBounds,
} from './refund.repository.ts';
import {
  assessStableEmploymentRefund,
  type StableEmploymentRefundInput,
  type StableEmploymentRefundResult,
} from './stable-employment-refund.rules.ts';

export const REFUND_CHUNK = 10_000;

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

export interface RefundDecision {
  input: StableEmploymentRefundInput | null;
  result: StableEmploymentRefundResult;
  trace: TraceStep[];
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
  if (actor.region === null || (await employerOutside(db, actor.region.trim())))
    throw new SbError('SB_ERR_OUT_OF_SCOPE', {
      zh: '稳岗返还扫描覆盖全部参保单位，须由辖区覆盖全部单位的经办机构（统筹地区或省级）启动',
      en: 'the refund scan covers every employer; only staff whose region covers them all (the pooling region or the province) may start it',
    });
}

/** The rule on one employer's facts: the one place a refund figure is computed. */
export function decideRefund(year: number, f: RefundFacts, params: ParamStore): RefundDecision {
  const trace = new Trace();
  const dataYear = year - 1;
  trace.add(
    `facts of ${dataYear} (the year before the policy year)`,
    dataYear,
    'number',
    `依据${dataYear}年度数据`,
  );
  trace.add('insured staff in the year', f.insuredCount, 'count', '当年参保职工人数');
  trace.add('involuntary separations in the year', f.laidOffCount, 'count', '当年裁员（非本人意愿离职）人数');
  trace.add(
    'unemployment premiums paid for the year',
    f.premiumsPaidFen,
    'fen',
    '当年实际缴纳失业保险费（分）',
  );
  trace.add('months fully paid', f.paidMonths, 'months', '足额缴费月数');
  trace.add('arrears outstanding at the scan', f.arrears, 'boolean', '扫描时存在欠缴');
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
    trace.add('not eligible', result.reason, 'text', result.reasonZh);
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

async function startOrResume(
  db: Db,
  actor: Actor,
  year: number,
  chunkSize: number,
): Promise<{ bounds: ScanBounds[]; status: string }> {
  return db.transaction().execute(async (tx) => {
    await lockRefundScanYear(tx, year);
    const existing = await scanBounds(tx, year);
    if (existing) return existing;
    const starts = await chunkStarts(tx, chunkSize);
    const bounds: ScanBounds[] = starts.map((from, i) => ({
      from,
      to: i + 1 < starts.length ? (starts[i + 1] ?? 0) - 1 : null,
    }));
    const status = bounds.length === 0 ? 'done' : 'running';
    await insertScan(tx, { year, status, chunkSize, bounds, startedBy: actor.username });
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
  b: ScanBounds,
  chunksTotal: number,
  hooks: RefundScanHooks,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    if ((await lockScanStatus(tx, year)) !== 'running') return false;
    if (await chunkDone(tx, year, chunkNo)) return false;
    await roomForTheYear(tx);
    const facts = await refundFacts(tx, year, b, today());
    const A: ResultColumns = {
      employer: [],
      region: [],
      size: [],
      insured: [],
      laidOff: [],
      premiums: [],
      arrears: [],
      paidMonths: [],
      eligible: [],
      refund: [],
      rate: [],
      layoffRate: [],
      layoffLimit: [],
      reason: [],
      reasonZh: [],
      trace: [],
      notice: [],
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
    if (facts.length > 0) await insertResults(tx, { year, chunkNo, actor: actor.username, columns: A });
    hooks.insideChunk?.(chunkNo);
    const last = await recordChunk(tx, {
      year,
      chunkNo,
      employers: facts.length,
      qualifying,
      totalFen,
      chunksTotal,
    });
    if (last) {
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

/** The stored figures of a year's scan (nothing is computed again). */
export async function refundScanSummary(db: Db, year: number): Promise<RefundScanSummary> {
  const row = await scanHead(db, year);
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
  return { year, status: row.status, chunksTotal: row.chunksTotal, ...(await scanTotals(db, year)) };
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
  const doneChunks = new Set(await doneChunkNos(db, year));
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
