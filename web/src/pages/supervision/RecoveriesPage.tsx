// 追回总表: every recovery in the region — the pension's, the unemployment fund's, the work-injury
// fund's advances and the supervision cases' — by source and status, sorted by what is still owed.
import { Alert, Card, Segmented, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { supervisionApi, type RecoveryItem } from '../../api-supervision.ts';
import { emptyTable, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { roleCan } from '../../access.ts';
import { useAuth } from '../../auth.tsx';

const COLOR: Record<string, string> = { open: 'orange', recovered: 'green', written_off: 'default' };

export function RecoveriesPage() {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const { user } = useAuth();
  const [source, setSource] = useState('');
  const [status, setStatus] = useState('open');
  const [sort, setSort] = useState('owed');
  const list = useLoad(
    () => supervisionApi.recoveries({ ...(source ? { source } : {}), ...(status ? { status } : {}), sort }),
    [source, status, sort],
  );
  const caseLink = roleCan(user?.role, 'supervision.case');
  const columns: ColumnsType<RecoveryItem> = [
    {
      title: t('sv.source'),
      dataIndex: 'source',
      render: (s: string, r) =>
        r.supervisionCaseId !== null && caseLink ? (
          <Link to={`/agency/supervision/cases/${r.supervisionCaseId}`}>
            {code('sv.source', s)} ·{' '}
            <span className="nowrap">{t('sv.case', { id: r.supervisionCaseId })}</span>
          </Link>
        ) : (
          code('sv.source', s)
        ),
    },
    {
      title: t('sv.subject'),
      key: 'subject',
      className: 'nowrap',
      render: (_: unknown, r) => r.personName ?? r.employerName ?? '—',
    },
    {
      // a supervision case's recovery by the kind of finding it came from: its stored reason is
      // 'other', and a pension paid after death read 其他
      title: t('sv.reason'),
      key: 'reason',
      render: (_: unknown, r) =>
        (lang === 'zh-CN' ? r.detectorZh : r.detectorEn) ?? code('recovery.reason', r.reason),
    },
    { title: t('sv.owed'), dataIndex: 'amountFen', align: 'right', render: (v: number) => formatMoney(v) },
    {
      title: t('sv.recovered'),
      dataIndex: 'recoveredFen',
      align: 'right',
      render: (v: number) => formatMoney(v),
    },
    {
      title: t('sv.outstanding'),
      dataIndex: 'outstandingFen',
      align: 'right',
      render: (v: number) => formatMoney(v),
    },
    {
      title: t('sv.fine'),
      dataIndex: 'fineFen',
      align: 'right',
      render: (v: number) => (v ? formatMoney(v) : '—'),
    },
    {
      title: t('sv.status'),
      dataIndex: 'status',
      render: (s: string) => <Tag color={COLOR[s] ?? 'default'}>{code('recovery.status', s)}</Tag>,
    },
    {
      title: t('sv.foundOn'),
      className: 'nowrap',
      dataIndex: 'createdAt',
      render: (d: string) => formatDate(d, lang),
    },
  ];
  const totals = list.data?.totals;
  return (
    <>
      <PageTitle>{t('page.agency.svRecoveries')}</PageTitle>
      <Alert type="info" showIcon title={t('sv.recoveries.hint')} style={{ marginBottom: 16 }} />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Segmented<string>
            value={source}
            onChange={setSource}
            options={[
              { value: '', label: t('sv.all') },
              ...['pension', 'unemployment', 'supervision', 'injury'].map((s) => ({
                value: s,
                label: code('sv.source', s),
              })),
            ]}
          />
          <Select
            value={status}
            onChange={setStatus}
            style={{ width: 140 }}
            options={[
              { value: '', label: t('sv.all') },
              ...['open', 'recovered', 'written_off'].map((s) => ({
                value: s,
                label: code('recovery.status', s),
              })),
            ]}
          />
          <Select
            value={sort}
            onChange={setSort}
            style={{ width: 160 }}
            options={[
              { value: 'owed', label: t('sv.sort.owed') },
              { value: 'newest', label: t('sv.sort.newest') },
            ]}
          />
        </Space>
        {totals ? (
          <p>
            {t('sv.totals', {
              amount: formatMoney(totals.amountFen),
              recovered: formatMoney(totals.recoveredFen),
              outstanding: formatMoney(totals.outstandingFen),
              fine: formatMoney(totals.fineFen),
            })}
          </p>
        ) : null}
        <ErrorAlert error={list.error} onRetry={list.reload} />
        {/* No fixed width to scroll: 1,000 px cut 发现日期 at 1280 px; the source and the reason wrap. */}
        <Table<RecoveryItem>
          rowKey="ref"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          locale={emptyTable(t('recovery.empty'), undefined, {
            when: source !== '' || status !== '',
            title: t('empty.recoveries.filtered'),
            hint: t('empty.recoveries.filtered.hint'),
          })}
        />
      </Card>
    </>
  );
}
