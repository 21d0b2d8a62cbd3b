// The set-based death path (PersonService.recordDeaths, issue 18) against the one-person path
// (recordDeath): the same generated population, the same deaths through each path in its own
// database, then the pension capability consumes the person.died events in both; the persons, their
// enrolments and employments, the awards and death cases, the outbox and the audit entries must be
// the same row for row (times and hashes aside). Redelivery changes nothing; an invalid death throws
// the one-person path's message and the chunk writes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { verifyAuditChain } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { isSbError } from '../core/errors.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import { DeathService } from '../pension/death.service.ts';
import { makeEmployer, makeEmployment, makeEnrolment, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { PersonService, type DeathRecord } from './person.service.ts';

const REGION = '341800';
const clerk: Actor = {
  userId: null,
  username: 'clerk-deaths',
  role: 'clerk',
  personId: null,
  employerId: null,
  region: REGION,
};

const N = 30;
const birthOf = (i: number): string => `19${40 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`;

/** The same population in any fresh database: persons, employers, employments, enrolments, awards. */
async function populate(db: Db): Promise<number[]> {
  const employers: number[] = [];
  for (let k = 0; k < 3; k++)
    employers.push((await makeEmployer(db, { credit_code: makeCreditCode(REGION, 8_100_000 + k) })).id);
  const ids: number[] = [];
  for (let i = 0; i < N; i++) {
    const birth = birthOf(i);
    const p = await makePerson(db, {
      id_number: makeIdNumber('341802', birth, 600 + 2 * i),
      name: `死亡批量${i}`,
      sex: 'F',
      birth_date: birth,
    });
    ids.push(p.id);
    if (i % 3 === 0) {
      const employerId = employers[i % employers.length]!;
      await makeEmployment(db, { person_id: p.id, employer_id: employerId, start_date: '2022-03-01' });
      // One with a start after the death date: ended at its start (GREATEST).
      await makeEnrolment(db, {
        person_id: p.id,
        employer_id: employerId,
        start_date: i % 6 === 0 ? '2026-11-01' : '2021-01-01',
      });
    }
    if (i % 4 === 1)
      await makeEnrolment(db, { person_id: p.id, scheme: 'resident_pension', kind: 'resident' });
    if (i % 5 === 2) {
      // An enrolment already ended stays as it is.
      await makeEnrolment(db, {
        person_id: p.id,
        scheme: 'unemployment',
        status: 'ended',
        end_date: '2024-01-01',
        end_reason: 'other',
      });
    }
    if (i % 2 === 0) {
      const a = await sql<{ id: number }>`
        INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
        VALUES (${p.id}, 'employee_pension', ${REGION}, 'import', '2020-06-15', '2020-07', 300, ${250_000 + i * 1000}, 'test') RETURNING id`.execute(
        db,
      );
      await sql`INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, created_by)
        VALUES (${a.rows[0]!.id}, '2020-07', ${250_000 + i * 1000}, 'initial', 'test')`.execute(db);
    }
  }
  // Two deaths already in the registry: one the deaths below repeat, one they contradict.
  await sql`UPDATE person SET death_date = '2026-09-01' WHERE id IN (${ids[5]!}, ${ids[7]!})`.execute(db);
  return ids;
}

/** The deaths to record: every other person, person 5 again (same date) and 7 (another date). */
const deathsOf = (ids: number[]): DeathRecord[] =>
  ids
    .map((id, i) => ({ id, i }))
    .filter(({ i }) => i % 2 === 1 || i === 4 || i === 6 || i === 12 || i === 18)
    .map(({ id, i }) => ({
      personId: id,
      deathDate: i === 5 ? '2026-09-01' : `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`,
      reason: `death record test, line ${i + 2}`,
    }))
    .reverse(); // not in person order: the batch orders its writes by person

/** Every row the deaths touch, without times, hashes or the audit's own ids (same in both paths). */
async function snapshot(db: Db): Promise<Record<string, Record<string, unknown>[]>> {
  const strip = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !/(_at|^at|hash)$/.test(k) && k !== 'prev_hash')),
    );
  const q = async (text: string) =>
    strip((await sql<Record<string, unknown>>`${sql.raw(text)}`.execute(db)).rows);
  return {
    person: await q('SELECT * FROM person ORDER BY id'),
    enrolment: await q('SELECT * FROM enrolment ORDER BY id'),
    employment: await q('SELECT * FROM employment ORDER BY id'),
    outbox: await q('SELECT * FROM outbox ORDER BY id'),
    audit: await q(
      'SELECT actor_username, actor_role, action, entity_type, entity_id, region, subject_person_id, before, after, reason FROM audit_log ORDER BY id',
    ),
    award: await q('SELECT * FROM pension_award ORDER BY id'),
    amount: await q('SELECT * FROM pension_amount ORDER BY id'),
    deathCase: await q('SELECT * FROM pension_death_case ORDER BY person_id'),
  };
}

describe('registry: set-based deaths (recordDeaths) are the one-person path in a few statements', () => {
  let one: TestDb;
  let many: TestDb;
  let idsOne: number[];
  let idsMany: number[];

  before(async () => {
    fixToday('2026-12-10');
    [one, many] = [await openTestDb(), await openTestDb()];
    idsOne = await populate(one.ctx.db);
    idsMany = await populate(many.ctx.db);
    assert.deepEqual(idsOne, idsMany);
  });
  after(async () => {
    fixToday(null);
    await one?.close();
    await many?.close();
  });

  test('the same deaths through both paths give the same persons, enrolments, employments, events, audit, awards and death cases', async () => {
    const deaths = deathsOf(idsOne);
    // The one-person path, a transaction per person in person order (as the import did).
    const outcomeOne = new Map<number, string>();
    for (const d of [...deaths].sort((a, b) => a.personId - b.personId)) {
      try {
        await new PersonService(one.ctx.db).recordDeath(clerk, d.personId, {
          deathDate: d.deathDate,
          reason: d.reason!,
        });
        outcomeOne.set(d.personId, 'recorded');
      } catch (e) {
        if (!isSbError(e) || e.code !== 'SB_ERR_CONFLICT') throw e;
        outcomeOne.set(d.personId, 'refused');
      }
    }
    const outcomes = await many.ctx.db
      .transaction()
      .execute((tx) => new PersonService(tx).recordDeaths(tx, clerk, deaths));
    // Answered in the order asked; the registry's own date kept where one is recorded.
    assert.deepEqual(
      outcomes.map((o) => o.personId),
      deaths.map((d) => d.personId),
    );
    const byId = new Map(outcomes.map((o) => [o.personId, o]));
    assert.deepEqual(byId.get(idsMany[5]!), {
      personId: idsMany[5],
      status: 'already_recorded',
      registryDeathDate: '2026-09-01',
    });
    assert.deepEqual(byId.get(idsMany[7]!), {
      personId: idsMany[7],
      status: 'conflict',
      registryDeathDate: '2026-09-01',
    });
    for (const o of outcomes)
      assert.equal(o.status === 'recorded' ? 'recorded' : 'refused', outcomeOne.get(o.personId));
    assert.equal(outcomes.filter((o) => o.status === 'recorded').length, deaths.length - 2);
    assert.ok(
      outcomes.some((o) => o.status === 'recorded' && o.endedEnrolments === 1 && o.endedEmployments === 1),
    );

    // The pension capability consumes the events in both databases.
    await new DeathService(one.ctx).processDeathEvents(clerk);
    await new DeathService(many.ctx).processDeathEvents(clerk);
    const a = await snapshot(one.ctx.db);
    const b = await snapshot(many.ctx.db);
    for (const k of Object.keys(a)) assert.deepEqual(b[k], a[k], k);
    assert.equal(b['outbox']!.filter((r) => r['topic'] === 'person.died').length, deaths.length - 2);
    assert.ok((b['deathCase'] ?? []).length > 0);
    assert.equal((await verifyAuditChain(many.ctx.db)).ok, true);
  });

  test('redelivered, the same deaths change nothing: each answered already_recorded (or conflict)', async () => {
    const db = many.ctx.db;
    const before = await snapshot(db);
    const deaths = deathsOf(idsMany);
    const outcomes = await db
      .transaction()
      .execute((tx) => new PersonService(tx).recordDeaths(tx, clerk, deaths));
    assert.equal(outcomes.filter((o) => o.status === 'recorded').length, 0);
    assert.equal(outcomes.filter((o) => o.status === 'conflict').length, 1);
    assert.deepEqual(await snapshot(db), before);
  });

  test('an invalid death throws the one-person path’s message and the chunk writes nothing', async () => {
    const db = many.ctx.db;
    const before = await snapshot(db);
    const alive = idsMany.filter((_, i) => i % 2 === 0 && i !== 4 && i !== 6 && i !== 12 && i !== 18);
    const good = alive.slice(0, 3).map((personId) => ({ personId, deathDate: '2026-11-20' }));
    const cases: { bad: DeathRecord; code: string; zh: string }[] = [
      {
        bad: { personId: alive[3]!, deathDate: '1930-01-01' },
        code: 'SB_ERR_VALIDATION',
        zh: '死亡日期早于出生日期',
      },
      {
        bad: { personId: alive[3]!, deathDate: '2026-12-11' },
        code: 'SB_ERR_VALIDATION',
        zh: '死亡日期晚于今天',
      },
      {
        bad: { personId: alive[3]!, deathDate: '2026-13-01' },
        code: 'SB_ERR_INVALID_DATE',
        zh: '应为 YYYY-MM-DD 的真实日期',
      },
      {
        bad: { personId: 99_999_999, deathDate: '2026-11-20' },
        code: 'SB_ERR_NOT_FOUND',
        zh: '未找到',
      },
    ];
    for (const c of cases) {
      // The one-person path's answer for the same death…
      const single = await new PersonService(db)
        .recordDeath(clerk, c.bad.personId, { deathDate: c.bad.deathDate })
        .then(
          () => null,
          (e: unknown) => e,
        );
      // …is the batch's, and the good deaths of the chunk are not written either.
      await assert.rejects(
        db.transaction().execute((tx) => new PersonService(tx).recordDeaths(tx, clerk, [...good, c.bad])),
        (e: unknown) => {
          assert.ok(isSbError(e));
          assert.ok(isSbError(single));
          assert.equal(e.code, c.code);
          assert.deepEqual([e.code, e.message], [single.code, single.message]);
          assert.ok(e.message.includes(c.zh), e.message);
          assert.ok(!e.message.includes(String(c.bad.personId)), `no person id in ${e.message}`);
          return true;
        },
      );
      // An import names the refused death by its line in the file, never by the person's id.
      await assert.rejects(
        db
          .transaction()
          .execute((tx) => new PersonService(tx).recordDeaths(tx, clerk, [...good, { ...c.bad, line: 17 }])),
        (e: unknown) => {
          assert.ok(isSbError(e));
          assert.equal(e.code, c.code);
          if (c.code !== 'SB_ERR_INVALID_DATE')
            assert.ok(e.message.includes('第 17 行') && e.message.includes('line 17'), e.message);
          assert.ok(!e.message.includes(String(c.bad.personId)), e.message);
          return true;
        },
      );
    }
    // The same person twice in a chunk is refused too.
    await assert.rejects(
      db.transaction().execute((tx) => new PersonService(tx).recordDeaths(tx, clerk, [...good, good[0]!])),
      (e: unknown) => isSbError(e) && e.code === 'SB_ERR_VALIDATION',
    );
    // A clerk of another region may not record these deaths: the one-person path's refusal.
    const elsewhere = { ...clerk, region: '110101' };
    const refused = await new PersonService(db)
      .recordDeath(elsewhere, good[0]!.personId, { deathDate: good[0]!.deathDate })
      .then(
        () => null,
        (e: unknown) => e,
      );
    assert.ok(isSbError(refused));
    await assert.rejects(
      db.transaction().execute((tx) => new PersonService(tx).recordDeaths(tx, elsewhere, good)),
      (e: unknown) => isSbError(e) && e.code === refused.code && e.message === refused.message,
    );
    assert.deepEqual(await snapshot(db), before);
  });
});
