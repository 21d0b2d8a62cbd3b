// Weekday arithmetic for legal deadlines, pure (no clock, no database). Statutory holidays and
// make-up working days are not encoded yet: weekends alone decide, and rules that use these say so
// in their trace (calc-contract.md "Periods").
import { addDays, dayNumber, type IsoDate } from './dates.ts';

/** 0 = Monday … 6 = Sunday. 1970-01-01 (day 0) was a Thursday. */
export const weekdayOf = (d: IsoDate): number => (((dayNumber(d) + 3) % 7) + 7) % 7;
export const isWeekend = (d: IsoDate): boolean => weekdayOf(d) >= 5;

/** A deadline whose last day is a Saturday or Sunday moves to the next Monday. */
export const onWorkingDay = (d: IsoDate): IsoDate => {
  const w = weekdayOf(d);
  return w === 5 ? addDays(d, 2) : w === 6 ? addDays(d, 1) : d;
};

/** The day a limit of `n` working days, counted from the day after `from`, ends. */
export function plusWorkingDays(from: IsoDate, n: number): IsoDate {
  let d = from;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (!isWeekend(d)) left--;
  }
  return d;
}
