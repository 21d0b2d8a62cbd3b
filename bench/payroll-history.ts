// The payments a real agency holds before the month a benchmark times (issue #18, twenty-ninth pass):
// earlier months written as the payroll job writes them, and what proves it (bench/payroll.bench.ts,
// bench/payroll-history-lever.bench.ts).
import { sql } from 'kysely';
import type { AppContext } from '../src/app-context.ts';
import type { Actor } from '../src/auth/actor.ts';
import { regionCoversScanSql } from '../src/db/region-sql.ts';
import { int } from '../src/db/values.ts';
import { postEntry } from '../src/ledger/journal.repository.ts';
import { PAYROLL_CHUNK, payrollLines } from '../src/pension/payroll.job.ts';
import { payableSql } from '../src/pension/pension.repository.ts';
import { seedPensioners } from '../src/testing/pension-fixtures.ts';
import { monthsBefore, settle, timed } from './bench-support.ts';

/**
 * The earlier months as the payrolls wrote them: for each, a done payroll_run, the job's rows (every payable
 * award's amount in force, its chunk number, in award order: one INSERT … SELECT a month, so that each
 * month's keys land next to the award's earlier ones, page splits and all, as the job's would) and the
 * month's fund journal entries (the ledger still verifies). The proof that these are the job's rows is
 * printed after the timed month (monthDigest). Statistics of the seeded tables first: it joins them.
 */
export async function payEarlierMonths(
  ctx: AppContext,
  actor: Actor,
  region: string,
  months: readonly string[],
): Promise<void> {
  for (const m of months)
    await ctx.db.transaction().execute(async (tx) => {
      const run = await sql<{ id: unknown }>`
        INSERT INTO payroll_run (period, region, status, chunk_size, started_by, finished_at)
        VALUES (${m}, ${region}, 'done', ${PAYROLL_CHUNK}, ${actor.username}, now()) RETURNING id`.execute(
        tx,
      );
      const runId = int(run.rows[0]?.id);
      // the job's chunks: consecutive runs of PAYROLL_CHUNK of the region's award ids (chunkBoundsOf),
      // payable or not
      const totals = await sql<{
        scheme: string;
        region: string;
        n: unknown;
        total: unknown;
        account: unknown;
      }>`
        WITH amt AS (
          SELECT DISTINCT ON (pa.award_id) pa.award_id, pa.monthly_fen, pa.account_fen FROM pension_amount pa
          WHERE pa.effective_period <= ${m} ORDER BY pa.award_id, pa.effective_period DESC, pa.id DESC
        ), src AS MATERIALIZED (
          SELECT a.id, a.scheme, a.region, amt.monthly_fen, a.chunk_no,
            CASE WHEN a.scheme = 'resident_pension' THEN least(amt.account_fen, amt.monthly_fen) ELSE 0 END AS account_fen
          FROM (
            SELECT a.*, 1 + (row_number() OVER (ORDER BY a.id) - 1) / ${PAYROLL_CHUNK} AS chunk_no
            FROM pension_award a WHERE ${regionCoversScanSql(sql`a.region`, region)}
          ) a JOIN amt ON amt.award_id = a.id
          WHERE ${payableSql(m)}
        ), paid AS (
          INSERT INTO pension_payment (award_id, period, kind, amount_fen, account_fen, offset_fen, payroll_run_id, chunk_no)
          SELECT id, ${m}, 'regular', monthly_fen, account_fen, 0, ${runId}, chunk_no FROM src ORDER BY id
        )
        -- the totals from the rows inserted, as the job takes them (a join back to the awards planned
        -- over the inserted rows' unknown size looped)
        SELECT scheme, region, count(*) AS n, sum(monthly_fen)::bigint AS total, sum(account_fen)::bigint AS account
        FROM src GROUP BY scheme, region`.execute(tx);
      let payments = 0;
      let fen = 0;
      for (const r of totals.rows) {
        if (r.scheme !== 'employee_pension' && r.scheme !== 'resident_pension') continue;
        payments += int(r.n);
        fen += int(r.total);
        await postEntry(tx, actor, {
          fund: r.scheme,
          region: r.region,
          period: m,
          entryDate: `${m}-20`,
          kind: 'pension_payroll',
          description: `养老金发放 ${m} / pension payroll ${m} (bench history)`,
          idempotencyKey: `payroll:${runId}:history:${r.scheme}:${r.region}`,
          source: { type: 'payroll_run', id: runId },
          lines: payrollLines(r.scheme, int(r.total), int(r.account)),
        });
      }
      await sql`UPDATE payroll_run SET payments = ${payments}, regular_fen = ${fen}, total_fen = ${fen} WHERE id = ${runId}`.execute(
        tx,
      );
    });
}

/** count and md5 of a month's payments in key order, over every column the job writes but the period and the run. */
export async function monthDigest(ctx: AppContext, period: string): Promise<string> {
  const r = await sql<{ n: unknown; md5: string | null }>`
    SELECT count(*) AS n, md5(string_agg(concat_ws(',', award_id, kind, amount_fen, account_fen, offset_fen, chunk_no, arrears_through_amount_id), ';' ORDER BY award_id, kind)) AS md5
    FROM pension_payment WHERE period = ${period}`.execute(ctx.db);
  return `${int(r.rows[0]?.n).toLocaleString('en')} rows, md5 ${r.rows[0]?.md5 ?? '-'}`;
}

/** The table's size with its indexes, and its indexes' (e.g. "1,234 MiB, indexes 456 MiB"). */
export async function tableSize(ctx: AppContext, table: string): Promise<string> {
  const r = await sql<{ all: unknown; ix: unknown }>`
    SELECT pg_total_relation_size(${table}::regclass) AS all, pg_indexes_size(${table}::regclass) AS ix`.execute(
    ctx.db,
  );
  const mb = (x: unknown): string => Math.round(int(x) / 1048576).toLocaleString('en');
  return `${mb(r.rows[0]?.all)} MiB, indexes ${mb(r.rows[0]?.ix)} MiB`;
}

/**
 * n pensioners of `region` whose awards start with the first of `months` (2020-07 without months), those
 * months paid (payEarlierMonths), every table written vacuumed and analyzed (as autovacuum would have done
 * in the months between) and settled before `next`. The seconds of the seed and of the months.
 */
export async function seedWithHistory(
  ctx: AppContext,
  actor: Actor,
  o: { n: number; region: string; months: readonly string[]; next: string },
): Promise<{ seedS: number; historyS: number }> {
  const start = o.months[0] ?? '2020-07';
  const [, seedS] = await timed(async () => {
    for (let off = 0; off < o.n; off += 250_000)
      await seedPensioners(ctx.db, {
        count: Math.min(250_000, o.n - off),
        region: o.region,
        startPeriod: start,
        retirementDate: `${monthsBefore(start, 1)[0] ?? start}-15`,
        offset: off,
      });
  });
  // statistics first: the earlier months' statement joins the seeded tables
  await sql`ANALYZE person, pension_award, pension_amount`.execute(ctx.db);
  const [, historyS] = await timed(() => payEarlierMonths(ctx, actor, o.region, o.months));
  await settle(ctx, o.next, {
    vacuum: [
      'person',
      'pension_award',
      'pension_amount',
      'pension_payment',
      'payroll_run',
      'journal_entry',
      'journal_line',
    ],
  });
  return { seedS, historyS };
}
