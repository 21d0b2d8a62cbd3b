// 待遇发放: the clerk prepares the month's pension payroll (its count and total shown), a reviewer
// releases it (nothing is paid before); the same for the annual adjustment. The run's summary after,
// and the region's past runs (a chart of the monthly totals and their list).
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  InputNumber,
  Progress,
  Row,
  Skeleton,
  Space,
  Statistic,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { api, type PayrollHistory, type PayrollSummary } from '../../api.ts';
import { approvalApi, type Approval } from '../../api-approvals.ts';
import { ApprovalTable, useApprovalText } from '../../components/approvals.tsx';
import { useAuth, useCan } from '../../auth.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { axisMoney, moneyTip } from '../../components/chart-axis.ts';
import { DatePicker } from '../../components/DatePicker.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText, useRegions } from '../../components/registry.tsx';
import { agencyYear, formatCount, formatCountOf, formatMoney, formatPeriod, todayIso } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

function SummaryView({ s }: { s: PayrollSummary }) {
  const { t } = useI18n();
  const code = useCodeText();
  const percent =
    s.chunksTotal > 0 ? Math.round((s.chunksDone * 100) / s.chunksTotal) : s.status === 'done' ? 100 : 0;
  return (
    <div data-testid="payroll-summary">
      <Space style={{ marginBottom: 8 }}>
        <Tag color={statusColor(s.status)}>{code('payroll.status', s.status)}</Tag>
        <span>{t('payroll.chunks', { done: s.chunksDone, total: s.chunksTotal })}</span>
      </Space>
      <Progress
        percent={percent}
        status={s.status === 'running' ? 'active' : s.status === 'done' ? 'success' : 'normal'}
        aria-label={t('payroll.progress')}
      />
      <Row gutter={[16, 16]} style={{ marginTop: 12 }}>
        <Col xs={12} md={6}>
          <Statistic
            title={t('payroll.payments')}
            value={formatCount(s.payments)}
            suffix={t('unit.payments')}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('payroll.regular')} value={formatMoney(s.regularFen)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('payroll.arrears')} value={formatMoney(s.arrearsFen)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('payroll.total')} value={formatMoney(s.totalFen)} />
        </Col>
      </Row>
    </div>
  );
}

const statusColor = (status: string) =>
  status === 'done' ? 'green' : status === 'running' ? 'blue' : 'default';

/** The region's past runs: the last twelve months' totals as bars, then every run listed (newest first). */
function PayrollHistoryCard({ region, refresh }: { region: string; refresh: number }) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const { data, error, loading, reload } = useLoad(() => api.payrollHistory(region), [region, refresh]);
  const items: PayrollHistory['items'] = useMemo(() => data?.items ?? [], [data]);
  const option = useMemo<ChartOption>(() => {
    const months = items.slice(0, 12).reverse();
    return {
      tooltip: {
        trigger: 'axis',
        valueFormatter: moneyTip,
      },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((m) => formatPeriod(m.period, lang)) },
      yAxis: { type: 'value', minInterval: 1_000_000, axisLabel: { formatter: axisMoney(lang) } },
      color: ['#5470c6'],
      series: [{ name: t('payroll.total'), type: 'bar', data: months.map((m) => m.totalFen) }],
    };
  }, [items, t, lang]);
  return (
    <Card title={t('payroll.history')} style={{ marginBottom: 16 }} data-testid="payroll-history">
      <ErrorAlert error={error} onRetry={reload} />
      {!loading && items.length === 0 && !error ? <EmptyState title={t('payroll.history.empty')} /> : null}
      {items.length > 0 ? (
        <Chart option={option} height={220} label={t('payroll.history.chart')} values="money-wan-yi" />
      ) : null}
      <Table
        rowKey="period"
        size="small"
        loading={loading}
        dataSource={items}
        pagination={items.length > 12 ? { pageSize: 12 } : false}
        style={items.length === 0 ? { display: 'none' } : { marginTop: 12 }}
        columns={[
          { title: t('payroll.period'), dataIndex: 'period', render: (p: string) => formatPeriod(p, lang) },
          {
            title: t('payroll.payments'),
            dataIndex: 'payments',
            align: 'right',
            render: (n: number) => formatCountOf(n, 'payments', lang),
          },
          {
            title: t('payroll.total'),
            dataIndex: 'totalFen',
            align: 'right',
            render: (f: number) => formatMoney(f),
          },
          {
            title: t('approval.col.status'),
            dataIndex: 'status',
            render: (st: string) => <Tag color={statusColor(st)}>{code('payroll.status', st)}</Tag>,
          },
        ]}
      />
    </Card>
  );
}

export function PayrollPage() {
  const { t, lang } = useI18n();
  const can = useCan();
  const regions = useRegions();
  const { summaryText } = useApprovalText();
  const user = useAuth().user;
  const region = user?.region ?? '';
  const [period, setPeriod] = useState(() => todayIso().slice(0, 7));
  const [refresh, setRefresh] = useState(0);
  const current = useLoad(region ? () => api.payrollSummary(period, region) : null, [
    period,
    region,
    refresh,
  ]);
  const summary: PayrollSummary | null = current.data ?? null;

  // The clerk prepares; nothing is paid until a reviewer releases it (below, or on 待复核).
  const [preparing, setPreparing] = useState(false);
  const [prepared, setPrepared] = useState<Approval | null>(null);
  const [prepareError, setPrepareError] = useState<unknown>(null);
  async function prepare() {
    setPreparing(true);
    setPrepareError(null);
    try {
      setPrepared(await approvalApi.preparePayroll(period, region));
      setRefresh((n) => n + 1);
    } catch (e) {
      setPrepareError(e);
    } finally {
      setPreparing(false);
    }
  }

  const [year, setYear] = useState<number | null>(agencyYear);
  const [adjusting, setAdjusting] = useState(false);
  const [adjustment, setAdjustment] = useState<Approval | null>(null);
  const [adjustError, setAdjustError] = useState<unknown>(null);
  async function adjust() {
    if (!year) return;
    setAdjusting(true);
    setAdjustError(null);
    try {
      setAdjustment(await approvalApi.prepareAdjustment(region, year));
      setRefresh((n) => n + 1);
    } catch (e) {
      setAdjustError(e);
    } finally {
      setAdjusting(false);
    }
  }

  // The region's name once the regions have loaded; a skeleton until then, never the bare code.
  const regionRow = regions.get(region);
  const title = regionRow ? (
    t('payroll.title', { region: lang === 'zh-CN' ? regionRow.nameZh : regionRow.nameEn })
  ) : (
    <Skeleton.Input active size="small" style={{ width: 200 }} aria-label={t('page.agency.payroll')} />
  );
  const isMaker = user?.role === 'clerk';
  const isChecker = user?.role === 'reviewer';
  return (
    <>
      <PageTitle>{t('page.agency.payroll')}</PageTitle>
      <Card title={title} style={{ marginBottom: 16 }}>
        <Space wrap style={{ marginBottom: 16 }}>
          <label htmlFor="payroll-period">{t('payroll.period')}</label>
          {/* The month in words, as the page says it elsewhere; the ISO month may still be typed. */}
          <DatePicker
            id="payroll-period"
            picker="month"
            allowClear={false}
            value={dayjs(`${period}-01`)}
            onChange={(d) => d && setPeriod(d.format('YYYY-MM'))}
            style={{ width: 130 }}
          />
          {isMaker ? (
            <Button type="primary" loading={preparing} onClick={() => void prepare()}>
              {t('payroll.prepare')}
            </Button>
          ) : null}
        </Space>
        <ErrorAlert error={prepareError} />
        {prepared ? (
          <Alert
            type="warning"
            showIcon
            role="status"
            style={{ marginBottom: 12 }}
            title={`${t('payroll.prepared.title')} · #${prepared.id}`}
            description={
              <>
                <div data-testid="prepared-summary">{summaryText(prepared)}</div>
                <div>{t('payroll.prepared.desc')}</div>
              </>
            }
          />
        ) : null}
        <ErrorAlert error={current.error} onRetry={current.reload} />
        {summary ? (
          summary.runId === null ? (
            <Alert type="info" showIcon title={t('payroll.notRun')} description={t('payroll.notRun.hint')} />
          ) : (
            <SummaryView s={summary} />
          )
        ) : null}
      </Card>
      <Card title={t('payroll.pending')} style={{ marginBottom: 16 }}>
        <ApprovalTable
          kinds={['payroll.run', 'adjustment.run']}
          status="prepared"
          canDecide={isChecker}
          refresh={refresh}
          onDecided={() => setRefresh((n) => n + 1)}
        />
      </Card>
      {region ? <PayrollHistoryCard region={region} refresh={refresh} /> : null}
      {can('adjustment.run') && isMaker ? (
        <Card title={t('adjust.title')}>
          <p style={{ color: 'rgba(0,0,0,0.55)' }}>{t('adjust.hint')}</p>
          <Space wrap>
            <label htmlFor="adjust-year">{t('adjust.year')}</label>
            <InputNumber id="adjust-year" value={year} min={2000} max={2100} onChange={setYear} />
            <Button loading={adjusting} onClick={() => void adjust()}>
              {t('adjust.prepare')}
            </Button>
          </Space>
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={adjustError} />
          </div>
          {adjustment ? (
            <Descriptions
              bordered
              size="small"
              column={1}
              items={[
                { key: 'id', label: t('approval.col.id'), children: `#${adjustment.id}` },
                { key: 's', label: t('approval.col.summary'), children: summaryText(adjustment) },
                { key: 'st', label: t('approval.col.status'), children: t('approval.status.prepared') },
              ]}
            />
          ) : null}
        </Card>
      ) : null}
    </>
  );
}
