// Every role has one name per language, read by the header, the staff accounts, approvals, the audit
// page and the access log alike: the header once said 基金监督员 where the accounts table said 监督人员,
// from a second key set (header.role.*) that no longer exists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import { STAFF_ROLES } from './actor.ts';
import { MACHINES } from './machines.ts';

// a machine's role too: the audit list and a citizen's access log name whoever acted, a card terminal included
const ROLES = [...new Set(['citizen', 'employer', ...STAFF_ROLES, ...MACHINES.map((m) => m.role)])];

test('each role has one name in each language, and no second set of role names exists', () => {
  for (const [lang, catalogue] of [
    ['zh-CN', zhCN],
    ['en', en],
  ] as const) {
    const names = ROLES.map((r) => (catalogue as Record<string, string>)[`role.${r}`]);
    names.forEach((n, i) => assert.ok(n, `${lang}: role.${ROLES[i]}`));
    assert.equal(new Set(names).size, ROLES.length, `${lang}: two roles share a name`);
    const elsewhere = Object.keys(catalogue).filter(
      (k) => /\.role\.[a-z]+$/.test(k) && !k.startsWith('role.'),
    );
    assert.deepEqual(elsewhere, [], `${lang}: role names outside role.*`);
  }
});
