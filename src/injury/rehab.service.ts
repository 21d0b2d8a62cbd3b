// Rehabilitation (工伤康复, issue #13 item 6): the screening of recognised cases (rehab.rules.ts),
// referrals to a rehabilitation institution and their outcome, recorded by a clerk and audited.
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInScope } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { ageInYears, parseDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { screenRehabilitation, type RehabCategory, type RehabKind } from './rehab.rules.ts';

export interface ScreeningView {
  flagged: boolean;
  kinds: RehabKind[];
  categories: RehabCategory[];
  trace: TraceStep[];
  screenedBy: string;
  screenedAt: string;
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

export interface RehabView {
  caseId: number;
  caseStatus: string;
  screening: ScreeningView | null;
  referrals: ReferralView[];
}

interface CaseFacts {
  id: number;
  personId: number;
  region: string;
  status: string;
  description: string;
  accidentDate: string;
  birthDate: string;
}

async function caseFacts(db: Db, caseId: number): Promise<CaseFacts | null> {
  const r = await sql<Record<string, unknown>>`
    SELECT c.id, c.person_id, c.region_code, c.status, c.description, c.accident_date, p.birth_date
    FROM injury_case c JOIN person p ON p.id = c.person_id WHERE c.id = ${caseId}`.execute(db);
  const x = r.rows[0];
  return x ? caseFactsOf(x) : null;
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

/** The case, if the actor may do `action` on it; another worker's or another district's case answers as none. */
async function caseInScope(db: Db, actor: Actor, caseId: number, action: 'rehab.read' | 'rehab.manage') {
  return foundInScope(actor, action, (await caseFacts(db, caseId)) ?? undefined, (c) => ({
    personId: c.personId,
    region: c.region.trim(),
  }));
}

function screeningRow(c: CaseFacts, categories?: RehabCategory[]) {
  // The grade is not known at recognition; a later re-screening (with the appraisal) may pass it.
  return screenRehabilitation({
    description: c.description,
    categories,
    ageAtAccident: ageInYears(c.birthDate, c.accidentDate),
    grade: null,
  });
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

export interface ReferralInput {
  institutionId: number;
  kind: 'medical' | 'vocational' | 'social';
  referredOn: string;
  plan: string;
}

export interface OutcomeInput {
  status: 'completed' | 'discontinued';
  outcome: string;
  outcomeOn: string;
  version: number;
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

export class RehabService {
  constructor(private readonly db: Db) {}

  /**
   * Screens one recognised case inside the caller's transaction (the recognition decision calls this in
   * its own transaction, so a case is screened the moment it is recognised). Re-screening replaces the
   * earlier result; both are in the audit log.
   */
  async screenAtRecognition(
    actor: Actor,
    caseId: number,
    categories?: RehabCategory[],
  ): Promise<ScreeningView> {
    const c = await caseFacts(this.db, caseId);
    if (!c) throw new SbError('SB_ERR_NOT_FOUND');
    if (c.status !== 'recognised')
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        zh: '工伤认定后方可进行康复筛查',
        en: 'screening follows recognition',
      });
    const s = screeningRow(c, categories);
    await sql`
    INSERT INTO rehab_screening (case_id, flagged, kinds, categories, trace, screened_by)
    VALUES (${c.id}, ${s.flagged}, ${s.kinds}::text[], ${s.categories}::text[], ${JSON.stringify(s.trace)}::jsonb, ${actor.username})
    ON CONFLICT (case_id) DO UPDATE SET flagged = excluded.flagged, kinds = excluded.kinds,
      categories = excluded.categories, trace = excluded.trace, screened_by = excluded.screened_by, screened_at = now()`.execute(
      this.db,
    );
    await appendAudit(this.db, actor, {
      action: 'rehab.screen',
      entityType: 'injury_case',
      entityId: c.id,
      region: c.region,
      subjectPersonId: c.personId,
      after: { flagged: s.flagged, kinds: s.kinds, categories: s.categories },
    });
    return { ...s, screenedBy: actor.username, screenedAt: new Date().toISOString() };
  }

  /** A clerk screens (or re-screens, with the categories they recorded) one case. */
  async screenCase(actor: Actor, caseId: number, categories?: RehabCategory[]): Promise<RehabView> {
    await caseInScope(this.db, actor, caseId, 'rehab.manage');
    await this.db
      .transaction()
      .execute((tx) => new RehabService(tx).screenAtRecognition(actor, caseId, categories));
    return this.getRehab(actor, caseId);
  }

  /**
   * Screens every recognised case not yet screened (`shebao injury rehab-screen`, the demo): one query
   * reads them, the pure rule decides, one INSERT … SELECT unnest writes them, one audit entry counts them.
   */
  async screenRecognisedCases(actor: Actor): Promise<{ screened: number; flagged: number }> {
    authorize(actor, 'rehab.manage');
    return this.db.transaction().execute(async (tx) => {
      const r = await sql<Record<string, unknown>>`
      SELECT c.id, c.person_id, c.region_code, c.status, c.description, c.accident_date, p.birth_date
      FROM injury_case c JOIN person p ON p.id = c.person_id
      WHERE c.status = 'recognised' AND NOT EXISTS (SELECT 1 FROM rehab_screening s WHERE s.case_id = c.id)
        ${actor.role === 'system' ? sql`` : sql`AND ${regionCoversSql(sql.ref('c.region_code'), actor.region ?? 'none')}`}
      ORDER BY c.id`.execute(tx);
      const rows = r.rows.map((x) => {
        const c = caseFactsOf(x);
        return { c, s: screeningRow(c) };
      });
      if (rows.length === 0) return { screened: 0, flagged: 0 };
      await sql`
      INSERT INTO rehab_screening (case_id, flagged, kinds, categories, trace, screened_by)
      SELECT u.case_id, u.flagged, string_to_array(u.kinds, ',')::text[], string_to_array(u.categories, ',')::text[],
        u.trace::jsonb, ${actor.username}
      FROM unnest(${rows.map((x) => x.c.id)}::bigint[], ${rows.map((x) => x.s.flagged)}::boolean[],
        ${rows.map((x) => x.s.kinds.join(','))}::text[], ${rows.map((x) => x.s.categories.join(','))}::text[],
        ${rows.map((x) => JSON.stringify(x.s.trace))}::text[]) AS u(case_id, flagged, kinds, categories, trace)
      ON CONFLICT (case_id) DO NOTHING`.execute(tx);
      const flagged = rows.filter((x) => x.s.flagged).length;
      await appendAudit(tx, actor, {
        action: 'rehab.screen-batch',
        entityType: 'rehab_screening',
        after: { screened: rows.length, flagged, caseIds: rows.map((x) => x.c.id) },
      });
      return { screened: rows.length, flagged };
    });
  }

  async getRehab(actor: Actor, caseId: number): Promise<RehabView> {
    const c = await caseInScope(this.db, actor, caseId, 'rehab.read');
    const s = (
      await sql<Record<string, unknown>>`
      SELECT flagged, kinds, categories, trace, screened_by, screened_at FROM rehab_screening WHERE case_id = ${c.id}`.execute(
        this.db,
      )
    ).rows[0];
    const refs = await sql<Record<string, unknown>>`
    SELECT r.*, h.name AS institution_name FROM rehab_referral r JOIN hospital h ON h.id = r.institution_id
    WHERE r.case_id = ${c.id} ORDER BY r.id`.execute(this.db);
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    return {
      caseId: c.id,
      caseStatus: c.status,
      screening: s
        ? {
            flagged: s['flagged'] === true,
            kinds: textArray(s['kinds']) as RehabKind[],
            categories: textArray(s['categories']) as RehabCategory[],
            trace: (typeof s['trace'] === 'string' ? JSON.parse(s['trace']) : s['trace']) as TraceStep[],
            screenedBy: String(s['screened_by']),
            screenedAt: new Date(s['screened_at'] as string).toISOString(),
          }
        : null,
      referrals: refs.rows.map((x) => ({
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
      })),
    };
  }

  async createReferral(actor: Actor, caseId: number, input: ReferralInput): Promise<RehabView> {
    const c = await caseInScope(this.db, actor, caseId, 'rehab.manage');
    parseDate(input.referredOn, 'referredOn');
    if (c.status !== 'recognised')
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        zh: '工伤认定后方可转介康复',
        en: 'referral follows recognition',
      });
    if (input.referredOn < c.accidentDate || input.referredOn > today())
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'referredOn',
        zh: '转介日期应在事故日期之后、不晚于今天',
        en: 'the referral date lies between the accident and today',
      });
    const inst = (
      await sql<{
        kind: string;
        active: boolean;
      }>`SELECT kind, active FROM hospital WHERE id = ${input.institutionId}`.execute(this.db)
    ).rows[0];
    if (!inst?.active || inst.kind !== 'rehab')
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'institutionId',
        zh: '康复机构',
        en: 'rehabilitation institution',
      });
    await this.db.transaction().execute(async (tx) => {
      const r = await sql<{ id: unknown }>`
      INSERT INTO rehab_referral (case_id, institution_id, kind, referred_on, plan, status, referred_by)
      VALUES (${c.id}, ${input.institutionId}, ${input.kind}, ${input.referredOn}, ${input.plan}, 'referred', ${actor.username})
      RETURNING id`.execute(tx);
      await appendAudit(tx, actor, {
        action: 'rehab.refer',
        entityType: 'rehab_referral',
        entityId: int(r.rows[0]?.id),
        region: c.region,
        subjectPersonId: c.personId,
        after: { caseId: c.id, ...input },
      });
    });
    return this.getRehab(actor, c.id);
  }

  /** The outcome of a referral, once: a referral already closed (or changed since it was read) → 409. */
  async recordOutcome(actor: Actor, referralId: number, input: OutcomeInput): Promise<RehabView> {
    const ref = (
      await sql<{
        case_id: unknown;
        referred_on: string;
      }>`SELECT case_id, referred_on FROM rehab_referral WHERE id = ${referralId}`.execute(this.db)
    ).rows[0];
    if (!ref) throw new SbError('SB_ERR_NOT_FOUND');
    const c = await caseInScope(this.db, actor, int(ref.case_id), 'rehab.manage');
    parseDate(input.outcomeOn, 'outcomeOn');
    if (input.outcomeOn < String(ref.referred_on) || input.outcomeOn > today())
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'outcomeOn',
        zh: '结果日期应在转介日期之后、不晚于今天',
        en: 'the outcome date lies between the referral and today',
      });
    await this.db.transaction().execute(async (tx) => {
      const u = await sql`
      UPDATE rehab_referral SET status = ${input.status}, outcome = ${input.outcome}, outcome_on = ${input.outcomeOn},
        outcome_by = ${actor.username}, version = version + 1
      WHERE id = ${referralId} AND status = 'referred' AND version = ${input.version}`.execute(tx);
      if (Number(u.numAffectedRows ?? 0) !== 1) throw new SbError('SB_ERR_CONFLICT');
      await appendAudit(tx, actor, {
        action: 'rehab.outcome',
        entityType: 'rehab_referral',
        entityId: referralId,
        region: c.region,
        subjectPersonId: c.personId,
        before: { status: 'referred' },
        after: { status: input.status, outcome: input.outcome, outcomeOn: input.outcomeOn },
      });
    });
    return this.getRehab(actor, c.id);
  }

  /** The region's cases flagged for rehabilitation, with their referrals counted (the clerk's list). */
  async listFlagged(actor: Actor): Promise<FlaggedCase[]> {
    authorize(actor, 'rehab.manage');
    const r = await sql<Record<string, unknown>>`
    SELECT c.id, c.region_code, c.accident_date, s.kinds, s.categories,
      (SELECT count(*) FROM rehab_referral r WHERE r.case_id = c.id) AS referrals,
      (SELECT count(*) FROM rehab_referral r WHERE r.case_id = c.id AND r.status = 'referred') AS open
    FROM rehab_screening s JOIN injury_case c ON c.id = s.case_id
    WHERE s.flagged ${actor.role === 'system' ? sql`` : sql`AND ${regionCoversSql(sql.ref('c.region_code'), actor.region ?? 'none')}`}
    ORDER BY c.id DESC LIMIT 200`.execute(this.db);
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
}
