// 资格认证批次: the region's yearly certification campaigns, counts by channel as a chart, the people
// not yet certified (oldest first), and the deadline sweep that suspends them.
import { Alert, Button, Card, Col, Empty, InputNumber, Row, Select, Space, Statistic, Tag } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useMemo, useState } from 'react';
import { api, waitForJob, type UncertifiedItem } from '../../api.ts';
import { useAuth, useCan } from '../../auth.tsx';
import { Chart, type ChartOption } from '../../components/Chart.tsx';
import { ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useRegionName } from '../../components/registry.tsx';
import { formatCount, agencyYear, formatDate } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

export function CertificationCampaignsPage() {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  const { user } = useAuth();
  // creating and sweeping a campaign is a clerk's: a reviewer or supervisor reads it (they were offered
  // both buttons, and the empty page told them to create one, which the server refused)
  const manages = useCan()('certification.campaign');
  const campaigns = useLoad(() => api.campaigns(), []);
  const [selected, setSelected] = useState<number | null>(null);
  const current = selected ?? campaigns.data?.[0]?.id ?? null;
  const detail = useLoad(current === null ? null : () => api.campaign(current), [current]);
  const [page, setPage] = useState(1);
  const uncertified = useLoad(current === null ? null : () => api.uncertified(current, page, 20), [
    current,
    page,
  ]);
  const [year, setYear] = useState<number>(agencyYear);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const counts = detail.data?.counts;
  const channelLabel = (c: string): string =>
    c === 'self'
      ? t('campaign.channel.self')
      : c === 'visit'
        ? t('campaign.channel.visit')
        : c === 'data'
          ? t('campaign.channel.data')
          : c === 'counter'
            ? t('campaign.channel.counter')
            : c;
  const chart: ChartOption | null = useMemo(() => {
    if (!counts) return null;
    const channels = Object.entries(counts.byChannel);
    return {
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: [
            ...channels.map(([name, value]) => ({ name: channelLabel(name), value })),
            { name: t('campaign.uncertified'), value: counts.uncertified },
          ],
        },
      ],
    };
  }, [counts, t]);

  async function create() {
    if (!user?.region) return;
    setBusy(true);
    setActionError(null);
    try {
      const c = await api.createCampaign({ region: user.region, year });
      setSelected(c.id);
      campaigns.reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  }

  async function sweep() {
    if (current === null) return;
    setBusy(true);
    setActionError(null);
    try {
      // The sweep runs in the server's background worker: follow its progress until it ends.
      const { jobId } = await api.sweepCampaign(current);
      await waitForJob(jobId, (job) =>
        setNotice(
          job.progress && job.progress.total > 0
            ? t('job.progress', {
                done: formatCount(job.progress.done),
                total: formatCount(job.progress.total),
              })
            : t('job.queued'),
        ),
      );
      setNotice(t('campaign.swept'));
      detail.reload();
      uncertified.reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle
        extra={
          manages ? (
            <Space wrap>
              <InputNumber
                aria-label={t('campaign.year')}
                min={2018}
                max={2100}
                value={year}
                onChange={(v) => v !== null && setYear(v)}
              />
              <Button onClick={() => void create()} loading={busy}>
                {t('campaign.create')}
              </Button>
            </Space>
          ) : null
        }
      >
        {t('page.agency.certification')}
      </PageTitle>
      {campaigns.error ? <ErrorAlert error={campaigns.error} onRetry={campaigns.reload} /> : null}
      {actionError ? <ErrorAlert error={actionError} /> : null}
      {notice ? <Alert type="success" showIcon message={notice} style={{ marginBottom: 12 }} /> : null}
      {campaigns.data && campaigns.data.length === 0 ? (
        <Empty description={t(manages ? 'campaign.none' : 'campaign.none.read')} />
      ) : null}
      {campaigns.data && campaigns.data.length > 0 ? (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Select
            aria-label={t('campaign.campaign')}
            style={{ minWidth: 260 }}
            value={current}
            onChange={(v: number) => {
              setSelected(v);
              setPage(1);
            }}
            options={campaigns.data.map((c) => ({
              value: c.id,
              label: `${c.year} · ${regionName(c.region)} · ${t('campaign.deadline')} ${formatDate(c.deadline, lang)}`,
            }))}
          />
          {detail.error ? <ErrorAlert error={detail.error} onRetry={detail.reload} /> : null}
          {detail.data && counts ? (
            <Card
              title={`${detail.data.year} · ${formatDate(detail.data.windowStart, lang)} – ${formatDate(detail.data.deadline, lang)}`}
              extra={
                <Space wrap>
                  <Tag color={detail.data.sweptAt ? 'orange' : 'blue'}>
                    {detail.data.sweptAt ? t('campaign.sweptTag') : t('campaign.open')}
                  </Tag>
                  {manages ? (
                    // its label wraps: on an English phone it ran the page to 425 px
                    <Button
                      danger
                      onClick={() => void sweep()}
                      loading={busy}
                      style={{ whiteSpace: 'normal', height: 'auto' }}
                    >
                      {t('campaign.sweep')}
                    </Button>
                  ) : null}
                </Space>
              }
            >
              <Row gutter={[16, 16]}>
                <Col xs={12} md={6}>
                  <Statistic
                    title={t('campaign.pensioners')}
                    value={formatCount(counts.pensioners)}
                    suffix={t('unit.people')}
                  />
                </Col>
                <Col xs={12} md={6}>
                  <Statistic
                    title={t('campaign.certified')}
                    value={formatCount(counts.certified)}
                    suffix={t('unit.people')}
                  />
                </Col>
                <Col xs={12} md={6}>
                  <Statistic
                    title={t('campaign.uncertified')}
                    value={formatCount(counts.uncertified)}
                    suffix={t('unit.people')}
                  />
                </Col>
                <Col xs={12} md={6}>
                  <Statistic
                    title={t('campaign.suspended')}
                    value={formatCount(counts.suspended)}
                    suffix={t('unit.people')}
                  />
                </Col>
              </Row>
              {chart ? (
                <Chart option={chart} height={280} label={t('campaign.chart')} values="count" />
              ) : null}
            </Card>
          ) : null}
          <Card title={t('campaign.uncertifiedList')}>
            {uncertified.error ? <ErrorAlert error={uncertified.error} onRetry={uncertified.reload} /> : null}
            <Table<UncertifiedItem>
              rowKey="awardId"
              size="small"
              scroll={{ x: true }}
              loading={uncertified.loading}
              dataSource={uncertified.data?.items ?? []}
              locale={{ emptyText: t('campaign.allCertified') }}
              pagination={{
                current: page,
                pageSize: 20,
                total: uncertified.data?.total ?? 0,
                onChange: setPage,
                showSizeChanger: false,
              }}
              columns={[
                { title: t('campaign.name'), dataIndex: 'name' },
                { title: t('campaign.idNumber'), dataIndex: 'idNumber' },
                {
                  title: t('campaign.birthDate'),
                  dataIndex: 'birthDate',
                  render: (d: string) => formatDate(d, lang),
                },
                {
                  title: t('campaign.lastCertified'),
                  dataIndex: 'lastCertifiedOn',
                  render: (d: string | null) => (d ? formatDate(d, lang) : '—'),
                },
                {
                  title: t('campaign.status'),
                  dataIndex: 'awardStatus',
                  render: (s: string, r) => (
                    <Space>
                      <Tag color={s === 'suspended' ? 'red' : 'green'}>
                        {s === 'suspended' ? t('campaign.suspended') : t('campaign.paying')}
                      </Tag>
                      {r.onVisitRegister ? <Tag color="purple">{t('campaign.visit')}</Tag> : null}
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        </Space>
      ) : null}
    </>
  );
}
