// Issue 10, item 5, through the real app: a staff search by ID number takes the whole number (by
// checksum) or the last four characters with the whole name — a beginning of a number is refused, so
// a full number cannot be rebuilt from prefixes; and every staff search that returns people, and every
// staff read of a person's employments, enrolments, bills, certification or personal pension, is
// audited and shows in that person's own access log ("who looked at my data").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { drainAuditQueue } from '../audit/audit.repository.ts';
import { fixToday } from '../core/clock.ts';
import { idNumberOf } from '../testing/factories.ts';
import { makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';

interface Paged {
  items: Array<{ id: number; idNumber: string }>;
  total: number;
}
interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

describe('item 5: searches by ID number and audited staff reads', () => {
  let t: TestApp;
  let clerk: LoginResult;
  let citizen: LoginResult;
  let idNumber: string;
  const name = '张三';

  const get = (url: string, who: LoginResult) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: who.cookieHeader } });
  const accessLog = async (): Promise<string[]> =>
    (await get(`/api/v1/persons/${t.personId}/access-log?pageSize=100`, citizen))
      .json<{ items: Array<{ action: string }> }>()
      .items.map((i) => i.action);
  // Drained first: a read that finds the audit writer busy (its 1 s tick) answers before its entry is
  // chained, as the access log itself drains before it reads (src/audit/audit-queue.ts).
  const auditsFor = async (action: string) => {
    await drainAuditQueue(t.ctx.db);
    return t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .where('subject_person_id', '=', t.personId)
      .execute();
  };

  before(async () => {
    fixToday('2024-03-15');
    t = await makeTestApp();
    clerk = await t.login('clerk');
    citizen = await t.login('citizen');
    idNumber = await idNumberOf(t.ctx.db, t.personId);
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('beginnings of a number are refused with a clear 400, however long', async () => {
    for (const prefix of [
      idNumber.slice(0, 4),
      idNumber.slice(0, 6),
      idNumber.slice(0, 10),
      idNumber.slice(0, 17),
    ]) {
      const r = await get(`/api/v1/persons?idNumber=${prefix}`, clerk);
      assert.equal(r.statusCode, 400, `${prefix}: ${r.body}`);
      const e = r.json<ErrorBody>().error;
      assert.equal(e.code, 'SB_ERR_PARTIAL_ID_NUMBER');
      assert.equal(e.field, 'idNumber');
      assert.match(e.message, /完整号码/);
      assert.match(e.message, /whole number/);
    }
    // A whole number with a wrong check character is not a whole number.
    const wrong = `${idNumber.slice(0, 17)}${idNumber.endsWith('0') ? '1' : '0'}`;
    assert.equal((await get(`/api/v1/persons?idNumber=${wrong}`, clerk)).statusCode, 400);
    // The last four alone (or with only part of the name) do not search.
    assert.equal((await get(`/api/v1/persons?idNumber=${idNumber.slice(-4)}`, clerk)).statusCode, 400);
  });

  test('the whole number, or the last four with the whole name, finds the person', async () => {
    const whole = (await get(`/api/v1/persons?idNumber=${idNumber}`, clerk)).json<Paged>();
    assert.equal(whole.total, 1);
    assert.equal(whole.items[0]?.id, t.personId);
    const last4 = await get(
      `/api/v1/persons?idNumber=${idNumber.slice(-4)}&name=${encodeURIComponent(name)}`,
      clerk,
    );
    assert.equal(last4.statusCode, 200, last4.body);
    assert.deepEqual(
      last4.json<Paged>().items.map((i) => i.id),
      [t.personId],
    );
    const partName = await get(
      `/api/v1/persons?idNumber=${idNumber.slice(-4)}&name=${encodeURIComponent('张')}`,
      clerk,
    );
    assert.equal(partName.json<Paged>().total, 0, 'the last four go with the whole name only');
    assert.ok(!last4.body.includes(idNumber), 'answers stay masked');
  });

  test('every staff search that returns a person is audited and shows in the person\u2019s access log', async () => {
    const before = (await auditsFor('person.search')).length;
    const r = await get(`/api/v1/persons?name=${encodeURIComponent(name)}`, clerk);
    assert.equal(r.statusCode, 200);
    const rows = await auditsFor('person.search');
    assert.equal(rows.length, before + 1);
    const last = rows.at(-1)!;
    assert.equal(last.actor_username, 'clerk');
    assert.equal(last.entity_id, String(t.personId));
    assert.ok(!JSON.stringify(last.after).includes(idNumber), 'the filter is kept masked');
    // The unfiltered list of the region (masked) still answers, and is audited per person listed.
    const list = await get('/api/v1/persons?pageSize=5', clerk);
    assert.equal(list.statusCode, 200);
    assert.ok((await accessLog()).includes('person.search'));
  });

  test('staff reads of employments, enrolments, bills, certification and personal pension are audited and in the access log', async () => {
    const reads: Array<[string, string]> = [
      [`/api/v1/persons/${t.personId}/employments`, 'employment.read'],
      [`/api/v1/persons/${t.personId}/enrolments`, 'enrolment.read'],
      [`/api/v1/bills?personId=${t.personId}`, 'bill.read'],
      [`/api/v1/persons/${t.personId}/certification`, 'certification.read'],
      [`/api/v1/persons/${t.personId}/personal-pension`, 'personal-pension.read'],
    ];
    for (const [url, action] of reads) {
      const before = (await auditsFor(action)).length;
      const r = await get(url, clerk);
      assert.ok(r.statusCode === 200 || r.statusCode === 404, `${url}: ${r.statusCode} ${r.body}`);
      const rows = await auditsFor(action);
      assert.equal(rows.length, before + 1, `${action} audited`);
      assert.equal(rows.at(-1)?.actor_username, 'clerk');
    }
    const log = await accessLog();
    for (const [, action] of reads)
      assert.ok(log.includes(action), `${action} in the access log: ${log.join(', ')}`);
    // The person reading their own data is not "someone who looked".
    const own = (await auditsFor('employment.read')).length;
    assert.equal((await get(`/api/v1/persons/${t.personId}/employments`, citizen)).statusCode, 200);
    assert.equal((await auditsFor('employment.read')).length, own);
  });
});
