// The web's one ID-number check (web/src/id-number.ts) — the server's GB 11643 rule with the reader's
// message — and that no web form carries a pattern of its own instead of it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { idNumberProblem, idNumberRules } from '../../web/src/id-number.ts';
import { idCheckChar } from './ids.ts';

const body = '34180219850301123'; // region 341802, born 1985-03-01
const good = `${body}${idCheckChar(body)}`;
const wrongCheck = `${body}${idCheckChar(body) === '0' ? '1' : '0'}`;

test('a number with the right check character passes; one with another check character fails, repeating neither character', () => {
  assert.equal(idNumberProblem(good, 'zh-CN', '2026-12-02'), null);
  assert.equal(idNumberProblem(good.toLowerCase(), 'en', '2026-12-02'), null);
  assert.equal(
    idNumberProblem(wrongCheck, 'zh-CN', '2026-12-02'),
    '公民身份号码不正确：校验码（最后一位）不正确：请核对号码是否录错',
  );
  assert.equal(
    idNumberProblem(wrongCheck, 'en', '2026-12-02'),
    'Invalid resident ID number: the check character (the last one) is wrong: check the number for a typo',
  );
});

test('the pattern alone is not enough: a date that does not exist, a birth after today, 17 digits → refused; empty is left to "required"', () => {
  const feb30 = '34180219850230123';
  assert.match(idNumberProblem(`${feb30}${idCheckChar(feb30)}`, 'zh-CN', '2026-12-02') ?? '', /不是有效日期/);
  const future = '34180220300101123';
  assert.match(idNumberProblem(`${future}${idCheckChar(future)}`, 'en', '2026-12-02') ?? '', /in the future/);
  assert.match(idNumberProblem(body, 'en') ?? '', /must be 18 characters/);
  assert.equal(idNumberProblem('  ', 'zh-CN'), null);
});

test('the form rules: required, then valid; with `eighteen` a legacy 15-digit number is refused too', async () => {
  const validate = async (rules: ReturnType<typeof idNumberRules>, value: string) => {
    type Checked = {
      required?: boolean;
      message?: string;
      validator?: (rule: unknown, v: string) => Promise<void>;
    };
    for (const r of rules as Checked[]) {
      if (r.required === true && !value.trim()) return String(r.message);
      if (r.validator)
        try {
          await r.validator({}, value);
        } catch (e) {
          return (e as Error).message;
        }
    }
    return null;
  };
  const legacy = '341802850301123';
  assert.equal(await validate(idNumberRules('zh-CN'), ''), '请输入公民身份号码');
  assert.equal(await validate(idNumberRules('zh-CN', { required: false }), ''), null);
  assert.equal(await validate(idNumberRules('zh-CN'), good), null);
  assert.match((await validate(idNumberRules('zh-CN'), wrongCheck)) ?? '', /校验码（最后一位）不正确/);
  assert.equal(await validate(idNumberRules('zh-CN'), legacy), null);
  assert.equal(await validate(idNumberRules('zh-CN', { eighteen: true }), legacy), '请填写18位公民身份号码');
});

test('no web page carries its own ID-number pattern (they use web/src/id-number.ts)', () => {
  const root = join(import.meta.dirname, '../../web/src/pages');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => {
      const f = join(dir, n);
      return statSync(f).isDirectory() ? files(f) : /\.tsx?$/.test(n) ? [f] : [];
    });
  const own = files(root).filter((f) => /\{17\}|checkIdNumber\(value/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(own, []);
});
