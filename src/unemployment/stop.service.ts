// Stopping and interrupting a claim (社会保险法 Art. 51; 条例 Art. 15; 广东 2022 Art. 28). Re-employment is
// found by the payroll from the system's data (benefit-payroll.job.ts); the other events are recorded by
// a clerk: starting a pension, enlistment, emigration, imprisonment (a stop, or an interruption where
// the region says so), refusal of suitable work. What each does is data (params/unemployment/stop-events.yaml):
// the event month is the last month paid, unused months are kept for a later claim where the law says so,
// and months already paid after the stop open a recovery case. Death during receipt is decided with a
// reviewer: the claim stops and the funeral grant and 抚恤金 are paid (社会保险法 Art. 49).
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion, foundInScope } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { today } from '../core/clock.ts';
import { addPeriods, parseDate, periodCount, periodOf, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumbersIn } from '../core/ids.ts';
import { Trace } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import type { UnemploymentStopEvent } from '../db/database.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { AwardService } from '../pension/award.service.ts';
import {
  BEING_PAID,
  findClaim,
  findClaimForUpdate,
  publishCaseStatus,
  type ClaimRow,
} from './claim.repository.ts';
import { insertGrant } from './grant.repository.ts';
import { findPerson } from '../registry/person.repository.ts';
import { insertStopEvent, moveClaim, paidFrom, refusalsRecorded, stopEvents } from './stop.repository.ts';
import { assessDeathGrant } from './unemployment-grants.rules.ts';
import { claimStatusConflict } from './unemployment-status.ts';

export interface StopEventsTable {
  lastPaid: 'event-month';
  refusalsToStop: number;
  events: Partial<Record<UnemploymentStopEvent, { action: 'stop' | 'interrupt'; keepRemaining: boolean }>>;
}

export type ClerkStopEvent =
  'pension' | 'enlistment' | 'emigration' | 'imprisonment' | 'refusal' | 'reemployment';

const EVENT_EN: Record<UnemploymentStopEvent, string> = {
  reemployment: 're-employment',
  pension: 'a basic pension starting',
  enlistment: 'military service',
  emigration: 'emigration',
  imprisonment: 'imprisonment',
  refusal: 'refusing suitable work or training without good reason',
  death: 'death',
  release: 'release from prison',
};

const EVENT_ZH: Record<UnemploymentStopEvent, string> = {
  reemployment: '重新就业',
  pension: '开始享受基本养老保险待遇',
  enlistment: '应征服兵役',
  emigration: '移居境外',
  imprisonment: '被判刑收监执行',
  refusal: '无正当理由拒不接受介绍的适当工作或者培训',
  death: '死亡',
  release: '刑满释放，恢复领取',
};

/** Months of the entitlement used up to and including `throughPeriod` (the benefit months that fell due). */
function usedMonths(c: ClaimRow, throughPeriod: string): number {
  if (c.first_period === null) return 0;
  return Math.min(c.max_months, periodCount(c.first_period.trim(), throughPeriod));
}

/** Opens a recovery case for the months paid from `fromPeriod` on (not due after the stop). */
async function recoverFrom(
  tx: Db,
  actor: Actor,
  c: ClaimRow,
  fromPeriod: string,
  event: string,
): Promise<number | null> {
  const over = await paidFrom(tx, c.id, fromPeriod);
  const total = over.total;
  if (total <= 0) return null;
  const rc = await new AwardService(tx).openRecoveryCase(actor, {
    personId: c.person_id,
    awardId: null,
    region: c.region.trim(),
    reason: event === 'death' ? 'death' : 'ineligible',
    fromPeriod: over.first ?? fromPeriod,
    toPeriod: over.last ?? fromPeriod,
    amountFen: total,
    idempotencyKey: `unemployment-stop:${c.id}`,
    detail: { claimId: c.id, event },
    fund: 'unemployment',
  });
  return rc.id;
}

export interface StopResult {
  claimId: number;
  status: string;
  action: 'stop' | 'interrupt' | 'recorded';
  stoppedFromPeriod: string | null;
  remainingMonths: number | null;
  carryForward: boolean;
  recoveryCaseId: number | null;
}

async function applyStop(
  ctx: AppContext,
  tx: Db,
  actor: Actor,
  c: ClaimRow,
  event: UnemploymentStopEvent,
  eventDate: IsoDate,
  note: string | null,
): Promise<StopResult> {
  const rules = ctx.params.get<StopEventsTable>('unemployment/stop-events', c.region.trim(), eventDate);
  const rule = rules.events[event] ?? { action: 'stop' as const, keepRemaining: false };
  const eventPeriod = periodOf(eventDate);
  const fromPeriod = addPeriods(eventPeriod, 1);
  // Refusals count: only the n-th refusal stops where the region asks for more than one (广东: 3).
  if (event === 'refusal' && rules.refusalsToStop > 1) {
    const before = await refusalsRecorded(tx, c.id);
    if (before + 1 < rules.refusalsToStop) {
      await insertStopEvent(tx, {
        claim_id: c.id,
        event,
        event_date: eventDate,
        source: 'clerk',
        action: 'recorded',
        stopped_from_period: null,
        note,
        created_by: actor.username,
      });
      await appendAudit(tx, actor, {
        action: 'unemployment.stop-event',
        entityType: 'unemployment_claim',
        entityId: c.id,
        region: c.region,
        subjectPersonId: c.person_id,
        after: {
          event,
          eventDate,
          action: 'recorded',
          count: before + 1,
          of: rules.refusalsToStop,
        },
        reason: note,
      });
      return {
        claimId: c.id,
        status: c.status,
        action: 'recorded',
        stoppedFromPeriod: null,
        remainingMonths: null,
        carryForward: false,
        recoveryCaseId: null,
      };
    }
  }
  const remaining = Math.max(0, c.max_months - usedMonths(c, eventPeriod));
  const status = rule.action === 'interrupt' ? 'interrupted' : 'stopped';
  await moveClaim(
    tx,
    c.id,
    {
      status,
      stop_event: event,
      stop_date: eventDate,
      ...(rule.action === 'interrupt'
        ? { interrupted_from_period: fromPeriod }
        : {
            stopped_from_period: fromPeriod,
            remaining_months: remaining,
            carry_forward: rule.keepRemaining,
          }),
    },
    {
      event,
      event_date: eventDate,
      action: rule.action,
      stopped_from_period: fromPeriod,
      note,
      created_by: actor.username,
    },
  );
  const recoveryCaseId = await recoverFrom(tx, actor, c, fromPeriod, event);
  await appendAudit(tx, actor, {
    action: 'unemployment.stop',
    entityType: 'unemployment_claim',
    entityId: c.id,
    region: c.region,
    subjectPersonId: c.person_id,
    before: { status: c.status },
    after: { status, event, eventDate, fromPeriod, remaining, keep: rule.keepRemaining, recoveryCaseId },
    reason: note,
  });
  await publishCaseStatus(tx, actor, {
    service: 'unemployment-benefit',
    ref: `unemployment_claim:${c.id}`,
    personId: c.person_id,
    status: 'completed',
    note:
      rule.action === 'interrupt'
        ? {
            zh: `因${EVENT_ZH[event]}，自${fromPeriod}起中止发放，情形消失后恢复`,
            en: `suspended from ${fromPeriod} because of ${EVENT_EN[event]}; resumes when that ends`,
          }
        : {
            zh: `因${EVENT_ZH[event]}，自${fromPeriod}起停止发放失业保险金${rule.keepRemaining ? `，尚未领取的${remaining}个月保留，再次失业时合并计算` : ''}`,
            en: `unemployment benefit stopped from ${fromPeriod} because of ${EVENT_EN[event]}${rule.keepRemaining ? `; the ${remaining} months not yet drawn are kept for a later claim` : ''}`,
          },
    regionCode: c.region.trim(),
  });
  return {
    claimId: c.id,
    status,
    action: rule.action,
    stoppedFromPeriod: rule.action === 'stop' ? fromPeriod : null,
    remainingMonths: rule.action === 'stop' ? remaining : null,
    carryForward: rule.action === 'stop' && rule.keepRemaining,
    recoveryCaseId,
  };
}

async function decideDeath(
  ctx: AppContext,
  maker: Actor,
  payload: { claimId: number; dependents: number },
): Promise<unknown> {
  return ctx.db.transaction().execute(async (tx) => {
    const c = await findClaimForUpdate(tx, payload.claimId);
    if (!c) throw new SbError('SB_ERR_NOT_FOUND', { field: 'claimId' });
    authorize(maker, 'unemployment.decide', { region: c.region.trim() });
    if (c.status !== 'approved' && c.status !== 'interrupted') throw claimStatusConflict(c.status);
    const person = await deathOnRecord(tx, c.person_id);
    const stop = await applyStop(ctx, tx, maker, c, 'death', person.death_date, '领取期间死亡');
    const trace = new Trace();
    const grant = assessDeathGrant(
      {
        region: c.region.trim(),
        deathDate: person.death_date,
        monthlyBenefitFen: int(c.monthly_fen ?? 0) as never,
        dependents: payload.dependents,
      },
      ctx.params,
      trace,
    );
    const entry = await postEntry(tx, maker, {
      fund: 'unemployment',
      region: c.region.trim(),
      period: periodOf(today()),
      entryDate: today(),
      kind: 'unemployment_death_grant',
      description: `失业人员死亡丧葬补助金和抚恤金 / funeral grant and survivors' benefit (claim ${c.id})`,
      idempotencyKey: `unemployment-death:${c.id}`,
      source: { type: 'unemployment_claim', id: c.id },
      lines: [
        { account: ACCOUNTS.benefitExpenditure, debitFen: grant.totalFen },
        { account: ACCOUNTS.bank, creditFen: grant.totalFen },
      ],
    });
    const g = await insertGrant(tx, {
      kind: 'death',
      person_id: c.person_id,
      claim_id: c.id,
      region: c.region.trim(),
      eligible: true,
      months: 0,
      amount_fen: grant.totalFen,
      status: 'paid',
      inputs: JSON.stringify({ dependents: payload.dependents, deathDate: person.death_date }),
      trace: JSON.stringify(trace.steps),
      journal_entry_id: entry.entryId,
      created_by: maker.username,
      decided_by: maker.username,
      decided_at: new Date().toISOString(),
    });
    await appendAudit(tx, maker, {
      action: 'unemployment.death-grant',
      entityType: 'unemployment_grant',
      entityId: g.id,
      region: c.region,
      subjectPersonId: c.person_id,
      after: { ...grant, claimId: c.id },
    });
    return { claimId: c.id, grantId: g.id, ...grant, recoveryCaseId: stop.recoveryCaseId };
  });
}

/** The person's death as the registry records it; none recorded is a conflict. */
async function deathOnRecord(db: Db, personId: number) {
  const person = await findPerson(db, personId);
  if (!person?.death_date)
    throw new SbError('SB_ERR_CONFLICT', {
      zh: '登记册中未登记死亡',
      en: 'no death is recorded in the registry',
    });
  return { death_date: person.death_date };
}

export class StopService {
  constructor(private readonly ctx: AppContext) {}

  /** A clerk records a stop event of the claim (the date is the event's, never after today). */
  async recordStop(
    actor: Actor,
    id: number,
    input: { event: ClerkStopEvent; eventDate: string; note?: string },
  ): Promise<StopResult> {
    authorize(actor, 'unemployment.stop');
    const eventDate = parseDate(input.eventDate, 'eventDate');
    if (eventDate > today())
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'eventDate',
        zh: '不能晚于今天',
        en: 'not after today',
      });
    return this.ctx.db.transaction().execute(async (tx) => {
      // another city's claim answers as an unknown one: a 403 told its clerk the number exists
      const c = foundInRegion(actor, 'unemployment.stop', await findClaimForUpdate(tx, id));
      if (c.status !== 'approved') throw claimStatusConflict(c.status);
      if (eventDate < c.registration_date)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'eventDate',
          zh: '不能早于失业登记之日',
          en: 'not before the registration day',
        });
      return applyStop(this.ctx, tx, actor, c, input.event, eventDate, input.note ?? null);
    });
  }

  /** An interruption ends (release from prison): payments resume and the clock moves on by the months missed. */
  async resumeClaim(
    actor: Actor,
    id: number,
    input: { date: string; note?: string },
  ): Promise<{ claimId: number; status: string; lastPeriod: string }> {
    authorize(actor, 'unemployment.stop');
    const date = parseDate(input.date, 'date');
    if (date > today())
      throw new SbError('SB_ERR_OUT_OF_RANGE', { field: 'date', zh: '不能晚于今天', en: 'not after today' });
    return this.ctx.db.transaction().execute(async (tx) => {
      // another city's claim answers as an unknown one: a 403 told its clerk the number exists
      const c = foundInRegion(actor, 'unemployment.stop', await findClaimForUpdate(tx, id));
      if (c.status !== 'interrupted' || c.interrupted_from_period === null || c.last_period === null)
        throw new SbError('SB_ERR_CONFLICT', { zh: '申领未中止', en: 'the claim is not interrupted' });
      // a resumption dated before its interruption would pay months the claim was interrupted in
      if (c.stop_date !== null && date < c.stop_date)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: 'date',
          zh: '不能早于中止之日',
          en: 'not before the day the claim was interrupted',
        });
      const from = c.interrupted_from_period.trim();
      const resumeFrom = periodOf(date);
      const missed = Math.max(0, periodCount(from, resumeFrom) - 1);
      const lastPeriod = addPeriods(c.last_period.trim(), missed);
      await moveClaim(
        tx,
        c.id,
        { status: 'approved', last_period: lastPeriod, interrupted_from_period: null },
        {
          event: 'release',
          event_date: date,
          action: 'resume',
          stopped_from_period: null,
          note: input.note ?? null,
          created_by: actor.username,
        },
      );
      await appendAudit(tx, actor, {
        action: 'unemployment.resume',
        entityType: 'unemployment_claim',
        entityId: c.id,
        region: c.region,
        subjectPersonId: c.person_id,
        before: { status: c.status, lastPeriod: c.last_period },
        after: { status: 'approved', lastPeriod, missed },
        reason: input.note ?? null,
      });
      await publishCaseStatus(tx, actor, {
        service: 'unemployment-benefit',
        ref: `unemployment_claim:${c.id}`,
        personId: c.person_id,
        status: 'approved',
        note: {
          zh: `中止情形消失，自${resumeFrom}起恢复发放，领取期限顺延至${lastPeriod}`,
          en: `payments resume from ${resumeFrom}; the entitlement now runs to ${lastPeriod}`,
        },
        stage: BEING_PAID,
        regionCode: c.region.trim(),
      });
      return { claimId: c.id, status: 'approved', lastPeriod };
    });
  }

  async stopEvents(
    actor: Actor,
    id: number,
  ): Promise<
    Array<{
      event: string;
      eventDate: string;
      source: string;
      action: string;
      stoppedFromPeriod: string | null;
      note: string | null;
    }>
  > {
    // another person's or another city's claim answers as an unknown one
    foundInScope(actor, 'unemployment.read', await findClaim(this.ctx.db, id), (c) => ({
      personId: c.person_id,
      region: c.region.trim(),
    }));
    const rows = await stopEvents(this.ctx.db, id);
    return rows.map((r) => ({
      event: r.event,
      eventDate: r.event_date,
      source: r.source,
      action: r.action,
      stoppedFromPeriod: r.stopped_from_period?.trim() ?? null,
      // the clerk's note, read by the claimant too: an ID number typed into it (another's) is masked
      note: r.note === null ? null : maskIdNumbersIn(r.note),
    }));
  }

  // ---- death during receipt: a clerk prepares, a reviewer releases ----

  async prepareDeathGrant(actor: Actor, id: number, input: { dependents: number }): Promise<ApprovalView> {
    // another city's record answers as an unknown one: a 403 told its clerk the number exists
    const c = foundInRegion(actor, 'unemployment.decide', await findClaim(this.ctx.db, id));
    if (c.status !== 'approved' && c.status !== 'interrupted') throw claimStatusConflict(c.status);
    const person = await deathOnRecord(this.ctx.db, c.person_id);
    const preview = assessDeathGrant(
      {
        region: c.region.trim(),
        deathDate: person.death_date,
        monthlyBenefitFen: int(c.monthly_fen ?? 0) as never,
        dependents: input.dependents,
      },
      this.ctx.params,
    );
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'unemployment.death',
      dedupeKey: String(c.id),
      region: c.region.trim(),
      subjectPersonId: c.person_id,
      payload: { claimId: c.id, dependents: input.dependents },
      summary: { claimId: c.id, deathDate: person.death_date, ...preview },
    });
  }

  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'unemployment.death',
        checkAction: 'money.release',
        execute: (maker, payload) =>
          decideDeath(this.ctx, maker, payload as { claimId: number; dependents: number }),
      },
    ];
  }
}
