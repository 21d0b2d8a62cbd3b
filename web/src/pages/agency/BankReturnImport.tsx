// 银行退票文件导入: the bank's file of returned credits. Each line is matched to a receipt of the clerk's
// region and becomes a bank-return reversal waiting for a reviewer (no money moves at import); the
// table says per line what became of it, the counts above it; a bad line rejects the file, listed.
import { Button, Card, Tag, Typography } from 'antd';
import { api, type ReturnsAnswer } from '../../api.ts';
import { emptyTable, useLoad } from '../../components/common.tsx';
import { CsvUploadControls, useCsvUpload } from '../../components/CsvUpload.tsx';
import { ReceiptLink } from '../../components/RecordLink.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { Link } from '../../router.tsx';

type ReturnLine = ReturnsAnswer['results'][number];

const STATUS_COLOR: Record<ReturnLine['status'], string> = {
  prepared: 'blue',
  noReceipt: 'default',
  amountDiffers: 'red',
  reversed: 'default',
  pending: 'orange',
};

export function BankReturnImport() {
  const { t, lang } = useI18n();
  const upload = useCsvUpload((f) => api.importReturns(f.text, f.name));
  // the demo city offers a file to try the card with; a real database answers 404 and offers none
  const sample = useLoad(() => api.demoReturnSample(), []);
  // the server's reason reads "中文 / English": the reader's half
  const said = (reason: string | undefined) => {
    if (!reason) return '';
    const at = reason.lastIndexOf(' / ');
    return at < 0 ? reason : lang === 'zh-CN' ? reason.slice(0, reason.indexOf(' / ')) : reason.slice(at + 3);
  };
  return (
    <Card title={t('returns.title')} style={{ marginTop: 16 }} data-testid="bank-returns">
      <Typography.Paragraph type="secondary">{t('returns.hint')}</Typography.Paragraph>
      <Typography.Paragraph>
        {t('returns.format')}
        <pre className="csv-sample">
          {
            'bank_ref,return_date,amount_yuan,bank_code,bank_reason\nICBC20211020001,2021-10-25,10132.89,R01,账户已销户'
          }
        </pre>
      </Typography.Paragraph>
      <CsvUploadControls
        upload={upload}
        importLabel={(name) => t('returns.import', { name })}
        beside={
          sample.data ? (
            <Button
              data-testid="returns-demo-sample"
              // a phone's width wraps the words instead of widening the page
              style={{ whiteSpace: 'normal', height: 'auto' }}
              onClick={() =>
                sample.data && upload.choose({ name: sample.data.filename, text: sample.data.csv })
              }
            >
              {t('returns.demoSample', { lines: sample.data.lines.length })}
            </Button>
          ) : null
        }
        done={(a) => ({
          title: a.duplicateUpload ? t('returns.duplicate') : t('returns.done'),
          description: t('returns.counts', {
            prepared: a.prepared,
            noReceipt: a.noReceipt,
            amountDiffers: a.amountDiffers,
            reversed: a.reversed,
            pending: a.pending,
          }),
        })}
        details={(a) => (
          <Table<ReturnLine>
            rowKey="line"
            size="small"
            dataSource={a.results}
            locale={emptyTable(t('empty.returns.lines'), t('empty.returns.lines.hint'))}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('returns.line'), dataIndex: 'line', width: 64, align: 'right' },
              {
                title: t('held.bankRef'),
                dataIndex: 'bankRef',
                // the receipt the line names here opens its page; a reference of no receipt here stays text
                render: (ref: string, r) =>
                  r.paymentId === null ? ref : <ReceiptLink id={r.paymentId}>{ref}</ReceiptLink>,
              },
              {
                title: t('returns.result'),
                key: 'status',
                render: (_, r) => (
                  <Tag color={STATUS_COLOR[r.status]}>
                    {t(`returns.status.${r.status}`, { id: r.approvalId ?? '' })}
                  </Tag>
                ),
              },
              {
                title: t('returns.detail'),
                key: 'reason',
                // a prepared line's approval, or the one already waiting (its reason names it): to 待复核
                render: (_, r) =>
                  r.approvalId === null ? (
                    said(r.reason)
                  ) : (
                    <Link to={`/agency/approvals/${r.approvalId}`}>
                      {r.reason ? said(r.reason) : `${t('approval.kind.payment.reverse')} #${r.approvalId}`}
                    </Link>
                  ),
              },
            ]}
          />
        )}
      />
    </Card>
  );
}
