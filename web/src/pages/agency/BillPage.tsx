// 缴费账单详情 (/agency/bills/:id): one bill for the clerk answering its payer ("why is our May bill unpaid
// again?") — the payer, what is due today and since when the late fee runs, the amounts by insurance and
// party (the rates route), the money that named it (a reversal struck, with its reason and reviewer),
// what awaits review on it, and what happened, oldest first. No action of its own: the payment finder,
// the bank return and the allocation are on the receipts page, the release on 待复核; it links to them.
import { Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { api, type BillHistory } from '../../api.ts';
import { useCan } from '../../auth.tsx';
import { EmptyState, emptyTable, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { ApprovalLink, ReceiptLink, ReleasedBy } from '../../components/RecordLink.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatDate, formatDateTime, formatMoney, formatPeriod } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { PageProps } from '../../pages.tsx';
import { Link } from '../../router.tsx';
import { BillRatesModal, useFundAmountColumns } from '../employer/BillRatesModal.tsx';
import { MoneyTimeline } from './MoneyTimeline.tsx';
import { useState } from 'react';

type HistoryPayment = BillHistory['payments'][number];

const STATUS_COLOR: Record<string, string> = { open: 'orange', paid: 'green', cancelled: 'default' };
const PAYMENT_COLOR: Record<HistoryPayment['status'], string> = {
  matched: 'green',
  unallocated: 'orange',
  reversed: 'default',
};
const money = (fen: number) => <span className="money">{formatMoney(fen)}</span>;
/** basis points a day as a percentage: 5 → "0.05%" */
const bpPercent = (bp: number) => `${(bp / 100).toFixed(2).replace(/0$/, '')}%`;

export function BillPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const can = useCan();
  const code = useCodeText();
  const id = Number(params['id']);
  const detail = useLoad(() => api.bill(id), [id]);
  const history = useLoad(() => api.billHistory(id), [id]);
  const bill = detail.data?.bill;
  const rates = useLoad(bill && bill.payerKind !== 'resident' ? () => api.billRates(id) : null, [
    id,
    bill?.payerKind,
  ]);
  const employer = useLoad(bill?.employerId != null ? () => api.employer(bill.employerId as number) : null, [
    bill?.employerId,
  ]);
  const amountColumns = useFundAmountColumns(rates.data?.kind === 'flexible');
  const [ratesOpen, setRatesOpen] = useState(false);
  const h = history.data;
  const byPayment = new Map(h?.payments.map((p) => [p.paymentId, p]) ?? []);
  const eventText = (action: string) => {
    const key = (
      action.startsWith('assessment.') ? 'billPage.event.issued' : `billPage.event.${action}`
    ) as MessageKey;
    const text = t(key);
    return text === key ? code('audit', action) : text;
  };

  if (!bill) {
    return (
      <>
        <PageTitle>{t('page.agency.bill')}</PageTitle>
        <ErrorAlert error={detail.error} onRetry={detail.reload} />
        {detail.loading ? <Loading /> : null}
      </>
    );
  }
  const due = detail.data?.due;
  const payerName =
    bill.employerId !== null
      ? (employer.data?.name ?? `#${bill.employerId}`)
      : (detail.data?.lines[0]?.name ?? `#${bill.personId}`);
  const payerPath =
    bill.employerId !== null ? `/agency/employers/${bill.employerId}` : `/agency/persons/${bill.personId}`;
  const payerKind = t(
    bill.payerKind === 'employer'
      ? 'billPage.payer.employer'
      : bill.payerKind === 'resident'
        ? 'billPage.payer.resident'
        : 'billPage.payer.flexible',
  );
  const rate = h ? bpPercent(h.lateFee.dailyRateBp) : '';
  const lateFeeText = !h
    ? '—'
    : bill.status !== 'open'
      ? t('billPage.lateFeeNone')
      : due && due.lateDays > 0
        ? t('billPage.lateFeeRuns', {
            from: formatDate(h.lateFee.from, lang),
            rate,
            days: due.lateDays,
            fee: formatMoney(due.lateFeeFen),
          })
        : t('billPage.lateFeeNotYet', { from: formatDate(h.lateFee.from, lang), rate });

  return (
    <>
      <PageTitle>
        {t('billPage.title', { id: bill.id, period: formatPeriod(bill.period, lang) })}{' '}
        <Tag color={STATUS_COLOR[bill.status] ?? 'default'}>{code('bills.status', bill.status)}</Tag>
      </PageTitle>
      <ErrorAlert error={history.error} onRetry={history.reload} />
      <Card title={t('billPage.summary')} style={{ marginBottom: 16 }} data-testid="bill-summary">
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('billPage.payer')}>
            {/* one span: the item's content is a flex box, which drops a space between its children */}
            <span>
              {payerKind} <Link to={payerPath}>{payerName}</Link>
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('bills.period')}>
            {formatPeriod(bill.period, lang)}
            {bill.backPayment ? <Tag style={{ marginInlineStart: 6 }}>{t('bills.back')}</Tag> : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('bills.status')}>
            {code('bills.status', bill.status)}
            {bill.paidDate ? ` · ${t('billPage.paidOn', { date: formatDate(bill.paidDate, lang) })}` : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('bills.due')}>{formatDate(bill.dueDate, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('bills.total')}>{money(bill.totalFen)}</Descriptions.Item>
          {bill.status === 'open' && due ? (
            <Descriptions.Item label={t('billPage.dueToday')}>
              <strong>
                {t('billPage.dueTodayValue', {
                  total: formatMoney(due.totalFen),
                  contribution: formatMoney(due.contributionFen),
                  fee: formatMoney(due.lateFeeFen),
                })}
              </strong>
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('billPage.lateFee')}>
            <span data-testid="bill-late-fee">{lateFeeText}</span>
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card
        title={t('billPage.amounts')}
        style={{ marginBottom: 16 }}
        extra={
          bill.payerKind !== 'resident' ? (
            <Button size="small" onClick={() => setRatesOpen(true)}>
              {t('billRates.open')}
            </Button>
          ) : null
        }
      >
        {bill.payerKind === 'resident' ? (
          <Typography.Text>{t('billPage.resident', { amount: formatMoney(bill.totalFen) })}</Typography.Text>
        ) : (
          <>
            <ErrorAlert error={rates.error} onRetry={rates.reload} />
            <Table
              rowKey="fund"
              size="small"
              pagination={false}
              loading={rates.loading}
              dataSource={rates.data?.funds ?? []}
              locale={emptyTable(t('empty.bill.funds'))}
              columns={[amountColumns.fund, ...amountColumns.amounts]}
            />
          </>
        )}
      </Card>
      <BillRatesModal bill={ratesOpen ? bill : null} onClose={() => setRatesOpen(false)} />

      <Card
        title={t('billPage.payments')}
        style={{ marginBottom: 16 }}
        data-testid="bill-payments"
        extra={can('payment.reverse') ? <Link to="/agency/receipts">{t('billPage.find')}</Link> : null}
      >
        <Table<HistoryPayment>
          rowKey="paymentId"
          size="small"
          pagination={false}
          loading={history.loading}
          dataSource={h?.payments ?? []}
          locale={{ emptyText: <EmptyState title={t('billPage.paymentsEmpty')} /> }}
          columns={[
            {
              title: t('billPage.bankRef'),
              dataIndex: 'bankRef',
              // the payment's own page: its bank line, the bills it paid, what happened to it
              render: (r: string | null, p) => (
                <ReceiptLink id={p.paymentId}>
                  {p.status === 'reversed' ? <del>{r ?? `#${p.paymentId}`}</del> : (r ?? `#${p.paymentId}`)}
                </ReceiptLink>
              ),
            },
            {
              title: t('billPage.paidDate'),
              dataIndex: 'paidDate',
              render: (d: string) => formatDate(d, lang),
            },
            {
              title: t('billPage.amount'),
              dataIndex: 'amountFen',
              align: 'right',
              render: (f: number, p) => (p.status === 'reversed' ? <del>{money(f)}</del> : money(f)),
            },
            {
              title: t('billPage.channel'),
              dataIndex: 'channel',
              render: (c: string) => t(`billPage.channel.${c}` as MessageKey),
            },
            {
              title: t('billPage.status'),
              key: 'status',
              render: (_: unknown, p) => (
                <Space direction="vertical" size={0}>
                  <Tag color={PAYMENT_COLOR[p.status]}>{t(`billPage.status.${p.status}` as MessageKey)}</Tag>
                  {p.reversal ? (
                    <span>
                      {p.reversal.kind
                        ? t('billPage.reversedAs', {
                            date: formatDate(p.reversal.at, lang),
                            kind: t(`reversal.kind.${p.reversal.kind}` as MessageKey),
                            reason: p.reversal.reason ?? '—',
                          })
                        : t('billPage.reversed', {
                            date: formatDate(p.reversal.at, lang),
                            reason: p.reversal.reason ?? '—',
                          })}
                      {p.reversal.releasedBy && p.reversal.approvalId !== null ? (
                        <div className="muted">
                          <ReleasedBy who={p.reversal.releasedBy} approvalId={p.reversal.approvalId} />
                        </div>
                      ) : null}
                    </span>
                  ) : null}
                  {p.inReview ? (
                    <ApprovalLink id={p.inReview.approvalId}>
                      {t('billPage.inReview', { id: p.inReview.approvalId })}
                    </ApprovalLink>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card
        title={t('billPage.approvals')}
        style={{ marginBottom: 16 }}
        data-testid="bill-approvals"
        extra={<Link to="/agency/approvals">{t('billPage.approvalsLink')}</Link>}
      >
        {h && h.openApprovals.length === 0 ? (
          <Typography.Text type="secondary">{t('billPage.approvalsEmpty')}</Typography.Text>
        ) : (
          <ul style={{ paddingInlineStart: 20, margin: 0 }}>
            {h?.openApprovals.map((a) => (
              <li key={a.id}>
                <ApprovalLink id={a.id}>
                  #{a.id} {code('approval.kind', a.kind)}
                </ApprovalLink>{' '}
                · {t('billPage.preparedBy', { who: a.makerUsername, at: formatDateTime(a.preparedAt, lang) })}
                {a.reason ? ` · ${t('billPage.reason', { reason: a.reason })}` : null}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={t('billPage.history')} data-testid="bill-history">
        {history.loading && !h ? <Loading /> : null}
        <MoneyTimeline
          events={h?.events ?? []}
          title={(e) => eventText(e.action)}
          subject={(e) => {
            const p = e.paymentId === null ? undefined : byPayment.get(e.paymentId);
            return p ? (
              <>
                <ReceiptLink id={p.paymentId}>{p.bankRef ?? `#${p.paymentId}`}</ReceiptLink>{' '}
                {formatMoney(p.amountFen)}
              </>
            ) : null;
          }}
        />
      </Card>
    </>
  );
}
