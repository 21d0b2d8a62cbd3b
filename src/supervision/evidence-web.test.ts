// A finding's evidence as the supervisor reads it (web/src/pages/supervision/evidence.ts): money in
// yuan, dates and months in words, record numbers, codes by name — the case page showed the raw JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  evidenceList,
  evidenceScalar,
  isRecordList,
  isThresholdList,
} from '../../web/src/pages/supervision/evidence.ts';

const word = (prefix: string, code: string): string => `${prefix}:${code}`;

test('each value is formatted by what its key says it holds', () => {
  assert.equal(evidenceScalar('amountFen', 310000, 'zh-CN', word), '¥3,100.00');
  assert.equal(evidenceScalar('deathDate', '2026-08-22', 'zh-CN', word), '2026年8月22日');
  assert.equal(evidenceScalar('period', '2026-09', 'en', word), 'Sep 2026');
  assert.equal(evidenceScalar('awardId', 397, 'zh-CN', word), '#397');
  assert.equal(evidenceScalar('workers', 1200, 'zh-CN', word), '1,200');
  assert.equal(evidenceScalar('ratePerThousand', 12, 'en', word), '12‰');
  assert.equal(evidenceScalar('documented', false, 'zh-CN', word), 'sv.ev.bool:false');
  assert.equal(evidenceScalar('relation', 'same_address', 'zh-CN', word), 'sv.ev.relation:same_address');
  // a suspension's reason in the words the person's pension page uses (it read "certification")
  assert.equal(
    evidenceScalar('suspendReasonCode', 'not_certified', 'zh-CN', word),
    'pension.suspendReason:not_certified',
  );
});

test('a list of scalars is one line, each element named as one of the list', () => {
  assert.equal(evidenceList('awardIds', [397, 398], 'zh-CN', word), '#397、#398');
  assert.equal(evidenceList('periods', ['2026-09', '2026-10'], 'en', word), 'Sep 2026, Oct 2026');
  assert.equal(evidenceList('actions', ['person.update'], 'zh-CN', word), 'audit:person.update');
});

test('thresholds and records are told apart from plain lists', () => {
  const thresholds = [
    { path: 'supervision/injury-min-cases', value: 3, reference: { zh: 'x', en: 'x' }, uncertain: false },
  ];
  assert.ok(isThresholdList(thresholds));
  assert.ok(isRecordList([{ period: '2026-09', amountFen: 1 }]));
  assert.ok(!isRecordList([397]));
  assert.ok(!isRecordList([]));
  assert.ok(!isThresholdList([{ period: '2026-09' }]));
});
