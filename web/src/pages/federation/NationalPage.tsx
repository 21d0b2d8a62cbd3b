// The national exchange's page (issue 16): fund income, expenditure and balance per province and in
// total in the form the national figures are published in ("截至…月底，…基金总收入…，总支出…，累计结余…"),
// with a chart; and the central adjustment of the pension fund (国发〔2018〕18号) settled for a year.
import { Alert, Button, Card, Descriptions, Input, InputNumber, Space, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { ApiError, request, type Answer, type Region } from '../../api.ts';
import { useCan } from '../../auth.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { moneyTip } from '../../components/chart-axis.ts';
import { emptyTable, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatCount, formatCountOf, formatMoney, todayIso } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

type Report = Answer<'/api/v1/national/report'>;
/** The provinces asked for their figures (POST answers 202: they report later). */
type Asked = Answer<'/api/v1/national/report', 'post'>;
type Run = Answer<'/api/v1/national/central-adjustment/{year}'>;

interface Row {
  key: string;
  name: string;
  incomeFen: number;
  expenditureFen: number;
  balanceFen: number;
  sentence: string;
}

/** The total's row key (no province code is made of letters). */
const TOTAL = 'total';
const FIGURE_TITLE = {
  incomeFen: 'fed.nat.income',
  expenditureFen: 'fed.nat.expenditure',
  balanceFen: 'fed.nat.balance',
} as const satisfies Record<string, MessageKey>;
const bold = (r: Row, text: string) => (r.key === TOTAL ? <strong>{text}</strong> : text);

/** Fen as whole yuan on the chart's axis, grouped (integer division of integer fen). */
const yuanTick = (fen: number) => formatCount(Math.trunc(fen / 100));

function previousMonth(): string {
  const d = todayIso();
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function FiguresCard({ regions }: { regions: Region[] | undefined }) {
  const { t, lang } = useI18n();
  const [period, setPeriod] = useState(previousMonth());
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const report = useLoad(
    valid ? () => request<Report>('GET', '/api/v1/national/report', undefined, { period }) : null,
    [period],
  );
  const [asked, setAsked] = useState<Asked | null>(null);
  const [error, setError] = useState<unknown>(null);
  const name = (code: string) => {
    const r = regions?.find((x) => x.code === code);
    return r ? (lang === 'zh-CN' ? r.nameZh : r.nameEn) : code;
  };
  async function ask() {
    setError(null);
    try {
      setAsked(await request<Asked>('POST', '/api/v1/national/report', { period }));
      setTimeout(report.reload, 1500);
    } catch (e) {
      setError(e);
    }
  }
  const rows: Row[] = useMemo(() => {
    const d = report.data;
    if (!d) return [];
    const out = Object.entries(d.article.provinces).map(([code, a]) => ({
      key: code,
      name: name(code),
      incomeFen: a.incomeFen,
      expenditureFen: a.expenditureFen,
      balanceFen: a.balanceFen,
      sentence: lang === 'zh-CN' ? a.zh.replace(code, name(code)) : a.en.replace(code, name(code)),
    }));
    return out;
  }, [report.data, regions, lang]);
  const option: ChartOption = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        valueFormatter: moneyTip,
      },
      legend: { top: 0, data: [t('fed.nat.income'), t('fed.nat.expenditure'), t('fed.nat.balance')] },
      grid: { left: 8, right: 20, top: 50, bottom: 40, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => r.name) },
      // the amounts in fen (the tooltips and the screen reader's text write them exactly), ticks in yuan
      yAxis: { type: 'value', name: lang === 'zh-CN' ? '元' : 'yuan', axisLabel: { formatter: yuanTick } },
      series: [
        { name: t('fed.nat.income'), type: 'bar', data: rows.map((r) => r.incomeFen) },
        { name: t('fed.nat.expenditure'), type: 'bar', data: rows.map((r) => r.expenditureFen) },
        { name: t('fed.nat.balance'), type: 'bar', data: rows.map((r) => r.balanceFen) },
      ],
    }),
    [rows, t, lang],
  );
  const total = report.data?.article.total;
  return (
    <Card title={t('page.agency.national')}>
      {/* the controls in the card, wrapping: beside the title they ran off a phone's screen */}
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('fed.nat.period')}</span>
        <Input
          style={{ width: 110 }}
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
          status={valid ? '' : 'error'}
          data-testid="national-period"
        />
        <Button type="primary" disabled={!valid} onClick={() => void ask()} data-testid="national-ask">
          {t('fed.nat.ask')}
        </Button>
        <Button onClick={report.reload}>↻</Button>
      </Space>
      <ErrorAlert error={error ?? report.error} />
      {asked ? (
        <Alert
          style={{ marginBottom: 12 }}
          type="success"
          showIcon
          message={t('fed.nat.asked', { n: asked.requested.length })}
        />
      ) : null}
      {report.loading && !report.data ? <Loading /> : null}
      {report.data && total ? (
        <>
          {report.data.missing.length > 0 ? (
            <Typography.Paragraph type="warning">
              {t('fed.nat.missing', { list: report.data.missing.map(name).join('、') })}
            </Typography.Paragraph>
          ) : null}
          {rows.length === 0 ? (
            <Typography.Paragraph>{t('fed.nat.none')}</Typography.Paragraph>
          ) : (
            <>
              <Typography.Paragraph data-testid="national-sentence" strong>
                {lang === 'zh-CN' ? total.zh : total.en}
              </Typography.Paragraph>
              {rows.map((r) => (
                <Typography.Paragraph key={r.key} type="secondary" style={{ marginBottom: 4 }}>
                  {r.sentence}
                </Typography.Paragraph>
              ))}
              {/* the total a row of its own, last and bold: on a phone each row is a card, and a
                  table's summary row would stay four columns wide */}
              <Table<Row>
                style={{ marginTop: 12 }}
                size="small"
                pagination={false}
                dataSource={[
                  ...rows,
                  {
                    key: TOTAL,
                    name: t('fed.nat.total'),
                    incomeFen: total.incomeFen,
                    expenditureFen: total.expenditureFen,
                    balanceFen: total.balanceFen,
                    sentence: '',
                  },
                ]}
                columns={[
                  { title: t('fed.nat.province'), dataIndex: 'name', render: (v: string, r) => bold(r, v) },
                  ...(['incomeFen', 'expenditureFen', 'balanceFen'] as const).map((k) => ({
                    title: t(FIGURE_TITLE[k]),
                    dataIndex: k,
                    align: 'right' as const,
                    render: (v: number, r: Row) => bold(r, formatMoney(v)),
                  })),
                ]}
              />
              <div style={{ marginTop: 16 }}>
                <Chart option={option} label={t('fed.nat.chart')} values="money" />
              </div>
            </>
          )}
        </>
      ) : null}
    </Card>
  );
}

const RUN_COLOR: Record<Run['status'], string> = {
  requested: 'orange',
  computed: 'blue',
  posted: 'green',
  failed: 'red',
};

function CentralAdjustmentCard({ regions }: { regions: Region[] | undefined }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const [year, setYear] = useState(2021);
  const run = useLoad(() => request<Run>('GET', `/api/v1/national/central-adjustment/${year}`), [year]);
  const [error, setError] = useState<unknown>(null);
  const name = (code: string) => {
    const r = regions?.find((x) => x.code === code);
    return r ? (lang === 'zh-CN' ? r.nameZh : r.nameEn) : code;
  };
  async function settle() {
    setError(null);
    try {
      await request<Answer<'/api/v1/national/central-adjustment', 'post'>>(
        'POST',
        '/api/v1/national/central-adjustment',
        {
          year,
        },
      );
      run.reload();
      setTimeout(run.reload, 2000);
    } catch (e) {
      setError(e);
    }
  }
  const none = run.error instanceof ApiError && run.error.status === 404;
  const d = run.data;
  return (
    <Card title={t('fed.ca.title')} style={{ marginTop: 16 }}>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('fed.ca.year')}</span>
        <InputNumber
          min={2018}
          max={2100}
          value={year}
          onChange={(v) => v !== null && setYear(v)}
          data-testid="ca-year"
        />
        {can('central-adjustment.run') ? (
          <Button type="primary" onClick={() => void settle()} data-testid="ca-run">
            {t('fed.ca.run')}
          </Button>
        ) : null}
        <Button onClick={run.reload}>↻</Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('fed.ca.formula')}</Typography.Paragraph>
      <ErrorAlert error={error ?? (none ? null : run.error)} />
      {none ? <Typography.Paragraph>{t('fed.ca.none')}</Typography.Paragraph> : null}
      {d && !none ? (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <Tag color={RUN_COLOR[d.status]} data-testid="ca-status">
              {t(`fed.ca.status.${d.status}` as MessageKey)}
            </Tag>
            {d.waitingFor.length > 0 ? (
              <span>{t('fed.ca.waiting', { list: d.waitingFor.map(name).join('、') })}</span>
            ) : null}
          </Space>
          {d.error ? <Alert type="error" message={d.error} style={{ marginBottom: 12 }} /> : null}
          {d.raisedFen !== null ? (
            <Descriptions size="small" column={{ xs: 1, md: 4 }} bordered style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('fed.ca.rate')}>{d.ratePercent}%</Descriptions.Item>
              <Descriptions.Item label={t('fed.ca.raised')}>{formatMoney(d.raisedFen)}</Descriptions.Item>
              <Descriptions.Item label={t('fed.ca.perCapita')}>
                {formatMoney(d.perCapitaAllocationFen)}
              </Descriptions.Item>
              <Descriptions.Item label={t('fed.ca.residual')}>{formatMoney(d.residualFen)}</Descriptions.Item>
            </Descriptions>
          ) : null}
          <Table
            size="small"
            rowKey="province"
            pagination={false}
            dataSource={d.provinces}
            locale={emptyTable(t('empty.national.provinces'), t('empty.national.provinces.hint'))}
            columns={[
              { title: t('fed.nat.province'), dataIndex: 'province', render: (c: string) => name(c) },
              {
                title: t('fed.ca.wage'),
                dataIndex: 'annualAverageWageFen',
                align: 'right',
                render: (v: number | null) => formatMoney(v),
              },
              {
                title: t('fed.ca.insured'),
                dataIndex: 'insuredCount',
                align: 'right',
                render: (n: number) => formatCountOf(n, 'people', lang),
              },
              {
                title: t('fed.ca.retirees'),
                dataIndex: 'retireeCount',
                align: 'right',
                render: (n: number) => formatCountOf(n, 'people', lang),
              },
              {
                title: t('fed.ca.contribution'),
                dataIndex: 'contributionFen',
                align: 'right',
                render: (v: number | null) => formatMoney(v),
              },
              {
                title: t('fed.ca.allocation'),
                dataIndex: 'allocationFen',
                align: 'right',
                render: (v: number | null) => formatMoney(v),
              },
              {
                title: t('fed.ca.net'),
                dataIndex: 'netFen',
                align: 'right',
                render: (v: number | null) =>
                  v === null ? (
                    ''
                  ) : (
                    <span style={{ color: v < 0 ? '#cf1322' : '#389e0d' }}>{formatMoney(v)}</span>
                  ),
              },
              {
                title: t('fed.ca.posted'),
                dataIndex: 'postedAt',
                render: (v: string | null) => (v ? <Tag color="green">✓</Tag> : null),
              },
            ]}
          />
        </>
      ) : null}
      {run.loading && !d ? <Loading /> : null}
    </Card>
  );
}

export function NationalPage() {
  const { t } = useI18n();
  const regions = useLoad(() => request<Region[]>('GET', '/api/v1/regions'), []);
  const probe = useLoad(
    () =>
      request<Answer<'/api/v1/national/central-adjustment'>>('GET', '/api/v1/national/central-adjustment'),
    [],
  );
  if (probe.error instanceof ApiError && probe.error.status === 404)
    return (
      <>
        <PageTitle>{t('page.agency.national')}</PageTitle>
        <Alert type="info" showIcon message={t('fed.nat.notNational')} />
      </>
    );
  return (
    <>
      <PageTitle>{t('page.agency.national')}</PageTitle>
      <FiguresCard regions={regions.data} />
      <CentralAdjustmentCard regions={regions.data} />
    </>
  );
}
