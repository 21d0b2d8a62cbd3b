// Stable-employment refunds paid without application (issue 12, item 5), through the real job and
// the real HTTP app: the scan reads each employer's facts of the year before from the system's own
// data, every stored result equals the pure rule on those facts, the qualifying are notified once, a
// rerun answers the same figures and notifies nobody again, a crash resumes, and nothing is paid
// until a reviewer of the batch's region releases it — then once, posted to the unemployment fund.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { fen } from '../core/money.ts';
import type { Db } from '../db/connection.ts';
import { consumeEvents } from '../hall/events.job.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeEmployer, makeEmployment, makePerson } from '../testing/factories.ts';
import { callAs } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew, makeUsers } from '../testing/users.ts';
import { decideRefund, runRefundScan } from './refund.job.ts';
import { refundFacts, type RefundFacts } from './refund.repository.ts';
import { REFUND_CHECKS, RefundService } from './refund.service.ts';
import { assessStableEmploymentRefund } from './stable-employment-refund.rules.ts';
import type { Words } from '../core/bilingual.ts';
import { stepUnitProblem } from '../testing/trace-units.ts';

const YEAR = 2025; // facts of 2024
const months = (y: number, n = 12) =>
  Array.from({ length: n }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`);

async function staff(db: Db, employerId: number, n: number, laidOff = 0, quit = 0): Promise<void> {
  for (let i = 0; i < n; i++) {
    const p = await makePerson(db);
    const ends = i < laidOff ? 'involuntary' : i < laidOff + quit ? 'voluntary' : null;
    await makeEmployment(db, {
      person_id: p.id,
      employer_id: employerId,
      start_date: '2020-01-01',
      end_date: ends === null ? null : '2024-06-30',
      end_reason: ends,
    });
  }
}

async function bills(
  db: Db,
  employerId: number,
  periods: string[],
  o: { employerFen: number; employeeFen: number; status?: 'paid' | 'open' },
): Promise<void> {
  const status = o.status ?? 'paid';
  for (const period of periods)
    await db
      .insertInto('contribution_bill')
      .values({
        region: TEST_REGION,
        period,
        payer_kind: 'employer',
        employer_id: employerId,
        person_id: null,
        due_date: `${period}-15`,
        lines: 1,
        unemployment_employer_fen: o.employerFen,
        unemployment_employee_fen: o.employeeFen,
        total_fen: o.employerFen + o.employeeFen,
        status,
        paid_date: status === 'paid' ? `${period}-10` : null,
      })
      .execute();
}

describe('stable-employment refunds (免申即享)', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  const ids: Record<string, number> = {};
  const expected: Record<string, Omit<RefundFacts, 'employerId' | 'region'>> = {};
  const call = callAs(() => t.app, as);
  const outboxCount = async (status: string) =>
    Number(
      (
        await sql<{ n: unknown }>`SELECT count(*) AS n FROM outbox WHERE topic = 'case.status'
          AND payload->>'service' = 'job-stabilisation-refund' AND payload->>'status' = ${status}`.execute(
          t.ctx.db,
        )
      ).rows[0]?.n,
    );

  before(async () => {
    fixToday('2026-03-15');
    t = await makeTestApp();
    const db = t.ctx.db;
    // A: the test app's own employer (sme): 10 staff, one quit (not a layoff), 12 months paid.
    ids['A'] = t.employerId;
    await staff(db, t.employerId, 10, 0, 1);
    await bills(db, t.employerId, months(2024), { employerFen: 5000, employeeFen: 2500 });
    expected['A'] = {
      size: 'sme',
      insuredCount: 10,
      laidOffCount: 0,
      premiumsPaidFen: 90000,
      paidMonths: 12,
      arrears: false,
    };
    // B: large, 40 insured, 3 laid off = 7.5% > 5.5%.
    ids['B'] = (await makeEmployer(db, { size: 'large' })).id;
    await staff(db, ids['B'], 40, 3);
    await bills(db, ids['B'], months(2024), { employerFen: 40000, employeeFen: 20000 });
    expected['B'] = {
      size: 'large',
      insuredCount: 40,
      laidOffCount: 3,
      premiumsPaidFen: 720000,
      paidMonths: 12,
      arrears: false,
    };
    // C: arrears (an open bill of this year past its due date), otherwise fine.
    ids['C'] = (await makeEmployer(db)).id;
    await staff(db, ids['C'], 5);
    await bills(db, ids['C'], months(2024), { employerFen: 2000, employeeFen: 1000 });
    await bills(db, ids['C'], ['2026-01'], { employerFen: 2000, employeeFen: 1000, status: 'open' });
    expected['C'] = {
      size: 'sme',
      insuredCount: 5,
      laidOffCount: 0,
      premiumsPaidFen: 36000,
      paidMonths: 12,
      arrears: true,
    };
    // D: 11 months billed and paid (from 2023 the policy asks 12 months of full payment).
    ids['D'] = (await makeEmployer(db)).id;
    await staff(db, ids['D'], 6);
    await bills(db, ids['D'], months(2024, 11), { employerFen: 3000, employeeFen: 1500 });
    expected['D'] = {
      size: 'sme',
      insuredCount: 6,
      laidOffCount: 0,
      premiumsPaidFen: 49500,
      paidMonths: 11,
      arrears: false,
    };
    // E: no staff at all in 2024.
    ids['E'] = (await makeEmployer(db)).id;
    expected['E'] = {
      size: 'sme',
      insuredCount: 0,
      laidOffCount: 0,
      premiumsPaidFen: 0,
      paidMonths: 0,
      arrears: false,
    };
    // F: small (20 insured), 4 laid off = 20% exactly: the small-employer limit; 2023 bills do not count.
    ids['F'] = (await makeEmployer(db)).id;
    await staff(db, ids['F'], 20, 4);
    await bills(db, ids['F'], months(2024), { employerFen: 1001, employeeFen: 500 });
    await bills(db, ids['F'], months(2023), { employerFen: 9999, employeeFen: 9999 });
    expected['F'] = {
      size: 'sme',
      insuredCount: 20,
      laidOffCount: 4,
      premiumsPaidFen: 18012,
      paidMonths: 12,
      arrears: false,
    };
    // G: qualifies but has no bank account: held, not paid.
    ids['G'] = (await makeEmployer(db)).id;
    await staff(db, ids['G'], 3);
    await bills(db, ids['G'], months(2024), { employerFen: 700, employeeFen: 350 });
    expected['G'] = {
      size: 'sme',
      insuredCount: 3,
      laidOffCount: 0,
      premiumsPaidFen: 12600,
      paidMonths: 12,
      arrears: false,
    };
    // H: an employer of another region (Hefei) that qualifies.
    ids['H'] = (await makeEmployer(db, { region: '340100' })).id;
    await staff(db, ids['H'], 4);
    await bills(db, ids['H'], months(2024), { employerFen: 800, employeeFen: 400 });
    expected['H'] = {
      size: 'sme',
      insuredCount: 4,
      laidOffCount: 0,
      premiumsPaidFen: 14400,
      paidMonths: 12,
      arrears: false,
    };
    // I: every month paid, but March also has an open (back-payment) bill: 11 months fully paid, arrears.
    ids['I'] = (await makeEmployer(db)).id;
    await staff(db, ids['I'], 2);
    await bills(db, ids['I'], months(2024), { employerFen: 500, employeeFen: 250 });
    await bills(db, ids['I'], ['2024-03'], { employerFen: 100, employeeFen: 50, status: 'open' });
    expected['I'] = {
      size: 'sme',
      insuredCount: 2,
      laidOffCount: 0,
      premiumsPaidFen: 9000,
      paidMonths: 11,
      arrears: true,
    };
    for (const k of ['A', 'F', 'H'])
      await sql`INSERT INTO employer_bank_account (employer_id, bank_name, bank_account, updated_by)
        VALUES (${ids[k]}, '工商银行宣城分行', ${`62220213000${ids[k]}`.padEnd(16, '7')}, 'test')`.execute(
        db,
      );
    const p1 = await makePerson(db);
    const p2 = await makePerson(db);
    const e2 = await makeEmployer(db);
    await makeUsers(db, {
      'reviewer-hefei': { displayName: 'r', role: 'reviewer', personId: p1.id, region: '340100' },
      'employer-b': { displayName: 'b', role: 'employer', employerId: ids['B'] ?? 0 },
      'clerk-hefei': { displayName: 'c', role: 'clerk', personId: p2.id, region: '340100' },
    });
    ids['X'] = e2.id;
    for (const u of [
      'clerk',
      'reviewer',
      'employer',
      'employer-b',
      'reviewer-hefei',
      'clerk-hefei',
      'supervisor',
    ])
      as[u] = await t.login(u);
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('the facts of the year before come from employments, bills and arrears, for every employer', async () => {
    const facts = await refundFacts(t.ctx.db, YEAR, { from: 1, to: null }, '2026-03-15');
    for (const [k, want] of Object.entries(expected)) {
      const got = facts.find((f) => f.employerId === ids[k]);
      assert.ok(got, k);
      assert.deepEqual(
        { ...got, employerId: 0, region: '' },
        { ...want, employerId: 0, region: '' },
        `employer ${k}`,
      );
    }
  });

  test('the scan stores each employer’s result: the pure rule on its facts, with the reason in words', async () => {
    const s = await runRefundScan(t.ctx.db, t.ctx.params, systemActor('test'), { year: YEAR, chunkSize: 3 });
    const all = await sql<{
      employer_id: unknown;
      eligible: boolean;
      refund_fen: unknown;
      reason_zh: string | null;
      trace: unknown;
    }>`
      SELECT employer_id, eligible, refund_fen, reason_zh, trace FROM refund_result WHERE year = ${YEAR}`.execute(
      t.ctx.db,
    );
    const employers = await t.ctx.db.selectFrom('employer').select(['id', 'region']).execute();
    assert.equal(all.rows.length, employers.length, 'every employer scanned');
    assert.equal(s.employersScanned, employers.length);
    // Every employer, against the pure rule called on the hand-counted facts (or directly on its facts).
    const facts = await refundFacts(t.ctx.db, YEAR, { from: 1, to: null }, '2026-03-15');
    let qualifying = 0;
    let total = 0;
    for (const f of facts) {
      const row = all.rows.find((r) => Number(r.employer_id) === f.employerId);
      assert.ok(row);
      const d = decideRefund(YEAR, f, t.ctx.params);
      assert.equal(row.eligible, d.result.eligible, `employer ${f.employerId}`);
      assert.equal(Number(row.refund_fen), d.result.refundFen);
      if (f.insuredCount > 0) {
        const direct = assessStableEmploymentRefund(
          {
            region: f.region,
            year: YEAR,
            size: f.size,
            insuredCount: f.insuredCount,
            laidOffCount: f.laidOffCount,
            premiumsPaidFen: fen(f.premiumsPaidFen),
            arrears: f.arrears,
            paidMonths: f.paidMonths,
          },
          t.ctx.params,
        );
        assert.equal(Number(row.refund_fen), direct.refundFen);
      }
      if (d.result.eligible) {
        qualifying += 1;
        total += d.result.refundFen;
      }
    }
    assert.equal(s.qualifying, qualifying);
    assert.equal(s.totalFen, total);
    const by = (k: string) => all.rows.find((r) => Number(r.employer_id) === ids[k]);
    // A: 60% × 900.00 = 540.00; F: 60% × 180.12 = 108.072 → 108.07; B, C, D, E refused with reasons.
    assert.equal(Number(by('A')?.refund_fen), 54000);
    assert.equal(Number(by('F')?.refund_fen), 10807);
    assert.match(by('B')?.reason_zh ?? '', /裁员率高于5.5%/);
    assert.match(by('C')?.reason_zh ?? '', /欠缴/);
    assert.match(by('D')?.reason_zh ?? '', /足额缴费不满12个月/);
    assert.match(by('E')?.reason_zh ?? '', /无参保职工/);
    assert.ok(Array.isArray(by('A')?.trace) && (by('A')?.trace as unknown[]).length > 5);
    // the stored decision's steps say their units
    assert.deepEqual((by('A')?.trace as Array<{ step: string }>).map(stepUnitProblem).filter(Boolean), []);
    // One notice per qualifying employer, in the hall's contract: accepted, not approved — the
    // refund waits for a reviewer's release and the payment (the employer's 稳岗返还 says 待复核拨付).
    assert.equal(await outboxCount('approved'), 0);
    assert.equal(await outboxCount('accepted'), qualifying);
    const n = await sql<{ payload: Record<string, unknown> }>`
      SELECT payload FROM outbox WHERE topic = 'case.status' AND (payload->>'employerId')::bigint = ${ids['A']}`.execute(
      t.ctx.db,
    );
    assert.equal(n.rows.length, 1);
    assert.equal(n.rows[0]?.payload['status'], 'accepted');
    const note = n.rows[0]?.payload['note'] as Words;
    assert.match(note.zh, /返还金额 ¥540\.00，经复核后拨付/);
    assert.match(note.en, /¥540\.00, paid to its bank account once a reviewer releases it/);
  });

  test('a second run answers the same figures and notifies nobody again', async () => {
    const before = await outboxCount('accepted');
    const first = await runRefundScan(t.ctx.db, t.ctx.params, systemActor('test'), { year: YEAR });
    const again = await runRefundScan(t.ctx.db, t.ctx.params, systemActor('test'), {
      year: YEAR,
      chunkSize: 1,
    });
    assert.deepEqual(again, first);
    assert.equal(await outboxCount('accepted'), before);
  });

  test('a crash inside a chunk leaves whole chunks; the rerun finishes and notifies each once', async () => {
    const year = 2024; // facts of 2023: only F has bills then
    await assert.rejects(
      runRefundScan(t.ctx.db, t.ctx.params, systemActor('test'), {
        year,
        chunkSize: 2,
        hooks: {
          insideChunk: (n) => {
            if (n === 3) throw new Error('crash in chunk 3');
          },
        },
      }),
      /crash in chunk 3/,
    );
    const partial = Number(
      (
        await sql<{ n: unknown }>`SELECT count(*) AS n FROM refund_result WHERE year = ${year}`.execute(
          t.ctx.db,
        )
      ).rows[0]?.n,
    );
    assert.equal(partial, 4, 'chunks 1 and 2 only');
    const s = await runRefundScan(t.ctx.db, t.ctx.params, systemActor('test'), { year });
    assert.equal(s.status, 'done');
    const employers = await t.ctx.db.selectFrom('employer').select('id').execute();
    assert.equal(s.employersScanned, employers.length);
    const dup = await sql<{ n: unknown }>`
      SELECT count(*) AS n FROM (SELECT payload->>'ref' FROM outbox WHERE payload->>'service' = 'job-stabilisation-refund'
        AND payload->>'status' = 'accepted' GROUP BY 1 HAVING count(*) > 1) d`.execute(t.ctx.db);
    assert.equal(Number(dup.rows[0]?.n), 0);
  });

  test('client-supplied years are validated', async () => {
    for (const url of [
      '/api/v1/unemployment/refund-batches/1999',
      '/api/v1/unemployment/refund-batches/20x5',
      '/api/v1/unemployment/refund-batches/2030',
    ]) {
      const r = await call('clerk', 'GET', url);
      assert.equal(r.statusCode, 400, `${url} ${r.body}`);
    }
    const r = await call('clerk', 'POST', '/api/v1/unemployment/refund-batches/2027/payments', {
      region: TEST_REGION,
    });
    assert.equal(r.statusCode, 400, r.body);
    const bad = await call('clerk', 'POST', `/api/v1/unemployment/refund-batches/${YEAR}/payments`, {
      region: 'abc',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    await assert.rejects(
      runRefundScan(t.ctx.db, t.ctx.params, systemActor('test'), { year: 2020 }),
      /SB_ERR_RULE_NOT_IN_FORCE|No rule|尚无/,
    );
  });

  test('an employer sees its own refund and why, never another employer’s', async () => {
    const own = await call('employer', 'GET', `/api/v1/employers/${t.employerId}/refunds`);
    assert.equal(own.statusCode, 200, own.body);
    const items = own.json<{
      items: Array<{ year: number; eligible: boolean; refundFen: number; paymentStatus: string }>;
    }>().items;
    const y = items.find((i) => i.year === YEAR);
    assert.equal(y?.eligible, true);
    assert.equal(y?.refundFen, 54000);
    assert.equal(y?.paymentStatus, 'awaiting-release');
    const b = await call('employer-b', 'GET', `/api/v1/employers/${ids['B']}/refunds`);
    const bi = b
      .json<{ items: Array<{ year: number; eligible: boolean; reasonZh: string }> }>()
      .items.find((i) => i.year === YEAR);
    assert.equal(bi?.eligible, false);
    assert.match(bi?.reasonZh ?? '', /裁员率/);
    for (const other of [ids['B'], 999999]) {
      const r = await call('employer', 'GET', `/api/v1/employers/${other}/refunds`);
      assert.equal(r.statusCode, 403, r.body);
    }
    const resultB = await sql<{
      id: unknown;
    }>`SELECT id FROM refund_result WHERE employer_id = ${ids['B']} AND year = ${YEAR}`.execute(t.ctx.db);
    const r = await call('employer', 'GET', `/api/v1/unemployment/refunds/${Number(resultB.rows[0]?.id)}`);
    assert.equal(r.statusCode, 403, r.body);
    const batch = await call('employer', 'GET', `/api/v1/unemployment/refund-batches/${YEAR}`);
    assert.equal(batch.statusCode, 403, batch.body);
  });

  test('nothing is paid before a reviewer of the region releases; then once, posted to the fund', async () => {
    // The employer's 我的办件 agrees with its 稳岗返还 page: waiting (受理), not approved, until paid.
    const hall = async () => {
      await consumeEvents(t.ctx);
      const r = await call('employer', 'GET', '/api/v1/applications?pageSize=100');
      assert.equal(r.statusCode, 200, r.body);
      const refunds = r
        .json<{ items: Array<{ serviceCode: string; status: string; closedOn: string | null }> }>()
        .items.filter((i) => i.serviceCode === 'job-stabilisation-refund');
      assert.equal(refunds.length, 1, 'one application for the year');
      return { status: refunds[0]?.status, closedOn: refunds[0]?.closedOn };
    };
    const waiting = await call('employer', 'GET', `/api/v1/employers/${t.employerId}/refunds`);
    assert.equal(
      waiting
        .json<{ items: Array<{ year: number; paymentStatus: string }> }>()
        .items.find((i) => i.year === YEAR)?.paymentStatus,
      'awaiting-release',
    );
    assert.deepEqual(await hall(), { status: 'accepted', closedOn: null });
    const prep = await call('clerk', 'POST', `/api/v1/unemployment/refund-batches/${YEAR}/payments`, {
      region: TEST_REGION,
    });
    assert.equal(prep.statusCode, 200, prep.body);
    const a = prep.json<{
      id: number;
      status: string;
      summary: { employers: number; totalFen: number; noBankAccount: number };
    }>();
    assert.deepEqual(a.summary, {
      year: YEAR,
      region: TEST_REGION,
      employers: 2,
      totalFen: 54000 + 10807,
      noBankAccount: 1,
    } as never);
    const count = async () =>
      Number(
        (await sql<{ n: unknown }>`SELECT count(*) AS n FROM refund_payment`.execute(t.ctx.db)).rows[0]?.n,
      );
    assert.equal(await count(), 0);
    // the maker, a clerk and a reviewer of another region cannot release; a Hefei clerk cannot prepare here
    // (another region's approval answers as an unknown id: 404)
    for (const [who, status] of [
      ['clerk', 403],
      ['reviewer-hefei', 404],
      ['clerk-hefei', 404],
      ['employer', 403],
    ] as const) {
      const r = await call(who, 'POST', `/api/v1/approvals/${a.id}/release`, {});
      assert.equal(r.statusCode, status, `${who} ${r.body}`);
    }
    const hefeiPrep = await call(
      'clerk-hefei',
      'POST',
      `/api/v1/unemployment/refund-batches/${YEAR}/payments`,
      { region: TEST_REGION },
    );
    assert.equal(hefeiPrep.statusCode, 403, hefeiPrep.body);
    assert.equal(await count(), 0);
    const ok = await call('reviewer', 'POST', `/api/v1/approvals/${a.id}/release`, {});
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json<{ result: unknown }>().result, {
      employers: 2,
      totalFen: 64807,
      noBankAccount: 1,
    });
    assert.equal(await count(), 2);
    // the employer sees it paid; G is held for want of a bank account; H (Hefei) is not in this batch
    const own = await call('employer', 'GET', `/api/v1/employers/${t.employerId}/refunds`);
    const y = own
      .json<{ items: Array<{ year: number; paymentStatus: string; payment: { bankAccount: string } }> }>()
      .items.find((i) => i.year === YEAR);
    assert.equal(y?.paymentStatus, 'paid');
    assert.match(y?.payment.bankAccount ?? '', /^\*+\d{4}$/);
    assert.equal(await outboxCount('completed'), 2);
    assert.equal((await hall()).status, 'completed', 'paid: the application is done');
    const batch = await call('supervisor', 'GET', `/api/v1/unemployment/refund-batches/${YEAR}`);
    assert.equal(batch.statusCode, 200, batch.body);
    const bv = batch.json<{
      paid: number;
      paidFen: number;
      noBankAccount: number;
      awaitingRelease: number;
    }>();
    assert.equal(bv.paid, 2);
    assert.equal(bv.paidFen, 64807);
    assert.equal(bv.noBankAccount, 1);
    assert.equal(bv.awaitingRelease, 0);
    // nothing left to pay: a second preparation is refused; the ledger agrees with the payments
    const again = await call('clerk', 'POST', `/api/v1/unemployment/refund-batches/${YEAR}/payments`, {
      region: TEST_REGION,
    });
    assert.equal(again.statusCode, 409, again.body);
    const posted = await sql<{ total: unknown }>`
      SELECT coalesce(sum(l.debit_fen), 0)::bigint AS total FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
      WHERE e.fund = 'unemployment' AND l.account_code = '5003'`.execute(t.ctx.db);
    assert.equal(Number(posted.rows[0]?.total), 64807);
    const v = await verifyLedger(t.ctx.db, REFUND_CHECKS);
    assert.equal(v.ok, true, JSON.stringify(v));
  });

  test('a refund held for want of a bank account: the employer’s application says so and why, until a later release pays it; nobody else reads it', async () => {
    const g0 = await sql<{ id: unknown; refund_fen: unknown }>`
      SELECT id, refund_fen FROM refund_result WHERE year = ${YEAR} AND employer_id = ${ids['G']}`.execute(
      t.ctx.db,
    );
    const ref = `refund_result:${Number(g0.rows[0]?.id)}`;
    const dueFen = Number(g0.rows[0]?.refund_fen);
    assert.ok(dueFen > 0, 'G qualifies');
    const held = await sql<{ payload: { stage: unknown; note: Words; status: string } }>`
      SELECT payload FROM outbox WHERE topic = 'case.status' AND payload->>'ref' = ${ref} ORDER BY id`.execute(
      t.ctx.db,
    );
    const last = held.rows.at(-1)?.payload;
    assert.equal(last?.status, 'accepted', 'held: still waiting, not refused');
    assert.deepEqual(last?.stage, { zh: '暂缓拨付', en: 'held' });
    const g = await loginAsNew(t, 'g-employer', { role: 'employer', employerId: ids['G'] ?? 0 });
    await consumeEvents(t.ctx);
    const read = async () => {
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/applications', headers: g.headers });
      const id = list
        .json<{ items: Array<{ id: number; serviceCode: string }> }>()
        .items.find((i) => i.serviceCode === 'job-stabilisation-refund')?.id;
      assert.ok(id !== undefined, 'the employer’s refund application');
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${id}`, headers: g.headers });
      assert.equal(r.statusCode, 200, r.body);
      return r.json<{
        id: number;
        status: string;
        stage: Words | null;
        note: Words | null;
        events: unknown[];
      }>();
    };
    const app = await read();
    assert.equal(app.status, 'accepted');
    assert.deepEqual(app.stage, { zh: '暂缓拨付', en: 'held' });
    assert.match(app.note?.zh ?? '', /暂缓拨付：单位未登记银行账户/);
    assert.match(app.note?.en ?? '', /is held: the organisation has no bank account on record/);
    // another employer (A, B) and a caller without a login read nothing of it
    for (const who of ['employer', 'employer-b']) {
      const r = await call(who, 'GET', `/api/v1/applications/${app.id}`);
      assert.equal(r.statusCode, 404, r.body); // as an unknown id
      assert.doesNotMatch(r.body, /暂缓|held|银行/);
    }
    const anon = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${app.id}` });
    assert.equal(anon.statusCode, 401);
    assert.doesNotMatch(anon.body, /暂缓|held/);
    // a second release while it is still held tells the same again: the hall adds nothing
    const service = new RefundService(t.ctx.db, t.ctx.params);
    const actor = systemActor('test');
    const again = await service.payRefunds(actor, { year: YEAR, region: TEST_REGION, approvalId: null });
    assert.equal(again.noBankAccount, 1);
    await consumeEvents(t.ctx);
    assert.equal((await read()).events.length, app.events.length, 'no second history row');
    // the account registered, the next release pays it: completed, no longer held
    await sql`INSERT INTO employer_bank_account (employer_id, bank_name, bank_account, updated_by)
      VALUES (${ids['G']}, '工商银行宣城分行', '6222021300099991', 'test')`.execute(t.ctx.db);
    const paid = await service.payRefunds(actor, { year: YEAR, region: TEST_REGION, approvalId: null });
    assert.deepEqual(paid, { employers: 1, totalFen: dueFen, noBankAccount: 0 });
    await consumeEvents(t.ctx);
    const done = await read();
    assert.equal(done.status, 'completed');
    assert.equal(done.stage, null, 'paid: the hold is over');
    assert.match(done.note?.zh ?? '', /已拨付至单位银行账户（尾号9991）/);
  });

  test('a payment that stops after a batch resumes and pays each refund once', async () => {
    const year = 2023; // facts of 2022: three employers paid that year
    for (const k of ['A', 'F', 'G'])
      await bills(t.ctx.db, ids[k] ?? 0, months(2022), { employerFen: 1000, employeeFen: 500 });
    await runRefundScan(t.ctx.db, t.ctx.params, systemActor('test'), { year });
    await sql`INSERT INTO employer_bank_account (employer_id, bank_name, bank_account, updated_by)
      SELECT r.employer_id, '测试银行', '6222' || lpad(r.employer_id::text, 12, '0'), 'test' FROM refund_result r
      WHERE r.year = ${year} AND r.eligible ON CONFLICT (employer_id) DO NOTHING`.execute(t.ctx.db);
    const due = await sql<{ n: unknown; total: unknown }>`
      SELECT count(*) AS n, coalesce(sum(refund_fen), 0)::bigint AS total FROM refund_result r
      WHERE r.year = ${year} AND r.eligible AND r.refund_fen > 0 AND r.region = ${TEST_REGION}`.execute(
      t.ctx.db,
    );
    const n = Number(due.rows[0]?.n);
    assert.equal(n, 3, `three refunds due in ${year}`);
    const actor = systemActor('test');
    await assert.rejects(
      new RefundService(t.ctx.db, t.ctx.params).payRefunds(actor, {
        year,
        region: TEST_REGION,
        approvalId: null,
        batchSize: 1,
        afterBatch: (b) => {
          if (b === 1) throw new Error('crash after batch 1');
        },
      }),
      /crash after batch 1/,
    );
    const paid = async () =>
      Number(
        (
          await sql<{ n: unknown }>`SELECT count(*) AS n FROM refund_payment WHERE year = ${year}`.execute(
            t.ctx.db,
          )
        ).rows[0]?.n,
      );
    assert.equal(await paid(), 1);
    const rest = await new RefundService(t.ctx.db, t.ctx.params).payRefunds(actor, {
      year,
      region: TEST_REGION,
      approvalId: null,
      batchSize: 1,
    });
    assert.equal(rest.employers, n - 1);
    assert.equal(await paid(), n);
    const again = await new RefundService(t.ctx.db, t.ctx.params).payRefunds(actor, {
      year,
      region: TEST_REGION,
      approvalId: null,
    });
    assert.equal(again.employers, 0, 'nobody paid twice');
    const v = await verifyLedger(t.ctx.db, REFUND_CHECKS);
    assert.equal(v.ok, true, JSON.stringify(v.subLedgers));
  });
});
