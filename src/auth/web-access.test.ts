// The web app's role table (web/src/access.ts) decides the menu before any request; it must say
// exactly what the server's policy says, or a role is offered pages that answer 403 (or misses
// pages it may use).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROLE_CAN } from '../../web/src/access.ts';
import { MACHINE_ONLY_ROLES } from './machines.ts';
import { POLICY, type Action } from './policy.ts';

test('the web role table names the same actions as the policy', () => {
  assert.deepEqual(Object.keys(ROLE_CAN).sort(), Object.keys(POLICY).sort());
});

test('for every action, the web table grants exactly the roles the policy grants (the machines aside)', () => {
  for (const action of Object.keys(POLICY) as Action[]) {
    // a role only machines hold (the system, a card terminal) never uses the web app
    const server = Object.keys(POLICY[action])
      .filter((r) => !(MACHINE_ONLY_ROLES as readonly string[]).includes(r))
      .sort();
    const web = [...((ROLE_CAN as Record<string, readonly string[]>)[action] ?? [])].sort();
    assert.deepEqual(web, server, action);
  }
});

test('the admin may manage users and may not read persons (so the menu offers the one and not the other)', () => {
  assert.ok((ROLE_CAN['user.manage'] as readonly string[]).includes('admin'));
  assert.ok(!(ROLE_CAN['person.search'] as readonly string[]).includes('admin'));
});
