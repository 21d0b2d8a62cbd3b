// Through the real HTTP app: an employer declares and pays, a citizen sees their own record and not
// another's, the fund report answers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { idNumberOf, makePerson } from '../testing/factories.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { declaringEmployerApp } from '../testing/contribution-fixtures.ts';
import { send as request } from '../testing/requests.ts';
import { TEST_REGION, type TestApp } from '../testing/test-app.ts';
import { jobSettled } from '../http/background-jobs.testing.ts';

let t: TestApp;

/** The employer's declaration file, posted as the page posts it. */
const sendCsv = (headers: Record<string, string>, csv: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/employers/${t.employerId}/declarations.csv`,
    headers: { ...headers, 'content-type': 'text/csv' },
    payload: csv,
  });
let other: number;

before(async () => {
  t = await declaringEmployerApp();
  const o = await makePerson(t.ctx.db, {
    id_number: makeIdNumber('341802', '1990-01-01', 21),
    name: '李四',
    sex: 'M',
    birth_date: '1990-01-01',
    hukou_region: '341802',
    region: TEST_REGION,
  });
  other = o.id;
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('an employer declares and pays; the citizen sees the record; a report answers', async () => {
  const tpl = await t.app.inject({ method: 'GET', url: '/api/v1/contributions/declarations/template.csv' });
  assert.equal(tpl.statusCode, 200);
  assert.match(tpl.body, /^\uFEFFid_number,name,period,wage_yuan\n/);
  assert.match(tpl.body, /,2021-09,6500\.00\n$/);

  const employer = await t.login('employer');
  const person = { id_number: await idNumberOf(t.ctx.db, t.personId) };
  const csv = `id_number,name,period,wage_fen\n${person.id_number},张三,2021-08,700000\n${person.id_number},张三,2021-09,720000\n`;
  const bad = await t.app.inject({
    method: 'POST',
    url: `/api/v1/employers/${t.employerId}/declarations.csv`,
    headers: { ...employer.headers, 'content-type': 'text/csv' },
    payload: `${csv}${person.id_number},张三,2021-99,1\n`,
  });
  assert.equal(bad.statusCode, 400, bad.body);
  const badBody = bad.json<{ error: { code: string; lines: Array<{ line: number; field: string }> } }>();
  assert.equal(badBody.error.code, 'SB_ERR_INVALID_UPLOAD');
  assert.deepEqual(
    badBody.error.lines.map((l) => [l.line, l.field]),
    [[4, 'period']],
  );
  const ok = await t.app.inject({
    method: 'POST',
    url: `/api/v1/employers/${t.employerId}/declarations.csv?filename=aug-sep.csv`,
    headers: { ...employer.headers, 'content-type': 'text/csv' },
    payload: csv,
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json<{ inserted: number }>().inserted, 2);
  const again = await t.app.inject({
    method: 'POST',
    url: `/api/v1/employers/${t.employerId}/declarations.csv`,
    headers: { ...employer.headers, 'content-type': 'text/csv' },
    payload: csv,
  });
  assert.equal(again.json<{ duplicateUpload: boolean }>().duplicateUpload, true);
  const notMine = await request(
    t.app,
    employer,
    'POST',
    `/api/v1/employers/${t.employerId + 1000}/declarations`,
    { lines: [{ personId: t.personId, period: '2021-09', wageFen: 1 }] },
  );
  assert.ok([403, 404].includes(notMine.statusCode));

  const clerk = await t.login('clerk');
  for (const period of ['2021-08', '2021-09']) {
    const a = await jobSettled(
      t.app,
      clerk.headers,
      await request(t.app, clerk, 'POST', '/api/v1/contributions/assessments', { period }),
    );
    assert.equal(a.statusCode, 200, a.body);
    assert.equal(a.json<{ bills: number }>().bills, 1);
  }
  const bills = await request(t.app, employer, 'GET', `/api/v1/bills?employerId=${t.employerId}`);
  assert.equal(bills.statusCode, 200, bills.body);
  const items = bills.json<{
    items: Array<{ id: number; period: string; totalFen: number; waivedFen: number }>;
  }>().items;
  assert.equal(items.length, 2);
  for (const b of items) {
    const detail = await request(t.app, employer, 'GET', `/api/v1/bills/${b.id}`);
    const due = detail.json<{ due: { totalFen: number; lateFeeFen: number } }>().due;
    if (b.period === '2021-08') assert.ok(due.lateFeeFen > 0, 'August is in arrears on 2021-10-10');
    const paid = await request(t.app, employer, 'POST', `/api/v1/bills/${b.id}/payments`, {
      amountFen: due.totalFen,
    });
    assert.equal(paid.statusCode, 200, paid.body);
  }
  // Paid again: the status in words in both languages (it said 账单状态为 paid).
  const paidTwice = await request(t.app, employer, 'POST', `/api/v1/bills/${items[0]?.id}/payments`, {});
  assert.equal(paidTwice.statusCode, 409, paidTwice.body);
  assert.equal(
    paidTwice.json<{ error: { message: string } }>().error.message,
    '状态冲突，请刷新后重试：账单已缴 / Conflict: refresh and try again: the bill is paid',
  );

  const citizen = await t.login('citizen');
  const rec = await request(t.app, citizen, 'GET', `/api/v1/persons/${t.personId}/record`);
  assert.equal(rec.statusCode, 200, rec.body);
  const r = rec.json<{
    totals: { employeePensionMonths: number };
    personalAccount: { employeePensionFen: number };
    employers: unknown[];
  }>();
  assert.equal(r.totals.employeePensionMonths, 2);
  assert.equal(r.personalAccount.employeePensionFen, 56000 + 57600);
  assert.equal(r.employers.length, 1);
  const html = await request(t.app, citizen, 'GET', `/api/v1/persons/${t.personId}/record.html`);
  assert.match(html.body, /社会保险个人权益记录单/);
  // Money with ¥ and separators, the months and the printing day in words (they were 1136.00,
  // 2021-08 — 2021-09 and the ISO day): nothing on the page reads as an ISO date.
  assert.ok(html.body.includes('¥1,136.00'), html.body);
  assert.ok(html.body.includes('2021年8月 — 2021年9月<br><small>Aug 2021 — Sep 2021</small>'), html.body);
  assert.match(html.body, /打印日期 Printed：\d{4}年\d{1,2}月\d{1,2}日 \/ \d{1,2} [A-Z][a-z]{2} \d{4}/);
  assert.doesNotMatch(html.body, /\d{4}-\d{2}/);
  // The region by name in both languages, its code only in brackets (the page said 参保地 Region：341800).
  assert.ok(html.body.includes('参保地 Region：宣城市 Xuancheng（341800）'), html.body);
  // Printed, every sheet is numbered 第 N 页 / 共 M 页 by the browser (Chromium 131 on: @page margin boxes).
  assert.ok(
    html.body.includes(
      '@bottom-center{content:"第 " counter(page) " 页 / 共 " counter(pages) " 页 · Page " counter(page) " of " counter(pages)',
    ),
  );
  // another person's record answers as an unknown one (wave 13)
  const forbidden = await request(t.app, citizen, 'GET', `/api/v1/persons/${other}/record`);
  assert.equal(forbidden.statusCode, 404);
  const staff = await request(t.app, clerk, 'GET', `/api/v1/persons/${t.personId}/record`);
  assert.equal(staff.statusCode, 200);
  const audited = await t.ctx.db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', 'record.read')
    .where('subject_person_id', '=', t.personId)
    .execute();
  assert.equal(audited.length, 1);

  const report = await request(t.app, clerk, 'GET', '/api/v1/reports/funds?period=2021-09');
  assert.equal(report.statusCode, 200, report.body);
  assert.match(JSON.stringify(report.json<{ yearToDate: unknown }>().yearToDate), /总收入/);
  const named = report.json<{
    regionNameZh: string | null;
    yearToDate: Array<{ region: string; regionNameZh: string; summaryZh: string }>;
  }>();
  for (const row of named.yearToDate) {
    assert.notEqual(row.regionNameZh, row.region, `region ${row.region} carries its name`);
    assert.ok(
      row.summaryZh.includes(row.regionNameZh),
      `the summary names the region, not its code: ${row.summaryZh} / ${row.regionNameZh}`,
    );
  }
  // The funds over time: each fund's twelve months to the period, agreeing with the month's and the
  // year's statements (the month's balance is the cumulative one; the months' income adds up to the year's).
  type Row = { fund: string; incomeFen: number; expenditureFen: number; balanceFen: number };
  const funds = report.json<{
    month: Row[];
    yearToDate: Row[];
    months: Array<Row & { period: string }>;
  }>();
  assert.ok(funds.yearToDate.length > 0);
  for (const ytd of funds.yearToDate) {
    const months = funds.months.filter((m) => m.fund === ytd.fund);
    assert.deepEqual(
      months.map((m) => m.period),
      [
        '2020-10',
        '2020-11',
        '2020-12',
        ...['01', '02', '03', '04', '05', '06', '07', '08', '09'].map((m) => `2021-${m}`),
      ],
    );
    const last = months.at(-1);
    const month = funds.month.find((m) => m.fund === ytd.fund);
    assert.equal(last?.balanceFen, ytd.balanceFen, ytd.fund);
    assert.equal(last?.incomeFen, month?.incomeFen ?? 0, ytd.fund);
    const thisYear = months.filter((m) => m.period.startsWith('2021-'));
    assert.equal(
      thisYear.reduce((a, m) => a + m.incomeFen, 0),
      ytd.incomeFen,
      ytd.fund,
    );
    assert.equal(
      thisYear.reduce((a, m) => a + m.expenditureFen, 0),
      ytd.expenditureFen,
      ytd.fund,
    );
  }
  const citizenReport = await request(t.app, citizen, 'GET', '/api/v1/reports/funds?period=2021-09');
  assert.equal(citizenReport.statusCode, 403);
  const supervisor = await t.login('supervisor');
  const v = await t.app.inject({ method: 'GET', url: '/api/v1/ledger/verify', headers: supervisor.headers });
  assert.equal(v.statusCode, 200);
  assert.equal(v.json<{ ok: boolean }>().ok, true, v.body);
});

test('a corrected file for the same month replaces the earlier wages and says what changed (fen file 650000, then yuan file 6600.00 = 660000 fen); the same file twice changes nothing; the history lists the month', async () => {
  const employer = await t.login('employer');
  const person = { id_number: await idNumberOf(t.ctx.db, t.personId) };
  const send = (csv: string) => sendCsv(employer.headers, csv);
  type Answer = {
    inserted: number;
    replaced: number;
    duplicateUpload: boolean;
    changes: Array<{ personId: number; name: string; period: string; beforeFen: number; afterFen: number }>;
  };
  const first = await send(`id_number,name,period,wage_fen\n${person.id_number},张三,2021-07,650000\n`);
  assert.equal(first.statusCode, 200, first.body);
  assert.deepEqual([first.json<Answer>().inserted, first.json<Answer>().changes], [1, []]);

  // the correction in yuan, as payroll systems write it: the header says the unit
  const corrected = `id_number,name,period,wage_yuan\n${person.id_number},张三,2021-07,6600.00\n`;
  const fix = await send(corrected);
  assert.equal(fix.statusCode, 200, fix.body);
  const a = fix.json<Answer>();
  assert.equal(a.inserted, 0);
  assert.equal(a.replaced, 1);
  assert.deepEqual(a.changes, [
    { personId: t.personId, name: '张三', period: '2021-07', beforeFen: 650000, afterFen: 660000 },
  ]);

  const again = await send(corrected);
  assert.equal(again.json<Answer>().duplicateUpload, true);
  assert.deepEqual(again.json<Answer>().changes, []);
  const held = await t.ctx.db
    .selectFrom('contribution_declaration')
    .select('wage_fen')
    .where('person_id', '=', t.personId)
    .where('period', '=', '2021-07')
    .execute();
  assert.deepEqual(
    held.map((h) => Number(h.wage_fen)),
    [660000],
    'one declaration for the person and month',
  );

  const history = await request(t.app, employer, 'GET', `/api/v1/employers/${t.employerId}/declarations`);
  assert.equal(history.statusCode, 200, history.body);
  const months = history.json<{
    items: Array<{ period: string; persons: number; wageTotalFen: number; billed: boolean }>;
  }>().items;
  const july = months.find((m) => m.period === '2021-07');
  assert.deepEqual(july && [july.persons, july.wageTotalFen, july.billed], [1, 660000, false]);
  const periods = months.map((m) => m.period);
  assert.deepEqual(periods, [...periods].sort().reverse(), 'newest month first');

  const citizen = await t.login('citizen');
  const refused = await request(t.app, citizen, 'GET', `/api/v1/employers/${t.employerId}/declarations`);
  assert.equal(refused.statusCode, 403);
});

test('a yuan file with bad wages (1e9, 0x10, =1+1, 6500.001, an extra column) or both units writes nothing and names every bad line; ６５００ and "6,500.5" are 650000 and 650050 fen', async () => {
  const employer = await t.login('employer');
  const id = await idNumberOf(t.ctx.db, t.personId);
  const send = (csv: string) => sendCsv(employer.headers, csv);
  const held = async () =>
    (
      await t.ctx.db
        .selectFrom('contribution_declaration')
        .select(['period', 'wage_fen'])
        .where('person_id', '=', t.personId)
        .where('period', '>=', '2020-01')
        .where('period', '<=', '2020-06')
        .execute()
    ).length;
  const bad = await send(
    [
      'id_number,name,period,wage_yuan',
      `${id},张三,2020-01,６５００`, // full-width digits: 6500 yuan, a good line
      `${id},张三,2020-02,1e9`,
      `${id},张三,2020-03,0x10`,
      `${id},张三,2020-04,=1+1`,
      `${id},张三,2020-05,6500,1`,
      `${id},张三,2020-06,6500.001`,
    ].join('\n'),
  );
  assert.equal(bad.statusCode, 400, bad.body);
  const lines = bad.json<{ error: { lines: Array<{ line: number; field: string; reason: string }> } }>().error
    .lines;
  assert.deepEqual(
    lines.map((l) => [l.line, l.field]),
    [
      [3, 'wage_yuan'],
      [4, 'wage_yuan'],
      [5, 'wage_yuan'],
      [6, '(line)'],
      [7, 'wage_yuan'],
    ],
  );
  assert.equal(await held(), 0, 'nothing written');

  const mixed = await send(`id_number,name,period,wage_yuan,wage_fen\n${id},张三,2020-01,6500,650000\n`);
  assert.equal(mixed.statusCode, 400, mixed.body);
  assert.match(mixed.body, /both wage_yuan and wage_fen/);

  const ok = await send(
    `公民身份号码,姓名,缴费期间,月工资（元）\n${id},张三,2020-01,６５００\n${id},张三,2020-02,"6,500.5"\n`,
  );
  assert.equal(ok.statusCode, 200, ok.body);
  const wages = await t.ctx.db
    .selectFrom('contribution_declaration')
    .select(['period', 'wage_fen'])
    .where('person_id', '=', t.personId)
    .where('period', 'in', ['2020-01', '2020-02'])
    .orderBy('period')
    .execute();
  assert.deepEqual(
    wages.map((w) => [w.period, Number(w.wage_fen)]),
    [
      ['2020-01', 650000],
      ['2020-02', 650050],
    ],
  );
});
