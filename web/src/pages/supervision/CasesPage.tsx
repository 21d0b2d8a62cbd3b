// 监管案件: the region's supervision cases, by status, with what was decided and recovered.
import { Card, Segmented, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { supervisionApi, type CaseListItem } from '../../api-supervision.ts';
import { emptyTable, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';

export const CASE_COLOR: Record<string, string> = {
  investigating: 'orange',
  recovering: 'blue',
  closed: 'green',
};

export function CasesPage() {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const [status, setStatus] = useState<string>('');
  const list = useLoad(() => supervisionApi.cases(status || undefined), [status]);
  const columns: ColumnsType<CaseListItem> = [
    {
      title: '#',
      dataIndex: 'id',
      render: (id: number) => <Link to={`/agency/supervision/cases/${id}`}>{t('sv.case', { id })}</Link>,
    },
    {
      title: t('sv.detector'),
      key: 'detector',
      render: (_: unknown, c) => (lang === 'zh-CN' ? c.detectorZh : c.detectorEn),
    },
    {
      title: t('sv.subject'),
      key: 'subject',
      render: (_: unknown, c) => c.personName ?? c.employerName ?? '—',
    },
    {
      title: t('sv.amountAtRisk'),
      dataIndex: 'amountAtRiskFen',
      align: 'right',
      render: (v: number) => formatMoney(v),
    },
    {
      title: t('sv.owed'),
      dataIndex: 'overpaidFen',
      align: 'right',
      render: (v: number | null) => (v === null ? '—' : formatMoney(v)),
    },
    { title: t('sv.fine'), dataIndex: 'fineFen', align: 'right', render: (v: number) => formatMoney(v) },
    {
      title: t('sv.recovered'),
      dataIndex: 'recoveredFen',
      align: 'right',
      render: (v: number) => formatMoney(v),
    },
    {
      title: t('sv.status'),
      dataIndex: 'status',
      render: (s: string) => <Tag color={CASE_COLOR[s] ?? 'default'}>{code('sv.status', s)}</Tag>,
    },
    {
      title: t('sv.foundOn'),
      className: 'nowrap',
      dataIndex: 'createdAt',
      render: (d: string) => formatDate(d, lang),
    },
  ];
  return (
    <>
      <PageTitle>{t('page.agency.svCases')}</PageTitle>
      <Card>
        <Segmented<string>
          value={status}
          onChange={setStatus}
          options={[
            { value: '', label: t('sv.all') },
            ...['investigating', 'recovering', 'closed'].map((s) => ({
              value: s,
              label: code('sv.status', s),
            })),
          ]}
          style={{ marginBottom: 16 }}
        />
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<CaseListItem>
          rowKey="id"
          loading={list.loading}
          columns={columns}
          dataSource={list.data ?? []}
          // no fixed width to scroll: 1,000 px hid the found-on date behind a scrollbar at 1280 px; the
          // rule and the subject wrap instead
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          locale={emptyTable(t('empty.cases'), t('empty.cases.hint'), {
            when: status !== '',
            title: t('empty.cases.filtered'),
            hint: t('empty.cases.filtered.hint'),
          })}
        />
      </Card>
    </>
  );
}
