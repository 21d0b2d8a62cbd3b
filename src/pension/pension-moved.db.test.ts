// A pensioner who moved to another city stays the paying city's: its payroll approval counts their
// death as a follow-up still to prepare, the new city's does not (deathRegion's rule). And a clerk of
// neither city, refused the person's pension, costs one statement: the awards are read after the check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makePerson } from '../testing/factories.ts';
import { listAwards, seedPensioners } from '../testing/pension-fixtures.ts';
import { callAs, errorCode } from '../testing/requests.ts';
import { countingDb } from '../testing/statement-count.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { makeUsers } from '../testing/users.ts';
import { PensionService } from './pension.service.ts';

const NEW_REGION = '340100'; // 合肥: the city the pensioner moves to

describe('a pensioner who moved away', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  const call = callAs(() => t.app, as);
  let personId = 0;

  before(async () => {
    fixToday('2026-03-16');
    t = await makeTestApp();
    const staff = await Promise.all(['省经办员', '合肥经办员'].map((name) => makePerson(t.ctx.db, { name })));
    await makeUsers(t.ctx.db, {
      'province-clerk': { role: 'clerk', region: '340000', personId: staff[0]?.id ?? null },
      'hefei-clerk': { role: 'clerk', region: NEW_REGION, personId: staff[1]?.id ?? null },
      'beijing-clerk': { role: 'clerk', region: '110000' },
    });
    for (const u of ['province-clerk', 'hefei-clerk', 'beijing-clerk', 'clerk']) as[u] = await t.login(u);
    await seedPensioners(t.ctx.db, { count: 1, region: TEST_REGION, startPeriod: '2026-01' });
    const award = (await listAwards(t.ctx.db)).at(-1);
    assert.ok(award);
    personId = award.personId;
    const p = await call('province-clerk', 'GET', `/api/v1/persons/${personId}`);
    const moved = await call('province-clerk', 'PATCH', `/api/v1/persons/${personId}`, {
      version: p.json<{ version: number }>().version,
      region: NEW_REGION,
      reason: '迁居合肥',
    });
    assert.equal(moved.statusCode, 200, moved.body);
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('a clerk of neither city is refused the pension after one statement (the person and the paying regions), no award read', async () => {
    const { db, seen } = countingDb(t.ctx.db);
    const beijing = { userId: null, username: 'beijing-clerk', role: 'clerk' as const, personId: null };
    await assert.rejects(
      new PensionService({ ...t.ctx, db }).personPension(
        { ...beijing, employerId: null, region: '110000' },
        personId,
      ),
      (e: unknown) => (e as { code?: string }).code === 'SB_ERR_NOT_FOUND',
    );
    assert.equal(seen.n, 1);
    // as an unknown person answers
    const far = await call('beijing-clerk', 'GET', `/api/v1/persons/${personId}/pension`);
    const unknown = await call('beijing-clerk', 'GET', '/api/v1/persons/987654321/pension');
    assert.equal(errorCode(far), 'SB_ERR_NOT_FOUND');
    assert.equal(far.body, unknown.body);
    const paying = await call('clerk', 'GET', `/api/v1/persons/${personId}/pension`);
    assert.equal(paying.statusCode, 200, paying.body);
    assert.equal(paying.json<{ awards: unknown[] }>().awards.length, 1);
  });

  test('died in the new city: the paying city’s payroll approval counts the death to follow up, the new city’s does not', async () => {
    const p = await call('hefei-clerk', 'GET', `/api/v1/persons/${personId}`);
    const died = await call('hefei-clerk', 'POST', `/api/v1/persons/${personId}/death`, {
      deathDate: '2026-03-01',
      version: p.json<{ version: number }>().version,
    });
    assert.equal(died.statusCode, 200, died.body);
    const pending = async (who: string, region: string) => {
      const r = await call(who, 'POST', '/api/v1/payroll/runs', { period: '2026-03', region });
      assert.equal(r.statusCode, 200, r.body);
      return r.json<{ summary: { pendingDeaths: number } }>().summary.pendingDeaths;
    };
    assert.equal(await pending('clerk', TEST_REGION), 1, 'the paying city');
    assert.equal(await pending('hefei-clerk', NEW_REGION), 0, 'the city the pensioner died in');
  });
});
