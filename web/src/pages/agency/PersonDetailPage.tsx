// 人员详情: the full record (this read is audited by the server), the person's enrolments and their
// certifications (资格认证, for the roles that may read them).
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card } from 'antd';
import { api } from '../../api.ts';
import { ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { PersonActions } from '../../components/PersonActions.tsx';
import { PersonCard } from '../../components/PersonCard.tsx';
import { roleCan } from '../../access.ts';
import { useAuth } from '../../auth.tsx';
import { ManagedEnrolments } from '../../components/EnrolmentActions.tsx';
import { useI18n } from '../../i18n/index.tsx';
import type { PageProps } from '../../pages.tsx';
import { navigate, useSearchParam } from '../../router.tsx';
import { PersonCertificationCard } from './PersonCertificationCard.tsx';

export function PersonDetailPage({ params }: PageProps) {
  const { t } = useI18n();
  const { user } = useAuth();
  const id = Number(params['id']);
  const created = useSearchParam('created') === '1';
  const { data: person, error, loading, reload } = useLoad(() => api.person(id), [id]);
  return (
    <>
      <PageTitle
        extra={
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/agency/persons')}>
            {t('action.backToSearch')}
          </Button>
        }
      >
        {/* a name, not a word: kept as written in either language (and by a browser's translator) */}
        {person ? <span translate="no">{person.name}</span> : t('page.agency.person')}
      </PageTitle>
      {created && person ? (
        <Alert
          type="success"
          showIcon
          role="status"
          title={t('register.done', { name: person.name })}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !person ? <Loading /> : null}
      {person ? (
        <>
          <Card title={t('person.card')} style={{ marginBottom: 16 }}>
            <PersonCard person={person} />
          </Card>
          <PersonActions person={person} onChanged={reload} />
          <Card title={t('enrolment.title')} style={{ marginBottom: 16 }}>
            <ManagedEnrolments personId={person.id} dead={person.deathDate !== null} />
          </Card>
          {roleCan(user?.role, 'certification.read') ? (
            <PersonCertificationCard personId={person.id} />
          ) : null}
        </>
      ) : null}
    </>
  );
}
