// The work-injury case table (migration 0400) and its repository on a real database: a case is
// stored, read back, and moved only from the status it is in, with its event.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openTestDb } from '../testing/test-db.ts';
import { makeEmployer, makeInjuryCase, makePerson } from '../testing/factories.ts';
import { findInjuryCase, moveCase } from './injury-case.repository.ts';

let tdb: Awaited<ReturnType<typeof openTestDb>>;
before(async () => {
  tdb = await openTestDb();
});
after(async () => {
  await tdb.close();
});

test('a case is stored and moves only from its current status, with an event', async () => {
  const db = tdb.ctx.db;
  const p = await makePerson(db);
  const e = await makeEmployer(db);
  const row = await makeInjuryCase(db, {
    person_id: p.id,
    employer_id: e.id,
    region_code: '341800',
    accident_date: '2026-03-02',
    description: '搬运货物时摔伤左腿',
    reported_date: '2026-03-05',
  });
  const c = await findInjuryCase(db, row.id);
  assert.equal(c?.status, 'reported');
  assert.equal(c?.accidentDate, '2026-03-02');
  assert.equal(c?.lateDays, 0);
  assert.equal(
    await moveCase(db, { id: row.id, version: 1, from: 'accepted' }, 'proposed', 'x', 'clerk', null),
    false,
  );
  assert.equal(
    await moveCase(db, { id: row.id, version: 1, from: 'reported' }, 'accepted', 'accept', 'clerk', null),
    true,
  );
  assert.equal(
    await moveCase(db, { id: row.id, version: 1, from: 'reported' }, 'accepted', 'accept', 'clerk', null),
    false,
  );
  const events = await db.selectFrom('injury_case_event').selectAll().where('case_id', '=', row.id).execute();
  assert.deepEqual(
    events.map((x) => [x.from_status, x.to_status]),
    [['reported', 'accepted']],
  );
});

test('the late window of an employer report: the days after the deadline up to the report', async () => {
  const { lateWindow } = await import('./injury-case.repository.ts');
  assert.equal(lateWindow({ lateDays: 0, reportedDate: '2026-04-01' }), null);
  // accident 2026-03-02, deadline 2026-04-01, reported 2026-04-11: 10 days, 04-02..04-11
  assert.deepEqual(lateWindow({ lateDays: 10, reportedDate: '2026-04-11' }), {
    from: '2026-04-02',
    to: '2026-04-11',
  });
});
