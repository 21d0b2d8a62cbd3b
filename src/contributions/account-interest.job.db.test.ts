// The account-interest job re-expresses account-interest.rules.ts in SQL (set-based, per chunk of
// persons). This test holds the two together: every person's credit written by the job equals
// creditAccountYear on the same opening balance and contributions — in the first year (the job
// sums every earlier line) and in the next (it starts from last year's closing) — for both funds,
// with amounts chosen to land on half-fen boundaries. A bill that is open, cancelled or of another
// region counts for nothing. (docs/architecture.md: every SQL twin of a rule is tested against it.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { fen } from '../core/money.ts';
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
