// SQL of the periodic settlement with hospitals (settlement.job.ts): the run of a period and its
// chunks of hospital ids, the bills a chunk claims, the settlement rows it writes, what the runs paid
// and the ledger check's comparison. Executor first; the job owns the transactions, the ledger and
// the audit.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';

/** The hospital ids a chunk covers. */
export interface SettlementBounds {
  from: number;
  to: number;
}

/** One starter of a period's run at a time, to the transaction's end. */
export async function lockSettlementPeriod(tx: Db, period: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(726354131, hashtext(${period}))`.execute(tx);
}

export async function settlementRunIdOf(tx: Db, period: string): Promise<number | undefined> {
  const existing = await sql<{
    id: unknown;
  }>`SELECT id FROM hospital_settlement_run WHERE period = ${period}`.execute(tx);
  return existing.rows[0] ? int(existing.rows[0].id) : undefined;
}

/** Chunk bounds over the hospitals that have something to be paid by the cutoff (fixed for the whole run). */
export async function settlementChunks(
  tx: Db,
  cutoff: string,
  chunkSize: number,
): Promise<SettlementBounds[]> {
  const starts = await sql<{ from_id: unknown; to_id: unknown }>`
    WITH h AS (
      SELECT DISTINCT hospital_id FROM hospital_bill
      WHERE settlement_run_id IS NULL AND accepted_fen > 0 AND submitted_on <= ${cutoff}
    ), n AS (SELECT hospital_id, (row_number() OVER (ORDER BY hospital_id) - 1) / ${chunkSize} AS chunk FROM h)
    SELECT min(hospital_id) AS from_id, max(hospital_id) AS to_id FROM n GROUP BY chunk ORDER BY chunk`.execute(
    tx,
  );
  return starts.rows.map((r) => ({ from: int(r.from_id), to: int(r.to_id) }));
}

/** A period's run, done at once when there is nothing to pay; its id. */
export async function insertSettlementRun(
  tx: Db,
  r: { period: string; cutoff: string; bounds: readonly SettlementBounds[]; startedBy: string },
): Promise<number> {
  const { bounds } = r;
  const ins = await sql<{ id: unknown }>`
    INSERT INTO hospital_settlement_run (period, cutoff, status, chunk_bounds, chunks_total, started_by, finished_at)
    VALUES (${r.period}, ${r.cutoff}, ${bounds.length === 0 ? 'done' : 'running'}, ${JSON.stringify(bounds)}::jsonb,
      ${bounds.length}, ${r.startedBy}, ${bounds.length === 0 ? sql`now()` : sql`NULL`})
    RETURNING id`.execute(tx);
  return int(ins.rows[0]?.id);
}

/** A run's row, locked to the transaction's end when `forUpdate`. */
export async function settlementRun(
  db: Db,
  runId: number,
  forUpdate = false,
): Promise<Record<string, unknown> | undefined> {
  const r = await sql<Record<string, unknown>>`
    SELECT * FROM hospital_settlement_run WHERE id = ${runId} ${forUpdate ? sql`FOR UPDATE` : sql``}`.execute(
    db,
  );
  return r.rows[0];
}

/** The recent runs, newest period first. */
export async function settlementRuns(db: Db): Promise<Array<Record<string, unknown>>> {
  const r = await sql<
    Record<string, unknown>
  >`SELECT * FROM hospital_settlement_run ORDER BY period DESC LIMIT 60`.execute(db);
  return r.rows;
}

/**
 * The chunk's bills claimed by the run (a bill once: `settlement_run_id IS NULL`), summed per
 * hospital and region.
 */
export async function claimBills(tx: Db, runId: number, cutoff: string, b: SettlementBounds) {
  const groups = await sql<{ hospital_id: unknown; region: string; bills: unknown; amount: unknown }>`
    WITH claimed AS (
      UPDATE hospital_bill SET settlement_run_id = ${runId}
      WHERE settlement_run_id IS NULL AND accepted_fen > 0 AND submitted_on <= ${cutoff}
        AND hospital_id BETWEEN ${b.from} AND ${b.to}
      RETURNING hospital_id, region, accepted_fen
    )
    SELECT hospital_id, region, count(*) AS bills, sum(accepted_fen)::bigint AS amount
    FROM claimed GROUP BY hospital_id, region ORDER BY region, hospital_id`.execute(tx);
  return groups.rows;
}

/** One settlement row per hospital and region of the chunk, with its region's ledger entry. */
export async function insertSettlements(
  tx: Db,
  runId: number,
  chunkNo: number,
  rows: ReadonlyArray<{
    hospitalId: number;
    region: string;
    bills: number;
    amountFen: number;
    entryId: number;
  }>,
): Promise<void> {
  await sql`
    INSERT INTO hospital_settlement (run_id, chunk_no, hospital_id, region, bills, amount_fen, journal_entry_id)
    SELECT ${runId}, ${chunkNo}, * FROM unnest(${rows.map((g) => g.hospitalId)}::bigint[],
      ${rows.map((g) => g.region)}::char(6)[], ${rows.map((g) => g.bills)}::int[],
      ${rows.map((g) => g.amountFen)}::bigint[], ${rows.map((g) => g.entryId)}::bigint[])`.execute(tx);
}

/** The chunk counted done with its figures; the run done with its last chunk. */
export async function recordSettlementChunk(
  tx: Db,
  runId: number,
  c: { chunkNo: number; bills: number; hospitals: number; totalFen: number; last: boolean },
): Promise<void> {
  await sql`UPDATE hospital_settlement_run SET chunks_done = ${c.chunkNo}, bills = bills + ${c.bills},
    hospitals = hospitals + ${c.hospitals}, total_fen = total_fen + ${c.totalFen},
    status = ${c.last ? 'done' : 'running'}, finished_at = ${c.last ? sql`now()` : sql`NULL`}
    WHERE id = ${runId}`.execute(tx);
}

/** What runs paid, per hospital and region, newest period first; the region filtered before the limit. */
export async function settlementLineRows(
  db: Db,
  q: { runId?: number | undefined; hospitalId?: number | undefined; region?: string | undefined },
): Promise<Array<Record<string, unknown>>> {
  const r = await sql<Record<string, unknown>>`
    SELECT s.run_id, r.period, s.hospital_id, h.name, s.region, s.bills, s.amount_fen, s.journal_entry_id
    FROM hospital_settlement s JOIN hospital_settlement_run r ON r.id = s.run_id JOIN hospital h ON h.id = s.hospital_id
    WHERE true ${q.runId === undefined ? sql`` : sql`AND s.run_id = ${q.runId}`}
      ${q.hospitalId === undefined ? sql`` : sql`AND s.hospital_id = ${q.hospitalId}`}
      ${q.region === undefined ? sql`` : sql`AND ${regionCoversSql(sql.ref('s.region'), q.region)}`}
    ORDER BY r.period DESC, h.name, s.region LIMIT 1000`.execute(db);
  return r.rows;
}

/** Per region, what the settlements paid and what the fund's entries of `kind` debit. */
export async function settlementPaidAndPosted(db: Db, kind: string) {
  const r = await sql<{ region: string; paid: unknown; posted: unknown }>`
    WITH paid AS (SELECT region, sum(amount_fen)::bigint AS fen FROM hospital_settlement GROUP BY region),
    posted AS (
      SELECT e.region, sum(l.debit_fen)::bigint AS fen FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
      WHERE e.kind = ${kind} AND e.fund = 'injury' GROUP BY e.region
    )
    SELECT coalesce(paid.region, posted.region) AS region, coalesce(paid.fen, 0) AS paid, coalesce(posted.fen, 0) AS posted
    FROM paid FULL JOIN posted ON posted.region = paid.region`.execute(db);
  return r.rows;
}
