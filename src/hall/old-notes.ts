// Notes the processes sent in Chinese only, before they sent both languages (migration 1581 kept those
// rows as the strings they were): the English page says the ones the server wrote in English, derived
// from the stored words by pattern as the audit reasons are; anything else reads as stored.
import { noteText, patternReader, readNote, type Words, type WrittenPattern } from '../core/bilingual.ts';

/** The Chinese-only notes, by what they said; `{name}` for a figure (the English as sent today). */
const OLD_NOTES = {
  'injury-recognition-accepted': {
    written: '工伤认定申请已受理',
    words: { zh: '工伤认定申请已受理', en: 'work-injury recognition accepted' },
  },
  'injury-recognised': {
    written: '认定为工伤，认定决定书已在线送达',
    words: {
      zh: '认定为工伤，认定决定书已在线送达',
      en: 'recognised as a work injury; the decision was delivered online',
    },
  },
  'injury-not-recognised': {
    written: '不予认定工伤，认定决定书已在线送达',
    words: {
      zh: '不予认定工伤，认定决定书已在线送达',
      en: 'not recognised as a work injury; the decision was delivered online',
    },
  },
  'application-withdrawn': {
    written: '申请已撤回',
    words: { zh: '申请已撤回', en: 'application withdrawn' },
  },
  'unemployment-moved': {
    written: '失业保险关系转移至 {province}，自{period}起由转入地按其标准发放剩余 {months} 个月',
    words: {
      zh: '失业保险关系转移至 {province}，自{period}起由转入地按其标准发放剩余 {months} 个月',
      en: 'unemployment insurance moved to {province}: from {period} it pays the remaining {months} months at its own rates',
    },
  },
  'unemployment-resumed': {
    written: '中止情形消失，自{from}起恢复发放，领取期限顺延至{last}',
    words: {
      zh: '中止情形消失，自{from}起恢复发放，领取期限顺延至{last}',
      en: 'payments resume from {from}; the entitlement now runs to {last}',
    },
  },
  // a home-service booking: the group, then the service wanted as the applicant named it
  'home-service-elderly': {
    written: '高龄：{service}',
    words: { zh: '高龄：{service}', en: 'very old: {service}' },
  },
  'home-service-disabled': {
    written: '残疾：{service}',
    words: { zh: '残疾：{service}', en: 'disabled: {service}' },
  },
  'home-service-bedridden': {
    written: '失能卧床：{service}',
    words: { zh: '失能卧床：{service}', en: 'bedridden: {service}' },
  },
} as const satisfies Record<string, WrittenPattern>;

const readOldNote = patternReader<keyof typeof OLD_NOTES>(OLD_NOTES);

/**
 * A stored note for the reader: data as it is, a string of the rows before 1581 split when it has both
 * languages, in English when it is one of the server's Chinese-only notes, else as stored.
 */
export function storedNoteWords(v: unknown): Words | null {
  const n = readNote(v);
  if (n === null) return null;
  // only the old strings: a person's words stored as data since 1581 are never translated
  if (typeof v === 'string' && 'text' in n) return readOldNote(n.text)?.words ?? noteText(n);
  return noteText(n);
}
