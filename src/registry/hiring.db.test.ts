// Issue 10, item 8, through the real app: an employer hires (增员) by full ID number and name that
// must match the registry (one generic answer otherwise), never by internal id; at the earliest from
// the first day of last month; earlier is a back-entry (补录) a clerk files with a reason and another
// person reviews; and a hire that ends the residents' pension says why, on the enrolment and in the audit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { makePerson } from '../testing/factories.ts';

type Json = Record<string, unknown>;
interface ErrorBody {
  error: { code: string; message: string; field?: string };
}
interface Enr {
  id: number;
  scheme: string;
  status: string;
  endDate: string | null;
  endReason: string | null;
  endNote?: string | null;
}

describe('item 8: hiring by ID number and name, back-entries, and the residents\u2019 pension', () => {
  let t: TestApp;
  let employer: LoginResult;
  let clerk: LoginResult;
  let reviewer: LoginResult;
  let seq = 300;

  const post = (url: string, who: LoginResult, payload: Json) =>
    t.app.inject({ method: 'POST', url, headers: who.headers, payload });

  async function person(o: { death?: string; resident?: boolean } = {}) {
    seq += 2;
    const name = `雇员${seq}`;
    const idNumber = makeIdNumber('341802', '1980-04-04', seq % 1000);
    const row = await makePerson(t.ctx.db, {
      id_number: idNumber,
      name,
      sex: 'M',
      birth_date: '1980-04-04',
      death_date: o.death ?? null,
    });
    if (o.resident) {
      const r = await post('/api/v1/enrolments', clerk, {
        personId: row.id,
        scheme: 'resident_pension',
        kind: 'resident',
        startDate: '2015-01-01',
      });
      assert.equal(r.statusCode, 201, r.body);
    }
    return { id: row.id, idNumber, name };
  }

  const employmentsOf = (personId: number) =>
    t.ctx.db.selectFrom('employment').selectAll().where('person_id', '=', personId).execute();
  const residentOf = (personId: number) =>
    t.ctx.db
      .selectFrom('enrolment')
      .selectAll()
      .where('person_id', '=', personId)
      .where('scheme', '=', 'resident_pension')
      .executeTakeFirstOrThrow();

  before(async () => {
    fixToday('2024-03-15');
    t = await makeTestApp();
    employer = await t.login('employer');
    clerk = await t.login('clerk');
    reviewer = await t.login('reviewer');
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('an employer naming a person only by internal id is refused, and nothing is written', async () => {
    const p = await person({ resident: true });
    const r = await post('/api/v1/employments', employer, {
      personId: p.id,
      employerId: t.employerId,
      startDate: '2024-03-01',
      monthlyWageFen: 500000,
    });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json<ErrorBody>().error.field, 'personId');
    assert.equal((await employmentsOf(p.id)).length, 0);
    assert.equal((await residentOf(p.id)).status, 'active');
  });

  test('a wrong name, an unregistered number and a deceased person all get the same answer, which reveals nothing', async () => {
    const p = await person();
    const dead = await person({ death: '2023-11-02' });
    const bodies: string[] = [];
    for (const who of [
      { idNumber: p.idNumber, name: '不对的名字' },
      { idNumber: makeIdNumber('341802', '1981-01-01', 997), name: '不存在' },
      { idNumber: dead.idNumber, name: dead.name },
    ]) {
      const r = await post('/api/v1/employments', employer, {
        ...who,
        employerId: t.employerId,
        startDate: '2024-03-01',
        monthlyWageFen: 500000,
      });
      assert.equal(r.statusCode, 422, r.body);
      assert.equal(r.json<ErrorBody>().error.code, 'SB_ERR_IDENTITY_MISMATCH');
      assert.match(r.body, /ID number and name do not match our records/);
      assert.ok(!r.body.includes(p.name) && !r.body.includes(dead.name), r.body);
      assert.ok(!r.body.includes('2023-11-02') && !/死亡|deceased/.test(r.body), r.body);
      bodies.push(r.body);
    }
    assert.equal(new Set(bodies).size, 1, 'one answer for all three');
    assert.equal((await employmentsOf(p.id)).length, 0);
  });

  test('errors name the field in words, not as a column name', async () => {
    const r = await post('/api/v1/employments', employer, {
      name: '某人',
      employerId: t.employerId,
      startDate: '2024-03-01',
      monthlyWageFen: 500000,
    });
    assert.equal(r.statusCode, 400, r.body);
    const e = r.json<ErrorBody>().error;
    assert.equal(e.code, 'SB_ERR_REQUIRED');
    assert.match(e.message, /身份证号码/);
    assert.match(e.message, /ID number/);
    assert.ok(!e.message.includes('id_number') && !e.message.includes('idNumber'), e.message);
    const bad = await post('/api/v1/employments', employer, {
      idNumber: '341802198004040000',
      name: '某人',
      employerId: t.employerId,
      startDate: '2024-03-01',
      monthlyWageFen: 500000,
    });
    assert.equal(bad.json<ErrorBody>().error.code, 'SB_ERR_INVALID_ID_NUMBER');
    assert.match(bad.json<ErrorBody>().error.message, /身份证号码.*ID number/);
  });

  test('an employer may not date a hire before last month (16 years back is refused); the residents\u2019 pension is untouched', async () => {
    const p = await person({ resident: true });
    for (const startDate of ['2008-03-01', '2024-01-31']) {
      const r = await post('/api/v1/employments', employer, {
        idNumber: p.idNumber,
        name: p.name,
        employerId: t.employerId,
        startDate,
        monthlyWageFen: 500000,
      });
      assert.equal(r.statusCode, 422, r.body);
      assert.equal(r.json<ErrorBody>().error.code, 'SB_ERR_BACK_ENTRY_REQUIRED');
      assert.equal(r.json<ErrorBody>().error.field, 'startDate');
    }
    assert.equal((await employmentsOf(p.id)).length, 0);
    assert.equal((await residentOf(p.id)).status, 'active');
    // An employer cannot file a back-entry itself.
    const self = await post('/api/v1/employment-back-entries', employer, {
      idNumber: p.idNumber,
      name: p.name,
      employerId: t.employerId,
      startDate: '2008-03-01',
      monthlyWageFen: 500000,
      reason: '补录',
    });
    assert.equal(self.statusCode, 403, self.body);
  });

  test('a hire from the first day of last month by ID number and name ends the residents\u2019 pension with its reason in words', async () => {
    const p = await person({ resident: true });
    const r = await post('/api/v1/employments', employer, {
      idNumber: p.idNumber,
      name: ` ${p.name} `,
      employerId: t.employerId,
      startDate: '2024-02-01',
      monthlyWageFen: 500000,
    });
    assert.equal(r.statusCode, 201, r.body);
    const ended = r.json<{ ended: Enr[] }>().ended;
    assert.equal(ended.length, 1);
    assert.equal(ended[0]?.scheme, 'resident_pension');
    assert.equal(ended[0]?.endDate, '2024-01-31');
    assert.match(ended[0]?.endNote ?? '', /^转职工参保 employment at 宣城测试有限公司 from 2024-02-01/);
    const row = await residentOf(p.id);
    assert.equal(row.status, 'ended');
    assert.equal(row.end_reason, 'switched_scheme');
    assert.match(row.end_note ?? '', /转职工参保 employment at 宣城测试有限公司 from 2024-02-01/);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['reason', 'actor_username'])
      .where('action', '=', 'enrolment.end')
      .where('entity_id', '=', String(row.id))
      .executeTakeFirstOrThrow();
    assert.match(audit.reason ?? '', /转职工参保 employment at 宣城测试有限公司 from 2024-02-01/);
    assert.equal(audit.actor_username, 'employer');
  });

  test('a back-entry is filed by a clerk with a reason, changes nothing until another person approves it, and is audited', async () => {
    const p = await person({ resident: true });
    const noReason = await post('/api/v1/employment-back-entries', clerk, {
      personId: p.id,
      employerId: t.employerId,
      startDate: '2008-03-01',
      monthlyWageFen: 300000,
    });
    assert.equal(noReason.statusCode, 400, noReason.body);
    const filed = await post('/api/v1/employment-back-entries', clerk, {
      idNumber: p.idNumber,
      name: p.name,
      employerId: t.employerId,
      startDate: '2008-03-01',
      monthlyWageFen: 300000,
      reason: '劳动仲裁裁决确认 2008 年起存在劳动关系',
    });
    assert.equal(filed.statusCode, 201, filed.body);
    const be = filed.json<{ id: number; status: string }>();
    assert.equal(be.status, 'pending');
    assert.equal((await employmentsOf(p.id)).length, 0, 'nothing before review');
    assert.equal((await residentOf(p.id)).status, 'active');
    // The same clerk cannot approve; neither can an employer.
    const own = await post(`/api/v1/employment-back-entries/${be.id}/approve`, clerk, {});
    assert.equal(own.statusCode, 403, own.body);
    const byEmployer = await post(`/api/v1/employment-back-entries/${be.id}/approve`, employer, {});
    assert.equal(byEmployer.statusCode, 403, byEmployer.body);
    const pending = await t.app.inject({
      method: 'GET',
      url: '/api/v1/employment-back-entries?status=pending',
      headers: { cookie: reviewer.cookieHeader },
    });
    assert.equal(pending.statusCode, 200, pending.body);
    assert.ok(pending.json<Array<{ id: number }>>().some((x) => x.id === be.id));
    const ok = await post(`/api/v1/employment-back-entries/${be.id}/approve`, reviewer, { note: '材料齐全' });
    assert.equal(ok.statusCode, 200, ok.body);
    const body = ok.json<{
      backEntry: { status: string; decidedBy: string };
      employment: { startDate: string };
      ended: Enr[];
    }>();
    assert.equal(body.backEntry.status, 'approved');
    assert.equal(body.backEntry.decidedBy, 'reviewer');
    assert.equal(body.employment.startDate, '2008-03-01');
    assert.match(body.ended[0]?.endNote ?? '', /转职工参保/);
    const again = await post(`/api/v1/employment-back-entries/${be.id}/approve`, reviewer, {});
    assert.equal(again.statusCode, 409);
    // the status in words, not the code a clerk cannot read
    assert.match(again.json<ErrorBody>().error.message, /已处理（已批准）/);
    const audits = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_username', 'reason'])
      .where('subject_person_id', '=', p.id)
      .where('action', 'in', [
        'employment.back-entry.request',
        'employment.back-entry.approve',
        'employment.start',
      ])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audits.map((a) => [a.action, a.actor_username]),
      [
        ['employment.back-entry.request', 'clerk'],
        ['employment.start', 'reviewer'],
        ['employment.back-entry.approve', 'reviewer'],
      ],
    );
    assert.match(audits[0]?.reason ?? '', /劳动仲裁/);
    assert.match(audits[1]?.reason ?? '', /补录 back-entry .*劳动仲裁/);
  });

  test('a reviewer returns a back-entry with a note: nothing starts', async () => {
    const p = await person();
    const filed = await post('/api/v1/employment-back-entries', clerk, {
      personId: p.id,
      employerId: t.employerId,
      startDate: '2020-06-01',
      monthlyWageFen: 300000,
      reason: '单位漏报',
    });
    assert.equal(filed.statusCode, 201, filed.body);
    const id = filed.json<{ id: number }>().id;
    const noNote = await post(`/api/v1/employment-back-entries/${id}/return`, reviewer, {});
    assert.equal(noNote.statusCode, 400);
    const back = await post(`/api/v1/employment-back-entries/${id}/return`, reviewer, {
      note: '缺少劳动合同',
    });
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(back.json<{ status: string; decisionNote: string }>().status, 'returned');
    assert.equal((await employmentsOf(p.id)).length, 0);
    const late = await post(`/api/v1/employment-back-entries/${id}/approve`, reviewer, {});
    assert.equal(late.statusCode, 409);
  });
});
