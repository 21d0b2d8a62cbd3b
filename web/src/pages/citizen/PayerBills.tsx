// The citizen's own contribution bills (灵活就业 and 城乡居民). An open bill has a 缴费 button: the
// server makes a payment order at the amount it computes (late fee included) and the citizen goes
// to the payment gateway (on the demo, its simulator); back here, the page shows the order's outcome.
// A flexible worker's bill has 费率明细 too: the rate and its source, in the employer's dialog.
import { Alert, Button, Card, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api, type Bill } from '../../api.ts';
import { paymentApi, type PaymentOrder } from '../../api-payment.ts';
import { useCan } from '../../auth.tsx';
import { EmptyState, ErrorAlert, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { BillRatesModal } from '../employer/BillRatesModal.tsx';
import { ReceiptButton } from '../hall/ReceiptButton.tsx';
import { navigate, useSearchParam } from '../../router.tsx';

/** After the gateway: the order's outcome, read from the server (never from the address). */
function PaymentOutcome({ onPaid }: { onPaid: () => void }) {
  const { t } = useI18n();
  const orderNo = useSearchParam('order');
  const [order, setOrder] = useState<PaymentOrder | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!orderNo || !/^SB[0-9A-F]{24}$/.test(orderNo)) return;
    paymentApi.order(orderNo).then(
      (o) => {
        setOrder(o);
        if (o.status === 'paid') onPaid();
      },
      (e: unknown) => setError(e),
    );
  }, [orderNo]);
  if (error) return <ErrorAlert error={error} />;
  if (!order) return null;
  return order.status === 'paid' ? (
    <Alert
      type="success"
      showIcon
      role="status"
      style={{ marginBottom: 12 }}
      title={t('pay.paid', { amount: formatMoney(order.amountFen) })}
    />
  ) : (
    <Alert
      type="warning"
      showIcon
      role="status"
      style={{ marginBottom: 12 }}
      title={
        order.status === 'pending'
          ? t('pay.pending')
          : order.status === 'refund_due'
            ? t('pay.refundDue', { amount: formatMoney(order.amountFen) })
            : order.status === 'refunded'
              ? t('pay.refunded', { amount: formatMoney(order.amountFen) })
              : t('pay.failed')
      }
    />
  );
}

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
  const can = useCan();
  const [paid, setPaid] = useState(0);
  const bills = useLoad(() => api.personBills({ personId, pageSize: 50 }), [personId, refresh, paid]);
  const items = (bills.data?.items ?? []).filter((b) => b.payerKind === payerKind);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const canPay = can('payment.online');
  // a flexible worker's bill is base × rate, shown with its sources; a resident's is a yearly tier (no rate)
  const rated = payerKind === 'flexible';
  const [ratesOf, setRatesOf] = useState<Bill | null>(null);
  // a resident's bill is the year's (its period is the year's first month)
  const periodLabel = (b: Bill): string =>
    b.payerKind === 'resident'
      ? t('payer.year', { year: b.period.slice(0, 4) })
      : formatPeriod(b.period, lang);

  async function pay(b: Bill) {
    setBusy(b.id);
    setError(null);
    try {
      const o = await paymentApi.createOrder(b.id);
      const back = window.location.pathname;
      navigate(`${o.gatewayUrl}&back=${encodeURIComponent(back)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card title={t('payer.bills')}>
      <ErrorAlert error={bills.error} onRetry={bills.reload} />
      <PaymentOutcome onPaid={() => setPaid((n) => n + 1)} />
      <Alert
        type="info"
        showIcon
        title={canPay ? t('payer.howToPayOnline') : t('payer.howToPay')}
        style={{ marginBottom: 12 }}
      />
      <ErrorAlert error={error} />
      <Table<Bill>
        rowKey="id"
        size="small"
        loading={bills.loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <EmptyState
              title={t('payer.noBills')}
              hint={t(payerKind === 'flexible' ? 'payer.noBills.flexible' : 'payer.noBills.resident')}
            />
          ),
        }}
        columns={[
          {
            title: t('payer.period'),
            dataIndex: 'period',
            render: (_: string, b) => periodLabel(b),
          },
          {
            title: t('payer.amount'),
            dataIndex: 'totalFen',
            align: 'right',
            render: (f: number) => <span className="money">{formatMoney(f)}</span>,
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
          ...(canPay || rated
            ? [
                {
                  title: t('payer.action'),
                  key: 'actions',
                  render: (_: unknown, b: Bill) =>
                    (canPay && b.status === 'open') || rated ? (
                      <Space size={4} wrap>
                        {canPay && b.status === 'open' ? (
                          <Button
                            type="primary"
                            size="small"
                            loading={busy === b.id}
                            onClick={() => void pay(b)}
                            aria-label={t('payer.payFor', { period: periodLabel(b) })}
                          >
                            {t('payer.pay')}
                          </Button>
                        ) : null}
                        {rated ? (
                          <Button
                            size="small"
                            onClick={() => setRatesOf(b)}
                            aria-label={t('billRates.openFor', { period: periodLabel(b) })}
                          >
                            {t('billRates.open')}
                          </Button>
                        ) : null}
                      </Space>
                    ) : (
                      '—'
                    ),
                },
              ]
            : []),
        ]}
      />
      <BillRatesModal bill={ratesOf} onClose={() => setRatesOf(null)} />
    </Card>
  );
}
