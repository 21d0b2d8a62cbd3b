// Employment, enrolment, flexible-worker self-enrolment, death and coverage gaps through the real
// app: automatic enrolment on start and its end on separation, scopes of the employer and citizen,
// the dated hukou rule for Shenzhen (2021) and the demo city (2022), and audit entries per change.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeEmployer, makeEmployment, makePerson as insertPerson, countRows } from '../testing/factories.ts';
import { fixToday } from '../core/clock.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import type { LoginResult, TestApp } from '../testing/test-app.ts';
import { appWithLogins, DESK_ROLES, loginAsNew } from '../testing/users.ts';

type Json = Record<string, unknown>;
interface Enr {
  id: number;
  scheme: string;
  kind: string;
  status: string;
  employerId: number | null;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

describe('registry: employment, enrolment, flexible workers, coverage gaps', () => {
  let t: TestApp;
  let clerk: LoginResult;
  let citizen: LoginResult;
  let employer: LoginResult;
  let reviewer: LoginResult;
  let seq = 100;
  let otherEmployerId: number;

  const auditCount = (): Promise<number> => countRows(t.ctx.db, 'audit_log');
  const post = (url: string, who: LoginResult, payload: Json) =>
    t.app.inject({ method: 'POST', url, headers: who.headers, payload });
  const get = (url: string, who: LoginResult) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: who.cookieHeader } });

  /** A person inserted directly (any region), for scenarios the Xuancheng clerk may not create. */
  async function makePerson(
    o: { region?: string; hukou?: string; birth?: string; sex?: 'M' | 'F' } = {},
  ): Promise<number> {
    const birth = o.birth ?? '1990-05-05';
    seq += 2;
    const sequence = o.sex === 'F' ? seq : seq + 1;
    const row = await insertPerson(t.ctx.db, {
      id_number: makeIdNumber(o.hukou ?? '341802', birth, sequence % 1000),
      name: `测试${seq}`,
      sex: o.sex ?? 'M',
      birth_date: birth,
      hukou_region: o.hukou ?? '341802',
      region: o.region ?? '341800',
    });
    return row.id;
  }

  /** A citizen user for a person, logged in. */
  const citizenFor = (personId: number, username: string): Promise<LoginResult> =>
    loginAsNew(t, username, { personId });

  /**
   * A hire by the clerk: directly from last month on; earlier, as a back-entry (补录) the clerk files
   * with a reason and the reviewer approves. Answers like the direct hire (201 and its body).
   */
  async function hire(payload: Json): Promise<{ statusCode: number; body: string; json<T>(): T }> {
    const direct = await post('/api/v1/employments', clerk, payload);
    if (direct.json<ErrorBody>().error?.code !== 'SB_ERR_BACK_ENTRY_REQUIRED') return direct;
    const filed = await post('/api/v1/employment-back-entries', clerk, { ...payload, reason: '补录：测试' });
    assert.equal(filed.statusCode, 201, filed.body);
    const id = filed.json<{ id: number }>().id;
    const approved = await post(`/api/v1/employment-back-entries/${id}/approve`, reviewer, {});
    return {
      statusCode: approved.statusCode === 200 ? 201 : approved.statusCode,
      body: approved.body,
      json: <T>() => approved.json<T>(),
    };
  }
  const idOf = async (personId: number): Promise<{ idNumber: string; name: string }> => {
    const p = await t.ctx.db
      .selectFrom('person')
      .select(['id_number', 'name'])
      .where('id', '=', personId)
      .executeTakeFirstOrThrow();
    return { idNumber: p.id_number, name: p.name };
  };

  const enrolmentsOf = async (personId: number): Promise<Enr[]> =>
    (await get(`/api/v1/persons/${personId}/enrolments`, clerk)).json<Enr[]>();

  before(async () => {
    ({ t, clerk, citizen, employer, reviewer } = await appWithLogins('2024-03-01', DESK_ROLES));
    otherEmployerId = (
      await makeEmployer(t.ctx.db, {
        credit_code: makeCreditCode('341800', 2002),
        name: '另一家公司',
        region: '341802',
        industry_class: 5,
        size: 'large',
      })
    ).id;
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('starting an employment enrols the employee in pension, unemployment and injury, each audited', async () => {
    const pid = await makePerson();
    const audits = await auditCount();
    const r = await hire({
      personId: pid,
      employerId: t.employerId,
      startDate: '2024-02-15',
      monthlyWageFen: 650000,
    });
    assert.equal(r.statusCode, 201, r.body);
    const body = r.json<{ employment: Json; enrolled: Enr[]; alreadyEnrolled: string[] }>();
    assert.deepEqual(body.enrolled.map((e) => e.scheme).sort(), [
      'employee_pension',
      'injury',
      'unemployment',
    ]);
    assert.ok(
      body.enrolled.every(
        (e) =>
          e.kind === 'employee' &&
          e.employerId === t.employerId &&
          e.startDate === '2024-02-15' &&
          e.status === 'active',
      ),
    );
    assert.equal(body.employment['monthlyWageFen'], 650000);
    assert.equal(await auditCount(), audits + 4, 'one entry for the employment, one per enrolment');
    const again = await hire({
      personId: pid,
      employerId: t.employerId,
      startDate: '2024-02-01',
      monthlyWageFen: 650000,
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json<ErrorBody>().error.code, 'SB_ERR_DUPLICATE');
  });

  test('a second concurrent employer leaves existing enrolments alone; ending the first moves them to the second', async () => {
    const pid = await makePerson();
    const first = (
      await hire({
        personId: pid,
        employerId: t.employerId,
        startDate: '2023-01-01',
        monthlyWageFen: 500000,
      })
    ).json<{ employment: { id: number } }>();
    const second = await hire({
      personId: pid,
      employerId: otherEmployerId,
      startDate: '2023-06-01',
      monthlyWageFen: 300000,
    });
    assert.equal(second.statusCode, 201, second.body);
    assert.deepEqual(second.json<{ enrolled: Enr[]; alreadyEnrolled: string[] }>().enrolled, []);
    assert.equal(second.json<{ alreadyEnrolled: string[] }>().alreadyEnrolled.length, 3);
    const end = await post(`/api/v1/employments/${first.employment.id}/end`, clerk, {
      endDate: '2024-01-31',
      reason: 'voluntary',
    });
    assert.equal(end.statusCode, 200, end.body);
    const b = end.json<{ endedEnrolments: Enr[]; reEnrolled: Enr[] }>();
    assert.equal(b.endedEnrolments.length, 3);
    assert.equal(b.reEnrolled.length, 3);
    assert.ok(b.reEnrolled.every((e) => e.employerId === otherEmployerId && e.startDate === '2024-02-01'));
  });

  test('an involuntary end keeps its reason and ends the enrolments through that employer', async () => {
    const pid = await makePerson();
    const s = (
      await hire({
        personId: pid,
        employerId: t.employerId,
        startDate: '2022-03-01',
        monthlyWageFen: 480000,
      })
    ).json<{ employment: { id: number } }>();
    const audits = await auditCount();
    const r = await post(`/api/v1/employments/${s.employment.id}/end`, employer, {
      endDate: '2024-02-29',
      reason: 'involuntary',
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json<{ employment: Json }>().employment['endReason'], 'involuntary');
    assert.equal(await auditCount(), audits + 4);
    const list = await enrolmentsOf(pid);
    assert.equal(list.length, 3);
    assert.ok(
      list.every(
        (e) => e.status === 'ended' && e.endDate === '2024-02-29' && e.endReason === 'employment_ended',
      ),
    );
    const row = await t.ctx.db
      .selectFrom('employment')
      .selectAll()
      .where('id', '=', s.employment.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.end_reason, 'involuntary');
    const twice = await post(`/api/v1/employments/${s.employment.id}/end`, employer, {
      endDate: '2024-02-29',
      reason: 'involuntary',
    });
    assert.equal(twice.json<ErrorBody>().error.code, 'SB_ERR_CONFLICT');
  });

  test('an employer acts only on its own staff', async () => {
    const pid = await makePerson();
    const forOther = await post('/api/v1/employments', employer, {
      personId: pid,
      employerId: otherEmployerId,
      startDate: '2024-01-01',
      monthlyWageFen: 1,
    });
    // Another employer answers as an unknown one (docs/security.md, Wave 6 (access)).
    assert.equal(forOther.statusCode, 404, forOther.body);
    assert.ok(!forOther.body.includes(String(otherEmployerId)), forOther.body);
    const theirs = (
      await hire({
        personId: pid,
        employerId: otherEmployerId,
        startDate: '2024-01-01',
        monthlyWageFen: 400000,
      })
    ).json<{ employment: { id: number } }>();
    assert.equal(
      (
        await post(`/api/v1/employments/${theirs.employment.id}/end`, employer, {
          endDate: '2024-02-01',
          reason: 'involuntary',
        })
      ).statusCode,
      404,
    );
    assert.equal(
      (await get(`/api/v1/persons/${pid}/enrolments`, employer)).statusCode,
      404,
      'not (yet) their staff',
    );
    assert.equal((await get(`/api/v1/employers/${otherEmployerId}/staff`, employer)).statusCode, 404);
    const hired = await post('/api/v1/employments', employer, {
      ...(await idOf(pid)),
      employerId: t.employerId,
      startDate: '2024-02-01',
      monthlyWageFen: 400000,
    });
    assert.equal(hired.statusCode, 201, hired.body);
    const seen = await get(`/api/v1/persons/${pid}/enrolments`, employer);
    assert.equal(seen.statusCode, 200);
    assert.ok(
      seen.json<Enr[]>().every((e) => e.employerId === t.employerId),
      'an employer sees only enrolments through itself',
    );
    // A person hired only by this employer: the list is not empty, and it names the employer (参保单位).
    const own = await makePerson();
    const ownHire = await post('/api/v1/employments', employer, {
      ...(await idOf(own)),
      employerId: t.employerId,
      startDate: '2024-02-01',
      monthlyWageFen: 400000,
    });
    assert.equal(ownHire.statusCode, 201, ownHire.body);
    const ownList = (await get(`/api/v1/persons/${own}/enrolments`, employer)).json<
      Array<Enr & { employerName?: string | null }>
    >();
    const { name } = (await get(`/api/v1/employers/${t.employerId}`, employer)).json<{ name: string }>();
    assert.equal(ownList.length, 3, 'pension, unemployment and injury');
    for (const e of ownList) {
      assert.equal(e.employerId, t.employerId);
      assert.equal(e.employerName, name);
    }
    const staff = await get(`/api/v1/employers/${t.employerId}/staff?pageSize=200`, employer);
    assert.equal(staff.statusCode, 200, staff.body);
    const page = staff.json<{ items: Array<{ personId: number; idNumber: string }>; total: number }>();
    assert.ok(page.items.some((i) => i.personId === pid));
    assert.ok(page.items.every((i) => i.idNumber.includes('**********')));
  });

  test('a citizen sees only their own enrolments and employments', async () => {
    assert.equal((await get(`/api/v1/persons/${t.personId}/enrolments`, citizen)).statusCode, 200);
    assert.equal((await get(`/api/v1/persons/${t.personId}/employments`, citizen)).statusCode, 200);
    const other = await makePerson();
    // Someone else's records answer as an unknown person's, without the id.
    for (const path of ['enrolments', 'employments']) {
      const theirs = await get(`/api/v1/persons/${other}/${path}`, citizen);
      const none = await get(`/api/v1/persons/987654321/${path}`, citizen);
      assert.equal(theirs.statusCode, 404, theirs.body);
      assert.equal(theirs.body, none.body, path);
      assert.ok(!theirs.body.includes(String(other)), theirs.body);
    }
    assert.equal(
      (
        await post('/api/v1/employments', citizen, {
          personId: t.personId,
          employerId: t.employerId,
          startDate: '2024-01-01',
          monthlyWageFen: 1,
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (
        await post('/api/v1/enrolments', citizen, {
          personId: t.personId,
          scheme: 'injury',
          kind: 'employee',
          employerId: t.employerId,
        })
      ).statusCode,
      403,
    );
  });

  test('flexible-worker enrolment in the demo city: non-local hukou refused until 2021-12-31, allowed from 2022-01-01', async () => {
    const pid = await makePerson({ region: '341802', hukou: '340100' }); // lives in Xuancheng, hukou Hefei
    const me = await citizenFor(pid, 'flex-xc');
    fixToday('2021-12-31');
    const audits = await auditCount();
    const refused = await post('/api/v1/enrolments/flexible', me, {});
    assert.equal(refused.statusCode, 422, refused.body);
    const e = refused.json<ErrorBody>().error;
    assert.equal(e.code, 'SB_ERR_NOT_ELIGIBLE');
    assert.match(e.message, /户籍/);
    assert.match(e.message, /hukou/);
    assert.equal(await auditCount(), audits, 'a refusal writes nothing');
    assert.deepEqual(await enrolmentsOf(pid), []);
    const beforeEnrol = await auditCount(); // the clerk's read just above is audited too
    fixToday('2022-01-01');
    const ok = await post('/api/v1/enrolments/flexible', me, {});
    assert.equal(ok.statusCode, 201, ok.body);
    const body = ok.json<{ enrolment: Enr; trace: Array<{ parameter?: string; value: unknown }> }>();
    assert.equal(body.enrolment.kind, 'flexible');
    assert.equal(body.enrolment.scheme, 'employee_pension');
    assert.equal(body.enrolment.startDate, '2022-01-01');
    assert.equal(body.enrolment.employerId, null);
    const step = body.trace.find((s) => s.parameter === 'registry/flexible-enrolment-requires-local-hukou');
    assert.equal(step?.value, false);
    assert.equal(await auditCount(), beforeEnrol + 1);
    const twice = await post('/api/v1/enrolments/flexible', me, {});
    assert.equal(twice.statusCode, 422);
    assert.match(twice.json<ErrorBody>().error.message, /already enrolled/);
    fixToday('2024-03-01');
  });

  test('flexible-worker enrolment in Shenzhen: non-local hukou refused on 2020-12-31, allowed from 2021-01-01', async () => {
    const pid = await makePerson({ region: '440300', hukou: '341802' });
    const me = await citizenFor(pid, 'flex-sz');
    fixToday('2020-12-31');
    const refused = await post('/api/v1/enrolments/flexible', me, {});
    assert.equal(refused.statusCode, 422, refused.body);
    assert.match(refused.json<ErrorBody>().error.message, /440300/);
    fixToday('2021-01-01');
    const ok = await post('/api/v1/enrolments/flexible', me, {});
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json<{ enrolment: Enr }>().enrolment.startDate, '2021-01-01');
    fixToday('2024-03-01');
  });

  test('flexible-worker enrolment is refused while employed and outside working age; a local clerk may enrol a local person', async () => {
    fixToday('2021-06-01');
    const employed = await makePerson();
    await hire({
      personId: employed,
      employerId: t.employerId,
      startDate: '2021-01-01',
      monthlyWageFen: 400000,
    });
    const r1 = await post('/api/v1/enrolments/flexible', clerk, { personId: employed });
    assert.equal(r1.statusCode, 422);
    assert.match(r1.json<ErrorBody>().error.message, /employed/);
    const old = await makePerson({ birth: '1960-01-01' });
    assert.match(
      (await post('/api/v1/enrolments/flexible', clerk, { personId: old })).json<ErrorBody>().error.message,
      /age/,
    );
    const young = await makePerson({ birth: '2008-01-01' });
    assert.match(
      (await post('/api/v1/enrolments/flexible', clerk, { personId: young })).json<ErrorBody>().error.message,
      /younger than 16/,
    );
    const local = await makePerson({ region: '341802', hukou: '341821' }); // hukou elsewhere in Xuancheng: local
    const ok = await post('/api/v1/enrolments/flexible', clerk, { personId: local });
    assert.equal(ok.statusCode, 201, ok.body);
    // A citizen cannot enrol someone else.
    assert.equal((await post('/api/v1/enrolments/flexible', citizen, { personId: local })).statusCode, 404);
    // Taking a job ends the flexible enrolment the day before; the employer enrols them.
    const job = await hire({
      personId: local,
      employerId: t.employerId,
      startDate: '2021-07-01',
      monthlyWageFen: 420000,
    });
    assert.equal(job.statusCode, 201, job.body);
    const j = job.json<{ enrolled: Enr[]; ended: Enr[] }>();
    assert.equal(j.ended.length, 1);
    assert.equal(j.ended[0]?.endReason, 'became_employee');
    assert.equal(j.ended[0]?.endDate, '2021-06-30');
    assert.equal(j.enrolled.length, 3);
    fixToday('2024-03-01');
  });

  test('residents\u2019 pension: allowed without the employee pension, refused with it; clerk ends an enrolment', async () => {
    const pid = await makePerson({ birth: '1970-01-01', sex: 'F' });
    const ok = await post('/api/v1/enrolments', clerk, {
      personId: pid,
      scheme: 'resident_pension',
      kind: 'resident',
      startDate: '2024-01-01',
    });
    assert.equal(ok.statusCode, 201, ok.body);
    const again = await post('/api/v1/enrolments', clerk, {
      personId: pid,
      scheme: 'resident_pension',
      kind: 'resident',
    });
    assert.equal(again.statusCode, 422);
    const employee = await makePerson();
    await hire({
      personId: employee,
      employerId: t.employerId,
      startDate: '2024-01-01',
      monthlyWageFen: 400000,
    });
    const refused = await post('/api/v1/enrolments', clerk, {
      personId: employee,
      scheme: 'resident_pension',
      kind: 'resident',
    });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.json<ErrorBody>().error.message, /employee pension/);
    const id = ok.json<{ enrolment: Enr }>().enrolment.id;
    const audits = await auditCount();
    const end = await post(`/api/v1/enrolments/${id}/end`, clerk, { endDate: '2024-02-29', reason: 'moved' });
    assert.equal(end.statusCode, 200, end.body);
    assert.equal(end.json<Enr>().endReason, 'moved');
    assert.equal(await auditCount(), audits + 1);
    assert.equal(
      (await post(`/api/v1/enrolments/${id}/end`, employer, { endDate: '2024-02-29', reason: 'moved' }))
        .statusCode,
      403,
    );
  });

  test('coverage gaps: employed people missing a scheme, per region and per employer, set-based', async () => {
    const pid = await makePerson();
    // An employment recorded without its enrolments (as a migration or the demo seed might leave it).
    const em = await makeEmployment(t.ctx.db, {
      person_id: pid,
      employer_id: otherEmployerId,
      start_date: '2023-05-01',
      monthly_wage_fen: 300000,
    });
    type Gaps = {
      items: Array<{ employmentId: number; personId: number; missingSchemes: string[]; idNumber: string }>;
      total: number;
      page: number;
      pageSize: number;
    };
    const all = (await get('/api/v1/coverage-gaps?pageSize=200', clerk)).json<Gaps>();
    const mine = all.items.find((i) => i.employmentId === em.id);
    assert.deepEqual(mine?.missingSchemes, ['employee_pension', 'unemployment', 'injury']);
    assert.ok(mine?.idNumber.includes('*'));
    assert.equal(all.total, all.items.length);
    const enrol = await post('/api/v1/enrolments', clerk, {
      personId: pid,
      scheme: 'injury',
      kind: 'employee',
      employerId: otherEmployerId,
      startDate: '2023-05-01',
    });
    assert.equal(enrol.statusCode, 201, enrol.body);
    const after1 = (await get(`/api/v1/coverage-gaps?employerId=${otherEmployerId}`, clerk)).json<Gaps>();
    assert.deepEqual(after1.items.find((i) => i.employmentId === em.id)?.missingSchemes, [
      'employee_pension',
      'unemployment',
    ]);
    const byScheme = (await get('/api/v1/coverage-gaps?scheme=injury&pageSize=200', clerk)).json<Gaps>();
    assert.ok(!byScheme.items.some((i) => i.employmentId === em.id));
    // The employer sees its own gaps only.
    assert.equal(
      (await get(`/api/v1/coverage-gaps?employerId=${otherEmployerId}`, employer)).statusCode,
      403,
    );
    const own = await get('/api/v1/coverage-gaps', employer);
    assert.equal(own.statusCode, 200);
    assert.ok(!own.json<Gaps>().items.some((i) => i.employmentId === em.id));
    assert.equal((await get('/api/v1/coverage-gaps', citizen)).statusCode, 403);
    assert.equal((await get('/api/v1/coverage-gaps?region=440300', clerk)).statusCode, 403);
    // Closing the gap removes the row.
    await post('/api/v1/enrolments', clerk, {
      personId: pid,
      scheme: 'employee_pension',
      kind: 'employee',
      employerId: otherEmployerId,
      startDate: '2023-05-01',
    });
    await post('/api/v1/enrolments', clerk, {
      personId: pid,
      scheme: 'unemployment',
      kind: 'employee',
      employerId: otherEmployerId,
      startDate: '2023-05-01',
    });
    const closed = (await get('/api/v1/coverage-gaps?pageSize=200', clerk)).json<Gaps>();
    assert.ok(!closed.items.some((i) => i.employmentId === em.id));
  });

  test('recording a death ends enrolments and employment with reason death and publishes person.died', async () => {
    const pid = await makePerson();
    await hire({
      personId: pid,
      employerId: t.employerId,
      startDate: '2020-01-01',
      monthlyWageFen: 500000,
    });
    const audits = await auditCount();
    assert.equal(
      (await post(`/api/v1/persons/${pid}/death`, citizen, { deathDate: '2024-02-10' })).statusCode,
      403,
    );
    const r = await post(`/api/v1/persons/${pid}/death`, clerk, {
      deathDate: '2024-02-10',
      reason: '公安死亡登记比对',
    });
    assert.equal(r.statusCode, 200, r.body);
    const b = r.json<{ person: Json; endedEnrolments: number; endedEmployments: number }>();
    assert.equal(b.person['deathDate'], '2024-02-10');
    assert.equal(b.endedEnrolments, 3);
    assert.equal(b.endedEmployments, 1);
    assert.equal(await auditCount(), audits + 1);
    const list = await enrolmentsOf(pid);
    assert.ok(
      list.every((e) => e.status === 'ended' && e.endReason === 'death' && e.endDate === '2024-02-10'),
    );
    const emp = await t.ctx.db
      .selectFrom('employment')
      .selectAll()
      .where('person_id', '=', pid)
      .executeTakeFirstOrThrow();
    assert.equal(emp.end_reason, 'death');
    const event = await t.ctx.db
      .selectFrom('outbox')
      .selectAll()
      .where('topic', '=', 'person.died')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    assert.equal((event.payload as { personId: number }).personId, pid);
    assert.equal(
      (await post(`/api/v1/persons/${pid}/death`, clerk, { deathDate: '2024-02-10' })).statusCode,
      409,
    );
    const job = await hire({
      personId: pid,
      employerId: otherEmployerId,
      startDate: '2024-02-20',
      monthlyWageFen: 1,
    });
    assert.equal(job.statusCode, 422);
  });
});
