// An unemployment claim whose relation moves to another province (domain-2.md §2.6): the place left
// stops paying from the first month it has not paid, and hands the figures of the unpaid entitlement
// to the transfer (federation/transfer-unemployment.service.ts), which computes the funds with the
// `unemployment-transfer-funds` rule. Runs inside the caller's transaction (the one taking the
// transfer request in); the claim's owner capability keeps the write, audit and hall event.
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { addPeriods, periodOf, type IsoDate } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { publishCaseStatus } from './claim.repository.ts';
import { monthsLeft } from './unemployment-entitlement.rules.ts';

export interface ClaimForTransfer {
  claimId: number;
  monthlyFen: number;
  maxMonths: number;
  paidMonths: number;
  remainingMonths: number;
  stoppedFromPeriod: string;
}

export class ClaimTransferService {
  constructor(private readonly db: Db) {}

  /** Months of unemployment contributions paid for the person here (what the place left counts). */
  async unemploymentContributionMonths(personId: number): Promise<number> {
    const r = await sql<{ n: unknown }>`
    SELECT count(DISTINCT l.period)::bigint AS n FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status = 'paid' AND (l.unemployment_employer_fen + l.unemployment_employee_fen) > 0`.execute(
      this.db,
    );
    return int(r.rows[0]?.n);
  }

  /**
   * Stops the person's paying claim (approved or interrupted) because the relation moves: event
   * `transfer`, from the first month not yet paid; the unpaid months go with the relation (no carry
   * forward here). Null when the person has no paying claim (only the relation moves).
   */
  async stopClaimForTransfer(
    actor: Actor,
    personId: number,
    on: IsoDate,
    toProvince: string,
  ): Promise<ClaimForTransfer | null> {
    const c = (
      await sql<{
        id: unknown;
        region: string;
        status: string;
        monthly_fen: unknown;
        max_months: unknown;
      }>`SELECT id, region, status, monthly_fen, max_months FROM unemployment_claim
      WHERE person_id = ${personId} AND status IN ('approved', 'interrupted') ORDER BY id DESC LIMIT 1 FOR UPDATE`.execute(
        this.db,
      )
    ).rows[0];
    if (!c) return null;
    const claimId = int(c.id);
    const paid = (
      await sql<{ n: unknown; last: string | null }>`
      SELECT count(*)::bigint AS n, max(period) AS last FROM unemployment_payment WHERE claim_id = ${claimId}`.execute(
        this.db,
      )
    ).rows[0];
    const paidMonths = int(paid?.n);
    const maxMonths = int(c.max_months);
    const remainingMonths = monthsLeft(maxMonths, paidMonths);
    const thisMonth = periodOf(on);
    const afterLast = paid?.last ? addPeriods(paid.last.trim(), 1) : thisMonth;
    const stoppedFromPeriod = afterLast > thisMonth ? afterLast : thisMonth;
    await sql`UPDATE unemployment_claim SET status = 'stopped', stop_event = 'transfer', stop_date = ${on},
      stopped_from_period = ${stoppedFromPeriod}, remaining_months = ${remainingMonths}, carry_forward = false,
      updated_at = now(), version = version + 1
    WHERE id = ${claimId}`.execute(this.db);
    await sql`INSERT INTO unemployment_stop_event (claim_id, event, event_date, source, action, stopped_from_period, note, created_by)
    VALUES (${claimId}, 'transfer', ${on}, 'clerk', 'stop', ${stoppedFromPeriod},
      ${`失业保险关系转移至 ${toProvince} / relation transferred to ${toProvince}`}, ${actor.username})`.execute(
      this.db,
    );
    const region = c.region.trim();
    await appendAudit(this.db, actor, {
      action: 'unemployment.stop',
      entityType: 'unemployment_claim',
      entityId: claimId,
      region,
      subjectPersonId: personId,
      before: { status: c.status },
      after: {
        status: 'stopped',
        event: 'transfer',
        toProvince,
        fromPeriod: stoppedFromPeriod,
        remainingMonths,
      },
    });
    await publishCaseStatus(this.db, actor, {
      service: 'unemployment-benefit',
      ref: `unemployment_claim:${claimId}`,
      personId,
      status: 'completed',
      note: {
        zh: `失业保险关系转移至 ${toProvince}，自${stoppedFromPeriod}起由转入地按其标准发放剩余 ${remainingMonths} 个月`,
        en: `unemployment insurance moved to ${toProvince}: from ${stoppedFromPeriod} it pays the remaining ${remainingMonths} months at its own rates`,
      },
      regionCode: region,
    });
    return {
      claimId,
      monthlyFen: int(c.monthly_fen),
      maxMonths,
      paidMonths,
      remainingMonths,
      stoppedFromPeriod,
    };
  }
}
