// 待遇发放: run (or resume) the month's pension payroll, with its progress polled while it runs and
// the summary after; the annual adjustment run.
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Input,
  InputNumber,
  Progress,
  Row,
  Space,
  Statistic,
  Tag,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, type AdjustmentAnswer, type PayrollSummary } from '../../api.ts';
import { useAuth, useCan } from '../../auth.tsx';
import { ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText, useRegionName } from '../../components/registry.tsx';
import { formatCount, formatMoney, formatPeriod, todayIso } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';

function SummaryView({ s }: { s: PayrollSummary }) {
  const { t } = useI18n();
  const code = useCodeText();
  const percent =
    s.chunksTotal > 0 ? Math.round((s.chunksDone * 100) / s.chunksTotal) : s.status === 'done' ? 100 : 0;
  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Tag color={s.status === 'done' ? 'green' : s.status === 'running' ? 'blue' : 'default'}>
          {code('payroll.status', s.status)}
        </Tag>
        <span>{t('payroll.chunks', { done: s.chunksDone, total: s.chunksTotal })}</span>
      </Space>
      <Progress
        percent={percent}
        status={s.status === 'running' ? 'active' : s.status === 'done' ? 'success' : 'normal'}
        aria-label={t('payroll.progress')}
      />
      <Row gutter={[16, 16]} style={{ marginTop: 12 }}>
        <Col xs={12} md={6}>
          <Statistic title={t('payroll.payments')} value={formatCount(s.payments)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('payroll.regular')} value={formatMoney(s.regularFen)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('payroll.arrears')} value={formatMoney(s.arrearsFen)} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('payroll.total')} value={formatMoney(s.totalFen)} />
        </Col>
      </Row>
    </>
  );
}

export function PayrollPage() {
  const { t, lang } = useI18n();
  const can = useCan();
  const regionName = useRegionName();
  const user = useAuth().user;
  const region = user?.region ?? '';
  const [period, setPeriod] = useState(() => todayIso().slice(0, 7));
  const periodOk = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const [summary, setSummary] = useState<PayrollSummary | null>(null);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<unknown>(null);
  const live = useRef(true);
  useEffect(() => () => void (live.current = false), []);
  const current = useLoad(
    periodOk && region ? () => api.payrollSummary(period, region).then((s) => (setSummary(s), s)) : null,
    [period, region],
  );

  async function run() {
    setRunning(true);
    setRunError(null);
    const started = api.startPayroll(period, region);
    let finished = false;
    void started.finally(() => (finished = true));
    // Poll the run's progress while the request that drives it is still working.
    const poll = async () => {
      while (!finished && live.current) {
        await new Promise((r) => setTimeout(r, 600));
        if (finished) break;
        try {
          const s = await api.payrollSummary(period, region);
          if (!finished && live.current) setSummary(s);
        } catch {
          // a missed poll is harmless: the next one or the final answer shows the state
        }
      }
    };
    void poll();
    try {
      const s = await started;
      if (live.current) setSummary(s);
    } catch (e) {
      if (live.current) setRunError(e);
    } finally {
      if (live.current) setRunning(false);
    }
  }

  const [year, setYear] = useState<number | null>(Number(todayIso().slice(0, 4)));
  const [adjusting, setAdjusting] = useState(false);
  const [adjustment, setAdjustment] = useState<AdjustmentAnswer | null>(null);
  const [adjustError, setAdjustError] = useState<unknown>(null);
  async function adjust() {
    if (!year) return;
    setAdjusting(true);
    setAdjustError(null);
    try {
      setAdjustment(await api.runAdjustment(region, year));
    } catch (e) {
      setAdjustError(e);
    } finally {
      setAdjusting(false);
    }
  }

  const canRun = user?.role === 'clerk' || user?.role === 'admin';
  return (
    <>
      <PageTitle>{t('page.agency.payroll')}</PageTitle>
      <Card title={t('payroll.title', { region: regionName(region) })} style={{ marginBottom: 16 }}>
        <Space wrap style={{ marginBottom: 16 }}>
          <label htmlFor="payroll-period">{t('payroll.period')}</label>
          <Input
            id="payroll-period"
            value={period}
            onChange={(e) => setPeriod(e.target.value.trim())}
            style={{ width: 120 }}
            status={periodOk ? '' : 'error'}
          />
          <span>{periodOk ? formatPeriod(period, lang) : t('declare.period.hint')}</span>
          {canRun ? (
            <Button type="primary" loading={running} disabled={!periodOk} onClick={() => void run()}>
              {summary?.status === 'done' ? t('payroll.rerun') : t('payroll.run')}
            </Button>
          ) : null}
        </Space>
        <ErrorAlert error={current.error} onRetry={current.reload} />
        <ErrorAlert error={runError} />
        {summary ? (
          summary.runId === null && !running ? (
            <Alert type="info" showIcon title={t('payroll.notRun')} description={t('payroll.notRun.hint')} />
          ) : (
            <SummaryView s={summary} />
          )
        ) : null}
      </Card>
      {can('adjustment.run') && canRun ? (
        <Card title={t('adjust.title')}>
          <p style={{ color: 'rgba(0,0,0,0.55)' }}>{t('adjust.hint')}</p>
          <Space wrap>
            <label htmlFor="adjust-year">{t('adjust.year')}</label>
            <InputNumber id="adjust-year" value={year} min={2000} max={2100} onChange={setYear} />
            <Button loading={adjusting} onClick={() => void adjust()}>
              {t('adjust.run')}
            </Button>
          </Space>
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={adjustError} />
          </div>
          {adjustment ? (
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, sm: 1, md: 2, lg: 3, xl: 3, xxl: 3 }}
              items={[
                {
                  key: 'from',
                  label: t('adjust.effective'),
                  children: formatPeriod(adjustment.effectivePeriod, lang),
                },
                { key: 'n', label: t('adjust.adjusted'), children: formatCount(adjustment.adjusted) },
                { key: 'inc', label: t('adjust.increase'), children: formatMoney(adjustment.increaseFen) },
                {
                  key: 'aq',
                  label: t('adjust.arrearsQueued'),
                  children: formatCount(adjustment.arrearsQueued),
                },
                { key: 'af', label: t('adjust.arrearsFen'), children: formatMoney(adjustment.arrearsFen) },
              ]}
            />
          ) : null}
        </Card>
      ) : null}
    </>
  );
}
