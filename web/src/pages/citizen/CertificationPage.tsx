// 资格认证: a pensioner certifies that they are alive, by the self-service face check: a single-use
// nonce from the server → the liveness vendor (in demo mode the server's simulator) signs a result →
// the server verifies it. Shows the status, the next due date and the history.
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Grid, Tag } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useState } from 'react';
import { api, type CertificationStatus } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText } from '../../components/registry.tsx';
import { formatDate, formatMoney, formatPeriod, todayIso } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { certificationSource } from './certification-source.ts';

/**
 * The yearly campaign asks for one certification in the 12 months ending on its deadline
 * (31 December by default): certified in year Y covers Y, so the next is due by 31 December of Y+1;
 * never certified (or not this year) → by 31 December of this year.
 */
export function nextDueDate(lastCertifiedOn: string | null, today: string): string {
  const thisYear = Number(today.slice(0, 4));
  const last = lastCertifiedOn ? Number(lastCertifiedOn.slice(0, 4)) : null;
  const year = last !== null && last >= thisYear ? last + 1 : thisYear;
  return `${year}-12-31`;
}

export function CertificationPage() {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const narrow = !Grid.useBreakpoint().md;
  const personId = useAuth().user?.personId ?? null;
  const [busy, setBusy] = useState(false);
  const [stepError, setStepError] = useState<unknown>(null);
  const [done, setDone] = useState<{ certifiedOn: string; restoredFen: number } | null>(null);
  const status = useLoad(personId ? () => api.certification(personId) : null, [personId]);
  const pension = useLoad(personId ? () => api.pension(personId) : null, [personId]);
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;

  const drawing = pension.data?.awards.some((a) => a.status !== 'stopped') ?? false;

  async function certify(id: number) {
    setBusy(true);
    setStepError(null);
    setDone(null);
    try {
      const challenge = await api.certificationChallenge(id);
      if (!challenge.simulator) throw new Error(t('cert.appOnly'));
      // Demo: the server's vendor simulator stands in for the face-check SDK on the phone.
      const { result } = await api.certificationSimulate(id, challenge.nonce);
      const answer = await api.certificationSelf(id, result);
      setDone({
        certifiedOn: answer.certifiedOn,
        restoredFen: answer.restorations.reduce((a, r) => a + r.arrearsFen, 0),
      });
      status.reload();
    } catch (e) {
      setStepError(e);
    } finally {
      setBusy(false);
    }
  }

  const s = status.data;
  const due = nextDueDate(s?.lastCertifiedOn ?? null, todayIso());
  const suspended = s?.suspensions.filter((x) => x.restoredAt === null) ?? [];
  return (
    <>
      <PageTitle>{t('page.citizen.certification')}</PageTitle>
      <ErrorAlert error={status.error} onRetry={status.reload} />
      {(status.loading && !s) || (pension.loading && !pension.data) ? <Loading /> : null}
      {s && pension.data ? (
        <>
          {done ? (
            <Alert
              type="success"
              showIcon
              role="status"
              style={{ marginBottom: 16 }}
              title={t('cert.done', { date: formatDate(done.certifiedOn, lang) })}
              description={
                done.restoredFen > 0
                  ? t('cert.restored', { amount: formatMoney(done.restoredFen) })
                  : undefined
              }
            />
          ) : null}
          {suspended.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('cert.suspended', {
                period: formatPeriod(suspended[0]?.suspendedFromPeriod ?? '', lang),
              })}
              description={t('cert.suspended.hint')}
            />
          ) : null}
          <Card title={t('cert.status')} style={{ marginBottom: 16 }}>
            <Descriptions
              bordered
              size="small"
              layout={narrow ? 'vertical' : 'horizontal'}
              column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
              items={[
                {
                  key: 'last',
                  label: t('cert.last'),
                  children: s.lastCertifiedOn ? formatDate(s.lastCertifiedOn, lang) : t('cert.never'),
                },
                {
                  key: 'due',
                  label: t('cert.nextDue'),
                  children: drawing ? <strong>{formatDate(due, lang)}</strong> : t('cert.notNeeded'),
                },
                ...(s.onVisitRegister
                  ? [
                      {
                        key: 'visit',
                        label: t('cert.visitRegister'),
                        children: code('visit.reason', s.onVisitRegister.reason),
                      },
                    ]
                  : []),
              ]}
            />
            <div style={{ marginTop: 16 }}>
              {drawing ? (
                <>
                  <Button
                    type="primary"
                    icon={<SafetyCertificateOutlined />}
                    loading={busy}
                    onClick={() => void certify(personId)}
                  >
                    {t('cert.start')}
                  </Button>
                  <div style={{ marginTop: 8, color: 'rgba(0,0,0,0.55)' }}>{t('cert.start.hint')}</div>
                </>
              ) : (
                <EmptyState title={t('cert.notNeeded')} hint={t('cert.notNeeded.hint')} />
              )}
            </div>
            <div style={{ marginTop: 12 }}>
              <ErrorAlert error={stepError} />
            </div>
          </Card>
          <Card title={t('cert.history')}>
            <Table
              size="small"
              rowKey="id"
              dataSource={s.certifications}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              scroll={{ x: 420 }}
              locale={{
                emptyText: (
                  <EmptyState
                    title={t('cert.history.empty')}
                    {...(drawing ? { hint: t('cert.history.empty.hint') } : {})}
                  />
                ),
              }}
              columns={[
                {
                  title: t('cert.date'),
                  dataIndex: 'certifiedOn',
                  render: (d: string) => formatDate(d, lang),
                },
                {
                  title: t('cert.channel'),
                  dataIndex: 'channel',
                  render: (c: string) => <Tag>{code('cert.channel', c)}</Tag>,
                },
                {
                  title: t('cert.source'),
                  dataIndex: 'source',
                  render: (ref: string) => certificationSource(ref, lang, t),
                },
              ]}
            />
          </Card>
        </>
      ) : null}
    </>
  );
}

export type { CertificationStatus };
