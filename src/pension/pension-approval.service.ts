// Maker–checker for the pension's money actions (issue #10): a clerk prepares the payroll run, the
// annual adjustment, a death follow-up (stop, recovery, survivor benefit and the heirs' account
// balance), a restoration with back pay and a recovery write-off; a reviewer who is another person
// releases it (src/approval/). Nothing is paid, posted or written to a bank file before the release.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion, permits } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { today } from '../core/clock.ts';
import { parsePeriod, periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { runAdjustment } from './adjustment.job.ts';
import { DeathService } from './death.service.ts';
import { PensionService } from './pension.service.ts';
import { checkPayrollPeriod, payrollSummary, previewPayroll, runPayroll } from './payroll.job.ts';
import { int } from '../db/values.ts';
import {
  awardScheme,
  currentAmountSql,
  deathRegion,
  pendingDeathCount,
  regionCoversSql,
} from './pension.repository.ts';

/** The pension's money decisions, prepared by a clerk for a reviewer's release (src/approval/). */
export class PensionApprovalService {
  constructor(private readonly ctx: AppContext) {}

  /** The pension's approval kinds: each runs the prepared action with the maker's authority. */
  approvalKinds(): ApprovalKind[] {
    const ctx = this.ctx;
    const pension = new PensionService(ctx);
    return [
      {
        kind: 'payroll.run',
        checkAction: 'money.release',
        resumable: true,
        background: true,
        execute: (maker, payload, _id, onProgress) =>
          runPayroll(ctx.db, maker, {
            ...(payload as { period: string; region: string }),
            ...(onProgress ? { onProgress } : {}),
            workers: ctx.config.payrollWorkers,
          }),
      },
      {
        kind: 'adjustment.run',
        checkAction: 'money.release',
        resumable: true,
        background: true,
        execute: (maker, payload, _id, onProgress) =>
          runAdjustment(ctx, maker, {
            ...(payload as { region: string; year: number }),
            ...(onProgress ? { onProgress } : {}),
            workers: ctx.config.payrollWorkers,
          }),
      },
      {
        kind: 'survivor.decide',
        checkAction: 'money.release',
        execute: (maker, payload) =>
          new DeathService(ctx).decideDeath(
            maker,
            payload as { personId: number; monthlyDisposableIncomeFen?: number },
          ),
      },
      {
        kind: 'pension.restore',
        checkAction: 'money.release',
        execute: (maker, payload) => {
          const p = payload as { awardId: number; reason: string };
          return pension.restoreByClerk(maker, p.awardId, { reason: p.reason });
        },
      },
      {
        kind: 'recovery.write-off',
        checkAction: 'money.release',
        execute: (maker, payload) => this.writeOff(maker, payload as { caseId: number; reason: string }),
      },
    ];
  }

  private async knownRegion(region: string): Promise<void> {
    if (
      !(await this.ctx.db.selectFrom('region').select('code').where('code', '=', region).executeTakeFirst())
    )
      throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
  }

  /** A clerk prepares the month's payroll: the summary (count, total) is what the reviewer releases. */
  async preparePayroll(actor: Actor, input: { period: string; region: string }): Promise<ApprovalView> {
    authorize(actor, 'payroll.run', { region: input.region });
    const period = parsePeriod(input.period);
    checkPayrollPeriod(period);
    await this.knownRegion(input.region);
    const run = await payrollSummary(this.ctx.db, { period, region: input.region });
    if (run.status === 'done')
      throw new SbError('SB_ERR_CONFLICT', {
        field: 'period',
        zh: '该月的养老金已发放',
        en: 'this month’s pension is already paid',
      });
    const preview = await previewPayroll(this.ctx.db, { period, region: input.region });
    // Deaths the registry reported that no follow-up has handled yet: the dead are not paid for months
    // after their death (payableSql), and each follow-up (stop, recovery, survivor benefit, heirs) is
    // prepared and released on its own (survivor.decide), never as a side effect of the payroll.
    const pendingDeaths = await pendingDeathCount(this.ctx.db, input.region);
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'payroll.run',
      dedupeKey: `${input.region}:${period}`,
      region: input.region,
      subjectPersonId: null,
      payload: { period, region: input.region },
      summary: { period, region: input.region, ...preview, pendingDeaths },
    });
  }

  /** A clerk prepares the year's adjustment: the awards in force in the region it will recompute. */
  async prepareAdjustment(actor: Actor, input: { region: string; year: number }): Promise<ApprovalView> {
    authorize(actor, 'adjustment.run', { region: input.region });
    if (!Number.isSafeInteger(input.year) || input.year < 2000 || input.year > 2100)
      throw new SbError('SB_ERR_OUT_OF_RANGE', { field: 'year' });
    await this.knownRegion(input.region);
    const r = await sql<{ n: unknown; total: unknown }>`
      SELECT count(*) AS n, coalesce(sum(${currentAmountSql()}), 0)::bigint AS total
      FROM pension_award a WHERE ${regionCoversSql(sql`a.region`, input.region)} AND a.status = 'active'`.execute(
      this.ctx.db,
    );
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'adjustment.run',
      dedupeKey: `${input.region}:${input.year}`,
      region: input.region,
      subjectPersonId: null,
      payload: { region: input.region, year: input.year },
      summary: {
        region: input.region,
        year: input.year,
        awardsInForce: int(r.rows[0]?.n),
        monthlyFenInForce: int(r.rows[0]?.total),
      },
    });
  }

  /** A clerk prepares a death follow-up (stop, recovery, survivor benefit, the heirs' balance). */
  async prepareDeath(
    actor: Actor,
    input: { personId: number; monthlyDisposableIncomeFen?: number },
  ): Promise<ApprovalView> {
    authorize(actor, 'survivor.decide');
    const person = await this.ctx.db
      .selectFrom('person')
      .select(['id', 'region', 'death_date'])
      .where('id', '=', input.personId)
      .executeTakeFirst();
    if (!person) throw new SbError('SB_ERR_NOT_FOUND', { field: 'personId' });
    const region = await deathRegion(this.ctx.db, person);
    // a person of another city answers as an unknown one (a 403 told its clerk the number exists); one who
    // moved to the clerk's city, whose record the clerk reads, hears that the paying city decides
    if (
      !permits(actor, 'survivor.decide', { region }) &&
      !permits(actor, 'person.read', { personId: person.id, region: person.region.trim() })
    )
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'personId' });
    authorize(actor, 'survivor.decide', { region });
    if (person.death_date === null)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '登记册中未登记死亡',
        en: 'no death is recorded in the registry',
      });
    const done = await this.ctx.db
      .selectFrom('pension_death_case')
      .select('person_id')
      .where('person_id', '=', person.id)
      .executeTakeFirst();
    if (done)
      throw new SbError('SB_ERR_CONFLICT', { zh: '该死亡已处理', en: 'this death is already processed' });
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'survivor.decide',
      dedupeKey: String(person.id),
      region,
      subjectPersonId: person.id,
      payload: input,
      summary: { personId: person.id, deathDate: person.death_date },
    });
  }

  /** A clerk prepares the restoration of a suspended award with its back pay. */
  async prepareRestore(actor: Actor, awardId: number, input: { reason: string }): Promise<ApprovalView> {
    // another city's award answers as an unknown one: a 403 told its clerk the number exists
    const a = foundInRegion(
      actor,
      'pension.manage',
      await this.ctx.db
        .selectFrom('pension_award')
        .select(['id', 'person_id', 'region', 'status', 'suspended_from_period'])
        .where('id', '=', awardId)
        .executeTakeFirst(),
    );
    if (a.status !== 'suspended')
      throw new SbError('SB_ERR_CONFLICT', { zh: '待遇未暂停', en: 'the award is not suspended' });
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'pension.restore',
      dedupeKey: String(a.id),
      region: a.region.trim(),
      subjectPersonId: a.person_id,
      payload: { awardId: a.id, reason: input.reason },
      summary: {
        awardId: a.id,
        suspendedFromPeriod: a.suspended_from_period,
        currentPeriod: periodOf(today()),
      },
    });
  }

  /** A clerk prepares writing off what is left of a recovery case (追回核销). */
  async prepareWriteOff(actor: Actor, caseId: number, input: { reason: string }): Promise<ApprovalView> {
    // another city's case answers as an unknown one: a 403 told its clerk the number exists
    const c = foundInRegion(
      actor,
      'pension.manage',
      await this.ctx.db.selectFrom('recovery_case').selectAll().where('id', '=', caseId).executeTakeFirst(),
    );
    if (c.status !== 'open')
      throw new SbError('SB_ERR_CONFLICT', { zh: '追回案件已结', en: 'the recovery case is closed' });
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'recovery.write-off',
      dedupeKey: String(c.id),
      region: c.region.trim(),
      subjectPersonId: c.person_id,
      payload: { caseId: c.id, reason: input.reason },
      summary: {
        caseId: c.id,
        amountFen: int(c.amount_fen),
        recoveredFen: int(c.recovered_fen),
        writeOffFen: int(c.amount_fen) - int(c.recovered_fen),
      },
    });
  }

  /** Writes off the open rest of a recovery case: the receivable is booked back to benefit expenditure. */
  /** The released write-off (the approval kind `recovery.write-off`). */
  async writeOff(actor: Actor, payload: { caseId: number; reason: string }): Promise<unknown> {
    return this.ctx.db.transaction().execute(async (tx) => {
      const c = await tx
        .selectFrom('recovery_case')
        .selectAll()
        .where('id', '=', payload.caseId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      authorize(actor, 'pension.manage', { region: c.region });
      if (c.status !== 'open')
        throw new SbError('SB_ERR_CONFLICT', { zh: '追回案件已结', en: 'the recovery case is closed' });
      const rest = int(c.amount_fen) - int(c.recovered_fen);
      const scheme = await awardScheme(tx, c.award_id);
      if (rest > 0)
        await postEntry(tx, actor, {
          // an unemployment overpayment (src/unemployment/) has no award: its detail names the claim
          fund:
            scheme === 'resident_pension'
              ? 'resident_pension'
              : c.award_id === null && (c.detail as { claimId?: unknown } | null)?.claimId !== undefined
                ? 'unemployment'
                : 'employee_pension',
          region: c.region,
          period: periodOf(today()),
          entryDate: today(),
          kind: 'benefit_overpayment',
          description: `追回核销 / recovery written off (case ${c.id}): ${payload.reason}`,
          idempotencyKey: `recovery-write-off:${c.id}`,
          source: { type: 'recovery_case', id: c.id },
          lines: [
            { account: ACCOUNTS.benefitExpenditure, debitFen: rest },
            { account: ACCOUNTS.overpaymentsReceivable, creditFen: rest },
          ],
        });
      await tx
        .updateTable('recovery_case')
        .set({ status: 'written_off', updated_at: new Date().toISOString() })
        .where('id', '=', c.id)
        .execute();
      await appendAudit(tx, actor, {
        action: 'pension.recovery.write-off',
        entityType: 'recovery_case',
        entityId: c.id,
        region: c.region,
        subjectPersonId: c.person_id,
        before: { status: 'open' },
        after: { status: 'written_off', writtenOffFen: rest },
        reason: payload.reason,
      });
      return { caseId: c.id, writtenOffFen: rest };
    });
  }
}
