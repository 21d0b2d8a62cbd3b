// The SQL of the list of every recovery (recovery.service.ts): a page of the view recovery_overview
// with the names it shows, and its totals per source, under one filter.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';

export type RecoverySource = 'pension' | 'unemployment' | 'supervision' | 'injury';
export type RecoveryStatus = 'open' | 'recovered' | 'written_off';

export interface RecoveryFilter {
  region: string;
  status: RecoveryStatus | undefined;
  source: RecoverySource | undefined;
  minOwedFen: number | undefined;
}

function whereOf(f: RecoveryFilter): RawBuilder<unknown> {
  return sql`${regionCoversSql(sql.ref('r.region'), f.region)}
    ${f.status ? sql`AND r.status = ${f.status}` : sql``}
    ${f.source ? sql`AND r.source = ${f.source}` : sql``}
    ${f.minOwedFen !== undefined ? sql`AND r.amount_fen - r.recovered_fen >= ${f.minOwedFen}` : sql``}`;
}

export interface RecoveryRow {
  ref: string;
  source: RecoverySource;
  source_id: unknown;
  supervision_case_id: unknown;
  region: string;
  person_id: unknown;
  person_name: string | null;
  employer_id: unknown;
  employer_name: string | null;
  reason: string;
  detector: string | null;
  amount_fen: unknown;
  recovered_fen: unknown;
  fine_fen: unknown;
  status: RecoveryStatus;
  created_at: string;
}

/** A page of the recoveries, most owed, most recovered or newest first (ties by ref). */
export async function recoveryPage(
  db: Db,
  f: RecoveryFilter,
  page: { sort: 'owed' | 'recovered' | 'newest' | undefined; limit: number; offset: number },
): Promise<RecoveryRow[]> {
  const order =
    page.sort === 'owed'
      ? sql`(r.amount_fen - r.recovered_fen) DESC, r.ref`
      : page.sort === 'recovered'
        ? sql`r.recovered_fen DESC, r.ref`
        : sql`r.created_at DESC, r.ref`;
  const rows = await sql<RecoveryRow>`
    SELECT r.*, p.name AS person_name, e.name AS employer_name, f.detector
    FROM recovery_overview r LEFT JOIN person p ON p.id = r.person_id LEFT JOIN employer e ON e.id = r.employer_id
    LEFT JOIN supervision_case sc ON sc.id = r.supervision_case_id
    LEFT JOIN supervision_finding f ON f.id = sc.finding_id
    WHERE ${whereOf(f)} ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return rows.rows;
}

export interface RecoveryTotals {
  source: RecoverySource;
  n: unknown;
  amount: unknown;
  recovered: unknown;
  fine: unknown;
  outstanding: unknown;
}

/** Count, amounts, fines and what is still owed (open ones only) per source. */
export async function recoveryTotalsBySource(db: Db, f: RecoveryFilter): Promise<RecoveryTotals[]> {
  const agg = await sql<RecoveryTotals>`
    SELECT r.source, count(*)::bigint AS n, sum(r.amount_fen)::bigint AS amount, sum(r.recovered_fen)::bigint AS recovered,
           sum(r.fine_fen)::bigint AS fine,
           sum(CASE WHEN r.status = 'open' THEN r.amount_fen - r.recovered_fen ELSE 0 END)::bigint AS outstanding
    FROM recovery_overview r WHERE ${whereOf(f)} GROUP BY r.source ORDER BY r.source`.execute(db);
  return agg.rows;
}
