// SQL for retirement cases: the due list's candidates, one case (for update), the open case or the
// award a person already has, inserting a case, the guarded status change, the list, the award and
// its first amount written on approval, and the hall's case-status event. Functions take the
// executor first.
import { sql, type Selectable, type Updateable } from 'kysely';
import { now } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import type { PensionScheme, RetirementCaseStatus, RetirementCaseTable } from '../db/database.ts';
import { regionCoversSql, regionOrAncestorSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import type { TraceStep } from '../core/trace.ts';

export type CaseRow = Selectable<RetirementCaseTable>;

export interface DueCandidate {
  id: number;
  name: string;
  birth_date: string;
  sex: 'M' | 'F';
  case_id: number | null;
  case_status: string | null;
}

/**
 * Living persons of the region born from `bornFrom` to `bornTo` (both included) with an active enrolment in the scheme and no
 * award yet (for residents: no award of any scheme), each with their latest case of the scheme.
 */
export async function dueCandidates(
  db: Db,
  f: { region: string; scheme: PensionScheme; bornFrom: string; bornTo: string },
): Promise<DueCandidate[]> {
  const anyAward = f.scheme === 'resident_pension' ? sql`` : sql`AND a.scheme = ${f.scheme}`;
  const r = await sql<DueCandidate>`
    SELECT p.id, p.name, p.birth_date, p.sex, rc.id AS case_id, rc.status AS case_status
    FROM person p
    LEFT JOIN LATERAL (SELECT c.id, c.status FROM retirement_case c
      WHERE c.person_id = p.id AND c.scheme = ${f.scheme} ORDER BY c.id DESC LIMIT 1) rc ON true
    WHERE ${regionCoversSql(sql`p.region`, f.region)} AND p.death_date IS NULL
      AND p.birth_date BETWEEN ${f.bornFrom}::date AND ${f.bornTo}::date
      AND EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme = ${f.scheme} AND e.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id ${anyAward})
    ORDER BY p.id`.execute(db);
  return r.rows.map((p) => ({
    ...p,
    id: Number(p.id),
    case_id: p.case_id === null ? null : Number(p.case_id),
  }));
}

export const caseById = (db: Db, id: number): Promise<CaseRow | undefined> =>
  db.selectFrom('retirement_case').selectAll().where('id', '=', id).executeTakeFirst();

/** The case locked for the transaction (the caller answers a missing one: foundInRegion). */
export const caseForUpdate = (tx: Db, id: number): Promise<CaseRow | undefined> =>
  tx.selectFrom('retirement_case').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const personForCase = (db: Db, personId: number) =>
  db
    .selectFrom('person')
    .select(['id', 'region', 'sex', 'birth_date', 'death_date'])
    .where('id', '=', personId)
    .executeTakeFirst();

export async function awardOf(db: Db, personId: number, scheme: PensionScheme): Promise<number | undefined> {
  const a = await db
    .selectFrom('pension_award')
    .select('id')
    .where('person_id', '=', personId)
    .where('scheme', '=', scheme)
    .executeTakeFirst();
  return a?.id;
}

/** The person's case of the scheme still in progress (draft, pending review, returned), if any. */
export async function openCaseOf(
  tx: Db,
  personId: number,
  scheme: PensionScheme,
): Promise<number | undefined> {
  const c = await tx
    .selectFrom('retirement_case')
    .select('id')
    .where('person_id', '=', personId)
    .where('scheme', '=', scheme)
    .where('status', 'in', ['draft', 'pending_review', 'returned'])
    .executeTakeFirst();
  return c?.id;
}

export async function insertCase(
  tx: Db,
  c: {
    personId: number;
    scheme: PensionScheme;
    region: string;
    kind: 'statutory' | 'early' | 'late';
    retirementDate: string;
    inputs: unknown;
    parameterVersions: unknown;
    trace: readonly TraceStep[];
    createdByUserId: number | null;
    createdBy: string;
  },
): Promise<CaseRow> {
  return tx
    .insertInto('retirement_case')
    .values({
      person_id: c.personId,
      scheme: c.scheme,
      region: c.region,
      retirement_kind: c.kind,
      retirement_date: c.retirementDate,
      options: '[]',
      inputs: JSON.stringify(c.inputs),
      parameter_versions: JSON.stringify(c.parameterVersions),
      trace: JSON.stringify(c.trace),
      eligible: null,
      missing_months: null,
      result: null,
      monthly_fen: null,
      computed_at: null,
      created_by_user_id: c.createdByUserId,
      created_by: c.createdBy,
      submitted_at: null,
      reviewed_by_user_id: null,
      reviewed_by: null,
      reviewed_at: null,
      review_note: null,
      award_id: null,
      // dated by the app's clock (core/clock), as the case's days are, not the database's
      created_at: now().toISOString(),
      updated_at: now().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Moves the case to `to` only if it is in one of `from` at `version` (and bumps the version): of two
 * clerks acting on the same version one wins, the other gets undefined.
 */
export function updateCaseGuarded(
  tx: Db,
  id: number,
  guard: { from: readonly RetirementCaseStatus[]; version: number },
  set: Updateable<RetirementCaseTable> & { status: RetirementCaseStatus },
): Promise<CaseRow | undefined> {
  return tx
    .updateTable('retirement_case')
    .set({ ...set, updated_at: now().toISOString(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('status', 'in', guard.from)
    .where('version', '=', guard.version)
    .returningAll()
    .executeTakeFirst();
}

export const setCaseAward = (tx: Db, id: number, awardId: number): Promise<CaseRow> =>
  tx
    .updateTable('retirement_case')
    .set({ award_id: awardId })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

/** Cases of the region (and below), newest first, with the person's and the creator's names. */
export async function listCaseRows(
  db: Db,
  q: { region: string; status?: RetirementCaseStatus; limit: number; offset: number },
): Promise<{
  rows: Array<CaseRow & { person_name: string; created_by_name: string | null }>;
  total: number;
}> {
  let query = db.selectFrom('retirement_case as a').where(regionCoversSql(sql`a.region`, q.region));
  if (q.status !== undefined) query = query.where('a.status', '=', q.status);
  const total = int((await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n);
  const rows = await query
    .selectAll('a')
    .select([
      sql<string>`(SELECT p.name FROM person p WHERE p.id = a.person_id)`.as('person_name'),
      sql<string | null>`(SELECT u.display_name FROM app_user u WHERE u.username = a.created_by)`.as(
        'created_by_name',
      ),
    ])
    .orderBy('a.id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  return { rows, total };
}

/** The award decided by a case, with its first amount; undefined when the person already has one. */
export async function insertAwardFromCase(
  tx: Db,
  a: {
    caseRow: CaseRow;
    monthlyFen: number;
    accountFen: number;
    startPeriod: string;
    contributionMonths: number;
    components: unknown;
    createdBy: string;
  },
): Promise<number | undefined> {
  const c = a.caseRow;
  const award = await tx
    .insertInto('pension_award')
    .values({
      person_id: c.person_id,
      scheme: c.scheme,
      region: c.region,
      decision_id: c.id,
      source: 'decision',
      retirement_date: c.retirement_date,
      start_period: a.startPeriod,
      contribution_months: a.contributionMonths,
      suspended_from_period: null,
      suspend_reason_code: null,
      suspend_reason: null,
      stop_reason: null,
      stopped_from_period: null,
      monthly_fen: a.monthlyFen,
      created_by: a.createdBy,
    })
    .onConflict((oc) => oc.columns(['person_id', 'scheme']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!award) return undefined;
  await tx
    .insertInto('pension_amount')
    .values({
      award_id: award.id,
      effective_period: a.startPeriod,
      monthly_fen: a.monthlyFen,
      account_fen: a.accountFen,
      previous_fen: null,
      components: JSON.stringify(a.components),
      reason: 'initial',
      adjustment_year: null,
      created_by: a.createdBy,
    })
    .execute();
  return award.id;
}

/** Periods from `from` whose payroll has already run for the region (locked against a run starting). */
export async function payrollPeriodsSince(tx: Db, from: string, region: string): Promise<string[]> {
  const runs = await sql<{ period: string }>`
    SELECT period FROM payroll_run WHERE period >= ${from}
      AND ${regionOrAncestorSql(sql.ref('region'), region)}
    ORDER BY period FOR SHARE`.execute(tx);
  return runs.rows.map((r) => r.period);
}

/** Publishes a case's new status in the outbox (the online hall follows the case as an application). */
export async function publishCaseStatus(
  tx: Db,
  c: CaseRow,
  e: { status: string; actor: string; note: string | null; on: string },
): Promise<void> {
  const payload = {
    caseId: c.id,
    personId: c.person_id,
    region: c.region,
    status: e.status,
    actor: e.actor,
    // the reviewer's own words, as typed (the hall shows them as they are in both languages)
    note: e.note === null ? null : { text: e.note },
    on: e.on,
    // the citizen follows the retirement case on their pension page (the hall links it)
    citizenPath: '/citizen/my-pension',
  };
  await tx
    .insertInto('outbox')
    .values({ topic: 'retirement.case-status', payload: JSON.stringify(payload) })
    .execute();
}
