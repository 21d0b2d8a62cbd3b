// 灵活就业缴费: a flexible worker declares a base for a month within 60%–300% of the average wage.
// The range comes from the server (its answer, or its SB_ERR_OUT_OF_RANGE message); the server bills
// the month at once, and the bill below has a 缴费 button (online payment).
import { Alert, Button, Card, Form, Result } from 'antd';
import { DatePicker } from '../../components/DatePicker.tsx';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle } from '../../components/common.tsx';
import { MoneyInput } from '../../components/MoneyInput.tsx';
import { formatMoney, formatPeriod, todayIso, yuanToFen } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { PayerBills } from './PayerBills.tsx';

export function FlexibleContributionPage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const today = todayIso();
  const [month, setMonth] = useState<Dayjs | null>(() => dayjs(today).startOf('month'));
  const [baseYuan, setBaseYuan] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{
    period: string;
    baseFen: number;
    floorFen: number;
    ceilingFen: number;
  } | null>(null);
  const [refresh, setRefresh] = useState(0);
  const personId = user?.personId ?? null;
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;

  const baseFen = yuanToFen(baseYuan);
  const declare = async () => {
    if (!month || baseFen === null) return;
    const period = month.format('YYYY-MM');
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await api.declareFlexible(personId, { period, baseFen });
      setDone({ period, baseFen, floorFen: r.floorFen, ceilingFen: r.ceilingFen });
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t('page.citizen.flexiblePay')}</PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Alert type="info" showIcon title={t('flexiblePay.intro')} style={{ marginBottom: 16 }} />
        <Form layout="vertical" onFinish={() => void declare()} style={{ maxWidth: 420 }}>
          <Form.Item label={t('flexiblePay.month')} htmlFor="flexible-month" required>
            <DatePicker
              id="flexible-month"
              picker="month"
              value={month}
              onChange={(d) => setMonth(d)}
              upToToday
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item label={t('flexiblePay.base')} htmlFor="flexible-base" required>
            <MoneyInput id="flexible-base" value={baseYuan} onChange={setBaseYuan} explain />
          </Form.Item>
          <ErrorAlert error={error} />
          <Button type="primary" htmlType="submit" loading={busy} disabled={!month || baseFen === null}>
            {t('flexiblePay.submit')}
          </Button>
        </Form>
        {done ? (
          <Result
            status="success"
            title={t('flexiblePay.done', {
              period: formatPeriod(done.period, lang),
              base: formatMoney(done.baseFen),
            })}
            subTitle={t('flexiblePay.range', {
              floor: formatMoney(done.floorFen),
              ceiling: formatMoney(done.ceilingFen),
            })}
          />
        ) : null}
      </Card>
      <PayerBills personId={personId} payerKind="flexible" refresh={refresh} />
    </>
  );
}
