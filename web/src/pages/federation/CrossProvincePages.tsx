// Handled across provinces (跨省通办, 国办发〔2020〕35号; issue 16 item 5): the person applies here for
// an insurance certificate or a record statement of their time in another province; the province
// that holds the record decides from it (cross-province.service.ts, no clerk acts there) and the
// progress and the masked statement come back here. The clerk follows the region's applications.
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Steps,
  Tag,
  Typography,
} from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { PrinterOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { roleCan } from '../../access.ts';
import { request, type Answer, type Body, type Region } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { formatDate, formatMoney, noteInLanguage } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';
import type { PageProps } from '../../pages.tsx';
import { Link, navigate } from '../../router.tsx';
import { hallApi } from '../hall/hallApi.ts';
import { notFederated, NotFederated } from './not-federated.tsx';

type XpRequest = Answer<'/api/v1/cross-province/requests/{id}'>;
type XpBody = Body<'/api/v1/cross-province/requests'>;
type XpService = XpRequest['service'];
type XpStatus = XpRequest['status'];
type Statement = NonNullable<XpRequest['result']>;
const SERVICES: XpService[] = ['record-statement', 'insurance-certificate'];
const STATUS_COLOR: Record<XpStatus, string> = {
  submitted: 'orange',
  accepted: 'blue',
  completed: 'green',
  rejected: 'red',
};

/** The regions, asked once per page load (every table cell and step names provinces). */
let regionsAsked: Promise<Region[]> | null = null;

function useProvinceName() {
  const { lang } = useI18n();
  const regions = useLoad(() => {
    regionsAsked ??= request<Region[]>('GET', '/api/v1/regions').catch((e: unknown) => {
      regionsAsked = null;
      throw e;
    });
    return regionsAsked;
  }, []);
  return (code: string) => {
    const r = regions.data?.find((x) => x.code === code);
    return r ? (lang === 'zh-CN' ? r.nameZh : r.nameEn) : code;
  };
}

export function XpStatusTag({ status }: { status: XpStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="xp-status">
      {t(`xp.status.${status}` as MessageKey)}
    </Tag>
  );
}

function ApplyCard({ staff, onDone }: { staff: boolean; onDone: (id: number) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const name = useProvinceName();
  const provinces = useLoad(
    () => request<Answer<'/api/v1/cross-province/provinces'>>('GET', '/api/v1/cross-province/provinces'),
    [],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ service: XpService; province: string; idNumber?: string }>();
  async function submit(v: { service: XpService; province: string; idNumber?: string }) {
    setBusy(true);
    setError(null);
    try {
      const body: XpBody = {
        service: v.service,
        province: v.province,
        ...(v.idNumber ? { idNumber: v.idNumber.trim() } : {}),
      };
      const r = await request<Answer<'/api/v1/cross-province/requests', 'post'>>(
        'POST',
        '/api/v1/cross-province/requests',
        body,
      );
      void message.success(t('xp.apply.done', { province: name(v.province) }));
      form.resetFields();
      onDone(r.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={t('xp.apply.title')} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">
        {t(staff ? 'xp.apply.introStaff' : 'xp.apply.intro')}
      </Typography.Paragraph>
      <ErrorAlert error={error ?? provinces.error} />
      <Form
        form={form}
        layout="vertical"
        className="form-row"
        initialValues={{ service: 'record-statement' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item name="service" label={t('xp.apply.service')}>
          <Select
            style={{ width: 200 }}
            data-testid="xp-service"
            options={SERVICES.map((s) => ({ value: s, label: t(`xp.service.${s}` as MessageKey) }))}
          />
        </Form.Item>
        <Form.Item
          name="province"
          label={t('xp.apply.province')}
          rules={[{ required: true, message: t('xp.apply.provinceHint') }]}
        >
          <Select
            style={{ width: 200 }}
            data-testid="xp-province"
            placeholder={t('xp.apply.provinceHint')}
            options={(provinces.data?.provinces ?? []).map((p) => ({ value: p, label: name(p) }))}
          />
        </Form.Item>
        {staff ? (
          <Form.Item
            name="idNumber"
            label={t('xp.apply.idNumber')}
            rules={idNumberRules(lang, { eighteen: true })}
          >
            <Input style={{ width: 200 }} data-testid="xp-id-number" />
          </Form.Item>
        ) : null}
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="xp-submit">
            {t('xp.apply.submit')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function RequestTable({ items, base, staff }: { items: XpRequest[]; base: string; staff: boolean }) {
  const { t, lang } = useI18n();
  const name = useProvinceName();
  return (
    <Table<XpRequest>
      rowKey="id"
      size="small"
      dataSource={items}
      scroll={{ x: 720 }}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: <EmptyState title={t('xp.list.none')} /> }}
      columns={[
        {
          title: t('xp.col.id'),
          dataIndex: 'id',
          render: (id: number) => <Link to={`${base}/${id}`}>#{id}</Link>,
        },
        {
          title: t('xp.col.service'),
          dataIndex: 'service',
          render: (s: XpService) => t(`xp.service.${s}` as MessageKey),
        },
        ...(staff
          ? [
              {
                title: t('xp.col.person'),
                dataIndex: 'personName',
                render: (n: string | null) => n ?? '—',
              },
              {
                title: t('xp.col.side'),
                dataIndex: 'side',
                render: (s: XpRequest['side']) => t(`xp.side.${s}` as MessageKey),
              },
              {
                title: t('xp.col.route'),
                render: (_: unknown, r: XpRequest) => `${name(r.filedIn)} → ${name(r.handledBy)}`,
              },
            ]
          : [
              {
                title: t('xp.col.handledBy'),
                dataIndex: 'handledBy',
                render: (p: string) => name(p),
              },
            ]),
        {
          title: t('xp.col.status'),
          dataIndex: 'status',
          render: (s: XpStatus) => <XpStatusTag status={s} />,
        },
        {
          title: t('xp.col.submitted'),
          dataIndex: 'createdAt',
          render: (d: string) => formatDate(d, lang),
        },
        {
          title: t('xp.col.closed'),
          dataIndex: 'closedOn',
          render: (d: string | null) => formatDate(d, lang),
        },
      ]}
    />
  );
}

function RequestsPage({ staff }: { staff: boolean }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const list = useLoad(() => request<XpRequest[]>('GET', '/api/v1/cross-province/requests'), []);
  const base = staff ? '/agency/cross-province' : '/citizen/cross-province';
  const title = t(staff ? 'page.agency.crossProvince' : 'page.citizen.crossProvince');
  if (notFederated(list.error)) return <NotFederated title={title} />;
  return (
    <>
      <PageTitle>{title}</PageTitle>
      {roleCan(user?.role, 'transfer.apply') ? (
        <ApplyCard staff={staff} onDone={(id) => navigate(`${base}/${id}`)} />
      ) : null}
      <Card
        title={t(staff ? 'xp.list.region' : 'xp.list.mine')}
        extra={
          <Button size="small" onClick={list.reload}>
            ↻
          </Button>
        }
      >
        {staff ? (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('xp.list.readOnly')} />
        ) : null}
        <ErrorAlert error={list.error} onRetry={list.reload} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data ? <RequestTable items={list.data} base={base} staff={staff} /> : null}
      </Card>
    </>
  );
}

export function MyCrossProvincePage() {
  return <RequestsPage staff={false} />;
}

export function AgencyCrossProvincePage() {
  return <RequestsPage staff />;
}

/** 已提交 → 对方省受理 → 已办结 / 已退回, each with the day it was done. */
function Progress({ r }: { r: XpRequest }) {
  const { t, lang } = useI18n();
  const name = useProvinceName();
  const vars = {
    filedIn: name(r.filedIn),
    handledBy: name(r.handledBy),
    service: t(`xp.service.${r.service}` as MessageKey),
  };
  const closed = r.status === 'completed' || r.status === 'rejected';
  const current = closed ? 3 : r.status === 'accepted' ? 2 : 1;
  const day = (d: string | null) => (d ? formatDate(d, lang) : t('xp.step.waiting'));
  return (
    <Steps
      direction="vertical"
      size="small"
      current={closed ? 2 : current}
      status={r.status === 'rejected' ? 'error' : closed ? 'finish' : 'process'}
      items={[
        {
          title: t('xp.step.submitted'),
          description: (
            <div data-testid="xp-step-submitted">
              {formatDate(r.createdAt, lang)} · {t('xp.step.submitted.desc', vars)}
            </div>
          ),
        },
        {
          title: t('xp.step.accepted'),
          description: (
            <div data-testid="xp-step-accepted">
              {day(r.acceptedOn)}
              {r.acceptedOn ? ` · ${t('xp.step.accepted.desc', vars)}` : ''}
            </div>
          ),
        },
        {
          title: t(
            r.status === 'completed'
              ? 'xp.step.completed'
              : r.status === 'rejected'
                ? 'xp.step.rejected'
                : 'xp.step.closed',
          ),
          description: (
            <div data-testid="xp-step-closed">
              {day(r.closedOn)}
              {r.status === 'completed' ? ` · ${t('xp.step.completed.desc', vars)}` : ''}
              {r.status === 'rejected' && r.note ? ` · ${noteInLanguage(r.note, lang)}` : ''}
            </div>
          ),
        },
      ]}
    />
  );
}

/** What the holding province stated, as it sent it (name and ID number masked). */
function StatementView({ r, s }: { r: XpRequest; s: Statement }) {
  const { t, lang } = useI18n();
  const name = useProvinceName();
  return (
    <Card
      data-testid="xp-statement"
      title={t('xp.stmt.title', {
        service: t(`xp.service.${r.service}` as MessageKey),
        province: name(s.province),
      })}
    >
      <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
        <Descriptions.Item label={t('xp.stmt.name')}>{s.nameMasked}</Descriptions.Item>
        <Descriptions.Item label={t('xp.stmt.idNumber')}>{s.idNumberMasked}</Descriptions.Item>
        <Descriptions.Item label={t('xp.stmt.province')}>{name(s.province)}</Descriptions.Item>
        <Descriptions.Item label={t('xp.stmt.asOf')}>{formatDate(s.asOf, lang)}</Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('xp.stmt.masked')}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="scheme"
        pagination={false}
        dataSource={s.schemes}
        locale={{ emptyText: t('xp.stmt.none') }}
        columns={[
          {
            title: t('xp.stmt.scheme'),
            dataIndex: 'scheme',
            render: (k: string) => t(`scheme.${k}` as MessageKey),
          },
          {
            title: t('xp.stmt.schemeStatus'),
            dataIndex: 'status',
            render: (k: string) => t(`xp.stmt.status.${k}` as MessageKey),
          },
          {
            title: t('xp.stmt.since'),
            dataIndex: 'since',
            render: (d: string) => formatDate(d, lang),
          },
          {
            title: t('xp.stmt.until'),
            dataIndex: 'until',
            render: (d: string | null) => formatDate(d, lang),
          },
          {
            title: t('xp.stmt.months'),
            dataIndex: 'months',
            align: 'right',
            render: (n: number) => t('xp.stmt.monthsN', { n }),
          },
        ]}
      />
      {s.accounts ? (
        <Descriptions
          style={{ marginTop: 16 }}
          title={t('xp.stmt.accounts')}
          column={1}
          size="small"
          bordered
          data-testid="xp-accounts"
        >
          <Descriptions.Item label={t('xp.stmt.employeeAccount')}>
            {formatMoney(s.accounts.employeePensionFen)}
          </Descriptions.Item>
          <Descriptions.Item label={t('xp.stmt.residentAccount')}>
            {formatMoney(s.accounts.residentPensionFen)}
          </Descriptions.Item>
        </Descriptions>
      ) : null}
    </Card>
  );
}

export function CrossProvinceDetailPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const id = Number(params['id']);
  const r = useLoad(() => request<XpRequest>('GET', `/api/v1/cross-province/requests/${id}`), [id]);
  const catalogue = useLoad(() => hallApi.service(r.data?.service ?? 'record-statement'), [r.data?.service]);
  const name = useProvinceName();
  const citizen = user?.role === 'citizen';
  // The catalogue's time limit of the service (its notes are the local counter's, not shown here).
  const limitOf = (wd: number | null) =>
    wd === null
      ? t('hall.services.none')
      : wd === 0
        ? t('hall.services.immediate')
        : t('hall.services.workingDays', { n: wd });
  return (
    <>
      <PageTitle
        extra={
          <Space className="no-print">
            {r.data?.status === 'completed' ? (
              <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="xp-print">
                {t('xp.detail.print')}
              </Button>
            ) : null}
            <Link to={citizen ? '/citizen/cross-province' : '/agency/cross-province'}>
              {t(citizen ? 'page.citizen.crossProvince' : 'page.agency.crossProvince')}
            </Link>
          </Space>
        }
      >
        {t('xp.detail.title', { id })}
      </PageTitle>
      <ErrorAlert error={r.error} onRetry={r.reload} />
      {r.loading && !r.data ? <Loading /> : null}
      {r.data ? (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Card data-testid="xp-summary" className="no-print">
            <Space wrap>
              <Tag color="geekblue">{t(`xp.service.${r.data.service}` as MessageKey)}</Tag>
              <XpStatusTag status={r.data.status} />
              <span>
                {name(r.data.filedIn)} → {name(r.data.handledBy)}
              </span>
              {r.data.side === 'filed' && !citizen ? (
                <Typography.Text type="secondary">
                  {t('xp.detail.appliedBy', { who: r.data.appliedBy })}
                </Typography.Text>
              ) : null}
              <Button size="small" onClick={r.reload} aria-label="↻">
                ↻
              </Button>
            </Space>
            {r.data.status === 'rejected' ? (
              <Alert
                style={{ marginTop: 12 }}
                type="error"
                message={t('xp.detail.rejected', {
                  province: name(r.data.handledBy),
                  reason: r.data.note ? noteInLanguage(r.data.note, lang) : '',
                })}
              />
            ) : null}
          </Card>
          <Card title={t('xp.detail.progress')} className="no-print">
            <Progress r={r.data} />
            {catalogue.data ? (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                {t('xp.detail.timeLimit', { limit: limitOf(catalogue.data.timeLimit.workingDays) })} ·{' '}
                {t('xp.detail.reference', { ref: catalogue.data.reference })}
              </Typography.Paragraph>
            ) : null}
          </Card>
          {r.data.result ? (
            <StatementView r={r.data} s={r.data.result} />
          ) : r.data.status !== 'rejected' ? (
            <Typography.Text type="secondary">{t('xp.stmt.pending')}</Typography.Text>
          ) : null}
        </Space>
      ) : null}
    </>
  );
}
