// 审计日志 (supervisors): who did what to which record, filterable by action and record; and the
// ledger verification (every entry balanced, the sub-ledgers equal to the journal).
import { Alert, Button, Card, Form, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, type AuditItem } from '../../api.ts';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { useCan } from '../../auth.tsx';
import { formatCount } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

interface Filter {
  action?: string;
  entityType?: string;
  entityId?: string;
}

/** "2026-11-29T08:29:24.942Z" → local date and time in the agency's zone. */
function formatTime(iso: string, lang: 'zh-CN' | 'en'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'long',
    timeStyle: 'medium',
  }).format(d);
}

export function LedgerVerifyCard() {
  const { t } = useI18n();
  const [run, setRun] = useState(0);
  const { data, error, loading, reload } = useLoad(run > 0 ? () => api.ledgerVerify() : null, [run]);
  return (
    <Card
      title={t('ledger.title')}
      style={{ marginBottom: 16 }}
      extra={
        <Button loading={loading} onClick={() => setRun((n) => n + 1)}>
          {t('ledger.run')}
        </Button>
      }
    >
      <ErrorAlert error={error} onRetry={reload} />
      {data ? (
        <>
          <Alert
            type={data.ok ? 'success' : 'error'}
            showIcon
            role="status"
            title={data.ok ? t('ledger.ok') : t('ledger.bad')}
            description={t('ledger.counts', {
              entries: formatCount(data.entries),
              lines: formatCount(data.lines),
            })}
            style={{ marginBottom: 12 }}
          />
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            <li>
              <Tag color={data.unbalancedEntries.length === 0 ? 'green' : 'red'}>
                {data.unbalancedEntries.length}
              </Tag>
              {t('ledger.unbalanced')}
            </li>
            <li>
              <Tag color={data.equationDifferences.length === 0 ? 'green' : 'red'}>
                {data.equationDifferences.length}
              </Tag>
              {t('ledger.equation')}
            </li>
            {data.subLedgers.map((s) => (
              <li key={s.name}>
                <Tag color={s.ok ? 'green' : 'red'}>{s.ok ? t('ledger.pass') : t('ledger.fail')}</Tag>
                {s.name}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p style={{ color: 'rgba(0,0,0,0.55)', margin: 0 }}>{t('ledger.hint')}</p>
      )}
    </Card>
  );
}

export function AuditPage() {
  const { t, lang } = useI18n();
  const can = useCan();
  const code = useCodeText();
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, error, loading, reload } = useLoad(
    () => api.audit({ ...filter, page, pageSize }),
    [filter, page, pageSize],
  );
  return (
    <>
      <PageTitle>{t('page.agency.audit')}</PageTitle>
      {can('ledger.verify') ? <LedgerVerifyCard /> : null}
      <Card>
        <Form<Filter>
          layout="inline"
          onFinish={(v) => {
            setPage(1);
            setFilter({
              ...(v.action?.trim() ? { action: v.action.trim() } : {}),
              ...(v.entityType?.trim() ? { entityType: v.entityType.trim() } : {}),
              ...(v.entityId?.trim() ? { entityId: v.entityId.trim() } : {}),
            });
          }}
          style={{ marginBottom: 12, rowGap: 8 }}
        >
          <Form.Item name="action" label={t('audit.action')}>
            <Input placeholder="record.read" allowClear />
          </Form.Item>
          <Form.Item name="entityType" label={t('audit.entityType')}>
            <Input placeholder="person" allowClear style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="entityId" label={t('audit.entityId')}>
            <Input allowClear style={{ width: 100 }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                {t('action.search')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <ErrorAlert error={error} onRetry={reload} />
        <Table<AuditItem>
          rowKey="id"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          scroll={{ x: 900 }}
          locale={{ emptyText: <EmptyState title={t('audit.empty')} hint={t('search.empty.hint')} /> }}
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
          columns={[
            {
              title: t('audit.at'),
              dataIndex: 'at',
              render: (at: string) => formatTime(at, lang),
              width: 200,
            },
            {
              title: t('audit.actor'),
              key: 'actor',
              render: (_: unknown, a) => `${a.actorUsername}（${code('role', a.actorRole)}）`,
            },
            { title: t('audit.action'), dataIndex: 'action', render: (a: string) => <code>{a}</code> },
            {
              title: t('audit.entity'),
              key: 'entity',
              render: (_: unknown, a) => `${a.entityType}${a.entityId ? ` #${a.entityId}` : ''}`,
            },
            { title: t('audit.region'), dataIndex: 'region', render: (r: string | null) => r ?? '—' },
            { title: t('access.reason'), dataIndex: 'reason', render: (r: string | null) => r ?? '—' },
          ]}
        />
      </Card>
    </>
  );
}
