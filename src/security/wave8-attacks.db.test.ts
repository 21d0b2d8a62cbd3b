// The eighth wave's attacker's walk (sec33): the routes the passes since 2026-12-05 added or changed —
// held receipts (the list, the amount due on a day, allocation alone and together), the region's payroll
// history, the funds report's twelve months, a clerk's suspension of a pension, the public calculation
// of a transfer's funds — and the dates and body fields they take, tried as an anonymous caller, a
// citizen, an employer, a reviewer or supervisor doing a clerk's step and staff of another city. Each
// test goes through the real server (app.inject) on a real database; the holes were seen failing first
// (docs/security.md, wave 8).
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { BANK_RECEIPT_HEADER, makeRegionBill, postBankReceipts } from '../testing/bill-fixtures.ts';
import { makeBillLine, makeEmployment, makePerson } from '../testing/factories.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { TEST_REGION } from '../testing/test-app.ts';
import { attackerWalk } from './attackers.ts';

describe('wave 8', () => {
  const w = attackerWalk();
  const { as, call } = w;

  test('held receipts: the amount due on a day that is no date is 400, not 500; another city’s bill answers as an unknown one', async () => {
    const bill = await makeRegionBill(w.t);
    // the day went into the late fee's arithmetic, whose refusal repeated it
    for (const on of ['2021-02-31', '2021-13-01', '0000-00-00', '9999-99-99']) {
      const r = await call('clerk', 'GET', `/api/v1/payments/held/due?billId=${bill}&on=${on}`);
      assert.equal(r.statusCode, 400, `${on}: ${r.body}`);
      assert.deepEqual(
        r.json<{ error: { code: string; field?: string } }>().error.code,
        'SB_ERR_INVALID_DATE',
      );
      assert.equal(r.json<{ error: { field?: string } }>().error.field, 'on', r.body);
      assert.ok(!r.body.includes(on), `${on} repeated: ${r.body}`);
    }
    const ok = await call('clerk', 'GET', `/api/v1/payments/held/due?billId=${bill}&on=2021-10-20`);
    assert.equal(ok.statusCode, 200, ok.body);
    const far = await call('clerk-hefei', 'GET', `/api/v1/payments/held/due?billId=${bill}&on=2021-10-20`);
    const unknown = await call(
      'clerk-hefei',
      'GET',
      `/api/v1/payments/held/due?billId=99999999&on=2021-10-20`,
    );
    assert.equal(far.statusCode, 404, far.body);
    assert.equal(far.body, unknown.body);
    for (const who of [null, 'citizen', 'employer', 'policy', 'reviewer']) {
      const r = await call(who, 'GET', `/api/v1/payments/held/due?billId=${bill}&on=2021-10-20`);
      assert.equal(r.statusCode, who === null ? 401 : 403, `${who}: ${r.body}`);
    }
  });

  test('held receipts: another city’s clerk neither lists nor allocates the city’s receipts, and learns nothing of their ids', async () => {
    const bill = await makeRegionBill(w.t);
    const up = await postBankReceipts(
      w.t,
      as['clerk']!,
      [BANK_RECEIPT_HEADER, `W8-HELD-01,2021-10-02,${bill},12345`].join('\n'),
    );
    assert.equal(up.statusCode, 200, up.body);
    const id = up.json<{ results: Array<{ paymentId: number }> }>().results[0]!.paymentId;
    const list = await call('clerk-hefei', 'GET', `/api/v1/payments/held?region=${TEST_REGION}`);
    assert.equal(list.statusCode, 403, list.body);
    const mine = await call('clerk-hefei', 'GET', '/api/v1/payments/held');
    assert.equal(mine.statusCode, 200, mine.body);
    assert.ok(!mine.body.includes('W8-HELD-01'), mine.body);
    const far = await call('clerk-hefei', 'POST', `/api/v1/payments/${id}/allocate`, {
      billId: bill,
      reason: '试试',
    });
    const unknown = await call('clerk-hefei', 'POST', '/api/v1/payments/99999999/allocate', {
      billId: bill,
      reason: '试试',
    });
    assert.equal(far.statusCode, 404, far.body);
    assert.equal(far.body, unknown.body.replace('99999999', String(id)));
    const together = await call('clerk-hefei', 'POST', '/api/v1/payments/allocate', {
      paymentIds: [id],
      billId: bill,
      reason: '试试',
    });
    assert.equal(together.statusCode, 404, together.body);
    for (const who of ['citizen', 'employer', 'reviewer', 'supervisor', 'policy']) {
      const r = await call(who, 'POST', '/api/v1/payments/allocate', {
        paymentIds: [id],
        billId: bill,
        reason: '试试',
      });
      assert.equal(r.statusCode, 403, `${who}: ${r.body}`);
    }
    // a field the schema does not name is refused, not ignored
    const extra = await call('clerk', 'POST', '/api/v1/payments/allocate', {
      paymentIds: [id],
      billId: bill,
      reason: '试试',
      paidDate: '2021-10-01',
    });
    assert.equal(extra.statusCode, 400, extra.body);
  });

  test('the payroll history and the funds report: another city, a citizen, an employer and a policy user are refused; a month that is no month is 400', async () => {
    for (const [who, code] of [
      [null, 401],
      ['citizen', 403],
      ['employer', 403],
      ['policy', 403],
      ['clerk-hefei', 403],
    ] as const) {
      const r = await call(who, 'GET', `/api/v1/payroll/history?region=${TEST_REGION}`);
      assert.equal(r.statusCode, code, `${who}: ${r.body}`);
      const f = await call(who, 'GET', `/api/v1/reports/funds?period=2021-09&region=${TEST_REGION}`);
      assert.equal(f.statusCode, code, `${who}: ${f.body}`);
    }
    for (const period of ['2021-13', '2021-00', '0000-00']) {
      const r = await call(
        'supervisor',
        'GET',
        `/api/v1/reports/funds?period=${period}&region=${TEST_REGION}`,
      );
      assert.equal(r.statusCode, 400, `${period}: ${r.body}`);
    }
  });

  test('a day that is no day on the other changed routes: 400 naming the field, never the day, never the database’s refusal', async () => {
    const D = '2021-02-31';
    const p = await makePerson(w.t.ctx.db);
    await makeEmployment(w.t.ctx.db, { person_id: p.id, employer_id: w.t.employerId });
    const { billId } = await makeBillLine(w.t.ctx.db, {
      personId: p.id,
      employerId: w.t.employerId,
      period: '2021-10',
      status: 'open',
    });
    for (const [who, method, url, body, field] of [
      // the payment's date reached the late fee's arithmetic and was repeated
      [
        'clerk',
        'POST',
        `/api/v1/bills/${billId}/payments`,
        { paidDate: D, reason: '银行回单补录' },
        'paidDate',
      ],
      // the arrears' day reached the database, which refused it
      ['clerk', 'GET', `/api/v1/contributions/arrears?asOf=${D}`, undefined, 'asOf'],
      ['supervisor', 'GET', `/api/v1/hall/statistics?from=${D}`, undefined, 'from'],
      [
        'clerk',
        'POST',
        `/api/v1/persons/${p.id}/personal-pension/contributions`,
        { amountFen: 100, paidOn: D, idempotencyKey: 'w8-paid-on-1' },
        'paidOn',
      ],
    ] as const) {
      const r = await call(who, method, url, body);
      assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
      const e = r.json<{ error: { code: string; field?: string } }>().error;
      assert.deepEqual([e.code, e.field], ['SB_ERR_INVALID_DATE', field], `${url}: ${r.body}`);
      assert.ok(!r.body.includes(D), `${url}: the day repeated: ${r.body}`);
    }
  });

  test('suspending a pension: an award id in the body does not redirect the suspension to another city’s award', async () => {
    const here = await seedPensioners(w.t.ctx.db, {
      count: 1,
      region: TEST_REGION,
      startPeriod: '2020-07',
      offset: 8_100,
    });
    const hefei = await seedPensioners(w.t.ctx.db, {
      count: 1,
      region: '340100',
      startPeriod: '2020-07',
      offset: 8_200,
    });
    const status = async (id: number) =>
      (
        await w.t.ctx.db
          .selectFrom('pension_award')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).status;
    // the route checked the path's award and suspended the body's
    const r = await call('clerk', 'POST', `/api/v1/pension/awards/${here.firstAwardId}/suspend`, {
      fromPeriod: '2021-11',
      reason: '核查',
      awardId: hefei.firstAwardId,
    });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(await status(hefei.firstAwardId), 'active', 'another city’s award untouched');
    assert.equal(await status(here.firstAwardId), 'active', 'a refused request changes nothing');
    const far = await call('clerk', 'POST', `/api/v1/pension/awards/${hefei.firstAwardId}/suspend`, {
      fromPeriod: '2021-11',
      reason: '核查',
    });
    // another city's award answers as an unknown one (wave 13: no 403 that says it exists)
    assert.equal(far.statusCode, 404, far.body);
    assert.equal(await status(hefei.firstAwardId), 'active');
  });

  test('an anonymous calculation of the funds a transfer moves cannot hold the server: segments and their months are bounded', async () => {
    const url = '/api/v1/calc/pension-transfer-funds';
    const seg = (to: string) => ({ from: '1998-01', to, monthlyBaseFen: 500_000 });
    // each month to 9999-12 was a step: three such segments held the event loop for seconds, a 2 MiB body for hours
    const far = await call(null, 'POST', url, { segments: [seg('9999-12'), seg('9999-12'), seg('9999-12')] });
    assert.equal(far.statusCode, 400, far.body.slice(0, 300));
    assert.equal(far.json<{ error: { field?: string } }>().error.field, 'segments[0].to', far.body);
    const many = await call(null, 'POST', url, {
      segments: Array.from({ length: 601 }, () => seg('2000-12')),
    });
    assert.equal(many.statusCode, 400, many.body.slice(0, 300));
    assert.equal(many.json<{ error: { field?: string } }>().error.field, 'segments', many.body);
    // a period that is no period names the field, not what was sent
    const odd = await call(null, 'POST', url, { segments: [{ ...seg('2000-12'), from: '1998-13' }] });
    assert.equal(odd.statusCode, 400, odd.body);
    assert.ok(!odd.body.includes('1998-13'), odd.body);
    // the most the rule takes answers at once
    const t0 = performance.now();
    const most = await call(null, 'POST', url, {
      segments: Array.from({ length: 600 }, () => seg('2100-12')),
    });
    assert.equal(most.statusCode, 200, most.body);
    assert.equal(most.json<{ months: number }>().months, (2100 - 1998 + 1) * 12);
    assert.ok(performance.now() - t0 < 5_000, `${Math.round(performance.now() - t0)} ms`);
  });
});
