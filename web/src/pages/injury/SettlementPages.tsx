// Agency pages of the work-injury hospital settlement and rehabilitation: 医院结算 (a clerk runs a
// period's settlement; runs, what each paid each hospital, the bills waiting) and 工伤康复 (cases
// flagged at recognition; referral to a rehabilitation institution and its outcome).
import { Alert, Button, Card, Descriptions, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useCan } from '../../auth.tsx';
import { EmptyState, emptyTable, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { DatePicker, IsoDatePicker } from '../../components/DatePicker.tsx';
import { useRegionName } from '../../components/registry.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatCountOf, formatDate, formatList, formatMoney, formatPeriod, todayIso } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { BillStatusTag } from './HospitalPages.tsx';
import {
  hospitalApi,
  type BillRow,
  type Referral,
  type ReferralKind,
  type Rehab,
  type SettlementRun,
} from './hospitalApi.ts';

export function SettlementPage() {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  const can = useCan();
  const [period, setPeriod] = useState(() => todayIso().slice(0, 7));
  const [refresh, setRefresh] = useState(0);
  const runs = useLoad(() => hospitalApi.runs(), [refresh]);
  const pending = useLoad(() => hospitalApi.bills({ unsettled: true }), [refresh]);
  const [selected, setSelected] = useState<number | null>(null);
  const lines = useLoad(selected === null ? null : () => hospitalApi.settlements(selected), [
    selected,
    refresh,
  ]);
  const [done, setDone] = useState<SettlementRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const r = await hospitalApi.runSettlement(period);
      setDone(r);
      setSelected(r.runId);
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>{t('page.agency.settlements')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('settle.intro')}</Typography.Paragraph>
      {can('settlement.run') ? (
        <Card style={{ marginBottom: 16 }}>
          <Space wrap>
            <label htmlFor="settle-period">{t('settle.period')}</label>
            <DatePicker
              id="settle-period"
              picker="month"
              allowClear={false}
              value={dayjs(`${period}-01`)}
              onChange={(d) => d && setPeriod(d.format('YYYY-MM'))}
              style={{ width: 130 }}
            />
            <Button type="primary" loading={busy} onClick={() => void run()}>
              {t('settle.run')}
            </Button>
          </Space>
          {done ? (
            <Alert
              type="success"
              showIcon
              role="status"
              style={{ marginTop: 12 }}
              title={t('settle.done', { bills: done.bills, total: formatMoney(done.totalFen) })}
            />
          ) : null}
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={error} />
          </div>
        </Card>
      ) : null}
      <Card title={t('settle.runs')}>
        <ErrorAlert error={runs.error} onRetry={runs.reload} />
        <Table<SettlementRun>
          size="small"
          rowKey="runId"
          loading={runs.loading}
          dataSource={runs.data?.items ?? []}
          locale={emptyTable(
            t('empty.settle.runs'),
            t(can('settlement.run') ? 'empty.settle.runs.hint' : 'empty.settle.runs.view'),
          )}
          pagination={false}
          columns={[
            { title: t('settle.period'), dataIndex: 'period', render: (p: string) => formatPeriod(p, lang) },
            {
              title: t('hosp.keys.state'),
              render: (_: unknown, r) => (
                <Tag color={r.status === 'done' ? 'green' : 'blue'}>
                  {t(`settle.status.${r.status}` as MessageKey)}
                </Tag>
              ),
            },
            {
              title: t('hosp.bills'),
              dataIndex: 'bills',
              align: 'right',
              render: (n: number) => formatCountOf(n, 'bills', lang),
            },
            {
              title: t('settle.hospitals'),
              dataIndex: 'hospitals',
              align: 'right',
              render: (n: number) => formatCountOf(n, 'hospitals', lang),
            },
            { title: t('settle.total'), align: 'right', render: (_: unknown, r) => formatMoney(r.totalFen) },
            {
              title: t('settle.startedBy'),
              dataIndex: 'startedBy',
              // a login's display name; a run no login started (the command line, the demo's seed) is
              // the system's, its operator id kept for the curious in the tooltip
              render: (_: unknown, r) =>
                r.startedByName ?? <span title={r.startedBy}>{t('role.system')}</span>,
            },
            {
              title: '',
              render: (_: unknown, r) => (
                <Button size="small" onClick={() => setSelected(r.runId)}>
                  {t('hosp.view')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {selected !== null ? (
        <Card title={t('settle.lines')} style={{ marginTop: 16 }}>
          <ErrorAlert error={lines.error} />
          <Table
            size="small"
            rowKey={(r) => `${r.hospitalId}-${r.region}`}
            loading={lines.loading}
            dataSource={lines.data?.items ?? []}
            locale={emptyTable(t('empty.settle.lines'))}
            pagination={false}
            columns={[
              { title: t('settle.hospital'), dataIndex: 'hospitalName' },
              { title: t('settle.region'), dataIndex: 'region', render: (r: string) => regionName(r) },
              {
                title: t('hosp.bills'),
                dataIndex: 'bills',
                align: 'right',
                render: (n: number) => formatCountOf(n, 'bills', lang),
              },
              {
                title: t('hosp.amount'),
                align: 'right',
                render: (_: unknown, r) => formatMoney(r.amountFen),
              },
            ]}
          />
        </Card>
      ) : null}
      <Card title={t('settle.pending')} style={{ marginTop: 16 }}>
        <ErrorAlert error={pending.error} />
        <Table<BillRow>
          size="small"
          rowKey="id"
          loading={pending.loading}
          dataSource={pending.data?.items ?? []}
          locale={emptyTable(t('empty.settle.pending'), t('empty.settle.pending.hint'))}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('settle.hospital'), dataIndex: 'hospitalName' },
            { title: t('hosp.billNo'), dataIndex: 'billNo' },
            { title: t('hosp.caseId'), dataIndex: 'caseId' },
            {
              title: t('hosp.accepted'),
              align: 'right',
              render: (_: unknown, r) => formatMoney(r.acceptedFen),
            },
            { title: t('hosp.result'), render: (_: unknown, r) => <BillStatusTag status={r.status} /> },
          ]}
        />
      </Card>
    </>
  );
}

const REFERRAL_KINDS: ReferralKind[] = ['medical', 'vocational', 'social'];
const kindText = (t: ReturnType<typeof useI18n>['t'], k: string) => t(`rehab.kind.${k}` as MessageKey);

/** The rehabilitation of one case: screening with its trace, referrals, and (for clerks) the actions. */
export function RehabPanel({ caseId }: { caseId: number }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const manage = can('rehab.manage');
  const [refresh, setRefresh] = useState(0);
  const rehab = useLoad(() => hospitalApi.rehab(caseId), [caseId, refresh]);
  const institutions = useLoad(manage ? () => hospitalApi.hospitals('rehab') : null, [manage]);
  const [institutionId, setInstitutionId] = useState<number | null>(null);
  const [kind, setKind] = useState<ReferralKind>('medical');
  const [referredOn, setReferredOn] = useState(todayIso());
  const [plan, setPlan] = useState('');
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function act(fn: () => Promise<Rehab>) {
    setError(null);
    try {
      await fn();
      setRefresh((n) => n + 1);
      setPlan('');
      setOutcome('');
    } catch (e) {
      setError(e);
    }
  }
  const r = rehab.data;
  const s = r?.screening ?? null;
  return (
    <Card
      title={`${t('page.agency.rehab')} · ${t('rehab.case')} ${caseId}`}
      style={{ marginTop: 16 }}
      data-testid="rehab-panel"
    >
      <ErrorAlert error={rehab.error ?? error} />
      {r ? (
        <>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('rehab.screening')}>
              {s === null ? (
                t('rehab.notScreened')
              ) : (
                <Space wrap>
                  <Tag color={s.flagged ? 'orange' : 'default'}>
                    {s.flagged ? t('rehab.yes') : t('rehab.no')}
                  </Tag>
                  {s.kinds.map((k) => (
                    <Tag key={k}>{kindText(t, k)}</Tag>
                  ))}
                </Space>
              )}
            </Descriptions.Item>
          </Descriptions>
          {s ? (
            <ul style={{ marginTop: 0 }}>
              {s.trace.map((x, i) => (
                // Each step and whether it is met, as a tag: after a step that states its finding the
                // bare 是/否 read 伤情类别…：无：否; and what the screening only inferred in words, where
                // a "?" tag explained nothing.
                <li key={i}>
                  {lang === 'en' ? x.step : (x.stepZh ?? x.step)}
                  {typeof x.value === 'boolean' ? (
                    <Tag color={x.value ? 'green' : 'default'} style={{ marginLeft: 6 }}>
                      {x.value ? t('rehab.trace.yes') : t('rehab.trace.no')}
                    </Tag>
                  ) : (
                    `：${String(x.value)}`
                  )}
                  {x.uncertain ? (
                    <Tag color="gold" title={t('rehab.trace.uncertainHint')}>
                      {t('rehab.trace.uncertain')}
                    </Tag>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          {manage ? (
            <Button size="small" onClick={() => void act(() => hospitalApi.screen(caseId))}>
              {t('rehab.screen')}
            </Button>
          ) : null}
          <Table<Referral>
            size="small"
            rowKey="id"
            style={{ marginTop: 12 }}
            dataSource={r.referrals}
            pagination={false}
            locale={{
              emptyText: (
                <EmptyState
                  title={t('rehab.none')}
                  hint={t(manage ? 'rehab.none.clerk' : 'rehab.none.person')}
                />
              ),
            }}
            columns={[
              { title: t('rehab.institution'), dataIndex: 'institutionName' },
              { title: t('rehab.kinds'), render: (_: unknown, x) => kindText(t, x.kind) },
              {
                title: t('rehab.referredOn'),
                dataIndex: 'referredOn',
                render: (d: string) => formatDate(d, lang),
              },
              { title: t('rehab.plan'), dataIndex: 'plan' },
              {
                title: t('hosp.keys.state'),
                render: (_: unknown, x) => (
                  <Tag
                    color={x.status === 'completed' ? 'green' : x.status === 'referred' ? 'blue' : 'default'}
                  >
                    {t(`rehab.status.${x.status}` as MessageKey)}
                  </Tag>
                ),
              },
              {
                title: t('rehab.outcome'),
                render: (_: unknown, x) =>
                  x.status !== 'referred' ? (
                    `${x.outcome ?? ''}（${x.outcomeOn ?? ''}）`
                  ) : manage ? (
                    <Space wrap>
                      <Input
                        aria-label={t('rehab.outcome')}
                        value={outcome}
                        style={{ width: 200 }}
                        onChange={(e) => setOutcome(e.target.value)}
                      />
                      <Button
                        size="small"
                        disabled={outcome.trim() === ''}
                        onClick={() =>
                          void act(() =>
                            hospitalApi.outcome(x.id, {
                              status: 'completed',
                              outcome: outcome.trim(),
                              outcomeOn: todayIso(),
                              version: x.version,
                            }),
                          )
                        }
                      >
                        {t('rehab.recordOutcome')}
                      </Button>
                    </Space>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />
          {manage && r.caseStatus === 'recognised' ? (
            <Space wrap align="end" style={{ marginTop: 12 }}>
              <Select
                aria-label={t('rehab.institution')}
                style={{ width: 220 }}
                placeholder={t('rehab.institution')}
                value={institutionId}
                options={(institutions.data?.items ?? []).map((h) => ({ value: h.id, label: h.name }))}
                onChange={(v: number) => setInstitutionId(v)}
              />
              <Select
                aria-label={t('rehab.kinds')}
                style={{ width: 130 }}
                value={kind}
                options={REFERRAL_KINDS.map((k) => ({ value: k, label: kindText(t, k) }))}
                onChange={(v: ReferralKind) => setKind(v)}
              />
              <IsoDatePicker
                aria-label={t('rehab.referredOn')}
                allowClear={false}
                value={referredOn}
                onChange={setReferredOn}
                style={{ width: 160 }}
              />
              <Input
                aria-label={t('rehab.plan')}
                placeholder={t('rehab.plan')}
                value={plan}
                style={{ width: 240 }}
                onChange={(e) => setPlan(e.target.value)}
              />
              <Button
                type="primary"
                disabled={institutionId === null || plan.trim() === ''}
                onClick={() =>
                  void act(() =>
                    hospitalApi.refer(caseId, {
                      institutionId: institutionId ?? 0,
                      kind,
                      referredOn,
                      plan: plan.trim(),
                    }),
                  )
                }
              >
                {t('rehab.refer')}
              </Button>
            </Space>
          ) : null}
        </>
      ) : null}
    </Card>
  );
}

export function RehabPage() {
  const { t, lang } = useI18n();
  const flagged = useLoad(() => hospitalApi.flagged(), []);
  const [caseId, setCaseId] = useState<number | null>(null);
  const [typed, setTyped] = useState<number | null>(null);
  return (
    <>
      <PageTitle>{t('page.agency.rehab')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('rehab.intro')}</Typography.Paragraph>
      <Card title={t('rehab.flagged')}>
        <ErrorAlert error={flagged.error} onRetry={flagged.reload} />
        <Space style={{ marginBottom: 12 }}>
          <InputNumber
            aria-label={t('rehab.case')}
            placeholder={t('rehab.case')}
            min={1}
            value={typed}
            onChange={(v) => setTyped(v)}
          />
          <Button data-testid="rehab-open" disabled={typed === null} onClick={() => setCaseId(typed)}>
            {t('rehab.open.case')}
          </Button>
        </Space>
        <Table
          size="small"
          rowKey="caseId"
          loading={flagged.loading}
          dataSource={flagged.data?.items ?? []}
          locale={emptyTable(t('empty.rehab.flagged'), t('empty.rehab.flagged.hint'))}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('rehab.case'), dataIndex: 'caseId' },
            {
              title: t('rehab.accident'),
              dataIndex: 'accidentDate',
              render: (d: string) => formatDate(d, lang),
            },
            {
              title: t('rehab.kinds'),
              render: (_: unknown, x) =>
                formatList(
                  x.kinds.map((k) => kindText(t, k)),
                  lang,
                ),
            },
            {
              title: t('rehab.categories'),
              render: (_: unknown, x) =>
                formatList(
                  x.categories.map((c) => t(`rehab.category.${c}` as MessageKey)),
                  lang,
                ),
            },
            {
              title: t('rehab.referrals'),
              dataIndex: 'referrals',
              align: 'right',
              render: (n: number) => formatCountOf(n, 'referrals', lang),
            },
            {
              title: t('rehab.open'),
              dataIndex: 'open',
              align: 'right',
              render: (n: number) => formatCountOf(n, 'referrals', lang),
            },
            {
              title: '',
              render: (_: unknown, x) => (
                <Button size="small" onClick={() => setCaseId(x.caseId)}>
                  {t('rehab.open.case')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {caseId !== null ? <RehabPanel caseId={caseId} /> : null}
    </>
  );
}
