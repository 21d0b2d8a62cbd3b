// 查找款项 · 银行退票: a clerk finds a payment of the region by bank reference or bill number and
// prepares its reversal for a reviewer, saying first why (the bank returned it, the wrong bill, a
// duplicate, a keying error: the payer's notice is worded from it) and seeing what the release will do:
// the bill reopens (the payer is told), and for a bill paid together the other receipts go back to held.
import { Alert, App, Button, Card, Form, Input, Modal, Radio, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, type FoundPayment, type ReversalKind } from '../../api.ts';
import { EmptyState, ErrorAlert, useLoad } from '../../components/common.tsx';
import { ApprovalLink } from '../../components/RecordLink.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatMoney } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { receiptColumns } from './receipt-columns.tsx';

const STATUS_COLOR: Record<FoundPayment['status'], string> = {
  matched: 'green',
  unallocated: 'orange',
  reversed: 'default',
};

/** Why a paid bill's payment is reversed (a held receipt's refund is on the held list). */
const KINDS: readonly ReversalKind[] = ['bank_return', 'wrong_bill', 'duplicate', 'keying_error'];

/** What the release does to the money, by kind: the server's `reversalMoney` (reversal.rules.ts). */
const MONEY = {
  bank_return: 'reversal.money.returnedByBank',
  wrong_bill: 'reversal.money.toHeld',
  duplicate: 'reversal.money.withdrawn',
  keying_error: 'reversal.money.withdrawn',
  refund: 'reversal.money.refunded',
} as const satisfies Record<ReversalKind, string>;

export function PaymentReturn() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [query, setQuery] = useState<string | null>(null);
  // digits alone are a bill number; anything else is a bank reference
  const found = useLoad(
    query === null
      ? null
      : () => api.findPayments(/^\d{1,15}$/.test(query) ? { billId: Number(query) } : { bankRef: query }),
    [query],
  );
  const [chosen, setChosen] = useState<FoundPayment | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ reasonKind: ReversalKind; reason: string }>();
  const kind = Form.useWatch('reasonKind', form);
  const close = () => {
    setChosen(null);
    setError(null);
  };
  const submit = async (v: { reasonKind: ReversalKind; reason: string }) => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const a = await api.reversePayment(chosen.paymentId, v.reasonKind, v.reason);
      void message.success(t('return.prepared', { id: a.id }));
      close();
      found.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const items = found.data?.items ?? [];
  const others = chosen?.heldAgain ?? [];
  return (
    <Card title={t('return.title')} style={{ marginTop: 16 }} data-testid="payment-return">
      <Typography.Paragraph type="secondary">{t('return.hint')}</Typography.Paragraph>
      <Input.Search
        aria-label={t('return.search')}
        placeholder={t('return.search')}
        allowClear
        enterButton
        style={{ maxWidth: 420, marginBottom: 12 }}
        onSearch={(v) => setQuery(v.trim() === '' ? null : v.trim())}
      />
      <ErrorAlert error={found.error} />
      {found.data && items.length === 0 ? (
        <EmptyState title={t('return.empty')} />
      ) : query === null ? null : (
        <Table<FoundPayment>
          rowKey="paymentId"
          size="small"
          loading={found.loading}
          dataSource={items}
          pagination={false}
          columns={[
            ...receiptColumns<FoundPayment>(t, lang),
            {
              title: t('held.status'),
              dataIndex: 'status',
              render: (s: FoundPayment['status'], r) => (
                <Tag color={r.reversalReview === null ? STATUS_COLOR[s] : 'blue'}>
                  {r.reversalReview === null ? (
                    t(`return.status.${s}`)
                  ) : (
                    <ApprovalLink id={r.reversalReview}>
                      {t('return.inReview', { id: r.reversalReview })}
                    </ApprovalLink>
                  )}
                </Tag>
              ),
            },
            {
              title: t('held.actions'),
              key: 'actions',
              // a held receipt is refunded from the list above; only a paid bill's payment is returned here
              render: (_, r) =>
                r.status === 'matched' && r.reversalReview === null ? (
                  <Button size="small" danger onClick={() => setChosen(r)}>
                    {t('return.action')}
                  </Button>
                ) : null,
            },
          ]}
        />
      )}
      <Modal
        open={chosen !== null}
        title={
          chosen
            ? `${t('return.dialogTitle')} · ${chosen.bankRef ?? ''} · ${formatMoney(chosen.amountFen)}`
            : ''
        }
        onCancel={close}
        okText={t('personAction.confirm')}
        cancelText={t('personAction.cancel')}
        okButtonProps={{ danger: true }}
        confirmLoading={busy}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        {chosen?.billId != null ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="return-preview"
            title={t('return.reopens', { bill: chosen.billId })}
            description={
              others.length > 0
                ? t('return.heldAgain', {
                    count: others.length,
                    receipts: others
                      .map((o) => `${o.bankRef ?? `#${o.paymentId}`} ${formatMoney(o.amountFen)}`)
                      .join(lang === 'en' ? '; ' : '；'),
                  })
                : undefined
            }
          />
        ) : null}
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" preserve={false} onFinish={(v) => void submit(v)}>
          <Form.Item
            name="reasonKind"
            label={t('return.kind')}
            extra={t('return.kindHint')}
            rules={[{ required: true, message: t('return.kind.required') }]}
          >
            <Radio.Group
              style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
              options={KINDS.map((k) => ({ value: k, label: t(`reversal.kind.${k}`) }))}
            />
          </Form.Item>
          {kind === undefined ? null : (
            <Alert
              type="info"
              style={{ marginBottom: 12 }}
              data-testid="return-money"
              title={t('reversal.moneyLine', { money: t(MONEY[kind]) })}
            />
          )}
          <Form.Item
            name="reason"
            label={t('return.reason')}
            rules={[{ required: true, min: 2, message: t('held.reason.required') }]}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
