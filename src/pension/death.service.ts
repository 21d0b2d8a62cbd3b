// Death of an insured person: stop the pension from the month after death, open a recovery case for
// payments made for later months, compute the survivor benefit (funeral grant + survivor pension,
// 人社部发〔2021〕18号) and pay the remaining personal-account balance to the heirs (社会保险法 Art. 14),
// both posted to the ledger and audited. Idempotent per person (pension_death_case).
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { addPeriods, parseDate, periodCount, periodOf } from '../core/dates.ts';
import { SbError, isSbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import { Trace } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { AwardService } from './award.service.ts';
import { int } from '../db/values.ts';
import { deathRegion, updateAward } from './pension.repository.ts';
import { pensionRecord } from './person-record.repository.ts';
import { computeSurvivorBenefit, type SurvivorBenefitInput } from './survivor-benefit.rules.ts';
import { parameterVersions } from './decision-trace.ts';
import { auditReason } from '../audit/audit-reasons.ts';

export interface DeathInput {
  personId: number;
  deathDate: string;
  source: 'registry' | 'certification' | 'manual';
  outboxId?: number | null;
  /** overrides the region's figure when the region has none (calc contract) */
  monthlyDisposableIncomeFen?: number;
}

export interface DeathResult {
  personId: number;
  created: boolean;
  stoppedFromPeriod: string;
  stoppedAwards: number[];
  overpaymentFen: number;
  recoveryCaseIds: number[];
  survivorBenefit: {
    id: number;
    funeralGrantFen: number;
    survivorPensionFen: number;
    accountBalanceFen: number;
    totalFen: number;
  } | null;
  survivorError: { code: string; message: string } | null;
}

/**
 * Personal-account balance left for the heirs. Retirees: the balance at retirement minus the account
 * pension paid each month received (from the decision); in service: the balance on record.
 */
async function remainingAccount(
  tx: Db,
  decisionId: number | null,
  monthsReceived: number,
  inServiceBalance: number | null,
): Promise<number> {
  if (inServiceBalance !== null) return inServiceBalance;
  if (decisionId === null) return 0;
  const c = await tx
    .selectFrom('retirement_case')
    .select(['inputs', 'result'])
    .where('id', '=', decisionId)
    .executeTakeFirst();
  const inputs = (c?.inputs ?? {}) as { personalAccountFen?: number };
  const result = (c?.result ?? {}) as { accountPensionFen?: number };
  return Math.max(0, (inputs.personalAccountFen ?? 0) - (result.accountPensionFen ?? 0) * monthsReceived);
}

/** Deaths of pensioners and insured persons: the survivors' benefits, the account for the heirs, the award stopped. */
export class DeathService {
  constructor(private readonly ctx: AppContext) {}

  /** Death route follow-up: a clerk processes one death now (otherwise `shebao events process` or the next payroll does). */
  async decideDeath(
    actor: Actor,
    input: { personId: number; monthlyDisposableIncomeFen?: number },
  ): Promise<DeathResult> {
    authorize(actor, 'survivor.decide');
    const person = await this.ctx.db
      .selectFrom('person')
      .select(['id', 'region', 'death_date'])
      .where('id', '=', input.personId)
      .executeTakeFirst();
    if (!person) throw new SbError('SB_ERR_NOT_FOUND', { field: 'personId' });
    authorize(actor, 'survivor.decide', { region: await deathRegion(this.ctx.db, person) });
    const deathDate = person.death_date;
    if (deathDate === null)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '登记册中未登记死亡',
        en: 'no death is recorded in the registry',
      });
    return this.ctx.db
      .transaction()
      .execute((tx) => this.processDeath(tx, actor, { ...input, deathDate, source: 'manual' }));
  }

  /** Consumes pending `person.died` outbox events (those without a pension_death_case), each in its own transaction. */
  async processDeathEvents(actor: Actor): Promise<{ processed: number; results: DeathResult[] }> {
    const pending = await sql<{ id: number; payload: { personId: number; deathDate: string } }>`
      SELECT o.id, o.payload FROM outbox o
      WHERE o.topic = 'person.died'
        AND NOT EXISTS (SELECT 1 FROM pension_death_case d WHERE d.person_id = (o.payload->>'personId')::bigint)
      ORDER BY o.id LIMIT 10000`.execute(this.ctx.db);
    const results: DeathResult[] = [];
    for (const ev of pending.rows) {
      results.push(
        await this.ctx.db.transaction().execute((tx) =>
          this.processDeath(tx, actor, {
            personId: Number(ev.payload.personId),
            deathDate: ev.payload.deathDate,
            source: 'registry',
            outboxId: ev.id,
          }),
        ),
      );
    }
    return { processed: results.length, results };
  }

  /** One death, in the caller's transaction (a registry event, a clerk's decision, a test). */
  async processDeath(tx: Db, actor: Actor, input: DeathInput): Promise<DeathResult> {
    const deathDate = parseDate(input.deathDate, 'deathDate');
    const done = await tx
      .selectFrom('pension_death_case')
      .selectAll()
      .where('person_id', '=', input.personId)
      .executeTakeFirst();
    if (done) {
      const sb =
        done.survivor_benefit_id === null
          ? undefined
          : await tx
              .selectFrom('survivor_benefit')
              .selectAll()
              .where('id', '=', done.survivor_benefit_id)
              .executeTakeFirst();
      const d = done.detail as {
        stoppedAwards?: number[];
        recoveryCaseIds?: number[];
        survivorError?: { code: string; message: string } | null;
      };
      return {
        personId: done.person_id,
        created: false,
        stoppedFromPeriod: done.stopped_from_period,
        stoppedAwards: d.stoppedAwards ?? [],
        overpaymentFen: done.overpayment_fen,
        recoveryCaseIds: d.recoveryCaseIds ?? [],
        survivorBenefit: sb
          ? {
              id: sb.id,
              funeralGrantFen: sb.funeral_grant_fen,
              survivorPensionFen: sb.survivor_pension_fen,
              accountBalanceFen: sb.account_balance_fen,
              totalFen: sb.total_fen,
            }
          : null,
        survivorError: d.survivorError ?? null,
      };
    }
    const person = await tx
      .selectFrom('person')
      .select(['id', 'region', 'birth_date'])
      .where('id', '=', input.personId)
      .executeTakeFirst();
    if (!person)
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'personId',
        zh: `人员 ${input.personId}`,
        en: `person ${input.personId}`,
      });
    const deathMonth = periodOf(deathDate);
    const stopFrom = addPeriods(deathMonth, 1);
    const awards = await tx
      .selectFrom('pension_award')
      .selectAll()
      .where('person_id', '=', person.id)
      .forUpdate()
      .execute();
    const stoppedAwards: number[] = [];
    const recoveryCaseIds: number[] = [];
    let overpaymentFen = 0;
    for (const a of awards) {
      if (!(a.status === 'stopped' && a.stopped_from_period !== null && a.stopped_from_period <= stopFrom)) {
        await updateAward(tx, a.id, {
          status: 'stopped',
          stop_reason: 'death',
          stopped_from_period: stopFrom,
          suspended_from_period: null,
          suspend_reason_code: null,
          suspend_reason: null,
        });
        stoppedAwards.push(a.id);
        await appendAudit(tx, actor, {
          action: 'pension.stop',
          entityType: 'pension_award',
          entityId: a.id,
          region: a.region,
          subjectPersonId: person.id,
          before: { status: a.status },
          after: { status: 'stopped', stopReason: 'death', stoppedFromPeriod: stopFrom },
          reason: auditReason('pension-stopped-at-death', { date: deathDate, source: input.source }),
        });
      }
      // Regular payments for months after the death month were not due.
      const over = await sql<{ total: unknown; first: string | null; last: string | null }>`
        SELECT coalesce(sum(amount_fen), 0)::bigint AS total, min(period) AS first, max(period) AS last
        FROM pension_payment WHERE award_id = ${a.id} AND kind = 'regular' AND period > ${deathMonth}`.execute(
        tx,
      );
      const total = int(over.rows[0]?.total);
      if (total > 0) {
        overpaymentFen += total;
        const rc = await new AwardService(tx).openRecoveryCase(actor, {
          personId: person.id,
          awardId: a.id,
          region: a.region,
          reason: 'death',
          fromPeriod: over.rows[0]?.first ?? stopFrom,
          toPeriod: over.rows[0]?.last ?? stopFrom,
          amountFen: total,
          idempotencyKey: `death:${person.id}:${a.id}`,
          detail: { deathDate, source: input.source },
          fund: a.scheme,
        });
        recoveryCaseIds.push(rc.id);
      }
    }

    // Survivor benefit: employee-pension insured persons (retired, or with employee contributions).
    const employeeAward = awards.find((a) => a.scheme === 'employee_pension');
    const record = await pensionRecord(tx, person.id, deathMonth);
    let survivorBenefit: DeathResult['survivorBenefit'] = null;
    let survivorError: DeathResult['survivorError'] = null;
    if (employeeAward || record.contributionMonths > 0) {
      const retired = employeeAward !== undefined && employeeAward.start_period <= deathMonth;
      const contributionMonths = employeeAward?.contribution_months ?? record.contributionMonths;
      const pensionMonthsReceived =
        retired && employeeAward ? periodCount(employeeAward.start_period, deathMonth) : 0;
      const region = employeeAward?.region ?? person.region;
      const sbInput: SurvivorBenefitInput = {
        region,
        deathDate,
        contributionMonths,
        retired,
        pensionMonthsReceived,
      };
      if (input.monthlyDisposableIncomeFen !== undefined)
        sbInput.monthlyDisposableIncomeFen = fen(input.monthlyDisposableIncomeFen);
      const trace = new Trace();
      try {
        const r = computeSurvivorBenefit(sbInput, this.ctx.params, trace);
        const accountBalanceFen = await remainingAccount(
          tx,
          employeeAward?.decision_id ?? null,
          pensionMonthsReceived,
          retired ? null : record.personalAccountFen,
        );
        const sb = await tx
          .insertInto('survivor_benefit')
          .values({
            person_id: person.id,
            award_id: employeeAward?.id ?? null,
            region,
            death_date: deathDate,
            retired,
            contribution_months: contributionMonths,
            pension_months_received: pensionMonthsReceived,
            funeral_grant_fen: r.funeralGrantFen,
            survivor_pension_fen: r.survivorPensionFen,
            account_balance_fen: accountBalanceFen,
            total_fen: r.totalFen + accountBalanceFen,
            inputs: JSON.stringify(sbInput),
            parameter_versions: JSON.stringify(parameterVersions(trace.steps)),
            trace: JSON.stringify(trace.steps),
            status: 'paid',
            benefit_entry_id: null,
            account_entry_id: null,
            created_by: actor.username,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const period = periodOf(today());
        const benefit = await postEntry(tx, actor, {
          fund: 'employee_pension',
          region,
          period,
          entryDate: today(),
          kind: 'survivor_benefit',
          description: `遗属待遇（丧葬补助金+抚恤金）/ survivor benefit, person ${person.id}`,
          idempotencyKey: `survivor:${person.id}`,
          source: { type: 'survivor_benefit', id: sb.id },
          lines: [
            { account: ACCOUNTS.benefitExpenditure, debitFen: r.totalFen },
            { account: ACCOUNTS.bank, creditFen: r.totalFen },
          ],
        });
        let accountEntry: number | null = null;
        if (accountBalanceFen > 0) {
          accountEntry = (
            await postEntry(tx, actor, {
              fund: 'employee_pension',
              region,
              period,
              entryDate: today(),
              kind: 'account_inheritance',
              description: `个人账户余额继承 / personal-account balance to the heirs, person ${person.id}`,
              idempotencyKey: `inheritance:${person.id}`,
              source: { type: 'survivor_benefit', id: sb.id },
              lines: [
                { account: ACCOUNTS.personalAccountFund, debitFen: accountBalanceFen },
                { account: ACCOUNTS.bank, creditFen: accountBalanceFen },
              ],
            })
          ).entryId;
        }
        await tx
          .updateTable('survivor_benefit')
          .set({ benefit_entry_id: benefit.entryId, account_entry_id: accountEntry })
          .where('id', '=', sb.id)
          .execute();
        await appendAudit(tx, actor, {
          action: 'pension.survivor-benefit',
          entityType: 'survivor_benefit',
          entityId: sb.id,
          region,
          subjectPersonId: person.id,
          after: {
            funeralGrantFen: r.funeralGrantFen,
            survivorPensionFen: r.survivorPensionFen,
            accountBalanceFen,
          },
        });
        survivorBenefit = {
          id: sb.id,
          funeralGrantFen: r.funeralGrantFen,
          survivorPensionFen: r.survivorPensionFen,
          accountBalanceFen,
          totalFen: r.totalFen + accountBalanceFen,
        };
      } catch (e) {
        // A region without the income figure: the stop and the recovery stand; the benefit waits for a clerk (survivor.decide).
        if (!isSbError(e)) throw e;
        survivorError = { code: e.code, message: e.message };
      }
    }
    await tx
      .insertInto('pension_death_case')
      .values({
        person_id: person.id,
        death_date: deathDate,
        source: input.source,
        outbox_id: input.outboxId ?? null,
        stopped_from_period: stopFrom,
        overpayment_fen: overpaymentFen,
        recovery_case_id: recoveryCaseIds[0] ?? null,
        survivor_benefit_id: survivorBenefit?.id ?? null,
        detail: JSON.stringify({ stoppedAwards, recoveryCaseIds, survivorError }),
        created_by: actor.username,
      })
      .execute();
    await appendAudit(tx, actor, {
      action: 'pension.death',
      entityType: 'person',
      entityId: person.id,
      region: person.region,
      subjectPersonId: person.id,
      after: {
        deathDate,
        stopFrom,
        stoppedAwards,
        overpaymentFen,
        recoveryCaseIds,
        survivorBenefitId: survivorBenefit?.id ?? null,
        survivorError: survivorError?.code ?? null,
      },
      reason: input.source,
    });
    return {
      personId: person.id,
      created: true,
      stoppedFromPeriod: stopFrom,
      stoppedAwards,
      overpaymentFen,
      recoveryCaseIds,
      survivorBenefit,
      survivorError,
    };
  }
}
