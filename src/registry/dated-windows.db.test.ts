// The agency's operational windows are dated, regional parameters the server reads for the day in
// question, and the pages read them from the server: a test region given 3 months from 2024-03-01 (30
// days ahead for a treatment filing, 10 for a home visit's booking and 20 for its arrangement) moves the
// 400s, their words and the pages' windows; before that day the national values hold. One app; the
// parameters are a copy with the region's entries added, read through SHEBAO_PARAMS_DIR before the app
// loads them.
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
import { makeUsers } from '../testing/users.ts';

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
appendFileSync(join(dir, 'hall', 'home-visit-booking-days-ahead.yaml'), regional(10));
appendFileSync(join(dir, 'hall', 'home-visit-assign-days-ahead.yaml'), regional(20));
process.env['SHEBAO_PARAMS_DIR'] = dir;

describe('the agency\u2019s windows read from dated parameters, by the server and the pages alike', () => {
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

  describe('the home visit\u2019s windows: the booking page and the clerk\u2019s picker read what the server takes', () => {
    let citizen: LoginResult;
    interface Window {
      earliest: string;
      latest: string;
      daysAhead: number;
      days?: string[];
      words: { zh: string; en: string };
    }
    const read = (url: string, who?: LoginResult) =>
      t.app.inject({ method: 'GET', url, ...(who ? { headers: who.headers } : {}) });
    const bookingWindow = async () => {
      const r = await read('/api/v1/home-visits/booking-window', citizen);
      assert.equal(r.statusCode, 200, r.body);
      return r.json<Window>();
    };
    const book = (preferredDate: string) =>
      post('/api/v1/home-visits', citizen, {
        group: 'disabled',
        serviceWanted: '社保卡补办',
        address: '宣城市宣州区鳌峰街道 2 号',
        contactPhone: '13900002222',
        preferredDate,
        preferredSlot: 'pm',
      });

    before(async () => {
      const stranger = await makePerson(t.ctx.db, {
        id_number: makeIdNumber('341802', '1970-01-01', 801),
        name: '窗口陌生人',
        sex: 'M',
        birth_date: '1970-01-01',
      });
      await makeUsers(t.ctx.db, {
        stranger: { displayName: '窗口陌生人', personId: stranger.id },
        farclerk: { displayName: 'far clerk', role: 'clerk', region: '110000' },
      });
      citizen = await t.login('citizen');
    });

    test('before 2024-03-01 the national 30 days: Wednesday 2024-02-21 to 2024-03-21, weekends left out', async () => {
      fixToday('2024-02-20');
      const w = await bookingWindow();
      assert.deepEqual([w.earliest, w.latest, w.daysAhead], ['2024-02-21', '2024-03-21', 30]);
      assert.equal(w.days?.length, 22, w.days?.join());
      assert.ok(!w.days?.includes('2024-02-24'), 'a Saturday is not offered');
    });

    test('from 2024-03-01 the region\u2019s 10 days: the page offers 03-18…03-25, the booking refuses 03-26 in those words', async () => {
      fixToday('2024-03-15');
      const w = await bookingWindow();
      assert.deepEqual(w, {
        earliest: '2024-03-16',
        latest: '2024-03-25',
        daysAhead: 10,
        days: ['2024-03-18', '2024-03-19', '2024-03-20', '2024-03-21', '2024-03-22', '2024-03-25'],
        words: {
          zh: '2024年3月16日至2024年3月25日之间的工作日（明天起10天内）',
          en: 'a working day from 16 Mar 2024 to 25 Mar 2024 (tomorrow to 10 days ahead)',
        },
      });
      // the old code's 30 days took it
      const late = await book('2024-03-26');
      assert.equal(late.statusCode, 400, late.body);
      const e = late.json<ErrorBody>().error;
      assert.deepEqual([e.code, e.field], ['SB_ERR_INVALID_DATE', 'preferredDate']);
      assert.ok(e.message.includes('请选择2024年3月16日至2024年3月25日之间的工作日'), e.message);
      assert.ok(e.message.includes('choose a working day from 16 Mar 2024 to 25 Mar 2024'), e.message);
      assert.equal((await book('2024-03-23')).statusCode, 400, 'a Saturday inside the span');
      assert.equal((await book('2024-03-25')).statusCode, 201);
    });

    test('the clerk\u2019s 20 days: the appointment\u2019s read carries them, the assignment refuses the 21st day in words', async () => {
      fixToday('2024-03-15');
      const list = await read('/api/v1/home-visits', citizen);
      const visit = list.json<{ items: Array<{ id: number; version: number }> }>().items[0];
      assert.ok(visit, list.body);
      const url = `/api/v1/home-visits/${visit.id}`;
      const shown = await read(url, clerk);
      assert.equal(shown.statusCode, 200, shown.body);
      assert.deepEqual(shown.json<{ assignWindow?: Window }>().assignWindow, {
        earliest: '2024-03-15',
        latest: '2024-04-04',
        daysAhead: 20,
        words: {
          zh: '2024年3月15日至2024年4月4日（今天起20天内）',
          en: '15 Mar 2024 to 4 Apr 2024 (today to 20 days ahead)',
        },
      });
      // the booker reads the appointment, not the clerks' window
      assert.equal((await read(url, citizen)).json<{ assignWindow?: Window }>().assignWindow, undefined);
      const assign = (visitDate: string) =>
        post(`${url}/assign`, clerk, { assignee: 'clerk', visitDate, version: visit.version });
      // the old code's 60 days took it
      const far = await assign('2024-04-05');
      assert.equal(far.statusCode, 400, far.body);
      const e = far.json<ErrorBody>().error;
      assert.equal(e.field, 'visitDate');
      assert.ok(e.message.includes('上门日期应在2024年3月15日至2024年4月4日（今天起20天内）'), e.message);
      assert.ok(e.message.includes('from 15 Mar 2024 to 4 Apr 2024'), e.message);
      assert.equal((await assign('2024-04-04')).statusCode, 200);
    });

    test('attacked: the booking window is the citizen\u2019s own; the clerks\u2019 window only in the region\u2019s read', async () => {
      fixToday('2024-03-15');
      assert.equal((await read('/api/v1/home-visits/booking-window')).statusCode, 401);
      for (const role of ['employer', 'clerk', 'reviewer', 'supervisor'])
        assert.equal(
          (await read('/api/v1/home-visits/booking-window', await t.login(role))).statusCode,
          403,
          role,
        );
      const visit = (await read('/api/v1/home-visits', citizen)).json<{ items: Array<{ id: number }> }>()
        .items[0];
      assert.ok(visit);
      for (const who of ['stranger', 'farclerk']) {
        const r = await read(`/api/v1/home-visits/${visit.id}`, await t.login(who));
        assert.equal(r.statusCode, 404, `${who}: ${r.body}`);
        assert.ok(!r.body.includes('2024'), r.body);
      }
    });
  });
});
