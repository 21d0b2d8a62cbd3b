// The hall's pages inside the portals: my applications (citizen, employer), an application with its
// history and the actions open to the reader, messages, certificates and the staff work queue (the
// access statistics: StatisticsPage.tsx).
import {
  Alert,
  App as AntApp,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Grid,
  Input,
  List,
  Row,
  Select,
  Space,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { PageProps } from '../../pages.tsx';
import { Link, navigate } from '../../router.tsx';
import { DeadlineClock, pager, StatusTag, useServiceName } from './common.tsx';
import { downloadCertificate, hallApi, type AppAction, type Application } from './hallApi.ts';
import { formatDate, formatDateTime, noteInLanguage } from '../../format.ts';

function usePortal(): string {
  const { user } = useAuth();
  return user?.role === 'citizen' ? 'citizen' : user?.role === 'employer' ? 'employer' : 'agency';
}

export function ApplicationsPage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const portal = usePortal();
  const name = useServiceName();
  const { message } = AntApp.useApp();
  const [page, setPage] = useState(1);
  const { data, error, loading, reload } = useLoad(() => hallApi.applications(page), [page]);
  const services = useLoad(() => hallApi.services(), []);
  const role = user?.role === 'employer' ? 'employer' : 'citizen';
  const offered = (services.data?.items ?? []).filter((s) => s.hallHandled && s.applicants.includes(role));
  const [busy, setBusy] = useState(false);
  const [applyError, setApplyError] = useState<unknown>(null);
  const [form] = Form.useForm<{ serviceCode: string; note?: string }>();
  // on a phone the fields one under another, each the card's width (inline, they stood ragged at 280 and 240 px)
  const narrow = !Grid.useBreakpoint().md;
  return (
    <>
      <PageTitle>{t('page.hall.applications')}</PageTitle>
      <Card title={t('hall.app.new')} style={{ marginBottom: 16 }}>
        <ErrorAlert error={applyError} />
        <Form
          form={form}
          layout={narrow ? 'vertical' : 'inline'}
          onFinish={(v) => {
            setBusy(true);
            setApplyError(null);
            hallApi
              .apply({ serviceCode: v.serviceCode, ...(v.note ? { note: v.note } : {}) })
              .then((a) => {
                void message.success(`${name(a)} · ${t('hall.status.submitted')}`);
                form.resetFields();
                reload();
              })
              .catch(setApplyError)
              .finally(() => setBusy(false));
          }}
        >
          <Form.Item name="serviceCode" rules={[{ required: true, message: t('hall.app.choose') }]}>
            <Select
              style={narrow ? {} : { minWidth: 280 }}
              placeholder={t('hall.app.choose')}
              aria-label={t('hall.app.choose')}
              options={offered.map((s) => ({ value: s.code, label: name(s) }))}
              showSearch
              optionFilterProp="label"
            />
          </Form.Item>
          <Form.Item name="note">
            <Input
              placeholder={t('hall.app.note')}
              aria-label={t('hall.app.note')}
              style={narrow ? {} : { minWidth: 240 }}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('hall.app.submit')}
          </Button>
        </Form>
      </Card>
      <ErrorAlert error={error} onRetry={reload} />
      <Card>
        <Table<Application>
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          scroll={{ x: 720 }}
          locale={{ emptyText: <EmptyState title={t('hall.app.empty')} hint={t('hall.app.empty.hint')} /> }}
          pagination={pager(page, data?.total, setPage)}
          columns={[
            { title: '#', dataIndex: 'id', width: 70 },
            {
              title: t('hall.app.service'),
              render: (_, a) => <Link to={`/${portal}/applications/${a.id}`}>{name(a)}</Link>,
            },
            {
              title: t('hall.app.status'),
              render: (_, a) => <StatusTag status={a.status} stage={a.stage} />,
            },
            {
              title: t('hall.app.submittedOn'),
              dataIndex: 'submittedOn',
              onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (d: string) => formatDate(d, lang),
            },
            { title: t('hall.app.deadline'), render: (_, a) => <DeadlineClock a={a} /> },
          ]}
        />
      </Card>
    </>
  );
}

const STAFF_ACTIONS: AppAction[] = ['accept', 'return', 'approve', 'reject', 'complete'];
const APPLICANT_ACTIONS: AppAction[] = ['resubmit', 'withdraw'];
const FROM: Record<AppAction, string[]> = {
  accept: ['submitted'],
  return: ['submitted', 'accepted'],
  approve: ['submitted', 'accepted'],
  reject: ['submitted', 'accepted'],
  complete: ['approved'],
  resubmit: ['returned'],
  withdraw: ['submitted', 'returned'],
};

export function ApplicationDetailPage({ params }: PageProps) {
  const id = Number(params['id']);
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const name = useServiceName();
  const code = useCodeText();
  const { message } = AntApp.useApp();
  const { data, error, loading, reload } = useLoad(() => hallApi.application(id), [id]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [actError, setActError] = useState<unknown>(null);
  if (loading && !data) return <Loading />;
  if (!data) return <ErrorAlert error={error} onRetry={reload} />;
  const staff = user?.role === 'clerk' || user?.role === 'reviewer';
  const applicant = user?.role === 'citizen' || user?.role === 'employer';
  const actions = (staff ? STAFF_ACTIONS : applicant ? APPLICANT_ACTIONS : []).filter((a) =>
    FROM[a].includes(data.status),
  );
  const act = (action: AppAction) => {
    setBusy(true);
    setActError(null);
    hallApi
      .act(id, { action, version: data.version, ...(note.trim() ? { note: note.trim() } : {}) })
      .then(() => {
        void message.success(t('hall.action.done', { action: t(`hall.action.${action}` as MessageKey) }));
        setNote('');
        reload();
      })
      .catch(setActError)
      .finally(() => setBusy(false));
  };
  return (
    <>
      <PageTitle>
        {t('page.hall.application')} #{data.id}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('hall.app.service')}>
            <Link to={`/services/${data.serviceCode}`}>{name(data)}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('hall.app.status')}>
            <span data-testid="app-status">
              <StatusTag status={data.status} stage={data.stage} />
            </span>
          </Descriptions.Item>
          {data.applicantName ? (
            <Descriptions.Item label={t('hall.app.applicant')}>{data.applicantName}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('hall.app.channel')}>
            {t(`hall.channel.${data.channel}` as MessageKey)}
          </Descriptions.Item>
          <Descriptions.Item label={t('hall.app.submittedOn')}>
            {formatDate(data.submittedOn, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={t('hall.app.deadline')}>
            <DeadlineClock a={data} />
          </Descriptions.Item>
          {data.note ? (
            <Descriptions.Item label={t('hall.app.note')}>
              {noteInLanguage(data.note, lang)}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        {data.externalLink || (user?.role === 'citizen' && data.citizenLink) ? (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 12 }}
            message={t('hall.app.external')}
            action={(() => {
              // Staff open the process's page; the citizen their own page of it, as the process
              // reported it (none for applications reported before processes sent one).
              const to = staff ? data.externalLink : user?.role === 'citizen' ? data.citizenLink : null;
              return to ? <Link to={to}>{t('hall.app.open')}</Link> : undefined;
            })()}
          />
        ) : actions.length > 0 ? (
          <div style={{ marginTop: 16 }}>
            <ErrorAlert error={actError} />
            <Input.TextArea
              rows={2}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder={t('hall.action.note')}
              aria-label={t('hall.action.note')}
              style={{ marginBottom: 8 }}
            />
            <Space wrap>
              {actions.map((a) => (
                <Button
                  key={a}
                  onClick={() => act(a)}
                  loading={busy}
                  type={a === 'approve' || a === 'resubmit' || a === 'complete' ? 'primary' : 'default'}
                  danger={a === 'reject'}
                >
                  {t(`hall.action.${a}` as MessageKey)}
                </Button>
              ))}
            </Space>
          </div>
        ) : null}
      </Card>
      <Card title={t('hall.app.history')}>
        <Timeline
          items={data.events.map((e) => ({
            children: (
              <>
                <StatusTag status={e.status as Application['status']} />{' '}
                {formatDateTime(e.at, lang, 'seconds')} · {e.actor ?? code('role', e.role)}
                {e.note ? <div>{noteInLanguage(e.note, lang)}</div> : null}
              </>
            ),
          }))}
        />
      </Card>
    </>
  );
}

export function MessagesPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const [unread, setUnread] = useState(false);
  const { data, error, loading, reload } = useLoad(() => hallApi.messages({ page, unread }), [page, unread]);
  // On a phone the actions go under the message: beside it they squeezed the text to a few characters a line.
  const narrow = !Grid.useBreakpoint().md;
  return (
    <>
      <PageTitle
        extra={
          <Space>
            <Checkbox checked={unread} onChange={(e) => setUnread(e.target.checked)}>
              {t('hall.msg.unreadOnly')}
            </Checkbox>
            {/* nothing unread: a button that would do nothing */}
            <Button
              disabled={!data || data.unread === 0}
              onClick={() => void hallApi.markAllRead().then(reload)}
            >
              {t('hall.msg.markAll')}
            </Button>
          </Space>
        }
      >
        {t('page.hall.messages')}{' '}
        {data ? <Badge count={data.unread} title={t('hall.msg.unread', { n: data.unread })} /> : null}
      </PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      <Card>
        <List
          loading={loading}
          itemLayout={narrow ? 'vertical' : 'horizontal'}
          dataSource={data?.items ?? []}
          locale={{ emptyText: <EmptyState title={t('hall.msg.empty')} hint={t('hall.msg.empty.hint')} /> }}
          pagination={pager(page, data?.total, setPage)}
          renderItem={(m) => (
            <List.Item
              data-testid="message"
              actions={[
                m.link ? (
                  <Button
                    key="open"
                    type="link"
                    onClick={() => void hallApi.markRead(m.id).finally(() => navigate(m.link ?? '/'))}
                  >
                    {t('hall.msg.open')}
                  </Button>
                ) : null,
                !m.read ? (
                  <Button key="read" type="link" onClick={() => void hallApi.markRead(m.id).then(reload)}>
                    {t('hall.msg.markRead')}
                  </Button>
                ) : null,
              ].filter(Boolean)}
            >
              <List.Item.Meta
                avatar={<Badge dot={!m.read} />}
                title={
                  <span style={{ fontWeight: m.read ? 400 : 600 }}>
                    {lang === 'zh-CN' ? m.titleZh : m.titleEn}
                  </span>
                }
                description={
                  <>
                    {lang === 'zh-CN' ? m.bodyZh : m.bodyEn}
                    <br />
                    <Typography.Text type="secondary">{formatDateTime(m.createdAt, lang)}</Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}

export function CertificatesPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const personId = user?.personId ?? null;
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;
  const items = [
    {
      key: 'insurance',
      file: 'certificate',
      url: `/api/v1/persons/${personId}/certificate.pdf`,
      title: t('hall.cert.insurance'),
      hint: t('hall.cert.insurance.hint'),
    },
    {
      key: 'record',
      file: 'record',
      url: `/api/v1/persons/${personId}/record-statement.pdf`,
      title: t('hall.cert.record'),
      hint: t('hall.cert.record.hint'),
    },
  ];
  return (
    <>
      <PageTitle>{t('page.hall.certificates')}</PageTitle>
      <ErrorAlert error={error} />
      <Row gutter={[16, 16]}>
        {items.map((c) => (
          <Col key={c.key} xs={24} md={12}>
            <Card title={c.title}>
              <Typography.Paragraph type="secondary">{c.hint}</Typography.Paragraph>
              <Button
                type="primary"
                loading={busy === c.key}
                data-testid={`download-${c.key}`}
                onClick={() => {
                  setBusy(c.key);
                  setError(null);
                  downloadCertificate(c.url, c.file)
                    .then((code) => setCodes((m) => ({ ...m, [c.key]: code })))
                    .catch(setError)
                    .finally(() => setBusy(null));
                }}
              >
                {t('hall.cert.download')}
              </Button>
              {codes[c.key] ? (
                <Alert
                  style={{ marginTop: 12 }}
                  type="success"
                  showIcon
                  message={
                    <span data-testid={`code-${c.key}`}>
                      {t('hall.cert.code', { code: codes[c.key] ?? '' })}
                    </span>
                  }
                  action={<Link to={`/verify/${codes[c.key] ?? ''}`}>{t('hall.cert.verify')}</Link>}
                />
              ) : null}
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}

export function QueuePage() {
  const { t, lang } = useI18n();
  const name = useServiceName();
  const [page, setPage] = useState(1);
  const [overdue, setOverdue] = useState(false);
  const [sort, setSort] = useState<'deadline' | 'submitted'>('deadline');
  const { data, error, loading, reload } = useLoad(
    () => hallApi.queue({ page, overdue, sort }),
    [page, overdue, sort],
  );
  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {data ? (
              <Badge
                count={data.overdue}
                showZero
                color={data.overdue ? 'red' : 'green'}
                title={t('hall.app.overdueCount', { n: data.overdue })}
              />
            ) : null}
            <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)}>
              {t('hall.app.overdueOnly')}
            </Checkbox>
            <Select
              value={sort}
              onChange={setSort}
              aria-label={t('hall.app.sortBy')}
              options={[
                { value: 'deadline', label: t('hall.app.deadline') },
                { value: 'submitted', label: t('hall.app.submittedOn') },
              ]}
            />
          </Space>
        }
      >
        {t('page.hall.queue')}
      </PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      <Card>
        <Table<Application>
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          scroll={{ x: 960 }}
          rowClassName={(a) => (a.overdue ? 'hall-overdue' : '')}
          locale={{ emptyText: <EmptyState title={t('hall.app.empty')} /> }}
          pagination={pager(page, data?.total, setPage)}
          columns={[
            { title: '#', dataIndex: 'id', width: 70 },
            {
              title: t('hall.app.service'),
              render: (_, a) => <Link to={`/agency/applications/${a.id}`}>{name(a)}</Link>,
            },
            {
              title: t('hall.app.applicant'),
              dataIndex: 'applicantName',
              render: (n: string | null) => n ?? '—',
            },
            {
              title: t('hall.app.status'),
              render: (_, a) => <StatusTag status={a.status} stage={a.stage} />,
            },
            {
              title: t('hall.app.channel'),
              onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (_, a) => t(`hall.channel.${a.channel}` as MessageKey),
            },
            {
              title: t('hall.app.submittedOn'),
              dataIndex: 'submittedOn',
              onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (d: string) => formatDate(d, lang),
            },
            { title: t('hall.app.deadline'), render: (_, a) => <DeadlineClock a={a} /> },
          ]}
        />
      </Card>
    </>
  );
}
