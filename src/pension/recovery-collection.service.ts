// Collecting a recovery case (追回): a clerk records a repayment the person made, or schedules an
// offset against a future month's pension; a reviewer who is another person releases it (four eyes,
// approval kind `recovery.collect`). A released repayment is booked at once (bank ← overpayments
// receivable) and credited to the case; a released offset waits for its month's payroll, which pays
// the pension less the offset and credits the case (payroll.job.ts). A case is closed (`recovered`)
// when what was collected reaches what was owed. Every step is audited with the person as subject.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { today } from '../core/clock.ts';
import { addPeriods, parseDate, parsePeriod, periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatMoney } from '../core/money-text.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntryForRecord } from '../ledger/journal.repository.ts';
import { amountInForce, awardScheme, latestPayrollPeriod } from './pension.repository.ts';

export type CollectionInput =
  | { kind: 'repayment'; amountFen: number; receivedDate: string; bankRef?: string; note?: string }
  | { kind: 'offset'; amountFen: number; period: string; note?: string };

export interface CollectionView {
  id: number;
  caseId: number;
  kind: 'repayment' | 'offset';
  amountFen: number;
  receivedDate: string | null;
  bankRef: string | null;
  period: string | null;
  status: 'recorded' | 'scheduled' | 'applied';
  note: string | null;
  createdBy: string;
  createdAt: string;
}

const closed = () =>
  new SbError('SB_ERR_CONFLICT', { zh: '追回案件已结', en: 'the recovery case is closed' });

/** Checks a collection against the case as it stands (prepare and release both). Answers the award's scheme. */
async function check(
  db: Db,
  c: {
    id: number;
    status: string;
    amount_fen: number;
    recovered_fen: number;
    award_id: number | null;
    region: string;
  },
  input: CollectionInput,
) {
  if (c.status !== 'open') throw closed();
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
    throw new SbError('SB_ERR_INVALID_AMOUNT', { field: 'amountFen' });
  const scheduled = await sql<{ n: unknown }>`
    SELECT coalesce(sum(amount_fen), 0)::bigint AS n FROM recovery_collection WHERE case_id = ${c.id} AND status = 'scheduled'`.execute(
    db,
  );
  const outstanding = int(c.amount_fen) - int(c.recovered_fen) - int(scheduled.rows[0]?.n);
  if (input.amountFen > outstanding)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'amountFen',
      zh: `尚待追回 ${formatMoney(outstanding)}（已扣除已安排的抵扣）`,
      en: `${formatMoney(outstanding)} is outstanding (scheduled offsets deducted)`,
    });
  if (input.kind === 'repayment') {
    const d = parseDate(input.receivedDate, 'receivedDate');
    if (d > today())
      throw new SbError('SB_ERR_INVALID_DATE', {
        field: 'receivedDate',
        zh: '到账日期晚于今天',
        en: 'the date is in the future',
      });
    return;
  }
  const period = parsePeriod(input.period, 'period');
  if (c.award_id === null)
    throw new SbError('SB_ERR_NOT_ELIGIBLE', {
      field: 'period',
      zh: '该案件无对应养老金可抵扣',
      en: 'no pension to offset against',
    });
  const award = await db
    .selectFrom('pension_award')
    .select(['status', 'region'])
    .where('id', '=', c.award_id)
    .executeTakeFirstOrThrow();
  if (award.status === 'stopped')
    throw new SbError('SB_ERR_NOT_ELIGIBLE', {
      field: 'period',
      zh: '养老金已停发，无法从今后的养老金中抵扣，请登记退回款',
      en: 'the pension has stopped: nothing to offset against; record a repayment instead',
    });
  const last = (await latestPayrollPeriod(db, award.region)) ?? addPeriods(periodOf(today()), -1);
  if (period <= last || period > addPeriods(periodOf(today()), 12))
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'period',
      zh: `抵扣月份须在 ${addPeriods(last, 1)} 至 ${addPeriods(periodOf(today()), 12)} 之间（尚未发放的月份）`,
      en: `the month must be from ${addPeriods(last, 1)} to ${addPeriods(periodOf(today()), 12)} (not yet paid)`,
    });
  const monthly = await amountInForce(db, c.award_id, period);
  if (monthly === null || input.amountFen > monthly)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'amountFen',
      zh: `抵扣金额不得超过当月养老金 ${monthly ?? 0} 分`,
      en: `the offset may not exceed that month's pension (${monthly ?? 0} fen)`,
    });
  const taken = await db
    .selectFrom('recovery_collection')
    .select('id')
    .where('award_id', '=', c.award_id)
    .where('period', '=', period)
    .where('kind', '=', 'offset')
    .executeTakeFirst();
  if (taken)
    throw new SbError('SB_ERR_DUPLICATE', {
      field: 'period',
      zh: `${period} 已安排抵扣`,
      en: `${period} already has an offset`,
    });
}

/**
 * A recovery case the clerk may collect: the region that opened it decides. An unknown id and another
 * region's case get the same 404 (authorizeFound's), which does not repeat the id asked for.
 */
async function caseFor(db: Db, actor: Actor, caseId: number, forUpdate = false) {
  let q = db.selectFrom('recovery_case').selectAll().where('id', '=', caseId);
  if (forUpdate) q = q.forUpdate();
  return foundInRegion(actor, 'pension.manage', await q.executeTakeFirst());
}

/** Runs a released collection with the maker's authority. */
async function collect(
  ctx: AppContext,
  actor: Actor,
  payload: { caseId: number } & CollectionInput,
  approvalId: number,
) {
  return ctx.db.transaction().execute(async (tx) => {
    const c = await caseFor(tx, actor, payload.caseId, true);
    await check(tx, c, payload);
    const scheme = await awardScheme(tx, c.award_id);
    const fund = scheme === 'resident_pension' ? 'resident_pension' : 'employee_pension';
    const row = await tx
      .insertInto('recovery_collection')
      .values({
        case_id: c.id,
        kind: payload.kind,
        amount_fen: payload.amountFen,
        received_date: payload.kind === 'repayment' ? payload.receivedDate : null,
        bank_ref: payload.kind === 'repayment' ? (payload.bankRef ?? null) : null,
        award_id: payload.kind === 'offset' ? c.award_id : null,
        period: payload.kind === 'offset' ? payload.period : null,
        status: payload.kind === 'repayment' ? 'recorded' : 'scheduled',
        payroll_run_id: null,
        journal_entry_id: null,
        approval_id: approvalId,
        note: payload.note ?? null,
        created_by: actor.username,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    let recovered = int(c.recovered_fen);
    if (payload.kind === 'repayment') {
      await postEntryForRecord(
        tx,
        actor,
        { table: 'recovery_collection', id: row.id },
        {
          fund,
          region: c.region,
          period: periodOf(today()),
          entryDate: today(),
          kind: 'benefit_overpayment',
          description: `追回退款到账 / recovery repaid (case ${c.id}, ${payload.receivedDate})`,
          idempotencyKey: `recovery-collection:${row.id}`,
          lines: [
            { account: ACCOUNTS.bank, debitFen: payload.amountFen },
            { account: ACCOUNTS.overpaymentsReceivable, creditFen: payload.amountFen },
          ],
        },
      );
      recovered += payload.amountFen;
      await tx
        .updateTable('recovery_case')
        .set({
          recovered_fen: recovered,
          status: recovered >= int(c.amount_fen) ? 'recovered' : 'open',
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', c.id)
        .execute();
    }
    await appendAudit(tx, actor, {
      action: `pension.recovery.${payload.kind}`,
      entityType: 'recovery_case',
      entityId: c.id,
      region: c.region,
      subjectPersonId: c.person_id,
      before: { recoveredFen: int(c.recovered_fen), status: c.status },
      after: {
        collectionId: row.id,
        kind: payload.kind,
        amountFen: payload.amountFen,
        recoveredFen: recovered,
        ...(payload.kind === 'offset' ? { period: payload.period, status: 'scheduled' } : {}),
      },
      reason: payload.note ?? null,
    });
    return { caseId: c.id, collectionId: row.id, kind: payload.kind, recoveredFen: recovered };
  });
}

const view = (r: {
  id: number;
  case_id: number;
  kind: 'repayment' | 'offset';
  amount_fen: number;
  received_date: string | null;
  bank_ref: string | null;
  period: string | null;
  status: 'recorded' | 'scheduled' | 'applied';
  note: string | null;
  created_by: string;
  created_at: string;
}): CollectionView => ({
  id: Number(r.id),
  caseId: Number(r.case_id),
  kind: r.kind,
  amountFen: int(r.amount_fen),
  receivedDate: r.received_date,
  bankRef: r.bank_ref,
  period: r.period === null ? null : r.period.trim(),
  status: r.status,
  note: r.note,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
});

export class RecoveryCollectionService {
  constructor(private readonly ctx: AppContext) {}

  /** A clerk prepares a repayment or an offset; nothing is booked before a reviewer releases it. */
  async prepare(actor: Actor, caseId: number, input: CollectionInput): Promise<ApprovalView> {
    authorize(actor, 'pension.manage');
    const c = await caseFor(this.ctx.db, actor, caseId);
    await check(this.ctx.db, c, input);
    const what = input.kind === 'repayment' ? `${input.receivedDate}:${input.bankRef ?? ''}` : input.period;
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'recovery.collect',
      dedupeKey: `${c.id}:${input.kind}:${what}:${input.amountFen}`,
      region: c.region.trim(),
      subjectPersonId: c.person_id,
      payload: { caseId: c.id, ...input },
      summary: {
        caseId: c.id,
        kind: input.kind,
        amountFen: input.amountFen,
        owedFen: int(c.amount_fen),
        recoveredFen: int(c.recovered_fen),
        ...(input.kind === 'repayment'
          ? { receivedDate: input.receivedDate, bankRef: input.bankRef ?? null }
          : { period: input.period }),
      },
    });
  }

  /** The collections of a case (newest first). */
  async list(actor: Actor, caseId: number): Promise<CollectionView[]> {
    authorize(actor, 'pension.manage');
    await caseFor(this.ctx.db, actor, caseId);
    const rows = await this.ctx.db
      .selectFrom('recovery_collection')
      .selectAll()
      .where('case_id', '=', caseId)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(view);
  }

  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'recovery.collect',
        checkAction: 'money.release',
        execute: (maker, payload, approvalId) =>
          collect(this.ctx, maker, payload as { caseId: number } & CollectionInput, approvalId),
      },
    ];
  }
}
