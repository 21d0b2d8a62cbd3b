// 城乡居民缴费档次: a resident sees this year's tiers (the parameter in force for their region),
// chooses one and sees the bill: their part, the government subsidy and, for hardship groups, 代缴.
import { Alert, Button, Card, Descriptions, Radio, Space } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { agencyYear, formatMoney } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { PayerBills } from './PayerBills.tsx';

export function ResidentTierPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const year = agencyYear();
  const params = useLoad(
    () => api.paramsInForce({ ...(user?.region ? { region: user.region } : {}), date: `${year}-01-01` }),
    [user?.region, year],
  );
  const [tierFen, setTierFen] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Awaited<ReturnType<typeof api.chooseResidentTier>> | null>(null);
  const [refresh, setRefresh] = useState(0);
  const chosen = useLoad(
    user?.personId
      ? () => api.personBills({ personId: user.personId as number, period: `${year}-01`, pageSize: 50 })
      : null,
    [user?.personId, year, refresh],
  );
  const personId = user?.personId ?? null;
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;

  const table = params.data?.parameters.find((p) => p.path === 'contributions/resident-tiers')?.value as
    { tiers?: number[] } | undefined;
  const tiersFen = (table?.tiers ?? []).map((y) => y * 100);

  const thisYear = (chosen.data?.items ?? []).find(
    (b) => b.payerKind === 'resident' && b.status !== 'cancelled',
  );
  const choose = async () => {
    if (tierFen === null) return;
    setBusy(true);
    setError(null);
    try {
      setDone(await api.chooseResidentTier(personId, { year, tierFen }));
      setRefresh((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t('page.citizen.residentTier')}</PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Alert type="info" showIcon title={t('residentTier.intro', { year })} style={{ marginBottom: 16 }} />
        <ErrorAlert error={params.error} onRetry={params.reload} />
        {thisYear && !done ? (
          <Alert
            type="success"
            showIcon
            title={t('residentTier.already', { year, amount: formatMoney(thisYear.totalFen) })}
          />
        ) : params.loading || chosen.loading ? (
          <Loading />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Radio.Group
              value={tierFen}
              onChange={(e) => setTierFen(e.target.value as number)}
              disabled={!!done}
            >
              <Space wrap>
                {tiersFen.map((f) => (
                  <Radio.Button key={f} value={f}>
                    {formatMoney(f)}
                  </Radio.Button>
                ))}
              </Space>
            </Radio.Group>
            <ErrorAlert error={error} />
            {done ? null : (
              <Button type="primary" loading={busy} disabled={tierFen === null} onClick={() => void choose()}>
                {t('residentTier.submit', { year })}
              </Button>
            )}
          </Space>
        )}
        {done ? (
          <Descriptions
            bordered
            size="small"
            column={1}
            title={t('residentTier.done', { year })}
            style={{ marginTop: 16 }}
            items={[
              { key: 'tier', label: t('residentTier.tier'), children: formatMoney(done.tierFen) },
              { key: 'person', label: t('residentTier.person'), children: formatMoney(done.personFen) },
              { key: 'subsidy', label: t('residentTier.subsidy'), children: formatMoney(done.subsidyFen) },
              {
                key: 'gov',
                label: t('residentTier.governmentPaid'),
                children: formatMoney(done.governmentPaidFen),
              },
            ]}
          />
        ) : null}
      </Card>
      <PayerBills personId={personId} payerKind="resident" refresh={refresh} />
    </>
  );
}
