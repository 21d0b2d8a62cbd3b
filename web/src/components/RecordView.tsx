// A person's rights record (个人权益记录单): contribution months per scheme and year as a bar chart,
// the personal account's balance and interest as a line chart, bases and indices by year, employers.
// Shared by the citizen's own page and the agency's person detail.
import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Statistic } from 'antd';
import { Table } from './ResponsiveTable.tsx';
import { useMemo } from 'react';
import { api, type PersonRecord } from '../api.ts';
import { formatCount, formatMoney, formatMonths, formatPeriod } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { Chart, type ChartOption } from './Chart.tsx';
import { moneyTip } from './chart-axis.ts';
import { EmptyState, emptyTable, ErrorAlert, Loading, useLoad } from './common.tsx';
import { SCHEME_KEY, useRegionName } from './registry.tsx';

type Year = PersonRecord['years'][number];

/** The row of the account a pension relation took when it moved out (no months, a negative credit). */
const movedAccount = (y: Year): boolean =>
  y.movedOut !== null && y.pensionMonths === 0 && y.accountCreditFen < 0;

/** Axis labels in yuan without decimals; tooltips in full yuan and fen. */
const yuanAxis = (v: number) => formatCount(Math.round(v / 100));

export function RecordView({ personId }: { personId: number }) {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  const { data, error, loading, reload } = useLoad(() => api.record(personId), [personId]);

  const years = useMemo(() => [...new Set((data?.years ?? []).map((y) => y.year))].sort(), [data]);
  // A year can have a row paid here and rows credited by a transfer or a bridging (or moved out): the
  // chart shows their months together and the balance at the end of the year (the last row's).
  const row = (year: number, scheme: Year['scheme']): Year | undefined => {
    const rs = data?.years.filter((y) => y.year === year && y.scheme === scheme) ?? [];
    if (rs.length === 0) return undefined;
    const sum = (k: 'unemploymentMonths' | 'injuryMonths' | 'unpaidMonths') =>
      rs.reduce((a, r) => a + r[k], 0);
    return {
      ...rs[rs.length - 1]!,
      // months moved out with the pension relation are no longer counted here (nor in the totals)
      pensionMonths: rs.reduce((a, r) => a + (r.movedOut === null ? r.pensionMonths : 0), 0),
      unemploymentMonths: sum('unemploymentMonths'),
      injuryMonths: sum('injuryMonths'),
      unpaidMonths: sum('unpaidMonths'),
    };
  };

  const monthsOption = useMemo<ChartOption | null>(() => {
    if (!data || years.length === 0) return null;
    const emp = years.map((y) => row(y, 'employee_pension'));
    const series = [
      { name: t('scheme.employee_pension'), color: '#b3261e', data: emp.map((r) => r?.pensionMonths ?? 0) },
      { name: t('scheme.unemployment'), color: '#f29b38', data: emp.map((r) => r?.unemploymentMonths ?? 0) },
      { name: t('scheme.injury'), color: '#5470c6', data: emp.map((r) => r?.injuryMonths ?? 0) },
      {
        name: t('scheme.resident_pension'),
        color: '#3ba272',
        data: years.map((y) => row(y, 'resident_pension')?.pensionMonths ?? 0),
      },
      {
        name: t('record.unpaid'),
        color: '#9e9e9e',
        data: years.map(
          (y) =>
            (row(y, 'employee_pension')?.unpaidMonths ?? 0) + (row(y, 'resident_pension')?.unpaidMonths ?? 0),
        ),
      },
    ].filter((s) => s.data.some((v) => v > 0));
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 24, bottom: 48, containLabel: true },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', max: 12, interval: 3, name: t('record.monthsAxis') },
      series: series.map(({ color, ...s }) => ({ ...s, type: 'bar', barMaxWidth: 14, itemStyle: { color } })),
    };
  }, [data, years, t]);

  const accountOption = useMemo<ChartOption | null>(() => {
    if (!data || years.length === 0) return null;
    const schemes = (['employee_pension', 'resident_pension'] as const).filter((s) =>
      data.years.some((y) => y.scheme === s && (y.closingBalanceFen > 0 || y.accountCreditFen > 0)),
    );
    if (schemes.length === 0) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: moneyTip },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 24, bottom: 48, containLabel: true },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', name: t('record.yuanAxis'), axisLabel: { formatter: yuanAxis } },
      color: ['#b3261e', '#3ba272', '#f29b38'],
      series: [
        ...schemes.map((s) => ({
          name: t('record.balanceOf', { scheme: t(SCHEME_KEY[s]) }),
          type: 'line',
          smooth: true,
          data: years.map((y) => row(y, s)?.closingBalanceFen ?? null),
          connectNulls: true,
        })),
        {
          name: t('record.interest'),
          type: 'bar',
          barMaxWidth: 14,
          data: years.map((y) =>
            data.years.filter((r) => r.year === y).reduce((a, r) => a + r.interestFen, 0),
          ),
        },
      ],
    };
  }, [data, years, t]);

  if (loading && !data) return <Loading />;
  if (error) return <ErrorAlert error={error} onRetry={reload} />;
  if (!data) return null;
  const printable = `/api/v1/persons/${personId}/record.html`;
  const account = data.personalAccount.employeePensionFen + data.personalAccount.residentPensionFen;

  return (
    <>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('record.employeeMonths')}
              value={formatMonths(data.totals.employeePensionMonths, lang)}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('record.averageIndex')}
              value={data.totals.averageContributionIndex?.toFixed(4) ?? '—'}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('record.account')} value={formatMoney(account)} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={t('record.interestTotal')}
              value={formatMoney(data.personalAccount.interestFen)}
            />
          </Card>
        </Col>
      </Row>
      <div style={{ marginBottom: 16 }}>
        <Button href={printable} target="_blank" rel="noopener" icon={<PrinterOutlined />}>
          {t('record.print')}
        </Button>
      </div>
      {data.years.length === 0 ? (
        <Card>
          <EmptyState title={t('record.empty')} hint={t('record.empty.hint')} />
        </Card>
      ) : (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} xl={12}>
              <Card title={t('record.monthsChart')}>
                {monthsOption ? (
                  <Chart option={monthsOption} label={t('record.monthsChart')} values="count" />
                ) : null}
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card title={t('record.accountChart')}>
                {accountOption ? (
                  <Chart option={accountOption} label={t('record.accountChart')} values="money" />
                ) : (
                  <EmptyState title={t('record.noAccount')} />
                )}
              </Card>
            </Col>
          </Row>
          <Card title={t('record.byYear')} style={{ marginBottom: 16 }}>
            <Table<Year>
              size="small"
              rowKey={(y) =>
                `${y.year}-${y.scheme}-${y.credited?.kind ?? ''}-${y.credited?.fromProvince ?? ''}-${
                  y.movedOut === null
                    ? ''
                    : `out-${y.movedOut.toProvince}-${movedAccount(y) ? 'account' : 'months'}`
                }`
              }
              dataSource={[...data.years].reverse()}
              locale={emptyTable(t('empty.record.years'), t('empty.record.years.hint'))}
              pagination={false}
              // fits a 1280 px screen (it scrolled 230 px sideways): the months and the account under one
              // heading each, so each column's own heading is a short word; a narrower screen scrolls
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('record.year'), dataIndex: 'year', fixed: 'left' },
                {
                  title: t('enrolment.scheme'),
                  dataIndex: 'scheme',
                  width: 130,
                  render: (s: Year['scheme'], y: Year) =>
                    y.movedOut !== null ? (
                      // Kept here for queries (66号), no longer counted: greyed, with where it went.
                      <span style={{ color: 'rgba(0,0,0,0.45)' }}>
                        {`${t(SCHEME_KEY[s])} · ${t(
                          movedAccount(y) ? 'record.movedOutAccount' : 'record.movedOut',
                          { province: regionName(y.movedOut.toProvince) },
                        )}`}
                      </span>
                    ) : y.credited === null ? (
                      t(SCHEME_KEY[s])
                    ) : (
                      `${t(SCHEME_KEY[s])} · ${
                        y.credited.kind === 'transfer'
                          ? t('record.transferredIn', { province: regionName(y.credited.fromProvince ?? '') })
                          : t('record.bridged')
                      }`
                    ),
                },
                {
                  title: t('record.monthsGroup'),
                  children: [
                    { title: t('record.pensionMonths'), dataIndex: 'pensionMonths', align: 'right' },
                    {
                      title: t('record.unemploymentMonths'),
                      dataIndex: 'unemploymentMonths',
                      align: 'right',
                    },
                    { title: t('record.injuryMonths'), dataIndex: 'injuryMonths', align: 'right' },
                    { title: t('record.unpaidMonths'), dataIndex: 'unpaidMonths', align: 'right' },
                  ],
                },
                {
                  title: t('record.averageBase'),
                  dataIndex: 'averageBaseFen',
                  align: 'right',
                  render: (f: number) => <span className="money">{f ? formatMoney(f) : '—'}</span>,
                },
                {
                  title: t('record.index'),
                  dataIndex: 'contributionIndex',
                  align: 'right',
                  render: (v: number | null) => (v === null ? '—' : v.toFixed(4)),
                },
                {
                  title: t('record.accountGroup'),
                  children: [
                    {
                      title: t('record.credited'),
                      dataIndex: 'accountCreditFen',
                      align: 'right',
                      render: (f: number) => <span className="money">{formatMoney(f)}</span>,
                    },
                    {
                      title: t('record.interest'),
                      dataIndex: 'interestFen',
                      align: 'right',
                      render: (f: number) => <span className="money">{formatMoney(f)}</span>,
                    },
                    {
                      title: t('record.balance'),
                      dataIndex: 'closingBalanceFen',
                      align: 'right',
                      // what the year leaves in the account: in sight when the table scrolls (a tablet)
                      fixed: 'right',
                      render: (f: number) => <span className="money">{formatMoney(f)}</span>,
                    },
                  ],
                },
              ]}
            />
          </Card>
        </>
      )}
      <Card title={t('record.employers')}>
        <Table
          size="small"
          rowKey="employerId"
          dataSource={data.employers}
          pagination={false}
          scroll={{ x: 640 }}
          locale={{ emptyText: <EmptyState title={t('record.employers.empty')} /> }}
          columns={[
            { title: t('employer.name'), dataIndex: 'name' },
            { title: t('employer.creditCode'), dataIndex: 'creditCode', className: 'money' },
            {
              title: t('record.periods'),
              key: 'periods',
              render: (_: unknown, e: PersonRecord['employers'][number]) =>
                `${formatPeriod(e.firstPeriod, lang)} — ${formatPeriod(e.lastPeriod, lang)}`,
            },
            { title: t('record.months'), dataIndex: 'months', align: 'right' },
          ]}
        />
      </Card>
    </>
  );
}
