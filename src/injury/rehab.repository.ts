// SQL of rehabilitation (工伤康复, migration 0420): the case facts the screening reads, the screening
// result (one a case, replaced on re-screening), referrals to a rehabilitation institution and their
// outcome. Executor first; the service owns the transaction and the audit entry.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { storedTrace, type TraceStep } from '../core/trace.ts';
import type { RehabCategory, RehabKind } from './rehab.rules.ts';

export interface CaseFacts {
  id: number;
  personId: number;
  region: string;
  status: string;
  description: string;
  accidentDate: string;
  birthDate: string;
}

/** A row of injury_case joined with the person's birth date, as the screening reads it. */
function caseFactsOf(x: Record<string, unknown>): CaseFacts {
  return {
    id: int(x['id']),
    personId: int(x['person_id']),
    region: String(x['region_code']),
    status: String(x['status']),
    description: String(x['description']),
    accidentDate: String(x['accident_date']),
    birthDate: String(x['birth_date']),
  };
}

export async function caseFacts(db: Db, caseId: number): Promise<CaseFacts | null> {
  const r = await sql<Record<string, unknown>>`
    SELECT c.id, c.person_id, c.region_code, c.status, c.description, c.accident_date, p.birth_date
    FROM injury_case c JOIN person p ON p.id = c.person_id WHERE c.id = ${caseId}`.execute(db);
  const x = r.rows[0];
  return x ? caseFactsOf(x) : null;
}

/** Recognised cases not yet screened, in the region (every region when `region` is null), by id. */
export async function unscreenedRecognisedCases(db: Db, region: string | null): Promise<CaseFacts[]> {
  const r = await sql<Record<string, unknown>>`
    SELECT c.id, c.person_id, c.region_code, c.status, c.description, c.accident_date, p.birth_date
    FROM injury_case c JOIN person p ON p.id = c.person_id
    WHERE c.status = 'recognised' AND NOT EXISTS (SELECT 1 FROM rehab_screening s WHERE s.case_id = c.id)
      ${region === null ? sql`` : sql`AND ${regionCoversSql(sql.ref('c.region_code'), region)}`}
    ORDER BY c.id`.execute(db);
  return r.rows.map(caseFactsOf);
}

export interface Screening {
  flagged: boolean;
  kinds: RehabKind[];
  categories: RehabCategory[];
  trace: TraceStep[];
}

/** The case's screening; a re-screening replaces the earlier one. */
export async function upsertScreening(db: Db, caseId: number, s: Screening, by: string): Promise<void> {
  await sql`
    INSERT INTO rehab_screening (case_id, flagged, kinds, categories, trace, screened_by)
    VALUES (${caseId}, ${s.flagged}, ${s.kinds}::text[], ${s.categories}::text[], ${JSON.stringify(s.trace)}::jsonb, ${by})
    ON CONFLICT (case_id) DO UPDATE SET flagged = excluded.flagged, kinds = excluded.kinds,
      categories = excluded.categories, trace = excluded.trace, screened_by = excluded.screened_by, screened_at = now()`.execute(
    db,
  );
}

/** Screenings of many cases in one INSERT … SELECT unnest; a case screened meanwhile keeps its own. */
export async function insertScreenings(
  tx: Db,
  rows: ReadonlyArray<{ caseId: number; s: Screening }>,
  by: string,
): Promise<void> {
  await sql`
    INSERT INTO rehab_screening (case_id, flagged, kinds, categories, trace, screened_by)
    SELECT u.case_id, u.flagged, string_to_array(u.kinds, ',')::text[], string_to_array(u.categories, ',')::text[],
      u.trace::jsonb, ${by}
    FROM unnest(${rows.map((x) => x.caseId)}::bigint[], ${rows.map((x) => x.s.flagged)}::boolean[],
      ${rows.map((x) => x.s.kinds.join(','))}::text[], ${rows.map((x) => x.s.categories.join(','))}::text[],
      ${rows.map((x) => JSON.stringify(x.s.trace))}::text[]) AS u(case_id, flagged, kinds, categories, trace)
    ON CONFLICT (case_id) DO NOTHING`.execute(tx);
}

/** A text[] column read back, as an array or in its text form (`{a,b}`). */
function textArray(v: unknown): string[] {
  return Array.isArray(v)
    ? v.map(String)
    : typeof v === 'string'
      ? v
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean)
      : [];
}

export interface ScreeningView extends Screening {
  screenedBy: string;
  screenedAt: string;
}

export async function screeningOf(db: Db, caseId: number): Promise<ScreeningView | null> {
  const s = (
    await sql<Record<string, unknown>>`
      SELECT flagged, kinds, categories, trace, screened_by, screened_at FROM rehab_screening WHERE case_id = ${caseId}`.execute(
      db,
    )
  ).rows[0];
  return s
    ? {
        flagged: s['flagged'] === true,
        kinds: textArray(s['kinds']) as RehabKind[],
        categories: textArray(s['categories']) as RehabCategory[],
        trace: storedTrace(s['trace']),
        screenedBy: String(s['screened_by']),
        screenedAt: new Date(s['screened_at'] as string).toISOString(),
      }
    : null;
}

export interface ReferralView {
  id: number;
  caseId: number;
  institutionId: number;
  institutionName: string;
  kind: 'medical' | 'vocational' | 'social';
  referredOn: string;
  plan: string;
  status: 'referred' | 'completed' | 'discontinued';
  outcome: string | null;
  outcomeOn: string | null;
  referredBy: string;
  outcomeBy: string | null;
  version: number;
}

export async function referralsOf(db: Db, caseId: number): Promise<ReferralView[]> {
  const refs = await sql<Record<string, unknown>>`
    SELECT r.*, h.name AS institution_name FROM rehab_referral r JOIN hospital h ON h.id = r.institution_id
    WHERE r.case_id = ${caseId} ORDER BY r.id`.execute(db);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return refs.rows.map((x) => ({
    id: int(x['id']),
    caseId: int(x['case_id']),
    institutionId: int(x['institution_id']),
    institutionName: String(x['institution_name']),
    kind: x['kind'] as ReferralView['kind'],
    referredOn: String(x['referred_on']),
    plan: String(x['plan']),
    status: x['status'] as ReferralView['status'],
    outcome: str(x['outcome']),
    outcomeOn: str(x['outcome_on']),
    referredBy: String(x['referred_by']),
    outcomeBy: str(x['outcome_by']),
    version: int(x['version']),
  }));
}

export async function insertReferral(
  tx: Db,
  r: {
    caseId: number;
    institutionId: number;
    kind: string;
    referredOn: string;
    plan: string;
    referredBy: string;
  },
): Promise<number> {
  const ins = await sql<{ id: unknown }>`
    INSERT INTO rehab_referral (case_id, institution_id, kind, referred_on, plan, status, referred_by)
    VALUES (${r.caseId}, ${r.institutionId}, ${r.kind}, ${r.referredOn}, ${r.plan}, 'referred', ${r.referredBy})
    RETURNING id`.execute(tx);
  return int(ins.rows[0]?.id);
}

export async function referralOwner(
  db: Db,
  referralId: number,
): Promise<{ caseId: number; referredOn: string } | undefined> {
  const ref = (
    await sql<{
      case_id: unknown;
      referred_on: string;
    }>`SELECT case_id, referred_on FROM rehab_referral WHERE id = ${referralId}`.execute(db)
  ).rows[0];
  return ref ? { caseId: int(ref.case_id), referredOn: String(ref.referred_on) } : undefined;
}

/** Closes an open referral under its version; false when it was closed or changed meanwhile. */
export async function closeReferral(
  tx: Db,
  referralId: number,
  o: { status: string; outcome: string; outcomeOn: string; version: number; by: string },
): Promise<boolean> {
  const u = await sql`
    UPDATE rehab_referral SET status = ${o.status}, outcome = ${o.outcome}, outcome_on = ${o.outcomeOn},
      outcome_by = ${o.by}, version = version + 1
    WHERE id = ${referralId} AND status = 'referred' AND version = ${o.version}`.execute(tx);
  return Number(u.numAffectedRows ?? 0) === 1;
}

export interface FlaggedCase {
  caseId: number;
  region: string;
  accidentDate: string;
  kinds: string[];
  categories: string[];
  referrals: number;
  open: number;
}

/** Cases flagged for rehabilitation in the region (every region when null), newest 200, referrals counted. */
export async function flaggedCases(db: Db, region: string | null): Promise<FlaggedCase[]> {
  const r = await sql<Record<string, unknown>>`
    SELECT c.id, c.region_code, c.accident_date, s.kinds, s.categories,
      (SELECT count(*) FROM rehab_referral r WHERE r.case_id = c.id) AS referrals,
      (SELECT count(*) FROM rehab_referral r WHERE r.case_id = c.id AND r.status = 'referred') AS open
    FROM rehab_screening s JOIN injury_case c ON c.id = s.case_id
    WHERE s.flagged ${region === null ? sql`` : sql`AND ${regionCoversSql(sql.ref('c.region_code'), region)}`}
    ORDER BY c.id DESC LIMIT 200`.execute(db);
  return r.rows.map((x) => ({
    caseId: int(x['id']),
    region: String(x['region_code']),
    accidentDate: String(x['accident_date']),
    kinds: textArray(x['kinds']),
    categories: textArray(x['categories']),
    referrals: int(x['referrals']),
    open: int(x['open']),
  }));
}
