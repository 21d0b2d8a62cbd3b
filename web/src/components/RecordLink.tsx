// A record named in a line of text (审批 #12, 收款 #34, a recovery case): a link to its page for a role
// that may open that page, the same words as text for the others — never a link that answers 403.
import type { ReactNode } from 'react';
import { useAuth } from '../auth.tsx';
import { useI18n } from '../i18n/index.tsx';
import { PAGES } from '../pages.tsx';
import { pageAvailable } from '../PortalLayout.tsx';
import { Link } from '../router.tsx';

/** `children` linked to the page of `pattern` (a path in PAGES; `:id` filled with `id`, then `search`). */
export function PageLink({
  pattern,
  id,
  search = '',
  children,
}: {
  pattern: string;
  id?: number;
  search?: string;
  children: ReactNode;
}) {
  const { user } = useAuth();
  const page = PAGES.find((p) => p.path === pattern);
  if (!page || !pageAvailable(page, user?.role)) return <>{children}</>;
  const path = id === undefined ? pattern : pattern.replace(':id', String(id));
  return <Link to={`${path}${search}`}>{children}</Link>;
}

/** An approval's own page (待复核业务详情). */
export function ApprovalLink({ id, children }: { id: number; children: ReactNode }) {
  return (
    <PageLink pattern="/agency/approvals/:id" id={id}>
      {children}
    </PageLink>
  );
}

/** A payment record's own page (缴费到账记录). */
export function ReceiptLink({ id, children }: { id: number; children: ReactNode }) {
  return (
    <PageLink pattern="/agency/receipts/:id" id={id}>
      {children}
    </PageLink>
  );
}

/** "released by 李四 · approval #12": who released an action, the approval linked to its page. */
export function ReleasedBy({ who, approvalId }: { who: string; approvalId: number }) {
  const { t } = useI18n();
  return (
    <>
      {t('approval.releasedBy', { who })}
      {' · '}
      <ApprovalLink id={approvalId}>{t('approval.ref', { id: approvalId })}</ApprovalLink>
    </>
  );
}
