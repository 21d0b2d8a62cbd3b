// Assembly (floor 6): every kind of prepared money action, from the floors that own them, for the
// approvals API (src/approval/) to release.
import { recoveryCollectionKinds } from './pension/recovery-collection.service.ts';
import type { AppContext } from './app-context.ts';
import type { ApprovalKind, ApprovalKinds } from './approval/approval.service.ts';
import { userApprovalKinds } from './auth/user.service.ts';
import { ContributionService } from './contributions/contribution.service.ts';
import { contributionApprovalKinds } from './contributions/money-approval.service.ts';
import { pensionApprovalKinds } from './pension/pension-approval.service.ts';

export function approvalKinds(ctx: AppContext): ApprovalKinds {
  const list: ApprovalKind[] = [
    ...pensionApprovalKinds(ctx),
    ...recoveryCollectionKinds(ctx),
    ...contributionApprovalKinds(ctx.db, new ContributionService(ctx.db, ctx.params)),
    ...userApprovalKinds(ctx.db),
  ];
  return new Map(list.map((k) => [k.kind, k]));
}
