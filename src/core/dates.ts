// Calendar dates (YYYY-MM-DD) and periods (YYYY-MM) as strings; no time zones involved.
import { SbError } from './errors.ts';

export type IsoDate = string;
export type Period = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_RE = /^(\d{4})-(\d{2})$/;

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function makeDate(year: number, month: number, day: number): IsoDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** Parts of a valid date, or null when the string is not a real calendar date. */
export function dateParts(s: string): DateParts | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export const isIsoDate = (s: unknown): s is IsoDate => typeof s === 'string' && dateParts(s) !== null;

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A date in words for text a person reads as written (a message, a status note), as the web shows
 * dates: 2026-12-03 → 2026年12月3日 / 3 Dec 2026. Anything not a date is returned as it is.
 */
export function dateInWords(s: string, lang: 'zh' | 'en'): string {
  const p = dateParts(s);
  if (!p) return s;
  return lang === 'zh' ? `${p.year}年${p.month}月${p.day}日` : `${p.day} ${EN_MONTHS[p.month - 1]} ${p.year}`;
}

/** A month in words, as the web shows periods: 2025-04 → 2025年4月 / Apr 2025. Anything not a month is returned as it is. */
export function monthInWords(s: string, lang: 'zh' | 'en'): string {
  const m = PERIOD_RE.exec(s);
  const month = Number(m?.[2]);
  if (!m || month < 1 || month > 12) return s;
  return lang === 'zh' ? `${m[1]}年${month}月` : `${EN_MONTHS[month - 1]} ${m[1]}`;
}

export function parseDate(s: unknown, field = 'date'): IsoDate {
  if (!isIsoDate(s)) {
    // the code's message and the field only: what was sent is not repeated back
    throw new SbError('SB_ERR_INVALID_DATE', { field });
  }
  return s;
}

function partsOf(d: IsoDate): DateParts {
  const p = dateParts(d);
  // what was wrong, never the value: it may be a birth date read from an ID number
  if (!p) throw new SbError('SB_ERR_INVALID_DATE');
  return p;
}

/** Adds months keeping the day of month, or the month's last day where that day does not exist. */
export function addMonths(d: IsoDate, months: number): IsoDate {
  const p = partsOf(d);
  const total = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return makeDate(year, month, Math.min(p.day, daysInMonth(year, month)));
}

export const addYears = (d: IsoDate, years: number): IsoDate => addMonths(d, years * 12);

/** Days since 1970-01-01 for a calendar date (proleptic Gregorian, no time zone). */
export function dayNumber(d: IsoDate): number {
  const p = partsOf(d);
  return Math.round(Date.UTC(p.year, p.month - 1, p.day) / 86_400_000);
}

export function fromDayNumber(n: number): IsoDate {
  const t = new Date(n * 86_400_000);
  return makeDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export const addDays = (d: IsoDate, days: number): IsoDate => fromDayNumber(dayNumber(d) + days);
export const daysBetween = (from: IsoDate, to: IsoDate): number => dayNumber(to) - dayNumber(from);

export const compareDates = (a: IsoDate, b: IsoDate): number => (a < b ? -1 : a > b ? 1 : 0);
export const minDate = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
export const maxDate = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);

/** Whole months completed from `from` to `to` (an age in months on `to`); a birthday on the 31st is reached on a shorter month's last day. */
export function monthsBetween(from: IsoDate, to: IsoDate): number {
  const a = partsOf(from);
  const b = partsOf(to);
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  if (addMonths(from, months) > to) months -= 1;
  return months;
}

export const ageInMonths = (birthDate: IsoDate, on: IsoDate): number => monthsBetween(birthDate, on);
export const ageInYears = (birthDate: IsoDate, on: IsoDate): number =>
  Math.floor(ageInMonths(birthDate, on) / 12);

export const lastDayOfMonth = (d: IsoDate): IsoDate => {
  const p = partsOf(d);
  return makeDate(p.year, p.month, daysInMonth(p.year, p.month));
};
export const firstDayOfMonth = (d: IsoDate): IsoDate => `${d.slice(0, 7)}-01`;
export const yearOf = (d: IsoDate): number => Number(d.slice(0, 4));

// ---- periods (YYYY-MM) ----

export const isPeriod = (s: unknown): s is Period => {
  if (typeof s !== 'string') return false;
  const m = PERIOD_RE.exec(s);
  return m !== null && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[1]) >= 1;
};

export function parsePeriod(s: unknown, field = 'period'): Period {
  if (!isPeriod(s)) {
    // the code's message and the field only, as parseDate: what was sent is not repeated back
    throw new SbError('SB_ERR_INVALID_PERIOD', { field });
  }
  return s;
}

export const periodOf = (d: IsoDate): Period => d.slice(0, 7);
export const periodStart = (p: Period): IsoDate => `${p}-01`;
export const periodEnd = (p: Period): IsoDate => lastDayOfMonth(`${p}-01`);
export const addPeriods = (p: Period, n: number): Period => periodOf(addMonths(`${p}-01`, n));

/** Number of periods from a to b inclusive (0 when b precedes a). */
export function periodCount(a: Period, b: Period): number {
  const n = (yearOf(b) - yearOf(a)) * 12 + (Number(b.slice(5, 7)) - Number(a.slice(5, 7))) + 1;
  return Math.max(0, n);
}

export function periodRange(a: Period, b: Period): Period[] {
  return Array.from({ length: periodCount(a, b) }, (_, i) => addPeriods(a, i));
}
