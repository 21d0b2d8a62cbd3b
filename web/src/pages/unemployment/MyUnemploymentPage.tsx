// 失业保险金 (citizen): one button registers as unemployed and claims — no documents; the decision with
// the reason in words, the months, amounts and trace, the payments, stops; the subsidies.
import { Alert, Button, Card, Checkbox, List, Space, Tag } from 'antd';
import { useState } from 'react';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { ClaimView } from './ClaimView.tsx';
import { unemploymentApi, type Grant } from './unemployment-api.ts';

const OPEN = new Set(['submitted', 'approved', 'interrupted']);

function Grants() {
  const { t, lang } = useI18n();
  const grants = useLoad(() => unemploymentApi.grants(), []);
  // the server says which grants take applications today (from the rules' own parameters)
  const offer = useLoad(() => unemploymentApi.grantOffer(), []);
  const subsidyOpen = offer.data?.subsidy.open === true;
  const migrantOpen = offer.data?.migrant.open === true;
  const closed = (kind: 'subsidy' | 'migrant') => {
    const w = offer.data?.[kind];
    if (!w || w.open) return null;
    return w.until
      ? t(`ue.grants.closed.${kind}`, { until: formatDate(w.until, lang) })
      : t(`ue.grants.notInForce.${kind}`);
  };
  const [commit, setCommit] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function apply(kind: 'subsidy' | 'migrant') {
    setBusy(kind);
    setError(null);
    try {
      await unemploymentApi.applyGrant(kind, kind === 'migrant' ? commit : undefined);
      grants.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  return (
    <Card title={t('ue.grants.title')} style={{ marginTop: 16 }}>
      <p>{t('ue.grants.intro')}</p>
      {(['subsidy', 'migrant'] as const).map((kind) => {
        const text = closed(kind);
        return text ? (
          <Alert
            key={kind}
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={text}
            data-testid={`ue-grant-closed-${kind}`}
          />
        ) : null;
      })}
      <Space wrap style={{ marginBottom: 12 }}>
        <Button
          loading={busy === 'subsidy'}
          disabled={!subsidyOpen}
          onClick={() => void apply('subsidy')}
          data-testid="ue-grant-subsidy"
        >
          {t('ue.grants.subsidy')}
        </Button>
        {migrantOpen ? (
          <Checkbox checked={commit} onChange={(e) => setCommit(e.target.checked)}>
            {t('ue.grants.commitment')}
          </Checkbox>
        ) : null}
        <Button
          loading={busy === 'migrant'}
          disabled={!migrantOpen || !commit}
          onClick={() => void apply('migrant')}
          data-testid="ue-grant-migrant"
        >
          {t('ue.grants.migrant')}
        </Button>
      </Space>
      <ErrorAlert error={error ?? grants.error ?? offer.error} />
      <List<Grant>
        dataSource={grants.data?.items ?? []}
        locale={{ emptyText: ' ' }}
        renderItem={(g) => {
          const reason = lang === 'zh-CN' ? (g.reasonZh ?? g.reason) : (g.reason ?? g.reasonZh);
          return (
            <List.Item data-testid="ue-grant">
              <Space direction="vertical" size={2}>
                <Space wrap>
                  <strong>{t(`ue.grants.kind.${g.kind}` as MessageKey)}</strong>
                  <Tag color={g.status === 'paid' ? 'green' : g.status === 'submitted' ? 'orange' : 'red'}>
                    {t(`ue.grants.status.${g.status}` as MessageKey)}
                  </Tag>
                  <span>{formatDate(g.createdAt, lang)}</span>
                </Space>
                {g.eligible ? (
                  <span>{t('ue.grants.amount', { months: g.months, amount: formatMoney(g.amountFen) })}</span>
                ) : null}
                {reason ? <span>{reason}</span> : null}
              </Space>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

export function MyUnemploymentPage() {
  const { t } = useI18n();
  const claims = useLoad(() => unemploymentApi.claims(), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function claim() {
    setBusy(true);
    setError(null);
    try {
      await unemploymentApi.claim();
      claims.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const items = claims.data?.items ?? [];
  const latest = items[0];
  const canClaim = !latest || !OPEN.has(latest.status);
  return (
    <>
      <PageTitle>{t('page.citizen.unemployment')}</PageTitle>
      <Card title={t('ue.claim.title')}>
        {claims.loading && !claims.data ? <Loading /> : null}
        <ErrorAlert error={claims.error} onRetry={claims.reload} />
        {canClaim ? (
          <>
            <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('ue.claim.intro')} />
            <Button type="primary" loading={busy} onClick={() => void claim()} data-testid="ue-claim-button">
              {t('ue.claim.button')}
            </Button>
          </>
        ) : null}
        <ErrorAlert error={error} />
        {claims.data && items.length === 0 ? <EmptyState title={t('ue.claim.none')} /> : null}
        {latest ? (
          <div style={{ marginTop: canClaim ? 16 : 0 }}>
            <ClaimView claim={latest} />
          </div>
        ) : null}
      </Card>
      <Grants />
    </>
  );
}
