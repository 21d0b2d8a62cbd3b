// 缴费申报: the month's wages of the current staff as a form, or a CSV file (template from the
// server); a refused declaration lists every bad line (line, field, reason) and writes nothing.
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Row, Space, Tag, Typography } from 'antd';
import { DatePicker } from '../../components/DatePicker.tsx';
import dayjs from 'dayjs';
import { Table } from '../../components/ResponsiveTable.tsx';
import { useEffect, useState } from 'react';
import { api, ApiError, type DeclarationMonth, type DeclareAnswer, type StaffItem } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { EmptyState, ErrorAlert, PageTitle, useLoad } from '../../components/common.tsx';
import { LineErrorTable } from '../../components/LineErrorTable.tsx';
import { MoneyInput } from '../../components/MoneyInput.tsx';
import { fenToYuan, formatDate, formatMoney, formatPeriod, todayIso, yuanToFen } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import { paymentApi } from '../../api-payment.ts';
import { CsvFileButton } from '../../components/CsvFileButton.tsx';
import { formatYuan } from '../../../../src/core/money-text.ts';

/** The month before today: the one usually declared. */
function lastMonth(): string {
  const [y, m] = todayIso().split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * Without the region's figures: below 1,000 yuan a monthly wage in fen is almost surely yuan typed
 * into the fen column. With them (GET /api/v1/contributions/base-limits, from params/), a wage looks
 * like yuan when it is under the region's minimum contribution base and a hundred times it is not.
 */
const FALLBACK_FLOOR_FEN = 100_000;

export function looksLikeYuan(fen: number, floorFen: number | null): boolean {
  const floor = floorFen ?? FALLBACK_FLOOR_FEN;
  return fen > 0 && fen < floor && (floorFen === null || fen * 100 >= floor);
}

/**
 * The other way round, in a file in yuan: a wage above the region's maximum contribution base whose
 * hundredth lies between the minimum and the maximum is almost surely fen typed into the yuan column
 * (650000 for 6,500.00 yuan); a high wage read as fen would fall under the minimum. Without the
 * region's figures, above 100,000 yuan a month.
 */
const FALLBACK_CEILING_FEN = 10_000_000;

export function looksLikeFen(fen: number, limits: { floorFen: number; ceilingFen: number } | null): boolean {
  const floor = limits?.floorFen ?? FALLBACK_FLOOR_FEN;
  const ceiling = limits?.ceilingFen ?? FALLBACK_CEILING_FEN;
  return fen > ceiling && fen / 100 >= floor && fen / 100 <= ceiling;
}

/** A wage column and the unit its header names (docs/contribution-csv.md). */
const WAGE_COLUMNS = new Map<string, 'fen' | 'yuan'>([
  ['wage_fen', 'fen'],
  ['月工资（分）', 'fen'],
  ['wage_yuan', 'yuan'],
  ['月工资（元）', 'yuan'],
]);

/**
 * Lines whose wage looks written in the other unit than the header names: in a file in fen
 * (wage_fen / 月工资（分）), yuan typed as fen; in a file in yuan (the template's wage_yuan), fen typed as
 * yuan. Each with its line number and the whole number written.
 */
export function suspiciousWages(
  csv: string,
  limits: { floorFen: number; ceilingFen: number } | null = null,
): { unit: 'fen' | 'yuan'; lines: Array<{ line: number; written: number }> } {
  const rows = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (rows[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = header.findIndex((h) => WAGE_COLUMNS.has(h));
  const unit = WAGE_COLUMNS.get(header[col] ?? '') ?? 'yuan';
  const lines: Array<{ line: number; written: number }> = [];
  if (col < 0) return { unit, lines };
  rows.slice(1).forEach((r, i) => {
    const cell = r.split(',')[col]?.trim() ?? '';
    if (!/^\d+$/.test(cell)) return;
    const written = Number(cell);
    const odd =
      unit === 'fen' ? looksLikeYuan(written, limits?.floorFen ?? null) : looksLikeFen(written * 100, limits);
    if (odd) lines.push({ line: i + 2, written });
  });
  return { unit, lines };
}

function Outcome({ answer, error }: { answer: DeclareAnswer | null; error: unknown }) {
  const { t, lang } = useI18n();
  if (answer)
    return (
      <Alert
        type="success"
        showIcon
        role="status"
        style={{ marginTop: 16 }}
        title={answer.duplicateUpload ? t('declare.duplicate') : t('declare.ok')}
        description={
          <>
            {t('declare.counts', {
              inserted: answer.inserted,
              replaced: answer.replaced,
              unchanged: answer.unchanged,
            })}
            {answer.changes && answer.changes.length > 0 ? (
              <ul className="declare-changes" aria-label={t('declare.changes')}>
                {answer.changes.map((c) => (
                  <li key={`${c.personId}-${c.period}`}>
                    {t('declare.change', {
                      name: c.name,
                      month: formatPeriod(c.period, lang),
                      before: formatMoney(c.beforeFen),
                      after: formatMoney(c.afterFen),
                    })}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        }
      />
    );
  return error ? (
    <div style={{ marginTop: 16 }}>
      <ErrorAlert error={error} />
    </div>
  ) : null;
}

function History({ employerId, refresh }: { employerId: number; refresh: number }) {
  const { t, lang } = useI18n();
  const h = useLoad(() => api.declarationHistory(employerId), [employerId, refresh]);
  return (
    <Card title={t('declare.history')} style={{ marginTop: 16 }}>
      <ErrorAlert error={h.error} onRetry={h.reload} />
      <Table<DeclarationMonth>
        size="small"
        rowKey="period"
        loading={h.loading}
        dataSource={h.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <EmptyState title={t('declare.history.empty')} /> }}
        columns={[
          // The months and days unbroken (in the narrow card 2026年12月 broke as 2026年12 / 月), and
          // whether the month is billed under it rather than in a column of its own, which the card
          // has no room for.
          {
            title: t('declare.period'),
            dataIndex: 'period',
            onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
            render: (p: string, d) => (
              <>
                <div>{formatPeriod(p, lang)}</div>
                {d.billed ? (
                  <Tag color="blue">{t('declare.billed.yes')}</Tag>
                ) : (
                  <Tag>{t('declare.billed.no')}</Tag>
                )}
              </>
            ),
          },
          { title: t('declare.persons'), dataIndex: 'persons', align: 'right' },
          {
            title: t('declare.wageTotal'),
            dataIndex: 'wageTotalFen',
            align: 'right',
            render: (f: number) => <span className="money">{formatMoney(f)}</span>,
          },
          {
            title: t('declare.declaredAt'),
            dataIndex: 'declaredAt',
            onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
            render: (d: string) => formatDate(d, lang),
          },
        ]}
      />
    </Card>
  );
}

export function DeclarationsPage() {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const employerId = useAuth().user?.employerId ?? null;
  const [refresh, setRefresh] = useState(0);
  const staff = useLoad(employerId ? () => api.staff(employerId, { pageSize: 200 }) : null, [employerId]);
  const [period, setPeriod] = useState(lastMonth);
  const [wages, setWages] = useState<Record<number, string>>({});
  const [formBusy, setFormBusy] = useState(false);
  const [formAnswer, setFormAnswer] = useState<DeclareAnswer | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [csvBusy, setCsvBusy] = useState(false);
  const [csvAnswer, setCsvAnswer] = useState<DeclareAnswer | null>(null);
  const [csvError, setCsvError] = useState<unknown>(null);

  const items = staff.data?.items ?? [];
  useEffect(() => {
    const w: Record<number, string> = {};
    for (const s of staff.data?.items ?? [])
      w[s.personId] = s.monthlyWageFen === null ? '' : fenToYuan(s.monthlyWageFen);
    setWages(w);
  }, [staff.data]);

  if (!employerId) return <EmptyState title={t('employer.noEmployer')} />;
  const periodOk = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const badWage = (s: StaffItem) => yuanToFen(wages[s.personId] ?? '') === null;
  const lineErrors = formError instanceof ApiError ? formError.lines : [];
  const csvLines = csvError instanceof ApiError ? csvError.lines : [];

  async function submitForm(id: number) {
    setFormBusy(true);
    setFormAnswer(null);
    setFormError(null);
    try {
      setFormAnswer(
        await api.declare(
          id,
          items.map((s) => ({
            personId: s.personId,
            name: s.name,
            period,
            wageFen: yuanToFen(wages[s.personId] ?? '') ?? 0,
          })),
        ),
      );
      setRefresh((n) => n + 1);
    } catch (e) {
      setFormError(e);
    } finally {
      setFormBusy(false);
    }
  }

  async function upload(id: number) {
    if (!file) return;
    // The region's bases for the month (params/); without them, the fixed fallbacks.
    const limits = await paymentApi.baseLimits(period).then(
      (l) => l,
      () => null,
    );
    const odd = suspiciousWages(file.text, limits);
    if (odd.lines.length > 0) {
      // 7000 in a fen file, or 650000 in a yuan file: ask before declaring it.
      const key = odd.unit === 'fen' ? 'declare.yuanAsFen' : 'declare.fenAsYuan';
      const sure = await modal.confirm({
        title: t(`${key}.title`),
        content: (
          <ul>
            {odd.lines.slice(0, 5).map((o) => (
              <li key={o.line}>
                {odd.unit === 'fen'
                  ? t('declare.yuanAsFen.line', {
                      line: o.line,
                      fen: o.written,
                      yuan: formatMoney(o.written),
                      meantFen: o.written * 100,
                    })
                  : t('declare.fenAsYuan.line', {
                      line: o.line,
                      yuan: o.written,
                      amount: formatMoney(o.written * 100),
                      meantYuan: formatYuan(o.written, false),
                    })}
              </li>
            ))}
            {odd.lines.length > 5 ? (
              <li>{t('declare.yuanAsFen.more', { n: odd.lines.length - 5 })}</li>
            ) : null}
          </ul>
        ),
        okText: t('declare.yuanAsFen.ok'),
        cancelText: t('declare.yuanAsFen.cancel'),
      });
      if (!sure) return;
    }
    setCsvBusy(true);
    setCsvAnswer(null);
    setCsvError(null);
    try {
      setCsvAnswer(await api.declareCsv(id, file.text, file.name));
      setRefresh((n) => n + 1);
    } catch (e) {
      setCsvError(e);
    } finally {
      setCsvBusy(false);
    }
  }

  return (
    <>
      <PageTitle>{t('page.employer.declarations')}</PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('declare.form')}>
            <Space wrap style={{ marginBottom: 12 }}>
              <label htmlFor="declare-period">{t('declare.period')}</label>
              <DatePicker
                id="declare-period"
                picker="month"
                allowClear={false}
                value={periodOk ? dayjs(`${period}-01`) : null}
                onChange={(d) => d && setPeriod(d.format('YYYY-MM'))}
                upToToday
                style={{ width: 130 }}
              />
            </Space>
            <ErrorAlert error={staff.error} onRetry={staff.reload} />
            <Table<StaffItem>
              size="small"
              rowKey="personId"
              loading={staff.loading}
              dataSource={items}
              pagination={false}
              scroll={{ x: 480, y: 420 }}
              locale={{ emptyText: <EmptyState title={t('staff.empty')} hint={t('staff.empty.hint')} /> }}
              columns={[
                { title: t('person.name'), dataIndex: 'name' },
                { title: t('person.idNumber'), dataIndex: 'idNumber', className: 'money' },
                {
                  title: t('declare.wage'),
                  key: 'wage',
                  width: 160,
                  render: (_: unknown, s) => (
                    <MoneyInput
                      aria-label={t('declare.wageOf', { name: s.name })}
                      value={wages[s.personId] ?? ''}
                      explain
                      status={badWage(s) ? 'error' : ''}
                      onChange={(text) => setWages((w) => ({ ...w, [s.personId]: text }))}
                    />
                  ),
                },
              ]}
            />
            <Button
              type="primary"
              style={{ marginTop: 12 }}
              loading={formBusy}
              disabled={!periodOk || items.length === 0 || items.some(badWage)}
              onClick={() => void submitForm(employerId)}
            >
              {t('declare.submit', { n: items.length })}
            </Button>
            <Outcome answer={formAnswer} error={formError} />
            <LineErrorTable lines={lineErrors} label={(line) => items[line - 1]?.name ?? ''} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('declare.csv')}>
            <p>{t('declare.csv.hint')}</p>
            <Space wrap>
              <Button icon={<DownloadOutlined />} href="/api/v1/contributions/declarations/template.csv">
                {t('declare.template')}
              </Button>
              <CsvFileButton
                onFile={(f) => {
                  setCsvAnswer(null);
                  setCsvError(null);
                  setFile(f);
                }}
              />
            </Space>
            {file ? (
              <div style={{ marginTop: 12 }}>
                <Typography.Text>{t('declare.chosen', { name: file.name })}</Typography.Text>
                <div>
                  <Button
                    type="primary"
                    style={{ marginTop: 8 }}
                    loading={csvBusy}
                    onClick={() => void upload(employerId)}
                  >
                    {t('declare.upload')}
                  </Button>
                </div>
              </div>
            ) : null}
            <Outcome answer={csvAnswer} error={csvError} />
            <LineErrorTable lines={csvLines} />
          </Card>
          <History employerId={employerId} refresh={refresh} />
        </Col>
      </Row>
    </>
  );
}
