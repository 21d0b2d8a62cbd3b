// Every field name a prepared action can hold (src/approval/approval-fields.ts, which prepare() is typed
// by) has a label in both languages on the approval's page, and every code it lists has its words: the
// demo city's supervision decision showed planKind, fineMultiplierPct, employee_pension and instalments
// raw on the Chinese page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APPROVAL_FIELDS } from './approval-fields.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { VALUE_CODES } from '../../web/src/pages/agency/approval-values.ts';

const zh: Readonly<Record<string, string>> = zhCN;
const english: Readonly<Record<string, string>> = en;
const hasChinese = (s: string | undefined): boolean => /[\u4e00-\u9fff]/.test(s ?? '');

test('each field an approval can hold has a label in Chinese and in English', () => {
  const missing = APPROVAL_FIELDS.filter((k) => {
    const key = `approvalPage.field.${k}`;
    return !hasChinese(zh[key]) || !english[key] || hasChinese(english[key]);
  });
  assert.deepEqual(missing, [], 'fields shown by their raw name');
});

test('each code an approval field can hold reads in words in both languages', () => {
  const missing = VALUE_CODES.flatMap((c) =>
    c.values
      .map((v) => `${c.prefix}.${v}`)
      .filter((key) => !hasChinese(zh[key]) || !english[key] || hasChinese(english[key])),
  );
  assert.deepEqual(missing, [], 'codes shown raw');
});

test('the codes are named for fields an approval can hold', () => {
  const fields = new Set<string>([...APPROVAL_FIELDS, 'result']);
  const unknown = VALUE_CODES.filter((c) => !c.field.split('.').every((part) => fields.has(part)));
  assert.deepEqual(unknown, []);
});
