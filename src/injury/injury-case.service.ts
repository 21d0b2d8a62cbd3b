// The work-injury case itself (issue 13): the employer's report or the worker's application, the case
// as each party may read it with every deadline from the `injury-deadline` rule, the agency's queue,
// the documents (stored by content hash, their type read from the bytes) and the region's statistics.
// Recognition, appraisal and benefits are services of their own over the same case.
import { createHash } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import { ApprovalService } from '../approval/approval.service.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { staffUsernameFor, type Actor } from '../auth/actor.ts';
import { authorize, foundInScope, permits } from '../auth/policy.ts';
import type { Note } from '../core/bilingual.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { checkIdNumber } from '../core/ids.ts';
import { calendarFrom } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import { int, isUniqueViolation } from '../db/values.ts';
import { appraisalsOf, latestAppraisal } from './injury-appraisal.repository.ts';
import { benefitsOf, recoveriesOf } from './injury-benefit.repository.ts';
import {
  caseCounts,
  caseListRows,
  caseNames,
  employmentOn,
  eventsOf,
  findInjuryCase,
  injuryInsuredOn,
  insertCase,
  insertCaseEvent,
  insertCaseStatusEvent,
  personByIdNumber,
  proposedOutcome,
  suspensionsOf,
  type InjuryCaseRow,
} from './injury-case.repository.ts';
import { computeInjuryDeadlines, type InjuryDeadlineResult } from './injury-deadline.rules.ts';
import { documentContent, documentsOf, storeDocument } from './injury-document.repository.ts';
import {
  appraisalView,
  bad,
  conflict,
  deadlineApplies,
  deadlineList,
  RECOGNITION_SERVICE,
  targetOf,
  type CaseListItem,
  type CaseView,
  type DeadlineView,
} from './injury-support.ts';
import type { InjuryDocumentKind, InjuryKind } from './injury.tables.ts';

const MAX_DOCUMENT_BYTES = 1024 * 1024;

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

export class InjuryCaseService {
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
    const person = await personByIdNumber(this.db, checked.normalized);
    // Same answer for an unknown person as for a person out of reach: nothing to learn by probing.
    if (!person) throw new SbError('SB_ERR_NOT_FOUND', { field: 'idNumber' });
    const accident = input.accidentDate;
    const reportedDate = today();
    if (accident > reportedDate)
      throw bad('accidentDate', '事故日期不能晚于今天', 'the accident date may not be in the future');
    const description = input.description.trim();
    if (description.length === 0) throw bad('description', '请描述事故经过', 'describe what happened');
    const employment = await employmentOn(
      this.db,
      person.id,
      accident,
      actor.role === 'employer' ? (actor.employerId ?? -1) : undefined,
    );
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
    const insured = await injuryInsuredOn(this.db, person.id, employment.employer_id, accident);
    const lateDays = reporterKind === 'employer' ? (d.employerLateDays ?? 0) : 0;
    const id = await this.db.transaction().execute(async (tx) => {
      let caseId: number;
      try {
        caseId = await insertCase(tx, {
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
          employer_insured: insured,
        });
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
      await insertCaseEvent(tx, {
        caseId,
        from: null,
        to: 'reported',
        kind: 'report',
        note: words.zh,
        actor: actor.username,
      });
      const c = {
        id: caseId,
        personId: person.id,
        employerId: employment.employer_id,
        regionCode: employment.region,
      };
      await insertCaseStatusEvent(tx, c, {
        service: RECOGNITION_SERVICE,
        status: 'submitted',
        actor: actor.username,
        note: words,
      });
      await appendAudit(tx, actor, {
        action: 'injury.report',
        entityType: 'injury_case',
        entityId: caseId,
        region: employment.region,
        subjectPersonId: person.id,
        after: { accidentDate: accident, reporterKind, lateDays, employerInsured: insured },
      });
      return caseId;
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
  async loadFor(actor: Actor, id: number, action: 'injury.read' | 'injury.report' | 'injury.handle') {
    return foundInScope(actor, action, (await findInjuryCase(this.db, id)) ?? undefined, targetOf);
  }

  async deadlinesOf(c: InjuryCaseRow): Promise<{ rule: InjuryDeadlineResult; list: DeadlineView[] }> {
    const suspensions = await suspensionsOf(this.db, [c.id]);
    const appraisal = await latestAppraisal(this.db, c.id);
    return deadlineList(c, suspensions, appraisal ?? null, today(), calendarFrom(this.ctx.params));
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
    const names = await caseNames(db, c);
    const { list } = await this.deadlinesOf(c);
    const [suspensions, documents, appraisals, benefits, recoveries, events, pending, proposal] =
      await Promise.all([
        suspensionsOf(db, [c.id]),
        documentsOf(db, c.id),
        appraisalsOf(db, [c.id]),
        benefitsOf(db, c.id),
        recoveriesOf(db, c.id),
        eventsOf(db, c.id),
        new ApprovalService(db).openId('injury-recognition', `case:${c.id}`),
        proposedOutcome(db, c.id),
      ]);
    return {
      id: c.id,
      personId: c.personId,
      personName: names.personName,
      employerId: c.employerId,
      employerName: names.employerName,
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
      proposedOutcome: pending === null ? null : proposal,
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
    const scope =
      actor.role === 'citizen'
        ? { personId: actor.personId ?? -1 }
        : actor.role === 'employer'
          ? { employerId: actor.employerId ?? -1 }
          : { region: actor.role === 'system' ? null : (actor.region ?? '') };
    const rows = await caseListRows(this.db, scope, q.status);
    const items: CaseListItem[] = [];
    const t = today();
    const ids = rows.map((r) => int(r.id));
    const suspensions = await suspensionsOf(this.db, ids);
    const appraisals = await appraisalsOf(this.db, ids);
    const pendingOf = await new ApprovalService(this.db).openIds('injury-recognition');
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
      const { id, created } = await storeDocument(tx, {
        caseId: c.id,
        sha256,
        mediaType: real,
        bytes,
        kind: input.kind,
        filename: input.filename,
        by: actor.username,
      });
      if (created)
        await appendAudit(tx, actor, {
          action: 'injury.document',
          entityType: 'injury_case',
          entityId: c.id,
          region: c.regionCode,
          subjectPersonId: c.personId,
          after: { documentId: id, kind: input.kind, sha256, size: bytes.length, mediaType: real },
        });
      return { id, sha256, mediaType: real, sizeBytes: bytes.length, created };
    });
  }

  async documentContent(
    actor: Actor,
    caseId: number,
    docId: number,
  ): Promise<{ mediaType: string; content: Buffer; filename: string }> {
    const c = await this.loadFor(actor, caseId, 'injury.read');
    const d = await documentContent(this.db, c.id, docId);
    if (!d) throw new SbError('SB_ERR_NOT_FOUND', { field: 'docId' });
    return { mediaType: d.media_type, content: Buffer.from(d.content), filename: d.filename };
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
    const { byIndustry, byEmployer } = await caseCounts(
      this.db,
      actor.role === 'system' ? '' : (actor.region ?? ''),
      q.year,
    );
    return { byIndustry, byEmployer, total: byIndustry.reduce((s, r) => s + r.cases, 0) };
  }
}
