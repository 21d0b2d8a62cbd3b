// A retirement case: the person, the computation from their record (with paper-archive or deemed
// years and the benefit base wage when the region has none on file; a residents' case asks only for
// paper-record months and account, all its rule reads), the trace as an explanation list,
// submission, and a second person's approval or return (the server refuses the creator).
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Grid,
  Input,
  InputNumber,
  Row,
  Space,
  Statistic,
  Tag,
} from 'antd';
import { useState } from 'react';
import { api, type RetirementCase } from '../../api.ts';
import { useAuth, useCan } from '../../auth.tsx';
import { ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { TraceList } from '../../components/TraceList.tsx';
import { formatDate, formatMoney, formatPeriod, yuanToFen } from '../../format.ts';
import { MoneyInput } from '../../components/MoneyInput.tsx';
import { useI18n } from '../../i18n/index.tsx';
import type { PageProps } from '../../pages.tsx';
import { Link } from '../../router.tsx';
import { CASE_STATUS_COLOR } from './RetirementPage.tsx';
import type { Words } from '../../../../src/core/bilingual.ts';

interface ComputeForm {
  benefitBaseWage?: string;
  archivedMonths?: number | null;
  archivedIndex?: number | null;
  archivedAccount?: string;
  deemedMonths?: number | null;
  deemedIndex?: number | null;
}

type Option = Words & { code: string };

export function RetirementCasePage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const code = useCodeText();
  const narrow = !Grid.useBreakpoint().md;
  const user = useAuth().user;
  const can = useCan();
  const id = Number(params['id']);
  const [c, setC] = useState<RetirementCase | null>(null);
  const loaded = useLoad(
    () =>
      api.retirementCase(id).then((x) => {
        setC(x);
        return x;
      }),
    [id],
  );
  const person = useLoad(c ? () => api.person(c.personId) : null, [c?.personId]);
  // An approved case says what was awarded from the month the award starts: the person's pension
  // (the same audited read the person's page makes; every role that reads cases may make it).
  const awardId = c?.status === 'approved' ? c.awardId : null;
  const pension = useLoad(awardId !== null && can('pension.read') ? () => api.pension(c!.personId) : null, [
    awardId,
  ]);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  // 不予受理: the clerk's refusal of a case that does not qualify, with the reason the applicant reads.
  const [refusing, setRefusing] = useState(false);

  async function act(name: string, fn: () => Promise<RetirementCase>, done: string) {
    setBusy(name);
    setActionError(null);
    try {
      setC(await fn());
      void message.success(done);
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(null);
    }
  }

  if (loaded.loading && !c) return <Loading />;
  if (!c) return <ErrorAlert error={loaded.error} onRetry={loaded.reload} />;

  const editable = can('retirement.compute') && ['draft', 'computed', 'returned'].includes(c.status);
  const mayRefuse = can('retirement.reject') && ['draft', 'returned'].includes(c.status);
  // Four eyes: only a reviewer who did not open the case decides it (the server refuses the rest).
  const mayReview = can('retirement.approve') && user?.username !== c.createdBy;
  // Basic pension + account ÷ 139 (国发〔2014〕8号): no deemed years, index or benefit base wage.
  const resident = c.scheme === 'resident_pension';
  const parts =
    resident && c.result !== null && typeof c.result === 'object'
      ? (c.result as Record<string, unknown>)
      : {};
  const options = Array.isArray(c.options) ? (c.options as Option[]) : [];
  // The amount the case decided is the award's first amount (retirement.service.ts createAward).
  const award = pension.data?.awards.find((a) => a.id === c.awardId);

  function compute(v: ComputeForm) {
    const body: Record<string, number> = { version: c!.version };
    const base = v.benefitBaseWage ? yuanToFen(v.benefitBaseWage) : null;
    if (base) body['benefitBaseWageFen'] = base;
    const account = v.archivedAccount ? yuanToFen(v.archivedAccount) : null;
    if (account !== null) body['archivedAccountFen'] = account;
    for (const k of ['archivedMonths', 'archivedIndex', 'deemedMonths', 'deemedIndex'] as const) {
      const n = v[k];
      if (typeof n === 'number') body[k] = n;
    }
    void act('compute', () => api.computeRetirementCase(c!.id, body), t('case.computed'));
  }

  return (
    <>
      <PageTitle extra={<Link to="/agency/retirement">{t('case.back')}</Link>}>
        {t('page.agency.retirementCase')} {t('retire.caseNo', { id: c.id })}{' '}
        <Tag color={CASE_STATUS_COLOR[c.status] ?? 'default'}>{code('retire.status', c.status)}</Tag>
      </PageTitle>
      <ErrorAlert error={actionError} />
      <Card title={t('case.summary')} style={{ marginBottom: 16 }}>
        <Descriptions
          bordered
          size="small"
          layout={narrow ? 'vertical' : 'horizontal'}
          column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
          items={[
            {
              key: 'person',
              label: t('retire.person'),
              children: (
                <Link to={`/agency/persons/${c.personId}`}>{person.data?.name ?? `#${c.personId}`}</Link>
              ),
            },
            { key: 'scheme', label: t('enrolment.scheme'), children: code('scheme', c.scheme) },
            { key: 'date', label: t('retire.date'), children: formatDate(c.retirementDate, lang) },
            { key: 'kind', label: t('case.kind'), children: code('case.kind', c.retirementKind) },
            { key: 'by', label: t('retire.createdBy'), children: c.createdByName ?? c.createdBy },
            ...(c.reviewedBy
              ? [
                  {
                    key: 'rev',
                    label: t('case.reviewedBy'),
                    children: `${c.reviewedByName ?? c.reviewedBy}${c.reviewNote ? `：${c.reviewNote}` : ''}`,
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          {c.eligible !== null ? (
            <Card title={t('case.result')} style={{ marginBottom: 16 }}>
              {c.eligible ? (
                <>
                  <Statistic
                    title={t(resident ? 'case.monthly.resident' : 'case.monthly')}
                    value={formatMoney(c.monthlyFen)}
                  />
                  {resident ? (
                    <p data-testid="resident-parts" style={{ margin: '8px 0 0' }}>
                      {t('case.resident.parts', {
                        basic: formatMoney(parts['basicPensionFen'] as number | undefined),
                        account: formatMoney(parts['accountPensionFen'] as number | undefined),
                      })}
                    </p>
                  ) : null}
                </>
              ) : (
                <Alert
                  type="warning"
                  showIcon
                  title={t('case.short', { months: c.missingMonths ?? 0 })}
                  description={
                    <ul style={{ margin: 0, paddingLeft: 18 }}>
                      {options.map((o) => (
                        <li key={o.code}>{lang === 'zh-CN' ? o.zh : o.en}</li>
                      ))}
                    </ul>
                  }
                />
              )}
            </Card>
          ) : null}
          {editable ? (
            <Card title={t('case.compute')} style={{ marginBottom: 16 }}>
              <p style={{ color: 'rgba(0,0,0,0.55)' }}>
                {t(resident ? 'case.compute.hint.resident' : 'case.compute.hint')}
              </p>
              <Form<ComputeForm> layout="vertical" onFinish={compute}>
                {resident ? null : (
                  <Form.Item
                    name="benefitBaseWage"
                    label={t('case.baseWage')}
                    rules={[
                      {
                        validator: async (_, v: string | undefined) => {
                          if (v && yuanToFen(v) === null) throw new Error(t('pp.amount.invalid'));
                        },
                      },
                    ]}
                  >
                    <MoneyInput placeholder="8,500.00" />
                  </Form.Item>
                )}
                <Space wrap>
                  <Form.Item
                    name="archivedMonths"
                    label={t(resident ? 'case.resident.archivedMonths' : 'case.archivedMonths')}
                  >
                    <InputNumber min={0} max={600} precision={0} />
                  </Form.Item>
                  {resident ? null : (
                    <Form.Item name="archivedIndex" label={t('case.archivedIndex')}>
                      <InputNumber min={0} max={10} step={0.01} />
                    </Form.Item>
                  )}
                </Space>
                <Form.Item
                  name="archivedAccount"
                  label={t(resident ? 'case.resident.archivedAccount' : 'case.archivedAccount')}
                  rules={[
                    {
                      validator: async (_, v: string | undefined) => {
                        if (v && yuanToFen(v) === null) throw new Error(t('pp.amount.invalid'));
                      },
                    },
                  ]}
                >
                  <MoneyInput />
                </Form.Item>
                {resident ? null : (
                  <Space wrap>
                    <Form.Item name="deemedMonths" label={t('case.deemedMonths')}>
                      <InputNumber min={0} max={600} precision={0} />
                    </Form.Item>
                    <Form.Item name="deemedIndex" label={t('case.deemedIndex')}>
                      <InputNumber min={0} max={10} step={0.01} />
                    </Form.Item>
                  </Space>
                )}
                <Space wrap>
                  <Button type="primary" htmlType="submit" loading={busy === 'compute'}>
                    {t('case.computeButton')}
                  </Button>
                  {c.eligible === true && c.monthlyFen !== null ? (
                    <Button
                      loading={busy === 'submit'}
                      onClick={() =>
                        void act(
                          'submit',
                          () => api.submitRetirementCase(c.id, c.version),
                          t('case.submitted'),
                        )
                      }
                    >
                      {t('case.submit')}
                    </Button>
                  ) : null}
                  {mayRefuse ? (
                    <Button danger onClick={() => setRefusing(true)}>
                      {t('case.reject')}
                    </Button>
                  ) : null}
                </Space>
              </Form>
            </Card>
          ) : null}
          {c.status === 'pending_review' && mayReview ? (
            <Card title={t('case.review')} style={{ marginBottom: 16 }}>
              <p style={{ color: 'rgba(0,0,0,0.55)' }}>{t('case.review.hint')}</p>
              <Input.TextArea
                aria-label={t('case.note')}
                placeholder={t('case.note')}
                value={note}
                maxLength={500}
                onChange={(e) => setNote(e.target.value)}
                style={{ marginBottom: 12 }}
              />
              <Space wrap>
                <Button
                  type="primary"
                  loading={busy === 'approve'}
                  onClick={() =>
                    void act(
                      'approve',
                      () =>
                        api.reviewRetirementCase(c.id, {
                          decision: 'approve',
                          version: c.version,
                          ...(note ? { note } : {}),
                        }),
                      t('case.approved'),
                    )
                  }
                >
                  {t('case.approve')}
                </Button>
                <Button
                  danger
                  loading={busy === 'return'}
                  onClick={() =>
                    void act(
                      'return',
                      () =>
                        api.reviewRetirementCase(c.id, {
                          decision: 'return',
                          version: c.version,
                          ...(note ? { note } : {}),
                        }),
                      t('case.returned'),
                    )
                  }
                >
                  {t('case.return')}
                </Button>
              </Space>
            </Card>
          ) : null}
          {c.status === 'rejected' ? (
            <Alert
              type="warning"
              showIcon
              role="status"
              title={t('case.rejected.title')}
              description={c.reviewNote}
              style={{ marginBottom: 16 }}
            />
          ) : null}
          {c.status === 'approved' ? (
            <Alert
              type="success"
              showIcon
              role="status"
              title={
                award
                  ? t('case.awarded', {
                      amount: formatMoney(c.monthlyFen),
                      month: formatPeriod(award.startPeriod, lang),
                    })
                  : t('case.awarded.amount', { amount: formatMoney(c.monthlyFen) })
              }
              description={t('case.awarded.id', { id: c.awardId ?? '—' })}
              style={{ marginBottom: 16 }}
            />
          ) : null}
        </Col>
        <Col xs={24} xl={14}>
          <Card title={t('case.trace')}>
            {c.trace.length > 0 ? <TraceList steps={c.trace} /> : <p>{t('case.trace.empty')}</p>}
          </Card>
        </Col>
      </Row>
      <ReasonDialog
        open={refusing}
        title={t('case.reject')}
        okText={t('case.reject')}
        hint={t('case.reject.hint')}
        label={t('case.reject.reason')}
        danger
        minLength={1}
        maxLength={500}
        onSubmit={async (reason) => {
          setActionError(null);
          setC(await api.rejectRetirementCase(c.id, { version: c.version, reason }));
          void message.success(t('case.rejected'));
        }}
        onClose={() => setRefusing(false)}
      />
    </>
  );
}
