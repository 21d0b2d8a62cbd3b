// Pure checks and masks for a person's record: phone, bank account, name, the hukou region an ID
// number implies, and what a list may show. No database, no clock.
import { SbError } from '../core/errors.ts';
import { checkIdNumber, maskIdNumber } from '../core/ids.ts';
import { isKnownRegion, parentRegion } from '../core/regions.ts';

const MOBILE = /^1[3-9]\d{9}$/;
/** Landline with area code: 0 + 2–3 digits, optional dash, 7–8 digits, optional extension. */
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;

/** A mainland mobile (1[3-9] + 9 digits) or a landline with area code; spaces are dropped. */
export function normalizePhone(raw: string, field = 'phone'): string {
  const s = raw.replace(/[\s]/g, '').replace(/^\+86/, '');
  if (MOBILE.test(s) || LANDLINE.test(s)) return s;
  throw new SbError('SB_ERR_INVALID_PHONE', { field });
}

/** 12–30 digits; spaces and dashes people type between groups are dropped. */
export function normalizeBankAccount(raw: string, field = 'bankAccount'): string {
  const s = raw.replace(/[\s-]/g, '');
  if (/^\d{12,30}$/.test(s)) return s;
  throw new SbError('SB_ERR_INVALID_BANK_ACCOUNT', { field });
}

export function normalizeName(raw: string, field = 'name'): string {
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s.length < 1 || s.length > 100) {
    throw new SbError('SB_ERR_VALIDATION', {
      field,
      zh: '姓名应为1至100个字符',
      en: 'a name has 1 to 100 characters',
    });
  }
  return s;
}

/** 138****0000 for a mobile; a landline keeps its area code and last 2 digits. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  if (MOBILE.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return phone.length <= 6
    ? '*'.repeat(phone.length)
    : `${phone.slice(0, 4)}${'*'.repeat(phone.length - 6)}${phone.slice(-2)}`;
}

/** Who holds an employment, as lists of staff and of coverage gaps show them: the ID number masked. */
export function employedPersonView(r: {
  employment_id: number;
  person_id: number;
  name: string;
  id_number: string;
}) {
  return {
    employmentId: r.employment_id,
    personId: r.person_id,
    name: r.name,
    idNumber: maskIdNumber(r.id_number),
  };
}

/** Only the last 4 digits show. */
export function maskBankAccount(account: string | null): string | null {
  if (account === null) return null;
  return `${'*'.repeat(Math.max(0, account.length - 4))}${account.slice(-4)}`;
}

/**
 * The hukou region an ID number's first six digits imply, climbed up to the nearest region the
 * platform knows (a withdrawn county → its city → its province → national).
 */
export function hukouFromIdRegion(idRegion: string, known: (code: string) => boolean): string {
  let code: string | null = idRegion;
  while (code !== null) {
    if (known(code)) return code;
    code = parentRegion(code);
  }
  return '000000';
}

export { poolingRegionOf, regionContains, regionLikePattern } from '../core/regions.ts';

/**
 * An ID number typed into a search: the whole number (checked), or its last four characters when
 * the whole name goes with them. A beginning of a number is refused: prefixes are how a full number
 * is rebuilt.
 */
export function idNumberQuery(
  raw: string,
  name: string | undefined,
): { exact: string } | { last4: string; name: string } {
  const s = raw.trim().toUpperCase();
  const checked = checkIdNumber(s);
  if (checked.valid) return { exact: checked.normalized };
  const last4 = /^[0-9]{3}[0-9X]$/.test(s);
  if (last4 && name) return { last4: s, name };
  throw new SbError('SB_ERR_PARTIAL_ID_NUMBER', {
    field: 'idNumber',
    zh: last4 ? '按后四位查询须同时输入完整姓名' : '身份证号码不完整或校验码不正确；不支持按号码开头查询',
    en: last4
      ? 'the last four characters go with the whole name'
      : 'the ID number is incomplete or its check character is wrong; searching by its beginning is not supported',
  });
}

/** A known region code, or SB_ERR_UNKNOWN_REGION naming `field`. */
export function requireRegion(code: string, field: string): string {
  if (!isKnownRegion(code)) throw new SbError('SB_ERR_UNKNOWN_REGION', { field });
  return code;
}

/** SB_ERR_NOT_FOUND naming the request's `field`, never the id asked for (ids tell no one what exists). */
export const notFound = (field: string): SbError => new SbError('SB_ERR_NOT_FOUND', { field });

/** An employment or enrolment ended after the server's today (the caller's clock is not asked). */
export const endInFuture = (): SbError =>
  new SbError('SB_ERR_VALIDATION', {
    field: 'endDate',
    zh: '终止日期不能晚于今天',
    en: 'the end date may not be in the future',
  });

/**
 * The one answer an employer gets about anyone who is not its staff: nothing about the person (not
 * the name, not a death, not whether the number is registered).
 */
export const notYourStaff = (field = 'personId'): SbError =>
  new SbError('SB_ERR_NOT_ELIGIBLE', {
    field,
    zh: '不是本单位该期间的职工',
    en: 'not your staff in this period',
  });
