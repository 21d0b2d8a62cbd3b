// An employer's registry record.
import { Descriptions, Grid } from 'antd';
import type { Employer } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { useRegionName } from './registry.tsx';

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'];

export function EmployerCard({ employer }: { employer: Employer }) {
  const { t } = useI18n();
  const regionName = useRegionName();
  // On a phone the labels go above the values, so neither column is squeezed.
  const narrow = !Grid.useBreakpoint().md;
  return (
    <Descriptions
      bordered
      size="small"
      layout={narrow ? 'vertical' : 'horizontal'}
      column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
      items={[
        { key: 'name', label: t('employer.name'), children: employer.name },
        {
          key: 'code',
          label: t('employer.creditCode'),
          children: <span className="money">{employer.creditCode}</span>,
        },
        { key: 'region', label: t('employer.region'), children: regionName(employer.region) },
        {
          key: 'class',
          label: t('employer.industryClass'),
          children: t('employer.class', { n: ROMAN[employer.industryClass - 1] ?? employer.industryClass }),
        },
        {
          key: 'size',
          label: t('employer.size'),
          children: t(employer.size === 'large' ? 'employer.size.large' : 'employer.size.sme'),
        },
        { key: 'phone', label: t('employer.contactPhone'), children: employer.contactPhone ?? '—' },
        { key: 'address', label: t('employer.address'), children: employer.address ?? '—' },
      ]}
    />
  );
}
