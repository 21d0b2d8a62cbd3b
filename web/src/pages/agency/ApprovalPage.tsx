// 待复核业务详情 (/agency/approvals/:id): one prepared money action read in full before it is released —
// what it changes (the list's summary, then everything the maker submitted, money in 元), the records it
// concerns (linked), who prepared it and when, and once decided who released or returned it, when and
// why. A reviewer who may decide it releases or returns it here; anyone else reads why they cannot.
import { Alert, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { Fragment, type ReactNode } from 'react';
import { approvalApi, type Approval, type ApprovalStatus } from '../../api-approvals.ts';
import type { TraceStep } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import {
  billOf,
  mayDecide,
  staffText,
  useApprovalActions,
  useApprovalText,
} from '../../components/approvals.tsx';
import { BillLink } from '../../components/BillLink.tsx';
import { PageLink, ReceiptLink } from '../../components/RecordLink.tsx';
import { ErrorAlert, Loading, PageTitle, useLoad } from '../../components/common.tsx';
import { TraceList } from '../../components/TraceList.tsx';
import { useCodeText, useRegionName } from '../../components/registry.tsx';
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatMoney,
  formatPeriod,
  isIsoDate,
} from '../../format.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import type { PageProps } from '../../pages.tsx';
import { Link } from '../../router.tsx';
import { FIELDS_NOT_SHOWN } from '../../../../src/approval/approval-fields.ts';
import { fieldLabelKey, valuePrefix } from './approval-values.ts';

const STATUS_COLOR: Record<ApprovalStatus, string> = {
  prepared: 'orange',
  released: 'green',
  returned: 'default',
};
/** A list longer than this shows its first items and how many more (a payroll's result lists thousands). */
const LIST_LIMIT = 20;

type Fields = Record<string, unknown>;
const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A payload's trace: the server reads each one as stored (storedTrace), so every step says its unit. */
const isTrace = (v: unknown): v is TraceStep[] =>
  Array.isArray(v) &&
  v.every((s) => isFields(s) && typeof s['step'] === 'string' && typeof s['unit'] === 'string');
const idOf = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** Every value under `key` in the fields, however deep (a payment's bill, each receipt's payment). */
function findAll(v: unknown, key: string): unknown[] {
  if (Array.isArray(v)) return v.flatMap((x) => findAll(x, key));
  if (!isFields(v)) return [];
  return Object.entries(v).flatMap(([k, x]) => (k === key ? [x, ...findAll(x, key)] : findAll(x, key)));
}
const idsOf = (a: Approval, key: string): number[] => [
  ...new Set(
    [...findAll(a.summary, key), ...findAll(a.payload, key)]
      .flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]))
      .map(idOf)
      .filter((n): n is number => n !== null),
  ),
];

export function ApprovalPage({ params }: PageProps) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  const regionName = useRegionName();
  const { user } = useAuth();
  const { kindText, summaryText } = useApprovalText();
  const id = Number(params['id']);
  const { data: a, error, loading, reload } = useLoad(() => approvalApi.approval(id), [id]);
  const actions = useApprovalActions(() => reload(), reload);

  /** The page of a record, when this user's role may open it. */
  const pageLink = (pattern: string, recordId: number, text: string): ReactNode => (
    <PageLink pattern={pattern} id={recordId}>
      {text}
    </PageLink>
  );

  /**
   * One submitted value in words: money in 元, months and days as the agency writes them, yes/no, a
   * code in the words other pages give it. `parent` names the field holding it (plan for a plan's kind;
   * result for the result's), since one name means other codes there.
   */
  const valueText = (key: string, v: unknown, parent = ''): ReactNode => {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'boolean') return t(v ? 'approvalPage.yes' : 'approvalPage.no');
    if (typeof v === 'number' && key.endsWith('Fen')) return <span className="money">{formatMoney(v)}</span>;
    if (typeof v === 'number' && key.endsWith('Pct')) return `${formatCount(v)}%`;
    if (key === 'trace' && isTrace(v)) return <TraceList steps={v} />;
    // a receipt's or a bill's payer: its name, and whether a person or an employer
    if (key === 'payer' && isFields(v) && typeof v['name'] === 'string') {
      const who = code('approvalPage.value.payer', String(v['kind']));
      return lang === 'en' ? `${v['name']} (${who})` : `${v['name']}（${who}）`;
    }
    // a receipt or a bill named in what was submitted opens its own page, as in the records above
    if (typeof v === 'number' && (key === 'paymentId' || key === 'paymentIds'))
      return <ReceiptLink id={v}>{`#${v}`}</ReceiptLink>;
    if (typeof v === 'number' && key === 'billId') return <BillLink id={v} />;
    if (typeof v === 'number') return key.endsWith('Id') ? `#${v}` : formatCount(v);
    if (typeof v === 'string') {
      // a reversal's receipt as it stood when prepared (已入账, 暂收款), what its release does to the
      // money, a fund's or a plan's name …: the words alone, the field's label names it
      const prefix = valuePrefix(a?.kind ?? '', parent ? `${parent}.${key}` : key);
      if (prefix !== null) return code(prefix, v);
      if (key === 'region') return regionName(v);
      if (/^\d{4}-\d{2}$/.test(v)) return formatPeriod(v, lang);
      if (isIsoDate(v)) return formatDate(v, lang);
      if (/^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v, lang);
      return v;
    }
    if (Array.isArray(v)) {
      const shown = v.slice(0, LIST_LIMIT);
      return (
        <>
          {shown.every((x) => !isFields(x) && !Array.isArray(x)) ? (
            shown.map((x, i) => (
              <Fragment key={i}>
                {i > 0 ? (lang === 'en' ? ', ' : '、') : null}
                {valueText(key, x, parent)}
              </Fragment>
            ))
          ) : (
            <ol style={{ margin: 0, paddingInlineStart: 20 }}>
              {shown.map((x, i) => (
                <li key={i}>{valueText(key, x, key)}</li>
              ))}
            </ol>
          )}
          {v.length > LIST_LIMIT ? (
            <div className="muted">{t('approvalPage.more', { n: formatCount(v.length - LIST_LIMIT) })}</div>
          ) : null}
        </>
      );
    }
    if (isFields(v))
      return (
        <span>
          {Object.entries(v).map(([k, x], i) => (
            <Fragment key={k}>
              {i > 0 ? (lang === 'en' ? '; ' : '；') : null}
              {fieldName(k)}
              {lang === 'en' ? ': ' : '：'}
              {valueText(k, x, key)}
            </Fragment>
          ))}
        </span>
      );
    return JSON.stringify(v);
  };
  const fieldName = (k: string): string => {
    const key = fieldLabelKey(a?.kind ?? '', k) as MessageKey;
    const text = t(key);
    return text === key ? k : text;
  };
  /** The summary's fields, then the payload's that the summary does not already give. */
  const fields = (x: Approval): Array<[string, unknown]> =>
    [...Object.entries(x.summary), ...Object.entries(x.payload).filter(([k]) => !(k in x.summary))].filter(
      ([k]) => !(FIELDS_NOT_SHOWN as readonly string[]).includes(k),
    );

  if (!a) return error ? <ErrorAlert error={error} onRetry={reload} /> : <Loading />;

  const bill = billOf(a);
  const persons = [...new Set([a.subjectPersonId, ...idsOf(a, 'personId')].filter((n) => n !== null))];
  const caseIds = idsOf(a, 'caseId');
  const casePage = a.kind.startsWith('injury')
    ? '/agency/injury/:id'
    : a.kind.startsWith('supervision')
      ? '/agency/supervision/cases/:id'
      : null;
  const records: ReactNode[] = [
    ...persons.map((p) => pageLink('/agency/persons/:id', p, t('approvalPage.record.person', { id: p }))),
    ...(bill === null
      ? []
      : [
          // a bare "#13707" beside "单位 #23" read as nothing in particular
          <span key="bill">
            {t('approvalPage.field.billId')} <BillLink id={bill} />
          </span>,
        ]),
    ...idsOf(a, 'paymentId')
      .concat(idsOf(a, 'paymentIds'))
      .filter((p, i, all) => all.indexOf(p) === i)
      .map((p) => pageLink('/agency/receipts/:id', p, t('approvalPage.record.payment', { id: p }))),
    ...idsOf(a, 'employerId').map((e) =>
      pageLink('/agency/employers/:id', e, t('approvalPage.record.employer', { id: e })),
    ),
    ...caseIds.map((c) =>
      casePage ? (
        pageLink(casePage, c, t('approvalPage.record.case', { id: c }))
      ) : a.kind.startsWith('recovery') ? (
        // the recovery list has no page per case: it opens showing this case alone
        <PageLink pattern="/agency/recovery" search={`?case=${c}`}>
          {t('approvalPage.record.recovery', { id: c })}
        </PageLink>
      ) : (
        t('approvalPage.record.case', { id: c })
      ),
    ),
  ];

  const why =
    a.status !== 'prepared'
      ? null
      : user?.username === a.makerUsername
        ? t('approvalPage.why.maker')
        : !mayDecide(user?.role, a)
          ? t(a.kind === 'user.role' ? 'approvalPage.why.roleUser' : 'approvalPage.why.role')
          : null;

  return (
    <>
      <PageTitle extra={<Link to="/agency/approvals">{t('approvalPage.back')}</Link>}>
        {t('approvalPage.title', { id: a.id, kind: kindText(a.kind) })}
      </PageTitle>
      {loading ? <Loading /> : null}
      {actions.shown}
      <Card title={t('approvalPage.what')} style={{ marginBottom: 16 }} data-testid="approval-what">
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('approvalPage.status')}>
            <Tag color={STATUS_COLOR[a.status]}>{t(`approval.status.${a.status}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('approvalPage.summary')}>{summaryText(a)}</Descriptions.Item>
          {records.length > 0 ? (
            <Descriptions.Item label={t('approvalPage.records')}>
              <Space wrap size={[12, 4]}>
                {records.map((r, i) => (
                  <span key={i}>{r}</span>
                ))}
              </Space>
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('approvalPage.prepared')}>
            <span title={a.makerUsername}>
              {t('approvalPage.preparedBy', {
                who: staffText(a.makerName, a.makerUsername),
                at: formatDateTime(a.preparedAt, lang),
              })}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('approvalPage.decision')}>
            {a.checkerUsername && a.decidedAt ? (
              <span title={a.checkerUsername}>
                {t(a.status === 'returned' ? 'approvalPage.returned' : 'approvalPage.released', {
                  who: staffText(a.checkerName, a.checkerUsername),
                  at: formatDateTime(a.decidedAt, lang),
                })}
                {a.note ? (
                  <div>
                    {a.status === 'returned'
                      ? t('approvalPage.reason', { reason: a.note })
                      : t('approvalPage.note', { note: a.note })}
                  </div>
                ) : null}
              </span>
            ) : (
              <Typography.Text type="secondary">{t('approvalPage.waiting')}</Typography.Text>
            )}
          </Descriptions.Item>
        </Descriptions>
        {a.status === 'prepared' ? (
          <div style={{ marginTop: 16 }} data-testid="approval-decide">
            {why ? (
              <Alert type="info" showIcon title={why} />
            ) : (
              <Space direction="vertical">
                <Typography.Text type="secondary">{t('approval.hint')}</Typography.Text>
                {actions.buttons(a)}
              </Space>
            )}
          </div>
        ) : null}
      </Card>
      <Card title={t('approvalPage.details')} style={{ marginBottom: 16 }} data-testid="approval-details">
        <Descriptions column={1} size="small" bordered>
          {fields(a).map(([k, v]) => (
            <Descriptions.Item key={k} label={fieldName(k)}>
              {valueText(k, v)}
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
      {a.result !== null && a.result !== undefined ? (
        <Card title={t('approvalPage.result')} data-testid="approval-result">
          {isFields(a.result) ? (
            <Descriptions column={1} size="small" bordered>
              {Object.entries(a.result).map(([k, v]) => (
                <Descriptions.Item
                  key={k}
                  label={k === 'status' ? t('approvalPage.resultStatus') : fieldName(k)}
                >
                  {valueText(k, v, 'result')}
                </Descriptions.Item>
              ))}
            </Descriptions>
          ) : (
            valueText('result', a.result)
          )}
        </Card>
      ) : null}
    </>
  );
}
