// 社保卡登记簿 Card register (agency): the region's cards by status, with the production steps
// (applied → produced → issued).
import { Button, Card, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { request, type Paged } from '../../api.ts';
import { ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
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
  const [status, setStatus] = useState<CardItem['status'] | undefined>('applied');
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const [actionError, setActionError] = useState<unknown>(null);
  const { data, error, loading, reload } = useLoad(
    () =>
      request<Paged<CardItem & { personId: number }>>('GET', '/api/v1/card-register', undefined, {
        page,
        pageSize: 20,
        ...(status ? { status } : {}),
      }),
    [page, status, tick],
  );
  const step = async (id: number, s: 'produce' | 'issue') => {
    setActionError(null);
    try {
      await request('POST', `/api/v1/cards/${id}/production`, { step: s });
      setTick((n) => n + 1);
    } catch (e) {
      setActionError(e);
    }
  };
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
      <Card>
        <Table<CardItem & { personId: number }>
          rowKey="id"
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={{
            current: page,
            pageSize: 20,
            total: data?.total ?? 0,
            onChange: setPage,
            showTotal: (total) => t('list.total', { total }),
          }}
          columns={[
            { title: t('card.cardNo'), dataIndex: 'cardNo' },
            { title: t('card.person'), dataIndex: 'personId' },
            { title: t('card.region'), dataIndex: 'region' },
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
