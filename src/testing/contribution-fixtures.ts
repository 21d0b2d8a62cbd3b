// The start of the declaration and assessment tests: the test app on 2021-10-10 with its citizen
// employed by its employer since 2019-03 at 7,000.00 a month. Tests only.
import { fixToday } from '../core/clock.ts';
import { makeEmployment } from './factories.ts';
import { makeTestApp, type TestApp } from './test-app.ts';

export async function declaringEmployerApp(): Promise<TestApp> {
  fixToday('2021-10-10');
  const t = await makeTestApp();
  await makeEmployment(t.ctx.db, {
    person_id: t.personId,
    employer_id: t.employerId,
    start_date: '2019-03-01',
    monthly_wage_fen: 700000,
  });
  return t;
}
