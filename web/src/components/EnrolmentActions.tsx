// 参保登记 / 终止参保 on the agency's person page: a clerk enrols the person in a scheme (through a
// current employer, as a flexible worker, or in the residents' pension) or ends an enrolment with
// its reason. The server decides eligibility again, answers a refusal in words, and audits both.
import { Button, Form, Input, Modal, Radio, Select } from 'antd';
import { DatePicker } from './DatePicker.tsx';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, type Enrolment, type EnrolmentEndReason, type Scheme } from '../api.ts';
import { useCan } from '../auth.tsx';
import { formatDate, todayIso } from '../format.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { ErrorAlert, useLoad } from './common.tsx';
import { EnrolmentTable, SCHEME_KEY } from './registry.tsx';
import { useDialogForm } from './useDialogForm.ts';

const END_REASONS: EnrolmentEndReason[] = [
  'employment_ended',
  'retirement',
  'death',
  'became_employee',
  'switched_scheme',
  'moved',
  'other',
];
const EMPLOYEE_SCHEMES: Scheme[] = ['employee_pension', 'unemployment', 'injury'];

interface CreateForm {
  kind: Enrolment['kind'];
  scheme?: Scheme;
  employerId?: number;
  startDate?: Dayjs;
}
interface EndForm {
  endDate: Dayjs;
  reason: EnrolmentEndReason;
  note?: string;
}

/** The person's enrolments with the clerk's create and end actions. */
export function ManagedEnrolments({ personId, dead }: { personId: number; dead: boolean }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const [tick, setTick] = useState(0);
  const { dialog, setDialog, busy, error, form, close, run } = useDialogForm<
    { kind: 'create' } | { kind: 'end'; enrolment: Enrolment }
  >(() => setTick((n) => n + 1));
  const kind = Form.useWatch<Enrolment['kind'] | undefined>('kind', form);
  const mayCreate = can('enrolment.create') && !dead;
  const mayEnd = can('enrolment.end');
  // the person's current employers, by name, for an enrolment through an employer
  const employers = useLoad(
    mayCreate && dialog?.kind === 'create'
      ? async () => {
          const list = (await api.personEmployments(personId)).filter((e) => e.endDate === null);
          return Promise.all(
            list.map(async (e) => ({
              value: e.employerId,
              label: await api.employer(e.employerId).then(
                (x) => x.name,
                () => `#${e.employerId}`,
              ),
            })),
          );
        }
      : null,
    [personId, mayCreate, dialog?.kind],
  );

  const submit = (values: unknown) => {
    if (!dialog) return;
    if (dialog.kind === 'create') {
      const v = values as CreateForm;
      const scheme: Scheme =
        v.kind === 'resident' ? 'resident_pension' : v.kind === 'flexible' ? 'employee_pension' : v.scheme!;
      void run(
        () =>
          api.createEnrolment({
            personId,
            kind: v.kind,
            scheme,
            ...(v.kind === 'employee' && v.employerId !== undefined ? { employerId: v.employerId } : {}),
            ...(v.kind !== 'flexible' && v.startDate ? { startDate: v.startDate.format('YYYY-MM-DD') } : {}),
          }),
        t('enrolAction.created'),
      );
    } else {
      const v = values as EndForm;
      void run(
        () =>
          api.endEnrolment(dialog.enrolment.id, {
            endDate: v.endDate.format('YYYY-MM-DD'),
            reason: v.reason,
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          }),
        t('enrolAction.ended'),
      );
    }
  };

  return (
    <>
      {mayCreate ? (
        <Button
          type="primary"
          style={{ marginBottom: 12 }}
          onClick={() => {
            setDialog({ kind: 'create' });
          }}
        >
          {t('enrolAction.create')}
        </Button>
      ) : null}
      <EnrolmentTable
        personId={personId}
        reloadKey={tick}
        {...(mayEnd
          ? {
              actions: {
                title: t('enrolAction.column'),
                render: (e: Enrolment) =>
                  e.status === 'ended' ? null : (
                    <Button
                      size="small"
                      danger
                      onClick={() => {
                        setDialog({ kind: 'end', enrolment: e });
                      }}
                    >
                      {t('enrolAction.end')}
                    </Button>
                  ),
              },
            }
          : {})}
      />
      <Modal
        open={dialog !== null}
        title={
          dialog?.kind === 'end'
            ? `${t('enrolAction.end')} · ${t(SCHEME_KEY[dialog.enrolment.scheme])}`
            : t('enrolAction.create')
        }
        onCancel={close}
        okText={t('personAction.confirm')}
        cancelText={t('personAction.cancel')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <ErrorAlert error={error} />
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          preserve={false}
          initialValues={
            dialog?.kind === 'end'
              ? { endDate: dayjs(todayIso()), reason: 'other' }
              : { kind: 'employee', scheme: 'employee_pension', startDate: dayjs(todayIso()) }
          }
        >
          {dialog?.kind === 'create' ? (
            <>
              <Form.Item name="kind" label={t('enrolment.kind')} rules={[{ required: true }]}>
                <Radio.Group>
                  <Radio value="employee">{t('enrolment.kind.employee')}</Radio>
                  <Radio value="flexible">{t('enrolment.kind.flexible')}</Radio>
                  <Radio value="resident">{t('enrolment.kind.resident')}</Radio>
                </Radio.Group>
              </Form.Item>
              {kind === 'employee' ? (
                <>
                  <Form.Item
                    name="scheme"
                    label={t('enrolment.scheme')}
                    rules={[{ required: true, message: t('form.required') }]}
                  >
                    <Select options={EMPLOYEE_SCHEMES.map((s) => ({ value: s, label: t(SCHEME_KEY[s]) }))} />
                  </Form.Item>
                  <Form.Item
                    name="employerId"
                    label={t('enrolment.employer')}
                    extra={
                      employers.data && employers.data.length === 0 ? t('enrolAction.noEmployer') : undefined
                    }
                    rules={[{ required: true, message: t('form.required') }]}
                  >
                    <Select loading={employers.loading} options={employers.data ?? []} />
                  </Form.Item>
                </>
              ) : (
                <p>{t(kind === 'flexible' ? 'enrolAction.flexible.hint' : 'enrolAction.resident.hint')}</p>
              )}
              {kind !== 'flexible' ? (
                <Form.Item name="startDate" label={t('enrolment.start')}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              ) : null}
            </>
          ) : null}
          {dialog?.kind === 'end' ? (
            <>
              <p>{t('enrolAction.end.hint', { since: formatDate(dialog.enrolment.startDate, lang) })}</p>
              <Form.Item
                name="endDate"
                label={t('enrolment.end')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item
                name="reason"
                label={t('personAction.reason')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <Select
                  options={END_REASONS.map((r) => ({
                    value: r,
                    label: t(`enrolAction.reason.${r}` as MessageKey),
                  }))}
                />
              </Form.Item>
              <Form.Item name="note" label={t('enrolAction.note')}>
                <Input maxLength={500} />
              </Form.Item>
            </>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
