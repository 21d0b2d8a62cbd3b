// SQL of the cross-province transfers (pension and unemployment): the transfer rows at each side,
// their steps with legal time limits, and the service hall's `case.status` events.
import type { Note } from '../core/bilingual.ts';
import { sql } from 'kysely';
import { today } from '../core/clock.ts';
import { addWorkingDays, type HolidayCalendar } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS } from '../ledger/journal.repository.ts';

export type TransferStatus = 'requested' | 'sent' | 'credited' | 'completed' | 'refused';
export type TransferKind = 'pension' | 'unemployment' | 'scheme-bridging';

export interface TransferRow {
  id: number;
  ref: string;
  direction: 'in' | 'out';
  kind: TransferKind;
  id_hash: string;
  person_id: number | null;
  from_province: string | null;
  to_province: string;
  status: TransferStatus;
  applied_by: string;
  months: number | null;
  pooled_fen: number | null;
  account_fen: number | null;
  total_fen: number | null;
  funds: Record<string, unknown> | null;
  /** `{ zh, en }` as this node wrote it, `{ text }` as another province or a person did (migration 1582) */
  note: unknown;
  /** the place of payment's collection that opened it (transfer-collect.service.ts) */
  collection_id: number | null;
  /** transfers in: the repair of segments booked without an average wage (transfer-wages.service.ts) */
  wages_repair: 'needed' | 'asked' | 'answered' | null;
  created_at: string;
  updated_at: string;
}

/** The steps of a transfer in the order they happen (for display). */
export const STEP_ORDER = [
  'applied',
  'located',
  'letter-sent',
  'decided',
  'funds-sent',
  'credited',
  'completed',
];

/** The hall's service code of each kind (src/hall/catalogue.yaml). */
export const HALL_SERVICE: Record<TransferKind, string> = {
  pension: 'pension-transfer',
  unemployment: 'unemployment-transfer',
  'scheme-bridging': 'scheme-bridging',
};

/** A note for a jsonb column (null: none). */
export const noteJson = (n: Note | null): string | null => (n === null ? null : JSON.stringify(n));

/** A note as the one line the messages between provinces carry ("中文 / English"). */
export const noteLine = (n: Note): string => ('text' in n ? n.text : `${n.zh} / ${n.en}`);

/** Records a step once (a redelivered message adds nothing), with its limit in working days from `from`. */
export async function recordStep(
  tx: Db,
  cal: HolidayCalendar,
  transferId: number,
  name: string,
  limitWorkingDays: number,
  node: string,
  from: string,
  note?: Note,
): Promise<void> {
  const dueBy = limitWorkingDays > 0 ? addWorkingDays(from, limitWorkingDays, cal) : null;
  await sql`INSERT INTO fed_transfer_step (transfer_id, step, on_day, due_by, node, note)
    VALUES (${transferId}, ${name}, ${today()}, ${dueBy}, ${node}, ${noteJson(note ?? null)}::jsonb)
    ON CONFLICT (transfer_id, step) DO NOTHING`.execute(tx);
}

/** The applicant's progress in the service hall of the province where they filed (跨省通办). */
export async function transferCaseStatus(
  tx: Db,
  t: { id: number; person_id: number | null; kind?: TransferKind },
  status: 'submitted' | 'accepted' | 'completed' | 'rejected',
  actor: string,
  regionCode: string,
  note: Note,
): Promise<void> {
  const payload = {
    service: HALL_SERVICE[t.kind ?? 'pension'],
    ref: `fed_transfer:${t.id}`,
    ...(t.person_id === null ? {} : { personId: Number(t.person_id) }),
    status,
    actor,
    note,
    regionCode: regionCode.trim(),
    citizenPath: `/citizen/transfers/${t.id}`,
  };
  await tx
    .insertInto('outbox')
    .values({ topic: 'case.status', payload: JSON.stringify(payload) })
    .execute();
}

export async function transferByRef(
  tx: Db,
  ref: string,
  direction: 'in' | 'out',
): Promise<TransferRow | undefined> {
  const r =
    await sql<TransferRow>`SELECT * FROM fed_transfer WHERE ref = ${ref} AND direction = ${direction} FOR UPDATE`.execute(
      tx,
    );
  return r.rows[0];
}

/** The region of a transfer's person here (for audit, ledger and hall), or the province itself. */
export async function personRegion(tx: Db, personId: number | null, fallback: string): Promise<string> {
  if (personId === null) return fallback;
  const r = await tx
    .selectFrom('person')
    .select('region')
    .where('id', '=', Number(personId))
    .executeTakeFirst();
  return r?.region ?? fallback;
}

/** Money out of and into this province by transfers, from its journal (for the reliability check). */
export async function transferTotals(db: Db) {
  const r = await sql<{ out_fen: unknown; in_fen: unknown }>`
    SELECT coalesce(sum(l.debit_fen) FILTER (WHERE e.kind = 'transfer-out' AND l.account_code = ${ACCOUNTS.transferExpenditure}), 0)::bigint AS out_fen,
           coalesce(sum(l.credit_fen) FILTER (WHERE e.kind = 'transfer-in' AND l.account_code = ${ACCOUNTS.transferIncome}), 0)::bigint AS in_fen
    FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id WHERE e.kind IN ('transfer-out', 'transfer-in')`.execute(
    db,
  );
  return { outFen: int(r.rows[0]?.out_fen), inFen: int(r.rows[0]?.in_fen) };
}
