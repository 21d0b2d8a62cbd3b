// A missing parameter is asked for in plain words with the field a page highlights, never as a path.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isSbError } from '../core/errors.ts';
import { fen } from '../core/money.ts';
import { projectParams } from '../core/params-loader.ts';
import { Trace } from '../core/trace.ts';
import { computeEmployeePension } from './employee-pension.rules.ts';

const params = projectParams();

describe('missing parameters', () => {
  test('a missing benefit base names the region and year in words and the field, not the parameter path', () => {
    try {
      computeEmployeePension(
        {
          region: '341800',
          retirementDate: '2018-03-01',
          averageContributionIndex: 1,
          contributionMonths: 360,
          personalAccountFen: fen(0),
          ageMonths: 720,
        },
        params,
        new Trace(),
      );
      assert.fail('expected SB_ERR_PARAMETER_MISSING');
    } catch (e) {
      assert.ok(isSbError(e), String(e));
      assert.equal(e.code, 'SB_ERR_PARAMETER_MISSING');
      assert.equal(e.field, 'benefitBaseWageFen');
      assert.equal(
        e.message,
        '缺少参数：安徽省宣城市2018年养老金计发基数 / Missing parameter: Xuancheng, Anhui 2018 pension benefit base',
      );
      assert.doesNotMatch(e.message, /pension\//);
    }
  });

  test('the demo city computes a 2026 retirement with a transitional pension from parameters alone', () => {
    const trace = new Trace();
    const r = computeEmployeePension(
      {
        region: '341800',
        retirementDate: '2026-08-01',
        averageContributionIndex: 0.9,
        contributionMonths: 400,
        personalAccountFen: fen(6_000_000),
        ageMonths: 720,
        transitional: { deemedMonths: 96 },
      },
      params,
      trace,
    );
    // 7185 × 96/12 × 1 × 1.2% = 689.76
    assert.equal(r.transitionalPensionFen, 68976);
    assert.ok(
      trace.steps.some((s) => /暂按2025年/.test(s.stepZh ?? '')),
      'the provisional C is said',
    );
  });
});
