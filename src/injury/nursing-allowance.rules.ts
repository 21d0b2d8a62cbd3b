// The nursing allowance (生活护理费, 工伤保险条例 Art. 34): a percentage of the region's previous-year
// average monthly wage by the appraised dependency (wholly, mostly, partly). The percentages are the
// parameter injury/nursing-allowance-percent.
import { applyPercent, type Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore } from '../core/params.ts';
import type { IsoDate } from '../core/dates.ts';
import type { Trace } from '../core/trace.ts';
import { getParam } from '../core/rule-support.ts';

export type NursingDependency = 'wholly' | 'mostly' | 'partial';

const DEPENDENCY_ZH: Record<NursingDependency, string> = {
  wholly: '完全护理依赖',
  mostly: '大部分护理依赖',
  partial: '部分护理依赖',
};

/** The monthly nursing allowance on `date` (the appraisal's) for this dependency. */
export function nursingAllowance(
  input: { dependency: NursingDependency; regionalAverageWageFen: number; date: IsoDate },
  params: ParamStore,
  trace: Trace,
): Fen {
  const percent = getParam<Record<NursingDependency, number>>(
    params,
    'injury/nursing-allowance-percent',
    NATIONAL,
    input.date,
    trace,
    'date',
  )[input.dependency];
  const amount = applyPercent(input.regionalAverageWageFen, percent);
  trace.add(
    `nursing allowance = regional average wage ${input.regionalAverageWageFen} × ${percent}% (${input.dependency}, Art. 34)`,
    amount,
    'fen',
    `生活护理费 = 统筹地区上年度职工月平均工资 × ${percent}%（${DEPENDENCY_ZH[input.dependency]}）`,
  );
  return amount;
}
