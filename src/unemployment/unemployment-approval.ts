// The unemployment capability's approval kinds (claim decision, payroll, death during receipt, grants),
// assembled by src/approval-kinds.ts.
import type { AppContext } from '../app-context.ts';
import type { ApprovalKind } from '../approval/approval.service.ts';
import { BenefitPayrollService } from './benefit-payroll.service.ts';
import { ClaimService } from './claim.service.ts';
import { StopService } from './stop.service.ts';
import { SubsidyService } from './subsidy.service.ts';

export function unemploymentApprovalKinds(ctx: AppContext): ApprovalKind[] {
  return [
    ...new ClaimService(ctx).approvalKinds(),
    ...new BenefitPayrollService(ctx).approvalKinds(),
    ...new StopService(ctx).approvalKinds(),
    ...new SubsidyService(ctx).approvalKinds(),
  ];
}
