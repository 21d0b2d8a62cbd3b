// Benefits of a recognised case by grade (issue 13): the clerk computes one with the rules
// (injury-disability, injury-death, nursing-allowance) and a reviewer releases it (four eyes); on
// release a lump sum the fund owes is paid and posted (fund injury), a monthly one waits for the
// payroll, an employer's item is recorded as owed by it, and an uninsured employer's advanced lump sum
// opens a recovery against it. An employer reads what it owes.
import type { AppContext } from '../app-context.ts';
import { ApprovalService, type ApprovalView } from '../approval/approval.service.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { addPeriods, parseDate, periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import { addWorkingDays, calendarFrom } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntryForRecord } from '../ledger/journal.repository.ts';
import { latestConcludedAppraisal } from './injury-appraisal.repository.ts';
import {
  hasBenefitOfKind,
  insertBenefit,
  insertRecovery,
  owedByEmployer,
} from './injury-benefit.repository.ts';
import { insertCaseEvent, wageAtAccident, type InjuryCaseRow } from './injury-case.repository.ts';
import type { InjuryCaseService } from './injury-case.service.ts';
import { assessInjuryDeath, type Dependent } from './injury-death.rules.ts';
import { assessInjuryDisability } from './injury-disability.rules.ts';
import { BENEFIT_KIND_WORDS } from './injury-codes.rules.ts';
import { bad, conflict, targetOf, type BenefitView } from './injury-support.ts';
import type { InjuryBenefitKind, InjuryBenefitStatus } from './injury.tables.ts';
import { nursingAllowance } from './nursing-allowance.rules.ts';

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

export interface ComputedBenefit extends Pick<
  BenefitView,
  'kind' | 'payer' | 'advanced' | 'monthly' | 'amountFen' | 'fromPeriod'
> {
  caseId: number;
  appraisalId: number | null;
  inputs: Record<string, unknown>;
  trace: TraceStep[];
}

export class InjuryBenefitService {
  readonly db: Db;
  constructor(
    private readonly ctx: AppContext,
    private readonly cases: InjuryCaseService,
  ) {
    this.db = ctx.db;
  }

  async proposeBenefit(
    actor: Actor,
    id: number,
    input: BenefitProposal,
  ): Promise<ApprovalView & { benefit: ComputedBenefit }> {
    const c = await this.cases.loadFor(actor, id, 'injury.handle');
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
    const existing = await hasBenefitOfKind(this.db, c.id, input.kind);
    if (existing)
      throw new SbError('SB_ERR_DUPLICATE', {
        field: 'kind',
        zh: '该待遇已核定',
        en: 'this benefit is already decided',
      });
    const appraisal = await latestConcludedAppraisal(this.db, c.id);
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
    const wage = await wageAtAccident(this.db, c);
    const averageMonthlyWageFen = fen(wage ?? regionalAverageWageFen);
    const trace = new Trace();
    const insured = c.employerInsured;
    if (!insured)
      trace.add(
        'employer not insured on the accident date: the employer owes every item (条例 Art. 62)',
        null,
        'text',
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
          'text',
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
          'fen',
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
    const c = await this.cases.load(b.caseId);
    authorize(maker, 'injury.handle', targetOf(c));
    const checker = (await new ApprovalService(this.db).checkerUsername(approvalId)) ?? 'system';
    const day = today();
    const fundPays = b.payer === 'fund' || b.advanced;
    const status: InjuryBenefitStatus = !fundPays ? 'owed_by_employer' : b.monthly ? 'decided' : 'paid';
    return this.db.transaction().execute(async (tx) => {
      const benefitId = await insertBenefit(tx, {
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
      });
      let entryId: number | null = null;
      if (fundPays && !b.monthly) {
        const posted = await postEntryForRecord(
          tx,
          maker,
          { table: 'injury_benefit', id: benefitId },
          {
            fund: 'injury',
            region: c.regionCode.trim(),
            period: periodOf(day),
            entryDate: day,
            kind: 'injury_benefit',
            description: `工伤待遇 ${BENEFIT_KIND_WORDS[b.kind].zh} 案件${c.id} / work-injury benefit ${b.kind} case ${c.id}`,
            idempotencyKey: `injury-benefit:${benefitId}`,
            lines: [
              { account: ACCOUNTS.benefitExpenditure, debitFen: b.amountFen },
              { account: ACCOUNTS.bank, creditFen: b.amountFen },
            ],
          },
        );
        entryId = posted.entryId;
      }
      if (b.advanced) {
        const recoveryId = await insertRecovery(tx, {
          case_id: c.id,
          benefit_id: benefitId,
          employer_id: c.employerId,
          region_code: c.regionCode,
          amount_fen: b.amountFen,
          notice_date: day,
          pay_by_date: addWorkingDays(day, 5, calendarFrom(this.ctx.params)),
          created_by: maker.username,
        });
        await postEntryForRecord(
          tx,
          maker,
          { table: 'injury_recovery', id: recoveryId },
          {
            fund: 'injury',
            region: c.regionCode.trim(),
            period: periodOf(day),
            entryDate: day,
            kind: 'injury_advance_recovery',
            description: `先行支付追偿 案件${c.id} / advance to recover from the employer (case ${c.id})`,
            idempotencyKey: `injury-recovery:${recoveryId}`,
            lines: [
              { account: ACCOUNTS.overpaymentsReceivable, debitFen: b.amountFen },
              { account: ACCOUNTS.benefitExpenditure, creditFen: b.amountFen },
            ],
          },
        );
      }
      await insertCaseEvent(tx, {
        caseId: c.id,
        from: c.status,
        to: c.status,
        kind: `benefit-${b.kind}`,
        note: `${BENEFIT_KIND_WORDS[b.kind].zh} ${b.amountFen}分${b.monthly ? '/月' : ''}（${b.payer === 'fund' ? '工伤保险基金' : b.advanced ? '基金先行支付，向用人单位追偿' : '用人单位支付'}）`,
        actor: maker.username,
      });
      await appendAudit(tx, maker, {
        action: 'injury.benefit.decide',
        entityType: 'injury_benefit',
        entityId: benefitId,
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
      return { benefitId, status, journalEntryId: entryId };
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
    const rows = await owedByEmployer(this.db, actor.employerId ?? -1);
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
}
