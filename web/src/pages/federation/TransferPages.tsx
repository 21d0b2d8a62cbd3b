// Pension relation transfer across provinces (国办发〔2009〕66号, issue 16): the citizen applies at the
// new province and follows each step with its legal time limit and the amounts; the clerk at the new
// province applies for a person and sees the transfers in and out of the province.
import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Steps, Tag, Typography } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useState } from 'react';
import { request, type Answer, type Body, type Region } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { formatCountOf, formatDate, formatMoney, noteInLanguage } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';
import type { PageProps } from '../../pages.tsx';
import { Link, navigate } from '../../router.tsx';
import { notFederated, NotFederated } from './not-federated.tsx';
import { MyCollections } from './CollectionPages.tsx';

export type Transfer = Answer<'/api/v1/transfers/{id}'>;
type ApplyBody = Body<'/api/v1/transfers'>;
type Applied = Answer<'/api/v1/transfers', 'post'>;
type Kind = Transfer['kind'];
const KINDS: Kind[] = ['pension', 'unemployment', 'scheme-bridging'];

/**
 * The steps in order, with their limits in working days (transfer.rules.ts TRANSFER_STEP_LIMITS for a
 * pension relation, 66号 Art. 8; UI_TRANSFER_STEP_LIMITS for an unemployment relation, the place left
 * acting within 5), as each side records them: the new place from the application (the national
 * exchange locating the old place) to the credited record, the old place from the letter it received.
 */
const STEPS: Record<'in' | 'out', string[]> = {
  in: ['applied', 'located', 'letter-sent', 'funds-sent', 'credited'],
  out: ['letter-sent', 'funds-sent', 'completed'],
};
const LIMITS: Record<Transfer['kind'], Record<string, number>> = {
  pension: { 'letter-sent': 15, 'funds-sent': 15, credited: 15 },
  unemployment: { 'funds-sent': 5 },
  'scheme-bridging': { 'letter-sent': 15, decided: 15, 'funds-sent': 15, credited: 15 },
};
/** Scheme bridging (人社部发〔2014〕17号): decided at the place of payment; the letter only across provinces. */
function stepsOf(transfer: Transfer): string[] {
  if (transfer.kind !== 'scheme-bridging') return STEPS[transfer.direction];
  const across = transfer.fromProvince !== null && transfer.fromProvince !== transfer.toProvince;
  return transfer.direction === 'out'
    ? ['letter-sent', 'decided', 'funds-sent', 'completed']
    : [...(across ? ['applied', 'letter-sent'] : ['applied']), 'decided', 'funds-sent', 'credited'];
}
const KIND_COLOR: Record<Transfer['kind'], string> = {
  pension: 'geekblue',
  unemployment: 'purple',
  'scheme-bridging': 'gold',
};

const STATUS_COLOR: Record<Transfer['status'], string> = {
  requested: 'orange',
  sent: 'blue',
  credited: 'cyan',
  completed: 'green',
  refused: 'red',
};

function useProvinces() {
  return useLoad(() => request<Region[]>('GET', '/api/v1/regions'), []);
}

/** A province's name; the old province of a transfer is null until the national index has located it. */
function provinceName(
  regions: Region[] | undefined,
  code: string | null,
  lang: string,
  t: (key: MessageKey) => string,
): string {
  if (code === null) return t('fed.locating');
  const r = regions?.find((x) => x.code === code);
  return r ? (lang === 'zh-CN' ? r.nameZh : r.nameEn) : code;
}

export function KindTag({ kind }: { kind: Transfer['kind'] }) {
  const { t } = useI18n();
  return (
    <Tag color={KIND_COLOR[kind]} data-testid="transfer-kind">
      {t(`fed.kind.${kind}` as MessageKey)}
    </Tag>
  );
}

export function StatusTag({ status }: { status: Transfer['status'] }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{t(`fed.status.${status}` as MessageKey)}</Tag>;
}

/** The timeline: every step of the law, done (date, node, in time or late) or waiting, with its limit. */
export function TransferTimeline({
  transfer,
  regions,
}: {
  transfer: Transfer;
  regions: Region[] | undefined;
}) {
  const { t, lang } = useI18n();
  const limits = LIMITS[transfer.kind];
  const steps = stepsOf(transfer).map((step) => ({ step, limit: limits[step] ?? 0 }));
  const done = new Map(transfer.steps.map((s) => [s.step, s]));
  const current = steps.findIndex((s) => !done.has(s.step));
  return (
    <>
      <Steps
        direction="vertical"
        size="small"
        current={current < 0 ? steps.length : current}
        status={transfer.status === 'refused' ? 'error' : current < 0 ? 'finish' : 'process'}
        items={steps.map((s, i) => {
          const d = done.get(s.step);
          const late = d?.dueBy ? d.on > d.dueBy : false;
          return {
            title: (
              <Space wrap>
                <span>{t(`fed.step.${s.step}` as MessageKey)}</span>
                {d ? (
                  d.dueBy ? (
                    <Tag color={late ? 'red' : 'green'}>{t(late ? 'fed.step.late' : 'fed.step.inTime')}</Tag>
                  ) : null
                ) : (
                  <Tag>{t(i === current ? 'fed.step.waiting' : 'fed.step.notYet')}</Tag>
                )}
              </Space>
            ),
            description: (
              <div data-testid={`transfer-step-${s.step}`}>
                <div>{s.limit > 0 ? t('fed.step.limit', { n: s.limit }) : t('fed.step.limitNone')}</div>
                {d ? (
                  <div>
                    {t('fed.step.on', {
                      date: formatDate(d.on, lang),
                      node:
                        d.node === 'national'
                          ? t('fed.node.national')
                          : provinceName(regions, d.node, lang, t),
                    })}
                    {d.dueBy ? ` · ${t('fed.step.dueBy', { date: formatDate(d.dueBy, lang) })}` : ''}
                  </div>
                ) : null}
                {d?.note ? (
                  <Typography.Text type="secondary">{noteInLanguage(d.note, lang)}</Typography.Text>
                ) : null}
              </div>
            ),
          };
        })}
      />
      <Typography.Text type="secondary">
        {t(
          transfer.kind === 'pension'
            ? 'fed.step.total'
            : transfer.kind === 'unemployment'
              ? 'fed.step.totalUnemployment'
              : 'fed.step.totalBridging',
        )}
      </Typography.Text>
    </>
  );
}

/** An unemployment relation's figures (domain-2.md §2.6): months carried, the unpaid benefit and its funds. */
function UnemploymentAmounts({
  transfer,
  u,
}: {
  transfer: Transfer;
  u: NonNullable<Transfer['unemployment']>;
}) {
  const { t } = useI18n();
  return (
    <Descriptions column={1} size="small" bordered data-testid="transfer-unemployment">
      <Descriptions.Item label={t('fed.ui.contribMonths')}>{u.contribMonths}</Descriptions.Item>
      <Descriptions.Item label={t('fed.ui.carriedContribMonths')}>{u.carriedContribMonths}</Descriptions.Item>
      <Descriptions.Item label={t('fed.ui.remainingMonths')}>{u.remainingMonths}</Descriptions.Item>
      <Descriptions.Item label={t('fed.ui.outMonthly')}>{formatMoney(u.outMonthlyFen)}</Descriptions.Item>
      <Descriptions.Item label={t('fed.ui.benefit')}>{formatMoney(u.benefitFen)}</Descriptions.Item>
      <Descriptions.Item label={t('fed.ui.subsidies')}>{formatMoney(u.subsidiesFen)}</Descriptions.Item>
      <Descriptions.Item label={t('fed.ui.fundsMove')}>
        {t(u.fundsMove ? 'fed.ui.fundsMove.yes' : 'fed.ui.fundsMove.no')}
      </Descriptions.Item>
      <Descriptions.Item label={t('fed.detail.total')}>
        <strong data-testid="transfer-total">{formatMoney(transfer.totalFen)}</strong>
      </Descriptions.Item>
    </Descriptions>
  );
}

/** Scheme bridging's decision (rule `scheme-bridging`): the direction, the months and accounts after it. */
function BridgingAmounts({ b }: { b: NonNullable<Transfer['bridging']> }) {
  const { t } = useI18n();
  const rows: Array<[MessageKey, string | number]> = [
    ['fed.br.employeeMonths', b.employeeMonths],
    ['fed.br.residentMonths', b.residentMonths],
    ['fed.br.employeeAccount', formatMoney(b.employeeAccountFen)],
    ['fed.br.residentAccount', formatMoney(b.residentAccountFen)],
    ['fed.br.overlap', b.overlapMonths],
    ['fed.br.refund', formatMoney(b.refundFen)],
    ['fed.br.subsidyStays', formatMoney(b.subsidyStaysFen)],
  ];
  if (b.toReturnOrOffsetFen > 0) rows.push(['fed.br.toReturn', formatMoney(b.toReturnOrOffsetFen)]);
  return (
    <Descriptions column={1} size="small" bordered data-testid="transfer-bridging">
      <Descriptions.Item label={t('fed.br.direction')}>
        <strong>{t(`fed.br.direction.${b.direction}` as MessageKey)}</strong>
      </Descriptions.Item>
      {rows.map(([k, v]) => (
        <Descriptions.Item key={k} label={t(k)}>
          {v}
        </Descriptions.Item>
      ))}
      <Descriptions.Item label={t('fed.br.moved')}>
        <strong data-testid="transfer-total">{formatMoney(b.movedFen)}</strong>
      </Descriptions.Item>
    </Descriptions>
  );
}

export function TransferAmounts({ transfer }: { transfer: Transfer }) {
  const { t } = useI18n();
  if (transfer.bridging) return <BridgingAmounts b={transfer.bridging} />;
  if (transfer.totalFen === null)
    return <Typography.Text type="secondary">{t('fed.detail.pending')}</Typography.Text>;
  if (transfer.unemployment) return <UnemploymentAmounts transfer={transfer} u={transfer.unemployment} />;
  return (
    <>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('fed.detail.months')}>{transfer.months}</Descriptions.Item>
        <Descriptions.Item label={t('fed.detail.pooled')}>
          {formatMoney(transfer.pooledFen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('fed.detail.account')}>
          {formatMoney(transfer.accountFen)}
        </Descriptions.Item>
        <Descriptions.Item label={t('fed.detail.total')}>
          <strong data-testid="transfer-total">{formatMoney(transfer.totalFen)}</strong>
        </Descriptions.Item>
      </Descriptions>
      {transfer.pooledByYear ? (
        <Table
          style={{ marginTop: 12 }}
          size="small"
          pagination={false}
          rowKey="year"
          title={() => t('fed.detail.byYear')}
          dataSource={Object.entries(transfer.pooledByYear).map(([year, fen]) => ({ year, fen }))}
          columns={[
            { title: t('fed.detail.year'), dataIndex: 'year' },
            {
              title: t('fed.detail.amount'),
              dataIndex: 'fen',
              align: 'right',
              render: (v: number) => formatMoney(v),
            },
          ]}
        />
      ) : null}
    </>
  );
}

function ApplyCard({ onDone, staff }: { onDone: (id: number) => void; staff: boolean }) {
  const { t, lang } = useI18n();
  const regions = useProvinces();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ kind: Kind; fromProvince?: string; idNumber?: string }>();
  const [kind, setKind] = useState<Kind>('pension');
  const provinces = (regions.data ?? []).filter((r) => r.level === 'province');
  async function submit(v: { kind: Kind; fromProvince?: string; idNumber?: string }) {
    setBusy(true);
    setError(null);
    try {
      const body: ApplyBody = {
        kind: v.kind,
        // Only a hint: the national exchange locates the old place from its index (for bridging: the
        // province of the other scheme, which checks its own record).
        ...(v.fromProvince ? { fromProvince: v.fromProvince } : {}),
        ...(v.idNumber ? { idNumber: v.idNumber.trim() } : {}),
      };
      const r = await request<Applied>('POST', '/api/v1/transfers', body);
      form.resetFields();
      setKind('pension');
      onDone(r.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={t('fed.apply.title')} style={{ marginBottom: 16 }}>
      {/* no band above the text (a paragraph's own top margin) nor under the button (the last row's
          item margin): the card stood 16 px and 24 px wider than its neighbours there */}
      <p data-testid="transfer-intro" style={{ marginTop: 0 }}>
        {t(kind === 'pension' ? 'fed.apply.intro' : (`fed.apply.intro.${kind}` as MessageKey))}
      </p>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        className="form-row"
        style={{ marginBottom: -24 }}
        initialValues={{ kind: 'pension' }}
        onValuesChange={(c: { kind?: Kind }) => {
          if (c.kind) setKind(c.kind);
        }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="kind" label={t('fed.apply.kind')}>
          <Select
            style={{ width: 220 }}
            data-testid="transfer-kind-select"
            options={KINDS.map((k) => ({ value: k, label: t(`fed.kind.${k}` as MessageKey) }))}
          />
        </Form.Item>
        <Form.Item
          name="fromProvince"
          label={t(kind === 'scheme-bridging' ? 'fed.apply.other' : 'fed.apply.from')}
        >
          <Select
            style={{ width: 220 }}
            showSearch
            allowClear
            optionFilterProp="label"
            data-testid="transfer-from"
            options={provinces.map((p) => ({ value: p.code, label: lang === 'zh-CN' ? p.nameZh : p.nameEn }))}
          />
        </Form.Item>
        {staff ? (
          <Form.Item
            name="idNumber"
            label={t('fed.apply.idNumber')}
            rules={idNumberRules(lang, { eighteen: true })}
          >
            <Input style={{ width: 220 }} data-testid="transfer-id-number" />
          </Form.Item>
        ) : null}
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="transfer-apply">
            {t('fed.apply.submit')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function TransferTable({
  items,
  base,
  regions,
}: {
  items: Transfer[];
  base: string;
  regions: Region[] | undefined;
}) {
  const { t, lang } = useI18n();
  return (
    <Table<Transfer>
      rowKey="id"
      size="small"
      dataSource={items}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      columns={[
        {
          title: t('fed.col.id'),
          dataIndex: 'id',
          render: (id: number) => <Link to={`${base}/${id}`}>#{id}</Link>,
        },
        {
          title: t('fed.col.kind'),
          dataIndex: 'kind',
          render: (k: Transfer['kind']) => <KindTag kind={k} />,
        },
        {
          title: t('fed.col.direction'),
          dataIndex: 'direction',
          render: (d: Transfer['direction']) => t(`fed.direction.${d}` as MessageKey),
        },
        {
          title: t('fed.col.route'),
          render: (_: unknown, r) =>
            `${provinceName(regions, r.fromProvince, lang, t)} → ${provinceName(regions, r.toProvince, lang, t)}`,
        },
        {
          title: t('fed.col.status'),
          dataIndex: 'status',
          render: (s: Transfer['status']) => <StatusTag status={s} />,
        },
        {
          title: t('fed.col.months'),
          dataIndex: 'months',
          align: 'right',
          // not known until the old place has answered: a dash, as the amount beside it (it was blank)
          render: (v: number | null) => (v === null ? '—' : formatCountOf(v, 'months', lang)),
        },
        {
          title: t('fed.col.total'),
          dataIndex: 'totalFen',
          align: 'right',
          render: (v: number | null) => formatMoney(v),
        },
        {
          title: t('fed.col.updated'),
          render: (_: unknown, r) => {
            const last = r.steps.at(-1);
            return last ? `${t(`fed.step.${last.step}` as MessageKey)} · ${formatDate(last.on, lang)}` : '';
          },
        },
      ]}
    />
  );
}

function TransfersPage({ staff }: { staff: boolean }) {
  const { t } = useI18n();
  const list = useLoad(() => request<Transfer[]>('GET', '/api/v1/transfers'), []);
  const regions = useProvinces();
  const base = staff ? '/agency/transfers' : '/citizen/transfers';
  const title = t(staff ? 'page.agency.transfers' : 'page.citizen.transfers');
  if (notFederated(list.error)) return <NotFederated title={title} />;
  return (
    <>
      <PageTitle>{title}</PageTitle>
      {/* The person's own retirement collection, if any: the transfers below include the ones it opened. */}
      {staff ? null : <MyCollections />}
      <ApplyCard staff={staff} onDone={(id) => navigate(`${base}/${id}`)} />
      <Card title={t('fed.list.title')}>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data && list.data.length === 0 ? <EmptyState title={t('fed.none')} /> : null}
        {list.data && list.data.length > 0 ? (
          <TransferTable items={list.data} base={base} regions={regions.data} />
        ) : null}
      </Card>
    </>
  );
}

export function MyTransfersPage() {
  return <TransfersPage staff={false} />;
}

export function AgencyTransfersPage() {
  return <TransfersPage staff />;
}

export function TransferDetailPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const id = Number(params['id']);
  const r = useLoad(() => request<Transfer>('GET', `/api/v1/transfers/${id}`), [id]);
  const regions = useProvinces();
  const back = user?.role === 'citizen' ? '/citizen/transfers' : '/agency/transfers';
  return (
    <>
      <PageTitle
        extra={
          <Link to={back}>
            {t(user?.role === 'citizen' ? 'page.citizen.transfers' : 'page.agency.transfers')}
          </Link>
        }
      >
        {t('fed.detail.title', { id })}
      </PageTitle>
      <ErrorAlert error={r.error} onRetry={r.reload} />
      {r.loading && !r.data ? <Loading /> : null}
      {r.data ? (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Card data-testid="transfer-summary">
            <Space wrap>
              <KindTag kind={r.data.kind} />
              <StatusTag status={r.data.status} />
              <span>
                {provinceName(regions.data, r.data.fromProvince, lang, t)} →{' '}
                {provinceName(regions.data, r.data.toProvince, lang, t)}
              </span>
              {/* The citizen applied themselves: the applicant's login name is for staff, as on 跨省通办. */}
              {user?.role === 'citizen' ? null : (
                <Typography.Text type="secondary">
                  {t('fed.detail.appliedBy', { who: r.data.appliedBy })}
                </Typography.Text>
              )}
              <Button size="small" onClick={r.reload}>
                ↻
              </Button>
            </Space>
            {r.data.status === 'refused' ? (
              <Alert
                style={{ marginTop: 12 }}
                type="error"
                message={t('fed.detail.refused', {
                  reason: r.data.note ? noteInLanguage(r.data.note, lang) : '',
                })}
              />
            ) : null}
          </Card>
          <Card title={t('fed.detail.progress')}>
            <TransferTimeline transfer={r.data} regions={regions.data} />
          </Card>
          <Card title={t('fed.detail.amounts')}>
            <TransferAmounts transfer={r.data} />
          </Card>
        </Space>
      ) : null}
    </>
  );
}
