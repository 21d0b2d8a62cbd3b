// Flexible-worker and residents' pension eligibility against the registry's own parameter files,
// at the boundaries of the dated hukou rule.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseParamFile } from '../core/params-loader.ts';
import { ParamStore, type ParamDefinition } from '../core/params.ts';
import {
  AGE_PARAM,
  flexibleEligibility,
  HUKOU_PARAM,
  residentEligibility,
  type FlexibleFacts,
} from './enrolment.rules.ts';

const dir = join(import.meta.dirname, '..', '..', 'params');
const load = (path: string): [string, ParamDefinition] => [
  path,
  parseParamFile(`params/${path}.yaml`, readFileSync(join(dir, `${path}.yaml`), 'utf8'), path),
];
const params = new ParamStore(new Map([load(HUKOU_PARAM), load(AGE_PARAM)]));

const base: FlexibleFacts = {
  date: '2022-01-01',
  sex: 'M',
  birthDate: '1990-01-01',
  deathDate: null,
  hukouRegion: '340100',
  poolingRegion: '341800',
  openEmployments: 0,
  enrolledInEmployeePension: false,
};
const codes = (f: Partial<FlexibleFacts>): string[] =>
  flexibleEligibility({ ...base, ...f }, params).reasons.map((r) => r.code);

describe('flexible-worker eligibility (灵活就业)', () => {
  test('demo city 341800: non-local hukou refused on 2021-12-31, allowed on 2022-01-01', () => {
    assert.deepEqual(codes({ date: '2021-12-31' }), ['hukou-not-local']);
    assert.deepEqual(codes({ date: '2022-01-01' }), []);
  });

  test('Shenzhen 440300: non-local hukou refused on 2020-12-31, allowed on 2021-01-01 (date marked uncertain)', () => {
    assert.deepEqual(codes({ poolingRegion: '440300', date: '2020-12-31' }), ['hukou-not-local']);
    const d = flexibleEligibility({ ...base, poolingRegion: '440300', date: '2021-01-01' }, params);
    assert.equal(d.eligible, true);
    const step = d.trace.find((s) => s.parameter === HUKOU_PARAM);
    assert.equal(step?.value, false);
    assert.equal(step?.effectiveFrom, '2021-01-01');
    assert.equal(step?.uncertain, true);
  });

  test('elsewhere the national default (local hukou required) applies; local hukou always passes', () => {
    assert.deepEqual(codes({ poolingRegion: '370100', hukouRegion: '341802', date: '2024-01-01' }), [
      'hukou-not-local',
    ]);
    assert.deepEqual(codes({ poolingRegion: '370100', hukouRegion: '370100', date: '2024-01-01' }), []);
    assert.deepEqual(
      codes({ hukouRegion: '341821', date: '2015-01-01' }),
      [],
      'a Xuancheng county hukou is local to Xuancheng',
    );
  });

  test('employed, already enrolled, deceased: refused with each reason', () => {
    assert.deepEqual(codes({ openEmployments: 1 }), ['employed']);
    assert.deepEqual(codes({ enrolledInEmployeePension: true }), ['already-enrolled']);
    assert.deepEqual(codes({ deathDate: '2021-05-01' }), ['dead']);
  });

  test('working age: from 16, below 60 for men and 55 for women', () => {
    assert.deepEqual(codes({ birthDate: '2006-01-02' }), ['under-age'], '15 on 2022-01-01');
    assert.deepEqual(codes({ birthDate: '2006-01-01' }), [], '16 on the birthday');
    assert.deepEqual(codes({ birthDate: '1962-01-02' }), [], 'a man of 59');
    assert.deepEqual(codes({ birthDate: '1962-01-01' }), ['over-age'], 'a man of 60');
    assert.deepEqual(codes({ sex: 'F', birthDate: '1967-01-02' }), [], 'a woman of 54');
    assert.deepEqual(codes({ sex: 'F', birthDate: '1967-01-01' }), ['over-age'], 'a woman of 55');
  });
});

describe('residents\u2019 pension eligibility', () => {
  const r = {
    date: '2024-01-01',
    birthDate: '1980-01-01',
    deathDate: null,
    enrolledInEmployeePension: false,
    enrolledInResidentPension: false,
  };
  test('allowed from 16 without the employee pension', () => {
    assert.equal(residentEligibility(r).eligible, true);
    assert.deepEqual(
      residentEligibility({ ...r, birthDate: '2008-01-02' }).reasons.map((x) => x.code),
      ['under-age'],
    );
    assert.deepEqual(
      residentEligibility({ ...r, enrolledInEmployeePension: true }).reasons.map((x) => x.code),
      ['has-employee-pension'],
    );
    assert.deepEqual(
      residentEligibility({ ...r, enrolledInResidentPension: true }).reasons.map((x) => x.code),
      ['already-enrolled'],
    );
  });
});
