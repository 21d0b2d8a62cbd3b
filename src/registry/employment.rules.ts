// Pure dates of a hire. No database, no clock.
import { addMonths, firstDayOfMonth, type IsoDate } from '../core/dates.ts';

/** The earliest start date of a hire without review: the first day of the previous month. */
export const earliestDirectStart = (today: IsoDate): IsoDate => firstDayOfMonth(addMonths(today, -1));
