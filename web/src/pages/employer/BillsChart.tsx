// 近12个月账单: the employer's last twelve months of bills as bars — paid, open and overdue stacked to
// what was due each month — with the totals in words above them (the text a reader without the
// picture gets, and the figures a glance wants). Its own read of the bills: the table below pages and
// filters by status, the chart always shows every status.
import { Card, Typography } from 'antd';
import { useMemo } from 'react';
import { api } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { moneyTip, yuanAxis } from '../../components/chart-axis.ts';
import { ErrorAlert, useLoad } from '../../components/common.tsx';
import { formatMoney, formatPeriod, todayIso } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { billMonths, type BillMonth } from './bill-months.ts';

// the status tags' colours in the table: paid green, open orange; overdue red
const COLORS = ['#52c41a', '#fa8c16', '#cf1322'];
const SERIES = [
  ['bills.chart.paid', 'paidFen'],
  ['bills.chart.open', 'openFen'],
  ['bills.chart.overdue', 'overdueFen'],
] as const satisfies ReadonlyArray<readonly [MessageKey, keyof Omit<BillMonth, 'period'>]>;

export function BillsChart({ employerId, tick }: { employerId: number; tick: number }) {
  const { t, lang } = useI18n();
  // newest first; 200 (the route's most) is more than twelve months of bills and back payments
  const bills = useLoad(() => api.bills({ employerId, page: 1, pageSize: 200 }), [employerId, tick]);
  const months = useMemo(() => billMonths(bills.data?.items ?? [], todayIso()), [bills.data]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: moneyTip,
      },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((m) => formatPeriod(m.period, lang)) },
      yAxis: yuanAxis(t('bills.chart.yuan')),
      color: COLORS,
      series: SERIES.map(([name, key]) => ({
        name: t(name),
        type: 'bar',
        stack: 'due',
        barMaxWidth: 28,
        data: months.map((m) => m[key]),
      })),
    }),
    [months, t, lang],
  );
  const first = months.at(0);
  const last = months.at(-1);
  // no bill yet: the table below says so and what makes one
  if (!bills.error && (!first || !last)) return null;
  const sum = (k: keyof Omit<BillMonth, 'period'>) => months.reduce((s, m) => s + m[k], 0);
  const [paid, open, overdue] = [sum('paidFen'), sum('openFen'), sum('overdueFen')];
  const range =
    first && last
      ? t('bills.chart.range', {
          from: formatPeriod(first.period, lang),
          to: formatPeriod(last.period, lang),
        })
      : '';
  return (
    <Card title={t('bills.chart.title')} style={{ marginBottom: 16 }} data-testid="bills-chart">
      <ErrorAlert error={bills.error} onRetry={bills.reload} />
      {range ? (
        <>
          <Typography.Paragraph data-testid="bills-chart-summary">
            {t('bills.chart.summary', {
              range,
              due: formatMoney(paid + open + overdue),
              paid: formatMoney(paid),
              unpaid: formatMoney(open + overdue),
              overdue: formatMoney(overdue),
            })}
          </Typography.Paragraph>
          <Chart option={option} height={260} label={t('bills.chart.label', { range })} values="money" />
        </>
      ) : null}
    </Card>
  );
}
