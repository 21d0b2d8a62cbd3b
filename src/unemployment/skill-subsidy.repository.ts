// SQL of the skill-upgrade subsidy (技能提升补贴): the application with its certificate and person,
// the register's certificates of a person, the subsidies that count towards the limits, the decision,
// and the hall's status events. Executor first.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import type { TraceStep } from '../core/trace.ts';

export type SkillSubsidyStatus = 'submitted' | 'approved' | 'rejected' | 'paid';

/** An application joined to its person and certificate, with the prepared decision awaiting release. */
export type SkillSubsidyRow = {
  id: unknown;
  person_id: unknown;
  person_name: string;
  region: string;
  certificate_no: string;
  occupation: string;
  level: number;
  issue_date: string;
  issuer: string;
  applied_on: string;
  contribution_months: number;
  eligible: boolean;
  amount_fen: unknown;
  reason: string | null;
  reason_zh: string | null;
  /** as stored: read through storedTrace (steps saved before they carried a unit have none) */
  trace: unknown;
  status: SkillSubsidyStatus;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: unknown;
  paid_on: string | null;
  bank_name: string | null;
  bank_account: string | null;
  pending_approval_id: unknown;
};

const select = sql`
  SELECT a.id, a.person_id, p.name AS person_name, a.region, c.certificate_no, c.occupation, c.level, c.issue_date::text AS issue_date,
    c.issuer, a.applied_on::text AS applied_on, a.contribution_months, a.eligible, a.amount_fen, a.reason, a.reason_zh, a.trace,
    a.status, a.decision_note, a.decided_by, a.decided_at, a.paid_on::text AS paid_on, a.bank_name, a.bank_account,
    (SELECT ap.id FROM approval ap WHERE ap.kind = 'skill-subsidy.decide' AND ap.dedupe_key = a.id::text AND ap.status = 'prepared') AS pending_approval_id
  FROM skill_subsidy_application a
  JOIN person p ON p.id = a.person_id
  JOIN vocational_certificate c ON c.id = a.certificate_id`;

export async function findApplication(db: Db, id: number): Promise<SkillSubsidyRow | undefined> {
  return (await sql<SkillSubsidyRow>`${select} WHERE a.id = ${id}`.execute(db)).rows[0];
}

export async function personApplications(db: Db, personId: number): Promise<SkillSubsidyRow[]> {
  return (
    await sql<SkillSubsidyRow>`${select} WHERE a.person_id = ${personId} ORDER BY a.id DESC`.execute(db)
  ).rows;
}

/** The staff queue of a region, or one person's own list; submitted first. */
export async function applicationPage(
  db: Db,
  of: { personId: number } | { region: string },
  status: SkillSubsidyStatus | undefined,
  page: { limit: number; offset: number },
): Promise<{ rows: SkillSubsidyRow[]; total: number }> {
  const scope =
    'personId' in of ? sql`a.person_id = ${of.personId}` : regionCoversSql(sql`a.region`, of.region);
  const where = sql`${scope} ${status === undefined ? sql`` : sql`AND a.status = ${status}`}`;
  const n = await sql<{
    n: unknown;
  }>`SELECT count(*) AS n FROM skill_subsidy_application a WHERE ${where}`.execute(db);
  const rows = await sql<SkillSubsidyRow>`${select} WHERE ${where}
    ORDER BY (a.status = 'submitted') DESC, a.id DESC LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return { rows: rows.rows, total: int(n.rows[0]?.n) };
}

/** The register's certificates in the person's name, newest first, each with its latest application. */
export async function personCertificates(db: Db, idNumber: string) {
  const r = await sql<{
    certificate_no: string;
    occupation: string;
    level: number;
    issue_date: string;
    issuer: string;
    application_id: unknown;
    status: string | null;
  }>`
    SELECT c.certificate_no, c.occupation, c.level, c.issue_date::text AS issue_date, c.issuer,
      (SELECT a.id FROM skill_subsidy_application a WHERE a.certificate_id = c.id ORDER BY a.id DESC LIMIT 1) AS application_id,
      (SELECT a.status FROM skill_subsidy_application a WHERE a.certificate_id = c.id ORDER BY a.id DESC LIMIT 1) AS status
    FROM vocational_certificate c WHERE c.id_number = ${idNumber} ORDER BY c.issue_date DESC, c.id DESC`.execute(
    db,
  );
  return r.rows;
}

/** The certificate with this number in the person's name (someone else's answers as none). */
export async function ownCertificate(
  db: Db,
  certificateNo: string,
  idNumber: string,
): Promise<{ id: number; occupation: string; level: number; issue_date: string } | undefined> {
  const r = await sql<{ id: unknown; occupation: string; level: number; issue_date: string }>`
    SELECT id, occupation, level, issue_date::text AS issue_date FROM vocational_certificate
    WHERE certificate_no = ${certificateNo} AND id_number = ${idNumber}`.execute(db);
  const c = r.rows[0];
  return c ? { ...c, id: int(c.id), level: int(c.level) } : undefined;
}

/** Serialises a person's applications, so the limits' check and the insert are one step. */
export async function lockPersonSubsidies(tx: Db, personId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(726354204, ${personId}::int)`.execute(tx);
}

/** The person's applications not refused: what the limits count. */
export async function liveApplications(
  tx: Db,
  personId: number,
): Promise<Array<{ certificateId: number; occupation: string; level: number; appliedOn: string }>> {
  const r = await sql<{ certificate_id: unknown; occupation: string; level: number; applied_on: string }>`
    SELECT a.certificate_id, vc.occupation, vc.level, a.applied_on::text AS applied_on FROM skill_subsidy_application a
    JOIN vocational_certificate vc ON vc.id = a.certificate_id
    WHERE a.person_id = ${personId} AND a.status <> 'rejected'`.execute(tx);
  return r.rows.map((x) => ({
    certificateId: int(x.certificate_id),
    occupation: x.occupation,
    level: int(x.level),
    appliedOn: x.applied_on,
  }));
}

export async function insertApplication(
  tx: Db,
  a: {
    personId: number;
    certificateId: number;
    region: string;
    appliedOn: string;
    contributionMonths: number;
    eligible: boolean;
    amountFen: number;
    reason: string | null;
    reasonZh: string | null;
    trace: readonly TraceStep[];
  },
): Promise<number> {
  const r = await sql<{ id: unknown }>`
    INSERT INTO skill_subsidy_application (person_id, certificate_id, region, applied_on, contribution_months, eligible,
      amount_fen, reason, reason_zh, trace, status)
    VALUES (${a.personId}, ${a.certificateId}, ${a.region}, ${a.appliedOn}, ${a.contributionMonths}, ${a.eligible},
      ${a.amountFen}, ${a.reason}, ${a.reasonZh}, ${JSON.stringify(a.trace)}::jsonb, 'submitted')
    RETURNING id`.execute(tx);
  return int(r.rows[0]?.id);
}

/** The application to decide, locked for the decision's transaction. */
export async function lockApplication(tx: Db, id: number) {
  const r = await sql<{
    id: unknown;
    person_id: unknown;
    region: string;
    status: string;
    eligible: boolean;
    amount_fen: unknown;
  }>`
    SELECT id, person_id, region, status, eligible, amount_fen FROM skill_subsidy_application WHERE id = ${id} FOR UPDATE`.execute(
    tx,
  );
  return r.rows[0];
}

export async function markRejected(
  tx: Db,
  id: number,
  d: { note: string | null; approvalId: number; decidedBy: string },
): Promise<void> {
  await sql`UPDATE skill_subsidy_application SET status = 'rejected', decision_note = ${d.note}, approval_id = ${d.approvalId},
    decided_by = ${d.decidedBy}, decided_at = now() WHERE id = ${id}`.execute(tx);
}

export async function markPaid(
  tx: Db,
  id: number,
  d: {
    approvalId: number;
    decidedBy: string;
    paidOn: string;
    bankName: string | null;
    bankAccount: string;
    journalEntryId: number;
  },
): Promise<void> {
  await sql`UPDATE skill_subsidy_application SET status = 'paid', approval_id = ${d.approvalId}, decided_by = ${d.decidedBy},
      decided_at = now(), paid_on = ${d.paidOn}, bank_name = ${d.bankName}, bank_account = ${d.bankAccount},
      journal_entry_id = ${d.journalEntryId}
    WHERE id = ${id}`.execute(tx);
}

/** The subsidies paid, per region (`shebao ledger verify` sets them against the fund's postings). */
export const SKILL_SUBSIDIES_PAID_BY_REGION = sql`SELECT region, sum(amount_fen)::bigint AS amount FROM skill_subsidy_application WHERE status = 'paid' GROUP BY region`;
