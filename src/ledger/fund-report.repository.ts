// Fund statements in the article's form: income, expenditure and balance (收入、支出、结余) per fund,
// region and period, derived from the journal.
import { sql } from 'kysely';
import { addPeriods, periodEnd, periodRange, type Period } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import type { Fund } from '../db/database.ts';
import { accountBalances, FUNDS, type AccountBalance } from './journal.repository.ts';

export interface FundStatement {
  fund: Fund;
  region: string;
  /** income and expenditure of the periods asked (fromPeriod … throughPeriod) */
  incomeFen: number;
  expenditureFen: number;
  /** cumulative balance (net assets) at the end of throughPeriod */
  balanceFen: number;
  /** of which personal accounts */
  personalAccountFen: number;
}

const side = (b: AccountBalance, kind: string): number =>
  ['asset', 'expense'].includes(kind) ? b.debitFen - b.creditFen : b.creditFen - b.debitFen;

export async function fundStatements(
  db: Db,
  opts: { region?: string; fromPeriod: string; throughPeriod: string },
): Promise<FundStatement[]> {
  const base = opts.region === undefined ? {} : { region: opts.region };
  const flows = await accountBalances(db, {
    ...base,
    fromPeriod: opts.fromPeriod,
    throughPeriod: opts.throughPeriod,
  });
  const stock = await accountBalances(db, { ...base, throughPeriod: opts.throughPeriod });
  const key = (f: string, r: string) => `${f}|${r}`;
  const out = new Map<string, FundStatement>();
  const get = (fund: Fund, region: string): FundStatement => {
    let s = out.get(key(fund, region));
    if (!s) {
      s = { fund, region, incomeFen: 0, expenditureFen: 0, balanceFen: 0, personalAccountFen: 0 };
      out.set(key(fund, region), s);
    }
    return s;
  };
  for (const b of flows) {
    if (b.kind === 'income') get(b.fund, b.region).incomeFen += side(b, b.kind);
    if (b.kind === 'expense') get(b.fund, b.region).expenditureFen += side(b, b.kind);
  }
  for (const b of stock) {
    const s = get(b.fund, b.region);
    if (b.kind === 'net_assets' || b.kind === 'income') s.balanceFen += side(b, b.kind);
    if (b.kind === 'expense') s.balanceFen -= side(b, b.kind);
    if (b.account === '3002') s.personalAccountFen += side(b, b.kind);
  }
  return [...out.values()].sort(
    (a, b) => FUNDS.indexOf(a.fund) - FUNDS.indexOf(b.fund) || (a.region < b.region ? -1 : 1),
  );
}

/** One fund's month: its income and expenditure in the month and its balance at the month's end. */
export interface FundMonth {
  period: Period;
  fund: Fund;
  incomeFen: number;
  expenditureFen: number;
  balanceFen: number;
}

/**
 * Each fund's months from fromPeriod through throughPeriod (summed over the regions asked): the
 * balance opens at the end of the month before and moves by each month's entries, as fundStatements
 * counts it. A fund with no entries at all is left out; a month without entries carries the balance.
 */
export async function fundMonths(
  db: Db,
  opts: { region?: string; fromPeriod: Period; throughPeriod: Period },
): Promise<FundMonth[]> {
  const base = opts.region === undefined ? {} : { region: opts.region };
  const opening = await accountBalances(db, { ...base, throughPeriod: addPeriods(opts.fromPeriod, -1) });
  const periods = periodRange(opts.fromPeriod, opts.throughPeriod);
  const flows = await Promise.all(
    periods.map((p) => accountBalances(db, { ...base, fromPeriod: p, throughPeriod: p })),
  );
  // a month's move of the balance: net assets and income add, expenses take away
  const delta = (b: AccountBalance): number =>
    b.kind === 'net_assets' || b.kind === 'income'
      ? side(b, b.kind)
      : b.kind === 'expense'
        ? -side(b, b.kind)
        : 0;
  const funds = FUNDS.filter((f) => [opening, ...flows].some((rows) => rows.some((b) => b.fund === f)));
  return funds.flatMap((fund) => {
    let balanceFen = opening.filter((b) => b.fund === fund).reduce((s, b) => s + delta(b), 0);
    return periods.map((period, i) => {
      const month = (flows[i] ?? []).filter((b) => b.fund === fund);
      const sum = (kind: string) =>
        month.filter((b) => b.kind === kind).reduce((s, b) => s + side(b, kind), 0);
      balanceFen += month.reduce((s, b) => s + delta(b), 0);
      return { period, fund, incomeFen: sum('income'), expenditureFen: sum('expense'), balanceFen };
    });
  });
}

/** The insured persons per region and scheme at the end of a period. */
export async function insuredCounts(db: Db, period: Period, region?: string) {
  const end = periodEnd(period);
  const r = await sql<{ region: string; scheme: string; n: number }>`
    SELECT region, scheme, count(DISTINCT person_id)::bigint AS n FROM enrolment
    WHERE start_date <= ${end} AND (end_date IS NULL OR end_date >= ${end}) ${region === undefined ? sql`` : sql`AND region = ${region}`}
    GROUP BY region, scheme ORDER BY region, scheme`.execute(db);
  return r.rows.map((x) => ({ region: x.region.trim(), scheme: x.scheme, count: Number(x.n) }));
}

/** The employee-pension retirees alive at the end of a period, per region. */
export async function retirees(db: Db, period: Period): Promise<Map<string, number>> {
  const end = periodEnd(period);
  const r = await sql<{ region: string; n: number }>`
    SELECT e.region, count(DISTINCT e.person_id)::bigint AS n FROM enrolment e JOIN person p ON p.id = e.person_id
    WHERE e.scheme = 'employee_pension' AND e.end_reason = 'retirement' AND e.end_date <= ${end} AND (p.death_date IS NULL OR p.death_date > ${end})
    GROUP BY e.region`.execute(db);
  return new Map(r.rows.map((x) => [x.region.trim(), Number(x.n)]));
}
