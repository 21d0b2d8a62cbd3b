// The SQL of 跨省通办 (cross-province.service.ts): the request rows on either side, and what the
// holding province's own record says of the person. The service owns the transactions, the messages,
// the hall and the audit. Executor first.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';

export const XP_SERVICES = ['insurance-certificate', 'record-statement'] as const;
export type XpService = (typeof XP_SERVICES)[number];
export type XpStatus = 'submitted' | 'accepted' | 'completed' | 'rejected';

/** What the holding province states about the person (name and ID number masked). */
export interface XpStatement {
  province: string;
  asOf: string;
  nameMasked: string;
  idNumberMasked: string;
  schemes: Array<{
    scheme: string;
    status: string;
    since: string;
    until: string | null;
    months: number;
  }>;
  /** record-statement only: the personal account balances (fen) */
  accounts: { employeePensionFen: number; residentPensionFen: number } | null;
}

export interface XpRow {
  id: number;
  ref: string;
  side: 'filed' | 'handled';
  service: XpService;
  person_id: number | null;
  filed_in: string;
  handled_by: string;
  status: XpStatus;
  applied_by: string;
  result: XpStatement | null;
  /** `{ zh, en }` as this node wrote it, `{ text }` as the other province did (migration 1582) */
  note: unknown;
  created_at: string;
  updated_at: string;
  accepted_on: string | null;
  closed_on: string | null;
}

/** A request row with its person's region and name (null when the person is not known here). */
export type XpRowOfPerson = XpRow & { region: string | null; person_name: string | null };

export async function personNameAndIdNumber(tx: Db, personId: number) {
  return tx
    .selectFrom('person')
    .select(['name', 'id_number'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
}

export async function personByIdNumber(tx: Db, idNumber: string) {
  return tx
    .selectFrom('person')
    .select(['id', 'region'])
    .where('id_number', '=', idNumber)
    .executeTakeFirst();
}

export async function personRegion(tx: Db, personId: number): Promise<string | undefined> {
  return (await tx.selectFrom('person').select('region').where('id', '=', personId).executeTakeFirst())
    ?.region;
}

/** Per scheme, the person's enrolment here (active, ended, or only paid) and the months paid. */
export async function schemesOf(
  tx: Db,
  personId: number,
): Promise<{ scheme: string; status: string; since: string; until: string | null; months: unknown }[]> {
  const rows = await sql<{
    scheme: string;
    status: string;
    since: string;
    until: string | null;
    months: unknown;
  }>`
    WITH e AS (
      SELECT scheme, bool_or(status = 'active') AS active, min(start_date)::text AS since,
             CASE WHEN bool_or(end_date IS NULL) THEN NULL ELSE max(end_date)::text END AS until
      FROM enrolment WHERE person_id = ${personId} GROUP BY scheme),
    m AS (
      SELECT 'employee_pension' AS scheme, count(DISTINCT l.period) FILTER (WHERE l.pension_employer_fen + l.pension_employee_fen > 0) AS n
        FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
        WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
      UNION ALL
      SELECT 'unemployment', count(DISTINCT l.period) FILTER (WHERE l.unemployment_employer_fen + l.unemployment_employee_fen > 0)
        FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
        WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
      UNION ALL
      SELECT 'injury', count(DISTINCT l.period) FILTER (WHERE l.injury_fen > 0)
        FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
        WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
      UNION ALL
      SELECT 'resident_pension', 12 * count(DISTINCT b.period) FROM contribution_bill b
        WHERE b.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind = 'resident')
    SELECT coalesce(e.scheme, m.scheme) AS scheme,
           CASE WHEN e.active THEN 'active' WHEN e.scheme IS NULL THEN 'paid' ELSE 'ended' END AS status,
           coalesce(e.since, '') AS since, e.until, coalesce(m.n, 0)::bigint AS months
    FROM e FULL JOIN m ON m.scheme = e.scheme
    WHERE e.scheme IS NOT NULL OR m.n > 0
    ORDER BY 1`.execute(tx);
  return rows.rows;
}

/** The person's personal account balances here (contributions and interest), employees' and residents'. */
export async function accountBalancesOf(
  tx: Db,
  personId: number,
): Promise<{ emp: unknown; res: unknown } | undefined> {
  const a = await sql<{ emp: unknown; res: unknown }>`
    SELECT (SELECT coalesce(sum(l.personal_account_fen), 0) FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
              WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident')
         + (SELECT coalesce(sum(interest_fen), 0) FROM account_interest_credit WHERE person_id = ${personId} AND fund = 'employee_pension') AS emp,
           (SELECT coalesce(sum(l.personal_account_fen), 0) FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
              WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind = 'resident')
         + (SELECT coalesce(sum(interest_fen), 0) FROM account_interest_credit WHERE person_id = ${personId} AND fund = 'resident_pension') AS res`.execute(
    tx,
  );
  return a.rows[0];
}

/** Whether the holding side already took the request `ref` in. */
export async function handledRequestExists(tx: Db, ref: string): Promise<boolean> {
  const exists = await sql`SELECT 1 FROM fed_xp_request WHERE ref = ${ref} AND side = 'handled'`.execute(tx);
  return exists.rows.length > 0;
}

/** The holding side's row of a request it decided at once (accepted and closed on `on`); answers its id. */
export async function insertHandledRequest(
  tx: Db,
  r: {
    ref: string;
    service: XpService;
    personId: number | null;
    filedIn: string;
    handledBy: string;
    status: XpStatus;
    result: XpStatement | null;
    note: object | null;
    on: string;
  },
): Promise<number | undefined> {
  const ins = await sql<{ id: number }>`
    INSERT INTO fed_xp_request (ref, side, service, person_id, filed_in, handled_by, status, applied_by, result, note,
      accepted_on, closed_on)
    VALUES (${r.ref}, 'handled', ${r.service}, ${r.personId}, ${r.filedIn}, ${r.handledBy},
      ${r.status}, ${r.filedIn}, ${r.result === null ? null : JSON.stringify(r.result)}::jsonb, ${r.note === null ? null : JSON.stringify(r.note)}::jsonb,
      ${r.on}::date, ${r.on}::date)
    RETURNING id`.execute(tx);
  return ins.rows[0]?.id;
}

/** The filing side's row of `ref`, locked for its move. */
export async function lockFiledRequest(tx: Db, ref: string): Promise<XpRow | undefined> {
  const r = await sql<XpRow>`
    SELECT * FROM fed_xp_request WHERE ref = ${ref} AND side = 'filed' FOR UPDATE`.execute(tx);
  return r.rows[0];
}

/** The filing side's row moved to `status` (the result kept when none comes; accepted and closed days kept once set). */
export async function moveFiledRequest(
  tx: Db,
  id: number,
  m: { status: XpStatus; note: object | null; result: XpStatement | null; on: string; closed: string | null },
): Promise<void> {
  await sql`UPDATE fed_xp_request SET status = ${m.status}, note = ${m.note === null ? null : JSON.stringify(m.note)}::jsonb,
      result = coalesce(${m.result === null ? null : JSON.stringify(m.result)}::jsonb, result), updated_at = now(),
      accepted_on = coalesce(accepted_on, ${m.on}::date), closed_on = coalesce(${m.closed}::date, closed_on)
    WHERE id = ${id}`.execute(tx);
}

/** The filing side's new row, submitted. */
export async function insertFiledRequest(
  tx: Db,
  r: {
    ref: string;
    service: XpService;
    personId: number;
    filedIn: string;
    handledBy: string;
    appliedBy: string;
  },
): Promise<XpRow | undefined> {
  const ins = await sql<XpRow>`
    INSERT INTO fed_xp_request (ref, side, service, person_id, filed_in, handled_by, status, applied_by)
    VALUES (${r.ref}, 'filed', ${r.service}, ${r.personId}, ${r.filedIn}, ${r.handledBy}, 'submitted', ${r.appliedBy})
    RETURNING *`.execute(tx);
  return ins.rows[0];
}

export async function requestById(db: Db, id: number): Promise<XpRowOfPerson | undefined> {
  const r = await sql<XpRowOfPerson>`
    SELECT x.*, p.region, p.name AS person_name FROM fed_xp_request x LEFT JOIN person p ON p.id = x.person_id WHERE x.id = ${id}`.execute(
    db,
  );
  return r.rows[0];
}

/** The latest 500 requests, of the person `own` only when given. */
export async function requestsOf(db: Db, own: number | null): Promise<XpRowOfPerson[]> {
  const r = await sql<XpRowOfPerson>`
    SELECT x.*, p.region, p.name AS person_name FROM fed_xp_request x LEFT JOIN person p ON p.id = x.person_id
    WHERE (${own}::bigint IS NULL OR x.person_id = ${own}) ORDER BY x.id DESC LIMIT 500`.execute(db);
  return r.rows;
}
