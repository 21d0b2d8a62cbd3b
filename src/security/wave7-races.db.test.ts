// The seventh wave: two requests at once (sec26). The same money- or status-changing request sent
// several times at the same moment (a double click, a gateway's retry, two clerks) or replayed, through
// the real server; then the database is asked what happened: one effect, the others refused with a clear
// code or answered with the same result. PGlite runs one statement at a time, so a race shows only on
// PostgreSQL; what a replay one after another shows runs on both (docs/security.md, "Wave 7").
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { today } from '../core/clock.ts';
import { addDays } from '../core/dates.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import { signNotice } from '../contributions/gateway-notice.ts';
import { idNumberOf, makeBillLine, makeEmployment, makeEnrolment, makePerson } from '../testing/factories.ts';
import { hallDb } from '../hall/hall.db.ts';
import { MAX_MATCH_FAILURES_PER_DAY } from '../hall/home-service.service.ts';
import { isWorkingDay } from '../hall/holidays.ts';
import { send } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { makeUser } from '../testing/users.ts';

const SECRET = 'wave7-gateway-secret-0123456789abcdef';
/** How many copies of one request are sent at once. */
const N = 6;

describe('wave 7: two requests at once', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  const post = (who: string | null, url: string, body?: unknown) =>
    send(t.app, who === null ? null : as[who]!, 'POST', url, body);
  const get = (who: string, url: string) => send(t.app, as[who]!, 'GET', url);
  /** The same request N times at once; the answers' status codes, sorted. */
  const burst = async (make: (i: number) => ReturnType<typeof post>) => {
    const rs = await Promise.all(Array.from({ length: N }, (_, i) => make(i)));
    return { rs, codes: rs.map((r) => r.statusCode).sort() };
  };
  const codeOf = (r: { json: <T>() => T }) => r.json<{ error: { code: string } }>().error.code;

  before(async () => {
    process.env['SHEBAO_PAYMENT_GATEWAY_SECRET'] = SECRET;
    t = await makeTestApp();
    for (const r of ['citizen', 'employer', 'clerk', 'reviewer']) as[r] = await t.login(r);
  });
  after(async () => {
    delete process.env['SHEBAO_PAYMENT_GATEWAY_SECRET'];
    await t?.close();
  });

  /** A work-injury case of an insured worker of the test employer, reported and accepted. */
  async function acceptedCase(): Promise<number> {
    const p = await makePerson(t.ctx.db, { birth_date: '1988-05-05' });
    await makeEmployment(t.ctx.db, { person_id: p.id, employer_id: t.employerId, start_date: '2024-01-01' });
    await makeEnrolment(t.ctx.db, {
      person_id: p.id,
      scheme: 'injury',
      region: TEST_REGION,
      employer_id: t.employerId,
      start_date: '2024-01-01',
    });
    const r = await post('employer', '/api/v1/injury/reports', {
      idNumber: await idNumberOf(t.ctx.db, p.id),
      accidentDate: '2026-03-02',
      description: '搬运时摔伤',
    });
    assert.equal(r.statusCode, 201, r.body);
    const id = r.json<{ id: number }>().id;
    const a = await post('clerk', `/api/v1/injury/cases/${id}/accept`, { simpleCase: true });
    assert.equal(a.statusCode, 200, a.body);
    return id;
  }

  test('injury recognition: of proposals sent at once or one after another, the one waiting stays what the case shows; released at once, it decides once', async () => {
    const id = await acceptedCase();
    const outcome = (i: number) => (i % 2 === 0 ? 'recognised' : 'not_recognised');
    const { rs, codes } = await burst((i) =>
      post('clerk', `/api/v1/injury/cases/${id}/decision`, { outcome: outcome(i), note: `理由${i}` }),
    );
    assert.deepEqual(codes, [201, ...Array<number>(N - 1).fill(409)], codes.join());
    const won = rs.find((r) => r.statusCode === 201)!.json<{ id: number; payload: { outcome: string } }>();
    // one after another: a different outcome while one waits (it replaced the case's outcome and note)
    const late = await post('clerk', `/api/v1/injury/cases/${id}/decision`, {
      outcome: won.payload.outcome === 'recognised' ? 'not_recognised' : 'recognised',
      note: '另一种意见',
    });
    assert.equal(late.statusCode, 409, late.body);
    const c = (await get('clerk', `/api/v1/injury/cases/${id}`)).json<{
      proposedOutcome: string;
      decisionNote: string;
      pendingApprovalId: number;
    }>();
    assert.equal(c.pendingApprovalId, won.id);
    assert.equal(c.proposedOutcome, won.payload.outcome, 'the case shows the outcome the reviewer releases');
    assert.notEqual(c.decisionNote, '另一种意见');

    // the reviewer's release N times at once, and a return among them: one decision, one event
    const rel = await burst((i) =>
      i === N - 1
        ? post('reviewer', `/api/v1/approvals/${won.id}/return`, { reason: '同时退回' })
        : post('reviewer', `/api/v1/approvals/${won.id}/release`, {}),
    );
    assert.deepEqual(rel.codes, [200, ...Array<number>(N - 1).fill(409)], rel.codes.join());
    for (const r of rel.rs.filter((x) => x.statusCode === 409)) assert.equal(codeOf(r), 'SB_ERR_CONFLICT');
    const decisions = await t.ctx.db
      .selectFrom('injury_case_event')
      .select('to_status')
      .where('case_id', '=', id)
      .where('to_status', 'in', ['recognised', 'not_recognised'])
      .execute();
    const approval = await t.ctx.db
      .selectFrom('approval')
      .select('status')
      .where('id', '=', won.id)
      .executeTakeFirstOrThrow();
    assert.equal(decisions.length, approval.status === 'released' ? 1 : 0, approval.status);
    const audits = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'approval')
      .where('entity_id', '=', String(won.id))
      .where('action', 'in', ['approval.release', 'approval.return'])
      .execute();
    assert.equal(audits.length, 1, 'one decision audited');
  });

  test('a counter payment sent at once: one payment; with the bank reference, every copy answers that payment', async () => {
    const p = await makePerson(t.ctx.db);
    const plain = await makeBillLine(t.ctx.db, {
      personId: p.id,
      employerId: t.employerId,
      period: '2026-11',
      status: 'open',
      pensionEmployerFen: 80_000,
    });
    const a = await burst(() => post('clerk', `/api/v1/bills/${plain.billId}/payments`, {}));
    assert.deepEqual(a.codes, [200, ...Array<number>(N - 1).fill(409)], a.codes.join());
    const withRef = await makeBillLine(t.ctx.db, {
      personId: p.id,
      employerId: t.employerId,
      period: '2026-10',
      status: 'open',
      pensionEmployerFen: 80_000,
    });
    // a replay of the bank's slip while the first is still being recorded: the same payment, not 409
    const b = await burst(() =>
      post('clerk', `/api/v1/bills/${withRef.billId}/payments`, { bankRef: 'W7-SLIP-0001' }),
    );
    assert.deepEqual(b.codes, Array<number>(N).fill(200), b.rs.map((r) => r.body).join('\n'));
    assert.equal(new Set(b.rs.map((r) => r.json<{ paymentId: number }>().paymentId)).size, 1);
    for (const billId of [plain.billId, withRef.billId]) {
      const paid = await t.ctx.db
        .selectFrom('contribution_payment')
        .select('id')
        .where('bill_id', '=', billId)
        .execute();
      assert.equal(paid.length, 1, `bill ${billId}: one payment`);
    }
    // the reference on another bill is refused without repeating it
    const other = await post('clerk', `/api/v1/bills/${plain.billId}/payments`, { bankRef: 'W7-SLIP-0001' });
    assert.equal(other.statusCode, 409, other.body);
    assert.ok(!other.body.includes('W7-SLIP-0001'), other.body);
  });

  test('the gateway’s notice sent N times at once pays once and answers every copy as paid', async () => {
    const { billId } = await makeBillLine(t.ctx.db, {
      personId: t.personId,
      payerKind: 'flexible',
      period: '2026-11',
      status: 'open',
      pensionEmployerFen: 60_000,
    });
    const o = await post('citizen', `/api/v1/bills/${billId}/online-payments`, {});
    assert.equal(o.statusCode, 200, o.body);
    const order = o.json<{ orderNo: string; amountFen: number }>();
    const notice = {
      orderNo: order.orderNo,
      gatewayRef: 'W7GW0001',
      amountFen: order.amountFen,
      status: 'success' as const,
    };
    const signed = { ...notice, signature: signNotice(SECRET, notice) };
    const { rs, codes } = await burst(() => post(null, '/api/v1/payment-gateway/notify', signed));
    assert.deepEqual(codes, Array<number>(N).fill(200), rs.map((r) => r.body).join('\n'));
    for (const r of rs) assert.equal(r.json<{ status: string }>().status, 'paid');
    const paid = await t.ctx.db
      .selectFrom('contribution_payment')
      .select('id')
      .where('bill_id', '=', billId)
      .execute();
    assert.equal(paid.length, 1);
  });

  test('a registration code asked for N times at once sends one text (one a minute per phone)', async () => {
    const phone = '13977770001';
    const p = await makePerson(t.ctx.db, { name: '王七', phone });
    const body = { idNumber: await idNumberOf(t.ctx.db, p.id), name: '王七', phone };
    const { rs, codes } = await burst(() => post(null, '/api/v1/accounts/citizen', body));
    assert.deepEqual(codes, [202, ...Array<number>(N - 1).fill(429)], rs.map((r) => r.body).join('\n'));
    const sent = await hallDb(t.ctx.db)
      .selectFrom('hall_code')
      .select('id')
      .where('phone', '=', phone)
      .execute();
    assert.equal(sent.length, 1, 'one code, one text');
  });

  test('a family booking’s registry match: guesses sent at once stop at the day’s limit', async () => {
    let day = addDays(today(), 1);
    while (!isWorkingDay(day)) day = addDays(day, 1);
    const booker = as['citizen']!.user.id;
    // four wrong guesses today already: one more may be tried
    await hallDb(t.ctx.db)
      .insertInto('hall_home_match_failure')
      .values(Array.from({ length: MAX_MATCH_FAILURES_PER_DAY - 1 }, () => ({ user_id: booker })))
      .execute();
    const { rs, codes } = await burst((i) =>
      post('citizen', '/api/v1/home-visits', {
        idNumber: makeIdNumber('341802', '1940-02-02', 60 + i),
        name: '无此人',
        relation: '子女',
        group: 'bedridden',
        serviceWanted: '养老金领取资格认证',
        address: '宣城市宣州区鳌峰街道 1 号',
        contactPhone: '13900001111',
        preferredDate: day,
        preferredSlot: 'am',
      }),
    );
    assert.deepEqual(codes, [422, ...Array<number>(N - 1).fill(429)], rs.map((r) => r.body).join('\n'));
    const failures = await hallDb(t.ctx.db)
      .selectFrom('hall_home_match_failure')
      .select('id')
      .where('user_id', '=', booker)
      .execute();
    assert.equal(failures.length, MAX_MATCH_FAILURES_PER_DAY);
  });

  test('wrong passwords sent at once stop at the limit of five; the right one after them is locked out too', async () => {
    const p = await makePerson(t.ctx.db);
    await makeUser(t.ctx.db, 'w7guess', { personId: p.id });
    const { rs, codes } = await burst((i) =>
      post(null, '/api/v1/auth/login', { username: 'w7guess', password: `wrong-guess-${i}` }),
    );
    // five guesses are tried (401), the sixth is refused untried (429)
    assert.deepEqual(codes, [401, 401, 401, 401, 401, 429], rs.map((r) => r.body).join('\n'));
    const right = await post(null, '/api/v1/auth/login', { username: 'w7guess', password: t.password });
    assert.equal(right.statusCode, 429, right.body);
    assert.equal(codeOf(right), 'SB_ERR_LOCKED');
  });

  test('a hall application sent at once, or again while it awaits a decision, is filed once', async () => {
    const p = await makePerson(t.ctx.db);
    await makeUser(t.ctx.db, 'w7apply', { personId: p.id });
    as['w7apply'] = await t.login('w7apply');
    const body = { serviceCode: 'person-change', note: '变更联系地址' };
    const { rs, codes } = await burst(() => post('w7apply', '/api/v1/applications', body));
    assert.deepEqual(codes, [201, ...Array<number>(N - 1).fill(409)], rs.map((r) => r.body).join('\n'));
    const again = await post('w7apply', '/api/v1/applications', body);
    assert.equal(again.statusCode, 409, again.body);
    const filed = await hallDb(t.ctx.db)
      .selectFrom('hall_application')
      .select('id')
      .where('person_id', '=', p.id)
      .execute();
    assert.equal(filed.length, 1);
  });

  test('an unknown region and a credit code with a wrong check character: the field, not the value or the right character', async () => {
    const r = await post('clerk', '/api/v1/persons', {
      idNumber: makeIdNumber('341802', '1990-01-01', 77),
      name: '甲',
      region: '349999',
    });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(codeOf(r), 'SB_ERR_UNKNOWN_REGION');
    assert.ok(!r.body.includes('349999'), r.body);
    const good = makeCreditCode(TEST_REGION, 7707);
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const e = await post('clerk', '/api/v1/employers', {
      creditCode: wrong,
      name: '宣城校验有限公司',
      region: TEST_REGION,
      industryClass: 1,
      size: 'sme',
    });
    assert.equal(e.statusCode, 400, e.body);
    assert.equal(codeOf(e), 'SB_ERR_INVALID_CREDIT_CODE');
    const message = e.json<{ error: { message: string } }>().error.message;
    // it said 校验码应为 X，而不是 Y: the right character completes a made-up code
    assert.ok(!/应为|should be/.test(message), message);
    assert.ok(!message.includes(wrong), message);
  });
});
