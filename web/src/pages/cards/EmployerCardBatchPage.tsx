// 单位批量申领社保卡 Employer batch application: one card for each current employee without a live card.
import { Alert, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { request, type Answer } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { ErrorAlert, PageTitle } from '../../components/common.tsx';
import { useI18n } from '../../i18n/index.tsx';

type CardBatch = Answer<'/api/v1/employers/{id}/card-batches', 'post'>;

export function EmployerCardBatchPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<CardBatch | null>(null);
  const employerId = user?.employerId ?? null;
  const apply = async () => {
    if (employerId === null) return;
    setBusy(true);
    setError(null);
    try {
      setDone(await request<CardBatch>('POST', `/api/v1/employers/${employerId}/card-batches`, {}));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle>{t('page.employer.cards')}</PageTitle>
      <ErrorAlert error={error} />
      <Card>
        <Space direction="vertical">
          <Typography.Paragraph>{t('card.batch.intro')}</Typography.Paragraph>
          <Button type="primary" loading={busy} disabled={employerId === null} onClick={() => void apply()}>
            {t('card.batch.apply')}
          </Button>
          {done ? (
            <Alert
              type="success"
              showIcon
              message={t('card.batch.done', { batch: done.batchId, count: done.accepted })}
            />
          ) : null}
        </Space>
      </Card>
    </>
  );
}
