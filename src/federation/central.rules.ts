// `central-adjustment-national`: the central adjustment of the enterprise employee pension fund
// (基本养老保险基金中央调剂, 国发〔2018〕18号) settled at the national exchange from every
// province's figures for one year (domain.md §9; the brief's "domain-2 §2.6" is the UI transfer recap,
// the formula is in domain.md §9):
//
//   上解额_i = 省平均工资_i × 90% × 在职应参保人数_i × 上解比例            (per province, rounded half-up)
//   全国人均拨付额 = Σ 上解额 ÷ Σ 核定离退休人数                          (down to the whole fen [D])
//   下拨额_i = 核定离退休人数_i × 全国人均拨付额
//   净额_i   = 下拨额_i − 上解额_i                                     (negative for a net payer)
//
// One figure, one formula: each province's contribution and allocation come from the ledger's
// `central-adjustment` rule (src/ledger/central-adjustment.rules.ts), called once per province; this
// rule adds the national sums and the per-capita figure. The per-capita amount is taken down to the
// whole fen so that Σ 下拨额 never exceeds Σ 上解额; the difference (less than one fen per retiree)
// stays in the central adjustment account (中央财政专户) and is shown as `residualFen` [D].
// Pure: no database or clock.
import { SbError } from '../core/errors.ts';
import { asObject, FieldReader } from '../core/input.ts';
import { dec, fen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import type { RuleDefinition } from '../core/rule.ts';
import { Trace } from '../core/trace.ts';
import { computeCentralAdjustment } from '../ledger/central-adjustment.rules.ts';

export interface ProvinceAdjustmentInput {
  province: string;
  /** the province's annual average wage (12 × the monthly figure of `contributions/average-wage`) */
  annualAverageWageFen: number;
  /** 在职应参保人数 (here: the employees insured at the end of the year) */
  insuredCount: number;
  /** 核定离退休人数 (retirees drawing an employee pension at the end of the year) */
  retireeCount: number;
}

export interface ProvinceAdjustment extends ProvinceAdjustmentInput {
  contributionFen: number;
  allocationFen: number;
  netFen: number;
}

export interface NationalAdjustment {
  year: number;
  ratePercent: number;
  raisedFen: number;
  retirees: number;
  perCapitaAllocationFen: number;
  allocatedFen: number;
  /** raised − allocated: kept in the central adjustment account (per-capita rounding) */
  residualFen: number;
  provinces: ProvinceAdjustment[];
}

const PROVINCE = /^[1-8]\d0000$/;

export function nationalCentralAdjustment(
  year: number,
  inputs: readonly ProvinceAdjustmentInput[],
  params: ParamStore,
  trace: Trace,
): NationalAdjustment {
  if (inputs.length === 0)
    throw new SbError('SB_ERR_REQUIRED', { field: 'provinces', zh: '各省数据', en: 'provinces' });
  const seen = new Set<string>();
  for (const i of inputs) {
    if (seen.has(i.province))
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'provinces',
        zh: `省份 ${i.province} 重复`,
        en: `province ${i.province} appears twice`,
      });
    seen.add(i.province);
  }
  const sorted = [...inputs].sort((a, b) => (a.province < b.province ? -1 : 1));
  // First pass: each province's contribution (the ledger rule, with no allocation yet).
  let ratePercent = 0;
  const contributions = sorted.map((i) => {
    const r = computeCentralAdjustment(
      {
        year,
        annualAverageWageFen: fen(i.annualAverageWageFen),
        insuredCount: i.insuredCount,
        retireeCount: i.retireeCount,
        perCapitaAllocationFen: fen(0),
      },
      params,
      // the parameter step once, in the national trace
      i === sorted[0] ? trace : new Trace(),
    );
    ratePercent = r.ratePercent;
    trace.add(
      `${i.province}: contribution = ${i.annualAverageWageFen} × 90% × ${i.insuredCount} × ${r.ratePercent}%`,
      r.contributionFen,
      'fen',
      `${i.province} 上解额 = 平均工资 × 90% × 在职应参保人数 × 上解比例`,
    );
    return r.contributionFen;
  });
  const raisedFen = fen(contributions.reduce((s, c) => s + c, 0));
  const retirees = sorted.reduce((s, i) => s + i.retireeCount, 0);
  trace.add('raised: sum of the contributions', raisedFen, 'fen', '调剂基金筹集总额 = Σ 上解额');
  trace.add('approved retirees nationwide', retirees, 'count', '全国核定离退休人数');
  if (retirees === 0)
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'retireeCount',
      zh: '全国核定离退休人数为零，调剂基金无法下拨',
      en: 'no approved retirees in any province: the fund cannot be allocated',
    });
  // Down to the fen [D]: the allocations never exceed what was raised (the residual is ≥ 0).
  const perCapita: Fen = fen(dec(raisedFen).div(retirees).floor().toNumber());
  trace.add(
    'national per-capita allocation = raised ÷ retirees (down to the fen)',
    perCapita,
    'fen',
    '全国人均拨付额 = 筹集总额 ÷ 全国核定离退休人数（舍去分以下）',
  );
  const provinces = sorted.map((i, k) => {
    const r = computeCentralAdjustment(
      {
        year,
        annualAverageWageFen: fen(i.annualAverageWageFen),
        insuredCount: i.insuredCount,
        retireeCount: i.retireeCount,
        perCapitaAllocationFen: perCapita,
      },
      params,
      new Trace(),
    );
    trace.add(
      `${i.province}: allocation = ${i.retireeCount} × per-capita; net = allocation − contribution`,
      r.netFen,
      'fen',
      `${i.province} 下拨额 = 离退休人数 × 全国人均拨付额；净额 = 下拨额 − 上解额`,
    );
    return {
      ...i,
      contributionFen: contributions[k] ?? r.contributionFen,
      allocationFen: r.allocationFen,
      netFen: r.netFen,
    };
  });
  const allocatedFen = fen(provinces.reduce((s, p) => s + p.allocationFen, 0));
  const residualFen = fen(raisedFen - allocatedFen);
  trace.add(
    'residual kept in the central account (rounding of the per-capita amount)',
    residualFen,
    'fen',
    '留存中央调剂基金（人均拨付额取整产生的差额）',
  );
  return {
    year,
    ratePercent,
    raisedFen,
    retirees,
    perCapitaAllocationFen: perCapita,
    allocatedFen,
    residualFen,
    provinces,
  };
}

export interface NationalAdjustmentInput {
  year: number;
  provinces: ProvinceAdjustmentInput[];
}

export const nationalCentralAdjustmentRule: RuleDefinition<NationalAdjustmentInput, NationalAdjustment> = {
  name: 'central-adjustment-national',
  title: {
    zh: '基本养老保险基金中央调剂（全国结算）',
    en: 'Central adjustment of the pension fund, settled nationally',
  },
  parse(r) {
    const year = r.int('year', { min: 1990, max: 2100 });
    const provinces = r.array('provinces').map((raw, i) => {
      const p = new FieldReader(asObject(raw, `provinces[${i}]`), `provinces[${i}]`);
      const province = p.string('province');
      if (!PROVINCE.test(province))
        throw new SbError('SB_ERR_UNKNOWN_REGION', { field: `provinces[${i}].province` });
      return {
        province,
        annualAverageWageFen: p.fen('annualAverageWageFen'),
        insuredCount: p.int('insuredCount', { min: 0, max: 2_000_000_000 }),
        retireeCount: p.int('retireeCount', { min: 0, max: 2_000_000_000 }),
      };
    });
    return { year, provinces };
  },
  compute: (input, { params, trace }) =>
    nationalCentralAdjustment(input.year, input.provinces, params, trace),
};
