// 待复核: every prepared money action of the region (payroll, adjustment, death follow-up,
// restoration, write-off, cancellation, reversal, staff roles) with release and return for checkers.
import { Alert, Card, Segmented } from 'antd';
import { useState } from 'react';
import type { ApprovalStatus } from '../../api-approvals.ts';
import { useAuth } from '../../auth.tsx';
import { ApprovalTable, mayDecide } from '../../components/approvals.tsx';
import { PageTitle } from '../../components/common.tsx';
import { useI18n } from '../../i18n/index.tsx';

export function ApprovalsPage() {
  const { t } = useI18n();
  const role = useAuth().user?.role;
  const [status, setStatus] = useState<ApprovalStatus | 'all'>('prepared');
  return (
    <>
      <PageTitle>{t('page.agency.approvals')}</PageTitle>
      <Alert type="info" showIcon title={t('approval.hint')} style={{ marginBottom: 16 }} />
      <Card
        extra={
          <Segmented
            value={status}
            onChange={(v) => setStatus(v as ApprovalStatus | 'all')}
            options={[
              { value: 'prepared', label: t('approval.filter.prepared') },
              { value: 'all', label: t('approval.filter.all') },
            ]}
          />
        }
      >
        <ApprovalTable {...(status === 'all' ? {} : { status })} canDecide={(a) => mayDecide(role, a)} />
      </Card>
    </>
  );
}
