// 灵活就业参保: a flexible worker (gig or delivery worker) enrols themself in the employees' basic
// pension. The server checks age and, where the region requires it, local household registration,
// and answers with the trace of that check.
import { Alert, Button, Card, Result } from 'antd';
import { useState } from 'react';
import { api, type Enrolment, type TraceStep } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle } from '../../components/common.tsx';
import { EnrolmentTable, SCHEME_KEY } from '../../components/registry.tsx';
import { TraceList } from '../../components/TraceList.tsx';
import { formatDate } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { useSituation } from '../../situation.tsx';

export function FlexibleEnrolmentPage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  // once enrolled, the menu offers the flexible worker's contributions page
  const { reload } = useSituation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<{ enrolment: Enrolment; trace: TraceStep[] } | null>(null);
  const [refresh, setRefresh] = useState(0);
  const personId = user?.personId ?? null;
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;

  const enrol = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone(await api.flexibleEnrol({}));
      setRefresh((n) => n + 1);
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t('page.citizen.flexible')}</PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Alert
          type="info"
          showIcon
          title={t('flexible.intro')}
          description={t('flexible.conditions')}
          style={{ marginBottom: 16 }}
        />
        <ErrorAlert error={error} />
        {done ? (
          <Result
            status="success"
            title={t('flexible.done', {
              scheme: t(SCHEME_KEY[done.enrolment.scheme]),
              date: formatDate(done.enrolment.startDate, lang),
            })}
            subTitle={t('flexible.done.hint')}
          />
        ) : (
          <Button type="primary" size="large" loading={busy} onClick={() => void enrol()}>
            {t('flexible.submit')}
          </Button>
        )}
        {done && done.trace.length > 0 ? (
          <>
            <h4>{t('flexible.explain')}</h4>
            <TraceList steps={done.trace} />
          </>
        ) : null}
      </Card>
      <Card title={t('enrolment.title')}>
        <EnrolmentTable key={refresh} personId={personId} />
      </Card>
    </>
  );
}
