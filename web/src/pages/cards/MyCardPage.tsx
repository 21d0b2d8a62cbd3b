// 我的社保卡 My card: the holder's cards, each card's history, report loss (temporary at once, or
// formal), unblock, reissue, bind the card's bank account (shown masked), and the e-card QR code (a signed 60-second token, redrawn every minute).
import {
  App as AntApp,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Grid,
  Input,
  Popconfirm,
  Row,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import QRCode from 'qrcode';
import { useCallback, useEffect, useState } from 'react';
import { request, type Answer, type Item, type Paged } from '../../api.ts';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useRegionName } from '../../components/registry.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { formatDate, formatDateTime } from '../../format.ts';

export type CardItem = Item<Answer<'/api/v1/cards'>['items']>;

const STATUS_COLOR: Record<CardItem['status'], string> = {
  applied: 'blue',
  produced: 'blue',
  issued: 'cyan',
  activated: 'green',
  temp_lost: 'orange',
  lost: 'red',
  cancelled: 'default',
};

const statusKey = (s: string) => `card.status.${s}` as MessageKey;
const kindKey = (s: string) => `card.event.${s}` as MessageKey;

/** The e-card QR code: fetches a fresh token every 60 seconds and draws it. */
function EcardQr({ cardId }: { cardId: number }) {
  const { t } = useI18n();
  const [img, setImg] = useState<string | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [expiresAt, setExpiresAt] = useState<number>(0);
  const [error, setError] = useState<unknown>(null);
  const [left, setLeft] = useState(0);

  const refresh = useCallback(async () => {
    try {
      const r = await request<Answer<'/api/v1/ecard/qr'>>('GET', '/api/v1/ecard/qr');
      setToken(r.token);
      setExpiresAt(new Date(r.expiresAt).getTime());
      setImg(await QRCode.toDataURL(r.token, { errorCorrectionLevel: 'M', margin: 1, width: 240 }));
      setError(null);
    } catch (e) {
      setError(e);
      setImg(null);
      setToken(null);
    }
  }, []);

  useEffect(() => {
    void refresh();
    const every = setInterval(() => void refresh(), 60_000);
    return () => clearInterval(every);
  }, [refresh, cardId]);
  useEffect(() => {
    const update = () => setLeft(Math.max(0, Math.round((expiresAt - Date.now()) / 1000)));
    update();
    const tick = setInterval(update, 1000);
    return () => clearInterval(tick);
  }, [expiresAt]);

  return (
    <Card
      title={t('card.ecard')}
      extra={<Button onClick={() => void refresh()}>{t('card.ecard.refresh')}</Button>}
    >
      <ErrorAlert error={error} />
      {img && token ? (
        <Space direction="vertical" align="center" style={{ width: '100%' }}>
          <img src={img} alt={t('card.ecard')} width={240} height={240} data-testid="ecard-qr" />
          <Typography.Text type="secondary">{t('card.ecard.expires', { seconds: left })}</Typography.Text>
          <details style={{ maxWidth: 320 }}>
            <summary>{t('card.ecard.text')}</summary>
            <Typography.Paragraph copyable={{ text: token }} style={{ marginBottom: 0 }}>
              <span
                data-testid="ecard-token"
                style={{ wordBreak: 'break-all', fontFamily: 'monospace', fontSize: 11 }}
              >
                {token}
              </span>
            </Typography.Paragraph>
          </details>
          <Typography.Text type="secondary">{t('card.ecard.hint')}</Typography.Text>
        </Space>
      ) : null}
    </Card>
  );
}

function History({ cardId }: { cardId: number }) {
  const { t, lang } = useI18n();
  const { data, error } = useLoad(
    () => request<Answer<'/api/v1/cards/{id}/history'>>('GET', `/api/v1/cards/${cardId}/history`),
    [cardId],
  );
  return (
    <>
      <ErrorAlert error={error} />
      <Timeline
        items={(data?.events ?? []).map((e) => ({
          children: (
            <span>
              {formatDateTime(e.at, lang)} · {t(kindKey(e.kind))}{' '}
              <Tag color={STATUS_COLOR[e.toStatus]}>{t(statusKey(e.toStatus))}</Tag>
              {e.note ? ` (${e.note})` : ''}
            </span>
          ),
        }))}
      />
    </>
  );
}

export function MyCardPage() {
  const regionName = useRegionName();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const { data, error, loading, reload } = useLoad(
    () => request<Paged<CardItem>>('GET', '/api/v1/cards', undefined, { page, pageSize: 10 }),
    [page, tick],
  );
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const act = async (path: string, body: unknown, done: MessageKey, method: 'POST' | 'PUT' = 'POST') => {
    setBusy(true);
    setActionError(null);
    try {
      await request(method, path, body);
      void message.success(t(done));
      setTick((n) => n + 1);
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  const current = data?.items[0];
  // the two cards stacked (narrower than lg)
  const narrow = !Grid.useBreakpoint().lg;
  // Stacked, the e-card comes first: it is what one opens this page for at a counter, and under the
  // card's details its QR code began at the foot of a phone's screen, cut in half.
  const qrFirst = current?.status === 'activated';

  return (
    <>
      <PageTitle>{t('page.citizen.card')}</PageTitle>
      <ErrorAlert error={error ?? actionError} onRetry={reload} />
      {!loading && data && data.items.length === 0 ? (
        <EmptyState title={t('card.none')} hint={t('card.none.hint')} />
      ) : null}
      {current ? (
        <Row gutter={[16, 16]}>
          <Col xs={{ span: 24, order: qrFirst ? 2 : 1 }} lg={{ span: 14, order: 1 }}>
            <Card
              title={t('card.current')}
              extra={
                <Tag color={STATUS_COLOR[current.status]} data-testid="card-status">
                  {t(statusKey(current.status))}
                </Tag>
              }
            >
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('card.cardNo')}>{current.cardNo}</Descriptions.Item>
                <Descriptions.Item label={t('card.region')}>{regionName(current.region)}</Descriptions.Item>
                <Descriptions.Item label={t('card.since')}>
                  {formatDateTime(current.statusChangedAt, lang)}
                </Descriptions.Item>
                <Descriptions.Item label={t('card.bankName')}>
                  {current.bankName ?? t('card.bank.none')}
                </Descriptions.Item>
                {current.bankAccount ? (
                  <Descriptions.Item label={t('card.bankAccount')}>
                    <span data-testid="card-bank-account">{current.bankAccount}</span>
                  </Descriptions.Item>
                ) : null}
                {current.lossUntil ? (
                  <Descriptions.Item label={t('card.lossUntil')}>
                    {formatDate(current.lossUntil, lang)}
                  </Descriptions.Item>
                ) : null}
              </Descriptions>
              <Space wrap style={{ marginTop: 12 }}>
                {current.status === 'activated' || current.status === 'issued' ? (
                  <Popconfirm
                    title={t('card.loss.confirm')}
                    description={t('card.loss.confirm.hint')}
                    okText={t('card.loss')}
                    onConfirm={() => void act(`/api/v1/cards/${current.id}/loss`, {}, 'card.loss.done')}
                  >
                    <Button danger loading={busy}>
                      {t('card.loss')}
                    </Button>
                  </Popconfirm>
                ) : null}
                {current.status === 'temp_lost' ? (
                  <Button
                    loading={busy}
                    onClick={() =>
                      void act(`/api/v1/cards/${current.id}/unblock`, undefined, 'card.unblock.done')
                    }
                  >
                    {t('card.unblock')}
                  </Button>
                ) : null}
                {current.status === 'issued' ? (
                  <Button
                    type="primary"
                    loading={busy}
                    onClick={() =>
                      void act(`/api/v1/cards/${current.id}/activate`, undefined, 'card.activate.done')
                    }
                  >
                    {t('card.activate')}
                  </Button>
                ) : null}
                {current.status === 'temp_lost' || current.status === 'lost' ? (
                  <Popconfirm
                    title={t('card.reissue.confirm')}
                    okText={t('card.reissue')}
                    onConfirm={() => void act(`/api/v1/cards/${current.id}/reissue`, {}, 'card.reissue.done')}
                  >
                    <Button loading={busy}>{t('card.reissue')}</Button>
                  </Popconfirm>
                ) : null}
              </Space>
              {current.status !== 'lost' && current.status !== 'cancelled' ? (
                <Form
                  // stacked on a phone: inline, the two boxes were squeezed and cut their hints
                  layout={narrow ? 'vertical' : 'inline'}
                  style={{ marginTop: 12 }}
                  key={`bank-${current.id}-${tick}`}
                  initialValues={{ bankName: current.bankName ?? '' }}
                  onFinish={(v: { bankName: string; bankAccount: string }) =>
                    void act(`/api/v1/cards/${current.id}/bank`, v, 'card.bank.done', 'PUT')
                  }
                >
                  {/* labels, not placeholders: a placeholder is gone once typing starts, and a screen
                      reader may not read it */}
                  <Form.Item
                    name="bankName"
                    label={t('card.bank.nameInput')}
                    rules={[{ required: true, whitespace: true, message: t('card.bank.nameRequired') }]}
                  >
                    <Input maxLength={100} autoComplete="off" />
                  </Form.Item>
                  <Form.Item
                    name="bankAccount"
                    label={t('card.bank.accountInput')}
                    rules={[
                      {
                        required: true,
                        pattern: /^[\d\s-]{16,25}$/,
                        message: t('card.bank.accountInvalid'),
                      },
                    ]}
                  >
                    <Input maxLength={25} autoComplete="off" inputMode="numeric" />
                  </Form.Item>
                  <Form.Item>
                    <Button htmlType="submit" loading={busy}>
                      {t('card.bank.bind')}
                    </Button>
                  </Form.Item>
                </Form>
              ) : null}
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('card.history')}
              </Typography.Title>
              <History key={`${current.id}-${tick}`} cardId={current.id} />
            </Card>
          </Col>
          <Col xs={{ span: 24, order: qrFirst ? 1 : 2 }} lg={{ span: 10, order: 2 }}>
            {current.status === 'activated' ? (
              <EcardQr key={`${current.id}-${tick}`} cardId={current.id} />
            ) : (
              <Card title={t('card.ecard')}>
                <EmptyState title={t('card.ecard.unavailable')} hint={t('card.ecard.unavailable.hint')} />
              </Card>
            )}
          </Col>
        </Row>
      ) : null}
      {data && data.total > 1 ? (
        <Card title={t('card.all')} style={{ marginTop: 16 }}>
          <Table<CardItem>
            rowKey="id"
            size="small"
            dataSource={data.items}
            pagination={{ current: page, pageSize: 10, total: data.total, onChange: setPage }}
            columns={[
              { title: t('card.cardNo'), dataIndex: 'cardNo' },
              { title: t('card.status'), dataIndex: 'status', render: (s: string) => t(statusKey(s)) },
              {
                title: t('card.since'),
                dataIndex: 'statusChangedAt',
                render: (v: string) => formatDateTime(v, lang),
              },
            ]}
          />
        </Card>
      ) : null}
    </>
  );
}
