// Assembly (floor 6): every kind of prepared money action, from the floors that own them, for the
// approvals API (src/approval/) to release.
import { recoveryCollectionKinds } from './pension/recovery-collection.service.ts';
import type { AppContext } from './app-context.ts';
import type { ApprovalKind, ApprovalKinds } from './approval/approval.service.ts';
import { userApprovalKinds } from './auth/user.service.ts';
import { ContributionService } from './contributions/contribution.service.ts';
import { contributionApprovalKinds } from './contributions/money-approval.service.ts';
import { InjuryService } from './injury/injury.service.ts';
import { pensionApprovalKinds } from './pension/pension-approval.service.ts';
import { unemploymentApprovalKinds } from './unemployment/unemployment-approval.ts';
import { RefundService } from './unemployment/refund.service.ts';
import { SkillSubsidyService } from './unemployment/skill-subsidy.service.ts';
import { CaseService } from './supervision/case.service.ts';

export function approvalKinds(ctx: AppContext): ApprovalKinds {
  const list: ApprovalKind[] = [
    ...pensionApprovalKinds(ctx),
    ...recoveryCollectionKinds(ctx),
    ...contributionApprovalKinds(ctx.db, new ContributionService(ctx.db, ctx.params)),
    ...userApprovalKinds(ctx.db),
    ...unemploymentApprovalKinds(ctx),
    ...new RefundService(ctx.db, ctx.params).approvalKinds(),
    ...new SkillSubsidyService(ctx.db, ctx.params).approvalKinds(),
    ...new InjuryService(ctx).approvalKinds(),
    ...new CaseService(ctx).approvalKinds(),
  ];
  return new Map(list.map((k) => [k.kind, k]));
}
