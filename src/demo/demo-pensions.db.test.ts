// The demo city's retirees get awards (documented simplification), once; the payroll pays them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { addPeriods, periodOf } from '../core/dates.ts';
import { seedDemoCity } from './demo-city.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { awardDemoPensions } from './demo-pensions.job.ts';
import { makeEmployer, makeEmployment, makePerson } from '../testing/factories.ts';
import { runPayroll } from '../pension/payroll.job.ts';

const AS_OF = '2026-11-20';

describe('demo pensions', () => {
  let t: TestDb;
  before(async () => {
    fixToday(AS_OF);
    t = await openTestDb();
    await seedDemoCity(t.ctx.db, { seed: 20211231, persons: 2000, employers: 80, asOf: AS_OF });
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('retirees get one award each with a plausible amount; twice → nothing new; the payroll pays them', async () => {
    const first = await awardDemoPensions(t.ctx);
    assert.ok(first.awarded > 50, `awarded ${first.awarded}`);
    const avg = first.monthlyTotalFen / first.awarded;
    assert.ok(avg > 100_000 && avg < 1_000_000, `average ${avg} fen`);
    assert.equal((await awardDemoPensions(t.ctx)).awarded, 0);
    const period = addPeriods(periodOf(AS_OF), 1);
    const s = await runPayroll(t.ctx.db, systemActor('test'), { period, region: '341800' });
    assert.equal(s.status, 'done');
    assert.ok(s.payments > 0 && s.payments <= first.awarded);
  });
});

test('a job not ended counts to the agency’s today, not the database’s date: 240 + 53 months on 2030-06-20', async () => {
  fixToday('2030-06-20');
  const t = await openTestDb();
  try {
    const p = await makePerson(t.ctx.db, { region: '341800' });
    const e = await makeEmployer(t.ctx.db, { region: '341800' });
    const job = { person_id: p.id, employer_id: e.id };
    await makeEmployment(t.ctx.db, {
      ...job,
      start_date: '2000-01-01',
      end_date: '2020-01-01',
      end_reason: 'retirement',
    });
    await makeEmployment(t.ctx.db, { ...job, start_date: '2026-01-20' }); // 53 months to 2030-06-20
    assert.equal((await awardDemoPensions(t.ctx)).awarded, 1);
    const a = await t.ctx.db
      .selectFrom('pension_award')
      .select('contribution_months')
      .where('person_id', '=', p.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(a.contribution_months), 240 + 53);
  } finally {
    fixToday(null);
    await t.close();
  }
});
