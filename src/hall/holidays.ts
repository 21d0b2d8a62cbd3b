// The working-day calendar the hall's deadlines use: the project's parameter store read through
// core's calendarFrom (src/core/working-days.ts holds the one formula every deadline shares), built
// once per process. A malformed file stops with SB_ERR_INVALID_PARAMETER_FILE naming the entry.
import type { IsoDate } from '../core/dates.ts';
import { projectParams } from '../core/params-loader.ts';
import * as rules from '../core/working-days.ts';

export { calendarFrom, HOLIDAYS_PARAM } from '../core/working-days.ts';

/** The project's calendar (params/hall/public-holidays.yaml), built on first use. */
export const holidayCalendar = (): rules.HolidayCalendar => rules.calendarFrom(projectParams());

export const isWorkingDay = (d: IsoDate): boolean => rules.isWorkingDay(d, holidayCalendar());
export const addWorkingDays = (from: IsoDate, n: number): IsoDate =>
  rules.addWorkingDays(from, n, holidayCalendar());
export const workingDaysBetween = (from: IsoDate, to: IsoDate): number =>
  rules.workingDaysBetween(from, to, holidayCalendar());
