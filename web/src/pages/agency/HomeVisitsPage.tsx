// 上门认证名册: the pensioners who cannot certify themselves (very old, bedridden, disabled), when
// each was last visited, and the clerk's two actions: add a person by ID number, and record a visit
// (alive → certified and any suspension lifted; deceased → the death is recorded; not met → kept).
import { Button, Card, Form, Input, Modal, Radio, Select } from 'antd';
import { DatePicker } from '../../components/DatePicker.tsx';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, itemsOf, type VisitRegisterItem } from '../../api.ts';
import { useCan } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useCodeText, useRegionName } from '../../components/registry.tsx';
import { formatDate, todayIso } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';
import { useDialogForm } from '../../components/useDialogForm.ts';

const REASONS = ['very_old', 'bedridden', 'disabled', 'other'] as const;
type Outcome = 'alive' | 'deceased' | 'not_met';

interface VisitForm {
  visitedOn: Dayjs;
  outcome: Outcome;
  deathDate?: Dayjs;
  note?: string;
}
interface AddForm {
  idNumber: string;
  reason: (typeof REASONS)[number];
  note?: string;
}

export function HomeVisitsPage() {
  const { t, lang } = useI18n();
  const today = todayIso();
  const can = useCan();
  const code = useCodeText();
  const regionName = useRegionName();
  const [page, setPage] = useState(1);
  const list = useLoad(() => api.visitRegister(page, 20), [page]);
  const { dialog, setDialog, busy, error, form, close, run } = useDialogForm<
    { kind: 'visit'; item: VisitRegisterItem } | { kind: 'add' }
  >(() => list.reload());
  const outcome = Form.useWatch<Outcome | undefined>('outcome', form);
  const mayVisit = can('certification.visit');

  const submit = (values: unknown) => {
    if (!dialog) return;
    if (dialog.kind === 'visit') {
      const v = values as VisitForm;
      void run(async () => {
        const r = await api.recordVisit({
          personId: dialog.item.personId,
          visitedOn: v.visitedOn.format('YYYY-MM-DD'),
          outcome: v.outcome,
          ...(v.outcome === 'deceased' && v.deathDate ? { deathDate: v.deathDate.format('YYYY-MM-DD') } : {}),
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        });
        return r.deathRecorded
          ? t('visits.done.deceased')
          : r.certificationId !== null
            ? t('visits.done.alive')
            : t('visits.done.notMet');
      });
    } else {
      const v = values as AddForm;
      void run(async () => {
        const found = itemsOf(await api.searchPersons({ idNumber: v.idNumber.trim().toUpperCase() }));
        const person = found[0];
        if (!person) throw new Error(t('visits.notFound'));
        await api.addToVisitRegister({
          personId: person.id,
          reason: v.reason,
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        });
        return t('visits.added', { name: person.name });
      });
    }
  };

  const columns: ColumnsType<VisitRegisterItem> = [
    { title: t('campaign.name'), dataIndex: 'name' },
    { title: t('campaign.idNumber'), dataIndex: 'idNumber' },
    { title: t('campaign.birthDate'), dataIndex: 'birthDate', render: (d: string) => formatDate(d, lang) },
    { title: t('visits.region'), dataIndex: 'region', render: (r: string) => regionName(r) },
    { title: t('visits.reason'), dataIndex: 'reason', render: (r: string) => code('visits.reason', r) },
    { title: t('enrolAction.note'), dataIndex: 'note', render: (n: string | null) => n ?? '—' },
    {
      title: t('visits.lastVisited'),
      dataIndex: 'lastVisitedOn',
      render: (d: string | null) => (d ? formatDate(d, lang) : t('visits.never')),
    },
    ...(mayVisit
      ? [
          {
            title: t('enrolAction.column'),
            key: 'actions',
            render: (_: unknown, item: VisitRegisterItem) => (
              <Button size="small" type="primary" onClick={() => setDialog({ kind: 'visit', item })}>
                {t('visits.record')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageTitle
        extra={
          mayVisit ? <Button onClick={() => setDialog({ kind: 'add' })}>{t('visits.add')}</Button> : undefined
        }
      >
        {t('page.agency.visits')}
      </PageTitle>
      <Card>
        <p>{t('visits.hint')}</p>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<VisitRegisterItem>
          rowKey="personId"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 900 }}
          pagination={{
            current: page,
            pageSize: 20,
            total: list.data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
          }}
          locale={{ emptyText: <EmptyState title={t('visits.empty')} /> }}
        />
      </Card>
      <Modal
        open={dialog !== null}
        title={dialog?.kind === 'visit' ? `${t('visits.record')} · ${dialog.item.name}` : t('visits.add')}
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
            dialog?.kind === 'visit' ? { visitedOn: dayjs(today), outcome: 'alive' } : { reason: 'very_old' }
          }
        >
          {dialog?.kind === 'visit' ? (
            <>
              <Form.Item
                name="visitedOn"
                label={t('visits.visitedOn')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <DatePicker style={{ width: '100%' }} upToToday />
              </Form.Item>
              <Form.Item name="outcome" label={t('visits.outcome')} rules={[{ required: true }]}>
                <Radio.Group
                  options={(['alive', 'deceased', 'not_met'] as const).map((o) => ({
                    value: o,
                    label: t(`visits.outcome.${o}` as MessageKey),
                  }))}
                />
              </Form.Item>
              {outcome === 'deceased' ? (
                <Form.Item
                  name="deathDate"
                  label={t('personAction.deathDate')}
                  rules={[{ required: true, message: t('form.required') }]}
                >
                  <DatePicker style={{ width: '100%' }} upToToday />
                </Form.Item>
              ) : null}
              <Form.Item name="note" label={t('enrolAction.note')}>
                <Input maxLength={500} />
              </Form.Item>
            </>
          ) : null}
          {dialog?.kind === 'add' ? (
            <>
              <Form.Item name="idNumber" label={t('campaign.idNumber')} rules={idNumberRules(lang)}>
                <Input maxLength={18} />
              </Form.Item>
              <Form.Item name="reason" label={t('visits.reason')} rules={[{ required: true }]}>
                <Select
                  options={REASONS.map((r) => ({ value: r, label: t(`visits.reason.${r}` as MessageKey) }))}
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
