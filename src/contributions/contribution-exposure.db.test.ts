// Issue 10, items 2 and 4, through the real app: an employer's declaration line for someone who is
// not its staff answers only "not your staff in this period" (never the registry name or a date of
// death), and an employer's payment is dated by the server, so a date of its own does not avoid
// the late fee; staff may date a payment back only with a reason, which is audited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { declaringEmployerApp } from '../testing/contribution-fixtures.ts';
import { send } from '../testing/requests.ts';
import type { LoginResult, TestApp } from '../testing/test-app.ts';
import { idNumberOf, makePerson } from '../testing/factories.ts';
import { jobSettled } from '../http/background-jobs.testing.ts';

let t: TestApp;
let employer: LoginResult;
let clerk: LoginResult;
let staffIdNumber: string;
const deceased = { name: '王秘密', idNumber: makeIdNumber('341802', '1950-02-03', 31), death: '2020-05-17' };
let deceasedId: number;
const stranger = { name: '赵陌生', idNumber: makeIdNumber('341802', '1988-08-08', 41) };
let strangerId: number;
const unknownIdNumber = makeIdNumber('341802', '1977-07-07', 51); // valid, never registered

interface LineErrorBody {
  error: { code: string; lines: Array<{ line: number; field: string; reason: string; reasonZh: string }> };
}

async function insertPerson(p: { name: string; idNumber: string }, death: string | null): Promise<number> {
  const birth = `${p.idNumber.slice(6, 10)}-${p.idNumber.slice(10, 12)}-${p.idNumber.slice(12, 14)}`;
  const r = await makePerson(t.ctx.db, {
    id_number: p.idNumber,
    name: p.name,
    sex: 'M',
    birth_date: birth,
    death_date: death,
  });
  return r.id;
}

before(async () => {
  t = await declaringEmployerApp();
  staffIdNumber = await idNumberOf(t.ctx.db, t.personId);
  deceasedId = await insertPerson(deceased, deceased.death);
  strangerId = await insertPerson(stranger, null);
  employer = await t.login('employer');
  clerk = await t.login('clerk');
});

after(async () => {
  fixToday(null);
  await t.close();
});

/** Nothing about the person: not the name, not the date of death (in any spelling). */
function assertNothingAbout(body: string, who: { name: string }, death?: string): void {
  assert.ok(!body.includes(who.name), `the name leaks: ${body}`);
  if (death) {
    assert.ok(!body.includes(death), `the date of death leaks: ${body}`);
    assert.ok(!/死亡|died|deceased/i.test(body), `the death leaks: ${body}`);
  }
}

describe('item 2: a declaration line for a non-employee says nothing about the person', () => {
  test('JSON lines for a deceased stranger, a living stranger and an unknown number answer the same "not your staff"', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/employers/${t.employerId}/declarations`,
      headers: employer.headers,
      payload: {
        lines: [
          { idNumber: deceased.idNumber, name: '随便写', period: '2021-09', wageFen: 500000 },
          { idNumber: stranger.idNumber, name: '随便写', period: '2021-09', wageFen: 500000 },
          { idNumber: unknownIdNumber, name: '随便写', period: '2021-09', wageFen: 500000 },
          { personId: deceasedId, period: '2021-09', wageFen: 500000 },
          { idNumber: staffIdNumber, name: '张三', period: '2021-09', wageFen: 500000 },
        ],
      },
    });
    assert.equal(r.statusCode, 400, r.body);
    assertNothingAbout(r.body, deceased, deceased.death);
    assertNothingAbout(r.body, stranger);
    const lines = r.json<LineErrorBody>().error.lines;
    assert.deepEqual(
      lines.map((l) => l.line),
      [1, 2, 3, 4],
    );
    for (const l of lines) {
      assert.equal(l.reasonZh, '不是本单位该期间的职工（2021-09）');
      assert.equal(l.reason, 'not your staff in this period (2021-09)');
    }
  });

  test('the CSV upload answers the same, and the good lines of the file are not written', async () => {
    const csv =
      `id_number,name,period,wage_fen\n${deceased.idNumber},某某,2021-09,500000\n` +
      `${stranger.idNumber},某某,2021-08,500000\n${staffIdNumber},张三,2021-09,500000\n`;
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/employers/${t.employerId}/declarations.csv`,
      headers: { ...employer.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
    assert.equal(r.statusCode, 400, r.body);
    assertNothingAbout(r.body, deceased, deceased.death);
    assertNothingAbout(r.body, stranger);
    const lines = r.json<LineErrorBody>().error.lines;
    assert.deepEqual(
      lines.map((l) => [l.line, l.reasonZh]),
      [
        [2, '不是本单位该期间的职工（2021-09）'],
        [3, '不是本单位该期间的职工（2021-08）'],
      ],
    );
    // A CSV file with a malformed line also runs the database checks of the good lines: same answer.
    const mixed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/employers/${t.employerId}/declarations.csv`,
      headers: { ...employer.headers, 'content-type': 'text/csv' },
      payload: `${csv}${staffIdNumber},张三,2021-99,1\n`,
    });
    assert.equal(mixed.statusCode, 400);
    assertNothingAbout(mixed.body, deceased, deceased.death);
  });

  test('a wrong name for the employer\u2019s own staff does not echo the registered name', async () => {
    const r = await send(t.app, employer, 'POST', `/api/v1/employers/${t.employerId}/declarations`, {
      lines: [{ idNumber: staffIdNumber, name: '李错', period: '2021-09', wageFen: 500000 }],
    });
    assert.equal(r.statusCode, 400);
    assert.ok(!r.body.includes('张三'), r.body);
    assert.equal(r.json<LineErrorBody>().error.lines[0]?.field, 'name');
  });

  test('enrolling a non-employee through the employer says nothing about the person', async () => {
    for (const personId of [deceasedId, strangerId]) {
      const r = await send(t.app, employer, 'POST', '/api/v1/enrolments', {
        personId,
        scheme: 'injury',
        kind: 'employee',
        employerId: t.employerId,
      });
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, r.body);
      assertNothingAbout(r.body, deceased, deceased.death);
      assert.match(r.body, /不是本单位该期间的职工/);
    }
    const missing = await send(t.app, employer, 'POST', '/api/v1/enrolments', {
      personId: 999999,
      scheme: 'injury',
      kind: 'employee',
      employerId: t.employerId,
    });
    assert.match(missing.body, /不是本单位该期间的职工/, 'an unknown id answers the same');
  });

  test('an employer asking for a non-employee\u2019s enrolments or employments learns nothing, not even whether the id exists: the unknown id\u2019s 404', async () => {
    for (const path of ['enrolments', 'employments']) {
      const known = await t.app.inject({
        method: 'GET',
        url: `/api/v1/persons/${deceasedId}/${path}`,
        headers: { cookie: employer.cookieHeader },
      });
      const unknown = await t.app.inject({
        method: 'GET',
        url: `/api/v1/persons/999999/${path}`,
        headers: { cookie: employer.cookieHeader },
      });
      assert.equal(known.statusCode, 404, known.body);
      assert.equal(unknown.statusCode, 404, unknown.body);
      assert.equal(known.body, unknown.body);
      assertNothingAbout(known.body, deceased, deceased.death);
    }
  });
});

describe('item 2: other employer-facing refusals do not tell an unknown number from someone else\u2019s', () => {
  test('a bill and its payment for an unknown id answer 404 as another employer\u2019s do (bill.service.ts); an employment end 403 like another employer\u2019s', async () => {
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/payments'],
    ] as const) {
      const r = await send(
        t.app,
        employer,
        method,
        `/api/v1/bills/999999${path}`,
        method === 'POST' ? {} : undefined,
      );
      assert.equal(r.statusCode, 404, r.body);
      assert.ok(!r.body.includes('999999'), r.body);
    }
    const end = await send(t.app, employer, 'POST', '/api/v1/employments/999999/end', {
      endDate: '2021-10-01',
      reason: 'voluntary',
    });
    assert.equal(end.statusCode, 403, end.body);
  });
});

describe('item 4: a payment is dated by the server for the payer', () => {
  let augBill: number;
  let sepBill: number;

  before(async () => {
    const declared = await t.app.inject({
      method: 'POST',
      url: `/api/v1/employers/${t.employerId}/declarations`,
      headers: employer.headers,
      payload: {
        lines: [
          { idNumber: staffIdNumber, name: '张三', period: '2021-08', wageFen: 700000 },
          { idNumber: staffIdNumber, name: '张三', period: '2021-09', wageFen: 700000 },
        ],
      },
    });
    assert.equal(declared.statusCode, 200, declared.body);
    for (const period of ['2021-08', '2021-09']) {
      const a = await jobSettled(
        t.app,
        clerk.headers,
        await send(t.app, clerk, 'POST', '/api/v1/contributions/assessments', { period }),
      );
      assert.equal(a.statusCode, 200, a.body);
    }
    const bills = await t.ctx.db
      .selectFrom('contribution_bill')
      .select(['id', 'period'])
      .where('employer_id', '=', t.employerId)
      .execute();
    augBill = bills.find((b) => b.period === '2021-08')!.id;
    sepBill = bills.find((b) => b.period === '2021-09')!.id;
  });

  test('an employer posting a payment dated before the due date still pays the late fee computed to today', async () => {
    const detail = await send(t.app, employer, 'GET', `/api/v1/bills/${augBill}`);
    const due = detail.json<{ bill: { dueDate: string }; due: { lateFeeFen: number; lateDays: number } }>();
    assert.ok(due.due.lateFeeFen > 0, 'August is in arrears on 2021-10-10');
    const paid = await send(t.app, employer, 'POST', `/api/v1/bills/${augBill}/payments`, {
      paidDate: '2021-09-01',
    });
    assert.equal(paid.statusCode, 200, paid.body);
    const p = paid.json<{ paidDate: string; lateFeeFen: number; lateDays: number }>();
    assert.equal(p.paidDate, '2021-10-10', 'dated by the server');
    assert.equal(p.lateDays, due.due.lateDays);
    assert.equal(p.lateFeeFen, due.due.lateFeeFen);
    const row = await t.ctx.db
      .selectFrom('contribution_payment')
      .select(['paid_date', 'late_fee_fen'])
      .where('bill_id', '=', augBill)
      .executeTakeFirstOrThrow();
    assert.equal(row.paid_date, '2021-10-10');
    assert.equal(Number(row.late_fee_fen), due.due.lateFeeFen);
  });

  test('staff date a payment back only with a reason, and the audit keeps who, the date and the reason', async () => {
    const noReason = await send(t.app, clerk, 'POST', `/api/v1/bills/${sepBill}/payments`, {
      paidDate: '2021-10-05',
    });
    assert.equal(noReason.statusCode, 400, noReason.body);
    assert.equal(noReason.json<{ error: { field: string } }>().error.field, 'reason');
    const ok = await send(t.app, clerk, 'POST', `/api/v1/bills/${sepBill}/payments`, {
      paidDate: '2021-10-05',
      reason: '银行回单日期 2021-10-05（柜台转账）',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json<{ paidDate: string }>().paidDate, '2021-10-05');
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'payment.record')
      .where('entity_id', '=', String(sepBill))
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_username, 'clerk');
    assert.equal(audit.reason, '银行回单日期 2021-10-05（柜台转账）');
    const a = audit.after as { paidDate: string; backdated: boolean; recordedOn: string };
    assert.equal(a.paidDate, '2021-10-05');
    assert.equal(a.backdated, true);
    assert.equal(a.recordedOn, '2021-10-10');
  });
});
