// 暂收款清单: the receipts of the clerk's region that paid no bill, oldest first, with what each names
// and how long it has been held. A clerk allocates one — or ticks a short receipt and its top-up — to
// the open bill they pay exactly, seeing their sum against the amount due, or prepares a refund (退费)
// for a reviewer to release on 待复核.
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
import { ApprovalLink } from '../../components/RecordLink.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { receiptColumns } from './receipt-columns.tsx';

const STATUS_COLOR: Record<HeldReceipt['status'], string> = {
  held: 'orange',
  refundDue: 'red',
  refundReview: 'blue',
  allocateReview: 'purple',
};
const AGES = [0, 7, 30, 90] as const;
// antd's Tag never wraps; an English status with an order number is wider than a phone
const WRAP = { whiteSpace: 'normal', maxWidth: '100%' } as const;

type Action = { kind: 'allocate'; receipts: HeldReceipt[] } | { kind: 'refund'; receipt: HeldReceipt };

/** A bank receipt still to handle can be allocated; an online surplus or a refund in review cannot. */
const allocatable = (r: HeldReceipt) => r.source === 'bank-file' && r.status === 'held';

export function HeldReceipts({ refresh }: { refresh: number }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [minDays, setMinDays] = useState<number>(0);
  const list = useLoad(() => api.heldReceipts(minDays > 0 ? { minDays } : {}), [minDays, refresh]);
  const [action, setAction] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const [chosen, setChosen] = useState<number[]>([]);
  const [billId, setBillId] = useState<number | null>(null);
  const receipts = action?.kind === 'allocate' ? action.receipts : [];
  const sum = receipts.reduce((s, r) => s + r.amountFen, 0);
  // Receipts of two payers do not pay one bill together (the server refuses it too): said before the clerk confirms.
  const mixedPayers =
    new Set(receipts.flatMap((r) => (r.payer ? [`${r.payer.kind}:${r.payer.id}`] : []))).size > 1;
  // The late fee runs to the day the last chosen receipt came: the bill is paid only when all of it is in.
  const lastDay = receipts.reduce((d, r) => (r.paidDate > d ? r.paidDate : d), '');
  const due = useLoad(billId !== null && lastDay !== '' ? () => api.heldBillDue(billId, lastDay) : null, [
    billId,
    lastDay,
  ]);

  const openAllocate = (rs: HeldReceipt[]) => {
    // the bill a receipt names is offered, never the one it was taken off as the wrong bill
    setBillId(rs.find((r) => r.billId !== null && !r.offWrongBill)?.billId ?? null);
    setAction({ kind: 'allocate', receipts: rs });
  };
  const close = () => {
    setAction(null);
    setError(null);
  };
  const submit = async (v: { reason: string }) => {
    if (!action) return;
    setBusy(true);
    setError(null);
    try {
      if (action.kind === 'allocate') {
        const r = await api.allocateReceipts({
          paymentIds: action.receipts.map((x) => x.paymentId),
          billId: billId ?? 0,
          reason: v.reason,
        });
        // held money of no known or another payer waits for a reviewer (202 with the approval)
        if ('kind' in r) void message.info(t('held.allocateReview', { id: r.id }));
        else void message.success(t('held.allocated', { bill: r.billId, amount: formatMoney(r.amountFen) }));
        setChosen([]);
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
  const picked = items.filter((i) => chosen.includes(i.paymentId));
  const gap = due.data ? due.data.due.totalFen - sum : null;
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
      {picked.length > 0 ? (
        <Space wrap style={{ marginBottom: 12 }} data-testid="held-chosen">
          <span>
            {t('held.selected', {
              count: picked.length,
              amount: formatMoney(picked.reduce((s, r) => s + r.amountFen, 0)),
            })}
          </span>
          <Button type="primary" size="small" onClick={() => openAllocate(picked)}>
            {t('held.allocateTogether')}
          </Button>
        </Space>
      ) : null}
      <ErrorAlert error={list.error} />
      {list.data && items.length === 0 ? (
        <EmptyState title={t('held.empty')} />
      ) : (
        <Table<HeldReceipt>
          rowKey="paymentId"
          size="small"
          loading={list.loading}
          dataSource={items}
          rowSelection={{
            selectedRowKeys: chosen,
            onChange: (keys) => setChosen(keys.map(Number)),
            getCheckboxProps: (r) => ({ disabled: !allocatable(r), 'aria-label': r.bankRef ?? '' }),
          }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            ...receiptColumns<HeldReceipt>(t, lang, (r) =>
              r.offWrongBill ? (
                <Tag
                  color="volcano"
                  style={{ ...WRAP, display: 'block', width: 'fit-content', marginTop: 4 }}
                  data-testid="held-off-wrong-bill"
                >
                  {t('held.offWrongBill')}
                </Tag>
              ) : null,
            ),
            { title: t('held.days'), dataIndex: 'daysHeld', align: 'right' },
            {
              title: t('held.status'),
              dataIndex: 'status',
              // 退费待复核 #n on one line; an online order's number beside it still wraps
              width: 124,
              render: (s: HeldReceipt['status'], r) => (
                <Tag color={STATUS_COLOR[s]} style={WRAP}>
                  {r.approvalId === null ? (
                    t(`held.status.${s}`)
                  ) : (
                    // the refund or allocation awaiting review, as the bill's page names it: 待复核 #n, linked
                    // underlined: in the tag's own colour a link does not look like one
                    <span style={{ textDecoration: 'underline' }}>
                      <ApprovalLink id={r.approvalId}>
                        {t(`held.status.${s}`)} #{r.approvalId}
                      </ApprovalLink>
                    </span>
                  )}
                  {r.orderNo ? ` · ${r.orderNo}` : ''}
                </Tag>
              ),
            },
            {
              title: t('held.actions'),
              key: 'actions',
              render: (_, r) =>
                r.status === 'refundReview' || r.status === 'allocateReview' ? null : (
                  <Space>
                    {allocatable(r) ? (
                      <Button size="small" onClick={() => openAllocate([r])}>
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
          action?.kind === 'refund'
            ? `${t('held.refund')} · ${action.receipt.bankRef ?? ''} · ${formatMoney(action.receipt.amountFen)}`
            : action
              ? `${t('held.allocate')} · ${receipts.map((r) => r.bankRef ?? '').join(' + ')} · ${formatMoney(sum)}`
              : ''
        }
        onCancel={close}
        okText={t('personAction.confirm')}
        cancelText={t('personAction.cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: action?.kind === 'allocate' && billId === null }}
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
        <Form form={form} layout="vertical" preserve={false} onFinish={(v) => void submit(v)}>
          {action?.kind === 'allocate' ? (
            <>
              {/* the state, not the form's store: what is weighed is what is allocated */}
              <Form.Item label={t('held.billNo')} htmlFor="held-bill-no" required>
                <InputNumber
                  id="held-bill-no"
                  min={1}
                  precision={0}
                  style={{ width: '100%' }}
                  value={billId}
                  onChange={(v) => setBillId(typeof v === 'number' ? v : null)}
                />
              </Form.Item>
              <div data-testid="held-weigh" style={{ marginBottom: 12 }}>
                {/* one receipt a line, each with its payer: the payers must be one */}
                <div>{t('held.chosen')}:</div>
                {receipts.map((r) => (
                  <div key={r.paymentId} style={{ paddingLeft: 12 }}>
                    {`${r.bankRef ?? ''} ${formatMoney(r.amountFen)} · ${t('held.payer')} ${r.payer?.name ?? t('held.unknownPayer')}`}
                  </div>
                ))}
                {mixedPayers ? (
                  <Alert type="warning" showIcon style={{ margin: '8px 0' }} title={t('held.payersDiffer')} />
                ) : null}
                <div>{t('held.sum', { amount: formatMoney(sum) })}</div>
                <ErrorAlert error={due.error} />
                {due.data ? (
                  <div>
                    {t('held.due', {
                      bill: due.data.billId,
                      period: formatPeriod(due.data.period, lang),
                      amount: formatMoney(due.data.due.totalFen),
                      fee: formatMoney(due.data.due.lateFeeFen),
                      day: formatDate(due.data.on, lang),
                    })}{' '}
                    <Tag
                      color={gap === 0 ? 'green' : gap !== null && gap > 0 ? 'orange' : 'red'}
                      style={WRAP}
                    >
                      {gap === 0
                        ? t('held.diff.exact')
                        : gap !== null && gap > 0
                          ? t('held.diff.short', { amount: formatMoney(gap) })
                          : t('held.diff.over', { amount: formatMoney(-(gap ?? 0)) })}
                    </Tag>
                  </div>
                ) : null}
              </div>
            </>
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
