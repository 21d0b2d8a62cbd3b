// One check of a resident ID number for every web form that takes a whole one. It is the server's own
// rule (GB 11643: 18 characters or a legacy 15 digits, a real birth date not after today, the check
// character — src/core/ids.ts), imported the way the web imports other pure core modules, so the form
// and the server cannot disagree about a number; the message is in the reader's language. This file
// imports no React or antd, so the server's test runner checks it too (src/core/id-number-web.test.ts).
import { today } from '../../src/core/clock.ts';
import { checkIdNumber } from '../../src/core/ids.ts';
import { en } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

type Lang = 'zh-CN' | 'en';
const text = (lang: Lang, key: keyof typeof zhCN): string => (lang === 'zh-CN' ? zhCN : en)[key];

/** Why `value` is not a valid ID number, in the reader's language; null when it is one (or is empty). */
export function idNumberProblem(value: string, lang: Lang, asOf: string = today()): string | null {
  if (!value.trim()) return null;
  const r = checkIdNumber(value, asOf);
  if (r.valid) return null;
  return `${text(lang, 'register.idNumber.invalid')}${lang === 'zh-CN' ? r.reasonZh : r.reason}`;
}

/** An antd form rule (the two shapes used here). */
export type IdNumberRule =
  | { required: true; whitespace: true; message: string }
  | { validator: (rule: unknown, value: string | undefined) => Promise<void> };

/**
 * The antd rules of an ID-number field: required (unless `required: false`) and valid. With
 * `eighteen`, a legacy 15-digit number is refused too (the federation's messages carry 18 characters).
 */
export function idNumberRules(
  lang: Lang,
  opts: { required?: boolean; eighteen?: boolean } = {},
): IdNumberRule[] {
  const rules: IdNumberRule[] = [];
  if (opts.required !== false)
    rules.push({ required: true, whitespace: true, message: text(lang, 'register.idNumber.required') });
  rules.push({
    validator: async (_rule, value) => {
      const v = (value ?? '').trim();
      const problem = idNumberProblem(v, lang);
      if (problem !== null) throw new Error(problem);
      if (opts.eighteen === true && v !== '' && v.length !== 18)
        throw new Error(text(lang, 'register.idNumber.eighteen'));
    },
  });
  return rules;
}
