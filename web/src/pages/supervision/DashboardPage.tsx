// 基金风险看板: findings by detector and region, findings by month of discovery, amounts at risk, and
// what the supervision cases decided, fined and recovered (ECharts through components/Chart.tsx).
import { Card, Col, Grid, Row, Segmented, Statistic } from 'antd';
import { useMemo, useState } from 'react';
import { supervisionApi } from '../../api-supervision.ts';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { moneyTip, namesAboveBars, PHONE_BAR_WIDTH, yuanAxis } from '../../components/chart-axis.ts';
import type { ChartValues } from '../../components/chart-description.ts';
import { ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { formatCount, formatMoney, formatPeriod } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import type { Words } from '../../../../src/core/bilingual.ts';

/** A detector's name for people in the page's language (the identifier only if the server has none). */
function titleOf(data: { detectorTitles: Record<string, Words> }, detector: string, lang: string): string {
  const title = data.detectorTitles[detector];
  return title === undefined ? detector : lang === 'zh-CN' ? title.zh : title.en;
}

export function SupervisionDashboardPage() {
  const { t, lang } = useI18n();
  const [months, setMonths] = useState(12);
  // On a phone each detector's name is written above its bar and the bars take the card's whole width:
  // beside them the names took a third of it in four-line scraps, and the bars the 110 px left.
  const narrow = Grid.useBreakpoint().md === false;
  const d = useLoad(() => supervisionApi.dashboard(months), [months]);
  const data = d.data;
  const byDetector = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    const names = data.byDetector.map((x) => titleOf(data, x.detector, lang));
    return {
      tooltip: { trigger: 'axis' },
      legend: narrow ? { top: 0 } : {},
      // the labels sized into the chart (long English names were cut at the left edge), wrapped
      grid: narrow
        ? { left: 8, right: 16, top: 40, bottom: 28, containLabel: true }
        : // the legend sits under the chart (ECharts' default), so no room above the first bar
          { left: 8, right: 60, top: 16, containLabel: true },
      // a count of findings: no 0.5 ticks; on a phone the axis's name under it, not beside it
      xAxis: [
        {
          type: 'value',
          name: t('sv.dash.count'),
          minInterval: 1,
          ...(narrow ? { nameLocation: 'middle', nameGap: 24 } : {}),
        },
      ],
      // the first detector at the top, as the amounts under the chart list them
      yAxis: {
        type: 'category',
        inverse: true,
        data: names,
        ...(narrow ? namesAboveBars(280) : { axisLabel: { width: 340, overflow: 'break' } }),
      },
      series: (['open', 'cases', 'dismissed'] as const).map((k) => ({
        name: t(k === 'cases' ? 'sv.status.case' : `sv.status.${k}`),
        type: 'bar',
        stack: 'n',
        ...(narrow ? { barWidth: PHONE_BAR_WIDTH } : {}),
        data: data.byDetector.map((x) => x[k]),
      })),
    };
  }, [data, t, lang, narrow]);
  const byMonth = useMemo<{ option: ChartOption; values: ChartValues[] } | null>(() => {
    if (!data) return null;
    const periods: string[] = [];
    for (let p = data.fromPeriod; p <= data.toPeriod;) {
      periods.push(p);
      const [y, m] = p.split('-').map(Number) as [number, number];
      p = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
    }
    const detectors = [...new Set(data.byMonth.map((x) => x.detector))];
    // findings per detector, then the amount recovered
    const values: ChartValues[] = [...detectors.map((): ChartValues => 'count'), 'money'];
    const option: ChartOption = {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll' },
      xAxis: { type: 'category', data: periods.map((p) => formatPeriod(p, lang)) },
      yAxis: [{ type: 'value', name: t('sv.dash.count'), minInterval: 1 }, yuanAxis(t('sv.dash.amountYuan'))],
      series: [
        ...detectors.map((det) => ({
          name: titleOf(data, det, lang),
          type: 'bar',
          stack: 'f',
          data: periods.map(
            (p) => data.byMonth.find((x) => x.period === p && x.detector === det)?.findings ?? 0,
          ),
        })),
        {
          name: t('sv.dash.recovered'),
          type: 'line',
          yAxisIndex: 1,
          // fen, written as money in the tooltip and the screen reader's text
          tooltip: { valueFormatter: moneyTip },
          data: periods.map((p) => data.recoveredByMonth.find((x) => x.period === p)?.recoveredFen ?? 0),
        },
      ],
    };
    return { option, values };
  }, [data, t, lang]);
  const byRegion = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    return {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: data.byRegion.map((r) => ({
            name: lang === 'zh-CN' ? r.nameZh : r.nameEn,
            value: r.findings,
          })),
        },
      ],
    };
  }, [data, lang]);

  return (
    <>
      <PageTitle
        extra={
          <Segmented<number>
            value={months}
            onChange={setMonths}
            options={[6, 12, 24].map((m) => ({
              value: m,
              label: lang === 'zh-CN' ? `${m}个月` : `${m} months`,
            }))}
          />
        }
      >
        {t('page.agency.svDashboard')}
      </PageTitle>
      <ErrorAlert error={d.error} onRetry={d.reload} />
      {!data ? (
        <Loading />
      ) : (
        <Row gutter={[16, 16]}>
          {(
            [
              ['sv.dash.findings', formatCount(data.totals.findings), 'unit.findings'],
              ['sv.dash.open', formatCount(data.totals.openFindings), 'unit.findings'],
              ['sv.dash.cases', formatCount(data.totals.cases), 'unit.cases'],
              ['sv.dash.atRisk', formatMoney(data.totals.amountAtRiskFen), null],
              ['sv.dash.decided', formatMoney(data.totals.decidedFen), null],
              ['sv.dash.fine', formatMoney(data.totals.fineFen), null],
              ['sv.dash.recovered', formatMoney(data.totals.recoveredFen), null],
            ] as const
          ).map(([k, v, unit]) => (
            // four to a row on a desktop: at eight to a row the amounts were cut (¥223,798.0)
            <Col key={k} xs={12} md={8} xl={6}>
              <Card size="small">
                <Statistic title={t(k)} value={v} suffix={unit ? t(unit) : undefined} />
              </Card>
            </Col>
          ))}
          {/* the whole width: a detector's English name is long, and a bar per detector needs its line */}
          <Col span={24}>
            <Card title={t('sv.dash.byDetector')}>
              {byDetector ? (
                <Chart
                  option={byDetector}
                  height={(narrow ? 100 : 120) + (narrow ? 58 : 30) * data.byDetector.length}
                  label={t('sv.dash.byDetector')}
                  values="count"
                />
              ) : null}
              <p style={{ color: '#888' }}>
                {data.byDetector
                  .map((x) => `${titleOf(data, x.detector, lang)} ${formatMoney(x.amountAtRiskFen)}`)
                  .join(' · ')}
              </p>
            </Card>
          </Col>
          <Col xs={24} xl={8}>
            <Card title={t('sv.dash.byRegion')}>
              {byRegion ? (
                <Chart option={byRegion} height={360} label={t('sv.dash.byRegion')} values="count" />
              ) : null}
            </Card>
          </Col>
          <Col xs={24} xl={16}>
            <Card title={`${t('sv.dash.byMonth')} · ${t('sv.dash.recoveredByMonth')}`}>
              {byMonth ? (
                <Chart
                  option={byMonth.option}
                  height={360}
                  label={t('sv.dash.byMonth')}
                  values={byMonth.values}
                />
              ) : null}
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
