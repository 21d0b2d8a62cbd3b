// 单位详情: the employer's record, its staff, and its latest bills (each opens the bill's page).
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Tag } from 'antd';
import { api, type Bill } from '../../api.ts';
import { BillLink } from '../../components/BillLink.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatMoney } from '../../format.ts';
import { emptyTable, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
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
        {/* a name, not a word: kept as written in either language (and by a browser's translator) */}
        {employer ? <span translate="no">{employer.name}</span> : t('page.agency.employer')}
      </PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !employer ? <Loading /> : null}
      {employer ? (
        <>
          <Card title={t('employer.card')} style={{ marginBottom: 16 }}>
            <EmployerCard employer={employer} />
          </Card>
          {can('employment.read') ? (
            <Card title={t('page.employer.staff')} style={{ marginBottom: 16 }}>
              <StaffTable employerId={employer.id} />
            </Card>
          ) : null}
          {can('bill.read') ? <EmployerBills employerId={employer.id} /> : null}
        </>
      ) : null}
    </>
  );
}

const BILL_COLOR: Record<string, string> = { open: 'orange', paid: 'green', cancelled: 'default' };

/** The employer's twelve latest bills, newest period first: the clerk opens one from here. */
function EmployerBills({ employerId }: { employerId: number }) {
  const { t } = useI18n();
  const code = useCodeText();
  const bills = useLoad(() => api.bills({ employerId, pageSize: 12 }), [employerId]);
  return (
    <Card title={t('bills.title')} data-testid="employer-bills">
      <ErrorAlert error={bills.error} onRetry={bills.reload} />
      <Table<Bill>
        rowKey="id"
        size="small"
        pagination={false}
        loading={bills.loading}
        dataSource={bills.data?.items ?? []}
        locale={emptyTable(t('empty.employer.bills'), t('empty.employer.bills.hint'))}
        columns={[
          {
            title: t('bills.period'),
            dataIndex: 'id',
            render: (id: number, b) => <BillLink id={id} period={b.period} />,
          },
          {
            title: t('bills.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={BILL_COLOR[s] ?? 'default'}>{code('bills.status', s)}</Tag>,
          },
          {
            title: t('bills.total'),
            dataIndex: 'totalFen',
            align: 'right',
            render: (f: number) => <span className="money">{formatMoney(f)}</span>,
          },
        ]}
      />
    </Card>
  );
}
