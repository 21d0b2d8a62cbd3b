// 技能提升补贴 (citizen): the certificates the register holds in the person's name, applying with one
// (the rule's check comes back at once), and each application's decision — the amount paid, or why
// not in words.
import { Alert, App, Button, Card, Collapse, Descriptions, Space, Tag } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../auth.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { EmptyState, ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { TraceList } from '../../components/TraceList.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { refundApi, type MyCertificates, type SkillApplication } from './refundApi.ts';
import { occupationName } from '../../../../src/unemployment/occupations.ts';
import { skillLevelName } from '../../../../src/unemployment/skill-level.ts';

export const SKILL_STATUS_COLOR: Record<string, string> = {
  submitted: 'blue',
  approved: 'cyan',
  rejected: 'red',
  paid: 'green',
};

export function SkillApplicationCard({ a }: { a: SkillApplication }) {
  const { t, lang } = useI18n();
  return (
    <Card
      className="skill-application"
      size="small"
      title={`${occupationName(a.certificate.occupation, lang === 'zh-CN' ? 'zh' : 'en')} · ${skillLevelName(a.certificate.level, lang === 'zh-CN' ? 'zh' : 'en')} · ${a.certificate.certificateNo}`}
      extra={
        <Tag color={SKILL_STATUS_COLOR[a.status] ?? 'default'}>
          {t(`skill.status.${a.status}` as MessageKey)}
        </Tag>
      }
      style={{ marginBottom: 12 }}
    >
      {a.status === 'paid' ? (
        <Alert
          type="success"
          showIcon
          message={`${t('skill.amount')} ${formatMoney(a.amountFen)}`}
          description={t('skill.paidTo', {
            date: formatDate(a.paidOn, lang),
            bank: a.bankName ?? '',
            account: a.bankAccount ?? '',
          })}
        />
      ) : a.status === 'rejected' ? (
        <Alert
          type="error"
          showIcon
          message={t('skill.status.rejected')}
          description={t('text.labelled', { label: t('skill.decisionNote'), value: a.decisionNote ?? '—' })}
        />
      ) : (
        <Alert
          type={a.eligible ? 'info' : 'warning'}
          showIcon
          message={t('text.labelled', {
            label: t('skill.result'),
            value: a.eligible
              ? `${t('skill.eligible')} · ${formatMoney(a.amountFen)}`
              : t('skill.notEligible'),
          })}
          description={a.eligible ? t('skill.applied') : lang === 'zh-CN' ? a.reasonZh : a.reason}
        />
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('skill.appliedOn')}>{formatDate(a.appliedOn, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('skill.issueDate')}>
          {formatDate(a.certificate.issueDate, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('skill.months')}>{a.contributionMonths}</Descriptions.Item>
      </Descriptions>
      <Collapse
        size="small"
        items={[{ key: 't', label: t('refund.trace'), children: <TraceList steps={a.trace} /> }]}
      />
    </Card>
  );
}

export function SkillSubsidyPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const personId = useAuth().user?.personId ?? null;
  const { data, error, loading, reload } = useLoad(personId ? () => refundApi.mySkill(personId) : null, [
    personId,
  ]);
  const [busy, setBusy] = useState<string | null>(null);
  const [applyError, setApplyError] = useState<unknown>(null);
  if (!personId) return <EmptyState title={t('citizen.noPerson')} hint={t('citizen.noPerson.hint')} />;

  async function apply(no: string) {
    setBusy(no);
    setApplyError(null);
    try {
      await refundApi.apply(no);
      void message.success(t('skill.applied'));
      reload();
    } catch (e) {
      setApplyError(e);
    } finally {
      setBusy(null);
    }
  }

  type Cert = MyCertificates['certificates'][number];
  return (
    <>
      <PageTitle>{t('page.citizen.skillSubsidy')}</PageTitle>
      <Alert type="info" showIcon message={t('skill.intro')} style={{ marginBottom: 16 }} />
      <ErrorAlert error={error} onRetry={reload} />
      <ErrorAlert error={applyError} />
      {loading && !data ? <Loading /> : null}
      <Card title={t('skill.certificates')} style={{ marginBottom: 16 }}>
        <Table<Cert>
          rowKey="certificateNo"
          size="middle"
          dataSource={data?.certificates ?? []}
          pagination={false}
          locale={{
            emptyText: (
              <EmptyState title={t('skill.certificates.none')} hint={t('skill.certificates.hint')} />
            ),
          }}
          columns={[
            { title: t('skill.certNo'), dataIndex: 'certificateNo' },
            {
              title: t('skill.occupation'),
              dataIndex: 'occupation',
              render: (o: string) => occupationName(o, lang === 'zh-CN' ? 'zh' : 'en'),
            },
            {
              title: t('skill.level'),
              dataIndex: 'level',
              render: (n: number) => skillLevelName(n, lang === 'zh-CN' ? 'zh' : 'en'),
            },
            {
              title: t('skill.issueDate'),
              dataIndex: 'issueDate',
              render: (d: string) => formatDate(d, lang),
            },
            {
              title: t('skill.status'),
              key: 'action',
              render: (_: unknown, c) =>
                c.applicationStatus && c.applicationStatus !== 'rejected' ? (
                  <Tag color={SKILL_STATUS_COLOR[c.applicationStatus] ?? 'default'}>
                    {t(`skill.status.${c.applicationStatus}` as MessageKey)}
                  </Tag>
                ) : c.level >= 3 ? (
                  <Space>
                    <Button
                      type="primary"
                      loading={busy === c.certificateNo}
                      onClick={() => void apply(c.certificateNo)}
                    >
                      {t('skill.apply')}
                    </Button>
                  </Space>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
      <Card title={t('skill.applications')}>
        {data && data.applications.length === 0 ? <EmptyState title={t('skill.queue.empty')} /> : null}
        {data?.applications.map((a) => (
          <SkillApplicationCard key={a.id} a={a} />
        ))}
      </Card>
    </>
  );
}
