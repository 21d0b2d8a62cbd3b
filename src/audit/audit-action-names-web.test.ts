// Every action the server can write to the audit log, and every action of the access policy, has a
// name in both languages on the audit page (web/src/i18n, key audit.<action>): the supervisor read
// 127 of them as codes such as "injury.benefit.decide". The actions are read from the source itself
// (the quoted codes of each audit entry's and route's `action:`, and the policy's Action union;
// codes built from a variable are not seen here, so the audit page's journey checks the demo's log), so a new one
// without a name fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.includes('.test.') ? [p] : [];
  });
}

function actionsInSource(): Set<string> {
  const found = new Set<string>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    // `action: 'a.b'`, and each quoted code on such a line (`action: x ? 'a.b' : 'a.c'`)
    for (const line of text.split('\n').filter((l) => /\b(?:action|checkAction): /.test(l)))
      for (const m of line.matchAll(/'([a-z][a-z-]*(?:\.[a-z-]+)+)'/g)) found.add(m[1] ?? '');
    if (file.endsWith(join('auth', 'policy.ts'))) {
      const union = /export type Action =([^;]+);/.exec(text)?.[1] ?? '';
      for (const m of union.matchAll(/'([^']+)'/g)) found.add(m[1] ?? '');
    }
  }
  return found;
}

test('every audited or policy action has a name in Chinese and in English', () => {
  const actions = [...actionsInSource()];
  assert.ok(actions.length > 150, `${actions.length} actions found: the scan is broken`);
  const dict = (d: Record<string, string>, k: string): string | undefined => d[k];
  const unnamed = actions.filter((a) => {
    const zh = dict(zhCN, `audit.${a}`);
    const eng = dict(en, `audit.${a}`);
    return !zh || !/[\u4e00-\u9fff]/.test(zh) || !eng || eng === zh;
  });
  assert.deepEqual(unnamed.sort(), [], `actions without a name on the audit page: ${unnamed.join(', ')}`);
});
