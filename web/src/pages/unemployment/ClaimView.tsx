// One unemployment claim as the citizen and the clerk see it: the decision with the reason in words,
// the months, dates and amounts, the trace, the payments and the stop events.
import { Alert, Collapse, Descriptions, Space, Tag } from 'antd';
import { Table } from '../../components/ResponsiveTable.tsx';
import { staffText } from '../../components/approvals.tsx';
import { EmptyState, ErrorAlert, useLoad } from '../../components/common.tsx';
import { TraceList } from '../../components/TraceList.tsx';
import { formatDate, formatMoney, formatPeriod, todayIso } from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { unemploymentApi, type Claim, type ClaimPayment, type StopEvent } from './unemployment-api.ts';

export const STATUS_COLOR: Record<Claim['status'], string> = {
  submitted: 'orange',
  ineligible: 'red',
  approved: 'green',
  rejected: 'red',
  interrupted: 'gold',
  stopped: 'default',
  ended: 'default',
};

export function ClaimStatusTag({ status }: { status: Claim['status'] }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{t(`ue.status.${status}` as MessageKey)}</Tag>;
}

export function ClaimView({ claim }: { claim: Claim }) {
  const { t, lang } = useI18n();
  const payments = useLoad(() => unemploymentApi.payments(claim.id), [claim.id, claim.monthsPaid]);
  const events = useLoad(() => unemploymentApi.events(claim.id), [claim.id, claim.status]);
  const reason = lang === 'zh-CN' ? (claim.reasonZh ?? claim.reason) : (claim.reason ?? claim.reasonZh);
  const overdue = claim.status === 'submitted' && claim.decisionDeadline < todayIso();
  const inPayment = claim.status === 'approved' || claim.status === 'interrupted';
  return (
    <div data-testid="ue-claim">
      <Space wrap style={{ marginBottom: 12 }}>
        <strong>{t('ue.claim.number', { id: claim.id })}</strong>
        <ClaimStatusTag status={claim.status} />
        <Tag color={claim.eligible ? 'green' : 'red'} data-testid="ue-eligible">
          {claim.eligible ? t('ue.claim.eligible') : t('ue.claim.notEligible')}
        </Tag>
      </Space>
      {reason && (claim.status === 'ineligible' || claim.status === 'rejected') ? (
        <Alert
          type="error"
          showIcon
          role="status"
          style={{ marginBottom: 12 }}
          title={t('ue.claim.reason')}
          description={<span data-testid="ue-reason">{reason}</span>}
        />
      ) : null}
      {claim.status === 'submitted' ? (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('ue.claim.pending')} />
      ) : null}
      {claim.status === 'stopped' && claim.stoppedFromPeriod ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`${claim.stopEvent ? t(`ue.event.${claim.stopEvent}` as MessageKey) : ''} · ${t(
            'ue.claim.stopped',
            {
              period: formatPeriod(claim.stoppedFromPeriod, lang),
              n: claim.remainingMonths ?? 0,
            },
          )}`}
        />
      ) : null}
      {claim.status === 'interrupted' && claim.interruptedFromPeriod ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('ue.claim.interrupted', { period: formatPeriod(claim.interruptedFromPeriod, lang) })}
        />
      ) : null}
      <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }}>
        {claim.eligible ? (
          <>
            <Descriptions.Item label={t('ue.claim.months')}>
              <span data-testid="ue-months">{t('ue.claim.monthsValue', { n: claim.maxMonths })}</span>
              {claim.carriedMonths > 0 ? t('ue.claim.carried', { n: claim.carriedMonths }) : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('ue.claim.monthly')}>
              <span data-testid="ue-monthly">{formatMoney(claim.monthlyFen ?? null)}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('ue.claim.period')}>
              {formatDate(claim.entitlementStart, lang)} – {formatDate(claim.entitlementEnd, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={t('ue.claim.medical')}>
              {formatMoney(claim.medicalFen)}
            </Descriptions.Item>
          </>
        ) : null}
        <Descriptions.Item label={t('ue.claim.registration')}>
          {formatDate(claim.registrationDate, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t('ue.claim.deadline')}>
          {formatDate(claim.decisionDeadline, lang)}{' '}
          {overdue ? <Tag color="red">{t('ue.claim.overdue')}</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('ue.claim.separation')}>
          {formatDate(claim.separationDate, lang)} ·{' '}
          {t(`employment.end.${claim.separationReason}` as MessageKey)}
        </Descriptions.Item>
        <Descriptions.Item label={t('ue.claim.contributionMonths')}>
          {claim.contributionMonths}
        </Descriptions.Item>
        {claim.decidedBy || claim.decisionNote ? (
          // The claimant is not shown staff usernames or names (the server leaves them out), only the note.
          <Descriptions.Item label={t('ue.claim.decision')}>
            <span data-testid="ue-decision">
              {[
                claim.decidedBy
                  ? t('ue.claim.decidedBy', {
                      maker: staffText(claim.decidedByName ?? null, claim.decidedBy),
                      checker: claim.reviewedBy
                        ? staffText(claim.reviewedByName ?? null, claim.reviewedBy)
                        : '—',
                    })
                  : null,
                claim.decisionNote,
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </Descriptions.Item>
        ) : null}
        {claim.monthsPaid > 0 || inPayment ? (
          // Being paid: the months paid and what is left of the entitlement (the server's figure).
          <Descriptions.Item label={t('ue.claim.payments')}>
            <span data-testid="ue-paid">
              {t('ue.claim.paid', { n: claim.monthsPaid, amount: formatMoney(claim.paidFen) })}
              {inPayment && claim.remainingMonths !== null
                ? t('ue.claim.left', { n: claim.remainingMonths })
                : ''}
            </span>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <Collapse
        size="small"
        items={[
          {
            key: 'trace',
            label: t('ue.claim.trace'),
            children: <TraceList steps={claim.trace} />,
          },
          {
            key: 'payments',
            label: `${t('ue.claim.payments')} (${payments.data?.length ?? 0})`,
            children: (
              <>
                <ErrorAlert error={payments.error} />
                <Table<ClaimPayment>
                  size="small"
                  rowKey="period"
                  pagination={false}
                  locale={{
                    emptyText: (
                      <EmptyState
                        title={t('ue.claim.payments.none')}
                        hint={t('ue.claim.payments.noneHint')}
                      />
                    ),
                  }}
                  dataSource={payments.data ?? []}
                  columns={[
                    {
                      title: t('ue.col.period'),
                      dataIndex: 'period',
                      render: (p: string) => formatPeriod(p, lang),
                    },
                    {
                      title: t('ue.col.amount'),
                      dataIndex: 'amountFen',
                      render: (v: number) => formatMoney(v),
                    },
                    {
                      title: t('ue.col.medical'),
                      dataIndex: 'medicalFen',
                      render: (v: number) => formatMoney(v),
                    },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'events',
            label: `${t('ue.claim.events')} (${events.data?.length ?? 0})`,
            children: (
              <Table<StopEvent>
                size="small"
                rowKey={(e) => `${e.event}-${e.eventDate}-${e.action}`}
                pagination={false}
                locale={{ emptyText: <EmptyState title={t('ue.claim.events.none')} /> }}
                dataSource={events.data ?? []}
                columns={[
                  {
                    title: t('ue.col.date'),
                    dataIndex: 'eventDate',
                    render: (d: string) => formatDate(d, lang),
                  },
                  {
                    title: t('ue.col.event'),
                    dataIndex: 'event',
                    render: (e: string) => t(`ue.event.${e}` as MessageKey),
                  },
                  {
                    title: t('ue.col.action'),
                    // the server's action is a code (stop, interrupt, resume, recorded)
                    render: (_: unknown, e: StopEvent) => {
                      const action = t(`ue.action.${e.action}` as MessageKey);
                      return e.stoppedFromPeriod
                        ? `${action} · ${formatPeriod(e.stoppedFromPeriod, lang)}`
                        : action;
                    },
                  },
                ]}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
