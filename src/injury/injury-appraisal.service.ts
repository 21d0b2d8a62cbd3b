// Work-capacity appraisals of a recognised case (劳动能力鉴定): the initial one, a re-appraisal within
// 15 days of its conclusion (once, final) and a review from a year after it, each on the clock of the
// `injury-deadline` rule; a conclusion gives the disability grade and nursing level benefits are
// decided on. Each step is a case event, an audit entry and a hall event (work-capacity-assessment).
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { addYears, dateInWords } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { calendarFrom } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import {
  appraisalOfCase,
  concludeAppraisal,
  insertAppraisal,
  latestAppraisal,
} from './injury-appraisal.repository.ts';
import { insertCaseEvent, insertCaseStatusEvent } from './injury-case.repository.ts';
import type { InjuryCaseService } from './injury-case.service.ts';
import { computeInjuryDeadlines } from './injury-deadline.rules.ts';
import { APPRAISAL_SERVICE, bad, conflict, NURSING_EN, NURSING_ZH, type CaseView } from './injury-support.ts';
import type { NursingLevel } from './injury.tables.ts';

export class InjuryAppraisalService {
  readonly db: Db;
  constructor(
    private readonly ctx: AppContext,
    private readonly cases: InjuryCaseService,
  ) {
    this.db = ctx.db;
  }

  async openAppraisal(
    actor: Actor,
    id: number,
    input: { kind: 'initial' | 'reappraisal' | 'review'; receivedDate: string },
  ): Promise<CaseView> {
    const c = await this.cases.loadFor(actor, id, 'injury.handle');
    if (c.status !== 'recognised')
      throw conflict('只有认定为工伤的案件可以申请劳动能力鉴定', 'only a recognised case can be appraised');
    if (input.receivedDate > today())
      throw bad('receivedDate', '收到申请日期不能晚于今天', 'the date may not be in the future');
    const last = await latestAppraisal(this.db, c.id);
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
      const appraisalId = await insertAppraisal(tx, {
        caseId: c.id,
        kind: input.kind,
        receivedDate: input.receivedDate,
        by: actor.username,
      });
      await insertCaseEvent(tx, {
        caseId: c.id,
        from: c.status,
        to: c.status,
        kind: `appraisal-${input.kind}`,
        note: null,
        actor: actor.username,
      });
      await insertCaseStatusEvent(tx, c, {
        service: APPRAISAL_SERVICE,
        status: 'accepted',
        actor: actor.username,
        note: { zh: '劳动能力鉴定申请已受理', en: 'work-capacity assessment accepted' },
      });
      await appendAudit(tx, actor, {
        action: 'injury.appraisal.open',
        entityType: 'injury_appraisal',
        entityId: appraisalId,
        region: c.regionCode,
        subjectPersonId: c.personId,
        after: input,
      });
    });
    return this.cases.view(actor, await this.cases.load(c.id));
  }

  async concludeAppraisal(
    actor: Actor,
    id: number,
    appraisalId: number,
    input: { conclusionDate: string; grade: number | null; nursingLevel: NursingLevel },
  ): Promise<CaseView> {
    const c = await this.cases.loadFor(actor, id, 'injury.handle');
    const a = await appraisalOfCase(this.db, c.id, appraisalId);
    if (!a) throw new SbError('SB_ERR_NOT_FOUND', { field: 'appraisalId' });
    if (a.status !== 'pending') throw conflict('该鉴定已有结论', 'the appraisal is already concluded');
    if (input.conclusionDate < a.received_date || input.conclusionDate > today())
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'conclusionDate',
        zh: '结论日期应在收到申请之后、今天之前',
        en: 'between the application and today',
      });
    await this.db.transaction().execute(async (tx) => {
      if (!(await concludeAppraisal(tx, appraisalId, input)))
        throw conflict('该鉴定已有结论', 'the appraisal is already concluded');
      const note = `劳动能力鉴定结论：${input.grade === null ? '未达级' : `伤残${input.grade}级`}，${NURSING_ZH[input.nursingLevel]}`;
      await insertCaseEvent(tx, {
        caseId: c.id,
        from: c.status,
        to: c.status,
        kind: 'appraisal-concluded',
        note,
        actor: actor.username,
      });
      await insertCaseStatusEvent(tx, c, {
        service: APPRAISAL_SERVICE,
        status: 'completed',
        actor: actor.username,
        note: {
          zh: note,
          en: `work-capacity assessment: ${input.grade === null ? 'below the disability grades' : `disability grade ${input.grade}`}, ${NURSING_EN[input.nursingLevel]}`,
        },
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
    return this.cases.view(actor, await this.cases.load(c.id));
  }
}
