// An audit entry's before/after in words (src/audit/audit-fields.ts): the supervisor read "phone",
// "amount_fen 123456" and "2026-11-01" on the Chinese page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditCodeWords } from '../audit-code-words.ts';
import { DETECTOR_TITLES } from '../supervision/detector.rules.ts';
import { AUDIT_FIELDS, auditChanges } from './audit-fields.ts';

const codes = { zh: auditCodeWords('zh'), en: auditCodeWords('en') };

test('a person’s change: field names in both languages, the version last and technical', () => {
  const changes = auditChanges(
    'person',
    { version: 3, phone: '13800000000', bank_account: null },
    { version: 4, phone: '13912345678', bank_account: '6217000000000000777' },
    codes,
  );
  assert.deepEqual(
    changes.map((c) => [c.field, c.name?.zh, c.technical, c.changed]),
    [
      ['phone', '手机号码', false, true],
      ['bank_account', '银行账号', false, true],
      ['version', '版本', true, true],
    ],
  );
  assert.deepEqual(changes[1]?.before, { zh: '—', en: '—' });
  assert.equal(changes[0]?.name?.en, 'Phone');
});

test('values in words: fen as yuan, days and months, codes by their list, yes/no, an unknown key as written', () => {
  const [money, day, month, reason, flag, odd, nested] = auditChanges(
    'employment',
    null,
    {
      monthly_wage_fen: 1115600,
      endDate: '2026-11-15',
      period: '2026-10',
      endReason: 'involuntary',
      backPayment: false,
      frobnicate: 'x',
      byFund: { injury: 1901374 },
    },
    codes,
  );
  assert.deepEqual(money?.after, { zh: '¥11,156.00', en: '¥11,156.00' });
  assert.equal(money?.name?.zh, '月工资');
  assert.deepEqual(day?.after, { zh: '2026年11月15日', en: '15 Nov 2026' });
  assert.deepEqual(month?.after, { zh: '2026年10月', en: 'Oct 2026' });
  assert.equal(reason?.after.zh, codes.zh['employment.end.involuntary']);
  assert.notEqual(reason?.after.zh, 'involuntary');
  assert.deepEqual(flag?.after, { zh: '否', en: 'no' });
  // a key without words still shows, as written, never dropped
  assert.deepEqual([odd?.field, odd?.name, odd?.after.zh], ['frobnicate', null, 'x']);
  // the amounts inside a record are money too
  assert.equal(nested?.after.zh, 'injury: ¥19,013.74');
  assert.equal(nested?.before, null);
});

test('a code list per record type: an injury case’s status by the case’s words, a code outside its list as written, a detector by its title', () => {
  const [injury] = auditChanges('injury_case', { status: 'reported' }, { status: 'accepted' }, codes);
  assert.equal(injury?.before?.zh, codes.zh['injury.status.reported']);
  assert.equal(injury?.after.en, codes.en['injury.status.accepted']);
  const [bill] = auditChanges('contribution_bill', { status: 'reported' }, { status: 'x' }, codes);
  assert.equal(bill?.before?.zh, 'reported');
  // a finding's detector by its title, as the supervision pages name it
  const [detector] = auditChanges('supervision_case', null, { detector: 'double_pension' }, codes);
  assert.deepEqual(detector?.after, DETECTOR_TITLES.double_pension);
});

test('every catalogue entry has Chinese words and English words of its own', () => {
  const bad = Object.entries(AUDIT_FIELDS).filter(
    ([, w]) => !/[\u4e00-\u9fff]/.test(w.zh) || w.en === '' || w.en === w.zh || /[\u4e00-\u9fff]/.test(w.en),
  );
  assert.deepEqual(bad, []);
});
