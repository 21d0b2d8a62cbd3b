// Fund statements in the article's form: income, expenditure and balance (收入、支出、结余) per fund,
// region and period, derived from the journal.
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
