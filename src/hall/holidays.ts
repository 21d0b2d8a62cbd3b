// The working-day calendar the hall's deadlines use: China's public holidays and 调休 working
// weekends from params/hall/public-holidays.yaml (one version per year, with the State Council
// notice as its reference), built once per process. A malformed file stops with
// SB_ERR_INVALID_PARAMETER_FILE naming the entry.
import type { IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import { NATIONAL } from '../core/params.ts';
import { projectParams } from '../core/params-loader.ts';
import * as rules from './working-days.rules.ts';

export const HOLIDAYS_PARAM = 'hall/public-holidays';

export function calendarFrom(params: ParamStore): rules.HolidayCalendar {
  const def = params.definitions.get(HOLIDAYS_PARAM);
  if (!def) return rules.NO_HOLIDAYS;
  try {
    return rules.buildCalendar(def.regions.get(NATIONAL) ?? []);
  } catch (e) {
    throw new SbError('SB_ERR_INVALID_PARAMETER_FILE', {
      field: HOLIDAYS_PARAM,
      zh: `${def.file}: ${(e as Error).message}`,
      en: `${def.file}: ${(e as Error).message}`,
    });
  }
}

let cached: rules.HolidayCalendar | undefined;
/** The project's calendar (params/hall/public-holidays.yaml), built on first use. */
export function holidayCalendar(): rules.HolidayCalendar {
  cached ??= calendarFrom(projectParams());
  return cached;
}

export const isWorkingDay = (d: IsoDate): boolean => rules.isWorkingDay(d, holidayCalendar());
export const addWorkingDays = (from: IsoDate, n: number): IsoDate =>
  rules.addWorkingDays(from, n, holidayCalendar());
export const workingDaysBetween = (from: IsoDate, to: IsoDate): number =>
  rules.workingDaysBetween(from, to, holidayCalendar());
