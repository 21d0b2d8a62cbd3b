// A finding's evidence in words: the detectors store it as JSON (src/supervision/detector.repository.ts)
// with field names and fen, and a supervisor read it as a JSON dump ("amountFen": 310000). Here each
// value is formatted by what its name says it holds: money, a date, a month, a record number, a code.
import { formatCount, formatDate, formatMoney, formatPeriod, isIsoDate } from '../../format.ts';
import type { Lang } from '../../i18n/lang.ts';

/** Names a code under a catalogue prefix (useCodeText): ('audit', 'person.update') → 修改人员信息. */
export type Word = (prefix: string, code: string) => string;

/** awardIds → awardId: what one element of a list is called. */
const singular = (key: string): string => (key.endsWith('Ids') ? key.slice(0, -1) : key);

/** One scalar value of the evidence as text; its key says what it is. */
export function evidenceScalar(key: string, v: unknown, lang: Lang, word: Word): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return word('sv.ev.bool', String(v));
  if (typeof v === 'number') {
    if (key.endsWith('Fen')) return formatMoney(v);
    if (key.endsWith('Id')) return `#${v}`;
    if (key === 'ratePerThousand') return `${formatCount(v)}‰`;
    return formatCount(v);
  }
  if (typeof v !== 'string') return JSON.stringify(v);
  if (key === 'action') return word('audit', v);
  if (key === 'relation' || key === 'reason') return word(`sv.ev.${key}`, v);
  // the same words as the person's pension page
  if (key === 'suspendReasonCode') return word('pension.suspendReason', v);
  if (isIsoDate(v)) return formatDate(v, lang);
  if (/^\d{4}-\d{2}$/.test(v)) return formatPeriod(v, lang);
  return v;
}

/** A list of scalars on one line: record numbers, months, actions. */
export function evidenceList(key: string, items: readonly unknown[], lang: Lang, word: Word): string {
  const one = key === 'actions' ? 'action' : singular(key);
  return items.map((x) => evidenceScalar(one, x, lang, word)).join(lang === 'zh-CN' ? '、' : ', ');
}

/** A threshold as the evidence records it (detector.rules.ts ThresholdUsed). */
export interface Threshold {
  path: string;
  value: number;
}

export const isThresholdList = (v: unknown): v is Threshold[] =>
  Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object' && 'path' in x && 'value' in x);

/** A list of records (payments by month, benefit holders): one table, its columns the records' keys. */
export const isRecordList = (v: unknown): v is Record<string, unknown>[] =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));
