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
