// At retirement the place of payment gathers the person's records from every province (归集,
// 国办发〔2009〕66号 第六条): the transfer section's clerk starts a collection by ID number, sees the
// collections of their area, and follows one — the place the national exchange decided and why, the
// months each province holds, and the transfers gathering them.
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Space,
  Tag,
  Typography,
  type DescriptionsProps,
} from 'antd';
import { useMemo, useState } from 'react';
import { request, type Answer, type Body } from '../../api.ts';
import { useCan } from '../../auth.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { useRegionName } from '../../components/registry.tsx';
import { formatCountOf, formatDate, formatMoney } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { idNumberRules } from '../../id-number.ts';
import type { PageProps } from '../../pages.tsx';
import { Link, navigate } from '../../router.tsx';
import { notFederated, NotFederated } from './not-federated.tsx';

type Collection = Answer<'/api/v1/transfers/collections/{id}'>;
type Own = Answer<'/api/v1/transfers/collections/mine'>[number];
type ListPage = Answer<'/api/v1/transfers/collections'>;
type Row = ListPage['items'][number];
type Applied = Answer<'/api/v1/transfers/collections', 'post'>;
type ApplyBody = Body<'/api/v1/transfers/collections'>;
type Status = Collection['status'];

const BASE = '/agency/collections';

const STATUS_COLOR: Record<Status, string> = {
  requested: 'orange',
  gathering: 'blue',
  elsewhere: 'default',
  completed: 'green',
};

/** A transfer's status colours, as on the transfer pages. */
const TRANSFER_COLOR: Record<string, string> = {
  requested: 'orange',
  sent: 'blue',
  credited: 'cyan',
  completed: 'green',
  refused: 'red',
};

/** The exchange's reason (transfer.rules.ts pensionPaymentPlace) in words. */
const REASON_KEY: Record<string, MessageKey> = {
  'relation at hukou': 'coll.reason.relationAtHukou',
  'current ≥120': 'coll.reason.current120',
  'previous place ≥120': 'coll.reason.previous120',
  'none ≥120 → hukou': 'coll.reason.none120',
  'only temporary accounts → hukou': 'coll.reason.temporaryOnly',
};

function StatusTag({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="collection-status">
      {t(`coll.status.${status}` as MessageKey)}
    </Tag>
  );
}

function ApplyCard() {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(v: { idNumber: string }) {
    setBusy(true);
    setError(null);
    try {
      const body: ApplyBody = { idNumber: v.idNumber.trim() };
      const r = await request<Applied>('POST', '/api/v1/transfers/collections', body);
      navigate(`${BASE}/${r.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={t('coll.apply.title')} style={{ marginBottom: 16 }}>
      <p>{t('coll.apply.intro')}</p>
      <ErrorAlert error={error} />
      <Form layout="inline" onFinish={(v: { idNumber: string }) => void submit(v)}>
        <Form.Item
          name="idNumber"
          label={t('coll.apply.idNumber')}
          rules={idNumberRules(lang, { eighteen: true })}
        >
          <Input style={{ width: 220 }} data-testid="collection-id-number" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="collection-apply">
            {t('coll.apply.submit')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

/** The exchange's decision in words — the place, the article and the reason — for the clerk's detail and the person's card. */
function decisionItems(
  place: string,
  d: { rule: number | null; reason: string | null },
  t: ReturnType<typeof useI18n>['t'],
  regionName: (code: string) => string,
): NonNullable<DescriptionsProps['items']> {
  return [
    { key: 'place', label: t('coll.detail.place'), children: <strong>{regionName(place)}</strong> },
    ...(d.rule !== null
      ? [{ key: 'rule', label: t('coll.detail.rule'), children: t(`coll.rule.${d.rule}` as MessageKey) }]
      : []),
    ...(d.reason !== null && REASON_KEY[d.reason]
      ? [{ key: 'reason', label: t('coll.detail.reason'), children: t(REASON_KEY[d.reason] as MessageKey) }]
      : []),
  ];
}
function progressText(
  r: Pick<Row, 'status' | 'transfers' | 'completed'>,
  t: ReturnType<typeof useI18n>['t'],
) {
  if (r.status === 'requested' || r.status === 'elsewhere') return '—';
  if (r.transfers === 0) return t('coll.progress.none');
  return t('coll.progress', { done: r.completed, all: r.transfers });
}

/**
 * The list a page at a time: the first page loads with the page, "more" asks for the rows after the
 * last shown by the server's cursor and appends them (keyset paging: none repeats or goes missing when
 * a collection is filed meanwhile).
 */
function useCollectionPages() {
  const first = useLoad(() => request<ListPage>('GET', '/api/v1/transfers/collections'), []);
  const [more, setMore] = useState<{ items: Row[]; next: string | null; of: ListPage } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A reload of the first page starts the list again.
  const extra = more !== null && more.of === first.data ? more : null;
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : (first.data?.next ?? null);
  async function loadMore() {
    if (next === null || !first.data) return;
    const of = first.data;
    setBusy(true);
    setError(null);
    try {
      const page = await request<ListPage>('GET', '/api/v1/transfers/collections', undefined, {
        cursor: next,
      });
      setMore({ items: [...(extra?.items ?? []), ...page.items], next: page.next, of });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return { first, items, next, loadMore, busy, error };
}

export function CollectionsPage() {
  const { t, lang } = useI18n();
  const list = useCollectionPages();
  const regionName = useRegionName();
  const can = useCan();
  const title = t('page.agency.collections');
  if (notFederated(list.first.error)) return <NotFederated title={title} />;
  const loaded = list.first.data !== undefined;
  return (
    <>
      <PageTitle>{title}</PageTitle>
      {/* Reviewers and supervisors follow the collections; only a clerk starts one. */}
      {can('transfer.apply') ? <ApplyCard /> : null}
      <Card title={t('coll.list.title')}>
        <ErrorAlert error={list.first.error} onRetry={list.first.reload} />
        {list.first.loading && !loaded ? <Loading /> : null}
        {loaded && list.items.length === 0 ? <EmptyState title={t('coll.none')} /> : null}
        {list.items.length > 0 ? (
          <Table<Row>
            rowKey="id"
            size="small"
            data-testid="collection-list"
            dataSource={list.items}
            pagination={false}
            scroll={{ x: 'max-content' }}
            columns={[
              {
                title: t('coll.col.id'),
                dataIndex: 'id',
                render: (id: number) => <Link to={`${BASE}/${id}`}>#{id}</Link>,
              },
              {
                title: t('coll.col.person'),
                render: (_: unknown, r) => <Link to={`/agency/persons/${r.personId}`}>{r.name}</Link>,
              },
              {
                title: t('coll.col.appliedOn'),
                dataIndex: 'appliedOn',
                render: (d: string) => formatDate(d, lang),
              },
              {
                title: t('coll.col.status'),
                dataIndex: 'status',
                render: (s: Status) => <StatusTag status={s} />,
              },
              {
                title: t('coll.col.place'),
                dataIndex: 'place',
                render: (p: string | null) => (p === null ? t('coll.place.pending') : regionName(p)),
              },
              { title: t('coll.col.progress'), render: (_: unknown, r) => progressText(r, t) },
            ]}
          />
        ) : null}
        <ErrorAlert error={list.error} />
        {list.next !== null ? (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button onClick={() => void list.loadMore()} loading={list.busy} data-testid="collection-more">
              {t('coll.list.more')}
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}

/** The months each province holds, as the exchange's index showed them when it decided. */
function Segments({ segments }: { segments: Collection['segments'] }) {
  const { t } = useI18n();
  const regionName = useRegionName();
  // The names arrive with the regions: the chart is redrawn when they do, not on every render.
  const names = segments.map((s) => regionName(s.province)).join('\n');
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: names.split('\n') },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ name: t('coll.col.months'), type: 'bar', data: segments.map((s) => s.months) }],
    }),
    [segments, names, t],
  );
  if (segments.length === 0)
    return <Typography.Text type="secondary">{t('coll.detail.segmentsNone')}</Typography.Text>;
  return (
    <>
      <Chart option={option} height={200} label={t('coll.detail.segments')} values="count" />
      <Descriptions column={3} size="small" data-testid="collection-segments">
        {segments.map((s) => (
          <Descriptions.Item key={s.province} label={regionName(s.province)}>
            {t('coll.detail.months', { n: s.months })}
          </Descriptions.Item>
        ))}
      </Descriptions>
    </>
  );
}

function Transfers({ transfers }: { transfers: Collection['transfers'] }) {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  if (transfers.length === 0)
    return <Typography.Text type="secondary">{t('coll.detail.transfersNone')}</Typography.Text>;
  return (
    <Table<Collection['transfers'][number]>
      rowKey="id"
      size="small"
      pagination={false}
      data-testid="collection-transfers"
      dataSource={transfers}
      columns={[
        {
          title: t('coll.col.transfer'),
          dataIndex: 'id',
          render: (id: number) => <Link to={`/agency/transfers/${id}`}>#{id}</Link>,
        },
        {
          title: t('coll.col.from'),
          dataIndex: 'fromProvince',
          render: (p: string | null) => (p === null ? t('fed.locating') : regionName(p)),
        },
        {
          title: t('coll.col.status'),
          render: (_: unknown, r) => (
            <Space wrap>
              <Tag color={TRANSFER_COLOR[r.status] ?? 'default'}>
                {t(`fed.status.${r.status}` as MessageKey)}
              </Tag>
              {r.cameThrough ? (
                <Typography.Text type="secondary">
                  {t('coll.cameThrough', { via: regionName(r.cameThrough) })}
                </Typography.Text>
              ) : null}
            </Space>
          ),
        },
        {
          title: t('coll.col.months'),
          dataIndex: 'months',
          align: 'right',
          render: (m: number | null) => (m === null ? '—' : formatCountOf(m, 'months', lang)),
        },
        {
          title: t('coll.col.total'),
          dataIndex: 'totalFen',
          align: 'right',
          render: (v: number | null) => (v === null ? '—' : formatMoney(v)),
        },
      ]}
    />
  );
}

export function CollectionDetailPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const id = Number(params['id']);
  const r = useLoad(() => request<Collection>('GET', `/api/v1/transfers/collections/${id}`), [id]);
  const regionName = useRegionName();
  const c = r.data;
  return (
    <>
      <PageTitle extra={<Link to={BASE}>{t('page.agency.collections')}</Link>}>
        {t('coll.detail.title', { id })}
      </PageTitle>
      <ErrorAlert error={r.error} onRetry={r.reload} />
      {r.loading && !c ? <Loading /> : null}
      {c ? (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Card data-testid="collection-summary">
            <Space wrap>
              <StatusTag status={c.status} />
              <span>
                {t('coll.detail.person')}：<Link to={`/agency/persons/${c.personId}`}>{c.name}</Link>
              </span>
              <span>
                {t('coll.detail.appliedOn')}：{formatDate(c.appliedOn, lang)}
              </span>
              <Button size="small" onClick={r.reload} data-testid="collection-reload">
                ↻
              </Button>
            </Space>
          </Card>
          <Card title={t('coll.detail.decision')} data-testid="collection-decision">
            {c.place === null ? (
              <Alert type="info" showIcon message={t('coll.detail.waiting')} />
            ) : (
              <>
                {c.status === 'elsewhere' ? (
                  <Alert
                    style={{ marginBottom: 12 }}
                    type="warning"
                    showIcon
                    message={t('coll.detail.elsewhere', { place: regionName(c.place) })}
                  />
                ) : null}
                <Descriptions
                  column={1}
                  size="small"
                  bordered
                  items={decisionItems(c.place, c, t, regionName)}
                />
              </>
            )}
          </Card>
          {c.place !== null ? (
            <Card title={t('coll.detail.segments')}>
              <Segments segments={c.segments} />
            </Card>
          ) : null}
          {c.status === 'gathering' || c.status === 'completed' ? (
            <Card title={t('coll.detail.transfers')}>
              <Transfers transfers={c.transfers} />
            </Card>
          ) : null}
        </Space>
      ) : null}
    </>
  );
}

/** A heading inside a person's collection card, set off from the lines above it. */
const SUBHEAD = { display: 'block', marginTop: 12 } as const;

/** One of the person's own collections: where the pension will be paid, why, and how far the gathering is. */
function OwnCollection({ c }: { c: Own }) {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  const gathering = c.status === 'gathering' || c.status === 'completed';
  return (
    <Card
      size="small"
      type="inner"
      data-testid="my-collection"
      title={t('coll.detail.title', { id: c.id })}
      extra={<StatusTag status={c.status} />}
      style={{ marginBottom: 12 }}
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('coll.detail.appliedOn')}：{formatDate(c.appliedOn, lang)}
      </Typography.Paragraph>
      {c.place === null ? <Alert type="info" showIcon message={t('coll.detail.waiting')} /> : null}
      {c.status === 'elsewhere' && c.place !== null ? (
        <Alert
          style={{ marginBottom: 12 }}
          type="warning"
          showIcon
          data-testid="my-collection-elsewhere"
          message={t('coll.mine.elsewhere', { place: regionName(c.place) })}
        />
      ) : null}
      {c.place !== null ? (
        <Descriptions
          column={1}
          size="small"
          items={[
            ...decisionItems(c.place, c, t, regionName),
            ...(gathering
              ? [
                  {
                    key: 'progress',
                    label: t('coll.col.progress'),
                    children: progressText(
                      {
                        status: c.status,
                        transfers: c.transfers.length,
                        completed: c.transfers.filter((x) => x.status === 'completed').length,
                      },
                      t,
                    ),
                  },
                ]
              : []),
          ]}
        />
      ) : null}
      {c.segments.length > 0 ? (
        <Typography.Text strong style={SUBHEAD}>
          {t('coll.detail.segments')}
        </Typography.Text>
      ) : null}
      {c.segments.length > 0 ? (
        <Descriptions
          column={{ xs: 1, sm: 2, md: 3 }}
          size="small"
          data-testid="my-collection-segments"
          style={{ marginTop: 4 }}
        >
          {c.segments.map((s) => (
            <Descriptions.Item key={s.province} label={regionName(s.province)}>
              {t('coll.detail.months', { n: s.months })}
            </Descriptions.Item>
          ))}
        </Descriptions>
      ) : null}
      {gathering && c.transfers.length > 0 ? (
        <Typography.Text strong style={SUBHEAD}>
          {t('coll.detail.transfers')}
        </Typography.Text>
      ) : null}
      {gathering && c.transfers.length > 0 ? (
        <Space
          direction="vertical"
          size={4}
          data-testid="my-collection-transfers"
          style={{ display: 'flex', marginTop: 4 }}
        >
          {c.transfers.map((x) => (
            <Space key={x.id} wrap size={8}>
              <Link to={`/citizen/transfers/${x.id}`}>#{x.id}</Link>
              <span>{x.fromProvince === null ? t('fed.locating') : regionName(x.fromProvince)}</span>
              <Tag color={TRANSFER_COLOR[x.status] ?? 'default'}>
                {t(`fed.status.${x.status}` as MessageKey)}
              </Tag>
              {x.months !== null ? <span>{t('coll.detail.months', { n: x.months })}</span> : null}
              {x.cameThrough ? (
                <Typography.Text type="secondary">
                  {t('coll.cameThrough', { via: regionName(x.cameThrough) })}
                </Typography.Text>
              ) : null}
            </Space>
          ))}
        </Space>
      ) : null}
    </Card>
  );
}

/**
 * The insured person's own collections (the server takes the person from the session), on their
 * transfers page: nothing when there are none.
 */
export function MyCollections() {
  const { t } = useI18n();
  const own = useLoad(() => request<Own[]>('GET', '/api/v1/transfers/collections/mine'), []);
  if (notFederated(own.error)) return null;
  if (!own.error && (own.data === undefined || own.data.length === 0)) return null;
  return (
    <Card title={t('coll.mine.title')} style={{ marginBottom: 16 }} data-testid="my-collections">
      <ErrorAlert error={own.error} onRetry={own.reload} />
      {(own.data ?? []).map((c) => (
        <OwnCollection key={c.id} c={c} />
      ))}
    </Card>
  );
}
