// 资格认证 on the agency's person page: a clerk answering a pensioner's call sees where they stand (due
// by the deadline, certified, suspended for not certifying), the latest restoration, and every
// certification newest first with its source in words. The server scopes and audits the read.
import { Alert, Card, Descriptions, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api, type CertificationHistory } from '../../api.ts';
import { useRegionName } from '../../components/registry.tsx';
import { ErrorAlert, Loading, useLoad } from '../../components/common.tsx';
import { formatDate, formatDateTime, formatPeriod, todayIso } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { certificationSourceForStaff } from './certification-history-words.ts';

type Cert = CertificationHistory['certifications'][number];
type Suspension = CertificationHistory['suspensions'][number];

const STATE_COLOR: Record<CertificationHistory['state'], string> = {
  due: 'warning',
  certified: 'success',
  suspended: 'error',
  not_due: 'default',
  no_campaign: 'default',
  not_pensioner: 'default',
  deceased: 'default',
};

export function PersonCertificationCard({ personId }: { personId: number }) {
  const { t, lang } = useI18n();
  const regionName = useRegionName();
  const { data, error, loading, reload } = useLoad(() => api.certificationHistory(personId), [personId]);
  const channel = (c: string) =>
    c === 'self' || c === 'visit' || c === 'data' || c === 'counter' ? t(`cert.channel.${c}`) : c;
  const columns: ColumnsType<Cert> = [
    {
      title: t('cert.date'),
      dataIndex: 'certifiedOn',
      render: (d: string) => <span className="nowrap">{formatDate(d, lang)}</span>,
    },
    { title: t('cert.channel'), dataIndex: 'channel', render: channel },
    {
      title: t('cert.source'),
      key: 'source',
      render: (_, c) => certificationSourceForStaff(c.source, t, regionName),
    },
    {
      title: t('certHistory.recorded'),
      key: 'recorded',
      responsive: ['md'],
      render: (_, c) => `${c.recordedBy} · ${formatDateTime(c.recordedAt, lang)}`,
    },
  ];
  const suspensionColumns: ColumnsType<Suspension> = [
    { title: t('certHistory.campaignYear'), dataIndex: 'year' },
    {
      title: t('certHistory.suspendedFrom'),
      dataIndex: 'suspendedFromPeriod',
      render: (p: string) => formatPeriod(p, lang),
    },
    {
      title: t('certHistory.restoredFrom'),
      key: 'restored',
      render: (_, s) =>
        s.restoredFromPeriod === null ? (
          <Tag color="error">{t('certHistory.state.suspended')}</Tag>
        ) : lang === 'en' ? (
          `${formatPeriod(s.restoredFromPeriod, lang)} (${formatDate(s.restoredAt, lang)})`
        ) : (
          `${formatPeriod(s.restoredFromPeriod, lang)}（${formatDate(s.restoredAt, lang)}）`
        ),
    },
  ];
  return (
    <Card title={t('certHistory.title')} style={{ marginBottom: 16 }}>
      <ErrorAlert error={error} onRetry={reload} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              {
                key: 'state',
                label: t('cert.status'),
                children: (
                  <span>
                    <Tag color={STATE_COLOR[data.state]} style={{ marginInlineEnd: 8 }}>
                      {t(`certHistory.state.${data.state}`)}
                    </Tag>
                    {stateWords(data)}
                  </span>
                ),
              },
              {
                key: 'last',
                label: t('cert.last'),
                children: data.lastCertifiedOn ? formatDate(data.lastCertifiedOn, lang) : t('cert.never'),
              },
            ]}
          />
          {data.restoration?.restoredFromPeriod ? (
            <Alert
              type="info"
              showIcon
              style={{ margin: '12px 0' }}
              title={t('certHistory.restored', {
                year: data.restoration.year,
                from: formatPeriod(data.restoration.suspendedFromPeriod, lang),
                again: formatPeriod(data.restoration.restoredFromPeriod, lang),
              })}
            />
          ) : null}
          <Table<Cert>
            size="small"
            rowKey="id"
            columns={columns}
            dataSource={data.certifications}
            pagination={false}
            locale={{ emptyText: t('cert.history.empty') }}
            style={{ marginTop: 12 }}
          />
          {data.suspensions.length > 0 ? (
            <Table<Suspension>
              size="small"
              rowKey="id"
              title={() => t('certHistory.suspensions')}
              columns={suspensionColumns}
              dataSource={data.suspensions}
              pagination={false}
              style={{ marginTop: 12 }}
            />
          ) : null}
        </>
      ) : null}
    </Card>
  );

  function stateWords(h: CertificationHistory): string {
    const c = h.campaign;
    switch (h.state) {
      case 'suspended':
        return t('certHistory.suspendedSince', { period: formatPeriod(h.suspendedFromPeriod ?? '', lang) });
      case 'due':
        return c === null
          ? ''
          : t(c.deadline < todayIso() ? 'certHistory.overdue' : 'certHistory.dueBy', {
              year: c.year,
              deadline: formatDate(c.deadline, lang),
            });
      case 'certified':
        return c === null
          ? ''
          : t('certHistory.certifiedFor', { year: c.year, date: formatDate(c.certifiedOn, lang) });
      case 'not_due':
        return c === null ? '' : t('certHistory.notDueWords', { year: c.year });
      // the tag says it all
      case 'no_campaign':
      case 'not_pensioner':
      case 'deceased':
        return '';
    }
  }
}
