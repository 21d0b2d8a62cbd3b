// Scheme bridging (人社部发〔2014〕17号; domain-2.md §1.7, the worked examples of §7.4) as a case:
// within a province, between its two funds; across provinces, through the federation's messages
// carried by hand through the consumer's take-in path (as transfer.db.test.ts does).
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { hashPassword } from '../auth/password.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { buildServer } from '../server.ts';
import { makeBillLine, makeEmployer, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { setFederationSecret, type Handler } from './fed.messaging.ts';
import { carryAll } from '../testing/federation-carrier.ts';
import { federationRoutes } from './federation.routes.ts';
import { transferTotals } from './transfer.repository.ts';
import { TransferService } from './transfer.service.ts';

const A = '340000';
const B = '320000';
let dbA: TestDb;
let dbB: TestDb;
let handlers: Record<string, Record<string, Handler>> = {};
const clerk = (region: string): Actor => ({
  userId: null,
  username: `clerk-${region}`,
  role: 'clerk',
  personId: null,
  employerId: null,
  region,
});
const clerkA = clerk('341800');
const dbOf = (node: string): Db => (node === A ? dbA : dbB).ctx.db;
const svcA = () => new TransferService(dbA.ctx.db, A, [A, B], dbA.ctx.params);

const pump = (redeliver = false): Promise<string[]> =>
  carryAll({ dbOf, handlers: () => handlers }, [A, B], redeliver);

/** Months paid as an employee from `from` on, the account credits summing exactly to `accountFen`. */
async function employeeMonths(db: Db, personId: number, from: string, months: number, accountFen: number) {
  const emp = await makeEmployer(db, { region: '341800' });
  const each = Math.floor(accountFen / months);
  const last = accountFen - each * (months - 1);
  // One paid bill a month, in one statement.
  await sql`WITH m AS (
      SELECT to_char(to_date(${from}, 'YYYY-MM') + make_interval(months => g), 'YYYY-MM') AS p,
             CASE WHEN g = ${months - 1} THEN ${last}::bigint ELSE ${each}::bigint END AS c
      FROM generate_series(0, ${months - 1}) g),
    b AS (INSERT INTO contribution_bill (region, period, payer_kind, employer_id, person_id, due_date, lines,
        pension_employer_fen, pension_employee_fen, personal_account_fen, total_fen, status, paid_date)
      SELECT '341800', p, 'employer', ${emp.id}, NULL, (p || '-15')::date, 1, 80000, c, c, 80000 + c, 'paid', (p || '-10')::date FROM m
      RETURNING id, period, personal_account_fen)
    INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen,
      personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
    SELECT id, ${personId}, period, 500000, 80000, personal_account_fen, personal_account_fen, 0, 0, 0, 0 FROM b`.execute(
    db,
  );
}

/** A resident year: the person's part (with any collective subsidy) and the government subsidy. */
async function residentYear(db: Db, personId: number, year: number, personalFen: number, subsidyFen = 0) {
  const { billId } = await makeBillLine(db, {
    personId,
    payerKind: 'resident',
    period: `${year}-01`,
    baseFen: personalFen,
    pensionEmployeeFen: personalFen,
    personalAccountFen: personalFen + subsidyFen,
  });
  await sql`UPDATE contribution_bill SET subsidy_fen = ${subsidyFen}, total_fen = ${personalFen} WHERE id = ${billId}`.execute(
    db,
  );
}

async function journal(db: Db, ref: string) {
  const r = await sql<{ fund: string; kind: string; amount: unknown }>`
    SELECT e.fund, e.kind, sum(l.debit_fen)::bigint AS amount FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
    WHERE e.idempotency_key LIKE ${`fed-bridging-%:${ref}%`} GROUP BY e.fund, e.kind ORDER BY e.fund, e.kind`.execute(
    db,
  );
  return r.rows.map((x) => `${x.fund} ${x.kind} ${int(x.amount)}`);
}

async function hallEvents(db: Db, id: number) {
  const r = await sql<{ payload: { service: string; status: string } }>`
    SELECT payload FROM outbox WHERE topic = 'case.status' AND payload->>'ref' = ${`fed_transfer:${id}`} ORDER BY id`.execute(
    db,
  );
  return r.rows.map((x) => `${x.payload.service}:${x.payload.status}`);
}

before(async () => {
  setFederationSecret('test-federation-secret-0123456789abcdef');
  [dbA, dbB] = await Promise.all([openTestDb(), openTestDb()]);
  handlers = {
    [A]: TransferService.handlers(A, dbA.ctx.params),
    [B]: TransferService.handlers(B, dbB.ctx.params),
  };
});

after(async () => {
  await dbA?.close();
  await dbB?.close();
});

let born = 0;
/** A person past the employee pension age (born 1958, a different day each). */
const retired = (db: Db, sex: 'M' | 'F' = 'M') =>
  makePerson(db, { region: '341800', birth_date: `1958-0${1 + (born % 9)}-${10 + (born++ % 18)}`, sex });

test('CB-01 within a province: 144 employee months (< 180) → the employee account 40,000.00 joins the resident 12,000.00 = 52,000.00; 96 + 144 = 240 resident months; posted out of one fund into the other', async () => {
  const p = await retired(dbA.ctx.db);
  await employeeMonths(dbA.ctx.db, p.id, '2003-01', 144, 4000000);
  for (let y = 2015; y < 2023; y++) await residentYear(dbA.ctx.db, p.id, y, 150000);
  const r = await svcA().apply(clerkA, { idNumber: p.id_number, kind: 'scheme-bridging' });
  assert.equal(r.status, 'completed');
  const t = await svcA().get(clerkA, r.id);
  assert.equal(t.kind, 'scheme-bridging');
  assert.equal(t.status, 'completed');
  assert.deepEqual(
    [t.bridging?.direction, t.bridging?.residentMonths, t.bridging?.residentAccountFen, t.bridging?.movedFen],
    ['employee→resident', 240, 5200000, 4000000],
  );
  assert.deepEqual([t.bridging?.fromFund, t.bridging?.toFund], ['employee_pension', 'resident_pension']);
  assert.deepEqual(
    t.steps.map((s) => s.step),
    ['applied', 'decided', 'funds-sent', 'credited', 'completed'],
  );
  assert.ok(t.steps.find((s) => s.step === 'decided')?.dueBy, 'the decision has its 15-working-day limit');
  assert.deepEqual(await journal(dbA.ctx.db, t.ref), [
    'employee_pension transfer-out 4000000',
    'resident_pension transfer-in 4000000',
  ]);
  assert.deepEqual(await hallEvents(dbA.ctx.db, r.id), [
    'scheme-bridging:submitted',
    'scheme-bridging:completed',
  ]);
  const audit = await sql<{ action: string }>`
    SELECT action FROM audit_log WHERE entity_type = 'fed_transfer' AND entity_id = ${String(r.id)} ORDER BY id`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(
    audit.rows.map((a) => a.action),
    ['transfer.apply', 'transfer.credit'],
  );
  // Once only: a second application is refused.
  await assert.rejects(
    svcA().apply(clerkA, { idNumber: p.id_number, kind: 'scheme-bridging' }),
    /SB_ERR_CONFLICT|已有制度衔接/,
  );
});

test('CB-02 within a province: 180 employee months (= 15 years) → the resident 9,000.00 joins the employee 60,000.00 = 69,000.00; resident years not converted', async () => {
  const p = await retired(dbA.ctx.db);
  await employeeMonths(dbA.ctx.db, p.id, '2000-01', 180, 6000000);
  for (let y = 2015; y < 2021; y++) await residentYear(dbA.ctx.db, p.id, y, 150000);
  const r = await svcA().apply(clerkA, { idNumber: p.id_number, kind: 'scheme-bridging' });
  const t = await svcA().get(clerkA, r.id);
  assert.deepEqual(
    [
      t.bridging?.direction,
      t.bridging?.employeeMonths,
      t.bridging?.employeeAccountFen,
      t.bridging?.residentMonths,
    ],
    ['resident→employee', 180, 6900000, 0],
  );
  assert.deepEqual(await journal(dbA.ctx.db, t.ref), [
    'employee_pension transfer-in 900000',
    'resident_pension transfer-out 900000',
  ]);
});

test('CB-03 a year paid in both: 1,000.00 personal + 200.00 collective refunded, the 60.00 subsidy stays, the months count as employee months', async () => {
  const p = await retired(dbA.ctx.db);
  await employeeMonths(dbA.ctx.db, p.id, '2003-01', 200, 5000000); // 2003-01 … 2019-08, 2015 included
  for (const y of [1999, 2000, 2001, 2002]) await residentYear(dbA.ctx.db, p.id, y, 143500);
  await residentYear(dbA.ctx.db, p.id, 2015, 120000, 6000); // the year paid in both
  const r = await svcA().apply(clerkA, { idNumber: p.id_number, kind: 'scheme-bridging' });
  const t = await svcA().get(clerkA, r.id);
  assert.deepEqual(
    [
      t.bridging?.direction,
      t.bridging?.overlapMonths,
      t.bridging?.refundFen,
      t.bridging?.subsidyStaysFen,
      t.bridging?.employeeAccountFen,
    ],
    ['resident→employee', 12, 120000, 6000, 5580000],
  );
  assert.deepEqual(await journal(dbA.ctx.db, t.ref), [
    'employee_pension transfer-in 580000',
    'resident_pension refund 120000',
    'resident_pension transfer-out 580000',
  ]);
  const v = await verifyLedger(dbA.ctx.db);
  assert.equal(v.unbalancedEntries.length, 0);
  assert.equal(v.equationDifferences.length, 0);
});

test('across provinces: 15 years as an employee at A, the resident account at B → B decides on both records, posts 9,000.00 out of its residents\u2019 fund, A posts it into its employee fund; once, however often redelivered', async () => {
  const pa = await retired(dbA.ctx.db);
  await employeeMonths(dbA.ctx.db, pa.id, '2000-01', 180, 6000000);
  const pb = await makePerson(dbB.ctx.db, {
    id_number: pa.id_number,
    region: '320100',
    birth_date: pa.birth_date,
    sex: pa.sex,
  });
  for (let y = 2015; y < 2021; y++) await residentYear(dbB.ctx.db, pb.id, y, 150000);
  const before = [await transferTotals(dbA.ctx.db), await transferTotals(dbB.ctx.db)];
  const r = await svcA().apply(clerkA, { idNumber: pa.id_number, kind: 'scheme-bridging', fromProvince: B });
  assert.equal(r.status, 'requested');
  const kinds = await pump(true);
  assert.deepEqual(kinds, ['bridging.request', 'bridging.funds', 'transfer.booked']);
  const t = await svcA().get(clerkA, r.id);
  assert.equal(t.status, 'completed');
  assert.deepEqual(
    [t.bridging?.direction, t.bridging?.employeeAccountFen, t.bridging?.movedFen, t.fromProvince],
    ['resident→employee', 6900000, 900000, B],
  );
  assert.deepEqual(
    t.steps.map((s) => s.step),
    ['applied', 'letter-sent', 'decided', 'funds-sent', 'credited', 'completed'],
  );
  assert.deepEqual(await journal(dbA.ctx.db, t.ref), ['employee_pension transfer-in 900000']);
  assert.deepEqual(await journal(dbB.ctx.db, t.ref), ['resident_pension transfer-out 900000']);
  const out = await sql<{
    status: string;
  }>`SELECT status FROM fed_transfer WHERE ref = ${t.ref} AND direction = 'out'`.execute(dbB.ctx.db);
  assert.equal(out.rows[0]?.status, 'completed');
  const after = [await transferTotals(dbA.ctx.db), await transferTotals(dbB.ctx.db)];
  assert.equal(after[1]!.outFen - before[1]!.outFen, 900000);
  assert.equal(after[0]!.inFen - before[0]!.inFen, 900000, 'money out of B = money into A');
  assert.deepEqual(await hallEvents(dbA.ctx.db, r.id), [
    'scheme-bridging:submitted',
    'scheme-bridging:completed',
  ]);
  for (const db of [dbA.ctx.db, dbB.ctx.db])
    assert.equal((await verifyLedger(db)).unbalancedEntries.length, 0);
});

test('across provinces: under 15 years at A with the resident relation at B is bridged at B, not A — B refuses and the applicant is told why in A\u2019s hall; nothing posted', async () => {
  const pa = await retired(dbA.ctx.db, 'F');
  await employeeMonths(dbA.ctx.db, pa.id, '2005-01', 100, 2000000);
  const pb = await makePerson(dbB.ctx.db, {
    id_number: pa.id_number,
    region: '320100',
    birth_date: pa.birth_date,
    sex: 'F',
  });
  for (let y = 2015; y < 2020; y++) await residentYear(dbB.ctx.db, pb.id, y, 100000);
  const r = await svcA().apply(clerkA, { idNumber: pa.id_number, kind: 'scheme-bridging', fromProvince: B });
  assert.deepEqual(await pump(), ['bridging.request', 'transfer.refused']);
  const t = await svcA().get(clerkA, r.id);
  assert.equal(t.status, 'refused');
  assert.match(t.note ?? '', /城乡居民养老保险所在地申请/);
  assert.deepEqual(await hallEvents(dbA.ctx.db, r.id), [
    'scheme-bridging:submitted',
    'scheme-bridging:rejected',
  ]);
  assert.deepEqual(await journal(dbB.ctx.db, t.ref), []);
});

test('refused: before the employee pension age, and with only one scheme here and no other province named', async () => {
  const young = await makePerson(dbA.ctx.db, { region: '341800', birth_date: '1980-05-01', sex: 'M' });
  await employeeMonths(dbA.ctx.db, young.id, '2010-01', 12, 120000);
  await residentYear(dbA.ctx.db, young.id, 2009, 100000);
  await assert.rejects(
    svcA().apply(clerkA, { idNumber: young.id_number, kind: 'scheme-bridging' }),
    /退休年龄|pension age/,
  );
  const one = await retired(dbA.ctx.db);
  await employeeMonths(dbA.ctx.db, one.id, '2010-01', 12, 120000);
  await assert.rejects(
    svcA().apply(clerkA, { idNumber: one.id_number, kind: 'scheme-bridging' }),
    /fromProvince/,
  );
  await assert.rejects(
    svcA().apply(clerkA, { idNumber: one.id_number, kind: 'scheme-bridging', fromProvince: '999999' }),
    /not another province/,
  );
});

test('over HTTP: the citizen applies for their own bridging (201) and reads its steps and amounts; amounts in the request are refused', async () => {
  const app = await buildServer(dbA.ctx);
  await app.register(federationRoutes, { ctx: dbA.ctx, self: A, provinces: [A, B], stats: () => ({}) });
  await app.ready();
  try {
    const p = await retired(dbA.ctx.db);
    await employeeMonths(dbA.ctx.db, p.id, '2003-01', 144, 4000000);
    for (let y = 2015; y < 2023; y++) await residentYear(dbA.ctx.db, p.id, y, 150000);
    await dbA.ctx.db
      .insertInto('app_user')
      .values({
        username: 'cit-bridge',
        display_name: 'c',
        role: 'citizen',
        person_id: p.id,
        employer_id: null,
        region: null,
        password_hash: await hashPassword('test-pass-2021'),
      })
      .execute();
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login?bearer=true',
      payload: { username: 'cit-bridge', password: 'test-pass-2021' },
    });
    const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers,
      payload: { kind: 'scheme-bridging', employeeAccountFen: 1 },
    });
    assert.equal(bad.statusCode, 400, bad.body);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers,
      payload: { kind: 'scheme-bridging' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json<{ status: string }>().status, 'completed');
    const got = await app.inject({
      method: 'GET',
      url: `/api/v1/transfers/${res.json<{ id: number }>().id}`,
      headers,
    });
    assert.equal(got.statusCode, 200, got.body);
    const body = got.json<{ bridging: { direction: string; movedFen: number }; steps: unknown[] }>();
    assert.deepEqual(
      [body.bridging.direction, body.bridging.movedFen, body.steps.length],
      ['employee→resident', 4000000, 5],
    );
  } finally {
    await app.close();
  }
});

test('CB-04 both pensions drawn: keep the employee pension; refund 8,000.00 − 1,500.00 subsidies = 6,500.00; the 3,600.00 resident pension paid to return or offset', async () => {
  const p = await retired(dbA.ctx.db);
  await employeeMonths(dbA.ctx.db, p.id, '2000-01', 200, 5000000);
  for (let y = 2021; y < 2025; y++) await residentYear(dbA.ctx.db, p.id, y, 162500, 37500); // 4 × 200,000 = 800,000; subsidies 150,000
  for (const scheme of ['employee_pension', 'resident_pension'] as const) {
    const award = await dbA.ctx.db
      .insertInto('pension_award')
      .values({
        person_id: p.id,
        scheme,
        region: '341800',
        decision_id: null,
        source: 'demo',
        retirement_date: '2018-05-01',
        start_period: '2018-06',
        contribution_months: scheme === 'employee_pension' ? 200 : 48,
        monthly_fen: scheme === 'employee_pension' ? 300000 : 20000,
        created_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (scheme === 'resident_pension')
      for (let m = 1; m <= 18; m++)
        await dbA.ctx.db
          .insertInto('pension_payment')
          .values({
            award_id: award.id,
            period: `2024-${String(((m - 1) % 12) + 1).padStart(2, '0')}`.replace(
              '2024',
              m > 12 ? '2025' : '2024',
            ),
            kind: 'regular',
            amount_fen: 20000,
            payroll_run_id: 0,
            chunk_no: 0,
          })
          .execute();
  }
  const r = await svcA().apply(clerkA, { idNumber: p.id_number, kind: 'scheme-bridging' });
  const t = await svcA().get(clerkA, r.id);
  assert.deepEqual(
    [t.bridging?.direction, t.bridging?.refundFen, t.bridging?.toReturnOrOffsetFen, t.bridging?.movedFen],
    ['end resident relation', 650000, 360000, 0],
  );
  assert.deepEqual(await journal(dbA.ctx.db, t.ref), ['resident_pension refund 650000']);
  assert.match(t.note ?? '', /3,600\.00|3600\.00/);
});
