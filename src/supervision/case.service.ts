// Findings → cases → recovery (issue 17 part 2). A supervisor triages a finding: dismisses it with a
// reason, or opens a case (one per finding; both conditional on the finding's version). The case
// records the investigation (notes, evidence references) and, under four eyes, the decision: the
// amount to recover, fraud or not, the fine (社会保险法 Art. 87/88: 2–5 × the amount, multiple decided
// per case; paid to the treasury, so not booked in the fund) and the repayment plan. The released
// decision opens the recovery as a pension-capability recovery case through its service
// (award.service openRecoveryCase: the receivable is booked), so repayments and offsets against a
// future pension are collected by the pension's own four-eyes mechanism (recovery-collection) and
// posted to the ledger there. Every change is audited.
import type { AppContext } from '../app-context.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { systemActor, type Actor } from '../auth/actor.ts';
import { authorize, foundInRegion } from '../auth/policy.ts';
import { now, today } from '../core/clock.ts';
import { addMonths, addPeriods, parseDate, parsePeriod, periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { storedTrace, Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { AwardService } from '../pension/award.service.ts';
import { PensionService } from '../pension/pension.service.ts';
import { RecoveryCollectionService, type CollectionView } from '../pension/recovery-collection.service.ts';
import { detectorTitle, staffUserId } from './detector.rules.ts';
import { fraudFine, instalmentStatus, repaymentPlan, type PlanInput } from './case.rules.ts';
import {
  caseInstalments,
  caseNames,
  caseNotes,
  caseRow,
  casesOfRegion,
  dismissFinding,
  findingRow,
  insertCase,
  insertCaseNote,
  insertInstalment,
  markFindingCase,
  otherRecoveries,
  recordDecision,
  recoveryOf,
  type CaseRow,
  type CaseStatus,
  type DecisionTerms,
  type FindingRow,
  type Fund,
} from './case.repository.ts';

export type { CaseStatus, Fund } from './case.repository.ts';

export interface DecisionInput {
  version: number;
  fraud: boolean;
  overpaidFen: number;
  fineMultiplierPct: number | null;
  fund: Fund | null;
  plan: PlanInput | null;
  reasoning: string;
}

const MAX_FEN = 100_000_000_000; // 10 亿元: no single case is larger

const stale = () =>
  new SbError('SB_ERR_CONFLICT', {
    field: 'version',
    zh: '记录已被他人修改，请刷新后重试',
    en: 'the record was changed by someone else: refresh and try again',
  });

/** A finding the supervisor may triage: another region's answers as an unknown id does. */
async function findingFor(db: Db, actor: Actor, id: number): Promise<FindingRow> {
  return foundInRegion(actor, 'supervision.triage', await findingRow(db, id, true));
}

/** The finding a case was opened from (the foreign key guarantees it). */
async function caseFinding(db: Db, c: CaseRow): Promise<FindingRow> {
  const f = await findingRow(db, int(c.finding_id));
  if (!f) throw new Error(`supervision case ${c.id} without its finding`);
  return f;
}

/**
 * A case the supervisor may work: its own region decides (the region that opened it, whatever
 * region the person lives in now). A case elsewhere answers as an unknown id does, so no
 * supervisor learns which case ids another region has.
 */
async function caseFor(db: Db, actor: Actor, id: number, forUpdate = false): Promise<CaseRow> {
  return foundInRegion(actor, 'supervision.case', await caseRow(db, id, forUpdate));
}

export interface CaseView {
  id: number;
  region: string;
  status: CaseStatus;
  version: number;
  personId: number | null;
  personName: string | null;
  employerId: number | null;
  employerName: string | null;
  openedBy: string;
  createdAt: string;
  finding: {
    id: number;
    detector: string;
    detectorZh: string;
    detectorEn: string;
    summaryZh: string;
    summaryEn: string;
    amountAtRiskFen: number;
    periodFrom: string | null;
    periodTo: string | null;
    foundOn: string;
    evidence: unknown;
    staffName: string | null;
  };
  notes: Array<{
    id: number;
    kind: 'note' | 'evidence';
    text: string;
    ref: string | null;
    createdBy: string;
    createdByName: string | null;
    createdAt: string;
  }>;
  decision:
    | null
    | (DecisionTerms & {
        reasoning: string;
        decidedBy: string | null;
        decidedByName: string | null;
        decidedAt: string | null;
        trace: TraceStep[];
      });
  pendingApprovalId: number | null;
  recovery: null | {
    recoveryCaseId: number;
    amountFen: number;
    recoveredFen: number;
    status: string;
    awardId: number | null;
  };
  plan: Array<{
    seq: number;
    dueDate: string | null;
    period: string | null;
    amountFen: number;
    status: 'paid' | 'overdue' | 'open';
  }>;
  collections: CollectionView[];
  /** Other recoveries already open for the same person (e.g. the pension's own death case): not to be recovered twice. */
  otherRecoveries: Array<{
    ref: string;
    source: string;
    amountFen: number;
    recoveredFen: number;
    status: string;
  }>;
  awards: Array<{ id: number; scheme: string; status: string; monthlyFen: number }>;
}

/** The stored decision's words and trace, its steps with their units (storedTrace: a decision saved before steps said theirs). */
function parseDecision(v: unknown): { reasoning: string; trace: TraceStep[] } {
  const o = (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown> | null;
  return {
    reasoning: typeof o?.['reasoning'] === 'string' ? o['reasoning'] : '',
    trace: storedTrace(o?.['trace']),
  };
}

export interface CaseListItem {
  id: number;
  findingId: number;
  detector: string;
  detectorZh: string;
  detectorEn: string;
  region: string;
  status: CaseStatus;
  personName: string | null;
  employerName: string | null;
  amountAtRiskFen: number;
  overpaidFen: number | null;
  fineFen: number;
  recoveredFen: number;
  createdAt: string;
}

/** Checks a decision against the case and the law's range; answers the fine, the plan and the award. */
type Awards = CaseView['awards'];

/**
 * The case person's pension awards, read by the supervisor through the pension's service (audited
 * there; outside any transaction). The case's region decides, not the region the person lives in
 * now: a pensioner who moved away stays the opening region's case (docs/supervision.md).
 */
async function awardsOf(ctx: AppContext, actor: Actor, c: CaseRow): Promise<Awards> {
  if (c.person_id === null) return [];
  return (await new PensionService(ctx).personPension(actor, int(c.person_id), c.region)).awards.map((a) => ({
    id: a.id,
    scheme: a.scheme,
    status: a.status,
    monthlyFen: a.monthlyFen,
  }));
}

async function checkDecision(ctx: AppContext, c: CaseRow, input: DecisionInput, on: string, awards: Awards) {
  if (c.status !== 'investigating')
    throw new SbError('SB_ERR_CONFLICT', { zh: '案件已作出决定', en: 'the case is already decided' });
  if (c.version !== input.version) throw stale();
  if (!Number.isSafeInteger(input.overpaidFen) || input.overpaidFen < 0 || input.overpaidFen > MAX_FEN)
    throw new SbError('SB_ERR_INVALID_AMOUNT', { field: 'overpaidFen' });
  if (input.reasoning.trim().length < 2)
    throw new SbError('SB_ERR_REQUIRED', {
      field: 'reasoning',
      zh: '请填写决定理由',
      en: 'give the reasoning',
    });
  const trace = new Trace();
  const fineFen = fraudFine(
    {
      overpaidFen: input.overpaidFen,
      fraud: input.fraud,
      multiplierPct: input.fineMultiplierPct,
      region: c.region,
      decidedOn: on,
    },
    ctx.params,
    trace,
  );
  let awardId: number | null = null;
  if (input.overpaidFen === 0) {
    if (input.plan !== null || input.fund !== null)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'plan',
        zh: '无需追回时不设还款计划',
        en: 'no plan when nothing is to be recovered',
      });
    return { fineFen, trace, plan: [], awardId };
  }
  if (c.person_id === null)
    throw new SbError('SB_ERR_NOT_ELIGIBLE', {
      field: 'overpaidFen',
      zh: '该疑点无对应个人，待遇追回须针对个人',
      en: 'the finding names no person: a benefit recovery is owed by a person',
    });
  if (input.fund === null || input.plan === null)
    throw new SbError('SB_ERR_REQUIRED', {
      field: input.fund === null ? 'fund' : 'plan',
      zh: '请选择基金和还款计划',
      en: 'choose the fund and the plan',
    });
  const plan = input.plan;
  if (input.fund !== 'unemployment') {
    const a = awards.filter((x) => x.scheme === input.fund).at(-1);
    awardId = a?.id ?? null;
  }
  const dateBounds = (d: string, field: string) => {
    parseDate(d, field);
    if (d < on || d > addMonths(on, 60))
      throw new SbError('SB_ERR_INVALID_DATE', {
        field,
        zh: '还款日期须在今天至五年内',
        en: 'the due date must be from today to five years ahead',
      });
  };
  switch (plan.kind) {
    case 'lump':
      dateBounds(plan.dueDate, 'plan.dueDate');
      break;
    case 'instalments':
      if (!Number.isInteger(plan.count) || plan.count < 2 || plan.count > 60)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'plan.count',
          zh: '分期 2 至 60 期',
          en: '2 to 60 instalments',
        });
      dateBounds(plan.firstDueDate, 'plan.firstDueDate');
      if (plan.count > input.overpaidFen) throw new SbError('SB_ERR_OUT_OF_RANGE', { field: 'plan.count' });
      break;
    case 'offset': {
      parsePeriod(plan.firstPeriod, 'plan.firstPeriod');
      const award = awards.find((a) => a.id === awardId);
      if (awardId === null || !award || award.status === 'stopped')
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'plan',
          zh: '无在发的养老金可抵扣，请选择退款或分期',
          en: 'no pension in payment to offset against: choose a repayment or instalments',
        });
      if (plan.firstPeriod <= periodOf(on) || plan.firstPeriod > addPeriods(periodOf(on), 12))
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'plan.firstPeriod',
          zh: '抵扣起始月须在今后 12 个月内',
          en: 'the first offset month must be within the next 12 months',
        });
      if (
        !Number.isSafeInteger(plan.monthlyFen) ||
        plan.monthlyFen <= 0 ||
        plan.monthlyFen > award.monthlyFen
      )
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'plan.monthlyFen',
          zh: `每月抵扣额须在 1 分至当月养老金 ${award.monthlyFen} 分之间`,
          en: `the monthly offset must be from 1 fen to the monthly pension (${award.monthlyFen} fen)`,
        });
      if (Math.ceil(input.overpaidFen / plan.monthlyFen) > 120)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'plan.monthlyFen',
          zh: '抵扣期限不得超过 120 个月',
          en: 'the offsets may not run longer than 120 months',
        });
      break;
    }
  }
  if (input.fund === 'unemployment' && plan.kind === 'offset')
    throw new SbError('SB_ERR_NOT_ELIGIBLE', { field: 'plan' });
  return { fineFen, trace, plan: repaymentPlan(input.overpaidFen, plan), awardId };
}

/** Runs a released decision with the maker's authority: the decision, the plan, the recovery case. */
async function executeDecision(
  ctx: AppContext,
  maker: Actor,
  payload: { caseId: number } & DecisionInput,
): Promise<unknown> {
  const awards = await awardsOf(ctx, maker, await caseFor(ctx.db, maker, payload.caseId));
  return ctx.db.transaction().execute(async (tx) => {
    const c = await caseFor(tx, maker, payload.caseId, true);
    const on = today();
    const { fineFen, trace, plan, awardId } = await checkDecision({ ...ctx, db: tx }, c, payload, on, awards);
    let recoveryCaseId: number | null = null;
    if (payload.overpaidFen > 0 && payload.fund !== null && c.person_id !== null) {
      const f = await caseFinding(tx, c);
      const rc = await new AwardService(tx).openRecoveryCase(maker, {
        personId: int(c.person_id),
        awardId,
        region: c.region,
        reason: payload.fraud ? 'other' : 'ineligible',
        fromPeriod: f.period_from?.trim() ?? null,
        toPeriod: f.period_to?.trim() ?? null,
        amountFen: payload.overpaidFen,
        idempotencyKey: `supervision-case:${c.id}`,
        detail: { supervisionCaseId: c.id, findingId: f.id, detector: f.detector },
        fund: payload.fund,
      });
      recoveryCaseId = rc.id;
    }
    for (const i of plan) await insertInstalment(tx, c.id, i);
    const status: CaseStatus = recoveryCaseId === null ? 'closed' : 'recovering';
    const stamp = now().toISOString();
    await recordDecision(tx, c.id, {
      version: payload.version,
      status,
      fraud: payload.fraud,
      fund: payload.fund,
      overpaidFen: payload.overpaidFen,
      fineMultiplierPct: payload.fineMultiplierPct,
      fineFen,
      planKind: payload.plan?.kind ?? null,
      decision: { reasoning: payload.reasoning.trim(), plan: payload.plan, trace: trace.steps },
      decidedBy: maker.username,
      at: stamp,
      recoveryCaseId,
    });
    await appendAudit(tx, maker, {
      action: 'supervision.case.decide',
      entityType: 'supervision_case',
      entityId: c.id,
      region: c.region,
      subjectPersonId: c.person_id === null ? null : int(c.person_id),
      before: { status: c.status, version: c.version },
      after: {
        status,
        fraud: payload.fraud,
        overpaidFen: payload.overpaidFen,
        fineMultiplierPct: payload.fineMultiplierPct,
        fineFen,
        fund: payload.fund,
        plan: payload.plan,
        recoveryCaseId,
      },
      reason: payload.reasoning.trim(),
    });
    return { caseId: c.id, status, recoveryCaseId, fineFen, instalments: plan.length };
  });
}

export class CaseService {
  constructor(private readonly ctx: AppContext) {}

  /** A supervisor dismisses an open finding with a reason (conditional on its version). */
  async dismissFinding(
    actor: Actor,
    findingId: number,
    input: { version: number; reason: string },
  ): Promise<{ findingId: number; status: 'dismissed'; version: number }> {
    authorize(actor, 'supervision.triage');
    const reason = input.reason.trim();
    if (reason.length < 2)
      throw new SbError('SB_ERR_REQUIRED', { field: 'reason', zh: '请填写排除理由', en: 'give a reason' });
    return this.ctx.db.transaction().execute(async (tx) => {
      const f = await findingFor(tx, actor, findingId);
      if (f.status !== 'open')
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'id',
          zh: `疑点已处理（${f.status === 'case' ? '已立案' : '已排除'}）`,
          en: `the finding was already triaged (${f.status})`,
        });
      if (f.version !== input.version) throw stale();
      await dismissFinding(tx, f.id, input.version);
      await appendAudit(tx, actor, {
        action: 'supervision.finding.dismiss',
        entityType: 'supervision_finding',
        entityId: f.id,
        region: f.region,
        subjectPersonId: f.person_id === null ? null : int(f.person_id),
        before: { status: 'open', version: f.version },
        after: { status: 'dismissed', version: f.version + 1 },
        reason,
      });
      return { findingId: f.id, status: 'dismissed' as const, version: f.version + 1 };
    });
  }

  /** A supervisor opens a case from an open finding: once (finding_id is unique, the update conditional). */
  async openCase(
    actor: Actor,
    findingId: number,
    input: { version: number; note?: string },
  ): Promise<{ caseId: number; findingId: number }> {
    authorize(actor, 'supervision.triage');
    return this.ctx.db.transaction().execute(async (tx) => {
      const f = await findingFor(tx, actor, findingId);
      if (f.status !== 'open')
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'id',
          zh: f.status === 'case' ? '该疑点已立案' : '该疑点已排除',
          en: f.status === 'case' ? 'a case is already open for this finding' : 'the finding was dismissed',
        });
      if (f.version !== input.version) throw stale();
      // dated by the app's clock (core/clock), as the case's days are, not the database's
      const at = now().toISOString();
      if (!(await markFindingCase(tx, f.id, input.version))) throw stale();
      const caseId = await insertCase(tx, f, actor.username, at);
      if (input.note)
        await insertCaseNote(tx, {
          caseId,
          kind: 'note',
          text: input.note,
          ref: null,
          createdBy: actor.username,
          at,
        });
      await appendAudit(tx, actor, {
        action: 'supervision.case.open',
        entityType: 'supervision_case',
        entityId: caseId,
        region: f.region,
        subjectPersonId: f.person_id === null ? null : int(f.person_id),
        before: { findingStatus: 'open', findingVersion: f.version },
        after: { findingId: f.id, detector: f.detector, amountAtRiskFen: int(f.amount_at_risk_fen) },
      });
      return { caseId, findingId: f.id };
    });
  }

  async getCase(actor: Actor, caseId: number): Promise<CaseView> {
    authorize(actor, 'supervision.case');
    const c = await caseFor(this.ctx.db, actor, caseId);
    const db = this.ctx.db;
    const f = await caseFinding(db, c);
    const names = await caseNames(db, {
      personId: c.person_id,
      employerId: c.employer_id,
      staffUserId: staffUserId(f.evidence),
      decidedBy: c.decided_by,
    });
    const notes = await caseNotes(db, c.id);
    const pending = await new ApprovalService(db).openId('supervision.decide', `case:${c.id}`);
    const rc = c.recovery_case_id === null ? null : await recoveryOf(db, c.recovery_case_id);
    const instalments = await caseInstalments(db, c.id);
    const collections = rc
      ? await new RecoveryCollectionService(this.ctx).list(systemActor('supervision'), int(rc.id))
      : [];
    const others = c.person_id === null ? [] : await otherRecoveries(db, c.person_id, c.id);
    const awards = await awardsOf(this.ctx, actor, c);
    const d = c.decision === null ? null : parseDecision(c.decision);
    const closed = rc !== undefined && rc !== null && rc.status !== 'open';
    return {
      id: c.id,
      region: c.region,
      status: c.status === 'recovering' && closed ? 'closed' : c.status,
      version: c.version,
      personId: c.person_id === null ? null : int(c.person_id),
      personName: names?.person_name ?? null,
      employerId: c.employer_id === null ? null : int(c.employer_id),
      employerName: names?.employer_name ?? null,
      openedBy: c.opened_by,
      createdAt: new Date(c.created_at).toISOString(),
      finding: {
        id: f.id,
        detector: f.detector,
        ...detectorTitle(f.detector),
        summaryZh: f.summary_zh,
        summaryEn: f.summary_en,
        amountAtRiskFen: int(f.amount_at_risk_fen),
        periodFrom: f.period_from?.trim() ?? null,
        periodTo: f.period_to?.trim() ?? null,
        foundOn: f.found_on,
        evidence: f.evidence,
        staffName: names?.staff_name ?? null,
      },
      notes: notes.map((n) => ({
        id: int(n.id),
        kind: n.kind,
        text: n.text,
        ref: n.ref,
        createdBy: n.created_by,
        createdByName: n.created_by_name,
        createdAt: new Date(n.created_at).toISOString(),
      })),
      decision:
        c.fraud === null
          ? null
          : {
              fraud: c.fraud,
              fund: c.fund,
              overpaidFen: int(c.overpaid_fen),
              fineMultiplierPct: c.fine_multiplier_pct,
              fineFen: int(c.fine_fen),
              planKind: c.plan_kind,
              reasoning: d?.reasoning ?? '',
              decidedBy: c.decided_by,
              decidedByName: names?.decided_by_name ?? null,
              decidedAt: c.decided_at === null ? null : new Date(c.decided_at).toISOString(),
              trace: d?.trace ?? [],
            },
      pendingApprovalId: pending,
      recovery: rc
        ? {
            recoveryCaseId: int(rc.id),
            amountFen: int(rc.amount_fen),
            recoveredFen: int(rc.recovered_fen),
            status: rc.status,
            awardId: rc.award_id === null ? null : int(rc.award_id),
          }
        : null,
      plan: instalmentStatus(
        instalments.map((i) => ({
          seq: i.seq,
          dueDate: i.due_date,
          period: i.period?.trim() ?? null,
          amountFen: int(i.amount_fen) as never,
        })),
        rc ? int(rc.recovered_fen) : 0,
        today(),
      ),
      collections,
      otherRecoveries: others.map((o) => ({
        ref: o.ref,
        source: o.source,
        amountFen: int(o.amount_fen),
        recoveredFen: int(o.recovered_fen),
        status: o.status,
      })),
      awards,
    };
  }

  async listCases(actor: Actor, q: { status?: CaseStatus; region?: string }): Promise<CaseListItem[]> {
    const region = q.region ?? actor.region ?? '000000';
    authorize(actor, 'supervision.case', { region });
    const rows = await casesOfRegion(this.ctx.db, region, q.status);
    return rows.map((r) => ({
      id: int(r.id),
      findingId: int(r.finding_id),
      detector: r.detector,
      ...detectorTitle(r.detector),
      region: r.region.trim(),
      status: r.status,
      personName: r.person_name,
      employerName: r.employer_name,
      amountAtRiskFen: int(r.amount_at_risk_fen),
      overpaidFen: r.overpaid_fen === null ? null : int(r.overpaid_fen),
      fineFen: int(r.fine_fen),
      recoveredFen: int(r.recovered_fen),
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  /** Adds an investigation note or an evidence reference (a document number, a file's hash, a data source). */
  async addNote(
    actor: Actor,
    caseId: number,
    input: { kind: 'note' | 'evidence'; text: string; ref?: string },
  ): Promise<{ id: number }> {
    authorize(actor, 'supervision.case');
    const text = input.text.trim();
    if (text.length === 0) throw new SbError('SB_ERR_REQUIRED', { field: 'text' });
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await caseFor(tx, actor, caseId, true);
      if (c.status === 'closed')
        throw new SbError('SB_ERR_CONFLICT', { zh: '案件已结', en: 'the case is closed' });
      const id = await insertCaseNote(tx, {
        caseId: c.id,
        kind: input.kind,
        text,
        ref: input.ref?.trim() || null,
        createdBy: actor.username,
        at: now().toISOString(),
      });
      await appendAudit(tx, actor, {
        action: `supervision.case.${input.kind}`,
        entityType: 'supervision_case',
        entityId: c.id,
        region: c.region,
        subjectPersonId: c.person_id === null ? null : int(c.person_id),
        after: { noteId: id, kind: input.kind, ref: input.ref ?? null },
      });
      return { id };
    });
  }

  /** The supervisor proposes the decision; a reviewer (another person) releases it (four eyes). */
  async proposeDecision(actor: Actor, caseId: number, input: DecisionInput): Promise<ApprovalView> {
    authorize(actor, 'supervision.case');
    const c = await caseFor(this.ctx.db, actor, caseId);
    const { fineFen, plan } = await checkDecision(
      this.ctx,
      c,
      input,
      today(),
      await awardsOf(this.ctx, actor, c),
    );
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'supervision.decide',
      dedupeKey: `case:${c.id}`,
      region: c.region,
      subjectPersonId: c.person_id === null ? null : int(c.person_id),
      payload: { caseId: c.id, ...input },
      summary: {
        caseId: c.id,
        fraud: input.fraud,
        overpaidFen: input.overpaidFen,
        fineMultiplierPct: input.fineMultiplierPct,
        fineFen,
        fund: input.fund,
        planKind: input.plan?.kind ?? null,
        instalments: plan.length,
      },
    });
  }

  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'supervision.decide',
        checkAction: 'money.release',
        execute: (maker, payload) =>
          executeDecision(this.ctx, maker, payload as { caseId: number } & DecisionInput),
      },
    ];
  }
}
