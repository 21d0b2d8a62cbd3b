// A supervision scan: every named detector (or the ones asked for) over one region, on demand (API,
// CLI) or on a schedule (scan.job.ts). Each detector is one INSERT … SELECT … ON CONFLICT
// (fingerprint) DO NOTHING, so a scan is idempotent: a re-run adds no duplicate finding. The run is
// recorded in supervision_run with the counts and times per detector, and audited.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import type { IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { DetectorContext } from './detector.repository.ts';
import { tellFinding } from './finding-summary.rules.ts';
import {
  DETECTOR_TITLES,
  DETECTORS,
  detectorThresholds,
  isDetector,
  severity,
  type DetectorName,
} from './detector.rules.ts';
import {
  findingPage,
  findingTotals,
  finishScanRun,
  insertDetectorFindings,
  insertScanRun,
  regionExists,
  updateFindingSummaries,
  type AddedFinding,
  type FindingRow,
} from './scan.repository.ts';
import type { FindingDto, FindingQueryInput } from './scan.schema.ts';

export interface ScanInput {
  region: string;
  detectors?: readonly string[];
  /** the day the scan judges windows by (default: today) */
  asOf?: IsoDate;
}

export interface ScanResult {
  runId: number;
  region: string;
  asOf: IsoDate;
  /** findings of each detector in the region after the scan (all statuses) */
  findings: Record<string, number>;
  /** findings this scan added (0 everywhere on a re-run) */
  newFindings: Record<string, number>;
  total: number;
  newTotal: number;
  /** milliseconds per detector */
  ms: Record<string, number>;
  startedAt: string;
  finishedAt: string;
}

export class ScanService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  async scan(actor: Actor, input: ScanInput): Promise<ScanResult> {
    const region = input.region;
    authorize(actor, 'supervision.scan', { region });
    const detectors = resolveDetectors(input.detectors);
    if (!(await regionExists(this.db, region)))
      throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
    const asOf = input.asOf ?? today();
    const { values, used } = detectorThresholds(this.params, region, asOf);
    const c: DetectorContext = { region, asOf, t: values, used };

    const run = await insertScanRun(this.db, region, detectors, actor.username);
    const runId = int(run?.id ?? 0);
    const newFindings: Record<string, number> = {};
    const ms: Record<string, number> = {};
    for (const d of detectors) {
      const t0 = performance.now();
      // One statement per detector in its own transaction (without JIT: see the repository).
      const r = await this.db.transaction().execute(async (tx) => {
        const added = await insertDetectorFindings(tx, d, c, runId, asOf);
        await storeSummaries(tx, d, added);
        return added.length;
      });
      newFindings[d] = r;
      ms[d] = Math.round(performance.now() - t0);
    }
    const totals = await findingTotals(this.db, region, detectors);
    const findings: Record<string, number> = {};
    for (const d of detectors) findings[d] = 0;
    for (const row of totals) findings[row.detector] = int(row.n);
    const counts: Record<string, { new: number; total: number; ms: number }> = {};
    for (const d of detectors)
      counts[d] = { new: newFindings[d] ?? 0, total: findings[d] ?? 0, ms: ms[d] ?? 0 };
    const newTotal = Object.values(newFindings).reduce((a, b) => a + b, 0);
    const total = Object.values(findings).reduce((a, b) => a + b, 0);
    const done = await this.db.transaction().execute(async (tx) => {
      const finishedAt = await finishScanRun(tx, runId, counts);
      await appendAudit(tx, actor, {
        action: 'supervision.scan',
        entityType: 'supervision_run',
        entityId: runId,
        region,
        after: { detectors, asOf, newFindings, newTotal, total },
      });
      return finishedAt;
    });
    return {
      runId,
      region,
      asOf,
      findings,
      newFindings,
      total,
      newTotal,
      ms,
      startedAt: iso(run?.started_at),
      finishedAt: iso(done),
    };
  }

  /**
   * The findings of a region (default: the supervisor's own), newest first, filtered by detector and
   * status. A supervisor of one region asking for another's gets SB_ERR_OUT_OF_SCOPE.
   */
  async listFindings(actor: Actor, q: FindingQueryInput): Promise<FindingPage> {
    const region = q.region ?? actor.region ?? '000000';
    authorize(actor, 'supervision.read', { region });
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await findingPage(this.db, {
      region,
      detector: q.detector,
      status: q.status,
      page,
      pageSize,
    });
    return { items: rows.map(toFinding), total: int(total), page, pageSize };
  }
}

export interface FindingPage {
  items: FindingDto[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * Stores the new findings' summaries in the current wording (¥ and separators, days and months in
 * words, a staff member by display name), told by the rules the pages tell them with, in one UPDATE.
 * The detector's SQL sentence stays where the evidence cannot tell one.
 */
async function storeSummaries(tx: Db, detector: DetectorName, rows: readonly AddedFinding[]): Promise<void> {
  const told = rows.flatMap((r) => {
    const text = tellFinding({
      detector,
      evidence: typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence,
      amountAtRiskFen: int(r.amount_at_risk_fen),
      periodFrom: r.period_from?.trim() ?? null,
      periodTo: r.period_to?.trim() ?? null,
      personName: r.person_name,
      employerName: r.employer_name,
      staffName: r.staff_name,
    });
    return text ? [{ id: int(r.id), ...text }] : [];
  });
  if (told.length === 0) return;
  await updateFindingSummaries(tx, told);
}

function toFinding(r: FindingRow): FindingDto {
  const detector = r.detector;
  const title = isDetector(detector) ? DETECTOR_TITLES[detector] : { zh: detector, en: detector };
  const amount = int(r.amount_at_risk_fen);
  return {
    id: int(r.id),
    detector,
    detectorZh: title.zh,
    detectorEn: title.en,
    region: r.region.trim(),
    fingerprint: r.fingerprint,
    personId: r.person_id === null ? null : int(r.person_id),
    employerId: r.employer_id === null ? null : int(r.employer_id),
    periodFrom: r.period_from?.trim() ?? null,
    periodTo: r.period_to?.trim() ?? null,
    amountAtRiskFen: amount,
    severity: isDetector(detector) ? severity(detector, amount) : 'low',
    evidence:
      typeof r.evidence === 'string' ? (JSON.parse(r.evidence) as Record<string, unknown>) : r.evidence,
    summaryZh: r.summary_zh,
    summaryEn: r.summary_en,
    personName: r.person_name,
    employerName: r.employer_name,
    staffName: r.staff_name,
    status: r.status,
    firstRunId: r.first_run_id === null ? null : int(r.first_run_id),
    foundOn: r.found_on,
    createdAt: iso(r.created_at),
    version: r.version,
  };
}

const iso = (v: Date | string | undefined): string =>
  v === undefined ? '' : v instanceof Date ? v.toISOString() : new Date(v).toISOString();

/** The detectors asked for, in catalogue order; none named = all. An unknown name is a 400. */
function resolveDetectors(names: readonly string[] | undefined): DetectorName[] {
  if (!names || names.length === 0) return [...DETECTORS];
  for (const n of names)
    if (!isDetector(n))
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'detectors',
        zh: `未知的检测规则：${n}`,
        en: `unknown detector: ${n}`,
      });
  return DETECTORS.filter((d) => names.includes(d));
}
