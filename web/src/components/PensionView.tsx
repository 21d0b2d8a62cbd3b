// A person's pension (GET /api/v1/persons/{id}/pension): each award with the amount in force, its
// changes (adjustments, suspensions) and the payments as a chart and a table.
import { Card, Col, Descriptions, Grid, Row, Statistic, Tag } from 'antd';
import { Table } from './ResponsiveTable.tsx';
import { useMemo } from 'react';
import { api, type PersonPension } from '../api.ts';
import { formatCount, formatDate, formatMoney, formatPeriod } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { Chart, type ChartOption } from './Chart.tsx';
import { moneyTip } from './chart-axis.ts';
import { EmptyState, ErrorAlert, Loading, useLoad } from './common.tsx';
import { useCodeText } from './registry.tsx';

type Award = PersonPension['awards'][number];

export const AWARD_STATUS_COLOR: Record<string, string> = {
  active: 'green',
  suspended: 'orange',
  stopped: 'default',
};

/** Why an award is suspended in the reader's language: a clerk's own words, else the code's. */
export const suspendReasonText = (
  a: Pick<Award, 'suspendReasonCode' | 'suspendReason'>,
  code: (prefix: string, code: string | null | undefined) => string,
): string => a.suspendReason ?? code('pension.suspendReason', a.suspendReasonCode);

function AwardCard({ award }: { award: Award }) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const narrow = !Grid.useBreakpoint().md;
  const paid = award.payments.reduce((a, p) => a + p.amountFen, 0);
  // Oldest first whatever order the server lists them in (it lists the newest first, so the chart
  // "last 24 months" ran backwards and, past 24 payments, would have shown the first ones).
  const chronological = useMemo(
    () => [...award.payments].sort((a, b) => a.period.localeCompare(b.period)),
    [award.payments],
  );
  const recent = useMemo(() => chronological.slice(-24), [chronological]);
  // the total and the count cover the payments listed, which need not reach back to the start of the award
  const first = chronological[0];
  const since = first ? { from: formatPeriod(first.period, lang) } : null;
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'axis',
        valueFormatter: moneyTip,
      },
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: recent.map((p) => formatPeriod(p.period, lang)) },
      yAxis: {
        type: 'value',
        name: t('record.yuanAxis'),
        axisLabel: { formatter: (v: number) => formatCount(Math.round(v / 100)) },
      },
      color: ['#b3261e', '#f29b38'],
      series: [
        {
          name: t('pension.paid'),
          type: 'bar',
          barMaxWidth: 16,
          data: recent.map((p) => p.amountFen),
        },
      ],
    }),
    [recent, lang, t],
  );
  return (
    <Card
      title={`${code('scheme', award.scheme)} · ${t('pension.award', { start: formatPeriod(award.startPeriod, lang) })}`}
      extra={
        <Tag color={AWARD_STATUS_COLOR[award.status] ?? 'default'}>
          {code('pension.status', award.status)}
        </Tag>
      }
      style={{ marginBottom: 16 }}
      // the scheme and the month it started, whole: on a phone the one line cut it to "· 2024…"
      styles={{ title: { whiteSpace: 'normal', paddingBlock: 12 } }}
    >
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={8}>
          <Statistic title={t('pension.monthly')} value={formatMoney(award.monthlyFen)} />
        </Col>
        <Col xs={12} md={8}>
          <Statistic
            title={since ? t('pension.paidTotal.since', since) : t('pension.paidTotal')}
            value={formatMoney(paid)}
          />
        </Col>
        <Col xs={24} md={8}>
          <Statistic
            title={since ? t('pension.payments.since', since) : t('pension.payments')}
            value={formatCount(award.payments.length)}
          />
        </Col>
      </Row>
      <Descriptions
        bordered
        size="small"
        layout={narrow ? 'vertical' : 'horizontal'}
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
        style={{ marginBottom: 16 }}
        items={[
          {
            key: 'retire',
            label: t('pension.retirementDate'),
            children: formatDate(award.retirementDate, lang),
          },
          { key: 'start', label: t('pension.startPeriod'), children: formatPeriod(award.startPeriod, lang) },
          ...(award.suspendedFromPeriod
            ? [
                {
                  key: 'susp',
                  label: t('pension.suspendedFrom'),
                  children: formatPeriod(award.suspendedFromPeriod, lang),
                },
                {
                  key: 'suspReason',
                  label: t('pension.suspendReason'),
                  children: suspendReasonText(award, code),
                },
              ]
            : []),
          ...(award.stoppedFromPeriod
            ? [
                {
                  key: 'stop',
                  label: t('pension.stoppedFrom'),
                  children: `${formatPeriod(award.stoppedFromPeriod, lang)} ${award.stopReason ? code('pension.stopReason', award.stopReason) : ''}`,
                },
              ]
            : []),
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <h4>{t('pension.amounts')}</h4>
          <Table
            size="small"
            rowKey={(a) => `${a.effectivePeriod}-${a.reason}-${a.monthlyFen}`}
            dataSource={[...award.amounts].reverse()}
            pagination={false}
            scroll={{ x: 420 }}
            columns={[
              {
                title: t('pension.effective'),
                dataIndex: 'effectivePeriod',
                render: (p: string) => formatPeriod(p, lang),
              },
              {
                title: t('pension.monthly'),
                dataIndex: 'monthlyFen',
                align: 'right',
                render: (f: number) => <span className="money">{formatMoney(f)}</span>,
              },
              {
                title: t('pension.reason'),
                dataIndex: 'reason',
                render: (r: string) => code('pension.reason', r),
              },
            ]}
          />
        </Col>
        <Col xs={24} xl={12}>
          <h4>{t('pension.paymentsChart')}</h4>
          {recent.length > 0 ? (
            <Chart option={option} height={220} label={t('pension.paymentsChart')} values="money" />
          ) : (
            <EmptyState title={t('pension.noPayments')} hint={t('pension.noPayments.hint')} />
          )}
        </Col>
      </Row>
      {award.payments.length > 0 ? (
        <>
          <h4 style={{ marginTop: 16 }}>{t('pension.paymentList')}</h4>
          <Table
            size="small"
            rowKey={(p) => `${p.period}-${p.kind}`}
            dataSource={[...chronological].reverse()}
            pagination={{ pageSize: 12, hideOnSinglePage: true }}
            scroll={{ x: 360 }}
            columns={[
              {
                title: t('pension.period'),
                dataIndex: 'period',
                render: (p: string) => formatPeriod(p, lang),
              },
              { title: t('pension.kind'), dataIndex: 'kind', render: (k: string) => code('pension.kind', k) },
              {
                title: t('pension.amount'),
                dataIndex: 'amountFen',
                align: 'right',
                render: (f: number) => <span className="money">{formatMoney(f)}</span>,
              },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}

export function PensionView({ personId, own = false }: { personId: number; own?: boolean }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => api.pension(personId), [personId]);
  if (loading && !data) return <Loading />;
  if (error) return <ErrorAlert error={error} onRetry={reload} />;
  if (!data) return null;
  if (data.awards.length === 0)
    return (
      <Card>
        <EmptyState
          title={t(own ? 'pension.none.own' : 'pension.none')}
          hint={t(own ? 'pension.none.own.hint' : 'pension.none.hint')}
        />
      </Card>
    );
  return (
    <>
      {data.awards.map((a) => (
        <AwardCard key={a.id} award={a} />
      ))}
    </>
  );
}
