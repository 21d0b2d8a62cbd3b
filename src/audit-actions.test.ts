// The audit codes each capability declares (its <capability>.audit-actions.ts), composed here for the
// audit routes: a writer's code must be declared, and no two capabilities declare one code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUDIT_ACTIONS, AUDIT_ACTIONS_BY_CAPABILITY } from './audit-actions.ts';
import type { AuditEntry } from './audit/audit.repository.ts';

test('a code no capability declares does not compile at a writer (npm run check fails when this line compiles)', () => {
  // @ts-expect-error 'pension.teleport' is in no capability's list, so an audit entry's action refuses it
  const undeclared: AuditEntry['action'] = 'pension.teleport';
  assert.ok(!(AUDIT_ACTIONS as readonly string[]).includes(undeclared));
});

test("each code belongs to one capability, and the composed list holds every capability's codes", () => {
  const owners = new Map<string, string[]>();
  for (const [capability, codes] of Object.entries(AUDIT_ACTIONS_BY_CAPABILITY))
    for (const code of codes) owners.set(code, [...(owners.get(code) ?? []), capability]);
  const shared = [...owners]
    .filter(([, caps]) => caps.length > 1)
    .map(([code, caps]) => `${code}: ${caps.join(', ')}`);
  assert.deepEqual(shared, []);
  assert.deepEqual(
    [...owners.keys()].filter((c) => !(AUDIT_ACTIONS as readonly string[]).includes(c)),
    [],
  );
});
