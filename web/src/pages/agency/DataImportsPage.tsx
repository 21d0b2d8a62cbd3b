// 数据比对导入: a clerk uploads a file of deaths or life signs (hospital visits, travel, card use)
// from other agencies; life signs certify the pensioners named, deaths are recorded through the
// registry. One bad line and nothing is written: every problem is listed by line and field.
import { Card, Descriptions, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { PageTitle } from '../../components/common.tsx';
import { CsvUploadControls, useCsvUpload } from '../../components/CsvUpload.tsx';
import { useCodeText, useRegionName } from '../../components/registry.tsx';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';

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
  const upload = useCsvUpload(
    region ? (f) => api.importData({ kind, region, filename: f.name, csv: f.text }) : null,
  );

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
              upload.clear();
            }}
            options={KINDS.map((k) => ({ value: k, label: t(`dataImport.kind.${k}` as MessageKey) }))}
          />
        </Space>
        <Typography.Paragraph>
          {t('dataImport.format')} <code>{HEADER[kind]}</code>
        </Typography.Paragraph>
        <CsvUploadControls
          upload={upload}
          importLabel={(name) => t('receipts.import', { name })}
          done={(a) => ({ title: a.status === 'replayed' ? t('dataImport.replayed') : t('dataImport.done') })}
          details={(a) => (
            <Descriptions
              bordered
              size="small"
              column={{ xs: 1, sm: 2 }}
              items={(a.kind === 'death' ? DEATH_COUNTS : LIFE_COUNTS).map((k) => ({
                key: k,
                label: code('dataImport.count', k),
                children: a.counts[k] ?? 0,
              }))}
            />
          )}
        />
      </Card>
    </>
  );
}
