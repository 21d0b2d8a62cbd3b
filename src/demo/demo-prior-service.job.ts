// Work histories before the demo's electronic record (which starts 2015-10), so the demo city's
// retirement cases look like real ones: 视同缴费 (deemed service before Anhui's personal accounts,
// 1996-01), the paper archive (档案) from then to the person's first electronic month, and gaps.
// One set-based INSERT … SELECT into prior_service, one row per person: deterministic (by person
// id), idempotent (ON CONFLICT DO NOTHING), and a fraction of a second for 20,000 people.
//
// DOCUMENTED SIMPLIFICATION (source = 'demo'): per person, from h = (id × 7919) mod 100:
//   work start      = birth + (18 + h mod 7) years
//   deemed months   = months from work start to 1995-12 (none if work started later)
//   archived months = months from max(work start, 1996-01) to the first electronic month, less a gap:
//                     h mod 10 = 6 → 12–48 months, 7 → 24–48, 8 → 60–120 (unemployment, moves, farm work)
//   h mod 10 = 9    : no prior service at all (started contributing with the electronic record) —
//                     these are the few on the due list who fall short of the minimum years
//   archived index  = 0.6 + (h × 37 mod 9) / 10 (0.6–1.4)
//   archived account= archived months × 8% × index × 2,500 yuan × 1.3 (a flat stand-in for the
//                     1996–2015 average wage and the interest credited since)
// Residents (resident_pension enrolment): the paper years 2010–2014 of 新农保/城居保 in which the
// person was 16–59, 12 months each (none when h mod 10 = 9), account 200 yuan + 30 subsidy a
// year × 1.2 for interest. The electronic record has the years from 2015.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';

/** Anhui's personal accounts start here: service before is deemed (视同缴费). */
export const ANHUI_ACCOUNT_START = '1996-01-01';
/** The first month of the demo's electronic contribution record (demo-history.job.ts). */
export const DEMO_RECORD_FROM = '2015-10-01';

export async function recordDemoPriorService(
  db: Db,
  opts: { region: string },
): Promise<{ persons: number; withDeemed: number; withArchive: number; residents: number }> {
  const prefix = opts.region.slice(0, 4);
  const r = await sql<{ persons: unknown; deemed: unknown; archived: unknown }>`
    WITH base AS (
      SELECT p.id, p.region, p.birth_date, (p.id * 7919) % 100 AS h,
        greatest(min(e.start_date), ${DEMO_RECORD_FROM}::date) AS record_start
      FROM person p JOIN enrolment e ON e.person_id = p.id AND e.scheme = 'employee_pension'
      WHERE left(p.region, 4) = ${prefix}
      GROUP BY p.id, p.region, p.birth_date
    ), m AS (
      SELECT id, region, h,
        (extract(year FROM birth_date)::int + 18 + h % 7) * 12 + extract(month FROM birth_date)::int - 1 AS work_start,
        extract(year FROM record_start)::int * 12 + extract(month FROM record_start)::int - 1 AS record_start,
        1996 * 12 AS account_start,
        CASE h % 10 WHEN 6 THEN 12 + h % 37 WHEN 7 THEN 24 + h % 25 WHEN 8 THEN 60 + h % 61 ELSE 0 END AS gap,
        6000 + ((h * 37) % 9) * 1000 AS index_bp
      FROM base
    ), s AS (
      SELECT id, region, h, index_bp, record_start,
        CASE WHEN h % 10 = 9 THEN 0 ELSE least(600, greatest(0, least(account_start, record_start) - work_start)) END AS deemed,
        CASE WHEN h % 10 = 9 THEN 0 ELSE least(600, greatest(0, record_start - greatest(work_start, account_start) - gap)) END AS archived
      FROM m
    ), ins AS (
      INSERT INTO prior_service (person_id, region, deemed_months, deemed_through, archived_months,
        archived_index_bp, archived_account_fen, archived_through, source, recorded_by)
      SELECT id, region, deemed, CASE WHEN deemed > 0 THEN '1995-12-31'::date END, archived,
        CASE WHEN archived > 0 THEN index_bp END,
        round(archived * index_bp / 10000.0 * 0.08 * 250000 * 1.3)::bigint,
        CASE WHEN archived > 0 THEN
          lpad(((record_start - 1) / 12)::text, 4, '0') || '-' || lpad(((record_start - 1) % 12 + 1)::text, 2, '0') END,
        'demo', 'demo-seed'
      FROM s WHERE deemed > 0 OR archived > 0
      ON CONFLICT (person_id) DO NOTHING
      RETURNING deemed_months, archived_months
    )
    SELECT count(*) AS persons, count(*) FILTER (WHERE deemed_months > 0) AS deemed,
      count(*) FILTER (WHERE archived_months > 0) AS archived FROM ins`.execute(db);
  const res = await sql<{ n: unknown }>`
    WITH y AS (
      SELECT p.id, p.region,
        count(*) FILTER (WHERE yr - extract(year FROM p.birth_date)::int BETWEEN 16 AND 59) AS years
      FROM person p, generate_series(2010, 2014) AS yr
      WHERE left(p.region, 4) = ${prefix} AND (p.id * 7919) % 10 <> 9
        AND EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme = 'resident_pension')
      GROUP BY p.id, p.region
    ), ins AS (
      INSERT INTO prior_service (person_id, region, resident_months, resident_account_fen, source, recorded_by)
      SELECT id, region, years * 12, round(years * 23000 * 1.2)::bigint, 'demo', 'demo-seed' FROM y WHERE years > 0
      ON CONFLICT (person_id) DO UPDATE SET resident_months = excluded.resident_months,
        resident_account_fen = excluded.resident_account_fen
        WHERE prior_service.resident_months = 0
      RETURNING 1
    )
    SELECT count(*) AS n FROM ins`.execute(db);
  const row = r.rows[0];
  return {
    persons: int(row?.persons),
    withDeemed: int(row?.deemed),
    withArchive: int(row?.archived),
    residents: int(res.rows[0]?.n),
  };
}
