// Gives the demo city's retirees (employment ended with reason 'retirement', alive, no award yet)
// an employee-pension award and its initial amount, in two set-based statements. Idempotent.
//
// DOCUMENTED SIMPLIFICATION (source = 'demo'): the demo city has no contribution history before the
// platform, and Anhui has no benefit base wage in params/, so the amount is computed in SQL with the
// 2006 formula's shape and fixed demo figures, not with the employee-pension rule:
//   N = months of employment (all jobs), C = 7,000 yuan, Z = 1.0
//   basic   = round(C × N/12 × 1%)                 (C + C×Z)/2 = C when Z = 1
//   account = round(8% × C × N ÷ 139)              account built at 8% of C, divisor 139 (age 60)
// Real awards come from retirement cases (retirement.service.ts) with the rule and its trace.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditReason } from '../audit/audit-reasons.ts';
import { systemActor, type Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import type { IsoDate } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { CITY_CODE as CITY } from './demo-data.ts';

export const DEMO_BENEFIT_BASE_FEN = 700_000;

export async function awardDemoPensions(
  ctx: AppContext,
): Promise<{ awarded: number; monthlyTotalFen: number }> {
  const actor = systemActor('demo-seed');
  return ctx.db.transaction().execute(async (tx) => {
    // A job not ended counts to the agency's today, not to the database session's date.
    const on = today();
    const r = await sql<{ n: unknown; total: unknown }>`
      WITH retirees AS (
        SELECT j.person_id, max(j.end_date) FILTER (WHERE j.end_reason = 'retirement') AS retirement_date,
          sum(GREATEST(1, (extract(year FROM age(coalesce(j.end_date, ${on}::date), j.start_date)) * 12
                          + extract(month FROM age(coalesce(j.end_date, ${on}::date), j.start_date)))::int)) AS months
        FROM employment j
        WHERE j.person_id IN (SELECT person_id FROM employment WHERE end_reason = 'retirement')
        GROUP BY j.person_id
      ), ins AS (
        INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
        SELECT p.id, 'employee_pension', p.region, 'demo', r.retirement_date,
          to_char(r.retirement_date + interval '1 month', 'YYYY-MM'), r.months,
          round(${DEMO_BENEFIT_BASE_FEN}::numeric * r.months / 12 / 100) + round(${DEMO_BENEFIT_BASE_FEN}::numeric * 0.08 * r.months / 139),
          ${actor.username}
        FROM retirees r JOIN person p ON p.id = r.person_id
        WHERE r.retirement_date IS NOT NULL AND p.death_date IS NULL
          AND NOT EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id AND a.scheme = 'employee_pension')
        RETURNING id, start_period, monthly_fen
      ), amt AS (
        INSERT INTO pension_amount (award_id, effective_period, monthly_fen, components, reason, created_by)
        SELECT id, start_period, monthly_fen, '[{"kind":"demo-simplified","note":"see src/demo/demo-pensions.job.ts"}]'::jsonb, 'initial', ${actor.username} FROM ins
        RETURNING monthly_fen
      )
      SELECT count(*) AS n, coalesce(sum(monthly_fen), 0)::bigint AS total FROM amt`.execute(tx);
    return auditDemoAwards(tx, actor, r.rows, { reason: auditReason('demo-pensions') });
  });
}

/**
 * The demo city's elderly residents (resident_pension enrolment active, alive, 60 or over before
 * `asOf`, no pension yet) get a residents' pension award, their residents' enrolment ends on its
 * retirement date (counted in the audit entry), and they are paid by the same payroll as employee
 * pensions. DOCUMENTED SIMPLIFICATION (source = 'demo'): awarded from the later of the 60th
 * birthday and the enrolment start, at today's national minimum basic pension (the
 * resident-pension rule's basic part, read from params/ for `asOf`) plus the paper-record account
 * (prior_service.resident_account_fen) ÷ 139 — older residents drew the basic pension without
 * contributions when the scheme began. New residents turning 60 go through a retirement case.
 */
export async function awardDemoResidentPensions(
  ctx: AppContext,
  asOf: IsoDate,
): Promise<{ awarded: number; monthlyTotalFen: number; endedEnrolments: number }> {
  const actor = systemActor('demo-seed');
  const basicFen = ctx.params.get<number>('pension/resident-pension-minimum', CITY, asOf);
  const rules = ctx.params.get<{ accountDivisor: number }>('pension/resident-pension-rules', CITY, asOf);
  return ctx.db.transaction().execute(async (tx) => {
    const r = await sql<{ n: unknown; total: unknown; ended: unknown }>`
      WITH eligible AS (
        SELECT p.id, p.region, greatest((p.birth_date + interval '60 years')::date, min(e.start_date)) AS retirement_date,
          coalesce(max(ps.resident_months), 0) AS months, coalesce(max(ps.resident_account_fen), 0) AS account
        FROM person p JOIN enrolment e ON e.person_id = p.id AND e.scheme = 'resident_pension' AND e.status = 'active'
          LEFT JOIN prior_service ps ON ps.person_id = p.id
        WHERE p.death_date IS NULL AND p.birth_date + interval '60 years' < ${asOf}::date
          AND NOT EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id)
        GROUP BY p.id, p.region, p.birth_date
      ), ins AS (
        INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
        SELECT id, 'resident_pension', region, 'demo', retirement_date,
          to_char(retirement_date + interval '1 month', 'YYYY-MM'), months,
          ${basicFen} + round(account::numeric / ${rules.accountDivisor}), ${actor.username}
        FROM eligible
        WHERE to_char(retirement_date + interval '1 month', 'YYYY-MM') <= to_char(${asOf}::date, 'YYYY-MM')
        RETURNING id, person_id, retirement_date, start_period, monthly_fen
      ), ended AS (
        -- as an approved case does (retirement.service.ts): the residents' enrolment ends when the pension starts
        UPDATE enrolment e SET status = 'ended', end_reason = 'retirement', end_date = GREATEST(e.start_date, i.retirement_date),
          end_note = 'demo city seeding: residents'' pension from ' || i.retirement_date
        FROM ins i WHERE e.person_id = i.person_id AND e.scheme = 'resident_pension' AND e.status <> 'ended'
        RETURNING e.id
      ), amt AS (
        INSERT INTO pension_amount (award_id, effective_period, monthly_fen, account_fen, components, reason, created_by)
        SELECT id, start_period, monthly_fen, monthly_fen - ${basicFen},
          jsonb_build_array(jsonb_build_object('kind', 'basicPension', 'amountFen', ${basicFen}::bigint),
            jsonb_build_object('kind', 'accountPension', 'amountFen', monthly_fen - ${basicFen}),
            jsonb_build_object('kind', 'demo-simplified', 'note', 'see src/demo/demo-pensions.job.ts awardDemoResidentPensions')),
          'initial', ${actor.username} FROM ins
        RETURNING monthly_fen
      )
      SELECT count(*) AS n, coalesce(sum(monthly_fen), 0)::bigint AS total, (SELECT count(*) FROM ended) AS ended FROM amt`.execute(
      tx,
    );
    return auditDemoAwards(tx, actor, r.rows, {
      also: { endedEnrolments: int(r.rows[0]?.ended) },
      scheme: 'resident_pension',
      reason: auditReason('demo-resident-pensions'),
    });
  });
}

/** The count and monthly total of the awards one seeding statement made (and what else it counted), audited once when there are any. */
async function auditDemoAwards<X extends Record<string, number>>(
  tx: Db,
  actor: Actor,
  rows: ReadonlyArray<{ n: unknown; total: unknown }>,
  audit: { scheme?: string; reason: string; also?: X },
): Promise<{ awarded: number; monthlyTotalFen: number } & X> {
  const out = { awarded: int(rows[0]?.n), monthlyTotalFen: int(rows[0]?.total), ...(audit.also as X) };
  if (out.awarded > 0)
    await appendAudit(tx, actor, {
      action: 'pension.demo-awards',
      entityType: 'pension_award',
      after: audit.scheme === undefined ? out : { scheme: audit.scheme, ...out },
      reason: audit.reason,
    });
  return out;
}
