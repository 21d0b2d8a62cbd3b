// The person's contribution record as pensions need it (months, the bill lines behind the average
// index, personal-account balance). The lines come from the contributions capability's one index
// query (contributionIndexLines); the index itself is computed only by contribution-index.rules.ts.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { IndexLine } from '../contributions/contribution-index.rules.ts';
import {
  contributionIndexLines,
  creditedMonths,
  movedOutMonths,
  movedOutTransfers,
} from '../contributions/record.repository.ts';

export interface PensionRecord {
  /** months with a paid employee-pension bill line (employees and flexible workers) */
  contributionMonths: number;
  /** the paid employee-pension bill lines behind the months, input to the contribution-index rule */
  indexLines: IndexLine[];
  /** personal-account credits plus credited interest */
  personalAccountFen: number;
  /** months with a paid resident contribution (years × 12), plus those of the paper records before the platform */
  residentMonths: number;
  residentAccountFen: number;
  /** 视同缴费 months before personal accounts (personnel file), 0 when none recorded */
  deemedMonths: number;
  /** paper-archive months between the personal account and the electronic record */
  archivedMonths: number;
  /** their average contribution index (4 decimals), null without archived months */
  archivedIndex: number | null;
  archivedAccountFen: number;
  source: string;
}

export async function pensionRecord(db: Db, personId: number, throughPeriod: string): Promise<PensionRecord> {
  // A pension relation transferred away (国办发〔2009〕66号; federation): the bill lines stay here as the
  // copy kept for queries, but their months and the account moved with the relation and count where
  // it went, not here.
  // (The rule is movedOutTransfers/movedOutMonths, which the record reads too.)
  const movedOut = await sql<{ period: string }>`${movedOutMonths(personId)}`.execute(db);
  const moved = new Set(movedOut.rows.map((r) => r.period));
  const movedAccount = await sql<{ total: unknown }>`
    SELECT coalesce(sum(account_fen), 0)::bigint AS total FROM (${movedOutTransfers(personId)}) t`.execute(
    db,
  );
  // A relation transferred in: the record lines booked from the old place, one a month, at the average
  // wage the old place assessed them against (lines booked before it was sent have none and are left out),
  // unless a later transfer took them on with the relation (creditedMonths: to_province).
  const transferredIn = await sql<{ period: string; base_fen: unknown; average_wage_fen: unknown }>`
    SELECT c.period, c.monthly_base_fen AS base_fen, c.average_wage_fen FROM (${creditedMonths(personId)}) c
    WHERE c.average_wage_fen IS NOT NULL AND c.to_province IS NULL AND c.period <= ${throughPeriod}`.execute(
    db,
  );
  const indexLines: IndexLine[] = [
    ...(await contributionIndexLines(db, personId, throughPeriod)).filter((l) => !moved.has(l.period)),
    ...transferredIn.rows.map((r) => ({
      period: r.period,
      baseFen: int(r.base_fen),
      averageWageFen: int(r.average_wage_fen),
    })),
  ].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const account = await sql<{ account: unknown }>`
    SELECT coalesce(sum(l.personal_account_fen), 0)::bigint AS account
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident' AND l.period <= ${throughPeriod}
      AND (l.pension_employer_fen + l.pension_employee_fen) > 0`.execute(db);
  const interest = await sql<{ fund: string; total: unknown }>`
    SELECT fund, coalesce(sum(interest_fen), 0)::bigint AS total FROM account_interest_credit WHERE person_id = ${personId} GROUP BY fund`.execute(
    db,
  );
  const res = await sql<{ years: unknown; account: unknown }>`
    -- the account is credited the tier and the subsidy; for a hardship household the government
    -- pays the tier itself (代缴: government_paid_fen is the part of tier_fen it paid), not on top
    SELECT count(*) AS years, coalesce(sum(c.tier_fen + c.subsidy_fen), 0)::bigint AS account
    FROM resident_tier_choice c JOIN contribution_bill b ON b.id = c.bill_id
    WHERE c.person_id = ${personId} AND b.status = 'paid'`.execute(db);
  // What the residents' payroll has already drawn down from the account (pension_payment.account_fen).
  const drawn = await sql<{ total: unknown }>`
    SELECT coalesce(sum(pp.account_fen), 0)::bigint AS total FROM pension_payment pp
    JOIN pension_award a ON a.id = pp.award_id WHERE a.person_id = ${personId} AND a.scheme = 'resident_pension'`.execute(
    db,
  );
  // What a scheme bridging moved between the two schemes (federation, 人社部发〔2014〕17号): signed.
  const bridged = await sql<{ fund: string; months: unknown; account: unknown }>`
    SELECT fund, coalesce(sum(months), 0)::bigint AS months, coalesce(sum(account_fen), 0)::bigint AS account
    FROM pension_record_credit WHERE person_id = ${personId} GROUP BY fund`.execute(db);
  const bridgedOf = (f: string) => bridged.rows.find((r) => r.fund === f);
  const prior = await db
    .selectFrom('prior_service')
    .select([
      'deemed_months',
      'archived_months',
      'archived_index_bp',
      'archived_account_fen',
      'resident_months',
      'resident_account_fen',
    ])
    .where('person_id', '=', personId)
    .executeTakeFirst();
  const interestOf = (f: string): number => int(interest.rows.find((r) => r.fund === f)?.total);
  return {
    contributionMonths: new Set(indexLines.map((l) => l.period)).size,
    indexLines,
    personalAccountFen:
      int(account.rows[0]?.account) +
      interestOf('employee_pension') +
      int(bridgedOf('employee_pension')?.account) -
      int(movedAccount.rows[0]?.total),
    residentMonths: Math.max(
      0,
      int(res.rows[0]?.years) * 12 +
        (prior?.resident_months ?? 0) +
        int(bridgedOf('resident_pension')?.months),
    ),
    residentAccountFen:
      int(res.rows[0]?.account) +
      int(bridgedOf('resident_pension')?.account) +
      interestOf('resident_pension') +
      (prior?.resident_account_fen ?? 0) -
      int(drawn.rows[0]?.total),
    deemedMonths: prior?.deemed_months ?? 0,
    archivedMonths: prior?.archived_months ?? 0,
    archivedIndex:
      prior?.archived_index_bp === null || prior?.archived_index_bp === undefined
        ? null
        : prior.archived_index_bp / 10000,
    archivedAccountFen: prior?.archived_account_fen ?? 0,
    source:
      "contribution_bill_line (paid), account_interest_credit, resident_tier_choice (paid), prior_service (deemed and archived service), pension_payment (residents' account drawn down), pension_record_credit (scheme bridging, account transferred in), fed_credited_segment (months transferred in), fed_transfer (relation transferred out)",
  };
}

/** The record as stored with a decision: the figures, not the bill lines behind them. */
export function recordSummary(r: PensionRecord): Omit<PensionRecord, 'indexLines'> {
  return {
    contributionMonths: r.contributionMonths,
    personalAccountFen: r.personalAccountFen,
    residentMonths: r.residentMonths,
    residentAccountFen: r.residentAccountFen,
    deemedMonths: r.deemedMonths,
    archivedMonths: r.archivedMonths,
    archivedIndex: r.archivedIndex,
    archivedAccountFen: r.archivedAccountFen,
    source: r.source,
  };
}
