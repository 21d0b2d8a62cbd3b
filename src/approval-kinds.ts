// Assembly (floor 6): every kind of prepared money action, from the floors that own them, for the
// approvals API (src/approval/) to release.
import { RecoveryCollectionService } from './pension/recovery-collection.service.ts';
import type { AppContext } from './app-context.ts';
import type { ApprovalKind, ApprovalKinds } from './approval/approval.service.ts';
import { UserService } from './auth/user.service.ts';
import { ContributionService } from './contributions/contribution.service.ts';
import { MoneyApprovalService } from './contributions/money-approval.service.ts';
import { injuryApprovalKinds } from './injury/injury.service.ts';
import { PensionApprovalService } from './pension/pension-approval.service.ts';
import { unemploymentApprovalKinds } from './unemployment/unemployment-approval.ts';
import { refundApprovalKinds } from './unemployment/refund.service.ts';
import { skillSubsidyApprovalKinds } from './unemployment/skill-subsidy.service.ts';
import { CaseService } from './supervision/case.service.ts';

export function approvalKinds(ctx: AppContext): ApprovalKinds {
  const list: ApprovalKind[] = [
    ...new PensionApprovalService(ctx).approvalKinds(),
    ...new RecoveryCollectionService(ctx).approvalKinds(),
    ...new MoneyApprovalService(ctx.db).approvalKinds(new ContributionService(ctx.db, ctx.params)),
    ...new UserService(ctx.db).approvalKinds(),
    ...unemploymentApprovalKinds(ctx),
    ...refundApprovalKinds(ctx.db),
    ...skillSubsidyApprovalKinds(ctx.db, ctx.params),
    ...injuryApprovalKinds(ctx),
    ...new CaseService(ctx).approvalKinds(),
  ];
  return new Map(list.map((k) => [k.kind, k]));
}
