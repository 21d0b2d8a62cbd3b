// What a clerk does on a person's page, over the APIs that had no page: correct the person's
// details, record a death, suspend or restore a pension. Each a small form; the server checks
// everything again and audits it.
import { Button, Card, Form, Input, Modal, Space, Tag } from 'antd';
import { DatePicker } from './DatePicker.tsx';
import { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, type Person } from '../api.ts';
import { useCan } from '../auth.tsx';
import { formatMoney, formatPeriod } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { ErrorAlert, useLoad } from './common.tsx';
import { suspendReasonText } from './PensionView.tsx';
import { useCodeText } from './registry.tsx';
import { useDialogForm } from './useDialogForm.ts';

type Dialog =
  | { kind: 'edit' }
  | { kind: 'death' }
  | { kind: 'suspend'; awardId: number }
  | { kind: 'restore'; awardId: number }
  | null;

interface EditForm {
  name: string;
  phone?: string;
  address?: string;
}
interface DeathForm {
  deathDate: Dayjs;
  reason?: string;
}
interface SuspendForm {
  fromPeriod: Dayjs;
  reason: string;
}

export function PersonActions({ person, onChanged }: { person: Person; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const code = useCodeText();
  const [tick, setTick] = useState(0);
  const { dialog, setDialog, busy, error, form, close, run } = useDialogForm<NonNullable<Dialog>>(() => {
    setTick((n) => n + 1);
    onChanged();
  });
  const pension = useLoad(can('pension.read') ? () => api.pension(person.id) : null, [person.id, tick]);
  if (!can('person.update') && !can('person.record-death') && !can('pension.manage')) return null;

  const submit = (values: unknown) => {
    if (!dialog) return;
    if (dialog.kind === 'edit') {
      const v = values as EditForm;
      void run(
        () =>
          api.updatePerson(person.id, {
            version: person.version,
            name: v.name.trim(),
            phone: v.phone?.trim() ? v.phone.trim() : null,
            address: v.address?.trim() ? v.address.trim() : null,
          }),
        t('personAction.edited'),
      );
    } else if (dialog.kind === 'death') {
      const v = values as DeathForm;
      void run(
        () =>
          api.recordDeath(person.id, {
            deathDate: v.deathDate.format('YYYY-MM-DD'),
            version: person.version,
            ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
          }),
        t('personAction.deathRecorded'),
      );
    } else if (dialog.kind === 'suspend') {
      const v = values as SuspendForm;
      void run(
        () =>
          api.suspendAward(dialog.awardId, {
            fromPeriod: v.fromPeriod.format('YYYY-MM'),
            reason: v.reason.trim(),
          }),
        t('personAction.suspended'),
      );
    } else {
      const v = values as { reason: string };
      void run(
        () => api.restoreAward(dialog.awardId, { reason: v.reason.trim() }),
        t('personAction.restored'),
      );
    }
  };

  const awards = pension.data?.awards ?? [];
  const dead = person.deathDate !== null;
  const title =
    dialog?.kind === 'edit'
      ? t('personAction.edit')
      : dialog?.kind === 'death'
        ? t('personAction.death')
        : dialog?.kind === 'suspend'
          ? t('personAction.suspend')
          : t('personAction.restore');

  return (
    <Card title={t('personAction.title')} style={{ marginBottom: 16 }}>
      <Space wrap>
        {can('person.update') && !dead ? (
          <Button
            onClick={() => {
              form.setFieldsValue({
                name: person.name,
                phone: person.phone ?? '',
                address: person.address ?? '',
              });
              setDialog({ kind: 'edit' });
            }}
          >
            {t('personAction.edit')}
          </Button>
        ) : null}
        {can('person.record-death') && !dead ? (
          <Button danger onClick={() => setDialog({ kind: 'death' })}>
            {t('personAction.death')}
          </Button>
        ) : null}
      </Space>
      {awards.length > 0 ? (
        <ul className="award-actions">
          {awards.map((a) => (
            <li key={a.id}>
              <span>
                {code('scheme', a.scheme)} · {formatMoney(a.monthlyFen)} / {t('personAction.month')} ·{' '}
                <Tag>{code('pension.status', a.status)}</Tag>
                {a.suspendedFromPeriod
                  ? t('personAction.suspendedFrom', {
                      month: formatPeriod(a.suspendedFromPeriod, lang),
                      reason: suspendReasonText(a, code),
                    })
                  : ''}
              </span>
              {can('pension.manage') && a.status === 'active' ? (
                <Button size="small" onClick={() => setDialog({ kind: 'suspend', awardId: a.id })}>
                  {t('personAction.suspend')}
                </Button>
              ) : null}
              {can('pension.manage') && a.status === 'suspended' ? (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => setDialog({ kind: 'restore', awardId: a.id })}
                >
                  {t('personAction.restore')}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <Modal
        open={dialog !== null}
        title={title}
        onCancel={close}
        okText={t('personAction.confirm')}
        cancelText={t('personAction.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
          {dialog?.kind === 'edit' ? (
            <>
              <Form.Item
                name="name"
                label={t('person.name')}
                rules={[{ required: true, whitespace: true, message: t('form.required') }]}
              >
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="phone" label={t('person.phone')}>
                <Input maxLength={32} inputMode="tel" />
              </Form.Item>
              <Form.Item name="address" label={t('person.address')}>
                <Input maxLength={300} />
              </Form.Item>
            </>
          ) : null}
          {dialog?.kind === 'death' ? (
            <>
              <p>{t('personAction.death.hint')}</p>
              <Form.Item
                name="deathDate"
                label={t('personAction.deathDate')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <DatePicker style={{ width: '100%' }} upToToday />
              </Form.Item>
              <Form.Item name="reason" label={t('personAction.source')}>
                <Input maxLength={500} placeholder={t('personAction.source.placeholder')} />
              </Form.Item>
            </>
          ) : null}
          {dialog?.kind === 'suspend' ? (
            <>
              <Form.Item
                name="fromPeriod"
                label={t('personAction.fromMonth')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <DatePicker picker="month" style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item
                name="reason"
                label={t('personAction.reason')}
                rules={[{ required: true, whitespace: true, message: t('form.required') }]}
              >
                <Input maxLength={200} />
              </Form.Item>
            </>
          ) : null}
          {dialog?.kind === 'restore' ? (
            <>
              <p>{t('personAction.restore.hint')}</p>
              <Form.Item
                name="reason"
                label={t('personAction.reason')}
                rules={[{ required: true, whitespace: true, message: t('form.required') }]}
              >
                <Input maxLength={200} />
              </Form.Item>
            </>
          ) : null}
        </Form>
      </Modal>
    </Card>
  );
}
