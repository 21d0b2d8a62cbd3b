// 基金收支: income, expenditure and cumulative balance by fund for a month and the year to date
// (GET /api/v1/reports/funds), as charts and in the report's own sentence, with insured counts.
import { Card, Col, Input, Row, Space, Tabs } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useMemo, useState } from 'react';
import { api, type FundStatement } from '../../api.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { fenToYuan, formatCount, formatMoney, formatPeriod, todayIso } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

const money = (f: number) => <span className="money">{formatMoney(f)}</span>;

function FundChart({ rows, label }: { rows: FundStatement[]; label: string }) {
  const { t } = useI18n();
  const code = useCodeText();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `¥${fenToYuan(v)}` : String(v)),
      },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
      xAxis: {
        type: 'category',
        data: rows.map((r) => code('fund', r.fund)),
        axisLabel: { interval: 0, width: 90, overflow: 'break' },
      },
      yAxis: {
        type: 'value',
        name: t('record.yuanAxis'),
        axisLabel: { formatter: (v: number) => formatCount(Math.round(v / 100)) },
      },
      color: ['#3ba272', '#b3261e', '#5470c6'],
      series: [
        { name: t('funds.income'), type: 'bar', data: rows.map((r) => r.incomeFen) },
        { name: t('funds.expenditure'), type: 'bar', data: rows.map((r) => r.expenditureFen) },
        { name: t('funds.balance'), type: 'bar', data: rows.map((r) => r.balanceFen) },
      ],
    }),
    [rows, t, code],
  );
  return <Chart option={option} label={label} height={340} />;
}

function Statements({ rows }: { rows: FundStatement[] }) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  if (rows.length === 0) return <EmptyState title={t('funds.empty')} hint={t('funds.empty.hint')} />;
  return (
    <>
      <FundChart rows={rows} label={t('funds.chart')} />
      <ul className="fund-sentences">
        {rows.map((r) => (
          <li key={`${r.fund}-${r.region}`}>
            {lang === 'zh-CN'
              ? r.summaryZh
              : t('funds.sentence', {
                  fund: code('fund', r.fund),
                  income: formatMoney(r.incomeFen),
                  expenditure: formatMoney(r.expenditureFen),
                  balance: formatMoney(r.balanceFen),
                })}
          </li>
        ))}
      </ul>
      <Table<FundStatement>
        size="small"
        rowKey={(r) => `${r.fund}-${r.region}`}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 720 }}
        columns={[
          { title: t('funds.fund'), dataIndex: 'fund', render: (f: string) => code('fund', f) },
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
  const [period, setPeriod] = useState(() => todayIso().slice(0, 7));
  const ok = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const { data, error, loading, reload } = useLoad(ok ? () => api.funds(period) : null, [period]);
  const insuredOption = useMemo<ChartOption | null>(
    () =>
      data && data.insured.length > 0
        ? {
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
            xAxis: { type: 'value' },
            yAxis: { type: 'category', data: data.insured.map((i) => code('scheme', i.scheme)) },
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
            <Input
              id="funds-period"
              value={period}
              onChange={(e) => setPeriod(e.target.value.trim())}
              style={{ width: 110 }}
              status={ok ? '' : 'error'}
            />
          </Space>
        }
      >
        {t('page.agency.funds')}
        {ok ? ` · ${formatPeriod(period, lang)}` : ''}
      </PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Card>
              <Tabs
                items={[
                  { key: 'ytd', label: t('funds.ytd'), children: <Statements rows={data.yearToDate} /> },
                  { key: 'month', label: t('funds.month'), children: <Statements rows={data.month} /> },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <Card title={t('funds.insured')}>
              {insuredOption ? (
                <Chart option={insuredOption} height={220} label={t('funds.insured')} />
              ) : (
                <EmptyState title={t('funds.insured.empty')} />
              )}
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
                  { title: t('stats.total'), dataIndex: 'count', align: 'right', render: formatCount },
                ]}
              />
            </Card>
          </Col>
        </Row>
      ) : null}
    </>
  );
}
