// The citizen's own contribution bills (灵活就业 and 城乡居民), read-only: the server lets a citizen
// read their bills but records payments only from the bank, an employer or the counter.
import { Alert, Card, Table, Tag } from 'antd';
import { api, type Bill } from '../../api.ts';
import { ErrorAlert, useLoad } from '../../components/common.tsx';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { ReceiptButton } from '../hall/ReceiptButton.tsx';

export function PayerBills({
  personId,
  payerKind,
  refresh,
}: {
  personId: number;
  payerKind: string;
  refresh: number;
}) {
  const { t, lang } = useI18n();
  const bills = useLoad(() => api.personBills({ personId, pageSize: 50 }), [personId, refresh]);
  const items = (bills.data?.items ?? []).filter((b) => b.payerKind === payerKind);
  return (
    <Card title={t('payer.bills')}>
      <ErrorAlert error={bills.error} onRetry={bills.reload} />
      <Alert type="info" showIcon title={t('payer.howToPay')} style={{ marginBottom: 12 }} />
      <Table<Bill>
        rowKey="id"
        size="small"
        loading={bills.loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('payer.noBills') }}
        columns={[
          { title: t('payer.period'), dataIndex: 'period', render: (p: string) => formatPeriod(p, lang) },
          {
            title: t('payer.amount'),
            dataIndex: 'totalFen',
            align: 'right',
            render: (f: number) => formatMoney(f),
          },
          { title: t('payer.dueDate'), dataIndex: 'dueDate', render: (d: string) => formatDate(d, lang) },
          {
            title: t('payer.status'),
            dataIndex: 'status',
            render: (s: string, b) =>
              s === 'paid' ? (
                <>
                  <Tag color="green">{t('payer.status.paid', { date: formatDate(b.paidDate, lang) })}</Tag>
                  <ReceiptButton billId={b.id} />
                </>
              ) : s === 'open' ? (
                <Tag color="orange">{t('payer.status.open')}</Tag>
              ) : (
                <Tag>{t('payer.status.cancelled')}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}
