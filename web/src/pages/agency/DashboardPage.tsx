// 统计概览: coverage of the staff member's region — insured counts by scheme, an age pyramid, and
// the registry's totals (GET /api/v1/statistics/overview).
import { Card, Col, Row, Statistic } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useMemo } from 'react';
import { request, type Scheme } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { emptyTable, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { SCHEME_KEY, useRegionName } from '../../components/registry.tsx';
import { formatCount, formatCountOf, formatDate } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import type { OverviewDto } from '../../../../src/statistics/statistics.schema.ts';

export function DashboardPage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const regionName = useRegionName();
  const { data, error, loading, reload } = useLoad(
    () => request<OverviewDto>('GET', '/api/v1/statistics/overview'),
    [user?.region],
  );

  const schemeOption = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    const schemes = data.insuredByScheme.map((s) => t(SCHEME_KEY[s.scheme as Scheme]));
    const series = (['employee', 'flexible', 'resident'] as const).map((kind) => ({
      name: t(`enrolment.kind.${kind}`),
      type: 'bar',
      stack: 'kind',
      data: data.insuredByScheme.map((s) => s[kind]),
      emphasis: { focus: 'series' },
    }));
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      // on a phone the plot is 190 px wide: ticks that would touch are left out (0100200300… ran together)
      xAxis: { type: 'value', axisLabel: { hideOverlap: true } },
      // first scheme at the top, as in the table below (a category y axis starts at the bottom)
      yAxis: { type: 'category', inverse: true, data: schemes, axisLabel: { width: 150, overflow: 'break' } },
      color: ['#b3261e', '#f29b38', '#5470c6'],
      series,
    };
  }, [data, t]);

  const pyramidOption = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    const bands = data.agePyramid.map((b) => b.band);
    // one scale for both sexes, so that a bar of men and a bar of women of the same length are the
    // same count (ECharts scaled each side to its own largest band: 120 on the left, 90 on the right)
    const most = niceCeil(Math.max(1, ...data.agePyramid.flatMap((b) => [b.male, b.female])));
    return {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: number) => formatCount(Math.abs(v)),
      },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: {
        type: 'value',
        min: -most,
        max: most,
        axisLabel: { formatter: (v: number) => formatCount(Math.abs(v)) },
      },
      yAxis: { type: 'category', data: bands, axisTick: { show: false } },
      color: ['#5470c6', '#ee6666'],
      series: [
        { name: t('sex.M'), type: 'bar', stack: 'age', data: data.agePyramid.map((b) => -b.male) },
        { name: t('sex.F'), type: 'bar', stack: 'age', data: data.agePyramid.map((b) => b.female) },
      ],
    };
  }, [data, t]);

  return (
    <>
      <PageTitle>
        {t('page.agency.dashboard')}
        {data ? ` · ${regionName(data.region)}` : ''}
      </PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('stats.persons')}
                  value={formatCount(data.persons)}
                  suffix={t('unit.people')}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('stats.employers')}
                  value={formatCount(data.employers)}
                  suffix={t('unit.employers')}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('stats.employments')}
                  value={formatCount(data.openEmployments)}
                  suffix={t('unit.people')}
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card>
                <Statistic
                  title={t('stats.pensionInsured')}
                  suffix={t('unit.people')}
                  value={formatCount(
                    data.insuredByScheme
                      .filter((s) => s.scheme === 'employee_pension' || s.scheme === 'resident_pension')
                      .reduce((a, s) => a + s.total, 0),
                  )}
                />
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            {/* half the width only on a wide screen: at 1280 px the table's 合计 column was cut */}
            <Col xs={24} xxl={12}>
              <Card title={t('stats.byScheme')}>
                {schemeOption ? (
                  <Chart option={schemeOption} label={t('stats.byScheme')} values="count" />
                ) : null}
                <Table
                  size="small"
                  rowKey="scheme"
                  pagination={false}
                  style={{ marginTop: 12 }}
                  scroll={{ x: 480 }}
                  dataSource={data.insuredByScheme}
                  locale={emptyTable(t('empty.dashboard.schemes'), t('empty.dashboard.schemes.hint'))}
                  columns={[
                    {
                      title: t('enrolment.scheme'),
                      dataIndex: 'scheme',
                      render: (s: Scheme) => t(SCHEME_KEY[s]),
                    },
                    {
                      title: t('enrolment.kind.employee'),
                      dataIndex: 'employee',
                      align: 'right',
                      render: (n: number) => formatCountOf(n, 'people', lang),
                    },
                    {
                      title: t('enrolment.kind.flexible'),
                      dataIndex: 'flexible',
                      align: 'right',
                      render: (n: number) => formatCountOf(n, 'people', lang),
                    },
                    {
                      title: t('enrolment.kind.resident'),
                      dataIndex: 'resident',
                      align: 'right',
                      render: (n: number) => formatCountOf(n, 'people', lang),
                    },
                    {
                      title: t('stats.total'),
                      dataIndex: 'total',
                      align: 'right',
                      render: (n: number) => formatCountOf(n, 'people', lang),
                    },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xxl={12}>
              <Card title={t('stats.pyramid')}>
                {pyramidOption ? (
                  <Chart option={pyramidOption} height={460} label={t('stats.pyramid')} values="count" />
                ) : null}
              </Card>
            </Col>
          </Row>
          <p style={{ color: 'rgba(0,0,0,0.45)', marginTop: 12 }}>
            {t('stats.asOf', { date: formatDate(data.asOf, lang) })}
          </p>
        </>
      ) : null}
    </>
  );
}

/** The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least n: an axis end with round ticks. */
function niceCeil(n: number): number {
  const power = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 2.5, 5, 10].find((m) => m * power >= n) ?? 10) * power;
}
