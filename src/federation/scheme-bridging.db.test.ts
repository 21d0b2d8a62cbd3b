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
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { Trace } from '../core/trace.ts';
import { pensionRecord, recordSummary } from '../pension/person-record.repository.ts';
import { computeCaseFigures } from '../pension/retirement-case.rules.ts';
import { idHash, NATIONAL, setFederationSecret, type Envelope, type Handler } from './fed.messaging.ts';
import { NationalService } from './national.service.ts';
import { carryAll } from '../testing/federation-carrier.ts';
import { federationRoutes } from './federation.routes.ts';
import { transferTotals } from './transfer.repository.ts';
import { TransferService } from './transfer.service.ts';

const A = '340000';
const B = '320000';
let dbA: TestDb;
let dbB: TestDb;
let dbN: TestDb;
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
const dbOf = (node: string): Db => (node === A ? dbA : node === B ? dbB : dbN).ctx.db;
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
  // The year's tier choice, as the residents' billing writes it with its bill (what the award reads).
  await sql`INSERT INTO resident_tier_choice (person_id, year, region, tier_fen, subsidy_fen, government_paid_fen, bill_id, created_by)
    VALUES (${personId}, ${year}, '341800', ${personalFen}, ${subsidyFen}, 0, ${billId}, 'test')`.execute(db);
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
  [dbA, dbB, dbN] = await Promise.all([openTestDb(), openTestDb(), openTestDb()]);
  handlers = {
    [A]: TransferService.handlers(A, dbA.ctx.params),
    [B]: TransferService.handlers(B, dbB.ctx.params),
    [NATIONAL]: NationalService.handlers(),
  };
});

after(async () => {
  await dbA?.close();
  await dbB?.close();
  await dbN?.close();
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
  const recordAudit = await sql<{ n: unknown }>`
    SELECT count(*) AS n FROM audit_log WHERE action = 'pension.record.credit' AND subject_person_id = ${p.id}`.execute(
    dbA.ctx.db,
  );
  assert.equal(int(recordAudit.rows[0]?.n), 2, 'each change to the record audited');
  // The record the award reads: before, 96 resident months are short of 15 years; after, the 144
  // employee months count as resident months and the employee account sits in the resident account.
  const figures = async () => {
    const rec = await pensionRecord(dbA.ctx.db, p.id, periodOf(today()));
    const f = computeCaseFigures(
      {
        scheme: 'resident_pension',
        region: '341800',
        retirementDate: today(),
        retirementKind: 'statutory',
        category: 'male',
        birthDate: p.birth_date,
      },
      rec,
      recordSummary(rec),
      { version: 1 },
      dbA.ctx.params,
      new Trace(),
    );
    return { rec, f };
  };
  const { rec, f } = await figures();
  assert.deepEqual(
    [rec.residentMonths, rec.residentAccountFen, rec.personalAccountFen],
    [240, 5200000, 0],
    'the resident record holds the bridged years and account; the employee account is gone',
  );
  assert.equal(f.eligible, true, 'the residents’ award now sees 240 months');
  assert.equal((f.inputs as { personalAccountFen: number }).personalAccountFen, 5200000);
  const credits = await sql<{ fund: string; months: number; account_fen: unknown }>`
    SELECT fund, months, account_fen FROM pension_record_credit WHERE person_id = ${p.id} ORDER BY fund`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(
    credits.rows.map((c) => [c.fund, c.months, int(c.account_fen)]),
    [
      ['employee_pension', 0, -4000000],
      ['resident_pension', 144, 4000000],
    ],
  );
  // The index: the employee relation went into the residents' scheme, this province holds none.
  const idx = await sql<{ body: { months: number; relationHeld: boolean; idHash: string } }>`
    SELECT body FROM fed_outbox WHERE kind = 'index.update' AND body->>'idHash' = ${idHash(p.id_number)}`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(
    idx.rows.map((r) => [r.body.months, r.body.relationHeld]),
    [[0, false]],
  );
  // Once only: a second application is refused.
  await assert.rejects(
    svcA().apply(clerkA, { idNumber: p.id_number, kind: 'scheme-bridging' }),
    // the open application's status in words, as its page says it, not its code
    /已有制度衔接申请 \d+（(待转出地划转|已划转，待转入地记录|已完成)）/,
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
  assert.deepEqual(
    kinds.filter((k) => k !== 'index.update'),
    ['bridging.request', 'bridging.funds', 'transfer.booked'],
  );
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
  // The books name the other province, not its code.
  const described = async (db: Db) =>
    (
      await sql<{ description: string }>`
        SELECT description FROM journal_entry WHERE idempotency_key LIKE ${`fed-bridging-%:${t.ref}%`} ORDER BY id`.execute(
        db,
      )
    ).rows.map((x) => x.description);
  assert.deepEqual(await described(dbA.ctx.db), [
    '城乡养老保险制度衔接自江苏省转入 / scheme bridging from Jiangsu',
  ]);
  assert.deepEqual(await described(dbB.ctx.db), [
    '城乡养老保险制度衔接转出至安徽省 / scheme bridging to Anhui',
  ]);
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
  // The records: A's employee account (what the employee award's account pension divides) has the
  // 9,000.00; B's resident record is closed; resident years are not added at A.
  const recA = await pensionRecord(dbA.ctx.db, pa.id, periodOf(today()));
  const recB = await pensionRecord(dbB.ctx.db, pb.id, periodOf(today()));
  assert.deepEqual([recA.personalAccountFen, recA.residentMonths], [6900000, 0]);
  assert.deepEqual([recB.residentMonths, recB.residentAccountFen], [0, 0]);
  // The national index: A holds the employee relation (180 months), B holds none.
  const idx = await sql<{ province: string; months: number; relation_held: boolean }>`
    SELECT province, months, relation_held FROM fed_person_index WHERE id_hash = ${idHash(pa.id_number)} ORDER BY province`.execute(
    dbN.ctx.db,
  );
  assert.deepEqual(
    idx.rows.map((x) => [x.province.trim(), x.months, x.relation_held]),
    [
      [B, 0, false],
      [A, 180, true],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
  );
  // The funds message handled again (a redelivery under another id, past the inbox): nothing twice.
  const funds = await sql<{ msg_id: string; body: unknown }>`
    SELECT msg_id, body FROM fed_outbox WHERE kind = 'bridging.funds' AND body->>'ref' = ${t.ref}`.execute(
    dbB.ctx.db,
  );
  const env: Envelope = {
    id: crypto.randomUUID(),
    from: B,
    to: A,
    kind: 'bridging.funds',
    at: new Date().toISOString(),
    body: funds.rows[0]?.body,
  };
  await dbA.ctx.db.transaction().execute((tx) => handlers[A]!['bridging.funds']!(tx, env));
  const count = async (db: Db, personId: number) => {
    const r = await sql<{ credits: unknown; audits: unknown; entries: unknown }>`
      SELECT (SELECT count(*) FROM pension_record_credit WHERE person_id = ${personId}) AS credits,
             (SELECT count(*) FROM audit_log WHERE subject_person_id = ${personId}) AS audits,
             (SELECT count(*) FROM journal_entry WHERE idempotency_key LIKE ${`fed-bridging-%:${t.ref}%`}) AS entries`.execute(
      db,
    );
    return [int(r.rows[0]?.credits), int(r.rows[0]?.audits), int(r.rows[0]?.entries)];
  };
  const [ca, cb] = [await count(dbA.ctx.db, pa.id), await count(dbB.ctx.db, pb.id)];
  assert.deepEqual([ca[0], cb[0]], [1, 1], 'one record credit at each side');
  assert.equal(
    (await pensionRecord(dbA.ctx.db, pa.id, periodOf(today()))).personalAccountFen,
    6900000,
    'the account credited once',
  );
  await dbA.ctx.db.transaction().execute((tx) => handlers[A]!['bridging.funds']!(tx, env));
  assert.deepEqual(await count(dbA.ctx.db, pa.id), ca);
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
  assert.deepEqual(
    (await pump()).filter((k) => k !== 'index.update'),
    ['bridging.request', 'transfer.refused'],
  );
  const t = await svcA().get(clerkA, r.id);
  assert.equal(t.status, 'refused');
  assert.match(t.note?.zh ?? '', /城乡居民养老保险所在地申请/);
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
    // the field named, the code sent not repeated
    (e: Error) => /not another province/.test(e.message) && !e.message.includes('999999'),
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
  assert.match(t.note?.zh ?? '', /3,600\.00|3600\.00/);
  // The 3,600.00 resident pension paid is offset against the 6,500.00 refund: the bank pays 2,900.00
  // and the recovery case (a clerk sees it in 追回) is settled; the resident award stops.
  const lines = await sql<{ account: string; debit: unknown; credit: unknown }>`
    SELECT l.account_code AS account, l.debit_fen AS debit, l.credit_fen AS credit FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
    WHERE e.idempotency_key = ${`fed-bridging-refund:${t.ref}`} ORDER BY l.account_code`.execute(dbA.ctx.db);
  assert.deepEqual(
    lines.rows.map((l) => [l.account.trim(), int(l.debit), int(l.credit)]),
    [
      ['1001', 0, 290000],
      ['1301', 0, 360000],
      ['5003', 650000, 0],
    ],
  );
  const rc = await sql<{ amount_fen: unknown; recovered_fen: unknown; status: string; reason: string }>`
    SELECT amount_fen, recovered_fen, status, reason FROM recovery_case WHERE person_id = ${p.id}`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(
    rc.rows.map((c) => [int(c.amount_fen), int(c.recovered_fen), c.status]),
    [[360000, 360000, 'recovered']],
  );
  const awards = await sql<{ scheme: string; status: string }>`
    SELECT scheme, status FROM pension_award WHERE person_id = ${p.id} ORDER BY scheme`.execute(dbA.ctx.db);
  assert.deepEqual(
    awards.rows.map((a) => `${a.scheme}:${a.status}`),
    ['employee_pension:active', 'resident_pension:stopped'],
  );
  const rec = await pensionRecord(dbA.ctx.db, p.id, periodOf(today()));
  assert.equal(rec.residentMonths, 0, 'the resident relation ended');
  const audits = await sql<{ action: string }>`
    SELECT action FROM audit_log WHERE subject_person_id = ${p.id} AND action LIKE 'pension.%' ORDER BY id`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(
    audits.rows.map((a) => a.action),
    ['pension.stop', 'pension.recovery.open', 'pension.recovery.collect', 'pension.record.credit'],
  );
  const v = await verifyLedger(dbA.ctx.db);
  assert.deepEqual([v.unbalancedEntries.length, v.equationDifferences.length], [0, 0]);
});

test('both pensions drawn and more resident pension paid than the refund: the refund is all offset, the rest stays open on the recovery case for the clerk', async () => {
  const p = await retired(dbA.ctx.db);
  await employeeMonths(dbA.ctx.db, p.id, '2000-01', 200, 5000000);
  await residentYear(dbA.ctx.db, p.id, 2021, 100000, 50000); // account 150,000; refund 100,000
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
        contribution_months: 200,
        monthly_fen: 30000,
        created_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (scheme === 'resident_pension')
      for (const period of ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'])
        await dbA.ctx.db
          .insertInto('pension_payment')
          .values({
            award_id: award.id,
            period,
            kind: 'regular',
            amount_fen: 30000,
            payroll_run_id: 0,
            chunk_no: 0,
          })
          .execute();
  }
  const r = await svcA().apply(clerkA, { idNumber: p.id_number, kind: 'scheme-bridging' });
  const t = await svcA().get(clerkA, r.id);
  assert.deepEqual([t.bridging?.refundFen, t.bridging?.toReturnOrOffsetFen], [100000, 150000]);
  const rc = await sql<{ amount_fen: unknown; recovered_fen: unknown; status: string }>`
    SELECT amount_fen, recovered_fen, status FROM recovery_case WHERE person_id = ${p.id}`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(
    rc.rows.map((c) => [int(c.amount_fen), int(c.recovered_fen), c.status]),
    [[150000, 100000, 'open']],
  );
  const bank = await sql<{ credit: unknown }>`
    SELECT coalesce(sum(l.credit_fen), 0) AS credit FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
    WHERE e.idempotency_key = ${`fed-bridging-refund:${t.ref}`} AND l.account_code = '1001'`.execute(
    dbA.ctx.db,
  );
  assert.equal(int(bank.rows[0]?.credit), 0, 'nothing leaves the bank: the whole refund is offset');
});
