// One-off unemployment grants through the API: the unemployment subsidy (paid in 2020, refused with the
// reason after the measure ended), the migrant workers' allowance, and death during receipt — each
// decided by a clerk, released by a reviewer, paid from the unemployment fund, reported to the hall.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixToday } from '../core/clock.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeEmployment, makePerson } from '../testing/factories.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';
import { addUnemploymentContributions, seedApprovedClaims } from '../testing/unemployment-fixtures.ts';

interface Grant {
  id: number;
  eligible: boolean;
  months: number;
  amountFen: number;
  status: string;
  reasonZh?: string;
}

describe('unemployment grants', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp();
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  async function release(approvalId: number): Promise<void> {
    const reviewer = await t.login('reviewer');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/approvals/${approvalId}/release`,
      headers: reviewer.headers,
      payload: {},
    });
    assert.equal(r.statusCode, 200, r.body);
  }

  test('2020: benefit ran out → 6 months × 80% of the benefit, paid on release from the unemployment fund', async () => {
    fixToday('2020-06-10');
    const db = t.ctx.db;
    await makeEmployment(db, {
      person_id: t.personId,
      employer_id: t.employerId,
      start_date: '2015-01-01',
      end_date: '2019-04-30',
      end_reason: 'involuntary',
    });
    // the claim that ran out on 2020-04-30
    const em = await db
      .selectFrom('employment')
      .select('id')
      .where('person_id', '=', t.personId)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('unemployment_claim')
      .values({
        person_id: t.personId,
        region: '341800',
        employment_id: em.id,
        employer_id: t.employerId,
        separation_date: '2019-04-30',
        separation_reason: 'involuntary',
        registration_date: '2019-05-01',
        decision_deadline: '2019-05-15',
        contribution_months: 52,
        eligible: true,
        max_months: 12,
        monthly_fen: 130000,
        entitlement_start: '2019-05-01',
        entitlement_end: '2020-04-30',
        first_period: '2019-05',
        last_period: '2020-04',
        status: 'ended',
        created_by: 'fixture',
      })
      .execute();
    const citizen = await t.login('citizen');
    const offer = await t.app.inject({
      method: 'GET',
      url: '/api/v1/unemployment/grant-offer',
      headers: citizen.headers,
    });
    assert.deepEqual(offer.json<{ subsidy: unknown }>().subsidy, { open: true });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/unemployment/grants',
      headers: citizen.headers,
      payload: { kind: 'subsidy' },
    });
    assert.equal(r.statusCode, 201, r.body);
    const g = r.json<Grant>();
    assert.deepEqual([g.eligible, g.months, g.amountFen, g.status], [true, 6, 6 * 104000, 'submitted']);
    const clerk = await t.login('clerk');
    const prep = await t.app.inject({
      method: 'POST',
      url: `/api/v1/unemployment/grants/${g.id}/decision`,
      headers: clerk.headers,
      payload: { decision: 'approve' },
    });
    assert.equal(prep.statusCode, 201, prep.body);
    await release(prep.json<{ id: number }>().id);
    const paid = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/unemployment/grants/${g.id}`,
        headers: citizen.headers,
      })
    ).json<Grant>();
    assert.equal(paid.status, 'paid');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/unemployment/grants',
      headers: citizen.headers,
      payload: { kind: 'subsidy' },
    });
    assert.equal(again.statusCode, 409, 'one subsidy per person: the paid one stands');
    assert.match(again.json<{ error: { message: string } }>().error.message, /（已发放）.*\(#\d+, Paid\)/);
    const decided = await t.app.inject({
      method: 'POST',
      url: `/api/v1/unemployment/grants/${g.id}/decision`,
      headers: clerk.headers,
      payload: { decision: 'approve' },
    });
    assert.equal(decided.statusCode, 409, decided.body);
    assert.match(
      decided.json<{ error: { message: string } }>().error.message,
      /该申请当前状态为“已发放”，不能办理此项 \/ .*the application is “Paid”/,
    );
    const { name } = await db
      .selectFrom('person')
      .select('name')
      .where('id', '=', t.personId)
      .executeTakeFirstOrThrow();
    const listed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/unemployment/grants',
      headers: clerk.headers,
    });
    assert.deepEqual(
      listed
        .json<{ items: Array<Grant & { personName: string }> }>()
        .items.map((x) => [x.id, x.status, x.personName]),
      [[g.id, 'paid', name]],
    );
    const ledger = await sql<{ total: unknown }>`
      SELECT sum(l.debit_fen)::bigint AS total FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
      WHERE e.fund = 'unemployment' AND e.kind = 'unemployment_subsidy' AND l.account_code = '5001'`.execute(
      db,
    );
    assert.equal(Number(ledger.rows[0]?.total), 624000);
    const hall = await sql<{ status: string }>`
      SELECT payload->>'status' AS status FROM outbox WHERE topic = 'case.status' AND payload->>'service' = 'unemployment-subsidy' ORDER BY id`.execute(
      db,
    );
    assert.deepEqual(
      hall.rows.map((x) => x.status),
      ['submitted', 'completed'],
    );
  });

  test('2026: the subsidy no longer applies — told why; the migrant allowance pays 1 month per full year', async () => {
    fixToday('2026-12-10');
    const db = t.ctx.db;
    const p = await makePerson(db, {
      id_number: '34180219900101051X',
      name: '农民工',
      sex: 'M',
      birth_date: '1990-01-01',
      region: '341800',
    });
    await makeEmployment(db, {
      person_id: p.id,
      employer_id: t.employerId,
      start_date: '2023-03-01',
      end_date: '2026-11-30',
      end_reason: 'involuntary',
    });
    await addUnemploymentContributions(db, {
      personId: p.id,
      employerId: t.employerId,
      from: '2023-03',
      to: '2026-11',
    });
    const login = await loginAsNew(t, 'migrant', { personId: p.id });
    // the page is told, from the rules' parameters, that the subsidy ended on 2021-12-31 and the allowance is open
    const offer = await t.app.inject({
      method: 'GET',
      url: '/api/v1/unemployment/grant-offer',
      headers: login.headers,
    });
    assert.equal(offer.statusCode, 200, offer.body);
    assert.deepEqual(offer.json(), {
      on: '2026-12-10',
      subsidy: { open: false, until: '2021-12-31' },
      migrant: { open: true },
    });
    const no = await t.app.inject({
      method: 'POST',
      url: '/api/v1/unemployment/grants',
      headers: login.headers,
      payload: { kind: 'migrant' },
    });
    assert.equal(no.statusCode, 400); // the written commitment is required
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/unemployment/grants',
      headers: login.headers,
      payload: { kind: 'migrant', migrantCommitment: true },
    });
    assert.equal(r.statusCode, 201, r.body);
    const g = r.json<Grant>();
    // 2023-03-01 → 2026-11-30: 44 full months → 3 full years → 3 months × 1,485.00
    assert.deepEqual([g.eligible, g.months, g.amountFen], [true, 3, 445500]);
    // the subsidy: the claim must exist first; an ineligible claim makes the person "not qualified" — in 2026 the measure is over
    await db
      .insertInto('unemployment_claim')
      .values({
        person_id: p.id,
        region: '341800',
        employment_id: (
          await db
            .selectFrom('employment')
            .select('id')
            .where('person_id', '=', p.id)
            .executeTakeFirstOrThrow()
        ).id,
        employer_id: t.employerId,
        separation_date: '2026-11-30',
        separation_reason: 'voluntary',
        registration_date: '2026-12-01',
        decision_deadline: '2026-12-15',
        contribution_months: 44,
        eligible: false,
        max_months: 0,
        status: 'ineligible',
        created_by: 'fixture',
      })
      .execute();
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/unemployment/grants',
      headers: login.headers,
      payload: { kind: 'subsidy' },
    });
    const sg = s.json<Grant>();
    assert.equal(sg.eligible, false);
    assert.equal(sg.status, 'ineligible');
    assert.match(sg.reasonZh ?? '', /不在失业补助金政策执行期内/);
  });

  test('death during receipt: the clerk proposes, the reviewer releases; the claim stops, funeral grant and 抚恤金 are paid', async () => {
    fixToday('2026-12-10');
    const db = t.ctx.db;
    await seedApprovedClaims(db, {
      count: 1,
      region: '341800',
      employerId: t.employerId,
      firstPeriod: '2026-10',
      idPrefix: 'D',
    });
    const c = await db
      .selectFrom('unemployment_claim')
      .select(['id', 'person_id'])
      .where('status', '=', 'approved')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const clerk = await t.login('clerk');
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/v1/unemployment/claims/${c.id}/death`,
      headers: clerk.headers,
      payload: { dependents: 2 },
    });
    assert.equal(early.statusCode, 409); // no death recorded yet
    await db.updateTable('person').set({ death_date: '2026-11-20' }).where('id', '=', c.person_id).execute();
    const prep = await t.app.inject({
      method: 'POST',
      url: `/api/v1/unemployment/claims/${c.id}/death`,
      headers: clerk.headers,
      payload: { dependents: 2 },
    });
    assert.equal(prep.statusCode, 201, prep.body);
    await release(prep.json<{ id: number }>().id);
    const claim = await db
      .selectFrom('unemployment_claim')
      .selectAll()
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    assert.equal(claim.status, 'stopped');
    assert.equal(claim.stop_event, 'death');
    assert.equal(claim.stopped_from_period, '2026-12');
    const g = await db
      .selectFrom('unemployment_grant')
      .selectAll()
      .where('claim_id', '=', c.id)
      .executeTakeFirstOrThrow();
    // 6 × 1,485.00 + 10 × 1,485.00 (default table, dependents present)
    assert.equal(Number(g.amount_fen), 16 * 148500);
    assert.equal(g.status, 'paid');
    assert.equal((await verifyLedger(db)).ok, true);
  });
});
