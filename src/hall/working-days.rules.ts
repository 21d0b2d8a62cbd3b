// Legal time limits in working days (工作日): Monday to Friday. Public holidays and the weekend
// days worked in their place (调休) are not modelled: a limit may then end a day or two early,
// which errs on the citizen's side. Documented in docs/hall.md.
import { addDays, dayNumber, type IsoDate } from '../core/dates.ts';

/** 0 = Monday … 6 = Sunday. 1970-01-01 (day 0) was a Thursday. */
const weekday = (d: IsoDate): number => (((dayNumber(d) + 3) % 7) + 7) % 7;
export const isWorkingDay = (d: IsoDate): boolean => weekday(d) < 5;

/** The day on which a limit of `n` working days counted from the day after `from` ends. */
export function addWorkingDays(from: IsoDate, n: number): IsoDate {
  let d = from;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** Working days after `from` up to and including `to` (negative when `to` is earlier). */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return -workingDaysBetween(to, from);
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}
