// 数据比对导入: a clerk uploads a file of deaths or life signs (hospital visits, travel, card use)
// from other agencies; life signs certify the pensioners named, deaths are recorded through the
// registry. One bad line and nothing is written: every problem is listed by line and field.
import { Alert, Button, Card, Descriptions, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError, type ImportAnswer } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { ErrorAlert, PageTitle } from '../../components/common.tsx';
import { LineErrorTable } from '../../components/LineErrorTable.tsx';
import { useCodeText, useRegionName } from '../../components/registry.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { CsvFileButton } from '../../components/CsvFileButton.tsx';

const KINDS = ['death', 'hospital', 'transit', 'card'] as const;
type Kind = (typeof KINDS)[number];
const HEADER: Record<Kind, string> = {
  death: 'id_number,death_date,source',
  hospital: 'id_number,visit_date,hospital',
  transit: 'id_number,travel_date,operator',
  card: 'id_number,use_date,terminal',
};
const LIFE_COUNTS = [
  'lines',
  'persons',
  'certified',
  'alreadyCertified',
  'restored',
  'notPensioners',
  'afterDeath',
  'unknown',
  'outOfRegion',
];
const DEATH_COUNTS = [
  'lines',
  'persons',
  'deaths',
  'deathsRecorded',
  'deathsAlreadyRecorded',
  'deathConflicts',
  'unknown',
  'outOfRegion',
];

export function DataImportsPage() {
  const { t } = useI18n();
  const code = useCodeText();
  const regionName = useRegionName();
  const region = useAuth().user?.region ?? null;
  const [kind, setKind] = useState<Kind>('hospital');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lines = error instanceof ApiError ? error.lines : [];

  const upload = async () => {
    if (!file || !region) return;
    setBusy(true);
    setAnswer(null);
    setError(null);
    try {
      setAnswer(await api.importData({ kind, region, filename: file.name, csv: file.text }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>{t('page.agency.dataImports')}</PageTitle>
      <Card style={{ maxWidth: 820 }}>
        <Typography.Paragraph>{t('dataImport.hint', { region: regionName(region) })}</Typography.Paragraph>
        <Space wrap style={{ marginBottom: 12 }}>
          <span>{t('dataImport.kind')}</span>
          <Select<Kind>
            aria-label={t('dataImport.kind')}
            value={kind}
            style={{ minWidth: 220 }}
            onChange={(k) => {
              setKind(k);
              setAnswer(null);
              setError(null);
            }}
            options={KINDS.map((k) => ({ value: k, label: t(`dataImport.kind.${k}` as MessageKey) }))}
          />
        </Space>
        <Typography.Paragraph>
          {t('dataImport.format')} <code>{HEADER[kind]}</code>
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
            <Button type="primary" loading={busy} disabled={!region} onClick={() => void upload()}>
              {t('receipts.import', { name: file.name })}
            </Button>
          ) : null}
        </Space>
        {answer ? (
          <>
            <Alert
              type="success"
              showIcon
              role="status"
              style={{ marginTop: 16, marginBottom: 12 }}
              title={answer.status === 'replayed' ? t('dataImport.replayed') : t('dataImport.done')}
            />
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={(answer.kind === 'death' ? DEATH_COUNTS : LIFE_COUNTS).map((k) => ({
                key: k,
                label: code('dataImport.count', k),
                children: answer.counts[k] ?? 0,
              }))}
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
    </>
  );
}
