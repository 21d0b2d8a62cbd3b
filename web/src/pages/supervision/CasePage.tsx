// 监管案件详情: the finding and its evidence, the investigation (notes and evidence references), the
// decision (proposed by the supervisor, released by a reviewer: amount to recover, fraud and the
// fine of 2–5×, fund and plan), the repayment plan and what was collected against it.
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState, type ReactNode } from 'react';
import { supervisionApi, type Decision, type SupervisionCase } from '../../api-supervision.ts';
import type { PageProps } from '../../pages.tsx';
import { PLAN_KINDS, RECOVERY_FUNDS, type RecoveryFund } from '../../../../src/supervision/case-codes.ts';
import { emptyTable, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { IsoDatePicker } from '../../components/DatePicker.tsx';
import { MoneyInput, moneyRule } from '../../components/MoneyInput.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useCodeText } from '../../components/registry.tsx';
import {
  fenToYuan,
  formatCount,
  formatDate,
  formatMoney,
  formatPeriod,
  todayIso,
  yuanToFen,
} from '../../format.ts';
import { evidenceList, evidenceScalar, isRecordList, isThresholdList } from './evidence.ts';
import { findingSummary } from './summary.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import { CASE_COLOR } from './CasesPage.tsx';

type Plan = SupervisionCase['plan'][number];
type Collection = SupervisionCase['collections'][number];

interface DecisionValues {
  overpaidYuan: string;
  fraud: boolean;
  fineMultiplier?: number;
  fund?: RecoveryFund;
  planKind?: (typeof PLAN_KINDS)[number];
  dueDate?: string;
  count?: number;
  monthlyYuan?: string;
  firstPeriod?: string;
  reasoning: string;
}

/** The finding's evidence field by field, in words (evidence.ts), a list of records as a table; an
 * award by what `award` says of it (whose, which scheme, how much) rather than its record number. */
function Evidence({ evidence, award }: { evidence: unknown; award: (id: number) => ReactNode }) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence)) return null;
  const shown = Object.entries(evidence).filter(
    ([, v]) => v !== null && !(Array.isArray(v) && v.length === 0),
  );
  const value = (key: string, v: unknown): ReactNode => {
    if (key === 'awardId' && typeof v === 'number') return award(v);
    if (key === 'awardIds' && Array.isArray(v) && v.every((x) => typeof x === 'number'))
      return v.map((x) => <div key={x}>{award(x)}</div>);
    if (isThresholdList(v))
      return (
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {v.map((th) => (
            <li key={th.path}>
              {code('sv.ev.threshold', th.path)}：{formatCount(th.value)}
            </li>
          ))}
        </ul>
      );
    if (isRecordList(v)) {
      const keys = Object.keys(v[0] ?? {});
      return (
        <Table<Record<string, unknown>>
          size="small"
          pagination={false}
          rowKey={(r) => keys.map((c) => String(r[c])).join('|')}
          dataSource={v}
          columns={keys.map((c) => ({
            title: code('sv.ev', c),
            dataIndex: c,
            ...(c.endsWith('Fen') ? { align: 'right' as const } : {}),
            render: (x: unknown) => evidenceScalar(c, x, lang, code),
          }))}
        />
      );
    }
    return Array.isArray(v) ? evidenceList(key, v, lang, code) : evidenceScalar(key, v, lang, code);
  };
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      title={t('sv.ev.title')}
      style={{ margin: '16px 0' }}
      items={shown.map(([key, v]) => ({ key, label: code('sv.ev', key), children: value(key, v) }))}
    />
  );
}

export function CasePage({ params }: PageProps) {
  const id = Number(params['id']);
  const { t, lang } = useI18n();
  const code = useCodeText();
  const { message } = App.useApp();
  const c = useLoad(() => supervisionApi.case(id), [id]);
  const [noteForm] = Form.useForm<{ kind: 'note' | 'evidence'; text: string; ref?: string }>();
  const [decForm] = Form.useForm<DecisionValues>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fraud = Form.useWatch('fraud', decForm);
  const planKind = Form.useWatch('planKind', decForm);
  const overpaid = Form.useWatch('overpaidYuan', decForm);

  if (c.loading && !c.data) return <Loading />;
  if (!c.data) return <ErrorAlert error={c.error} onRetry={c.reload} />;
  const k = c.data;
  // An award as the supervisor acts on it: the pensioner (a link to their record), the scheme, the
  // monthly amount and its status — "养老金待遇 #397" told them nothing. The awards are the ones the
  // case view already reads (through the pension service, audited there).
  const awardText = (a: SupervisionCase['awards'][number]) =>
    t('sv.awardLine', {
      scheme: code('scheme', a.scheme),
      amount: formatMoney(a.monthlyFen),
      status: code('pension.status', a.status),
    });
  const award = (awardId: number): ReactNode => {
    const a = k.awards.find((x) => x.id === awardId);
    if (!a) return `#${awardId}`;
    return (
      <>
        {k.personId ? <Link to={`/agency/persons/${k.personId}`}>{k.personName}</Link> : null} {awardText(a)}
      </>
    );
  };

  const addNote = async (v: { kind: 'note' | 'evidence'; text: string; ref?: string }) => {
    setError(null);
    try {
      await supervisionApi.addNote(id, {
        kind: v.kind,
        text: v.text.trim(),
        ...(v.ref?.trim() ? { ref: v.ref.trim() } : {}),
      });
      noteForm.resetFields();
      c.reload();
    } catch (e) {
      setError(e);
    }
  };
  const propose = async (v: DecisionValues) => {
    setError(null);
    const fen = yuanToFen(v.overpaidYuan) ?? -1;
    const plan: Decision['plan'] =
      fen === 0 || !v.planKind
        ? null
        : v.planKind === 'lump'
          ? { kind: 'lump', dueDate: v.dueDate ?? '' }
          : v.planKind === 'instalments'
            ? { kind: 'instalments', count: v.count ?? 2, firstDueDate: v.dueDate ?? '' }
            : {
                kind: 'offset',
                monthlyFen: yuanToFen(v.monthlyYuan ?? '') ?? 0,
                firstPeriod: v.firstPeriod ?? '',
              };
    setBusy(true);
    try {
      await supervisionApi.decide(id, {
        version: k.version,
        fraud: v.fraud,
        overpaidFen: fen,
        fineMultiplierPct: v.fraud ? Math.round((v.fineMultiplier ?? 2) * 100) : null,
        fund: fen === 0 ? null : (v.fund ?? null),
        plan,
        reasoning: v.reasoning.trim(),
      });
      void message.success(t('sv.decision.proposed'));
      c.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const planColumns: ColumnsType<Plan> = [
    { title: t('sv.instalment'), dataIndex: 'seq' },
    {
      title: t('sv.due'),
      key: 'due',
      render: (_: unknown, p) =>
        p.dueDate ? formatDate(p.dueDate, lang) : p.period ? formatPeriod(p.period, lang) : '—',
    },
    { title: t('sv.owed'), dataIndex: 'amountFen', align: 'right', render: (v: number) => formatMoney(v) },
    {
      title: t('sv.status'),
      dataIndex: 'status',
      render: (s: string) => (
        <Tag color={s === 'paid' ? 'green' : s === 'overdue' ? 'red' : 'default'}>{code('sv.status', s)}</Tag>
      ),
    },
  ];
  const collColumns: ColumnsType<Collection> = [
    { title: '#', dataIndex: 'id' },
    { title: t('sv.plan'), dataIndex: 'kind', render: (s: string) => code('sv.collection', s) },
    {
      title: t('sv.recovered'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (v: number) => formatMoney(v),
    },
    {
      title: t('sv.due'),
      key: 'when',
      render: (_: unknown, x) =>
        x.receivedDate ? formatDate(x.receivedDate, lang) : x.period ? formatPeriod(x.period, lang) : '—',
    },
    {
      title: t('sv.status'),
      dataIndex: 'status',
      render: (s: string) => <Tag>{code('recovery.collect.status', s)}</Tag>,
    },
  ];
  const fineFen =
    fraud && overpaid
      ? Math.round(
          ((yuanToFen(overpaid) ?? 0) *
            Math.round(((decForm.getFieldValue('fineMultiplier') as number | undefined) ?? 2) * 100)) /
            100,
        )
      : 0;

  return (
    <>
      <PageTitle extra={<Tag color={CASE_COLOR[k.status] ?? 'default'}>{code('sv.status', k.status)}</Tag>}>
        {t('sv.case', { id: k.id })} · {lang === 'zh-CN' ? k.finding.detectorZh : k.finding.detectorEn}
      </PageTitle>
      <ErrorAlert error={error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('sv.finding', { id: k.finding.id })}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('sv.subject')}>
                {k.personId ? (
                  <Link to={`/agency/persons/${k.personId}`}>{k.personName}</Link>
                ) : (
                  (k.employerName ?? '—')
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('sv.summary')}>
                {findingSummary(
                  { ...k.finding, personName: k.personName, employerName: k.employerName },
                  lang,
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('sv.amountAtRisk')}>
                {formatMoney(k.finding.amountAtRiskFen)}
              </Descriptions.Item>
              <Descriptions.Item label={t('sv.period')}>
                {k.finding.periodFrom
                  ? `${formatPeriod(k.finding.periodFrom, lang)} – ${k.finding.periodTo ? formatPeriod(k.finding.periodTo, lang) : ''}`
                  : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('sv.foundOn')}>
                {formatDate(k.finding.foundOn, lang)}
              </Descriptions.Item>
            </Descriptions>
            <Evidence evidence={k.finding.evidence} award={award} />
            {k.awards.length > 0 ? (
              <Descriptions column={1} size="small" title={t('sv.awards')}>
                {k.awards.map((a) => (
                  <Descriptions.Item
                    key={a.id}
                    label={
                      k.personName ? <span translate="no">{k.personName}</span> : code('scheme', a.scheme)
                    }
                  >
                    {awardText(a)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            ) : null}
            {k.otherRecoveries.length > 0 ? (
              <Alert
                type="warning"
                showIcon
                title={t('sv.others')}
                description={k.otherRecoveries
                  .map(
                    (o) =>
                      `${code('sv.source', o.source)} ${formatMoney(o.amountFen)}（${code('sv.status', o.status)}）`,
                  )
                  .join('；')}
              />
            ) : null}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('sv.investigation')}>
            <List
              size="small"
              dataSource={k.notes}
              renderItem={(n) => (
                <List.Item>
                  <Space direction="vertical" size={0}>
                    <span>
                      <Tag color={n.kind === 'evidence' ? 'purple' : 'default'}>
                        {t(n.kind === 'evidence' ? 'sv.evidence' : 'sv.note')}
                      </Tag>
                      {n.text}
                      {n.ref ? <code style={{ marginLeft: 8 }}>{n.ref}</code> : null}
                    </span>
                    <small style={{ color: '#888' }}>
                      {n.createdByName ?? n.createdBy} · {formatDate(n.createdAt, lang)}
                    </small>
                  </Space>
                </List.Item>
              )}
            />
            {k.status === 'closed' ? null : (
              <Form
                form={noteForm}
                layout="vertical"
                onFinish={(v) => void addNote(v)}
                initialValues={{ kind: 'note' }}
              >
                <Form.Item name="kind">
                  <Radio.Group
                    options={[
                      { value: 'note', label: t('sv.note') },
                      { value: 'evidence', label: t('sv.evidence') },
                    ]}
                  />
                </Form.Item>
                <Form.Item
                  name="text"
                  label={t('sv.noteText')}
                  rules={[{ required: true, whitespace: true, message: t('form.required') }]}
                >
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
                <Form.Item name="ref" label={t('sv.evidence.ref')}>
                  <Input maxLength={200} />
                </Form.Item>
                <Button htmlType="submit">{t('sv.addNote')}</Button>
              </Form>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('sv.decision')}>
            {k.decision ? (
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('sv.owed')}>
                  {formatMoney(k.decision.overpaidFen)}
                </Descriptions.Item>
                <Descriptions.Item label={t('sv.fraud')}>{k.decision.fraud ? '✔' : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('sv.fine')}>
                  {formatMoney(k.decision.fineFen)}
                  {k.decision.fineMultiplierPct ? `（${k.decision.fineMultiplierPct / 100} ×）` : ''}
                </Descriptions.Item>
                <Descriptions.Item label={t('sv.fund')}>{code('sv.fund', k.decision.fund)}</Descriptions.Item>
                <Descriptions.Item label={t('sv.plan')}>
                  {code('sv.plan', k.decision.planKind)}
                </Descriptions.Item>
                <Descriptions.Item label={t('sv.reasoning')}>{k.decision.reasoning}</Descriptions.Item>
                <Descriptions.Item label={t('sv.decidedBy')}>
                  {k.decision.decidedByName ?? k.decision.decidedBy}
                </Descriptions.Item>
              </Descriptions>
            ) : k.pendingApprovalId !== null ? (
              <Alert type="info" showIcon title={t('sv.decision.pending', { id: k.pendingApprovalId })} />
            ) : (
              <Form
                form={decForm}
                layout="vertical"
                onFinish={(v) => void propose(v)}
                initialValues={{
                  overpaidYuan: fenToYuan(k.finding.amountAtRiskFen),
                  fraud: false,
                  fineMultiplier: 2,
                  fund: 'employee_pension',
                  planKind: 'lump',
                  count: 3,
                  dueDate: todayIso(),
                }}
              >
                <Form.Item
                  name="overpaidYuan"
                  label={t('sv.overpaid')}
                  rules={[{ required: true, message: t('form.required') }, moneyRule(t)]}
                >
                  <MoneyInput />
                </Form.Item>
                <Form.Item name="fraud" valuePropName="checked">
                  <Checkbox>{t('sv.fraud')}</Checkbox>
                </Form.Item>
                {fraud ? (
                  <Form.Item
                    name="fineMultiplier"
                    label={t('sv.fineMultiplier')}
                    extra={`${t('sv.fine')} ${formatMoney(fineFen)} · ${t('sv.fine.hint')}`}
                  >
                    <InputNumber min={2} max={5} step={0.5} />
                  </Form.Item>
                ) : null}
                <Form.Item name="fund" label={t('sv.fund')}>
                  <Select
                    options={RECOVERY_FUNDS.map((f) => ({
                      value: f,
                      label: t(`sv.fund.${f}`),
                    }))}
                  />
                </Form.Item>
                <Form.Item name="planKind" label={t('sv.plan')}>
                  <Radio.Group
                    options={PLAN_KINDS.map((p) => ({
                      value: p,
                      label: t(`sv.plan.${p}`),
                    }))}
                  />
                </Form.Item>
                {planKind === 'offset' ? (
                  <>
                    <Form.Item
                      name="monthlyYuan"
                      label={t('sv.plan.monthly')}
                      rules={[{ required: true, message: t('form.required') }, moneyRule(t)]}
                    >
                      <MoneyInput />
                    </Form.Item>
                    <Form.Item
                      name="firstPeriod"
                      label={t('sv.plan.firstPeriod')}
                      rules={[{ required: true, message: t('form.required') }]}
                    >
                      <IsoDatePicker picker="month" style={{ width: 170 }} />
                    </Form.Item>
                  </>
                ) : (
                  <>
                    {planKind === 'instalments' ? (
                      <Form.Item name="count" label={t('sv.plan.count')}>
                        <InputNumber min={2} max={60} />
                      </Form.Item>
                    ) : null}
                    <Form.Item
                      name="dueDate"
                      label={t(planKind === 'instalments' ? 'sv.plan.firstDueDate' : 'sv.plan.dueDate')}
                      rules={[{ required: true, message: t('form.required') }]}
                    >
                      <IsoDatePicker style={{ width: 170 }} />
                    </Form.Item>
                  </>
                )}
                <Form.Item
                  name="reasoning"
                  label={t('sv.reasoning')}
                  rules={[{ required: true, whitespace: true, min: 2, message: t('form.required') }]}
                >
                  <Input.TextArea rows={3} maxLength={2000} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t('sv.decision.propose')}
                </Button>
              </Form>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('sv.recovery')}>
            {k.recovery ? (
              <>
                <Row gutter={16} style={{ marginBottom: 16 }}>
                  <Col span={8}>
                    <Statistic title={t('sv.owed')} value={formatMoney(k.recovery.amountFen)} />
                  </Col>
                  <Col span={8}>
                    <Statistic title={t('sv.recovered')} value={formatMoney(k.recovery.recoveredFen)} />
                  </Col>
                  <Col span={8}>
                    <Statistic
                      title={t('sv.outstanding')}
                      value={formatMoney(k.recovery.amountFen - k.recovery.recoveredFen)}
                    />
                  </Col>
                </Row>
                <Alert type="info" showIcon title={t('sv.recovery.hint')} style={{ marginBottom: 12 }} />
                <Table<Plan>
                  rowKey="seq"
                  size="small"
                  columns={planColumns}
                  dataSource={k.plan}
                  pagination={false}
                />
                <h4 style={{ marginTop: 16 }}>{t('sv.collections')}</h4>
                <Table<Collection>
                  rowKey="id"
                  size="small"
                  columns={collColumns}
                  dataSource={k.collections}
                  locale={emptyTable(t('empty.case.collections'), t('empty.case.collections.hint'))}
                  pagination={false}
                />
              </>
            ) : (
              // No recovery yet: say what opens one, or that none is due, rather than a bare dash.
              <Alert
                type="info"
                showIcon
                title={t(
                  k.pendingApprovalId !== null
                    ? 'sv.recovery.pending'
                    : k.decision
                      ? 'sv.recovery.none'
                      : 'sv.recovery.undecided',
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
