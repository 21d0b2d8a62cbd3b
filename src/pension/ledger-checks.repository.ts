// The pension payroll's sub-ledger checked against the fund journal (`shebao ledger verify`): per
// fund and region, what the payroll entries moved on each account equals what the payments say —
// every payment is benefit expenditure (5001) out of the bank (1001); a residents' pension payment
// draws its account part down from the personal accounts (3002 → 3001, the account sub-ledger of
// drawdowns is pension_payment.account_fen) and books its basic part as subsidy (1201 → 4002).
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { SubLedgerCheck } from '../ledger/ledger-verify.repository.ts';

interface Row {
  fund: string;
  region: string;
  account: string;
  amount: unknown;
}

const NAMES: Record<string, string> = {
  '1001': 'bank = − payments less offsets',
  '1301': 'overpayments receivable = − recovery offsets kept back',
  '1201': 'subsidies receivable = residents\u2019 basic parts',
  '3001': 'pooled fund = − residents\u2019 account parts',
  '3002': 'personal-account fund = residents\u2019 account parts drawn down',
  '4002': 'subsidy income = residents\u2019 basic parts',
  '5001': 'benefit expenditure = payments',
};

export async function payrollDifferences(db: Db): Promise<string[]> {
  const j = await sql<Row>`
    SELECT e.fund, e.region, l.account_code AS account, sum(l.debit_fen - l.credit_fen)::bigint AS amount
    FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
    WHERE e.kind = 'pension_payroll' OR e.kind = 'reversal:pension_payroll'
    GROUP BY e.fund, e.region, l.account_code`.execute(db);
  const s = await sql<Row>`
    WITH p AS (
      SELECT a.scheme AS fund, a.region, pp.amount_fen, pp.account_fen, pp.offset_fen
      FROM pension_payment pp JOIN pension_award a ON a.id = pp.award_id
    )
    SELECT fund, region, '5001' AS account, sum(amount_fen)::bigint AS amount FROM p GROUP BY fund, region
    UNION ALL SELECT fund, region, '1001', -sum(amount_fen - offset_fen)::bigint FROM p GROUP BY fund, region
    UNION ALL SELECT fund, region, '1301', -sum(offset_fen)::bigint FROM p GROUP BY fund, region
    UNION ALL SELECT fund, region, '3002', sum(account_fen)::bigint FROM p WHERE fund = 'resident_pension' GROUP BY fund, region
    UNION ALL SELECT fund, region, '3001', -sum(account_fen)::bigint FROM p WHERE fund = 'resident_pension' GROUP BY fund, region
    UNION ALL SELECT fund, region, '1201', sum(amount_fen - account_fen)::bigint FROM p WHERE fund = 'resident_pension' GROUP BY fund, region
    UNION ALL SELECT fund, region, '4002', -sum(amount_fen - account_fen)::bigint FROM p WHERE fund = 'resident_pension' GROUP BY fund, region`.execute(
    db,
  );
  const add = (m: Map<string, number>, x: Row): void => {
    const k = `${x.fund}|${x.region.trim()}|${x.account}`;
    m.set(k, (m.get(k) ?? 0) + Number(x.amount));
  };
  const jm = new Map<string, number>();
  const sm = new Map<string, number>();
  for (const x of j.rows) add(jm, x);
  for (const x of s.rows) add(sm, x);
  const out: string[] = [];
  for (const k of [...new Set([...jm.keys(), ...sm.keys()])].sort()) {
    const a = jm.get(k) ?? 0;
    const b = sm.get(k) ?? 0;
    if (a !== b) {
      const [fund, region, account] = k.split('|');
      out.push(
        `${fund}/${region} ${account} (${NAMES[account ?? ''] ?? account}): journal ${a}, payments ${b}, difference ${a - b}`,
      );
    }
  }
  return out;
}

export const PENSION_CHECKS: readonly SubLedgerCheck[] = [
  {
    name: 'pension payments (and residents\u2019 account drawdowns and basic parts) = payroll journal (1001, 1201, 1301, 3001, 3002, 4002, 5001)',
    run: payrollDifferences,
  },
];
