// Assembly (floor 6): every kind of prepared money action, from the floors that own them, for the
// approvals API (src/approval/) to release.
import { recoveryCollectionKinds } from './pension/recovery-collection.service.ts';
import type { AppContext } from './app-context.ts';
import type { ApprovalKind, ApprovalKinds } from './approval/approval.service.ts';
import { userApprovalKinds } from './auth/user.service.ts';
import { ContributionService } from './contributions/contribution.service.ts';
import { contributionApprovalKinds } from './contributions/money-approval.service.ts';
import { injuryApprovalKinds } from './injury/injury.service.ts';
import { pensionApprovalKinds } from './pension/pension-approval.service.ts';
import { unemploymentApprovalKinds } from './unemployment/unemployment-approval.ts';
import { refundApprovalKinds } from './unemployment/refund.service.ts';
import { skillSubsidyApprovalKinds } from './unemployment/skill-subsidy.service.ts';
import { CaseService } from './supervision/case.service.ts';

export function approvalKinds(ctx: AppContext): ApprovalKinds {
  const list: ApprovalKind[] = [
    ...pensionApprovalKinds(ctx),
    ...recoveryCollectionKinds(ctx),
    ...contributionApprovalKinds(ctx.db, new ContributionService(ctx.db, ctx.params)),
    ...userApprovalKinds(ctx.db),
    ...unemploymentApprovalKinds(ctx),
    ...refundApprovalKinds(ctx.db),
    ...skillSubsidyApprovalKinds(ctx.db, ctx.params),
    ...injuryApprovalKinds(ctx),
    ...new CaseService(ctx).approvalKinds(),
  ];
  return new Map(list.map((k) => [k.kind, k]));
}
