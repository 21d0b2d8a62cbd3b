// The claim's decision due day (审核时限) from the dated parameter: 10 working days nationally
// (经办条例 Art. 24), 7 in Guangdong from 2022-06-01 (广东省失业保险条例 Art. 36).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectParams } from '../core/params-loader.ts';
import { Trace } from '../core/trace.ts';
import { claimDecisionDeadline } from './unemployment-entitlement.rules.ts';

const params = projectParams();

test('Anhui, registered Thursday 2026-12-10 + 10 working days → Thursday 2026-12-24', () => {
  assert.equal(claimDecisionDeadline('2026-12-10', '341800', params), '2026-12-24');
});

test('Guangzhou, registered Thursday 2026-12-10 + 7 working days → Monday 2026-12-21', () => {
  const trace = new Trace();
  assert.equal(claimDecisionDeadline('2026-12-10', '440100', params, trace), '2026-12-21');
  assert.match(trace.steps.at(-1)?.stepZh ?? '', /7个工作日/);
});

test('Guangzhou before the 2022 regulation, registered 2022-05-05 → the national 10 working days', () => {
  assert.equal(claimDecisionDeadline('2022-05-05', '440100', params), '2022-05-19');
});
