// Occupations read in the page's language: the English pages showed 电工 on a skill certificate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OCCUPATIONS as DEMO_OCCUPATIONS } from '../demo/demo-refunds.job.ts';
import { occupationName } from './occupations.ts';

test('电工 reads Electrician in English and 电工 in Chinese; an unlisted name reads as written in both', () => {
  assert.equal(occupationName('电工', 'en'), 'Electrician');
  assert.equal(occupationName('电工', 'zh'), '电工');
  assert.equal(occupationName('风筝扎制工', 'en'), '风筝扎制工');
});

test('every occupation of the demo register has an English name', () => {
  for (const o of DEMO_OCCUPATIONS) assert.doesNotMatch(occupationName(o, 'en'), /[\u4e00-\u9fff]/, o);
});
