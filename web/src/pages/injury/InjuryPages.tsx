// Work injury (工伤) pages for the three portals (issue 13): report and cases (the worker's own, the
// employer's, the agency's queue with deadlines), the case with every deadline, documents, the
// decision letter, appraisals and benefits (agency actions on the same page), what an employer owes,
// and the region's statistics. The server decides every request; buttons follow web/src/access.ts.
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { request, type Answer, type Item, type Person } from '../../api.ts';
import { portalOf, useAuth, useCan } from '../../auth.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { DatePicker, IsoDatePicker } from '../../components/DatePicker.tsx';
import { MoneyInput } from '../../components/MoneyInput.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { EmptyState, emptyTable, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { ApprovalTable } from '../../components/approvals.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatCountOf, formatDate, formatMoney, formatPeriod, todayIso, yuanToFen } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';
import { Link, navigate } from '../../router.tsx';
import type { PageProps } from '../../pages.tsx';
import { RehabPanel } from './SettlementPages.tsx';
import {
  BENEFIT_KINDS,
  CASE_KINDS,
  DOCUMENT_KINDS,
  NURSING_LEVELS,
  RECOGNITION_OUTCOMES,
} from '../../../../src/injury/injury-codes.rules.ts';

type InjuryCase = Answer<'/api/v1/injury/cases/{id}'>;
type Deadline = Item<InjuryCase['deadlines']>;
type Appraisal = Item<InjuryCase['appraisals']>;
type Benefit = Item<InjuryCase['benefits']>;
type CaseItem = Item<Answer<'/api/v1/injury/cases'>['items']>;

const STATUS_COLOR: Record<string, string> = {
  reported: 'blue',
  accepted: 'cyan',
  suspended: 'orange',
  recognised: 'green',
  not_recognised: 'red',
  withdrawn: 'default',
};

function usePortal() {
  const { user } = useAuth();
  return user ? portalOf(user.role) : 'citizen';
}

function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status] ?? 'default'}>{t(`injury.status.${status}` as MessageKey)}</Tag>;
}

// ---- report form and the case list (all portals) ----

function ReportForm({ onDone }: { onDone: (id: number) => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<{
    idNumber: string;
    accidentDate: string;
    description: string;
    kind: string;
  }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { user } = useAuth();
  // A worker applies for themself: their own ID number is filled in.
  const ownPerson = user?.role === 'citizen' ? user.personId : null;
  useLoad(
    ownPerson === null
      ? null
      : () =>
          request<Person>('GET', `/api/v1/persons/${ownPerson}`).then((p) => {
            form.setFieldValue('idNumber', p.idNumber);
            return p;
          }),
    [ownPerson],
  );
  return (
    <Card title={t('injury.report.title')}>
      <Typography.Paragraph type="secondary">{t('injury.report.intro')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'injury', accidentDate: todayIso() }}
        onFinish={(v) => {
          setBusy(true);
          setError(null);
          request<Answer<'/api/v1/injury/reports', 'post'>>('POST', '/api/v1/injury/reports', v)
            .then((c) => {
              form.resetFields();
              onDone(c.id);
            })
            .catch(setError)
            .finally(() => setBusy(false));
        }}
      >
        <Space wrap align="start">
          <Form.Item name="idNumber" label={t('injury.idNumber')} rules={idNumberRules(lang)}>
            <Input style={{ width: 220 }} maxLength={18} />
          </Form.Item>
          {/* The shared picker: the day in words (a bare date box showed 12/04/2026 on a Chinese page);
              the form keeps the ISO day the route takes. */}
          <Form.Item
            name="accidentDate"
            label={t('injury.accidentDate')}
            rules={[{ required: true }]}
            getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : null })}
            normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
          >
            <DatePicker allowClear={false} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item name="kind" label={t('injury.kind')}>
            <Select
              style={{ width: 150 }}
              options={CASE_KINDS.map((k) => ({ value: k, label: t(`injury.kind.${k}`) }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="description" label={t('injury.description')} rules={[{ required: true }]}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('injury.report.submit')}
        </Button>
      </Form>
    </Card>
  );
}

export function InjuryCasesPage() {
  const { t, lang } = useI18n();
  const can = useCan();
  const portal = usePortal();
  const [status, setStatus] = useState<string | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const [refresh, setRefresh] = useState(0);
  const { data, error, loading, reload } = useLoad(
    () =>
      request<Answer<'/api/v1/injury/cases'>>('GET', '/api/v1/injury/cases', undefined, {
        page,
        pageSize: 20,
        ...(status ? { status } : {}),
        ...(overdue ? { overdue: 'true' } : {}),
      }),
    [page, status, overdue, refresh],
  );
  const agency = portal === 'agency';
  return (
    <>
      <PageTitle>
        {t(
          agency
            ? 'page.agency.injury'
            : portal === 'employer'
              ? 'page.employer.injury'
              : 'page.citizen.injury',
        )}
      </PageTitle>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {can('injury.report') && portal !== 'agency' ? (
          <ReportForm onDone={(id) => navigate(`/${portal}/injury/${id}`)} />
        ) : null}
        {agency && can('money.release') ? (
          <Card title={t('injury.approvals')}>
            <ApprovalTable
              kinds={['injury-recognition', 'injury-benefit', 'injury-payroll']}
              status="prepared"
              canDecide
              onDecided={() => setRefresh((n) => n + 1)}
            />
          </Card>
        ) : null}
        <ErrorAlert error={error} onRetry={reload} />
        <Card
          title={t('injury.cases')}
          extra={
            agency ? (
              <Space wrap>
                <Select
                  allowClear
                  placeholder={t('injury.status')}
                  aria-label={t('injury.status')}
                  style={{ width: 140 }}
                  value={status}
                  onChange={(v) => {
                    setStatus(v);
                    setPage(1);
                  }}
                  options={Object.keys(STATUS_COLOR).map((s) => ({
                    value: s,
                    label: t(`injury.status.${s}` as MessageKey),
                  }))}
                />
                <Button
                  type={overdue ? 'primary' : 'default'}
                  danger={overdue}
                  onClick={() => setOverdue(!overdue)}
                >
                  {t('injury.overdueOnly')}
                </Button>
              </Space>
            ) : null
          }
        >
          <Table<CaseItem>
            rowKey="id"
            loading={loading}
            dataSource={data?.items ?? []}
            locale={{ emptyText: <EmptyState title={t('injury.empty')} /> }}
            pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage }}
            columns={[
              {
                title: '#',
                dataIndex: 'id',
                width: 70,
                render: (id: number) => <Link to={`/${portal}/injury/${id}`}>{id}</Link>,
              },
              {
                title: t('injury.worker'),
                render: (_, c) => <Link to={`/${portal}/injury/${c.id}`}>{c.personName}</Link>,
              },
              ...(portal === 'agency' ? [{ title: t('injury.employer'), dataIndex: 'employerName' }] : []),
              // The days unbroken: squeezed, 2026年12月3日 broke as 2026年12 / 月3日.
              {
                title: t('injury.accidentDate'),
                onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
                render: (_, c) => formatDate(c.accidentDate, lang),
              },
              {
                title: t('injury.status'),
                render: (_, c) => (
                  <Space size={4} wrap>
                    <StatusTag status={c.status} />
                    {c.pendingApprovalId ? <Tag color="purple">{t('injury.awaitingReview')}</Tag> : null}
                    {c.lateDays > 0 ? (
                      <Tag color="volcano">{t('injury.late', { days: c.lateDays })}</Tag>
                    ) : null}
                    {!c.employerInsured ? <Tag color="magenta">{t('injury.uninsured')}</Tag> : null}
                  </Space>
                ),
              },
              {
                title: t('injury.nextDeadline'),
                render: (_, c) =>
                  c.nextDeadline ? (
                    <Space size={4} wrap>
                      <span>{t(`injury.deadline.${c.nextDeadlineKey ?? ''}` as MessageKey)}</span>
                      <span style={{ whiteSpace: 'nowrap' }}>{formatDate(c.nextDeadline, lang)}</span>
                    </Space>
                  ) : (
                    '—'
                  ),
              },
              {
                title: t('injury.overdue'),
                render: (_, c) => (c.overdue ? <Tag color="red">{t('injury.overdue')}</Tag> : null),
              },
            ]}
          />
        </Card>
        {agency ? <PayrollCard /> : null}
      </Space>
    </>
  );
}

function PayrollCard() {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const can = useCan();
  const { message } = App.useApp();
  const [period, setPeriod] = useState(todayIso().slice(0, 7));
  const [error, setError] = useState<unknown>(null);
  const { data, reload } = useLoad(
    () => request<Answer<'/api/v1/injury/payroll'>>('GET', '/api/v1/injury/payroll'),
    [],
  );
  return (
    <Card title={t('injury.payroll')}>
      <Typography.Paragraph type="secondary">{t('injury.payroll.intro')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      {can('injury.payroll') ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <IsoDatePicker
            picker="month"
            allowClear={false}
            value={period}
            onChange={setPeriod}
            aria-label={t('injury.period')}
            style={{ width: 160 }}
          />
          <Button
            onClick={() => {
              setError(null);
              request('POST', '/api/v1/injury/payroll', { period })
                .then(() => {
                  void message.success(t('injury.prepared'));
                  reload();
                })
                .catch(setError);
            }}
          >
            {t('injury.payroll.prepare')}
          </Button>
        </Space>
      ) : null}
      <Table
        rowKey="period"
        size="small"
        pagination={false}
        dataSource={data?.items ?? []}
        locale={emptyTable(
          t('empty.injury.payroll'),
          t(can('injury.payroll') ? 'empty.injury.payroll.hint' : 'empty.injury.payroll.view'),
        )}
        columns={[
          // the month in words and the run's state by name (they showed 2026-11 and done)
          { title: t('injury.period'), dataIndex: 'period', render: (p: string) => formatPeriod(p, lang) },
          {
            title: t('injury.status'),
            dataIndex: 'status',
            render: (s: string) => (
              <Tag color={s === 'done' ? 'green' : 'blue'}>{code('payroll.status', s)}</Tag>
            ),
          },
          {
            title: t('injury.payments'),
            dataIndex: 'payments',
            align: 'right',
            render: (n: number) => formatCountOf(n, 'payments', lang),
          },
          {
            title: t('injury.amount'),
            align: 'right',
            render: (_, r: { totalFen: number }) => formatMoney(r.totalFen),
          },
        ]}
      />
    </Card>
  );
}

// ---- one case ----

const readFile = (file: File): Promise<string> =>
  new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = typeof r.result === 'string' ? r.result : '';
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('read'));
    r.readAsDataURL(file);
  });

export function InjuryCasePage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const can = useCan();
  const portal = usePortal();
  const { message } = App.useApp();
  const id = Number(params['id']);
  const {
    data: c,
    error,
    loading,
    reload,
  } = useLoad(() => request<InjuryCase>('GET', `/api/v1/injury/cases/${id}`), [id]);
  const [actionError, setActionError] = useState<unknown>(null);
  const [letter, setLetter] = useState<Answer<'/api/v1/injury/cases/{id}/letter'> | null>(null);
  const [docKind, setDocKind] = useState('medical');
  const staff = can('injury.handle');
  const act = (path: string, body: unknown = {}, done?: string) => {
    setActionError(null);
    request('POST', `/api/v1/injury/cases/${id}/${path}`, body)
      .then(() => {
        if (done) void message.success(done);
        reload();
      })
      .catch(setActionError);
  };
  if (loading && !c) return <Loading />;
  if (!c) return <ErrorAlert error={error} onRetry={reload} />;
  const pendingAppraisal = c.appraisals.find((a) => a.status === 'pending');
  const decided = c.status === 'recognised' || c.status === 'not_recognised';
  return (
    <>
      <PageTitle extra={<Link to={`/${portal}/injury`}>{t('injury.back')}</Link>}>
        {t('injury.case', { id: c.id })}
      </PageTitle>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <ErrorAlert error={actionError} />
        {c.overdue ? <Alert type="error" showIcon message={t('injury.overdueAlert')} /> : null}
        {c.lateDays > 0 ? (
          <Alert type="warning" showIcon message={t('injury.lateAlert', { days: c.lateDays })} />
        ) : null}
        {!c.employerInsured ? <Alert type="warning" showIcon message={t('injury.uninsuredAlert')} /> : null}
        <Card>
          <Descriptions column={{ xs: 1, sm: 2 }} size="small">
            <Descriptions.Item label={t('injury.worker')}>{c.personName}</Descriptions.Item>
            <Descriptions.Item label={t('injury.employer')}>{c.employerName}</Descriptions.Item>
            <Descriptions.Item label={t('injury.status')}>
              <Space size={4}>
                <StatusTag status={c.status} />
                {c.pendingApprovalId ? <Tag color="purple">{t('injury.awaitingReview')}</Tag> : null}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('injury.accidentDate')}>
              {formatDate(c.accidentDate, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={t('injury.reportedDate')}>
              {formatDate(c.reportedDate, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={t('injury.kind')}>
              {t(`injury.kind.${c.kind}` as MessageKey)}
            </Descriptions.Item>
            <Descriptions.Item label={t('injury.description')} span={2}>
              {c.description}
            </Descriptions.Item>
          </Descriptions>
          {decided ? (
            <Button
              style={{ marginTop: 8 }}
              onClick={() => {
                request<Answer<'/api/v1/injury/cases/{id}/letter'>>(
                  'GET',
                  `/api/v1/injury/cases/${id}/letter`,
                )
                  .then(setLetter)
                  .catch(setActionError);
              }}
            >
              {t('injury.letter')}
            </Button>
          ) : null}
        </Card>
        {staff && !decided && c.status !== 'withdrawn' ? (
          <Card title={t('injury.actions')}>
            <Space wrap>
              {c.status === 'reported' ? (
                <>
                  <Button type="primary" onClick={() => act('accept', {}, t('injury.accepted'))}>
                    {t('injury.accept')}
                  </Button>
                  <Button onClick={() => act('accept', { simpleCase: true }, t('injury.accepted'))}>
                    {t('injury.acceptSimple')}
                  </Button>
                </>
              ) : null}
              {c.status === 'accepted' && !c.pendingApprovalId ? (
                <DecisionForm onSubmit={(v) => act('decision', v, t('injury.prepared'))} />
              ) : null}
              {c.status === 'accepted' && !c.pendingApprovalId ? (
                <SuspendButton onSubmit={(reason) => act('suspend', { reason })} />
              ) : null}
              {c.status === 'suspended' ? (
                <Button onClick={() => act('resume')}>{t('injury.resume')}</Button>
              ) : null}
              {c.status === 'accepted' && c.pendingApprovalId ? (
                <Typography.Text type="secondary">{t('injury.prepared')}</Typography.Text>
              ) : null}
            </Space>
          </Card>
        ) : null}
        {c.status === 'recognised' && can('rehab.read') ? <RehabPanel caseId={c.id} /> : null}
        <Card title={t('injury.deadlines')}>
          <Table<Deadline>
            rowKey="key"
            size="small"
            pagination={false}
            locale={{ emptyText: <EmptyState title={t('injury.deadlines.none')} /> }}
            dataSource={c.deadlines}
            columns={[
              { title: t('injury.deadline'), render: (_, d) => t(`injury.deadline.${d.key}` as MessageKey) },
              {
                title: t('injury.date'),
                render: (_, d) => (d.date ? formatDate(d.date, lang) : t('injury.suspendedClock')),
              },
              { title: t('injury.doneOn'), render: (_, d) => (d.doneOn ? formatDate(d.doneOn, lang) : '—') },
              {
                title: t('injury.state'),
                render: (_, d) =>
                  d.overdue ? (
                    <Tag color="red">{t('injury.overdue')}</Tag>
                  ) : d.party ? (
                    <Tag>{t('injury.partyWindow')}</Tag>
                  ) : d.doneOn ? (
                    <Tag color="green">{t('injury.met')}</Tag>
                  ) : (
                    <Tag color="blue">{t('injury.open')}</Tag>
                  ),
              },
            ]}
          />
        </Card>
        <Card title={t('injury.documents')}>
          {c.documents.length === 0 ? (
            <Typography.Text type="secondary">{t('injury.noDocuments')}</Typography.Text>
          ) : null}
          <ul>
            {c.documents.map((d) => (
              <li key={d.id}>
                {t(`injury.doc.${d.kind}` as MessageKey)} · {d.filename} · {Math.ceil(d.sizeBytes / 1024)} KB
              </li>
            ))}
          </ul>
          {can('injury.report') && !decided ? (
            <Space wrap>
              <Select
                value={docKind}
                onChange={setDocKind}
                style={{ width: 160 }}
                aria-label={t('injury.doc.kind')}
                options={DOCUMENT_KINDS.map((k) => ({
                  value: k,
                  label: t(`injury.doc.${k}`),
                }))}
              />
              <Upload
                accept=".pdf,.jpg,.jpeg,.png"
                showUploadList={false}
                beforeUpload={(file) => {
                  setActionError(null);
                  readFile(file)
                    .then((contentBase64) =>
                      request('POST', `/api/v1/injury/cases/${id}/documents`, {
                        kind: docKind,
                        filename: file.name,
                        contentBase64,
                      }),
                    )
                    .then(() => {
                      void message.success(t('injury.uploaded'));
                      reload();
                    })
                    .catch(setActionError);
                  return false;
                }}
              >
                <Button>{t('injury.upload')}</Button>
              </Upload>
              <Typography.Text type="secondary">{t('injury.uploadHint')}</Typography.Text>
            </Space>
          ) : null}
        </Card>
        {c.status === 'recognised' ? (
          <Card title={t('injury.appraisals')}>
            <Table<Appraisal>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={c.appraisals}
              locale={{ emptyText: t('injury.noAppraisal') }}
              columns={[
                {
                  title: t('injury.appraisal.kind'),
                  render: (_, a) => t(`injury.appraisal.${a.kind}` as MessageKey),
                },
                { title: t('injury.appraisal.received'), render: (_, a) => formatDate(a.receivedDate, lang) },
                {
                  title: t('injury.appraisal.concluded'),
                  render: (_, a) => (a.conclusionDate ? formatDate(a.conclusionDate, lang) : '—'),
                },
                {
                  title: t('injury.grade'),
                  render: (_, a) =>
                    a.status === 'pending'
                      ? t('injury.appraisal.pending')
                      : a.grade === null
                        ? t('injury.noGrade')
                        : t('injury.gradeN', { grade: a.grade }),
                },
                {
                  title: t('injury.nursing'),
                  render: (_, a) => t(`injury.nursing.${a.nursingLevel}` as MessageKey),
                },
              ]}
            />
            {staff ? (
              <Space wrap style={{ marginTop: 12 }}>
                {pendingAppraisal ? (
                  <ConclusionForm
                    onSubmit={(v) =>
                      act(`appraisals/${pendingAppraisal.id}/conclusion`, v, t('injury.saved'))
                    }
                  />
                ) : (
                  <AppraisalForm
                    first={c.appraisals.length === 0}
                    onSubmit={(v) => act('appraisals', v, t('injury.saved'))}
                  />
                )}
              </Space>
            ) : null}
          </Card>
        ) : null}
        {c.status === 'recognised' ? (
          <Card title={t('injury.benefits')}>
            <Table<Benefit>
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={c.benefits}
              locale={{ emptyText: t('injury.noBenefits') }}
              columns={[
                { title: t('injury.benefit'), render: (_, b) => t(`injury.benefit.${b.kind}` as MessageKey) },
                {
                  title: t('injury.amount'),
                  render: (_, b) => `${formatMoney(b.amountFen)}${b.monthly ? t('injury.perMonth') : ''}`,
                },
                {
                  title: t('injury.payer'),
                  render: (_, b) =>
                    b.advanced ? (
                      <Tag color="orange">{t('injury.payer.advanced')}</Tag>
                    ) : (
                      <Tag color={b.payer === 'fund' ? 'green' : 'volcano'}>
                        {t(`injury.payer.${b.payer}` as MessageKey)}
                      </Tag>
                    ),
                },
                {
                  title: t('injury.benefitStatus'),
                  render: (_, b) => t(`injury.benefitStatus.${b.status}` as MessageKey),
                },
                { title: t('injury.paid'), render: (_, b) => formatMoney(b.paidFen) },
              ]}
            />
            {c.recoveries.map((r) => (
              <Alert
                key={r.id}
                style={{ marginTop: 8 }}
                type="info"
                showIcon
                message={t('injury.recovery', {
                  amount: formatMoney(r.amountFen - r.recoveredFen),
                  date: formatDate(r.payByDate, lang),
                })}
              />
            ))}
            {staff ? (
              <BenefitForm
                uninsured={!c.employerInsured}
                onSubmit={(v) => act('benefits', v, t('injury.prepared'))}
              />
            ) : null}
          </Card>
        ) : null}
      </Space>
      <Modal
        open={letter !== null}
        onCancel={() => setLetter(null)}
        width={720}
        title={letter?.title}
        footer={[
          <Button key="print" onClick={() => window.print()}>
            {t('injury.print')}
          </Button>,
          <Button key="close" type="primary" onClick={() => setLetter(null)}>
            {t('injury.close')}
          </Button>,
        ]}
      >
        {letter ? (
          <div className="injury-letter">
            <Typography.Paragraph style={{ textAlign: 'center' }}>{letter.number}</Typography.Paragraph>
            {letter.paragraphs.map((p, i) => (
              <Typography.Paragraph key={i}>{p}</Typography.Paragraph>
            ))}
            <Typography.Paragraph style={{ textAlign: 'right' }}>
              {letter.issuer}
              <br />
              {formatDate(letter.decidedDate, lang)}
            </Typography.Paragraph>
          </div>
        ) : null}
      </Modal>
    </>
  );
}

function DecisionForm({ onSubmit }: { onSubmit: (v: { outcome: string; note: string }) => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState('recognised');
  const [note, setNote] = useState('');
  return (
    <Space wrap>
      <Select
        value={outcome}
        onChange={setOutcome}
        style={{ width: 150 }}
        aria-label={t('injury.outcome')}
        options={RECOGNITION_OUTCOMES.map((o) => ({ value: o, label: t(`injury.status.${o}`) }))}
      />
      <Input
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={t('injury.decisionNote')}
        aria-label={t('injury.decisionNote')}
        style={{ width: 260 }}
      />
      <Button type="primary" disabled={note.trim() === ''} onClick={() => onSubmit({ outcome, note })}>
        {t('injury.propose')}
      </Button>
    </Space>
  );
}

function SuspendButton({ onSubmit }: { onSubmit: (reason: string) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <Space wrap>
      <Input
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t('injury.suspendReason')}
        aria-label={t('injury.suspendReason')}
        style={{ width: 220 }}
      />
      <Button disabled={reason.trim() === ''} onClick={() => onSubmit(reason)}>
        {t('injury.suspend')}
      </Button>
    </Space>
  );
}

function AppraisalForm({
  first,
  onSubmit,
}: {
  first: boolean;
  onSubmit: (v: { kind: string; receivedDate: string }) => void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState(first ? 'initial' : 'reappraisal');
  const [date, setDate] = useState(todayIso());
  return (
    <Space wrap>
      <Select
        value={kind}
        onChange={setKind}
        style={{ width: 150 }}
        aria-label={t('injury.appraisal.kind')}
        options={(first ? ['initial'] : ['reappraisal', 'review']).map((k) => ({
          value: k,
          label: t(`injury.appraisal.${k}` as MessageKey),
        }))}
      />
      <IsoDatePicker
        allowClear={false}
        value={date}
        onChange={setDate}
        aria-label={t('injury.appraisal.received')}
        style={{ width: 170 }}
      />
      <Button onClick={() => onSubmit({ kind, receivedDate: date })}>{t('injury.appraisal.open')}</Button>
    </Space>
  );
}

function ConclusionForm({
  onSubmit,
}: {
  onSubmit: (v: { conclusionDate: string; grade: number | null; nursingLevel: string }) => void;
}) {
  const { t } = useI18n();
  const [grade, setGrade] = useState<number | null>(5);
  const [nursing, setNursing] = useState('none');
  const [date, setDate] = useState(todayIso());
  return (
    <Space wrap>
      <InputNumber
        min={1}
        max={10}
        value={grade}
        onChange={(v) => setGrade(v)}
        aria-label={t('injury.grade')}
        placeholder={t('injury.noGrade')}
      />
      <Select
        value={nursing}
        onChange={setNursing}
        style={{ width: 160 }}
        aria-label={t('injury.nursing')}
        options={NURSING_LEVELS.map((k) => ({
          value: k,
          label: t(`injury.nursing.${k}`),
        }))}
      />
      <IsoDatePicker
        allowClear={false}
        value={date}
        onChange={setDate}
        aria-label={t('injury.appraisal.concluded')}
        style={{ width: 170 }}
      />
      <Button type="primary" onClick={() => onSubmit({ conclusionDate: date, grade, nursingLevel: nursing })}>
        {t('injury.appraisal.conclude')}
      </Button>
    </Space>
  );
}

function BenefitForm({
  uninsured,
  onSubmit,
}: {
  uninsured: boolean;
  onSubmit: (v: Record<string, unknown>) => void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<string>('disability_lump_sum');
  const [amount, setAmount] = useState('');
  const [date, setDate] = useState(todayIso());
  const [advance, setAdvance] = useState(false);
  const provincial = kind === 'medical_subsidy' || kind === 'employment_subsidy';
  const death = kind === 'funeral_grant' || kind === 'death_grant' || kind === 'dependents_pension';
  return (
    <Space wrap style={{ marginTop: 12 }}>
      <Select
        value={kind}
        onChange={setKind}
        style={{ width: 200 }}
        aria-label={t('injury.benefit')}
        options={BENEFIT_KINDS.map((k) => ({ value: k, label: t(`injury.benefit.${k}`) }))}
      />
      {provincial ? (
        <>
          <MoneyInput
            value={amount}
            onChange={setAmount}
            explain
            placeholder={t('injury.amountYuan')}
            aria-label={t('injury.amountYuan')}
            style={{ width: 150 }}
          />
          <IsoDatePicker
            upToToday
            allowClear={false}
            value={date}
            onChange={setDate}
            aria-label={t('injury.relationEnded')}
            style={{ width: 170 }}
          />
        </>
      ) : null}
      {death ? (
        <IsoDatePicker
          upToToday
          allowClear={false}
          value={date}
          onChange={setDate}
          aria-label={t('injury.deathDate')}
          style={{ width: 170 }}
        />
      ) : null}
      {uninsured ? (
        <Button type={advance ? 'primary' : 'default'} onClick={() => setAdvance(!advance)}>
          {t('injury.advance')}
        </Button>
      ) : null}
      <Button
        type="primary"
        disabled={provincial && yuanToFen(amount) === null}
        onClick={() =>
          onSubmit({
            kind,
            ...(provincial ? { amountFen: yuanToFen(amount) ?? 0, relationEndedDate: date } : {}),
            ...(death ? { deathDate: date, dependents: [{ relation: 'spouse' }] } : {}),
            ...(advance ? { advance: true } : {}),
          })
        }
      >
        {t('injury.proposeBenefit')}
      </Button>
    </Space>
  );
}

// ---- employer: what it owes ----

type OwedItem = Item<Answer<'/api/v1/injury/owed'>['items']>;

export function InjuryOwedPage() {
  const { t } = useI18n();
  const portal = usePortal();
  const { data, error, loading, reload } = useLoad(
    () => request<Answer<'/api/v1/injury/owed'>>('GET', '/api/v1/injury/owed'),
    [],
  );
  return (
    <>
      <PageTitle>{t('page.employer.injuryOwed')}</PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card>
          <Descriptions column={{ xs: 1, sm: 3 }} size="small">
            <Descriptions.Item label={t('injury.owed.lump')}>
              {formatMoney(data?.lumpSumFen ?? 0)}
            </Descriptions.Item>
            <Descriptions.Item label={t('injury.owed.monthly')}>
              {formatMoney(data?.monthlyFen ?? 0)}
            </Descriptions.Item>
            <Descriptions.Item label={t('injury.owed.recovery')}>
              {formatMoney(data?.recoveryOpenFen ?? 0)}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary">{t('injury.owed.intro')}</Typography.Paragraph>
        </Card>
        <Card>
          <Table<OwedItem>
            rowKey="benefitId"
            loading={loading}
            dataSource={data?.items ?? []}
            locale={{ emptyText: <EmptyState title={t('injury.owed.none')} /> }}
            pagination={false}
            columns={[
              {
                title: t('injury.worker'),
                render: (_, r: OwedItem) => <Link to={`/${portal}/injury/${r.caseId}`}>{r.personName}</Link>,
              },
              {
                title: t('injury.benefit'),
                render: (_, r: OwedItem) => t(`injury.benefit.${r.kind}` as MessageKey),
              },
              {
                title: t('injury.amount'),
                render: (_, r: OwedItem) =>
                  `${formatMoney(r.amountFen)}${r.monthly ? t('injury.perMonth') : ''}`,
              },
              {
                title: t('injury.payer'),
                render: (_, r: OwedItem) =>
                  r.advanced
                    ? t('injury.owed.repay', { amount: formatMoney(r.recoveryOpenFen) })
                    : t('injury.payer.employer'),
              },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}

// ---- agency: statistics ----

export function InjuryStatisticsPage() {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(
    () => request<Answer<'/api/v1/injury/statistics'>>('GET', '/api/v1/injury/statistics'),
    [],
  );
  const option = useMemo<ChartOption | null>(() => {
    if (!data) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('injury.stats.cases'), t('injury.stats.recognised')] },
      xAxis: {
        type: 'category',
        data: data.byIndustry.map((r) => t('injury.stats.class', { n: r.industryClass })),
      },
      yAxis: { type: 'value', minInterval: 1, name: t('injury.stats.unit') },
      series: [
        { name: t('injury.stats.cases'), type: 'bar', data: data.byIndustry.map((r) => r.cases) },
        { name: t('injury.stats.recognised'), type: 'bar', data: data.byIndustry.map((r) => r.recognised) },
      ],
    };
  }, [data, t]);
  return (
    <>
      <PageTitle>{t('page.agency.injuryStats')}</PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !data ? <Loading /> : null}
      <Space direction="vertical" style={{ width: '100%' }}>
        <Card title={t('injury.stats.byIndustry', { total: data?.total ?? 0 })}>
          {option ? (
            <Chart
              option={option}
              label={t('injury.stats.byIndustry', { total: data?.total ?? 0 })}
              values="count"
            />
          ) : null}
        </Card>
        <Card title={t('injury.stats.byEmployer')}>
          <Table
            rowKey="employerId"
            size="small"
            pagination={false}
            dataSource={data?.byEmployer ?? []}
            locale={emptyTable(t('empty.injury.byEmployer'))}
            columns={[
              { title: t('injury.employer'), dataIndex: 'employerName' },
              // "1类" as on the chart, not a bare 1; the counts with their unit
              {
                title: t('injury.stats.industry'),
                dataIndex: 'industryClass',
                render: (n: number) => t('injury.stats.class', { n }),
              },
              {
                title: t('injury.stats.casesCount'),
                dataIndex: 'cases',
                align: 'right',
              },
              {
                title: t('injury.stats.recognisedCount'),
                dataIndex: 'recognised',
                align: 'right',
              },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
