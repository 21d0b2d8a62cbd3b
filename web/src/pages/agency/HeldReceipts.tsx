// 暂收款清单: the receipts of the clerk's region that paid no bill, oldest first, with what each names
// and how long it has been held. A clerk allocates one to the open bill it pays exactly, or prepares
// its refund (退费) for a reviewer to release on 待复核.
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, type HeldReceipt } from '../../api.ts';
import { EmptyState, ErrorAlert, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

const STATUS_COLOR: Record<HeldReceipt['status'], string> = {
  held: 'orange',
  refundDue: 'red',
  refundReview: 'blue',
};
const AGES = [0, 7, 30, 90] as const;
// antd's Tag never wraps; an English status with an order number is wider than a phone
const WRAP = { whiteSpace: 'normal', maxWidth: '100%' } as const;

type Action = { kind: 'allocate' | 'refund'; receipt: HeldReceipt };

export function HeldReceipts({ refresh }: { refresh: number }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [minDays, setMinDays] = useState<number>(0);
  const list = useLoad(() => api.heldReceipts(minDays > 0 ? { minDays } : {}), [minDays, refresh]);
  const [action, setAction] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ billId?: number; reason: string }>();

  const close = () => {
    setAction(null);
    setError(null);
  };
  const submit = async (v: { billId?: number; reason: string }) => {
    if (!action) return;
    setBusy(true);
    setError(null);
    try {
      if (action.kind === 'allocate') {
        const r = await api.allocateReceipt(action.receipt.paymentId, {
          billId: v.billId ?? 0,
          reason: v.reason,
        });
        void message.success(t('held.allocated', { bill: r.billId, amount: formatMoney(r.amountFen) }));
      } else {
        const a = await api.refundReceipt(action.receipt.paymentId, v.reason);
        void message.success(t('held.refundPrepared', { id: a.id }));
      }
      close();
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const items = list.data?.items ?? [];
  return (
    <Card title={t('held.title')} style={{ marginTop: 16 }} data-testid="held-receipts">
      <Typography.Paragraph type="secondary">{t('held.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{t('held.age')}</span>
        <Select<number>
          value={minDays}
          onChange={setMinDays}
          style={{ minWidth: 140 }}
          aria-label={t('held.age')}
          options={AGES.map((d) => ({
            value: d,
            label: d === 0 ? t('held.age.all') : t('held.age.min', { days: d }),
          }))}
        />
        {(list.data?.totals ?? []).map((x) => (
          <Tag
            key={x.status}
            color={STATUS_COLOR[x.status]}
            data-testid={`held-total-${x.status}`}
            style={WRAP}
          >
            {t(`held.status.${x.status}`)}{' '}
            {t('held.total', { count: x.count, amount: formatMoney(x.amountFen) })}
          </Tag>
        ))}
      </Space>
      <ErrorAlert error={list.error} />
      {list.data && items.length === 0 ? (
        <EmptyState title={t('held.empty')} />
      ) : (
        <Table<HeldReceipt>
          rowKey="paymentId"
          size="small"
          loading={list.loading}
          dataSource={items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('held.bankRef'), dataIndex: 'bankRef' },
            { title: t('held.paidDate'), dataIndex: 'paidDate', render: (d: string) => formatDate(d, lang) },
            {
              title: t('held.amount'),
              dataIndex: 'amountFen',
              align: 'right',
              render: (f: number) => <span className="money">{formatMoney(f)}</span>,
            },
            {
              title: t('held.bill'),
              dataIndex: 'billId',
              render: (id: number | null, r) =>
                id === null
                  ? t('held.noBill')
                  : `#${id}${r.billPeriod ? ` · ${formatPeriod(r.billPeriod, lang)}` : ''}`,
            },
            {
              title: t('held.payer'),
              dataIndex: 'payer',
              render: (p: HeldReceipt['payer']) => p?.name ?? t('held.unknownPayer'),
            },
            { title: t('held.days'), dataIndex: 'daysHeld', align: 'right' },
            {
              title: t('held.status'),
              dataIndex: 'status',
              render: (s: HeldReceipt['status'], r) => (
                <Tag color={STATUS_COLOR[s]} style={WRAP}>
                  {t(`held.status.${s}`)}
                  {r.orderNo ? ` · ${r.orderNo}` : ''}
                </Tag>
              ),
            },
            {
              title: t('held.actions'),
              key: 'actions',
              render: (_, r) =>
                r.status === 'refundReview' ? null : (
                  <Space>
                    {r.source === 'bank-file' ? (
                      <Button size="small" onClick={() => setAction({ kind: 'allocate', receipt: r })}>
                        {t('held.allocate')}
                      </Button>
                    ) : null}
                    <Button size="small" danger onClick={() => setAction({ kind: 'refund', receipt: r })}>
                      {t('held.refund')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      )}
      <Modal
        open={action !== null}
        title={
          action
            ? `${t(action.kind === 'allocate' ? 'held.allocate' : 'held.refund')} · ${action.receipt.bankRef ?? ''} · ${formatMoney(action.receipt.amountFen)}`
            : ''
        }
        onCancel={close}
        okText={t('personAction.confirm')}
        cancelText={t('personAction.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        {action ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(action.kind === 'allocate' ? 'held.allocate.hint' : 'held.refund.hint')}
          />
        ) : null}
        <ErrorAlert error={error} />
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ billId: action?.receipt.billId ?? undefined }}
          onFinish={(v) => void submit(v)}
        >
          {action?.kind === 'allocate' ? (
            <Form.Item
              name="billId"
              label={t('held.billNo')}
              rules={[{ required: true, message: t('held.billNo') }]}
            >
              <InputNumber min={1} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          ) : null}
          <Form.Item
            name="reason"
            label={t('held.reason')}
            rules={[{ required: true, min: 2, message: t('held.reason.required') }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
