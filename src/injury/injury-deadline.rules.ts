// `injury-deadline`: every time limit of a work-injury case from its dates (工伤保险条例 Arts. 17, 20,
// 25, 26, 28; 工伤认定办法 Art. 8; 行政复议法 Art. 20; 行政诉讼法 Art. 46; domain-2.md §3.1).
// Calendar days unless the law says working days (the appraisal's missing-materials notice); the
// start day is not counted; a deadline whose last day is not a working day (a weekend or a public
// holiday) moves to the next working day, and working days skip the holidays and count the 调休
// weekend days worked, by the holiday calendar (params/hall/public-holidays.yaml, read through
// core/working-days.ts calendarFrom; a year without its notice counts Monday to Friday). Suspensions (中止) stop the recognition
// clock: the days up to and including the suspension date are used, counting restarts the day after
// resumption, and the remaining days run from there; while a suspension is open the decision
// deadlines are unknown (null).
import type { RuleDefinition } from '../core/rule.ts';
import { addDays, addMonths, addYears, daysBetween, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { asObject, FieldReader } from '../core/input.ts';
import type { Trace } from '../core/trace.ts';
import { addWorkingDays, calendarFrom, type HolidayCalendar, onWorkingDay } from '../core/working-days.ts';

export interface InjurySuspension {
  from: IsoDate;
  /** the day the awaited conclusion arrived; absent while the case is still suspended */
  to?: IsoDate | undefined;
}

export interface InjuryDeadlineInput {
  accidentDate?: IsoDate | undefined;
  /** the day the employer (or the worker) reported; decides whether the report was late */
  reportedDate?: IsoDate | undefined;
  reporterKind?: 'employer' | 'worker' | undefined;
  receivedDate?: IsoDate | undefined;
  /** the complete set of materials after a written list of what was missing (认定办法 Art. 8) */
  materialsCompleteDate?: IsoDate | undefined;
  acceptedDate?: IsoDate | undefined;
  suspensions?: InjurySuspension[] | undefined;
  decisionDate?: IsoDate | undefined;
  deliveredDate?: IsoDate | undefined;
  appraisalReceivedDate?: IsoDate | undefined;
  /** the day the appraisal conclusion was received (re-appraisal window) */
  conclusionReceivedDate?: IsoDate | undefined;
  conclusionDate?: IsoDate | undefined;
}

export interface InjuryDeadlineResult {
  employerDeadline?: IsoDate;
  workerDeadline?: IsoDate;
  /** days the employer's report came after its deadline (costs of those days fall on the employer) */
  employerLateDays?: number;
  /** a worker's application after the 1-year window */
  workerLate?: boolean;
  acceptanceDeadline?: IsoDate;
  decisionDeadline?: IsoDate | null;
  simpleCaseDeadline?: IsoDate | null;
  suspended?: boolean;
  suspendedDays?: number;
  deliveryDeadline?: IsoDate;
  reconsiderationDeadline?: IsoDate;
  litigationDeadline?: IsoDate;
  appraisalMaterialsDeadline?: IsoDate;
  appraisalDeadline?: IsoDate;
  appraisalExtendedDeadline?: IsoDate;
  reappraisalDeadline?: IsoDate;
  /** not a deadline: the first day a review appraisal (复查鉴定) may be asked for; never moved */
  reviewEarliestDate?: IsoDate;
}

const calendarNoted = new WeakSet<Trace>();

/** The last day of a limit, moved off a day that is not a working day; the trace shows both. */
function deadline(
  raw: IsoDate,
  label: string,
  labelZh: string,
  cal: HolidayCalendar,
  trace?: Trace,
): IsoDate {
  const moved = onWorkingDay(raw, cal);
  if (trace && !calendarNoted.has(trace)) {
    calendarNoted.add(trace);
    const years = [...cal.keys()].sort((a, b) => a - b);
    const known = years.length > 0 ? years.join(', ') : 'none';
    trace.add(
      `holiday calendar (public holidays and 调休 working weekends) for the years ${known}; other years count Monday to Friday. A deadline whose last day is not a working day moves to the next working day`,
      years.length,
      'count',
      `法定节假日及调休安排（${years.length > 0 ? years.join('、') : '无'}年）；其他年份按周一至周五计算。期限末日为休息日或法定节假日的，顺延至其后第一个工作日`,
    );
  }
  if (moved !== raw)
    trace?.add(
      `${label}: ${raw} is not a working day, moved to ${moved}`,
      moved,
      'date',
      `${labelZh}：${raw}为休息日或法定节假日，顺延至${moved}`,
    );
  else trace?.add(label, moved, 'date', labelZh);
  return moved;
}

/** N calendar days from `start` with the clock stopped during the suspensions; null while one is open. */
export function suspendedClock(
  start: IsoDate,
  days: number,
  suspensions: readonly InjurySuspension[],
): { end: IsoDate | null; suspendedDays: number } {
  let cursor = start;
  let remaining = days;
  let suspendedDays = 0;
  for (const s of [...suspensions].sort((a, b) => (a.from < b.from ? -1 : 1))) {
    if (s.from < cursor) continue;
    const used = daysBetween(cursor, s.from);
    if (used >= remaining) break;
    remaining -= used;
    if (s.to === undefined) return { end: null, suspendedDays };
    suspendedDays += daysBetween(s.from, s.to);
    cursor = s.to;
  }
  return { end: addDays(cursor, remaining), suspendedDays };
}

export function computeInjuryDeadlines(
  input: InjuryDeadlineInput,
  cal: HolidayCalendar,
  trace?: Trace,
): InjuryDeadlineResult {
  const out: InjuryDeadlineResult = {};
  const t = trace;
  if (input.accidentDate) {
    const a = input.accidentDate;
    t?.add('accident (or diagnosis) date', a, 'date', '事故伤害发生之日（或职业病诊断之日）');
    out.employerDeadline = deadline(
      addDays(a, 30),
      'employer applies within 30 days (Art. 17)',
      '用人单位30日内申请（第十七条）',
      cal,
      t,
    );
    out.workerDeadline = deadline(
      addYears(a, 1),
      'worker or family applies within 1 year (Art. 17)',
      '职工或近亲属1年内申请（第十七条）',
      cal,
      t,
    );
    if (input.reportedDate) {
      const late = Math.max(0, daysBetween(out.employerDeadline, input.reportedDate));
      if (input.reporterKind !== 'worker') {
        out.employerLateDays = late;
        t?.add(
          late > 0
            ? `employer reported ${late} days late: costs of those days are borne by the employer (Art. 17 ¶4)`
            : 'employer reported in time',
          late,
          'days',
          late > 0 ? `用人单位逾期${late}日申请：期间发生的工伤待遇等费用由用人单位负担` : '用人单位按期申请',
        );
      }
      out.workerLate = input.reportedDate > out.workerDeadline;
      if (input.reporterKind === 'worker')
        t?.add(
          out.workerLate ? 'worker applied after the 1-year window' : 'worker applied within 1 year',
          out.workerLate,
          'boolean',
          out.workerLate ? '职工超过1年申请时效' : '职工在1年内申请',
        );
    }
  }
  if (input.receivedDate) {
    const from = input.materialsCompleteDate ?? input.receivedDate;
    if (input.materialsCompleteDate)
      t?.add(
        'materials completed after the written list: acceptance counts from then',
        from,
        'date',
        '补正材料后自材料齐全之日起算',
      );
    out.acceptanceDeadline = deadline(
      addDays(from, 15),
      'acceptance decision within 15 days (认定办法 Art. 8)',
      '15日内作出是否受理的决定',
      cal,
      t,
    );
  }
  if (input.acceptedDate) {
    const sus = input.suspensions ?? [];
    const full = suspendedClock(input.acceptedDate, 60, sus);
    const simple = suspendedClock(input.acceptedDate, 15, sus);
    out.suspendedDays = full.suspendedDays;
    out.suspended = full.end === null;
    if (sus.length > 0)
      t?.add(
        out.suspended
          ? 'suspended awaiting another authority: the decision clock is stopped'
          : `clock stopped ${full.suspendedDays} days by suspensions (Art. 20)`,
        full.suspendedDays,
        'days',
        out.suspended
          ? '中止：等待司法或行政结论，认定期限暂停计算'
          : `中止期间${full.suspendedDays}日不计入认定期限`,
      );
    out.decisionDeadline =
      full.end === null
        ? null
        : deadline(
            full.end,
            'recognition decision within 60 days of acceptance (Art. 20)',
            '受理之日起60日内作出认定决定',
            cal,
            t,
          );
    out.simpleCaseDeadline =
      simple.end === null
        ? null
        : deadline(
            simple.end,
            'clear-cut case: decision within 15 days (Art. 20)',
            '事实清楚、权利义务明确的15日内作出认定决定',
            cal,
            t,
          );
  }
  if (input.decisionDate)
    out.deliveryDeadline = deadline(
      addDays(input.decisionDate, 20),
      'decision delivered within 20 days',
      '认定决定作出之日起20日内送达',
      cal,
      t,
    );
  if (input.deliveredDate) {
    out.reconsiderationDeadline = deadline(
      addDays(input.deliveredDate, 60),
      'administrative reconsideration within 60 days',
      '60日内申请行政复议',
      cal,
      t,
    );
    out.litigationDeadline = deadline(
      addMonths(input.deliveredDate, 6),
      'administrative litigation within 6 months',
      '6个月内提起行政诉讼',
      cal,
      t,
    );
  }
  if (input.appraisalReceivedDate) {
    const r = input.appraisalReceivedDate;
    out.appraisalMaterialsDeadline = deadline(
      addWorkingDays(r, 5, cal),
      'missing-materials notice within 5 working days',
      '材料不全的5个工作日内一次性告知',
      cal,
      t,
    );
    out.appraisalDeadline = deadline(
      addDays(r, 60),
      'appraisal conclusion within 60 days (Art. 25)',
      '60日内作出鉴定结论',
      cal,
      t,
    );
    out.appraisalExtendedDeadline = deadline(
      addDays(r, 90),
      'complex case: extended by 30 days (Art. 25)',
      '情况复杂的延长30日',
      cal,
      t,
    );
  }
  if (input.conclusionReceivedDate)
    out.reappraisalDeadline = deadline(
      addDays(input.conclusionReceivedDate, 15),
      're-appraisal request within 15 days (Art. 26)',
      '收到鉴定结论之日起15日内申请再次鉴定',
      cal,
      t,
    );
  if (input.conclusionDate) {
    out.reviewEarliestDate = addYears(input.conclusionDate, 1);
    t?.add(
      'review appraisal no earlier than 1 year after the conclusion (Art. 28)',
      out.reviewEarliestDate,
      'date',
      '鉴定结论作出之日起1年后可申请复查鉴定',
    );
  }
  if (Object.keys(out).length === 0)
    throw new SbError('SB_ERR_REQUIRED', {
      field: 'accidentDate',
      zh: '至少需要一个日期（accidentDate、receivedDate、acceptedDate、appraisalReceivedDate…）',
      en: 'at least one date is needed (accidentDate, receivedDate, acceptedDate, appraisalReceivedDate…)',
    });
  return out;
}

const DATES = [
  'accidentDate',
  'reportedDate',
  'receivedDate',
  'materialsCompleteDate',
  'acceptedDate',
  'decisionDate',
  'deliveredDate',
  'appraisalReceivedDate',
  'conclusionReceivedDate',
  'conclusionDate',
] as const;

export function parseInjuryDeadlineInput(r: FieldReader): InjuryDeadlineInput {
  const out: InjuryDeadlineInput = {};
  for (const k of DATES) {
    const v = r.optional(k, (key) => r.date(key));
    if (v !== undefined) out[k] = v;
  }
  const kind = r.optional('reporterKind', (k) => r.oneOf(k, ['employer', 'worker'] as const));
  if (kind) out.reporterKind = kind;
  const sus = r.optional('suspensions', (k) => r.array(k));
  if (sus) {
    out.suspensions = sus.map((raw, i) => {
      const s = new FieldReader(asObject(raw, `suspensions[${i}]`), `suspensions[${i}]`);
      const from = s.date('from');
      const to = s.optional('to', (k) => s.date(k));
      if (to !== undefined && to < from)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: `suspensions[${i}].to`,
          zh: '恢复日期不得早于中止日期',
          en: 'the resumption date may not be before the suspension date',
        });
      if (out.acceptedDate && from < out.acceptedDate)
        throw new SbError('SB_ERR_OUT_OF_RANGE', {
          field: `suspensions[${i}].from`,
          zh: '中止日期不得早于受理日期',
          en: 'a suspension may not start before acceptance',
        });
      return to === undefined ? { from } : { from, to };
    });
  }
  return out;
}

export const injuryDeadlineRule: RuleDefinition<InjuryDeadlineInput, InjuryDeadlineResult> = {
  name: 'injury-deadline',
  title: { zh: '工伤案件时限（申请、受理、认定、中止、送达、鉴定、复查）', en: 'Work-injury case deadlines' },
  parse: (r) => parseInjuryDeadlineInput(r),
  compute: (input, { params, trace }) => computeInjuryDeadlines(input, calendarFrom(params), trace),
};
