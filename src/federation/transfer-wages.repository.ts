// The SQL of the credited-wage repair (transfer-wages.service.ts): the transfers' repair state, the
// old place's average wages of the months it sent, and the new place's segments filled in and split.
// The service owns the transactions, the messages and the audit. Executor first.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';

/** The transfers in whose repair is still to ask for, locked, in id order. */
export async function transfersNeedingWages(
  tx: Db,
): Promise<{ id: unknown; ref: string; from_province: string; person_id: number | null }[]> {
  const r = await sql<{ id: unknown; ref: string; from_province: string; person_id: number | null }>`
    SELECT id, ref, from_province, person_id FROM fed_transfer WHERE wages_repair = 'needed'
    ORDER BY id FOR UPDATE`.execute(tx);
  return r.rows;
}

export async function setWagesRepair(
  tx: Db,
  transferId: unknown,
  state: 'asked' | 'answered',
): Promise<void> {
  await sql`UPDATE fed_transfer SET wages_repair = ${state}, updated_at = now() WHERE id = ${transferId}`.execute(
    tx,
  );
}

/** Marks the transfer for the repair if any of its old place's own segments came without a wage. */
export async function markWagesRepairNeeded(tx: Db, transferId: number): Promise<void> {
  await sql`UPDATE fed_transfer t SET wages_repair = 'needed'
    WHERE t.id = ${transferId} AND t.wages_repair IS NULL
      AND EXISTS (SELECT 1 FROM fed_credited_segment s WHERE s.transfer_id = t.id AND s.average_wage_fen IS NULL
        AND s.from_province = t.from_province)`.execute(tx);
}

/** At the old place: each month's average wage of the person's paid months within the segments it sent itself. */
export async function averageWagesSent(
  tx: Db,
  personId: number,
  segments: unknown,
  self: string,
): Promise<{ period: string; wage: unknown }[]> {
  const w = await sql<{ period: string; wage: unknown }>`
    SELECT l.period, max(b.average_wage_fen)::bigint AS wage
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id,
      jsonb_array_elements(${JSON.stringify(segments)}::jsonb) s
    WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
      AND (l.pension_employer_fen + l.pension_employee_fen) > 0
      AND l.period BETWEEN s ->> 'from' AND s ->> 'to'
      AND coalesce(s ->> 'province', ${self}) = ${self}
    GROUP BY l.period ORDER BY l.period`.execute(tx);
  return w.rows;
}

/** The transfer's segments booked from `fromProvince` without a wage, locked, in line order. */
export async function wagelessSegments(
  tx: Db,
  transferId: number,
  fromProvince: string,
): Promise<{ line_no: number; from_period: string; to_period: string }[]> {
  const segs = await sql<{ line_no: number; from_period: string; to_period: string }>`
    SELECT line_no, from_period, to_period FROM fed_credited_segment
    WHERE transfer_id = ${transferId} AND average_wage_fen IS NULL AND from_province = ${fromProvince}
    ORDER BY line_no FOR UPDATE`.execute(tx);
  return segs.rows;
}

/** The transfer's highest segment line number (0 when none). */
export async function lastSegmentLine(tx: Db, transferId: number): Promise<number> {
  const max = await sql<{ n: unknown }>`
    SELECT coalesce(max(line_no), 0) AS n FROM fed_credited_segment WHERE transfer_id = ${transferId}`.execute(
    tx,
  );
  return int(max.rows[0]?.n);
}

/** The segment cut to end at `toPeriod`, with its wage. */
export async function setSegmentWage(
  tx: Db,
  transferId: number,
  lineNo: number,
  toPeriod: string,
  averageWageFen: number,
): Promise<void> {
  await sql`UPDATE fed_credited_segment SET to_period = ${toPeriod}, average_wage_fen = ${averageWageFen}
    WHERE transfer_id = ${transferId} AND line_no = ${lineNo}`.execute(tx);
}

/** A new segment line `newLineNo` for the months from..to of segment `lineNo`, with its wage. */
export async function splitSegment(
  tx: Db,
  transferId: number,
  lineNo: number,
  run: { newLineNo: number; from: string; to: string; averageWageFen: number },
): Promise<void> {
  await sql`INSERT INTO fed_credited_segment (transfer_id, line_no, person_id, from_province, from_period, to_period,
      monthly_base_fen, average_wage_fen, moved_out_by)
    SELECT transfer_id, ${run.newLineNo}, person_id, from_province, ${run.from}, ${run.to}, monthly_base_fen, ${run.averageWageFen}, moved_out_by
    FROM fed_credited_segment WHERE transfer_id = ${transferId} AND line_no = ${lineNo}`.execute(tx);
}
