// `central-adjustment`: a province's yearly position in the central adjustment of the enterprise
// pension fund (国发〔2018〕18号, 2018–2021): 上解额, 下拨额 and the net (what the province receives).
import type { RuleDefinition } from '../core/rule.ts';
import { SbError } from '../core/errors.ts';
import type { FieldReader } from '../core/input.ts';
import { dec, fen, roundFen, type Fen } from '../core/money.ts';
import { NATIONAL, paramSource, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';

export interface CentralAdjustmentInput {
  year: number;
  /** The province's annual average wage (weighted urban non-private and private). */
  annualAverageWageFen: Fen;
  /** 在职应参保人数, used as given. */
  insuredCount: number;
  /** Approved retirees in the province. */
  retireeCount: number;
  /** The national per-capita allocation for the year. */
  perCapitaAllocationFen: Fen;
}

export interface CentralAdjustmentResult {
  ratePercent: number;
  contributionFen: Fen;
  allocationFen: Fen;
  netFen: Fen;
}

const PARAM = 'ledger/central-adjustment';

function tableField(o: unknown, key: string): number {
  const v = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  if (typeof v !== 'number')
    throw new SbError('SB_ERR_INVALID_PARAMETER_FILE', {
      zh: `${PARAM}: ${key}`,
      en: `${PARAM}: ${key} must be a number`,
    });
  return v;
}

/** An annual amount at the year's ratio, without proration (2018 included). */
export function computeCentralAdjustment(
  input: CentralAdjustmentInput,
  params: ParamStore,
  trace: Trace,
): CentralAdjustmentResult {
  const r = params.tryResolve<unknown>(PARAM, NATIONAL, `${input.year}-12-31`);
  if (!r || r.value === null) {
    throw new SbError('SB_ERR_RULE_NOT_IN_FORCE', {
      field: 'year',
      zh: `${input.year}年不在中央调剂制度实施期间（2018–2021）`,
      en: `${input.year} is outside the central adjustment (2018–2021)`,
    });
  }
  trace.push({
    step: PARAM,
    stepZh: `${input.year}年中央调剂比例与工资口径`,
    value: r.value,
    unit: 'table',
    ...paramSource(r),
  });
  const table = r.value;
  const ratePercent = tableField(table, 'ratioPercent');
  const wageShare = tableField(table, 'wageSharePercent');
  const contribution = roundFen(
    dec(input.annualAverageWageFen).mul(wageShare).mul(input.insuredCount).mul(ratePercent).div(10000),
  );
  trace.add(
    `contribution = average wage × ${wageShare}% × ${input.insuredCount} insured × ${ratePercent}%`,
    contribution,
    'fen',
    `上解额 = 平均工资 × ${wageShare}% × 在职应参保人数 × 上解比例 ${ratePercent}%`,
  );
  const allocation = roundFen(dec(input.perCapitaAllocationFen).mul(input.retireeCount));
  trace.add(
    `allocation = ${input.retireeCount} retirees × per-capita allocation`,
    allocation,
    'fen',
    '下拨额 = 核定离退休人数 × 全国人均拨付额',
  );
  const net = fen(allocation - contribution);
  trace.add(
    'net = allocation − contribution (negative for a net payer)',
    net,
    'fen',
    '净额 = 下拨额 − 上解额（负数为净上解）',
  );
  return { ratePercent, contributionFen: contribution, allocationFen: allocation, netFen: net };
}

export function parseCentralAdjustment(r: FieldReader): CentralAdjustmentInput {
  return {
    year: r.int('year', { min: 1990, max: 2100 }),
    annualAverageWageFen: r.fen('annualAverageWageFen'),
    insuredCount: r.int('insuredCount', { min: 0, max: 2_000_000_000 }),
    retireeCount: r.int('retireeCount', { min: 0, max: 2_000_000_000 }),
    perCapitaAllocationFen: r.fen('perCapitaAllocationFen'),
  };
}

export const centralAdjustmentRule: RuleDefinition<CentralAdjustmentInput, CentralAdjustmentResult> = {
  name: 'central-adjustment',
  title: { zh: '企业职工基本养老保险基金中央调剂', en: 'Central adjustment of the enterprise pension fund' },
  parse: parseCentralAdjustment,
  compute: (input, { params, trace }) => computeCentralAdjustment(input, params, trace),
};
