// The SQL of the year-end personal-account interest (account-interest.job.ts): the persons' id range,
// the job's job_run row, and one chunk's credits. The job owns the transactions, the postings and the audit.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';

const JOB_KIND = 'account-interest';

/** The lowest and highest person id with a bill line or a moved-account credit (null when none). */
export async function interestPersonBounds(
  db: Db,
): Promise<{ lo: number | null; hi: number | null } | undefined> {
  const bounds = await sql<{
    lo: number | null;
    hi: number | null;
  }>`SELECT min(lo)::bigint AS lo, max(hi)::bigint AS hi FROM (
        SELECT min(person_id) AS lo, max(person_id) AS hi FROM contribution_bill_line
        UNION ALL SELECT min(person_id), max(person_id) FROM pension_record_credit) b`.execute(db);
  return bounds.rows[0];
}

/** The interest job of `key` (year:region), started at person `lo` when it was not yet. */
export async function startInterestJob(db: Db, key: string, lo: number) {
  await db
    .insertInto('job_run')
    .values({ kind: JOB_KIND, key, status: 'running', detail: JSON.stringify({ next: lo }) })
    .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
    .execute();
  return db
    .selectFrom('job_run')
    .selectAll()
    .where('kind', '=', JOB_KIND)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

/** Whether any account of the region was credited interest for `year`. */
export async function yearCredited(db: Db, region: string, year: number): Promise<boolean> {
  const row = await db
    .selectFrom('account_interest_credit')
    .select('year')
    .where('region', '=', region)
    .where('year', '=', year)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Credits the year's interest to the accounts of persons from..to of the region (ON CONFLICT DO NOTHING
 * per person, fund and year); answers the persons credited and the interest per fund. `hasPrevious`:
 * last year was credited here, so its closing is the opening balance.
 */
export async function creditInterestChunk(
  tx: Db,
  q: { year: number; region: string; ratePercent: number; from: number; to: number; hasPrevious: boolean },
): Promise<{ fund: string; n: number; interest: number }[]> {
  const { year, region, ratePercent, from, to, hasPrevious } = q;
  await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
  // Accounts moved with a relation, by person and fund: before the year, within it, and the
  // within-year amounts weighted by the months they earn (13 − month).
  const pooling = sql`(CASE WHEN p.region LIKE '%00' THEN p.region ELSE left(p.region, 4) || '00' END)`;
  const moves = sql`
      moves AS (
        SELECT c.person_id, c.fund, c.period, c.account_fen AS fen
        FROM pension_record_credit c JOIN person p ON p.id = c.person_id
        WHERE c.account_fen <> 0 AND c.period <= ${`${year}-12`} AND c.person_id BETWEEN ${from} AND ${to} AND ${pooling} = ${region}
        UNION ALL
        SELECT t.person_id, 'employee_pension', to_char(s.on_day, 'YYYY-MM'), -t.account_fen
        FROM fed_transfer t JOIN fed_transfer_step s ON s.transfer_id = t.id AND s.step = 'funds-sent'
        JOIN person p ON p.id = t.person_id
        WHERE t.direction = 'out' AND t.kind = 'pension' AND t.status IN ('sent', 'completed') AND t.account_fen <> 0
          AND s.on_day <= ${`${year}-12-31`} AND t.person_id BETWEEN ${from} AND ${to} AND ${pooling} = ${region}
      ), mv AS (
        SELECT person_id, fund,
          sum(CASE WHEN period < ${`${year}-01`} THEN fen ELSE 0 END) AS before,
          sum(CASE WHEN period >= ${`${year}-01`} THEN fen ELSE 0 END) AS moved,
          sum(CASE WHEN period >= ${`${year}-01`} THEN fen * (13 - substr(period, 6, 2)::int) ELSE 0 END) AS moved_months
        FROM moves GROUP BY 1, 2
      )`;
  // When last year was credited, the opening balance is last year's closing and only this year's
  // lines and moves are read; otherwise (the first year) every earlier line and move is summed.
  const incremental = sql`
      WITH ${moves}, acc AS (
        SELECT l.person_id, CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END AS fund,
          sum(l.personal_account_fen) AS during
        FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
        WHERE b.status = 'paid' AND b.region = ${region} AND l.period BETWEEN ${`${year}-01`} AND ${`${year}-12`} AND l.person_id BETWEEN ${from} AND ${to}
        GROUP BY 1, 2
      ), prev AS (
        SELECT person_id, fund, opening_fen + contributions_fen + moved_fen + interest_fen AS closing FROM account_interest_credit
        WHERE year = ${year - 1} AND region = ${region} AND person_id BETWEEN ${from} AND ${to}
      ), base AS (
        SELECT coalesce(a.person_id, p.person_id) AS person_id, coalesce(a.fund, p.fund) AS fund, coalesce(p.closing, 0) AS before,
          coalesce(a.during, 0) AS during, 0 AS moved, 0 AS moved_months
        FROM acc a FULL JOIN prev p ON p.person_id = a.person_id AND p.fund = a.fund
        UNION ALL
        SELECT person_id, fund, 0, 0, moved, moved_months FROM mv WHERE moved <> 0
      )`;
  const full = sql`
      WITH ${moves}, lines AS (
        SELECT l.person_id, CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END AS fund,
          sum(CASE WHEN l.period < ${`${year}-01`} THEN l.personal_account_fen ELSE 0 END)
            + coalesce((SELECT sum(c.interest_fen) FROM account_interest_credit c WHERE c.person_id = l.person_id AND c.year < ${year}
                          AND c.fund = CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END), 0) AS before,
          sum(CASE WHEN l.period >= ${`${year}-01`} THEN l.personal_account_fen ELSE 0 END) AS during
        FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
        WHERE b.status = 'paid' AND b.region = ${region} AND l.period <= ${`${year}-12`} AND l.person_id BETWEEN ${from} AND ${to}
        GROUP BY l.person_id, b.payer_kind
      ), base AS (
        SELECT person_id, fund, before, during, 0 AS moved, 0 AS moved_months FROM lines
        UNION ALL
        SELECT person_id, fund, before, 0, moved, moved_months FROM mv
      )`;
  const r = await sql<{ fund: string; n: number; interest: number }>`
      ${hasPrevious ? incremental : full}, ins AS (
        INSERT INTO account_interest_credit (person_id, fund, year, region, rate_percent, opening_fen, contributions_fen, moved_fen, interest_fen)
        SELECT person_id, fund, ${year}, ${region}, ${ratePercent}, sum(before), sum(during), sum(moved),
          round(sum(before) * ${ratePercent}::numeric / 100) + round(sum(during) * ${ratePercent}::numeric / 100 * 13 / 24)
            + round(sum(moved_months) * ${ratePercent}::numeric / 100 / 12)
        FROM base GROUP BY person_id, fund
        ON CONFLICT (person_id, fund, year) DO NOTHING
        RETURNING fund, interest_fen
      )
      SELECT fund, count(*)::bigint AS n, coalesce(sum(interest_fen), 0)::bigint AS interest FROM ins GROUP BY fund`.execute(
    tx,
  );
  return r.rows;
}

/** The chunk up to `next` − 1 is done. */
export async function interestChunkDone(tx: Db, jobId: number, next: number): Promise<void> {
  await tx
    .updateTable('job_run')
    .set({
      detail: JSON.stringify({ next }),
      done: sql`done + 1`,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', jobId)
    .execute();
}

export async function interestJobDone(tx: Db, jobId: number): Promise<void> {
  await tx
    .updateTable('job_run')
    .set({ status: 'done', finished_at: new Date().toISOString(), updated_at: new Date().toISOString() })
    .where('id', '=', jobId)
    .execute();
}
