// The reasons the server itself writes on audit entries, by code, with their words in both languages.
// An entry keeps the text as it was always written (`written`, English, in the hash chain), so the code
// is derived from that text when the entry is read: entries written before the codes read the same as
// new ones. A reason a clerk typed matches no pattern and stays as typed, in both languages; a process's
// note kept as "中文 / English" reads in each reader's half.
import { noteText, patternReader, readNote, type Words, type WrittenPattern } from '../core/bilingual.ts';
import { END_REASON_WORDS } from '../registry/employment-codes.rules.ts';

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
    words: { zh: '劳动关系终止（{why}）', en: 'employment ended: {why}' },
    codes: { why: END_REASON_WORDS },
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
  'bank-return-line': {
    written: '银行退票文件第 {line} 行：{bank}',
    words: { zh: '银行退票文件第 {line} 行：{bank}', en: 'bank return file, line {line}: {bank}' },
  },
  'receipts-dated-by-bank': {
    written: 'bank receipts dated by the bank ({n})',
    words: { zh: '按银行到账日期入账（{n} 笔）', en: 'receipts dated as the bank dated them ({n})' },
  },
  'receipts-skipped-now-free': {
    written: 'lines skipped at the first import: their bank reference is held by no record now',
    words: {
      zh: '补记首次导入时跳过的到账行：其银行流水号现已无记录占用',
      en: 'lines skipped at the first import, recorded now: no record holds their bank reference any more',
    },
  },
  'payment-dated-by-operator': {
    written: 'dated by the operator {operator}',
    words: { zh: '由系统操作员 {operator} 指定缴费日期', en: 'dated by the operator {operator}' },
  },
  'online-order-bill-closed': {
    written:
      'online order {order}: {error}: the bill was no longer open (paid by another order or cancelled)',
    words: {
      zh: '网上缴费订单 {order}：账单已不可缴（已由其他订单缴纳或已作废），款项暂收待退',
      en: 'online order {order}: the bill was no longer open (paid by another order or cancelled), money held to refund',
    },
  },
  'online-order-amount-moved': {
    written: 'online order {order}: {error}: the order is no longer the amount due',
    words: {
      zh: '网上缴费订单 {order}：订单金额已不是应缴金额，款项暂收待退',
      en: 'online order {order}: the order is no longer the amount due, money held to refund',
    },
  },
  'certification-import': {
    written: 'data comparison: per-person rows in certification (channel data) and certification_death_match',
    words: {
      zh: '数据比对认证（逐人记录认证结果与死亡比对）',
      en: 'data comparison (each person’s result recorded)',
    },
  },
  'certification-sweep-chunk': {
    written: 'not certified within the 12-month window; per-person rows in certification_suspension',
    words: {
      zh: '12个月内未完成资格认证，暂停发放',
      en: 'not certified within the 12-month window, payment suspended',
    },
  },
  'certification-sweep': {
    written: 'sweep of campaign {campaign} ({region} {year})',
    words: {
      zh: '{year} 年度资格认证期满清理（认证批次 {campaign}，{region}）',
      en: 'end of the {year} eligibility check (campaign {campaign}, {region})',
    },
  },
  'demo-pensions': {
    written: 'demo city seeding (documented simplification)',
    words: { zh: '演示城市数据生成（按文档简化）', en: 'demo city seeding (documented simplification)' },
  },
  'demo-resident-pensions': {
    written: "demo city seeding: elderly residents' pensions (documented simplification)",
    words: {
      zh: '演示城市数据生成：高龄城乡居民养老金（按文档简化）',
      en: "demo city seeding: elderly residents' pensions (documented simplification)",
    },
  },
  'demo-supervision': {
    written: '监管演示',
    words: { zh: '监管演示', en: 'supervision demo' },
  },
} as const satisfies Record<string, WrittenPattern>;

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

const readWritten = patternReader<AuditReasonCode>(AUDIT_REASONS);

/**
 * A stored reason as each reader gets it: its code and words when the server wrote it, else (typed by a
 * person, or an older text no pattern knows) the text as it is in both languages, with no code.
 */
export function readAuditReason(
  stored: string | null,
): { code: AuditReasonCode | null; words: Words } | null {
  if (stored === null || stored.trim() === '') return null;
  const written = readWritten(stored);
  if (written !== null) return written;
  // a process's note in both languages ("已转安徽省办理 / sent to Anhui", noteLine) splits; typed text stays
  const note = readNote(stored);
  return { code: null, words: note === null ? { zh: stored, en: stored } : noteText(note) };
}
