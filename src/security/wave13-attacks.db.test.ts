// The thirteenth wave's attacker's walk (sec38): every date and id a client sends — the first wave's
// lesson was trust in client-supplied dates and ids — and the newest route, a payment's own page, tried
// as another city's staff, another citizen, another employer, a payer and an anonymous caller. Each test
// goes through the real server (app.inject) on a real database; the holes were seen failing first
// (docs/security.md, wave 13).
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { POLICY, type Scope } from '../auth/policy.ts';
import { makeLogger } from '../bootstrap.ts';
import { makeIdNumber } from '../core/ids.ts';
import type { Role } from '../db/database.ts';
import { buildServer } from '../server.ts';
import { makeRegionBill } from '../testing/bill-fixtures.ts';
import {
  makeBillLine,
  makeEmployer,
  makeEmployment,
  makeEnrolment,
  makeInjuryCase,
  makePerson,
} from '../testing/factories.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { TEST_REGION } from '../testing/test-app.ts';
import { seedApprovedClaims } from '../testing/unemployment-fixtures.ts';
import { loginAsNew } from '../testing/users.ts';
import { attackerWalk } from './attackers.ts';
import { idSlots, madeIds, spreadIds, walkIds, type OpenApi, type SampleValues } from './id-walk.ts';

const TODAY = '2026-04-20';
/** An id no record has (past every table's spread range). */
const UNKNOWN_ID = 987_654_321;

/** Who attacks a route whose role holds the action over its own records only: a login of that role with none of the walk's records. */
const ATTACKERS: readonly [who: string, role: Role, scope: Scope][] = [
  ['clerk-hefei', 'clerk', 'region'],
  ['reviewer-hefei', 'reviewer', 'region'],
  ['supervisor-hefei', 'supervisor', 'region'],
  ['citizen-b', 'citizen', 'own-person'],
  ['employer-b', 'employer', 'own-employer'],
];
/** Who may act on the walk's records, in the order the wrong-kind probe picks one (each login is named after its role). */
const INSIDERS: readonly Role[] = ['clerk', 'reviewer', 'supervisor', 'admin', 'citizen', 'employer'];

describe('wave 13', () => {
  const w = attackerWalk(['citizen-b', 'reviewer-hefei', 'supervisor-hefei'], TODAY);
  const { as, call, error } = w;
  const answer = (r: { statusCode: number; json: <T>() => T }) => ({
    status: r.statusCode,
    error: r.statusCode >= 400 ? error(r) : undefined,
  });

  test('every id a caller sends, found in the API document: another city’s staff, another citizen and another employer hear what an unknown id gets, and an id of another kind acts as none', async (ctx) => {
    const db = w.t.ctx.db;
    // another employer of the region; its row, like every attacker's, is made before the ids are spread
    const theirs = await makeEmployer(db);
    as['employer-b'] = await loginAsNew(w.t, 'employer-b', { role: 'employer', employerId: theirs.id });
    as['admin'] = await w.t.login('admin');
    const actionOf = (method: string, path: string) =>
      w.t.app.routeTable.find(
        (r) => !r.public && r.method === method && r.url.replace(/:(\w+)/g, '{$1}') === path,
      )?.action as keyof typeof POLICY | undefined;
    const doc = (w.t.app as unknown as { swagger(): OpenApi }).swagger();
    const { slots, unnamed, tableOf } = await idSlots(db, doc, actionOf);
    await spreadIds(
      db,
      slots.map((s) => s.table),
    );

    // The records the walk names, all of the region and none an attacker's: a person with a job and an
    // enrolment, an employer, an open bill and a paid one with its payment, a pension award, an injury
    // case, an unemployment claim, a card and a card batch, and the approval a bill's cancellation waits in.
    const p = await makePerson(db);
    const e = await makeEmployer(db);
    await makeEmployment(db, { person_id: p.id, employer_id: e.id });
    await makeEnrolment(db, { person_id: p.id, employer_id: e.id });
    const open = await makeBillLine(db, {
      personId: p.id,
      employerId: e.id,
      period: '2026-02',
      status: 'open',
      pensionEmployerFen: 100_000,
    });
    await makeRegionBill(w.t, { personId: p.id, employerId: e.id, period: '2026-01', status: 'paid' });
    await seedPensioners(db, { count: 1, region: TEST_REGION, startPeriod: '2020-07', offset: 913_000 });
    await makeInjuryCase(db, { person_id: p.id, employer_id: e.id });
    await seedApprovedClaims(db, {
      count: 1,
      region: TEST_REGION,
      employerId: e.id,
      firstPeriod: '2026-01',
      idPrefix: 'W',
    });
    // a card of the person and an employer's card batch (the person already holds the card: it adds none)
    assert.equal((await call('clerk', 'POST', '/api/v1/cards', { personId: p.id })).statusCode, 201);
    const batch = await call('clerk', 'POST', `/api/v1/employers/${e.id}/card-batches`, {});
    assert.equal(batch.statusCode, 201, batch.body);
    const cancel = await call('clerk', 'POST', `/api/v1/bills/${open.billId}/cancel`, {
      reason: 'w13 测试：重复开具',
    });
    assert.ok(cancel.statusCode < 300, cancel.body);

    const made = await madeIds(
      db,
      slots.map((s) => s.table),
    );
    const v: SampleValues = {
      today: TODAY,
      idNumber: p.id_number,
      creditCode: e.credit_code,
      idOf: (noun, path) => {
        const table = tableOf(noun, path);
        return table === undefined ? undefined : made.get(table);
      },
    };
    const { failures, notMade, unsampled, reached, wrongKinds } = await walkIds(slots, call, {
      attackers: ATTACKERS,
      insiders: INSIDERS,
      unknownId: UNKNOWN_ID,
      made,
      values: v,
    });
    ctx.diagnostic(
      `${slots.length} id slots; ${reached} attacks and ${wrongKinds} wrong kinds reached the lookup; ` +
        `no record made of ${[...notMade].join(', ')}; not sampled: ${unsampled.join('; ')}; unnamed: ${unnamed.join('; ')}`,
    );
    assert.deepEqual(failures, []);
    assert.ok(reached >= 40 && wrongKinds >= 40, `${reached} attacks, ${wrongKinds} wrong kinds`);
  });

  test('dates a caller may not choose: an employer’s separation two years back ended two years of its contributions, its enrolment began before the job, a campaign was opened after its deadline (old code: 200, 201, 201); the counter still records an older separation, the audit keeping its day', async () => {
    const db = w.t.ctx.db;
    const staff = async (start: string) => {
      const p = await makePerson(db);
      const job = await makeEmployment(db, {
        person_id: p.id,
        employer_id: w.t.employerId,
        start_date: start,
      });
      return { personId: p.id, jobId: job.id };
    };
    const end = (who: string, jobId: number, endDate: string) =>
      call(who, 'POST', `/api/v1/employments/${jobId}/end`, { endDate, reason: 'voluntary' });
    const a = await staff('2020-01-01');
    const back = await end('employer', a.jobId, '2024-04-30');
    assert.equal(back.statusCode, 400, back.body);
    assert.equal(error(back)?.field, 'endDate', back.body);
    assert.ok(!back.body.includes('2024-04-30'), back.body);
    const still = await db
      .selectFrom('employment')
      .select('end_date')
      .where('id', '=', a.jobId)
      .executeTakeFirst();
    assert.equal(still?.end_date, null, 'nothing ended');
    // the day before the window (the first of last month) is the counter's; the window is the employer's
    assert.equal((await end('employer', a.jobId, '2026-02-28')).statusCode, 400);
    const b = await staff('2020-01-01');
    const inWindow = await end('employer', b.jobId, '2026-03-01');
    assert.equal(inWindow.statusCode, 200, inWindow.body);
    // the counter records the older separation; the audit keeps who, the day it ended and the day recorded
    const counter = await end('clerk', a.jobId, '2024-04-30');
    assert.equal(counter.statusCode, 200, counter.body);
    const entry = await db
      .selectFrom('audit_log')
      .select(['actor_role', 'after', 'at'])
      .where('action', '=', 'employment.end')
      .where('entity_id', '=', String(a.jobId))
      .executeTakeFirstOrThrow();
    assert.equal(entry.actor_role, 'clerk');
    assert.equal((entry.after as { endDate?: string }).endDate, '2024-04-30');
    assert.ok(entry.at !== null);

    // an employee's enrolment through the employer: within the job, and the employer's from last month on
    const c = await staff('2025-06-01');
    const enrol = (who: string, scheme: string, startDate?: string) =>
      call(who, 'POST', '/api/v1/enrolments', {
        personId: c.personId,
        scheme,
        kind: 'employee',
        employerId: w.t.employerId,
        ...(startDate === undefined ? {} : { startDate }),
      });
    for (const day of ['2019-01-01', '2025-07-01', '2030-01-01']) {
      const r = await enrol('employer', 'injury', day);
      assert.equal(r.statusCode, 400, `${day}: ${r.body}`);
      assert.equal(error(r)?.field, 'startDate', r.body);
      assert.ok(!r.body.includes(day), r.body);
    }
    assert.equal((await enrol('clerk', 'injury', '2025-05-31')).statusCode, 400, 'before the job');
    const counterEnrol = await enrol('clerk', 'injury', '2025-07-01');
    assert.equal(counterEnrol.statusCode, 201, counterEnrol.body);
    const own = await enrol('employer', 'unemployment');
    assert.equal(own.statusCode, 201, own.body);
    assert.equal(own.json<{ enrolment: { startDate: string } }>().enrolment.startDate, TODAY);

    // a resident chooses last year's tier in April, with last year's subsidy (old code: 200); this year's is theirs
    const resident = as['citizen-b']!.user.personId!;
    await makeEnrolment(db, {
      person_id: resident,
      scheme: 'resident_pension',
      kind: 'resident',
      start_date: '2020-01-01',
    });
    const tier = (year: number) =>
      call('citizen-b', 'POST', `/api/v1/persons/${resident}/resident-tier`, { year, tierFen: 10_000 });
    const lastYear = await tier(2025);
    assert.equal(lastYear.statusCode, 400, lastYear.body);
    assert.equal(error(lastYear)?.field, 'year', lastYear.body);
    assert.equal((await tier(2026)).statusCode, 200);

    // the injury allowances' payroll prepared for a month years ahead (old code: 201, refused only at release)
    const ahead = await call('clerk', 'POST', '/api/v1/injury/payroll', {
      period: '2099-01',
      region: TEST_REGION,
    });
    assert.equal(ahead.statusCode, 400, ahead.body);
    assert.equal(error(ahead)?.field, 'period', ahead.body);

    // a certification campaign opened after its deadline could be swept at once (old code: 201)
    for (const late of [{ year: 2025 }, { year: 2026, deadline: '2026-03-31' }]) {
      const r = await call('clerk', 'POST', '/api/v1/certification/campaigns', {
        region: TEST_REGION,
        ...late,
      });
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(error(r)?.field, 'deadline', r.body);
    }
  });

  test('a payment’s own page (GET /api/v1/payments/{id}): payers refused, another city’s clerk told what an unknown id is told, an ID number a clerk typed into a reason masked there and in the bill’s history, and the log holds no name or ID number', async () => {
    const NAME = '欧阳十三';
    const ID = makeIdNumber('341802', '1973-03-13', 31);
    const billId = await makeRegionBill(w.t, { period: '2026-03', status: 'paid' });
    const pay = await w.t.ctx.db
      .selectFrom('contribution_payment')
      .select('id')
      .where('bill_id', '=', billId)
      .executeTakeFirstOrThrow();
    const url = `/api/v1/payments/${pay.id}`;
    const prepared = await call('clerk', 'POST', `${url}/reverse`, {
      reasonKind: 'keying_error',
      reason: `${NAME} ${ID} 录入错误`,
    });
    assert.equal(prepared.statusCode, 200, prepared.body);
    // the region's clerk reads it, with the reason's ID number masked (old code: the number whole)
    for (const page of [url, `/api/v1/bills/${billId}/history`]) {
      const mine = await call('clerk', 'GET', page);
      assert.equal(mine.statusCode, 200, mine.body);
      assert.ok(mine.body.includes(NAME), `${page}: the reason is shown`);
      assert.ok(!mine.body.includes(ID), `${page}: ${mine.body}`);
    }
    const unknown = await call('clerk-hefei', 'GET', '/api/v1/payments/987654321');
    const theirs = await call('clerk-hefei', 'GET', url);
    assert.equal(theirs.statusCode, 404, theirs.body);
    assert.deepEqual(answer(theirs), answer(unknown));
    assert.ok(!theirs.body.includes(String(pay.id)) && !unknown.body.includes('987654321'), theirs.body);
    for (const who of ['citizen', 'citizen-b', 'employer', 'policy'])
      assert.equal((await call(who, 'GET', url)).statusCode, 403, who);
    assert.equal((await call(null, 'GET', url)).statusCode, 401);

    // the same attacks through a server that logs to memory, an ID number for the id besides
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const logged = await buildServer({ ...w.t.ctx, log: makeLogger('debug', sink) });
    try {
      await logged.ready();
      for (const [who, path] of [
        ['clerk', url],
        ['clerk-hefei', url],
        ['clerk-hefei', `/api/v1/payments/${ID}`],
        ['citizen', url],
      ] as const) {
        const r = await logged.inject({ method: 'GET', url: path, headers: as[who]!.headers });
        assert.ok(!r.body.includes(ID), `${who} ${path}: ${r.body}`);
      }
    } finally {
      await logged.close();
    }
    const out = chunks.join('');
    assert.ok(out.length > 0, 'the server logged the requests');
    for (const s of [NAME, ID]) assert.ok(!out.includes(s), `${s} in the log`);
  });
});
