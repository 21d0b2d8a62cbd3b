// The rehabilitation screening rule: each criterion on its own, and its edges (grade 6/7, age 59/60).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectRehabCategories, screenRehabilitation } from './rehab.rules.ts';

test('a fracture in the description flags medical and vocational rehabilitation for a worker of 45', () => {
  const r = screenRehabilitation({
    description: '搬运货物时摔伤左腿，胫骨骨折',
    ageAtAccident: 45,
    grade: null,
  });
  assert.deepEqual([r.flagged, r.kinds, r.categories], [true, ['medical', 'vocational'], ['fracture']]);
  assert.ok(r.trace.some((s) => s.uncertain === true));
});

test('a bruise with no category and no grade is not flagged', () => {
  const r = screenRehabilitation({ description: '左臂软组织挫伤', ageAtAccident: 30, grade: null });
  assert.deepEqual([r.flagged, r.kinds], [false, []]);
});

test('grade 6 flags without a category, grade 7 does not', () => {
  assert.equal(screenRehabilitation({ description: '挫伤', ageAtAccident: 30, grade: 6 }).flagged, true);
  assert.equal(screenRehabilitation({ description: '挫伤', ageAtAccident: 30, grade: 7 }).flagged, false);
});

test('vocational rehabilitation: below 60 only, and not for grades 1–4 who leave work', () => {
  const at = (age: number, grade: number | null) =>
    screenRehabilitation({ description: '脊髓损伤', ageAtAccident: age, grade }).kinds;
  assert.deepEqual(at(59, null), ['medical', 'vocational']);
  assert.deepEqual(at(60, null), ['medical']);
  assert.deepEqual(at(40, 4), ['medical']);
  assert.deepEqual(at(40, 5), ['medical', 'vocational']);
});

test('categories a clerk records replace the words of the description', () => {
  const r = screenRehabilitation({
    description: '骨折',
    categories: ['burn'],
    ageAtAccident: 30,
    grade: null,
  });
  assert.deepEqual(r.categories, ['burn']);
  assert.deepEqual(detectRehabCategories('右手食指离断，伴手掌烧伤'), ['amputation', 'hand', 'burn']);
});
