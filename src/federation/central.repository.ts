// SQL of the central adjustment (central.service.ts): at the exchange a year's run, the provinces'
// figures and their shares; at a province its insured employees and its posting of a year. Executor
// first; the service owns the transactions, the ledger postings, the messages and the audit.
import { sql } from 'kysely';
import type { TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { NationalAdjustment } from './central.rules.ts';

// ---------- a province ----------

/** 在职应参保人数: employees insured in the employee pension scheme on the day. */
export async function insuredEmployeesOn(db: Db, day: string): Promise<number> {
  const insured = await sql<{ n: unknown }>`
    SELECT count(DISTINCT person_id)::bigint AS n FROM enrolment
    WHERE scheme = 'employee_pension' AND kind = 'employee' AND start_date <= ${day} AND (end_date IS NULL OR end_date >= ${day})`.execute(
    db,
  );
  return int(insured.rows[0]?.n);
}

/** The province's posting of a year's share, once: false when the year was posted already. */
export async function insertPosting(
  tx: Db,
  p: { year: number; contributionFen: number; allocationFen: number; perCapitaFen: number; msgId: string },
): Promise<boolean> {
  const first = await sql<{ year: number }>`
    INSERT INTO fed_central_posting (year, contribution_fen, allocation_fen, net_fen, per_capita_fen, msg_id)
    VALUES (${p.year}, ${p.contributionFen}, ${p.allocationFen}, ${p.allocationFen - p.contributionFen}, ${p.perCapitaFen}, ${p.msgId})
    ON CONFLICT (year) DO NOTHING RETURNING year`.execute(tx);
  return first.rows.length > 0;
}

// ---------- the exchange ----------

export interface CentralRunRow {
  year: number;
  requested_by: string;
  requested_at: unknown;
  computed_at: unknown;
  result: NationalAdjustment | null;
  /** as stored: read through storedTrace (steps saved before they carried a unit have none) */
  trace: unknown;
  error: string | null;
}

export interface FiguresRow {
  province: string;
  annual_average_wage_fen: unknown;
  insured_count: unknown;
  retiree_count: unknown;
}

/** A year's run, locked until the transaction ends: whether it was computed and its error. */
export async function runForUpdate(
  tx: Db,
  year: number,
): Promise<{ error: string | null; computed_at: unknown } | undefined> {
  const r = await sql<{ error: string | null; computed_at: unknown }>`
    SELECT error, computed_at FROM fed_central_run WHERE year = ${year} FOR UPDATE`.execute(tx);
  return r.rows[0];
}

export async function insertRun(tx: Db, year: number, requestedBy: string): Promise<void> {
  await sql`INSERT INTO fed_central_run (year, requested_by) VALUES (${year}, ${requestedBy})`.execute(tx);
}

/** A failed run asked again: its figures are asked afresh. */
export async function restartRun(tx: Db, year: number, requestedBy: string): Promise<void> {
  await sql`DELETE FROM fed_central_figures WHERE year = ${year}`.execute(tx);
  await sql`UPDATE fed_central_run SET requested_by = ${requestedBy}, requested_at = now(), computed_at = NULL,
    error = NULL, result = NULL, trace = NULL WHERE year = ${year}`.execute(tx);
}

/** A province's figures of a year, once. */
export async function insertFigures(
  tx: Db,
  f: {
    year: number;
    province: string;
    annualAverageWageFen: number | null;
    insuredCount: number;
    retireeCount: number;
  },
): Promise<void> {
  await sql`INSERT INTO fed_central_figures (year, province, annual_average_wage_fen, insured_count, retiree_count)
    VALUES (${f.year}, ${f.province}, ${f.annualAverageWageFen}, ${f.insuredCount}, ${f.retireeCount})
    ON CONFLICT (year, province) DO NOTHING`.execute(tx);
}

/** The figures the provinces reported for a year. */
export async function yearFigures(tx: Db, year: number): Promise<FiguresRow[]> {
  const got = await sql<FiguresRow>`
    SELECT province, annual_average_wage_fen, insured_count, retiree_count FROM fed_central_figures WHERE year = ${year}`.execute(
    tx,
  );
  return got.rows;
}

/** The run computed: its result, or the error that stopped it, with the trace. */
export async function recordComputed(
  tx: Db,
  year: number,
  r: { result: NationalAdjustment } | { error: string },
  trace: readonly TraceStep[],
): Promise<void> {
  if ('error' in r)
    await sql`UPDATE fed_central_run SET computed_at = now(), error = ${r.error}, trace = ${JSON.stringify(trace)}::jsonb
      WHERE year = ${year}`.execute(tx);
  else
    await sql`UPDATE fed_central_run SET computed_at = now(), result = ${JSON.stringify(r.result)}::jsonb, trace = ${JSON.stringify(trace)}::jsonb
      WHERE year = ${year}`.execute(tx);
}

export async function insertShare(
  tx: Db,
  year: number,
  s: { province: string; contributionFen: number; allocationFen: number; netFen: number },
): Promise<void> {
  await sql`INSERT INTO fed_central_share (year, province, contribution_fen, allocation_fen, net_fen)
    VALUES (${year}, ${s.province}, ${s.contributionFen}, ${s.allocationFen}, ${s.netFen})`.execute(tx);
}

/** The province confirmed its posting (the first confirmation's time is kept). */
export async function markSharePosted(tx: Db, year: number, province: string): Promise<void> {
  await sql`UPDATE fed_central_share SET posted_at = coalesce(posted_at, now())
    WHERE year = ${year} AND province = ${province}`.execute(tx);
}

export async function findRun(db: Db, year: number): Promise<CentralRunRow | undefined> {
  const r = await sql<CentralRunRow>`SELECT * FROM fed_central_run WHERE year = ${year}`.execute(db);
  return r.rows[0];
}

/** A year's figures by province, with every column. */
export async function figuresByProvince(db: Db, year: number): Promise<FiguresRow[]> {
  const figures =
    await sql<FiguresRow>`SELECT * FROM fed_central_figures WHERE year = ${year} ORDER BY province`.execute(
      db,
    );
  return figures.rows;
}

/** A year's shares by province. */
export async function sharesByProvince(db: Db, year: number) {
  const shares = await sql<{
    province: string;
    contribution_fen: unknown;
    allocation_fen: unknown;
    net_fen: unknown;
    posted_at: unknown;
  }>`SELECT * FROM fed_central_share WHERE year = ${year} ORDER BY province`.execute(db);
  return shares.rows;
}

/** The years run, newest first. */
export async function runYears(db: Db): Promise<number[]> {
  const r = await sql<{ year: unknown }>`SELECT year FROM fed_central_run ORDER BY year DESC`.execute(db);
  return r.rows.map((x) => int(x.year));
}
