// The policy simulator's figures as the page writes them (web/src/pages/agency/simulation-text.ts):
// the money axes (components/chart-axis.ts, the funds chart's too) said 0万 at zero and 21,000万 for a
// fund a Chinese reader calls 2.1亿; the ratio column wrote 37.1% in one row and 39.28% in the next.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { axisMoney } from '../../web/src/components/chart-axis.ts';
import { defaultRunNameKey, ratioText } from '../../web/src/pages/agency/simulation-text.ts';
import { simulationEn, simulationZh } from '../../web/src/i18n/simulation.ts';
import { DEFAULT_RUN_NAME } from './simulation.service.ts';

test('money axis ticks: 0, then 万 below 1亿 and 亿 from it (zh); thousands, millions, billions of yuan (en)', () => {
  const zh = axisMoney('zh-CN');
  assert.equal(zh(0), '0');
  assert.equal(zh(30_000_000_00), '3,000万'); // ¥30,000,000.00
  assert.equal(zh(99_990_000_00), '9,999万');
  assert.equal(zh(100_000_000_00), '1亿');
  assert.equal(zh(210_000_000_00), '2.1亿');
  assert.equal(zh(123_450_000_00), '1.2345亿');
  assert.equal(zh(-15_000_000_000), '-1.5亿');
  assert.equal(zh(-5_000_000_00), '-500万');
  const en = axisMoney('en');
  assert.equal(en(0), '0');
  assert.equal(en(210_000_000_00), '210M');
  // the funds chart's scale: ¥40,000,000 was written 40,000k
  assert.equal(en(40_000_000_00), '40M');
  assert.equal(en(400_000_00), '400K');
  assert.equal(en(2_500_000_000_00), '2.5B');
  assert.equal(en(-15_000_000_00), '-15M');
});

test('a dependency ratio always has two decimals: 371,000 ppm is 37.10%, 392,849 ppm 39.28%', () => {
  assert.equal(ratioText(371_000), '37.10%');
  assert.equal(ratioText(392_849), '39.28%');
  assert.equal(ratioText(392_850), '39.29%');
  assert.equal(ratioText(1_000_000), '100.00%');
  assert.equal(ratioText(0), '0.00%');
});

test('a run saved without a name reads in the page’s language: the stored 基线 baseline is 现行政策 / Current policy', () => {
  for (const name of Object.values(DEFAULT_RUN_NAME)) {
    const key = defaultRunNameKey(name);
    assert.ok(key, name);
    assert.doesNotMatch(simulationZh[key], /[A-Za-z]/);
    assert.doesNotMatch(simulationEn[key], /[\u4e00-\u9fff]/);
  }
  assert.equal(simulationZh[defaultRunNameKey(DEFAULT_RUN_NAME.baseline) ?? 'sim.baseline'], '现行政策');
  assert.equal(defaultRunNameKey('延迟退休方案'), null, 'a name the user gave is shown as given');
});
