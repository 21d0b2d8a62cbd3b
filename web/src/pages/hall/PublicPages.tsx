// The hall's public pages (no login): registration and password reset, the demo SMS outbox, the
// service catalogue with a guide page each, and certificate verification.
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Result,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { ErrorAlert, Loading, useLoad } from '../../components/common.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';
import { LanguageSwitch } from '../../PortalLayout.tsx';
import { Link, matchPath, useSearchParam } from '../../router.tsx';
import { hallApi, type ServiceItem, type Verification } from './hallApi.ts';
import { useServiceName, useTimeLimitText } from './common.tsx';
import { formatDate, formatDateTime, formatList, formatMoney, formatPeriod } from '../../format.ts';

export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="hall-public">
      <header className="hall-public-header">
        <Link to="/services" className="hall-public-title">
          社保 · {t('hall.title')}
        </Link>
        <nav>
          <Space wrap size="middle">
            <Link to="/services">{t('hall.nav.services')}</Link>
            <Link to="/register">{t('hall.nav.register')}</Link>
            <Link to="/verify">{t('hall.nav.verify')}</Link>
            <Link to="/login">{t('hall.nav.login')}</Link>
            <LanguageSwitch dark />
          </Space>
        </nav>
      </header>
      <main id="main" className="hall-public-main">
        {children}
      </main>
    </div>
  );
}

const req = (t: (k: MessageKey) => string) => [
  { required: true, whitespace: true, message: t('hall.required') },
];

type Step = { phone: string; sentTo: string; minutes: number } | null;

function CodeSent({ step }: { step: NonNullable<Step> }) {
  const { t } = useI18n();
  return (
    <Alert
      type="success"
      showIcon
      style={{ marginBottom: 16 }}
      message={t('hall.register.sent', { phone: step.sentTo, minutes: step.minutes })}
      description={
        <a
          href={`/demo-sms?phone=${step.phone}`}
          target="_blank"
          rel="noreferrer"
          data-testid="demo-sms-link"
        >
          {t('hall.register.demoLink')}
        </a>
      }
    />
  );
}

function CitizenRegister({ onDone }: { onDone: (username: string) => void }) {
  const { t, lang } = useI18n();
  const [step, setStep] = useState<Step>(null);
  const [first, setFirst] = useState<{ idNumber: string; phone: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ErrorAlert error={error} />
      {step ? <CodeSent step={step} /> : null}
      {!step ? (
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { idNumber: string; name: string; phone: string }) =>
            void run(async () => {
              const r = await hallApi.requestCitizen({
                idNumber: v.idNumber.trim(),
                name: v.name.trim(),
                phone: v.phone.trim(),
              });
              setFirst({ idNumber: v.idNumber.trim(), phone: v.phone.trim() });
              setStep({
                phone: v.phone.trim(),
                sentTo: r.sentTo,
                minutes: Math.round(r.expiresInSeconds / 60),
              });
            })
          }
        >
          <Form.Item label={t('hall.register.idNumber')} name="idNumber" rules={idNumberRules(lang)}>
            <Input autoComplete="off" maxLength={18} />
          </Form.Item>
          <Form.Item label={t('hall.register.name')} name="name" rules={req(t)}>
            <Input autoComplete="name" />
          </Form.Item>
          <Form.Item
            label={t('hall.register.phone')}
            name="phone"
            rules={req(t)}
            extra={t('hall.register.phone.hint')}
          >
            <Input autoComplete="tel" maxLength={11} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>
            {t('hall.register.sendCode')}
          </Button>
        </Form>
      ) : (
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { code: string; password: string }) =>
            void run(async () => {
              if (!first) return;
              const r = await hallApi.confirmCitizen({ ...first, code: v.code.trim(), password: v.password });
              onDone(r.username);
            })
          }
        >
          <Form.Item label={t('hall.register.code')} name="code" rules={req(t)}>
            <Input autoComplete="one-time-code" maxLength={6} />
          </Form.Item>
          <Form.Item
            label={t('hall.register.password')}
            name="password"
            rules={req(t)}
            extra={t('hall.register.password.hint')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>
            {t('hall.register.confirm')}
          </Button>
        </Form>
      )}
    </>
  );
}

function EmployerRegister({ onDone }: { onDone: (username: string) => void }) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>(null);
  const [first, setFirst] = useState<{ creditCode: string; phone: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ErrorAlert error={error} />
      {step ? <CodeSent step={step} /> : null}
      {!step ? (
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: {
            creditCode: string;
            legalRepName: string;
            legalRepIdNumber: string;
            phone: string;
          }) =>
            void run(async () => {
              const b = {
                creditCode: v.creditCode.trim().toUpperCase(),
                legalRepName: v.legalRepName.trim(),
                legalRepIdNumber: v.legalRepIdNumber.trim(),
                phone: v.phone.trim(),
              };
              const r = await hallApi.requestEmployer(b);
              setFirst({ creditCode: b.creditCode, phone: b.phone });
              setStep({ phone: b.phone, sentTo: r.sentTo, minutes: Math.round(r.expiresInSeconds / 60) });
            })
          }
        >
          <Form.Item label={t('hall.register.creditCode')} name="creditCode" rules={req(t)}>
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item label={t('hall.register.repName')} name="legalRepName" rules={req(t)}>
            <Input />
          </Form.Item>
          <Form.Item label={t('hall.register.repId')} name="legalRepIdNumber" rules={req(t)}>
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item label={t('hall.register.repPhone')} name="phone" rules={req(t)}>
            <Input maxLength={11} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>
            {t('hall.register.sendCode')}
          </Button>
        </Form>
      ) : (
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { code: string; password: string }) =>
            void run(async () => {
              if (!first) return;
              const r = await hallApi.confirmEmployer({
                ...first,
                code: v.code.trim(),
                password: v.password,
              });
              onDone(r.username);
            })
          }
        >
          <Form.Item label={t('hall.register.code')} name="code" rules={req(t)}>
            <Input maxLength={6} />
          </Form.Item>
          <Form.Item
            label={t('hall.register.password')}
            name="password"
            rules={req(t)}
            extra={t('hall.register.password.hint')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>
            {t('hall.register.confirm')}
          </Button>
        </Form>
      )}
    </>
  );
}

function ResetPassword({ onDone }: { onDone: (username: string) => void }) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>(null);
  const [first, setFirst] = useState<{ username: string; phone: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <ErrorAlert error={error} />
      {step ? <CodeSent step={step} /> : null}
      {!step ? (
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { username: string; phone: string }) =>
            void run(async () => {
              const b = { username: v.username.trim(), phone: v.phone.trim() };
              const r = await hallApi.requestReset(b);
              setFirst(b);
              setStep({ phone: b.phone, sentTo: r.sentTo, minutes: Math.round(r.expiresInSeconds / 60) });
            })
          }
        >
          <Form.Item label={t('hall.register.username')} name="username" rules={req(t)}>
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label={t('hall.register.phone')} name="phone" rules={req(t)}>
            <Input maxLength={11} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>
            {t('hall.register.sendCode')}
          </Button>
        </Form>
      ) : (
        <Form
          layout="vertical"
          requiredMark={false}
          onFinish={(v: { code: string; password: string }) =>
            void run(async () => {
              if (!first) return;
              const r = await hallApi.confirmReset({ ...first, code: v.code.trim(), password: v.password });
              onDone(r.username);
            })
          }
        >
          <Form.Item label={t('hall.register.code')} name="code" rules={req(t)}>
            <Input maxLength={6} />
          </Form.Item>
          <Form.Item
            label={t('hall.register.password')}
            name="password"
            rules={req(t)}
            extra={t('hall.register.password.hint')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} block>
            {t('hall.register.confirmReset')}
          </Button>
        </Form>
      )}
    </>
  );
}

export function RegisterPage() {
  const { t } = useI18n();
  const tab = useSearchParam('tab');
  const [done, setDone] = useState<{ username: string; reset: boolean } | null>(null);
  if (done)
    return (
      <Card className="hall-narrow">
        <Result
          status="success"
          title={
            done.reset ? t('hall.register.resetDone') : t('hall.register.done', { username: done.username })
          }
          extra={
            <Link to="/login">
              <Button type="primary">{t('hall.register.toLogin')}</Button>
            </Link>
          }
        />
      </Card>
    );
  return (
    <Card className="hall-narrow">
      <Typography.Title level={3}>{t('hall.nav.register')}</Typography.Title>
      <Tabs
        defaultActiveKey={tab ?? 'citizen'}
        items={[
          {
            key: 'citizen',
            label: t('hall.register.citizen'),
            children: <CitizenRegister onDone={(u) => setDone({ username: u, reset: false })} />,
          },
          {
            key: 'employer',
            label: t('hall.register.employer'),
            children: <EmployerRegister onDone={(u) => setDone({ username: u, reset: false })} />,
          },
          {
            key: 'reset',
            label: t('hall.register.reset'),
            children: <ResetPassword onDone={(u) => setDone({ username: u, reset: true })} />,
          },
        ]}
      />
    </Card>
  );
}

export function DemoSmsPage() {
  const { t, lang } = useI18n();
  const initial = useSearchParam('phone') ?? '';
  const [phone, setPhone] = useState(initial);
  const [asked, setAsked] = useState(initial);
  const { data, error, loading, reload } = useLoad(asked ? () => hallApi.demoSms(asked) : null, [asked]);
  return (
    <Card className="hall-narrow">
      <Typography.Title level={3}>{t('hall.sms.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('hall.sms.hint')}</Typography.Paragraph>
      <Space.Compact style={{ width: '100%', marginBottom: 16 }}>
        <Input
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          placeholder={t('hall.sms.phone')}
          aria-label={t('hall.sms.phone')}
        />
        <Button type="primary" onClick={() => (phone === asked ? reload() : setAsked(phone.trim()))}>
          {t('action.search')}
        </Button>
      </Space.Compact>
      <ErrorAlert error={error} />
      {loading ? <Loading /> : null}
      {data ? (
        data.items.length === 0 ? (
          <Typography.Text type="secondary">{t('hall.sms.empty')}</Typography.Text>
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            {data.items.map((m) => (
              <Card key={m.id} size="small" className="hall-sms" data-testid="sms">
                <Typography.Text type="secondary">
                  {m.to} · {m.sentAt ? formatDateTime(m.sentAt, lang, 'seconds') : ''}
                </Typography.Text>
                <div>{m.body}</div>
              </Card>
            ))}
          </Space>
        )
      ) : null}
    </Card>
  );
}

function ChannelTags({ channels }: { channels: string[] }) {
  const { t } = useI18n();
  return (
    <>
      {channels.map((c) => (
        <Tag key={c}>{t(`hall.channel.${c}` as MessageKey)}</Tag>
      ))}
    </>
  );
}

export function ServicesPage() {
  const { t, lang } = useI18n();
  const name = useServiceName();
  const limit = useTimeLimitText();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const { data, error, loading, reload } = useLoad(() => hallApi.services(query), [query]);
  return (
    <Card>
      <Typography.Title level={3}>{t('hall.nav.services')}</Typography.Title>
      <Input.Search
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onSearch={(v) => setQuery(v.trim())}
        placeholder={t('hall.services.search')}
        aria-label={t('hall.services.search')}
        allowClear
        enterButton
        style={{ marginBottom: 16, maxWidth: 520 }}
      />
      <ErrorAlert error={error} onRetry={reload} />
      <Table<ServiceItem>
        rowKey="code"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: 820 }}
        columns={[
          {
            title: t('hall.services.name'),
            render: (_, s) => <Link to={`/services/${s.code}`}>{name(s)}</Link>,
          },
          {
            title: t('hall.services.applicants'),
            render: (_, s) =>
              formatList(
                s.applicants.map((a) => t(`hall.applicant.${a}`)),
                lang,
              ),
          },
          { title: t('hall.services.channels'), render: (_, s) => <ChannelTags channels={s.channels} /> },
          { title: t('hall.services.timeLimit'), render: (_, s) => limit(s) },
          {
            title: t('hall.services.crossProvince'),
            render: (_, s) => (s.crossProvince ? <Tag color="blue">{t('hall.yes')}</Tag> : t('hall.no')),
          },
          {
            title: t('hall.services.handledBy'),
            render: (_, s) => t(`hall.services.handledBy.${s.handledBy}`),
          },
        ]}
      />
    </Card>
  );
}

export function ServiceGuidePage({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const name = useServiceName();
  const limit = useTimeLimitText();
  const { data, error, loading } = useLoad(() => hallApi.service(code), [code]);
  if (loading) return <Loading />;
  if (error || !data) return <ErrorAlert error={error} />;
  return (
    <Card>
      <Typography.Title level={3}>{name(data)}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {data.nameZh === name(data) ? data.nameEn : data.nameZh}
      </Typography.Paragraph>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('hall.services.applicants')}>
          {formatList(
            data.applicants.map((a) => t(`hall.applicant.${a}`)),
            lang,
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('hall.services.channels')}>
          <ChannelTags channels={data.channels} />
        </Descriptions.Item>
        <Descriptions.Item label={t('hall.services.known')}>{data.known.join('；') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('hall.services.asks')}>{data.asks.join('；') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('hall.services.timeLimit')}>{limit(data)}</Descriptions.Item>
        <Descriptions.Item label={t('hall.services.crossProvince')}>
          {data.crossProvince ? t('hall.yes') : t('hall.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('hall.services.handledBy')}>
          {t(`hall.services.handledBy.${data.handledBy}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('hall.services.reference')}>{data.reference}</Descriptions.Item>
      </Descriptions>
      {data.hallHandled ? (
        <Alert
          style={{ marginTop: 16 }}
          type="info"
          showIcon
          message={t('hall.services.apply')}
          description={t('hall.services.applyHint')}
        />
      ) : null}
    </Card>
  );
}

/** A number in a stored statement, or null. */
const numberIn = (o: unknown, k: string): number | null => {
  const x = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  return typeof x === 'number' ? x : null;
};

function Statement({ v }: { v: Verification }) {
  const { t, lang } = useI18n();
  const s = v.statement;
  const en = lang === 'en';
  const rows = Array.isArray(s['enrolments'])
    ? (s['enrolments'] as Array<Record<string, string | null>>)
    : [];
  const years = Array.isArray(s['years']) ? (s['years'] as Array<Record<string, unknown>>) : [];
  const str = (k: string) => (typeof s[k] === 'string' || typeof s[k] === 'number' ? String(s[k]) : '');
  if (v.kind === 'receipt') {
    const paid = typeof s['paidFen'] === 'number' ? s['paidFen'] : 0;
    return (
      <Descriptions column={1} bordered size="small" style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('hall.verify.kind')}>{t('hall.verify.kind.receipt')}</Descriptions.Item>
        <Descriptions.Item label={t('hall.verify.payer')}>{str('payerName')}</Descriptions.Item>
        <Descriptions.Item label={t('hall.verify.payerId')}>{str('payerId')}</Descriptions.Item>
        <Descriptions.Item label={t('hall.verify.period')}>
          {formatPeriod(str('period'), lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('hall.verify.billId')}>{str('billId')}</Descriptions.Item>
        <Descriptions.Item label={t('hall.verify.paid')}>
          <span data-testid="receipt-paid">{formatMoney(paid)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('hall.verify.paidDate')}>
          {formatDate(str('paidDate'), lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('hall.verify.region')}>{v.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('hall.verify.issuedOn')}>
          {formatDate(v.issuedOn, lang)}
        </Descriptions.Item>
      </Descriptions>
    );
  }
  // The record statement's figures as its PDF states them: months, the account and the years.
  const account = s['personalAccount'];
  const accountFen =
    (numberIn(account, 'employeePensionFen') ?? 0) + (numberIn(account, 'residentPensionFen') ?? 0);
  return (
    <>
      <Descriptions column={1} bordered size="small" style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('hall.verify.kind')}>{t(`hall.verify.kind.${v.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('hall.register.name')}>
          {typeof s['name'] === 'string' ? s['name'] : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('hall.register.idNumber')}>
          {typeof s['idNumber'] === 'string' ? s['idNumber'] : ''}
        </Descriptions.Item>
        {v.kind === 'record' ? (
          <>
            <Descriptions.Item label={t('hall.verify.pensionMonths')}>
              {numberIn(s['totals'], 'employeePensionMonths') ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('hall.verify.account')}>
              <span data-testid="record-account">{formatMoney(accountFen)}</span>
            </Descriptions.Item>
          </>
        ) : null}
        <Descriptions.Item label={t('hall.verify.region')}>{v.regionName}</Descriptions.Item>
        <Descriptions.Item label={t('hall.verify.issuedOn')}>
          {formatDate(v.issuedOn, lang)}
        </Descriptions.Item>
      </Descriptions>
      {rows.length > 0 ? (
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={rows}
          scroll={{ x: 560 }}
          columns={[
            {
              title: t('hall.verify.col.scheme'),
              key: 'scheme',
              render: (_: unknown, r) => (en ? (r['schemeEn'] ?? r['scheme']) : r['scheme']) ?? '—',
            },
            {
              title: t('hall.verify.col.status'),
              key: 'status',
              // certificates issued before the English status was stored have the Chinese only
              render: (_: unknown, r) => (en ? (r['statusEn'] ?? r['status']) : r['status']) ?? '—',
            },
            ...(['startDate', 'endDate'] as const).map((k) => ({
              title: t(`hall.verify.col.${k}`),
              dataIndex: k,
              render: (d: string | null) => formatDate(d, lang),
            })),
            {
              title: t('hall.verify.col.employer'),
              dataIndex: 'employer',
              render: (x: string | null) => x ?? '—',
            },
          ]}
        />
      ) : null}
      {years.length > 0 ? (
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={years}
          scroll={{ x: 480 }}
          columns={[
            { title: t('hall.verify.col.year'), dataIndex: 'year' },
            { title: t('hall.verify.col.pensionMonths'), dataIndex: 'pensionMonths' },
            {
              title: t('hall.verify.col.balance'),
              dataIndex: 'closingBalanceFen',
              align: 'right' as const,
              render: (f: unknown) => formatMoney(typeof f === 'number' ? f : null),
            },
            {
              title: t('hall.verify.col.note'),
              dataIndex: 'note',
              render: (n: unknown) => (typeof n === 'string' && n ? n : '—'),
            },
          ]}
        />
      ) : null}
    </>
  );
}

export function VerifyPage({ code: initial }: { code: string }) {
  const { t } = useI18n();
  const [code, setCode] = useState(initial);
  const [asked, setAsked] = useState(initial);
  const [upload, setUpload] = useState<Verification | null>(null);
  const { data, error, loading } = useLoad(asked ? () => hallApi.verify(asked) : null, [asked]);
  return (
    <Card className="hall-wide">
      <Typography.Title level={3}>{t('hall.nav.verify')}</Typography.Title>
      <Space.Compact style={{ width: '100%', maxWidth: 520, marginBottom: 16 }}>
        <Input
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          aria-label={t('hall.verify.code')}
        />
        <Button
          type="primary"
          onClick={() => {
            setUpload(null);
            setAsked(code.trim().toUpperCase());
          }}
        >
          {t('hall.verify.submit')}
        </Button>
      </Space.Compact>
      {loading ? <Loading /> : null}
      {error ? (
        <Alert type="error" showIcon message={t('hall.verify.invalid')} data-testid="verify-invalid" />
      ) : null}
      {data ? (
        <>
          <Alert
            type="success"
            showIcon
            message={t('hall.verify.valid')}
            style={{ marginBottom: 16 }}
            data-testid="verify-valid"
          />
          <Statement v={data} />
          <div style={{ marginTop: 16 }}>
            <Upload
              accept="application/pdf"
              showUploadList={false}
              beforeUpload={(file) => {
                void hallApi.verifyPdf(data.code, file).then(setUpload);
                return false;
              }}
            >
              <Button>{t('hall.verify.upload')}</Button>
            </Upload>
            {upload ? (
              <Alert
                style={{ marginTop: 12 }}
                type={upload.pdfMatches ? 'success' : 'error'}
                showIcon
                data-testid="verify-upload"
                message={upload.pdfMatches ? t('hall.verify.match') : t('hall.verify.mismatch')}
              />
            ) : null}
          </div>
        </>
      ) : null}
    </Card>
  );
}

/** The public page for a path, or null when the path is not one of them. */
export function publicPage(path: string): ReactNode | null {
  if (path === '/register') return <RegisterPage />;
  if (path === '/demo-sms') return <DemoSmsPage />;
  if (path === '/services') return <ServicesPage />;
  const guide = matchPath('/services/:code', path);
  if (guide) return <ServiceGuidePage code={guide['code'] ?? ''} />;
  if (path === '/verify') return <VerifyPage code="" />;
  const v = matchPath('/verify/:code', path);
  if (v) return <VerifyPage code={v['code'] ?? ''} />;
  return null;
}
