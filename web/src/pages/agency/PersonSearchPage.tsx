// 人员查询: search people by name or ID number within the staff member's region (ID numbers masked).
import { Button, Card, Form, Input } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, type PersonSummary } from '../../api.ts';
import { useCan } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { SexText, useRegionName } from '../../components/registry.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { Link, navigate } from '../../router.tsx';

interface Query {
  name?: string;
  idNumber?: string;
}

export function PersonSearchPage() {
  const { t } = useI18n();
  const can = useCan();
  const regionName = useRegionName();
  const [query, setQuery] = useState<Query>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, error, loading, reload } = useLoad(
    () => api.searchPersons({ ...query, page, pageSize }),
    [query.name, query.idNumber, page, pageSize],
  );

  const columns: ColumnsType<PersonSummary> = [
    {
      title: t('person.name'),
      dataIndex: 'name',
      render: (name: string, p) => <Link to={`/agency/persons/${p.id}`}>{name}</Link>,
    },
    { title: t('person.idNumber'), dataIndex: 'idNumber', className: 'money' },
    { title: t('person.sex'), dataIndex: 'sex', render: (s: 'M' | 'F') => <SexText sex={s} /> },
    { title: t('person.region'), dataIndex: 'region', render: (r: string) => regionName(r) },
    { title: t('person.phone'), dataIndex: 'phone', render: (p: string | null) => p ?? '—' },
  ];

  return (
    <>
      <PageTitle
        extra={
          // registering is a clerk's; the reviewer and the supervisor search and read
          can('person.create') ? (
            <Button onClick={() => navigate('/agency/persons/new')}>{t('page.agency.register')}</Button>
          ) : null
        }
      >
        {t('page.agency.persons')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Form<Query>
          layout="inline"
          onFinish={(v) => {
            setPage(1);
            setQuery({
              ...(v.name?.trim() ? { name: v.name.trim() } : {}),
              ...(v.idNumber?.trim() ? { idNumber: v.idNumber.trim().toUpperCase() } : {}),
            });
          }}
          style={{ rowGap: 12 }}
        >
          <Form.Item name="name" label={t('person.name')}>
            <Input allowClear placeholder={t('search.name.placeholder')} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label={t('person.idNumber')}
            rules={[{ min: 4, max: 18, message: t('search.idNumber.length') }]}
          >
            <Input allowClear placeholder={t('search.idNumber.placeholder')} style={{ width: 220 }} />
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
        <Table<PersonSummary>
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          scroll={{ x: 640 }}
          locale={{ emptyText: <EmptyState title={t('search.empty')} hint={t('search.empty.hint')} /> }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
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
