// 银行退票文件导入: the bank's file of returned credits. Each line is matched to a receipt of the clerk's
// region and becomes a bank-return reversal waiting for a reviewer (no money moves at import); the
// table says per line what became of it, the counts above it; a bad line rejects the file, listed.
import { Alert, Button, Card, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError, type ReturnsAnswer } from '../../api.ts';
import { CsvFileButton } from '../../components/CsvFileButton.tsx';
import { ErrorAlert, useLoad } from '../../components/common.tsx';
import { LineErrorTable } from '../../components/LineErrorTable.tsx';
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
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ReturnsAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lines = error instanceof ApiError ? error.lines : [];
  // the demo city offers a file to try the card with; a real database answers 404 and offers none
  const sample = useLoad(() => api.demoReturnSample(), []);
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setAnswer(null);
    setError(null);
    try {
      setAnswer(await api.importReturns(file.text, file.name));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
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
      <Space wrap>
        <CsvFileButton
          onFile={(f) => {
            setAnswer(null);
            setError(null);
            setFile(f);
          }}
        />
        {sample.data ? (
          <Button
            data-testid="returns-demo-sample"
            // a phone's width wraps the words instead of widening the page
            style={{ whiteSpace: 'normal', height: 'auto' }}
            onClick={() => {
              const s = sample.data;
              if (!s) return;
              setAnswer(null);
              setError(null);
              setFile({ name: s.filename, text: s.csv });
            }}
          >
            {t('returns.demoSample', { lines: sample.data.lines.length })}
          </Button>
        ) : null}
        {file ? (
          <Button type="primary" loading={busy} onClick={() => void upload()}>
            {t('returns.import', { name: file.name })}
          </Button>
        ) : null}
      </Space>
      {answer ? (
        <>
          <Alert
            type="success"
            showIcon
            role="status"
            style={{ marginTop: 16 }}
            title={answer.duplicateUpload ? t('returns.duplicate') : t('returns.done')}
            description={t('returns.counts', {
              prepared: answer.prepared,
              noReceipt: answer.noReceipt,
              amountDiffers: answer.amountDiffers,
              reversed: answer.reversed,
              pending: answer.pending,
            })}
          />
          <Table<ReturnLine>
            rowKey="line"
            size="small"
            style={{ marginTop: 12 }}
            dataSource={answer.results}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('returns.line'), dataIndex: 'line', width: 64, align: 'right' },
              { title: t('held.bankRef'), dataIndex: 'bankRef' },
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
                    <Link to="/agency/approvals">
                      {r.reason ? said(r.reason) : `${t('approval.kind.payment.reverse')} #${r.approvalId}`}
                    </Link>
                  ),
              },
            ]}
          />
        </>
      ) : null}
      {error ? (
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <LineErrorTable lines={lines} />
    </Card>
  );
}
