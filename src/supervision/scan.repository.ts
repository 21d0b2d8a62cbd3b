// The SQL of a supervision scan (scan.service.ts): the run's row, each detector's INSERT … SELECT of
// its findings, the totals, the summaries' UPDATE and the findings' page. The service owns the rules,
// the transactions and the audit.
import { sql } from 'kysely';
import type { IsoDate } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { detectorQuery, type DetectorContext } from './detector.repository.ts';
import type { DetectorName } from './detector.rules.ts';

/** A finding the scan has just added, with the names its summary tells. */
export interface AddedFinding {
  id: number | string;
  period_from: string | null;
  period_to: string | null;
  amount_at_risk_fen: number | string;
  evidence: Record<string, unknown> | string;
  person_name: string | null;
  employer_name: string | null;
  staff_name: string | null;
}

export interface FindingRow {
  id: number | string;
  detector: string;
  region: string;
  fingerprint: string;
  person_id: number | string | null;
  employer_id: number | string | null;
  period_from: string | null;
  period_to: string | null;
  amount_at_risk_fen: number | string;
  evidence: Record<string, unknown> | string;
  summary_zh: string;
  summary_en: string;
  person_name: string | null;
  employer_name: string | null;
  staff_name: string | null;
  status: string;
  first_run_id: number | string | null;
  found_on: string;
  created_at: Date | string;
  version: number;
}

export async function regionExists(db: Db, region: string): Promise<boolean> {
  const known = await sql<{ code: string }>`SELECT code FROM region WHERE code = ${region}`.execute(db);
  return known.rows.length > 0;
}

const textArray = (items: readonly string[]) => sql`ARRAY[${sql.join(items.map((d) => sql`${d}`))}]::text[]`;

/** The run's row, started now by `username`. */
export async function insertScanRun(db: Db, region: string, detectors: readonly string[], username: string) {
  const run = await sql<{ id: number | string; started_at: Date | string }>`
      INSERT INTO supervision_run (region, detectors, started_by)
      VALUES (${region}, ${textArray(detectors)}, ${username})
      RETURNING id, started_at`.execute(db);
  return run.rows[0];
}

/**
 * One detector's findings added to the run, without JIT: the planner's row estimates for region
 * filters are low, and compiling a detector took seconds (3.7 s of 4.5 s for shared_bank_account on
 * 100,000 persons) where running it took a fraction of one. `tx` is the detector's own transaction.
 */
export async function insertDetectorFindings(
  tx: Db,
  d: DetectorName,
  c: DetectorContext,
  runId: number,
  asOf: IsoDate,
): Promise<AddedFinding[]> {
  await sql`SET LOCAL jit = off`.execute(tx);
  const added = await sql<AddedFinding>`
        WITH d AS (${detectorQuery(d, c)}),
        ins AS (
          INSERT INTO supervision_finding (detector, region, fingerprint, person_id, employer_id, period_from, period_to,
            amount_at_risk_fen, evidence, summary_zh, summary_en, first_run_id, found_on)
          SELECT ${d}, d.region, d.fingerprint, d.person_id, d.employer_id, d.period_from, d.period_to,
            d.amount, d.evidence, d.summary_zh, d.summary_en, ${runId}, ${asOf}::date
          FROM d
          ON CONFLICT (fingerprint) DO NOTHING
          RETURNING id, person_id, employer_id, period_from, period_to, amount_at_risk_fen, evidence
        )
        SELECT i.id, i.period_from, i.period_to, i.amount_at_risk_fen, i.evidence,
          (SELECT name FROM person WHERE id = i.person_id) AS person_name,
          (SELECT name FROM employer WHERE id = i.employer_id) AS employer_name,
          (SELECT display_name FROM app_user WHERE id = (i.evidence->>'userId')::bigint) AS staff_name
        FROM ins i`.execute(tx);
  return added.rows;
}

/** The findings' summaries, in one UPDATE. */
export async function updateFindingSummaries(
  tx: Db,
  told: ReadonlyArray<{ id: number; zh: string; en: string }>,
): Promise<void> {
  await sql`
    UPDATE supervision_finding f SET summary_zh = u.zh, summary_en = u.en
    FROM unnest(${told.map((x) => x.id)}::bigint[], ${told.map((x) => x.zh)}::text[],
      ${told.map((x) => x.en)}::text[]) AS u(id, zh, en)
    WHERE f.id = u.id`.execute(tx);
}

/** Findings of each of `detectors` in the region, all statuses. */
export async function findingTotals(db: Db, region: string, detectors: readonly string[]) {
  const totals = await sql<{ detector: string; n: number | string }>`
      SELECT detector, count(*) AS n FROM supervision_finding
      WHERE ${regionCoversSql(sql.ref('region'), region)}
        AND detector IN (${sql.join(detectors.map((d) => sql`${d}`))})
      GROUP BY detector`.execute(db);
  return totals.rows;
}

/** The run finished now with its counts; its finishing time. */
export async function finishScanRun(
  tx: Db,
  runId: number,
  counts: unknown,
): Promise<Date | string | undefined> {
  const f = await sql<{ finished_at: Date | string }>`
        UPDATE supervision_run SET finished_at = now(), counts = ${JSON.stringify(counts)}::jsonb
        WHERE id = ${runId} RETURNING finished_at`.execute(tx);
  return f.rows[0]?.finished_at;
}

/** A page of a region's findings, newest first, with the names their summaries tell, and the count. */
export async function findingPage(
  db: Db,
  q: {
    region: string;
    detector?: string | undefined;
    status?: string | undefined;
    page: number;
    pageSize: number;
  },
): Promise<{ rows: FindingRow[]; total: number | string }> {
  const where = sql.join(
    [
      regionCoversSql(sql.ref('region'), q.region),
      ...(q.detector === undefined ? [] : [sql`detector = ${q.detector}`]),
      ...(q.status === undefined ? [] : [sql`status = ${q.status}`]),
    ],
    sql` AND `,
  );
  const [rows, count] = await Promise.all([
    // The page first, then the names its summaries are told with (the person, the employer, the
    // staff member a staff_own_records finding is about): the stored summaries name a username.
    sql<FindingRow>`
      SELECT f.*, p.name AS person_name, m.name AS employer_name, u.display_name AS staff_name
      FROM (
        SELECT id, detector, region, fingerprint, person_id, employer_id, period_from, period_to, amount_at_risk_fen,
          evidence, summary_zh, summary_en, status, first_run_id, found_on, created_at, version
        FROM supervision_finding WHERE ${where}
        ORDER BY id DESC LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}
      ) f
      LEFT JOIN person p ON p.id = f.person_id
      LEFT JOIN employer m ON m.id = f.employer_id
      LEFT JOIN app_user u ON f.detector = 'staff_own_records' AND u.id = (f.evidence->>'userId')::bigint
      ORDER BY f.id DESC`.execute(db),
    sql<{ n: number | string }>`SELECT count(*) AS n FROM supervision_finding WHERE ${where}`.execute(db),
  ]);
  return { rows: rows.rows, total: count.rows[0]?.n ?? 0 };
}
