// The benefit payroll as a money action: a clerk prepares the month (count and total shown to the
// reviewer), a reviewer who is another person releases it, and it runs (resumably) with the clerk's
// authority. Staff read the runs with their progress.
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { prepareApproval, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { parsePeriod } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { regionLikePattern } from '../core/regions.ts';
import { int } from '../db/values.ts';
import {
  benefitPayrollSummary,
  checkBenefitPeriod,
  previewBenefitPayroll,
  runBenefitPayroll,
  type BenefitPayrollSummary,
} from './benefit-payroll.job.ts';

export async function prepareBenefitPayroll(
  ctx: AppContext,
  actor: Actor,
  input: { period: string; region: string },
): Promise<ApprovalView> {
  authorize(actor, 'unemployment.payroll', { region: input.region });
  const period = parsePeriod(input.period);
  checkBenefitPeriod(period);
  if (!(await ctx.db.selectFrom('region').select('code').where('code', '=', input.region).executeTakeFirst()))
    throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region', zh: input.region, en: input.region });
  const run = await benefitPayrollSummary(ctx.db, { period, region: input.region });
  if (run.status === 'done')
    throw new SbError('SB_ERR_CONFLICT', { zh: `${period} 已发放`, en: `${period} is already paid` });
  const preview = await previewBenefitPayroll(ctx.db, { period, region: input.region });
  return prepareApproval(ctx.db, actor, {
    kind: 'unemployment.payroll',
    dedupeKey: `${input.region}:${period}`,
    region: input.region,
    subjectPersonId: null,
    payload: { period, region: input.region },
    summary: { period, region: input.region, ...preview },
  });
}

/** The runs of the staff member's region, newest first, with their progress. */
export async function listBenefitPayrolls(ctx: AppContext, actor: Actor): Promise<BenefitPayrollSummary[]> {
  authorize(actor, 'unemployment.read');
  if (actor.role === 'citizen')
    throw new SbError('SB_ERR_FORBIDDEN', { zh: 'unemployment.payroll', en: 'unemployment.payroll' });
  let q = ctx.db.selectFrom('unemployment_payroll_run').selectAll();
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

export function payrollApprovalKinds(ctx: AppContext): ApprovalKind[] {
  return [
    {
      kind: 'unemployment.payroll',
      checkAction: 'money.release',
      resumable: true,
      execute: (maker, payload) =>
        runBenefitPayroll(ctx, maker, payload as { period: string; region: string }),
    },
  ];
}
