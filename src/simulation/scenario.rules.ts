// The scenario a caller asks for, checked: every field within its bounds (SB_ERR_OUT_OF_RANGE naming
// the field otherwise). Pure; the simulator's use cases are in simulation.service.ts.
import { SbError } from '../core/errors.ts';
import type { Scenario } from './scenario-params.rules.ts';
import type { ScenarioBody } from './simulation.schema.ts';
import type { Words } from '../core/bilingual.ts';

interface Bound extends Words {
  min: number;
  max: number;
}

const BOUNDS: Record<string, Bound> = {
  years: { min: 1, max: 50, zh: '预测年数', en: 'years' },
  adjustmentRatePpm: {
    min: 0,
    max: 100_000,
    zh: '养老金年调整比例（百万分之一）',
    en: 'adjustment rate (ppm)',
  },
  employerRatePpm: { min: 0, max: 300_000, zh: '单位缴费比例（百万分之一）', en: 'employer rate (ppm)' },
  baseFloorPpm: { min: 0, max: 1_000_000, zh: '缴费基数下限（百万分之一）', en: 'base floor (ppm)' },
  maxDelayMonths: { min: 0, max: 120, zh: '最多延迟月数', en: 'maximum delay (months)' },
  stepMonths: { min: 1, max: 12, zh: '每多少个出生月延迟一个月', en: 'birth months per month of delay' },
  wageGrowthPpm: { min: -50_000, max: 200_000, zh: '工资增长率（百万分之一）', en: 'wage growth (ppm)' },
  fundInterestPpm: { min: 0, max: 100_000, zh: '基金收益率（百万分之一）', en: 'fund return (ppm)' },
  entrantsPpm: { min: 0, max: 200_000, zh: '新增参保率（百万分之一）', en: 'entrants (ppm)' },
};

function check(field: string, key: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const b = BOUNDS[key] as Bound;
  if (!Number.isSafeInteger(v) || v < b.min || v > b.max) {
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field,
      zh: `${b.zh}应为 ${b.min} 至 ${b.max} 之间的整数，收到 ${String(v)}`,
      en: `${b.en} must be an integer from ${b.min} to ${b.max}; got ${String(v)}`,
    });
  }
  return v;
}

/** The scenario with every field in its bounds (SB_ERR_OUT_OF_RANGE naming the field otherwise). */
export function validateScenario(body: ScenarioBody): Scenario {
  const s: Scenario = { years: check('years', 'years', body.years) as number };
  for (const k of ['adjustmentRatePpm', 'employerRatePpm', 'baseFloorPpm'] as const) {
    const v = check(k, k, body[k]);
    if (v !== undefined) s[k] = v;
  }
  if (body.retirementAge) {
    const r: NonNullable<Scenario['retirementAge']> = {};
    for (const cat of ['male', 'female-55', 'female-50'] as const) {
      const c = body.retirementAge[cat];
      if (!c) continue;
      r[cat] = {
        maxDelayMonths: check(
          `retirementAge.${cat}.maxDelayMonths`,
          'maxDelayMonths',
          c.maxDelayMonths,
        ) as number,
        stepMonths: check(`retirementAge.${cat}.stepMonths`, 'stepMonths', c.stepMonths) as number,
      };
    }
    if (Object.keys(r).length > 0) s.retirementAge = r;
  }
  if (body.assumptions) {
    const a: NonNullable<Scenario['assumptions']> = {};
    for (const k of ['wageGrowthPpm', 'fundInterestPpm', 'entrantsPpm'] as const) {
      const v = check(`assumptions.${k}`, k, body.assumptions[k]);
      if (v !== undefined) a[k] = v;
    }
    if (Object.keys(a).length > 0) s.assumptions = a;
  }
  return s;
}
