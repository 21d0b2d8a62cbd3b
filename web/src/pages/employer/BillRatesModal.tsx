// 费率明细: the rates behind one bill, per insurance — the staff's base total, the employer's and the
// employees' rate in force for the bill's month (against the previous month's), the bill's own
// amounts, and where each rate comes from (document, dates, 待核实 where params/ marks it unverified).
// The server resolves the rates with the assessment's own rule (GET /api/v1/bills/{id}/rates).
// Opened from the employer's bills and from a flexible worker's (灵活就业), whose bill is the pension
// alone, paid wholly by the worker: no employer columns, and the notes that apply to that bill.
import { Alert, Modal, Tag, Tooltip, Typography } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { api, type Bill, type BillRates } from '../../api.ts';
import { ErrorAlert, useLoad } from '../../components/common.tsx';
import { Table } from '../../components/ResponsiveTable.tsx';
import { formatDate, formatMoney, formatPeriod } from '../../format.ts';
import { useI18n } from '../../i18n/index.tsx';
import type { MessageKey } from '../../i18n/zh-CN.ts';

type FundRates = BillRates['funds'][number];

const FUND_NAME: Record<FundRates['fund'], MessageKey> = {
  employee_pension: 'bills.pension',
  unemployment: 'bills.unemployment',
  injury: 'bills.injury',
};

/** A rate in parts per million as a percentage, in integers: 5000 → "0.5%", 160000 → "16%". */
function ppmPercent(ppm: number): string {
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${Math.trunc(ppm / 10_000)}${frac ? `.${frac}` : ''}%`;
}

const changed = (f: FundRates) =>
  f.previousEmployerPpm !== null &&
  (f.previousEmployerPpm !== f.employerPpm || f.previousEmployeePpm !== f.employeePpm);

const money = (fen: number) => <span className="money">{formatMoney(fen)}</span>;

/**
 * The amounts by insurance, as this modal and the bill page (缴费账单详情) both show them: the fund's
 * name, then the employer's amount, the employees' and their sum — a flexible worker's bill has the
 * worker's amount alone.
 */
export function useFundAmountColumns(flexible: boolean): {
  fund: ColumnType<FundRates>;
  amounts: ColumnType<FundRates>[];
} {
  const { t } = useI18n();
  return {
    fund: {
      title: t('billRates.fund'),
      dataIndex: 'fund',
      render: (f: FundRates['fund']) => t(FUND_NAME[f]),
    },
    amounts: flexible
      ? [{ title: t('billRates.flexibleFen'), dataIndex: 'employeeFen', align: 'right', render: money }]
      : [
          { title: t('billRates.employerFen'), dataIndex: 'employerFen', align: 'right', render: money },
          { title: t('billRates.employeeFen'), dataIndex: 'employeeFen', align: 'right', render: money },
          {
            title: t('billRates.subtotal'),
            key: 'subtotal',
            align: 'right',
            render: (_: unknown, f) => money(f.employerFen + f.employeeFen),
          },
        ],
  };
}

export function BillRatesModal({ bill, onClose }: { bill: Bill | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  const rates = useLoad(bill ? () => api.billRates(bill.id) : null, [bill?.id]);
  const r = bill && rates.data?.period === bill.period ? rates.data : undefined;
  const rate = (ppm: number, previous: number | null) => (
    <span style={{ whiteSpace: 'nowrap' }}>
      {ppmPercent(ppm)}
      {previous !== null && previous !== ppm ? (
        <Tag color="orange" style={{ marginInlineStart: 6 }}>
          {t('billRates.previous', { rate: ppmPercent(previous) })}
        </Tag>
      ) : null}
    </span>
  );
  const fundName = (f: FundRates['fund']) => t(FUND_NAME[f]);
  const flexible = r?.kind === 'flexible';
  const amountColumns = useFundAmountColumns(flexible);
  return (
    <Modal
      open={bill !== null}
      width={960}
      title={bill ? t('billRates.title', { period: formatPeriod(bill.period, lang) }) : ''}
      footer={null}
      onCancel={onClose}
    >
      <ErrorAlert error={rates.error} onRetry={rates.reload} />
      {r ? (
        <div className="bill-rates">
          {r.funds.some(changed) ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message={t('billRates.changed', { period: formatPeriod(r.previousPeriod, lang) })}
              description={r.funds.filter(changed).map((f) => (
                <div key={f.fund}>
                  {flexible
                    ? t('billRates.changedFundFlexible', {
                        fund: fundName(f.fund),
                        from: ppmPercent(f.previousEmployeePpm ?? 0),
                        to: ppmPercent(f.employeePpm),
                      })
                    : t('billRates.changedFund', {
                        fund: fundName(f.fund),
                        from: ppmPercent(f.previousEmployerPpm ?? 0),
                        to: ppmPercent(f.employerPpm),
                        fromEe: ppmPercent(f.previousEmployeePpm ?? 0),
                        toEe: ppmPercent(f.employeePpm),
                      })}
                </div>
              ))}
            />
          ) : null}
          {r.funds
            .filter((f) => !f.reproduced)
            .map((f) => (
              <Alert
                key={f.fund}
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                message={t('billRates.notReproduced', { fund: fundName(f.fund) })}
              />
            ))}
          <Table<FundRates>
            rowKey="fund"
            size="small"
            pagination={false}
            dataSource={r.funds}
            columns={
              flexible
                ? [
                    amountColumns.fund,
                    {
                      title: t('billRates.flexibleBase'),
                      dataIndex: 'baseFen',
                      align: 'right',
                      render: money,
                    },
                    {
                      title: t('billRates.flexibleRate'),
                      key: 'rate',
                      align: 'right',
                      render: (_: unknown, f) => rate(f.employeePpm, f.previousEmployeePpm),
                    },
                    ...amountColumns.amounts,
                  ]
                : [
                    amountColumns.fund,
                    { title: t('billRates.base'), dataIndex: 'baseFen', align: 'right', render: money },
                    {
                      title: t('billRates.employerRate'),
                      key: 'employerRate',
                      align: 'right',
                      render: (_: unknown, f) => rate(f.employerPpm, f.previousEmployerPpm),
                    },
                    {
                      title: t('billRates.employeeRate'),
                      key: 'employeeRate',
                      align: 'right',
                      render: (_: unknown, f) => rate(f.employeePpm, f.previousEmployeePpm),
                    },
                    ...amountColumns.amounts,
                  ]
            }
          />
          <p style={{ marginTop: 12 }}>
            <strong>
              {t(flexible ? 'billRates.flexibleTotal' : 'billRates.total', {
                amount: formatMoney(r.totalFen),
              })}
            </strong>
          </p>
          <Typography.Title level={5}>{t('billRates.sources')}</Typography.Title>
          {r.funds.map((f) => (
            <div key={f.fund} className="bill-rate-sources">
              <strong>{fundName(f.fund)}</strong>
              <ul style={{ paddingInlineStart: 20, marginTop: 4 }}>
                {f.sources.map((s) => (
                  <li key={s.parameters.join()}>
                    {lang === 'zh-CN' ? s.referenceZh : s.reference}{' '}
                    <span className="muted" style={{ whiteSpace: 'nowrap' }}>
                      {s.ended
                        ? t('billRates.endedFrom', { from: formatDate(s.effectiveFrom, lang) })
                        : s.effectiveUntil
                          ? t('billRates.fromUntil', {
                              from: formatDate(s.effectiveFrom, lang),
                              until: formatDate(s.effectiveUntil, lang),
                            })
                          : t('billRates.from', { from: formatDate(s.effectiveFrom, lang) })}
                    </span>
                    {s.uncertain ? (
                      <Tooltip title={t('billRates.uncertainHint')}>
                        <Tag color="red" style={{ marginInlineStart: 6 }}>
                          {t('billRates.uncertain')}
                        </Tag>
                      </Tooltip>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <ul className="muted" style={{ paddingInlineStart: 20 }}>
            {r.industryClass !== null ? (
              <li>{t('billRates.injuryClass', { class: r.industryClass })}</li>
            ) : null}
            {flexible ? (
              <li>{t('billRates.flexibleOnly')}</li>
            ) : (
              <>
                <li>{t('billRates.rounding')}</li>
                <li>{t('billRates.noMedical')}</li>
              </>
            )}
          </ul>
        </div>
      ) : null}
    </Modal>
  );
}
