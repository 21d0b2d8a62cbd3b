// SQL of the supervision findings' triage and cases (case.service.ts): the finding and the case (read,
// and locked for a change), their conditional updates, the case's notes and instalments, what the
// case page shows beside them (names, the recovery case, other recoveries of the person) and the
// region's list. Executor first; the service owns the transaction, the checks and the audit.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';

import type { CaseStatus, RecoveryFund as Fund } from './case-codes.ts';

export type { CaseStatus, Fund };

/** What a released decision settles: the figures the case records and its view shows. */
export interface DecisionTerms {
  fraud: boolean;
  fund: Fund | null;
  overpaidFen: number;
  fineMultiplierPct: number | null;
  fineFen: number;
  planKind: string | null;
}

export interface FindingRow {
  id: number;
  detector: string;
  region: string;
  person_id: number | null;
  employer_id: number | null;
  amount_at_risk_fen: unknown;
  status: 'open' | 'dismissed' | 'case';
  version: number;
  summary_zh: string;
  summary_en: string;
  evidence: unknown;
  period_from: string | null;
  period_to: string | null;
  found_on: string;
}

export interface CaseRow {
  id: number;
  finding_id: number;
  region: string;
  person_id: number | null;
  employer_id: number | null;
  status: CaseStatus;
  fraud: boolean | null;
  fund: Fund | null;
  overpaid_fen: unknown;
  fine_multiplier_pct: number | null;
  fine_fen: unknown;
  plan_kind: string | null;
  decision: unknown;
  decided_by: string | null;
  decided_at: string | null;
  recovery_case_id: number | null;
  opened_by: string;
  created_at: string;
  version: number;
}

/** The finding, locked until the transaction ends when `forUpdate`. */
export async function findingRow(db: Db, id: number, forUpdate = false): Promise<FindingRow | undefined> {
  const r = await sql<FindingRow>`
    SELECT id, detector, region, person_id, employer_id, amount_at_risk_fen, status, version, summary_zh,
           summary_en, evidence, period_from, period_to, found_on::text AS found_on
    FROM supervision_finding WHERE id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`.execute(db);
  const f = r.rows[0];
  return f && { ...f, id: int(f.id), region: f.region.trim() };
}

/** The case, locked until the transaction ends when `forUpdate`. */
export async function caseRow(db: Db, id: number, forUpdate: boolean): Promise<CaseRow | undefined> {
  const r =
    await sql<CaseRow>`SELECT * FROM supervision_case WHERE id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`.execute(
      db,
    );
  const c = r.rows[0];
  return c && { ...c, id: int(c.id), region: c.region.trim() };
}

/** Dismisses an open finding at the version read. */
export async function dismissFinding(tx: Db, id: number, version: number): Promise<void> {
  await sql`UPDATE supervision_finding SET status = 'dismissed', version = version + 1
    WHERE id = ${id} AND version = ${version}`.execute(tx);
}

/** Marks an open finding at the version read as a case; false when another got there first. */
export async function markFindingCase(tx: Db, id: number, version: number): Promise<boolean> {
  const moved = await sql`UPDATE supervision_finding SET status = 'case', version = version + 1
    WHERE id = ${id} AND version = ${version} AND status = 'open'`.execute(tx);
  return Number(moved.numAffectedRows ?? 0) === 1;
}

/** A case opened from a finding (its region, person and employer); answers its id. */
export async function insertCase(
  tx: Db,
  f: Pick<FindingRow, 'id' | 'region' | 'person_id' | 'employer_id'>,
  openedBy: string,
  at: string,
): Promise<number> {
  const row = await sql<{ id: number }>`
    INSERT INTO supervision_case (finding_id, region, person_id, employer_id, opened_by, created_at, updated_at)
    VALUES (${f.id}, ${f.region}, ${f.person_id}, ${f.employer_id}, ${openedBy}, ${at}, ${at}) RETURNING id`.execute(
    tx,
  );
  return int(row.rows[0]?.id);
}

/** An investigation note or evidence reference; answers its id. */
export async function insertCaseNote(
  tx: Db,
  n: {
    caseId: number;
    kind: 'note' | 'evidence';
    text: string;
    ref: string | null;
    createdBy: string;
    at: string;
  },
): Promise<number> {
  const r = await sql<{ id: number }>`
    INSERT INTO supervision_case_note (case_id, kind, text, ref, created_by, created_at)
    VALUES (${n.caseId}, ${n.kind}, ${n.text}, ${n.ref}, ${n.createdBy}, ${n.at}) RETURNING id`.execute(tx);
  return int(r.rows[0]?.id);
}

export async function insertInstalment(
  tx: Db,
  caseId: number,
  i: { seq: number; dueDate: string | null; period: string | null; amountFen: number },
): Promise<void> {
  await sql`INSERT INTO supervision_instalment (case_id, seq, due_date, period, amount_fen)
    VALUES (${caseId}, ${i.seq}, ${i.dueDate}, ${i.period}, ${i.amountFen})`.execute(tx);
}

/** The released decision on a case at the version read, with the recovery case it opened (if any). */
export async function recordDecision(
  tx: Db,
  caseId: number,
  d: DecisionTerms & {
    version: number;
    status: CaseStatus;
    decision: Record<string, unknown>;
    decidedBy: string;
    at: string;
    recoveryCaseId: number | null;
  },
): Promise<void> {
  await sql`UPDATE supervision_case SET status = ${d.status}, fraud = ${d.fraud}, fund = ${d.fund},
    overpaid_fen = ${d.overpaidFen}, fine_multiplier_pct = ${d.fineMultiplierPct},
    fine_fen = ${d.fineFen}, plan_kind = ${d.planKind},
    decision = ${JSON.stringify(d.decision)}::jsonb,
    decided_by = ${d.decidedBy}, decided_at = ${d.at}, recovery_case_id = ${d.recoveryCaseId},
    updated_at = ${d.at}, version = version + 1
    WHERE id = ${caseId} AND version = ${d.version}`.execute(tx);
}

/** The names the case page shows: the person, the employer, the staff member a finding names, the decider. */
export async function caseNames(
  db: Db,
  q: { personId: number | null; employerId: number | null; staffUserId: unknown; decidedBy: string | null },
) {
  const names = await sql<{
    person_name: string | null;
    employer_name: string | null;
    staff_name: string | null;
    decided_by_name: string | null;
  }>`
    SELECT (SELECT name FROM person WHERE id = ${q.personId}) AS person_name,
           (SELECT name FROM employer WHERE id = ${q.employerId}) AS employer_name,
           (SELECT display_name FROM app_user WHERE id = ${q.staffUserId}) AS staff_name,
           (SELECT display_name FROM app_user WHERE username = ${q.decidedBy}) AS decided_by_name`.execute(
    db,
  );
  return names.rows[0];
}

/** The case's notes in order, each with its writer's name. */
export async function caseNotes(db: Db, caseId: number) {
  const notes = await sql<{
    id: number;
    kind: 'note' | 'evidence';
    text: string;
    ref: string | null;
    created_by: string;
    created_by_name: string | null;
    created_at: string;
  }>`
    SELECT n.id, n.kind, n.text, n.ref, n.created_by, u.display_name AS created_by_name, n.created_at
    FROM supervision_case_note n LEFT JOIN app_user u ON u.username = n.created_by
    WHERE n.case_id = ${caseId} ORDER BY n.id`.execute(db);
  return notes.rows;
}

/** The recovery case the decision opened. */
export async function recoveryOf(db: Db, recoveryCaseId: number) {
  const r = await sql<{
    id: number;
    amount_fen: unknown;
    recovered_fen: unknown;
    status: string;
    award_id: number | null;
  }>`
    SELECT id, amount_fen, recovered_fen, status, award_id FROM recovery_case WHERE id = ${recoveryCaseId}`.execute(
    db,
  );
  return r.rows[0];
}

/** The case's repayment plan, by instalment. */
export async function caseInstalments(db: Db, caseId: number) {
  const instalments = await sql<{
    seq: number;
    due_date: string | null;
    period: string | null;
    amount_fen: unknown;
  }>`
    SELECT seq, due_date::text AS due_date, period, amount_fen FROM supervision_instalment WHERE case_id = ${caseId} ORDER BY seq`.execute(
    db,
  );
  return instalments.rows;
}

/** The person's recoveries other than this case's, oldest first. */
export async function otherRecoveries(db: Db, personId: number, caseId: number) {
  const r = await sql<{
    ref: string;
    source: string;
    amount_fen: unknown;
    recovered_fen: unknown;
    status: string;
  }>`
    SELECT ref, source, amount_fen, recovered_fen, status FROM recovery_overview
    WHERE person_id = ${personId} AND (supervision_case_id IS NULL OR supervision_case_id <> ${caseId})
    ORDER BY created_at`.execute(db);
  return r.rows;
}

/**
 * The cases of a region (and its sub-regions), newest first (at most 500), by status when given: a
 * recovering case whose recovery is recovered or written off counts as closed.
 */
export async function casesOfRegion(db: Db, region: string, status: CaseStatus | undefined) {
  const rows = await sql<{
    id: number;
    finding_id: number;
    detector: string;
    region: string;
    status: CaseStatus;
    person_name: string | null;
    employer_name: string | null;
    amount_at_risk_fen: unknown;
    overpaid_fen: unknown;
    fine_fen: unknown;
    recovered_fen: unknown;
    created_at: string;
  }>`
    SELECT * FROM (
      SELECT c.id, c.finding_id, f.detector, c.region,
             CASE WHEN c.status = 'recovering' AND rc.status IN ('recovered', 'written_off') THEN 'closed' ELSE c.status END AS status,
             p.name AS person_name, e.name AS employer_name, f.amount_at_risk_fen, c.overpaid_fen, c.fine_fen,
             coalesce(rc.recovered_fen, 0) AS recovered_fen, c.created_at
      FROM supervision_case c JOIN supervision_finding f ON f.id = c.finding_id
      LEFT JOIN person p ON p.id = c.person_id LEFT JOIN employer e ON e.id = c.employer_id
      LEFT JOIN recovery_case rc ON rc.id = c.recovery_case_id
      WHERE ${regionCoversSql(sql.ref('c.region'), region)}) x
    ${status ? sql`WHERE x.status = ${status}` : sql``}
    ORDER BY x.id DESC LIMIT 500`.execute(db);
  return rows.rows;
}
