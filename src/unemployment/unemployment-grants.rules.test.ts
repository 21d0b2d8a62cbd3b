// The 失业补助金 refusals name the window the parameter gives for the region, not a copy of the national one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fen } from '../core/money.ts';
import { parseParamFile } from '../core/params-loader.ts';
import { ParamStore } from '../core/params.ts';
import { Trace } from '../core/trace.ts';
import {
  assessUnemploymentSubsidy,
  grantWindow,
  type UnemploymentSubsidyInput,
} from './unemployment-grants.rules.ts';

const REF = 'reference: { zh: 测试, en: test }';
// National 2020-03-01 – 2021-12-31 as in params/; Heilongjiang (230000) continued to 2022-12-31;
// Beijing (110000) never applied it; Jiangsu (320000) paid in 2020, stopped, and took it up again from 2022-06-01.
const PERCENT = `description: 失业补助金标准 / subsidy percent
${REF}
unit: percent
values: { 2020-03-01: 80, 2022-01-01: null }
regions:
  "230000": { values: { 2020-03-01: 80, 2023-01-01: null } }
  "110000": { values: { 2020-01-01: null } }
  "320000": { values: { 2020-03-01: 80, 2021-01-01: null, 2022-06-01: 80 } }
`;
const MONTHS = `description: 失业补助金月数 / subsidy months
${REF}
unit: months
values: { 2020-03-01: 6 }
`;

function store(percent = PERCENT): ParamStore {
  const def = (path: string, text: string): [string, ReturnType<typeof parseParamFile>] => [
    path,
    parseParamFile(`params/${path}.yaml`, text, path),
  ];
  return new ParamStore(
    new Map([def('unemployment/subsidy-percent', percent), def('unemployment/subsidy-months', MONTHS)]),
  );
}

const claim = (region: string, claimDate: string, more: Partial<UnemploymentSubsidyInput> = {}) =>
  assessUnemploymentSubsidy(
    { region, claimDate, group: 'not-qualified', monthlyBenefitFen: fen(148500), ...more },
    store(),
  );

describe('失业补助金: the refusal dates come from subsidy-percent', () => {
  test('national, after the end: 2022年1月1日 … （2020年3月1日至2021年12月31日）', () => {
    const r = claim('340000', '2022-01-01');
    assert.equal(r.eligible, false);
    assert.equal(r.reasonZh, '2022年1月1日不在失业补助金政策执行期内（2020年3月1日至2021年12月31日）');
    assert.equal(
      r.reason,
      'the unemployment subsidy is not paid on 1 Jan 2022 (it applied from 1 Mar 2020 to 31 Dec 2021)',
    );
  });

  test('national, before the start: the window still to come', () => {
    const r = claim('340000', '2020-02-29');
    assert.equal(r.reasonZh, '2020年2月29日不在失业补助金政策执行期内（2020年3月1日至2021年12月31日）');
    assert.match(r.reason ?? '', /it applies from 1 Mar 2020 to 31 Dec 2021/);
  });

  test('a region that continued it says its own last day (2022年12月31日)', () => {
    const r = claim('230100', '2023-02-01');
    assert.equal(r.reasonZh, '2023年2月1日不在失业补助金政策执行期内（2020年3月1日至2022年12月31日）');
    assert.equal(claim('230100', '2022-06-30').eligible, true);
    assert.deepEqual(grantWindow('subsidy', '230100', '2023-02-01', store()), {
      open: false,
      until: '2022-12-31',
    });
  });

  test('a region where it never applied says so, without dates', () => {
    const r = claim('110105', '2020-06-01');
    assert.equal(r.reasonZh, '2020年6月1日不在失业补助金政策执行期内：本地区未实施失业补助金政策');
    assert.doesNotMatch(r.reason ?? '', /2021|Mar/);
  });

  test('a later version of the parameter with another end day says that day', () => {
    const later = PERCENT.replace('2022-01-01: null', '2022-01-01: 60, 2023-07-01: null');
    const r = assessUnemploymentSubsidy(
      { region: '340000', claimDate: '2024-01-01', group: 'not-qualified', monthlyBenefitFen: fen(148500) },
      store(later),
    );
    assert.equal(r.reasonZh, '2024年1月1日不在失业补助金政策执行期内（2020年3月1日至2023年6月30日）');
  });

  test('a region with two spans names the one begun last', () => {
    assert.match(claim('320100', '2021-05-01').reasonZh ?? '', /（2020年3月1日至2020年12月31日）/);
    assert.match(claim('320100', '2022-05-31').reasonZh ?? '', /（2020年3月1日至2020年12月31日）/);
  });
});

describe('失业补助金: when the benefit ran out', () => {
  const ended = (region: string, claimDate: string, benefitEndDate: string) =>
    claim(region, claimDate, { group: 'benefit-ended', benefitEndDate });

  test('ran out in a year after the region stopped paying (2021 after a 2020 span) → refused', () => {
    const r = ended('320100', '2022-07-01', '2021-08-01');
    assert.equal(r.eligible, false);
    assert.match(r.reasonZh ?? '', /不在失业补助金适用年度/);
  });

  test('ran out within a span or before the first one (from 2019) → 80% × 1,485.00 × 6 = 7,128.00', () => {
    assert.equal(ended('320100', '2022-07-01', '2022-06-15').totalFen, 712800);
    assert.equal(ended('320100', '2022-07-01', '2020-02-10').totalFen, 712800);
    assert.equal(ended('230100', '2022-12-31', '2022-11-30').totalFen, 712800);
  });

  test('ran out before 2019 → paid all the same: 80% × 1,485.00 × 6 = 7,128.00 (2019-01-01 is the migrant allowance’s date)', () => {
    assert.equal(ended('340000', '2020-06-01', '2018-12-31').totalFen, 712800);
  });

  test('the refusal for the year the benefit ran out names the version in force that day and its source', () => {
    const trace = new Trace();
    const r = assessUnemploymentSubsidy(
      {
        region: '320100',
        claimDate: '2022-07-01',
        group: 'benefit-ended',
        benefitEndDate: '2021-08-01',
        monthlyBenefitFen: fen(148500),
      },
      store(),
      trace,
    );
    assert.equal(r.eligible, false);
    const source = trace.steps.find((s) => s.parameter === 'unemployment/subsidy-percent');
    assert.deepEqual(
      [source?.effectiveFrom, source?.value, source?.referenceZh],
      ['2021-01-01', null, '测试'],
    );
  });
});
