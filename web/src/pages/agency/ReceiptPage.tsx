// 缴费到账记录 (/agency/receipts/:id): one payment record for the staff answering "where did our money go?"
// — the bank's line (the day the money came, the amount in 元, the reference, the bill it named and that
// bill's payer, whose money it is held to be now), the bills it paid, its status in words, what happened to
// it (a reversal with its kind and what the money did) and the approvals on it. No action of its own:
// allocating, refunding and the bank return stay on 银行回单导入, releasing on 待复核; it links to them.
import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import { api, type PaymentRecord } from '../../api.ts';
import { useCan } from '../../auth.tsx';
import { BillLink } from '../../components/BillLink.tsx';
import { ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { ApprovalLink, PageLink } from '../../components/RecordLink.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatDate, formatDateTime, formatMoney } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { PageProps } from '../../pages.tsx';
import { Link } from '../../router.tsx';
import { MoneyTimeline, type MoneyEvent } from './MoneyTimeline.tsx';

type Payer = PaymentRecord['payer'];

const STATUS_COLOR: Record<PaymentRecord['status'], string> = {
  matched: 'green',
  unallocated: 'orange',
  reversed: 'default',
};
const APPROVAL_COLOR: Record<PaymentRecord['approvals'][number]['status'], string> = {
  prepared: 'orange',
  released: 'green',
  returned: 'default',
};
const money = (fen: number) => <span className="money">{formatMoney(fen)}</span>;

export function ReceiptPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const can = useCan();
  const id = Number(params['id']);
  const { data: r, error, loading, reload } = useLoad(() => api.paymentRecord(id), [id]);

  if (!r) {
    return (
      <>
        <PageTitle>{t('page.agency.receipt')}</PageTitle>
        <ErrorAlert error={error} onRetry={reload} />
        {loading ? <Loading /> : null}
      </>
    );
  }
  const periodOf = (billId: number) => r.bills.find((b) => b.billId === billId)?.period ?? null;
  const bill = (billId: number) => <BillLink id={billId} period={periodOf(billId)} />;
  const payer = (p: Payer) =>
    p === null ? (
      t('receiptPage.payerUnknown')
    ) : (
      <PageLink pattern={p.kind === 'employer' ? '/agency/employers/:id' : '/agency/persons/:id'} id={p.id}>
        {p.name || `#${p.id}`}
      </PageLink>
    );
  const paying = r.bills.find((b) => b.paysNow);
  const statusText =
    r.status === 'matched'
      ? t('return.status.matched')
      : r.status === 'unallocated'
        ? `${t('return.status.unallocated')} · ${t(`held.status.${r.held ?? 'held'}`)}`
        : r.reasonKind
          ? `${t('return.status.reversed')} · ${t(`reversal.kind.${r.reasonKind}`)}`
          : t('return.status.reversed');
  const channel =
    r.channel === 'online'
      ? t('receiptPage.channel.online', { order: r.orderNo ?? '—' })
      : r.channel === 'recorded'
        ? t('receiptPage.channel.recorded')
        : r.file
          ? t('receiptPage.channel.file', { file: r.file.filename ?? `#${r.file.uploadId}` })
          : t('receiptPage.channel.bank');
  const eventText = (e: MoneyEvent) => {
    const key = (
      e.action === 'payment.import'
        ? `receiptPage.event.import.${e.status === 'matched' ? 'matched' : 'unallocated'}`
        : `receiptPage.event.${e.action}`
    ) as MessageKey;
    const text = t(key);
    return text === key ? code('audit', e.action) : text;
  };

  return (
    <>
      <PageTitle
        // the clerk's way back to the receipts page; a reviewer has none (that page is the clerk's)
        extra={can('payment.import') ? <Link to="/agency/receipts">{t('receiptPage.back')}</Link> : null}
      >
        {t('receiptPage.title', { id: r.paymentId })}{' '}
        <Tag color={STATUS_COLOR[r.status]} style={{ whiteSpace: 'normal' }}>
          {statusText}
        </Tag>
      </PageTitle>
      <Card title={t('receiptPage.bankLine')} style={{ marginBottom: 16 }} data-testid="receipt-bank-line">
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('receiptPage.paidDate')}>
            {formatDate(r.paidDate, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={t('receiptPage.amount')}>
            {/* one span: the item's content is a flex box, which drops a space between its children */}
            <span>
              <strong>{money(r.amountFen)}</strong>
              {r.status === 'matched'
                ? ` · ${t('receiptPage.split', {
                    contribution: formatMoney(r.contributionFen),
                    fee: formatMoney(r.lateFeeFen),
                  })}`
                : null}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('receiptPage.bankRef')}>{r.bankRef ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('receiptPage.channel')}>{channel}</Descriptions.Item>
          <Descriptions.Item label={t('receiptPage.namedBill')}>
            {r.named.billId === null ? t('receiptPage.noBill') : bill(r.named.billId)}
          </Descriptions.Item>
          {r.named.billId === null ? null : (
            <Descriptions.Item label={t('receiptPage.namedPayer')}>
              <span>{r.named.payer === null ? '—' : payer(r.named.payer)}</span>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('receiptPage.payer')}>
            <span>{payer(r.payer)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('receiptPage.status')}>
            <span>
              {statusText}
              {paying ? (
                <>
                  {' · '}
                  {bill(paying.billId)}
                </>
              ) : null}
            </span>
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={t('receiptPage.bills')} style={{ marginBottom: 16 }} data-testid="receipt-bills">
        {r.bills.length === 0 ? (
          <Typography.Text type="secondary">{t('receiptPage.billsEmpty')}</Typography.Text>
        ) : (
          <ul style={{ paddingInlineStart: 20, margin: 0 }}>
            {r.bills.map((b) => (
              <li key={b.billId}>
                <BillLink id={b.billId} period={b.period} /> · {code('bills.status', b.status)} ·{' '}
                {b.paysNow ? <strong>{t('receiptPage.paysNow')}</strong> : t('receiptPage.paysNot')}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={t('receiptPage.approvals')} style={{ marginBottom: 16 }} data-testid="receipt-approvals">
        {r.approvals.length === 0 ? (
          <Typography.Text type="secondary">{t('receiptPage.approvalsEmpty')}</Typography.Text>
        ) : (
          <ul style={{ paddingInlineStart: 20, margin: 0 }}>
            {r.approvals.map((a) => (
              <li key={a.id}>
                <Space wrap size={[8, 0]}>
                  <ApprovalLink id={a.id}>
                    #{a.id} {code('approval.kind', a.kind)}
                  </ApprovalLink>
                  <Tag color={APPROVAL_COLOR[a.status]}>{t(`approval.status.${a.status}`)}</Tag>
                </Space>
                <div className="muted">
                  {t('billPage.preparedBy', { who: a.makerUsername, at: formatDateTime(a.preparedAt, lang) })}
                  {a.checkerUsername && a.decidedAt
                    ? ` · ${t(a.status === 'returned' ? 'receiptPage.returned' : 'receiptPage.released', {
                        who: a.checkerUsername,
                        at: formatDateTime(a.decidedAt, lang),
                      })}`
                    : null}
                </div>
                {a.reason ? <div>{t('billPage.reason', { reason: a.reason })}</div> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title={t('receiptPage.history')} data-testid="receipt-history">
        <MoneyTimeline
          events={r.events}
          title={eventText}
          subject={(e) => (e.billId === null ? null : bill(e.billId))}
        />
      </Card>
    </>
  );
}
