// GET /api/v1/bills/{id}/rates through the real app: the employer's bills of 2025-12 and 2026-01
// (the phased unemployment cut of 人社部发〔2024〕40号 ends on 2025-12-31), each fund's rates with their
// sources, the amounts equal to each line's base × rate rounded half up to the fen (the bill's own
// stored amounts) and adding up to the bill's total; and who may ask, tried as the attacker would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import type { BillRates, FundRates } from './bill-rates.rules.ts';
import { jobSettled } from '../http/background-jobs.testing.ts';
import { makeEmployer, makeEmployment, makeEnrolment, makePerson } from '../testing/factories.ts';
import { errorCode, send, type Method } from '../testing/requests.ts';
import type { LoginResult, TestApp } from '../testing/test-app.ts';
import { makeTestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

interface Line {
  base_fen: number;
  pension_employer_fen: number;
  pension_employee_fen: number;
  unemployment_employer_fen: number;
  unemployment_employee_fen: number;
  injury_fen: number;
}
interface Detail {
  bill: {
    totalFen: number;
    pensionEmployerFen: number;
    pensionEmployeeFen: number;
    unemploymentEmployerFen: number;
    unemploymentEmployeeFen: number;
    injuryFen: number;
  };
  lines: Line[];
}

let t: TestApp;
let employer: LoginResult;
let clerk: LoginResult;
const bill: Record<string, number> = {};

before(async () => {
  fixToday('2026-02-10');
  t = await makeTestApp();
  const other = await makePerson(t.ctx.db, { name: '李四' });
  // Wages that make the per-line rounding matter: 0.5% of 7,001.00 and of 9,001.00 each end in half a
  // fen, so the lines round up to 35.01 + 45.01 where 0.5% of the base total is 80.01.
  await makeEmployment(t.ctx.db, {
    person_id: t.personId,
    employer_id: t.employerId,
    start_date: '2019-03-01',
    monthly_wage_fen: 700100,
  });
  await makeEmployment(t.ctx.db, {
    person_id: other.id,
    employer_id: t.employerId,
    start_date: '2020-01-01',
    monthly_wage_fen: 900100,
  });
  employer = await t.login('employer');
  clerk = await t.login('clerk');
  const lines = ['2025-12', '2026-01'].flatMap((period) => [
    { personId: t.personId, period, wageFen: 700100 },
    { personId: other.id, period, wageFen: 900100 },
  ]);
  const declared = await send(t.app, employer, 'POST', `/api/v1/employers/${t.employerId}/declarations`, {
    lines,
  });
  assert.equal(declared.statusCode, 200, declared.body);
  for (const period of ['2025-12', '2026-01']) {
    const a = await jobSettled(
      t.app,
      clerk.headers,
      await send(t.app, clerk, 'POST', '/api/v1/contributions/assessments', { period }),
    );
    assert.equal(a.statusCode, 200, a.body);
  }
  const list = await send(t.app, employer, 'GET', `/api/v1/bills?employerId=${t.employerId}`);
  for (const b of list.json<{ items: Array<{ id: number; period: string }> }>().items) bill[b.period] = b.id;
  assert.ok(bill['2025-12'] && bill['2026-01'], list.body);
});

after(async () => {
  fixToday(null);
  await t.close();
});

const rates = async (period: string): Promise<BillRates> => {
  const r = await send(t.app, employer, 'GET', `/api/v1/bills/${bill[period]}/rates`);
  assert.equal(r.statusCode, 200, r.body);
  return r.json<BillRates>();
};
const fund = (r: BillRates, f: FundRates['fund']): FundRates => {
  const x = r.funds.find((y) => y.fund === f);
  assert.ok(x, `${f} on the bill`);
  return x;
};
/** base × ppm / 1,000,000, half up to the fen, in integers (BigInt: no float anywhere). */
const halfUp = (baseFen: number, ppm: number): number =>
  Number((BigInt(baseFen) * BigInt(ppm) + 500_000n) / 1_000_000n);

describe('the rates behind a bill', () => {
  test('2025-12: unemployment at the phased 0.5% + 0.5% of 人社部发〔2024〕40号, in force 2025-01-01 to 2025-12-31, flagged unconfirmed', async () => {
    const u = fund(await rates('2025-12'), 'unemployment');
    assert.deepEqual([u.employerPpm, u.employeePpm], [5000, 5000]);
    const cut = u.sources.find((s) => s.referenceZh.includes('人社部发〔2024〕40号') && !s.ended);
    assert.ok(cut, JSON.stringify(u.sources));
    assert.deepEqual(
      [cut.effectiveFrom, cut.effectiveUntil, cut.uncertain, cut.parameters.length],
      ['2025-01-01', '2025-12-31', true, 2],
      'the employer and the employee cut read one document: listed once',
    );
  });

  test('2026-01: unemployment back to the statutory 2% + 1% (失业保险条例 art. 6), against 0.5% + 0.5% in 2025-12; the end of the cut is flagged unconfirmed', async () => {
    const r = await rates('2026-01');
    assert.equal(r.previousPeriod, '2025-12');
    const u = fund(r, 'unemployment');
    assert.deepEqual(
      [u.employerPpm, u.employeePpm, u.previousEmployerPpm, u.previousEmployeePpm],
      [20000, 10000, 5000, 5000],
    );
    const statutory = u.sources.find((s) =>
      s.referenceZh.includes('《失业保险条例》第六条（1999年1月22日）'),
    );
    assert.ok(statutory, JSON.stringify(u.sources));
    assert.deepEqual(
      [statutory.effectiveFrom, statutory.effectiveUntil, statutory.uncertain],
      ['1999-01-22', null, false],
    );
    const end = u.sources.find((s) => s.ended);
    assert.ok(end, JSON.stringify(u.sources));
    assert.ok(end.referenceZh.includes('人社部发〔2024〕40号'), end.referenceZh);
    assert.deepEqual([end.effectiveFrom, end.uncertain], ['2026-01-01', true]);
    // Pension and work injury did not change: their previous rates equal this period's.
    const p = fund(r, 'employee_pension');
    assert.deepEqual(
      [p.employerPpm, p.employeePpm, p.previousEmployerPpm, p.previousEmployeePpm],
      [160000, 80000, 160000, 80000],
    );
    const i = fund(r, 'injury');
    assert.equal(r.industryClass, 1);
    assert.deepEqual([i.employerPpm, i.employeePpm, i.previousEmployerPpm], [2000, 0, 2000]);
    assert.ok(
      i.sources.some((s) => s.referenceZh.includes('人社部发〔2015〕71号')),
      JSON.stringify(i.sources),
    );
  });

  test('one figure, one formula: each amount is the sum over lines of base × rate, half up to the fen, equal to the bill\u2019s stored amount; the funds add up to the bill\u2019s total', async () => {
    for (const period of ['2025-12', '2026-01']) {
      const r = await rates(period);
      const d = (await send(t.app, employer, 'GET', `/api/v1/bills/${bill[period]}`)).json<Detail>();
      const stored: Record<FundRates['fund'], [number, number]> = {
        employee_pension: [d.bill.pensionEmployerFen, d.bill.pensionEmployeeFen],
        unemployment: [d.bill.unemploymentEmployerFen, d.bill.unemploymentEmployeeFen],
        injury: [d.bill.injuryFen, 0],
      };
      for (const f of r.funds) {
        assert.equal(
          f.baseFen,
          d.lines.reduce((s, l) => s + l.base_fen, 0),
          `${period} ${f.fund} base`,
        );
        const employer = d.lines.reduce((s, l) => s + halfUp(l.base_fen, f.employerPpm), 0);
        const employee = d.lines.reduce((s, l) => s + halfUp(l.base_fen, f.employeePpm), 0);
        assert.deepEqual(
          [f.employerFen, f.employeeFen],
          [employer, employee],
          `${period} ${f.fund}: Σ round(base × rate)`,
        );
        assert.deepEqual(
          [f.employerFen, f.employeeFen],
          stored[f.fund],
          `${period} ${f.fund}: the bill's own amounts`,
        );
        assert.equal(f.reproduced, true);
      }
      assert.equal(r.totalFen, d.bill.totalFen);
      assert.equal(
        r.funds.reduce((s, f) => s + f.employerFen + f.employeeFen, 0),
        d.bill.totalFen,
        `${period}: the funds add up to the bill's total`,
      );
    }
    // The rounding is per line: 0.5% of the base total rounded once is a fen short of the bill here.
    const u = fund(await rates('2025-12'), 'unemployment');
    assert.notEqual(
      halfUp(u.baseFen, u.employerPpm),
      u.employerFen,
      'the example exercises per-line rounding',
    );
  });

  test('a rate that no longer reproduces the stored amounts (the industry class changed after the assessment) is flagged, the amounts stay the bill\u2019s', async () => {
    const before = fund(await rates('2026-01'), 'injury');
    await t.ctx.db
      .updateTable('employer')
      .set({ industry_class: 5 })
      .where('id', '=', t.employerId)
      .execute();
    try {
      const r = await rates('2026-01');
      const i = fund(r, 'injury');
      assert.deepEqual([r.industryClass, i.employerPpm, i.reproduced], [5, 11000, false]);
      assert.equal(i.employerFen, before.employerFen);
      assert.equal(fund(r, 'unemployment').reproduced, true);
    } finally {
      await t.ctx.db
        .updateTable('employer')
        .set({ industry_class: 1 })
        .where('id', '=', t.employerId)
        .execute();
    }
  });
});

describe('who may see a bill and its rates, pay it or cancel it', () => {
  test('anonymous: 401', async () => {
    const r = await send(t.app, null, 'GET', `/api/v1/bills/${bill['2026-01']}/rates`);
    assert.equal(r.statusCode, 401, r.body);
  });

  test('another employer, a clerk of another region, a citizen: the same 404 as an unknown number, naming neither', async () => {
    const stranger = await makeEmployer(t.ctx.db, { name: '别家公司' });
    const callers = [
      await loginAsNew(t, 'other-employer', { role: 'employer', employerId: stranger.id }),
      await loginAsNew(t, 'hefei-clerk', { role: 'clerk', region: '340100' }),
      await t.login('citizen'),
    ];
    const id = bill['2026-01'];
    const unknown = 987654321;
    for (const who of callers) {
      const theirs = await send(t.app, who, 'GET', `/api/v1/bills/${id}/rates`);
      const none = await send(t.app, who, 'GET', `/api/v1/bills/${unknown}/rates`);
      assert.equal(theirs.statusCode, 404, `${who.user.username}: ${theirs.body}`);
      assert.equal(errorCode(theirs), 'SB_ERR_NOT_FOUND');
      assert.equal(
        theirs.body,
        none.body,
        `${who.user.username}: someone else's bill answers as an unknown one`,
      );
      assert.ok(!theirs.body.includes(String(id)) && !none.body.includes(String(unknown)), theirs.body);
      assert.ok(!/%|ppm|人社部|条例/.test(theirs.body), theirs.body);
    }
  });

  test('the bill itself, asked for by a clerk under a number that does not exist: 404 without the number', async () => {
    const r = await send(t.app, clerk, 'GET', '/api/v1/bills/987654321');
    assert.equal(r.statusCode, 404, r.body);
    assert.ok(!r.body.includes('987654321'), r.body);
  });

  test('the bill, its payment and its cancellation, asked for by another employer, a clerk of another region or a citizen: the 404 of an unknown number, naming neither; nothing paid', async () => {
    const stranger = await makeEmployer(t.ctx.db, { name: '别家公司二' });
    const callers = [
      await loginAsNew(t, 'other-employer-2', { role: 'employer', employerId: stranger.id }),
      await loginAsNew(t, 'wuhu-clerk', { role: 'clerk', region: '340200' }),
      await t.login('citizen'),
    ];
    const id = bill['2025-12'];
    assert.ok(id !== undefined);
    const unknown = 987654321;
    const asks: Array<[Method, string, unknown]> = [
      ['GET', '', undefined],
      ['POST', '/payments', {}],
      ['GET', '/receipt.pdf', undefined],
      ['POST', '/cancel', { reason: '重复开具' }],
    ];
    for (const who of callers)
      for (const [method, path, body] of asks) {
        const theirs = await send(t.app, who, method, `/api/v1/bills/${id}${path}`, body);
        const none = await send(t.app, who, method, `/api/v1/bills/${unknown}${path}`, body);
        const what = `${who.user.username} ${method} ${path}`;
        // a role without the action (an employer cancelling) is refused whatever the number
        if (none.statusCode === 403) assert.equal(theirs.statusCode, 403, `${what}: ${theirs.body}`);
        else assert.equal(theirs.statusCode, 404, `${what}: ${theirs.body}`);
        assert.equal(theirs.body, none.body, `${what}: someone else's bill answers as an unknown one`);
        assert.ok(!theirs.body.includes(String(id)) && !none.body.includes(String(unknown)), theirs.body);
      }
    const paid = await t.ctx.db
      .selectFrom('contribution_payment')
      .select('id')
      .where('bill_id', '=', id)
      .execute();
    assert.deepEqual(paid, []);
  });

  test('the employer itself and a clerk of the bill\u2019s region: 200', async () => {
    for (const who of [employer, clerk]) {
      const r = await send(t.app, who, 'GET', `/api/v1/bills/${bill['2026-01']}/rates`);
      assert.equal(r.statusCode, 200, `${who.user.username}: ${r.body}`);
    }
  });
});

describe('a flexible worker’s own bill', () => {
  test('its rates answer its worker: the pension alone, 20% paid wholly by the worker, its source, the bill’s amount; another citizen gets the 404 of an unknown number', async () => {
    const worker = await makePerson(t.ctx.db, { name: '王五' });
    await makeEnrolment(t.ctx.db, { person_id: worker.id, start_date: '2025-01-01' });
    const flexible = await loginAsNew(t, 'flexible-worker', { personId: worker.id });
    const declared = await send(
      t.app,
      flexible,
      'POST',
      `/api/v1/persons/${worker.id}/flexible-declarations`,
      {
        period: '2026-01',
        baseFen: 600_000,
      },
    );
    assert.equal(declared.statusCode, 200, declared.body);
    const { billId, billTotalFen } = declared.json<{ billId: number; billTotalFen: number }>();

    const r = await send(t.app, flexible, 'GET', `/api/v1/bills/${billId}/rates`);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<BillRates>();
    assert.equal(body.kind, 'flexible');
    assert.equal(body.industryClass, null);
    assert.deepEqual(
      body.funds.map((f) => [
        f.fund,
        f.employerPpm,
        f.employeePpm,
        f.employerFen,
        f.employeeFen,
        f.reproduced,
      ]),
      [['employee_pension', 0, 200_000, 0, billTotalFen, true]],
    );
    assert.equal(billTotalFen, halfUp(600_000, 200_000));
    assert.match(fund(body, 'employee_pension').sources[0]?.referenceZh ?? '', /灵活就业/);

    const bill = await send(t.app, flexible, 'GET', `/api/v1/bills/${billId}`);
    assert.equal(bill.statusCode, 200, bill.body);
    const citizen = await t.login('citizen');
    for (const path of ['', '/rates']) {
      const other = await send(t.app, citizen, 'GET', `/api/v1/bills/${billId}${path}`);
      const none = await send(t.app, citizen, 'GET', `/api/v1/bills/987654321${path}`);
      assert.equal(other.statusCode, 404, `${path}: ${other.body}`);
      assert.equal(other.body, none.body, path);
      assert.ok(!other.body.includes(String(billId)), other.body);
    }
  });
});
