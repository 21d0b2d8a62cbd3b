// 专项检查: campaigns with a scope (detectors or a group of people) and a seeded random sample that
// becomes the worklist; the worklist page marks each item clear or flagged.
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import {
  supervisionApi,
  type Campaign,
  type CampaignDetail,
  type CampaignInput,
} from '../../api-supervision.ts';
import type { PageProps } from '../../pages.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { DETECTORS, DETECTOR_TITLES, isDetector } from '../../../../src/supervision/detector.rules.ts';
import { formatDate, todayIso } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { Link, navigate } from '../../router.tsx';

/** A detector by its name in the reader's language (the list and the scope showed the identifiers). */
const detectorTitle = (d: string, lang: string): string =>
  isDetector(d) ? DETECTOR_TITLES[d][lang === 'zh-CN' ? 'zh' : 'en'] : d;

interface Values {
  name: string;
  population: 'person' | 'employer';
  scopeBy: 'filter' | 'detectors';
  filter: 'all' | 'pensioners' | 'unemployment_recipients';
  detectors?: string[];
  sampleSize: number;
  seed: string;
}

export function CampaignsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const code = useCodeText();
  const list = useLoad(() => supervisionApi.campaigns(), []);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  const scopeBy = Form.useWatch('scopeBy', form);
  const population = Form.useWatch('population', form);
  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const body: CampaignInput = {
        name: v.name.trim(),
        population: v.population,
        sampleSize: v.sampleSize,
        seed: v.seed.trim(),
        ...(v.scopeBy === 'detectors'
          ? { detectors: v.detectors ?? [] }
          : { filter: v.population === 'person' ? v.filter : 'all' }),
      };
      const c = await supervisionApi.createCampaign(body);
      void message.success(t('sv.campaign.candidates', { n: c.candidates }));
      setOpen(false);
      navigate(`/agency/supervision/campaigns/${c.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const columns: ColumnsType<Campaign> = [
    {
      title: t('sv.campaign.name'),
      dataIndex: 'name',
      render: (n: string, c) => <Link to={`/agency/supervision/campaigns/${c.id}`}>{n}</Link>,
    },
    {
      title: t('sv.campaign.population'),
      dataIndex: 'population',
      render: (p: string) => code('sv.campaign.population', p),
    },
    {
      title: t('sv.campaign.scope'),
      key: 'scope',
      render: (_: unknown, c) =>
        c.scope.detectors.length > 0
          ? c.scope.detectors.map((d) => detectorTitle(d, lang)).join(lang === 'zh-CN' ? '、' : ', ')
          : code('sv.campaign.filter', c.scope.filter),
    },
    {
      title: t('sv.campaign.sample'),
      key: 'sample',
      render: (_: unknown, c) => `${c.sampleSize} / ${t('sv.campaign.candidates', { n: c.candidates })}`,
    },
    { title: t('sv.campaign.seed'), dataIndex: 'seed', render: (s: string) => <code>{s}</code> },
    {
      title: t('sv.status'),
      key: 'progress',
      render: (_: unknown, c) => t('sv.campaign.progress', c.progress),
    },
    {
      title: t('sv.campaign.createdOn'),
      className: 'nowrap',
      dataIndex: 'createdAt',
      render: (d: string) => formatDate(d, lang),
    },
  ];
  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setOpen(true)}>
            {t('sv.campaign.new')}
          </Button>
        }
      >
        {t('page.agency.svCampaigns')}
      </PageTitle>
      <Card>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<Campaign>
          rowKey="id"
          loading={list.loading}
          columns={columns}
          dataSource={list.data ?? []}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: <EmptyState title={t('sv.campaigns.empty')} /> }}
        />
      </Card>
      <Modal
        open={open}
        title={t('sv.campaign.new')}
        onCancel={() => setOpen(false)}
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
          onFinish={(v) => void submit(v)}
          preserve={false}
          initialValues={{
            population: 'person',
            scopeBy: 'filter',
            filter: 'pensioners',
            sampleSize: 20,
            seed: todayIso(),
          }}
        >
          <Form.Item
            name="name"
            label={t('sv.campaign.name')}
            rules={[{ required: true, whitespace: true, message: t('form.required') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="population" label={t('sv.campaign.population')}>
            <Radio.Group
              options={(['person', 'employer'] as const).map((p) => ({
                value: p,
                label: t(`sv.campaign.population.${p}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="scopeBy" label={t('sv.campaign.scope')}>
            <Radio.Group
              options={[
                { value: 'filter', label: t('sv.campaign.filter') },
                { value: 'detectors', label: t('sv.campaign.detectors') },
              ]}
            />
          </Form.Item>
          {scopeBy === 'detectors' ? (
            <Form.Item name="detectors" rules={[{ required: true, message: t('form.required') }]}>
              <Select
                mode="multiple"
                aria-label={t('sv.detector')}
                placeholder={t('sv.detector')}
                // typing searches the names (by default it searched the identifiers: 暂无数据)
                showSearch={{ optionFilterProp: 'label' }}
                options={DETECTORS.map((d) => ({ value: d, label: detectorTitle(d, lang) }))}
              />
            </Form.Item>
          ) : population === 'person' ? (
            <Form.Item name="filter">
              <Select
                options={(['all', 'pensioners', 'unemployment_recipients'] as const).map((f) => ({
                  value: f,
                  label: t(`sv.campaign.filter.${f}`),
                }))}
              />
            </Form.Item>
          ) : null}
          <Space>
            <Form.Item name="sampleSize" label={t('sv.campaign.sample')}>
              <InputNumber min={1} max={1000} />
            </Form.Item>
            <Form.Item
              name="seed"
              label={t('sv.campaign.seed')}
              extra={t('sv.campaign.seed.hint')}
              rules={[{ required: true, pattern: /^[A-Za-z0-9_.:-]{1,64}$/, message: t('form.required') }]}
            >
              <Input />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

type Item = CampaignDetail['items'][number];

export function CampaignPage({ params }: PageProps) {
  const id = Number(params['id']);
  const { t, lang } = useI18n();
  const code = useCodeText();
  const c = useLoad(() => supervisionApi.campaign(id), [id]);
  const [flagging, setFlagging] = useState<Item | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const check = async (i: Item, status: 'clear' | 'flagged', text?: string) => {
    setError(null);
    try {
      await supervisionApi.checkItem(id, i.seq, {
        status,
        version: i.version,
        ...(text ? { note: text } : {}),
      });
      setFlagging(null);
      setNote('');
      c.reload();
    } catch (e) {
      setError(e);
    }
  };
  if (c.loading && !c.data) return <Loading />;
  if (!c.data) return <ErrorAlert error={c.error} onRetry={c.reload} />;
  const d = c.data;
  const columns: ColumnsType<Item> = [
    { title: '#', dataIndex: 'seq', width: 60 },
    {
      title: t('sv.subject'),
      key: 'name',
      render: (_: unknown, i) =>
        i.personId ? (
          <Link to={`/agency/persons/${i.personId}`}>{i.name}</Link>
        ) : i.employerId ? (
          <Link to={`/agency/employers/${i.employerId}`}>{i.name}</Link>
        ) : (
          '—'
        ),
    },
    {
      title: t('sv.campaign.openFindings'),
      dataIndex: 'openFindings',
      render: (n: number) => (n > 0 ? <Tag color="orange">{n}</Tag> : '0'),
    },
    {
      title: t('sv.status'),
      dataIndex: 'status',
      render: (s: string, i) => (
        <span>
          <Tag color={s === 'flagged' ? 'red' : s === 'clear' ? 'green' : 'default'}>
            {code('sv.status', s)}
          </Tag>
          {i.note}
        </span>
      ),
    },
    {
      // who checked it and on which day, in its own column (it sat in 操作 where the buttons had been)
      title: t('sv.campaign.checkedBy'),
      key: 'checkedBy',
      render: (_: unknown, i) =>
        i.checkedBy === null ? (
          '—'
        ) : (
          // the checker by name, the login on hover (as the settlement runs show who started them)
          <span title={i.checkedBy}>
            {i.checkedByName ?? i.checkedBy}
            <br />
            <small style={{ whiteSpace: 'nowrap' }}>{formatDate(i.checkedAt, lang)}</small>
          </span>
        ),
    },
    {
      title: t('sv.actions'),
      key: 'a',
      render: (_: unknown, i) =>
        i.status === 'todo' ? (
          <Space>
            <Button size="small" onClick={() => void check(i, 'clear')}>
              {t('sv.clear')}
            </Button>
            <Button size="small" danger onClick={() => setFlagging(i)}>
              {t('sv.flag')}
            </Button>
          </Space>
        ) : null,
    },
  ];
  return (
    <>
      <PageTitle>
        {t('page.agency.svCampaign')} · <span translate="no">{d.name}</span>
      </PageTitle>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        // the seed as the list shows it: typed by the supervisor, not a word of the page
        title={
          <>
            {`${t('sv.campaign.candidates', { n: d.candidates })} · ${t('sv.campaign.sample')} ${d.sampleSize} · ${t('sv.campaign.seed')} `}
            <code>{d.seed}</code>
            {` · ${t('sv.campaign.progress', d.progress)}`}
          </>
        }
      />
      <ErrorAlert error={error} />
      <Card>
        <Table<Item>
          rowKey="seq"
          columns={columns}
          dataSource={d.items}
          locale={{
            emptyText: (
              <EmptyState title={t('sv.campaign.items.none')} hint={t('sv.campaign.items.none.hint')} />
            ),
          }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
        />
      </Card>
      <Modal
        open={flagging !== null}
        title={t('sv.flag')}
        onCancel={() => setFlagging(null)}
        onOk={() => flagging && void check(flagging, 'flagged', note.trim())}
        okButtonProps={{ disabled: note.trim().length === 0 }}
        destroyOnHidden
      >
        <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </>
  );
}
