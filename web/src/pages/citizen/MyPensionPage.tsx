// 我的养老金: the award, the amount in force, its adjustments and the payments.
import { useAuth } from '../../auth.tsx';
import { EmptyState, PageTitle } from '../../components/common.tsx';
import { PensionView } from '../../components/PensionView.tsx';
import { useI18n } from '../../i18n/index.tsx';

export function MyPensionPage() {
  const { t } = useI18n();
  const personId = useAuth().user?.personId ?? null;
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;
  return (
    <>
      <PageTitle>{t('page.citizen.myPension')}</PageTitle>
      <PensionView personId={personId} own />
    </>
  );
}
