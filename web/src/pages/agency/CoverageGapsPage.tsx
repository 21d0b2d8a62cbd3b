// 应保未保: people in a current employment who lack an enrolment they must have.
import { Card, Select, Space, Tag } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { request, type Answer, type Item, type Paged, type Scheme } from '../../api.ts';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { SCHEME_KEY, useRegionName } from '../../components/registry.tsx';
import { formatDate } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';

type Gap = Item<Answer<'/api/v1/coverage-gaps'>['items']>;

const SCHEMES: Scheme[] = ['employee_pension', 'unemployment', 'injury'];

export function CoverageGapsPage() {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  const [scheme, setScheme] = useState<Scheme | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, error, loading, reload } = useLoad(
    () => request<Paged<Gap>>('GET', '/api/v1/coverage-gaps', undefined, { scheme, page, pageSize }),
    [scheme, page, pageSize],
  );
  const columns: ColumnsType<Gap> = [
    {
      title: t('person.name'),
      dataIndex: 'name',
      // a name and a date read whole: at 1280 px they broke as 张雨 / 怡 and 2023年11月16 / 日
      onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (n: string, g) => <Link to={`/agency/persons/${g.personId}`}>{n}</Link>,
    },
    { title: t('person.idNumber'), dataIndex: 'idNumber', className: 'money' },
    {
      title: t('employer.name'),
      dataIndex: 'employerName',
      render: (n: string, g) => <Link to={`/agency/employers/${g.employerId}`}>{n}</Link>,
    },
    { title: t('employer.region'), dataIndex: 'employerRegion', render: (r: string) => regionName(r) },
    {
      title: t('staff.start'),
      dataIndex: 'startDate',
      onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (d: string) => formatDate(d, lang),
    },
    {
      title: t('gaps.missing'),
      dataIndex: 'missingSchemes',
      render: (s: Scheme[]) => (
        <Space wrap size={[4, 4]}>
          {s.map((x) => (
            <Tag key={x} color="red">
              {t(SCHEME_KEY[x])}
            </Tag>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <>
      <PageTitle
        extra={
          <Select
            allowClear
            aria-label={t('enrolment.scheme')}
            placeholder={t('gaps.allSchemes')}
            style={{ minWidth: 200 }}
            value={scheme}
            onChange={(v: Scheme | undefined) => {
              setPage(1);
              setScheme(v);
            }}
            options={SCHEMES.map((s) => ({ value: s, label: t(SCHEME_KEY[s]) }))}
          />
        }
      >
        {t('page.agency.gaps')}
      </PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      <Card>
        <Table<Gap>
          rowKey="employmentId"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 860 }}
          locale={{ emptyText: <EmptyState title={t('gaps.empty')} hint={t('gaps.empty.hint')} /> }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showTotal: (total) => t('list.total', { total }),
            onChange: (p, s) => {
              setPage(p);
              setPageSize(s);
            },
          }}
        />
      </Card>
    </>
  );
}
