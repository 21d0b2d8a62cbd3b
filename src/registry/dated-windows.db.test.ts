// The agency's operational windows are dated, regional parameters the server reads for the day in
// question, and the staff page reads the employer's from the server: a test region given 3 months from
// 2024-03-01 (and 30 days ahead for a treatment filing) moves the 400s, their words and the page's
// window; before that day the national month holds. One app; the parameters are a copy with the region's
// entries added, read through SHEBAO_PARAMS_DIR before the app loads them.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { HospitalService } from '../injury/hospital.service.ts';
import { systemActor } from '../auth/actor.ts';
import { makeInjuryCase, makePerson } from '../testing/factories.ts';
import { makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';

interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

const dir = mkdtempSync(join(tmpdir(), 'shebao-windows-'));
cpSync(join(import.meta.dirname, '..', '..', 'params'), dir, { recursive: true });
const regional = (value: number) => `
regions:
  "341800":
    reference: { zh: 测试地区的业务规定, en: the test region's operational choice }
    values:
      2024-03-01: ${value}
`;
appendFileSync(join(dir, 'registry', 'employer-backdating-months.yaml'), regional(3));
appendFileSync(join(dir, 'injury', 'treatment-filing-days-ahead.yaml'), regional(30));
process.env['SHEBAO_PARAMS_DIR'] = dir;

describe('the agency\u2019s windows read from dated parameters, by the server and the staff page alike', () => {
  let t: TestApp;
  let employer: LoginResult;
  let clerk: LoginResult;
  let seq = 500;

  const post = (url: string, who: LoginResult, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: who.headers, payload });
  const staffWindow = async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/employers/${t.employerId}/staff-window`,
      headers: employer.headers,
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json<{ earliest: string; monthsBack: number; words: { zh: string; en: string } }>();
  };
  async function person() {
    seq += 1;
    const idNumber = makeIdNumber('341802', '1982-05-06', seq);
    const row = await makePerson(t.ctx.db, {
      id_number: idNumber,
      name: `窗口${seq}`,
      sex: 'F',
      birth_date: '1982-05-06',
    });
    return { id: row.id, idNumber, name: `窗口${seq}` };
  }
  const hire = async (startDate: string) => {
    const p = await person();
    return post('/api/v1/employments', employer, {
      idNumber: p.idNumber,
      name: p.name,
      employerId: t.employerId,
      startDate,
      monthlyWageFen: 500000,
    });
  };

  before(async () => {
    t = await makeTestApp();
    employer = await t.login('employer');
    clerk = await t.login('clerk');
  });
  after(async () => {
    fixToday(null);
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('before the region\u2019s entry the national month holds: the page is told 2024-01-01, the first day of last month', async () => {
    fixToday('2024-02-20');
    assert.deepEqual(await staffWindow(), {
      earliest: '2024-01-01',
      monthsBack: 1,
      words: { zh: '上月1日', en: 'the first day of last month' },
    });
    assert.equal((await hire('2023-12-31')).statusCode, 422);
  });

  test('from 2024-03-01 the region\u2019s 3 months: page, hire, end and back-entry all move to 2023-12-01', async () => {
    fixToday('2024-03-15');
    const w = await staffWindow();
    assert.deepEqual(w, {
      earliest: '2023-12-01',
      monthsBack: 3,
      words: { zh: '3个月前的1日', en: 'the first day of the month 3 months back' },
    });
    const early = await hire('2023-11-30');
    assert.equal(early.statusCode, 422, early.body);
    const e = early.json<ErrorBody>().error;
    assert.equal(e.code, 'SB_ERR_BACK_ENTRY_REQUIRED');
    assert.equal(e.field, 'startDate');
    assert.ok(e.message.includes('2023-12-01（3个月前的1日）'), e.message);
    assert.ok(e.message.includes('2023-12-01 (the first day of the month 3 months back)'), e.message);
    // the old code's window (last month) refused this start
    const hired = await hire('2023-12-01');
    assert.equal(hired.statusCode, 201, hired.body);
    const id = hired.json<{ employment: { id: number } }>().employment.id;
    const lateEnd = await post(`/api/v1/employments/${id}/end`, employer, {
      endDate: '2023-11-30',
      reason: 'voluntary',
    });
    assert.equal(lateEnd.statusCode, 400, lateEnd.body);
    assert.equal(lateEnd.json<ErrorBody>().error.field, 'endDate');
    assert.ok(lateEnd.body.includes('3个月前的1日'), lateEnd.body);
    const end = await post(`/api/v1/employments/${id}/end`, employer, {
      endDate: '2024-01-10',
      reason: 'voluntary',
    });
    assert.equal(end.statusCode, 200, end.body);
    // a start inside the window is the employer's own hire, not a back-entry for a reviewer
    const p = await person();
    const back = await post('/api/v1/employment-back-entries', clerk, {
      idNumber: p.idNumber,
      name: p.name,
      employerId: t.employerId,
      startDate: '2024-01-10',
      monthlyWageFen: 300000,
      reason: '劳动仲裁裁决确认劳动关系',
    });
    assert.equal(back.statusCode, 400, back.body);
    assert.equal(back.json<ErrorBody>().error.field, 'startDate');
    assert.ok(back.body.includes('2023-12-01'), back.body);
  });

  test('a treatment filing in the region is open 30 days ahead from 2024-03-01, the message naming the 30', async () => {
    fixToday('2024-03-15');
    const hospital = await new HospitalService(t.ctx.db).createHospital(systemActor('test'), {
      code: 'H34180099',
      name: '宣城市窗口测试医院',
      region: '341802',
    });
    const p = await person();
    const c = await makeInjuryCase(t.ctx.db, {
      person_id: p.id,
      employer_id: t.employerId,
      accident_date: '2024-03-02',
      reported_date: '2024-03-05',
    });
    const file = (validFrom: string) =>
      post(`/api/v1/injury/cases/${c.id}/filings`, clerk, {
        hospitalId: hospital.id,
        validFrom,
        reason: '转外地治疗',
      });
    const far = await file('2024-04-15');
    assert.equal(far.statusCode, 400, far.body);
    const e = far.json<ErrorBody>().error;
    assert.equal(e.field, 'validFrom');
    assert.ok(e.message.includes('30天') && e.message.includes('30 days ahead'), e.message);
    assert.equal((await file('2024-04-14')).statusCode, 201);
  });
});
