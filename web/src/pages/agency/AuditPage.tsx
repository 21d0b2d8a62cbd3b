// 审计日志 (supervisors): who did what to which record, filtered by operator, day, action and
// record, with the record before and after each change and a CSV export; and the ledger check
// (every entry balanced, the sub-ledgers equal to the journal).
import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Grid,
  Input,
  Progress,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { DatePicker } from '../../components/DatePicker.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, auditCsvUrl, type AuditFilter, type AuditItem } from '../../api.ts';
import { useAuth, useCan } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { useCodeText, useRegionName } from '../../components/registry.tsx';
import { formatCount, formatDateTime, noteInLanguage } from '../../format.ts';
import { useI18n, type Lang } from '../../i18n/index.tsx';
import { zhCN } from '../../i18n/zh-CN.ts';
import { useNodeRole } from '../../node-role.ts';
import { PAGES } from '../../pages.tsx';
import { pageAvailable } from '../../PortalLayout.tsx';
import { Link } from '../../router.tsx';
import { auditEntryPath } from './audit-links.ts';
import { subLedgerKey } from './ledger-names.ts';

interface FilterForm {
  action?: string;
  entityType?: string;
  entityId?: string;
  actor?: string;
  days?: [Dayjs | null, Dayjs | null] | null;
}

/** The record types the catalogue names (entity.<type>). */
const ENTITY_CODES = Object.keys(zhCN)
  .filter((k) => k.startsWith('entity.'))
  .map((k) => k.slice(7));

/**
 * The fixed columns' widths in each language (the reason takes the rest): English names are longer — at
 * the Chinese widths an action took three or four lines, a role and a district ran past their cell — and
 * its times a little shorter ("25 Nov 2026, 15:33:00" needs 176 on one line). A Chinese region stays on one
 * line (宣城 / 市); an English one wraps between its words (Xuanzhou / District), never inside one (Xuanchen / g).
 */
const WIDTHS = {
  'zh-CN': { at: 196, actor: 120, action: 136, region: 88 },
  en: { at: 176, actor: 136, action: 180, region: 104 },
} as const satisfies Record<Lang, Record<string, number>>;

/** Whether the page of a pattern is open to this user's role on this node. */
function usePageOpens(): (pattern: string) => boolean {
  const { user } = useAuth();
  const node = useNodeRole();
  return useMemo(() => {
    const open = new Set(
      PAGES.filter((p) => pageAvailable(p, user?.role) && (!p.nodes || p.nodes.includes(node))).map(
        (p) => p.path,
      ),
    );
    return (pattern) => open.has(pattern);
  }, [user?.role, node]);
}

export function LedgerVerifyCard() {
  const { t } = useI18n();
  const [run, setRun] = useState(0);
  const [seconds, setSeconds] = useState(0);
  const { data, error, loading, reload } = useLoad(run > 0 ? () => api.ledgerVerify() : null, [run]);
  useEffect(() => {
    if (!loading) return;
    setSeconds(0);
    const timer = window.setInterval(() => setSeconds((n) => n + 1), 1000);
    return () => window.clearInterval(timer);
  }, [loading]);
  return (
    <Card
      title={t('ledger.title')}
      style={{ marginBottom: 16 }}
      extra={
        <Button loading={loading} onClick={() => setRun((n) => n + 1)}>
          {t('ledger.run')}
        </Button>
      }
    >
      <ErrorAlert error={error} onRetry={reload} />
      {loading ? (
        <div role="status" aria-live="polite">
          <Progress percent={100} status="active" showInfo={false} />
          <p style={{ margin: '8px 0 0' }}>{t('ledger.running', { seconds })}</p>
        </div>
      ) : data ? (
        <>
          <Alert
            type={data.ok ? 'success' : 'error'}
            showIcon
            role="status"
            title={data.ok ? t('ledger.ok') : t('ledger.bad')}
            description={t('ledger.counts', {
              entries: formatCount(data.entries),
              lines: formatCount(data.lines),
            })}
            style={{ marginBottom: 12 }}
          />
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            <li>
              <Tag color={data.unbalancedEntries.length === 0 ? 'green' : 'red'}>
                {data.unbalancedEntries.length}
              </Tag>
              {t('ledger.unbalanced')}
            </li>
            <li>
              <Tag color={data.equationDifferences.length === 0 ? 'green' : 'red'}>
                {data.equationDifferences.length}
              </Tag>
              {t('ledger.equation')}
            </li>
            {data.subLedgers.map((s) => {
              const key = subLedgerKey(s.name);
              return (
                <li key={s.name}>
                  <Tag color={s.ok ? 'green' : 'red'}>{s.ok ? t('ledger.pass') : t('ledger.fail')}</Tag>
                  {key ? t(key) : s.name}
                </li>
              );
            })}
          </ul>
        </>
      ) : (
        <p style={{ color: 'rgba(0,0,0,0.55)', margin: 0 }}>{t('ledger.hint')}</p>
      )}
    </Card>
  );
}

/**
 * The record before and after a change, field by field in the server's words (src/audit/audit-fields.ts:
 * names, yuan, days, codes' words), the changed fields marked; ids, versions and hashes last and marked
 * as technical; a field the server has no words for by its key.
 */
function BeforeAfter({ item }: { item: AuditItem }) {
  const { t, lang } = useI18n();
  if (item.changes.length === 0) return <span className="muted">{t('audit.noChange')}</span>;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      className="audit-changes"
      items={item.changes.map((c) => {
        const b = c.before ? noteInLanguage(c.before, lang) : null;
        const a = noteInLanguage(c.after, lang);
        return {
          key: c.field,
          label: (
            <span className={c.technical ? 'muted' : undefined} title={c.field}>
              {c.name ? noteInLanguage(c.name, lang) : c.field}
              {/* 版本（技术字段）, "Version (technical)" */}
              {c.technical ? (lang === 'en' ? ` ${t('audit.technical')}` : t('audit.technical')) : null}
            </span>
          ),
          children: (
            <span className={c.technical ? 'audit-change muted' : 'audit-change'}>
              {b !== null ? (
                <>
                  <span className={c.changed ? 'audit-before' : undefined}>{b}</span>
                  {c.changed ? <span aria-label={t('audit.changedTo')}> → </span> : null}
                </>
              ) : null}
              {b === null || c.changed ? <strong>{a}</strong> : null}
            </span>
          ),
        };
      })}
    />
  );
}

export function AuditPage() {
  const { t, lang } = useI18n();
  const can = useCan();
  const code = useCodeText();
  const regionName = useRegionName();
  const pageOpens = usePageOpens();
  const narrow = Grid.useBreakpoint().md === false;
  const [filter, setFilter] = useState<AuditFilter>({});
  // The codes entries are written with now (the server's list, in code order so a family such as
  // pension.* stays together), by name with the code; the same options while the language and the list
  // hold, so a reload of the rows does not redraw an open list. Older codes still show in the rows.
  const actions = useLoad(() => api.auditActions(), []);
  const actionOptions = useMemo(
    () =>
      (actions.data?.actions ?? []).map((a) => {
        const name = code('audit', a);
        return { value: a, label: name, search: `${name} ${a}` };
      }),
    [actions.data, lang],
  );
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, error, loading, reload } = useLoad(
    () => api.audit({ ...filter, page, pageSize }),
    [filter, page, pageSize],
  );
  return (
    <>
      <PageTitle>{t('page.agency.audit')}</PageTitle>
      {can('ledger.verify') ? <LedgerVerifyCard /> : null}
      <Card>
        <Form<FilterForm>
          layout="inline"
          className="filter-form"
          onFinish={(v) => {
            setPage(1);
            const [from, to] = v.days ?? [null, null];
            setFilter({
              ...(v.actor?.trim() ? { actor: v.actor.trim() } : {}),
              ...(from ? { from: from.format('YYYY-MM-DD') } : {}),
              ...(to ? { to: to.format('YYYY-MM-DD') } : {}),
              ...(v.action ? { action: v.action } : {}),
              ...(v.entityType ? { entityType: v.entityType } : {}),
              ...(v.entityId?.trim() ? { entityId: v.entityId.trim() } : {}),
            });
          }}
          style={{ marginBottom: 12, rowGap: 8 }}
        >
          <Form.Item name="actor" label={t('audit.actor')}>
            {/* wide enough for the hint in either language beside the clear button, at 390 px too */}
            <Input allowClear placeholder={t('audit.actorPlaceholder')} style={{ width: 190 }} />
          </Form.Item>
          <Form.Item name="days" label={t('audit.days')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} />
          </Form.Item>
          <Form.Item name="action" label={t('audit.action')}>
            {/* Not virtual: the virtual list measures and moves its rows after each typed letter,
                and a click landing during that move chose nothing (the search then went out
                unfiltered); a plain list of a few hundred rows does not move. */}
            <Select
              allowClear
              virtual={false}
              showSearch={{ optionFilterProp: 'search' }}
              style={{ width: 200 }}
              popupMatchSelectWidth={260}
              loading={actions.loading}
              options={actionOptions}
              // the name, and under it the code: one line would be wider than a 390 px screen
              optionRender={(o) => (
                <>
                  <div className="audit-option-line">{o.label}</div>{' '}
                  <div className="audit-option-line muted">{o.value}</div>
                </>
              )}
            />
          </Form.Item>
          <Form.Item name="entityType" label={t('audit.entityType')}>
            {/* 64 types: found by typing, the list as wide as the longest English name */}
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 150 }}
              popupMatchSelectWidth={240}
              options={ENTITY_CODES.map((e) => ({ value: e, label: code('entity', e) }))}
            />
          </Form.Item>
          <Form.Item name="entityId" label={t('audit.entityId')}>
            <Input allowClear style={{ width: 100 }} />
          </Form.Item>
          <Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit">
                {t('action.search')}
              </Button>
              <Button icon={<DownloadOutlined />} href={auditCsvUrl(filter, lang)} download>
                {t('audit.csv')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        <ErrorAlert error={error} onRetry={reload} />
        {error ? null : (
          <Table<AuditItem>
            rowKey="id"
            size="small"
            loading={loading}
            dataSource={data?.items ?? []}
            scroll={{ x: 900 }}
            // fixed widths, so a long reason cannot squeeze the action and the record into three lines
            tableLayout="fixed"
            // nothing under the spinner on the first load: "no entries match, try another name" stood
            // there before any search had answered
            locale={{
              emptyText: data ? (
                <EmptyState title={t('audit.empty')} hint={t('search.empty.hint')} />
              ) : (
                <span />
              ),
            }}
            // the entry in full: the reason uncut (a phone's card shows it whole already), then what changed
            expandable={{
              expandedRowRender: (a) => (
                <>
                  {a.reasonWords && !narrow ? (
                    <Typography.Paragraph className="audit-reason" style={{ marginBottom: 8 }}>
                      <Typography.Text type="secondary">{t('access.reason')}</Typography.Text>{' '}
                      {noteInLanguage(a.reasonWords, lang)}
                    </Typography.Paragraph>
                  ) : null}
                  {a.before !== null || a.after !== null ? <BeforeAfter item={a} /> : null}
                </>
              ),
              rowExpandable: (a) => a.before !== null || a.after !== null || (!!a.reason && !narrow),
            }}
            pagination={{
              current: page,
              pageSize,
              total: data?.total ?? 0,
              showTotal: (total) => t('list.total', { total }),
              onChange: (p, s) => {
                setPage(p);
                setPageSize(s);
              },
            }}
            columns={[
              {
                title: t('audit.at'),
                dataIndex: 'at',
                render: (at: string) => formatDateTime(at, lang, 'seconds'),
                // "2026年11月25日 15:33:00" on one line
                width: WIDTHS[lang].at,
              },
              {
                title: t('audit.actor'),
                key: 'actor',
                width: WIDTHS[lang].actor,
                // the name and, under it, the role in words, the login name on hover: "杨萍 supervisor"
                // read as an English tag
                render: (_: unknown, a) => (
                  <span title={a.actorUsername}>
                    {a.actorName ?? a.actorUsername}
                    <div className="muted" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {code('role', a.actorRole)}
                    </div>
                  </span>
                ),
              },
              {
                title: t('audit.action'),
                dataIndex: 'action',
                width: WIDTHS[lang].action,
                render: (a: string) => code('audit', a),
              },
              {
                title: t('audit.entity'),
                key: 'entity',
                width: 170,
                render: (_: unknown, a) => {
                  const which = a.subjectName ?? a.entityId;
                  const path = auditEntryPath(a, pageOpens);
                  return (
                    <>
                      {code('entity', a.entityType)}
                      {which ? ' ' : null}
                      {which && path ? <Link to={path}>{which}</Link> : which}
                    </>
                  );
                },
              },
              {
                title: t('audit.region'),
                dataIndex: 'region',
                width: WIDTHS[lang].region,
                onCell: () => ({ style: { whiteSpace: lang === 'zh-CN' ? 'nowrap' : 'normal' } }),
                render: (r: string | null) => (r ? regionName(r) : '—'),
              },
              {
                title: t('access.reason'),
                dataIndex: 'reasonWords',
                // two lines at most beside the others, the rest on hover and in the expanded entry; a
                // phone's card has the room for all of it. The server's own reasons in the page's language.
                render: (w: AuditItem['reasonWords']) => {
                  const r = w ? noteInLanguage(w, lang) : null;
                  return r ? (
                    <Typography.Paragraph
                      className="audit-reason"
                      ellipsis={narrow ? false : { rows: 2, tooltip: r }}
                    >
                      {r}
                    </Typography.Paragraph>
                  ) : (
                    '—'
                  );
                },
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
