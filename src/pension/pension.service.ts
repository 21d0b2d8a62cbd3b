// Staff and citizen use cases over awards and the payroll: read the payroll of a region (it is run
// through a released approval, pension-approval.service.ts), a
// person's pension (awards, amounts, payments), suspend and restore by a clerk.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion, foundInScope, regionCovers } from '../auth/policy.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import type { SuspendReasonCode } from '../db/database.ts';
import { int } from '../db/values.ts';
import { AwardService, type RestoreResult } from './award.service.ts';
import { payrollHistory, payrollSummary, type PayrollSummary } from './payroll.job.ts';

export interface PersonPension {
  personId: number;
  awards: Array<{
    id: number;
    scheme: string;
    status: string;
    retirementDate: string;
    startPeriod: string;
    monthlyFen: number;
    suspendedFromPeriod: string | null;
    /** why it is suspended; the pages say the code in the reader's language */
    suspendReasonCode: SuspendReasonCode | null;
    /** a clerk's own words (code other) */
    suspendReason: string | null;
    stoppedFromPeriod: string | null;
    stopReason: string | null;
    amounts: Array<{ effectivePeriod: string; monthlyFen: number; reason: string; components: unknown }>;
    payments: Array<{ period: string; kind: string; amountFen: number }>;
  }>;
}

/** Staff and citizen use cases over awards and the payroll (the routes construct it per app). */
export class PensionService {
  constructor(private readonly ctx: AppContext) {}

  async readPayroll(actor: Actor, q: { period: string; region: string }): Promise<PayrollSummary> {
    authorize(actor, 'payroll.read', { region: q.region });
    return payrollSummary(this.ctx.db, q);
  }

  /** The last two years of the region's payroll runs (the 待遇发放 page's history and chart). */
  async payrollHistory(actor: Actor, q: { region: string }): Promise<{ items: PayrollSummary[] }> {
    authorize(actor, 'payroll.read', { region: q.region });
    return { items: await payrollHistory(this.ctx.db, q.region, 24) };
  }

  /**
   * A person's pension: the citizen their own; staff of the person's region, of a region paying one
   * of the awards (an award stays with the region that granted it when the person moves away), or
   * of `handledIn`, the region of a record of this person the calling service has already checked
   * the actor against (a supervision case: it stays with the region that opened it).
   */
  async personPension(actor: Actor, personId: number, handledIn?: string): Promise<PersonPension> {
    authorize(actor, 'pension.read');
    // The regions that may read, with the person in one query, so a refused caller reads no award.
    const person = await this.ctx.db
      .selectFrom('person')
      .select([
        'region',
        sql<string[] | null>`(SELECT json_agg(a.region ORDER BY a.id) FROM pension_award a
                              WHERE a.person_id = person.id)`.as('award_regions'),
      ])
      .where('id', '=', personId)
      .executeTakeFirst();
    // The first region the actor covers decides (and is the read's audit region); none: the person's,
    // which then answers as an unknown id does (a person out of scope is not named).
    const covered = (r: string): boolean => actor.region !== null && regionCovers(actor.region, r);
    const readable = person && {
      region:
        [
          person.region,
          ...(handledIn === undefined ? [] : [handledIn]),
          ...(person.award_regions ?? []),
        ].find(covered) ?? person.region,
    };
    const { region } = foundInScope(actor, 'pension.read', readable, (r) => ({ personId, region: r.region }));
    const awards = await this.ctx.db
      .selectFrom('pension_award')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('id')
      .execute();
    const out: PersonPension = { personId, awards: [] };
    for (const a of awards) {
      const amounts = await this.ctx.db
        .selectFrom('pension_amount')
        .select(['effective_period', 'monthly_fen', 'reason', 'components'])
        .where('award_id', '=', a.id)
        .orderBy('effective_period')
        .orderBy('id')
        .execute();
      const payments = await this.ctx.db
        .selectFrom('pension_payment')
        .select(['period', 'kind', 'amount_fen'])
        .where('award_id', '=', a.id)
        .orderBy('period', 'desc')
        .limit(36)
        .execute();
      out.awards.push({
        id: a.id,
        scheme: a.scheme,
        status: a.status,
        retirementDate: a.retirement_date,
        startPeriod: a.start_period,
        // the current amount: the latest of the amounts (currentAmountSql's rule); the award row keeps
        // the amount first awarded only
        monthlyFen: amounts.at(-1)?.monthly_fen ?? a.monthly_fen,
        suspendedFromPeriod: a.suspended_from_period,
        suspendReasonCode: a.suspend_reason_code,
        suspendReason: a.suspend_reason,
        stoppedFromPeriod: a.stopped_from_period,
        stopReason: a.stop_reason,
        amounts: amounts.map((m) => ({
          effectivePeriod: m.effective_period,
          monthlyFen: m.monthly_fen,
          reason: m.reason,
          components: m.components,
        })),
        payments: payments.map((p) => ({ period: p.period, kind: p.kind, amountFen: p.amount_fen })),
      });
    }
    if (actor.role !== 'citizen') {
      await this.ctx.db.transaction().execute((tx) =>
        appendAudit(tx, actor, {
          action: 'pension.read',
          entityType: 'person',
          entityId: personId,
          region,
          subjectPersonId: personId,
        }),
      );
    }
    return out;
  }

  /** An award the clerk manages; another city's answers as an unknown one (a 403 told that it exists). */
  private async awardInRegion(actor: Actor, awardId: number): Promise<void> {
    foundInRegion(
      actor,
      'pension.manage',
      await this.ctx.db
        .selectFrom('pension_award')
        .select('region')
        .where('id', '=', awardId)
        .executeTakeFirst(),
    );
  }

  async suspendByClerk(
    actor: Actor,
    awardId: number,
    input: { fromPeriod: string; reason: string },
  ): Promise<{ changed: boolean }> {
    await this.awardInRegion(actor, awardId);
    // the award checked above is the one suspended, whatever else the input holds
    const { fromPeriod, reason } = input;
    return this.ctx.db
      .transaction()
      .execute((tx) => new AwardService(tx).suspend(actor, { awardId, fromPeriod, reason }));
  }

  async restoreByClerk(actor: Actor, awardId: number, input: { reason: string }): Promise<RestoreResult> {
    await this.awardInRegion(actor, awardId);
    return this.ctx.db
      .transaction()
      .execute((tx) => new AwardService(tx).restore(actor, { awardId, reason: input.reason }));
  }

  /** Open recovery cases of the actor's region (for the agency's work list). */
  async listRecoveryCases(actor: Actor): Promise<
    Array<{
      id: number;
      personId: number;
      personName: string;
      reason: string;
      amountFen: number;
      recoveredFen: number;
      status: string;
      fromPeriod: string | null;
      toPeriod: string | null;
    }>
  > {
    authorize(actor, 'pension.manage');
    const region = actor.region ?? '000000';
    const rows = await sql<{
      id: number;
      person_id: number;
      person_name: string;
      reason: string;
      amount_fen: number;
      recovered_fen: number;
      status: string;
      from_period: string | null;
      to_period: string | null;
    }>`
      SELECT rc.id, rc.person_id, p.name AS person_name, rc.reason, rc.amount_fen, rc.recovered_fen, rc.status,
             rc.from_period, rc.to_period
      FROM recovery_case rc JOIN person p ON p.id = rc.person_id
      WHERE ${regionCoversSql(sql.ref('rc.region'), region)}
      ORDER BY rc.id DESC LIMIT 200`.execute(this.ctx.db);
    return rows.rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      personName: r.person_name,
      reason: r.reason,
      amountFen: int(r.amount_fen),
      recoveredFen: int(r.recovered_fen),
      status: r.status,
      fromPeriod: r.from_period,
      toPeriod: r.to_period,
    }));
  }
}
