// 服务统计: how much each hall service was used, by channel. Most of the thirty-odd services have no
// applications in a month: the services used come first, busiest first, with a chart of them by
// channel; the unused ones are folded into one line the supervisor may open.
import { Button, Card, Grid } from 'antd';
import { useMemo, useState } from 'react';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { namesAboveBars, PHONE_BAR_WIDTH } from '../../components/chart-axis.ts';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatCountOf } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { useServiceName } from './common.tsx';
import { hallApi } from './hallApi.ts';

type ServiceUse = Awaited<ReturnType<typeof hallApi.statistics>>['items'][number];

export function HallStatisticsPage() {
  const { t, lang } = useI18n();
  const name = useServiceName();
  const narrow = !Grid.useBreakpoint().md;
  const { data, error, loading, reload } = useLoad(() => hallApi.statistics(), []);
  const [showUnused, setShowUnused] = useState(false);
  const channels = useMemo(() => data?.channels ?? [], [data]);
  const used = useMemo(
    () => (data?.items ?? []).filter((s) => s.total > 0).sort((a, b) => b.total - a.total),
    [data],
  );
  const unused = useMemo(() => (data?.items ?? []).filter((s) => s.total === 0), [data]);
  // Only the channels something came through: a column or a legend entry of zeros tells nothing.
  const usedChannels = useMemo(
    () => channels.filter((c) => used.some((s) => (s.byChannel[c] ?? 0) > 0)),
    [channels, used],
  );
  const channelName = (c: string) => t(`hall.channel.${c}` as MessageKey);
  const option = useMemo<ChartOption>(() => {
    // Busiest at the top: a horizontal bar chart lists its categories from the bottom up.
    const rows = [...used].reverse();
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0, type: 'scroll' },
      grid: { left: 8, right: 16, top: 8, bottom: narrow ? 56 : 32, containLabel: true },
      // what the axis counts; on a phone under it, not beside it (cut to "ap" at the edge)
      xAxis: {
        type: 'value',
        minInterval: 1,
        name: t('unit.applications'),
        ...(narrow ? { nameLocation: 'middle', nameGap: 24 } : {}),
      },
      yAxis: {
        type: 'category',
        data: rows.map((s) => (lang === 'zh-CN' ? s.nameZh : s.nameEn)),
        // on a phone each service's whole name above its bar: beside it, cut at 110 px ("Claim of unemplo...")
        ...(narrow ? namesAboveBars(280) : { axisLabel: { width: 240, overflow: 'truncate' } }),
      },
      series: usedChannels.map((c) => ({
        name: t(`hall.channel.${c}` as MessageKey),
        type: 'bar',
        stack: 'channels',
        ...(narrow ? { barWidth: PHONE_BAR_WIDTH } : {}),
        data: rows.map((s) => s.byChannel[c] ?? 0),
      })),
    };
  }, [used, usedChannels, narrow, t, lang]);
  const rows: ServiceUse[] = showUnused ? [...used, ...unused] : used;
  return (
    <>
      <PageTitle>{t('page.hall.statistics')}</PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      {used.length > 0 ? (
        <Card title={t('hall.stats.chart')} style={{ marginBottom: 16 }}>
          <Chart
            option={option}
            height={60 + used.length * (narrow ? 58 : 36)}
            label={t('hall.stats.chart')}
            values="count"
          />
        </Card>
      ) : null}
      <Card>
        {!loading && !error && used.length === 0 ? <EmptyState title={t('hall.stats.empty')} /> : null}
        <Table
          rowKey="serviceCode"
          loading={loading}
          dataSource={rows}
          pagination={false}
          style={rows.length === 0 ? { display: 'none' } : {}}
          columns={[
            { title: t('hall.app.service'), render: (_, s) => name(s) },
            {
              title: t('hall.stats.total'),
              dataIndex: 'total',
              align: 'right',
              render: (n: number) => formatCountOf(n, 'applications', lang),
            },
            ...usedChannels.map((c) => ({
              title: channelName(c),
              align: 'right' as const,
              render: (_: unknown, s: ServiceUse) => formatCountOf(s.byChannel[c] ?? 0, 'applications', lang),
            })),
          ]}
        />
        {unused.length > 0 ? (
          <Button
            type="link"
            style={{ paddingInline: 0, marginTop: 8 }}
            onClick={() => setShowUnused((v) => !v)}
          >
            {showUnused ? t('hall.stats.hideUnused') : t('hall.stats.showUnused', { n: unused.length })}
          </Button>
        ) : null}
      </Card>
    </>
  );
}
