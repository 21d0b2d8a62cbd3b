// What the certification benchmarks share: the pensioners they generate (the same data in every run,
// set-based, valid ID numbers computed in SQL) and the PostgreSQL cluster's CPU from /proc.
import { sql } from 'kysely';
import type { AppContext } from '../src/app-context.ts';
import { settle } from './bench-support.ts';

export const REGION = '341800';
export const BIRTH_SPAN = 9000;

/**
 * N persons with valid ID numbers, their awards and initial amounts: three INSERT … SELECT statements;
 * then vacuumed, analyzed and checkpointed (settle) for the first timed phase.
 */
export async function generatePensioners(ctx: AppContext, n: number): Promise<void> {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = sql.raw(weights.map((w, k) => `substr(body, ${k + 1}, 1)::int * ${w}`).join(' + '));
  await ctx.db.transaction().execute(async (tx) => {
    await sql`
      INSERT INTO person (id_number, name, sex, birth_date, hukou_region, region)
      SELECT body || substr('10X98765432', ((${sum}) % 11) + 1, 1), '退休人员' || i,
        CASE WHEN (i / ${BIRTH_SPAN}) % 2 = 1 THEN 'M' ELSE 'F' END, birth, '341802', ${REGION}
      FROM (
        SELECT i, (date '1940-01-01' + (i % ${BIRTH_SPAN})) AS birth,
          '341802' || to_char(date '1940-01-01' + (i % ${BIRTH_SPAN}), 'YYYYMMDD') || lpad((i / ${BIRTH_SPAN})::text, 3, '0') AS body
        FROM generate_series(0, ${n - 1}) i
      ) s`.execute(tx);
    await sql`
      INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
      SELECT id, 'employee_pension', ${REGION}, 'import', date '2015-06-15', '2015-07', 180 + (id * 13) % 360, 200000 + (id * 7919) % 400000, 'bench'
      FROM person`.execute(tx);
    await sql`
      INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, created_by)
      SELECT id, start_period, monthly_fen, 'initial', 'bench' FROM pension_award`.execute(tx);
  });
  await settle(ctx, 'the first timed phase', { vacuum: ['person', 'pension_award', 'pension_amount'] });
}
