// Cross-province transfer rules (domain-2.md §1.2, §1.4, §2.6; calc-contract.md): the funds that move
// with a pension relation (国办发〔2009〕66号 Art. 4), the place of payment (Art. 6) and the funds that
// move with an unemployment relation. Pure: no database, clock or network.
import { SbError } from '../core/errors.ts';
import { asObject, FieldReader } from '../core/input.ts';
import { applyPercent, fen, type Fen } from '../core/money.ts';
import type { RuleDefinition } from '../core/rule.ts';
import type { Trace } from '../core/trace.ts';
import { schemeBridgingRule } from './scheme-bridging.rules.ts';
import { temporaryAccountRule } from './temporary-account.rules.ts';

const REF_66 = {
  referenceZh:
    '《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号）第四条；人社部发〔2009〕187号',
  reference:
    'Interim Measures on Transferring Basic Pension Insurance (Guobanfa [2009] No. 66), art. 4; Renshebufa [2009] No. 187',
};
/** Months before this carry no pooled part (the unified account system starts 1998-01). */
const POOLED_FROM = '1998-01';

export interface PaidSegment {
  from: string;
  to: string;
  monthlyBaseFen: number;
  /** The average wage the old place assessed these months against (their index is base ÷ wage); the
   * new place books it with the lines so the award's contribution index counts them. */
  averageWageFen?: number;
  /** The province where these months were paid, when the sender names it: its own, or one whose
   * months it had credited and carries on (A → B → C). The new place books the segment under it. */
  province?: string;
}

export type TransferAccountType = 'regular' | 'temporary' | 'flexible';

export interface PensionTransferInput {
  segments: PaidSegment[];
  accountFen?: number;
  accountType: TransferAccountType;
  employerRatePercent?: number;
}

export interface PensionTransferFunds {
  months: number;
  pooledRatePercent: number;
  pooledByYear: Record<string, number>;
  pooledFen: number;
  totalFen?: number;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
const monthIndex = (p: string): number => Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1;

/** The pooled rate of a transfer: 12%; a temporary account at its employer rate when above 12% (187号). */
export function pooledRatePercent(type: TransferAccountType, employerRatePercent?: number): number {
  return type === 'temporary' && employerRatePercent !== undefined && employerRatePercent > 12
    ? employerRatePercent
    : 12;
}

export function pensionTransferFunds(input: PensionTransferInput, trace?: Trace): PensionTransferFunds {
  const rate = pooledRatePercent(input.accountType, input.employerRatePercent);
  trace?.push({
    step: `pooled rate (${input.accountType})`,
    stepZh: `统筹基金转移比例（${input.accountType === 'regular' ? '一般账户' : input.accountType === 'temporary' ? '临时账户' : '个人身份参保'}）`,
    value: rate,
    unit: 'percent',
    ...REF_66,
  });
  // Each paid month once (two segments naming the same month add their bases: two employers). Counted
  // a year and a span at a time, not a month at a time: the work grows with the years asked, not the months.
  const baseByYear = new Map<string, number>();
  const start = monthIndex(POOLED_FROM);
  const spans: Array<[number, number]> = [];
  for (const s of input.segments) {
    const from = Math.max(monthIndex(s.from), start);
    const to = monthIndex(s.to);
    if (from > to) continue;
    spans.push([from, to]);
    for (let y = Math.floor(from / 12); y <= Math.floor(to / 12); y++) {
      const months = Math.min(to, y * 12 + 11) - Math.max(from, y * 12) + 1;
      baseByYear.set(String(y), (baseByYear.get(String(y)) ?? 0) + months * s.monthlyBaseFen);
    }
  }
  let paidMonths = 0;
  let end = -1;
  for (const [from, to] of spans.sort((a, b) => a[0] - b[0]))
    if (to > end) {
      paidMonths += to - Math.max(from, end + 1) + 1;
      end = to;
    }
  const pooledByYear: Record<string, number> = {};
  let pooled = 0;
  for (const y of [...baseByYear.keys()].sort()) {
    const base = baseByYear.get(y) ?? 0;
    const part = applyPercent(base, rate);
    pooledByYear[y] = part;
    pooled += part;
    trace?.add(
      `${y}: ${rate}% × ${base} fen of bases`,
      part,
      'fen',
      `${y}年：缴费基数合计 ${base} 分 × ${rate}%`,
    );
  }
  trace?.add('months paid from 1998-01', paidMonths, 'months', '1998年1月起实际缴费月数');
  trace?.add('pooled part (sum of the rounded years)', pooled, 'fen', '统筹基金转移额（各年四舍五入后相加）');
  const out: PensionTransferFunds = {
    months: paidMonths,
    pooledRatePercent: rate,
    pooledByYear,
    pooledFen: fen(pooled),
  };
  if (input.accountFen !== undefined) {
    out.totalFen = fen(pooled + input.accountFen);
    trace?.add('personal account (passed through)', input.accountFen, 'fen', '个人账户储存额');
    trace?.add('total transferred', out.totalFen, 'fen', '转移资金合计');
  }
  return out;
}

/**
 * A calculation anyone may ask for (POST /api/v1/calc/pension-transfer-funds is public) does work in
 * proportion to its segments and their years: both are bounded, so one request cannot hold the server.
 */
const MAX_SEGMENTS = 600;
const LAST_PERIOD = '2100-12';

function readSegments(r: FieldReader): PaidSegment[] {
  return r.array('segments', { max: MAX_SEGMENTS }).map((raw, i) => {
    const s = new FieldReader(asObject(raw, `segments[${i}]`), `segments[${i}]`);
    const from = s.string('from');
    const to = s.string('to');
    for (const [k, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      // the field only: what was sent is not repeated back
      if (!PERIOD.test(v)) throw new SbError('SB_ERR_INVALID_PERIOD', { field: `segments[${i}].${k}` });
      if (v > LAST_PERIOD)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: `segments[${i}].${k}`,
          zh: `缴费月份不晚于 ${LAST_PERIOD}`,
          en: `a month paid is not after ${LAST_PERIOD}`,
        });
    }
    if (to < from)
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: `segments[${i}].to`,
        zh: '结束月份早于开始月份',
        en: 'to is before from',
      });
    return { from, to, monthlyBaseFen: s.fen('monthlyBaseFen') };
  });
}

export const pensionTransferFundsRule: RuleDefinition<PensionTransferInput, PensionTransferFunds> = {
  name: 'pension-transfer-funds',
  title: { zh: '养老保险关系转移资金', en: 'Funds moving with a pension relation' },
  parse(r) {
    const type = r.has('accountType') ? r.string('accountType') : 'regular';
    if (type !== 'regular' && type !== 'temporary' && type !== 'flexible')
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'accountType',
        zh: 'regular、temporary 或 flexible',
        en: 'regular, temporary or flexible',
      });
    const input: PensionTransferInput = { segments: readSegments(r), accountType: type };
    if (r.has('accountFen')) input.accountFen = r.fen('accountFen');
    if (r.has('employerRatePercent'))
      input.employerRatePercent = r.int('employerRatePercent', { min: 0, max: 100 });
    return input;
  },
  compute: (input, ctx) => pensionTransferFunds(input, ctx.trace),
};

// ---- place of payment (66号 Art. 6) ----

export interface PlaceSegment {
  province: string;
  months: number;
  temporary?: boolean;
}

export interface PaymentPlace {
  place: string;
  /** 1–4: which paragraph of 66号 Art. 6 decided it */
  rule: 1 | 2 | 3 | 4;
  reason: string;
  collectTemporary: string[];
}

/**
 * The segments the national index holds of a person, as the place of payment reads them: the
 * provinces in the order of their last month, the one holding the relation last; none without months.
 */
export function indexSegments(
  rows: readonly { province: string; months: number; relationHeld: boolean }[],
): PlaceSegment[] {
  return [...rows.filter((r) => !r.relationHeld), ...rows.filter((r) => r.relationHeld)]
    .filter((r) => r.months > 0)
    .map((r) => ({ province: r.province.trim(), months: r.months }));
}

const TEN_YEARS = 120;

export function pensionPaymentPlace(hukou: string, segments: PlaceSegment[], trace?: Trace): PaymentPlace {
  const regular = segments.filter((s) => s.temporary !== true);
  const monthsAt = new Map<string, number>();
  for (const s of regular) monthsAt.set(s.province, (monthsAt.get(s.province) ?? 0) + s.months);
  const collectTemporary = [...new Set(segments.filter((s) => s.temporary === true).map((s) => s.province))];
  const current = regular.at(-1)?.province;
  trace?.add('current relation', current ?? null, 'text', '基本养老保险关系所在地');
  for (const [p, m] of monthsAt) trace?.add(`months at ${p}`, m, 'months', `${p} 累计缴费月数（含视同）`);
  const decide = (place: string, rule: PaymentPlace['rule'], reason: string): PaymentPlace => {
    trace?.push({
      step: `place of payment (Art. 6(${rule}))`,
      value: place,
      unit: 'text',
      reference: 'Interim Measures on Transferring Basic Pension Insurance (Guobanfa [2009] No. 66), art. 6',
      referenceZh: '《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号）第六条',
    });
    return { place, rule, reason, collectTemporary: collectTemporary.filter((p) => p !== place) };
  };
  if (current === undefined) return decide(hukou, 4, 'only temporary accounts → hukou');
  if (current === hukou) return decide(hukou, 1, 'relation at hukou');
  if ((monthsAt.get(current) ?? 0) >= TEN_YEARS) return decide(current, 2, 'current ≥120');
  for (let i = regular.length - 1; i >= 0; i--) {
    const p = regular[i]?.province;
    if (p !== undefined && p !== current && (monthsAt.get(p) ?? 0) >= TEN_YEARS)
      return decide(p, 3, 'previous place ≥120');
  }
  return decide(hukou, 4, 'none ≥120 → hukou');
}

const PROVINCE = /^\d{2}0000$/;

export const pensionPaymentPlaceRule: RuleDefinition<
  { hukou: string; segments: PlaceSegment[] },
  PaymentPlace
> = {
  name: 'pension-payment-place',
  title: { zh: '养老保险待遇领取地', en: 'Place of pension payment' },
  parse(r) {
    const hukou = r.string('hukou');
    if (!PROVINCE.test(hukou)) throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'hukou' });
    const segments = r.array('segments').map((raw, i) => {
      const s = new FieldReader(asObject(raw, `segments[${i}]`), `segments[${i}]`);
      const province = s.string('province');
      if (!PROVINCE.test(province))
        throw new SbError('SB_ERR_UNKNOWN_REGION', { field: `segments[${i}].province` });
      const seg: PlaceSegment = { province, months: s.months('months') };
      if (s.has('temporary')) seg.temporary = s.boolean('temporary');
      return seg;
    });
    return { hukou, segments };
  },
  compute: (input, ctx) => pensionPaymentPlace(input.hukou, input.segments, ctx.trace),
};

// ---- unemployment transfer funds (domain-2.md §2.6) ----

export interface UnemploymentTransferFunds {
  /** the relation always moves; funds only after a year paid at the place left */
  relationMoves: true;
  /** contribution months the new place counts: those at the place left plus any carried there */
  carriedContribMonths: number;
  fundsMove: boolean;
  benefitFen: number;
  subsidiesFen: number;
  fundsFen: number;
}

export function unemploymentTransferFunds(
  input: {
    outPlaceContribMonths: number;
    remainingMonths: number;
    outMonthlyFen: Fen | number;
    earlierMonths?: number;
  },
  trace?: Trace,
): UnemploymentTransferFunds {
  const fundsMove = input.outPlaceContribMonths >= 12;
  const carriedContribMonths = input.outPlaceContribMonths + (input.earlierMonths ?? 0);
  trace?.add(
    'contribution months carried to the new place',
    carriedContribMonths,
    'months',
    '转入地累计计算的缴费月数',
  );
  trace?.add(
    'months contributed at the place left (≥12 moves funds)',
    input.outPlaceContribMonths,
    'months',
    '转出地缴费月数（满12个月转移资金）',
  );
  const benefitFen = fen(input.remainingMonths * input.outMonthlyFen);
  const subsidiesFen = applyPercent(benefitFen, 50);
  trace?.add(
    'unpaid benefit: remaining months × monthly benefit',
    benefitFen,
    'fen',
    '未领失业保险金：剩余月数 × 月标准',
  );
  trace?.push({
    step: 'medical, training and placement subsidies: 50% of the unpaid benefit',
    stepZh: '医疗补助金和职业培训、职业介绍补贴：失业保险金的50%',
    value: subsidiesFen,
    unit: 'fen',
    reference:
      'Chongqing Regulations on Unemployment Insurance, art. 29; Zhengzhou Regulations on Unemployment Insurance, art. 32',
    referenceZh: '《重庆市失业保险条例》第二十九条；《郑州市失业保险条例》第三十二条',
  });
  const fundsFen = fundsMove ? fen(benefitFen + subsidiesFen) : 0;
  trace?.add('funds moved', fundsFen, 'fen', '转移资金');
  return { relationMoves: true, carriedContribMonths, fundsMove, benefitFen, subsidiesFen, fundsFen };
}

export const unemploymentTransferFundsRule: RuleDefinition<
  { outPlaceContribMonths: number; remainingMonths: number; outMonthlyFen: Fen; earlierMonths?: number },
  UnemploymentTransferFunds
> = {
  name: 'unemployment-transfer-funds',
  title: { zh: '失业保险关系转移资金', en: 'Funds moving with an unemployment relation' },
  parse: (r) => ({
    outPlaceContribMonths: r.months('outPlaceContribMonths'),
    remainingMonths: r.has('remainingMonths') ? r.months('remainingMonths', { max: 24 }) : 0,
    outMonthlyFen: r.has('outMonthlyFen') ? r.fen('outMonthlyFen') : fen(0),
    ...(r.has('earlierMonths') ? { earlierMonths: r.months('earlierMonths') } : {}),
  }),
  compute: (input, ctx) => unemploymentTransferFunds(input, ctx.trace),
};

export const federationRules: Array<RuleDefinition<never, object>> = [
  pensionTransferFundsRule,
  pensionPaymentPlaceRule,
  unemploymentTransferFundsRule,
  temporaryAccountRule,
  schemeBridgingRule,
] as Array<RuleDefinition<never, object>>;

// ---- time limits (66号 Art. 8: 15 working days a step) ----

// Working days: addWorkingDays in core/working-days.ts, with the holiday calendar.

/** Each step of a pension transfer and its limit in working days from the step before. */
export const TRANSFER_STEP_LIMITS = {
  applied: 0,
  located: 0,
  'letter-sent': 15,
  'funds-sent': 15,
  credited: 15,
  completed: 0,
} as const;

/**
 * Each step of an unemployment relation transfer: the place left acts within 5 working days of the
 * letter (domain-2.md §2.6; the funds are paid in the following month's run).
 */
export const UI_TRANSFER_STEP_LIMITS = {
  applied: 0,
  located: 0,
  'letter-sent': 0,
  'funds-sent': 5,
  credited: 0,
  completed: 0,
} as const;

/** Compresses paid months (`YYYY-MM` → base and the average wage it was assessed against, one entry a
 * month) into runs of one base and one wage. */
export function toSegments(
  months: ReadonlyArray<{ period: string; baseFen: number; averageWageFen?: number }>,
): PaidSegment[] {
  const out: PaidSegment[] = [];
  const sorted = [...months].sort((a, b) => (a.period < b.period ? -1 : 1));
  for (const m of sorted) {
    const last = out.at(-1);
    if (
      last &&
      last.monthlyBaseFen === m.baseFen &&
      last.averageWageFen === m.averageWageFen &&
      monthIndex(m.period) === monthIndex(last.to) + 1
    )
      last.to = m.period;
    else
      out.push({
        from: m.period,
        to: m.period,
        monthlyBaseFen: m.baseFen,
        ...(m.averageWageFen === undefined ? {} : { averageWageFen: m.averageWageFen }),
      });
  }
  return out;
}
