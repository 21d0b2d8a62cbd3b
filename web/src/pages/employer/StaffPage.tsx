// 职工名册: the employer's staff, add staff (增员: by ID number and name, which must match the
// registry; start an employment, which enrols them) and stop
// staff (减员: end it with a reason). Field errors from the server are shown under the field.
import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Select } from 'antd';
import { DatePicker } from '../../components/DatePicker.tsx';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiError, type EndReason, type StaffItem } from '../../api.ts';
import { useAuth, useCan } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { EmployerCard } from '../../components/EmployerCard.tsx';
import { MoneyInput, moneyRule } from '../../components/MoneyInput.tsx';
import { SCHEME_KEY } from '../../components/registry.tsx';
import { StaffTable } from '../../components/StaffTable.tsx';
import { formatDate, todayIso, yuanToFen } from '../../format.ts';
import { pickMessage, useI18n } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';
import { END_REASONS } from '../../../../src/registry/employment-codes.rules.ts';

interface AddForm {
  idNumber: string;
  name: string;
  startDate: Dayjs;
  wageYuan: string;
}

interface StopForm {
  endDate: Dayjs;
  reason: EndReason;
  note?: string;
}

/** Puts an API error on the form field it names, else answers it for the top of the form. */
function fieldError<T>(
  form: ReturnType<typeof Form.useForm<T>>[0],
  e: unknown,
  lang: 'zh-CN' | 'en',
  map: Record<string, string>,
): unknown {
  if (e instanceof ApiError && e.field) {
    const name = map[e.field.split('.').pop() ?? ''];
    if (name) {
      form.setFields([{ name: name as never, errors: [pickMessage(e.message, lang)] }]);
      return null;
    }
  }
  return e;
}

export function StaffPage() {
  const { t, lang } = useI18n();
  const today = todayIso();
  const { user } = useAuth();
  const can = useCan();
  const { message } = App.useApp();
  const employerId = user?.employerId ?? null;
  const [refreshKey, setRefreshKey] = useState(0);
  const [adding, setAdding] = useState(false);
  const [stopping, setStopping] = useState<StaffItem | null>(null);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<unknown>(null);
  const [addForm] = Form.useForm<AddForm>();
  const [stopForm] = Form.useForm<StopForm>();
  const employer = useLoad(employerId ? () => api.employer(employerId) : null, [employerId]);
  const dateWindow = useLoad(employerId ? () => api.staffWindow(employerId) : null, [employerId]);

  if (!employerId) return <EmptyState title={t('employer.noEmployer')} />;
  const canAdd = can('employment.start');
  // The earliest start or end an employer may give is the server's (a parameter; earlier is the agency's):
  // until it has answered the pickers offer no day rather than a guess.
  const earliest = dateWindow.data ? dayjs(dateWindow.data.earliest) : null;
  const beforeWindow = (d: Dayjs) => earliest === null || d.isBefore(earliest, 'day');
  const windowHint = (key: 'staff.start.hint' | 'staff.end.hint') =>
    dateWindow.data
      ? t(key, {
          earliest: formatDate(dateWindow.data.earliest, lang),
          window: lang === 'zh-CN' ? dateWindow.data.words.zh : dateWindow.data.words.en,
        })
      : undefined;

  const add = async (v: AddForm) => {
    setBusy(true);
    setFormError(null);
    try {
      const r = await api.startEmployment({
        employerId,
        idNumber: v.idNumber.trim(),
        name: v.name.trim(),
        startDate: v.startDate.format('YYYY-MM-DD'),
        monthlyWageFen: yuanToFen(v.wageYuan) ?? 0,
      });
      const schemes = r.enrolled.map((e) => t(SCHEME_KEY[e.scheme])).join('、');
      void message.success(schemes ? t('staff.added.enrolled', { schemes }) : t('staff.added'));
      setAdding(false);
      addForm.resetFields();
      setRefreshKey((k) => k + 1);
    } catch (e) {
      setFormError(
        fieldError(addForm, e, lang, {
          idNumber: 'idNumber',
          name: 'name',
          startDate: 'startDate',
          monthlyWageFen: 'wageYuan',
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  const stop = async (v: StopForm) => {
    if (!stopping) return;
    setBusy(true);
    setFormError(null);
    try {
      await api.endEmployment(stopping.employmentId, {
        endDate: v.endDate.format('YYYY-MM-DD'),
        reason: v.reason,
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      void message.success(t('staff.stopped', { name: stopping.name }));
      setStopping(null);
      stopForm.resetFields();
      setRefreshKey((k) => k + 1);
    } catch (e) {
      setFormError(fieldError(stopForm, e, lang, { endDate: 'endDate', reason: 'reason', note: 'note' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle
        extra={
          canAdd ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setFormError(null);
                setAdding(true);
              }}
            >
              {t('staff.add')}
            </Button>
          ) : null
        }
      >
        {t('page.employer.staff')}
      </PageTitle>
      <ErrorAlert error={employer.error} onRetry={employer.reload} />
      <ErrorAlert error={dateWindow.error} onRetry={dateWindow.reload} />
      {employer.loading && !employer.data ? <Loading /> : null}
      {employer.data ? (
        <Card title={t('employer.card')} style={{ marginBottom: 16 }}>
          <EmployerCard employer={employer.data} />
        </Card>
      ) : null}
      <Card>
        <StaffTable
          employerId={employerId}
          refreshKey={refreshKey}
          onStop={(s) => {
            setFormError(null);
            stopForm.setFieldsValue({ endDate: dayjs(today), reason: 'voluntary', note: '' });
            setStopping(s);
          }}
        />
      </Card>

      <Modal
        open={adding}
        title={t('staff.add')}
        okText={t('staff.add.submit')}
        cancelText={t('action.cancel')}
        confirmLoading={busy}
        onOk={() => addForm.submit()}
        onCancel={() => setAdding(false)}
        destroyOnHidden
        forceRender
      >
        <ErrorAlert error={formError} />
        <Form<AddForm>
          form={addForm}
          layout="vertical"
          initialValues={{ startDate: dayjs(today) }}
          onFinish={(v) => void add(v)}
        >
          <Alert type="info" showIcon title={t('staff.identity.hint')} style={{ marginBottom: 16 }} />
          <Form.Item name="idNumber" label={t('person.idNumber')} rules={idNumberRules(lang)}>
            <Input maxLength={18} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('person.name')}
            rules={[{ required: true, whitespace: true, message: t('register.name.required') }]}
          >
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="startDate"
            label={t('staff.start')}
            extra={windowHint('staff.start.hint')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={beforeWindow} />
          </Form.Item>
          <Form.Item
            name="wageYuan"
            label={t('staff.wage')}
            extra={t('staff.wage.hint')}
            rules={[{ required: true, message: t('staff.wage.required') }, moneyRule(t)]}
          >
            <MoneyInput />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        open={stopping !== null}
        title={stopping ? t('staff.stop.title', { name: stopping.name }) : ''}
        okText={t('staff.stop.submit')}
        okButtonProps={{ danger: true }}
        cancelText={t('action.cancel')}
        confirmLoading={busy}
        onOk={() => stopForm.submit()}
        onCancel={() => setStopping(null)}
        forceRender
      >
        <ErrorAlert error={formError} />
        <Alert type="warning" showIcon title={t('staff.stop.warning')} style={{ marginBottom: 16 }} />
        <Form<StopForm> form={stopForm} layout="vertical" onFinish={(v) => void stop(v)}>
          <Form.Item
            name="endDate"
            label={t('staff.end')}
            extra={windowHint('staff.end.hint')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            {/* the server refuses an end after its today or before its window (the counter's); the picker offers neither */}
            <DatePicker style={{ width: '100%' }} upToToday disabledDate={beforeWindow} />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('staff.reason')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Select options={END_REASONS.map((r) => ({ value: r, label: t(`employment.end.${r}`) }))} />
          </Form.Item>
          <Form.Item name="note" label={t('staff.note')}>
            <Input.TextArea maxLength={500} rows={2} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
