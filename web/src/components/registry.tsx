// Registry vocabulary shared by the portals: regions, schemes, statuses, enrolment tables.
import { Tag } from 'antd';
import type { ReactNode } from 'react';
import { Table } from './ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { api, itemsOf, type Enrolment, type Region, type Scheme } from '../api.ts';
import { useCan } from '../auth.tsx';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { formatDate } from '../format.ts';
import { EmptyState, ErrorAlert, useLoad } from './common.tsx';

let regionCache: Promise<Region[]> | null = null;

/** Region names by code (loaded once per page load). */
export function useRegions(): Map<string, Region> {
  const { data } = useLoad(() => {
    regionCache ??= api.regions().catch((e: unknown) => {
      regionCache = null;
      throw e;
    });
    return regionCache;
  }, []);
  return new Map((data ?? []).map((r) => [r.code, r]));
}

export function useRegionName(): (code: string | null | undefined) => string {
  const regions = useRegions();
  const { lang } = useI18n();
  return (code) => {
    if (!code) return '—';
    const r = regions.get(code);
    return r ? `${lang === 'zh-CN' ? r.nameZh : r.nameEn}` : code;
  };
}

export const SCHEME_KEY: Record<Scheme, MessageKey> = {
  employee_pension: 'scheme.employee_pension',
  resident_pension: 'scheme.resident_pension',
  unemployment: 'scheme.unemployment',
  injury: 'scheme.injury',
};

const STATUS_COLOR: Record<Enrolment['status'], string> = {
  active: 'green',
  suspended: 'orange',
  ended: 'default',
};

export function SexText({ sex }: { sex: 'M' | 'F' }) {
  const { t } = useI18n();
  return <>{t(sex === 'M' ? 'sex.M' : 'sex.F')}</>;
}

/** Translates a code through the catalogue when it has a key `${prefix}.${code}`, else shows it. */
export function useCodeText(): (prefix: string, code: string | null | undefined) => string {
  const { t } = useI18n();
  return (prefix, code) => {
    if (!code) return '—';
    const key = `${prefix}.${code}` as MessageKey;
    const text = t(key);
    return text === key ? code : text;
  };
}

export function EnrolmentTable({
  personId,
  actions,
  reloadKey = 0,
}: {
  personId: number;
  /** a last column of buttons per enrolment (the agency's person page) */
  actions?: { title: string; render: (e: Enrolment) => ReactNode };
  /** change it to load the enrolments again */
  reloadKey?: number;
}) {
  const { t, lang } = useI18n();
  const can = useCan();
  const code = useCodeText();
  const available = can('enrolment.read');
  const { data, error, loading, reload } = useLoad(
    available ? async () => itemsOf(await api.personEnrolments(personId)) : null,
    [personId, available, reloadKey],
  );
  if (!available) return <EmptyState title={t('enrolment.unavailable')} />;
  const columns: ColumnsType<Enrolment> = [
    { title: t('enrolment.scheme'), dataIndex: 'scheme', render: (s: Scheme) => t(SCHEME_KEY[s]) },
    { title: t('enrolment.kind'), dataIndex: 'kind', render: (k: string) => code('enrolment.kind', k) },
    {
      title: t('enrolment.employer'),
      key: 'employer',
      render: (_: unknown, e) => (e.employerId ? (e.employerName ?? `#${e.employerId}`) : '—'),
    },
    { title: t('enrolment.start'), dataIndex: 'startDate', render: (d: string) => formatDate(d, lang) },
    { title: t('enrolment.end'), dataIndex: 'endDate', render: (d: string | null) => formatDate(d, lang) },
    {
      title: t('enrolment.status'),
      dataIndex: 'status',
      render: (s: Enrolment['status']) => <Tag color={STATUS_COLOR[s]}>{code('enrolment.status', s)}</Tag>,
    },
  ];
  if (actions)
    columns.push({ title: actions.title, key: 'actions', render: (_: unknown, e) => actions.render(e) });
  return (
    <>
      <ErrorAlert error={error} onRetry={reload} />
      <Table<Enrolment>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: <EmptyState title={t('enrolment.empty')} hint={t('enrolment.empty.hint')} /> }}
      />
    </>
  );
}
