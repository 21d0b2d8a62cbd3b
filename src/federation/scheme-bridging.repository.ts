// The scheme bridging's reads: one province's records of a person in the two pension schemes, the
// figures `bridging.request` carries and the rule decides on (scheme-bridging-support.ts).
import { sql } from 'kysely';
import { creditedMonths, movedOutMonths, movedOutTransfers } from '../contributions/record.repository.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { SchemeFigures } from './scheme-bridging-support.ts';

/** The person's records in the two schemes held by this province. */
export async function schemeFigures(tx: Db, personId: number): Promise<SchemeFigures> {
  // The employee months and account held here, by the record's moved-out rule (movedOutMonths,
  // creditedMonths, movedOutTransfers): what a pension transfer took on with the relation counts where
  // it went, so a province the person has left bridges nothing of it.
  const periods = await sql<{ period: string }>`
    SELECT DISTINCT l.period FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
      WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
        AND (l.pension_employer_fen + l.pension_employee_fen) > 0
        AND l.period NOT IN (SELECT m.period FROM (${movedOutMonths(personId)}) m)
    UNION
    SELECT c.period FROM (${creditedMonths(personId)}) c WHERE c.to_province IS NULL`.execute(tx);
  const acct = await sql<{
    emp: unknown;
    emp_interest: unknown;
    moved_in: unknown;
    moved_out: unknown;
    res_interest: unknown;
    res_paid: unknown;
  }>`
    SELECT (SELECT coalesce(sum(l.personal_account_fen), 0) FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
              WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident')::bigint AS emp,
           (SELECT coalesce(sum(interest_fen), 0) FROM account_interest_credit WHERE person_id = ${personId} AND fund = 'employee_pension')::bigint AS emp_interest,
           (SELECT coalesce(sum(account_fen), 0) FROM fed_transfer WHERE person_id = ${personId} AND direction = 'in'
              AND kind = 'pension' AND status = 'completed')::bigint AS moved_in,
           (SELECT coalesce(sum(t.account_fen), 0) FROM (${movedOutTransfers(personId)}) t)::bigint AS moved_out,
           (SELECT coalesce(sum(interest_fen), 0) FROM account_interest_credit WHERE person_id = ${personId} AND fund = 'resident_pension')::bigint AS res_interest,
           (SELECT coalesce(sum(pp.amount_fen - pp.account_fen), 0) FROM pension_payment pp JOIN pension_award a ON a.id = pp.award_id
              WHERE a.person_id = ${personId} AND a.scheme = 'resident_pension')::bigint AS res_paid`.execute(
    tx,
  );
  const years = await sql<{ year: number; personal: unknown; subsidy: unknown; account: unknown }>`
    SELECT substr(b.period, 1, 4)::int AS year, sum(l.pension_employee_fen)::bigint AS personal,
           sum(b.subsidy_fen)::bigint AS subsidy, sum(l.personal_account_fen)::bigint AS account
      FROM contribution_bill b JOIN contribution_bill_line l ON l.bill_id = b.id
      WHERE b.payer_kind = 'resident' AND b.status = 'paid' AND l.person_id = ${personId}
      GROUP BY 1 ORDER BY 1`.execute(tx);
  const awards = await sql<{ scheme: string }>`
    SELECT DISTINCT scheme FROM pension_award WHERE person_id = ${personId} AND status = 'active'`.execute(
    tx,
  );
  const a = acct.rows[0];
  return {
    employeePeriods: periods.rows.map((r) => r.period).sort(),
    employeeAccountFen: int(a?.emp) + int(a?.emp_interest) + int(a?.moved_in) - int(a?.moved_out),
    residentYears: years.rows.map((y) => ({
      year: int(y.year),
      personalFen: int(y.personal),
      subsidyFen: int(y.subsidy),
    })),
    residentAccountFen: years.rows.reduce((s, y) => s + int(y.account), 0) + int(a?.res_interest),
    employeePensionDrawn: awards.rows.some((r) => r.scheme === 'employee_pension'),
    residentPensionDrawn: awards.rows.some((r) => r.scheme === 'resident_pension'),
    residentBasicPaidFen: int(a?.res_paid),
  };
}

// ---- the bridging's writes and its reads for them (scheme-bridging.service.ts) ----

/** The person's resident pension award not stopped, locked (the bridging stops it). */
export async function residentAwardForUpdate(tx: Db, personId: number) {
  const award = await sql<{ id: unknown; status: string; region: string }>`
    SELECT id, status, region FROM pension_award WHERE person_id = ${personId} AND scheme = 'resident_pension'
      AND status <> 'stopped' ORDER BY id LIMIT 1 FOR UPDATE`.execute(tx);
  return award.rows[0];
}

/** The last period the award paid, or null. */
export async function lastPaidPeriod(tx: Db, awardId: unknown): Promise<string | null> {
  const last = await sql<{ period: string | null }>`
      SELECT max(period) AS period FROM pension_payment WHERE award_id = ${awardId}`.execute(tx);
  return last.rows[0]?.period ?? null;
}

/** What the bridging's refund offsets on the recovery case: a collection recorded and the case's sum. */
export async function offsetRecovery(
  tx: Db,
  c: { caseId: number; offsetFen: number; on: string; note: string; username: string; recovered: boolean },
): Promise<void> {
  await sql`INSERT INTO recovery_collection (case_id, kind, amount_fen, received_date, status, note, created_by)
    VALUES (${c.caseId}, 'repayment', ${c.offsetFen}, ${c.on}, 'recorded', ${c.note}, ${c.username})`.execute(
    tx,
  );
  await sql`UPDATE recovery_case SET recovered_fen = recovered_fen + ${c.offsetFen},
      status = ${c.recovered ? 'recovered' : 'open'}, updated_at = now(), version = version + 1
    WHERE id = ${c.caseId}`.execute(tx);
}

/** One credit of the person's record from a transfer, once per transfer and fund: its id, or undefined. */
export async function insertRecordCredit(
  tx: Db,
  c: {
    personId: number;
    fund: string;
    transferId: number;
    months: number;
    accountFen: number;
    period: string;
    note: string;
    username: string;
  },
): Promise<unknown> {
  const r = await sql<{ id: unknown }>`
      INSERT INTO pension_record_credit (person_id, fund, source_type, source_id, months, account_fen, period, note, created_by)
      VALUES (${c.personId}, ${c.fund}, 'fed_transfer', ${c.transferId}, ${c.months}, ${c.accountFen}, ${c.period}, ${c.note}, ${c.username})
      ON CONFLICT (source_type, source_id, fund) DO NOTHING RETURNING id`.execute(tx);
  return r.rows[0]?.id;
}

/** The months the person paid an employee pension contribution in this province. */
export async function employeePaidMonths(tx: Db, personId: number): Promise<unknown> {
  const held = await sql<{ months: unknown }>`
    SELECT count(DISTINCT l.period)::bigint AS months FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
      WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
        AND (l.pension_employer_fen + l.pension_employee_fen) > 0`.execute(tx);
  return held.rows[0]?.months;
}

export const personByIdNumber = (tx: Db, idNumber: string) =>
  tx.selectFrom('person').select(['id', 'region']).where('id_number', '=', idNumber).executeTakeFirst();

export const regionOfPerson = async (tx: Db, personId: number): Promise<string> =>
  (await tx.selectFrom('person').select('region').where('id', '=', personId).executeTakeFirstOrThrow())
    .region;

export const idNumberOfPerson = async (tx: Db, personId: number): Promise<string> =>
  (await tx.selectFrom('person').select('id_number').where('id', '=', personId).executeTakeFirstOrThrow())
    .id_number;

/** A bridging request refused on arrival (the letter's province told). */
export async function insertRefusedBridging(
  tx: Db,
  r: { ref: string; idHash: string; personId: unknown; self: string; from: string; note: string | null },
): Promise<void> {
  await sql`INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, note)
            VALUES (${r.ref}, 'out', 'scheme-bridging', ${r.idHash}, ${r.personId ?? null}, ${r.self}, ${r.from},
              'refused', ${r.from}, ${r.note}::jsonb)`.execute(tx);
}

/** A bridging decided here and its moving account sent: the transfer's id. */
export async function insertSentBridging(
  tx: Db,
  r: {
    ref: string;
    idHash: string;
    personId: unknown;
    self: string;
    from: string;
    months: number;
    movedFen: number;
    funds: string;
    note: string | null;
  },
): Promise<number> {
  const ins = await sql<{ id: number }>`
          INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by,
            months, pooled_fen, account_fen, total_fen, funds, note)
          VALUES (${r.ref}, 'out', 'scheme-bridging', ${r.idHash}, ${r.personId}, ${r.self}, ${r.from}, 'sent', ${r.from},
            ${r.months}, 0, ${r.movedFen}, ${r.movedFen},
            ${r.funds}::jsonb, ${r.note}::jsonb)
          RETURNING id`.execute(tx);
  return int(ins.rows[0]?.id);
}

/** The person's bridging still open or completed, if any. */
export async function openBridging(tx: Db, personId: number) {
  const open = await sql<{ id: number; status: string }>`
        SELECT id, status FROM fed_transfer WHERE person_id = ${personId} AND kind = 'scheme-bridging'
          AND status IN ('requested', 'sent', 'completed') LIMIT 1`.execute(tx);
  return open.rows[0];
}

/** A bridging applied for here: the transfer's id. */
export async function insertRequestedBridging(
  tx: Db,
  r: {
    ref: string;
    idHash: string;
    personId: number;
    from: string;
    self: string;
    username: string;
    funds: string;
  },
): Promise<number> {
  const ins = await sql<{ id: number }>`
        INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, funds)
        VALUES (${r.ref}, 'in', 'scheme-bridging', ${r.idHash}, ${r.personId}, ${r.from}, ${r.self},
          'requested', ${r.username}, ${r.funds}::jsonb)
        RETURNING id`.execute(tx);
  return int(ins.rows[0]?.id);
}

/** The bridging completed with its decision's figures. */
export async function completeBridging(
  tx: Db,
  id: number,
  c: { months: number; movedFen: number; bridging: string; note: string | null },
): Promise<void> {
  await sql`UPDATE fed_transfer SET status = 'completed',
      months = ${c.months},
      pooled_fen = 0, account_fen = ${c.movedFen}, total_fen = ${c.movedFen},
      funds = coalesce(funds, '{}'::jsonb) || ${c.bridging}::jsonb,
      note = ${c.note}::jsonb, updated_at = now()
    WHERE id = ${id}`.execute(tx);
}
