// A note written in both languages is shown in the reader's (web/src/format.ts noteInLanguage): the
// hall's Chinese page read "跨省通办：已转安徽省办理个人权益记录 / sent to Anhui".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noteInLanguage } from '../../web/src/format.ts';

test('a bilingual note is shown in the reader’s language; other text as it is', () => {
  const note = '跨省通办：已转安徽省办理个人权益记录 / sent to Anhui';
  assert.equal(noteInLanguage(note, 'zh-CN'), '跨省通办：已转安徽省办理个人权益记录');
  assert.equal(noteInLanguage(note, 'en'), 'sent to Anhui');
  const joined = '缴费记录已一并转入（340000 → 320000，12 个月）/ the months came through Anhui (12 months)';
  assert.equal(noteInLanguage(joined, 'en'), 'the months came through Anhui (12 months)');
  for (const plain of ['材料齐全', '请补充 A/B 两份证明', 'see 2/ 3', '已退回 / 请补充材料'])
    assert.equal(noteInLanguage(plain, 'en'), plain);
});
