// The sixth wave's walk over inputs and outputs (sec25): money typed by a person (beyond 2^53, 1e300,
// past the business caps), dates of events after the server's today or before the accident, what a
// file's line errors and a date's error repeat of the caller's input, the printable record page and the
// downloads' Content-Disposition. Each test goes through the real server (app.inject) on a real
// database; the holes were seen failing first (docs/security.md, "Wave 6 (inputs and outputs)").
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { today } from '../core/clock.ts';
import { addDays } from '../core/dates.ts';
import { makeIdNumber } from '../core/ids.ts';
import {
  makeBillLine,
  makeEmployer,
  makeEmployment,
  makeEnrolment,
  makeInjuryCase,
  makePerson,
} from '../testing/factories.ts';
import { send } from '../testing/requests.ts';
import { makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';

describe('wave 6: inputs and outputs', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  /**
   * A body as sent on the wire: JSON whose 1e300 and 2^53 + 1 are not what JSON.stringify would
   * write, or a CSV file.
   */
  const post = (who: string, url: string, body: string, type = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...as[who]!.headers, 'content-type': type },
      payload: body,
    });
  const csv = (who: string, url: string, text: string) => post(who, url, text, 'text/csv');
  const rows = async (table: 'contribution_declaration' | 'injury_benefit' | 'employment', where = sql``) =>
    Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)} ${where}`.execute(t.ctx.db))
        .rows[0]?.n,
    );

  before(async () => {
    t = await makeTestApp();
    for (const r of ['citizen', 'employer', 'clerk']) as[r] = await t.login(r);
  });
  after(async () => t?.close());

  test('money: 2^53 − 1 fen of wage and 1e300 fen of average wage are refused, nothing written, the figure not repeated', async () => {
    const p = await makePerson(t.ctx.db);
    await makeEmployment(t.ctx.db, { person_id: p.id, employer_id: t.employerId });
    const before = await rows('contribution_declaration');
    // the file caps a wage at 100 million yuan a month; the JSON lines had no cap (90 trillion yuan stored)
    for (const v of ['9007199254740991', '10000000001', '1e300', '9007199254740993']) {
      const r = await post(
        'employer',
        `/api/v1/employers/${t.employerId}/declarations`,
        `{"lines":[{"personId":${p.id},"period":"2026-01","wageFen":${v}}]}`,
      );
      assert.equal(r.statusCode, 400, `${v}: ${r.body}`);
      assert.ok(!r.body.includes(v), `${v} repeated: ${r.body}`);
    }
    assert.equal(await rows('contribution_declaration'), before, 'no declaration written');
    const ok = await post(
      'employer',
      `/api/v1/employers/${t.employerId}/declarations`,
      `{"lines":[{"personId":${p.id},"period":"2026-01","wageFen":10000000000}]}`,
    );
    assert.equal(ok.statusCode, 200, `the cap itself is a wage: ${ok.body}`);

    // the regional average wage of a funeral grant: 1e300 was priced and its figure repeated in the error
    const c = await makeInjuryCase(t.ctx.db, {
      person_id: p.id,
      employer_id: t.employerId,
      status: 'recognised',
      decided_date: '2026-04-01',
    });
    const benefits = await rows('injury_benefit');
    for (const v of ['1e300', '9007199254740991', '10000000001']) {
      const r = await post(
        'clerk',
        `/api/v1/injury/cases/${c.id}/benefits`,
        `{"kind":"funeral_grant","deathDate":"2026-03-03","regionalAverageWageFen":${v}}`,
      );
      assert.equal(r.statusCode, 400, `${v}: ${r.body}`);
      assert.equal(r.json<{ error: { field?: string } }>().error.field, 'regionalAverageWageFen', r.body);
      assert.ok(!/1e\+300|27021597764222972|9007199254740991/.test(r.body), `a figure repeated: ${r.body}`);
    }
    assert.equal(await rows('injury_benefit'), benefits, 'no benefit prepared');
  });

  test('dates of events: a death, an end of employment or of enrolment after the server’s today, or a death before the accident, is refused', async () => {
    const p = await makePerson(t.ctx.db);
    const emp = await makeEmployment(t.ctx.db, { person_id: p.id, employer_id: t.employerId });
    const enr = await makeEnrolment(t.ctx.db, { person_id: p.id, employer_id: t.employerId });
    const tomorrow = addDays(today(), 1);
    const c = await makeInjuryCase(t.ctx.db, {
      person_id: p.id,
      employer_id: t.employerId,
      status: 'recognised',
      decided_date: '2026-04-01',
    });
    const refused = async (who: string, url: string, body: object, field: string) => {
      const r = await send(t.app, as[who]!, 'POST', url, body);
      assert.equal(r.statusCode, 400, `${url} ${JSON.stringify(body)}: ${r.body}`);
      assert.equal(r.json<{ error: { field?: string } }>().error.field, field, r.body);
    };
    // a separation reported ahead ended the enrolments ahead (200, enrolments ended on that day)
    await refused(
      'employer',
      `/api/v1/employments/${emp.id}/end`,
      { endDate: tomorrow, reason: 'voluntary' },
      'endDate',
    );
    await refused(
      'clerk',
      `/api/v1/enrolments/${enr.id}/end`,
      { endDate: tomorrow, reason: 'moved' },
      'endDate',
    );
    assert.equal(
      await rows('employment', sql`WHERE id = ${emp.id} AND end_date IS NOT NULL`),
      0,
      'still open',
    );
    // a funeral grant priced for a death tomorrow, or the day before the accident (2026-03-02)
    for (const deathDate of [tomorrow, '2026-03-01'])
      await refused(
        'clerk',
        `/api/v1/injury/cases/${c.id}/benefits`,
        { kind: 'funeral_grant', deathDate, regionalAverageWageFen: 800000 },
        'deathDate',
      );
    await refused(
      'clerk',
      `/api/v1/injury/cases/${c.id}/benefits`,
      { kind: 'medical_subsidy', relationEndedDate: tomorrow, amountFen: 100 },
      'relationEndedDate',
    );
    // the registry's death report was already bounded (kept): after today and before birth
    await refused('clerk', `/api/v1/persons/${p.id}/death`, { deathDate: tomorrow }, 'deathDate');
    await refused('clerk', `/api/v1/persons/${p.id}/death`, { deathDate: '1900-01-01' }, 'deathDate');
    // today itself is a day that has happened
    const ended = await send(t.app, as['employer']!, 'POST', `/api/v1/employments/${emp.id}/end`, {
      endDate: today(),
      reason: 'voluntary',
    });
    assert.equal(ended.statusCode, 200, ended.body);
  });

  test('a date that is no date (2026-02-30) is refused without repeating it', async () => {
    const p = await makePerson(t.ctx.db);
    const r = await send(t.app, as['clerk']!, 'POST', `/api/v1/persons/${p.id}/death`, {
      deathDate: '2026-02-30',
    });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_INVALID_DATE');
    assert.ok(!r.body.includes('2026-02-30'), r.body);
  });

  test('the declaration and bank-receipt files: a line error names the line and column, never the cell', async () => {
    const id = makeIdNumber('341802', '1985-06-15', 11);
    const badId = id.endsWith('0') ? `${id.slice(0, 17)}1` : `${id.slice(0, 17)}0`;
    const cells = [
      '1e3',
      '=HYPERLINK("http://x")',
      '6500.123',
      '-7',
      '99999999999999',
      '2099-01',
      '2011-01',
      'ab-cd',
    ];
    const text = [
      'id_number,name,period,wage_yuan',
      `${id},张三,2026-01,1e3`,
      `${id},张三,2026-02,"=HYPERLINK(""http://x"")"`,
      `${id},张三,2026-03,6500.123`,
      `${id},张三,2026-04,-7`,
      `${id},张三,2026-05,99999999999999`,
      `${id},张三,2099-01,6500`,
      `${id},张三,2011-01,6500`,
      `${id},张三,ab-cd,6500`,
      `${badId},李四,2026-01,6500`,
      `34180220991301${id.slice(14)},王五,2026-01,6500`,
    ].join('\n');
    const r = await csv('employer', `/api/v1/employers/${t.employerId}/declarations.csv`, text);
    assert.equal(r.statusCode, 400, r.body);
    const lines = r.json<{
      error: { lines: { line: number; field: string; reason: string; reasonZh: string }[] };
    }>().error.lines;
    assert.deepEqual(
      lines.map((l) => [l.line, l.field]),
      [
        [2, 'wage_yuan'],
        [3, 'wage_yuan'],
        [4, 'wage_yuan'],
        [5, 'wage_yuan'],
        [6, 'wage_yuan'],
        [7, 'period'],
        [8, 'period'],
        [9, 'period'],
        [10, 'id_number'],
        [11, 'id_number'],
      ],
    );
    for (const l of lines) {
      const said = `${l.reason} ${l.reasonZh}`;
      for (const v of [...cells, id, badId, '19850615', '20991301', '2099', 'HYPERLINK'])
        assert.ok(!said.includes(v), `line ${l.line} repeats ${v}: ${said}`);
    }

    const receipts = await csv(
      'clerk',
      '/api/v1/payments/bank-receipts.csv?region=341800',
      [
        'bank_ref,paid_date,bill_no,amount_yuan',
        'R-0001,2026-13-01,<b>1</b>,1e3',
        `R-0002,2099-01-01,42,0x10`,
      ].join('\n'),
    );
    assert.equal(receipts.statusCode, 400, receipts.body);
    for (const v of ['2026-13-01', '<b>', '1e3', '2099-01-01', '0x10'])
      assert.ok(!receipts.body.includes(v), `the receipts' errors repeat ${v}: ${receipts.body}`);
  });

  test('record.html escapes a person’s and an employer’s name, is text/html in UTF-8 and carries the CSP', async () => {
    const hostile = '<script>alert(1)</script>"&\'';
    const p = await makePerson(t.ctx.db, { name: `张${hostile}` });
    const e = await makeEmployer(t.ctx.db, { name: `<img src=x onerror=alert(2)>公司&"` });
    await makeBillLine(t.ctx.db, {
      personId: p.id,
      period: '2025-03',
      employerId: e.id,
      pensionEmployerFen: 80000,
    });
    const r = await send(t.app, as['clerk']!, 'GET', `/api/v1/persons/${p.id}/record.html`);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.ok(!/<script|<img/i.test(r.body), 'no markup from a name');
    assert.ok(r.body.includes('&#60;img src=x onerror=alert(2)&#62;公司&#38;&#34;'), 'the employer, escaped');
    assert.ok(
      r.body.includes('张&#60;script&#62;alert(1)&#60;/script&#62;&#34;&#38;&#39;'),
      'the name, escaped',
    );
  });

  test('downloads: every Content-Disposition is one plain attachment name', async () => {
    const r = await send(t.app, as['employer']!, 'GET', '/api/v1/contributions/declarations/template.csv');
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.headers['content-disposition'], 'attachment; filename="declaration-template.csv"');
  });
});
