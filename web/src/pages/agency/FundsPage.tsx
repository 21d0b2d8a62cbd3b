// 基金收支: income, expenditure and cumulative balance by fund for a month and the year to date
// (GET /api/v1/reports/funds), as charts and a table, each fund over the twelve
// months to the period, with insured counts.
import { Alert, Card, Col, Grid, Row, Segmented, Space, Tabs } from 'antd';
import { DatePicker } from '../../components/DatePicker.tsx';
import dayjs from 'dayjs';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useMemo, useState } from 'react';
import { api, type FundsReport, type FundStatement } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { axisMoney, moneyTip } from '../../components/chart-axis.ts';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText, useRegionName } from '../../components/registry.tsx';
import { formatCountOf, formatMoney, formatPeriod, todayIso } from '../../format.ts';
import { useCan } from '../../auth.tsx';
import { UnemploymentFundFigures } from '../unemployment/FundFigures.tsx';
import { useI18n } from '../../i18n/index.tsx';

const money = (f: number) => <span className="money">{formatMoney(f)}</span>;

function FundChart({ rows, label }: { rows: FundStatement[]; label: string }) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  // On a phone the plot is some 200 px wide: three ticks, and the fund names in a narrower column.
  const narrow = !Grid.useBreakpoint().md;
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: moneyTip,
      },
      legend: { bottom: 0 },
      // Fund names on the vertical axis, one per row, so long names never run into each other.
      grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => code('fund', r.fund)),
        axisLabel: { interval: 0, width: narrow ? 84 : 110, overflow: 'break' },
      },
      xAxis: {
        type: 'value',
        splitNumber: narrow ? 2 : 5,
        name: t('unit.yuan'),
        axisLabel: {
          hideOverlap: true,
          // 万/亿 in Chinese (0, not 0万), K/M/B of yuan in English
          formatter: axisMoney(lang),
        },
      },
      color: ['#3ba272', '#b3261e', '#5470c6'],
      series: [
        { name: t('funds.income'), type: 'bar', data: rows.map((r) => r.incomeFen) },
        { name: t('funds.expenditure'), type: 'bar', data: rows.map((r) => r.expenditureFen) },
        { name: t('funds.balance'), type: 'bar', data: rows.map((r) => r.balanceFen) },
      ],
    }),
    [rows, t, code, lang, narrow],
  );
  return <Chart option={option} label={label} height={90 + rows.length * 70} values="money-wan-yi" />;
}

/**
 * A fund over the twelve months to the period: each month's income and expenditure (bars) and the
 * balance at its end (line, its own axis: a pension fund's balance dwarfs a month's flows).
 */
function FundMonthsChart({ months }: { months: FundsReport['months'] }) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const funds = [...new Set(months.map((m) => m.fund))];
  const [chosen, setChosen] = useState<string | null>(null);
  const fund = chosen !== null && funds.includes(chosen) ? chosen : (funds[0] ?? '');
  // On a phone the fund switch goes under the title: beside it, it cut the title to a few words.
  const narrow = !Grid.useBreakpoint().md;
  const option = useMemo<ChartOption>(() => {
    const rows = months.filter((m) => m.fund === fund);
    // 万 and 亿 ticks: at least 1万 apart, or half a 万 would be written 1万 or 0 twice
    const axis = { type: 'value', minInterval: 1_000_000, axisLabel: { formatter: axisMoney(lang) } };
    // each axis names what it measures and in what: the bars' flows on the left, the balance on the right
    return {
      tooltip: {
        trigger: 'axis',
        valueFormatter: moneyTip,
      },
      legend: { bottom: 0 },
      grid: { left: 8, right: 8, top: 24, bottom: 36, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => formatPeriod(r.period, lang)) },
      yAxis: [
        { ...axis, name: t('funds.axis.flows'), nameTextStyle: { align: 'left' } },
        {
          ...axis,
          name: t('funds.axis.balance'),
          nameTextStyle: { align: 'right' },
          splitLine: { show: false },
        },
      ],
      color: ['#3ba272', '#b3261e', '#5470c6'],
      series: [
        { name: t('funds.income'), type: 'bar', data: rows.map((r) => r.incomeFen) },
        { name: t('funds.expenditure'), type: 'bar', data: rows.map((r) => r.expenditureFen) },
        { name: t('funds.balance'), type: 'line', yAxisIndex: 1, data: rows.map((r) => r.balanceFen) },
      ],
    };
  }, [months, fund, t, lang]);
  if (funds.length === 0) return null;
  const switcher = (
    <Segmented<string>
      value={fund}
      onChange={setChosen}
      options={funds.map((f) => ({ value: f, label: code('fundShort', f) }))}
      style={narrow ? { marginBottom: 12, maxWidth: '100%', overflowX: 'auto' } : undefined}
    />
  );
  return (
    <Card
      title={t('funds.months')}
      extra={narrow ? undefined : switcher}
      styles={{ title: { whiteSpace: 'normal', paddingBlock: 12 } }}
    >
      {narrow ? switcher : null}
      <Chart
        option={option}
        height={300}
        label={`${t('funds.months')} · ${code('fund', fund)}`}
        values="money-wan-yi"
      />
    </Card>
  );
}

function Statements({ rows }: { rows: FundStatement[] }) {
  const { t } = useI18n();
  const code = useCodeText();
  const regionName = useRegionName();
  if (rows.length === 0) return <EmptyState title={t('funds.empty')} hint={t('funds.empty.hint')} />;
  const severalRegions = new Set(rows.map((r) => r.region)).size > 1;
  return (
    <>
      <FundChart rows={rows} label={t('funds.chart')} />
      <Table<FundStatement>
        size="small"
        rowKey={(r) => `${r.fund}-${r.region}`}
        dataSource={rows}
        pagination={false}
        tableLayout="fixed"
        columns={[
          {
            title: t('funds.fund'),
            dataIndex: 'fund',
            width: '28%',
            // the region only where the rows span several (a list under the chart said it for every row,
            // repeating the table's figures word for word)
            render: (f: string, r) =>
              severalRegions
                ? t('funds.fundIn', { fund: code('fund', f), region: regionName(r.region) })
                : code('fund', f),
          },
          { title: t('funds.income'), dataIndex: 'incomeFen', align: 'right', render: money },
          { title: t('funds.expenditure'), dataIndex: 'expenditureFen', align: 'right', render: money },
          { title: t('funds.balance'), dataIndex: 'balanceFen', align: 'right', render: money },
          { title: t('funds.accounts'), dataIndex: 'personalAccountFen', align: 'right', render: money },
        ]}
      />
    </>
  );
}

export function FundsPage() {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const regionName = useRegionName();
  const can = useCan();
  const [period, setPeriod] = useState(() => todayIso().slice(0, 7));
  const ok = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const { data, error, loading, reload } = useLoad(ok ? () => api.funds(period) : null, [period]);
  const insuredOption = useMemo<ChartOption | null>(
    () =>
      data && data.insured.length > 0
        ? {
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            // room on the right for the axis's unit, which containLabel does not count ("peop")
            grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
            xAxis: {
              type: 'value',
              name: t('unit.people'),
              minInterval: 1,
              splitNumber: 3,
              axisLabel: { hideOverlap: true },
            },
            // first scheme at the top, as in the table beside it (a category y axis starts at the bottom)
            yAxis: {
              type: 'category',
              inverse: true,
              data: data.insured.map((i) => code('scheme', i.scheme)),
            },
            color: ['#b3261e'],
            series: [{ name: t('funds.insured'), type: 'bar', data: data.insured.map((i) => i.count) }],
          }
        : null,
    [data, t, code],
  );
  return (
    <>
      <PageTitle
        extra={
          <Space>
            <label htmlFor="funds-period">{t('funds.period')}</label>
            <DatePicker
              id="funds-period"
              picker="month"
              allowClear={false}
              value={ok ? dayjs(`${period}-01`) : null}
              onChange={(d) => d && setPeriod(d.format('YYYY-MM'))}
              upToToday
              style={{ width: 130 }}
            />
          </Space>
        }
      >
        {t('page.agency.funds')}
        {ok ? ` · ${formatPeriod(period, lang)}` : ''}
      </PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !data ? <Loading /> : null}
      {data?.warnings.map((w) => {
        const s = data.month.find((m) => m.fund === w.fund && m.region === w.region);
        return (
          <Alert
            key={`${w.fund}-${w.region}`}
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('funds.warning', {
              fund: code('fund', w.fund),
              region: regionName(w.region),
              accounts: formatMoney(s?.personalAccountFen ?? 0),
              balance: formatMoney(s?.balanceFen ?? 0),
              shortfall: formatMoney(w.shortfallFen),
            })}
          />
        );
      })}
      {data ? (
        <Row gutter={[16, 16]}>
          {/* the funds over time first: where they are going reads at a glance */}
          <Col span={24}>
            <FundMonthsChart months={data.months} />
          </Col>
          <Col xs={24} xxl={16}>
            <Card>
              <Tabs
                items={[
                  { key: 'ytd', label: t('funds.ytd'), children: <Statements rows={data.yearToDate} /> },
                  { key: 'month', label: t('funds.month'), children: <Statements rows={data.month} /> },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xxl={8}>
            <Card title={t('funds.insured')}>
              {insuredOption ? (
                <Chart option={insuredOption} height={220} label={t('funds.insured')} values="count" />
              ) : (
                <EmptyState title={t('funds.insured.empty')} />
              )}
              {/* under the chart's own empty state a bare table said the same again */}
              {data.insured.length > 0 ? (
                <Table
                  size="small"
                  rowKey={(i) => `${i.region}-${i.scheme}`}
                  dataSource={data.insured}
                  pagination={false}
                  columns={[
                    {
                      title: t('enrolment.scheme'),
                      dataIndex: 'scheme',
                      render: (s: string) => code('scheme', s),
                    },
                    {
                      title: t('stats.total'),
                      dataIndex: 'count',
                      align: 'right',
                      render: (n: number) => formatCountOf(n, 'people', lang),
                    },
                  ]}
                />
              ) : null}
            </Card>
          </Col>
        </Row>
      ) : null}
      {ok && can('unemployment.read') ? <UnemploymentFundFigures period={period} /> : null}
    </>
  );
}
