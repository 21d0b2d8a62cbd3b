// The supervisor's risk dashboard: findings by detector and region, by month of discovery, the
// amounts at risk, and what the supervision cases decided and recovered (read from the findings,
// the cases and the recoveries they opened; nothing is copied).
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { addPeriods, periodOf } from '../core/dates.ts';
import { regionName } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { DETECTOR_TITLES } from './detector.rules.ts';
import type { Words } from '../core/bilingual.ts';

export interface Dashboard {
  region: string;
  fromPeriod: string;
  toPeriod: string;
  /** Each detector's name for people, so the charts never show an identifier. */
  detectorTitles: Record<string, Words>;
  byDetector: Array<{
    detector: string;
    open: number;
    dismissed: number;
    cases: number;
    amountAtRiskFen: number;
  }>;
  byRegion: Array<{
    region: string;
    nameZh: string;
    nameEn: string;
    findings: number;
    amountAtRiskFen: number;
  }>;
  byMonth: Array<{ period: string; detector: string; findings: number; amountAtRiskFen: number }>;
  recoveredByMonth: Array<{ period: string; recoveredFen: number }>;
  totals: {
    findings: number;
    openFindings: number;
    amountAtRiskFen: number;
    cases: number;
    decidedFen: number;
    fineFen: number;
    recoveredFen: number;
  };
}

export class DashboardService {
  constructor(private readonly db: Db) {}

  async dashboard(actor: Actor, q: { region?: string; months?: number }): Promise<Dashboard> {
    const region = q.region ?? actor.region ?? '000000';
    authorize(actor, 'supervision.dashboard', { region });
    const toPeriod = periodOf(today());
    const fromPeriod = addPeriods(toPeriod, -((q.months ?? 12) - 1));
    const inRegion = regionCoversSql(sql.ref('f.region'), region);
    const byDetector = await sql<{
      detector: string;
      open: unknown;
      dismissed: unknown;
      cases: unknown;
      risk: unknown;
    }>`
    SELECT f.detector,
      count(*) FILTER (WHERE f.status = 'open')::bigint AS open,
      count(*) FILTER (WHERE f.status = 'dismissed')::bigint AS dismissed,
      count(*) FILTER (WHERE f.status = 'case')::bigint AS cases,
      coalesce(sum(f.amount_at_risk_fen) FILTER (WHERE f.status <> 'dismissed'), 0)::bigint AS risk
    FROM supervision_finding f WHERE ${inRegion} GROUP BY f.detector ORDER BY f.detector`.execute(this.db);
    const byRegion = await sql<{ region: string; n: unknown; risk: unknown }>`
    SELECT f.region, count(*)::bigint AS n,
      coalesce(sum(f.amount_at_risk_fen) FILTER (WHERE f.status <> 'dismissed'), 0)::bigint AS risk
    FROM supervision_finding f WHERE ${inRegion} GROUP BY f.region ORDER BY f.region`.execute(this.db);
    const byMonth = await sql<{ period: string; detector: string; n: unknown; risk: unknown }>`
    SELECT to_char(f.found_on, 'YYYY-MM') AS period, f.detector, count(*)::bigint AS n,
      coalesce(sum(f.amount_at_risk_fen), 0)::bigint AS risk
    FROM supervision_finding f
    WHERE ${inRegion} AND f.found_on >= ${`${fromPeriod}-01`}::date
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(this.db);
    const recovered = await sql<{ period: string; amt: unknown }>`
    SELECT to_char(coalesce(rcl.received_date, rcl.created_at::date), 'YYYY-MM') AS period, sum(rcl.amount_fen)::bigint AS amt
    FROM recovery_collection rcl JOIN supervision_case c ON c.recovery_case_id = rcl.case_id
    WHERE ${regionCoversSql(sql.ref('c.region'), region)} AND rcl.status IN ('recorded', 'applied')
      AND coalesce(rcl.received_date, rcl.created_at::date) >= ${`${fromPeriod}-01`}::date
    GROUP BY 1 ORDER BY 1`.execute(this.db);
    const cases = await sql<{ n: unknown; decided: unknown; fine: unknown; recovered: unknown }>`
    SELECT count(*)::bigint AS n, coalesce(sum(c.overpaid_fen), 0)::bigint AS decided, coalesce(sum(c.fine_fen), 0)::bigint AS fine,
      coalesce(sum(rc.recovered_fen), 0)::bigint AS recovered
    FROM supervision_case c LEFT JOIN recovery_case rc ON rc.id = c.recovery_case_id
    WHERE ${regionCoversSql(sql.ref('c.region'), region)}`.execute(this.db);
    const d = byDetector.rows.map((r) => ({
      detector: r.detector,
      open: int(r.open),
      dismissed: int(r.dismissed),
      cases: int(r.cases),
      amountAtRiskFen: int(r.risk),
    }));
    const c = cases.rows[0];
    return {
      region,
      fromPeriod,
      toPeriod,
      detectorTitles: DETECTOR_TITLES,
      byDetector: d,
      byRegion: byRegion.rows.map((r) => ({
        region: r.region.trim(),
        nameZh: regionName(r.region.trim(), 'zh'),
        nameEn: regionName(r.region.trim(), 'en'),
        findings: int(r.n),
        amountAtRiskFen: int(r.risk),
      })),
      byMonth: byMonth.rows.map((r) => ({
        period: r.period,
        detector: r.detector,
        findings: int(r.n),
        amountAtRiskFen: int(r.risk),
      })),
      recoveredByMonth: recovered.rows.map((r) => ({ period: r.period, recoveredFen: int(r.amt) })),
      totals: {
        findings: d.reduce((s, x) => s + x.open + x.dismissed + x.cases, 0),
        openFindings: d.reduce((s, x) => s + x.open, 0),
        amountAtRiskFen: d.reduce((s, x) => s + x.amountAtRiskFen, 0),
        cases: int(c?.n),
        decidedFen: int(c?.decided),
        fineFen: int(c?.fine),
        recoveredFen: int(c?.recovered),
      },
    };
  }
}
