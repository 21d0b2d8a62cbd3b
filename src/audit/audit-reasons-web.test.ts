// The server's own audit reasons read in the page's language. An employment's end reason had three
// spellings (the audit page's 主动离职, the staff table's 本人申请离职, the claim's 本人自愿离职); now one list
// (registry/employment-codes.rules.ts) that every page reads. The reasons of bank returns, receipt imports,
// online orders, certification sweeps and imports, and the demo seeding read English-only or Chinese-only
// text on the other language's page; each is now a code with words in both, the stored text unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { END_REASONS } from '../registry/employment-codes.rules.ts';
import { EmploymentEndReason } from '../registry/enrolment.schema.ts';
import { auditReason, readAuditReason } from './audit-reasons.ts';

const catalogue = (d: Record<string, string>, k: string): string | undefined => d[k];

test('an employment’s end reason reads on the audit page as the staff table and the claim say it', () => {
  for (const why of END_REASONS) {
    const read = readAuditReason(`employment 7 ended (${why})`);
    const zh = catalogue(zhCN, `employment.end.${why}`);
    const eng = catalogue(en, `employment.end.${why}`);
    assert.ok(zh && eng, `the pages have words for ${why}`);
    assert.equal(read?.words.zh, `劳动关系终止（${zh}）`);
    assert.equal(read?.words.en, `employment ended: ${eng}`);
    // the API's description names the same words
    assert.ok(String(EmploymentEndReason.description).includes(`${why} ${zh} ${eng}`), why);
  }
  assert.equal(zhCN['employment.end.voluntary' as keyof typeof zhCN], '本人申请离职');
});

// Each as the server wrote (and still writes) it: the stored text must not change (the hash chain).
const WRITTEN: Array<[string, string, string, string]> = [
  [
    '银行退票文件第 3 行：R01 账户不存在',
    'bank-return-line',
    '银行退票文件第 3 行：R01 账户不存在',
    'bank return file, line 3: R01 账户不存在',
  ],
  [
    'bank receipts dated by the bank (2)',
    'receipts-dated-by-bank',
    '按银行到账日期入账（2 笔）',
    'receipts dated as the bank dated them (2)',
  ],
  [
    'lines skipped at the first import: their bank reference is held by no record now',
    'receipts-skipped-now-free',
    '补记首次导入时跳过的到账行：其银行流水号现已无记录占用',
    'lines skipped at the first import, recorded now: no record holds their bank reference any more',
  ],
  [
    'dated by the operator ops',
    'payment-dated-by-operator',
    '由系统操作员 ops 指定缴费日期',
    'dated by the operator ops',
  ],
  [
    'online order OP20261207001: SB_ERR_CONFLICT: the bill was no longer open (paid by another order or cancelled)',
    'online-order-bill-closed',
    '网上缴费订单 OP20261207001：账单已不可缴（已由其他订单缴纳或已作废），款项暂收待退',
    'online order OP20261207001: the bill was no longer open (paid by another order or cancelled), money held to refund',
  ],
  [
    'online order OP9: SB_ERR_AMOUNT_MISMATCH: the order is no longer the amount due',
    'online-order-amount-moved',
    '网上缴费订单 OP9：订单金额已不是应缴金额，款项暂收待退',
    'online order OP9: the order is no longer the amount due, money held to refund',
  ],
  [
    'data comparison: per-person rows in certification (channel data) and certification_death_match',
    'certification-import',
    '数据比对认证（逐人记录认证结果与死亡比对）',
    'data comparison (each person’s result recorded)',
  ],
  [
    'not certified within the 12-month window; per-person rows in certification_suspension',
    'certification-sweep-chunk',
    '12个月内未完成资格认证，暂停发放',
    'not certified within the 12-month window, payment suspended',
  ],
  [
    'sweep of campaign 4 (341802 2026)',
    'certification-sweep',
    '2026 年度资格认证期满清理（认证批次 4，341802）',
    'end of the 2026 eligibility check (campaign 4, 341802)',
  ],
  [
    'demo city seeding (documented simplification)',
    'demo-pensions',
    '演示城市数据生成（按文档简化）',
    'demo city seeding (documented simplification)',
  ],
  ['监管演示', 'demo-supervision', '监管演示', 'supervision demo'],
];

test('the reasons bank returns, imports, online orders, sweeps and seeding wrote read in each language', () => {
  for (const [stored, code, zh, eng] of WRITTEN)
    assert.deepEqual(readAuditReason(stored), { code, words: { zh, en: eng } }, stored);
});

test('what the server writes now is the text it always wrote', () => {
  assert.equal(auditReason('bank-return-line', { line: 3, bank: 'R01 账户不存在' }), WRITTEN[0]?.[0]);
  assert.equal(auditReason('receipts-dated-by-bank', { n: 2 }), WRITTEN[1]?.[0]);
  assert.equal(
    auditReason('online-order-bill-closed', { order: 'OP20261207001', error: 'SB_ERR_CONFLICT' }),
    WRITTEN[4]?.[0],
  );
  assert.equal(
    auditReason('certification-sweep', { campaign: 4, region: '341802', year: 2026 }),
    WRITTEN[8]?.[0],
  );
});

test('a reason a clerk typed stays as typed in both languages', () => {
  for (const typed of ['核对银行对账单后办理', 'demo city seeding', '监管演示：补充'])
    assert.deepEqual(readAuditReason(typed), { code: null, words: { zh: typed, en: typed } }, typed);
});
