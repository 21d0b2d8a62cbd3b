// The callers an attacker's walk tries (waves 8 to 12): each demo role of the test region and a clerk
// of another city (Hefei) who is a registered person there, logged in by name; and the walk's setup
// that the waves shared by copy (the app on a fixed day, the logins, a request as one of them).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makePerson } from '../testing/factories.ts';
import { send, type Method } from '../testing/requests.ts';
import { makeTestApp, type LoginResult, type TestApp, type TestAppOptions } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

const FAR = '340100';

export async function loginAttackers(t: TestApp): Promise<Record<string, LoginResult>> {
  const as: Record<string, LoginResult> = {};
  for (const r of ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'policy'])
    as[r] = await t.login(r);
  const p = await makePerson(t.ctx.db, {
    id_number: makeIdNumber('340102', '1979-01-01', 40),
    birth_date: '1979-01-01',
    region: FAR,
  });
  as['clerk-hefei'] = await loginAsNew(t, 'clerk-hefei', { role: 'clerk', region: FAR, personId: p.id });
  return as;
}

/** Callers some waves add: Hefei's reviewer and supervisor, and a second citizen of the test region. */
export type ExtraAttacker = 'reviewer-hefei' | 'supervisor-hefei' | 'citizen-b';

const loginExtra = async (t: TestApp, who: ExtraAttacker): Promise<LoginResult> =>
  who === 'citizen-b'
    ? loginAsNew(t, who, { personId: (await makePerson(t.ctx.db)).id })
    : loginAsNew(t, who, { role: who === 'reviewer-hefei' ? 'reviewer' : 'supervisor', region: FAR });

/**
 * One wave's setup, called inside its `describe`: before its tests the clock is fixed on `today`, a
 * test app is made and the attackers (and `extra`) log in; after them the clock is freed and the app closed.
 * `call(who, …)` is a request as one of them (null: anonymous); `error(r)` the answer's error, if any;
 * `app` the test app's options (a federation node's routes beside the server's own).
 */
export function attackerWalk(
  extra: readonly ExtraAttacker[] = [],
  today = '2021-10-20',
  app: TestAppOptions = {},
) {
  let t: TestApp | undefined;
  const as: Record<string, LoginResult> = {};
  before(async () => {
    fixToday(today);
    t = await makeTestApp(app);
    Object.assign(as, await loginAttackers(t));
    for (const who of extra) as[who] = await loginExtra(t, who);
  });
  after(async () => {
    fixToday(null);
    await t?.close();
  });
  const walk = {
    get t(): TestApp {
      assert.ok(t !== undefined, 'the walk’s app is made before its tests');
      return t;
    },
    as,
    call: (who: string | null, method: Method, url: string, body?: unknown) => {
      const login = who === null ? null : as[who];
      assert.ok(login !== undefined, `${who} is not logged in`);
      return send(walk.t.app, login, method, url, body);
    },
    error: (r: { json: <T>() => T }) => r.json<{ error?: { code: string; field?: string } }>().error,
  };
  return walk;
}
