// Legal time limits in working days (工作日), the one formula every deadline uses: Monday to Friday,
// except the public holidays, plus the Saturdays and Sundays worked in their place (调休), as the
// State Council's notice for each year sets them (params/hall/public-holidays.yaml). A year without
// its notice counts Monday to Friday only. Pure: the calendar is an argument, built from a ParamStore
// by calendarFrom (no clock, no database, no file reading here).
import { addDays, dayNumber, type IsoDate } from './dates.ts';
import { SbError } from './errors.ts';
import { NATIONAL, type ParamReference, type ParamStore } from './params.ts';

/** One year's notice: the days off and the weekend days worked. */
export interface HolidayYear {
  year: number;
  reference: ParamReference;
  /** every day off, ISO dates */
  off: ReadonlySet<IsoDate>;
  /** Saturdays and Sundays worked (调休上班) */
  work: ReadonlySet<IsoDate>;
}

/** Year → its notice; a year missing counts Monday to Friday. */
export type HolidayCalendar = ReadonlyMap<number, HolidayYear>;

export const NO_HOLIDAYS: HolidayCalendar = new Map();

/** 0 = Monday … 6 = Sunday. 1970-01-01 (day 0) was a Thursday. */
export const weekday = (d: IsoDate): number => (((dayNumber(d) + 3) % 7) + 7) % 7;

export function isWorkingDay(d: IsoDate, cal: HolidayCalendar = NO_HOLIDAYS): boolean {
  const y = cal.get(Number(d.slice(0, 4)));
  if (y?.off.has(d)) return false;
  if (y?.work.has(d)) return true;
  return weekday(d) < 5;
}

/** A deadline whose last day is not a working day (a weekend or a holiday) moves to the next working day. */
export function onWorkingDay(d: IsoDate, cal: HolidayCalendar = NO_HOLIDAYS): IsoDate {
  let out = d;
  while (!isWorkingDay(out, cal)) out = addDays(out, 1);
  return out;
}

/** The day on which a limit of `n` working days counted from the day after `from` ends. */
export function addWorkingDays(from: IsoDate, n: number, cal: HolidayCalendar = NO_HOLIDAYS): IsoDate {
  let d = from;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/** Working days after `from` up to and including `to` (negative when `to` is earlier). */
export function workingDaysBetween(from: IsoDate, to: IsoDate, cal: HolidayCalendar = NO_HOLIDAYS): number {
  if (to < from) return -workingDaysBetween(to, from, cal);
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, cal)) n++;
  return n;
}

/**
 * Builds the calendar from the parameter table's versions (one per year), checking each: the
 * ranges inside their year and in order, the worked days Saturdays or Sundays and not off.
 * Throws a message naming the year and the entry that is wrong.
 */
export function buildCalendar(
  versions: Array<{ value: unknown; reference: ParamReference }>,
): HolidayCalendar {
  const out = new Map<number, HolidayYear>();
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  for (const v of versions) {
    const t = v.value as { year?: unknown; holidays?: unknown; workdays?: unknown } | null;
    if (t === null) continue;
    const year = Number(t.year);
    if (!Number.isInteger(year)) throw new Error(`a version without its year`);
    const off = new Set<IsoDate>();
    const work = new Set<IsoDate>();
    if (!Array.isArray(t.holidays) || !Array.isArray(t.workdays))
      throw new Error(`${year}: holidays and workdays must be lists`);
    for (const h of t.holidays as Array<{ name?: unknown; from?: unknown; to?: unknown }>) {
      const from = String(h.from);
      const to = String(h.to);
      if (
        !iso.test(from) ||
        !iso.test(to) ||
        from > to ||
        !from.startsWith(`${year}-`) ||
        !to.startsWith(`${year}-`)
      )
        throw new Error(`${year}: holiday ${String(h.name)} ${from}..${to} is not a range inside the year`);
      for (let d = from; d <= to; d = addDays(d, 1)) off.add(d);
    }
    for (const w of t.workdays as unknown[]) {
      const d = String(w);
      if (!iso.test(d) || !d.startsWith(`${year}-`))
        throw new Error(`${year}: workday ${d} is not in the year`);
      if (weekday(d) < 5) throw new Error(`${year}: workday ${d} is not a Saturday or Sunday`);
      if (off.has(d)) throw new Error(`${year}: ${d} is both a holiday and a workday`);
      work.add(d);
    }
    out.set(year, { year, reference: v.reference, off, work });
  }
  return out;
}

export const HOLIDAYS_PARAM = 'hall/public-holidays';

const built = new WeakMap<ParamStore, HolidayCalendar>();

/**
 * The calendar of a parameter store (params/hall/public-holidays.yaml, one version per year with
 * the State Council notice as its reference), built once per store. No such parameter: Monday to
 * Friday. A malformed file stops with SB_ERR_INVALID_PARAMETER_FILE naming the entry.
 */
export function calendarFrom(params: ParamStore): HolidayCalendar {
  const hit = built.get(params);
  if (hit) return hit;
  const def = params.definitions.get(HOLIDAYS_PARAM);
  if (!def) return NO_HOLIDAYS;
  let cal: HolidayCalendar;
  try {
    cal = buildCalendar(def.regions.get(NATIONAL) ?? []);
  } catch (e) {
    throw new SbError('SB_ERR_INVALID_PARAMETER_FILE', {
      field: HOLIDAYS_PARAM,
      zh: `${def.file}: ${(e as Error).message}`,
      en: `${def.file}: ${(e as Error).message}`,
    });
  }
  built.set(params, cal);
  return cal;
}
