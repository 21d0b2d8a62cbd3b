// The calculation contract through the real command line: exit codes, error form, batch, list, explain.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'shebao.mjs');
const dir = mkdtempSync(join(tmpdir(), 'shebao-calc-'));

function shebao(args: string[], stdin?: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: stdin ?? '',
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('shebao calc', () => {
  test('a valid input answers JSON with a trace and exit code 0', () => {
    const file = join(dir, 'id.json');
    writeFileSync(file, JSON.stringify({ idNumber: '11010519491231002X' }));
    const r = shebao(['calc', 'id-number', '--input', file]);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { valid: boolean; sex: string; trace: unknown[] };
    assert.equal(out.valid, true);
    assert.equal(out.sex, 'F');
    assert.ok(out.trace.length > 0);
  });

  test('standard input with --input -', () => {
    const r = shebao(
      ['calc', 'credit-code', '--input', '-'],
      JSON.stringify({ creditCode: '91350100M000100Y43' }),
    );
    assert.equal(r.status, 0);
    assert.equal((JSON.parse(r.stdout) as { valid: boolean }).valid, true);
  });

  test('bad input answers the error form on stdout with exit code 1, never a stack trace', () => {
    const r = shebao(['calc', 'id-number'], JSON.stringify({ idNumber: 42 }));
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as { error: { code: string; field: string; message: string } };
    assert.equal(out.error.code, 'SB_ERR_INVALID_TYPE');
    assert.equal(out.error.field, 'idNumber');
    assert.doesNotMatch(r.stdout + r.stderr, /\bat .*\(.*:\d+:\d+\)/);
  });

  test('an unknown rule and malformed JSON are errors with their own codes', () => {
    const unknown = shebao(['calc', 'no-such-rule'], '{}');
    assert.equal(unknown.status, 1);
    assert.equal(
      (JSON.parse(unknown.stdout) as { error: { code: string } }).error.code,
      'SB_ERR_UNKNOWN_RULE',
    );
    const malformed = shebao(['calc', 'id-number'], '{"idNumber":');
    assert.equal(malformed.status, 1);
    assert.equal((JSON.parse(malformed.stdout) as { error: { field: string } }).error.field, 'input');
  });

  test('--batch answers every item in order; a bad item answers its own error in place', () => {
    const file = join(dir, 'batch.json');
    writeFileSync(
      file,
      JSON.stringify([
        { rule: 'id-number', input: { idNumber: '11010519491231002X' } },
        { rule: 'id-number', input: {} },
        { rule: 'nope', input: {} },
        { rule: 'credit-code', input: { creditCode: '91440300708461136T' } },
      ]),
    );
    const r = shebao(['calc', '--batch', file]);
    assert.equal(r.status, 0);
    const out = JSON.parse(r.stdout) as Array<{ valid?: boolean; error?: { code: string; field?: string } }>;
    assert.equal(out.length, 4);
    assert.equal(out[0]?.valid, true);
    assert.equal(out[1]?.error?.code, 'SB_ERR_REQUIRED');
    assert.equal(out[1]?.error?.field, 'idNumber');
    assert.equal(out[2]?.error?.code, 'SB_ERR_UNKNOWN_RULE');
    assert.equal(out[3]?.valid, true);
  });

  test('--list names every rule of the contract', () => {
    const r = shebao(['calc', '--list']);
    assert.equal(r.status, 0);
    const names = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[0]);
    for (const rule of ['id-number', 'credit-code', 'skill-subsidy-limits'])
      assert.ok(names.includes(rule), rule);
  });

  test('--explain prints the trace as readable Chinese, or English with --explain en', () => {
    const zh = shebao(['calc', 'id-number', '--explain'], JSON.stringify({ idNumber: '11010519491231002X' }));
    assert.equal(zh.status, 0);
    assert.match(zh.stdout, /校验码/);
    const en = shebao(
      ['calc', 'id-number', '--explain', 'en'],
      JSON.stringify({ idNumber: '11010519491231002X' }),
    );
    assert.match(en.stdout, /check character/);
  });

  test('--explain writes each figure by its unit, as the page does: yuan, months, percent, a code in words', () => {
    // it printed "核定工资（在上下限之间） = 800000" and "1: fund; … 5: employer"
    const input = JSON.stringify({ grade: 5, averageMonthlyWageFen: 800000, regionalAverageWageFen: 700000 });
    const zh = shebao(['calc', 'injury-disability', '--explain'], input);
    assert.equal(zh.status, 0, zh.stderr);
    assert.match(zh.stdout, /核定工资（在上下限之间） = ¥8,000\.00\n/);
    assert.match(zh.stdout, /本人工资"下限（占统筹地区上年度职工月平均工资） = 60% /);
    assert.match(zh.stdout, /5: 用人单位; 6: 用人单位 /);
    assert.match(zh.stdout, /自 2011年1月1日/);
    const en = shebao(
      ['calc', 'retirement-age', '--explain', 'en'],
      '{"birthDate":"1966-05-31","category":"male"}',
    );
    assert.equal(en.status, 0, en.stderr);
    assert.match(en.stdout, /statutory age = 720 \+ 5 months = 725 months\n/);
    assert.match(en.stdout, /retirement date = .* = 31 Oct 2026\n/);
  });
});
