// 退休审批: the people reaching statutory retirement age next month (open a case from here) and the
// region's cases by status, each opening its computation and review.
import { App, Button, Card, Select, Space, Tabs, Tag } from 'antd';
import { DatePicker } from '../../components/DatePicker.tsx';
import dayjs from 'dayjs';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useState } from 'react';
import { api, type RetirementCase, type RetirementDueItem } from '../../api.ts';
import { useCan } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatAge, formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, navigate } from '../../router.tsx';

export const CASE_STATUS_COLOR: Record<string, string> = {
  draft: 'default',
  computed: 'blue',
  pending_review: 'orange',
  approved: 'green',
  returned: 'red',
  rejected: 'default',
};

export function RetirementPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const code = useCodeText();
  const can = useCan();
  const [status, setStatus] = useState(can('retirement.approve') ? 'pending_review' : '');
  const [page, setPage] = useState(1);
  const [month, setMonth] = useState<string | undefined>(undefined);
  const due = useLoad(() => api.retirementDue(month), [month]);
  const cases = useLoad(
    () => api.retirementCases({ page, pageSize: 20, ...(status ? { status } : {}) }),
    [page, status],
  );
  const [opening, setOpening] = useState<number | null>(null);
  const [openError, setOpenError] = useState<unknown>(null);

  async function open(item: RetirementDueItem) {
    setOpening(item.personId);
    setOpenError(null);
    try {
      const c = await api.openRetirementCase({ personId: item.personId, scheme: item.scheme });
      void message.success(t('retire.opened', { name: item.name }));
      navigate(`/agency/retirement/${c.id}`);
    } catch (e) {
      setOpenError(e);
    } finally {
      setOpening(null);
    }
  }

  const dueTab = (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <label htmlFor="due-month">{t('retire.dueMonth')}</label>
        <DatePicker
          id="due-month"
          picker="month"
          allowClear={false}
          value={due.data ? dayjs(`${due.data.month}-01`) : null}
          onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
        />
      </Space>
      <ErrorAlert error={due.error} onRetry={due.reload} />
      <ErrorAlert error={openError} />
      <Table<RetirementDueItem>
        rowKey="personId"
        loading={due.loading}
        dataSource={due.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 760 }}
        locale={{ emptyText: <EmptyState title={t('retire.due.empty')} /> }}
        columns={[
          {
            title: t('person.name'),
            dataIndex: 'name',
            fixed: 'left',
            render: (n: string, d) => <Link to={`/agency/persons/${d.personId}`}>{n}</Link>,
          },
          {
            title: t('person.birthDate'),
            dataIndex: 'birthDate',
            render: (d: string) => formatDate(d, lang),
          },
          {
            title: t('retire.category'),
            dataIndex: 'category',
            render: (c: string) => code('retire.category', c),
          },
          {
            title: t('retire.statutoryDate'),
            dataIndex: 'statutoryDate',
            render: (d: string) => formatDate(d, lang),
          },
          {
            title: t('retire.age'),
            dataIndex: 'ageMonths',
            render: (m: number) => formatAge(m, lang),
          },
          {
            title: t('staff.actions'),
            key: 'open',
            render: (_: unknown, d) =>
              d.caseId ? (
                // Already has a case: go to it instead of opening a second one.
                <Link to={`/agency/retirement/${d.caseId}`}>
                  <Tag color={CASE_STATUS_COLOR[d.caseStatus ?? ''] ?? 'default'}>
                    {t('retire.hasCase', { id: d.caseId })} · {code('retire.status', d.caseStatus)}
                  </Tag>
                </Link>
              ) : can('retirement.open') ? (
                <Button
                  size="small"
                  type="primary"
                  loading={opening === d.personId}
                  onClick={() => void open(d)}
                  aria-label={t('retire.openFor', { name: d.name })}
                >
                  {t('retire.open')}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );

  const casesTab = (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <label htmlFor="case-status">{t('retire.status')}</label>
        <Select
          id="case-status"
          value={status}
          // "Awaiting review" whole (140 px showed "Awaiting rev…")
          style={{ width: 180 }}
          onChange={(v) => {
            setPage(1);
            setStatus(v);
          }}
          options={['', 'draft', 'pending_review', 'approved', 'returned'].map((s) => ({
            value: s,
            label: s ? code('retire.status', s) : t('bills.status.all'),
          }))}
        />
      </Space>
      <ErrorAlert error={cases.error} onRetry={cases.reload} />
      <Table<RetirementCase>
        rowKey="id"
        loading={cases.loading}
        dataSource={cases.data?.items ?? []}
        scroll={{ x: 760 }}
        locale={{
          emptyText: <EmptyState title={t('retire.cases.empty')} hint={t('retire.cases.empty.hint')} />,
        }}
        pagination={{
          current: page,
          pageSize: 20,
          total: cases.data?.total ?? 0,
          showTotal: (total) => t('list.total', { total }),
          onChange: setPage,
        }}
        columns={[
          {
            title: t('retire.case'),
            dataIndex: 'id',
            fixed: 'left',
            render: (id: number) => <Link to={`/agency/retirement/${id}`}>{t('retire.caseNo', { id })}</Link>,
          },
          {
            title: t('retire.person'),
            dataIndex: 'personId',
            render: (id: number, c) => <Link to={`/agency/persons/${id}`}>{c.personName ?? `#${id}`}</Link>,
          },
          {
            title: t('retire.date'),
            dataIndex: 'retirementDate',
            render: (d: string) => formatDate(d, lang),
          },
          {
            title: t('pension.monthly'),
            dataIndex: 'monthlyFen',
            align: 'right',
            render: (f: number | null) => <span className="money">{formatMoney(f)}</span>,
          },
          {
            title: t('retire.status'),
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={CASE_STATUS_COLOR[s] ?? 'default'}>{code('retire.status', s)}</Tag>
            ),
          },
          {
            title: t('retire.createdBy'),
            dataIndex: 'createdBy',
            render: (u: string, c) => c.createdByName ?? u,
          },
        ]}
      />
    </>
  );

  return (
    <>
      <PageTitle>{t('page.agency.retirement')}</PageTitle>
      <Card>
        <Tabs
          defaultActiveKey={can('retirement.approve') ? 'cases' : 'due'}
          items={[
            {
              key: 'due',
              label: due.data
                ? t('retire.due', { month: formatPeriod(due.data.month, lang) })
                : t('retire.dueTab'),
              children: dueTab,
            },
            { key: 'cases', label: t('retire.cases'), children: casesTab },
          ]}
        />
      </Card>
    </>
  );
}
