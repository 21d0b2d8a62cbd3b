// Notes are data since migration 1581 (src/core/bilingual.ts): the web shows the reader's language of
// what the API answers in both; a string of the rows and events before (the hall's Chinese page read
// "跨省通办：已转安徽省办理个人权益记录 / sent to Anhui") is split once, by readNote, and only then.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noteText, readNote, sameNote, typedNote } from '../core/bilingual.ts';
import { noteInLanguage } from '../../web/src/format.ts';
import { storedNoteWords } from './old-notes.ts';

test('the web shows the reader’s language of a note the API answers in both', () => {
  const note = { zh: '跨省通办：已转安徽省办理个人权益记录', en: 'sent to Anhui' };
  assert.equal(noteInLanguage(note, 'zh-CN'), '跨省通办：已转安徽省办理个人权益记录');
  assert.equal(noteInLanguage(note, 'en'), 'sent to Anhui');
});

test('a string of the former shape is split into its halves; other text is kept as typed', () => {
  assert.deepEqual(readNote('跨省通办：已转安徽省办理个人权益记录 / sent to Anhui'), {
    zh: '跨省通办：已转安徽省办理个人权益记录',
    en: 'sent to Anhui',
  });
  const joined = '缴费记录已一并转入（340000 → 320000，12 个月）/ the months came through Anhui (12 months)';
  assert.equal(noteText(readNote(joined) ?? { text: '' }).en, 'the months came through Anhui (12 months)');
  for (const plain of ['材料齐全', '请补充 A/B 两份证明', 'see 2/ 3', '已退回 / 请补充材料'])
    assert.deepEqual(readNote(plain), { text: plain }, plain);
  assert.equal(readNote('  '), null);
  assert.equal(readNote(null), null);
  assert.equal(readNote(42), null);
});

test('data notes are taken as they are: both halves, a missing half from the other, a person’s words', () => {
  assert.deepEqual(readNote({ zh: ' 已受理 ', en: 'accepted' }), { zh: '已受理', en: 'accepted' });
  assert.deepEqual(readNote({ zh: '已受理' }), { zh: '已受理', en: '已受理' });
  assert.equal(readNote({ zh: '', en: '' }), null);
  // a person's words never go through the split, whatever they look like
  const typed = '请补充户口簿 / please bring the household register';
  assert.deepEqual(readNote({ text: typed }), { text: typed });
  assert.deepEqual(noteText({ text: typed }), { zh: typed, en: typed });
  assert.deepEqual(typedNote(`  ${typed} `), { text: typed });
  assert.equal(typedNote(''), null);
  assert.deepEqual(readNote({ zh: 'x'.repeat(3000), en: 'y' }), { zh: 'x'.repeat(2000), en: 'y' }, 'clipped');
});

test('the same words: equal halves of the same kind', () => {
  assert.ok(sameNote({ zh: '甲', en: 'a' }, { zh: '甲', en: 'a' }));
  assert.ok(!sameNote({ zh: '甲', en: 'a' }, { zh: '甲', en: 'b' }));
  assert.ok(!sameNote({ text: 'a' }, { zh: 'a', en: 'a' }));
  assert.ok(sameNote(null, null));
  assert.ok(!sameNote(null, { text: 'a' }));
});

test('a note a process stored in Chinese only (before 1581) reads in English on the English page', () => {
  assert.deepEqual(storedNoteWords('工伤认定申请已受理'), {
    zh: '工伤认定申请已受理',
    en: 'work-injury recognition accepted',
  });
  assert.deepEqual(storedNoteWords('中止情形消失，自2026-05起恢复发放，领取期限顺延至2027-02'), {
    zh: '中止情形消失，自2026-05起恢复发放，领取期限顺延至2027-02',
    en: 'payments resume from 2026-05; the entitlement now runs to 2027-02',
  });
  assert.equal(
    storedNoteWords('失业保险关系转移至 江苏省，自2026-06起由转入地按其标准发放剩余 7 个月')?.en,
    'unemployment insurance moved to 江苏省: from 2026-06 it pays the remaining 7 months at its own rates',
  );
  assert.equal(storedNoteWords('失能卧床：上门认证')?.en, 'bedridden: 上门认证');
  // anything else as stored, and a person's words stored as data are never translated
  assert.deepEqual(storedNoteWords('材料齐全'), { zh: '材料齐全', en: '材料齐全' });
  assert.deepEqual(storedNoteWords({ text: '申请已撤回' }), { zh: '申请已撤回', en: '申请已撤回' });
  assert.deepEqual(storedNoteWords({ zh: '已受理', en: 'accepted' }), { zh: '已受理', en: 'accepted' });
});
