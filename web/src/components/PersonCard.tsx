// A person's registry record as a description list (agency detail and the citizen's own page).
import { Descriptions, Grid, Tag } from 'antd';
import type { Person } from '../api.ts';
import { formatDate } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { SexText, useCodeText, useRegionName } from './registry.tsx';

export function PersonCard({ person }: { person: Person }) {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  // On a phone the labels go above the values, so neither column is squeezed.
  const narrow = !Grid.useBreakpoint().md;
  const code = useCodeText();
  return (
    <Descriptions
      bordered
      size="small"
      layout={narrow ? 'vertical' : 'horizontal'}
      column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
      items={[
        { key: 'name', label: t('person.name'), children: person.name },
        {
          key: 'id',
          label: t('person.idNumber'),
          children: <span className="money">{person.idNumber}</span>,
        },
        { key: 'sex', label: t('person.sex'), children: <SexText sex={person.sex} /> },
        {
          key: 'birth',
          label: t('person.birthDate'),
          children: <span className="nowrap">{formatDate(person.birthDate, lang)}</span>,
        },
        { key: 'region', label: t('person.region'), children: regionName(person.region) },
        { key: 'hukou', label: t('person.hukouRegion'), children: regionName(person.hukouRegion) },
        // numbers and dates kept whole: in English at 1280 px the three columns broke "15170147 825"
        {
          key: 'phone',
          label: t('person.phone'),
          children: <span className="money">{person.phone ?? '—'}</span>,
        },
        { key: 'address', label: t('person.address'), children: person.address ?? '—' },
        {
          key: 'bank',
          label: t('person.bank'),
          children:
            person.bankName || person.bankAccount ? (
              <>
                {person.bankName} <span className="money">{person.bankAccount}</span>
              </>
            ) : (
              '—'
            ),
        },
        ...(person.hardshipGroup
          ? [
              {
                key: 'hardship',
                label: t('person.hardship'),
                children: <Tag>{code('hardship', person.hardshipGroup)}</Tag>,
              },
            ]
          : []),
        ...(person.deathDate
          ? [
              {
                key: 'death',
                label: t('person.deathDate'),
                children: <Tag color="default">{formatDate(person.deathDate, lang)}</Tag>,
              },
            ]
          : []),
      ]}
    />
  );
}
