// 近12个月账单: the employer's last twelve months of bills as bars — paid, open and overdue stacked to
// what was due each month — with the totals in words above them (the text a reader without the
// picture gets, and the figures a glance wants). Drawn from the page's one read of the bills (every
// status, newest first), which the table pages through too. Short, beside the totals on a desktop:
// the table under it is what the employer came for, and is on the first screen.
import { Card, Typography } from 'antd';
import { useMemo } from 'react';
import type { Bill } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { moneyTip, yuanAxis } from '../../components/chart-axis.ts';
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

/** `bills`: newest first, more than twelve months of bills and back payments (the page reads 200). */
export function BillsChart({ bills }: { bills: readonly Bill[] }) {
  const { t, lang } = useI18n();
  const months = useMemo(() => billMonths(bills, todayIso()), [bills]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: moneyTip,
      },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 48, bottom: 0, containLabel: true },
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
  // no bill yet: the table says so and what makes one
  if (!first || !last) return null;
  const sum = (k: keyof Omit<BillMonth, 'period'>) => months.reduce((s, m) => s + m[k], 0);
  const [paid, open, overdue] = [sum('paidFen'), sum('openFen'), sum('overdueFen')];
  const range = t('bills.chart.range', {
    from: formatPeriod(first.period, lang),
    to: formatPeriod(last.period, lang),
  });
  return (
    <Card size="small" title={t('bills.chart.title')} style={{ height: '100%' }} data-testid="bills-chart">
      <Typography.Paragraph data-testid="bills-chart-summary" style={{ marginBottom: 8 }}>
        {t('bills.chart.summary', {
          range,
          due: formatMoney(paid + open + overdue),
          paid: formatMoney(paid),
          unpaid: formatMoney(open + overdue),
          overdue: formatMoney(overdue),
        })}
      </Typography.Paragraph>
      <Chart option={option} height={180} label={t('bills.chart.label', { range })} values="money" />
    </Card>
  );
}
