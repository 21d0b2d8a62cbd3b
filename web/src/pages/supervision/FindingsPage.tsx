// 监管疑点: the region's findings from the detectors, with triage — dismiss with a reason, or open
// a case (once per finding; the server refuses a stale version). The supervisor can scan the region
// now (about a second for a city) instead of waiting for the daily scan.
import { Alert, App, Button, Card, Form, Input, Modal, Segmented, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useAuth, useCan } from '../../auth.tsx';
import { supervisionApi, type Finding, type FindingStatus } from '../../api-supervision.ts';
import { emptyTable, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { navigate } from '../../router.tsx';
import { findingSummary } from './summary.ts';

const COLOR: Record<string, string> = { open: 'orange', dismissed: 'default', case: 'blue' };

export function FindingsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const code = useCodeText();
  const [status, setStatus] = useState<FindingStatus>('open');
  const list = useLoad(() => supervisionApi.findings({ status }), [status]);
  const [target, setTarget] = useState<{ f: Finding; action: 'dismiss' | 'case' } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ text?: string }>();
  const { user } = useAuth();
  const can = useCan();
  const [scanning, setScanning] = useState(false);

  const scanNow = async () => {
    if (!user?.region) return;
    setScanning(true);
    setError(null);
    try {
      const r = await supervisionApi.scan(user.region);
      void message.success(t('sv.scan.done', { total: r.total, added: r.newTotal }));
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setScanning(false);
    }
  };

  const close = () => {
    setTarget(null);
    setError(null);
  };
  const submit = async ({ text }: { text?: string }) => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      if (target.action === 'dismiss') {
        await supervisionApi.dismiss(target.f.id, target.f.version, (text ?? '').trim());
        void message.success(t('sv.dismissed'));
        close();
        list.reload();
      } else {
        const r = await supervisionApi.openCase(target.f.id, target.f.version, text?.trim() || undefined);
        void message.success(t('sv.opened'));
        close();
        navigate(`/agency/supervision/cases/${r.caseId}`);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const columns: ColumnsType<Finding> = [
    { title: '#', dataIndex: 'id', width: 70 },
    {
      title: t('sv.detector'),
      dataIndex: 'detector',
      render: (_: string, f) => (lang === 'zh-CN' ? f.detectorZh : f.detectorEn),
    },
    {
      title: t('sv.summary'),
      key: 'summary',
      render: (_: unknown, f) => findingSummary(f, lang),
    },
    {
      title: t('sv.amountAtRisk'),
      dataIndex: 'amountAtRiskFen',
      align: 'right',
      render: (v: number) => formatMoney(v),
    },
    {
      title: t('sv.foundOn'),
      dataIndex: 'foundOn',
      className: 'nowrap',
      render: (d: string) => formatDate(d, lang),
    },
    {
      title: t('sv.status'),
      dataIndex: 'status',
      render: (s: string) => <Tag color={COLOR[s] ?? 'default'}>{code('sv.status', s)}</Tag>,
    },
    {
      title: t('sv.actions'),
      key: 'actions',
      render: (_: unknown, f) =>
        f.status !== 'open' ? null : (
          <span style={{ display: 'inline-flex', gap: 8, flexWrap: 'wrap' }}>
            <Button size="small" type="primary" onClick={() => setTarget({ f, action: 'case' })}>
              {t('sv.openCase')}
            </Button>
            <Button size="small" onClick={() => setTarget({ f, action: 'dismiss' })}>
              {t('sv.dismiss')}
            </Button>
          </span>
        ),
    },
  ];

  return (
    <>
      <PageTitle>{t('page.agency.svFindings')}</PageTitle>
      <Alert type="info" showIcon title={t('sv.findings.hint')} style={{ marginBottom: 16 }} />
      <Card
        extra={
          can('supervision.scan') && user?.region ? (
            <Button loading={scanning} onClick={() => void scanNow()}>
              {t('sv.scan.now')}
            </Button>
          ) : null
        }
      >
        {target === null ? <ErrorAlert error={error} /> : null}
        <Segmented<FindingStatus>
          value={status}
          onChange={setStatus}
          options={(['open', 'case', 'dismissed'] as const).map((s) => ({
            value: s,
            label: t(`sv.status.${s}`),
          }))}
          style={{ marginBottom: 16 }}
        />
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<Finding>
          rowKey="id"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          // narrower than the card at 1280 px (1000 cut the Actions column in English); below it scrolls
          scroll={{ x: 900 }}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          locale={
            status === 'open'
              ? emptyTable(t('empty.findings.open'), t('empty.findings.open.hint'))
              : emptyTable(t('empty.findings.filtered'), t('empty.findings.filtered.hint'))
          }
        />
      </Card>
      <Modal
        open={target !== null}
        title={
          target
            ? `${t(target.action === 'case' ? 'sv.openCase' : 'sv.dismiss')} · ${t('sv.finding', { id: target.f.id })}`
            : ''
        }
        onCancel={close}
        okText={t('personAction.confirm')}
        cancelText={t('personAction.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <ErrorAlert error={error} />
        {target ? <p>{findingSummary(target.f, lang)}</p> : null}
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
          <Form.Item
            name="text"
            label={t(target?.action === 'dismiss' ? 'sv.dismiss.reason' : 'sv.openCase.note')}
            rules={
              target?.action === 'dismiss'
                ? [{ required: true, whitespace: true, min: 2, message: t('form.required') }]
                : []
            }
          >
            <Input.TextArea maxLength={500} rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
