// Recognition of a work injury (工伤认定): acceptance starts the clock, a suspension stops it, the clerk
// proposes the decision and a reviewer releases it (four eyes, src/approval), which decides the case
// and delivers the letter online the same day; the applicant may withdraw before. Every status change
// goes through `moveCase` with its event, its audit entry and the hall's `case.status` event.
import type { AppContext } from '../app-context.ts';
import { ApprovalService, type ApprovalView } from '../approval/approval.service.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import type { Note } from '../core/bilingual.ts';
import { today } from '../core/clock.ts';
import { dateInWords } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { regionName } from '../core/regions.ts';
import { calendarFrom } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import {
  closeSuspension,
  insertCaseStatusEvent,
  moveCase,
  openSuspension,
  recordProposal,
  type InjuryCaseRow,
} from './injury-case.repository.ts';
import type { InjuryCaseService } from './injury-case.service.ts';
import { computeInjuryDeadlines } from './injury-deadline.rules.ts';
import { conflict, RECOGNITION_SERVICE, targetOf, type CaseView } from './injury-support.ts';
import type { InjuryCaseStep } from './injury.audit-actions.ts';
import { RehabService } from './rehab.service.ts';

export interface RecognitionPayload {
  caseId: number;
  outcome: 'recognised' | 'not_recognised';
  note: string;
}

export class RecognitionService {
  readonly db: Db;
  constructor(
    private readonly ctx: AppContext,
    private readonly cases: InjuryCaseService,
  ) {
    this.db = ctx.db;
  }

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
      if (hall)
        await insertCaseStatusEvent(tx, c, {
          service: hall.service,
          status: hall.status,
          actor: actor.username,
          note: hall.note,
        });
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
    return this.cases.view(actor, await this.cases.load(c.id));
  }

  /** Whether a recognition of the case waits for the reviewer (the case may not move meanwhile). */
  private async pending(caseId: number): Promise<boolean> {
    return (await new ApprovalService(this.db).openId('injury-recognition', `case:${caseId}`)) !== null;
  }

  async accept(
    actor: Actor,
    id: number,
    input: { simpleCase?: boolean | undefined } = {},
  ): Promise<CaseView> {
    const c = await this.cases.loadFor(actor, id, 'injury.handle');
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
    const c = await this.cases.loadFor(actor, id, 'injury.handle');
    if (c.status !== 'accepted')
      throw conflict('只有已受理的案件可以中止', 'only an accepted case can be suspended');
    if (await this.pending(c.id))
      throw conflict('认定决定待复核，不能中止', 'a decision is waiting for the reviewer');
    return this.move(actor, c, 'suspended', 'suspend', reason, {}, null, (tx) =>
      openSuspension(tx, { caseId: c.id, fromDate: today(), reason, by: actor.username }),
    );
  }

  async resume(actor: Actor, id: number): Promise<CaseView> {
    const c = await this.cases.loadFor(actor, id, 'injury.handle');
    if (c.status !== 'suspended') throw conflict('案件未中止', 'the case is not suspended');
    return this.move(actor, c, 'accepted', 'resume', null, {}, null, (tx) =>
      closeSuspension(tx, c.id, today()),
    );
  }

  /** The clerk proposes the decision; a reviewer releases it (src/approval), which decides the case. */
  async propose(
    actor: Actor,
    id: number,
    input: { outcome: 'recognised' | 'not_recognised'; note: string },
  ): Promise<ApprovalView> {
    const c = await this.cases.loadFor(actor, id, 'injury.handle');
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
    await recordProposal(this.db, c.id, { outcome: input.outcome, by: actor.username, note: input.note });
    return approval;
  }

  /** Runs a released recognition: the case is decided, the letter is online (delivered the same day). */
  async decide(maker: Actor, approvalId: number, payload: RecognitionPayload) {
    const c = await this.cases.load(payload.caseId);
    authorize(maker, 'injury.handle', targetOf(c));
    if (c.status !== 'accepted')
      throw conflict('案件已不在待认定状态', 'the case is no longer waiting for a decision');
    const checker = await new ApprovalService(this.db).checkerUsername(approvalId);
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
    const c = await this.cases.loadFor(actor, id, 'injury.report');
    if (!['reported', 'accepted', 'suspended'].includes(c.status))
      throw conflict('已作出决定的案件不能撤回', 'a decided case cannot be withdrawn');
    if (await this.pending(c.id))
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

  async letter(
    actor: Actor,
    id: number,
  ): Promise<{ number: string; title: string; paragraphs: string[]; decidedDate: string; issuer: string }> {
    const c = await this.cases.loadFor(actor, id, 'injury.read');
    if (c.status !== 'recognised' && c.status !== 'not_recognised')
      throw new SbError('SB_ERR_NOT_FOUND', { zh: '尚未作出认定决定', en: 'no decision yet' });
    const v = await this.cases.view(actor, c);
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
}
