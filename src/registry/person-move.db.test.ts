// A person moves to another city (PATCH /api/v1/persons/{id} {region}, by a clerk of the province):
// each record opened before the move stays with the region that opened it and handles it — a claim,
// an injury case, a hall application, a home visit, a retirement case, a recovery, a pension award and
// its death follow-up (docs/supervision.md "A person who moves"; the supervision case is in
// src/supervision/case.db.test.ts). Its clerk still reads and works it; the new city's clerk, who has
// no say over another city's fund or counter, does not. Through the real server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { AwardService } from '../pension/award.service.ts';
import { makeEmployment, makeEnrolment, makePerson } from '../testing/factories.ts';
import { listAwards, seedPensioners } from '../testing/pension-fixtures.ts';
import { callAs, errorCode } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { seedApprovedClaims } from '../testing/unemployment-fixtures.ts';
import { makeUsers } from '../testing/users.ts';

const NEW_REGION = '340100'; // 合肥: the city the person moves to

describe('a person who moves to another city: the records stay with the region handling them', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  const call = callAs(() => t.app, as);

  /** Registers the move through the registry, as the province's clerk (who covers both cities). */
  const move = async (personId: number) => {
    const p = await call('province-clerk', 'GET', `/api/v1/persons/${personId}`);
    assert.equal(p.statusCode, 200, p.body);
    const r = await call('province-clerk', 'PATCH', `/api/v1/persons/${personId}`, {
      version: p.json<{ version: number }>().version,
      region: NEW_REGION,
      reason: '迁居合肥',
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json<{ region: string }>().region, NEW_REGION);
  };
  /** The new city's clerk is refused with `status` (and, for a 403, the out-of-scope code). */
  const refused = async (method: 'GET' | 'POST', url: string, status: 403 | 404, body?: unknown) => {
    const r = await call('hefei-clerk', method, url, body);
    assert.equal(r.statusCode, status, `${method} ${url}: ${r.body}`);
    if (status === 403) assert.equal(errorCode(r), 'SB_ERR_OUT_OF_SCOPE');
  };

  before(async () => {
    fixToday('2026-03-16');
    t = await makeTestApp();
    const staff = await Promise.all(
      ['省经办员', '合肥经办员', '北京经办员'].map((name) => makePerson(t.ctx.db, { name })),
    );
    const elder = await makePerson(t.ctx.db, { name: '高龄老人', birth_date: '1940-02-02', sex: 'F' });
    await makeUsers(t.ctx.db, {
      'province-clerk': { role: 'clerk', region: '340000', personId: staff[0]?.id ?? null },
      'hefei-clerk': { role: 'clerk', region: NEW_REGION, personId: staff[1]?.id ?? null },
      'beijing-clerk': { role: 'clerk', region: '110000', personId: staff[2]?.id ?? null },
      elder: { personId: elder.id },
    });
    for (const u of ['province-clerk', 'hefei-clerk', 'beijing-clerk', 'elder', 'clerk', 'employer'])
      as[u] = await t.login(u);
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('an unemployment claim: its clerk reads it and records a stop; the new city’s clerk gets the unknown id’s 404 to read and to stop, and does not list it', async () => {
    await seedApprovedClaims(t.ctx.db, {
      count: 1,
      region: TEST_REGION,
      employerId: t.employerId,
      firstPeriod: '2026-02',
      idPrefix: 'M',
    });
    const claim = await t.ctx.db
      .selectFrom('unemployment_claim')
      .select(['id', 'person_id'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    await move(claim.person_id);
    const url = `/api/v1/unemployment/claims/${claim.id}`;
    const stop = { event: 'enlistment', eventDate: '2026-03-10' };
    await refused('GET', url, 404);
    // the claim stays with the old city: stopping it answers as reading it does (wave 13)
    await refused('POST', `${url}/stop`, 404, stop);
    const listed = (who: string) =>
      call(who, 'GET', '/api/v1/unemployment/claims').then((r) =>
        r.json<{ items: Array<{ id: number }> }>().items.some((c) => c.id === claim.id),
      );
    assert.equal(await listed('hefei-clerk'), false);
    assert.equal(await listed('clerk'), true);
    assert.equal((await call('clerk', 'GET', url)).statusCode, 200);
    const stopped = await call('clerk', 'POST', `${url}/stop`, stop);
    assert.equal(stopped.statusCode, 200, stopped.body);
  });

  test('a work-injury case: its clerk reads and accepts it; the new city’s clerk gets the unknown id’s 404', async () => {
    const w = await makePerson(t.ctx.db, { birth_date: '1988-05-05' });
    await makeEmployment(t.ctx.db, { person_id: w.id, employer_id: t.employerId, start_date: '2024-01-01' });
    await makeEnrolment(t.ctx.db, {
      person_id: w.id,
      scheme: 'injury',
      region: TEST_REGION,
      employer_id: t.employerId,
      start_date: '2024-01-01',
    });
    const reported = await call('employer', 'POST', '/api/v1/injury/reports', {
      idNumber: w.id_number,
      accidentDate: '2026-03-10',
      description: '搬运时摔伤',
    });
    assert.equal(reported.statusCode, 201, reported.body);
    const url = `/api/v1/injury/cases/${reported.json<{ id: number }>().id}`;
    await move(w.id);
    await refused('GET', url, 404);
    await refused('POST', `${url}/accept`, 404, {});
    assert.equal((await call('clerk', 'GET', url)).statusCode, 200);
    const accepted = await call('clerk', 'POST', `${url}/accept`, {});
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json<{ status: string }>().status, 'accepted');
  });

  test('a hall application taken at the counter: its clerk reads and accepts it; the new city’s clerk gets the unknown id’s 404, reading or acting', async () => {
    const p = await makePerson(t.ctx.db);
    const a = await call('clerk', 'POST', '/api/v1/applications', {
      serviceCode: 'person-change',
      personId: p.id,
      note: '变更联系地址',
    });
    assert.equal(a.statusCode, 201, a.body);
    const app = a.json<{ id: number; version: number }>();
    await move(p.id);
    const url = `/api/v1/applications/${app.id}`;
    const act = { action: 'accept', version: app.version };
    await refused('GET', url, 404);
    await refused('POST', `${url}/actions`, 404, act);
    assert.equal((await call('clerk', 'GET', url)).statusCode, 200);
    const accepted = await call('clerk', 'POST', `${url}/actions`, act);
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.equal(accepted.json<{ status: string }>().status, 'accepted');
  });

  test('a home visit booked before the move: its clerk reads and assigns it; the new city’s clerk gets 404', async () => {
    const booked = await call('elder', 'POST', '/api/v1/home-visits', {
      group: 'elderly',
      serviceWanted: '养老金领取资格认证',
      address: '宣城市宣州区鳌峰街道 1 号',
      contactPhone: '13900001111',
      preferredDate: '2026-03-18',
      preferredSlot: 'am',
    });
    assert.equal(booked.statusCode, 201, booked.body);
    const v = booked.json<{ id: number; version: number }>();
    const elderId = as['elder']?.user.personId;
    assert.ok(elderId);
    await move(elderId);
    const url = `/api/v1/home-visits/${v.id}`;
    const assign = { assignee: 'clerk', visitDate: '2026-03-18', version: v.version };
    await refused('GET', url, 404);
    await refused('POST', `${url}/assign`, 404, assign);
    assert.equal((await call('clerk', 'GET', url)).statusCode, 200);
    const assigned = await call('clerk', 'POST', `${url}/assign`, assign);
    assert.equal(assigned.statusCode, 200, assigned.body);
    assert.equal(assigned.json<{ status: string }>().status, 'assigned');
  });

  test('a retirement case: its clerk reads and computes it; the new city’s clerk gets the unknown id’s 404', async () => {
    const p = await makePerson(t.ctx.db, { birth_date: '1966-01-05', sex: 'M' });
    const opened = await call('clerk', 'POST', '/api/v1/retirement/cases', {
      personId: p.id,
      scheme: 'resident_pension',
    });
    assert.equal(opened.statusCode, 201, opened.body);
    const c = opened.json<{ id: number; version: number }>();
    await move(p.id);
    const url = `/api/v1/retirement/cases/${c.id}`;
    const compute = { version: c.version, archivedMonths: 180 };
    await refused('GET', url, 404);
    await refused('POST', `${url}/compute`, 404, compute);
    assert.equal((await call('clerk', 'GET', url)).statusCode, 200);
    const computed = await call('clerk', 'POST', `${url}/compute`, compute);
    assert.equal(computed.statusCode, 200, computed.body);
  });

  test('a pensioner’s award and recovery: the paying city’s clerk still reads the pension, lists and collects the recovery; the new city’s clerk does not collect it', async () => {
    await seedPensioners(t.ctx.db, { count: 1, region: TEST_REGION, startPeriod: '2026-01', offset: 40 });
    const award = (await listAwards(t.ctx.db)).at(-1);
    assert.ok(award);
    const rc = await t.ctx.db.transaction().execute((tx) =>
      new AwardService(tx).openRecoveryCase(systemActor('test'), {
        personId: award.personId,
        awardId: award.awardId,
        region: TEST_REGION,
        reason: 'ineligible',
        fromPeriod: '2026-01',
        toPeriod: '2026-01',
        amountFen: 30_000,
        idempotencyKey: 'test:moved-recovery',
      }),
    );
    await move(award.personId);

    // The pension: the paying city reads it (it failed here before: the check read the person's
    // region); the city the person lives in reads it too, as a person-level view always did; a
    // clerk of neither does not.
    const pension = `/api/v1/persons/${award.personId}/pension`;
    const paying = await call('clerk', 'GET', pension);
    assert.equal(paying.statusCode, 200, paying.body);
    assert.deepEqual(
      paying.json<{ awards: Array<{ id: number }> }>().awards.map((a) => a.id),
      [award.awardId],
    );
    assert.equal((await call('hefei-clerk', 'GET', pension)).statusCode, 200);
    const far = await call('beijing-clerk', 'GET', pension);
    assert.equal(far.statusCode, 404, 'a clerk of neither city: as an unknown person');
    assert.equal(errorCode(far), 'SB_ERR_NOT_FOUND');

    // The recovery: the region that opened it lists and collects it.
    const inList = (who: string) =>
      call(who, 'GET', '/api/v1/pension/recovery-cases').then((r) =>
        r.json<Array<{ id: number }>>().some((x) => x.id === rc.id),
      );
    const inOverview = (who: string) =>
      call(who, 'GET', '/api/v1/supervision/recoveries').then((r) =>
        r.json<{ items: Array<{ ref: string }> }>().items.some((x) => x.ref === `recovery_case:${rc.id}`),
      );
    assert.equal(await inList('hefei-clerk'), false);
    assert.equal(await inOverview('hefei-clerk'), false);
    assert.equal(await inList('clerk'), true);
    assert.equal(await inOverview('clerk'), true);
    const repayment = {
      kind: 'repayment',
      amountFen: 30_000,
      receivedDate: '2026-03-14',
      bankRef: 'MV20260314',
    };
    const collections = `/api/v1/pension/recovery-cases/${rc.id}/collections`;
    await refused('POST', collections, 404, repayment);
    const prepared = await call('clerk', 'POST', collections, repayment);
    assert.equal(prepared.statusCode, 200, prepared.body);
  });

  test('a pensioner who moved away and died: the paying city’s clerk prepares the death follow-up; the city they died in may not stop another city’s pension', async () => {
    await seedPensioners(t.ctx.db, { count: 1, region: TEST_REGION, startPeriod: '2026-01', offset: 60 });
    const award = (await listAwards(t.ctx.db)).at(-1);
    assert.ok(award);
    await move(award.personId);
    // the death is registered where the person lived (the registry is the new city's now)
    const p = await call('hefei-clerk', 'GET', `/api/v1/persons/${award.personId}`);
    const died = await call('hefei-clerk', 'POST', `/api/v1/persons/${award.personId}/death`, {
      deathDate: '2026-03-01',
      version: p.json<{ version: number }>().version,
    });
    assert.equal(died.statusCode, 200, died.body);
    const followUp = `/api/v1/persons/${award.personId}/pension/death`;
    await refused('POST', followUp, 403, {});
    const prepared = await call('clerk', 'POST', followUp, {});
    assert.equal(prepared.statusCode, 200, prepared.body);
    assert.equal(
      prepared.json<{ region: string }>().region,
      TEST_REGION,
      'released by the paying city’s reviewer',
    );
  });
});
