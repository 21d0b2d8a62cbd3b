// 登记追回: on the recovery page, a clerk records a repayment the person made (amount, date received,
// bank reference) or an offset against a month of their future pension; either waits for a reviewer
// (待复核) before it counts. The case's earlier repayments and offsets are listed above the form.
import { Alert, Form, Input, Modal, Radio, Tag } from 'antd';
import { DatePicker } from '../../components/DatePicker.tsx';
import dayjs, { type Dayjs } from 'dayjs';
import type { RecoveryCase } from '../../api.ts';
import { recoveryApi, type CollectionInput, type RecoveryCollection } from '../../api-recovery.ts';
import { ErrorAlert, useLoad } from '../../components/common.tsx';
import { useBusyCall } from '../../components/useBusyCall.ts';
import { MoneyInput, moneyProblem } from '../../components/MoneyInput.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatDate, formatMoney, formatPeriod, todayIso, yuanToFen } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

interface Values {
  kind: 'repayment' | 'offset';
  amountYuan: string;
  receivedDate?: Dayjs;
  bankRef?: string;
  month?: Dayjs;
  note?: string;
}

const STATUS_COLOR: Record<RecoveryCollection['status'], string> = {
  recorded: 'green',
  applied: 'green',
  scheduled: 'blue',
};

export function RecoveryCollectModal({
  target,
  onClose,
  onPrepared,
}: {
  target: RecoveryCase | null;
  onClose: () => void;
  onPrepared: () => void;
}) {
  const { t, lang } = useI18n();
  const today = dayjs(todayIso());
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'repayment';
  const { busy, error, run, clearError } = useBusyCall();
  const history = useLoad(target ? () => recoveryApi.collections(target.id) : null, [target?.id]);

  const submit = async (v: Values) => {
    if (!target) return;
    const amountFen = yuanToFen(v.amountYuan) ?? 0;
    const note = v.note?.trim() ? { note: v.note.trim() } : {};
    const body: CollectionInput =
      v.kind === 'repayment'
        ? {
            kind: 'repayment',
            amountFen,
            receivedDate: (v.receivedDate ?? today).format('YYYY-MM-DD'),
            ...(v.bankRef?.trim() ? { bankRef: v.bankRef.trim() } : {}),
            ...note,
          }
        : { kind: 'offset', amountFen, period: (v.month ?? today).format('YYYY-MM'), ...note };
    await run(() => recoveryApi.prepareCollection(target.id, body), onPrepared);
  };

  return (
    <Modal
      open={target !== null}
      title={target ? `${t('recovery.collect')} · ${target.personName}` : ''}
      onCancel={onClose}
      okText={t('personAction.confirm')}
      cancelText={t('personAction.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      // the next case's dialog does not open on this one's refusal
      afterClose={clearError}
      destroyOnHidden
    >
      {target ? (
        <p>{t('recovery.collect.hint', { amount: formatMoney(target.amountFen - target.recoveredFen) })}</p>
      ) : null}
      <ErrorAlert error={history.error} />
      {(history.data ?? []).length > 0 ? (
        <Table<RecoveryCollection>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={history.data ?? []}
          style={{ marginBottom: 12 }}
          columns={[
            {
              title: t('recovery.collect.kind'),
              dataIndex: 'kind',
              render: (k: RecoveryCollection['kind'], c) =>
                k === 'repayment'
                  ? `${t('recovery.collect.repayment')} ${formatDate(c.receivedDate, lang)}`
                  : `${t('recovery.collect.offset')} ${c.period ? formatPeriod(c.period, lang) : ''}`,
            },
            {
              title: t('recovery.amount'),
              dataIndex: 'amountFen',
              align: 'right',
              render: (f: number) => <span className="money">{formatMoney(f)}</span>,
            },
            {
              title: t('enrolment.status'),
              dataIndex: 'status',
              render: (s: RecoveryCollection['status']) => (
                <Tag color={STATUS_COLOR[s]}>{t(`recovery.collect.status.${s}`)}</Tag>
              ),
            },
          ]}
        />
      ) : null}
      <ErrorAlert error={error} />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'repayment', receivedDate: today }}
        onFinish={(v) => void submit(v)}
        preserve={false}
      >
        <Form.Item name="kind" label={t('recovery.collect.kind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'repayment', label: t('recovery.collect.repayment') },
              { value: 'offset', label: t('recovery.collect.offset') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="amountYuan"
          label={t('recovery.collect.amount')}
          rules={[
            {
              required: true,
              validator: async (_, v: string | undefined) => {
                const problem = moneyProblem(v, t);
                if (problem) throw new Error(problem);
                if ((yuanToFen(v ?? '') ?? 0) <= 0) throw new Error(t('form.required'));
              },
            },
          ]}
        >
          <MoneyInput />
        </Form.Item>
        {kind === 'repayment' ? (
          <>
            <Form.Item
              name="receivedDate"
              label={t('recovery.collect.receivedDate')}
              rules={[{ required: true }]}
            >
              <DatePicker upToToday style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="bankRef" label={t('recovery.collect.bankRef')}>
              <Input maxLength={64} />
            </Form.Item>
          </>
        ) : (
          <>
            <Alert
              type="info"
              showIcon
              title={t('recovery.collect.offsetHint')}
              style={{ marginBottom: 12 }}
            />
            <Form.Item name="month" label={t('recovery.collect.month')} rules={[{ required: true }]}>
              <DatePicker
                picker="month"
                disabledDate={(d) => d.isBefore(today, 'month')}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="note" label={t('recovery.collect.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
