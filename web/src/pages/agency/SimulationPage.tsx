// 政策模拟: define a scenario (adjustment rate, employer rate, base floor, retirement-age schedule),
// run it on the region's own population and the live rules (POST /api/v1/simulations), and compare
// two stored runs side by side — balance, income against expenditure, dependency ratio — with CSV export.
import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { DownloadOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api.ts';
import {
  percentToPpm,
  ppmToPercentText,
  simulationApi,
  type ScenarioInput,
  type SimulationRun,
  type SimulationSummary,
} from '../../api-simulation.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { axisMoney, moneyTip } from '../../components/chart-axis.ts';
import { ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatCount, formatDate, formatMoney } from '../../format.ts';
import { defaultRunNameKey, ratioText } from './simulation-text.ts';
import { useCodeText } from '../../components/registry.tsx';
import { useI18n } from '../../i18n/index.tsx';

interface ScenarioForm {
  name?: string;
  years: number;
  adjustment?: string;
  employerRate?: string;
  baseFloor?: string;
  maleDelay?: number | null;
  female55Delay?: number | null;
  female50Delay?: number | null;
}

const percentOf = (ppm: number): string => `${ppmToPercentText(Math.round(ppm / 100) * 100)}%`;

/** A run's name as the user gave it, or the catalogue's words for a run saved without one. */
function runName(run: SimulationRun | SimulationSummary, t: ReturnType<typeof useI18n>['t']): string {
  const key = defaultRunNameKey(run.name);
  return key ? t(key) : run.name;
}

function scenarioText(run: SimulationRun | SimulationSummary, t: ReturnType<typeof useI18n>['t']): string {
  const s = run.scenario;
  const parts: string[] = [t('sim.yearsN', { n: s.years })];
  if (s.adjustmentRatePpm !== undefined)
    parts.push(`${t('sim.adjustment')} ${percentOf(s.adjustmentRatePpm)}`);
  if (s.employerRatePpm !== undefined) parts.push(`${t('sim.employerRate')} ${percentOf(s.employerRatePpm)}`);
  if (s.baseFloorPpm !== undefined) parts.push(`${t('sim.baseFloor')} ${percentOf(s.baseFloorPpm)}`);
  if (s.retirementAge) {
    for (const [cat, c] of Object.entries(s.retirementAge))
      parts.push(`${t(`sim.cat.${cat}` as 'sim.cat.male')} +${c.maxDelayMonths}${t('sim.monthsShort')}`);
  }
  return parts.join(' · ');
}

function CompareCharts({ a, b }: { a: SimulationRun; b: SimulationRun | undefined }) {
  const { t, lang } = useI18n();
  const runs = b ? [a, b] : [a];
  const years = a.years.map((y) => String(y.year));
  const label = (r: SimulationRun) => `${runName(r, t)} #${r.id}`;
  const base = {
    tooltip: { trigger: 'axis', valueFormatter: moneyTip },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: years },
  };
  const balance = useMemo<ChartOption>(
    () => ({
      ...base,
      yAxis: { type: 'value', axisLabel: { formatter: axisMoney(lang), hideOverlap: true } },
      color: ['#5470c6', '#ee6666'],
      series: runs.map((r) => ({
        name: label(r),
        type: 'line',
        smooth: false,
        data: r.years.map((y) => y.balanceFen),
      })),
    }),
    [a, b, lang],
  );
  const flows = useMemo<ChartOption>(
    () => ({
      ...base,
      // Four series: the legend wraps onto a second line rather than hiding two behind a pager.
      legend: { bottom: 0 },
      grid: { ...base.grid, bottom: 64 },
      yAxis: { type: 'value', axisLabel: { formatter: axisMoney(lang), hideOverlap: true } },
      color: ['#3ba272', '#b3261e', '#91cc75', '#fc8452'],
      series: runs.flatMap((r, i) => [
        {
          name: `${t('sim.income')} · ${label(r)}`,
          type: 'line',
          lineStyle: { type: i === 0 ? 'solid' : 'dashed' },
          data: r.years.map((y) => y.incomeFen),
        },
        {
          name: `${t('sim.expenditure')} · ${label(r)}`,
          type: 'line',
          lineStyle: { type: i === 0 ? 'solid' : 'dashed' },
          data: r.years.map((y) => y.expenditureFen),
        },
      ]),
    }),
    [a, b, lang, t],
  );
  const ratio = useMemo<ChartOption>(
    () => ({
      ...base,
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${String(v)}%` },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
      color: ['#5470c6', '#ee6666'],
      series: runs.map((r) => ({
        name: label(r),
        type: 'line',
        // ppm → percent with one decimal, by integer arithmetic
        data: r.years.map((y) => Math.round(y.dependencyRatioPpm / 1000) / 10),
      })),
    }),
    [a, b],
  );
  // What the scenario costs (or saves) the fund against the reference, year by year: the table's
  // difference column at a glance, losses in red.
  const difference = useMemo<ChartOption | null>(
    () =>
      b
        ? {
            ...base,
            legend: { show: false },
            yAxis: { type: 'value', axisLabel: { formatter: axisMoney(lang), hideOverlap: true } },
            series: [
              {
                name: t('sim.difference'),
                type: 'bar',
                // No bar for a year the scenario does not reach (a shorter horizon), as the table's —.
                data: a.years.map((y, i) => {
                  const other = b.years[i];
                  if (!other) return null;
                  const d = other.balanceFen - y.balanceFen;
                  return { value: d, itemStyle: { color: d < 0 ? '#ee6666' : '#3ba272' } };
                }),
              },
            ],
          }
        : null,
    [a, b, lang, t],
  );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('sim.chart.balance')}>
          <Chart option={balance} label={t('sim.chart.balance')} height={280} values="money-wan-yi" />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('sim.chart.flows')}>
          <Chart option={flows} label={t('sim.chart.flows')} height={280} values="money-wan-yi" />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('sim.chart.ratio')}>
          <Chart option={ratio} label={t('sim.chart.ratio')} height={260} values="percent" />
        </Card>
      </Col>
      {difference ? (
        <Col xs={24} xl={12}>
          <Card size="small" title={t('sim.chart.difference')} data-testid="sim-difference">
            <Chart option={difference} label={t('sim.chart.difference')} height={260} values="money-wan-yi" />
          </Card>
        </Col>
      ) : null}
      <Col xs={24}>
        <CompareTable a={a} b={b} />
      </Col>
    </Row>
  );
}

interface CompareRow {
  year: number;
  a: SimulationRun['years'][number];
  b: SimulationRun['years'][number] | undefined;
}

function CompareTable({ a, b }: { a: SimulationRun; b: SimulationRun | undefined }) {
  const { t } = useI18n();
  const rows: CompareRow[] = a.years.map((y, i) => ({ year: y.year, a: y, b: b?.years[i] }));
  return (
    <Card size="small" title={t('sim.table')}>
      <Table<CompareRow>
        size="small"
        rowKey="year"
        dataSource={rows}
        pagination={{ pageSize: 10, size: 'small' }}
        columns={[
          { title: t('sim.year'), dataIndex: 'year', width: 70 },
          {
            title: `${t('sim.balance')} #${a.id}`,
            align: 'right',
            render: (_: unknown, r: CompareRow) => (
              <span className="money">{formatMoney(r.a.balanceFen)}</span>
            ),
          },
          ...(b
            ? [
                {
                  title: `${t('sim.balance')} #${b.id}`,
                  align: 'right' as const,
                  render: (_: unknown, r: CompareRow) => (
                    <span className="money">{formatMoney(r.b?.balanceFen)}</span>
                  ),
                },
                {
                  title: t('sim.difference'),
                  align: 'right' as const,
                  render: (_: unknown, r: CompareRow) =>
                    r.b ? <span className="money">{formatMoney(r.b.balanceFen - r.a.balanceFen)}</span> : '—',
                },
              ]
            : []),
          {
            title: t('sim.ratio'),
            align: 'right',
            className: 'nowrap',
            render: (_: unknown, r: CompareRow) =>
              `${ratioText(r.a.dependencyRatioPpm)}${r.b ? ` / ${ratioText(r.b.dependencyRatioPpm)}` : ''}`,
          },
        ]}
      />
    </Card>
  );
}

function Assumptions({ run }: { run: SimulationRun }) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  return (
    <Collapse
      size="small"
      items={[
        {
          key: 'a',
          label: t('sim.assumptions', { n: run.assumptions.length }),
          children: (
            <ul className="sim-assumptions">
              {run.assumptions.map((x) => (
                <li key={`${x.parameter}-${x.effectiveFrom}`}>
                  {code('sim.param', x.parameter)} {t('sim.from')} {formatDate(x.effectiveFrom, lang)}{' '}
                  {x.uncertain && <Tag color="orange">{t('sim.assumed')}</Tag>}
                  <div className="muted">{lang === 'zh-CN' ? x.reference.zh : x.reference.en}</div>
                </li>
              ))}
            </ul>
          ),
        },
      ]}
    />
  );
}

export function SimulationPage() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<ScenarioForm>();
  const runs = useLoad(() => simulationApi.list(), []);
  const [aId, setAId] = useState<number | undefined>();
  const [bId, setBId] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const items: SimulationSummary[] = runs.data?.items ?? [];

  // Default pair: the newest baseline against the newest scenario.
  useEffect(() => {
    if (aId !== undefined || items.length === 0) return;
    const baseline = items.find((r) => r.baseline) ?? items[items.length - 1];
    const other = items.find((r) => r.id !== baseline?.id);
    setAId(baseline?.id);
    setBId(other?.id);
  }, [items, aId]);

  const a = useLoad(aId === undefined ? null : () => simulationApi.get(aId), [aId]);
  const b = useLoad(bId === undefined ? null : () => simulationApi.get(bId), [bId]);

  const run = async (v: ScenarioForm) => {
    setError(null);
    const body: ScenarioInput = { years: v.years };
    if (v.name?.trim()) body.name = v.name.trim();
    const pct = (text: string | undefined, field: string): number | undefined => {
      if (text === undefined || text.trim() === '') return undefined;
      const ppm = percentToPpm(text);
      if (ppm === null) throw new ApiError(400, 'SB_ERR_VALIDATION', t('sim.badPercent'), field);
      return ppm;
    };
    try {
      const adj = pct(v.adjustment, 'adjustment');
      const er = pct(v.employerRate, 'employerRate');
      const floor = pct(v.baseFloor, 'baseFloor');
      if (adj !== undefined) body.adjustmentRatePpm = adj;
      if (er !== undefined) body.employerRatePpm = er;
      if (floor !== undefined) body.baseFloorPpm = floor;
      const ra: NonNullable<ScenarioInput['retirementAge']> = {};
      if (typeof v.maleDelay === 'number') ra.male = { maxDelayMonths: v.maleDelay, stepMonths: 4 };
      if (typeof v.female55Delay === 'number')
        ra['female-55'] = { maxDelayMonths: v.female55Delay, stepMonths: 4 };
      if (typeof v.female50Delay === 'number')
        ra['female-50'] = { maxDelayMonths: v.female50Delay, stepMonths: 2 };
      if (Object.keys(ra).length > 0) body.retirementAge = ra;
      setBusy(true);
      const r = await simulationApi.run(body);
      // A baseline replaces the left side; a scenario is compared against it on the right.
      if (r.baseline) setAId(r.id);
      else setBId(r.id);
      runs.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const options = items.map((r) => ({
    value: r.id,
    label: `#${r.id} ${runName(r, t)} — ${scenarioText(r, t)}`,
  }));

  return (
    <>
      <PageTitle>{t('page.agency.simulation')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('sim.intro')}</Typography.Paragraph>
      <Card size="small" title={t('sim.define')} style={{ marginBottom: 16 }}>
        <Form<ScenarioForm>
          form={form}
          layout="vertical"
          initialValues={{ years: 30 }}
          onFinish={(v) => void run(v)}
          className="sim-form"
        >
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="name" label={t('sim.name')}>
                <Input maxLength={100} placeholder={t('sim.name.placeholder')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="years" label={t('sim.years')} rules={[{ required: true }]}>
                <InputNumber min={1} max={50} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="adjustment" label={t('sim.adjustment.label')} extra={t('sim.adjustment.hint')}>
                <Input suffix="%" inputMode="decimal" />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item
                name="employerRate"
                label={t('sim.employerRate.label')}
                extra={t('sim.employerRate.hint')}
              >
                <Input suffix="%" inputMode="decimal" />
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item name="baseFloor" label={t('sim.baseFloor.label')} extra={t('sim.baseFloor.hint')}>
                <Input suffix="%" inputMode="decimal" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="maleDelay" label={t('sim.maleDelay')} extra={t('sim.maleDelay.hint')}>
                <InputNumber min={0} max={120} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="female55Delay"
                label={t('sim.female55Delay')}
                extra={t('sim.female55Delay.hint')}
              >
                <InputNumber min={0} max={120} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item
                name="female50Delay"
                label={t('sim.female50Delay')}
                extra={t('sim.female50Delay.hint')}
              >
                <InputNumber min={0} max={120} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Space wrap>
            <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} loading={busy}>
              {t('sim.run')}
            </Button>
            <Typography.Text type="secondary">{t('sim.run.hint')}</Typography.Text>
          </Space>
        </Form>
        {error !== null && (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={error} />
          </div>
        )}
      </Card>

      <Card size="small" title={t('sim.compare')} style={{ marginBottom: 16 }}>
        {runs.error !== null && <ErrorAlert error={runs.error} onRetry={runs.reload} />}
        {items.length === 0 && !runs.loading ? (
          <Alert type="info" showIcon message={t('sim.none')} />
        ) : (
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item label={t('sim.left')}>
                <Select
                  aria-label={t('sim.left')}
                  value={aId}
                  onChange={setAId}
                  options={options}
                  showSearch
                  optionFilterProp="label"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t('sim.right')}>
                <Select
                  aria-label={t('sim.right')}
                  value={bId}
                  onChange={setBId}
                  options={options}
                  allowClear
                  showSearch
                  optionFilterProp="label"
                />
              </Form.Item>
            </Col>
          </Row>
        )}
      </Card>

      {a.loading && <Loading />}
      {a.error !== null && <ErrorAlert error={a.error} onRetry={a.reload} />}
      {a.data && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Row gutter={[16, 16]}>
            {[a.data, b.data].map((r, i) =>
              r ? (
                <Col xs={24} md={12} key={r.id}>
                  <Card
                    size="small"
                    className="sim-run-card"
                    title={
                      <Space wrap>
                        <span>{i === 0 ? t('sim.left') : t('sim.right')}</span>
                        <span>
                          #{r.id} {runName(r, t)}
                        </span>
                        {r.baseline && <Tag color="blue">{t('sim.baseline')}</Tag>}
                      </Space>
                    }
                    extra={
                      <Button size="small" icon={<DownloadOutlined />} href={simulationApi.csvUrl(r.id)}>
                        {t('sim.export')}
                      </Button>
                    }
                  >
                    <div>{scenarioText(r, t)}</div>
                    <div className="muted">
                      {t('sim.snapshot', {
                        asOf: formatDate(r.snapshot.asOf, lang),
                        contributors: formatCount(r.snapshot.contributors),
                        pensioners: formatCount(r.snapshot.pensioners),
                        balance: formatMoney(r.snapshot.balanceFen),
                      })}
                    </div>
                    <div>
                      {t('sim.final', {
                        year: r.years[r.years.length - 1]?.year ?? '',
                        balance: formatMoney(r.years[r.years.length - 1]?.balanceFen ?? 0),
                      })}
                    </div>
                  </Card>
                </Col>
              ) : null,
            )}
          </Row>
          <CompareCharts a={a.data} b={b.data} />
          <Assumptions run={a.data} />
        </Space>
      )}
    </>
  );
}
