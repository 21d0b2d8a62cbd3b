// The demo's hospital job (src/demo/demo-hospital.job.ts) on a small demo-marked database: hospitals,
// the `hospital` login bound to its hospital, bills through the real check (one refused for another
// province, then accepted after the filing), last month settled, the ledger agreeing; a rerun adds nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { today } from '../core/clock.ts';
import { seedDemoHospitals } from '../demo/demo-hospital.job.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeEmployer, makeEmployment, makePerson } from '../testing/factories.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { SETTLEMENT_CHECKS } from './settlement.job.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp({ demo: true });
  const e = await makeEmployer(t.ctx.db, { region: '341800' });
  for (let i = 0; i < 3; i++) {
    const p = await makePerson(t.ctx.db, { birth_date: `198${i}-05-0${i + 1}` });
    await makeEmployment(t.ctx.db, { person_id: p.id, employer_id: e.id });
  }
});
after(() => t.close());

test('the demo job makes hospitals, the hospital login, checked bills and last month’s settlement; a rerun adds nothing', async () => {
  const r = await seedDemoHospitals(t.ctx, today());
  assert.equal(r.hospitals, 4);
  assert.equal(r.login, true);
  assert.equal(r.ownCases, 3);
  assert.equal(r.bills, 6);
  assert.ok(r.settledFen > 0);
  assert.equal(r.screened, 3);
  const statuses = await sql<{ bill_no: string; status: string; reason: string | null }>`
    SELECT bill_no, status, reason FROM hospital_bill ORDER BY id`.execute(t.ctx.db);
  const sh = statuses.rows.filter((x) => x.bill_no.startsWith('DEMO-SH-'));
  assert.deepEqual(
    sh.map((x) => [x.status, x.reason]),
    [
      ['refused', 'cross-province-not-filed'],
      ['accepted', null],
    ],
  );
  assert.ok(statuses.rows.some((x) => x.status === 'partly_accepted'));
  const again = await seedDemoHospitals(t.ctx, today());
  assert.equal(again.login, false);
  assert.equal(again.ownCases, 0);
  const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM hospital_bill`.execute(t.ctx.db);
  assert.equal(n.rows[0]?.n, 6);
  assert.equal((await verifyLedger(t.ctx.db, SETTLEMENT_CHECKS)).ok, true);
  // The hospital's staff log in and see their own hospital's bills only.
  const h = await t.login('hospital', 'test-pass-2021');
  const me = await t.app.inject({ method: 'GET', url: '/api/v1/hospital/me', headers: h.headers });
  assert.equal(me.json<{ name: string }>().name, '宣城市人民医院');
  const bills = await t.app.inject({ method: 'GET', url: '/api/v1/hospital/bills', headers: h.headers });
  assert.equal(bills.json<{ total: number }>().total, 4);
  const lines = await t.app.inject({
    method: 'GET',
    url: '/api/v1/hospital/settlements',
    headers: h.headers,
  });
  assert.ok(
    lines
      .json<{ items: Array<{ hospitalName: string }> }>()
      .items.every((x) => x.hospitalName === '宣城市人民医院'),
  );
  const runs = await t.app.inject({ method: 'GET', url: '/api/v1/injury/settlements', headers: h.headers });
  assert.equal(runs.statusCode, 403);
  // A hospital reads no case, not even one it billed (the bill's check is all it gets).
  const billed = await sql<{ case_id: number }>`SELECT case_id::int FROM hospital_bill LIMIT 1`.execute(
    t.ctx.db,
  );
  for (const url of [
    `/api/v1/injury/cases/${billed.rows[0]?.case_id ?? 0}`,
    '/api/v1/injury/cases',
    `/api/v1/injury/cases/${billed.rows[0]?.case_id ?? 0}/rehab`,
  ]) {
    const r = await t.app.inject({ method: 'GET', url, headers: h.headers });
    assert.equal(r.statusCode, 403, url);
  }
});
