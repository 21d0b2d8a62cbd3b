// The record's one statement (recordSources) returns the person's bill lines raw and aggregates them
// in the process (issue 18: the aggregation in SQL was most of the record's database CPU). Its years,
// employers and index lines must be exactly what the reference queries — recordYears, recordEmployers,
// contributionIndexLines, interestCredits — give, for every person of a generated population with
// every kind of line: employer, flexible and resident bills, paid, open and cancelled, two employers in
// one month, lines without a pension part, injury and unemployment parts; and again after bills were
// paid, cancelled and paid late.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { makeBillLine, makeEmployer, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import {
  contributionIndexLines,
  interestCredits,
  recordEmployers,
  recordSources,
  recordYears,
} from './record.repository.ts';

let t: TestDb;
before(async () => {
  t = await openTestDb();
});
after(async () => {
  await t.close();
});

// A small deterministic generator (mulberry32), so a failure can be reproduced.
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

async function compareAll(personIds: number[]) {
  const db = t.ctx.db;
  for (const id of personIds) {
    const s = await recordSources(db, id);
    assert.ok(s.person, `person ${id}`);
    assert.deepEqual(s.years, await recordYears(db, id), `years of person ${id}`);
    assert.deepEqual(s.employers, await recordEmployers(db, id), `employers of person ${id}`);
    assert.deepEqual(s.indexLines, await contributionIndexLines(db, id), `index lines of person ${id}`);
    assert.deepEqual(s.interest, await interestCredits(db, id), `interest of person ${id}`);
  }
}

test('recordSources gives the reference queries’ years, employers, index lines and interest for every person', async () => {
  const db = t.ctx.db;
  const rand = rng(18);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const employers = [await makeEmployer(db), await makeEmployer(db), await makeEmployer(db)];
  const persons: number[] = [];
  const bills: number[] = [];
  for (let i = 0; i < 24; i++) {
    const p = await makePerson(db);
    persons.push(p.id);
    const months = 1 + Math.floor(rand() * 30);
    let y = 2019 + Math.floor(rand() * 3);
    let m = 1 + Math.floor(rand() * 12);
    for (let k = 0; k < months; k++) {
      const period = `${y}-${String(m).padStart(2, '0')}`;
      const payerKind = pick(['employer', 'employer', 'employer', 'flexible', 'resident'] as const);
      const baseFen = 300000 + Math.floor(rand() * 2000000);
      const withPension = rand() < 0.9;
      const status = pick(['paid', 'paid', 'paid', 'open', 'cancelled'] as const);
      const two = payerKind === 'employer' && rand() < 0.15 ? 2 : 1; // two employers in one month
      for (let e = 0; e < two; e++) {
        const { billId } = await makeBillLine(db, {
          personId: p.id,
          period,
          payerKind,
          employerId: employers[(i + e + k) % employers.length]!.id,
          status,
          baseFen,
          averageWageFen: 600000 + Math.floor(rand() * 400000),
          pensionEmployerFen: withPension ? Math.floor(baseFen * 0.16) : 0,
          pensionEmployeeFen: withPension ? Math.floor(baseFen * 0.08) : 0,
          personalAccountFen: withPension ? Math.floor(baseFen * 0.08) : 0,
          unemploymentEmployerFen: rand() < 0.7 ? Math.floor(baseFen * 0.005) : 0,
          unemploymentEmployeeFen: rand() < 0.5 ? Math.floor(baseFen * 0.005) : 0,
        });
        bills.push(billId);
        if (rand() < 0.3)
          await sql`UPDATE contribution_bill_line SET injury_fen = ${Math.floor(baseFen * 0.004)} WHERE bill_id = ${billId}`.execute(
            db,
          );
      }
      m += 1;
      if (m > 12) {
        m = 1;
        y += 1;
      }
    }
    if (rand() < 0.5)
      await sql`INSERT INTO account_interest_credit (person_id, region, year, fund, rate_percent, opening_fen, contributions_fen, interest_fen)
        VALUES (${p.id}, ${p.region}, 2021, 'employee_pension', 2.5, 100000, 20000, 2750)`.execute(db);
  }
  const empty = await makePerson(db);
  persons.push(empty.id);
  await compareAll(persons);

  // Writes: open bills paid (on time and late), paid bills cancelled.
  for (const id of bills) {
    const r = rand();
    if (r < 0.15)
      await sql`UPDATE contribution_bill SET status = 'paid', paid_date = due_date WHERE id = ${id} AND status = 'open'`.execute(
        db,
      );
    else if (r < 0.25)
      await sql`UPDATE contribution_bill SET status = 'cancelled', paid_date = NULL WHERE id = ${id} AND status = 'paid'`.execute(
        db,
      );
  }
  await compareAll(persons);

  const none = await recordSources(db, 987654321);
  assert.equal(none.person, undefined);
});
