// Every sub-ledger check the server registers (src/server.ts) has a name in both languages on the audit
// page's ledger card (web/src/pages/agency/ledger-names.ts): four of the six showed their English name
// on the Chinese page (hospital settlements, pension payments, refunds, skill subsidies).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTRIBUTION_CHECKS } from '../contributions/ledger-checks.repository.ts';
import { SETTLEMENT_CHECKS } from '../injury/settlement.job.ts';
import { PENSION_CHECKS } from '../pension/ledger-checks.repository.ts';
import { REFUND_CHECKS } from '../unemployment/refund.service.ts';
import { SKILL_SUBSIDY_CHECKS } from '../unemployment/skill-subsidy.service.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { subLedgerKey } from '../../web/src/pages/agency/ledger-names.ts';

test('each registered sub-ledger check has its own name in Chinese and in English', () => {
  const checks = [
    ...CONTRIBUTION_CHECKS,
    ...REFUND_CHECKS,
    ...SKILL_SUBSIDY_CHECKS,
    ...SETTLEMENT_CHECKS,
    ...PENSION_CHECKS,
  ];
  assert.ok(checks.length >= 6, `${checks.length} checks`);
  const keys = checks.map((c) => subLedgerKey(c.name));
  for (const [i, key] of keys.entries()) {
    const name = checks[i]?.name ?? '';
    assert.ok(key, `no name for "${name}"`);
    assert.match(zhCN[key], /[\u4e00-\u9fff]/, `${key} in Chinese`);
    assert.ok(en[key] && en[key] !== zhCN[key], `${key} in English`);
  }
  assert.equal(new Set(keys).size, keys.length, 'two checks share a name');
});
