// 待遇追回: the region's recovery cases (pension paid after a death or without entitlement), what is
// owed and what has come back. A balance that cannot be collected is written off only by two people:
// the clerk prepares the write-off with a reason here and a reviewer releases it on 待复核.
import { Alert, App, Button, Card, Form, Input, Modal, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { api, type RecoveryCase } from '../../api.ts';
import { approvalApi } from '../../api-approvals.ts';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatMoney, formatPeriod } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, navigate, useSearchParam } from '../../router.tsx';
import { RecoveryCollectModal } from './RecoveryCollect.tsx';

const STATUS_COLOR: Record<string, string> = { open: 'orange', recovered: 'green', written_off: 'default' };

export function RecoveryCasesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const code = useCodeText();
  const list = useLoad(() => api.recoveryCases(), []);
  // opened from an approval naming one case (?case=12): that case alone, with the way back to all
  const asked = useSearchParam('case');
  const [showAll, setShowAll] = useState(false);
  const only = !showAll && asked !== null && /^\d{1,15}$/.test(asked) ? Number(asked) : null;
  const shown = only === null ? list.data : (list.data ?? []).filter((c) => c.id === only);
  // write-offs already prepared and waiting for a reviewer: no second one is offered
  const pending = useLoad(
    () => approvalApi.approvals({ status: 'prepared', kind: 'recovery.write-off' }),
    [],
  );
  const [target, setTarget] = useState<RecoveryCase | null>(null);
  const [collecting, setCollecting] = useState<RecoveryCase | null>(null);
  const [justPrepared, setJustPrepared] = useState<Set<number>>(new Set());
  const prepared = new Set([
    ...justPrepared,
    ...(pending.data?.items ?? []).map((a) => Number(a.payload['caseId'])),
  ]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const close = () => {
    setTarget(null);
    setError(null);
  };
  const submit = async ({ reason }: { reason: string }) => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      await approvalApi.prepareWriteOff(target.id, reason.trim());
      setJustPrepared((s) => new Set(s).add(target.id));
      void message.success(t('recovery.prepared'));
      close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const period = (c: RecoveryCase) =>
    c.fromPeriod
      ? `${formatPeriod(c.fromPeriod, lang)} – ${c.toPeriod ? formatPeriod(c.toPeriod, lang) : ''}`
      : '—';

  const columns: ColumnsType<RecoveryCase> = [
    {
      title: t('campaign.name'),
      dataIndex: 'personName',
      render: (name: string, c) => <Link to={`/agency/persons/${c.personId}`}>{name}</Link>,
    },
    { title: t('recovery.reason'), dataIndex: 'reason', render: (r: string) => code('recovery.reason', r) },
    { title: t('recovery.period'), key: 'period', render: (_: unknown, c) => period(c) },
    {
      title: t('recovery.amount'),
      dataIndex: 'amountFen',
      align: 'right',
      render: (f: number) => formatMoney(f),
    },
    {
      title: t('recovery.recovered'),
      dataIndex: 'recoveredFen',
      align: 'right',
      render: (f: number) => formatMoney(f),
    },
    {
      title: t('recovery.outstanding'),
      key: 'outstanding',
      align: 'right',
      render: (_: unknown, c) => formatMoney(c.status === 'open' ? c.amountFen - c.recoveredFen : 0),
    },
    {
      title: t('enrolment.status'),
      dataIndex: 'status',
      render: (s: string) => <Tag color={STATUS_COLOR[s] ?? 'default'}>{code('recovery.status', s)}</Tag>,
    },
    {
      title: t('enrolAction.column'),
      key: 'actions',
      render: (_: unknown, c) =>
        c.status !== 'open' ? null : prepared.has(c.id) ? (
          <Tag color="blue">{t('recovery.awaiting')}</Tag>
        ) : (
          <span style={{ display: 'inline-flex', gap: 8, flexWrap: 'wrap' }}>
            <Button size="small" type="primary" onClick={() => setCollecting(c)}>
              {t('recovery.collect')}
            </Button>
            <Button size="small" onClick={() => setTarget(c)}>
              {t('recovery.writeOff')}
            </Button>
          </span>
        ),
    },
  ];

  return (
    <>
      <PageTitle>{t('page.agency.recovery')}</PageTitle>
      <Alert type="info" showIcon title={t('recovery.hint')} style={{ marginBottom: 16 }} />
      <Card>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        {only !== null ? (
          <Alert
            type="info"
            style={{ marginBottom: 12 }}
            data-testid="recovery-one"
            title={t('recovery.onlyCase', { id: only })}
            action={
              <Button
                size="small"
                onClick={() => {
                  // the same path: the address loses its ?case= and the list shows every case
                  navigate('/agency/recovery', { replace: true });
                  setShowAll(true);
                }}
              >
                {t('recovery.allCases')}
              </Button>
            }
          />
        ) : null}
        <Table<RecoveryCase>
          rowKey="id"
          loading={list.loading}
          columns={columns}
          dataSource={shown ?? []}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: <EmptyState title={t('recovery.empty')} /> }}
        />
      </Card>
      <RecoveryCollectModal
        target={collecting}
        onClose={() => setCollecting(null)}
        onPrepared={() => {
          setCollecting(null);
          void message.success(t('recovery.collect.prepared'));
        }}
      />
      <Modal
        open={target !== null}
        title={target ? `${t('recovery.writeOff')} · ${target.personName}` : ''}
        onCancel={close}
        okText={t('personAction.confirm')}
        cancelText={t('personAction.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <ErrorAlert error={error} />
        {target ? (
          <p>
            {t('recovery.writeOff.hint', { amount: formatMoney(target.amountFen - target.recoveredFen) })}
          </p>
        ) : null}
        <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
          <Form.Item
            name="reason"
            label={t('personAction.reason')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('form.required') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Form>
        <Button type="link" style={{ padding: 0 }} onClick={() => navigate('/agency/approvals')}>
          {t('page.agency.approvals')}
        </Button>
      </Modal>
    </>
  );
}
