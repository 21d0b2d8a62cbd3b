// Issue 11: a recovery case is collected by a repayment or an offset against future pension, under
// four eyes (a clerk prepares, a reviewer who is another person and not the debtor releases), audited,
// on the ledger; the offset is kept back by that month's payroll and the bank file pays the rest.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { int } from '../db/values.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { callAs } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { makeUser } from '../testing/users.ts';
import { listAwards, seedPensioners } from '../testing/pension-fixtures.ts';
import { AwardService } from './award.service.ts';
import { PENSION_CHECKS } from './ledger-checks.repository.ts';
import { runPayroll, writeBankFile } from './payroll.job.ts';

describe('collecting a recovery case', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  let award = { awardId: 0, personId: 0, monthlyFen: 0 };
  let caseId = 0;
  const call = callAs(() => t.app, as);
  const caseNow = () =>
    t.ctx.db
      .selectFrom('recovery_case')
      .select(['recovered_fen', 'status'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();

  before(async () => {
    fixToday('2026-03-15');
    t = await makeTestApp();
    await seedPensioners(t.ctx.db, { count: 3, region: TEST_REGION, startPeriod: '2026-01' });
    const [a] = await listAwards(t.ctx.db);
    if (!a) throw new Error('no awards');
    award = a;
    // a reviewer who is the debtor: four eyes refuses them their own case
    await makeUser(t.ctx.db, 'debtor', { role: 'reviewer', personId: award.personId, region: TEST_REGION });
    await makeUser(t.ctx.db, 'hefei-clerk', { role: 'clerk', region: '340100' });
    for (const u of ['clerk', 'reviewer', 'debtor', 'citizen', 'hefei-clerk']) as[u] = await t.login(u);
    const c = await t.ctx.db.transaction().execute((tx) =>
      new AwardService(tx).openRecoveryCase(systemActor('test'), {
        personId: award.personId,
        awardId: award.awardId,
        region: TEST_REGION,
        reason: 'ineligible',
        fromPeriod: '2026-01',
        toPeriod: '2026-02',
        amountFen: 10_000,
        idempotencyKey: 'test:collect',
      }),
    );
    caseId = c.id;
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('a repayment of 30 yuan: nothing booked until another person releases it; then bank ← receivable and the case shows 30 of 100 back', async () => {
    const r = await call('clerk', 'POST', `/api/v1/pension/recovery-cases/${caseId}/collections`, {
      kind: 'repayment',
      amountFen: 3_000,
      receivedDate: '2026-03-12',
      bankRef: 'B20260312001',
    });
    assert.equal(r.statusCode, 200, r.body);
    const a = r.json<{ id: number; status: string }>();
    assert.equal(a.status, 'prepared');
    assert.equal((await caseNow()).recovered_fen, 0);
    assert.equal((await call('clerk', 'POST', `/api/v1/approvals/${a.id}/release`, {})).statusCode, 403);
    const bySubject = await call('debtor', 'POST', `/api/v1/approvals/${a.id}/release`, {});
    assert.equal(bySubject.statusCode, 403);
    assert.equal(bySubject.json<{ error: { code: string } }>().error.code, 'SB_ERR_FOUR_EYES');
    const ok = await call('reviewer', 'POST', `/api/v1/approvals/${a.id}/release`, {});
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(await caseNow(), { recovered_fen: 3_000, status: 'open' });
    const lines = await sql<{ account_code: string; debit_fen: unknown; credit_fen: unknown }>`
      SELECT l.account_code, l.debit_fen, l.credit_fen FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
      WHERE e.idempotency_key LIKE 'recovery-collection:%' ORDER BY l.line_no`.execute(t.ctx.db);
    assert.deepEqual(
      lines.rows.map((x) => [x.account_code, int(x.debit_fen), int(x.credit_fen)]),
      [
        ['1001', 3_000, 0],
        ['1301', 0, 3_000],
      ],
    );
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'subject_person_id'])
      .where('action', '=', 'pension.recovery.repayment')
      .executeTakeFirstOrThrow();
    assert.equal(Number(audit.subject_person_id), award.personId);
  });

  test('another city’s clerk gets the unknown id’s 404, byte for byte, which repeats neither id', async () => {
    const unknown = caseId + 100_000;
    const repayment = { kind: 'repayment', amountFen: 100, receivedDate: '2026-03-12', bankRef: 'X1' };
    for (const [method, body] of [
      ['GET', undefined],
      ['POST', repayment],
    ] as const) {
      const ask = (id: number) =>
        call('hefei-clerk', method, `/api/v1/pension/recovery-cases/${id}/collections`, body);
      const theirs = await ask(caseId);
      assert.equal(theirs.statusCode, 404, theirs.body);
      assert.equal(theirs.body, (await ask(unknown)).body, method);
      for (const id of [caseId, unknown]) assert.ok(!theirs.body.includes(String(id)), theirs.body);
    }
  });

  test('refusals: more than is outstanding, an offset above that month’s pension or for a month already paid, a citizen', async () => {
    const url = `/api/v1/pension/recovery-cases/${caseId}/collections`;
    const tooMuch = await call('clerk', 'POST', url, {
      kind: 'repayment',
      amountFen: 7_001,
      receivedDate: '2026-03-14',
    });
    assert.equal(tooMuch.statusCode, 400, tooMuch.body);
    // The clerk reads what is left in yuan, as the page shows money, not in fen.
    assert.match(tooMuch.json<{ error: { message: string } }>().error.message, /尚待追回 ¥70\.00/);
    const aboveMonth = await call('clerk', 'POST', url, {
      kind: 'offset',
      amountFen: award.monthlyFen + 1,
      period: '2026-03',
    });
    assert.equal(aboveMonth.statusCode, 400, aboveMonth.body);
    const paidMonth = await call('clerk', 'POST', url, {
      kind: 'offset',
      amountFen: 1_000,
      period: '2026-02',
    });
    assert.equal(paidMonth.statusCode, 400, paidMonth.body);
    const future = await call('clerk', 'POST', url, {
      kind: 'repayment',
      amountFen: 100,
      receivedDate: '2026-03-16',
    });
    assert.equal(future.statusCode, 400, future.body);
    assert.equal(
      (await call('citizen', 'POST', url, { kind: 'repayment', amountFen: 100, receivedDate: '2026-03-14' }))
        .statusCode,
      403,
    );
  });

  test('an offset of 50 yuan against the March pension: the March payroll keeps it back, the bank file pays the rest, the case and the ledger agree', async () => {
    const r = await call('clerk', 'POST', `/api/v1/pension/recovery-cases/${caseId}/collections`, {
      kind: 'offset',
      amountFen: 5_000,
      period: '2026-03',
      note: '本人同意从3月养老金中抵扣',
    });
    assert.equal(r.statusCode, 200, r.body);
    const ok = await call('reviewer', 'POST', `/api/v1/approvals/${r.json<{ id: number }>().id}/release`, {});
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await caseNow()).recovered_fen, 3_000, 'an offset counts when its payroll pays');
    const list = await call('clerk', 'GET', `/api/v1/pension/recovery-cases/${caseId}/collections`);
    assert.deepEqual(
      list.json<Array<{ kind: string; status: string }>>().map((x) => [x.kind, x.status]),
      [
        ['offset', 'scheduled'],
        ['repayment', 'recorded'],
      ],
    );
    const s = await runPayroll(t.ctx.db, systemActor('test'), { period: '2026-03', region: TEST_REGION });
    assert.equal(s.status, 'done');
    const pay = await t.ctx.db
      .selectFrom('pension_payment')
      .select(['amount_fen', 'offset_fen'])
      .where('award_id', '=', award.awardId)
      .where('period', '=', '2026-03')
      .executeTakeFirstOrThrow();
    assert.deepEqual([int(pay.amount_fen), int(pay.offset_fen)], [award.monthlyFen, 5_000]);
    assert.deepEqual(await caseNow(), { recovered_fen: 8_000, status: 'open' });
    const applied = await call('clerk', 'GET', `/api/v1/pension/recovery-cases/${caseId}/collections`);
    assert.equal(applied.json<Array<{ status: string }>>()[0]?.status, 'applied');
    const file = join(tmpdir(), `sb-offset-${process.pid}.csv`);
    await writeBankFile(t.ctx.db, { period: '2026-03', region: TEST_REGION }, file);
    const person = await t.ctx.db
      .selectFrom('person')
      .select('id_number')
      .where('id', '=', award.personId)
      .executeTakeFirstOrThrow();
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.includes(person.id_number));
    rmSync(file, { force: true });
    assert.ok(line?.includes(`,${award.monthlyFen - 5_000},`), line);
    const v = await verifyLedger(t.ctx.db, PENSION_CHECKS);
    assert.ok(v.ok, JSON.stringify(v.subLedgers.filter((x) => !x.ok)));
  });

  test('the rest repaid closes the case as recovered', async () => {
    const r = await call('clerk', 'POST', `/api/v1/pension/recovery-cases/${caseId}/collections`, {
      kind: 'repayment',
      amountFen: 2_000,
      receivedDate: '2026-03-15',
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(
      (await call('reviewer', 'POST', `/api/v1/approvals/${r.json<{ id: number }>().id}/release`, {}))
        .statusCode,
      200,
    );
    assert.deepEqual(await caseNow(), { recovered_fen: 10_000, status: 'recovered' });
    const more = await call('clerk', 'POST', `/api/v1/pension/recovery-cases/${caseId}/collections`, {
      kind: 'repayment',
      amountFen: 1,
      receivedDate: '2026-03-15',
    });
    assert.equal(more.statusCode, 409);
  });
});
