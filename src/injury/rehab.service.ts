// Rehabilitation (工伤康复, issue #13 item 6): the screening of recognised cases (rehab.rules.ts),
// referrals to a rehabilitation institution and their outcome, recorded by a clerk and audited.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInScope } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { ageInYears, parseDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { findHospital } from './hospital.repository.ts';
import {
  caseFacts,
  closeReferral,
  flaggedCases,
  insertReferral,
  insertScreenings,
  referralOwner,
  referralsOf,
  screeningOf,
  unscreenedRecognisedCases,
  upsertScreening,
  type CaseFacts,
  type FlaggedCase,
  type ReferralView,
  type ScreeningView,
} from './rehab.repository.ts';
import { screenRehabilitation, type RehabCategory } from './rehab.rules.ts';

export interface RehabView {
  caseId: number;
  caseStatus: string;
  screening: ScreeningView | null;
  referrals: ReferralView[];
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
    await upsertScreening(this.db, c.id, s, actor.username);
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
      const cases = await unscreenedRecognisedCases(
        tx,
        actor.role === 'system' ? null : (actor.region ?? 'none'),
      );
      const rows = cases.map((c) => ({ c, s: screeningRow(c) }));
      if (rows.length === 0) return { screened: 0, flagged: 0 };
      await insertScreenings(
        tx,
        rows.map((x) => ({ caseId: x.c.id, s: x.s })),
        actor.username,
      );
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
    return {
      caseId: c.id,
      caseStatus: c.status,
      screening: await screeningOf(this.db, c.id),
      referrals: await referralsOf(this.db, c.id),
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
    const inst = await findHospital(this.db, input.institutionId);
    if (!inst?.active || inst.kind !== 'rehab')
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'institutionId',
        zh: '康复机构',
        en: 'rehabilitation institution',
      });
    await this.db.transaction().execute(async (tx) => {
      const id = await insertReferral(tx, { caseId: c.id, ...input, referredBy: actor.username });
      await appendAudit(tx, actor, {
        action: 'rehab.refer',
        entityType: 'rehab_referral',
        entityId: id,
        region: c.region,
        subjectPersonId: c.personId,
        after: { caseId: c.id, ...input },
      });
    });
    return this.getRehab(actor, c.id);
  }

  /** The outcome of a referral, once: a referral already closed (or changed since it was read) → 409. */
  async recordOutcome(actor: Actor, referralId: number, input: OutcomeInput): Promise<RehabView> {
    const ref = await referralOwner(this.db, referralId);
    if (!ref) throw new SbError('SB_ERR_NOT_FOUND');
    const c = await caseInScope(this.db, actor, ref.caseId, 'rehab.manage');
    parseDate(input.outcomeOn, 'outcomeOn');
    if (input.outcomeOn < ref.referredOn || input.outcomeOn > today())
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'outcomeOn',
        zh: '结果日期应在转介日期之后、不晚于今天',
        en: 'the outcome date lies between the referral and today',
      });
    await this.db.transaction().execute(async (tx) => {
      if (!(await closeReferral(tx, referralId, { ...input, by: actor.username })))
        throw new SbError('SB_ERR_CONFLICT');
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
    return flaggedCases(this.db, actor.role === 'system' ? null : (actor.region ?? 'none'));
  }
}
