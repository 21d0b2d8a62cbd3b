// 失业保险待遇 (agency): the claim queue by decision deadline, a claim with its trace and the clerk's
// proposal (approve / refuse with the reason), stop events; the reviewer's releases; the monthly
// payment runs (a chart of the months, the run in progress with its progress); the grant applications.
import { Alert, Button, Card, Input, Progress, Segmented, Select, Space, Tag } from 'antd';
import { DatePicker, IsoDatePicker } from '../../components/DatePicker.tsx';
import { useMemo, useState } from 'react';
import type { Approval } from '../../api-approvals.ts';
import { useAuth } from '../../auth.tsx';
import { ApprovalTable } from '../../components/approvals.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { moneyTip, yuanAxis } from '../../components/chart-axis.ts';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatCountOf, formatDate, formatMoney, formatPeriod, todayIso } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ClaimStatusTag, ClaimView } from './ClaimView.tsx';
import {
  unemploymentApi,
  type BenefitRun,
  type Claim,
  type Grant,
  type StopEventKind,
} from './unemployment-api.ts';

const KINDS = ['unemployment.claim', 'unemployment.payroll', 'unemployment.death', 'unemployment.grant'];
const STOP_EVENTS: StopEventKind[] = [
  'reemployment',
  'pension',
  'enlistment',
  'emigration',
  'imprisonment',
  'refusal',
];

function ClerkActions({ claim, onDone }: { claim: Claim; onDone: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [prepared, setPrepared] = useState<Approval | null>(null);
  const [event, setEvent] = useState<StopEventKind>('reemployment');
  const [date, setDate] = useState<string>(todayIso());
  const [stopped, setStopped] = useState(false);
  async function decide(decision: 'approve' | 'reject') {
    setBusy(true);
    setError(null);
    try {
      setPrepared(await unemploymentApi.decide(claim.id, decision, note.trim() || undefined));
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  async function stop() {
    setBusy(true);
    setError(null);
    try {
      await unemploymentApi.stop(claim.id, event, date);
      setStopped(true);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div style={{ marginTop: 12 }}>
      <ErrorAlert error={error} />
      {prepared ? (
        <Alert
          type="warning"
          showIcon
          role="status"
          style={{ marginBottom: 12 }}
          title={t('ue.agency.prepared', { id: prepared.id })}
        />
      ) : null}
      {claim.status === 'submitted' && !prepared ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            aria-label={t('ue.agency.note')}
            placeholder={t('ue.agency.note')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            rows={2}
            maxLength={500}
          />
          <Space wrap>
            <Button
              type="primary"
              loading={busy}
              onClick={() => void decide('approve')}
              data-testid="ue-approve"
            >
              {t('ue.agency.approve')}
            </Button>
            <Button danger loading={busy} disabled={!note.trim()} onClick={() => void decide('reject')}>
              {t('ue.agency.reject')}
            </Button>
          </Space>
        </Space>
      ) : null}
      {claim.status === 'approved' && !stopped ? (
        <Space wrap>
          <span>{t('ue.agency.stop')}</span>
          <Select<StopEventKind>
            aria-label={t('ue.col.event')}
            value={event}
            onChange={setEvent}
            style={{ minWidth: 200 }}
            options={STOP_EVENTS.map((e) => ({ value: e, label: t(`ue.event.${e}` as MessageKey) }))}
          />
          <DatePicker
            aria-label={t('ue.agency.stop.date')}
            onChange={(_, s) => typeof s === 'string' && s && setDate(s)}
          />
          <Button loading={busy} onClick={() => void stop()}>
            {t('ue.agency.stop')}
          </Button>
        </Space>
      ) : null}
      {stopped ? <Tag color="green">{t('ue.agency.stop.done')}</Tag> : null}
    </div>
  );
}

/** The months' runs at a glance, oldest first: people paid (bars) and the benefit paid (line, yuan). */
function RunsChart({ runs }: { runs: BenefitRun[] }) {
  const { t, lang } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const months = [...runs].reverse();
    return {
      tooltip: { trigger: 'axis' },
      legend: {},
      xAxis: { type: 'category', data: months.map((r) => formatPeriod(r.period, lang)) },
      yAxis: [
        { type: 'value', name: t('ue.payroll.people'), minInterval: 1 },
        yuanAxis(t('ue.payroll.amountYuan')),
      ],
      series: [
        { name: t('ue.payroll.payments'), type: 'bar', data: months.map((r) => r.payments) },
        {
          name: t('ue.payroll.benefit'),
          type: 'line',
          yAxisIndex: 1,
          tooltip: { valueFormatter: moneyTip },
          data: months.map((r) => r.benefitFen),
        },
      ],
    };
  }, [runs, t, lang]);
  return <Chart option={option} height={260} label={t('ue.payroll.chart')} values={['count', 'money']} />;
}

function Payroll({ isClerk }: { isClerk: boolean }) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const region = useAuth().user?.region ?? '';
  const [period, setPeriod] = useState(() => todayIso().slice(0, 7));
  const [refresh, setRefresh] = useState(0);
  const runs = useLoad(() => unemploymentApi.runs(), [refresh]);
  const [prepared, setPrepared] = useState<Approval | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function prepare() {
    setBusy(true);
    setError(null);
    try {
      setPrepared(await unemploymentApi.preparePayroll(period, region));
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const list = runs.data ?? [];
  return (
    <Card title={t('ue.payroll.title')} style={{ marginTop: 16 }}>
      {isClerk ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <label htmlFor="ue-period">{t('ue.payroll.period')}</label>
          {/* a month of the agency's calendar, never a later one: a payroll is for a month that has come */}
          <IsoDatePicker
            id="ue-period"
            picker="month"
            allowClear={false}
            value={period}
            onChange={setPeriod}
            upToToday
            style={{ width: 140 }}
          />
          <Button
            type="primary"
            loading={busy}
            onClick={() => void prepare()}
            data-testid="ue-payroll-prepare"
          >
            {t('ue.payroll.prepare')}
          </Button>
        </Space>
      ) : null}
      <ErrorAlert error={error ?? runs.error} />
      {prepared ? (
        <Alert
          type="warning"
          showIcon
          role="status"
          style={{ marginBottom: 12 }}
          title={t('ue.agency.prepared', { id: prepared.id })}
        />
      ) : null}
      {list.length === 0 ? <EmptyState title={t('ue.payroll.none')} /> : <RunsChart runs={list} />}
      {/* a run in progress shows how far it is; a finished one is a line of the table */}
      {list
        .filter((r) => r.status !== 'done')
        .map((r) => (
          <div key={r.runId ?? r.period} style={{ marginBottom: 16 }}>
            <strong>{formatPeriod(r.period, lang)}</strong>
            <Progress
              percent={r.chunksTotal > 0 ? Math.round((r.chunksDone * 100) / r.chunksTotal) : 0}
              status="active"
              aria-label={formatPeriod(r.period, lang)}
            />
          </div>
        ))}
      {list.length > 0 ? (
        <div data-testid="ue-runs">
          <Table<BenefitRun>
            size="small"
            rowKey={(r) => r.runId ?? r.period}
            dataSource={list}
            pagination={false}
            columns={[
              {
                title: t('ue.payroll.period'),
                dataIndex: 'period',
                render: (p: string) => formatPeriod(p, lang),
              },
              {
                title: t('ue.payroll.status'),
                dataIndex: 'status',
                render: (s: string) => (
                  <Tag color={s === 'done' ? 'green' : 'blue'}>{code('payroll.status', s)}</Tag>
                ),
              },
              {
                title: t('ue.payroll.payments'),
                dataIndex: 'payments',
                align: 'right',
                render: (n: number) => formatCountOf(n, 'people', lang),
              },
              {
                title: t('ue.payroll.benefit'),
                dataIndex: 'benefitFen',
                align: 'right',
                render: formatMoney,
              },
              {
                title: t('ue.payroll.medical'),
                dataIndex: 'medicalFen',
                align: 'right',
                render: formatMoney,
              },
              {
                title: t('ue.payroll.stopped'),
                dataIndex: 'stopped',
                align: 'right',
                render: (n: number) => formatCountOf(n, 'people', lang),
              },
            ]}
          />
        </div>
      ) : null}
    </Card>
  );
}

function Grants({ isClerk }: { isClerk: boolean }) {
  const { t, lang } = useI18n();
  const grants = useLoad(() => unemploymentApi.grants({ status: 'submitted' }), []);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Record<number, number>>({});
  async function decide(g: Grant, decision: 'approve' | 'reject') {
    setError(null);
    try {
      const a = await unemploymentApi.decideGrant(
        g.id,
        decision,
        decision === 'reject' ? '不符合条件' : undefined,
      );
      setDone((d) => ({ ...d, [g.id]: a.id }));
    } catch (e) {
      setError(e);
    }
  }
  return (
    <Card title={t('ue.agency.grants')} style={{ marginTop: 16 }}>
      <ErrorAlert error={error ?? grants.error} />
      <Table<Grant>
        size="small"
        rowKey="id"
        pagination={false}
        locale={{
          emptyText: <EmptyState title={t('ue.agency.grants.none')} hint={t('ue.agency.grants.none.hint')} />,
        }}
        dataSource={grants.data?.items ?? []}
        columns={[
          { title: t('ue.col.person'), dataIndex: 'personName' },
          {
            title: t('ue.col.event'),
            dataIndex: 'kind',
            render: (k: string) => t(`ue.grants.kind.${k}` as MessageKey),
          },
          {
            title: t('ue.col.date'),
            dataIndex: 'createdAt',
            render: (d: string) => formatDate(d, lang),
          },
          {
            title: t('ue.col.amount'),
            render: (_: unknown, g: Grant) =>
              t('ue.grants.amount', { months: g.months, amount: formatMoney(g.amountFen) }),
          },
          {
            title: t('ue.col.action'),
            render: (_: unknown, g: Grant) =>
              done[g.id] ? (
                t('ue.agency.prepared', { id: done[g.id] ?? 0 })
              ) : isClerk ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => void decide(g, 'approve')}>
                    {t('ue.agency.approve')}
                  </Button>
                  <Button size="small" danger onClick={() => void decide(g, 'reject')}>
                    {t('ue.agency.reject')}
                  </Button>
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Card>
  );
}

export function UnemploymentAgencyPage() {
  const { t, lang } = useI18n();
  const role = useAuth().user?.role;
  const [status, setStatus] = useState<'submitted' | 'approved' | 'all'>('submitted');
  const [refresh, setRefresh] = useState(0);
  const claims = useLoad(() => unemploymentApi.claims(status === 'all' ? {} : { status }), [status, refresh]);
  const [selected, setSelected] = useState<number | null>(null);
  const claim = useLoad(selected === null ? null : () => unemploymentApi.get(selected), [selected, refresh]);
  const today = todayIso();
  return (
    <>
      <PageTitle>{t('page.agency.unemployment')}</PageTitle>
      <Card title={t('ue.agency.queue')}>
        <Segmented
          style={{ marginBottom: 12 }}
          value={status}
          onChange={setStatus}
          options={[
            { value: 'submitted', label: t('ue.status.submitted') },
            { value: 'approved', label: t('ue.status.approved') },
            { value: 'all', label: t('ue.agency.filter.all') },
          ]}
        />
        <ErrorAlert error={claims.error} onRetry={claims.reload} />
        <Table<Claim>
          size="small"
          rowKey="id"
          loading={claims.loading}
          dataSource={claims.data?.items ?? []}
          pagination={false}
          // an empty queue says so and how claims get there (it said "choose a claim" under nothing)
          locale={{
            emptyText: (
              <EmptyState title={t(`ue.agency.none.${status}`)} hint={t(`ue.agency.none.${status}.hint`)} />
            ),
          }}
          onRow={(c) => ({ onClick: () => setSelected(c.id), style: { cursor: 'pointer' } })}
          rowClassName={(c) => (c.id === selected ? 'ant-table-row-selected' : '')}
          columns={[
            { title: '#', dataIndex: 'id', width: 70 },
            {
              title: t('ue.col.person'),
              dataIndex: 'personName',
              render: (n: string, c: Claim) => (
                <Button type="link" size="small" onClick={() => setSelected(c.id)} data-testid="ue-queue-row">
                  {n}
                </Button>
              ),
            },
            {
              title: t('ue.claim.registration'),
              dataIndex: 'registrationDate',
              render: (d: string) => formatDate(d, lang),
            },
            {
              title: t('ue.claim.deadline'),
              dataIndex: 'decisionDeadline',
              render: (d: string, c: Claim) => (
                <>
                  {formatDate(d, lang)}{' '}
                  {c.status === 'submitted' && d < today ? (
                    <Tag color="red">{t('ue.claim.overdue')}</Tag>
                  ) : null}
                </>
              ),
            },
            {
              title: t('ue.col.status'),
              dataIndex: 'status',
              render: (s: Claim['status']) => <ClaimStatusTag status={s} />,
            },
            {
              title: t('ue.claim.months'),
              dataIndex: 'maxMonths',
              render: (n: number) => t('ue.claim.monthsValue', { n }),
            },
            {
              title: t('ue.claim.monthly'),
              dataIndex: 'monthlyFen',
              render: (v?: number) => formatMoney(v ?? null),
            },
          ]}
        />
      </Card>
      {selected !== null || (claims.data?.items.length ?? 0) > 0 ? (
        <Card style={{ marginTop: 16 }}>
          {selected === null ? <EmptyState title={t('ue.agency.select')} /> : null}
          <ErrorAlert error={claim.error} />
          {claim.data ? (
            <>
              <ClaimView claim={claim.data} />
              {role === 'clerk' ? (
                <ClerkActions claim={claim.data} onDone={() => setRefresh((n) => n + 1)} />
              ) : null}
            </>
          ) : null}
        </Card>
      ) : null}
      {role === 'reviewer' || role === 'clerk' ? (
        <Card title={t('ue.agency.approvals')} style={{ marginTop: 16 }}>
          <ApprovalTable
            kinds={KINDS}
            status="prepared"
            canDecide={role === 'reviewer'}
            refresh={refresh}
            onDecided={() => setRefresh((n) => n + 1)}
          />
        </Card>
      ) : null}
      <Payroll isClerk={role === 'clerk'} />
      <Grants isClerk={role === 'clerk'} />
    </>
  );
}
