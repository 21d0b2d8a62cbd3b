// 稳岗返还 (employer): the refund each year's scan found for the employer — granted without
// application — with the figures, the reasons when it does not qualify, and the payment.
import { Alert } from 'antd';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { RefundCard } from './RefundCard.tsx';
import { refundApi } from './refundApi.ts';

export function EmployerRefundsPage() {
  const { t } = useI18n();
  const employerId = useAuth().user?.employerId ?? null;
  const { data, error, loading, reload } = useLoad(
    employerId ? () => refundApi.employerRefunds(employerId) : null,
    [employerId],
  );
  if (!employerId) return <EmptyState title={t('employer.noEmployer')} />;
  return (
    <>
      <PageTitle>{t('page.employer.refunds')}</PageTitle>
      <Alert type="info" showIcon message={t('refund.intro')} style={{ marginBottom: 16 }} />
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? (
        <EmptyState title={t('refund.none')} hint={t('refund.none.hint')} />
      ) : null}
      {data?.items.map((r) => (
        <RefundCard key={r.id} r={r} />
      ))}
    </>
  );
}
