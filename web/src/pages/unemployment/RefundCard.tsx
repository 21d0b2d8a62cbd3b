// One year's stable-employment refund as the employer sees it: qualifies or not, the amount or the
// reasons in words, the figures compared, the payment, and the rule's trace.
import { Alert, Card, Collapse, Descriptions, Grid, Tag } from 'antd';
import { TraceList } from '../../components/TraceList.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { Refund } from './refundApi.ts';

const STATUS_COLOR: Record<string, string> = {
  paid: 'green',
  'awaiting-release': 'blue',
  'no-bank-account': 'orange',
  'not-eligible': 'default',
};

export function RefundCard({ r }: { r: Refund }) {
  const { t, lang } = useI18n();
  const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
  // On a phone the labels go above the values: beside a long English label ¥8,655.54 broke in two.
  const narrow = !Grid.useBreakpoint().md;
  return (
    <Card
      className="refund-card"
      title={t('refund.year', { year: r.year })}
      extra={
        <Tag color={STATUS_COLOR[r.paymentStatus] ?? 'default'}>
          {t(`refund.status.${r.paymentStatus}` as MessageKey)}
        </Tag>
      }
      style={{ marginBottom: 16 }}
    >
      {r.eligible ? (
        <Alert
          type="success"
          showIcon
          message={`${t('refund.eligible')} · ${t('refund.amount')} ${formatMoney(r.refundFen)}`}
          description={
            r.payment
              ? t('refund.paidTo', {
                  date: formatDate(r.payment.paidOn, lang),
                  bank: r.payment.bankName,
                  account: r.payment.bankAccount ?? '',
                })
              : t(`refund.status.${r.paymentStatus}` as MessageKey)
          }
        />
      ) : (
        <Alert
          type="warning"
          showIcon
          message={t('refund.notEligible')}
          description={t('text.labelled', {
            label: t('refund.whyNot'),
            value: (lang === 'zh-CN' ? r.reasonZh : r.reason) ?? '—',
          })}
        />
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3 }}
        layout={narrow ? 'vertical' : 'horizontal'}
        colon={!narrow}
        style={{ marginTop: 16 }}
        title={t('text.aside', {
          text: t('refund.facts'),
          aside: t('refund.dataYear', { year: r.dataYear }),
        })}
      >
        <Descriptions.Item label={t('refund.insured')}>{r.insuredCount}</Descriptions.Item>
        <Descriptions.Item label={t('refund.laidOff')}>{r.laidOffCount}</Descriptions.Item>
        <Descriptions.Item label={t('refund.layoffRate')}>
          {pct(r.layoffRatePercent)} / {t('refund.layoffLimit')} {pct(r.layoffLimitPercent)}
        </Descriptions.Item>
        <Descriptions.Item label={t('refund.premiums')}>
          <span className="money">{formatMoney(r.premiumsPaidFen)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('refund.paidMonths')}>{r.paidMonths}</Descriptions.Item>
        <Descriptions.Item label={t('refund.arrears')}>
          {r.arrears ? t('refund.yes') : t('refund.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('refund.rate')}>
          {t('text.aside', { text: pct(r.ratePercent), aside: t(`refund.size.${r.size}` as MessageKey) })}
        </Descriptions.Item>
      </Descriptions>
      <Collapse
        style={{ marginTop: 12 }}
        size="small"
        items={[{ key: 'trace', label: t('refund.trace'), children: <TraceList steps={r.trace} /> }]}
      />
    </Card>
  );
}
