// The account-interest job re-expresses account-interest.rules.ts in SQL (set-based, per chunk of
// persons). This test holds the two together: every person's credit written by the job equals
// creditAccountYear on the same opening balance and contributions — in the first year (the job
// sums every earlier line) and in the next (it starts from last year's closing) — for both funds,
// with amounts chosen to land on half-fen boundaries. A bill that is open, cancelled or of another
// region counts for nothing. (docs/architecture.md: every SQL twin of a rule is tested against it.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { Dec, fen, roundFen } from '../core/money.ts';
import { makeBillLine, makeEmployer, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { runAccountInterest } from './account-interest.job.ts';
import { accountInterestRate, creditAccountYear } from './account-interest.rules.ts';

const REGION = '341800';
let t: TestDb;

before(async () => {
  fixToday('2022-03-01');
  t = await openTestDb();
});
after(async () => {
  fixToday(null);
  await t.close();
});

type Fund = 'employee_pension' | 'resident_pension';
interface Line {
  personId: number;
  period: string;
  accountFen: number;
  fund: Fund;
  status: 'paid' | 'open' | 'cancelled';
  region: string;
}

test('the job credits every person exactly what the pure rule computes, first year and next', async () => {
  const db = t.ctx.db;
  const employer = await makeEmployer(db);
  // A small deterministic generator: the same lines on every run.
  let seed = 20_211_231;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const persons: number[] = [];
  for (let i = 0; i < 24; i++) persons.push((await makePerson(db)).id);
  const lines: Line[] = [];
  for (const personId of persons) {
    const fund: Fund = personId % 3 === 0 ? 'resident_pension' : 'employee_pension';
    for (const year of [2018, 2019, 2020, 2021]) {
      const months = fund === 'resident_pension' ? [12] : [1, 4, 7, 8, 12].filter(() => next(4) > 0);
      for (const m of months) {
        // Odd amounts and ones ending in 5 or 12 so that × rate × 13/24 meets half-fen boundaries.
        const accountFen = fund === 'resident_pension' ? 10_000 * (1 + next(20)) : 1 + next(150_000) * 12;
        const r = next(20);
        const status = r === 0 ? 'open' : r === 1 ? 'cancelled' : 'paid';
        const region = r === 2 ? '341802' : REGION;
        lines.push({
          personId,
          period: `${year}-${String(m).padStart(2, '0')}`,
          accountFen,
          fund,
          status,
          region,
        });
      }
    }
  }
  for (const l of lines) {
    await makeBillLine(db, {
      personId: l.personId,
      period: l.period,
      region: l.region,
      payerKind: l.fund === 'resident_pension' ? 'resident' : 'employer',
      employerId: employer.id,
      status: l.status,
      personalAccountFen: l.accountFen,
    });
  }

  const sys = systemActor('interest-test');
  const closing = new Map<string, number>();
  for (const year of [2020, 2021]) {
    const report = await runAccountInterest(db, t.ctx.params, sys, { year, region: REGION });
    const rate = accountInterestRate(t.ctx.params, year);
    const rows = await db
      .selectFrom('account_interest_credit')
      .selectAll()
      .where('year', '=', year)
      .where('region', '=', REGION)
      .execute();
    const got = new Map(rows.map((r) => [`${r.person_id}|${r.fund}`, r]));
    let expectedTotal = 0;
    let expectedPersons = 0;
    for (const personId of persons) {
      for (const fund of ['employee_pension', 'resident_pension'] as const) {
        const counted = lines.filter(
          (l) => l.personId === personId && l.fund === fund && l.status === 'paid' && l.region === REGION,
        );
        const sum = (ls: Line[]): number => ls.reduce((s, l) => s + l.accountFen, 0);
        const key = `${personId}|${fund}`;
        const opening =
          year === 2020 ? sum(counted.filter((l) => l.period < '2020-01')) : (closing.get(key) ?? 0);
        const during = sum(counted.filter((l) => l.period.startsWith(String(year))));
        const row = got.get(key);
        if (opening === 0 && during === 0 && !counted.some((l) => l.period <= `${year}-12`)) {
          assert.equal(row, undefined, `${key} ${year}: no credit without a line`);
          continue;
        }
        const want = creditAccountYear(rate, fen(opening), fen(during));
        assert.ok(row, `${key} ${year}: the job credited nobody`);
        assert.deepEqual(
          {
            opening: Number(row.opening_fen),
            contributions: Number(row.contributions_fen),
            interest: Number(row.interest_fen),
          },
          { opening, contributions: during, interest: want.interestFen },
          `${key} ${year}: job vs rule (rate ${rate}%)`,
        );
        closing.set(key, want.closingBalanceFen);
        expectedTotal += want.interestFen;
        expectedPersons += 1;
      }
    }
    assert.equal(report.persons, expectedPersons, `${year}: persons credited`);
    assert.equal(report.interestFen, expectedTotal, `${year}: total interest`);
    assert.equal(rows.length, expectedPersons, `${year}: rows written`);
  }
});

test('moved accounts (transfer, scheme bridging): the place a relation moved to credits interest on it, the place it left no longer does; a move within the year earns from its month like a contribution', async () => {
  // Another region, so this is its first year (the job sums every earlier line and move).
  const HERE = '340100';
  const db = t.ctx.db;
  const employer = await makeEmployer(db, { region: HERE });
  const person = async () => (await makePerson(db, { region: HERE })).id;
  const rate = accountInterestRate(t.ctx.params, 2021);
  /** What the old place sent: the account moved, funds sent on `on`. */
  const movedOut = async (personId: number, accountFen: number, on: string) => {
    const row = await sql<{ id: number }>`
      INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, account_fen)
      VALUES (${`t-${personId}`}, 'out', 'pension', ${'x'.repeat(64)}, ${personId}, '340000', '320000', 'completed', '320000', ${accountFen})
      RETURNING id`.execute(db);
    await sql`INSERT INTO fed_transfer_step (transfer_id, step, on_day, node)
      VALUES (${row.rows[0]?.id}, 'funds-sent', ${on}, '340000')`.execute(db);
  };
  /** What the new place booked: the account credited to the record in `period` (transfer or bridging). */
  let source = 900_000;
  const movedIn = (personId: number, accountFen: number, period: string) =>
    sql`INSERT INTO pension_record_credit (person_id, fund, source_type, source_id, account_fen, period, note, created_by)
      VALUES (${personId}, 'employee_pension', 'fed_transfer', ${source++}, ${accountFen}, ${period}, 'test', 'test')`.execute(
      db,
    );
  const yearOfLines = async (personId: number, year: number) => {
    for (let m = 1; m <= 12; m++)
      await makeBillLine(db, {
        personId,
        employerId: employer.id,
        region: HERE,
        period: `${year}-${String(m).padStart(2, '0')}`,
        personalAccountFen: 10_000,
      });
  };
  // Arrived in 2020 with 120,000.00 fen of account and nothing paid here yet.
  const arrived = await person();
  await movedIn(arrived, 120_000, '2020-06');
  // Left in 2020: 2019's 120,000 went with the relation.
  const left = await person();
  await yearOfLines(left, 2019);
  await movedOut(left, 120_000, '2020-06-15');
  // Arrived in April 2021 with 60,000, paid 2021 here.
  const arrivedInYear = await person();
  await movedIn(arrivedInYear, 60_000, '2021-04');
  await yearOfLines(arrivedInYear, 2021);
  // Paid 2020 here, left in April 2021 taking the 120,000.
  const leftInYear = await person();
  await yearOfLines(leftInYear, 2020);
  await movedOut(leftInYear, 120_000, '2021-04-20');

  await runAccountInterest(db, t.ctx.params, systemActor('interest-test'), { year: 2021, region: HERE });
  const rows = await db
    .selectFrom('account_interest_credit')
    .selectAll()
    .where('year', '=', 2021)
    .where('region', '=', HERE)
    .execute();
  const credit = (personId: number) => {
    const r = rows.find((x) => x.person_id === personId && x.fund === 'employee_pension');
    return r ? [Number(r.opening_fen), Number(r.contributions_fen), Number(r.interest_fen)] : undefined;
  };
  const r = new Dec(rate).div(100);
  const whole = (fenAmount: number) => roundFen(new Dec(fenAmount).mul(r));
  // A move in April earns like an April contribution: (13 − 4) months of 12.
  const fromApril = (fenAmount: number) => roundFen(new Dec(fenAmount).mul(r).mul(9).div(12));
  assert.deepEqual(credit(arrived), [120_000, 0, whole(120_000)], 'the moved-in account earns a whole year');
  assert.deepEqual(credit(left), [0, 0, 0], 'the moved-out account earns nothing at the place left');
  assert.deepEqual(credit(arrivedInYear), [
    0,
    120_000,
    creditAccountYear(rate, fen(0), fen(120_000)).interestFen + fromApril(60_000),
  ]);
  assert.deepEqual(credit(leftInYear), [120_000, 0, whole(120_000) - fromApril(120_000)]);
});
