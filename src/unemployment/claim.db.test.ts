// Unemployment claims through the HTTP API: a claim from the separation the employer recorded (no
// documents, empty body), eligibility, duration, dates and amount with the trace; the reasons in words
// for those who do not qualify; the attacks (another person's claim, an employer reading claims,
// client-supplied ids, a clerk of another region); the decision by a clerk released by a reviewer,
// with the service hall's case.status events; a claim being paid shows the months paid and left.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeEmployment, makePerson } from '../testing/factories.ts';
import { makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { countingDb } from '../testing/statement-count.ts';
import { actorOfAccount, loginAsNew, makeUsers } from '../testing/users.ts';
import { addUnemploymentContributions } from '../testing/unemployment-fixtures.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { runBenefitPayroll } from './benefit-payroll.job.ts';
import { ClaimService } from './claim.service.ts';
import { stepUnitProblem } from '../testing/trace-units.ts';

interface Claim {
  id: number;
  status: string;
  eligible: boolean;
  maxMonths: number;
  entitlementStart: string | null;
  entitlementEnd: string | null;
  monthlyFen?: number;
  medicalFen: number;
  reason?: string;
  reasonZh?: string;
  reasonCode?: string;
  decisionDeadline: string;
  contributionMonths: number;
  trace: Array<{ step: string }>;
  reviewedBy: string | null;
  decidedBy: string | null;
  monthsPaid: number;
  remainingMonths: number | null;
}

describe('unemployment claims', () => {
  let t: TestApp;
  let citizen: LoginResult;
  let claimId: number;
  let otherPersonId: number;
  let otherEmploymentId: number;

  const addCitizen = (username: string, personId: number): Promise<LoginResult> =>
    loginAsNew(t, username, { personId });
  /** A claim filed by `who`: an empty body claims from the recorded separation. */
  const fileClaim = (who: LoginResult, payload: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/unemployment/claims', headers: who.headers, payload });
  /**
   * Employed by the test employer from `start` until `end`, separated for `reason`, with unemployment
   * contributions paid for the months `from` … `to`.
   */
  const leaver = async (
    personId: number,
    start: string,
    end: string,
    reason: 'involuntary' | 'voluntary',
    from: string,
    to: string,
  ) => {
    const em = await makeEmployment(t.ctx.db, {
      person_id: personId,
      employer_id: t.employerId,
      start_date: start,
      end_date: end,
      end_reason: reason,
    });
    await addUnemploymentContributions(t.ctx.db, { personId, employerId: t.employerId, from, to });
    return em;
  };

  before(async () => {
    fixToday('2026-12-10');
    t = await makeTestApp();
    const db = t.ctx.db;
    // The test citizen: 2019-09 to 2026-10 paid (86 months → 18), laid off on 2026-11-20.
    await leaver(t.personId, '2019-09-01', '2026-11-20', 'involuntary', '2019-09', '2026-10');
    citizen = await t.login('citizen');
    const other = await makePerson(db);
    otherPersonId = other.id;
    const em = await leaver(other.id, '2024-01-01', '2026-11-30', 'voluntary', '2024-01', '2026-11');
    otherEmploymentId = em.id;
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('an empty body claims from the recorded separation: 86 months → 18 months from the registration day, 90% × 1,650.00', async () => {
    const r = await fileClaim(citizen);
    assert.equal(r.statusCode, 201, r.body);
    const c = r.json<Claim>();
    claimId = c.id;
    assert.equal(c.status, 'submitted');
    assert.equal(c.eligible, true);
    assert.equal(c.contributionMonths, 86);
    assert.equal(c.maxMonths, 18);
    assert.equal(c.entitlementStart, '2026-12-10');
    // 2026-12-10 + 18 months = 2028-06-10, less one day
    assert.equal(c.entitlementEnd, '2028-06-09');
    assert.equal(c.monthlyFen, 148500);
    assert.equal(c.medicalFen, 11880); // 8% of 1,485.00
    // 10 working days after Thursday 2026-12-10 → Thursday 2026-12-24
    assert.equal(c.decisionDeadline, '2026-12-24');
    assert.ok(c.trace.length > 5);
    assert.ok(c.trace.some((s) => s.step.includes('entitlement end')));
    // each step as the decision page receives it says its unit, and its figure fits it
    assert.deepEqual(c.trace.map(stepUnitProblem).filter(Boolean), []);
  });

  test("a claim saved before steps said their unit reads with the old rule's units, never without", async () => {
    // its trace was cast to the new type unread: the decision page got steps without a unit
    const saved = [
      { step: 'monthly amount = 90% of the minimum wage', value: 148500 },
      { step: 'contribution months', value: 86 },
      { step: 'group', value: 'benefit-ended', unit: 'code:unemployment.group' },
    ];
    await sql`UPDATE unemployment_claim SET trace = ${JSON.stringify(saved)}::jsonb WHERE id = ${claimId}`.execute(
      t.ctx.db,
    );
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/unemployment/claims/${claimId}`,
      headers: citizen.headers,
    });
    assert.equal(r.statusCode, 200, r.body);
    const units = r.json<{ trace: Array<{ unit?: string }> }>().trace.map((s) => s.unit);
    assert.deepEqual(units, ['fen', 'number', 'code:unemployment.group']);
  });

  test('a second claim while one is open is a conflict', async () => {
    const r = await fileClaim(citizen);
    assert.equal(r.statusCode, 409);
    const e = r.json<{ error: { code: string; message: string } }>().error;
    assert.equal(e.code, 'SB_ERR_CONFLICT');
    // the status in words, in both languages, never its code
    assert.match(e.message, /您已有失业保险金申领 #\d+（待核定）.* \/ .*\(Awaiting decision\)/);
    assert.doesNotMatch(e.message, /submitted/);
  });

  test('client-supplied person ids and dates are refused, not trusted', async () => {
    for (const payload of [
      { personId: otherPersonId },
      { registrationDate: '2020-01-01' },
      { monthlyFen: 999999 },
    ]) {
      const r = await fileClaim(citizen, payload);
      assert.equal(r.statusCode, 400, JSON.stringify(payload));
    }
  });

  test("a citizen cannot claim from another person's employment, nor read another person's claim", async () => {
    const otherLogin = await addCitizen('other-citizen', otherPersonId);
    const r = await fileClaim(citizen, { employmentId: otherEmploymentId });
    assert.equal(r.statusCode, 404);
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/unemployment/claims/${claimId}`,
      headers: otherLogin.headers,
    });
    assert.equal(read.statusCode, 404);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/unemployment/claims',
      headers: otherLogin.headers,
    });
    assert.equal(list.json<{ total: number }>().total, 0);
  });

  test('a voluntary quit is told why in words (zh-CN and en), with the claim recorded as ineligible', async () => {
    const otherLogin = await t.login('other-citizen');
    const r = await fileClaim(otherLogin);
    assert.equal(r.statusCode, 201, r.body);
    const c = r.json<Claim>();
    assert.equal(c.eligible, false);
    assert.equal(c.status, 'ineligible');
    assert.equal(c.maxMonths, 0);
    assert.equal(c.reasonCode, 'VOLUNTARY_SEPARATION');
    assert.match(c.reasonZh ?? '', /非因本人意愿/);
    assert.match(c.reason ?? '', /involuntary/);
  });

  test('someone without a recorded separation, or still employed, gets a stable code', async () => {
    const p = await makePerson(t.ctx.db);
    const login = await addCitizen('never-separated', p.id);
    const r = await fileClaim(login);
    assert.equal(r.statusCode, 409);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_NO_SEPARATION');
    await makeEmployment(t.ctx.db, {
      person_id: p.id,
      employer_id: t.employerId,
      start_date: '2020-01-01',
      end_date: '2025-01-01',
      end_reason: 'involuntary',
    });
    await makeEmployment(t.ctx.db, { person_id: p.id, employer_id: t.employerId, start_date: '2025-02-01' });
    const r2 = await fileClaim(login);
    assert.equal(r2.json<{ error: { code: string } }>().error.code, 'SB_ERR_STILL_EMPLOYED');
  });

  test('fewer than 12 months of contributions: not eligible, told why', async () => {
    const p = await makePerson(t.ctx.db);
    await leaver(p.id, '2026-03-01', '2026-11-15', 'involuntary', '2026-03', '2026-10');
    const login = await addCitizen('short-insured', p.id);
    const r = await fileClaim(login);
    const c = r.json<Claim>();
    assert.equal(c.eligible, false);
    assert.equal(c.contributionMonths, 8);
    assert.equal(c.reasonCode, 'TOO_FEW_MONTHS');
    assert.match(c.reasonZh ?? '', /8个月/);
  });

  test('someone already receiving a basic pension is told so (Art. 51)', async () => {
    const db = t.ctx.db;
    await seedPensioners(db, { count: 1, region: '341800', startPeriod: '2026-01', offset: 900 });
    const p = await db
      .selectFrom('person')
      .select('id')
      .where('id_number', 'like', 'P%')
      .executeTakeFirstOrThrow();
    await leaver(p.id, '2020-01-01', '2026-11-10', 'involuntary', '2020-01', '2026-10');
    const login = await addCitizen('pensioner', p.id);
    const r = await fileClaim(login);
    const c = r.json<Claim>();
    assert.equal(c.eligible, false);
    assert.equal(c.reasonCode, 'RECEIVES_PENSION');
    assert.match(c.reasonZh ?? '', /基本养老金/);
  });

  test('an employer cannot read claims; staff of the region can', async () => {
    const employer = await t.login('employer');
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/unemployment/claims/${claimId}`,
      headers: employer.headers,
    });
    assert.equal(r.statusCode, 403);
    const clerk = await t.login('clerk');
    const ok = await t.app.inject({
      method: 'GET',
      url: `/api/v1/unemployment/claims/${claimId}`,
      headers: clerk.headers,
    });
    assert.equal(ok.statusCode, 200);
  });

  test('a clerk of another region cannot decide, nor a reviewer of another region release', async () => {
    const db = t.ctx.db;
    for (const role of ['clerk', 'reviewer'] as const) {
      const staff = await makePerson(db);
      await makeUsers(db, {
        [`hefei-${role}`]: { displayName: role, role, personId: staff.id, region: '340100' },
      });
    }
    const far = await t.login('hefei-clerk');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/unemployment/claims/${claimId}/decision`,
      headers: far.headers,
      payload: { decision: 'approve' },
    });
    // the unknown claim's answer: a 403 told that city's clerk the number exists (wave 13)
    assert.equal(r.statusCode, 404, r.body);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_NOT_FOUND');
  });

  test('the clerk proposes, the reviewer releases: the claim is approved, with both names and hall events', async () => {
    const clerk = await t.login('clerk');
    const prep = await t.app.inject({
      method: 'POST',
      url: `/api/v1/unemployment/claims/${claimId}/decision`,
      headers: clerk.headers,
      payload: { decision: 'approve', note: '数据比对一致' },
    });
    assert.equal(prep.statusCode, 201, prep.body);
    const approvalId = prep.json<{ id: number }>().id;
    // still submitted until released
    const before = await t.app.inject({
      method: 'GET',
      url: `/api/v1/unemployment/claims/${claimId}`,
      headers: citizen.headers,
    });
    assert.equal(before.json<Claim>().status, 'submitted');
    // the maker cannot release their own proposal
    const self = await t.app.inject({
      method: 'POST',
      url: `/api/v1/approvals/${approvalId}/release`,
      headers: clerk.headers,
      payload: {},
    });
    assert.equal(self.statusCode, 403);
    const farReviewer = await t.login('hefei-reviewer');
    const far = await t.app.inject({
      method: 'POST',
      url: `/api/v1/approvals/${approvalId}/release`,
      headers: farReviewer.headers,
      payload: {},
    });
    assert.equal(far.statusCode, 404, 'another region\u2019s approval answers as an unknown id');
    const reviewer = await t.login('reviewer');
    const rel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/approvals/${approvalId}/release`,
      headers: reviewer.headers,
      payload: {},
    });
    assert.equal(rel.statusCode, 200, rel.body);
    const after = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/unemployment/claims/${claimId}`,
        headers: citizen.headers,
      })
    ).json<Claim>();
    assert.equal(after.status, 'approved');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/unemployment/claims/${claimId}/decision`,
      headers: clerk.headers,
      payload: { decision: 'approve' },
    });
    assert.equal(again.statusCode, 409, again.body);
    assert.match(
      again.json<{ error: { message: string } }>().error.message,
      /该申领当前状态为“发放中”，不能办理此项 \/ .*the claim is “Being paid”/,
    );
    // the claimant is not told staff usernames (half of a staff login); staff see who decided
    assert.equal(after.decidedBy, null);
    assert.equal(after.reviewedBy, null);
    const byStaff = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/unemployment/claims/${claimId}`,
        headers: reviewer.headers,
      })
    ).json<Claim>();
    assert.equal(byStaff.decidedBy, 'clerk');
    assert.equal(byStaff.reviewedBy, 'reviewer');
    const mine = (
      await t.app.inject({ method: 'GET', url: '/api/v1/unemployment/claims', headers: citizen.headers })
    ).json<{ items: Claim[] }>();
    assert.ok(
      mine.items.length > 0 && mine.items.every((c) => c.decidedBy === null && c.reviewedBy === null),
    );
    const events = await sql<{ status: string; service: string; ref: string; actor: string }>`
      SELECT payload->>'status' AS status, payload->>'service' AS service, payload->>'ref' AS ref, payload->>'actor' AS actor
      FROM outbox WHERE topic = 'case.status' AND payload->>'ref' = ${`unemployment_claim:${claimId}`} ORDER BY id`.execute(
      t.ctx.db,
    );
    assert.deepEqual(
      events.rows.map((e) => [e.service, e.status, e.actor]),
      [
        ['unemployment-benefit', 'submitted', 'citizen'],
        ['unemployment-benefit', 'approved', 'clerk'],
      ],
    );
  });

  test("being paid: after k monthly payments the claim shows k months paid and 18 − k left, to its owner and the region's clerk only", async () => {
    const read = (who: LoginResult) =>
      t.app.inject({ method: 'GET', url: `/api/v1/unemployment/claims/${claimId}`, headers: who.headers });
    const figures = async (who: LoginResult) => {
      const c = (await read(who)).json<Claim>();
      return [c.status, c.maxMonths, c.monthsPaid, c.remainingMonths];
    };
    // approved, nothing paid yet: the whole entitlement is left
    assert.deepEqual(await figures(citizen), ['approved', 18, 0, 18]);
    const clerk = await t.login('clerk');
    for (const [k, period] of [
      [1, '2026-12'],
      [2, '2027-01'],
    ] as const) {
      await runBenefitPayroll(t.ctx, systemActor('test'), { period, region: '341800' });
      assert.deepEqual(await figures(citizen), ['approved', 18, k, 18 - k], `after ${period}`);
      assert.deepEqual(await figures(clerk), ['approved', 18, k, 18 - k], `the clerk, after ${period}`);
      const list = (
        await t.app.inject({ method: 'GET', url: '/api/v1/unemployment/claims', headers: citizen.headers })
      ).json<{ items: Claim[] }>();
      assert.deepEqual(
        list.items.filter((c) => c.id === claimId).map((c) => [c.monthsPaid, c.remainingMonths]),
        [[k, 18 - k]],
      );
    }
    // neither another citizen nor a clerk of another region learns the claim exists: each gets the
    // answer an unknown id gets; an employer is refused by role, whatever the id
    const unknown = async (who: string) =>
      t.app.inject({
        method: 'GET',
        url: '/api/v1/unemployment/claims/99999999',
        headers: (await t.login(who)).headers,
      });
    for (const who of ['other-citizen', 'hefei-clerk']) {
      const [mine, none] = [await read(await t.login(who)), await unknown(who)];
      assert.deepEqual([mine.statusCode, mine.body], [none.statusCode, none.body], who);
      assert.equal(mine.statusCode, 404, who);
    }
    const employer = [await read(await t.login('employer')), await unknown('employer')];
    assert.deepEqual(
      employer.map((r) => r.statusCode),
      [403, 403],
    );
    assert.equal(employer[0]?.body, employer[1]?.body);
  });

  test("the list carries each claim's payments and its staff's names in its own statements (not a query per row), as each claim read alone", async () => {
    const { db: counted, seen } = countingDb(t.ctx.db);
    const clerk = await actorOfAccount(t.ctx.db, 'clerk');
    const list = await new ClaimService({ ...t.ctx, db: counted }).listClaims(clerk, {
      page: 1,
      pageSize: 50,
    });
    assert.ok(list.items.length >= 2, `${list.items.length} claims listed`);
    assert.ok(
      list.items.some((c) => c.monthsPaid > 0),
      'a claim with payments is listed',
    );
    assert.equal(
      seen.n,
      3,
      `${seen.n} statements for ${list.items.length} rows (the count, the page, the staff's names)`,
    );
    const service = new ClaimService(t.ctx);
    for (const row of list.items) {
      const alone = await service.getClaim(clerk, row.id);
      assert.deepEqual([row.decidedByName, row.reviewedByName], [alone.decidedByName, alone.reviewedByName]);
      assert.deepEqual(
        [row.monthsPaid, row.paidFen, row.remainingMonths],
        [alone.monthsPaid, alone.paidFen, alone.remainingMonths],
      );
    }
  });

  test('the decision names its maker and checker to staff, read from their accounts, and to the claimant neither username nor name', async () => {
    const row = await t.ctx.db
      .selectFrom('unemployment_claim')
      .select(['decided_by', 'reviewed_by'])
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow();
    assert.ok(row.decided_by && row.reviewed_by, 'the claim was decided and reviewed');
    const nameOf = async (username: string) =>
      (
        await t.ctx.db
          .selectFrom('app_user')
          .select('display_name')
          .where('username', '=', username)
          .executeTakeFirstOrThrow()
      ).display_name;
    const makerName = await nameOf(row.decided_by);
    // renamed: the page shows the account's name now, not a copy taken at the decision
    const rename = (name: string) =>
      t.ctx.db
        .updateTable('app_user')
        .set({ display_name: name })
        .where('username', '=', row.decided_by!)
        .execute();
    await rename('周明远');
    try {
      const read = async (who: LoginResult) =>
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/unemployment/claims/${claimId}`,
            headers: who.headers,
          })
        ).json<Record<string, unknown>>();
      const staff = await read(await t.login('clerk'));
      assert.equal(staff['decidedBy'], row.decided_by);
      assert.equal(staff['decidedByName'], '周明远');
      assert.equal(staff['reviewedBy'], row.reviewed_by);
      assert.equal(staff['reviewedByName'], await nameOf(row.reviewed_by));
      const own = await read(citizen);
      assert.equal(own['decidedBy'], null);
      assert.equal(own['reviewedBy'], null);
      assert.equal('decidedByName' in own, false);
      assert.equal('reviewedByName' in own, false);
    } finally {
      await rename(makerName);
    }
  });
});
