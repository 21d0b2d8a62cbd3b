// 账单与欠费: the employer's bills (contributions per fund, due date, status), paying an open bill
// for the whole amount due today (contributions + the 0.05%-a-day late fee), and the arrears.
import { App, Button, Card, Col, Modal, Row, Select, Space, Statistic, Tag } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useMemo, useState } from 'react';
import { api, type AmountDue, type Bill } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { ReceiptButton } from '../hall/ReceiptButton.tsx';
import { BillRatesModal } from './BillRatesModal.tsx';
import { BillsChart } from './BillsChart.tsx';

const STATUS_COLOR: Record<string, string> = { open: 'orange', paid: 'green', cancelled: 'default' };
const PAGE = 12;
/** the route's most: more than twelve months of bills and back payments, for the chart */
const READ = 200;
const money = (f: number) => <span className="money">{formatMoney(f)}</span>;

export function BillsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const code = useCodeText();
  const employerId = useAuth().user?.employerId ?? null;
  const [status, setStatus] = useState<string>('');
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  // One read of the bills, every status, newest first: the chart's twelve months, and the table's pages
  // and status filter while it holds every bill (the chart made a second read of 200 beside the table's).
  const all = useLoad(employerId ? () => api.bills({ employerId, page: 1, pageSize: READ }) : null, [
    employerId,
    tick,
  ]);
  const whole = all.data ? all.data.total <= all.data.items.length : null;
  // more bills than one read holds: the table asks the server for each page
  const paged = useLoad(
    employerId && whole === false
      ? () => api.bills({ employerId, page, pageSize: PAGE, ...(status ? { status } : {}) })
      : null,
    [employerId, whole, page, status, tick],
  );
  const shown = useMemo(() => {
    if (whole && all.data) {
      const matching = status ? all.data.items.filter((b) => b.status === status) : all.data.items;
      return { items: matching.slice((page - 1) * PAGE, page * PAGE), total: matching.length };
    }
    return paged.data;
  }, [whole, all.data, paged.data, status, page]);
  const charted = all.data?.items.some((b) => b.status !== 'cancelled') ?? false;
  const arrears = useLoad(employerId ? () => api.arrears({ employerId }) : null, [employerId, tick]);
  const [paying, setPaying] = useState<{ bill: Bill; due: AmountDue } | null>(null);
  const [payBusy, setPayBusy] = useState(false);
  const [payError, setPayError] = useState<unknown>(null);
  const [ratesOf, setRatesOf] = useState<Bill | null>(null);
  if (!employerId) return <EmptyState title={t('employer.noEmployer')} />;

  async function openPay(bill: Bill) {
    setPayError(null);
    try {
      const d = await api.bill(bill.id);
      setPaying({ bill: d.bill, due: d.due });
    } catch (e) {
      setPayError(e);
    }
  }

  async function pay() {
    if (!paying) return;
    setPayBusy(true);
    setPayError(null);
    try {
      const p = await api.payBill(paying.bill.id, paying.due.totalFen);
      void message.success(t('bills.paid', { amount: formatMoney(p.amountFen) }));
      setPaying(null);
      setTick((n) => n + 1);
    } catch (e) {
      setPayError(e);
    } finally {
      setPayBusy(false);
    }
  }

  const a = arrears.data;
  return (
    <>
      <PageTitle>{t('page.employer.bills')}</PageTitle>
      {/* On a desktop the totals stacked beside a short chart, so the table starts on the first screen
          (under a full-width chart it began at 680 px of 800); on a phone one under the other. */}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={charted ? 8 : 24}>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={8} lg={charted ? 24 : 8}>
              <Card size="small">
                <Statistic title={t('bills.arrears')} value={a ? formatMoney(a.totalArrearsFen) : '—'} />
              </Card>
            </Col>
            <Col xs={12} md={8} lg={charted ? 24 : 8}>
              <Card size="small">
                <Statistic title={t('bills.lateFee')} value={a ? formatMoney(a.totalLateFeeFen) : '—'} />
              </Card>
            </Col>
            <Col xs={24} md={8} lg={charted ? 24 : 8}>
              <Card size="small">
                <Statistic
                  title={t('bills.openCount')}
                  value={a ? a.items.length : '—'}
                  suffix={a ? t('unit.bills') : undefined}
                />
              </Card>
            </Col>
          </Row>
        </Col>
        {charted && all.data ? (
          <Col xs={24} lg={16}>
            <BillsChart bills={all.data.items} />
          </Col>
        ) : null}
      </Row>
      <ErrorAlert error={arrears.error} onRetry={arrears.reload} />
      <ErrorAlert error={payError} />
      <Card
        title={t('bills.title')}
        extra={
          <Space>
            <label htmlFor="bill-status">{t('bills.status')}</label>
            <Select
              id="bill-status"
              value={status}
              style={{ width: 120 }}
              onChange={(v) => {
                setPage(1);
                setStatus(v);
              }}
              options={[
                { value: '', label: t('bills.status.all') },
                { value: 'open', label: code('bills.status', 'open') },
                { value: 'paid', label: code('bills.status', 'paid') },
                { value: 'cancelled', label: code('bills.status', 'cancelled') },
              ]}
            />
          </Space>
        }
      >
        <ErrorAlert error={all.error ?? paged.error} onRetry={all.error ? all.reload : paged.reload} />
        {/* No fixed width to scroll: 1,000 px cut the action column at 1280; the columns fit the card
            when the months and days do not wrap. */}
        <Table<Bill>
          rowKey="id"
          size="middle"
          loading={all.loading || paged.loading}
          dataSource={shown?.items ?? []}
          locale={{ emptyText: <EmptyState title={t('bills.empty')} hint={t('bills.empty.hint')} /> }}
          pagination={{
            current: page,
            pageSize: PAGE,
            // antd offers other page sizes past 50 rows: none of them was ever applied
            showSizeChanger: false,
            total: shown?.total ?? 0,
            showTotal: (total) => t('list.total', { total }),
            onChange: setPage,
          }}
          columns={[
            {
              title: t('bills.period'),
              dataIndex: 'period',
              onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (p: string, b) => (
                <>
                  {formatPeriod(p, lang)}
                  {b.backPayment ? <Tag style={{ marginInlineStart: 6 }}>{t('bills.back')}</Tag> : null}
                </>
              ),
            },
            { title: t('bills.lines'), dataIndex: 'lines', align: 'right' },
            {
              title: t('bills.pension'),
              key: 'pension',
              align: 'right',
              render: (_: unknown, b) => money(b.pensionEmployerFen + b.pensionEmployeeFen),
            },
            {
              title: t('bills.unemployment'),
              key: 'unemployment',
              align: 'right',
              render: (_: unknown, b) => money(b.unemploymentEmployerFen + b.unemploymentEmployeeFen),
            },
            { title: t('bills.injury'), dataIndex: 'injuryFen', align: 'right', render: money },
            { title: t('bills.total'), dataIndex: 'totalFen', align: 'right', render: money },
            {
              title: t('bills.due'),
              dataIndex: 'dueDate',
              onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (d: string) => formatDate(d, lang),
            },
            {
              // The paid date under the tag: inside it, the tag outgrew its column and ran under the button.
              title: t('bills.status'),
              dataIndex: 'status',
              onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (s: string, b) => (
                <>
                  <Tag color={STATUS_COLOR[s] ?? 'default'}>{code('bills.status', s)}</Tag>
                  {b.paidDate ? (
                    <div className="muted" style={{ fontSize: 12 }}>
                      {formatDate(b.paidDate, lang)}
                    </div>
                  ) : null}
                </>
              ),
            },
            {
              title: t('staff.actions'),
              key: 'pay',
              render: (_: unknown, b) => (
                <Space size={4} wrap>
                  {b.status === 'open' ? (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => void openPay(b)}
                      aria-label={t('bills.payFor', { period: formatPeriod(b.period, lang) })}
                    >
                      {t('bills.pay')}
                    </Button>
                  ) : b.status === 'paid' ? (
                    <ReceiptButton billId={b.id} />
                  ) : null}
                  <Button
                    size="small"
                    onClick={() => setRatesOf(b)}
                    aria-label={t('billRates.openFor', { period: formatPeriod(b.period, lang) })}
                  >
                    {t('billRates.open')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <BillRatesModal bill={ratesOf} onClose={() => setRatesOf(null)} />
      <Modal
        open={paying !== null}
        title={paying ? t('bills.payTitle', { period: formatPeriod(paying.bill.period, lang) }) : ''}
        okText={t('bills.confirmPay')}
        cancelText={t('action.cancel')}
        confirmLoading={payBusy}
        onOk={() => void pay()}
        onCancel={() => setPaying(null)}
      >
        {paying ? (
          <>
            <p>{t('bills.contribution', { amount: formatMoney(paying.due.contributionFen) })}</p>
            <p>
              {t('bills.lateFeeLine', {
                amount: formatMoney(paying.due.lateFeeFen),
                days: paying.due.lateDays,
              })}
            </p>
            <p>
              <strong>{t('bills.totalDue', { amount: formatMoney(paying.due.totalFen) })}</strong>
            </p>
          </>
        ) : null}
      </Modal>
    </>
  );
}
