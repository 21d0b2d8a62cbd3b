// 用卡终端登记 Card terminals (agency): the region's clerk or administrator registers the terminals whose
// use records the region uploads (a bus gate, a library door, a hospital counter), and retires them. A use
// record comes only through a terminal registered here and in service; it is a life sign of its holder,
// whichever city the holder lives in.
import {
  Alert,
  Button,
  Card,
  Form,
  Grid,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { request, type Answer } from '../../api.ts';
import { emptyTable, ErrorAlert, PageTitle, serverPaging, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useBusyCall } from '../../components/useBusyCall.ts';
import { useRegionName } from '../../components/registry.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

type Terminals = Answer<'/api/v1/card-terminals'>;
type Terminal = Terminals['items'][number];
/** The answer of a registration or a new key: the only one that carries the key. */
type TerminalWithKey = Terminal & { key: string };
const KINDS: Terminal['kind'][] = ['bus', 'library', 'hospital', 'counter', 'other'];
/** What a new key does to the old one (src/auth/machine-key.ts): stop it now, or keep it until the device has the new one. */
type OldKey = 'stop-now' | 'overlap';

export function CardTerminalsPage() {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  const narrow = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<{ terminalId: string; kind: Terminal['kind']; name: string }>();
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const { busy, error: actionError, run } = useBusyCall();
  const [done, setDone] = useState<string | null>(null);
  const [shown, setShown] = useState<{ terminalId: string; key: string } | null>(null);
  // a compromised key must stop now: that is the choice the confirmation starts from
  const [oldKey, setOldKey] = useState<OldKey>('stop-now');
  const { data, error, loading, reload } = useLoad(
    () => request<Terminals>('GET', '/api/v1/card-terminals', undefined, { page, pageSize: 20 }),
    [page, tick],
  );
  const act = (call: () => Promise<Terminal | TerminalWithKey>, message: MessageKey, then?: () => void) => {
    setDone(null);
    setShown(null);
    void run(call, (r) => {
      setDone(
        t(message, {
          id: r.terminalId,
          until: formatDateTime(r.oldKeyValidUntil, lang),
        }),
      );
      if ('key' in r) setShown({ terminalId: r.terminalId, key: r.key });
      setTick((n) => n + 1);
      then?.();
    });
  };
  const register = (v: { terminalId: string; kind: Terminal['kind']; name: string }) =>
    act(
      () =>
        request<TerminalWithKey>('POST', '/api/v1/card-terminals', {
          terminalId: v.terminalId.trim(),
          kind: v.kind,
          name: v.name.trim(),
        }),
      'terminals.registered',
      () => form.resetFields(),
    );
  const retire = (id: string) =>
    act(
      () => request<Terminal>('POST', `/api/v1/card-terminals/${encodeURIComponent(id)}/retirement`),
      'terminals.retiredDone',
    );
  const newKey = (id: string) =>
    act(
      () =>
        request<TerminalWithKey>('POST', `/api/v1/card-terminals/${encodeURIComponent(id)}/key`, undefined, {
          oldKey,
        }),
      oldKey === 'overlap' ? 'terminals.keyDone.overlap' : 'terminals.keyDone',
    );
  return (
    <>
      <PageTitle>{t('page.agency.terminals')}</PageTitle>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('terminals.intro')} />
      <ErrorAlert error={error ?? actionError} onRetry={reload} />
      {done !== null && <Alert type="success" showIcon style={{ marginBottom: 16 }} message={done} />}
      {shown !== null && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('terminals.key.shown', { id: shown.terminalId })}
          description={
            // a key is one unbroken word: let it wrap on a phone instead of widening the page
            <Typography.Text code copyable data-testid="terminal-key" style={{ wordBreak: 'break-all' }}>
              {shown.key}
            </Typography.Text>
          }
        />
      )}
      <Card title={t('terminals.register')} style={{ marginBottom: 16 }}>
        <Form
          form={form}
          // stacked on a phone: inline, the boxes were squeezed and cut their labels
          layout={narrow ? 'vertical' : 'inline'}
          initialValues={{ kind: 'bus' }}
          onFinish={register}
        >
          <Form.Item
            name="terminalId"
            label={t('terminals.id')}
            rules={[
              {
                required: true,
                pattern: /^\s*[A-Za-z0-9._:-]{1,64}\s*$/,
                message: t('terminals.id.invalid'),
              },
            ]}
          >
            <Input maxLength={64} autoComplete="off" style={{ width: narrow ? '100%' : 160 }} />
          </Form.Item>
          <Form.Item name="kind" label={t('terminals.kind')}>
            <Select
              style={{ width: narrow ? '100%' : 140 }}
              options={KINDS.map((k) => ({ value: k, label: t(`terminal.kind.${k}` as MessageKey) }))}
            />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('terminals.name')}
            rules={[{ required: true, whitespace: true, message: t('terminals.name.required') }]}
          >
            <Input maxLength={100} autoComplete="off" style={{ width: narrow ? '100%' : 260 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('terminals.submit')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card>
        <Table<Terminal>
          rowKey="terminalId"
          loading={loading}
          dataSource={data?.items ?? []}
          locale={emptyTable(t('empty.terminals'), t('empty.terminals.hint'))}
          pagination={serverPaging(t, page, setPage, data?.total)}
          columns={[
            { title: t('terminals.id'), dataIndex: 'terminalId' },
            { title: t('terminals.name'), dataIndex: 'name' },
            {
              title: t('terminals.kind'),
              dataIndex: 'kind',
              render: (k: string) => t(`terminal.kind.${k}` as MessageKey),
            },
            { title: t('terminals.region'), dataIndex: 'region', render: (r: string) => regionName(r) },
            {
              title: t('terminals.registeredOn'),
              dataIndex: 'registeredOn',
              render: (d: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDate(d, lang)}</span>,
            },
            {
              title: t('terminals.key'),
              key: 'key',
              render: (_: unknown, x) =>
                x.keyIssuedOn === null || x.keyPrefix === null ? (
                  <Tag>{t('terminals.key.none')}</Tag>
                ) : (
                  <Space direction="vertical" size={2}>
                    {/* one line, the prefix on hover: squeezed among eight columns, the day broke in two */}
                    <span style={{ whiteSpace: 'nowrap' }} title={`${x.keyPrefix}_…`}>
                      {t('terminals.key.issuedOn', { date: formatDate(x.keyIssuedOn, lang) })}
                    </span>
                    {x.oldKeyValidUntil !== null && (
                      <Tag color="orange" title={`${x.oldKeyPrefix ?? ''}_…`} data-testid="terminal-old-key">
                        {t('terminals.key.oldUntil', { until: formatDateTime(x.oldKeyValidUntil, lang) })}
                      </Tag>
                    )}
                  </Space>
                ),
            },
            {
              title: t('terminals.status'),
              key: 'status',
              render: (_: unknown, x) =>
                x.retiredOn === null ? (
                  <Tag color="green">{t('terminals.inService')}</Tag>
                ) : (
                  <Tag>{t('terminals.retiredOn', { date: formatDate(x.retiredOn, lang) })}</Tag>
                ),
            },
            {
              title: t('terminals.actions'),
              key: 'retire',
              render: (_: unknown, x) =>
                x.retiredOn === null ? (
                  <Space wrap size={4}>
                    <Popconfirm
                      title={t('terminals.key.confirm')}
                      description={
                        <Radio.Group
                          value={oldKey}
                          onChange={(e) => setOldKey(e.target.value as OldKey)}
                          style={{ display: 'flex', flexDirection: 'column', gap: 4, maxWidth: 320 }}
                          options={[
                            { value: 'stop-now', label: t('terminals.key.stopNow') },
                            { value: 'overlap', label: t('terminals.key.overlap') },
                          ]}
                        />
                      }
                      okText={t('terminals.key.new')}
                      onConfirm={() => newKey(x.terminalId)}
                    >
                      <Button size="small" loading={busy}>
                        {t('terminals.key.new')}
                      </Button>
                    </Popconfirm>
                    <Popconfirm
                      title={t('terminals.retire.confirm')}
                      okText={t('terminals.retire')}
                      onConfirm={() => retire(x.terminalId)}
                    >
                      <Button size="small" danger loading={busy}>
                        {t('terminals.retire')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
    </>
  );
}
