// The prepared money actions (maker–checker) as a table: kind, what the maker prepared (counts and
// amounts), who prepared it, and — for a checker — release and return.
import { App, Button, Popconfirm, Space, Tag } from 'antd';
import { Table } from './ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { waitForJob, type BackgroundJob } from '../api.ts';
import { approvalApi, type Approval, type ApprovalStatus } from '../api-approvals.ts';
import { JobProgress } from './JobProgress.tsx';
import { formatCount, formatDate, formatDateTime, formatMoney, formatPeriod } from '../format.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { EmptyState, ErrorAlert, useLoad } from './common.tsx';
import { BillLink } from './BillLink.tsx';
import type { Role } from '../api.ts';
import { Link } from '../router.tsx';
import { ReasonDialog } from './ReasonDialog.tsx';

const STATUS_COLOR: Record<ApprovalStatus, string> = {
  prepared: 'orange',
  released: 'green',
  returned: 'default',
};

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '—');

/** The bill an approval acts on (a cancellation, a payment's reversal, an allocation), from its summary. */
export function billOf(a: Approval): number | null {
  const s = a.summary;
  const bill = a.kind === 'payment.allocate' ? ((s.bill ?? {}) as Record<string, unknown>).billId : s.billId;
  const id = typeof bill === 'number' || typeof bill === 'string' ? Number(bill) : NaN;
  return BILL_KINDS.has(a.kind) && Number.isInteger(id) && id > 0 ? id : null;
}
const BILL_KINDS = new Set(['bill.cancel', 'payment.reverse', 'payment.allocate']);

export function useApprovalText() {
  const { t, lang } = useI18n();
  const kindText = (kind: string): string => {
    const key = `approval.kind.${kind}` as MessageKey;
    const text = t(key);
    return text === key ? kind : text;
  };
  const summaryText = (a: Approval): string => {
    const s = a.summary;
    switch (a.kind) {
      case 'payroll.run':
        return (
          t('approval.summary.payroll', {
            period: formatPeriod(str(s.period), lang),
            payments: formatCount(num(s.payments)),
            persons: formatCount(num(s.persons)),
            total: formatMoney(num(s.totalFen)),
          }) +
          (num(s.pendingDeaths) > 0 ? t('approval.summary.pendingDeaths', { n: num(s.pendingDeaths) }) : '')
        );
      case 'adjustment.run':
        return t('approval.summary.adjustment', {
          year: num(s.year),
          awards: formatCount(num(s.awardsInForce)),
        });
      case 'bill.cancel':
        return `#${num(s.billId)} · ${formatPeriod(str(s.period), lang)} · ${t('approval.summary.amount', { amount: formatMoney(num(s.totalFen)) })}`;
      case 'payment.reverse': {
        // why, first (a bank return, a wrong bill, a duplicate, a keying error, a held receipt's refund);
        // one prepared before reasons had a kind was a refund of a held receipt or a bank return
        const why =
          typeof s.reasonKind === 'string'
            ? `${t(`reversal.kind.${s.reasonKind}` as MessageKey)} · `
            : str(s.status) === 'unallocated'
              ? `${t('held.refundSummary')} · `
              : '';
        const file = (s.returnFile ?? null) as Record<string, unknown> | null;
        const fromFile = file
          ? ` · ${t('returns.fromFile', { code: str(file.bankCode), reason: str(file.bankReason) })}`
          : '';
        // what the release does to the money (prepared before this was said: no line)
        const money =
          typeof s.money === 'string'
            ? ` · ${t('reversal.moneyLine', { money: t(`reversal.money.${s.money}` as MessageKey) })}`
            : '';
        const base = `${why}${typeof s.bankRef === 'string' ? `${s.bankRef} ` : ''}#${num(s.paymentId)} · ${t('approval.summary.amount', { amount: formatMoney(num(s.amountFen)) })}${fromFile}${money}`;
        // one receipt of a bill paid together: what happens to the others, before the reviewer releases it
        const others = Array.isArray(s.heldAgain) ? (s.heldAgain as Array<Record<string, unknown>>) : [];
        if (others.length === 0) return base;
        const receipts = others
          .map(
            (o) =>
              `${str(o.bankRef)} ${formatMoney(num(o.amountFen))} · ${formatDate(str(o.paidDate), lang)}`,
          )
          .join(lang === 'en' ? '; ' : '；');
        return `${base} · ${t('held.jointReturn', { bill: num(s.billId), count: others.length, receipts })}`;
      }
      case 'payment.allocate': {
        // what moves where: each receipt and its payer (or none known), to which bill of which payer
        const bill = (s.bill ?? {}) as Record<string, unknown>;
        const payer = (p: unknown) =>
          p && typeof p === 'object' ? str((p as Record<string, unknown>).name) : t('held.unknownPayer');
        const receipts = (Array.isArray(s.receipts) ? (s.receipts as Array<Record<string, unknown>>) : [])
          .map((r) => {
            const who = `${t('held.payer')} ${payer(r.payer)}`;
            return `${str(r.bankRef)} ${formatMoney(num(r.amountFen))}${lang === 'en' ? ` (${who})` : `（${who}）`}`;
          })
          .join(lang === 'en' ? '; ' : '；');
        return t('held.allocateSummary', {
          receipts,
          amount: formatMoney(num(s.amountFen)),
          bill: num(bill.billId),
          period: formatPeriod(str(bill.period), lang),
          payer: payer(bill.payer),
        });
      }
      case 'recovery.write-off':
        return `#${num(s.caseId)} · ${t('approval.summary.amount', { amount: formatMoney(num(s.writeOffFen)) })}`;
      case 'user.role': {
        const roleKey = `role.${str(s.role)}` as MessageKey;
        return t('approval.summary.user', {
          username: str(s.username),
          person: str(s.personName),
          idNumber: str(s.personIdNumber),
          role: t(roleKey),
        });
      }
      // issue 12: stable-employment refund payment, skill-upgrade subsidy decision
      case 'refund.pay':
        return t('approval.summary.refund', {
          year: num(s.year),
          employers: formatCount(num(s.employers)),
          total: formatMoney(num(s.totalFen)),
        });
      case 'skill-subsidy.decide':
        return t('approval.summary.skill', {
          id: num(s.applicationId),
          person: str(s.personName),
          cert: str(s.certificateNo),
          decision:
            s.grant === true
              ? `${t('skill.grant')} ${formatMoney(num(s.amountFen))}`
              : `${t('skill.refuse')}：${str(s.reasonZh)}`,
        });
      // work injury: the case, the decision or the benefit and its amount, so the checker sees what they release
      case 'injury-recognition':
        return `${t('injury.case', { id: num(s.caseId) })} · ${t(`injury.status.${str(s.outcome)}` as MessageKey)}`;
      case 'injury-benefit':
        return `${t('injury.case', { id: num(s.caseId) })} · ${t(`injury.benefit.${str(s.kind)}` as MessageKey)} · ${t('approval.summary.amount', { amount: formatMoney(num(s.amountFen)) })}${s.monthly === true ? t('injury.perMonth') : ''} · ${t(`injury.payer.${s.advanced === true ? 'advanced' : str(s.payer)}` as MessageKey)}`;
      case 'supervision.decide':
        return t('approval.summary.svDecide', {
          id: num(s.caseId),
          amount: formatMoney(num(s.overpaidFen)),
          fine: formatMoney(num(s.fineFen)),
        });
      case 'injury-payroll':
        return `${t('injury.payroll')} ${formatPeriod(str(s.period), lang)}`;
      default:
        return a.subjectPersonId === null ? '—' : t('approval.summary.person', { id: a.subjectPersonId });
    }
  };
  return { kindText, summaryText };
}

export interface ApprovalTableProps {
  /** only these kinds (default: every kind) */
  kinds?: readonly string[];
  status?: ApprovalStatus;
  /** show release and return (for every row, or for the rows this answers true for) */
  canDecide: boolean | ((a: Approval) => boolean);
  /** reload key: bump to reload after the parent prepared something */
  refresh?: number;
  onDecided?: (a: Approval) => void;
  /** what an empty list says (default: nothing waits for a check) */
  empty?: MessageKey;
}

/** A staff member as pages show one: the name (李丽玲 (clerk) read as an English role tag), or the
 * username when the account has no name. The tables give the username on hover. */
export const staffText = (name: string | null, username: string): string => name ?? username;

/** Who may release or return an approval on the pages: money by a reviewer, a staff role by a second
 * administrator or the supervisor (the server checks again, with four eyes by person). */
export const mayDecide = (role: Role | undefined, a: Approval): boolean =>
  a.kind === 'user.role' ? role === 'admin' || role === 'supervisor' : role === 'reviewer';

/**
 * Release and return for one approval at a time, and what they show: the refusal, a payroll's or an
 * adjustment's progress in the background worker, the return's reason dialog. `onDecided` gets the
 * approval as decided (after a background job, as the job left it); `reload` is called on a refusal.
 */
export function useApprovalActions(onDecided: (a: Approval) => void, reload: () => void) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { kindText } = useApprovalText();
  const [busy, setBusy] = useState<number | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [returning, setReturning] = useState<Approval | null>(null);
  // A released payroll or adjustment computed by the server's worker: its progress while it runs.
  const [running, setRunning] = useState<{ approval: Approval; job: BackgroundJob | null } | null>(null);

  async function release(a: Approval) {
    setBusy(a.id);
    setActionError(null);
    try {
      const answer = await approvalApi.releaseOrQueue(a.id);
      let done: Approval;
      if ('jobId' in answer) {
        setRunning({ approval: answer.approval, job: null });
        reload();
        await waitForJob(answer.jobId, (job) => setRunning({ approval: answer.approval, job }));
        done = await approvalApi.approval(a.id);
      } else done = answer;
      void message.success(t('approval.done.released', { kind: kindText(a.kind) }));
      onDecided(done);
    } catch (e) {
      setActionError(e);
      reload();
    } finally {
      setBusy(null);
      setRunning(null);
    }
  }

  /** The return dialog's call: its refusal stays in the dialog (ReasonDialog shows it). */
  async function returnToMaker(a: Approval, reason: string) {
    setActionError(null);
    const done = await approvalApi.returnToMaker(a.id, reason);
    void message.success(t('approval.done.returned', { kind: kindText(a.kind) }));
    onDecided(done);
  }

  const buttons = (a: Approval) => (
    <Space wrap>
      <Popconfirm title={t('approval.release.confirm')} onConfirm={() => void release(a)}>
        <Button type="primary" size="small" loading={busy === a.id}>
          {t('approval.release')}
        </Button>
      </Popconfirm>
      <Button size="small" disabled={busy === a.id} onClick={() => setReturning(a)}>
        {t('approval.return')}
      </Button>
    </Space>
  );

  const shown = (
    <>
      <ErrorAlert error={actionError} />
      {running ? (
        <JobProgress
          title={t('approval.running', { kind: kindText(running.approval.kind), id: running.approval.id })}
          job={running.job}
        />
      ) : null}
      <ReasonDialog
        open={returning !== null}
        title={returning ? `${t('approval.return')} · ${kindText(returning.kind)} #${returning.id}` : ''}
        okText={t('approval.return')}
        label={t('approval.return.reason')}
        minLength={2}
        maxLength={500}
        onSubmit={(reason) => (returning ? returnToMaker(returning, reason) : Promise.resolve())}
        onClose={() => setReturning(null)}
      />
    </>
  );
  return { buttons, shown };
}

export function ApprovalTable({
  kinds,
  status,
  canDecide,
  refresh = 0,
  onDecided,
  empty = 'approval.empty',
}: ApprovalTableProps) {
  const { t, lang } = useI18n();
  const { kindText, summaryText } = useApprovalText();
  const { data, error, loading, reload } = useLoad(async () => {
    const page = await approvalApi.approvals(status ? { status } : {});
    return kinds ? page.items.filter((a) => kinds.includes(a.kind)) : page.items;
  }, [status, refresh, kinds?.join(',')]);
  const actions = useApprovalActions((a) => {
    onDecided?.(a);
    reload();
  }, reload);

  const columns: ColumnsType<Approval> = [
    {
      title: t('approval.col.id'),
      dataIndex: 'id',
      width: 70,
      render: (id: number) => <Link to={`/agency/approvals/${id}`}>#{id}</Link>,
    },
    { title: t('approval.col.kind'), dataIndex: 'kind', render: (k: string) => kindText(k) },
    {
      title: t('approval.col.summary'),
      key: 'summary',
      render: (_: unknown, a) => {
        const bill = billOf(a);
        return (
          <>
            {summaryText(a)}
            {bill === null ? null : (
              <div>
                <BillLink id={bill} />
              </div>
            )}
          </>
        );
      },
    },
    {
      title: t('approval.col.maker'),
      key: 'maker',
      render: (_: unknown, a) => (
        <span title={a.makerUsername}>{staffText(a.makerName, a.makerUsername)}</span>
      ),
    },
    {
      title: t('approval.col.preparedAt'),
      dataIndex: 'preparedAt',
      render: (d: string) => formatDateTime(d, lang),
    },
    {
      title: t('approval.col.status'),
      dataIndex: 'status',
      render: (s: ApprovalStatus) => <Tag color={STATUS_COLOR[s]}>{t(`approval.status.${s}`)}</Tag>,
    },
    {
      title: t('approval.col.checker'),
      key: 'checker',
      render: (_: unknown, a) =>
        a.checkerUsername ? (
          <span title={a.checkerUsername}>
            {staffText(a.checkerName, a.checkerUsername)}
            {a.note ? ` · ${a.note}` : ''}
          </span>
        ) : (
          '—'
        ),
    },
  ];
  if (canDecide)
    columns.push({
      title: t('approval.col.actions'),
      key: 'actions',
      render: (_: unknown, a) =>
        a.status === 'prepared' && (canDecide === true || (typeof canDecide === 'function' && canDecide(a)))
          ? actions.buttons(a)
          : null,
    });

  return (
    <>
      <ErrorAlert error={error} onRetry={reload} />
      {actions.shown}
      {data && data.length === 0 ? (
        <EmptyState title={t(empty)} />
      ) : (
        <Table<Approval>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={data ?? []}
          pagination={false}
          scroll={{ x: true }}
        />
      )}
    </>
  );
}
