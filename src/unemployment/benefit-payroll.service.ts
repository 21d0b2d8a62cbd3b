// The benefit payroll as a money action: a clerk prepares the month (count and total shown to the
// reviewer), a reviewer who is another person releases it, and it runs (resumably) with the clerk's
// authority. Staff read the runs with their progress.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { today } from '../core/clock.ts';
import { parsePeriod } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { regionLikePattern } from '../core/regions.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import {
  benefitPayrollSummary,
  checkBenefitPeriod,
  previewBenefitPayroll,
  runBenefitPayroll,
  type BenefitPayrollSummary,
} from './benefit-payroll.job.ts';

export interface UnemploymentFigures {
  period: string;
  /** people paid a benefit for the month */
  recipients: number;
  benefitFen: number;
  medicalFen: number;
  /** one-off grants paid in the month (subsidy, migrant allowance, death) */
  grants: number;
  grantsFen: number;
  claimsWaiting: number;
  claimsInPayment: number;
  /** waiting claims past their decision deadline */
  overdue: number;
}

export class BenefitPayrollService {
  constructor(private readonly ctx: AppContext) {}

  async prepareBenefitPayroll(
    actor: Actor,
    input: { period: string; region: string },
  ): Promise<ApprovalView> {
    authorize(actor, 'unemployment.payroll', { region: input.region });
    const period = parsePeriod(input.period);
    checkBenefitPeriod(period);
    if (
      !(await this.ctx.db
        .selectFrom('region')
        .select('code')
        .where('code', '=', input.region)
        .executeTakeFirst())
    )
      throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
    const run = await benefitPayrollSummary(this.ctx.db, { period, region: input.region });
    if (run.status === 'done')
      throw new SbError('SB_ERR_CONFLICT', {
        field: 'period',
        zh: '该月的失业保险金已发放',
        en: 'this month’s benefit is already paid',
      });
    const preview = await previewBenefitPayroll(this.ctx.db, { period, region: input.region });
    return new ApprovalService(this.ctx.db).prepare(actor, {
      kind: 'unemployment.payroll',
      dedupeKey: `${input.region}:${period}`,
      region: input.region,
      subjectPersonId: null,
      payload: { period, region: input.region },
      summary: { period, region: input.region, ...preview },
    });
  }

  /** The runs of the staff member's region, newest first, with their progress. */
  async listBenefitPayrolls(actor: Actor): Promise<BenefitPayrollSummary[]> {
    authorize(actor, 'unemployment.payroll-read');
    let q = this.ctx.db.selectFrom('unemployment_payroll_run').selectAll();
    if (actor.role !== 'system') q = q.where('region', 'like', regionLikePattern(actor.region ?? ''));
    const rows = await q.orderBy('period', 'desc').orderBy('id', 'desc').limit(24).execute();
    return rows.map((r) => ({
      runId: r.id,
      period: r.period.trim(),
      region: r.region.trim(),
      status: r.status,
      chunksDone: r.chunks_done,
      chunksTotal: r.chunks_total,
      payments: int(r.payments),
      benefitFen: int(r.benefit_fen),
      medicalFen: int(r.medical_fen),
      totalFen: int(r.benefit_fen) + int(r.medical_fen),
      stopped: int(r.stopped),
    }));
  }

  approvalKinds(): ApprovalKind[] {
    return [
      {
        kind: 'unemployment.payroll',
        checkAction: 'money.release',
        resumable: true,
        background: true,
        execute: (maker, payload, _id, onProgress) =>
          runBenefitPayroll(this.ctx, maker, {
            ...(payload as { period: string; region: string }),
            ...(onProgress ? { onProgress } : {}),
          }),
      },
    ];
  }

  /** The unemployment fund's spending and counts for a month in the staff member's region (fund report). */
  async unemploymentFigures(actor: Actor, periodIn: string): Promise<UnemploymentFigures> {
    authorize(actor, 'unemployment.read');
    if (actor.role === 'citizen')
      throw new SbError('SB_ERR_FORBIDDEN', { zh: 'unemployment.read', en: 'unemployment.read' });
    const period = parsePeriod(periodIn);
    const scope = actor.region ?? '000000';
    const covers = (col: string) => regionCoversSql(sql.ref(col), scope);
    const pay = await sql<{ n: unknown; benefit: unknown; medical: unknown }>`
    SELECT count(*) AS n, coalesce(sum(amount_fen), 0)::bigint AS benefit, coalesce(sum(medical_fen), 0)::bigint AS medical
    FROM unemployment_payment WHERE period = ${period} AND ${covers('region')}`.execute(this.ctx.db);
    const grants = await sql<{ n: unknown; total: unknown }>`
    SELECT count(*) AS n, coalesce(sum(amount_fen), 0)::bigint AS total FROM unemployment_grant
    WHERE status = 'paid' AND to_char(decided_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = ${period} AND ${covers('region')}`.execute(
      this.ctx.db,
    );
    const claims = await sql<{ waiting: unknown; paying: unknown; overdue: unknown }>`
    SELECT count(*) FILTER (WHERE status = 'submitted') AS waiting, count(*) FILTER (WHERE status = 'approved') AS paying,
      count(*) FILTER (WHERE status = 'submitted' AND decision_deadline < ${today()}::date) AS overdue
    FROM unemployment_claim WHERE ${covers('region')}`.execute(this.ctx.db);
    return {
      period,
      recipients: int(pay.rows[0]?.n),
      benefitFen: int(pay.rows[0]?.benefit),
      medicalFen: int(pay.rows[0]?.medical),
      grants: int(grants.rows[0]?.n),
      grantsFen: int(grants.rows[0]?.total),
      claimsWaiting: int(claims.rows[0]?.waiting),
      claimsInPayment: int(claims.rows[0]?.paying),
      overdue: int(claims.rows[0]?.overdue),
    };
  }
}
