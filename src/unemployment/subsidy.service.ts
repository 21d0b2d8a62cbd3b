// The unemployment subsidy (失业补助金, 2020–2021) and the migrant contract workers' one-off allowance
// (农民合同制工人一次性生活补助): applied for online by the citizen, assessed from the system's own
// records with the `unemployment-subsidy` / `migrant-allowance` rules, decided by a clerk with a
// reviewer (four eyes) and paid on release as one payment posted to the unemployment fund.
// Reported into the service hall as `unemployment-subsidy`.
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { checkReadable, ownApplicant, pageOf, visibleApplications } from './applicant-access.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { today } from '../core/clock.ts';
import { addPeriods, monthsBetween, periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen, formatMoney } from '../core/money.ts';
import { storedTrace, Trace, type TraceStep } from '../core/trace.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { requireRefusalReason } from './decision-input.ts';
import {
  lastClaimOutOfBenefit,
  latestSeparation,
  publishCaseStatus,
  unemploymentContributionMonths,
} from './claim.repository.ts';
import {
  findGrant,
  grantList,
  grantListRows,
  insertGrant,
  lockPersonGrants,
  openGrant,
  recordGrantDecision,
  type GrantRow,
} from './grant.repository.ts';
import { assessUnemploymentBenefit } from './unemployment-benefit.rules.ts';
import {
  assessMigrantAllowance,
  assessUnemploymentSubsidy,
  grantWindow,
  type GrantWindow,
} from './unemployment-grants.rules.ts';
import { NATIONAL } from '../core/params.ts';
import { GRANT_STATUS_WORDS, grantStatusConflict } from './unemployment-status.ts';

export interface GrantView {
  id: number;
  kind: 'subsidy' | 'migrant' | 'death';
  personId: number;
  claimId: number | null;
  region: string;
  eligible: boolean;
  months: number;
  amountFen: number;
  status: string;
  reason?: string;
  reasonZh?: string;
  decidedBy: string | null;
  createdAt: string;
  trace: TraceStep[];
  personName?: string;
}

const grantView = (r: GrantRow, personName?: string): GrantView => ({
  id: r.id,
  kind: r.kind,
  personId: r.person_id,
  claimId: r.claim_id,
  region: r.region.trim(),
  eligible: r.eligible,
  months: r.months,
  amountFen: int(r.amount_fen),
  status: r.status,
  ...(r.reason_en === null ? {} : { reason: r.reason_en }),
  ...(r.reason_zh === null ? {} : { reasonZh: r.reason_zh }),
  decidedBy: r.decided_by,
  createdAt: String(r.created_at),
  trace: storedTrace(r.trace),
  ...(personName === undefined ? {} : { personName }),
});

/** The local monthly benefit (the subsidy is a share of it): the person's own when they had one. */
function localBenefit(ctx: AppContext, region: string, on: string, trace: Trace): number {
  const b = assessUnemploymentBenefit({ region, claimDate: on, contributionMonths: 12 }, ctx.params);
  if (b.monthlyFen === null)
    throw new SbError('SB_ERR_PARAMETER_MISSING', {
      field: 'monthlyBenefitFen',
      zh: '当地失业保险金标准',
      en: 'the local unemployment benefit',
    });
  trace.add(
    'local monthly unemployment benefit (90% of the minimum wage)',
    b.monthlyFen,
    'fen',
    '当地失业保险金标准',
  );
  return b.monthlyFen;
}

async function decideGrant(
  ctx: AppContext,
  maker: Actor,
  payload: { grantId: number; decision: 'approve' | 'reject'; note: string | null },
): Promise<unknown> {
  return ctx.db.transaction().execute(async (tx) => {
    const g = await findGrant(tx, payload.grantId, true);
    if (!g) throw new SbError('SB_ERR_NOT_FOUND', { field: 'grantId' });
    authorize(maker, 'unemployment.decide', { region: g.region.trim() });
    if (g.status !== 'submitted') throw grantStatusConflict(g.status);
    const approve = payload.decision === 'approve';
    let entryId: number | null = null;
    const amount = int(g.amount_fen);
    if (approve && amount > 0) {
      const e = await postEntry(tx, maker, {
        fund: 'unemployment',
        region: g.region.trim(),
        period: periodOf(today()),
        entryDate: today(),
        kind: g.kind === 'subsidy' ? 'unemployment_subsidy' : 'migrant_allowance',
        description:
          g.kind === 'subsidy'
            ? `失业补助金 / unemployment subsidy (application ${g.id})`
            : `农民合同制工人一次性生活补助 / migrant workers' allowance (application ${g.id})`,
        idempotencyKey: `unemployment-grant:${g.id}`,
        source: { type: 'unemployment_grant', id: g.id },
        lines: [
          { account: ACCOUNTS.benefitExpenditure, debitFen: amount },
          { account: ACCOUNTS.bank, creditFen: amount },
        ],
      });
      entryId = e.entryId;
    }
    const status = approve ? 'paid' : 'rejected';
    await recordGrantDecision(tx, g.id, {
      status,
      journal_entry_id: entryId,
      decided_by: maker.username,
      decided_at: new Date().toISOString(),
      ...(approve ? {} : { reason_zh: payload.note, reason_en: payload.note }),
    });
    await appendAudit(tx, maker, {
      action: 'unemployment.grant.decide',
      entityType: 'unemployment_grant',
      entityId: g.id,
      region: g.region,
      subjectPersonId: g.person_id,
      before: { status: g.status },
      after: { status, amountFen: approve ? amount : 0 },
      reason: payload.note,
    });
    await publishCaseStatus(tx, maker, {
      service: 'unemployment-subsidy',
      ref: `unemployment_grant:${g.id}`,
      personId: g.person_id,
      status: approve ? 'completed' : 'rejected',
      note: approve
        ? { zh: `已核准并发放${formatMoney(amount)}`, en: `granted and paid: ${formatMoney(amount)}` }
        : { zh: `不予核准：${payload.note ?? ''}`, en: `refused: ${payload.note ?? ''}` },
      regionCode: g.region.trim(),
    });
    return { grantId: g.id, status, amountFen: approve ? amount : 0 };
  });
}

export class SubsidyService {
  constructor(private readonly ctx: AppContext) {}

  /**
   * Which grants take applications today (the citizen's page enables only those): read from the grant
   * rules' own parameters, for the region of the person's last job (the nation's values without one).
   */
  async grantOffer(actor: Actor): Promise<{ on: string; subsidy: GrantWindow; migrant: GrantWindow }> {
    const personId = ownApplicant(actor);
    const sep = await latestSeparation(this.ctx.db, personId);
    const region = sep ? sep.region.trim() : NATIONAL;
    const on = today();
    return {
      on,
      subsidy: grantWindow('subsidy', region, on, this.ctx.params),
      migrant: grantWindow('migrant', region, on, this.ctx.params),
    };
  }

  /**
   * The citizen applies for a subsidy or the migrant allowance. The body names only the kind (and, for the
   * migrant allowance, the written commitment that the person is a migrant contract worker: 告知承诺制);
   * everything else comes from the records.
   */
  async applyGrant(
    actor: Actor,
    input: { kind: 'subsidy' | 'migrant'; migrantCommitment?: boolean },
  ): Promise<GrantView> {
    const personId = ownApplicant(actor);
    const db = this.ctx.db;
    const on = today();
    const sep = await latestSeparation(db, personId);
    if (!sep) throw new SbError('SB_ERR_NO_SEPARATION');
    const region = sep.region.trim();
    const trace = new Trace();
    let eligible: boolean;
    let months = 0;
    let amount = 0;
    let reason: string | undefined;
    let reasonZh: string | undefined;
    let claimId: number | null = null;
    if (input.kind === 'subsidy') {
      const last = await lastClaimOutOfBenefit(db, personId);
      if (!last) {
        eligible = false;
        reasonZh = '未查询到领取期满或不符合领取条件的失业保险金申领记录';
        reason = 'no unemployment claim that ran out or did not qualify';
        trace.add('not eligible', reason, 'text', reasonZh);
      } else {
        claimId = last.id;
        const ended = last.status === 'ended';
        const monthly =
          ended && last.monthly_fen !== null
            ? int(last.monthly_fen)
            : localBenefit(this.ctx, region, on, trace);
        const r = assessUnemploymentSubsidy(
          {
            region,
            claimDate: on,
            group: ended ? 'benefit-ended' : 'not-qualified',
            benefitEndDate: ended ? (last.entitlement_end ?? undefined) : undefined,
            monthlyBenefitFen: fen(monthly),
          },
          this.ctx.params,
          trace,
        );
        ({ eligible, months, totalFen: amount, reason, reasonZh } = r);
      }
    } else {
      if (input.migrantCommitment !== true)
        throw new SbError('SB_ERR_REQUIRED', {
          field: 'migrantCommitment',
          zh: '请承诺本人为农民合同制工人（告知承诺制）',
          en: 'confirm that you are a migrant contract worker (written commitment)',
        });
      const continuous = monthsBetween(sep.start_date, sep.end_date);
      const paidMonths = await unemploymentContributionMonths(
        db,
        personId,
        addPeriods(periodOf(sep.start_date), -1),
        periodOf(sep.end_date),
      );
      trace.add('employment', `${sep.start_date} – ${sep.end_date}`, 'text', '劳动合同期间');
      trace.add(
        'months of unemployment-insurance contributions',
        paidMonths,
        'months',
        '单位缴纳失业保险费月数',
      );
      if (sep.end_reason === 'death' || sep.end_reason === 'retirement' || paidMonths === 0) {
        eligible = false;
        reasonZh = paidMonths === 0 ? '单位未为您缴纳失业保险费' : '劳动合同并非期满或解除终止';
        reason =
          paidMonths === 0
            ? 'the employer paid no unemployment insurance for you'
            : 'the contract did not expire or end';
        trace.add('not eligible', reason, 'text', reasonZh);
      } else {
        const monthly = localBenefit(this.ctx, region, on, trace);
        const r = assessMigrantAllowance(
          {
            region,
            separationDate: sep.end_date,
            continuousMonths: continuous,
            monthlyBenefitFen: fen(monthly),
          },
          this.ctx.params,
          trace,
        );
        ({ eligible, months, totalFen: amount, reason, reasonZh } = r);
      }
    }
    return db.transaction().execute(async (tx) => {
      await lockPersonGrants(tx, personId);
      const open = await openGrant(tx, personId, input.kind);
      if (open)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `已有同类申请 #${open.id}（${GRANT_STATUS_WORDS[open.status].zh}）`,
          en: `you already applied (#${open.id}, ${GRANT_STATUS_WORDS[open.status].en})`,
        });
      const row = await insertGrant(tx, {
        kind: input.kind,
        person_id: personId,
        claim_id: claimId,
        region,
        eligible,
        months,
        amount_fen: amount,
        status: eligible ? 'submitted' : 'ineligible',
        reason_zh: reasonZh ?? null,
        reason_en: reason ?? null,
        inputs: JSON.stringify({ kind: input.kind, on, employmentId: sep.id }),
        trace: JSON.stringify(trace.steps),
        created_by: actor.username,
      });
      await appendAudit(tx, actor, {
        action: 'unemployment.grant.apply',
        entityType: 'unemployment_grant',
        entityId: row.id,
        region,
        subjectPersonId: personId,
        after: { kind: input.kind, eligible, months, amountFen: amount },
      });
      await publishCaseStatus(tx, actor, {
        service: 'unemployment-subsidy',
        ref: `unemployment_grant:${row.id}`,
        personId,
        status: eligible ? 'submitted' : 'rejected',
        ...(reasonZh === undefined ? {} : { note: { zh: reasonZh, en: reason ?? reasonZh } }),
        regionCode: region,
      });
      return grantView(row);
    });
  }

  async getGrant(actor: Actor, id: number): Promise<GrantView> {
    authorize(actor, 'unemployment.read');
    return grantView(checkReadable(actor, await findGrant(this.ctx.db, id)));
  }

  async listGrants(
    actor: Actor,
    q: { status?: string; page: number; pageSize: number },
  ): Promise<{ items: GrantView[]; total: number; page: number; pageSize: number }> {
    const b = visibleApplications(grantList(this.ctx.db), actor, 'g', q.status);
    const { rows, total } = await pageOf(b, q, grantListRows);
    return {
      items: rows.map((r) => grantView(r, r.person_name)),
      total,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async prepareGrantDecision(
    actor: Actor,
    id: number,
    input: { decision: 'approve' | 'reject'; note?: string },
  ): Promise<ApprovalView> {
    authorize(actor, 'unemployment.decide');
    const g = await findGrant(this.ctx.db, id);
    if (!g) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    authorize(actor, 'unemployment.decide', { region: g.region.trim() });
    if (g.status !== 'submitted') throw grantStatusConflict(g.status);
    requireRefusalReason(input);
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'unemployment.grant',
      dedupeKey: String(g.id),
      region: g.region.trim(),
      subjectPersonId: g.person_id,
      payload: { grantId: g.id, decision: input.decision, note: input.note ?? null },
      summary: {
        grantId: g.id,
        kind: g.kind,
        decision: input.decision,
        months: g.months,
        amountFen: int(g.amount_fen),
      },
    });
  }

  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'unemployment.grant',
        checkAction: 'money.release',
        execute: (maker, payload) =>
          decideGrant(
            this.ctx,
            maker,
            payload as { grantId: number; decision: 'approve' | 'reject'; note: string | null },
          ),
      },
    ];
  }
}
