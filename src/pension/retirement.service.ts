// Retirement decisions: the due list, cases opened by a clerk, computed from the person's record with
// the employee-pension (or resident-pension) rule (retirement-case.rules.ts), submitted, and approved
// or returned by a reviewer who is neither the creator nor linked to the creator's person. Every
// change of a case's state goes through `moveCase`: an UPDATE … WHERE status IN (…) AND version = ?
// (of two clerks on one version one wins, the other gets SB_ERR_CONFLICT) with the hall's event.
// Approval creates the award and its initial amount from the month after retirement in the same
// transaction as the status change, and ends the person's insured employment (or the residents'
// enrolment) on the retirement date.
import type { AuditAction } from '../audit/audit-actions.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { checkFourEyes as checkCaseFourEyes, personOfUser } from '../auth/four-eyes.ts';
import { authorize, foundInRegion, foundInScope } from '../auth/policy.ts';
import { now, today } from '../core/clock.ts';
import {
  addMonths,
  addPeriods,
  dayNumber,
  fromDayNumber,
  parsePeriod,
  periodOf,
  periodRange,
  type IsoDate,
} from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import { storedTrace, Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import type { PensionScheme, RetirementCaseStatus } from '../db/database.ts';
import { AwardService } from './award.service.ts';
import { parameterVersions } from './decision-trace.ts';
import { amountInForce } from './pension.repository.ts';
import { pensionRecord, recordSummary } from './person-record.repository.ts';
import { computeRetirementAge, type RetirementCategory } from './retirement-age.rules.ts';
import {
  caseRetirementDate,
  categoryOf,
  computeCaseFigures,
  flexibleWindow,
  type ComputeInput,
} from './retirement-case.rules.ts';
import { staffNames } from '../auth/staff-names.ts';
import { EmploymentService } from '../registry/employment.service.ts';
import {
  awardOf,
  caseById,
  caseForUpdate,
  dueCandidates,
  insertAwardFromCase,
  insertCase,
  listCaseRows,
  openCaseOf,
  payrollPeriodsSince,
  personForCase,
  publishCaseStatus,
  setCaseAward,
  updateCaseGuarded,
  type CaseRow,
} from './retirement.repository.ts';
import { auditReason } from '../audit/audit-reasons.ts';

export type { CaseRow } from './retirement.repository.ts';
export type { ComputeInput, LawfulOption } from './retirement-case.rules.ts';

/** The trace step that opens each computation of a case. */
const COMPUTED_ON = 'computed on';

export interface CaseView {
  id: number;
  personId: number;
  scheme: PensionScheme;
  region: string;
  retirementKind: 'statutory' | 'early' | 'late';
  retirementDate: string;
  status: string;
  eligible: boolean | null;
  missingMonths: number | null;
  options: unknown;
  inputs: unknown;
  parameterVersions: unknown;
  trace: TraceStep[];
  result: unknown;
  monthlyFen: number | null;
  createdBy: string;
  reviewedBy: string | null;
  reviewNote: string | null;
  awardId: number | null;
  version: number;
  /** the clerk's and the reviewer's names, where their accounts have one */
  createdByName?: string | null;
  reviewedByName?: string | null;
}

/** A case as its page shows it: with the names of the clerk and the reviewer, not only their usernames. */
async function namedCaseView(db: Db, c: CaseRow): Promise<CaseView> {
  const names = await staffNames(db, [c.created_by, c.reviewed_by]);
  return {
    ...caseView(c),
    createdByName: names.get(c.created_by) ?? null,
    reviewedByName: names.get(c.reviewed_by ?? '') ?? null,
  };
}

function caseView(c: CaseRow): CaseView {
  return {
    id: c.id,
    personId: c.person_id,
    scheme: c.scheme,
    region: c.region,
    retirementKind: c.retirement_kind,
    retirementDate: c.retirement_date,
    status: c.status,
    eligible: c.eligible,
    missingMonths: c.missing_months,
    options: c.options,
    inputs: c.inputs,
    parameterVersions: c.parameter_versions,
    trace: storedTrace(c.trace),
    result: c.result,
    monthlyFen: c.monthly_fen,
    createdBy: c.created_by,
    reviewedBy: c.reviewed_by,
    reviewNote: c.review_note,
    awardId: c.award_id,
    version: c.version,
  };
}

export interface DueItem {
  personId: number;
  name: string;
  birthDate: string;
  /** employee_pension: statutory age by category; resident_pension: age 60 (国发〔2014〕8号) */
  scheme: PensionScheme;
  category: RetirementCategory | 'resident';
  statutoryDate: string;
  ageMonths: number;
  earliestFlexibleDate: string;
  latestFlexibleDate: string;
  minContributionMonths: number;
  /** the person's latest employee-pension retirement case, so the list shows who already has one */
  caseId: number | null;
  caseStatus: string | null;
}

export interface OpenCaseInput {
  personId: number;
  scheme: PensionScheme;
  category?: RetirementCategory;
  retirementKind?: 'statutory' | 'early' | 'late';
  /** flexible retirement: the chosen date (early: up to 36 months before, never before the original age; late: up to 36 months after) */
  retirementDate?: string;
}

/** One change of a case's state: the guarded update and, when the applicant should hear of it, the hall's event. */
async function moveCase(
  tx: Db,
  actor: Actor,
  c: CaseRow,
  move: {
    from: readonly RetirementCaseStatus[];
    to: RetirementCaseStatus;
    version: number;
    set?: Omit<Parameters<typeof updateCaseGuarded>[3], 'status'>;
    /** words for the applicant, with the event */
    note?: string | null;
  },
): Promise<CaseRow> {
  const won = await updateCaseGuarded(
    tx,
    c.id,
    { from: move.from, version: move.version },
    {
      ...move.set,
      status: move.to,
    },
  );
  if (!won)
    throw new SbError('SB_ERR_CONFLICT', {
      zh: '案件已被他人处理或已修改，请刷新',
      en: 'the case was already decided or changed by someone else; refresh',
    });
  // A recomputation (back to draft) is not news to the applicant; every other move is.
  if (move.to !== 'draft')
    await publishCaseStatus(tx, won, {
      status: move.to,
      actor: actor.username,
      note: move.note ?? null,
      on: today(),
    });
  return won;
}

/** The audit entry of an action on a case. */
function auditCase(
  tx: Db,
  actor: Actor,
  c: CaseRow,
  action: AuditAction,
  e: { before?: Record<string, unknown>; after: Record<string, unknown>; reason?: string | null },
): Promise<unknown> {
  return appendAudit(tx, actor, {
    action,
    entityType: 'retirement_case',
    entityId: c.id,
    region: c.region,
    subjectPersonId: c.person_id,
    ...e,
  });
}

export class RetirementService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** Who reaches statutory retirement age in the month (default next month): insured, alive, no award yet. */
  async retirementDue(
    actor: Actor,
    q: { region: string; month?: string },
  ): Promise<{ month: string; items: DueItem[] }> {
    authorize(actor, 'retirement.read', { region: q.region });
    const month = q.month === undefined ? addPeriods(periodOf(today()), 1) : parsePeriod(q.month, 'month');
    const first = `${month}-01`;
    // Candidates by birth date: statutory ages lie between 50 and 63 years (plus the month).
    const employees = await dueCandidates(this.db, {
      region: q.region,
      scheme: 'employee_pension',
      bornFrom: addMonths(first, -(63 * 12 + 1)),
      bornTo: addMonths(first, -(50 * 12) + 1),
    });
    const items: DueItem[] = [];
    for (const p of employees) {
      const categories: RetirementCategory[] = p.sex === 'M' ? ['male'] : ['female-50', 'female-55'];
      for (const category of categories) {
        const r = computeRetirementAge({ birthDate: p.birth_date, category }, this.params, new Trace());
        if (periodOf(r.retirementDate) !== month) continue;
        const w = flexibleWindow(p.birth_date, category, r.retirementDate);
        items.push({
          personId: p.id,
          name: p.name,
          birthDate: p.birth_date,
          scheme: 'employee_pension',
          category,
          statutoryDate: r.retirementDate,
          ageMonths: r.ageMonths,
          earliestFlexibleDate: w.earliest,
          latestFlexibleDate: w.latest,
          minContributionMonths: r.minContributionMonths,
          caseId: p.case_id,
          caseStatus: p.case_status,
        });
      }
    }
    // Residents draw their pension from 60 (no flexible dates): due in the month of the 60th birthday.
    const residents = await dueCandidates(this.db, {
      region: q.region,
      scheme: 'resident_pension',
      bornFrom: addMonths(first, -(60 * 12)),
      bornTo: fromDayNumber(dayNumber(addMonths(first, -(60 * 12) + 1)) - 1),
    });
    const minResident = this.residentMinimumMonths(first, q.region);
    for (const p of residents) {
      const date = addMonths(p.birth_date, 60 * 12);
      items.push({
        personId: p.id,
        name: p.name,
        birthDate: p.birth_date,
        scheme: 'resident_pension',
        category: 'resident',
        statutoryDate: date,
        ageMonths: 720,
        earliestFlexibleDate: date,
        latestFlexibleDate: date,
        minContributionMonths: minResident,
        caseId: p.case_id,
        caseStatus: p.case_status,
      });
    }
    return { month, items };
  }

  /** The residents' scheme's minimum contribution months in force (pension/resident-pension-rules). */
  private residentMinimumMonths(date: IsoDate, region: string): number {
    return this.params.get<{ minContributionMonths: number }>('pension/resident-pension-rules', region, date)
      .minContributionMonths;
  }

  async openCase(actor: Actor, input: OpenCaseInput): Promise<CaseView> {
    // another city's person answers as an unknown one, and neither repeats the number
    const person = foundInScope(
      actor,
      'retirement.open',
      await personForCase(this.db, input.personId),
      (p) => ({ region: p.region.trim() }),
      'personId',
    );
    if (person.death_date !== null)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'personId',
        zh: '人员已死亡',
        en: 'the person is deceased',
      });
    const kind = input.retirementKind ?? 'statutory';
    const category = categoryOf(person.sex, input.category);
    const trace = new Trace();
    const retirementDate = caseRetirementDate(
      {
        scheme: input.scheme,
        kind,
        birthDate: person.birth_date,
        category,
        chosenDate: input.retirementDate,
      },
      this.params,
      trace,
    );
    if ((await awardOf(this.db, person.id, input.scheme)) !== undefined)
      throw new SbError('SB_ERR_DUPLICATE', {
        field: 'personId',
        zh: '已有养老金待遇',
        en: 'the person already has this pension',
      });
    return this.db.transaction().execute(async (tx) => {
      const open = await openCaseOf(tx, person.id, input.scheme);
      if (open !== undefined)
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'personId',
          zh: `已有在办退休案件 ${open}`,
          en: `retirement case ${open} is already open`,
        });
      const c = await insertCase(tx, {
        personId: person.id,
        scheme: input.scheme,
        region: person.region,
        kind,
        retirementDate,
        inputs: { category: input.scheme === 'employee_pension' ? category : null },
        parameterVersions: parameterVersions(trace.steps),
        trace: trace.steps,
        createdByUserId: actor.userId,
        createdBy: actor.username,
      });
      await publishCaseStatus(tx, c, { status: 'draft', actor: actor.username, note: null, on: today() });
      await auditCase(tx, actor, c, 'retirement.open', {
        after: { scheme: c.scheme, retirementDate, kind },
      });
      return namedCaseView(tx, c);
    });
  }

  async computeCase(actor: Actor, id: number, input: ComputeInput): Promise<CaseView> {
    authorize(actor, 'retirement.compute');
    return this.db.transaction().execute(async (tx) => {
      const c = foundInRegion(actor, 'retirement.compute', await caseForUpdate(tx, id));
      const person = await personForCase(tx, c.person_id);
      if (!person) throw new SbError('SB_ERR_NOT_FOUND', { field: 'personId' });
      const record = await pensionRecord(tx, c.person_id, periodOf(c.retirement_date));
      // Keep the steps of the opening; a new computation replaces the last one's steps (from its
      // "computed on" mark) instead of piling up after them.
      const prior = storedTrace(c.trace);
      const mark = prior.findIndex((s) => s.step === COMPUTED_ON);
      const trace = new Trace();
      for (const s of mark === -1 ? prior : prior.slice(0, mark)) trace.push(s);
      trace.add(COMPUTED_ON, today(), 'date', '核算日期');
      const f = computeCaseFigures(
        {
          scheme: c.scheme,
          region: c.region,
          retirementDate: c.retirement_date,
          retirementKind: c.retirement_kind,
          category: (c.inputs as { category?: RetirementCategory }).category ?? 'male',
          birthDate: person.birth_date,
        },
        record,
        recordSummary(record),
        input,
        this.params,
        trace,
      );
      const updated = await moveCase(tx, actor, c, {
        from: ['draft', 'returned'],
        to: 'draft',
        version: input.version,
        set: {
          eligible: f.eligible,
          missing_months: f.eligible ? null : f.missingMonths,
          options: JSON.stringify(f.options),
          inputs: JSON.stringify(f.inputs),
          parameter_versions: JSON.stringify(parameterVersions(trace.steps)),
          trace: JSON.stringify(trace.steps),
          result: JSON.stringify(f.result),
          monthly_fen: f.eligible ? f.monthlyFen : null,
          computed_at: now().toISOString(),
        },
      });
      await auditCase(tx, actor, c, 'retirement.compute', {
        after: { eligible: f.eligible, missingMonths: f.missingMonths, monthlyFen: f.monthlyFen },
      });
      return namedCaseView(tx, updated);
    });
  }

  async submitCase(actor: Actor, id: number, version: number): Promise<CaseView> {
    authorize(actor, 'retirement.submit');
    return this.db.transaction().execute(async (tx) => {
      const c = foundInRegion(actor, 'retirement.submit', await caseForUpdate(tx, id));
      if (c.status === 'draft' && c.version === version && (c.eligible !== true || c.monthly_fen === null))
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          zh: '案件未计算或不符合条件',
          en: 'the case is not computed or not eligible',
        });
      const u = await moveCase(tx, actor, c, {
        from: ['draft'],
        to: 'pending_review',
        version,
        set: { submitted_at: now().toISOString() },
      });
      await auditCase(tx, actor, c, 'retirement.submit', { after: { status: 'pending_review' } });
      return namedCaseView(tx, u);
    });
  }

  /**
   * The clerk refuses a case that does not qualify (不予受理: not of age, fewer than the minimum
   * contribution years and no extension): a draft or a case the reviewer returned ends as rejected,
   * with the reason the applicant reads in the hall. No money moves, so no second person; audited.
   */
  async rejectCase(actor: Actor, id: number, input: { version: number; reason: string }): Promise<CaseView> {
    authorize(actor, 'retirement.reject');
    const reason = input.reason.trim();
    if (reason === '')
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'reason',
        zh: '请填写不予受理的原因',
        en: 'give the reason for refusing the case',
      });
    return this.db.transaction().execute(async (tx) => {
      const c = foundInRegion(actor, 'retirement.reject', await caseForUpdate(tx, id));
      const won = await moveCase(tx, actor, c, {
        from: ['draft', 'returned'],
        to: 'rejected',
        version: input.version,
        set: { review_note: reason },
        note: reason,
      });
      await auditCase(tx, actor, c, 'retirement.reject', {
        before: { status: c.status },
        after: { status: 'rejected' },
        reason,
      });
      return namedCaseView(tx, won);
    });
  }

  async reviewCase(
    actor: Actor,
    id: number,
    input: { decision: 'approve' | 'return'; version: number; note?: string },
  ): Promise<CaseView> {
    authorize(actor, 'retirement.approve');
    const pre = foundInRegion(actor, 'retirement.approve', await caseById(this.db, id));
    await checkFourEyes(this.db, actor, pre);
    return this.db.transaction().execute(async (tx) => {
      const status = input.decision === 'approve' ? 'approved' : 'returned';
      const won = await moveCase(tx, actor, pre, {
        from: ['pending_review'],
        to: status,
        version: input.version,
        set: {
          reviewed_by_user_id: actor.userId,
          reviewed_by: actor.username,
          reviewed_at: now().toISOString(),
          review_note: input.note ?? null,
        },
        note: input.note ?? null,
      });
      const awardId = status === 'approved' ? await createAward(tx, actor, won) : null;
      // The worker who starts to draw the employee pension leaves insured work on the retirement date,
      // a resident who starts to draw the residents' pension stops contributing: without this the
      // employer's declarations (or the resident's yearly tier) went on after the pension started.
      if (awardId !== null)
        await new EmploymentService(tx).endAtRetirement(
          actor,
          won.person_id,
          won.scheme,
          won.retirement_date,
          auditReason('retirement-approved', { case: id }),
        );
      const final = awardId === null ? won : await setCaseAward(tx, id, awardId);
      await auditCase(tx, actor, won, `retirement.${input.decision}`, {
        before: { status: 'pending_review' },
        after: { status, awardId },
        reason: input.note ?? null,
      });
      return namedCaseView(tx, final);
    });
  }

  async getCase(actor: Actor, id: number): Promise<CaseView> {
    authorize(actor, 'retirement.read');
    const c = foundInRegion(actor, 'retirement.read', await caseById(this.db, id));
    return namedCaseView(this.db, c);
  }

  async listCases(
    actor: Actor,
    q: { status?: string; page: number; pageSize: number },
  ): Promise<{
    items: Array<CaseView & { personName: string; createdByName: string | null }>;
    total: number;
    page: number;
    pageSize: number;
  }> {
    authorize(actor, 'retirement.read');
    const { rows, total } = await listCaseRows(this.db, {
      region: actor.region ?? '000000',
      ...(q.status === undefined ? {} : { status: q.status as RetirementCaseStatus }),
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return {
      items: rows.map((r) => ({
        ...caseView(r),
        personName: r.person_name,
        createdByName: r.created_by_name,
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}

/** Four eyes: the reviewer is another person than the creator (by app_user.person_id) and not the subject. */
async function checkFourEyes(db: Db, actor: Actor, c: CaseRow): Promise<void> {
  if (actor.userId === null) return; // the command line is the operator's tool, audited as such
  await checkCaseFourEyes(
    db,
    actor,
    { userId: c.created_by_user_id, personId: await personOfUser(db, c.created_by_user_id) },
    [c.person_id],
  );
}

/** The personal-account part the resident-pension rule computed (never more than the whole). */
function accountFenOf(result: Record<string, unknown>, monthlyFen: number): number {
  const a = result.accountPensionFen;
  return typeof a === 'number' && Number.isSafeInteger(a) && a > 0 ? Math.min(a, monthlyFen) : 0;
}

/** The award an approved case decides, its first amount, and back pay for months already paid out. */
async function createAward(tx: Db, actor: Actor, c: CaseRow): Promise<number> {
  if (c.monthly_fen === null)
    throw new SbError('SB_ERR_CONFLICT', { zh: '案件未计算', en: 'the case is not computed' });
  const startPeriod = addPeriods(periodOf(c.retirement_date), 1);
  const result = c.result as Record<string, unknown>;
  const awardId = await insertAwardFromCase(tx, {
    caseRow: c,
    monthlyFen: c.monthly_fen,
    // The residents' pension keeps its two parts: the payroll draws the account part down from the
    // person's account and books the basic part against the government subsidy (payroll.job.ts).
    accountFen: c.scheme === 'resident_pension' ? accountFenOf(result, c.monthly_fen) : 0,
    startPeriod,
    contributionMonths: (c.inputs as { contributionMonths?: number }).contributionMonths ?? 0,
    components: ['basicPensionFen', 'accountPensionFen', 'transitionalPensionFen']
      .filter((k) => typeof result[k] === 'number')
      .map((k) => ({ kind: k.replace(/Fen$/, ''), amountFen: result[k] })),
    createdBy: actor.username,
  });
  if (awardId === undefined)
    throw new SbError('SB_ERR_DUPLICATE', {
      zh: '已有养老金待遇',
      en: 'the person already has this pension',
    });
  // Months whose payroll has already run (a late decision): back pay through the next payroll.
  const runs = await payrollPeriodsSince(tx, startPeriod, c.region);
  const last = runs[runs.length - 1];
  if (last !== undefined) {
    let total = 0;
    for (const p of periodRange(startPeriod, last)) total += (await amountInForce(tx, awardId, p)) ?? 0;
    const months = periodRange(startPeriod, last).length;
    const accountPart = c.scheme === 'resident_pension' ? accountFenOf(result, c.monthly_fen) : 0;
    if (total > 0)
      await new AwardService(tx).queueArrears(actor, {
        awardId,
        reason: 'initial',
        fromPeriod: startPeriod,
        toPeriod: last,
        amountFen: total,
        accountFen: Math.min(total, accountPart * months),
        idempotencyKey: `initial:${awardId}`,
        detail: { caseId: c.id },
      });
  }
  await appendAudit(tx, actor, {
    action: 'pension.award',
    entityType: 'pension_award',
    entityId: awardId,
    region: c.region,
    subjectPersonId: c.person_id,
    after: { scheme: c.scheme, startPeriod, monthlyFen: c.monthly_fen, decisionId: c.id },
  });
  return awardId;
}
