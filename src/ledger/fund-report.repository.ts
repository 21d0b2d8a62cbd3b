// Fund statements in the article's form: income, expenditure and balance (收入、支出、结余) per fund,
// region and period, derived from the journal.
import { sql } from 'kysely';
import { periodEnd, type Period } from '../core/dates.ts';
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
