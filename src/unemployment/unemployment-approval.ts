// The unemployment capability's approval kinds (claim decision, payroll, death during receipt, grants),
// assembled by src/approval-kinds.ts.
import type { AppContext } from '../app-context.ts';
import type { ApprovalKind } from '../approval/approval.service.ts';
import { payrollApprovalKinds } from './benefit-payroll.service.ts';
import { claimApprovalKinds } from './claim.service.ts';
import { stopApprovalKinds } from './stop.service.ts';
import { grantApprovalKinds } from './subsidy.service.ts';

export function unemploymentApprovalKinds(ctx: AppContext): ApprovalKind[] {
  return [
    ...claimApprovalKinds(ctx),
    ...payrollApprovalKinds(ctx),
    ...stopApprovalKinds(ctx),
    ...grantApprovalKinds(ctx),
  ];
}
