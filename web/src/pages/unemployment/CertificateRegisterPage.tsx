// 职业技能证书库 (agency): the register the skill-upgrade subsidy is checked against — its size, the
// imports, and (for a clerk) importing a CSV file: all lines or none, every error listed by line.
import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Statistic, Typography } from 'antd';
import { useRef, useState } from 'react';
import { ApiError } from '../../api.ts';
import { useCan } from '../../auth.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { emptyTable, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { LineErrorTable } from '../../components/LineErrorTable.tsx';
import { formatCount, formatCountOf, formatDateTime } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { refundApi, type RegisterImports } from './refundApi.ts';

export function CertificateRegisterPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const imports = useLoad(() => refundApi.registerImports(), [tick]);
  const lines = error instanceof ApiError ? error.lines : [];

  async function upload() {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await refundApi.importRegister(file.text, file.name);
      void message.success(t('register.imported', { rows: r.rows }));
      setFile(null);
      setTick((n) => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  type Item = RegisterImports['items'][number];
  return (
    <>
      <PageTitle>{t('page.agency.certificateRegister')}</PageTitle>
      {/* the header as the file has it, to copy: set apart from the sentence it stood in as words */}
      <Alert
        type="info"
        showIcon
        message={t('register.intro')}
        description={
          <pre className="csv-sample">certificate_no,id_number,name,occupation,level,issue_date,issuer</pre>
        }
        style={{ marginBottom: 16 }}
      />
      <Card style={{ marginBottom: 16 }}>
        <Statistic
          title={t('register.count')}
          value={imports.data ? formatCount(imports.data.certificates) : '—'}
          suffix={imports.data ? t('unit.certificates') : undefined}
        />
        {can('certificate-register.import') ? (
          <Space wrap style={{ marginTop: 16 }}>
            <input
              ref={input}
              type="file"
              accept=".csv,text/csv"
              aria-label={t('register.choose')}
              style={{ display: 'none' }}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (!f) return;
                void f.text().then((text) => setFile({ name: f.name, text }));
                e.target.value = '';
              }}
            />
            <Button icon={<UploadOutlined />} onClick={() => input.current?.click()}>
              {t('register.choose')}
            </Button>
            {file ? <Typography.Text>{file.name}</Typography.Text> : null}
            <Button type="primary" disabled={!file} loading={busy} onClick={() => void upload()}>
              {t('register.import')}
            </Button>
          </Space>
        ) : null}
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={error} />
          <LineErrorTable lines={lines} />
        </div>
      </Card>
      <Card title={t('register.imports')}>
        <ErrorAlert error={imports.error} onRetry={imports.reload} />
        <Table<Item>
          rowKey="id"
          size="middle"
          loading={imports.loading}
          dataSource={imports.data?.items ?? []}
          locale={emptyTable(t('empty.register.imports'), t('empty.register.imports.hint'))}
          pagination={false}
          columns={[
            { title: '#', dataIndex: 'id', width: 70 },
            { title: t('register.col.file'), dataIndex: 'filename' },
            {
              title: t('register.col.rows'),
              dataIndex: 'rows',
              align: 'right',
              render: (n: number) => formatCountOf(n, 'certificates', lang),
            },
            { title: t('register.col.by'), dataIndex: 'createdBy' },
            {
              title: t('register.col.at'),
              dataIndex: 'createdAt',
              render: (s: string) => formatDateTime(s, lang),
            },
          ]}
        />
      </Card>
    </>
  );
}
