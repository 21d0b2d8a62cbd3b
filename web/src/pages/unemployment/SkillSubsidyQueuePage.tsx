// 技能提升补贴审核 (agency): the region's applications with the rule's check; a clerk proposes to grant
// or to refuse (with the reason told to the applicant), a reviewer who is another person releases.
import { App, Button, Card, Input, Modal, Segmented, Space, Tag } from 'antd';
import { useState } from 'react';
import { approvalApi } from '../../api-approvals.ts';
import { useCan } from '../../auth.tsx';
import { ApprovalLink } from '../../components/RecordLink.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { formatDate, formatMoney } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { refundApi, type SkillApplication, type SkillStatus } from './refundApi.ts';
import { SKILL_STATUS_COLOR, SkillApplicationCard } from './SkillSubsidyPage.tsx';
import { occupationName } from '../../../../src/unemployment/occupations.ts';
import { skillLevelName } from '../../../../src/unemployment/skill-level.ts';

export function SkillSubsidyQueuePage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const [status, setStatus] = useState<SkillStatus | 'all'>('submitted');
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState<SkillApplication | null>(null);
  const [refusing, setRefusing] = useState<SkillApplication | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const list = useLoad(
    () => refundApi.skillQueue({ page, pageSize: 20, ...(status === 'all' ? {} : { status }) }),
    [status, page, tick],
  );

  async function act(fn: () => Promise<string>) {
    setBusy(true);
    setActionError(null);
    try {
      void message.success(await fn());
      setTick((n) => n + 1);
      return true;
    } catch (e) {
      setActionError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageTitle>{t('page.agency.skillSubsidies')}</PageTitle>
      <ErrorAlert error={actionError} />
      <Card
        extra={
          <Segmented<SkillStatus | 'all'>
            value={status}
            onChange={(v) => {
              setPage(1);
              setStatus(v);
            }}
            options={[
              { value: 'submitted', label: t('skill.status.submitted') },
              { value: 'paid', label: t('skill.status.paid') },
              { value: 'rejected', label: t('skill.status.rejected') },
              { value: 'all', label: t('refund.batch.filter.all') },
            ]}
          />
        }
      >
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<SkillApplication>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 900 }}
          locale={{
            emptyText: <EmptyState title={t('skill.queue.empty')} hint={t('skill.queue.empty.hint')} />,
          }}
          pagination={{
            current: page,
            pageSize: 20,
            total: list.data?.total ?? 0,
            showTotal: (total) => t('list.total', { total }),
            onChange: setPage,
          }}
          columns={[
            { title: '#', dataIndex: 'id', width: 70 },
            {
              title: t('skill.applicant'),
              key: 'who',
              render: (_: unknown, a) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(a)}>
                  {a.personName}
                </Button>
              ),
            },
            {
              title: t('skill.cert'),
              key: 'cert',
              render: (_: unknown, a) =>
                `${occupationName(a.certificate.occupation, lang === 'zh-CN' ? 'zh' : 'en')} · ${skillLevelName(a.certificate.level, lang === 'zh-CN' ? 'zh' : 'en')} · ${formatDate(a.certificate.issueDate, lang)}`,
            },
            {
              title: t('skill.result'),
              key: 'rule',
              render: (_: unknown, a) =>
                a.eligible ? (
                  <Tag color="green">
                    {t('skill.eligible')} {formatMoney(a.amountFen)}
                  </Tag>
                ) : (
                  <span>
                    <Tag color="orange">{t('skill.notEligible')}</Tag>
                    {lang === 'zh-CN' ? a.reasonZh : a.reason}
                  </span>
                ),
            },
            {
              title: t('skill.status'),
              key: 'status',
              render: (_: unknown, a) => (
                <Space direction="vertical" size={2}>
                  <Tag color={SKILL_STATUS_COLOR[a.status] ?? 'default'}>
                    {t(`skill.status.${a.status}` as MessageKey)}
                  </Tag>
                  {a.pendingApprovalId !== null ? (
                    <Tag color="orange">
                      <ApprovalLink id={a.pendingApprovalId}>
                        {t('skill.pending', { id: a.pendingApprovalId })}
                      </ApprovalLink>
                    </Tag>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('approval.col.actions'),
              key: 'act',
              render: (_: unknown, a) =>
                a.status !== 'submitted' ? null : a.pendingApprovalId === null ? (
                  can('skill-subsidy.decide') ? (
                    <Space wrap>
                      <Button
                        type="primary"
                        size="small"
                        disabled={!a.eligible}
                        loading={busy}
                        onClick={() =>
                          void act(async () =>
                            t('skill.proposed', { id: (await refundApi.propose(a.id, true)).id }),
                          )
                        }
                      >
                        {t('skill.grant')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        onClick={() => {
                          setNote('');
                          setRefusing(a);
                        }}
                      >
                        {t('skill.refuse')}
                      </Button>
                    </Space>
                  ) : null
                ) : can('money.release') ? (
                  <Button
                    type="primary"
                    size="small"
                    loading={busy}
                    onClick={() =>
                      void act(async () => {
                        await approvalApi.release(a.pendingApprovalId ?? 0);
                        return t('skill.released');
                      })
                    }
                  >
                    {t('skill.release')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      <Modal
        open={refusing !== null}
        title={t('skill.refuse')}
        okButtonProps={{ loading: busy, danger: true }}
        onCancel={() => setRefusing(null)}
        onOk={() =>
          void (async () => {
            const a = refusing;
            if (!a) return;
            const ok = await act(async () =>
              t('skill.proposed', {
                id: (await refundApi.propose(a.id, false, note.trim() || undefined)).id,
              }),
            );
            if (ok) setRefusing(null);
          })()
        }
      >
        <label htmlFor="refuse-note">{t('skill.refuse.note')}</label>
        <Input.TextArea
          id="refuse-note"
          rows={3}
          maxLength={500}
          value={note}
          placeholder={refusing ? ((lang === 'zh-CN' ? refusing.reasonZh : refusing.reason) ?? '') : ''}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
      <Modal
        open={open !== null}
        footer={null}
        onCancel={() => setOpen(null)}
        width={760}
        title={open?.personName}
      >
        {open ? <SkillApplicationCard a={open} /> : null}
      </Modal>
    </>
  );
}
