// The contributions sub-ledger checked against the fund journal (`shebao ledger verify`): for every
// fund and region, each account the contribution entries touch must equal what the bills, payments
// and interest credits add up to. Only entries of kind contribution.* (and their reversals) count, so
// other capabilities' postings to the same accounts do not disturb the comparison.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { SubLedgerCheck } from '../ledger/ledger-verify.repository.ts';

interface Row {
  fund: string;
  region: string;
  account: string;
  amount: number;
}

/** Journal balances (debit − credit) of the contribution entries, per fund, region and account. */
async function journalSide(db: Db): Promise<Map<string, number>> {
  const r = await sql<Row>`
    SELECT e.fund, e.region, l.account_code AS account, sum(l.debit_fen - l.credit_fen)::bigint AS amount
    FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
    WHERE e.kind LIKE 'contribution.%' OR e.kind LIKE 'reversal:contribution.%'
    GROUP BY e.fund, e.region, l.account_code`.execute(db);
  return new Map(r.rows.map((x) => [`${x.fund}|${x.region.trim()}|${x.account}`, Number(x.amount)]));
}

/** What the sub-ledger says each account should hold (debit − credit). */
async function subLedgerSide(db: Db): Promise<Map<string, number>> {
  const r = await sql<Row>`
    WITH parts AS (
      SELECT b.region, b.status, b.payer_kind, f.fund, f.amount, b.personal_account_fen, b.subsidy_fen
      FROM contribution_bill b
      CROSS JOIN LATERAL (VALUES
        (CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END, b.pension_employer_fen + b.pension_employee_fen),
        ('unemployment', b.unemployment_employer_fen + b.unemployment_employee_fen),
        ('injury', b.injury_fen)) AS f(fund, amount)
    ), pay AS (
      -- receipts that paid a bill together each carry their late fee; the bill's contributions count once
      SELECT p.region, x.fund, x.contribution, x.fee
      FROM (SELECT q.*, row_number() OVER (PARTITION BY q.bill_id ORDER BY q.id) AS nth
            FROM contribution_payment q WHERE q.status = 'matched') p
      LEFT JOIN contribution_bill b ON b.id = p.bill_id
      CROSS JOIN LATERAL (VALUES
        (CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END,
          CASE WHEN p.nth = 1 THEN b.pension_employer_fen + b.pension_employee_fen ELSE 0 END, p.late_fee_pension_fen),
        ('unemployment', CASE WHEN p.nth = 1 THEN b.unemployment_employer_fen + b.unemployment_employee_fen ELSE 0 END, p.late_fee_unemployment_fen),
        ('injury', CASE WHEN p.nth = 1 THEN b.injury_fen ELSE 0 END, p.late_fee_injury_fen)) AS x(fund, contribution, fee)
    )
    SELECT fund, region, '1101' AS account, sum(amount)::bigint AS amount FROM parts WHERE status = 'open' GROUP BY fund, region
    UNION ALL SELECT fund, region, '4001', -sum(amount)::bigint FROM parts WHERE status <> 'cancelled' GROUP BY fund, region
    UNION ALL SELECT 'resident_pension', region, '1201', sum(subsidy_fen)::bigint FROM contribution_bill WHERE payer_kind = 'resident' AND status <> 'cancelled' GROUP BY region
    UNION ALL SELECT 'resident_pension', region, '4002', -sum(subsidy_fen)::bigint FROM contribution_bill WHERE payer_kind = 'resident' AND status <> 'cancelled' GROUP BY region
    UNION ALL SELECT fund, region, '1001', sum(contribution + fee)::bigint FROM pay GROUP BY fund, region
    UNION ALL SELECT fund, region, '4004', -sum(fee)::bigint FROM pay GROUP BY fund, region
    UNION ALL SELECT 'employee_pension', region, '1001', sum(amount_fen)::bigint FROM contribution_payment WHERE status = 'unallocated' GROUP BY region
    UNION ALL SELECT 'employee_pension', region, '2301', -sum(amount_fen)::bigint FROM contribution_payment WHERE status = 'unallocated' GROUP BY region
    UNION ALL SELECT CASE WHEN payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END, region, '3002', -sum(personal_account_fen)::bigint
      FROM contribution_bill WHERE status = 'paid' GROUP BY 1, region
    UNION ALL SELECT CASE WHEN payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END, region, '3001', sum(personal_account_fen)::bigint
      FROM contribution_bill WHERE status = 'paid' GROUP BY 1, region
    UNION ALL SELECT fund, region, '3002', -sum(interest_fen)::bigint FROM account_interest_credit GROUP BY fund, region
    UNION ALL SELECT fund, region, '3001', sum(interest_fen)::bigint FROM account_interest_credit GROUP BY fund, region
    UNION ALL SELECT fund, region, '1001', sum(interest_fen)::bigint FROM account_interest_credit WHERE fund = 'resident_pension' GROUP BY fund, region
    UNION ALL SELECT fund, region, '4003', -sum(interest_fen)::bigint FROM account_interest_credit WHERE fund = 'resident_pension' GROUP BY fund, region`.execute(
    db,
  );
  const out = new Map<string, number>();
  for (const x of r.rows) {
    const k = `${x.fund}|${x.region.trim()}|${x.account}`;
    out.set(k, (out.get(k) ?? 0) + Number(x.amount));
  }
  return out;
}

const ACCOUNT_NAMES: Record<string, string> = {
  '1001': 'bank = payments received (+ the residents\u2019 fund\u2019s interest)',
  '1101': 'contributions receivable = open bills',
  '1201': 'subsidies receivable = residents\u2019 subsidies',
  '2301': 'unallocated receipts = unmatched payments',
  '3001': 'pooled fund = − personal-account credits',
  '3002': 'personal-account fund = paid bills\u2019 account parts + interest',
  '4001': 'contribution income = live bills',
  '4002': 'subsidy income = residents\u2019 subsidies',
  '4003': 'interest income = interest credited to residents\u2019 accounts',
  '4004': 'late-fee income = late fees paid',
};

export async function contributionDifferences(db: Db): Promise<string[]> {
  const j = await journalSide(db);
  const s = await subLedgerSide(db);
  const keys = new Set([...j.keys(), ...s.keys()]);
  const out: string[] = [];
  for (const k of [...keys].sort()) {
    const a = j.get(k) ?? 0;
    const b = s.get(k) ?? 0;
    if (a !== b) {
      const [fund, region, account] = k.split('|');
      out.push(
        `${fund}/${region} ${account} (${ACCOUNT_NAMES[account ?? ''] ?? account}): journal ${a}, sub-ledger ${b}, difference ${a - b}`,
      );
    }
  }
  return out;
}

/** Each bill's amounts are the sums of its lines. */
export async function billLineDifferences(db: Db): Promise<string[]> {
  const r = await sql<{
    id: number;
    lines: number;
    n: number;
    total: number;
    sum: number;
    pa: number;
    pa_sum: number;
  }>`
    SELECT b.id, b.lines, count(l.person_id)::bigint AS n, b.total_fen AS total,
      coalesce(sum(l.pension_employer_fen + l.pension_employee_fen + l.unemployment_employer_fen + l.unemployment_employee_fen + l.injury_fen), 0)::bigint AS sum,
      b.personal_account_fen AS pa, coalesce(sum(l.personal_account_fen), 0)::bigint AS pa_sum
    FROM contribution_bill b LEFT JOIN contribution_bill_line l ON l.bill_id = b.id
    GROUP BY b.id
    HAVING b.lines <> count(l.person_id)
      OR (b.payer_kind <> 'resident' AND b.total_fen <> coalesce(sum(l.pension_employer_fen + l.pension_employee_fen + l.unemployment_employer_fen + l.unemployment_employee_fen + l.injury_fen), 0))
      OR b.personal_account_fen <> coalesce(sum(l.personal_account_fen), 0)
    ORDER BY b.id LIMIT 20`.execute(db);
  return r.rows.map(
    (x) =>
      `bill ${x.id}: ${x.lines} lines declared, ${x.n} found; total ${x.total} vs lines ${x.sum}; account ${x.pa} vs lines ${x.pa_sum}`,
  );
}

export const CONTRIBUTION_CHECKS: readonly SubLedgerCheck[] = [
  {
    name: 'contribution bills, payments and account credits = journal (1001, 1101, 1201, 2301, 3001, 3002, 4001, 4002, 4003, 4004)',
    run: contributionDifferences,
  },
  { name: 'contribution bills = sum of their lines', run: billLineDifferences },
];
