// Award status and money changes that other capabilities (certification) call inside their own
// transaction: suspend (one award, or many at once for the certification sweep), restore with back pay, queue arrears, open a recovery case. Each writes the
// audit entry in the caller's transaction. Contracts: docs/pension-schema.md.
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { addPeriods, parsePeriod, periodOf, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { ArrearsReason, SuspendReasonCode } from '../db/database.ts';
import { ACCOUNTS, postEntryForRecord } from '../ledger/journal.repository.ts';
import { int } from '../db/values.ts';
import { latestPayrollPeriod, publishRestored, publishSuspended, updateAward } from './pension.repository.ts';

async function awardForUpdate(tx: Db, awardId: number) {
  const a = await tx
    .selectFrom('pension_award')
    .selectAll()
    .where('id', '=', awardId)
    .forUpdate()
    .executeTakeFirst();
  if (!a)
    throw new SbError('SB_ERR_NOT_FOUND', {
      field: 'awardId',
      zh: `养老金待遇 ${awardId}`,
      en: `pension award ${awardId}`,
    });
  return a;
}

export interface RestoreResult {
  changed: boolean;
  arrearsFen: number;
  fromPeriod: Period | null;
  toPeriod: Period | null;
}

export interface ArrearsInput {
  awardId: number;
  reason: ArrearsReason;
  fromPeriod: string;
  toPeriod: string;
  amountFen: number;
  /** of which personal-account pension (drawn down from the account when paid); 0 when absent */
  accountFen?: number;
  idempotencyKey: string;
  detail?: unknown;
}

export interface RecoveryInput {
  personId: number;
  awardId: number | null;
  region: string;
  reason: 'death' | 'ineligible' | 'correction' | 'other';
  fromPeriod: string | null;
  toPeriod: string | null;
  amountFen: number;
  idempotencyKey: string;
  detail?: unknown;
  /** the fund that paid (the unemployment capability opens its overpayments here too) */
  fund?: 'employee_pension' | 'resident_pension' | 'unemployment';
}

export class AwardService {
  constructor(private readonly tx: Db) {}

  async suspend(
    actor: Actor,
    input: { awardId: number; fromPeriod: string; reason: string },
  ): Promise<{ changed: boolean }> {
    const fromPeriod = parsePeriod(input.fromPeriod, 'fromPeriod');
    const a = await awardForUpdate(this.tx, input.awardId);
    if (a.status === 'suspended') return { changed: false };
    if (a.status === 'stopped')
      throw new SbError('SB_ERR_CONFLICT', { zh: '待遇已终止', en: 'the award is stopped' });
    await updateAward(this.tx, a.id, {
      status: 'suspended',
      suspended_from_period: fromPeriod,
      // a clerk's suspension: the reason is the clerk's own words
      suspend_reason_code: 'other',
      suspend_reason: input.reason,
    });
    await appendAudit(this.tx, actor, {
      action: 'pension.suspend',
      entityType: 'pension_award',
      entityId: a.id,
      region: a.region,
      subjectPersonId: a.person_id,
      before: { status: a.status },
      after: { status: 'suspended', suspendedFromPeriod: fromPeriod },
      reason: input.reason,
    });
    // the pensioner is told in the hall why, in the clerk's own words, and from which month
    await publishSuspended(this.tx, {
      personIds: [a.person_id],
      fromPeriod,
      reasonCode: 'other',
      reason: input.reason,
    });
    return { changed: true };
  }

  /**
   * Suspends many active awards at once (the certification sweep): set-based, one statement. Awards
   * that are no longer active when the statement runs are left alone. Returns the awards suspended;
   * the caller writes its own records (the sweep: suspension and notice rows) and its job audit. The
   * reason is a code only: the pages say it in the reader's language.
   */
  async suspendMany(input: {
    awardIds: readonly number[];
    fromPeriod: string;
    reasonCode: SuspendReasonCode;
  }): Promise<Array<{ awardId: number; personId: number; region: string }>> {
    const fromPeriod = parsePeriod(input.fromPeriod, 'fromPeriod');
    if (input.awardIds.length === 0) return [];
    // Probed by the primary key within the ids' range: `id = ANY(array)` alone planned a scan of every
    // award for each chunk of the certification sweep.
    let lo = Infinity;
    let hi = -Infinity;
    for (const id of input.awardIds) {
      if (id < lo) lo = id;
      if (id > hi) hi = id;
    }
    const r = await sql<{ id: unknown; person_id: unknown; region: string }>`
      UPDATE pension_award a
      SET status = 'suspended', suspended_from_period = ${fromPeriod},
          suspend_reason_code = ${input.reasonCode}, suspend_reason = NULL,
          updated_at = now(), version = a.version + 1
      FROM unnest(${sql.val([...input.awardIds])}::bigint[]) AS u(id)
      WHERE a.id = u.id AND a.id >= ${lo} AND a.id <= ${hi} AND a.status = 'active'
      RETURNING a.id, a.person_id, a.region`.execute(this.tx);
    const suspended = r.rows.map((x) => ({
      awardId: int(x.id),
      personId: int(x.person_id),
      region: x.region,
    }));
    // one event for the chunk (a person with two awards told once), in the statement's transaction
    await publishSuspended(this.tx, {
      personIds: [...new Set(suspended.map((x) => x.personId))],
      fromPeriod,
      reasonCode: input.reasonCode,
      reason: null,
    });
    return suspended;
  }

  /**
   * Restores a suspended award and queues the back pay: every month from the suspension through the
   * latest period whose payroll has run (or last month when none has) that has no regular payment,
   * at the amount in force for that month.
   */
  async restore(actor: Actor, input: { awardId: number; reason: string }): Promise<RestoreResult> {
    const a = await awardForUpdate(this.tx, input.awardId);
    if (a.status !== 'suspended' || a.suspended_from_period === null)
      return { changed: false, arrearsFen: 0, fromPeriod: null, toPeriod: null };
    const from = a.suspended_from_period < a.start_period ? a.start_period : a.suspended_from_period;
    const through = (await latestPayrollPeriod(this.tx, a.region)) ?? addPeriods(periodOf(today()), -1);
    await updateAward(this.tx, a.id, {
      status: 'active',
      suspended_from_period: null,
      suspend_reason_code: null,
      suspend_reason: null,
    });
    let arrearsFen = 0;
    if (from <= through) {
      const r = await sql<{ total: unknown; account: unknown; months: unknown }>`
        SELECT coalesce(sum(f.monthly_fen), 0)::bigint AS total, coalesce(sum(f.account_fen), 0)::bigint AS account, count(*) AS months
        FROM (SELECT to_char(g, 'YYYY-MM') AS period FROM generate_series(${`${from}-01`}::date, ${`${through}-01`}::date, interval '1 month') g) m
        LEFT JOIN LATERAL (SELECT pa.monthly_fen, pa.account_fen FROM pension_amount pa WHERE pa.award_id = ${a.id} AND pa.effective_period <= m.period
                           ORDER BY pa.effective_period DESC, pa.id DESC LIMIT 1) f ON true
        WHERE NOT EXISTS (SELECT 1 FROM pension_payment pp WHERE pp.award_id = ${a.id} AND pp.period = m.period AND pp.kind = 'regular')`.execute(
        this.tx,
      );
      arrearsFen = int(r.rows[0]?.total);
      const arrearsAccountFen = int(r.rows[0]?.account);
      if (arrearsFen > 0) {
        await this.queueArrears(actor, {
          awardId: a.id,
          reason: 'restoration',
          fromPeriod: from,
          toPeriod: through,
          amountFen: arrearsFen,
          accountFen: arrearsAccountFen,
          idempotencyKey: `restoration:${a.id}:${a.suspended_from_period}`,
          detail: { months: int(r.rows[0]?.months), reason: input.reason },
        });
      }
    }
    await appendAudit(this.tx, actor, {
      action: 'pension.restore',
      entityType: 'pension_award',
      entityId: a.id,
      region: a.region,
      subjectPersonId: a.person_id,
      before: { status: 'suspended', suspendedFromPeriod: a.suspended_from_period },
      after: { status: 'active', arrearsFen, fromPeriod: from, toPeriod: through },
      reason: input.reason,
    });
    // The pensioner is told it is paid again: monthly from the first period no payroll has run for,
    // the months held back (if any) with the next payroll.
    await publishRestored(this.tx, {
      personId: a.person_id,
      awardId: a.id,
      resumesFrom: addPeriods(through, 1),
      arrearsFen,
      arrearsFrom: arrearsFen > 0 ? from : null,
      arrearsTo: arrearsFen > 0 ? through : null,
    });
    return {
      changed: true,
      arrearsFen,
      fromPeriod: from <= through ? from : null,
      toPeriod: from <= through ? through : null,
    };
  }

  /** Queues arrears for the next payroll; the same key twice queues once. */
  async queueArrears(actor: Actor, input: ArrearsInput): Promise<{ created: boolean }> {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen < 0)
      throw new SbError('SB_ERR_INVALID_AMOUNT', { field: 'amountFen' });
    const accountFen = input.accountFen ?? 0;
    if (!Number.isSafeInteger(accountFen) || accountFen < 0 || accountFen > input.amountFen)
      throw new SbError('SB_ERR_INVALID_AMOUNT', { field: 'accountFen' });
    const r = await this.tx
      .insertInto('pension_arrears')
      .values({
        award_id: input.awardId,
        reason: input.reason,
        from_period: parsePeriod(input.fromPeriod, 'fromPeriod'),
        to_period: parsePeriod(input.toPeriod, 'toPeriod'),
        amount_fen: input.amountFen,
        account_fen: accountFen,
        idempotency_key: input.idempotencyKey,
        detail: JSON.stringify(input.detail ?? {}),
        created_by: actor.username,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (r) {
      const a = await this.tx
        .selectFrom('pension_award')
        .select(['region', 'person_id'])
        .where('id', '=', input.awardId)
        .executeTakeFirstOrThrow();
      await appendAudit(this.tx, actor, {
        action: 'pension.arrears',
        entityType: 'pension_arrears',
        entityId: r.id,
        region: a.region,
        subjectPersonId: a.person_id,
        after: {
          awardId: input.awardId,
          reason: input.reason,
          fromPeriod: input.fromPeriod,
          toPeriod: input.toPeriod,
          amountFen: input.amountFen,
        },
      });
    }
    return { created: r !== undefined };
  }

  /** Opens a recovery case and books the receivable (debit overpayments receivable, credit benefit expenditure). */
  async openRecoveryCase(actor: Actor, input: RecoveryInput): Promise<{ id: number; created: boolean }> {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
      throw new SbError('SB_ERR_INVALID_AMOUNT', { field: 'amountFen' });
    const existing = await this.tx
      .selectFrom('recovery_case')
      .select('id')
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (existing) return { id: existing.id, created: false };
    const c = await this.tx
      .insertInto('recovery_case')
      .values({
        person_id: input.personId,
        award_id: input.awardId,
        region: input.region,
        reason: input.reason,
        from_period: input.fromPeriod,
        to_period: input.toPeriod,
        amount_fen: input.amountFen,
        idempotency_key: input.idempotencyKey,
        detail: JSON.stringify(input.detail ?? {}),
        journal_entry_id: null,
        created_by: actor.username,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await postEntryForRecord(
      this.tx,
      actor,
      { table: 'recovery_case', id: c.id },
      {
        fund: input.fund ?? 'employee_pension',
        region: input.region,
        period: periodOf(today()),
        entryDate: today(),
        kind: 'benefit_overpayment',
        description: `待遇多发追回 / overpaid benefit to recover (case ${c.id})`,
        idempotencyKey: `recovery:${c.id}`,
        lines: [
          { account: ACCOUNTS.overpaymentsReceivable, debitFen: input.amountFen },
          { account: ACCOUNTS.benefitExpenditure, creditFen: input.amountFen },
        ],
      },
    );
    await appendAudit(this.tx, actor, {
      action: 'pension.recovery.open',
      entityType: 'recovery_case',
      entityId: c.id,
      region: input.region,
      subjectPersonId: input.personId,
      after: {
        reason: input.reason,
        amountFen: input.amountFen,
        fromPeriod: input.fromPeriod,
        toPeriod: input.toPeriod,
      },
    });
    return { id: c.id, created: true };
  }
}
