// One list of every recovery (追回), whoever opened it: the pension capability's recovery cases
// (deaths, ineligibility), the unemployment capability's (months paid after a stop), the supervision
// cases' (opened by a released decision) and the injury fund's advances to recover from uninsured
// employers. A read model over the owners' tables (the view recovery_overview), not a copy.
import type { Db } from '../db/connection.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { int } from '../db/values.ts';
import { detectorTitle } from './detector.rules.ts';
import * as repo from './recovery.repository.ts';
import type { RecoverySource, RecoveryStatus } from './recovery.repository.ts';

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
    const filter = { region, status: q.status, source: q.source, minOwedFen: q.minOwedFen };
    const pageSize = q.pageSize ?? 50;
    const rows = await repo.recoveryPage(this.db, filter, {
      sort: q.sort,
      limit: pageSize,
      offset: ((q.page ?? 1) - 1) * pageSize,
    });
    const agg = await repo.recoveryTotalsBySource(this.db, filter);
    const nullable = (v: unknown) => (v === null || v === undefined ? null : int(v));
    return {
      items: rows.map((r) => ({
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
      total: agg.reduce((s, a) => s + int(a.n), 0),
      totals: {
        amountFen: agg.reduce((s, a) => s + int(a.amount), 0),
        recoveredFen: agg.reduce((s, a) => s + int(a.recovered), 0),
        outstandingFen: agg.reduce((s, a) => s + int(a.outstanding), 0),
        fineFen: agg.reduce((s, a) => s + int(a.fine), 0),
      },
      bySource: agg.map((a) => ({
        source: a.source,
        count: int(a.n),
        amountFen: int(a.amount),
        recoveredFen: int(a.recovered),
      })),
    };
  }
}
