// The ninth wave's attacker's walk (sec34): the days and months every route takes, checked as what they
// are at the edge (2021-02-31 and 2021-13 reached services and the database); the public calculations'
// rate limit; and the routes changed since 2026-12-06 17:00 — held receipts' joint reversal, a held
// receipt held again, a clerk's suspension and restoration of a pension, a transfer's funds — tried as an
// anonymous caller, a citizen, an employer, a reviewer or supervisor and staff of another city. Each test
// goes through the real server (app.inject) on a real database; the holes were seen failing first
// (docs/security.md, wave 9).
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { amountDue } from '../contributions/bill-support.ts';
import { BANK_RECEIPT_HEADER, makeRegionBill, postBankReceipts } from '../testing/bill-fixtures.ts';
import { makeEmployment, makePerson } from '../testing/factories.ts';
import { TEST_REGION } from '../testing/test-app.ts';
import { attackerWalk } from './attackers.ts';

describe('wave 9', () => {
  const w = attackerWalk(['reviewer-hefei']);
  const { as, call } = w;

  test('a day that is no day and a month that is no month, on every route that took them by shape: 400 naming the field, never the value, nothing written', async () => {
    const D = '2021-02-31';
    const M = '2021-13';
    const p = await makePerson(w.t.ctx.db);
    await makeEmployment(w.t.ctx.db, { person_id: p.id, employer_id: w.t.employerId });
    const wrong: string[] = [];
    const billsBefore = await w.t.ctx.db
      .selectFrom('contribution_bill')
      .select((e) => e.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    for (const [who, method, url, body, code, field] of [
      ['clerk', 'POST', '/api/v1/contributions/assessments', { period: M }, 'P', 'period'],
      ['clerk', 'GET', `/api/v1/bills?period=${M}`, undefined, 'P', 'period'],
      ['clerk', 'GET', `/api/v1/reports/funds?period=${M}`, undefined, 'P', 'period'],
      ['citizen', 'GET', `/api/v1/contributions/base-limits?period=${M}`, undefined, 'P', 'period'],
      [
        'employer',
        'POST',
        `/api/v1/employers/${w.t.employerId}/declarations`,
        { lines: [{ personId: p.id, period: M, wageFen: 500_000 }] },
        'P',
        'lines.0.period',
      ],
      ['clerk', 'POST', '/api/v1/injury/settlements', { period: M }, 'P', 'period'],
      ['clerk', 'POST', '/api/v1/injury/payroll', { period: M }, 'P', 'period'],
      [null, 'GET', `/api/v1/params?date=${D}`, undefined, 'D', 'date'],
      ['supervisor', 'GET', `/api/v1/audit?from=${D}`, undefined, 'D', 'from'],
      [
        'clerk',
        'POST',
        '/api/v1/enrolments',
        {
          personId: p.id,
          scheme: 'employee_pension',
          kind: 'employee',
          employerId: w.t.employerId,
          startDate: D,
        },
        'D',
        'startDate',
      ],
      ['clerk', 'POST', `/api/v1/persons/${p.id}/death`, { deathDate: D }, 'D', 'deathDate'],
      [
        'clerk',
        'POST',
        '/api/v1/certification/campaigns',
        { region: TEST_REGION, year: 2021, deadline: D },
        'D',
        'deadline',
      ],
    ] as const) {
      const r = await call(who, method, url, body);
      const e = r.json<{ error?: { code: string; field?: string } }>().error;
      const want = code === 'D' ? 'SB_ERR_INVALID_DATE' : 'SB_ERR_INVALID_PERIOD';
      if (
        r.statusCode !== 400 ||
        e?.code !== want ||
        e.field !== field ||
        r.body.includes(code === 'D' ? D : M)
      )
        wrong.push(`${method} ${url}: ${r.statusCode} ${r.body.slice(0, 160)}`);
    }
    assert.deepEqual(wrong, []);
    const person = await w.t.ctx.db
      .selectFrom('person')
      .select('death_date')
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    assert.equal(person.death_date, null);
    const billsAfter = await w.t.ctx.db
      .selectFrom('contribution_bill')
      .select((e) => e.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(billsAfter.n, billsBefore.n);
  });

  test('the bank’s return of one receipt of a jointly paid bill: another city’s staff learn nothing of it and cannot prepare, read or release it; only the region’s clerk prepares it', async () => {
    const bill = await makeRegionBill(w.t);
    const row = await w.t.ctx.db
      .selectFrom('contribution_bill')
      .selectAll()
      .where('id', '=', bill)
      .executeTakeFirstOrThrow();
    const due = amountDue(w.t.ctx.params, row, '2021-10-18');
    const up = await postBankReceipts(
      w.t,
      as['clerk']!,
      [
        BANK_RECEIPT_HEADER,
        `W9-SHORT,2021-10-12,${bill},60000`,
        `W9-TOPUP,2021-10-18,${bill},${due.totalFen - 60_000}`,
      ].join('\n'),
    );
    assert.equal(up.statusCode, 200, up.body);
    const [short, top] = up.json<{ results: Array<{ paymentId: number }> }>().results.map((r) => r.paymentId);
    const joint = await call('clerk', 'POST', '/api/v1/payments/allocate', {
      paymentIds: [short, top],
      billId: bill,
      reason: '单位补缴差额，两笔合并缴清',
    });
    assert.equal(joint.statusCode, 200, joint.body);
    const reason = { reasonKind: 'bank_return', reason: '银行退票：付款账户已销户' };

    // old code: 403 for another city's receipt, 404 for an unknown one — the number told it exists
    const far = await call('clerk-hefei', 'POST', `/api/v1/payments/${top}/reverse`, reason);
    const unknown = await call('clerk-hefei', 'POST', '/api/v1/payments/99999999/reverse', reason);
    assert.equal(far.statusCode, 404, far.body);
    assert.equal(far.body, unknown.body);
    for (const who of [null, 'citizen', 'employer', 'reviewer', 'supervisor', 'policy', 'reviewer-hefei']) {
      const r = await call(who, 'POST', `/api/v1/payments/${top}/reverse`, reason);
      assert.equal(r.statusCode, who === null ? 401 : 403, `${who}: ${r.body}`);
    }
    // the reversal's body takes no other receipt to hold again, nor a status
    const steer = await call('clerk', 'POST', `/api/v1/payments/${top}/reverse`, {
      ...reason,
      heldAgain: [],
    });
    assert.equal(steer.statusCode, 400, steer.body);

    const prepared = await call('clerk', 'POST', `/api/v1/payments/${top}/reverse`, reason);
    assert.equal(prepared.statusCode, 200, prepared.body);
    const approval = prepared.json<{ id: number }>().id;
    // another city's reviewer neither reads (the payers' names are in its summary) nor releases it
    const read = await call('reviewer-hefei', 'GET', `/api/v1/approvals/${approval}`);
    assert.ok(read.statusCode === 403 || read.statusCode === 404, read.body);
    assert.ok(!read.body.includes('W9-SHORT'), read.body);
    const list = await call('reviewer-hefei', 'GET', '/api/v1/approvals');
    assert.ok(!list.body.includes('W9-TOPUP'), list.body);
    for (const who of ['reviewer-hefei', 'clerk-hefei', 'supervisor', 'citizen', 'employer', 'clerk']) {
      const r = await call(who, 'POST', `/api/v1/approvals/${approval}/release`, {});
      assert.ok(r.statusCode === 403 || r.statusCode === 404, `${who}: ${r.statusCode} ${r.body}`);
    }
    const statuses = await w.t.ctx.db
      .selectFrom('contribution_payment')
      .select('status')
      .where('id', 'in', [short!, top!])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      statuses.map((x) => x.status),
      ['matched', 'matched'],
    );
    // the region's reviewer releases it: the bill reopens, the other receipt is held again
    const released = await call('reviewer', 'POST', `/api/v1/approvals/${approval}/release`, {});
    assert.equal(released.statusCode, 200, released.body);
    // and the held-again receipt is still the region's alone
    const held = await call('clerk-hefei', 'GET', '/api/v1/payments/held');
    assert.ok(!held.body.includes('W9-SHORT'), held.body);
    const refund = await call('clerk-hefei', 'POST', `/api/v1/payments/${short}/reverse`, reason);
    assert.equal(refund.body, unknown.body);
  });

  test('the public calculations are rate-limited by the caller’s address, not by a header it sends; another caller is unaffected', async () => {
    const calc = (ip: string, i: number) =>
      w.t.app.inject({
        method: 'POST',
        url: '/api/v1/calc/retirement-age',
        remoteAddress: ip,
        // a header the caller chooses is no new client: no proxy is trusted
        headers: { 'x-forwarded-for': `203.0.113.${i % 250}` },
        payload: { birthDate: '1965-03-15', category: 'male' },
      });
    const codes: number[] = [];
    for (let i = 0; i < 70; i += 1) codes.push((await calc('127.0.9.1', i)).statusCode);
    // old code: 70 × 200
    assert.deepEqual(codes, [...Array<number>(60).fill(200), ...Array<number>(10).fill(429)]);
    const list = await w.t.app.inject({ method: 'GET', url: '/api/v1/calc', remoteAddress: '127.0.9.1' });
    assert.equal(list.statusCode, 429, 'the three routes share one budget (wave 10)');
    assert.equal((await calc('127.0.9.2', 0)).statusCode, 200, 'another address is unaffected');
    const params = [];
    for (let i = 0; i < 61; i += 1)
      params.push(
        (
          await w.t.app.inject({
            method: 'GET',
            url: '/api/v1/params?date=2021-10-20',
            remoteAddress: '127.0.9.3',
          })
        ).statusCode,
      );
    assert.deepEqual(params.slice(59), [200, 429]);
  });
});
