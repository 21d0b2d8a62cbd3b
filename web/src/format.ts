// Money, dates and masks for display. Amounts arrive in integer fen and are written by the server's
// money text (src/core/money-text.ts), integer arithmetic only, so no float rounding can change a fen.
import { addDays, dateInWords, daysBetween, monthInWords, yearOf } from '../../src/core/dates.ts';
import { formatMoney as coreFormatMoney, formatYuan, parseYuan } from '../../src/core/money-text.ts';
import type { Lang } from './i18n/lang.ts';
import type { Words } from '../../src/core/bilingual.ts';

/** The page's language as the server's text functions name it. */
const wordsLang = (lang: Lang): 'zh' | 'en' => (lang === 'zh-CN' ? 'zh' : 'en');

/** Groups an unsigned digit string by thousands: "1234567" → "1,234,567". */
function groupThousands(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}

/** A whole number of fen the server's text functions can write, or null (a fraction, NaN, beyond 2^53). */
const safeFen = (fen: number | bigint): number | null => {
  const n = Number(fen);
  return Number.isSafeInteger(n) ? n : null;
};

/** 123456 fen → "1,234.56" (no currency sign). Accepts number or bigint; "—" for what is not whole fen. */
export function fenToYuan(fen: number | bigint): string {
  const n = safeFen(fen);
  return n === null ? '—' : formatYuan(n);
}

/**
 * 123456 fen → "¥1,234.56"; a negative amount (a difference, a refund) → "-¥1,234.56", written by the
 * server's formatMoney so pages and stored texts agree; no amount, or not whole fen, → "—".
 */
export function formatMoney(fen: number | bigint | null | undefined): string {
  const n = fen === null || fen === undefined ? null : safeFen(fen);
  return n === null ? '—' : coreFormatMoney(n);
}

// Yuan typed by a person → fen: the server's parser (src/core/money-text.ts), one rule for the money box
// and the uploads.
export { parseYuan, type YuanProblem } from '../../src/core/money-text.ts';

/** "1,234.56" or "1234.5" (yuan typed by a person) → integer fen, or null when it is not an amount. */
export function yuanToFen(text: string): number | null {
  const r = parseYuan(text);
  return 'fen' in r ? r.fen : null;
}

/** A calendar date as the API writes it, "2021-09-01" (not a timestamp, not a month). */
export const isIsoDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/**
 * A note of an application in the reader's language: the server sends both (a person's own words,
 * typed in one language, are the same in both).
 */
export const noteInLanguage = (note: Words, lang: Lang): string => (lang === 'zh-CN' ? note.zh : note.en);

/** The day of a timestamp in the agency's time zone: "2026-12-02T22:22:00Z" is 3 December in Shanghai. */
const AGENCY_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });

/**
 * "2021-09-01" → "2021年9月1日" (zh-CN) or "1 Sep 2021" (en); a timestamp is shown as its day in the
 * agency's time zone, not its UTC day. Other text is shown as it is.
 */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const at = iso.length > 10 && iso[10] === 'T' ? new Date(iso) : null;
  const day = at && !Number.isNaN(at.getTime()) ? AGENCY_DAY.format(at) : iso;
  // the words the server writes in certificates and messages (src/core/dates.ts), one copy
  return /^\d{4}-\d{2}-\d{2}/.test(day) ? dateInWords(day.slice(0, 10), wordsLang(lang)) : iso;
}

const AGENCY_TIME = {
  minutes: { 'zh-CN': dateTime('zh-CN', 'short'), en: clock('short') },
  seconds: { 'zh-CN': dateTime('zh-CN', 'medium'), en: clock('medium') },
};

function dateTime(lang: Lang, timeStyle: 'short' | 'medium'): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(lang, { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle });
}

// English: the day in formatDate's words ("26 Sep 2026": en-GB's own medium date writes "26 Sept"), then
// the 24-hour time in the agency's zone.
function clock(timeStyle: 'short' | 'medium'): { format: (at: Date) => string } {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', timeStyle });
  return { format: (at) => `${dateInWords(AGENCY_DAY.format(at), 'en')}, ${time.format(at)}` };
}

/**
 * A timestamp as the date and time in the agency's time zone, in the reader's language, whatever the
 * browser's zone: "2026-12-02T22:25:01Z" → "2026年12月3日 06:25" / "3 Dec 2026, 06:25". Other text is
 * shown as it is.
 */
export function formatDateTime(
  iso: string | null | undefined,
  lang: Lang,
  precision: 'minutes' | 'seconds' = 'minutes',
): string {
  if (!iso) return '—';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : AGENCY_TIME[precision][lang].format(at);
}

// The date pickers' formats (dayjs): the words formatDate and formatPeriod write, then the ISO form a
// clerk may type, which AntD also parses (date-web.test.ts checks the words against formatDate).
const PICKER_FORMATS: Record<Lang, { date: string[]; month: string[] }> = {
  'zh-CN': { date: ['YYYY年M月D日', 'YYYY-MM-DD'], month: ['YYYY年M月', 'YYYY-MM'] },
  en: { date: ['D MMM YYYY', 'YYYY-MM-DD'], month: ['MMM YYYY', 'YYYY-MM'] },
};

/** A date picker's formats: the words it displays first, then the ISO form it also accepts. */
export const pickerFormats = (lang: Lang, picker?: string): string[] =>
  picker === 'month' ? PICKER_FORMATS[lang].month : PICKER_FORMATS[lang].date;

/** "2021-09" → "2021年9月" / "Sep 2021". */
export const formatPeriod = (period: string, lang: Lang): string => monthInWords(period, wordsLang(lang));

const yearsAndMonths = (months: number): [number, number] => [Math.floor(months / 12), months % 12];

/** Months as "15年3个月" / "15 y 3 m". */
export function formatMonths(months: number, lang: Lang): string {
  const [y, m] = yearsAndMonths(months);
  return lang === 'zh-CN' ? `${y}年${m ? `${m}个月` : ''}` : `${y} y${m ? ` ${m} m` : ''}`;
}

/** Names in a run: 甲、乙 in Chinese, "a, b" in English (an English list read 'Person、Employer'). */
export function formatList(items: readonly string[], lang: Lang): string {
  return items.join(lang === 'zh-CN' ? '、' : ', ');
}

/** An age given in months, as a clerk writes it: 63岁3个月 (a count of years is 年, an age is 岁). */
export function formatAge(months: number, lang: Lang): string {
  const [y, m] = yearsAndMonths(months);
  return lang === 'zh-CN'
    ? `${y}岁${m ? `${m}个月` : ''}`
    : `${y} years${m ? ` ${m} month${m === 1 ? '' : 's'}` : ''}`;
}

/** Integer with thousands separators. */
export const formatCount = (n: number): string =>
  Number.isSafeInteger(n) ? (n < 0 ? '-' : '') + groupThousands(String(Math.abs(n))) : String(n);

/** What a count in a table counts: its Chinese measure word, and the English noun for one and for many. */
const COUNT_WORDS = {
  months: ['个月', 'month', 'months'],
  payments: ['笔', 'payment', 'payments'],
  bills: ['张', 'bill', 'bills'],
  hospitals: ['家', 'hospital', 'hospitals'],
  people: ['人', 'person', 'people'],
  cases: ['件', 'case', 'cases'],
  applications: ['件', 'application', 'applications'],
  referrals: ['次', 'referral', 'referrals'],
  certificates: ['本', 'certificate', 'certificates'],
} as const;
export type CountWord = keyof typeof COUNT_WORDS;

/** A count with its word, as a cell reads alone on a phone's card: "27个月" / "27 months", "1 payment". */
export function formatCountOf(n: number, what: CountWord, lang: Lang): string {
  const [zh, one, many] = COUNT_WORDS[what];
  return lang === 'zh-CN' ? `${formatCount(n)}${zh}` : `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** This browser's date in Shanghai, YYYY-MM-DD: only to measure how far the agency's today is from it. */
export function browserTodayIso(): string {
  return AGENCY_DAY.format(new Date());
}

// Days from the browser's date to the agency's today, set when the session arrives (0 without one).
let agencyDayOffset = 0;

/** Keeps the session's today as an offset from the browser's date, so it moves on at midnight. */
export function setAgencyToday(today: string | null): void {
  agencyDayOffset = today === null ? 0 : daysBetween(browserTodayIso(), today);
}

/**
 * The agency's today, YYYY-MM-DD: the day the server decides by (its clock, or a demo city's fixed
 * date), whatever this browser's clock says; the browser's date before a session. Every default day
 * and year comes from here: a PC whose clock was a few days off offered a day the server refused.
 */
export function todayIso(): string {
  return addDays(browserTodayIso(), agencyDayOffset);
}

/** The agency's year. */
export const agencyYear = (): number => yearOf(todayIso());
