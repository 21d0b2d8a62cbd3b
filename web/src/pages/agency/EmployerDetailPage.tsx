// 单位详情: the employer's record and its staff.
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { api } from '../../api.ts';
import { ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { EmployerCard } from '../../components/EmployerCard.tsx';
import { StaffTable } from '../../components/StaffTable.tsx';
import { useCan } from '../../auth.tsx';
import { useI18n } from '../../i18n/index.tsx';
import type { PageProps } from '../../pages.tsx';
import { navigate } from '../../router.tsx';

export function EmployerDetailPage({ params }: PageProps) {
  const { t } = useI18n();
  const can = useCan();
  const id = Number(params['id']);
  const { data: employer, error, loading, reload } = useLoad(() => api.employer(id), [id]);
  return (
    <>
      <PageTitle
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/agency/employers')}>
            {t('action.backToSearch')}
          </Button>
        }
      >
        {employer ? employer.name : t('page.agency.employer')}
      </PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !employer ? <Loading /> : null}
      {employer ? (
        <>
          <Card title={t('employer.card')} style={{ marginBottom: 16 }}>
            <EmployerCard employer={employer} />
          </Card>
          {can('employment.read') ? (
            <Card title={t('page.employer.staff')}>
              <StaffTable employerId={employer.id} />
            </Card>
          ) : null}
        </>
      ) : null}
    </>
  );
}
