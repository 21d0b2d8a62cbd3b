// Work-injury cases end to end (issue 13): the employer's report or the worker's application, the
// documents, acceptance and suspension, recognition by a clerk released by a reviewer (four eyes,
// src/approval), the decision letter, capacity appraisals, and benefit decisions by grade (again
// released by a reviewer), paid from the work-injury fund and posted to its ledger, or shown as owed
// by the employer. Every time limit comes from the `injury-deadline` rule; every status change is
// audited and reported to the service hall as a `case.status` outbox event in the same transaction.
import type { Note } from '../core/bilingual.ts';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { InjuryCaseStep } from './injury.audit-actions.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { staffUsernameFor, type Actor } from '../auth/actor.ts';
import { authorize, foundInScope, permits, type Target } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { today } from '../core/clock.ts';
import { addPeriods, addYears, dateInWords, parseDate, periodOf, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { checkIdNumber } from '../core/ids.ts';
import { fen } from '../core/money.ts';
import { nursingAllowance } from './nursing-allowance.rules.ts';
import { regionLikePattern, regionName } from '../core/regions.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import { addWorkingDays, calendarFrom, type HolidayCalendar } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import { int, isUniqueViolation } from '../db/values.ts';
import { ACCOUNTS, postEntryForRecord } from '../ledger/journal.repository.ts';
import { findInjuryCase, moveCase, type InjuryCaseRow } from './injury-case.repository.ts';
import { RehabService } from './rehab.service.ts';
import { computeInjuryDeadlines, type InjuryDeadlineResult } from './injury-deadline.rules.ts';
import { assessInjuryDeath, type Dependent } from './injury-death.rules.ts';
import { assessInjuryDisability } from './injury-disability.rules.ts';
import type {
  InjuryBenefitKind,
  InjuryBenefitStatus,
  InjuryDocumentKind,
  InjuryKind,
  NursingLevel,
} from './injury.tables.ts';
import './injury.tables.ts';

const RECOGNITION_SERVICE = 'injury-recognition';
const APPRAISAL_SERVICE = 'work-capacity-assessment';
const MAX_DOCUMENT_BYTES = 1024 * 1024;

// ---- views ----

export interface DeadlineView {
  key: string;
  date: string | null;
  /** the day the step was done (null while open) */
  doneOn: string | null;
  overdue: boolean;
  /** a window of the applicant or employer (appeal, re-appraisal), not a limit on the agency */
  party: boolean;
}

export interface AppraisalView {
  id: number;
  kind: 'initial' | 'reappraisal' | 'review';
  receivedDate: string;
  conclusionDate: string | null;
  grade: number | null;
  nursingLevel: NursingLevel;
  status: 'pending' | 'concluded';
}

export interface BenefitView {
  id: number;
  kind: InjuryBenefitKind;
  payer: 'fund' | 'employer';
  advanced: boolean;
  monthly: boolean;
  amountFen: number;
  fromPeriod: string | null;
  status: InjuryBenefitStatus;
  paidFen: number;
  proposedBy: string | null;
  reviewedBy: string | null;
}

export interface CaseView extends Pick<
  InjuryCaseRow,
  | 'reportedDate'
  | 'lateDays'
  | 'employerInsured'
  | 'acceptedDate'
  | 'simpleCase'
  | 'decidedDate'
  | 'deliveredDate'
  | 'decisionNote'
> {
  id: number;
  personId: number;
  personName: string;
  employerId: number;
  employerName: string;
  regionCode: string;
  kind: InjuryKind;
  accidentDate: string;
  description: string;
  status: InjuryCaseRow['status'];
  reporterKind: InjuryCaseRow['reporterKind'];
  /** a recognition waiting for the reviewer */
  pendingApprovalId: number | null;
  proposedOutcome: 'recognised' | 'not_recognised' | null;
  deadlines: DeadlineView[];
  overdue: boolean;
  suspensions: Array<{ fromDate: string; toDate: string | null; reason: string }>;
  documents: Array<{
    id: number;
    kind: InjuryDocumentKind;
    filename: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    uploadedAt: string;
  }>;
  appraisals: AppraisalView[];
  benefits: BenefitView[];
  recoveries: Array<{
    id: number;
    benefitId: number;
    amountFen: number;
    recoveredFen: number;
    status: string;
    payByDate: string;
  }>;
  events: Array<{
    fromStatus: string | null;
    toStatus: string;
    kind: string;
    note: string | null;
    /** null for a worker or an employer */
    actor: string | null;
    at: string;
  }>;
}

export interface CaseListItem {
  id: number;
  personName: string;
  employerName: string;
  kind: InjuryKind;
  accidentDate: string;
  status: InjuryCaseRow['status'];
  reportedDate: string;
  lateDays: number;
  employerInsured: boolean;
  nextDeadline: string | null;
  nextDeadlineKey: string | null;
  overdue: boolean;
  pendingApprovalId: number | null;
}

const DAY_LIMITS_BY_AGENCY = new Set([
  'acceptanceDeadline',
  'decisionDeadline',
  'simpleCaseDeadline',
  'deliveryDeadline',
  'appraisalMaterialsDeadline',
  'appraisalDeadline',
  'appraisalExtendedDeadline',
]);

const targetOf = (c: { personId: number; employerId: number; regionCode: string }): Target => ({
  personId: c.personId,
  employerIds: [c.employerId],
  region: c.regionCode,
});

function bad(field: string, zh: string, en: string): SbError {
  return new SbError('SB_ERR_VALIDATION', { field, zh, en });
}

function conflict(zh: string, en: string): SbError {
  return new SbError('SB_ERR_CONFLICT', { zh, en });
}

async function caseStatusEvent(
  tx: Db,
  actor: Actor,
  c: { id: number; personId: number; employerId: number; regionCode: string },
  service: string,
  status: 'submitted' | 'accepted' | 'returned' | 'approved' | 'rejected' | 'completed' | 'withdrawn',
  note: Note,
): Promise<void> {
  const payload = {
    service,
    ref: `injury_case:${c.id}`,
    personId: c.personId,
    employerId: c.employerId,
    status,
    actor: actor.username,
    note,
    regionCode: c.regionCode,
    citizenPath: `/citizen/injury/${c.id}`,
  };
  await tx
    .insertInto('outbox')
    .values({ topic: 'case.status', payload: JSON.stringify(payload) })
    .execute();
}

/** Detects the file's real type from its first bytes (never from the name or the declared type). */
function sniffMediaType(b: Uint8Array): 'application/pdf' | 'image/jpeg' | 'image/png' | null {
  const starts = (sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return null;
}

const EXT: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
};

export interface ReportInput {
  idNumber: string;
  accidentDate: string;
  description: string;
  kind?: InjuryKind | undefined;
  /** a clerk recording a family member's application says so */
  reporterKind?: 'family' | 'clerk' | undefined;
}

export interface BenefitProposal {
  kind: InjuryBenefitKind;
  /** provincial amounts (one-off medical and employment subsidies) are entered by the clerk */
  amountFen?: number | undefined;
  relationEndedDate?: string | undefined;
  deathDate?: string | undefined;
  dependents?: Dependent[] | undefined;
  /** the fund pays first for an uninsured employer that did not pay (先行支付) */
  advance?: boolean | undefined;
  regionalAverageWageFen?: number | undefined;
}

interface ComputedBenefit extends Pick<
  BenefitView,
  'kind' | 'payer' | 'advanced' | 'monthly' | 'amountFen' | 'fromPeriod'
> {
  caseId: number;
  appraisalId: number | null;
  inputs: Record<string, unknown>;
  trace: TraceStep[];
}

export class InjuryService {
  readonly db: Db;
  constructor(private readonly ctx: AppContext) {
    this.db = ctx.db;
  }

  // ---- report and application ----

  async report(actor: Actor, input: ReportInput): Promise<CaseView> {
    authorize(actor, 'injury.report');
    const checked = checkIdNumber(input.idNumber, today());
    if (!checked.valid)
      throw new SbError('SB_ERR_INVALID_ID_NUMBER', {
        field: 'idNumber',
        zh: checked.reasonZh,
        en: checked.reason,
      });
    const idNumber = checked.normalized;
    const person = await this.db
      .selectFrom('person')
      .select(['id', 'name', 'death_date'])
      .where('id_number', '=', idNumber)
      .executeTakeFirst();
    // Same answer for an unknown person as for a person out of reach: nothing to learn by probing.
    if (!person) throw new SbError('SB_ERR_NOT_FOUND', { field: 'idNumber' });
    const accident = input.accidentDate;
    const reportedDate = today();
    if (accident > reportedDate)
      throw bad('accidentDate', '事故日期不能晚于今天', 'the accident date may not be in the future');
    const description = input.description.trim();
    if (description.length === 0) throw bad('description', '请描述事故经过', 'describe what happened');
    let q = this.db
      .selectFrom('employment as e')
      .innerJoin('employer as r', 'r.id', 'e.employer_id')
      .select(['e.employer_id', 'e.monthly_wage_fen', 'r.region'])
      .where('e.person_id', '=', person.id)
      .where('e.start_date', '<=', accident)
      .where((eb) => eb.or([eb('e.end_date', 'is', null), eb('e.end_date', '>=', accident)]));
    if (actor.role === 'employer') q = q.where('e.employer_id', '=', actor.employerId ?? -1);
    const employment = await q.orderBy('e.start_date', 'desc').executeTakeFirst();
    // A person the actor may not report for (another worker, another employer's, another district's)
    // answers as an unknown ID number: a 403 told a citizen or a clerk that the number is registered.
    const reach = {
      personId: person.id,
      employerIds: employment ? [employment.employer_id] : [],
      region: employment?.region ?? null,
    };
    if (!permits(actor, 'injury.report', reach)) throw new SbError('SB_ERR_NOT_FOUND', { field: 'idNumber' });
    if (!employment)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'accidentDate',
        zh: '事故发生之日无劳动关系记录，请先确认劳动关系（可申请劳动仲裁）',
        en: 'no employment on the accident date; the labour relation must be established first',
      });
    const reporterKind =
      actor.role === 'employer'
        ? 'employer'
        : actor.role === 'citizen'
          ? 'worker'
          : (input.reporterKind ?? 'clerk');
    const d = computeInjuryDeadlines(
      {
        accidentDate: accident,
        reportedDate,
        reporterKind: reporterKind === 'employer' ? 'employer' : 'worker',
      },
      calendarFrom(this.ctx.params),
    );
    if (reporterKind !== 'employer' && d.workerLate === true)
      throw new SbError('SB_ERR_INJURY_TOO_LATE', {
        field: 'accidentDate',
        zh: '已超过事故发生之日起1年的申请期限',
        en: 'the one-year window from the accident has passed',
      });
    const insured = await this.db
      .selectFrom('enrolment')
      .select('id')
      .where('person_id', '=', person.id)
      .where('scheme', '=', 'injury')
      .where('employer_id', '=', employment.employer_id)
      .where('start_date', '<=', accident)
      .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>=', accident)]))
      .executeTakeFirst();
    const lateDays = reporterKind === 'employer' ? (d.employerLateDays ?? 0) : 0;
    const id = await this.db.transaction().execute(async (tx) => {
      let row: { id: number };
      try {
        row = await tx
          .insertInto('injury_case')
          .values({
            person_id: person.id,
            employer_id: employment.employer_id,
            region_code: employment.region,
            kind: input.kind ?? 'injury',
            accident_date: accident,
            description,
            status: 'reported',
            reported_by: actor.username,
            reporter_kind: reporterKind,
            reported_date: reportedDate,
            late_days: lateDays,
            employer_insured: insured !== undefined,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
      } catch (e) {
        if (isUniqueViolation(e))
          throw new SbError('SB_ERR_DUPLICATE', {
            field: 'accidentDate',
            zh: '该职工同日的工伤已报告',
            en: 'this injury of the worker on that day is already reported',
          });
        throw e;
      }
      const words: Note =
        lateDays > 0
          ? {
              zh: `用人单位逾期${lateDays}日报告，逾期期间发生的工伤待遇等费用由用人单位负担`,
              en: `the employer reported ${lateDays} days late; it bears the injury costs of the late period`,
            }
          : { zh: '工伤认定申请已提交', en: 'work-injury recognition applied for' };
      const note = words.zh;
      await tx
        .insertInto('injury_case_event')
        .values({
          case_id: row.id,
          from_status: null,
          to_status: 'reported',
          kind: 'report',
          note,
          actor: actor.username,
        })
        .execute();
      const c = {
        id: row.id,
        personId: person.id,
        employerId: employment.employer_id,
        regionCode: employment.region,
      };
      await caseStatusEvent(tx, actor, c, RECOGNITION_SERVICE, 'submitted', words);
      await appendAudit(tx, actor, {
        action: 'injury.report',
        entityType: 'injury_case',
        entityId: row.id,
        region: employment.region,
        subjectPersonId: person.id,
        after: { accidentDate: accident, reporterKind, lateDays, employerInsured: insured !== undefined },
      });
      return row.id;
    });
    return this.get(actor, id);
  }

  async load(id: number): Promise<InjuryCaseRow> {
    const c = await findInjuryCase(this.db, id);
    if (!c) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    return c;
  }

  /**
   * Loads a case the actor may act on with `action`: one of another worker, employer or district
   * answers as an id that does not exist (like the registry's persons), so no one learns which exist.
   */
  private async loadFor(actor: Actor, id: number, action: 'injury.read' | 'injury.report' | 'injury.handle') {
    return foundInScope(actor, action, (await findInjuryCase(this.db, id)) ?? undefined, targetOf);
  }

  async deadlinesOf(c: InjuryCaseRow): Promise<{ rule: InjuryDeadlineResult; list: DeadlineView[] }> {
    const suspensions = await this.db
      .selectFrom('injury_case_suspension')
      .select(['from_date', 'to_date'])
      .where('case_id', '=', c.id)
      .orderBy('from_date')
      .execute();
    const appraisal = await this.latestAppraisal(c.id);
    return deadlineList(c, suspensions, appraisal ?? null, today(), calendarFrom(this.ctx.params));
  }

  /** The case's most recent appraisal (pending or concluded), if any. */
  private latestAppraisal(caseId: number) {
    return this.db
      .selectFrom('injury_appraisal')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  async get(actor: Actor, id: number): Promise<CaseView> {
    const c = await this.loadFor(actor, id, 'injury.read');
    if (actor.role !== 'citizen' && actor.role !== 'employer' && actor.role !== 'system')
      await appendAudit(this.db, actor, {
        action: 'injury.read',
        entityType: 'injury_case',
        entityId: id,
        region: c.regionCode,
        subjectPersonId: c.personId,
      });
    return this.view(actor, c);
  }

  /** The case as `reader` may see it: a worker or an employer sees staff by role, not by username. */
  async view(reader: Actor, c: InjuryCaseRow): Promise<CaseView> {
    const db = this.db;
    const names = await db
      .selectFrom('person as p')
      .innerJoin('employer as e', (j) => j.on('e.id', '=', c.employerId))
      .select(['p.name as person_name', 'e.name as employer_name'])
      .where('p.id', '=', c.personId)
      .executeTakeFirstOrThrow();
    const { list } = await this.deadlinesOf(c);
    const [suspensions, documents, appraisals, benefits, recoveries, events, pending, proposal] =
      await Promise.all([
        db
          .selectFrom('injury_case_suspension')
          .selectAll()
          .where('case_id', '=', c.id)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('injury_document as d')
          .innerJoin('injury_blob as b', 'b.sha256', 'd.sha256')
          .select([
            'd.id',
            'd.kind',
            'd.filename',
            'b.media_type',
            'b.size_bytes',
            'd.sha256',
            'd.uploaded_at',
          ])
          .where('d.case_id', '=', c.id)
          .orderBy('d.id')
          .execute(),
        db.selectFrom('injury_appraisal').selectAll().where('case_id', '=', c.id).orderBy('id').execute(),
        db
          .selectFrom('injury_benefit as b')
          .selectAll('b')
          .select(
            sql<unknown>`(SELECT coalesce(sum(amount_fen), 0)::bigint FROM injury_payment p WHERE p.benefit_id = b.id)`.as(
              'paid',
            ),
          )
          .where('b.case_id', '=', c.id)
          .orderBy('b.id')
          .execute(),
        db.selectFrom('injury_recovery').selectAll().where('case_id', '=', c.id).orderBy('id').execute(),
        db.selectFrom('injury_case_event').selectAll().where('case_id', '=', c.id).orderBy('id').execute(),
        new ApprovalService(db).openId('injury-recognition', `case:${c.id}`),
        db
          .selectFrom('injury_case')
          .select(['proposed_outcome'])
          .where('id', '=', c.id)
          .executeTakeFirstOrThrow(),
      ]);
    return {
      id: c.id,
      personId: c.personId,
      personName: names.person_name,
      employerId: c.employerId,
      employerName: names.employer_name,
      regionCode: c.regionCode.trim(),
      kind: c.kind,
      accidentDate: c.accidentDate,
      description: c.description,
      status: c.status,
      reporterKind: c.reporterKind,
      reportedDate: c.reportedDate,
      lateDays: c.lateDays,
      employerInsured: c.employerInsured,
      acceptedDate: c.acceptedDate,
      simpleCase: c.simpleCase,
      decidedDate: c.decidedDate,
      deliveredDate: c.deliveredDate,
      decisionNote: c.decisionNote,
      pendingApprovalId: pending,
      proposedOutcome: pending === null ? null : proposal.proposed_outcome,
      deadlines: list,
      overdue: list.some((d) => d.overdue),
      suspensions: suspensions.map((s) => ({ fromDate: s.from_date, toDate: s.to_date, reason: s.reason })),
      documents: documents.map((d) => ({
        id: int(d.id),
        kind: d.kind,
        filename: d.filename,
        mediaType: d.media_type,
        sizeBytes: d.size_bytes,
        sha256: d.sha256,
        uploadedAt: d.uploaded_at,
      })),
      appraisals: appraisals.map(appraisalView),
      benefits: benefits.map((b) => ({
        id: int(b.id),
        kind: b.kind,
        payer: b.payer,
        advanced: b.advanced,
        monthly: b.monthly,
        amountFen: int(b.amount_fen),
        fromPeriod: b.from_period,
        status: b.status,
        paidFen: b.monthly ? int(b.paid) : b.status === 'paid' ? int(b.amount_fen) : 0,
        proposedBy: staffUsernameFor(reader, b.proposed_by),
        reviewedBy: staffUsernameFor(reader, b.reviewed_by),
      })),
      recoveries: recoveries.map((r) => ({
        id: int(r.id),
        benefitId: int(r.benefit_id),
        amountFen: int(r.amount_fen),
        recoveredFen: int(r.recovered_fen),
        status: r.status,
        payByDate: r.pay_by_date,
      })),
      events: events.map((e) => ({
        fromStatus: e.from_status,
        toStatus: e.to_status,
        kind: e.kind,
        note: e.note,
        actor: staffUsernameFor(reader, e.actor),
        at: e.at,
      })),
    };
  }

  /** The actor's cases: a worker's own, an employer's workers', the staff member's region (the work queue). */
  async list(
    actor: Actor,
    q: {
      status?: InjuryCaseRow['status'] | undefined;
      overdue?: boolean | undefined;
      page: number;
      pageSize: number;
    },
  ): Promise<{ items: CaseListItem[]; total: number; page: number; pageSize: number }> {
    authorize(actor, 'injury.read');
    let b = this.db
      .selectFrom('injury_case as c')
      .innerJoin('person as p', 'p.id', 'c.person_id')
      .innerJoin('employer as e', 'e.id', 'c.employer_id');
    if (actor.role === 'citizen') b = b.where('c.person_id', '=', actor.personId ?? -1);
    else if (actor.role === 'employer') b = b.where('c.employer_id', '=', actor.employerId ?? -1);
    else if (actor.role !== 'system')
      b = b.where('c.region_code', 'like', regionLikePattern(actor.region ?? ''));
    if (q.status) b = b.where('c.status', '=', q.status);
    const rows = await b
      .selectAll('c')
      .select(['p.name as person_name', 'e.name as employer_name'])
      .orderBy('c.id', 'desc')
      .limit(2000)
      .execute();
    const items: CaseListItem[] = [];
    const t = today();
    const suspensions = await this.db
      .selectFrom('injury_case_suspension')
      .select(['case_id', 'from_date', 'to_date'])
      .where('case_id', 'in', rows.length ? rows.map((r) => r.id) : [-1])
      .execute();
    const appraisals = await this.db
      .selectFrom('injury_appraisal')
      .selectAll()
      .where('case_id', 'in', rows.length ? rows.map((r) => r.id) : [-1])
      .orderBy('id')
      .execute();
    const pend = await this.db
      .selectFrom('approval')
      .select(['id', 'dedupe_key'])
      .where('kind', '=', 'injury-recognition')
      .where('status', '=', 'prepared')
      .execute();
    const pendingOf = new Map(pend.map((p) => [p.dedupe_key, int(p.id)]));
    for (const r of rows) {
      const c = {
        id: int(r.id),
        accidentDate: r.accident_date,
        reportedDate: r.reported_date,
        reporterKind: r.reporter_kind,
        acceptedDate: r.accepted_date,
        simpleCase: r.simple_case,
        decidedDate: r.decided_date,
        deliveredDate: r.delivered_date,
        status: r.status,
      };
      const ap = appraisals.filter((a) => int(a.case_id) === c.id).at(-1) ?? null;
      const { list } = deadlineList(
        c,
        suspensions.filter((s) => int(s.case_id) === c.id),
        ap,
        t,
        calendarFrom(this.ctx.params),
      );
      // the next limit that binds the case (a non-simple case showed the 15-day simple-case date, long past)
      const open = list.filter(
        (d) => !d.party && d.doneOn === null && d.date !== null && deadlineApplies(d.key, c.simpleCase),
      );
      const next = open.sort((a, b2) => ((a.date ?? '') < (b2.date ?? '') ? -1 : 1))[0];
      const overdue = list.some((d) => d.overdue);
      if (q.overdue === true && !overdue) continue;
      items.push({
        id: c.id,
        personName: r.person_name,
        employerName: r.employer_name,
        kind: r.kind,
        accidentDate: r.accident_date,
        status: r.status,
        reportedDate: r.reported_date,
        lateDays: r.late_days,
        employerInsured: r.employer_insured,
        nextDeadline: next?.date ?? null,
        nextDeadlineKey: next?.key ?? null,
        overdue,
        pendingApprovalId: pendingOf.get(`case:${c.id}`) ?? null,
      });
    }
    const start = (q.page - 1) * q.pageSize;
    return {
      items: items.slice(start, start + q.pageSize),
      total: items.length,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  // ---- documents ----

  async upload(
    actor: Actor,
    caseId: number,
    input: {
      kind: InjuryDocumentKind;
      filename: string;
      mediaType?: string | undefined;
      contentBase64: string;
    },
  ): Promise<{ id: number; sha256: string; mediaType: string; sizeBytes: number; created: boolean }> {
    const c = await this.loadFor(actor, caseId, 'injury.report');
    if (c.status === 'withdrawn') throw conflict('案件已撤回', 'the case is withdrawn');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.contentBase64) || input.contentBase64.length % 4 !== 0)
      throw bad('contentBase64', '文件内容应为 base64 编码', 'the content must be base64');
    const bytes = Buffer.from(input.contentBase64, 'base64');
    if (bytes.length === 0) throw bad('contentBase64', '文件为空', 'the file is empty');
    if (bytes.length > MAX_DOCUMENT_BYTES)
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'contentBase64',
        zh: '文件不得超过 1 MB',
        en: 'files may be at most 1 MB',
      });
    const real = sniffMediaType(bytes);
    const ext = input.filename.toLowerCase().split('.').pop() ?? '';
    if (
      real === null ||
      (input.mediaType !== undefined && input.mediaType !== real) ||
      !(EXT[real] ?? []).includes(ext)
    )
      throw new SbError('SB_ERR_UNSUPPORTED_FILE', { field: 'contentBase64' });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('injury_blob')
        .values({ sha256, media_type: real, size_bytes: bytes.length, content: bytes })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
      const ins = await tx
        .insertInto('injury_document')
        .values({
          case_id: c.id,
          sha256,
          kind: input.kind,
          filename: input.filename,
          uploaded_by: actor.username,
        })
        .onConflict((oc) => oc.columns(['case_id', 'sha256']).doNothing())
        .returning('id')
        .executeTakeFirst();
      const id =
        ins?.id ??
        (
          await tx
            .selectFrom('injury_document')
            .select('id')
            .where('case_id', '=', c.id)
            .where('sha256', '=', sha256)
            .executeTakeFirstOrThrow()
        ).id;
      if (ins)
        await appendAudit(tx, actor, {
          action: 'injury.document',
          entityType: 'injury_case',
          entityId: c.id,
          region: c.regionCode,
          subjectPersonId: c.personId,
          after: { documentId: id, kind: input.kind, sha256, size: bytes.length, mediaType: real },
        });
      return { id: int(id), sha256, mediaType: real, sizeBytes: bytes.length, created: ins !== undefined };
    });
  }

  async documentContent(
    actor: Actor,
    caseId: number,
    docId: number,
  ): Promise<{ mediaType: string; content: Buffer; filename: string }> {
    const c = await this.loadFor(actor, caseId, 'injury.read');
    const d = await this.db
      .selectFrom('injury_document as d')
      .innerJoin('injury_blob as b', 'b.sha256', 'd.sha256')
      .select(['b.media_type', 'b.content', 'd.filename'])
      .where('d.id', '=', docId)
      .where('d.case_id', '=', c.id)
      .executeTakeFirst();
    if (!d) throw new SbError('SB_ERR_NOT_FOUND', { field: 'docId' });
    return { mediaType: d.media_type, content: Buffer.from(d.content), filename: d.filename };
  }

  // ---- acceptance, suspension, recognition ----

  private async move(
    actor: Actor,
    c: InjuryCaseRow,
    to: InjuryCaseRow['status'],
    kind: InjuryCaseStep,
    note: string | null,
    set: Record<string, unknown>,
    hall: {
      service: string;
      status: 'accepted' | 'completed' | 'rejected' | 'withdrawn' | 'returned';
      note: Note;
    } | null,
    extra?: (tx: Db) => Promise<void>,
  ): Promise<CaseView> {
    await this.db.transaction().execute(async (tx) => {
      const ok = await moveCase(
        tx,
        { id: c.id, version: c.version, from: c.status },
        to,
        kind,
        actor.username,
        note,
        set,
      );
      if (!ok) throw conflict('案件状态已变化，请刷新', 'the case changed meanwhile; reload it');
      if (extra) await extra(tx);
      if (hall) await caseStatusEvent(tx, actor, c, hall.service, hall.status, hall.note);
      await appendAudit(tx, actor, {
        action: `injury.${kind}`,
        entityType: 'injury_case',
        entityId: c.id,
        region: c.regionCode,
        subjectPersonId: c.personId,
        before: { status: c.status },
        after: { status: to, ...set },
        reason: note,
      });
    });
    return this.view(actor, await this.load(c.id));
  }

  async accept(
    actor: Actor,
    id: number,
    input: { simpleCase?: boolean | undefined } = {},
  ): Promise<CaseView> {
    const c = await this.loadFor(actor, id, 'injury.handle');
    if (c.status !== 'reported')
      throw conflict('只有已报告的案件可以受理', 'only a reported case can be accepted');
    return this.move(
      actor,
      c,
      'accepted',
      'accept',
      null,
      { accepted_date: today(), simple_case: input.simpleCase === true },
      {
        service: RECOGNITION_SERVICE,
        status: 'accepted',
        note: { zh: '工伤认定申请已受理', en: 'work-injury recognition accepted' },
      },
    );
  }

  async suspend(actor: Actor, id: number, reason: string): Promise<CaseView> {
    const c = await this.loadFor(actor, id, 'injury.handle');
    if (c.status !== 'accepted')
      throw conflict('只有已受理的案件可以中止', 'only an accepted case can be suspended');
    if (await new ApprovalService(this.db).openId('injury-recognition', `case:${c.id}`))
      throw conflict('认定决定待复核，不能中止', 'a decision is waiting for the reviewer');
    return this.move(actor, c, 'suspended', 'suspend', reason, {}, null, async (tx) => {
      await tx
        .insertInto('injury_case_suspension')
        .values({ case_id: c.id, from_date: today(), reason, created_by: actor.username })
        .execute();
    });
  }

  async resume(actor: Actor, id: number): Promise<CaseView> {
    const c = await this.loadFor(actor, id, 'injury.handle');
    if (c.status !== 'suspended') throw conflict('案件未中止', 'the case is not suspended');
    return this.move(actor, c, 'accepted', 'resume', null, {}, null, async (tx) => {
      await tx
        .updateTable('injury_case_suspension')
        .set({ to_date: today() })
        .where('case_id', '=', c.id)
        .where('to_date', 'is', null)
        .execute();
    });
  }

  /** The clerk proposes the decision; a reviewer releases it (src/approval), which decides the case. */
  async propose(
    actor: Actor,
    id: number,
    input: { outcome: 'recognised' | 'not_recognised'; note: string },
  ): Promise<ApprovalView> {
    const c = await this.loadFor(actor, id, 'injury.handle');
    if (c.status !== 'accepted')
      throw conflict('只有已受理的案件可以作出认定', 'only an accepted case can be decided');
    // The approval first: a second proposal while one waits (a double click, another clerk) is refused
    // before it writes anything. Written first, its outcome and note replaced the waiting one's on the
    // case, so the reviewer read one outcome on the case and released the other.
    const approval = await new ApprovalService(this.db).prepare(actor, {
      kind: 'injury-recognition',
      dedupeKey: `case:${c.id}`,
      region: c.regionCode.trim(),
      subjectPersonId: c.personId,
      payload: { caseId: c.id, outcome: input.outcome, note: input.note },
      summary: { caseId: c.id, outcome: input.outcome },
    });
    await this.db
      .updateTable('injury_case')
      .set({ proposed_outcome: input.outcome, proposed_by: actor.username, decision_note: input.note })
      .where('id', '=', c.id)
      .execute();
    return approval;
  }

  /** Runs a released recognition: the case is decided, the letter is online (delivered the same day). */
  async decide(
    maker: Actor,
    approvalId: number,
    payload: { caseId: number; outcome: 'recognised' | 'not_recognised'; note: string },
  ) {
    const c = await this.load(payload.caseId);
    authorize(maker, 'injury.handle', targetOf(c));
    if (c.status !== 'accepted')
      throw conflict('案件已不在待认定状态', 'the case is no longer waiting for a decision');
    const checker = await checkerOf(this.db, approvalId);
    const day = today();
    const recognised = payload.outcome === 'recognised';
    await this.move(
      maker,
      c,
      payload.outcome,
      recognised ? 'recognise' : 'not-recognise',
      payload.note,
      {
        decided_date: day,
        delivered_date: day,
        decided_by: maker.username,
        reviewed_by: checker,
        decided_at: new Date().toISOString(),
        decision_note: payload.note,
      },
      {
        service: RECOGNITION_SERVICE,
        // The decision ends the application (appraisal and benefits are applications of their own):
        // reported as approved it stayed open in the staff's work queue long after it was delivered.
        status: recognised ? 'completed' : 'rejected',
        note: recognised
          ? {
              zh: '认定为工伤，认定决定书已在线送达',
              en: 'recognised as a work injury; the decision was delivered online',
            }
          : {
              zh: '不予认定工伤，认定决定书已在线送达',
              en: 'not recognised as a work injury; the decision was delivered online',
            },
      },
    );
    // A recognised case is screened for rehabilitation at once (rehab.rules.ts).
    if (recognised)
      await this.db.transaction().execute((tx) => new RehabService(tx).screenAtRecognition(maker, c.id));
    return { caseId: c.id, status: payload.outcome, decidedDate: day };
  }

  async withdraw(actor: Actor, id: number, reason: string): Promise<CaseView> {
    const c = await this.loadFor(actor, id, 'injury.report');
    if (!['reported', 'accepted', 'suspended'].includes(c.status))
      throw conflict('已作出决定的案件不能撤回', 'a decided case cannot be withdrawn');
    if (await new ApprovalService(this.db).openId('injury-recognition', `case:${c.id}`))
      throw conflict('认定决定待复核，不能撤回', 'a decision is waiting for the reviewer');
    return this.move(
      actor,
      c,
      'withdrawn',
      'withdraw',
      reason,
      {},
      {
        service: RECOGNITION_SERVICE,
        status: 'withdrawn',
        note: { zh: '申请已撤回', en: 'application withdrawn' },
      },
    );
  }

  /** The decision letter (认定工伤决定书 / 不予认定工伤决定书), for the worker, the employer and the agency. */
  async letter(
    actor: Actor,
    id: number,
  ): Promise<{ number: string; title: string; paragraphs: string[]; decidedDate: string; issuer: string }> {
    const c = await this.loadFor(actor, id, 'injury.read');
    if (c.status !== 'recognised' && c.status !== 'not_recognised')
      throw new SbError('SB_ERR_NOT_FOUND', { zh: '尚未作出认定决定', en: 'no decision yet' });
    const v = await this.view(actor, c);
    const recognised = c.status === 'recognised';
    const title = recognised ? '认定工伤决定书' : '不予认定工伤决定书';
    const d = computeInjuryDeadlines(
      { deliveredDate: c.deliveredDate ?? c.decidedDate ?? today() },
      calendarFrom(this.ctx.params),
    );
    return {
      number: `工伤认字〔${(c.decidedDate ?? '').slice(0, 4)}〕${c.regionCode.trim()}-${String(c.id).padStart(6, '0')}号`,
      title,
      decidedDate: c.decidedDate ?? '',
      // the office by name and the days in words: the letter said （341800） and 2027-02-02
      issuer: `${regionName(c.regionCode.trim())}社会保险行政部门`,
      paragraphs: [
        `申请人：${v.reporterKind === 'employer' ? v.employerName : v.personName}`,
        `职工：${v.personName}，用人单位：${v.employerName}`,
        `${dateInWords(c.accidentDate, 'zh')}，${c.description}`,
        recognised
          ? `经调查核实，根据《工伤保险条例》第十四条的规定，${v.personName}受到的伤害${c.kind === 'occupational_disease' ? '（职业病）' : ''}属于工伤，予以认定为工伤。`
          : `经调查核实，${v.personName}受到的伤害不符合《工伤保险条例》第十四条、第十五条认定工伤或视同工伤的情形，决定不予认定为工伤。`,
        c.decisionNote ? `认定意见：${c.decisionNote}` : '',
        c.lateDays > 0
          ? `用人单位逾期${c.lateDays}日提出申请，逾期期间发生的工伤待遇等有关费用由用人单位负担（条例第十七条）。`
          : '',
        `如对本决定不服，可自收到本决定书之日起60日内申请行政复议（至${dateInWords(d.reconsiderationDeadline ?? '', 'zh')}），或者6个月内提起行政诉讼（至${dateInWords(d.litigationDeadline ?? '', 'zh')}）。`,
      ].filter((p) => p !== ''),
    };
  }

  // ---- appraisal ----

  async openAppraisal(
    actor: Actor,
    id: number,
    input: { kind: 'initial' | 'reappraisal' | 'review'; receivedDate: string },
  ): Promise<CaseView> {
    const c = await this.loadFor(actor, id, 'injury.handle');
    if (c.status !== 'recognised')
      throw conflict('只有认定为工伤的案件可以申请劳动能力鉴定', 'only a recognised case can be appraised');
    if (input.receivedDate > today())
      throw bad('receivedDate', '收到申请日期不能晚于今天', 'the date may not be in the future');
    const last = await this.latestAppraisal(c.id);
    if (last?.status === 'pending') throw conflict('已有进行中的鉴定', 'an appraisal is already in progress');
    if (input.kind === 'initial' && last)
      throw conflict('已作过初次鉴定', 'the initial appraisal was already made');
    if (input.kind !== 'initial') {
      if (!last?.conclusion_date) throw conflict('尚无鉴定结论', 'there is no conclusion yet');
      const d = computeInjuryDeadlines(
        { conclusionReceivedDate: last.conclusion_date, conclusionDate: last.conclusion_date },
        calendarFrom(this.ctx.params),
      );
      if (
        input.kind === 'reappraisal' &&
        (last.kind !== 'initial' || input.receivedDate > (d.reappraisalDeadline ?? ''))
      )
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'receivedDate',
          zh: `再次鉴定须在收到结论15日内申请（至${dateInWords(d.reappraisalDeadline ?? '', 'zh')}），且再次鉴定为最终结论`,
          en: `a re-appraisal must be asked for within 15 days (by ${dateInWords(d.reappraisalDeadline ?? '', 'en')}) and is final`,
        });
      if (input.kind === 'review' && input.receivedDate < addYears(last.conclusion_date, 1))
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'receivedDate',
          zh: `复查鉴定须在结论作出1年后申请（自${dateInWords(d.reviewEarliestDate ?? '', 'zh')}起）`,
          en: `a review may be asked for from ${dateInWords(d.reviewEarliestDate ?? '', 'en')}`,
        });
    }
    await this.db.transaction().execute(async (tx) => {
      const a = await tx
        .insertInto('injury_appraisal')
        .values({
          case_id: c.id,
          kind: input.kind,
          received_date: input.receivedDate,
          recorded_by: actor.username,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('injury_case_event')
        .values({
          case_id: c.id,
          from_status: c.status,
          to_status: c.status,
          kind: `appraisal-${input.kind}`,
          note: null,
          actor: actor.username,
        })
        .execute();
      await caseStatusEvent(tx, actor, c, APPRAISAL_SERVICE, 'accepted', {
        zh: '劳动能力鉴定申请已受理',
        en: 'work-capacity assessment accepted',
      });
      await appendAudit(tx, actor, {
        action: 'injury.appraisal.open',
        entityType: 'injury_appraisal',
        entityId: a.id,
        region: c.regionCode,
        subjectPersonId: c.personId,
        after: input,
      });
    });
    return this.view(actor, await this.load(c.id));
  }

  async concludeAppraisal(
    actor: Actor,
    id: number,
    appraisalId: number,
    input: { conclusionDate: string; grade: number | null; nursingLevel: NursingLevel },
  ): Promise<CaseView> {
    const c = await this.loadFor(actor, id, 'injury.handle');
    const a = await this.db
      .selectFrom('injury_appraisal')
      .selectAll()
      .where('id', '=', appraisalId)
      .where('case_id', '=', c.id)
      .executeTakeFirst();
    if (!a) throw new SbError('SB_ERR_NOT_FOUND', { field: 'appraisalId' });
    if (a.status !== 'pending') throw conflict('该鉴定已有结论', 'the appraisal is already concluded');
    if (input.conclusionDate < a.received_date || input.conclusionDate > today())
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'conclusionDate',
        zh: '结论日期应在收到申请之后、今天之前',
        en: 'between the application and today',
      });
    await this.db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('injury_appraisal')
        .set({
          status: 'concluded',
          conclusion_date: input.conclusionDate,
          grade: input.grade,
          nursing_level: input.nursingLevel,
        })
        .where('id', '=', appraisalId)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1)
        throw conflict('该鉴定已有结论', 'the appraisal is already concluded');
      const note = `劳动能力鉴定结论：${input.grade === null ? '未达级' : `伤残${input.grade}级`}，${NURSING_ZH[input.nursingLevel]}`;
      await tx
        .insertInto('injury_case_event')
        .values({
          case_id: c.id,
          from_status: c.status,
          to_status: c.status,
          kind: 'appraisal-concluded',
          note,
          actor: actor.username,
        })
        .execute();
      await caseStatusEvent(tx, actor, c, APPRAISAL_SERVICE, 'completed', {
        zh: note,
        en: `work-capacity assessment: ${input.grade === null ? 'below the disability grades' : `disability grade ${input.grade}`}, ${NURSING_EN[input.nursingLevel]}`,
      });
      await appendAudit(tx, actor, {
        action: 'injury.appraisal.conclude',
        entityType: 'injury_appraisal',
        entityId: appraisalId,
        region: c.regionCode,
        subjectPersonId: c.personId,
        before: { status: 'pending' },
        after: input,
      });
    });
    return this.view(actor, await this.load(c.id));
  }

  // ---- benefits ----

  /** Computes a benefit with the rules and prepares it for a reviewer (the money moves on release). */
  async proposeBenefit(
    actor: Actor,
    id: number,
    input: BenefitProposal,
  ): Promise<ApprovalView & { benefit: ComputedBenefit }> {
    const c = await this.loadFor(actor, id, 'injury.handle');
    const benefit = await this.computeBenefit(c, input);
    const approval = await new ApprovalService(this.db).prepare(actor, {
      kind: 'injury-benefit',
      dedupeKey: `case:${c.id}:${input.kind}`,
      region: c.regionCode.trim(),
      subjectPersonId: c.personId,
      payload: benefit,
      summary: {
        caseId: c.id,
        kind: benefit.kind,
        payer: benefit.payer,
        amountFen: benefit.amountFen,
        monthly: benefit.monthly,
        advanced: benefit.advanced,
      },
    });
    return { ...approval, benefit };
  }

  async computeBenefit(c: InjuryCaseRow, input: BenefitProposal): Promise<ComputedBenefit> {
    if (c.status !== 'recognised')
      throw conflict('只有认定为工伤的案件可以核定待遇', 'only a recognised case has benefits');
    // the dates a clerk types are bounded by the server's day and the case: none after today, no
    // death before the accident (a future death otherwise priced a funeral grant and a pension)
    const on = today();
    if (
      input.deathDate !== undefined &&
      (parseDate(input.deathDate, 'deathDate') > on || input.deathDate < c.accidentDate)
    )
      throw bad(
        'deathDate',
        '死亡日期应在事故日期之后、不晚于今天',
        'the date of death must fall between the accident and today',
      );
    if (input.relationEndedDate !== undefined && parseDate(input.relationEndedDate, 'relationEndedDate') > on)
      throw bad(
        'relationEndedDate',
        '劳动关系终止日期不能晚于今天',
        'the date the employment ended may not be in the future',
      );
    const existing = await this.db
      .selectFrom('injury_benefit')
      .select('id')
      .where('case_id', '=', c.id)
      .where('kind', '=', input.kind)
      .where('status', '<>', 'stopped')
      .executeTakeFirst();
    if (existing)
      throw new SbError('SB_ERR_DUPLICATE', {
        field: 'kind',
        zh: '该待遇已核定',
        en: 'this benefit is already decided',
      });
    const appraisal = await this.db
      .selectFrom('injury_appraisal')
      .selectAll()
      .where('case_id', '=', c.id)
      .where('status', '=', 'concluded')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const day = appraisal?.conclusion_date ?? today();
    const region = c.regionCode.trim();
    const avgParam = this.ctx.params.tryResolve<number>('contributions/average-wage', region, day);
    const regionalAverageWageFen =
      input.regionalAverageWageFen ?? (avgParam && avgParam.value !== null ? fen(avgParam.value) : undefined);
    if (regionalAverageWageFen === undefined)
      throw new SbError('SB_ERR_PARAMETER_MISSING', {
        field: 'regionalAverageWageFen',
        zh: '本统筹地区无社会平均工资参数，请填写',
        en: 'no average wage for the case’s region; enter it',
      });
    const minParam = this.ctx.params.tryResolve<number>('unemployment/minimum-wage', region, day);
    const minimumWageFen = minParam && minParam.value !== null ? fen(minParam.value) : undefined;
    const wage = await this.db
      .selectFrom('employment')
      .select('monthly_wage_fen')
      .where('person_id', '=', c.personId)
      .where('employer_id', '=', c.employerId)
      .where('start_date', '<=', c.accidentDate)
      .orderBy('start_date', 'desc')
      .executeTakeFirst();
    const averageMonthlyWageFen = fen(wage?.monthly_wage_fen ?? regionalAverageWageFen);
    const trace = new Trace();
    const insured = c.employerInsured;
    if (!insured)
      trace.add(
        'employer not insured on the accident date: the employer owes every item (条例 Art. 62)',
        null,
        '用人单位未参加工伤保险：由用人单位按标准支付全部待遇',
      );
    const base = {
      caseId: c.id,
      kind: input.kind,
      advanced: false,
      appraisalId: appraisal ? int(appraisal.id) : null,
    };
    const inputs: Record<string, unknown> = {
      averageMonthlyWageFen,
      regionalAverageWageFen,
      minimumWageFen,
      employerInsured: insured,
    };
    const nextPeriod = addPeriods(periodOf(day), 1);
    // Parameters in yuan are loaded as fen (unit: yuan). The fund’s items for an insured worker; an uninsured employer owes them (the fund may advance lump sums).
    const fundOr = (advanceable: boolean): { payer: 'fund' | 'employer'; advanced: boolean } => {
      if (insured) return { payer: 'fund', advanced: false };
      if (input.advance === true && advanceable) {
        trace.add(
          'the fund pays first and recovers from the employer (先行支付, 社会保险法 Art. 41)',
          null,
          '工伤保险基金先行支付，并向用人单位追偿',
        );
        return { payer: 'employer', advanced: true };
      }
      return { payer: 'employer', advanced: false };
    };
    const needGrade = (): number => {
      if (!appraisal || appraisal.grade === null)
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          zh: '无伤残等级鉴定结论',
          en: 'no disability grade concluded',
        });
      return appraisal.grade;
    };
    switch (input.kind) {
      case 'disability_lump_sum':
      case 'disability_allowance': {
        const grade = needGrade();
        const r = assessInjuryDisability(
          {
            grade,
            averageMonthlyWageFen,
            regionalAverageWageFen: fen(regionalAverageWageFen),
            minimumWageFen,
            appraisalDate: day,
          },
          this.ctx.params,
          trace,
        );
        if (input.kind === 'disability_lump_sum')
          return {
            ...base,
            ...fundOr(true),
            monthly: false,
            amountFen: r.lumpSumFen,
            fromPeriod: null,
            inputs: { ...inputs, grade },
            trace: trace.steps,
          };
        if (r.allowancePayer === null)
          throw new SbError('SB_ERR_NOT_ELIGIBLE', {
            zh: `${grade}级无伤残津贴`,
            en: `grade ${grade} has no monthly allowance`,
          });
        const payer =
          r.allowancePayer === 'employer' ? { payer: 'employer' as const, advanced: false } : fundOr(false);
        return {
          ...base,
          ...payer,
          monthly: true,
          amountFen: r.monthlyAllowanceFen,
          fromPeriod: nextPeriod,
          inputs: { ...inputs, grade },
          trace: trace.steps,
        };
      }
      case 'nursing_allowance': {
        const level = appraisal?.nursing_level ?? 'none';
        if (level === 'none')
          throw new SbError('SB_ERR_NOT_ELIGIBLE', {
            zh: '鉴定结论无生活护理依赖',
            en: 'no nursing dependency concluded',
          });
        const amount = nursingAllowance(
          { dependency: level, regionalAverageWageFen, date: day },
          this.ctx.params,
          trace,
        );
        return {
          ...base,
          ...fundOr(false),
          monthly: true,
          amountFen: amount,
          fromPeriod: nextPeriod,
          inputs: { ...inputs, nursingLevel: level },
          trace: trace.steps,
        };
      }
      case 'medical_subsidy':
      case 'employment_subsidy': {
        const grade = needGrade();
        if (grade < 5)
          throw new SbError('SB_ERR_NOT_ELIGIBLE', {
            zh: '1至4级保留劳动关系，无一次性补助金',
            en: 'grades 1–4 keep the relation; no one-off subsidy',
          });
        if (!input.relationEndedDate)
          throw bad('relationEndedDate', '请填写劳动关系终止日期', 'the date the relation ended is needed');
        if (input.amountFen === undefined || !Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
          throw bad('amountFen', '请按省定标准填写金额（分）', 'enter the provincial amount in fen');
        const medical = input.kind === 'medical_subsidy';
        trace.add(
          `${medical ? 'one-off injury medical subsidy (fund)' : 'one-off disability employment subsidy (employer)'}: provincial amount entered by the clerk, relation ended ${input.relationEndedDate}`,
          input.amountFen,
          `${medical ? '一次性工伤医疗补助金（基金支付）' : '一次性伤残就业补助金（用人单位支付）'}：按省定标准录入，劳动关系于${input.relationEndedDate}终止`,
        );
        const payer = medical ? fundOr(true) : { payer: 'employer' as const, advanced: false };
        return {
          ...base,
          ...payer,
          monthly: false,
          amountFen: fen(input.amountFen),
          fromPeriod: null,
          inputs: { ...inputs, grade, relationEndedDate: input.relationEndedDate },
          trace: trace.steps,
        };
      }
      case 'funeral_grant':
      case 'death_grant':
      case 'dependents_pension': {
        if (!input.deathDate) throw bad('deathDate', '请填写死亡日期', 'the date of death is needed');
        const r = assessInjuryDeath(
          {
            deathDate: input.deathDate,
            averageMonthlyWageFen,
            regionalAverageWageFen: fen(regionalAverageWageFen),
            dependents: input.dependents ?? [],
          },
          this.ctx.params,
          trace,
        );
        const amount =
          input.kind === 'funeral_grant'
            ? r.funeralGrantFen
            : input.kind === 'death_grant'
              ? r.deathGrantFen
              : r.dependentsMonthlyFen;
        const monthly = input.kind === 'dependents_pension';
        if (amount <= 0) throw new SbError('SB_ERR_NOT_ELIGIBLE', { zh: '无应付金额', en: 'nothing is due' });
        return {
          ...base,
          ...fundOr(!monthly),
          monthly,
          amountFen: amount,
          fromPeriod: monthly ? addPeriods(periodOf(input.deathDate), 1) : null,
          inputs: { ...inputs, deathDate: input.deathDate, dependents: input.dependents ?? [] },
          trace: trace.steps,
        };
      }
    }
  }

  /** Runs a released benefit decision: recorded, the fund's lump sums paid and posted, advances recovered. */
  async decideBenefit(
    maker: Actor,
    approvalId: number,
    b: ComputedBenefit,
  ): Promise<{ benefitId: number; status: InjuryBenefitStatus; journalEntryId: number | null }> {
    const c = await this.load(b.caseId);
    authorize(maker, 'injury.handle', targetOf(c));
    const checker = (await checkerOf(this.db, approvalId)) ?? 'system';
    const day = today();
    const fundPays = b.payer === 'fund' || b.advanced;
    const status: InjuryBenefitStatus = !fundPays ? 'owed_by_employer' : b.monthly ? 'decided' : 'paid';
    return this.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('injury_benefit')
        .values({
          case_id: c.id,
          person_id: c.personId,
          employer_id: c.employerId,
          region_code: c.regionCode,
          kind: b.kind,
          payer: b.payer,
          advanced: b.advanced,
          monthly: b.monthly,
          amount_fen: b.amountFen,
          from_period: b.fromPeriod,
          status,
          appraisal_id: b.appraisalId,
          approval_id: approvalId,
          inputs: JSON.stringify(b.inputs),
          trace: JSON.stringify(b.trace),
          proposed_by: maker.username,
          reviewed_by: checker,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      let entryId: number | null = null;
      if (fundPays && !b.monthly) {
        const posted = await postEntryForRecord(
          tx,
          maker,
          { table: 'injury_benefit', id: row.id },
          {
            fund: 'injury',
            region: c.regionCode.trim(),
            period: periodOf(day),
            entryDate: day,
            kind: 'injury_benefit',
            description: `工伤待遇 ${KIND_ZH[b.kind]} 案件${c.id} / work-injury benefit ${b.kind} case ${c.id}`,
            idempotencyKey: `injury-benefit:${row.id}`,
            lines: [
              { account: ACCOUNTS.benefitExpenditure, debitFen: b.amountFen },
              { account: ACCOUNTS.bank, creditFen: b.amountFen },
            ],
          },
        );
        entryId = posted.entryId;
      }
      if (b.advanced) {
        const rec = await tx
          .insertInto('injury_recovery')
          .values({
            case_id: c.id,
            benefit_id: row.id,
            employer_id: c.employerId,
            region_code: c.regionCode,
            amount_fen: b.amountFen,
            notice_date: day,
            pay_by_date: addWorkingDays(day, 5, calendarFrom(this.ctx.params)),
            created_by: maker.username,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await postEntryForRecord(
          tx,
          maker,
          { table: 'injury_recovery', id: rec.id },
          {
            fund: 'injury',
            region: c.regionCode.trim(),
            period: periodOf(day),
            entryDate: day,
            kind: 'injury_advance_recovery',
            description: `先行支付追偿 案件${c.id} / advance to recover from the employer (case ${c.id})`,
            idempotencyKey: `injury-recovery:${rec.id}`,
            lines: [
              { account: ACCOUNTS.overpaymentsReceivable, debitFen: b.amountFen },
              { account: ACCOUNTS.benefitExpenditure, creditFen: b.amountFen },
            ],
          },
        );
      }
      await tx
        .insertInto('injury_case_event')
        .values({
          case_id: c.id,
          from_status: c.status,
          to_status: c.status,
          kind: `benefit-${b.kind}`,
          note: `${KIND_ZH[b.kind]} ${b.amountFen}分${b.monthly ? '/月' : ''}（${b.payer === 'fund' ? '工伤保险基金' : b.advanced ? '基金先行支付，向用人单位追偿' : '用人单位支付'}）`,
          actor: maker.username,
        })
        .execute();
      await appendAudit(tx, maker, {
        action: 'injury.benefit.decide',
        entityType: 'injury_benefit',
        entityId: row.id,
        region: c.regionCode,
        subjectPersonId: c.personId,
        after: {
          kind: b.kind,
          payer: b.payer,
          advanced: b.advanced,
          amountFen: b.amountFen,
          monthly: b.monthly,
          status,
          reviewer: checker,
        },
      });
      return { benefitId: int(row.id), status, journalEntryId: entryId };
    });
  }

  /** What an employer owes its injured workers (grade 5–6 allowances, employment subsidies, everything when uninsured) and the fund's open advances. */
  async owed(actor: Actor): Promise<{
    items: Array<{
      caseId: number;
      benefitId: number;
      personName: string;
      kind: InjuryBenefitKind;
      monthly: boolean;
      amountFen: number;
      fromPeriod: string | null;
      advanced: boolean;
      recoveryOpenFen: number;
    }>;
    lumpSumFen: number;
    monthlyFen: number;
    recoveryOpenFen: number;
  }> {
    authorize(actor, 'injury.owed');
    const rows = await this.db
      .selectFrom('injury_benefit as b')
      .innerJoin('person as p', 'p.id', 'b.person_id')
      .leftJoin('injury_recovery as r', 'r.benefit_id', 'b.id')
      .select([
        'b.id',
        'b.case_id',
        'p.name',
        'b.kind',
        'b.monthly',
        'b.amount_fen',
        'b.from_period',
        'b.advanced',
        'r.amount_fen as rec_amount',
        'r.recovered_fen',
        'r.status as rec_status',
      ])
      .where('b.employer_id', '=', actor.employerId ?? -1)
      .where('b.payer', '=', 'employer')
      .where('b.status', '<>', 'stopped')
      .orderBy('b.id')
      .execute();
    const items = rows.map((r) => ({
      caseId: int(r.case_id),
      benefitId: int(r.id),
      personName: r.name,
      kind: r.kind,
      monthly: r.monthly,
      amountFen: int(r.amount_fen),
      fromPeriod: r.from_period,
      advanced: r.advanced,
      recoveryOpenFen: r.rec_status === 'open' ? int(r.rec_amount) - int(r.recovered_fen) : 0,
    }));
    return {
      items,
      lumpSumFen: items.filter((i) => !i.monthly && !i.advanced).reduce((s, i) => s + i.amountFen, 0),
      monthlyFen: items.filter((i) => i.monthly).reduce((s, i) => s + i.amountFen, 0),
      recoveryOpenFen: items.reduce((s, i) => s + i.recoveryOpenFen, 0),
    };
  }

  /** Injuries by industry class and by employer in the staff member's region (recognised and all). */
  async statistics(
    actor: Actor,
    q: { year?: number | undefined },
  ): Promise<{
    byIndustry: Array<{ industryClass: number; cases: number; recognised: number }>;
    byEmployer: Array<{
      employerId: number;
      employerName: string;
      industryClass: number;
      cases: number;
      recognised: number;
    }>;
    total: number;
  }> {
    authorize(actor, 'injury.statistics');
    const region = actor.role === 'system' ? '' : (actor.region ?? '');
    const year = q.year;
    const where = sql`c.region_code LIKE ${regionLikePattern(region)} AND c.status <> 'withdrawn' ${year ? sql`AND extract(year FROM c.accident_date) = ${year}` : sql``}`;
    const ind = await sql<{ industry_class: number; cases: unknown; recognised: unknown }>`
      SELECT e.industry_class, count(*) AS cases, count(*) FILTER (WHERE c.status = 'recognised') AS recognised
      FROM injury_case c JOIN employer e ON e.id = c.employer_id WHERE ${where}
      GROUP BY e.industry_class ORDER BY e.industry_class`.execute(this.db);
    const emp = await sql<{
      id: number;
      name: string;
      industry_class: number;
      cases: unknown;
      recognised: unknown;
    }>`
      SELECT e.id, e.name, e.industry_class, count(*) AS cases, count(*) FILTER (WHERE c.status = 'recognised') AS recognised
      FROM injury_case c JOIN employer e ON e.id = c.employer_id WHERE ${where}
      GROUP BY e.id, e.name, e.industry_class ORDER BY count(*) DESC, e.id LIMIT 20`.execute(this.db);
    const byIndustry = ind.rows.map((r) => ({
      industryClass: int(r.industry_class),
      cases: int(r.cases),
      recognised: int(r.recognised),
    }));
    return {
      byIndustry,
      byEmployer: emp.rows.map((r) => ({
        employerId: int(r.id),
        employerName: r.name,
        industryClass: int(r.industry_class),
        cases: int(r.cases),
        recognised: int(r.recognised),
      })),
      total: byIndustry.reduce((s, r) => s + r.cases, 0),
    };
  }

  /** The approval kinds of the work-injury capability (assembled in src/approval-kinds.ts). */
  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'injury-recognition',
        checkAction: 'injury.recognise',
        execute: (maker, payload, approvalId) =>
          this.decide(
            maker,
            approvalId,
            payload as { caseId: number; outcome: 'recognised' | 'not_recognised'; note: string },
          ),
      },
      {
        kind: 'injury-benefit',
        checkAction: 'money.release',
        execute: (maker, payload, approvalId) =>
          this.decideBenefit(maker, approvalId, payload as ComputedBenefit),
      },
      {
        kind: 'injury-payroll',
        checkAction: 'money.release',
        resumable: true,
        background: true,
        execute: async (maker, payload) => {
          const p = payload as { period: string; region: string };
          authorize(maker, 'injury.payroll', { region: p.region });
          const { runInjuryPayroll } = await import('./injury-payroll.job.ts');
          return runInjuryPayroll(this.ctx.db, maker, p);
        },
      },
    ];
  }
}

const NURSING_ZH: Record<NursingLevel, string> = {
  none: '无生活护理依赖',
  partial: '部分护理依赖',
  mostly: '大部分护理依赖',
  wholly: '完全护理依赖',
};

const NURSING_EN: Record<NursingLevel, string> = {
  none: 'no nursing dependency',
  partial: 'partly dependent on nursing',
  mostly: 'mostly dependent on nursing',
  wholly: 'wholly dependent on nursing',
};

const KIND_ZH: Record<InjuryBenefitKind, string> = {
  disability_lump_sum: '一次性伤残补助金',
  disability_allowance: '伤残津贴',
  nursing_allowance: '生活护理费',
  medical_subsidy: '一次性工伤医疗补助金',
  employment_subsidy: '一次性伤残就业补助金',
  funeral_grant: '丧葬补助金',
  death_grant: '一次性工亡补助金',
  dependents_pension: '供养亲属抚恤金',
};

function appraisalView(a: {
  id: number;
  kind: 'initial' | 'reappraisal' | 'review';
  received_date: string;
  conclusion_date: string | null;
  grade: number | null;
  nursing_level: NursingLevel;
  status: 'pending' | 'concluded';
}): AppraisalView {
  return {
    id: int(a.id),
    kind: a.kind,
    receivedDate: a.received_date,
    conclusionDate: a.conclusion_date,
    grade: a.grade,
    nursingLevel: a.nursing_level,
    status: a.status,
  };
}

async function checkerOf(db: Db, approvalId: number): Promise<string | null> {
  const r = await db
    .selectFrom('approval')
    .select('checker_username')
    .where('id', '=', approvalId)
    .executeTakeFirst();
  return r?.checker_username ?? null;
}

/** Whether a deadline binds this case: the 15-day simple-case limit only a case accepted as simple, the extension never by itself. */
function deadlineApplies(key: string, simpleCase: boolean): boolean {
  return key === 'simpleCaseDeadline' ? simpleCase : key !== 'appraisalExtendedDeadline';
}

/** Every deadline of a case from its dates, with the day it was met and whether it is overdue on `on`. */
function deadlineList(
  c: {
    accidentDate: string;
    reportedDate: string;
    reporterKind: string;
    acceptedDate: string | null;
    simpleCase: boolean;
    decidedDate: string | null;
    deliveredDate: string | null;
    status: string;
  },
  suspensions: ReadonlyArray<{ from_date: string; to_date: string | null }>,
  appraisal: { received_date: string; conclusion_date: string | null; kind: string } | null,
  on: IsoDate,
  cal: HolidayCalendar,
): { rule: InjuryDeadlineResult; list: DeadlineView[] } {
  const rule = computeInjuryDeadlines(
    {
      accidentDate: c.accidentDate,
      reportedDate: c.reportedDate,
      reporterKind: c.reporterKind === 'employer' ? 'employer' : 'worker',
      receivedDate: c.reportedDate,
      acceptedDate: c.acceptedDate ?? undefined,
      suspensions: suspensions.map((s) =>
        s.to_date === null ? { from: s.from_date } : { from: s.from_date, to: s.to_date },
      ),
      decisionDate: c.decidedDate ?? undefined,
      deliveredDate: c.deliveredDate ?? undefined,
      appraisalReceivedDate: appraisal?.received_date,
      conclusionReceivedDate:
        appraisal?.kind === 'initial' ? (appraisal.conclusion_date ?? undefined) : undefined,
      conclusionDate: appraisal?.conclusion_date ?? undefined,
    },
    cal,
  );
  const closed = c.status === 'withdrawn';
  const accepted =
    c.acceptedDate ?? (c.status === 'not_recognised' || c.status === 'recognised' ? c.decidedDate : null);
  const done: Record<string, string | null> = {
    employerDeadline: c.reporterKind === 'employer' ? c.reportedDate : null,
    workerDeadline: c.reportedDate,
    acceptanceDeadline: accepted,
    decisionDeadline: c.decidedDate,
    simpleCaseDeadline: c.decidedDate,
    deliveryDeadline: c.deliveredDate,
    appraisalMaterialsDeadline: appraisal ? appraisal.received_date : null,
    appraisalDeadline: appraisal?.conclusion_date ?? null,
    appraisalExtendedDeadline: appraisal?.conclusion_date ?? null,
  };
  const list: DeadlineView[] = [];
  for (const [key, value] of Object.entries(rule)) {
    if (!key.endsWith('Deadline') && key !== 'reviewEarliestDate') continue;
    const date = (value as string | null) ?? null;
    const party = !DAY_LIMITS_BY_AGENCY.has(key) && key !== 'employerDeadline' && key !== 'workerDeadline';
    const doneOn = done[key] ?? null;
    const overdue =
      !closed &&
      !party &&
      deadlineApplies(key, c.simpleCase) &&
      date !== null &&
      (doneOn === null ? on > date : doneOn > date) &&
      // a suspended case's decision clock is stopped
      !(c.status === 'suspended' && (key === 'decisionDeadline' || key === 'simpleCaseDeadline')) &&
      // the employer's own window is shown as late days, and the worker's is the applicant's
      key !== 'employerDeadline' &&
      key !== 'workerDeadline' &&
      // the appraisal materials notice is met by the committee's acknowledgement, not tracked here
      key !== 'appraisalMaterialsDeadline';
    list.push({ key, date, doneOn, overdue, party });
  }
  return { rule, list };
}
