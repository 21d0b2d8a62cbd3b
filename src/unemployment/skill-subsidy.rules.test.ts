// Worked examples of the limits on repeated skill-upgrade subsidies, against the project's parameters:
// once per occupation and level since 2017; from 2022 no lower level after a higher one and at most
// three a calendar year (params/unemployment/skill-subsidy/, keyed by the application date).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { projectParams } from '../core/params-loader.ts';
import { Trace } from '../core/trace.ts';
import { checkSkillSubsidyLimits, type EarlierSkillSubsidy } from './skill-subsidy.rules.ts';

const params = projectParams();
const check = (applicationDate: string, occupation: string, level: number, earlier: EarlierSkillSubsidy[]) =>
  checkSkillSubsidyLimits({ region: '341800', applicationDate, occupation, level, earlier }, params);
const held = (occupation: string, level: number, appliedOn: string): EarlierSkillSubsidy => ({
  occupation,
  level,
  appliedOn,
});

describe('skill-upgrade subsidy limits (技能提升补贴次数限制)', () => {
  test('电工 level 4 held, 电工 level 4 again → 1 ≥ 1 per occupation and level: refused (2017 and 2026 alike)', () => {
    for (const on of ['2018-05-01', '2026-03-15']) {
      const r = check(on, '电工', 4, [held('电工', 4, '2017-09-01')]);
      assert.equal(r.refusal, 'same-occupation-level', on);
    }
  });

  test('电工 level 3 held, 电工 level 4 applied on 2021-06-01 → allowed (the 2017 notice bars only the same level)', () => {
    const r = check('2021-06-01', '电工', 4, [held('电工', 3, '2020-06-01')]);
    assert.deepEqual(r, { allowed: true, maxPerYear: null, thisYear: 0 });
  });

  test('电工 level 3 held, 电工 level 4 applied on 2022-01-01 → refused: a higher level was subsidised', () => {
    const r = check('2022-01-01', '电工', 4, [held('电工', 3, '2021-06-01')]);
    assert.equal(r.refusal, 'higher-level-held');
  });

  test('电工 level 4 held, 电工 level 3 in 2026 → allowed (a higher level after a lower one)', () => {
    assert.equal(check('2026-03-15', '电工', 3, [held('电工', 4, '2025-03-01')]).allowed, true);
  });

  test('three subsidies applied for in 2026, a fourth occupation on 2026-11-30 → 3 ≥ 3: refused', () => {
    const earlier = [
      held('电工', 5, '2026-01-05'),
      held('焊工', 5, '2026-02-05'),
      held('育婴员', 5, '2026-03-05'),
    ];
    const r = check('2026-11-30', '茶艺师', 5, earlier);
    assert.deepEqual(r, { allowed: false, refusal: 'yearly-limit', maxPerYear: 3, thisYear: 3 });
  });

  test('three in 2025, the fourth on 2026-01-01 → 0 in 2026 < 3: allowed', () => {
    const earlier = [
      held('电工', 5, '2025-01-05'),
      held('焊工', 5, '2025-02-05'),
      held('育婴员', 5, '2025-12-31'),
    ];
    assert.deepEqual(check('2026-01-01', '茶艺师', 5, earlier), {
      allowed: true,
      maxPerYear: 3,
      thisYear: 0,
    });
  });

  test('four in 2021 (no yearly limit before 2022) → a fifth on 2021-12-31 allowed', () => {
    const earlier = ['电工', '焊工', '育婴员', '茶艺师'].map((o) => held(o, 5, '2021-03-01'));
    assert.deepEqual(check('2021-12-31', '保育师', 5, earlier), {
      allowed: true,
      maxPerYear: null,
      thisYear: 4,
    });
  });

  test('the trace names the parameters read and the counts', () => {
    const trace = new Trace();
    checkSkillSubsidyLimits(
      { region: '341800', applicationDate: '2026-03-15', occupation: '电工', level: 4, earlier: [] },
      params,
      trace,
    );
    const steps = trace.steps.map((s) => s.step).join('\n');
    assert.match(steps, /max-per-year|每人每年|per person and calendar year/);
    assert.match(steps, /subsidies applied for in 2026/);
    assert.equal(trace.steps.at(-1)?.value, true);
  });
});
