// Resident ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).
import { dateParts, makeDate, type IsoDate } from './dates.ts';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Check character for the first 17 digits of an ID number. */
export function idCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[s % 11] ?? '';
}

export type IdNumberResult =
  | {
      valid: true;
      normalized: string;
      birthDate: IsoDate;
      sex: 'M' | 'F';
      regionCode: string;
      converted: boolean;
    }
  | { valid: false; reason: string; reasonZh: string };

const fail = (reason: string, reasonZh: string): IdNumberResult => ({ valid: false, reason, reasonZh });

/**
 * A number or code as typed: a Chinese input method in full-width mode types `１１０１…Ｘ` and an ideographic
 * space, which NFKC makes the ASCII digits, letters and space they look like; then trimmed, in capitals.
 */
const asTyped = (raw: string): string => raw.normalize('NFKC').trim().toUpperCase();

/**
 * Validates an ID number: format, a real birth date not after `asOf`, and the check character.
 * 15-digit legacy numbers (born 19xx) are converted to 18, full-width digits to ASCII (`asTyped`). The region code is reported, not validated.
 */
export function checkIdNumber(raw: string, asOf?: IsoDate): IdNumberResult {
  const s = asTyped(raw);
  let body: string;
  let converted = false;
  if (/^\d{15}$/.test(s)) {
    body = `${s.slice(0, 6)}19${s.slice(6)}`;
    converted = true;
  } else if (/^\d{17}[\dX]$/.test(s)) {
    body = s.slice(0, 17);
  } else {
    return fail(
      'must be 18 characters (17 digits and a digit or X) or 15 digits',
      '应为18位（17位数字加数字或X）或15位数字',
    );
  }
  const birth = body.slice(6, 14);
  const parts = dateParts(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`);
  if (!parts || parts.year < 1800)
    return fail('the birth date in it is not a real date', '其中的出生日期不是有效日期');
  const birthDate = makeDate(parts.year, parts.month, parts.day);
  if (asOf !== undefined && birthDate > asOf)
    return fail('the birth date in it is in the future', '其中的出生日期晚于今天');
  const check = idCheckChar(body);
  if (!converted && s[17] !== check) {
    // neither the character typed nor the right one: a message never repeats the number
    return fail(
      'the check character (the last one) is wrong: check the number for a typo',
      '校验码（最后一位）不正确：请核对号码是否录错',
    );
  }
  return {
    valid: true,
    normalized: body + check,
    birthDate,
    sex: Number(body[16]) % 2 === 1 ? 'M' : 'F',
    regionCode: body.slice(0, 6),
    converted,
  };
}

/** Builds a valid ID number (for the demo city and property tests). `sequence` is 0–999; odd = male. */
export function makeIdNumber(regionCode: string, birthDate: IsoDate, sequence: number): string {
  const body = `${regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return body + idCheckChar(body);
}

/** `3401**********123X`: the first 4 and last 4 characters. */
export const maskIdNumber = (id: string): string =>
  id.length <= 8 ? '*'.repeat(id.length) : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;

/** An 18-character (17 digits and a digit or X) or 15-digit run not part of a longer number. */
const ID_NUMBER_IN_TEXT = /(?<!\d)(?:\d{17}[\dXx]|\d{15})(?!\d)/g;

/** Masks every full ID number (18 or 15 characters) inside a free text, e.g. an audit reason. */
export const maskIdNumbersIn = (text: string): string =>
  text.replace(ID_NUMBER_IN_TEXT, (m) => maskIdNumber(m.toUpperCase()));

/** The same over every string of a JSON value (keys kept), for answers built from stored records. */
export function maskIdNumbersDeep<T>(v: T): T {
  if (typeof v === 'string') return maskIdNumbersIn(v) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => maskIdNumbersDeep(x)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = maskIdNumbersDeep(x);
    return out as T;
  }
  return v;
}

// ---- unified social credit code ----

export const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export function creditCheckChar(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += CREDIT_CHARSET.indexOf(first17[i] ?? '') * (CREDIT_WEIGHTS[i] ?? 0);
  const r = 31 - (s % 31);
  return CREDIT_CHARSET[r === 31 ? 0 : r] ?? '';
}

/** GB 11714 check of the organisation code (positions 9–16 → position 17). */
export function orgCodeCheckChar(first8: string): string {
  let s = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8[i] ?? '0';
    const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55; // A=10 … Z=35
    s += v * (ORG_WEIGHTS[i] ?? 0);
  }
  const c = 11 - (s % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export type CreditCodeResult =
  | { valid: true; normalized: string; regionCode: string; orgCodeCheckOk: boolean }
  | { valid: false; reason: string; reasonZh: string; orgCodeCheckOk?: boolean };

export function checkCreditCode(raw: string): CreditCodeResult {
  const s = asTyped(raw);
  if (s.length !== 18) return { valid: false, reason: 'must be 18 characters', reasonZh: '应为18位' };
  const bad = [...s].find((c) => !CREDIT_CHARSET.includes(c));
  if (bad !== undefined) {
    // the code's own letters are not repeated: the message names the rule
    return {
      valid: false,
      reason: 'a character is not allowed (digits and capital letters except I, O, Z, S, V)',
      reasonZh: '含不允许的字符（仅限数字和除 I、O、Z、S、V 外的大写字母）',
    };
  }
  const orgCodeCheckOk = orgCodeCheckChar(s.slice(8, 16)) === s[16];
  const check = creditCheckChar(s.slice(0, 17));
  if (s[17] !== check) {
    // neither the character typed nor the right one (as for the ID number): the right one would
    // let anyone complete a code by trial
    return {
      valid: false,
      reason: 'the check character (the last one) does not match: check the code for a typo',
      reasonZh: '校验码（最后一位）不匹配：请核对代码是否录错',
      orgCodeCheckOk,
    };
  }
  return { valid: true, normalized: s, regionCode: s.slice(2, 8), orgCodeCheckOk };
}

/** Builds a valid credit code with a valid inner organisation code (for the demo city and tests). */
export function makeCreditCode(regionCode: string, orgSerial: number): string {
  const org8 = String(orgSerial % 100_000_000).padStart(8, '0');
  const first17 = `91${regionCode}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + creditCheckChar(first17);
}
