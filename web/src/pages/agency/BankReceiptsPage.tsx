// 银行回单导入: a clerk imports the bank's receipt file; each receipt pays the bill it names, or is
// held as unallocated; a bad line rejects the file with every problem listed; the same file twice
// changes nothing. Below, the held receipts (暂收款) the clerk works: allocate or refund; then a payment
// found by bank reference or bill, for a reversal (退票 and corrections); last the bank's return file.
import { Alert, Button, Card, Typography } from 'antd';
import { useRef, useState } from 'react';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/common.tsx';
import { CsvUploadControls, useCsvUpload } from '../../components/CsvUpload.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { HeldReceipts } from './HeldReceipts.tsx';
import { PaymentReturn } from './PaymentReturn.tsx';
import { BankReturnImport } from './BankReturnImport.tsx';

export function BankReceiptsPage() {
  const { t } = useI18n();
  // an import may hold new receipts: the list below reads again
  const [imports, setImports] = useState(0);
  // 重新处理跳过的行: the same file sent again, for its lines skipped then whose reference is free now
  const skippedAgain = useRef(false);
  const upload = useCsvUpload(async (f) => {
    const again = skippedAgain.current;
    skippedAgain.current = false;
    const answer = await api.importReceipts(f.text, f.name, again);
    setImports((n) => n + 1);
    return answer;
  });

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
        <CsvUploadControls
          upload={upload}
          importLabel={(name) => t('receipts.import', { name })}
          done={(a) => ({
            title: !a.duplicateUpload
              ? t('receipts.done')
              : a.matched + a.unallocated > 0
                ? t('receipts.skippedDone')
                : t('receipts.duplicate'),
            description: t('receipts.counts', { matched: a.matched ?? 0, unallocated: a.unallocated ?? 0 }),
          })}
          details={(a) =>
            a.duplicateUpload && a.skippedNowFree > 0 ? (
              <Alert
                type="info"
                showIcon
                title={t('receipts.skippedNowFree', { n: a.skippedNowFree })}
                action={
                  <Button
                    loading={upload.busy}
                    onClick={() => {
                      skippedAgain.current = true;
                      void upload.upload();
                    }}
                  >
                    {t('receipts.skippedAgain')}
                  </Button>
                }
              />
            ) : null
          }
        />
      </Card>
      <HeldReceipts refresh={imports} />
      <PaymentReturn />
      <BankReturnImport />
    </>
  );
}
