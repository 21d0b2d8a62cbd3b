// 银行回单导入: a clerk imports the bank's receipt file; each receipt pays the bill it names, or is
// held as unallocated; a bad line rejects the file with every problem listed; the same file twice
// changes nothing. Below, the held receipts (暂收款) the clerk works: allocate or refund; then a payment
// found by bank reference or bill, for a reversal (退票 and corrections); last the bank's return file.
import { Alert, Button, Card, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError, type ReceiptsAnswer } from '../../api.ts';
import { ErrorAlert, PageTitle } from '../../components/common.tsx';
import { LineErrorTable } from '../../components/LineErrorTable.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { CsvFileButton } from '../../components/CsvFileButton.tsx';
import { HeldReceipts } from './HeldReceipts.tsx';
import { PaymentReturn } from './PaymentReturn.tsx';
import { BankReturnImport } from './BankReturnImport.tsx';

export function BankReceiptsPage() {
  const { t } = useI18n();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ReceiptsAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  // an import may hold new receipts: the list below reads again
  const [imports, setImports] = useState(0);
  const lines = error instanceof ApiError ? error.lines : [];

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setAnswer(null);
    setError(null);
    try {
      setAnswer(await api.importReceipts(file.text, file.name));
      setImports((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t('page.agency.receipts')}</PageTitle>
      <Card style={{ maxWidth: 760 }}>
        <Typography.Paragraph>{t('receipts.hint')}</Typography.Paragraph>
        {/* Yuan first, as clerks count; the fen form stays for the banks' older files
            (docs/contribution-csv.md: the header's last column decides the unit). */}
        <Typography.Paragraph data-testid="receipts-yuan">
          {t('receipts.format.yuan')}
          <pre className="csv-sample">
            {'bank_ref,paid_date,bill_no,amount_yuan\nICBC20211020001,2021-10-20,4711,10132.89'}
          </pre>
        </Typography.Paragraph>
        <Typography.Paragraph data-testid="receipts-fen" type="secondary">
          {t('receipts.format.fen')}
          <pre className="csv-sample">
            {'bank_ref,paid_date,bill_no,amount_fen\nICBC20211020001,2021-10-20,4711,1013289'}
          </pre>
        </Typography.Paragraph>
        <Space wrap>
          <CsvFileButton
            onFile={(f) => {
              setAnswer(null);
              setError(null);
              setFile(f);
            }}
          />
          {file ? (
            <Button type="primary" loading={busy} onClick={() => void upload()}>
              {t('receipts.import', { name: file.name })}
            </Button>
          ) : null}
        </Space>
        {answer ? (
          <Alert
            type="success"
            showIcon
            role="status"
            style={{ marginTop: 16 }}
            title={answer.duplicateUpload ? t('receipts.duplicate') : t('receipts.done')}
            description={t('receipts.counts', {
              matched: answer.matched ?? 0,
              unallocated: answer.unallocated ?? 0,
            })}
          />
        ) : null}
        {error ? (
          <div style={{ marginTop: 16 }}>
            <ErrorAlert error={error} />
          </div>
        ) : null}
        <LineErrorTable lines={lines} />
      </Card>
      <HeldReceipts refresh={imports} />
      <PaymentReturn />
      <BankReturnImport />
    </>
  );
}
