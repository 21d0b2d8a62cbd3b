// Every audit action (AUDIT_ACTIONS: the codes the compiler lets a writer use, those built from a step
// included) has a name on the audit page in both languages (web/src/i18n, key audit.<action>): the
// supervisor once read 127 of them as codes such as "injury.benefit.decide". zh-CN.ts is typed
// against the list too; this test also asks for Chinese text and an English name of its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { AUDIT_ACTIONS } from '../audit-actions.ts';

test('every audit action has a name in Chinese and in English', () => {
  const dict = (d: Record<string, string>, k: string): string | undefined => d[k];
  const unnamed = AUDIT_ACTIONS.flatMap((a) => {
    const zh = dict(zhCN, `audit.${a}`);
    const eng = dict(en, `audit.${a}`);
    if (!zh || !/[\u4e00-\u9fff]/.test(zh)) return [`${a} (zh-CN: ${zh ?? 'missing'})`];
    if (!eng || eng === zh) return [`${a} (en: ${eng ?? 'missing'})`];
    return [];
  });
  assert.deepEqual(unnamed, [], `audit actions without a name on the audit page: ${unnamed.join(', ')}`);
});

test('the actions built from a step are in the list', () => {
  for (const a of [
    'card.cancel-death',
    'injury.not-recognise',
    'home-visit.not-home',
    'unemployment.payroll.start',
  ])
    assert.ok((AUDIT_ACTIONS as readonly string[]).includes(a), a);
});
