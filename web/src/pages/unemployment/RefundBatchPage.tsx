// 稳岗返还批次 (agency): a year's scan in the staff member's region — employers compared, qualifying,
// refunds due, paid and awaiting release, the reasons others do not qualify — each employer's result,
// and the four-eyes payment: a clerk prepares it, a reviewer (another person) releases it. The
// supervisor sees the same figures (refunds paid are unemployment-fund expenditure).
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  InputNumber,
  Row,
  Segmented,
  Space,
  Statistic,
  Tag,
} from 'antd';
import { useState } from 'react';
import { waitForJob, type BackgroundJob } from '../../api.ts';
import { approvalApi } from '../../api-approvals.ts';
import { JobProgress } from '../../components/JobProgress.tsx';
import { ApprovalLink } from '../../components/RecordLink.tsx';
import { useAuth, useCan } from '../../auth.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { formatCount, formatMoney } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { RefundCard } from './RefundCard.tsx';
import { defaultRefundYear, refundApi, type Refund } from './refundApi.ts';

type Filter = 'all' | 'eligible' | 'not';

export function RefundBatchPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const region = useAuth().user?.region ?? null;
  const [year, setYear] = useState(defaultRefundYear());
  const [filter, setFilter] = useState<Filter>('all');
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [open, setOpen] = useState<Refund | null>(null);
  // The year's scan started here runs in the server's background worker: its progress while it runs.
  const [scanJob, setScanJob] = useState<{ job: BackgroundJob | null } | null>(null);
  const batch = useLoad(() => refundApi.batch(year), [year, tick]);
  const results = useLoad(
    () =>
      refundApi.results(year, {
        page,
        pageSize: 20,
        ...(filter === 'all' ? {} : { eligible: filter === 'eligible' }),
      }),
    [year, filter, page, tick],
  );
  const b = batch.data;
  const employers = (n: number) => t('refund.batch.employers', { n: formatCount(n) });

  async function act(fn: () => Promise<string>) {
    setBusy(true);
    setActionError(null);
    try {
      void message.success(await fn());
      setTick((n) => n + 1);
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  }

  const money = (f: number) => <span className="money">{formatMoney(f)}</span>;
  return (
    <>
      <PageTitle
        extra={
          <Space>
            <label htmlFor="refund-year">{t('refund.batch.year')}</label>
            <InputNumber
              id="refund-year"
              min={2021}
              max={2100}
              value={year}
              onChange={(v) => {
                if (typeof v === 'number') {
                  setPage(1);
                  setYear(v);
                }
              }}
            />
          </Space>
        }
      >
        {t('page.agency.refunds')}
      </PageTitle>
      <Alert
        type="info"
        showIcon
        message={t('refund.intro')}
        description={t('refund.fundNote')}
        style={{ marginBottom: 16 }}
      />
      <ErrorAlert error={batch.error} onRetry={batch.reload} />
      <ErrorAlert error={actionError} />
      {scanJob ? <JobProgress title={t('refund.scan.running', { year })} job={scanJob.job} /> : null}
      {b && b.scanStatus !== 'done' && !scanJob ? (
        <Alert
          type="warning"
          showIcon
          message={b.scanAllowed ? t('refund.batch.notScanned') : t('refund.batch.notScannedOthers')}
          action={
            // The scan covers every employer: offered only to staff whose region covers them all
            // (the server says so; a district's clerk has the role's action but not the reach).
            b.scanAllowed ? (
              <Button
                type="primary"
                loading={busy}
                onClick={() =>
                  void act(async () => {
                    const { jobId } = await refundApi.scan(year);
                    setScanJob({ job: null });
                    try {
                      const job = await waitForJob(jobId, (j) => setScanJob({ job: j }));
                      const r = job.result as { employersScanned?: number; qualifying?: number } | null;
                      return t('refund.scan.done', {
                        year,
                        scanned: formatCount(r?.employersScanned ?? 0),
                        qualifying: formatCount(r?.qualifying ?? 0),
                      });
                    } finally {
                      setScanJob(null);
                    }
                  })
                }
              >
                {t('refund.scan.start')}
              </Button>
            ) : null
          }
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {(
          [
            // every count of employers says so (beside an amount "59 · ¥240,624.58" read as two numbers)
            ['refund.batch.scanned', b ? employers(b.employersScanned) : '—'],
            ['refund.batch.qualifying', b ? employers(b.qualifying) : '—'],
            ['refund.batch.total', b ? formatMoney(b.totalFen) : '—'],
            ['refund.batch.paid', b ? `${employers(b.paid)} · ${formatMoney(b.paidFen)}` : '—'],
            [
              'refund.batch.awaiting',
              b ? `${employers(b.awaitingRelease)} · ${formatMoney(b.awaitingFen)}` : '—',
            ],
            ['refund.batch.noAccount', b ? employers(b.noBankAccount) : '—'],
          ] as Array<[MessageKey, string]>
        ).map(([k, v]) => (
          <Col key={k} xs={12} md={8} xl={4}>
            {/* one height for the row, however a figure wraps */}
            <Card size="small" style={{ height: '100%' }}>
              <Statistic title={t(k)} value={v} valueStyle={{ fontSize: 20 }} />
            </Card>
          </Col>
        ))}
      </Row>
      {b && b.scanStatus === 'done' ? (
        <Card style={{ marginBottom: 16 }}>
          <Space wrap style={{ display: 'flex', marginBottom: 12 }}>
            {b.pendingApprovalId !== null ? (
              <Tag color="orange">
                <ApprovalLink id={b.pendingApprovalId}>
                  {t('refund.batch.pending', { id: b.pendingApprovalId })}
                </ApprovalLink>
              </Tag>
            ) : null}
            {can('refund.pay') && region && b.pendingApprovalId === null && b.awaitingRelease > 0 ? (
              <Button
                type="primary"
                loading={busy}
                onClick={() =>
                  void act(async () => {
                    const a = await refundApi.preparePayment(year, region);
                    return t('refund.batch.prepared', { id: a.id });
                  })
                }
              >
                {t('refund.batch.prepare')}
              </Button>
            ) : null}
            {can('money.release') && b.pendingApprovalId !== null ? (
              <Button
                type="primary"
                loading={busy}
                onClick={() =>
                  void act(async () => {
                    const a = await approvalApi.release(b.pendingApprovalId ?? 0);
                    const r = a.result as { employers?: number; totalFen?: number } | null;
                    return t('refund.batch.released', {
                      employers: r?.employers ?? 0,
                      total: formatMoney(r?.totalFen ?? 0),
                    });
                  })
                }
              >
                {t('refund.batch.release')}
              </Button>
            ) : null}
          </Space>
          {b.notEligibleByReason.length > 0 ? (
            <div>
              <strong>{t('refund.batch.reasons')}：</strong>
              {b.notEligibleByReason.map((r) => (
                <Tag key={r.reason} style={{ marginBottom: 4 }}>
                  {lang === 'zh-CN' ? r.reasonZh : r.reason} × {r.employers}
                </Tag>
              ))}
            </div>
          ) : null}
        </Card>
      ) : null}
      <Card
        title={t('refund.batch.results')}
        extra={
          <Segmented<Filter>
            value={filter}
            onChange={(v) => {
              setPage(1);
              setFilter(v);
            }}
            options={[
              { value: 'all', label: t('refund.batch.filter.all') },
              { value: 'eligible', label: t('refund.batch.filter.eligible') },
              { value: 'not', label: t('refund.batch.filter.notEligible') },
            ]}
          />
        }
      >
        <ErrorAlert error={results.error} onRetry={results.reload} />
        <Table<Refund>
          rowKey="id"
          size="middle"
          loading={results.loading}
          locale={{
            emptyText: <EmptyState title={t('refund.batch.none')} hint={t('refund.batch.none.hint')} />,
          }}
          dataSource={results.data?.items ?? []}
          scroll={{ x: 800 }}
          pagination={{
            current: page,
            pageSize: 20,
            total: results.data?.total ?? 0,
            showTotal: (total) => t('list.total', { total }),
            onChange: setPage,
          }}
          columns={[
            {
              title: t('refund.col.employer'),
              key: 'employer',
              render: (_: unknown, r) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(r)} translate="no">
                  {r.employerName}
                </Button>
              ),
            },
            {
              title: t('refund.col.result'),
              key: 'result',
              render: (_: unknown, r) =>
                r.eligible ? (
                  <Tag color="green">{t('refund.eligible')}</Tag>
                ) : (
                  <span>
                    <Tag>{t('refund.notEligible')}</Tag>
                    {lang === 'zh-CN' ? r.reasonZh : r.reason}
                  </span>
                ),
            },
            { title: t('refund.col.amount'), dataIndex: 'refundFen', align: 'right', render: money },
            {
              title: t('refund.col.payment'),
              key: 'pay',
              render: (_: unknown, r) => t(`refund.status.${r.paymentStatus}` as MessageKey),
            },
          ]}
        />
      </Card>
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        width={Math.min(720, window.innerWidth)}
        title={open?.employerName}
      >
        {open ? <RefundCard r={open} /> : null}
      </Drawer>
    </>
  );
}
