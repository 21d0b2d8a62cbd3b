// Unemployment claims (免证即办, 免跑即领): one call registers the person as unemployed and claims. The
// system already knows the separation and its reason (the employer's 减员 in the registry), the
// contribution months and the bank account, so the citizen sends nothing but, at most, which of their
// own separations to claim from. Eligibility and duration come from the `unemployment-benefit` rule,
// the dates from `unemployment-entitlement`; the trace is stored with the claim and shown to the
// person. A clerk proposes the decision and a reviewer releases it (four eyes, src/approval/).
import { requireRefusalReason, type DecisionInput } from './decision-input.ts';
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { readsStaffNames, staffUsernameFor, type Actor } from '../auth/actor.ts';
import { staffNames } from '../auth/staff-names.ts';
import { authorize, foundInRegion } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { now, today } from '../core/clock.ts';
import { dateInWords, periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { applyPercent, formatMoney } from '../core/money.ts';
import { checkReadable, ownApplicant, pageOf, visibleApplications } from './applicant-access.ts';
import { storedTrace, Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { approvalById } from '../approval/approval.repository.ts';
import { END_REASON_WORDS } from '../registry/employment-codes.rules.ts';
import { findPerson } from '../registry/person.repository.ts';
import {
  claimList,
  claimListRows,
  claimOfSeparation,
  claimPaymentRows,
  employmentWithRegion,
  insertClaim,
  lockPersonClaims,
  openClaim,
  paidOf,
  recordClaimDecision,
  useCarriedMonths,
  findClaim,
  findClaimForUpdate,
  hasOpenEmployment,
  latestSeparation,
  previousClaim,
  BEING_PAID,
  publishCaseStatus,
  receivesPension,
  unemploymentContributionMonths,
  type ClaimRow,
} from './claim.repository.ts';
import { assessUnemploymentBenefit } from './unemployment-benefit.rules.ts';
import {
  claimDecisionDeadline,
  monthsLeft,
  unemploymentEntitlement,
} from './unemployment-entitlement.rules.ts';
import { CLAIM_STATUS_WORDS, claimStatusConflict } from './unemployment-status.ts';

export interface ClaimView {
  id: number;
  personId: number;
  region: string;
  status: ClaimRow['status'];
  eligible: boolean;
  maxMonths: number;
  carriedMonths: number;
  contributionMonths: number;
  entitlementStart: string | null;
  entitlementEnd: string | null;
  firstPeriod: string | null;
  lastPeriod: string | null;
  monthlyFen?: number;
  medicalFen: number;
  registrationDate: string;
  decisionDeadline: string;
  separationDate: string;
  separationReason: string;
  employerId: number;
  reason?: string;
  reasonZh?: string;
  reasonCode?: string;
  decidedBy: string | null;
  reviewedBy: string | null;
  /** staff readers only: the maker's and the checker's names beside their usernames */
  decidedByName?: string | null;
  reviewedByName?: string | null;
  decisionNote: string | null;
  stopEvent: string | null;
  stopDate: string | null;
  stoppedFromPeriod: string | null;
  interruptedFromPeriod: string | null;
  remainingMonths: number | null;
  monthsPaid: number;
  paidFen: number;
  trace: TraceStep[];
  personName?: string;
}

/** The claim as its reader may see it: the claimant sees who decided by role, not by username. */
function asSeenBy(reader: Actor, v: ClaimView): ClaimView {
  return {
    ...v,
    decidedBy: staffUsernameFor(reader, v.decidedBy),
    reviewedBy: staffUsernameFor(reader, v.reviewedBy),
  };
}

/** Staff readers also get the maker's and the checker's names (one statement for all the views). */
async function withStaffNames(db: Db, reader: Actor, views: ClaimView[]): Promise<ClaimView[]> {
  if (!readsStaffNames(reader)) return views;
  const names = await staffNames(
    db,
    views.flatMap((v) => [v.decidedBy, v.reviewedBy]),
  );
  return views.map((v) => ({
    ...v,
    decidedByName: v.decidedBy === null ? null : (names.get(v.decidedBy) ?? null),
    reviewedByName: v.reviewedBy === null ? null : (names.get(v.reviewedBy) ?? null),
  }));
}

function claimView(r: ClaimRow, paid: { months: number; fen: number }, personName?: string): ClaimView {
  return {
    id: r.id,
    personId: r.person_id,
    region: r.region.trim(),
    status: r.status,
    eligible: r.eligible,
    maxMonths: r.max_months,
    carriedMonths: r.carried_months,
    contributionMonths: r.contribution_months,
    entitlementStart: r.entitlement_start,
    entitlementEnd: r.entitlement_end,
    firstPeriod: r.first_period?.trim() ?? null,
    lastPeriod: r.last_period?.trim() ?? null,
    ...(r.monthly_fen === null ? {} : { monthlyFen: int(r.monthly_fen) }),
    medicalFen: int(r.medical_fen),
    registrationDate: r.registration_date,
    decisionDeadline: r.decision_deadline,
    separationDate: r.separation_date,
    separationReason: r.separation_reason,
    employerId: r.employer_id,
    ...(r.reason_en === null ? {} : { reason: r.reason_en }),
    ...(r.reason_zh === null ? {} : { reasonZh: r.reason_zh }),
    ...(r.reason_code === null ? {} : { reasonCode: r.reason_code }),
    decidedBy: r.decided_by,
    reviewedBy: r.reviewed_by,
    decisionNote: r.decision_note,
    stopEvent: r.stop_event,
    stopDate: r.stop_date,
    stoppedFromPeriod: r.stopped_from_period?.trim() ?? null,
    interruptedFromPeriod: r.interrupted_from_period?.trim() ?? null,
    // Being paid (or interrupted): what is left of the entitlement now; stopped or ended: as recorded then.
    remainingMonths:
      r.status === 'approved' || r.status === 'interrupted'
        ? monthsLeft(r.max_months, paid.months)
        : r.remaining_months,
    monthsPaid: paid.months,
    paidFen: paid.fen,
    trace: storedTrace(r.trace),
    ...(personName === undefined ? {} : { personName }),
  };
}

export interface ClaimPayment {
  period: string;
  amountFen: number;
  medicalFen: number;
  runId: number;
}

// ---- the decision: a clerk proposes, a reviewer releases ----

export class ClaimService {
  constructor(private readonly ctx: AppContext) {}

  /**
   * Files a claim for the citizen from their own latest separation (or the one named by
   * `employmentId`, which must be theirs). Nothing else in the body is read: dates, amounts and the
   * person all come from the system's records and clock.
   */
  async fileClaim(actor: Actor, input: { employmentId?: number }): Promise<ClaimView> {
    const personId = ownApplicant(actor);
    authorize(actor, 'unemployment.claim', { personId });
    const db = this.ctx.db;
    const person = await findPerson(db, personId);
    if (!person) throw new SbError('SB_ERR_NOT_FOUND', { field: 'personId' });
    let sep = await latestSeparation(db, personId);
    if (input.employmentId !== undefined) {
      const named = await employmentWithRegion(db, input.employmentId);
      // Someone else's employment answers exactly as a missing one: no probing of other people's records.
      if (!named || named.person_id !== personId)
        throw new SbError('SB_ERR_NOT_FOUND', { field: 'employmentId' });
      sep =
        named.end_date === null || named.end_reason === null
          ? undefined
          : {
              id: named.id,
              employer_id: named.employer_id,
              start_date: named.start_date,
              end_date: named.end_date,
              end_reason: named.end_reason,
              region: named.region,
            };
    }
    if (!sep) throw new SbError('SB_ERR_NO_SEPARATION');
    if (await hasOpenEmployment(db, personId)) throw new SbError('SB_ERR_STILL_EMPLOYED');
    const registrationDate = today();
    const region = sep.region.trim();
    const separation = sep;

    return db.transaction().execute(async (tx) => {
      // One claim at a time per person (the partial unique index is the last word; this answers in words).
      await lockPersonClaims(tx, personId);
      const open = await openClaim(tx, personId);
      if (open)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `您已有失业保险金申领 #${open.id}（${CLAIM_STATUS_WORDS[open.status].zh}）`,
          en: `you already have unemployment claim #${open.id} (${CLAIM_STATUS_WORDS[open.status].en})`,
        });
      const used = await claimOfSeparation(tx, separation.id);
      if (used)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `该次失业已申领过（#${used.id}）`,
          en: `this separation was already claimed (#${used.id})`,
        });

      const trace = new Trace();
      trace.add(
        'separation recorded by the employer',
        separation.end_date,
        'date',
        '单位办理减员（终止劳动关系）之日',
      );
      trace.add('reason of the separation', separation.end_reason, 'code:employment.end', '减员原因');
      const prev = await previousClaim(tx, personId);
      const throughPeriod = periodOf(separation.end_date);
      const contributionMonths = await unemploymentContributionMonths(
        tx,
        personId,
        prev?.separationPeriod ?? null,
        throughPeriod,
      );
      if (prev)
        trace.add(
          `contribution time restarts after claim #${prev.id} (months after ${prev.separationPeriod})`,
          prev.separationPeriod,
          'date',
          `前次失业（#${prev.id}）后重新就业，缴费时间重新计算`,
        );
      let eligible = true;
      let reasonCode: string | null = null;
      let reasonZh: string | null = null;
      let reasonEn: string | null = null;
      let maxMonths = 0;
      let monthlyFen: number | null = null;
      let carried = 0;
      if (await receivesPension(tx, personId)) {
        eligible = false;
        reasonCode = 'RECEIVES_PENSION';
        reasonZh = '您已按月领取基本养老金，不能同时领取失业保险金（社会保险法第五十一条）';
        reasonEn =
          'you already receive a basic pension, which excludes unemployment benefit (Social Insurance Law Art. 51)';
        trace.add('not eligible: a basic pension is paid', true, 'boolean', reasonZh);
      } else if (separation.end_reason !== 'involuntary') {
        eligible = false;
        reasonCode = 'VOLUNTARY_SEPARATION';
        const recorded = END_REASON_WORDS[separation.end_reason];
        reasonZh = `单位登记的减员原因为“${recorded.zh}”，不属于非因本人意愿中断就业（社会保险法第四十五条），不能领取失业保险金；可了解失业补助金等其他待遇`;
        reasonEn = `the employer recorded the separation as "${recorded.en}", not an involuntary loss of the job (Social Insurance Law Art. 45), so no unemployment benefit is due`;
        trace.add('not eligible: the job loss was not involuntary', separation.end_reason, 'text', reasonZh);
      } else {
        const assessed = assessUnemploymentBenefit(
          { region, claimDate: registrationDate, contributionMonths },
          this.ctx.params,
          trace,
        );
        if (!assessed.eligible) {
          eligible = false;
          reasonCode = 'TOO_FEW_MONTHS';
          reasonZh = `失业前累计缴纳失业保险费${contributionMonths}个月，${assessed.reasonZh ?? '不足1年'}，不能领取失业保险金（社会保险法第四十五条）`;
          reasonEn = `${contributionMonths} months of unemployment-insurance contributions before the job loss: ${assessed.reason ?? 'under one year'} (Social Insurance Law Art. 45)`;
        } else {
          maxMonths = assessed.maxMonths;
          monthlyFen = assessed.monthlyFen;
          if (prev && prev.carried > 0) {
            const cap = this.ctx.params.get<number>(
              'unemployment/max-total-months',
              region,
              registrationDate,
              trace,
              'claimDate',
            );
            carried = prev.carried;
            const total = Math.min(cap, maxMonths + carried);
            trace.add(
              `unused months of claim #${prev.id} added: ${maxMonths} + ${carried}, at most ${cap}`,
              total,
              'months',
              `前次应领而尚未领取的${carried}个月合并计算，最长${cap}个月（社会保险法第四十六条）`,
            );
            maxMonths = total;
          }
        }
      }
      const dates = eligible ? unemploymentEntitlement({ registrationDate, maxMonths }, trace) : null;
      let medicalFen = 0;
      if (eligible && monthlyFen !== null) {
        const pct = this.ctx.params.get<number>(
          'unemployment/medical-premium-percent',
          region,
          registrationDate,
          trace,
          'claimDate',
        );
        medicalFen = applyPercent(monthlyFen, pct);
        trace.add(
          `medical-insurance premium the fund pays = round(${monthlyFen} × ${pct}%)`,
          medicalFen,
          'fen',
          '失业保险基金代缴的职工基本医疗保险费（本人不缴费，社会保险法第四十八条）',
        );
      }
      // the due day is in the trace only when there is a benefit to decide
      const decisionDeadline = claimDecisionDeadline(
        registrationDate,
        region,
        this.ctx.params,
        eligible ? trace : undefined,
      );
      const row = await insertClaim(tx, {
        person_id: personId,
        region,
        employment_id: separation.id,
        employer_id: separation.employer_id,
        separation_date: separation.end_date,
        separation_reason: separation.end_reason,
        registration_date: registrationDate,
        decision_deadline: decisionDeadline,
        contribution_months: contributionMonths,
        carried_months: carried,
        eligible,
        max_months: maxMonths,
        monthly_fen: monthlyFen,
        medical_fen: medicalFen,
        entitlement_start: dates?.entitlementStart ?? null,
        entitlement_end: dates?.entitlementEnd ?? null,
        first_period: dates?.firstPeriod ?? null,
        last_period: dates?.lastPeriod ?? null,
        status: eligible ? 'submitted' : 'ineligible',
        reason_code: reasonCode,
        reason_zh: reasonZh,
        reason_en: reasonEn,
        inputs: JSON.stringify({
          employmentId: separation.id,
          separationDate: separation.end_date,
          separationReason: separation.end_reason,
          contributionMonths,
          registrationDate,
          carriedFromClaim: prev?.id ?? null,
        }),
        trace: JSON.stringify(trace.steps),
        created_by: actor.username,
      });
      await appendAudit(tx, actor, {
        action: 'unemployment.claim',
        entityType: 'unemployment_claim',
        entityId: row.id,
        region,
        subjectPersonId: personId,
        after: { status: row.status, eligible, maxMonths, monthlyFen, contributionMonths, carried },
      });
      await publishCaseStatus(tx, actor, {
        service: 'unemployment-benefit',
        ref: `unemployment_claim:${row.id}`,
        personId,
        status: eligible ? 'submitted' : 'rejected',
        ...(reasonZh === null ? {} : { note: { zh: reasonZh, en: reasonEn ?? reasonZh } }),
        regionCode: region,
      });
      return claimView(row, { months: 0, fen: 0 });
    });
  }

  /** One claim: the citizen their own, staff of the claim's region; employers never. */
  async getClaim(actor: Actor, id: number): Promise<ClaimView> {
    authorize(actor, 'unemployment.read');
    const r = checkReadable(actor, await findClaim(this.ctx.db, id));
    const [v] = await withStaffNames(this.ctx.db, actor, [
      asSeenBy(actor, claimView(r, await paidOf(this.ctx.db, r.id))),
    ]);
    return v!;
  }

  /** A citizen's own claims, or the staff queue of the region (by status), with deadlines. */
  async listClaims(
    actor: Actor,
    q: { status?: string; page: number; pageSize: number },
  ): Promise<{ items: ClaimView[]; total: number; page: number; pageSize: number }> {
    const b = visibleApplications(claimList(this.ctx.db), actor, 'c', q.status);
    const { rows, total } = await pageOf(b, q, (b) => claimListRows(b, actor.role !== 'citizen'));
    const items = await withStaffNames(
      this.ctx.db,
      actor,
      rows.map((r) =>
        asSeenBy(actor, claimView(r, { months: int(r.paid_months), fen: int(r.paid_fen) }, r.person_name)),
      ),
    );
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  async claimPayments(actor: Actor, id: number): Promise<ClaimPayment[]> {
    await this.getClaim(actor, id);
    const rows = await claimPaymentRows(this.ctx.db, id);
    return rows.map((r) => ({
      period: r.period.trim(),
      amountFen: int(r.amount_fen),
      medicalFen: int(r.medical_fen),
      runId: r.run_id,
    }));
  }

  async prepareDecision(actor: Actor, id: number, input: DecisionInput): Promise<ApprovalView> {
    // another city's record answers as an unknown one: a 403 told its clerk the number exists
    const c = foundInRegion(actor, 'unemployment.decide', await findClaim(this.ctx.db, id));
    if (c.status !== 'submitted') throw claimStatusConflict(c.status);
    requireRefusalReason(input);
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'unemployment.claim',
      dedupeKey: String(c.id),
      region: c.region.trim(),
      subjectPersonId: c.person_id,
      payload: { claimId: c.id, decision: input.decision, note: input.note ?? null },
      summary: {
        claimId: c.id,
        decision: input.decision,
        maxMonths: c.max_months,
        monthlyFen: c.monthly_fen === null ? null : int(c.monthly_fen),
        maxTotalFen: c.monthly_fen === null ? null : int(c.monthly_fen) * c.max_months,
        entitlementStart: c.entitlement_start,
        entitlementEnd: c.entitlement_end,
        decisionDeadline: c.decision_deadline,
      },
    });
  }

  /** Runs a released decision with the maker's authority; the checker comes from the approval. */
  async decideClaim(
    maker: Actor,
    payload: { claimId: number; decision: 'approve' | 'reject'; note: string | null },
    approvalId: number,
  ): Promise<unknown> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await findClaimForUpdate(tx, payload.claimId);
      if (!c) throw new SbError('SB_ERR_NOT_FOUND', { field: 'claimId' });
      authorize(maker, 'unemployment.decide', { region: c.region.trim() });
      if (c.status !== 'submitted') throw claimStatusConflict(c.status);
      const approval = await approvalById(tx, approvalId);
      const approve = payload.decision === 'approve';
      if (approve && c.monthly_fen === null)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '无适用的失业保险金标准，不能核准发放',
          en: 'no benefit amount rule is in force: the claim cannot be approved for payment',
        });
      const status = approve ? 'approved' : 'rejected';
      await recordClaimDecision(tx, c.id, {
        status,
        decided_by: maker.username,
        reviewed_by: approval?.checker_username ?? null,
        // the clock its registration day comes from (today()), so the two read on one calendar
        decided_at: now().toISOString(),
        decision_note: payload.note,
        ...(approve ? {} : { reason_code: 'REFUSED', reason_zh: payload.note, reason_en: payload.note }),
        updated_at: now().toISOString(),
      });
      // The months carried from an earlier claim are used now: they cannot be carried twice.
      if (approve && c.carried_months > 0) await useCarriedMonths(tx, c.person_id, c.id);
      await appendAudit(tx, maker, {
        action: 'unemployment.decide',
        entityType: 'unemployment_claim',
        entityId: c.id,
        region: c.region,
        subjectPersonId: c.person_id,
        before: { status: c.status },
        after: { status, reviewer: approval?.checker_username ?? null },
        reason: payload.note,
      });
      await publishCaseStatus(tx, maker, {
        service: 'unemployment-benefit',
        ref: `unemployment_claim:${c.id}`,
        personId: c.person_id,
        status,
        note: approve
          ? {
              zh: `核准领取失业保险金${c.max_months}个月，每月${formatMoney(c.monthly_fen ?? 0)}，自${dateInWords(c.entitlement_start ?? '', 'zh')}至${dateInWords(c.entitlement_end ?? '', 'zh')}`,
              en: `unemployment benefit granted for ${c.max_months} months, ${formatMoney(c.monthly_fen ?? 0)} a month, from ${dateInWords(c.entitlement_start ?? '', 'en')} to ${dateInWords(c.entitlement_end ?? '', 'en')}`,
            }
          : { zh: `不予核准：${payload.note ?? ''}`, en: `refused: ${payload.note ?? ''}` },
        // approved is paid month by month: the hall shows it being paid, not waiting past its deadline
        ...(approve ? { stage: BEING_PAID } : {}),
        regionCode: c.region.trim(),
      });
      return { claimId: c.id, status };
    });
  }

  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'unemployment.claim',
        checkAction: 'money.release',
        execute: (maker, payload, approvalId) =>
          this.decideClaim(
            maker,
            payload as { claimId: number; decision: 'approve' | 'reject'; note: string | null },
            approvalId,
          ),
      },
    ];
  }
}
