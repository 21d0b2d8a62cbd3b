// A certification's source as the pensioner reads it (web/src/pages/citizen/certification-source.ts):
// the history's 来源 column showed the stored reference — liveness:simulator:<uuid>, import:3:2, and a
// home visit's visit:clerk:<day> with the clerk's login.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { certificationSource } from '../../web/src/pages/citizen/certification-source.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN, type MessageKey } from '../../web/src/i18n/zh-CN.ts';

const words =
  (catalogue: Record<MessageKey, string>) =>
  (key: MessageKey, vars: Record<string, string | number> = {}): string =>
    catalogue[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name]));

test('each kind of reference the server stores reads in words, in either language', () => {
  const result = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
  assert.equal(
    certificationSource(`liveness:simulator:${result}`, 'zh-CN', words(zhCN)),
    `人脸核验结果 ${result}`,
  );
  assert.equal(
    certificationSource('visit:clerk:2026-11-20', 'zh-CN', words(zhCN)),
    '工作人员 2026年11月20日 上门核实',
  );
  assert.equal(certificationSource('import:3:2', 'zh-CN', words(zhCN)), '数据比对第 3 批第 2 行');
  assert.equal(
    certificationSource('visit:clerk:2026-11-20', 'en', words(en)),
    'Home visit by staff on 20 Nov 2026',
  );
  assert.equal(certificationSource('import:3:2', 'en', words(en)), 'Data comparison batch 3, line 2');
});

test('the clerk’s login is not shown to the pensioner, and a reference of no known shape stays as it is', () => {
  assert.doesNotMatch(certificationSource('visit:clerk:2026-11-20', 'zh-CN', words(zhCN)), /clerk/);
  assert.equal(certificationSource('paper form 12', 'en', words(en)), 'paper form 12');
});
