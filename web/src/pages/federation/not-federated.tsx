// A federation's routes exist only on a province node: a 404 from them means this install runs alone,
// and its transfer, cross-province and collection lists say so instead of an error.
import { Alert } from 'antd';
import { ApiError } from '../../api.ts';
import { PageTitle } from '../../components/common.tsx';
import { useI18n } from '../../i18n/index.tsx';

export const notFederated = (e: unknown) => e instanceof ApiError && e.status === 404;

/** What a federation list page shows on an install that is not a province node. */
export function NotFederated({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <Alert type="info" showIcon message={t('fed.notFederated')} />
    </>
  );
}
