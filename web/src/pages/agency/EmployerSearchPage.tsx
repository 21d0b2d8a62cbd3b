// 单位查询: search employers by name or credit code within the staff member's region.
import { Button, Card, Form, Input, Tag } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, type Employer } from '../../api.ts';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useRegionName } from '../../components/registry.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';

interface Query {
  name?: string;
  creditCode?: string;
}

export function EmployerSearchPage() {
  const { t } = useI18n();
  const regionName = useRegionName();
  const [query, setQuery] = useState<Query>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, error, loading, reload } = useLoad(
    () => api.searchEmployers({ ...query, page, pageSize }),
    [query.name, query.creditCode, page, pageSize],
  );
  const columns: ColumnsType<Employer> = [
    {
      title: t('employer.name'),
      dataIndex: 'name',
      render: (n: string, e) => <Link to={`/agency/employers/${e.id}`}>{n}</Link>,
    },
    { title: t('employer.creditCode'), dataIndex: 'creditCode', className: 'money' },
    { title: t('employer.region'), dataIndex: 'region', render: (r: string) => regionName(r) },
    {
      title: t('employer.industryClass'),
      dataIndex: 'industryClass',
      render: (c: number) =>
        t('employer.class', { n: ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'][c - 1] ?? c }),
    },
    {
      title: t('employer.size'),
      dataIndex: 'size',
      render: (s: string) => <Tag>{t(s === 'large' ? 'employer.size.large' : 'employer.size.sme')}</Tag>,
    },
  ];
  return (
    <>
      <PageTitle>{t('page.agency.employers')}</PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Form<Query>
          layout="inline"
          style={{ rowGap: 12 }}
          onFinish={(v) => {
            setPage(1);
            setQuery({
              ...(v.name?.trim() ? { name: v.name.trim() } : {}),
              ...(v.creditCode?.trim() ? { creditCode: v.creditCode.trim().toUpperCase() } : {}),
            });
          }}
        >
          <Form.Item name="name" label={t('employer.name')}>
            <Input allowClear style={{ width: 200 }} />
          </Form.Item>
          <Form.Item
            name="creditCode"
            label={t('employer.creditCode')}
            rules={[{ min: 4, max: 18, message: t('search.creditCode.length') }]}
          >
            <Input allowClear style={{ width: 220 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {t('action.search')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <ErrorAlert error={error} onRetry={reload} />
      <Card>
        <Table<Employer>
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 720 }}
          locale={{ emptyText: <EmptyState title={t('search.empty')} hint={t('search.empty.hint')} /> }}
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
