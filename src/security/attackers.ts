// The callers an attacker's walk tries (waves 8 and 9): each demo role of the test region and a clerk
// of another city (Hefei) who is a registered person there, logged in by name.
import { makeIdNumber } from '../core/ids.ts';
import { makePerson } from '../testing/factories.ts';
import type { LoginResult, TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

export async function loginAttackers(t: TestApp): Promise<Record<string, LoginResult>> {
  const as: Record<string, LoginResult> = {};
  for (const r of ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'policy'])
    as[r] = await t.login(r);
  const p = await makePerson(t.ctx.db, {
    id_number: makeIdNumber('340102', '1979-01-01', 40),
    birth_date: '1979-01-01',
    region: '340100',
  });
  as['clerk-hefei'] = await loginAsNew(t, 'clerk-hefei', { role: 'clerk', region: '340100', personId: p.id });
  return as;
}
