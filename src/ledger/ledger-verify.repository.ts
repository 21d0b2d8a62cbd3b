// `shebao ledger verify`: recompute every balance from the journal, check every entry balances and the
// accounting equation holds, and run the sub-ledger checks that the capabilities above register.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Fund } from '../db/database.ts';
import { int } from '../db/values.ts';
import { accountBalances, type AccountCode } from './journal.repository.ts';

export interface SubLedgerCheck {
  /** e.g. "contribution bills = receivable account" */
  name: string;
  /** differences found, each a readable line; empty when the sub-ledger agrees with the journal */
  run(db: Db): Promise<string[]>;
}

/**
 * A sub-ledger check of the common shape: per region, what the capability's own table says it paid
 * (`paid`: a query answering `region, amount`) equals the net debit the journal holds on `account`
 * of `fund` for entries of `kind` and their reversals.
 */
export function paidEqualsPostedCheck(c: {
  name: string;
  /** The start of each difference line ("refunds", "skill subsidies"). */
  label: string;
  paid: RawBuilder<unknown>;
  fund: Fund;
  account: AccountCode;
  kind: string;
}): SubLedgerCheck {
  return {
    name: c.name,
    async run(db: Db): Promise<string[]> {
      const r = await sql<{ region: string; paid: unknown; posted: unknown }>`
        WITH paid AS (${c.paid}),
        posted AS (
          SELECT e.region, sum(l.debit_fen - l.credit_fen)::bigint AS amount
          FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
          WHERE e.fund = ${c.fund} AND l.account_code = ${c.account}
            AND (e.kind = ${c.kind} OR e.kind = ${`reversal:${c.kind}`})
          GROUP BY e.region)
        SELECT coalesce(paid.region, posted.region) AS region, coalesce(paid.amount, 0) AS paid, coalesce(posted.amount, 0) AS posted
        FROM paid FULL JOIN posted ON posted.region = paid.region`.execute(db);
      return r.rows
        .filter((x) => int(x.paid) !== int(x.posted))
        .map((x) => `${c.label} ${x.region.trim()}: paid ${int(x.paid)} ≠ posted ${int(x.posted)}`);
    },
  };
}

export interface LedgerVerifyResult {
  ok: boolean;
  entries: number;
  lines: number;
  unbalancedEntries: number[];
  equationDifferences: string[];
  subLedgers: Array<{ name: string; ok: boolean; differences: string[] }>;
  balances: Array<{
    fund: string;
    region: string;
    assetsFen: number;
    liabilitiesFen: number;
    netAssetsFen: number;
  }>;
}

export async function verifyLedger(
  db: Db,
  checks: readonly SubLedgerCheck[] = [],
): Promise<LedgerVerifyResult> {
  const counts = await sql<{ entries: number; lines: number }>`
    SELECT (SELECT count(*) FROM journal_entry)::bigint AS entries, (SELECT count(*) FROM journal_line)::bigint AS lines`.execute(
    db,
  );
  const unbalanced = await sql<{ id: number }>`
    SELECT e.id FROM journal_entry e LEFT JOIN journal_line l ON l.entry_id = e.id
    GROUP BY e.id HAVING coalesce(sum(l.debit_fen), 0) <> coalesce(sum(l.credit_fen), 0) OR count(l.entry_id) < 2
    ORDER BY e.id LIMIT 100`.execute(db);
  const totals = new Map<
    string,
    { fund: string; region: string; assetsFen: number; liabilitiesFen: number; netAssetsFen: number }
  >();
  for (const b of await accountBalances(db)) {
    const k = `${b.fund}|${b.region}`;
    const t = totals.get(k) ?? {
      fund: b.fund,
      region: b.region,
      assetsFen: 0,
      liabilitiesFen: 0,
      netAssetsFen: 0,
    };
    const dr = b.debitFen - b.creditFen;
    if (b.kind === 'asset') t.assetsFen += dr;
    else if (b.kind === 'liability') t.liabilitiesFen -= dr;
    else t.netAssetsFen -= dr; // net assets + income − expense
    totals.set(k, t);
  }
  const equationDifferences = [...totals.values()]
    .filter((t) => t.assetsFen !== t.liabilitiesFen + t.netAssetsFen)
    .map(
      (t) =>
        `${t.fund}/${t.region}: assets ${t.assetsFen} ≠ liabilities ${t.liabilitiesFen} + net assets ${t.netAssetsFen}`,
    );
  const subLedgers = [];
  for (const c of checks) {
    const differences = await c.run(db);
    subLedgers.push({ name: c.name, ok: differences.length === 0, differences });
  }
  const row = counts.rows[0];
  return {
    ok: unbalanced.rows.length === 0 && equationDifferences.length === 0 && subLedgers.every((s) => s.ok),
    entries: Number(row?.entries ?? 0),
    lines: Number(row?.lines ?? 0),
    unbalancedEntries: unbalanced.rows.map((r) => r.id),
    equationDifferences,
    subLedgers,
    balances: [...totals.values()],
  };
}
