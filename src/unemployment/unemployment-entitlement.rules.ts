// `unemployment-entitlement`: the dates of an unemployment benefit entitlement. Benefits run from the
// day of unemployment registration (社会保险法 Art. 50); the entitlement ends `maxMonths` months later,
// less one day (calc-contract.md: a period in months ends on the same day of the month, or the
// month's last day where that day does not exist; `entitlementEnd` never moves to a working day).
// The months paid: one benefit month per entitlement month, from the registration month on.
import type { RuleDefinition } from '../core/rule.ts';
import { addDays, addMonths, addPeriods, periodOf, type IsoDate, type Period } from '../core/dates.ts';
import type { FieldReader } from '../core/input.ts';
import type { ParamStore } from '../core/params.ts';
import { getParam } from '../core/rule-support.ts';
import type { Trace } from '../core/trace.ts';
import { addWorkingDays, calendarFrom } from '../core/working-days.ts';

export interface UnemploymentEntitlementInput {
  registrationDate: IsoDate;
  maxMonths: number;
}

export interface UnemploymentEntitlementResult {
  entitlementStart: IsoDate;
  entitlementEnd: IsoDate;
  /** the first and last benefit months paid (YYYY-MM) */
  firstPeriod: Period;
  lastPeriod: Period;
}

export function unemploymentEntitlement(
  input: UnemploymentEntitlementInput,
  trace?: Trace,
): UnemploymentEntitlementResult {
  const start = input.registrationDate;
  trace?.add(
    'entitlement start = registration date',
    start,
    'date',
    '享受待遇起始日 = 失业登记之日（社会保险法第五十条）',
  );
  const sameDay = addMonths(start, input.maxMonths);
  trace?.add(
    `registration date + ${input.maxMonths} months (same day, or the month's last day)`,
    sameDay,
    'date',
    `登记之日加${input.maxMonths}个月（同日；无此日的取该月末日）`,
  );
  const end = addDays(sameDay, -1);
  trace?.add('entitlement end = that day − 1 day', end, 'date', '享受待遇截止日 = 上述日期前一日');
  const firstPeriod = periodOf(start);
  const lastPeriod = addPeriods(firstPeriod, input.maxMonths - 1);
  trace?.add(
    `benefit months ${firstPeriod} to ${lastPeriod} (${input.maxMonths})`,
    input.maxMonths,
    'months',
    `按月发放：${firstPeriod} 至 ${lastPeriod}，共${input.maxMonths}个月`,
  );
  return { entitlementStart: start, entitlementEnd: end, firstPeriod, lastPeriod };
}

/**
 * The entitlement's months not yet paid: one benefit month per entitlement month, so the entitlement
 * (`maxMonths`) less the months paid, never below nought. What a claim in payment shows as left, and
 * what a transfer to another province carries there.
 */
export function monthsLeft(maxMonths: number, monthsPaid: number): number {
  return Math.max(0, maxMonths - monthsPaid);
}

export function parseUnemploymentEntitlementInput(r: FieldReader): UnemploymentEntitlementInput {
  return { registrationDate: r.date('registrationDate'), maxMonths: r.int('maxMonths', { min: 1, max: 24 }) };
}

export const unemploymentEntitlementRule: RuleDefinition<
  UnemploymentEntitlementInput,
  UnemploymentEntitlementResult
> = {
  name: 'unemployment-entitlement',
  title: { zh: '失业保险金享受期间（起止日）', en: 'Unemployment benefit entitlement: start and end dates' },
  parse: (r) => parseUnemploymentEntitlementInput(r),
  compute: (input, { trace }) => unemploymentEntitlement(input, trace),
};

/**
 * The day by which the agency decides a claim (审核时限): the parameter's working days after the
 * registration date, public holidays skipped and 调休 weekend days counted (core/working-days.ts).
 */
export function claimDecisionDeadline(
  registrationDate: IsoDate,
  region: string,
  params: ParamStore,
  trace?: Trace,
): IsoDate {
  const days = getParam<number>(
    params,
    'unemployment/decision-working-days',
    region,
    registrationDate,
    trace,
    'registrationDate',
  );
  const deadline = addWorkingDays(registrationDate, days, calendarFrom(params));
  trace?.add(
    `decision due within ${days} working days (public holidays skipped, 调休 weekend days counted)`,
    deadline,
    'date',
    `经办机构应在${days}个工作日内作出决定（法定节假日不计，调休上班日计入）`,
  );
  return deadline;
}
