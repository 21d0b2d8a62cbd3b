// The simulator over HTTP on a small generated region: the contract (`{"years": 10}` is the
// baseline; the same request twice gives the same answer but for `id` and `createdAt`), stored runs,
// CSV export, validation and access.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makeEmployer, makeEmployment, makePerson } from '../testing/factories.ts';
import { makeTestApp, TEST_REGION, type TestApp } from '../testing/test-app.ts';

interface Run {
  id: number;
  createdAt: string;
  baseline: boolean;
  name: string;
  startYear: number;
  snapshot: { contributors: number; pensioners: number; asOf: string };
  years: Array<{
    year: number;
    contributors: number;
    pensioners: number;
    contributionIncomeFen: number;
    expenditureFen: number;
    balanceFen: number;
    dependencyRatioPpm: number;
  }>;
  assumptions: Array<{ parameter: string; uncertain: boolean }>;
}

describe('policy simulator (POST /api/v1/simulations)', () => {
  let t: TestApp;
  const headers = new Map<string, Record<string, string>>();
  before(async () => {
    fixToday('2026-06-30');
    t = await makeTestApp();
    const db = t.ctx.db;
    const employer = await makeEmployer(db, {});
    // 12 contributors from 25 to 58, one flexible worker, 4 pensioners.
    for (let i = 0; i < 12; i++) {
      const p = await makePerson(db, {
        birth_date: `${1968 + i * 3}-0${1 + (i % 9)}-15`,
        sex: i % 2 ? 'M' : 'F',
      });
      await makeEmployment(db, {
        person_id: p.id,
        employer_id: employer.id,
        start_date: '2015-01-01',
        monthly_wage_fen: 500_000 + i * 100_000,
      });
      await db
        .insertInto('enrolment')
        .values({
          person_id: p.id,
          scheme: 'employee_pension',
          kind: i === 11 ? 'flexible' : 'employee',
          region: TEST_REGION,
          employer_id: i === 11 ? null : employer.id,
          start_date: '2015-01-01',
          status: 'active',
        })
        .execute();
    }
    for (let i = 0; i < 4; i++) {
      const p = await makePerson(db, { birth_date: `${1945 + i * 4}-05-10`, sex: i % 2 ? 'M' : 'F' });
      await db
        .insertInto('pension_award')
        .values({
          person_id: p.id,
          scheme: 'employee_pension',
          region: TEST_REGION,
          retirement_date: `${2005 + i * 4}-05-10`,
          start_period: `${2005 + i * 4}-06`,
          contribution_months: 300 + i * 24,
          monthly_fen: 250_000 + i * 50_000,
          created_by: 'test',
        })
        .execute();
    }
    for (const u of ['policy', 'supervisor', 'citizen', 'employer', 'clerk'])
      headers.set(u, (await t.login(u)).headers);
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  const post = (user: string, payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/simulations',
      headers: headers.get(user) ?? {},
      payload: payload as object,
    });
  const get = (user: string, url: string) =>
    t.app.inject({ method: 'GET', url, headers: headers.get(user) ?? {} });

  test('{"years": 10} is the baseline: ten years from 2027 on the region\u2019s 12 contributors and 4 pensioners', async () => {
    const r = await post('policy', { years: 10 });
    assert.equal(r.statusCode, 200, r.body);
    const run = r.json<Run>();
    assert.equal(run.baseline, true);
    assert.equal(run.startYear, 2027);
    assert.equal(run.snapshot.contributors, 12);
    assert.equal(run.snapshot.pensioners, 4);
    assert.deepEqual(
      run.years.map((y) => y.year),
      [2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035, 2036],
    );
    const y1 = run.years[0]!;
    assert.ok(y1.contributionIncomeFen > 0 && y1.expenditureFen > 0);
    assert.ok(y1.dependencyRatioPpm > 0);
    assert.ok(run.assumptions.some((a) => a.parameter === 'simulation/mortality' && a.uncertain));
  });

  test('the same request twice gives the same answer (only id and createdAt differ)', async () => {
    const body = { years: 20, adjustmentRatePpm: 30_000, name: '调整3%' };
    const a = (await post('policy', body)).json<Run>();
    const b = (await post('policy', body)).json<Record<string, unknown>>();
    assert.notEqual(a.id, b['id']);
    const strip = (x: object) =>
      Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'id' && !k.endsWith('At')));
    assert.deepEqual(strip(a), strip(b));
  });

  test('scenarios move the projection the way the rule says: a higher employer rate raises income, a higher adjustment raises expenditure, a later retirement keeps more contributors', async () => {
    const base = (await post('policy', { years: 15 })).json<Run>();
    const rate = (await post('policy', { years: 15, employerRatePpm: 200_000 })).json<Run>();
    const adj = (await post('policy', { years: 15, adjustmentRatePpm: 80_000 })).json<Run>();
    const late = (
      await post('policy', {
        years: 15,
        retirementAge: {
          male: { maxDelayMonths: 60, stepMonths: 1 },
          'female-55': { maxDelayMonths: 60, stepMonths: 1 },
          'female-50': { maxDelayMonths: 120, stepMonths: 1 },
        },
      })
    ).json<Run>();
    assert.equal(rate.baseline, false);
    assert.ok(rate.years[0]!.contributionIncomeFen > base.years[0]!.contributionIncomeFen);
    assert.equal(rate.years[0]!.expenditureFen, base.years[0]!.expenditureFen);
    assert.ok(adj.years[1]!.expenditureFen > base.years[1]!.expenditureFen);
    const sum = (r: Run) => r.years.reduce((s, y) => s + y.contributors, 0);
    assert.ok(sum(late) > sum(base), `${sum(late)} > ${sum(base)}`);
  });

  test('runs are stored: listed newest first, read by id, exported as CSV with yuan by integer arithmetic', async () => {
    const run = (await post('policy', { years: 3, name: '导出测试' })).json<Run>();
    const list = (await get('policy', '/api/v1/simulations?pageSize=5')).json<{
      items: Array<{ id: number; name: string; finalBalanceFen: number; lastYear: number }>;
      total: number;
    }>();
    assert.equal(list.items[0]?.id, run.id);
    assert.equal(list.items[0]?.lastYear, 2029);
    assert.equal(list.items[0]?.finalBalanceFen, run.years[2]!.balanceFen);
    const one = await get('supervisor', `/api/v1/simulations/${run.id}`);
    assert.equal(one.statusCode, 200);
    assert.deepEqual(one.json<Run>().years, run.years);
    const csv = await get('policy', `/api/v1/simulations/${run.id}/export.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(lines.length, 2 + 3);
    const first = lines[2]!.split(',');
    assert.equal(first[0], '2027');
    const b = run.years[0]!.balanceFen;
    assert.equal(
      first[13],
      `${b < 0 ? '-' : ''}${Math.trunc(Math.abs(b) / 100)}.${String(Math.abs(b) % 100).padStart(2, '0')}`,
    );
    assert.equal((await get('policy', '/api/v1/simulations/999999')).statusCode, 404);
  });

  test('bounds: years 0 and 51, a negative adjustment, a step of 0 months are refused naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ years: 51 }, 'years'],
      [{ years: 0 }, 'years'],
      [{ years: 5, adjustmentRatePpm: -1 }, 'adjustmentRatePpm'],
      [{ years: 5, employerRatePpm: 300_001 }, 'employerRatePpm'],
      [{ years: 5, baseFloorPpm: 1_000_001 }, 'baseFloorPpm'],
      [
        { years: 5, retirementAge: { male: { maxDelayMonths: 36, stepMonths: 0 } } },
        'retirementAge.male.stepMonths',
      ],
      [{ years: 5, assumptions: { wageGrowthPpm: 500_000 } }, 'assumptions.wageGrowthPpm'],
    ];
    for (const [body, field] of cases) {
      const r = await post('policy', body);
      assert.equal(r.statusCode, 400, JSON.stringify(body));
      const e = r.json<{ error: { code: string; field: string; message: string } }>().error;
      assert.equal(e.code, 'SB_ERR_OUT_OF_RANGE');
      assert.equal(e.field, field);
    }
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/v1/simulations',
      headers: { ...headers.get('policy'), 'accept-language': 'en' },
      payload: { years: 51 },
    });
    assert.match(en.json<{ error: { message: string } }>().error.message, /from 1 to 50/);
    const zh = await post('policy', { years: 51 });
    assert.match(zh.json<{ error: { message: string } }>().error.message, /1 至 50/);
    const unknown = await post('policy', { years: 5, retirementAgeMale: 65 });
    assert.equal(unknown.statusCode, 400);
  });

  test('access: citizen, employer and clerk are refused (403); another region is out of scope', async () => {
    for (const u of ['citizen', 'employer', 'clerk']) {
      const r = await post(u, { years: 5 });
      assert.equal(r.statusCode, 403, u);
      assert.equal((await get(u, '/api/v1/simulations')).statusCode, 403, u);
      assert.equal((await get(u, '/api/v1/simulations/1')).statusCode, 403, u);
    }
    const other = await post('policy', { years: 5, region: '340100' });
    assert.equal(other.statusCode, 403);
    assert.equal(other.json<{ error: { code: string } }>().error.code, 'SB_ERR_OUT_OF_SCOPE');
  });
});
