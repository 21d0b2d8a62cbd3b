// Home service (送服务上门): the citizen books a visit for themselves or a family member and follows
// it; the region's clerks see the appointments by deadline, assign a clerk and a day, record the
// visit or refuse. See src/hall/home-service.service.ts.
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { DatePicker } from '../../components/DatePicker.tsx';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { request, type Answer, type Body } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';
import type { PageProps } from '../../pages.tsx';
import { Link } from '../../router.tsx';
import { formatDate } from '../../format.ts';

export type HomeVisit = Answer<'/api/v1/home-visits/{id}'>;
type Status = HomeVisit['status'];
type Outcome = NonNullable<HomeVisit['outcome']>;
type BookBody = Body<'/api/v1/home-visits'>;

const homeApi = {
  list: (status?: Status) =>
    request<Answer<'/api/v1/home-visits'>>('GET', '/api/v1/home-visits', undefined, status ? { status } : {}),
  get: (id: number) => request<HomeVisit>('GET', `/api/v1/home-visits/${id}`),
  book: (b: BookBody) => request<HomeVisit>('POST', '/api/v1/home-visits', b),
  bookingWindow: () =>
    request<Answer<'/api/v1/home-visits/booking-window'>>('GET', '/api/v1/home-visits/booking-window'),
  cancel: (id: number, version: number) =>
    request<HomeVisit>('POST', `/api/v1/home-visits/${id}/cancel`, { version }),
  staff: () => request<Answer<'/api/v1/home-visits/staff'>>('GET', '/api/v1/home-visits/staff'),
  assign: (id: number, b: Body<'/api/v1/home-visits/{id}/assign'>) =>
    request<HomeVisit>('POST', `/api/v1/home-visits/${id}/assign`, b),
  done: (id: number, b: Body<'/api/v1/home-visits/{id}/done'>) =>
    request<HomeVisit>('POST', `/api/v1/home-visits/${id}/done`, b),
  refuse: (id: number, b: Body<'/api/v1/home-visits/{id}/refuse'>) =>
    request<HomeVisit>('POST', `/api/v1/home-visits/${id}/refuse`, b),
};

const COLOR: Record<Status, string> = {
  booked: 'blue',
  assigned: 'cyan',
  done: 'green',
  cancelled: 'default',
  refused: 'red',
};

function VisitStatus({ v }: { v: HomeVisit }) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      <Tag color={COLOR[v.status]}>{t(`home.status.${v.status}` as MessageKey)}</Tag>
      {v.outcome === 'not-home' && v.status === 'assigned' ? (
        <Tag color="orange">{t('home.outcome.not-home')}</Tag>
      ) : null}
      {v.overdue ? <Tag color="red">{t('hall.app.overdue')}</Tag> : null}
    </Space>
  );
}

/** The citizen's page: book a visit, and the appointments they booked or that were booked for them. */
export function CitizenHomeServicePage() {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const { data, error, loading, reload } = useLoad(() => homeApi.list(), []);
  const [form] = Form.useForm<BookBody & { forWhom: 'self' | 'family'; date: Dayjs }>();
  const forWhom = Form.useWatch('forWhom', form) ?? 'self';
  const [busy, setBusy] = useState(false);
  const [bookError, setBookError] = useState<unknown>(null);
  // The days the booking takes, from the server (holidays left out); until it answers none is offered.
  const bookable = useLoad(() => homeApi.bookingWindow(), []);
  const days = new Set(bookable.data?.days ?? []);
  const firstDay = bookable.data?.days[0];
  useEffect(() => {
    if (firstDay && !form.getFieldValue('date')) form.setFieldValue('date', dayjs(firstDay));
  }, [firstDay, form]);
  const required = [{ required: true, message: t('hall.required') }];
  return (
    <>
      <PageTitle>{t('page.hall.home')}</PageTitle>
      <Card title={t('home.book')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('home.hint')}</Typography.Paragraph>
        <ErrorAlert error={bookError} />
        <Form
          form={form}
          layout="vertical"
          style={{ maxWidth: 640 }}
          initialValues={{
            forWhom: 'self',
            group: 'elderly',
            preferredSlot: 'am',
          }}
          onFinish={(v) => {
            setBusy(true);
            setBookError(null);
            const body: BookBody = {
              group: v.group,
              serviceWanted: v.serviceWanted,
              address: v.address,
              contactPhone: v.contactPhone,
              preferredDate: v.date.format('YYYY-MM-DD'),
              preferredSlot: v.preferredSlot,
              ...(v.forWhom === 'family'
                ? {
                    idNumber: v.idNumber ?? '',
                    name: v.name ?? '',
                    ...(v.relation ? { relation: v.relation } : {}),
                  }
                : {}),
            };
            homeApi
              .book(body)
              .then(() => {
                void message.success(t('home.booked'));
                form.resetFields();
                if (firstDay) form.setFieldValue('date', dayjs(firstDay));
                reload();
              })
              .catch(setBookError)
              .finally(() => setBusy(false));
          }}
        >
          <Form.Item name="forWhom" label={t('home.forWhom')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'self', label: t('home.forSelf') },
                { value: 'family', label: t('home.forFamily') },
              ]}
            />
          </Form.Item>
          {forWhom === 'family' ? (
            <>
              <Form.Item name="idNumber" label={t('home.idNumber')} rules={idNumberRules(lang)}>
                <Input maxLength={18} autoComplete="off" />
              </Form.Item>
              <Form.Item name="name" label={t('home.name')} rules={required}>
                <Input maxLength={50} autoComplete="off" />
              </Form.Item>
              <Form.Item name="relation" label={t('home.relation')}>
                <Input maxLength={20} />
              </Form.Item>
            </>
          ) : null}
          <Form.Item name="group" label={t('home.group')} rules={required}>
            <Radio.Group
              options={(['elderly', 'disabled', 'bedridden'] as const).map((g) => ({
                value: g,
                label: t(`home.group.${g}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="serviceWanted" label={t('home.serviceWanted')} rules={required}>
            <Input maxLength={200} placeholder={t('home.serviceWanted.hint')} />
          </Form.Item>
          <Form.Item name="address" label={t('home.address')} rules={required}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('home.contactPhone')} rules={required}>
            <Input maxLength={20} inputMode="tel" />
          </Form.Item>
          <Space wrap align="start">
            <Form.Item
              name="date"
              label={t('home.preferredDate')}
              rules={required}
              extra={
                bookable.data ? (
                  <span data-testid="booking-window">
                    {t('home.preferredDate.window', {
                      words: lang === 'zh-CN' ? bookable.data.words.zh : bookable.data.words.en,
                    })}
                  </span>
                ) : undefined
              }
            >
              <DatePicker
                aria-label={t('home.preferredDate')}
                disabledDate={(d) => !days.has(d.format('YYYY-MM-DD'))}
              />
            </Form.Item>
            <Form.Item name="preferredSlot" label={t('home.preferredSlot')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'am', label: t('home.slot.am') },
                  { value: 'pm', label: t('home.slot.pm') },
                ]}
              />
            </Form.Item>
          </Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('home.submit')}
          </Button>
        </Form>
      </Card>
      <ErrorAlert error={bookable.error} onRetry={bookable.reload} />
      <ErrorAlert error={error} onRetry={reload} />
      <Card title={t('home.mine')}>
        <Table<HomeVisit>
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={false}
          scroll={{ x: 640 }}
          locale={{ emptyText: <EmptyState title={t('home.empty')} hint={t('home.empty.hint')} /> }}
          columns={[
            { title: '#', dataIndex: 'id', width: 60 },
            {
              title: t('home.serviceWanted'),
              render: (_, v) => <Link to={`/citizen/home-service/${v.id}`}>{v.serviceWanted}</Link>,
            },
            { title: t('home.person'), dataIndex: 'personName' },
            {
              title: t('home.preferredDate'),
              render: (_, v) => `${formatDate(v.preferredDate, lang)} ${t(`home.slot.${v.preferredSlot}`)}`,
            },
            // the arranged day where the person looks for it, not only on the appointment's page
            { title: t('home.visitDate'), render: (_, v) => formatDate(v.visitDate, lang) },
            { title: t('home.status'), render: (_, v) => <VisitStatus v={v} /> },
          ]}
        />
      </Card>
    </>
  );
}

/** The region's clerks: every appointment by deadline. */
export function AgencyHomeServicePage() {
  const { t, lang } = useI18n();
  const [openOnly, setOpenOnly] = useState(true);
  const { data, error, loading, reload } = useLoad(() => homeApi.list(), []);
  const items = (data?.items ?? []).filter(
    (v) => !openOnly || v.status === 'booked' || v.status === 'assigned',
  );
  return (
    <>
      <PageTitle
        extra={
          <Checkbox checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)}>
            {t('home.filter.open')}
          </Checkbox>
        }
      >
        {t('page.hall.homeQueue')}
      </PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      <Card>
        <Table<HomeVisit>
          rowKey="id"
          loading={loading}
          dataSource={items}
          pagination={{ pageSize: 20 }}
          scroll={{ x: 900 }}
          rowClassName={(v) => (v.overdue ? 'hall-overdue' : '')}
          locale={{ emptyText: <EmptyState title={t('home.empty')} hint={t('home.empty.agency')} /> }}
          columns={[
            { title: '#', dataIndex: 'id', width: 60 },
            {
              title: t('home.person'),
              render: (_, v) => <Link to={`/agency/home-service/${v.id}`}>{v.personName}</Link>,
            },
            { title: t('home.age'), dataIndex: 'age', width: 70 },
            { title: t('home.group'), render: (_, v) => t(`home.group.${v.group}`) },
            { title: t('home.serviceWanted'), dataIndex: 'serviceWanted' },
            { title: t('home.address'), dataIndex: 'address' },
            {
              title: t('home.preferredDate'),
              render: (_, v) => `${formatDate(v.preferredDate, lang)} ${t(`home.slot.${v.preferredSlot}`)}`,
            },
            { title: t('home.deadline'), render: (_, v) => formatDate(v.deadline, lang) },
            { title: t('home.status'), render: (_, v) => <VisitStatus v={v} /> },
            { title: t('home.assignedTo'), render: (_, v) => <Assignee v={v} /> },
          ]}
        />
      </Card>
    </>
  );
}

/** The clerk by name, the login name only on hover: beside the name ("李丽玲（clerk）") it read as an
 * English role tag. */
function Assignee({ v }: { v: { assignedTo: string | null; assignedName: string | null } }) {
  return <span title={v.assignedTo ?? undefined}>{v.assignedName ?? v.assignedTo ?? '—'}</span>;
}

/** One appointment: the citizen may cancel it; a clerk assigns, records the visit or refuses. */
export function HomeVisitPage({ params }: PageProps) {
  const id = Number(params['id']);
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { message } = AntApp.useApp();
  const { data, error, loading, reload } = useLoad(() => homeApi.get(id), [id]);
  const clerk = user?.role === 'clerk';
  const citizen = user?.role === 'citizen';
  const staff = useLoad(() => (clerk ? homeApi.staff() : Promise.resolve({ items: [] })), [clerk]);
  const [assignee, setAssignee] = useState<string | undefined>(user?.username);
  const [visitDate, setVisitDate] = useState<Dayjs | null>(null);
  const [outcome, setOutcome] = useState<Outcome>('served');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [actError, setActError] = useState<unknown>(null);
  if (loading && !data) return <Loading />;
  if (!data) return <ErrorAlert error={error} onRetry={reload} />;
  const open = data.status === 'booked' || data.status === 'assigned';
  const run = (p: Promise<unknown>) => {
    setBusy(true);
    setActError(null);
    p.then(() => {
      void message.success(t('home.saved'));
      setNote('');
      reload();
    })
      .catch(setActError)
      .finally(() => setBusy(false));
  };
  const portal = citizen ? 'citizen' : 'agency';
  // the days the assignment takes, from the server with the appointment
  const assignable = data.assignWindow;
  return (
    <>
      <PageTitle>
        {t('page.hall.homeVisit')} #{data.id}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('home.status')}>
            <span data-testid="visit-status">
              <VisitStatus v={data} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('home.person')}>
            {data.personName} {data.personIdNumber}
            {data.age !== undefined ? ` · ${t('home.age')} ${data.age}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.group')}>{t(`home.group.${data.group}`)}</Descriptions.Item>
          {data.registryGroup !== undefined ? (
            <Descriptions.Item label={t('home.registryGroup')}>{data.registryGroup ?? '—'}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('home.bookedBy')}>
            {data.bookedFor === 'self'
              ? t('home.forSelf')
              : `${t('home.forFamily')}${data.relation ? `（${data.relation}）` : ''}`}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.serviceWanted')}>{data.serviceWanted}</Descriptions.Item>
          <Descriptions.Item label={t('home.address')}>{data.address}</Descriptions.Item>
          <Descriptions.Item label={t('home.contactPhone')}>{data.contactPhone}</Descriptions.Item>
          <Descriptions.Item label={t('home.preferredDate')}>
            {formatDate(data.preferredDate, lang)} {t(`home.slot.${data.preferredSlot}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('home.deadline')}>{formatDate(data.deadline, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('home.assignedTo')}>
            <Assignee v={data} />
          </Descriptions.Item>
          <Descriptions.Item label={t('home.visitDate')}>
            {formatDate(data.visitDate, lang)}
          </Descriptions.Item>
          {data.outcome ? (
            <Descriptions.Item label={t('home.outcome')}>
              {t(`home.outcome.${data.outcome}`)}
              {data.outcomeNote ? `：${data.outcomeNote}` : ''}
            </Descriptions.Item>
          ) : null}
        </Descriptions>
        {citizen && data.bookedFor === 'self' ? (
          <Link to={`/citizen/applications/${data.applicationId}`}>{t('home.application')}</Link>
        ) : !citizen ? (
          <Link to={`/${portal}/applications/${data.applicationId}`}>{t('home.application')}</Link>
        ) : null}
      </Card>
      {open && (citizen || clerk) ? (
        <Card>
          <ErrorAlert error={actError} />
          {citizen ? (
            <Popconfirm
              title={t('home.cancel.confirm')}
              okText={t('home.cancel')}
              okButtonProps={{ danger: true }}
              cancelText={t('home.cancel.keep')}
              onConfirm={() => run(homeApi.cancel(id, data.version))}
            >
              <Button danger loading={busy}>
                {t('home.cancel')}
              </Button>
            </Popconfirm>
          ) : (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Select
                  style={{ minWidth: 200 }}
                  aria-label={t('home.assignedTo')}
                  value={assignee}
                  onChange={setAssignee}
                  options={(staff.data?.items ?? []).map((s, _, all) => ({
                    value: s.username,
                    // the login name only to tell apart two clerks of one name
                    label:
                      all.filter((o) => o.displayName === s.displayName).length > 1
                        ? `${s.displayName}（${s.username}）`
                        : s.displayName,
                  }))}
                />
                <DatePicker
                  aria-label={t('home.visitDate')}
                  value={visitDate}
                  onChange={setVisitDate}
                  disabledDate={(d) =>
                    !assignable ||
                    d.format('YYYY-MM-DD') < assignable.earliest ||
                    d.format('YYYY-MM-DD') > assignable.latest
                  }
                />
                <Button
                  type="primary"
                  loading={busy}
                  disabled={!assignee || !visitDate}
                  onClick={() =>
                    run(
                      homeApi.assign(id, {
                        assignee: assignee ?? '',
                        visitDate: visitDate?.format('YYYY-MM-DD') ?? '',
                        version: data.version,
                        ...(note.trim() ? { note: note.trim() } : {}),
                      }),
                    )
                  }
                >
                  {t('home.assign')}
                </Button>
              </Space>
              {assignable ? (
                <Typography.Text type="secondary" data-testid="assign-window">
                  {t('home.visitDate.window', {
                    words: lang === 'zh-CN' ? assignable.words.zh : assignable.words.en,
                  })}
                </Typography.Text>
              ) : null}
              <Input.TextArea
                rows={2}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                placeholder={t('home.note')}
                aria-label={t('home.note')}
              />
              {data.status === 'assigned' ? (
                <Space wrap>
                  <Radio.Group
                    value={outcome}
                    onChange={(e) => setOutcome(e.target.value as Outcome)}
                    options={(['served', 'not-home', 'referred'] as const).map((o) => ({
                      value: o,
                      label: t(`home.outcome.${o}`),
                    }))}
                  />
                  <Button
                    type="primary"
                    loading={busy}
                    onClick={() =>
                      run(
                        homeApi.done(id, {
                          outcome,
                          version: data.version,
                          ...(note.trim() ? { note: note.trim() } : {}),
                        }),
                      )
                    }
                  >
                    {t('home.done')}
                  </Button>
                </Space>
              ) : null}
              <Button
                danger
                loading={busy}
                disabled={!note.trim()}
                onClick={() => run(homeApi.refuse(id, { note: note.trim(), version: data.version }))}
              >
                {t('home.refuse')}
              </Button>
            </Space>
          )}
        </Card>
      ) : !open ? (
        <Alert type="info" showIcon message={t(`home.status.${data.status}` as MessageKey)} />
      ) : null}
    </>
  );
}
