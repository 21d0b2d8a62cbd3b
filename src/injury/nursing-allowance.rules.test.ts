// The nursing allowance (条例 Art. 34) from the project's parameter: 50 / 40 / 30 % of the region's
// previous-year average monthly wage, the percentage and its source in the trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectParams } from '../core/params-loader.ts';
import { Trace } from '../core/trace.ts';
import { nursingAllowance } from './nursing-allowance.rules.ts';

const params = projectParams();

test('average wage 8,000.00: wholly 50% = 4,000.00, mostly 40% = 3,200.00, partly 30% = 2,400.00', () => {
  const at = (dependency: 'wholly' | 'mostly' | 'partial') =>
    nursingAllowance(
      { dependency, regionalAverageWageFen: 800_000, date: '2026-04-20' },
      params,
      new Trace(),
    );
  assert.deepEqual([at('wholly'), at('mostly'), at('partial')], [400_000, 320_000, 240_000]);
});

test('7,333.33 × 30% = 2,200.00 to the fen (2,199.999 rounds half up), and the trace cites Art. 34', () => {
  const trace = new Trace();
  const fen = nursingAllowance(
    { dependency: 'partial', regionalAverageWageFen: 733_333, date: '2026-04-20' },
    params,
    trace,
  );
  assert.equal(fen, 220_000);
  assert.ok(
    trace.steps.some((s) => JSON.stringify(s).includes('injury/nursing-allowance-percent')),
    'the parameter is in the trace',
  );
  assert.match(JSON.stringify(trace.steps), /第三十四条/);
});
