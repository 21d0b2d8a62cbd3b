// Every record type the server writes to the audit (entity_type) has a name on the audit page in both
// languages (web/src/i18n, key entity.<type>): the supervisor once read 34 of them as table names such
// as "hall_application 75". The types are collected from the code, not listed here: every
// `entityType: …` a writer passes and every `runTable: …` a monthly run audits under (src/ledger/monthly-run.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';

const SRC = join(import.meta.dirname, '..');

/** Expressions that carry a type written elsewhere (a declaration, a read, a run's table literal). */
const PASSED_ON = new Set([
  'string', // AuditEntry's, the audit query's and MonthlyRunKind's declarations
  'r.entity_type', // the audit page reading rows back
  'Type.String()',
  'Type.Optional(Type.String({ maxLength: 64 }))',
  'kind.runTable', // the run tables: each `runTable: '…'` is collected
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'migrations' ? [] : sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

function auditedTypes(): { types: Set<string>; unread: string[] } {
  const types = new Set<string>();
  const unread: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:entityType|runTable)\s*:\s*([^,;\n]+?)\s*[,;\n]/g)) {
      const expr = (m[1] ?? '').trim();
      // the audit's field catalogue (audit-fields.ts) names the field itself: { zh: '记录类型', … }
      if (expr.startsWith('{')) continue;
      const literals = [...expr.matchAll(/'([a-z_]+)'/g)].map((l) => l[1] ?? '');
      if (literals.length > 0) literals.forEach((l) => types.add(l));
      else if (!PASSED_ON.has(expr)) unread.push(`${file.slice(SRC.length + 1)}: ${expr}`);
    }
  }
  return { types, unread };
}

test('every record type written to the audit has a name in Chinese and in English', () => {
  const { types, unread } = auditedTypes();
  // a writer whose type this test cannot read would go unnamed unnoticed
  assert.deepEqual(unread, [], 'entityType expressions without a literal type');
  assert.ok(types.size > 50, `only ${types.size} record types found: has the writers' form changed?`);
  const dict = (d: Record<string, string>, k: string): string | undefined => d[k];
  const unnamed = [...types].sort().flatMap((type) => {
    const zh = dict(zhCN, `entity.${type}`);
    const eng = dict(en, `entity.${type}`);
    if (!zh || !/[\u4e00-\u9fff]/.test(zh)) return [`${type} (zh-CN: ${zh ?? 'missing'})`];
    if (!eng || eng === zh || eng.includes('_')) return [`${type} (en: ${eng ?? 'missing'})`];
    return [];
  });
  assert.deepEqual(unnamed, [], `record types without a name on the audit page: ${unnamed.join(', ')}`);
});
