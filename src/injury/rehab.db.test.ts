// Rehabilitation through the real app: recognised cases are screened (batch and one by one), a clerk
// refers a flagged case and records the outcome once, each step audited; the worker sees their own
// case's rehabilitation and nobody else's; a citizen cannot refer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { addDays } from '../core/dates.ts';
import { makeEmployer, makePerson } from '../testing/factories.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { HospitalService } from './hospital.service.ts';
import { RehabService } from './rehab.service.ts';

const sys = systemActor('test');
const accident = addDays(today(), -60);
let t: TestApp;
let fracture = 0;
let bruise = 0;
let reported = 0;
let centre = 0;

async function makeCase(description: string, status: 'recognised' | 'reported', personId?: number) {
  const db = t.ctx.db;
  const p = personId ?? (await makePerson(db, { birth_date: '1985-04-01' })).id;
  const e = await makeEmployer(db);
  const r = await db
    .insertInto('injury_case')
    .values({
      person_id: p,
      employer_id: e.id,
      region_code: '341800',
      kind: 'injury',
      accident_date: accident,
      description,
      status,
      reported_by: 'employer',
      reporter_kind: 'employer',
      reported_date: addDays(accident, 1),
      employer_insured: true,
      decided_date: status === 'recognised' ? addDays(accident, 20) : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

before(async () => {
  t = await makeTestApp();
  fracture = await makeCase('高处坠落致腰椎骨折', 'recognised', t.personId);
  bruise = await makeCase('左臂软组织挫伤', 'recognised');
  reported = await makeCase('右手食指离断', 'reported');
  centre = (
    await new HospitalService(t.ctx.db).createHospital(sys, {
      code: 'R34180001',
      name: '宣城市工伤康复中心',
      region: '341802',
      kind: 'rehab',
    })
  ).id;
});
after(() => t.close());

test('the batch screens each recognised case once: the fracture is flagged, the bruise is not, the unrecognised case waits', async () => {
  assert.deepEqual(await new RehabService(t.ctx.db).screenRecognisedCases(sys), { screened: 2, flagged: 1 });
  assert.deepEqual(await new RehabService(t.ctx.db).screenRecognisedCases(sys), { screened: 0, flagged: 0 });
  const clerk = await t.login('clerk');
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/injury/cases/${fracture}/rehab`,
    headers: clerk.headers,
  });
  assert.equal(r.statusCode, 200, r.body);
  const s = r.json<{ screening: { flagged: boolean; kinds: string[]; categories: string[] } }>().screening;
  assert.deepEqual([s.flagged, s.kinds, s.categories], [true, ['medical', 'vocational'], ['fracture']]);
  const list = await t.app.inject({ method: 'GET', url: '/api/v1/injury/rehab', headers: clerk.headers });
  assert.deepEqual(
    list.json<{ items: Array<{ caseId: number }> }>().items.map((x) => x.caseId),
    [fracture],
  );
  const early = await t.app.inject({
    method: 'POST',
    url: `/api/v1/injury/cases/${reported}/rehab/screen`,
    headers: clerk.headers,
    payload: {},
  });
  assert.equal(early.statusCode, 422);
});

test('a clerk refers and records the outcome once; both are audited; the worker sees it on their case', async () => {
  const clerk = await t.login('clerk');
  const ref = await t.app.inject({
    method: 'POST',
    url: `/api/v1/injury/cases/${fracture}/rehab/referrals`,
    headers: clerk.headers,
    payload: {
      institutionId: centre,
      kind: 'medical',
      referredOn: addDays(accident, 25),
      plan: '腰椎术后康复训练 8 周',
    },
  });
  assert.equal(ref.statusCode, 201, ref.body);
  const referral = ref.json<{ referrals: Array<{ id: number; version: number; status: string }> }>()
    .referrals[0];
  assert.equal(referral?.status, 'referred');
  const outcome = {
    status: 'completed',
    outcome: '完成康复训练，可返回原岗位',
    outcomeOn: addDays(accident, 55),
    version: referral?.version ?? 0,
  };
  const done = await t.app.inject({
    method: 'POST',
    url: `/api/v1/injury/rehab/referrals/${referral?.id ?? 0}/outcome`,
    headers: clerk.headers,
    payload: outcome,
  });
  assert.equal(done.statusCode, 200, done.body);
  const twice = await t.app.inject({
    method: 'POST',
    url: `/api/v1/injury/rehab/referrals/${referral?.id ?? 0}/outcome`,
    headers: clerk.headers,
    payload: outcome,
  });
  assert.equal(twice.statusCode, 409);
  const audit = await sql<{ action: string }>`
    SELECT action FROM audit_log WHERE action IN ('rehab.refer', 'rehab.outcome') ORDER BY id`.execute(
    t.ctx.db,
  );
  assert.deepEqual(
    audit.rows.map((x) => x.action),
    ['rehab.refer', 'rehab.outcome'],
  );
  const citizen = await t.login('citizen');
  const mine = await t.app.inject({
    method: 'GET',
    url: `/api/v1/injury/cases/${fracture}/rehab`,
    headers: citizen.headers,
  });
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.json<{ referrals: Array<{ status: string }> }>().referrals[0]?.status, 'completed');
  const other = await t.app.inject({
    method: 'GET',
    url: `/api/v1/injury/cases/${bruise}/rehab`,
    headers: citizen.headers,
  });
  assert.equal(other.statusCode, 404);
  const refer = await t.app.inject({
    method: 'POST',
    url: `/api/v1/injury/cases/${fracture}/rehab/referrals`,
    headers: citizen.headers,
    payload: { institutionId: centre, kind: 'medical', referredOn: addDays(accident, 25), plan: 'x' },
  });
  assert.equal(refer.statusCode, 403);
});
