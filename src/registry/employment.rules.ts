// Pure dates of a hire. No database, no clock.
import type { Words } from '../core/bilingual.ts';
import { addMonths, firstDayOfMonth, type IsoDate } from '../core/dates.ts';
import type { ParamStore } from '../core/params.ts';

/** The agency's operational choice, no regulation sets it: how many months back an employer dates itself. */
export const BACKDATING_PARAM = 'registry/employer-backdating-months';

/** The days an employer may give a hire, an end or an enrolment without the agency (a back-entry). */
export interface DirectEntryWindow {
  /** the earliest such day: the first day of the month `monthsBack` months before today's */
  earliest: IsoDate;
  monthsBack: number;
  /** the window in words, for a refusal and the page's hint */
  words: Words;
}

/** The window in force for the employer's region on the agency's day `today`. */
export function directEntryWindow(params: ParamStore, region: string, today: IsoDate): DirectEntryWindow {
  const monthsBack = params.get<number>(BACKDATING_PARAM, region, today);
  return {
    earliest: firstDayOfMonth(addMonths(today, -monthsBack)),
    monthsBack,
    words:
      monthsBack === 0
        ? { zh: '本月1日', en: 'the first day of this month' }
        : monthsBack === 1
          ? { zh: '上月1日', en: 'the first day of last month' }
          : { zh: `${monthsBack}个月前的1日`, en: `the first day of the month ${monthsBack} months back` },
  };
}
