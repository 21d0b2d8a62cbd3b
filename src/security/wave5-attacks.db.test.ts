// The fifth wave's attacker's walk (sec24): the routes and answers the passes since 2026-12-04 12:00 added
// or changed — the audit page's action codes, the grant offer, the approvals' names of maker and checker —
// and every file the system writes from user text, tried as an anonymous caller, a citizen, an employer,
// staff of another city and a policy user. Each test goes through the real server (app.inject) on a real
// database; the holes were seen failing first (docs/security.md, wave 5).
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makePerson } from '../testing/factories.ts';
import { send } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

describe('wave 5', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  const call = (who: string | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) =>
    send(t.app, who === null ? null : as[who]!, method, url, body);

  before(async () => {
    t = await makeTestApp();
    for (const r of ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'policy'])
      as[r] = await t.login(r);
    // Hefei's clerk and reviewer: staff of another city, each a registered person (four eyes)
    for (const [i, role] of (['clerk', 'reviewer'] as const).entries()) {
      const p = await makePerson(t.ctx.db, {
        id_number: makeIdNumber('340102', `1979-01-0${i + 1}`, 40 + i),
        birth_date: `1979-01-0${i + 1}`,
        region: '340100',
      });
      as[`${role}-hefei`] = await loginAsNew(t, `${role}-hefei`, { role, region: '340100', personId: p.id });
    }
  });
  after(async () => {
    fixToday(null);
    await t?.close();
  });

  test('the simulation export: a scenario name with commas and formulas stays one cell on the title line', async () => {
    const name = 'x,=1+1,@SUM(A1),+2,-2+3';
    const run = await call('policy', 'POST', '/api/v1/simulations', { years: 2, name });
    assert.equal(run.statusCode, 200, run.body);
    const csv = await call(
      'supervisor',
      'GET',
      `/api/v1/simulations/${run.json<{ id: number }>().id}/export.csv`,
    );
    assert.equal(csv.statusCode, 200, csv.body);
    const rows: string[][] = parse(csv.body.replace(/^\uFEFF/, ''), { relax_column_count: true });
    assert.equal(rows[0]?.length, 1, `the title is one cell: ${JSON.stringify(rows[0])}`);
    assert.ok(rows[0]?.[0]?.startsWith(`# ${name} · ${TEST_REGION}`), rows[0]?.[0]);
    // no cell a spreadsheet would read as a formula; plain numbers (a negative balance) are numbers
    for (const cell of rows.flat())
      assert.ok(!/^[=+\-@\t\r]/.test(cell) || /^-[0-9]+(\.[0-9]+)?$/.test(cell), `a formula cell: ${cell}`);
  });

  test('an approval of another city answers its reviewer and clerk as an unknown id does, on read, release and return', async () => {
    const prepared = await call('clerk', 'POST', '/api/v1/payroll/runs', {
      period: '2026-05',
      region: TEST_REGION,
    });
    assert.equal(prepared.statusCode, 200, prepared.body);
    const id = prepared.json<{ id: number }>().id;
    const unknown = id + 1000;
    for (const who of ['reviewer-hefei', 'clerk-hefei'])
      for (const [method, path, body] of [
        ['GET', '', undefined],
        ['POST', '/release', {}],
        ['POST', '/return', { reason: '材料不全' }],
      ] as const) {
        const existing = await call(who, method, `/api/v1/approvals/${id}${path}`, body);
        const none = await call(who, method, `/api/v1/approvals/${unknown}${path}`, body);
        assert.equal(existing.statusCode, 404, `${who} ${method} ${path}: ${existing.body}`);
        assert.deepEqual(existing.json(), none.json(), `${who} ${method} ${path}`);
      }
    const own = await call('reviewer', 'GET', `/api/v1/approvals/${id}`);
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json<{ status: string }>().status, 'prepared', 'nothing was released or returned');
  });

  test('a malformed bank account or phone is refused without repeating what was typed', async () => {
    const typed = '张三 13800138000';
    const card = await call('citizen', 'PUT', '/api/v1/cards/1/bank', {
      bankName: '中国建设银行',
      bankAccount: typed,
    });
    assert.equal(card.statusCode, 400, card.body);
    const person = await call('clerk', 'POST', '/api/v1/persons', {
      idNumber: makeIdNumber('341802', '1975-05-05', 41),
      name: '甲',
      region: TEST_REGION,
      phone: typed,
    });
    assert.equal(person.statusCode, 400, person.body);
    for (const [r, code] of [
      [card, 'SB_ERR_INVALID_CARD_BANK_ACCOUNT'],
      [person, 'SB_ERR_INVALID_PHONE'],
    ] as const) {
      assert.equal(r.json<{ error: { code: string } }>().error.code, code);
      assert.doesNotMatch(r.body, /张三|8138000|\*{4}/, r.body);
    }
  });

  test('what holds: a reason that looks like a formula reaches the supervisor\u2019s audit export neutralized', async () => {
    const prepared = await call('clerk', 'POST', '/api/v1/payroll/runs', {
      period: '2026-06',
      region: TEST_REGION,
    });
    assert.equal(prepared.statusCode, 200, prepared.body);
    const reason = '=HYPERLINK("http://x.example","看")';
    const returned = await call(
      'reviewer',
      'POST',
      `/api/v1/approvals/${prepared.json<{ id: number }>().id}/return`,
      {
        reason,
      },
    );
    assert.equal(returned.statusCode, 200, returned.body);
    const csv = await call('supervisor', 'GET', '/api/v1/audit.csv?action=approval.return');
    assert.equal(csv.statusCode, 200, csv.body);
    const rows: string[][] = parse(csv.body.replace(/^\uFEFF/, ''), { relax_column_count: true });
    const cells = rows.flat();
    assert.ok(cells.includes(`'${reason}`), 'the reason is there, neutralized');
    for (const cell of cells)
      assert.ok(!/^[=+\-@\t\r]/.test(cell) || /^-[0-9]+(\.[0-9]+)?$/.test(cell), `a formula cell: ${cell}`);
  });

  test('what holds: the audit action codes only for supervisors; the grant offer only for the citizen, on the server’s date', async () => {
    const expected: Array<[string | null, number]> = [
      [null, 401],
      ['citizen', 403],
      ['employer', 403],
      ['clerk', 403],
      ['policy', 403],
      ['supervisor', 200],
    ];
    for (const [who, status] of expected)
      assert.equal(
        (await call(who, 'GET', '/api/v1/audit/actions')).statusCode,
        status,
        `audit/actions ${who}`,
      );
    fixToday('2021-06-01');
    for (const [who, status] of [
      [null, 401],
      ['employer', 403],
      ['clerk', 403],
      ['policy', 403],
      ['citizen', 200],
    ] as const) {
      const r = await call(who, 'GET', '/api/v1/unemployment/grant-offer?on=2020-06-01&region=000000');
      assert.equal(r.statusCode, status, `grant-offer ${who}: ${r.body}`);
      if (status === 200)
        assert.equal(r.json<{ on: string }>().on, '2021-06-01', 'the server’s day, not the query’s');
    }
  });

  test('what holds: a grant application takes its kind only; a citizen\u2019s application is their own; a rare character prints', async () => {
    const grant = await call('citizen', 'POST', '/api/v1/unemployment/grants', {
      kind: 'subsidy',
      amountFen: 1,
      region: '000000',
    });
    assert.equal(grant.statusCode, 400, grant.body);
    const app = await call('citizen', 'POST', '/api/v1/applications', {
      serviceCode: 'person-change',
      personId: 99999,
    });
    assert.equal(app.statusCode, 201, app.body);
    assert.equal(app.json<{ personId: number }>().personId, t.personId);
    await t.ctx.db.updateTable('person').set({ name: '张𠮷😀' }).where('id', '=', t.personId).execute();
    const pdf = await call('citizen', 'GET', `/api/v1/persons/${t.personId}/certificate.pdf`);
    assert.equal(pdf.statusCode, 200, pdf.body.slice(0, 200));
    assert.ok(pdf.body.startsWith('%PDF-'));
  });
});
