// The work-injury insured wage (本人工资, 工伤保险条例 Art. 64): the average monthly contribution
// wage of the 12 months before the injury, clamped to 60%–300% of the regional average wage.
import type { IsoDate } from '../core/dates.ts';
import type { Fen } from '../core/money.ts';
import { NATIONAL, type ParamStore } from '../core/params.ts';
import type { Trace } from '../core/trace.ts';
import { clampToAverage, getParam, type ClampResult } from '../core/rule-support.ts';

export function injuryInsuredWage(
  params: ParamStore,
  date: IsoDate,
  averageMonthlyWageFen: Fen,
  regionalAverageWageFen: Fen,
  field: string,
  trace?: Trace,
): ClampResult {
  const floor = getParam<number>(params, 'injury/insured-wage-floor-percent', NATIONAL, date, trace, field);
  const ceiling = getParam<number>(
    params,
    'injury/insured-wage-ceiling-percent',
    NATIONAL,
    date,
    trace,
    field,
  );
  return clampToAverage(averageMonthlyWageFen, regionalAverageWageFen, floor, ceiling, trace);
}
