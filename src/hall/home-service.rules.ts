// The days a home visit may be asked for and arranged on: the agency's operational choices (no
// regulation sets them), dated and regional parameters. Pure: no database, no clock.
import type { Words } from '../core/bilingual.ts';
import { addDays, dateInWords, type IsoDate } from '../core/dates.ts';
import type { ParamStore } from '../core/params.ts';
import { calendarFrom, isWorkingDay } from '../core/working-days.ts';

export const BOOKING_DAYS_PARAM = 'hall/home-visit-booking-days-ahead';
export const ASSIGN_DAYS_PARAM = 'hall/home-visit-assign-days-ahead';

/** A span of days a picker offers and the server takes, with the span in words for a refusal and a hint. */
export interface VisitDayWindow {
  earliest: IsoDate;
  latest: IsoDate;
  daysAhead: number;
  words: Words;
}

/** The citizen's window: the working days from tomorrow to `daysAhead` days ahead, listed for the picker. */
export interface BookingWindow extends VisitDayWindow {
  /** every day the server takes, in order (the working days of the span: holidays and weekends left out) */
  days: IsoDate[];
}

const span = (earliest: IsoDate, latest: IsoDate): Words => ({
  zh: `${dateInWords(earliest, 'zh')}至${dateInWords(latest, 'zh')}`,
  en: `${dateInWords(earliest, 'en')} to ${dateInWords(latest, 'en')}`,
});

/** The days a citizen of `region` may ask for on the agency's day `today`. */
export function bookingWindow(params: ParamStore, region: string, today: IsoDate): BookingWindow {
  const daysAhead = params.get<number>(BOOKING_DAYS_PARAM, region, today);
  const earliest = addDays(today, 1);
  const latest = addDays(today, daysAhead);
  const calendar = calendarFrom(params);
  const days: IsoDate[] = [];
  for (let d = earliest; d <= latest; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) days.push(d);
  const between = span(earliest, latest);
  return {
    earliest,
    latest,
    daysAhead,
    days,
    words: {
      zh: `${between.zh}之间的工作日（明天起${daysAhead}天内）`,
      en: `a working day from ${between.en} (tomorrow to ${daysAhead} days ahead)`,
    },
  };
}

/** The days a clerk may arrange a visit of `region` on, on the agency's day `today` (today included). */
export function assignWindow(params: ParamStore, region: string, today: IsoDate): VisitDayWindow {
  const daysAhead = params.get<number>(ASSIGN_DAYS_PARAM, region, today);
  const latest = addDays(today, daysAhead);
  const between = span(today, latest);
  return {
    earliest: today,
    latest,
    daysAhead,
    words: {
      zh: `${between.zh}（今天起${daysAhead}天内）`,
      en: `${between.en} (today to ${daysAhead} days ahead)`,
    },
  };
}
