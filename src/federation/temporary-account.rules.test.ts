// The temporary-account age limits (66号 Art. 5(2): men 50, women 40) are dated parameters in
// params/federation/, and the rule's trace names the version it applied.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectParams } from '../core/params-loader.ts';
import { ParamStore, type ParamDefinition } from '../core/params.ts';
import { Trace } from '../core/trace.ts';
import {
  TEMPORARY_AGE_FEMALE,
  TEMPORARY_AGE_MALE,
  temporaryAccountCheck,
} from './temporary-account.rules.ts';

const man50 = {
  sex: 'M' as const,
  birthDate: '1972-05-10',
  hukou: '340000',
  newProvince: '310000',
  startDate: '2022-05-10',
};

test('the trace names the parameter it read: path, value, the date that version took effect, its source', () => {
  const trace = new Trace();
  const r = temporaryAccountCheck(man50, projectParams(), trace);
  assert.deepEqual([r.temporaryAccount, r.ageYears, r.ageLimit], [true, 50, 50]);
  const step = trace.steps.find((s) => s.parameter === TEMPORARY_AGE_MALE);
  assert.ok(step, JSON.stringify(trace.steps));
  assert.deepEqual([step.value, step.effectiveFrom], [50, '2010-01-01']);
  assert.match(step.referenceZh ?? '', /66号.*第五条/);
  const woman = temporaryAccountCheck(
    { ...man50, sex: 'F', birthDate: '1982-05-10' },
    projectParams(),
    new Trace(),
  );
  assert.deepEqual([woman.temporaryAccount, woman.ageLimit], [true, 40]);
});

test('the limit is read at the start date: a later version (a made-up 52 from 2030) applies only from its date', () => {
  const real = projectParams();
  const def = real.definitions.get(TEMPORARY_AGE_MALE);
  assert.ok(def);
  const national = def.regions.get('000000') ?? [];
  const changed: ParamDefinition = {
    ...def,
    regions: new Map([
      [
        '000000',
        [
          ...national,
          { effectiveFrom: '2030-01-01', value: 52, reference: { zh: '测试', en: 'test' }, uncertain: false },
        ],
      ],
    ]),
  };
  const params = new ParamStore(new Map([...real.definitions, [TEMPORARY_AGE_MALE, changed]]));
  const before = temporaryAccountCheck(
    { ...man50, birthDate: '1979-06-01', startDate: '2029-12-31' },
    params,
    new Trace(),
  );
  assert.deepEqual([before.ageYears, before.ageLimit, before.temporaryAccount], [50, 50, true]);
  const after = temporaryAccountCheck(
    { ...man50, birthDate: '1979-06-01', startDate: '2030-01-01' },
    params,
    new Trace(),
  );
  assert.deepEqual([after.ageYears, after.ageLimit, after.temporaryAccount], [50, 52, false]);
  assert.ok(TEMPORARY_AGE_FEMALE);
});
