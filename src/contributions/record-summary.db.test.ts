// The record reads a person's year rows from `record_year` (migration 2026_12_01_1240), which the
// database keeps for every writer of bills and lines. One figure, one formula: for every person of a
// small population, after each kind of write through the real services — assessment, payments on
// time and late, a bank receipt import, a reversed payment, cancellations, a back-payment (补缴) — and
// after flexible and residents' bills, a second employer in the same month, and a pension relation
// transferred in and away, the record's sources from the summary must equal the reference queries
// over the person's lines (kept here). An existing
// database upgrades: the migration run again on a populated database backfills the same rows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import * as migration1240 from '../db/migrations/2026_12_01_1240_record_year.ts';
import * as migration1440 from '../db/migrations/2026_12_02_1440_record_year_at_commit.ts';
import * as migration1595 from '../db/migrations/2026_12_04_1595_record_year_json.ts';
import * as migration1610 from '../db/migrations/2026_12_04_1610_record_year_bills_noted.ts';
import { makeBillLine, makeEmployer, makeEmployment, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { ContributionService } from './contribution.service.ts';
import { interestCredits, recordSources } from './record.repository.ts';

const REGION = '341800';
const sys = systemActor('test');
let t: TestDb;
before(async () => {
  fixToday('2021-12-20');
  t = await openTestDb();
});
after(async () => {
  fixToday(null);
  await t.close();
});

// The reference: the record's year figures, employers and index lines straight from the lines.
async function referenceYears(db: Db, personId: number) {
  const r = await sql<Record<string, unknown>>`
    SELECT substr(l.period, 1, 4)::int AS year,
      CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END AS fund,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'paid' AND (l.pension_employer_fen + l.pension_employee_fen) > 0)::int AS pension_months,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'paid' AND (l.unemployment_employer_fen + l.unemployment_employee_fen) > 0)::int AS unemployment_months,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'paid' AND l.injury_fen > 0)::int AS injury_months,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'open')::int AS unpaid_months,
      coalesce(sum(l.base_fen) FILTER (WHERE b.status = 'paid' AND b.payer_kind <> 'resident'), 0)::text AS base_sum,
      coalesce(sum(l.personal_account_fen) FILTER (WHERE b.status = 'paid'), 0)::text AS account_credit
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status <> 'cancelled'
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return r.rows.map((x) => ({
    ...x,
    base_sum: Number(x.base_sum),
    account_credit: Number(x.account_credit),
  }));
}
async function referenceEmployers(db: Db, personId: number) {
  const r = await sql<{
    employer_id: string;
    name: string;
    credit_code: string;
    f: string;
    l: string;
    n: number;
  }>`
    SELECT e.id AS employer_id, e.name, e.credit_code, min(l.period) AS f, max(l.period) AS l, count(DISTINCT l.period)::int AS n
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id JOIN employer e ON e.id = b.employer_id
    WHERE l.person_id = ${personId} AND b.status = 'paid'
    GROUP BY e.id, e.name, e.credit_code ORDER BY min(l.period), e.id`.execute(db);
  return r.rows.map((x) => ({
    employerId: Number(x.employer_id),
    name: x.name,
    creditCode: x.credit_code,
    firstPeriod: x.f,
    lastPeriod: x.l,
    months: x.n,
  }));
}
async function referenceIndexLines(db: Db, personId: number) {
  const r = await sql<{ period: string; base_fen: string; average_wage_fen: string }>`
    SELECT l.period, l.base_fen::text, b.average_wage_fen::text
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
      AND (l.pension_employer_fen + l.pension_employee_fen) > 0
    ORDER BY l.period, l.bill_id`.execute(db);
  return r.rows.map((x) => ({
    period: x.period,
    baseFen: Number(x.base_fen),
    averageWageFen: Number(x.average_wage_fen),
  }));
}

async function compareAll(personIds: number[], stage: string) {
  const db = t.ctx.db;
  for (const id of personIds) {
    const s = await recordSources(db, id);
    assert.ok(s.person, `person ${id}`);
    // Where no relation moved out (the record then reads the summary, and the lines of a year with an
    // open bill), the years, employers and index lines are exactly the reference queries' over all
    // the person's lines. A person with a relation moved out is read from the lines alone.
    if (s.movedOut.length === 0) {
      assert.deepEqual(s.years, await referenceYears(db, id), `${stage}: years of person ${id}`);
      assert.deepEqual(s.employers, await referenceEmployers(db, id), `${stage}: employers of person ${id}`);
      assert.deepEqual(s.indexLines, await referenceIndexLines(db, id), `${stage}: index lines of ${id}`);
      assert.deepEqual([s.movedOutYears, s.movedOutLines], [[], []], `${stage}: nothing moved out of ${id}`);
    }
    assert.deepEqual(s.interest, await interestCredits(db, id));
  }
  // Each row's text, written with it, is its figures as the record built them on every read before
  // migration 1595.
  const stale = await sql<{ n: number }>`SELECT count(*)::int AS n FROM record_year
    WHERE row_json IS DISTINCT FROM json_build_array(year, fund, paid_lines, pension_months,
      unemployment_months, injury_months, base_sum, account_credit, index_lines, employers)::text`.execute(
    db,
  );
  assert.equal(stale.rows[0]!.n, 0, `${stage}: every summary row's row_json`);
  // The summary itself, not only what the record makes of it (the record reads the lines of a year
  // whose count differs, which would hide a missed write): every row equals its recomputation from
  // the lines, in a transaction rolled back.
  const rows = (db: Db) => sql`SELECT * FROM record_year ORDER BY person_id, year, fund`.execute(db);
  const kept = await rows(db);
  let recomputed: unknown[] = [];
  await assert.rejects(
    db.transaction().execute(async (tx) => {
      await sql`SELECT record_year_refresh(array_agg(person_id), array_agg(year))
        FROM (SELECT DISTINCT person_id, substr(period, 1, 4)::int AS year FROM contribution_bill_line) k`.execute(
        tx,
      );
      recomputed = (await rows(tx)).rows;
      throw new Error('rolled back on purpose');
    }),
    /rolled back on purpose/,
  );
  assert.deepEqual(kept.rows, recomputed, `${stage}: the summary is its recomputation from the lines`);
}

const periods = ['2020-09', '2020-10', '2020-11', '2020-12', '2021-01', '2021-02', '2021-03', '2021-04'];

test('the summary gives the lines’ record for every person after assessment, payments, late payments, reversals, cancellations, back-payments and transfers; the migration backfills the same', async () => {
  const db = t.ctx.db;
  const svc = new ContributionService(db, t.ctx.params);
  const employers = [
    await makeEmployer(db, { region: REGION, industry_class: 5, size: 'sme' }),
    await makeEmployer(db, { region: REGION, industry_class: 2, size: 'sme' }),
  ];
  const persons: number[] = [];
  for (let i = 0; i < 10; i++) {
    const p = await makePerson(db, { region: REGION });
    persons.push(p.id);
    // Everyone works at the first employer, every third person at the second as well (two lines a month).
    for (const e of i % 3 === 0 ? employers : [employers[0]!])
      await makeEmployment(db, {
        person_id: p.id,
        employer_id: e.id,
        start_date: '2020-01-01',
        monthly_wage_fen: 600000,
      });
  }
  // Declared and assessed month by month, March left out for person 1 (declared late below).
  for (const period of periods)
    for (const [k, e] of employers.entries()) {
      const lines = persons
        .map((personId, i) => ({ personId, i }))
        .filter(({ i }) => (k === 0 || i % 3 === 0) && !(period === '2021-03' && i === 1 && k === 0))
        .map(({ personId, i }, n) => ({
          line: n + 1,
          personId,
          period,
          wageFen: [450000, 650000, 1200000, 3000000, 2500000][(i + k + periods.indexOf(period)) % 5]!,
        }));
      const d = await svc.declare(sys, e.id, { lines });
      assert.ok(d.ok, JSON.stringify(d));
    }
  for (const period of periods) await svc.assess(sys, { region: REGION, period });
  await compareAll(persons, 'assessed');

  const bills = await db
    .selectFrom('contribution_bill')
    .select(['id', 'period', 'due_date'])
    .orderBy('id')
    .execute();
  // Paid on time, paid late, left open; one paid and reversed; one paid by a bank receipt import.
  const paid: number[] = [];
  for (const [n, b] of bills.entries()) {
    if (n % 5 === 4 && b.period >= '2021') continue; // left open (2020 all settled: read from the summary)
    const late = n % 3 === 1;
    const r = await svc.pay(sys, b.id, {
      paidDate: late ? '2021-12-01' : b.due_date,
      reason: 'bank slip',
      bankRef: `B-${b.id}`,
    });
    paid.push(r.paymentId);
  }
  await compareAll(persons, 'paid');
  await svc.reversePayment(sys, paid[2]!, 'bank_return', 'bank returned');
  const open = await db
    .selectFrom('contribution_bill')
    .select(['id', 'total_fen'])
    .where('status', '=', 'open')
    .orderBy('id')
    .execute();
  await svc.cancelBill(sys, open[0]!.id, 'wrong wages');
  const receipt = open[1]!;
  const due = (await svc.getBill(sys, receipt.id)).due;
  const imp = await svc.importReceipts(
    sys,
    REGION,
    ['bank_ref,paid_date,bill_no,amount_fen', `R-0001,2021-12-20,${receipt.id},${due.totalFen}`].join('\n'),
    'bank.csv',
  );
  assert.ok(imp.ok && imp.matched === 1, JSON.stringify(imp));
  await compareAll(persons, 'reversed, cancelled, receipt');

  // Back-payment (补缴): person 1's March, declared after the months that followed were assessed.
  await svc.declare(sys, employers[0]!.id, {
    lines: [{ line: 1, personId: persons[1]!, period: '2021-03', wageFen: 700000 }],
  });
  const back = await svc.assess(sys, { region: REGION, period: '2021-03' });
  assert.equal(back.backPayment, true);
  await compareAll(persons, 'back-payment assessed');
  const backBill = await db
    .selectFrom('contribution_bill')
    .select('id')
    .where('assessment_id', '=', back.assessmentId)
    .executeTakeFirstOrThrow();
  await svc.pay(sys, backBill.id, {});
  await compareAll(persons, 'back-payment paid');

  // Flexible and residents' bills (paid and open) of some of the same persons and a new one.
  const flexible = await makePerson(db, { region: REGION });
  persons.push(flexible.id);
  for (const [n, period] of ['2021-09', '2021-10', '2021-11'].entries())
    await makeBillLine(db, {
      personId: flexible.id,
      period,
      payerKind: 'flexible',
      region: REGION,
      status: n === 2 ? 'open' : 'paid',
      baseFen: 500000,
      pensionEmployerFen: 80000,
      pensionEmployeeFen: 40000,
      personalAccountFen: 40000,
    });
  await makeBillLine(db, {
    personId: persons[2]!,
    period: '2021-09',
    payerKind: 'resident',
    region: REGION,
    baseFen: 0,
    personalAccountFen: 30000,
  });
  await compareAll(persons, 'flexible and resident');

  // A pension relation transferred away (its months no longer count here; the record reads that
  // person's lines), another moved in with months and an account credited.
  const out = await sql<{ id: string }>`
    INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, account_fen, funds)
    VALUES ('T-SUM-OUT', 'out', 'pension', ${'0'.repeat(64)}, ${persons[4]!}, '340000', '320000', 'sent', 'test', 12345,
      ${JSON.stringify({ segments: [{ from: '2021-01', to: '2021-04' }] })}::jsonb) RETURNING id`.execute(db);
  assert.ok(out.rows[0]);
  const into = await sql<{ id: string }>`
    INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by)
    VALUES ('T-SUM-IN', 'in', 'pension', ${'0'.repeat(64)}, ${persons[5]!}, '320000', '340000', 'completed', 'test') RETURNING id`.execute(
    db,
  );
  const inId = Number(into.rows[0]!.id);
  await sql`INSERT INTO fed_credited_segment (transfer_id, line_no, person_id, from_province, from_period, to_period, monthly_base_fen, average_wage_fen)
    VALUES (${inId}, 1, ${persons[5]!}, '320000', '2019-01', '2020-12', 500000, 800000)`.execute(db);
  await sql`INSERT INTO pension_record_credit (person_id, fund, source_type, source_id, months, account_fen, period, note, created_by)
    VALUES (${persons[5]!}, 'employee_pension', 'fed_transfer', ${inId}, 0, 960000, '2021-11', 'transferred in', 'test')`.execute(
    db,
  );
  const moved = await recordSources(db, persons[4]!);
  assert.ok(moved.movedOutYears.length > 0, 'the months moved out are their own rows');
  await compareAll(persons, 'transfers');

  // Everything paid: every year of every person is read from the summary alone.
  for (const b of await db
    .selectFrom('contribution_bill')
    .select('id')
    .where('status', '=', 'open')
    .execute())
    await svc.pay(sys, b.id, {});
  const unsettled = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM contribution_bill WHERE status = 'open'`.execute(db);
  assert.equal(unsettled.rows[0]!.n, 0);
  await compareAll(persons, 'all paid');

  // Line-level writes (a correction of a line's parts, a line deleted) are followed as well.
  const anyLine = await db
    .selectFrom('contribution_bill_line')
    .select(['bill_id', 'person_id'])
    .where('person_id', '=', persons[6]!)
    .orderBy('bill_id')
    .executeTakeFirstOrThrow();
  await sql`UPDATE contribution_bill_line SET injury_fen = 0, unemployment_employer_fen = 0, unemployment_employee_fen = 0
    WHERE bill_id = ${anyLine.bill_id} AND person_id = ${anyLine.person_id}`.execute(db);
  await sql`DELETE FROM contribution_bill_line WHERE person_id = ${persons[7]!} AND period = '2021-02'`.execute(
    db,
  );
  await compareAll(persons, 'line corrected and deleted');

  // An existing database: the summary dropped and the migration run again backfills the same rows.
  const before = await sql`SELECT * FROM record_year ORDER BY person_id, year, fund`.execute(db);
  assert.ok(before.rows.length >= persons.length);
  const raw = db as unknown as Kysely<unknown>;
  await migration1610.down(raw);
  await migration1595.down(raw);
  await migration1440.down(raw);
  await migration1240.down(raw);
  await migration1240.up(raw);
  await migration1440.up(raw);
  await migration1595.up(raw);
  await migration1610.up(raw);
  const afterUp = await sql`SELECT * FROM record_year ORDER BY person_id, year, fund`.execute(db);
  assert.deepEqual(afterUp.rows, before.rows);
  await compareAll(persons, 'backfilled');
});
