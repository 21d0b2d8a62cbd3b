// Z from the database: a person with two employers in one month. The record (GET
// /persons/{id}/record), the pension record the retirement decision reads, and the rule itself
// must give the same Z, and the month with two employers counts once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemActor } from '../auth/actor.ts';
import { Trace } from '../core/trace.ts';
import { pensionRecord } from '../pension/person-record.repository.ts';
import { makeBillLine, makeEmployer, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { computeContributionIndex } from './contribution-index.rules.ts';
import { ContributionIndexService } from './contribution-index.service.ts';
import { RecordService } from './record.service.ts';

const REGION = '341800';
let t: TestDb;
before(async () => {
  t = await openTestDb();
});
after(async () => {
  await t.close();
});

const paidLine = (employerId: number, personId: number, period: string, baseFen: number) =>
  makeBillLine(t.ctx.db, {
    personId,
    period,
    region: REGION,
    employerId,
    baseFen,
    pensionEmployerFen: (baseFen * 16) / 100,
    pensionEmployeeFen: (baseFen * 8) / 100,
    personalAccountFen: (baseFen * 8) / 100,
  });

test('two employers in 2024-05: (5,000 + 4,000) ÷ 8,000 = 1.125 is one month; with 2024-06 at 1.0, Z = 1.0625 everywhere', async () => {
  const db = t.ctx.db;
  const person = await makePerson(db, { region: REGION });
  const a = await makeEmployer(db);
  const b = await makeEmployer(db);
  await paidLine(a.id, person.id, '2024-05', 500000);
  await paidLine(b.id, person.id, '2024-05', 400000);
  await paidLine(a.id, person.id, '2024-06', 800000);

  const z = await new ContributionIndexService(db, t.ctx.params).personIndex(person.id, { region: REGION });
  assert.equal(z.averageIndex, '1.0625');
  assert.equal(z.recordMonths, 2);

  const record = await new RecordService(db, t.ctx.params).personRecord(systemActor('test'), person.id);
  assert.equal(record.totals.averageContributionIndex, 1.0625);
  assert.equal(record.totals.employeePensionMonths, 2);

  const forPension = await pensionRecord(db, person.id, '2024-12');
  assert.equal(forPension.contributionMonths, 2);
  const decided = computeContributionIndex(
    { region: REGION, lines: forPension.indexLines },
    t.ctx.params,
    new Trace(),
  );
  assert.equal(decided.averageIndex, '1.0625');
});
