// One list of every recovery (追回), whoever opened it: the pension capability's recovery cases
// (deaths, ineligibility), the unemployment capability's (months paid after a stop), the supervision
// cases' (opened by a released decision) and the injury fund's advances to recover from uninsured
// employers. A read model over the owners' tables (the view recovery_overview), not a copy.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { detectorTitle } from './detector.rules.ts';

export type RecoverySource = 'pension' | 'unemployment' | 'supervision' | 'injury';
export type RecoveryStatus = 'open' | 'recovered' | 'written_off';

export interface RecoveryQuery {
  region?: string;
  status?: RecoveryStatus;
  source?: RecoverySource;
  minOwedFen?: number;
  sort?: 'owed' | 'recovered' | 'newest';
  page?: number;
  pageSize?: number;
}

export interface RecoveryItem {
  ref: string;
  source: RecoverySource;
  sourceId: number;
  supervisionCaseId: number | null;
  region: string;
  personId: number | null;
  personName: string | null;
  employerId: number | null;
  employerName: string | null;
  reason: string;
  /** For a supervision case, the kind of finding it came from (the case stores its reason as 'other'). */
  detectorZh: string | null;
  detectorEn: string | null;
  amountFen: number;
  recoveredFen: number;
  outstandingFen: number;
  fineFen: number;
  status: RecoveryStatus;
  createdAt: string;
}

export interface RecoveryList {
  items: RecoveryItem[];
  total: number;
  totals: { amountFen: number; recoveredFen: number; outstandingFen: number; fineFen: number };
  bySource: Array<{ source: RecoverySource; count: number; amountFen: number; recoveredFen: number }>;
}

export class RecoveryService {
  constructor(private readonly db: Db) {}

  async listRecoveries(actor: Actor, q: RecoveryQuery): Promise<RecoveryList> {
    const region = q.region ?? actor.region ?? '000000';
    authorize(actor, 'supervision.recovery.read', { region });
    const where = sql`${regionCoversSql(sql.ref('r.region'), region)}
    ${q.status ? sql`AND r.status = ${q.status}` : sql``}
    ${q.source ? sql`AND r.source = ${q.source}` : sql``}
    ${q.minOwedFen !== undefined ? sql`AND r.amount_fen - r.recovered_fen >= ${q.minOwedFen}` : sql``}`;
    const order =
      q.sort === 'owed'
        ? sql`(r.amount_fen - r.recovered_fen) DESC, r.ref`
        : q.sort === 'recovered'
          ? sql`r.recovered_fen DESC, r.ref`
          : sql`r.created_at DESC, r.ref`;
    const pageSize = q.pageSize ?? 50;
    const offset = ((q.page ?? 1) - 1) * pageSize;
    const rows = await sql<{
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
    }>`
    SELECT r.*, p.name AS person_name, e.name AS employer_name, f.detector
    FROM recovery_overview r LEFT JOIN person p ON p.id = r.person_id LEFT JOIN employer e ON e.id = r.employer_id
    LEFT JOIN supervision_case sc ON sc.id = r.supervision_case_id
    LEFT JOIN supervision_finding f ON f.id = sc.finding_id
    WHERE ${where} ORDER BY ${order} LIMIT ${pageSize} OFFSET ${offset}`.execute(this.db);
    const agg = await sql<{
      source: RecoverySource;
      n: unknown;
      amount: unknown;
      recovered: unknown;
      fine: unknown;
      outstanding: unknown;
    }>`
    SELECT r.source, count(*)::bigint AS n, sum(r.amount_fen)::bigint AS amount, sum(r.recovered_fen)::bigint AS recovered,
           sum(r.fine_fen)::bigint AS fine,
           sum(CASE WHEN r.status = 'open' THEN r.amount_fen - r.recovered_fen ELSE 0 END)::bigint AS outstanding
    FROM recovery_overview r WHERE ${where} GROUP BY r.source ORDER BY r.source`.execute(this.db);
    const nullable = (v: unknown) => (v === null || v === undefined ? null : int(v));
    return {
      items: rows.rows.map((r) => ({
        ref: r.ref,
        source: r.source,
        sourceId: int(r.source_id),
        supervisionCaseId: nullable(r.supervision_case_id),
        region: r.region.trim(),
        personId: nullable(r.person_id),
        personName: r.person_name,
        employerId: nullable(r.employer_id),
        employerName: r.employer_name,
        reason: r.reason,
        ...(r.detector === null ? { detectorZh: null, detectorEn: null } : detectorTitle(r.detector)),
        amountFen: int(r.amount_fen),
        recoveredFen: int(r.recovered_fen),
        outstandingFen: r.status === 'open' ? int(r.amount_fen) - int(r.recovered_fen) : 0,
        fineFen: int(r.fine_fen),
        status: r.status,
        createdAt: new Date(r.created_at).toISOString(),
      })),
      total: agg.rows.reduce((s, a) => s + int(a.n), 0),
      totals: {
        amountFen: agg.rows.reduce((s, a) => s + int(a.amount), 0),
        recoveredFen: agg.rows.reduce((s, a) => s + int(a.recovered), 0),
        outstandingFen: agg.rows.reduce((s, a) => s + int(a.outstanding), 0),
        fineFen: agg.rows.reduce((s, a) => s + int(a.fine), 0),
      },
      bySource: agg.rows.map((a) => ({
        source: a.source,
        count: int(a.n),
        amountFen: int(a.amount),
        recoveredFen: int(a.recovered),
      })),
    };
  }
}
