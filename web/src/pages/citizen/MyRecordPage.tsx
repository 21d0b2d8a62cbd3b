// 我的参保: the citizen's own registry record and enrolments.
import { Card } from 'antd';
import { api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { PersonCard } from '../../components/PersonCard.tsx';
import { EnrolmentTable } from '../../components/registry.tsx';
import { useI18n } from '../../i18n/index.tsx';

export function MyRecordPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const personId = user?.personId ?? null;
  const {
    data: person,
    error,
    loading,
    reload,
  } = useLoad(personId ? () => api.person(personId) : null, [personId]);
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;
  return (
    <>
      <PageTitle>{t('page.citizen.record')}</PageTitle>
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !person ? <Loading /> : null}
      {person ? (
        <>
          <Card title={t('person.card')} style={{ marginBottom: 16 }}>
            <PersonCard person={person} />
          </Card>
          <Card title={t('enrolment.title')}>
            <EnrolmentTable personId={person.id} />
          </Card>
        </>
      ) : null}
    </>
  );
}
