// 查询记录: who looked at my record (staff reads of a person's record are audited).
import { Card } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useState } from 'react';
import { request, type Answer, type Item, type Paged } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText, useRegionName } from '../../components/registry.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { formatDateTime, noteInLanguage } from '../../format.ts';

type AccessItem = Item<Answer<'/api/v1/persons/{id}/access-log'>['items']>;

export function AccessLogPage() {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const regionName = useRegionName();
  const { user } = useAuth();
  const personId = user?.personId ?? null;
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useLoad(
    personId
      ? () =>
          request<Paged<AccessItem>>('GET', `/api/v1/persons/${personId}/access-log`, undefined, {
            page,
            pageSize: 20,
          })
      : null,
    [personId, page],
  );
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;
  return (
    <>
      <PageTitle>{t('page.citizen.access')}</PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      <Card>
        <Table<AccessItem>
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          scroll={{ x: 720 }}
          locale={{ emptyText: <EmptyState title={t('access.empty')} hint={t('access.empty.hint')} /> }}
          pagination={{
            current: page,
            pageSize: 20,
            total: data?.total ?? 0,
            onChange: setPage,
            showTotal: (total) => t('list.total', { total }),
          }}
          columns={[
            { title: t('access.at'), dataIndex: 'at', render: (at: string) => formatDateTime(at, lang) },
            { title: t('access.role'), dataIndex: 'actorRole', render: (r: string) => code('role', r) },
            {
              title: t('access.agency'),
              dataIndex: 'actorRegion',
              render: (r: string | null) => (r ? t('access.agency.of', { region: regionName(r) }) : '—'),
            },
            { title: t('access.action'), dataIndex: 'action', render: (a: string) => code('audit', a) },
            {
              title: t('access.reason'),
              dataIndex: 'reasonWords',
              // the server's own reasons in the page's language; a clerk's as typed
              render: (w: AccessItem['reasonWords']) => (w ? noteInLanguage(w, lang) : '—'),
            },
          ]}
        />
      </Card>
    </>
  );
}
