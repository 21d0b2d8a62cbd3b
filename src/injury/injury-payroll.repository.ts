// The SQL of the monthly work-injury payroll (injury-payroll.job.ts): a chunk's payments, the run list
// and the bank file's rows. The job owns the transactions, the ledger postings and the order. Executor first.
import { sql, type RawBuilder } from 'kysely';
import { periodStart, type Period } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import type { BankRow, ChunkBounds } from '../ledger/monthly-run.ts';
import './injury.tables.ts';

/** A fund-paid monthly benefit payable in the period (alias b, person p). */
const payableSql = (
  period: Period,
) => sql<boolean>`b.monthly AND b.payer = 'fund' AND b.status IN ('decided', 'paid')
  AND b.from_period <= ${period} AND (b.to_period IS NULL OR b.to_period >= ${period})
  AND (p.death_date IS NULL OR p.death_date >= ${periodStart(period)}::date)`;

/** The fund-paid monthly benefits of the region (the run's chunks are cut over these ids). */
export function fundMonthlyBenefitIds(region: string): RawBuilder<unknown> {
  return sql`SELECT b.id FROM injury_benefit b WHERE b.monthly AND b.payer = 'fund' AND ${regionCoversSql(sql`b.region_code`, region)}`;
}

/**
 * Pays the chunk's payable benefits for the period (one payment per benefit and month: ON CONFLICT DO
 * NOTHING) and marks the decided ones paid; answers the count and total per benefit region, in order.
 */
export async function payBenefits(
  tx: Db,
  b: ChunkBounds,
  q: { region: string; period: Period; runId: number; chunkNo: number },
): Promise<{ region_code: string; n: unknown; total: unknown }[]> {
  const { region, period, runId, chunkNo } = q;
  const range = b.to === null ? sql`b.id >= ${b.from}` : sql`b.id BETWEEN ${b.from} AND ${b.to}`;
  const paid = await sql<{ region_code: string; n: unknown; total: unknown }>`
      WITH src AS MATERIALIZED (
        SELECT b.id, b.person_id, b.region_code, b.amount_fen FROM injury_benefit b JOIN person p ON p.id = b.person_id
        WHERE ${range} AND ${regionCoversSql(sql`b.region_code`, region)} AND ${payableSql(period)}
      ), ins AS (
        INSERT INTO injury_payment (benefit_id, period, person_id, amount_fen, run_id, chunk_no)
        SELECT id, ${period}, person_id, amount_fen, ${runId}, ${chunkNo} FROM src
        ON CONFLICT DO NOTHING
        RETURNING benefit_id, amount_fen
      ), marked AS (
        UPDATE injury_benefit SET status = 'paid' FROM ins WHERE injury_benefit.id = ins.benefit_id AND injury_benefit.status = 'decided'
        RETURNING injury_benefit.id
      )
      SELECT src.region_code, count(*) AS n, coalesce(sum(ins.amount_fen), 0)::bigint AS total
      FROM ins JOIN src ON src.id = ins.benefit_id GROUP BY src.region_code ORDER BY src.region_code`.execute(
    tx,
  );
  return paid.rows;
}

/** The latest 36 runs of the regions matching `regionPattern` (LIKE), newest period first. */
export async function injuryPayrollRuns(db: Db, regionPattern: string) {
  return db
    .selectFrom('injury_payroll_run')
    .selectAll()
    .where('region_code', 'like', regionPattern)
    .orderBy('period', 'desc')
    .limit(36)
    .execute();
}

/** The bank file's lines of a run: one per person, the sum of their payments and the benefit ids. */
export async function bankRowsOfRun(
  db: Db,
  runId: number,
): Promise<(Omit<BankRow, 'ref'> & { ids: string })[]> {
  const rows = await sql<Omit<BankRow, 'ref'> & { ids: string }>`
      SELECT p.id_number, p.name, p.bank_name, p.bank_account, sum(ip.amount_fen)::bigint AS amount, string_agg(ip.benefit_id::text, ';' ORDER BY ip.benefit_id) AS ids
      FROM injury_payment ip JOIN person p ON p.id = ip.person_id
      WHERE ip.run_id = ${runId} GROUP BY p.id, p.id_number, p.name, p.bank_name, p.bank_account ORDER BY p.id`.execute(
    db,
  );
  return rows.rows;
}
