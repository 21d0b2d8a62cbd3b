// The reasons the server itself writes on audit entries, by code, with their words in both languages.
// An entry keeps the text as it was always written (`written`, English, in the hash chain), so the code
// is derived from that text when the entry is read: entries written before the codes read the same as
// new ones. A reason a clerk typed matches no pattern and stays as typed, in both languages; a process's
// note kept as "中文 / English" reads in each reader's half.
import { noteText, readNote, type Words } from '../core/bilingual.ts';

interface ReasonPattern {
  /** the stored text, `{name}` for a figure */
  written: string;
  /** the words each reader sees, `{name}` for the same figures */
  words: Words;
  /** figures that are themselves codes: their words */
  codes?: Readonly<Record<string, Readonly<Record<string, Words>>>>;
}

const EMPLOYMENT_END: Record<string, Words> = {
  voluntary: { zh: '主动离职', en: 'left of their own will' },
  involuntary: { zh: '非本人意愿中断就业', en: 'lost the job through no choice of their own' },
  retirement: { zh: '退休', en: 'retirement' },
  death: { zh: '死亡', en: 'death' },
};

const DEATH_SOURCE: Record<string, Words> = {
  registry: { zh: '死亡登记', en: 'the death register' },
  certification: { zh: '资格认证', en: 'the eligibility check' },
  manual: { zh: '经办人员录入', en: 'entered by the agency' },
};

export const AUDIT_REASONS = {
  'retirement-approved': {
    written: 'retirement case {case} approved',
    words: { zh: '退休审批通过', en: 'retirement approved' },
  },
  'death-recorded': {
    written: 'death recorded',
    words: { zh: '登记死亡', en: 'death recorded' },
  },
  'id-converted': {
    written: '15-digit ID number converted to {id}',
    words: { zh: '15位身份证号码已升为18位：{id}', en: '15-digit ID number converted to {id}' },
  },
  'employment-ended': {
    written: 'employment {employment} ended ({why})',
    words: { zh: '劳动关系终止（{why}）', en: 'employment ended ({why})' },
    codes: { why: EMPLOYMENT_END },
  },
  'back-entry': {
    written: '补录 back-entry {entry}: {note}',
    words: { zh: '补录：{note}', en: 'back-entry: {note}' },
  },
  'pension-stopped-at-death': {
    written: 'death {date} ({source})',
    words: {
      zh: '{date} 死亡，停发（来源：{source}）',
      en: 'died on {date}, payment stopped (from {source})',
    },
    codes: { source: DEATH_SOURCE },
  },
  'pension-restored': {
    written: 'certification {certification} ({date}) lifts suspension {suspension}',
    words: { zh: '{date} 已完成资格认证，恢复发放', en: 'eligibility confirmed on {date}, payment restored' },
  },
  'death-on-home-visit': {
    written: 'home visit on {date} by {by}',
    words: { zh: '{date} 上门走访核实死亡', en: 'death confirmed on a home visit on {date}' },
  },
  'death-import': {
    written: 'death record import {import}, line {line}',
    words: {
      zh: '死亡名单比对（第 {import} 批第 {line} 行）',
      en: 'death register match (batch {import}, line {line})',
    },
  },
} as const satisfies Record<string, ReasonPattern>;

export type AuditReasonCode = keyof typeof AUDIT_REASONS;

/** The names of a pattern's figures: 'id' of '15-digit ID number converted to {id}'. */
type Figures<S extends string> = S extends `${string}{${infer N}}${infer R}` ? N | Figures<R> : never;

/** The text to store for a server-written reason (the figures named as its pattern names them). */
export function auditReason<C extends AuditReasonCode>(
  code: C,
  ...figures: Figures<(typeof AUDIT_REASONS)[C]['written']> extends never
    ? []
    : [Record<Figures<(typeof AUDIT_REASONS)[C]['written']>, string | number>]
): string {
  const values: Record<string, string | number> = figures[0] ?? {};
  return AUDIT_REASONS[code].written.replace(/\{(\w+)\}/g, (_, n: string) => String(values[n] ?? ''));
}

const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

// Each pattern as a regular expression over the whole stored text, its figures as named groups.
const MATCHERS = (Object.entries(AUDIT_REASONS) as Array<[AuditReasonCode, ReasonPattern]>).map(
  ([code, p]) => ({
    code,
    pattern: p,
    re: new RegExp(`^${escape(p.written).replace(/\\?\{(\w+)\\?\}/g, '(?<$1>.+?)')}$`, 's'),
  }),
);

function fill(template: string, groups: Record<string, string>, p: ReasonPattern, lang: keyof Words): string {
  return template.replace(/\{(\w+)\}/g, (_, n: string) => {
    const v = groups[n] ?? '';
    return p.codes?.[n]?.[v]?.[lang] ?? v;
  });
}

/**
 * A stored reason as each reader gets it: its code and words when the server wrote it, else (typed by a
 * person, or an older text no pattern knows) the text as it is in both languages, with no code.
 */
export function readAuditReason(
  stored: string | null,
): { code: AuditReasonCode | null; words: Words } | null {
  if (stored === null || stored.trim() === '') return null;
  for (const m of MATCHERS) {
    const found = m.re.exec(stored);
    if (!found) continue;
    const groups = { ...found.groups };
    return {
      code: m.code,
      words: {
        zh: fill(m.pattern.words.zh, groups, m.pattern, 'zh'),
        en: fill(m.pattern.words.en, groups, m.pattern, 'en'),
      },
    };
  }
  // a process's note in both languages ("已转安徽省办理 / sent to Anhui", noteLine) splits; typed text stays
  const note = readNote(stored);
  return { code: null, words: note === null ? { zh: stored, en: stored } : noteText(note) };
}
