// SQL of the cross-province transfers (pension and unemployment): the transfer rows at each side,
// their steps with legal time limits, and the service hall's `case.status` events.
import type { Note } from '../core/bilingual.ts';
import { sql } from 'kysely';
import { today } from '../core/clock.ts';
import { addWorkingDays, type HolidayCalendar } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { publishCaseStatusEvent } from '../hall/case-status.event.ts';
import { movedOutMonths, movedOutTransfers } from '../contributions/record.repository.ts';
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

export { noteLine } from '../core/bilingual.ts';

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
  await publishCaseStatusEvent(tx, {
    service: HALL_SERVICE[t.kind ?? 'pension'],
    ref: `fed_transfer:${t.id}`,
    ...(t.person_id === null ? {} : { personId: Number(t.person_id) }),
    status,
    actor,
    note,
    regionCode: regionCode.trim(),
    citizenPath: `/citizen/transfers/${t.id}`,
  });
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

// ---------- the transfer's row ----------

/** Refuses a transfer with the reason shown to the applicant and the clerk. */
export async function markRefused(tx: Db, id: number, reason: Note): Promise<void> {
  await sql`UPDATE fed_transfer SET status = 'refused', note = ${noteJson(reason)}::jsonb, updated_at = now() WHERE id = ${id}`.execute(
    tx,
  );
}

/**
 * The old place refused a transfer in: its words (null: none) and, when everything there had moved
 * on while a collection gathers, the mark `movedOut` the collection's settlement reads.
 */
export async function markRefusedByOrigin(
  tx: Db,
  id: number,
  said: Note | null,
  movedOut: boolean,
): Promise<void> {
  await sql`UPDATE fed_transfer SET status = 'refused', note = ${noteJson(said)}::jsonb,
    funds = CASE WHEN ${movedOut} THEN coalesce(funds, '{}'::jsonb) || '{"movedOut": true}'::jsonb ELSE funds END,
    updated_at = now() WHERE id = ${id}`.execute(tx);
}

/** The old place the national index located. */
export async function setOrigin(tx: Db, id: number, province: string): Promise<void> {
  await sql`UPDATE fed_transfer SET from_province = ${province}, updated_at = now() WHERE id = ${id}`.execute(
    tx,
  );
}

export async function markCompleted(tx: Db, id: number): Promise<void> {
  await sql`UPDATE fed_transfer SET status = 'completed', updated_at = now() WHERE id = ${id}`.execute(tx);
}

/** A pension transfer in completed with what the old place sent (its segments and the pooled part by year). */
export async function completePensionIn(
  tx: Db,
  id: number,
  b: {
    months: number;
    pooledFen: number;
    accountFen: number;
    totalFen: number;
    segments: unknown;
    pooledByYear: Record<string, number>;
  },
): Promise<void> {
  await sql`UPDATE fed_transfer SET status = 'completed', months = ${b.months}, pooled_fen = ${b.pooledFen}, account_fen = ${b.accountFen},
    total_fen = ${b.totalFen}, funds = ${JSON.stringify({ segments: b.segments, pooledByYear: b.pooledByYear })}::jsonb, updated_at = now() WHERE id = ${id}`.execute(
    tx,
  );
}

/** The old place's record of a pension transfer it refused at once (the person or the months not here). */
export async function insertRefusedOut(
  tx: Db,
  t: { ref: string; idHash: string; personId: number | null; self: string; to: string; note: Note },
): Promise<void> {
  await sql`INSERT INTO fed_transfer (ref, direction, id_hash, person_id, from_province, to_province, status, applied_by, note)
    VALUES (${t.ref}, 'out', ${t.idHash}, ${t.personId}, ${t.self}, ${t.to}, 'refused', ${t.to}, ${noteJson(t.note)}::jsonb)`.execute(
    tx,
  );
}

/** The old place's record of a pension transfer sent, with its figures; answers its id. */
export async function insertSentOut(
  tx: Db,
  t: {
    ref: string;
    idHash: string;
    personId: number;
    self: string;
    to: string;
    months: number;
    pooledFen: number;
    accountFen: number;
    totalFen: number;
    funds: Record<string, unknown>;
  },
): Promise<number> {
  const ins = await sql<{
    id: number;
  }>`INSERT INTO fed_transfer (ref, direction, id_hash, person_id, from_province, to_province, status, applied_by,
      months, pooled_fen, account_fen, total_fen, funds)
    VALUES (${t.ref}, 'out', ${t.idHash}, ${t.personId}, ${t.self}, ${t.to}, 'sent', ${t.to},
      ${t.months}, ${t.pooledFen}, ${t.accountFen}, ${t.totalFen}, ${JSON.stringify(t.funds)}::jsonb)
    RETURNING id`.execute(tx);
  return int(ins.rows[0]?.id);
}

/** A transfer in applied for at the new place (the old place still to locate); answers its id. */
export async function insertRequestedIn(
  tx: Db,
  t: {
    ref: string;
    kind: TransferKind;
    idHash: string;
    personId: number;
    self: string;
    appliedBy: string;
    hint: string | null;
  },
): Promise<number> {
  const ins = await sql<{
    id: number;
  }>`INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, funds)
    VALUES (${t.ref}, 'in', ${t.kind}, ${t.idHash}, ${t.personId}, NULL, ${t.self}, 'requested', ${t.appliedBy},
      ${JSON.stringify({ hint: t.hint })}::jsonb)
    RETURNING id`.execute(tx);
  return int(ins.rows[0]?.id);
}

/** The id of the person's transfer in of `kind` still in progress, if any. */
export async function openTransferIn(
  tx: Db,
  personId: number,
  kind: TransferKind,
): Promise<number | undefined> {
  const open = await sql<{
    id: number;
  }>`SELECT id FROM fed_transfer WHERE person_id = ${personId} AND direction = 'in' AND kind = ${kind}
    AND status IN ('requested', 'sent') LIMIT 1`.execute(tx);
  return open.rows[0]?.id;
}

/** Whether a pension transfer out of the person already left (sent or completed). */
export async function hasTransferredOut(tx: Db, personId: number): Promise<boolean> {
  const any = await sql`SELECT 1 FROM fed_transfer WHERE person_id = ${personId} AND direction = 'out'
    AND kind = 'pension' AND status IN ('sent', 'completed') LIMIT 1`.execute(tx);
  return any.rows.length > 0;
}

/** A transfer with its person's region here (null: nobody here). */
export async function transferWithRegion(
  db: Db,
  id: number,
): Promise<(TransferRow & { region: string | null }) | undefined> {
  const r = await sql<
    TransferRow & { region: string | null }
  >`SELECT t.*, p.region FROM fed_transfer t LEFT JOIN person p ON p.id = t.person_id WHERE t.id = ${id}`.execute(
    db,
  );
  return r.rows[0];
}

/** Transfers newest first (at most 500), with their person's region: by reference, of one person, when given. */
export async function transfersWithRegion(
  db: Db,
  q: { ref: string | null; personId: number | null },
): Promise<Array<TransferRow & { region: string | null }>> {
  const r = await sql<
    TransferRow & { region: string | null }
  >`SELECT t.*, p.region FROM fed_transfer t LEFT JOIN person p ON p.id = t.person_id
    WHERE (${q.ref}::text IS NULL OR t.ref = ${q.ref})
      AND (${q.personId}::bigint IS NULL OR t.person_id = ${q.personId})
    ORDER BY t.id DESC LIMIT 500`.execute(db);
  return r.rows;
}

// ---------- steps ----------

/** The day a step was recorded, if it was. */
export async function stepDay(tx: Db, transferId: number, name: string): Promise<string | undefined> {
  const r = await sql<{ on_day: string }>`
    SELECT on_day FROM fed_transfer_step WHERE transfer_id = ${transferId} AND step = ${name}`.execute(tx);
  return r.rows[0]?.on_day;
}

/** A transfer's steps in the order they happen (STEP_ORDER), then by time. */
export async function transferSteps(db: Db, transferId: number) {
  const steps = await sql<{
    step: string;
    on_day: string;
    due_by: string | null;
    node: string;
    note: unknown;
  }>`
    SELECT step, on_day, due_by, node, note FROM fed_transfer_step WHERE transfer_id = ${transferId}
    ORDER BY array_position(${`{${STEP_ORDER.join(',')}}`}::text[], step), at`.execute(db);
  return steps.rows;
}

// ---------- the old place: what moves ----------

/**
 * The employee-pension months paid here not yet moved out (the record's moved-out rule), each with
 * the bases of its lines and the region's average wage of the month (max() names it once).
 */
export async function ownPaidMonths(tx: Db, personId: number) {
  const months = await sql<{ period: string; base: unknown; wage: unknown }>`
    SELECT l.period, sum(l.base_fen)::bigint AS base, max(b.average_wage_fen)::bigint AS wage FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident' AND (l.pension_employer_fen + l.pension_employee_fen) > 0
      AND l.period NOT IN (SELECT m.period FROM (${movedOutMonths(personId)}) m)
    GROUP BY l.period ORDER BY l.period`.execute(tx);
  return months.rows.map((m) => ({ period: m.period, baseFen: int(m.base), averageWageFen: int(m.wage) }));
}

/** The segments credited here from elsewhere not yet moved on, as received, locked until the transaction ends. */
export async function creditedSegmentsForUpdate(tx: Db, personId: number) {
  const credited = await sql<{
    transfer_id: unknown;
    line_no: number;
    from_province: string;
    from_period: string;
    to_period: string;
    monthly_base_fen: unknown;
    average_wage_fen: unknown;
  }>`SELECT transfer_id, line_no, from_province, from_period, to_period, monthly_base_fen, average_wage_fen
    FROM fed_credited_segment WHERE person_id = ${personId} AND moved_out_by IS NULL
    ORDER BY from_period, transfer_id, line_no FOR UPDATE`.execute(tx);
  return credited.rows;
}

/**
 * The employee account held here: the credits and interest of the months paid here, what earlier
 * transfers in and bridgings credited (pension_record_credit), less what a transfer already took.
 */
export async function employeeAccountHeld(tx: Db, personId: number): Promise<number> {
  const acct = await sql<{ credits: unknown; interest: unknown; credited: unknown; moved: unknown }>`
    SELECT (SELECT coalesce(sum(l.personal_account_fen), 0) FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
            WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
              AND (l.pension_employer_fen + l.pension_employee_fen) > 0)::bigint AS credits,
           (SELECT coalesce(sum(interest_fen), 0) FROM account_interest_credit WHERE person_id = ${personId} AND fund = 'employee_pension')::bigint AS interest,
           (SELECT coalesce(sum(account_fen), 0) FROM pension_record_credit WHERE person_id = ${personId} AND fund = 'employee_pension')::bigint AS credited,
           (SELECT coalesce(sum(t.account_fen), 0) FROM (${movedOutTransfers(personId)}) t)::bigint AS moved`.execute(
    tx,
  );
  const a = acct.rows[0];
  return int(a?.credits) + int(a?.interest) + int(a?.credited) - int(a?.moved);
}

/**
 * What decides the account kept here: the first employee-pension enrolment's start, whether every one
 * was as a flexible worker, and the employer's pension and the bases of the months paid here.
 */
export async function accountKeptFacts(tx: Db, personId: number) {
  const kept = await sql<{ start: string | null; flexible: boolean; emp: unknown; base: unknown }>`
    SELECT (SELECT min(start_date)::text FROM enrolment WHERE person_id = ${personId} AND scheme = 'employee_pension') AS start,
           EXISTS (SELECT 1 FROM enrolment WHERE person_id = ${personId} AND scheme = 'employee_pension' AND kind = 'flexible')
             AND NOT EXISTS (SELECT 1 FROM enrolment WHERE person_id = ${personId} AND scheme = 'employee_pension' AND kind <> 'flexible') AS flexible,
           (SELECT coalesce(sum(l.pension_employer_fen), 0) FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
             WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident')::bigint AS emp,
           (SELECT coalesce(sum(l.base_fen), 0) FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
             WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident' AND l.pension_employer_fen > 0)::bigint AS base`.execute(
    tx,
  );
  const k = kept.rows[0];
  return {
    start: k?.start ?? null,
    flexible: k?.flexible === true,
    employerFen: int(k?.emp),
    baseFen: int(k?.base),
  };
}

/** The segments credited here move on with this transfer: from now on they count there, not here. */
export async function moveOnCreditedSegments(tx: Db, personId: number, transferId: number): Promise<void> {
  await sql`UPDATE fed_credited_segment SET moved_out_by = ${transferId}
    WHERE person_id = ${personId} AND moved_out_by IS NULL`.execute(tx);
}

// ---------- the new place: what arrives ----------

/** Each segment received under its province of origin, once (a redelivered message adds nothing). */
export async function insertCreditedSegments(
  tx: Db,
  transferId: number,
  personId: number,
  segments: ReadonlyArray<{
    from: string;
    to: string;
    monthlyBaseFen: number;
    averageWageFen?: number;
    origin: string;
  }>,
): Promise<void> {
  await sql`INSERT INTO fed_credited_segment (transfer_id, line_no, person_id, from_province, from_period, to_period, monthly_base_fen, average_wage_fen)
    SELECT ${transferId}, s.n, ${personId}, s.p, s.f, s.t, s.b, nullif(s.w, 0)
    FROM unnest(${`{${segments.map((s) => s.from).join(',')}}`}::text[], ${`{${segments.map((s) => s.to).join(',')}}`}::text[],
                ${`{${segments.map((s) => s.monthlyBaseFen).join(',')}}`}::bigint[],
                ${`{${segments.map((s) => s.averageWageFen ?? 0).join(',')}}`}::bigint[],
                ${`{${segments.map((s) => s.origin).join(',')}}`}::text[]) WITH ORDINALITY AS s(f, t, b, w, p, n)
    ON CONFLICT DO NOTHING`.execute(tx);
}

/** The account moved in joins the person's record, one row per transfer; answers its id, none when already there. */
export async function creditAccountIn(
  tx: Db,
  c: {
    personId: number;
    transferId: number;
    accountFen: number;
    period: string;
    note: string;
    createdBy: string;
  },
): Promise<unknown> {
  const credit = await sql<{ id: unknown }>`
    INSERT INTO pension_record_credit (person_id, fund, source_type, source_id, months, account_fen, period, note, created_by)
    VALUES (${c.personId}, 'employee_pension', 'fed_transfer', ${c.transferId}, 0, ${c.accountFen}, ${c.period},
      ${c.note}, ${c.createdBy})
    ON CONFLICT (source_type, source_id, fund) DO NOTHING RETURNING id`.execute(tx);
  return credit.rows[0]?.id;
}

/** The months the person paid here as an employee (the national index's count). */
export async function paidMonthsHere(tx: Db, personId: number): Promise<number> {
  const held = await sql<{
    months: unknown;
  }>`SELECT count(DISTINCT l.period)::bigint AS months FROM contribution_bill_line l JOIN contribution_bill bb ON bb.id = l.bill_id
    WHERE l.person_id = ${personId} AND bb.status = 'paid' AND bb.payer_kind <> 'resident'`.execute(tx);
  return int(held.rows[0]?.months);
}

/** The person's first active employee-pension enrolment here (a transfer in needs one). */
export function activeEmployeePensionEnrolment(tx: Db, personId: number) {
  return tx
    .selectFrom('enrolment')
    .select(['id', 'start_date'])
    .where('person_id', '=', personId)
    .where('scheme', '=', 'employee_pension')
    .where('status', '=', 'active')
    .orderBy('start_date')
    .executeTakeFirst();
}
