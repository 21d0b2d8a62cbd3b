// The pure part of the detectors: thresholds from params/supervision with their sources, the
// fingerprint, the injury-rate, base and back-payment tests, the window and the severity order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { projectParams } from '../core/params-loader.ts';
import {
  backPaymentFinding,
  baseUnusual,
  DETECTOR_THRESHOLDS,
  DETECTOR_TITLES,
  DETECTORS,
  detectorThresholds,
  fingerprint,
  injuriesUnusual,
  severity,
  thresholdsOf,
  windowStart,
} from './detector.rules.ts';

const { values: t, used } = detectorThresholds(projectParams(), '341800', '2026-11-20');

test('every threshold is a dated parameter with a reference; the assumed ones say so', () => {
  assert.equal(t.backPaymentLumpMonths, 36);
  assert.equal(used.backPaymentLumpMonths.uncertain, false, 'three years is sourced (domain-2 §6.2)');
  assert.equal(used.injuryRatePerThousand.uncertain, true, 'the injury rate is assumed');
  for (const u of Object.values(used)) {
    assert.ok(u.reference.zh.length > 5 && u.reference.en.length > 10, u.path);
    assert.match(u.path, /^supervision\//);
    assert.ok(u.effectiveFrom <= '2026-11-20');
  }
});

test('every detector has a title in both languages and names only known thresholds', () => {
  for (const d of DETECTORS) {
    assert.ok(DETECTOR_TITLES[d].zh.length > 0 && DETECTOR_TITLES[d].en.length > 0, d);
    for (const k of DETECTOR_THRESHOLDS[d]) assert.ok(k in used, `${d}: ${k}`);
  }
  assert.deepEqual(
    thresholdsOf('employer_injuries', used).map((x) => x.path),
    [
      'supervision/injury-window-months',
      'supervision/injury-min-cases',
      'supervision/injury-rate-per-thousand',
    ],
  );
});

test('docs/supervision.md names each detector as the pages do (zh / en, the English capitalised)', () => {
  const doc = readFileSync(new URL('../../docs/supervision.md', import.meta.url), 'utf8');
  for (const d of DETECTORS) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${d}\` |`)) ?? '';
    assert.ok(
      row.includes(`| ${DETECTOR_TITLES[d].zh} / ${DETECTOR_TITLES[d].en} |`),
      `${d}: ${row.slice(0, 80)}`,
    );
  }
});

test('the fingerprint is detector, subjects and period; the same fact gives the same text', () => {
  assert.equal(fingerprint('pension_after_death', ['p12'], '2026-07'), 'pension_after_death:p12:2026-07');
  assert.equal(fingerprint('staff_own_records', ['u3', 'p9']), 'staff_own_records:u3:p9');
  assert.equal(fingerprint('late_career_hire', ['p1', 'e2']), fingerprint('late_career_hire', ['p1', 'e2']));
  assert.throws(() => fingerprint('double_pension', []));
  assert.throws(() => fingerprint('double_pension', ['p 1']));
});

test('injuries: both the count and the rate per 1,000 workers must be reached', () => {
  assert.equal(injuriesUnusual(3, 3, t), true);
  assert.equal(injuriesUnusual(2, 2, t), false, 'two cases are below the minimum of three');
  assert.equal(injuriesUnusual(3, 60, t), true, '50 per 1,000 exactly');
  assert.equal(injuriesUnusual(3, 61, t), false, 'just under 50 per 1,000');
  assert.equal(injuriesUnusual(3, 0, t), true, 'no recorded workers counts as one');
});

test('a base is unusual at the ceiling (300% of the average wage), in integers', () => {
  assert.equal(baseUnusual(2_400_000, 800_000, t), true);
  assert.equal(baseUnusual(2_399_999, 800_000, t), false);
  assert.equal(baseUnusual(2_400_000, 0, t), false, 'no average wage, no judgement');
});

test('back payments: a lump of three years always, fewer months only without a back-entry', () => {
  assert.equal(backPaymentFinding(36, true, t), 'lump_sum');
  assert.equal(backPaymentFinding(35, true, t), null);
  assert.equal(backPaymentFinding(3, false, t), 'undocumented');
  assert.equal(backPaymentFinding(2, false, t), null, 'a late month or two is arrears');
});

test('the window ends with the month of the day', () => {
  assert.equal(windowStart('2026-11-20', 12), '2025-12');
  assert.equal(windowStart('2026-01-31', 1), '2026-01');
});

test('severity: paid after death and staff links first, then money at risk, then signals', () => {
  assert.equal(severity('pension_after_death', 100), 'high');
  assert.equal(severity('staff_own_records', 0), 'high');
  assert.equal(severity('double_pension', 69_000), 'medium');
  assert.equal(severity('employer_injuries', 0), 'low');
  assert.equal(severity('employer_injuries', 10_000_000), 'high', '100,000 yuan is always high');
});
