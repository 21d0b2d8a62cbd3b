// Direct settlement with hospitals (issue #13 item 5) through the real app: a hospital's system with
// its API key submits bills that are checked against the case and the catalogue; replays are recorded
// once and paid once; another province needs a filing; the settlement run pays accepted bills into the
// work-injury fund's ledger and `ledger verify` agrees. Attack tests: another hospital's bills, cases
// without a bill, key guessing, a citizen on the hospital API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { makeEmployer, makePerson } from '../testing/factories.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';
import { HospitalService } from './hospital.service.ts';
import { runSettlement } from './settlement.job.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { SETTLEMENT_CHECKS } from './settlement.job.ts';
import { today } from '../core/clock.ts';
import { addDays, periodOf } from '../core/dates.ts';

interface Bill {
  id: number;
  status: string;
  reason: string | null;
  reasonZh: string | null;
  claimedFen: number;
  acceptedFen: number;
  settlementRunId: number | null;
  items: Array<{ lineNo: number; acceptedFen: number; reason: string | null; reasonZh: string | null }>;
}

const sys = systemActor('test');
const accident = addDays(today(), -40);
const d = (n: number) => addDays(accident, n);

describe('hospital-facing API and settlement', () => {
  let t: TestApp;
  let keyA = '';
  let keyB = '';
  let keyFar = '';
  let hospA = 0;
  let hospFar = 0;
  let recognised = { id: 0, idNumber: '' };
  let reported = { id: 0, idNumber: '' };

  async function makeCase(status: 'recognised' | 'reported', region = '341800') {
    const db = t.ctx.db;
    const p = await makePerson(db);
    const e = await makeEmployer(db);
    const r = await db
      .insertInto('injury_case')
      .values({
        person_id: p.id,
        employer_id: e.id,
        region_code: region,
        kind: 'injury',
        accident_date: accident,
        description: '搬运货物时摔伤左腿，胫骨骨折',
        status,
        reported_by: 'employer',
        reporter_kind: 'employer',
        reported_date: d(2),
        employer_insured: true,
        decided_date: status === 'recognised' ? d(20) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: r.id, idNumber: p.id_number };
  }

  const submit = (key: string, body: unknown, ip = '127.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/hospital-api/bills',
      headers: { authorization: `Bearer ${key}` },
      remoteAddress: ip,
      payload: body as object,
    });

  const bill = (c: { id: number; idNumber: string }, billNo: string, items?: unknown[]) => ({
    billNo,
    caseId: c.id,
    idNumber: c.idNumber,
    admissionDate: d(0),
    dischargeDate: d(10),
    items: items ?? [
      { code: 'T0202', serviceDate: d(0), quantity: 1, unitPriceFen: 30000 },
      { code: 'D0101', serviceDate: d(1), quantity: 12, unitPriceFen: 150 },
    ],
  });

  before(async () => {
    t = await makeTestApp();
    const a = await new HospitalService(t.ctx.db).createHospital(sys, {
      code: 'H34180001',
      name: '宣城市人民医院',
      region: '341802',
    });
    const b = await new HospitalService(t.ctx.db).createHospital(sys, {
      code: 'H34180002',
      name: '宣城市中医院',
      region: '341802',
    });
    const far = await new HospitalService(t.ctx.db).createHospital(sys, {
      code: 'H31010401',
      name: '上海市第六人民医院',
      region: '310104',
    });
    hospA = a.id;
    hospFar = far.id;
    keyA = (await new HospitalService(t.ctx.db).createApiKey(sys, a.id, 'HIS')).key;
    keyB = (await new HospitalService(t.ctx.db).createApiKey(sys, b.id, 'HIS')).key;
    keyFar = (await new HospitalService(t.ctx.db).createApiKey(sys, far.id, 'HIS')).key;
    recognised = await makeCase('recognised');
    reported = await makeCase('reported');
  });
  after(() => t.close());

  test('a bill for a recognised case with covered items is accepted in full: 1 × 300.00 + 12 × 1.50 = 318.00 yuan', async () => {
    const r = await submit(keyA, bill(recognised, 'A-0001'));
    assert.equal(r.statusCode, 201, r.body);
    const b = r.json<{ bill: Bill; replayed: boolean }>().bill;
    assert.equal(b.status, 'accepted');
    assert.equal(b.claimedFen, 31800);
    assert.equal(b.acceptedFen, 31800);
  });

  test('a bill for a case that is not recognised is refused, every item with the reason in words', async () => {
    const r = await submit(keyA, bill(reported, 'A-0002'));
    assert.equal(r.statusCode, 201, r.body);
    const b = r.json<{ bill: Bill }>().bill;
    assert.equal(b.status, 'refused');
    assert.equal(b.reason, 'case-not-recognised');
    assert.equal(b.acceptedFen, 0);
    // the status in words, not its code (it read 当前状态：reported)
    assert.match(b.reasonZh ?? '', /尚未认定为工伤（已报告，待受理）/);
    assert.doesNotMatch(b.reasonZh ?? '', /[a-z_]{4,}/);
    assert.ok(b.items.every((i) => i.acceptedFen === 0 && i.reason === 'case-not-recognised'));
  });

  test('an item not covered and an unknown code are refused; a price above the ceiling is capped; the rest is paid', async () => {
    const r = await submit(
      keyA,
      bill(recognised, 'A-0003', [
        { code: 'T0301', serviceDate: d(0), quantity: 1, unitPriceFen: 30000 }, // covered: 300.00
        { code: 'X0101', serviceDate: d(2), quantity: 1, unitPriceFen: 500000 }, // cosmetic: not covered
        { code: 'Z9999', serviceDate: d(2), quantity: 1, unitPriceFen: 1000 }, // not in the catalogue
        { code: 'S0101', serviceDate: d(3), quantity: 5, unitPriceFen: 8000 }, // ceiling 50.00/day → 250.00
        { code: 'D0102', serviceDate: addDays(accident, -1), quantity: 2, unitPriceFen: 50 }, // before the accident
      ]),
    );
    assert.equal(r.statusCode, 201, r.body);
    const b = r.json<{ bill: Bill }>().bill;
    assert.equal(b.status, 'partly_accepted');
    assert.deepEqual(
      b.items.map((i) => [i.reason, i.acceptedFen]),
      [
        [null, 30000],
        ['not-covered', 0],
        ['not-in-catalogue', 0],
        ['price-capped', 25000],
        ['before-accident', 0],
      ],
    );
    assert.match(b.items[1]?.reasonZh ?? '', /美容整形/);
    assert.match(b.items[3]?.reasonZh ?? '', /限价 ¥50\.00，/);
    // the hospital's own dates are not echoed back
    assert.equal(b.items[4]?.reasonZh, '服务日期早于事故日期');
    assert.equal(b.claimedFen, 30000 + 500000 + 1000 + 40000 + 100);
    assert.equal(b.acceptedFen, 55000);
  });

  test('a replayed submission is recorded once; the same bill number with other content is refused', async () => {
    const first = await submit(keyA, bill(recognised, 'A-0004'));
    assert.equal(first.statusCode, 201);
    const again = await submit(keyA, bill(recognised, 'A-0004'));
    assert.equal(again.statusCode, 200);
    const j = again.json<{ bill: Bill; replayed: boolean }>();
    assert.equal(j.replayed, true);
    assert.equal(j.bill.id, first.json<{ bill: Bill }>().bill.id);
    const changed = await submit(
      keyA,
      bill(recognised, 'A-0004', [{ code: 'T0101', serviceDate: d(0), quantity: 1, unitPriceFen: 2000 }]),
    );
    assert.equal(changed.statusCode, 409);
    assert.equal(changed.json<{ error: { code: string } }>().error.code, 'SB_ERR_HOSPITAL_BILL_CONFLICT');
    const n = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM hospital_bill WHERE bill_no = 'A-0004'`.execute(t.ctx.db);
    assert.equal(n.rows[0]?.n, 1);
    // Two submissions of one new bill at once: one row.
    const both = await Promise.all([
      submit(keyA, bill(recognised, 'A-0005')),
      submit(keyA, bill(recognised, 'A-0005')),
    ]);
    assert.deepEqual(both.map((x) => x.statusCode).sort(), [200, 201]);
  });

  test('a hospital in another province is refused without a filing (备案) and accepted after the worker files', async () => {
    const refused = await submit(keyFar, bill(recognised, 'F-0001'));
    assert.equal(refused.statusCode, 201, refused.body);
    assert.equal(refused.json<{ bill: Bill }>().bill.reason, 'cross-province-not-filed');
    assert.equal(refused.json<{ bill: Bill }>().bill.acceptedFen, 0);
    // The worker files for their own case.
    const worker = await t.ctx.db
      .selectFrom('injury_case')
      .select('person_id')
      .where('id', '=', recognised.id)
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .updateTable('app_user')
      .set({ person_id: worker.person_id })
      .where('username', '=', 'citizen')
      .execute();
    const citizen = await t.login('citizen');
    const filed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/injury/cases/${recognised.id}/filings`,
      headers: citizen.headers,
      payload: { hospitalId: hospFar, validFrom: d(0), reason: '转诊上海治疗骨折' },
    });
    assert.equal(filed.statusCode, 201, filed.body);
    assert.equal(filed.json<{ crossProvince: boolean }>().crossProvince, true);
    // A citizen cannot file for someone else's case.
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/v1/injury/cases/${reported.id}/filings`,
      headers: citizen.headers,
      payload: { hospitalId: hospFar, validFrom: d(0), reason: 'x' },
    });
    assert.equal(other.statusCode, 404);
    const ok = await submit(keyFar, bill(recognised, 'F-0002'));
    assert.equal(ok.json<{ bill: Bill }>().bill.status, 'accepted');
  });

  test('a case number that does not match the ID number answers one error, whether or not the case exists', async () => {
    const wrong = await submit(keyA, { ...bill(recognised, 'A-0090'), idNumber: reported.idNumber });
    const none = await submit(keyA, { ...bill(recognised, 'A-0091'), caseId: 999999 });
    for (const r of [wrong, none]) {
      assert.equal(r.statusCode, 422);
      assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_HOSPITAL_CASE_MISMATCH');
    }
  });

  test('a bill dated after the server’s today (admission, discharge or an item) is refused and not stored', async () => {
    const tomorrow = addDays(today(), 1);
    const cases: [string, object][] = [
      ['admissionDate', { ...bill(recognised, 'A-0095'), admissionDate: tomorrow, dischargeDate: tomorrow }],
      ['dischargeDate', { ...bill(recognised, 'A-0096'), dischargeDate: tomorrow }],
      [
        'items[1].serviceDate',
        bill(recognised, 'A-0097', [
          { code: 'T0202', serviceDate: d(0), quantity: 1, unitPriceFen: 30000 },
          { code: 'D0101', serviceDate: tomorrow, quantity: 1, unitPriceFen: 150 },
        ]),
      ],
    ];
    for (const [field, body] of cases) {
      const r = await submit(keyA, body);
      assert.equal(r.statusCode, 400, `${field}: ${r.body}`);
      assert.equal(r.json<{ error: { field?: string } }>().error.field, field);
    }
    const stored = await sql<{ n: string }>`
      SELECT count(*) AS n FROM hospital_bill WHERE bill_no IN ('A-0095', 'A-0096', 'A-0097')`.execute(
      t.ctx.db,
    );
    assert.equal(Number(stored.rows[0]?.n), 0);
  });

  test('a hospital cannot see another hospital’s bills', async () => {
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital-api/bills',
      headers: { authorization: `Bearer ${keyB}` },
    });
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.json<{ total: number }>().total, 0);
    const ids = await sql<{
      id: number;
    }>`SELECT id::int FROM hospital_bill WHERE hospital_id = ${hospA}`.execute(t.ctx.db);
    for (const { id } of ids.rows) {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/v1/hospital-api/bills/${id}`,
        headers: { 'x-hospital-key': keyB },
      });
      assert.equal(r.statusCode, 404);
    }
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/v1/hospital-api/bills/${ids.rows[0]?.id ?? 0}`,
      headers: { 'x-hospital-key': keyA },
    });
    assert.equal(own.statusCode, 200);
    // a clerk of another district hears of a bill and a case's filings what of ones that do not exist
    const far = await loginAsNew(t, 'farclerk', { role: 'clerk', region: '340100' });
    for (const url of [
      `/api/v1/hospital/bills/${ids.rows[0]?.id ?? 0}`,
      `/api/v1/injury/cases/${recognised.id}/filings`,
    ]) {
      const ask = (u: string) =>
        t.app.inject({ method: 'GET', url: u, headers: { cookie: far.cookieHeader } });
      const real = await ask(url);
      const none = await ask(url.replace(/\/\d+(\/filings)?$/, '/999999$1'));
      assert.equal(real.statusCode, 404, `${url}: ${real.body}`);
      assert.equal(real.body, none.body, url);
    }
  });

  test('a citizen’s session and no key are refused by the hospital API and its staff routes', async () => {
    const citizen = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login?bearer=true',
      payload: { username: 'citizen', password: t.password },
    });
    const token = citizen.json<{ token: string }>().token;
    const r = await submit(token, bill(recognised, 'C-0001'), '127.0.0.7');
    assert.equal(r.statusCode, 401);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_HOSPITAL_KEY_INVALID');
    const none = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital-api/bills',
      remoteAddress: '127.0.0.7',
    });
    assert.equal(none.statusCode, 401);
    // …nor the web routes for hospital staff.
    const web = await t.app.inject({
      method: 'POST',
      url: '/api/v1/hospital/bills',
      headers: { authorization: `Bearer ${token}` },
      payload: bill(recognised, 'C-0002'),
    });
    assert.equal(web.statusCode, 403);
  });

  test('guessing keys is limited: after 20 failures the address is refused even with a good key', async () => {
    const ip = '127.0.0.99';
    for (let i = 0; i < 20; i++) {
      const r = await t.app.inject({
        method: 'GET',
        url: '/api/v1/hospital-api/bills',
        headers: { authorization: `Bearer sbh_0000000000_${'A'.repeat(42)}${i % 10}` },
        remoteAddress: ip,
      });
      assert.equal(r.statusCode, 401);
      assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_HOSPITAL_KEY_INVALID');
    }
    const good = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital-api/bills',
      headers: { authorization: `Bearer ${keyA}` },
      remoteAddress: ip,
    });
    assert.equal(good.statusCode, 429);
    assert.equal(good.json<{ error: { code: string } }>().error.code, 'SB_ERR_TOO_MANY_ATTEMPTS');
    // Another address with the good key still works.
    const other = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital-api/bills',
      headers: { authorization: `Bearer ${keyA}` },
      remoteAddress: '127.0.0.98',
    });
    assert.equal(other.statusCode, 200);
  });

  test('a rotated key stops at once and the new one works; only hashes are stored', async () => {
    const k = await new HospitalService(t.ctx.db).createApiKey(sys, hospA, 'rotation test');
    const rot = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital-api/bills',
      headers: { 'x-hospital-key': k.key },
    });
    assert.equal(rot.statusCode, 200);
    const fresh = await new HospitalService(t.ctx.db).rotateApiKey(sys, k.id);
    const old = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital-api/bills',
      headers: { 'x-hospital-key': k.key },
      remoteAddress: '127.0.0.50',
    });
    assert.equal(old.statusCode, 401);
    const neu = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital-api/bills',
      headers: { 'x-hospital-key': fresh.key },
    });
    assert.equal(neu.statusCode, 200);
    const stored = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM hospital_api_key WHERE key_hash = ${fresh.key} OR prefix = ${fresh.key}`.execute(
      t.ctx.db,
    );
    assert.equal(stored.rows[0]?.n, 0);
  });

  test('the settlement run pays accepted bills once, posts to the injury fund, and is idempotent', async () => {
    const period = periodOf(today());
    const due = await sql<{ fen: number; n: number }>`
      SELECT coalesce(sum(accepted_fen), 0)::int AS fen, count(*)::int AS n FROM hospital_bill WHERE accepted_fen > 0`.execute(
      t.ctx.db,
    );
    const clerk = await t.login('clerk');
    const run = await t.app.inject({
      method: 'POST',
      url: '/api/v1/injury/settlements',
      headers: clerk.headers,
      payload: { period },
    });
    assert.equal(run.statusCode, 200, run.body);
    const s = run.json<{ status: string; bills: number; totalFen: number; hospitals: number }>();
    assert.equal(s.status, 'done');
    assert.equal(s.totalFen, due.rows[0]?.fen);
    assert.equal(s.bills, due.rows[0]?.n);
    assert.equal(s.hospitals, 2);
    // The runs list names who started a run as staff read it: the display name, not the login.
    const runs = await t.app.inject({
      method: 'GET',
      url: '/api/v1/injury/settlements',
      headers: clerk.headers,
    });
    const started = runs.json<{ items: Array<{ startedBy: string; startedByName: string | null }> }>()
      .items[0];
    const name = await sql<{ display_name: string }>`
      SELECT display_name FROM app_user WHERE username = ${started?.startedBy ?? ''}`.execute(t.ctx.db);
    assert.ok(name.rows[0]?.display_name, 'the run was started by a known user');
    assert.equal(started?.startedByName, name.rows[0]?.display_name);
    // Again: nothing more is paid; a replayed bill submitted after the run is still the one paid bill.
    const again = await runSettlement(t.ctx.db, sys, { period });
    assert.equal(again.totalFen, s.totalFen);
    const replay = await submit(keyA, bill(recognised, 'A-0004'));
    assert.equal(replay.json<{ bill: Bill }>().bill.settlementRunId !== null, true);
    const posted = await sql<{ fen: number }>`
      SELECT coalesce(sum(l.debit_fen), 0)::int AS fen FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
      WHERE e.kind = 'injury_hospital_settlement' AND e.fund = 'injury'`.execute(t.ctx.db);
    assert.equal(posted.rows[0]?.fen, s.totalFen);
    const v = await verifyLedger(t.ctx.db, SETTLEMENT_CHECKS);
    assert.equal(v.ok, true, JSON.stringify(v.subLedgers));
    // The hospital sees what it was paid; a hospital cannot run settlements or read the runs.
    const lines = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital/settlements',
      headers: clerk.headers,
    });
    assert.equal(lines.json<{ items: unknown[] }>().items.length, 2);
    // a clerk of another district reads none of them (the region is in the query, before its limit)
    const far = await loginAsNew(t, 'farsettle', { role: 'clerk', region: '340100' });
    const farLines = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital/settlements',
      headers: far.headers,
    });
    assert.equal(farLines.statusCode, 200);
    assert.deepEqual(farLines.json<{ items: unknown[] }>().items, []);
  });

  test('a crash inside a chunk leaves nothing of it; the rerun resumes and pays each bill once', async () => {
    const db = t.ctx.db;
    const prev = periodOf(addDays(`${periodOf(today())}-01`, -1));
    // Bills of three hospitals submitted in the previous period, unsettled.
    const c = await new HospitalService(db).createHospital(sys, {
      code: 'H34180003',
      name: '宣城市第三医院',
      region: '341802',
    });
    const kc = (await new HospitalService(db).createApiKey(sys, c.id, 'HIS')).key;
    for (const [key, no] of [
      [keyA, 'P-1'],
      [keyB, 'P-2'],
      [kc, 'P-3'],
    ] as const) {
      const r = await submit(key, bill(recognised, no));
      assert.equal(r.statusCode, 201);
    }
    await sql`UPDATE hospital_bill SET submitted_on = ${`${prev}-28`} WHERE bill_no LIKE 'P-%'`.execute(db);
    await assert.rejects(
      runSettlement(db, sys, {
        period: prev,
        chunkSize: 1,
        hooks: {
          insideChunk: (n) => {
            if (n === 2) throw new Error('crash in chunk 2');
          },
        },
      }),
      /crash in chunk 2/,
    );
    const mid = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM hospital_bill WHERE bill_no LIKE 'P-%' AND settlement_run_id IS NOT NULL`.execute(
      db,
    );
    assert.equal(mid.rows[0]?.n, 1);
    const done = await runSettlement(db, sys, { period: prev, chunkSize: 1 });
    assert.equal(done.status, 'done');
    assert.equal(done.chunksDone, 3);
    assert.equal(done.bills, 3);
    assert.equal(done.totalFen, 3 * 31800);
    const v = await verifyLedger(db, SETTLEMENT_CHECKS);
    assert.equal(v.ok, true);
  });

  test('1,001 newer lines of another province do not push a district clerk’s lines out of the 1,000-line list', async () => {
    const db = t.ctx.db;
    const clerk = await t.login('clerk');
    const read = async () =>
      (
        await t.app.inject({ method: 'GET', url: '/api/v1/hospital/settlements', headers: clerk.headers })
      ).json<{ items: Array<{ region: string }> }>().items;
    const own = await read();
    assert.ok(own.length > 0, 'the clerk has settled lines from the runs above');
    // A run of a later period (listed first) paying one hospital in 1,001 regions of another province,
    // built in one statement; removed afterwards so the ledger check of this file still balances.
    const run = await sql<{ id: number }>`
      INSERT INTO hospital_settlement_run (period, cutoff, status, chunk_bounds, chunks_total, started_by)
      VALUES ('2999-12', '2999-12-31', 'done', '[]', 0, 'test') RETURNING id::int AS id`.execute(db);
    const runId = run.rows[0]?.id ?? 0;
    try {
      await sql`
        INSERT INTO hospital_settlement (run_id, chunk_no, hospital_id, region, bills, amount_fen, journal_entry_id)
        SELECT ${runId}, 1, ${hospA}, '35' || lpad(g::text, 4, '0'), 1, 100, (SELECT min(id) FROM journal_entry)
        FROM generate_series(1, 1001) g`.execute(db);
      assert.deepEqual(await read(), own);
    } finally {
      await sql`DELETE FROM hospital_settlement WHERE run_id = ${runId}`.execute(db);
      await sql`DELETE FROM hospital_settlement_run WHERE id = ${runId}`.execute(db);
    }
  });
});
