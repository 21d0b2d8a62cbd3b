// 社保卡登记簿 Card register (agency): the region's cards by status, with the production steps
// (applied → produced → issued), a search (whole ID number, last four with the name, card number) and
// production batches (the whole region's applications, or one employer batch at once).
import { Alert, Button, Card, Input, InputNumber, Select, Space, Tag } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useBusyCall } from '../../components/useBusyCall.ts';
import { useState } from 'react';
import { request, type Answer, type Paged } from '../../api.ts';
import { useCan } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle, serverPaging, useLoad } from '../../components/common.tsx';
import { useRegionName } from '../../components/registry.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';
import type { CardItem } from './MyCardPage.tsx';

const STATUSES: CardItem['status'][] = [
  'applied',
  'produced',
  'issued',
  'activated',
  'temp_lost',
  'lost',
  'cancelled',
];

export function CardRegisterPage() {
  const { t } = useI18n();
  const regionName = useRegionName();
  const can = useCan();
  const [status, setStatus] = useState<CardItem['status'] | undefined>('applied');
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const [form, setForm] = useState({ idNumber: '', name: '', cardNo: '' });
  const [query, setQuery] = useState({ idNumber: '', name: '', cardNo: '' });
  const [batchId, setBatchId] = useState<number | null>(null);
  const [moved, setMoved] = useState<number | null>(null);
  const { busy, error: actionError, run } = useBusyCall();
  const { data, error, loading, reload } = useLoad(
    () =>
      request<Paged<CardItem & { personId: number }>>('GET', '/api/v1/card-register', undefined, {
        page,
        pageSize: 20,
        ...(status ? { status } : {}),
        ...(query.idNumber ? { idNumber: query.idNumber } : {}),
        ...(query.name ? { name: query.name } : {}),
        ...(query.cardNo ? { cardNo: query.cardNo } : {}),
      }),
    [page, status, tick, query],
  );
  const search = (next: typeof form) => {
    setQuery({ idNumber: next.idNumber.trim(), name: next.name.trim(), cardNo: next.cardNo.trim() });
    setPage(1);
  };
  const runBatch = (s: 'produce' | 'issue', withBatch: boolean) => {
    setMoved(null);
    return run(
      () =>
        request<Answer<'/api/v1/card-production-batches', 'post'>>(
          'POST',
          '/api/v1/card-production-batches',
          {
            step: s,
            ...(withBatch && batchId !== null ? { batchId } : {}),
          },
        ),
      (r) => {
        setMoved(r.moved);
        setTick((n) => n + 1);
      },
    );
  };
  const step = (id: number, s: 'produce' | 'issue') =>
    run(
      () => request('POST', `/api/v1/cards/${id}/production`, { step: s }),
      () => setTick((n) => n + 1),
    );
  return (
    <>
      <PageTitle
        extra={
          <Select
            allowClear
            style={{ width: 180 }}
            value={status}
            placeholder={t('card.status')}
            onChange={(v: CardItem['status'] | undefined) => {
              setStatus(v);
              setPage(1);
            }}
            options={STATUSES.map((s) => ({ value: s, label: t(`card.status.${s}` as MessageKey) }))}
          />
        }
      >
        {t('page.agency.cards')}
      </PageTitle>
      <ErrorAlert error={error ?? actionError} onRetry={reload} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <Input
            allowClear
            style={{ width: 220 }}
            placeholder={t('card.search.idNumber')}
            value={form.idNumber}
            onChange={(e) => setForm({ ...form, idNumber: e.target.value })}
            onPressEnter={() => search(form)}
          />
          <Input
            allowClear
            style={{ width: 250 }}
            placeholder={t('card.search.name')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            onPressEnter={() => search(form)}
          />
          <Input
            allowClear
            style={{ width: 160 }}
            placeholder={t('card.search.cardNo')}
            value={form.cardNo}
            onChange={(e) => setForm({ ...form, cardNo: e.target.value })}
            onPressEnter={() => search(form)}
          />
          <Button type="primary" onClick={() => search(form)}>
            {t('card.search.go')}
          </Button>
          <Button
            onClick={() => {
              const empty = { idNumber: '', name: '', cardNo: '' };
              setForm(empty);
              search(empty);
            }}
          >
            {t('card.search.clear')}
          </Button>
        </Space>
      </Card>
      {can('card.produce') && (
        <Card title={t('card.batch.title')} style={{ marginBottom: 16 }}>
          <Space wrap>
            <Button loading={busy} onClick={() => void runBatch('produce', false)}>
              {t('card.batch.produceRegion')}
            </Button>
            <InputNumber<number>
              min={1}
              precision={0}
              style={{ width: 160 }}
              placeholder={t('card.batch.id')}
              value={batchId}
              onChange={(v) => setBatchId(v ?? null)}
            />
            <Button loading={busy} disabled={batchId === null} onClick={() => void runBatch('produce', true)}>
              {t('card.batch.produceBatch')}
            </Button>
            <Button loading={busy} disabled={batchId === null} onClick={() => void runBatch('issue', true)}>
              {t('card.batch.issueBatch')}
            </Button>
          </Space>
          {moved !== null && (
            <Alert
              style={{ marginTop: 12 }}
              type="success"
              showIcon
              message={t('card.production.moved', { moved })}
            />
          )}
        </Card>
      )}
      <Card>
        <Table<CardItem & { personId: number }>
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          locale={{
            emptyText: <EmptyState title={t('card.register.none')} hint={t('card.register.none.hint')} />,
          }}
          pagination={serverPaging(t, page, setPage, data?.total)}
          columns={[
            { title: t('card.cardNo'), dataIndex: 'cardNo' },
            {
              title: t('card.person'),
              dataIndex: 'personId',
              // the person's page, where the name is (the register lists the number only)
              render: (id: number) => <Link to={`/agency/persons/${id}`}>{id}</Link>,
            },
            { title: t('card.region'), dataIndex: 'region', render: (r: string) => regionName(r) },
            {
              title: t('card.status'),
              dataIndex: 'status',
              render: (s: string) => <Tag>{t(`card.status.${s}` as MessageKey)}</Tag>,
            },
            {
              title: t('card.step'),
              key: 'step',
              render: (_: unknown, c) =>
                c.status === 'applied' ? (
                  <Button size="small" onClick={() => void step(c.id, 'produce')}>
                    {t('card.step.produce')}
                  </Button>
                ) : c.status === 'produced' ? (
                  <Button size="small" onClick={() => void step(c.id, 'issue')}>
                    {t('card.step.issue')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </>
  );
}
