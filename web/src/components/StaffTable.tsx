// An employer's staff (current, or all with ended ones), with "stop" (减员) when the server offers it.
import { Button, Checkbox, Space, Tag } from 'antd';
import { Table } from './ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, type StaffItem } from '../api.ts';
import { useCan } from '../auth.tsx';
import { formatDate, formatMoney } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { EmptyState, ErrorAlert, useLoad } from './common.tsx';
import { SexText, useCodeText } from './registry.tsx';

export function StaffTable({
  employerId,
  onStop,
  refreshKey = 0,
}: {
  employerId: number;
  /** when given and the server can end employments, each current row gets a "stop" button */
  onStop?: (item: StaffItem) => void;
  refreshKey?: number;
}) {
  const { t, lang } = useI18n();
  const can = useCan();
  const code = useCodeText();
  const [includeEnded, setIncludeEnded] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, error, loading, reload } = useLoad(
    () => api.staff(employerId, { includeEnded, page, pageSize }),
    [employerId, includeEnded, page, pageSize, refreshKey],
  );
  const canStop = onStop !== undefined && can('employment.end');

  const columns: ColumnsType<StaffItem> = [
    { title: t('person.name'), dataIndex: 'name', fixed: 'left' },
    { title: t('person.idNumber'), dataIndex: 'idNumber', className: 'money' },
    { title: t('person.sex'), dataIndex: 'sex', render: (s: 'M' | 'F') => <SexText sex={s} /> },
    { title: t('staff.start'), dataIndex: 'startDate', render: (d: string) => formatDate(d, lang) },
    {
      title: t('staff.wage'),
      dataIndex: 'monthlyWageFen',
      align: 'right',
      render: (f: number | null) => <span className="money">{formatMoney(f)}</span>,
    },
    {
      title: t('staff.status'),
      key: 'status',
      render: (_: unknown, s) =>
        s.endDate ? (
          // wraps within the cell: the date and a long reason ran over the next column
          <Tag style={{ whiteSpace: 'normal' }}>
            {t('staff.ended', {
              date: formatDate(s.endDate, lang),
              reason: code('employment.end', s.endReason),
            })}
          </Tag>
        ) : (
          <Tag color="green">{t('staff.current')}</Tag>
        ),
    },
    ...(canStop
      ? [
          {
            title: t('staff.actions'),
            key: 'actions',
            render: (_: unknown, s: StaffItem) =>
              s.endDate ? null : (
                <Button
                  size="small"
                  danger
                  onClick={() => onStop(s)}
                  aria-label={t('staff.stop.for', { name: s.name })}
                >
                  {t('staff.stop')}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Checkbox
          checked={includeEnded}
          onChange={(e) => {
            setPage(1);
            setIncludeEnded(e.target.checked);
          }}
        >
          {t('staff.includeEnded')}
        </Checkbox>
      </Space>
      <ErrorAlert error={error} onRetry={reload} />
      <Table<StaffItem>
        rowKey="employmentId"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        scroll={{ x: 760 }}
        // columns as wide as their headings: with the fixed name column antd fixed the layout, and
        // "Monthly wage (yuan)" lost its unit to the cell's edge
        tableLayout="auto"
        locale={{ emptyText: <EmptyState title={t('staff.empty')} hint={t('staff.empty.hint')} /> }}
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
    </>
  );
}
