// Retirement through the HTTP API: due list, case opened by a clerk, computed (short of the minimum →
// missing months and lawful options; then eligible with inputs, parameter versions and trace),
// submitted, four-eyes refusals, and two reviewers approving at once: one wins, one gets SB_ERR_CONFLICT.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { consumeEvents } from '../hall/events.job.ts';
import { makeEmployment, makeEnrolment, makePerson } from '../testing/factories.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makeTestApp, TEST_REGION, type TestApp } from '../testing/test-app.ts';
import { makeUsers } from '../testing/users.ts';
import { stepUnitProblem } from '../testing/trace-units.ts';

interface CaseBody {
  id: number;
  status: string;
  version: number;
  eligible: boolean | null;
  missingMonths: number | null;
  options: Array<{ code: string }>;
  monthlyFen: number | null;
  parameterVersions: Array<{ parameter: string; effectiveFrom: string | null }>;
  trace: unknown[];
  awardId: number | null;
  reviewedByName?: string | null;
}

describe('retirement cases', () => {
  let t: TestApp;
  let personId: number;
  before(async () => {
    fixToday('2025-03-20');
    t = await makeTestApp();
    const db = t.ctx.db;
    const p = await makePerson(db, {
      id_number: makeIdNumber('341802', '1965-03-10', 21),
      name: '李四',
      sex: 'M',
      birth_date: '1965-03-10',
      hukou_region: '341802',
      region: TEST_REGION,
      bank_name: '工商银行',
      bank_account: '6222000000000000001',
    });
    personId = p.id;
    await makeEnrolment(db, {
      person_id: personId,
      region: TEST_REGION,
      employer_id: t.employerId,
      start_date: '1990-01-01',
    });
    // Every staff account belongs to a person: reviewer2 is another person (the supervisor's, here).
    const other = await db
      .selectFrom('app_user')
      .select('person_id')
      .where('username', '=', 'supervisor')
      .executeTakeFirstOrThrow();
    await makeUsers(db, {
      reviewer2: { role: 'reviewer', personId: other.person_id, region: TEST_REGION },
      reviewer3: { role: 'reviewer', personId: t.personId, region: TEST_REGION },
      farclerk: { role: 'clerk', region: '110000' },
      farreviewer: { role: 'reviewer', region: '110000' },
    });
    // The clerk's account is linked to the same person as reviewer3's.
    await db.updateTable('app_user').set({ person_id: t.personId }).where('username', '=', 'clerk').execute();
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  /**
   * The path both schemes' end-of-enrolment tests take: the clerk opens the person's case and submits
   * it with `figures`; a reviewer returns it; it is submitted again; another region's reviewer is
   * refused (404); a reviewer of the region approves it. `unchanged(why)` asserts that nothing ended
   * after the return and after the refusal. Answers the approved case.
   */
  async function approvedRetirement(
    scheme: 'employee_pension' | 'resident_pension',
    personId: number,
    figures: Record<string, number>,
    unchanged: (why: string) => Promise<void>,
  ): Promise<CaseBody> {
    const clerk = await t.login('clerk');
    const post = (who: { headers: Record<string, string> }, url: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/retirement/cases${url}`, headers: who.headers, payload });
    let c = (await post(clerk, '', { personId, scheme })).json<CaseBody>();
    const computeAndSubmit = async () => {
      c = (await post(clerk, `/${c.id}/compute`, { version: c.version, ...figures })).json<CaseBody>();
      assert.equal(c.eligible, true);
      c = (await post(clerk, `/${c.id}/submit`, { version: c.version })).json<CaseBody>();
      assert.equal(c.status, 'pending_review');
    };
    await computeAndSubmit();
    const returned = await post(await t.login('reviewer'), `/${c.id}/review`, {
      decision: 'return',
      version: c.version,
      note: '请补充档案',
    });
    assert.equal(returned.statusCode, 200, returned.body);
    c = returned.json<CaseBody>();
    await unchanged('a returned case ends nothing');
    await computeAndSubmit();
    const far = await post(await t.login('farreviewer'), `/${c.id}/review`, {
      decision: 'approve',
      version: c.version,
    });
    assert.equal(far.statusCode, 404, far.body);
    await unchanged('another region’s reviewer ends nothing');
    const approved = await post(await t.login('reviewer'), `/${c.id}/review`, {
      decision: 'approve',
      version: c.version,
    });
    assert.equal(approved.statusCode, 200, approved.body);
    return c;
  }

  test('due list, open, compute short then eligible, submit, four eyes, and a race of two reviewers', async () => {
    const clerk = await t.login('clerk');
    const due = await t.app.inject({
      method: 'GET',
      url: '/api/v1/retirement/due?month=2025-04',
      headers: clerk.headers,
    });
    assert.equal(due.statusCode, 200, due.body);
    const item = due
      .json<{ items: Array<{ personId: number; statutoryDate: string; ageMonths: number }> }>()
      .items.find((i) => i.personId === personId);
    assert.ok(item, 'born 1965-03: statutory age 60y1m, reached 2025-04-10');
    assert.equal(item.statutoryDate, '2025-04-10');
    assert.equal(item.ageMonths, 721);
    assert.equal((item as { caseId?: number | null }).caseId, null, 'no case yet');

    const opened = await t.app.inject({
      method: 'POST',
      url: '/api/v1/retirement/cases',
      headers: clerk.headers,
      payload: { personId, scheme: 'employee_pension' },
    });
    assert.equal(opened.statusCode, 201, opened.body);
    let c = opened.json<CaseBody>();
    assert.equal(c.status, 'draft');
    const dueAgain = await t.app.inject({
      method: 'GET',
      url: '/api/v1/retirement/due?month=2025-04',
      headers: clerk.headers,
    });
    const marked = dueAgain
      .json<{ items: Array<{ personId: number; caseId: number | null; caseStatus: string | null }> }>()
      .items.find((i) => i.personId === personId);
    assert.deepEqual(
      [marked?.caseId, marked?.caseStatus],
      [c.id, 'draft'],
      'the due list marks the open case',
    );
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/retirement/cases',
      headers: clerk.headers,
    });
    const listed = list
      .json<{ items: Array<{ id: number; personName?: string; createdByName?: string | null }> }>()
      .items.find((i) => i.id === c.id);
    assert.equal(listed?.personName, (item as { name?: string }).name, 'the case list names the person');
    assert.ok(listed?.createdByName, 'and the clerk who opened it');

    const short = await t.app.inject({
      method: 'POST',
      url: `/api/v1/retirement/cases/${c.id}/compute`,
      headers: clerk.headers,
      payload: { version: c.version, archivedMonths: 100, archivedIndex: 1 },
    });
    assert.equal(short.statusCode, 200, short.body);
    c = short.json<CaseBody>();
    assert.equal(c.eligible, false);
    assert.equal(c.missingMonths, 80, '180 − 100 months');
    assert.deepEqual(
      c.options.map((o) => o.code),
      ['keep_contributing', 'lump_sum', 'transfer_to_residents'],
    );
    const notYet = await t.app.inject({
      method: 'POST',
      url: `/api/v1/retirement/cases/${c.id}/submit`,
      headers: clerk.headers,
      payload: { version: c.version },
    });
    assert.equal(notYet.statusCode, 422);
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/v1/retirement/cases/${c.id + 100_000}/submit`,
      headers: clerk.headers,
      payload: { version: c.version },
    });
    assert.equal(unknown.statusCode, 404);
    assert.ok(!unknown.body.includes(String(c.id + 100_000)), `the 404 repeats the id: ${unknown.body}`);

    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/retirement/cases/${c.id}/compute`,
      headers: clerk.headers,
      payload: {
        version: c.version,
        archivedMonths: 360,
        archivedIndex: 1,
        archivedAccountFen: 10_000_000,
        benefitBaseWageFen: 800_000,
      },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    c = ok.json<CaseBody>();
    assert.equal(c.eligible, true);
    // basic = (8000 + 8000×1)/2 × 30 × 1% = 2400 yuan; account = 100,000 ÷ 139 (age 60y1m: 139 − 1/12×… ≈ 138.x)
    assert.ok(c.monthlyFen !== null && c.monthlyFen > 240_000, String(c.monthlyFen));
    assert.ok(c.parameterVersions.some((v) => v.parameter === 'pension/employee-pension-formula'));
    assert.ok(c.trace.length > 5);
    // each step as the case page receives it says its unit, and its figure fits it
    assert.deepEqual((c.trace as Array<{ step: string }>).map(stepUnitProblem).filter(Boolean), []);
    const steps = (c.trace as Array<{ step: string }>).map((s) => s.step);
    assert.equal(
      steps.filter((s) => s === 'contribution months on record').length,
      1,
      'the second computation replaces the first one’s steps instead of adding to them',
    );
    assert.equal(steps.filter((s) => s === 'computed on').length, 1);

    const sub = await t.app.inject({
      method: 'POST',
      url: `/api/v1/retirement/cases/${c.id}/submit`,
      headers: clerk.headers,
      payload: { version: c.version },
    });
    assert.equal(sub.statusCode, 200, sub.body);
    c = sub.json<CaseBody>();
    assert.equal(c.status, 'pending_review');

    const byClerk = await t.app.inject({
      method: 'POST',
      url: `/api/v1/retirement/cases/${c.id}/review`,
      headers: clerk.headers,
      payload: { decision: 'approve', version: c.version },
    });
    assert.equal(byClerk.statusCode, 403, 'a clerk cannot approve');

    // Another region's staff learn nothing about the case: its every route answers as an unknown id does.
    const farClerk = await t.login('farclerk');
    const farReviewer = await t.login('farreviewer');
    for (const [who, method, path, payload] of [
      [farClerk, 'GET', '', undefined],
      [farClerk, 'POST', '/compute', { version: c.version }],
      [farClerk, 'POST', '/submit', { version: c.version }],
      [farReviewer, 'POST', '/review', { decision: 'approve', version: c.version }],
    ] as const) {
      const at = (id: number) =>
        t.app.inject({
          method,
          url: `/api/v1/retirement/cases/${id}${path}`,
          headers: who.headers,
          ...(payload ? { payload } : {}),
        });
      const [real, none] = [await at(c.id), await at(c.id + 100_000)];
      assert.equal(real.statusCode, 404, `${method} ${path}: ${real.body}`);
      assert.equal(real.body, none.body, `${method} ${path}: another region's case reads as an unknown one`);
    }
    const linked = await t.login('reviewer3');
    const byLinked = await t.app.inject({
      method: 'POST',
      url: `/api/v1/retirement/cases/${c.id}/review`,
      headers: linked.headers,
      payload: { decision: 'approve', version: c.version },
    });
    assert.equal(byLinked.statusCode, 403, 'a reviewer linked to the creator’s person cannot approve');

    const r1 = await t.login('reviewer');
    const r2 = await t.login('reviewer2');
    const [a, b] = await Promise.all([
      t.app.inject({
        method: 'POST',
        url: `/api/v1/retirement/cases/${c.id}/review`,
        headers: r1.headers,
        payload: { decision: 'approve', version: c.version },
      }),
      t.app.inject({
        method: 'POST',
        url: `/api/v1/retirement/cases/${c.id}/review`,
        headers: r2.headers,
        payload: { decision: 'approve', version: c.version },
      }),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    assert.deepEqual(codes, [200, 409], `${a.body} | ${b.body}`);
    const loser = a.statusCode === 409 ? a : b;
    assert.equal(loser.json<{ error: { code: string } }>().error.code, 'SB_ERR_CONFLICT');
    const winner = (a.statusCode === 200 ? a : b).json<CaseBody>();
    assert.equal(winner.status, 'approved');
    assert.ok(winner.awardId);
    // the page names the clerk and the reviewer, not only their usernames
    const named = (
      await t.app.inject({ method: 'GET', url: `/api/v1/retirement/cases/${c.id}`, headers: clerk.headers })
    ).json<{
      createdBy: string;
      reviewedBy: string;
      createdByName: string | null;
      reviewedByName: string | null;
    }>();
    const users = await t.ctx.db
      .selectFrom('app_user')
      .select(['username', 'display_name'])
      .where('username', 'in', [named.createdBy, named.reviewedBy])
      .execute();
    const nameOf = (u: string) => users.find((x) => x.username === u)?.display_name;
    assert.ok(nameOf(named.createdBy) && nameOf(named.reviewedBy), 'the test staff have names');
    assert.equal(named.createdByName, nameOf(named.createdBy));
    assert.equal(named.reviewedByName, nameOf(named.reviewedBy));
    assert.equal(winner.reviewedByName, nameOf(named.reviewedBy), 'also in the review’s answer');

    const awards = await t.ctx.db
      .selectFrom('pension_award')
      .selectAll()
      .where('person_id', '=', personId)
      .execute();
    assert.equal(awards.length, 1);
    assert.equal(awards[0]?.start_period, '2025-05');
    assert.equal(awards[0]?.monthly_fen, c.monthlyFen);
    const amounts = await t.ctx.db
      .selectFrom('pension_amount')
      .selectAll()
      .where('award_id', '=', winner.awardId)
      .execute();
    assert.equal(amounts.length, 1);
    assert.equal(amounts[0]?.reason, 'initial');

    const staff = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${personId}/pension`,
      headers: clerk.headers,
    });
    assert.equal(staff.statusCode, 200, staff.body);
    const citizen = await t.login('citizen');
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${personId}/pension`,
      headers: citizen.headers,
    });
    assert.equal(
      other.statusCode,
      404,
      'a citizen sees only their own pension (another person: as an unknown id)',
    );
  });

  test('a case short of the minimum (100 of 180 months) is refused by its clerk with a reason: rejected, audited as retirement.reject, the applicant told in the hall; the person may apply again', async () => {
    const db = t.ctx.db;
    const p = await makePerson(db, {
      id_number: makeIdNumber('341802', '1964-05-02', 33),
      sex: 'M',
      birth_date: '1964-05-02',
      region: TEST_REGION,
    });
    const clerk = await t.login('clerk');
    const opened = await t.app.inject({
      method: 'POST',
      url: '/api/v1/retirement/cases',
      headers: clerk.headers,
      payload: { personId: p.id, scheme: 'employee_pension' },
    });
    assert.equal(opened.statusCode, 201, opened.body);
    const short = await t.app.inject({
      method: 'POST',
      url: `/api/v1/retirement/cases/${opened.json<CaseBody>().id}/compute`,
      headers: clerk.headers,
      payload: { version: opened.json<CaseBody>().version, archivedMonths: 100, archivedIndex: 1 },
    });
    const c = short.json<CaseBody>();
    assert.equal(c.eligible, false, short.body);
    const reject = (who: { headers: Record<string, string> }, payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/retirement/cases/${c.id}/reject`,
        headers: who.headers,
        payload: payload as Record<string, unknown>,
      });
    assert.equal((await reject(clerk, { version: c.version, reason: '   ' })).statusCode, 400, 'a reason');
    assert.equal((await reject(clerk, { version: c.version })).statusCode, 400);
    assert.equal(
      (await reject(await t.login('reviewer'), { version: c.version, reason: '不满15年' })).statusCode,
      403,
      'refusing is the clerk’s',
    );
    assert.equal(
      (await reject(await t.login('farclerk'), { version: c.version, reason: '不满15年' })).statusCode,
      404,
      'another region’s clerk: as an unknown id',
    );
    const reason = '累计缴费不足15年（差80个月），本人不申请延长缴费';
    const done = await reject(clerk, { version: c.version, reason });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json<CaseBody>().status, 'rejected');
    assert.equal((await reject(clerk, { version: c.version + 1, reason })).statusCode, 409, 'once');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('entity_type', '=', 'retirement_case')
      .where('entity_id', '=', String(c.id))
      .where('action', '=', 'retirement.reject')
      .execute();
    assert.deepEqual(audit, [{ action: 'retirement.reject', reason }]);
    await consumeEvents(t.ctx);
    const app = await sql<{ status: string; closed_on: string | null }>`
      SELECT status, closed_on FROM hall_application WHERE source_ref = ${`retirement_case:${c.id}`}`.execute(
      db,
    );
    assert.deepEqual(
      app.rows,
      [{ status: 'rejected', closed_on: '2025-03-20' }],
      'the hall closes it as refused',
    );
    const history = await sql<{ note: unknown }>`
      SELECT h.note FROM hall_application_event h JOIN hall_application a ON a.id = h.application_id
        WHERE a.source_ref = ${`retirement_case:${c.id}`} AND h.status = 'rejected'`.execute(db);
    assert.equal(history.rows.length, 1);
    assert.match(JSON.stringify(history.rows[0]?.note), /差80个月/, 'the applicant reads the reason');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/retirement/cases',
      headers: clerk.headers,
      payload: { personId: p.id, scheme: 'employee_pension' },
    });
    assert.equal(again.statusCode, 201, `a refused case no longer blocks a new one: ${again.body}`);
  });

  test('an approved retirement ends the employment and its enrolments on the retirement date (劳动合同法 Art. 44); a returned case or another region’s reviewer ends nothing', async () => {
    const db = t.ctx.db;
    const p = await makePerson(db, {
      id_number: makeIdNumber('341802', '1964-06-15', 45),
      sex: 'M',
      birth_date: '1964-06-15',
      region: TEST_REGION,
    });
    const job = await makeEmployment(db, {
      person_id: p.id,
      employer_id: t.employerId,
      start_date: '2000-01-01',
    });
    for (const scheme of ['employee_pension', 'unemployment', 'injury'] as const)
      await makeEnrolment(db, {
        person_id: p.id,
        scheme,
        region: TEST_REGION,
        employer_id: t.employerId,
        start_date: '2000-01-01',
      });
    const state = async () => ({
      employment: await db
        .selectFrom('employment')
        .select(['end_date', 'end_reason'])
        .where('id', '=', job.id)
        .executeTakeFirstOrThrow(),
      enrolments: await db
        .selectFrom('enrolment')
        .select(['scheme', 'status', 'end_date', 'end_reason'])
        .where('person_id', '=', p.id)
        .orderBy('scheme')
        .execute(),
    });
    const untouched = await state();
    const figures = {
      archivedMonths: 360,
      archivedIndex: 1,
      archivedAccountFen: 10_000_000,
      benefitBaseWageFen: 800_000,
    };
    const c = await approvedRetirement('employee_pension', p.id, figures, async (why) =>
      assert.deepEqual(await state(), untouched, why),
    );
    const retirementDate = '2024-06-15';
    assert.deepEqual(await state(), {
      employment: { end_date: retirementDate, end_reason: 'retirement' },
      enrolments: ['employee_pension', 'injury', 'unemployment'].map((scheme) => ({
        scheme,
        status: 'ended',
        end_date: retirementDate,
        end_reason: 'retirement',
      })),
    });
    // each end audited, on the person's record, as the reviewer's decision
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_username', 'reason'])
      .where('subject_person_id', '=', p.id)
      .where('action', 'in', ['employment.end', 'enrolment.end'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['employment.end', 'enrolment.end', 'enrolment.end', 'enrolment.end'],
    );
    assert.ok(
      audit.every((a) => a.actor_username === 'reviewer' && a.reason === `retirement case ${c.id} approved`),
    );
  });

  test('an approved residents’ pension ends the residents’ enrolment on its date, audited as the reviewer’s; a returned case or another region’s reviewer ends nothing; no tier for that year', async () => {
    const db = t.ctx.db;
    const p = await makePerson(db, {
      id_number: makeIdNumber('341802', '1965-01-12', 57),
      sex: 'F',
      birth_date: '1965-01-12',
      region: TEST_REGION,
    });
    await makeEnrolment(db, {
      person_id: p.id,
      scheme: 'resident_pension',
      kind: 'resident',
      region: TEST_REGION,
      start_date: '2010-01-01',
    });
    await db
      .insertInto('prior_service')
      .values({
        person_id: p.id,
        region: TEST_REGION,
        resident_months: 168,
        resident_account_fen: 20_000,
        source: 'demo',
        recorded_by: 't',
      })
      .execute();
    const enrolment = () =>
      db
        .selectFrom('enrolment')
        .select(['status', 'end_date', 'end_reason'])
        .where('person_id', '=', p.id)
        .executeTakeFirstOrThrow();
    const open = { status: 'active', end_date: null, end_reason: null };
    const figures = { archivedMonths: 12, archivedAccountFen: 0 };
    const c = await approvedRetirement('resident_pension', p.id, figures, async (why) =>
      assert.deepEqual(await enrolment(), open, why),
    );
    assert.deepEqual(await enrolment(), {
      status: 'ended',
      end_date: '2025-01-12',
      end_reason: 'retirement',
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_username', 'reason'])
      .where('subject_person_id', '=', p.id)
      .where('action', 'in', ['employment.end', 'enrolment.end'])
      .execute();
    assert.deepEqual(audit, [
      { action: 'enrolment.end', actor_username: 'reviewer', reason: `retirement case ${c.id} approved` },
    ]);
    const clerk = await t.login('clerk');
    // The tier of 2025 would fall due on 2025-12-31, after the pension started: refused; 2024's is not.
    const tier = (year: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/persons/${p.id}/resident-tier`,
        headers: clerk.headers,
        payload: { year, tierFen: 10_000 },
      });
    const late = await tier(2025);
    assert.equal(late.statusCode, 422, late.body);
    assert.equal(late.json<{ error: { code: string } }>().error.code, 'SB_ERR_NOT_ELIGIBLE');
    assert.equal((await tier(2024)).statusCode, 200);
  });

  test('a residents’ case reads months and the account only: employee-pension figures are refused by name; its own rule and trace', async () => {
    const db = t.ctx.db;
    const resident = await makePerson(db, {
      id_number: makeIdNumber('341802', '1965-02-05', 33),
      name: '居民丙',
      sex: 'F',
      birth_date: '1965-02-05',
      region: TEST_REGION,
    });
    await makeEnrolment(db, {
      person_id: resident.id,
      scheme: 'resident_pension',
      kind: 'resident',
      region: TEST_REGION,
      start_date: '2012-01-01',
    });
    // 13 paper years already on the record (prior_service), 260 yuan in the account.
    await db
      .insertInto('prior_service')
      .values({
        person_id: resident.id,
        region: TEST_REGION,
        resident_months: 156,
        resident_account_fen: 26_000,
        source: 'demo',
        recorded_by: 't',
      })
      .execute();
    const clerk = await t.login('clerk');
    const opened = await t.app.inject({
      method: 'POST',
      url: '/api/v1/retirement/cases',
      headers: clerk.headers,
      payload: { personId: resident.id, scheme: 'resident_pension' },
    });
    assert.equal(opened.statusCode, 201, opened.body);
    const c = opened.json<CaseBody & { retirementDate: string }>();
    assert.equal(c.retirementDate, '2025-02-05', 'from the 60th birthday');
    const compute = (body: Record<string, number>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/retirement/cases/${c.id}/compute`,
        headers: clerk.headers,
        payload: { version: c.version, archivedMonths: 24, ...body },
      });
    for (const [field, words] of [
      ['deemedMonths', '视同缴费月数'],
      ['deemedIndex', '视同缴费指数'],
      ['archivedIndex', '档案缴费指数'],
      ['benefitBaseWageFen', '计发基数'],
    ] as const) {
      const r = await compute({ [field]: field === 'benefitBaseWageFen' ? 800_000 : 1 });
      assert.equal(r.statusCode, 400, `${field}: ${r.body}`);
      const e = r.json<{ error: { code: string; field: string; message: string } }>().error;
      assert.deepEqual([e.code, e.field], ['SB_ERR_VALIDATION', field]);
      assert.match(e.message, new RegExp(`城乡居民养老保险不使用${words}`));
    }
    const refused = (
      await t.app.inject({ method: 'GET', url: `/api/v1/retirement/cases/${c.id}`, headers: clerk.headers })
    ).json<CaseBody>();
    assert.deepEqual([refused.version, refused.eligible], [c.version, null], 'a refusal changes nothing');

    // 156 months on record + 24 from the paper record = 180 (15 years): eligible.
    const ok = await compute({ archivedAccountFen: 100_000 });
    assert.equal(ok.statusCode, 200, ok.body);
    const done = ok.json<CaseBody & { result: Record<string, number>; inputs: Record<string, unknown> }>();
    assert.equal(done.eligible, true);
    // basic 143 yuan (national minimum 2025) + (260 + 1,000 yuan) ÷ 139 = 9.06 yuan
    assert.deepEqual(
      [done.result['basicPensionFen'], done.result['accountPensionFen'], done.monthlyFen],
      [14_300, 906, 15_206],
    );
    assert.deepEqual([done.inputs['contributionMonths'], done.inputs['personalAccountFen']], [180, 126_000]);
    const steps = done.trace as Array<{ step: string; value: unknown }>;
    const value = (step: string) => steps.find((s) => s.step === step)?.value;
    assert.equal(value('residents: from age 60'), '2025-02-05');
    assert.equal(value('resident months on record'), 156);
    assert.equal(value('paper-record months added by the clerk'), 24);
    assert.equal(value('paper-record account added by the clerk'), 100_000);
    assert.ok(steps.some((s) => s.step.startsWith('personal-account pension = account ÷ 139')));
    for (const employeeStep of ['contribution months on record', 'minimum contribution months'])
      assert.ok(!steps.some((s) => s.step === employeeStep), `no ${employeeStep} in a residents’ trace`);
    assert.ok(!done.parameterVersions.some((v) => v.parameter.startsWith('pension/employee-pension')));
  });
});
