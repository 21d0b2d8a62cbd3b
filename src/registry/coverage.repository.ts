// 全民参保 coverage gaps: people in a current employment who lack an open enrolment in a scheme an
// employee must have. One set-based statement (NOT EXISTS over the enrolments), never a loop.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Scheme } from '../db/database.ts';

export interface GapFilter {
  /** LIKE pattern of the employers' region and its sub-regions */
  regionPattern: string;
  employerId?: number;
  scheme?: Scheme;
}

export interface GapRow {
  employment_id: number;
  person_id: number;
  employer_id: number;
  start_date: string;
  missing: Scheme[];
  name: string;
  id_number: string;
  employer_name: string;
  employer_region: string;
}

function gapsCte(f: GapFilter) {
  return sql`
    SELECT em.id AS employment_id, em.person_id, em.employer_id, em.start_date,
           array_agg(s.scheme ORDER BY s.ord) AS missing
    FROM employment em
    JOIN employer er ON er.id = em.employer_id
    JOIN person p ON p.id = em.person_id
    CROSS JOIN (VALUES ('employee_pension', 1), ('unemployment', 2), ('injury', 3)) AS s(scheme, ord)
    WHERE em.end_date IS NULL
      AND p.death_date IS NULL
      AND er.region LIKE ${f.regionPattern}
      ${f.employerId === undefined ? sql`` : sql`AND em.employer_id = ${f.employerId}`}
      ${f.scheme === undefined ? sql`` : sql`AND s.scheme = ${f.scheme}`}
      AND NOT EXISTS (
        SELECT 1 FROM enrolment en
        WHERE en.person_id = em.person_id AND en.scheme = s.scheme AND en.status <> 'ended'
      )
    GROUP BY em.id, em.person_id, em.employer_id, em.start_date`;
}

export async function coverageGaps(
  db: Db,
  f: GapFilter,
  limit: number,
  offset: number,
): Promise<{ rows: GapRow[]; total: number }> {
  const cte = gapsCte(f);
  const rows = await sql<GapRow>`
    WITH gaps AS (${cte})
    SELECT g.employment_id, g.person_id, g.employer_id, g.start_date, g.missing,
           p.name, p.id_number, er.name AS employer_name, er.region AS employer_region
    FROM gaps g
    JOIN person p ON p.id = g.person_id
    JOIN employer er ON er.id = g.employer_id
    ORDER BY g.employer_id, g.employment_id
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  const count = await sql<{
    n: number | string;
  }>`WITH gaps AS (${cte}) SELECT count(*) AS n FROM gaps`.execute(db);
  return { rows: rows.rows, total: Number(count.rows[0]?.n ?? 0) };
}
