// 权益记录单: the citizen's own contribution record (GET /api/v1/persons/{id}/record).
import { useAuth } from '../../auth.tsx';
import { EmptyState, PageTitle } from '../../components/common.tsx';
import { RecordView } from '../../components/RecordView.tsx';
import { useI18n } from '../../i18n/index.tsx';

export function ContributionRecordPage() {
  const { t } = useI18n();
  const personId = useAuth().user?.personId ?? null;
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;
  return (
    <>
      <PageTitle>{t('page.citizen.contributions')}</PageTitle>
      <RecordView personId={personId} />
    </>
  );
}
