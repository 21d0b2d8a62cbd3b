// Assembly (floor 6): every kind of prepared money action, from the floors that own them, for the
// approvals API (src/approval/) to release.
import { RecoveryCollectionService } from './pension/recovery-collection.service.ts';
import type { AppContext } from './app-context.ts';
import type { ApprovalKind, ApprovalKinds } from './approval/approval.service.ts';
import { UserService } from './auth/user.service.ts';
import { ContributionService } from './contributions/contribution.service.ts';
import { MoneyApprovalService } from './contributions/money-approval.service.ts';
import { InjuryService } from './injury/injury.service.ts';
import { PensionApprovalService } from './pension/pension-approval.service.ts';
import { unemploymentApprovalKinds } from './unemployment/unemployment-approval.ts';
import { RefundService } from './unemployment/refund.service.ts';
import { SkillSubsidyService } from './unemployment/skill-subsidy.service.ts';
import { CaseService } from './supervision/case.service.ts';

export function approvalKinds(ctx: AppContext): ApprovalKinds {
  const list: ApprovalKind[] = [
    ...new PensionApprovalService(ctx).approvalKinds(),
    ...new RecoveryCollectionService(ctx).approvalKinds(),
    ...new MoneyApprovalService(ctx.db).approvalKinds(new ContributionService(ctx.db, ctx.params)),
    ...new UserService(ctx.db).approvalKinds(),
    ...unemploymentApprovalKinds(ctx),
    ...new RefundService(ctx.db, ctx.params).approvalKinds(),
    ...new SkillSubsidyService(ctx.db, ctx.params).approvalKinds(),
    ...new InjuryService(ctx).approvalKinds(),
    ...new CaseService(ctx).approvalKinds(),
  ];
  return new Map(list.map((k) => [k.kind, k]));
}
