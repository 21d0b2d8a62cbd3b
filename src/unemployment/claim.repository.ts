// SQL of unemployment claims: the separation a claim starts from, the contribution months it counts,
// the months carried from an earlier claim, and the service-hall status events. Executor first.
import type { Note } from '../core/bilingual.ts';
import { sql, type Insertable, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import type { EndReason, UnemploymentClaimTable } from '../db/database.ts';
import { int } from '../db/values.ts';
import { publishCaseStatusEvent, type CaseStatus } from '../hall/case-status.event.ts';

export type ClaimRow = Selectable<UnemploymentClaimTable>;

export const findClaim = (db: Db, id: number): Promise<ClaimRow | undefined> =>
  db.selectFrom('unemployment_claim').selectAll().where('id', '=', id).executeTakeFirst();

export const findClaimForUpdate = (db: Db, id: number): Promise<ClaimRow | undefined> =>
  db.selectFrom('unemployment_claim').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** The person's latest claim whose benefit ran out or that did not qualify: what a 失业补助金 is assessed from. */
export const lastClaimOutOfBenefit = (db: Db, personId: number): Promise<ClaimRow | undefined> =>
  db
    .selectFrom('unemployment_claim')
    .selectAll()
    .where('person_id', '=', personId)
    .where('status', 'in', ['ended', 'ineligible'])
    .orderBy('id', 'desc')
    .executeTakeFirst();

/** The person's latest ended employment (the employer's 减员 with its reason). */
export interface Separation {
  id: number;
  employer_id: number;
  start_date: string;
  end_date: string;
  end_reason: EndReason;
  /** the employer's region */
  region: string;
}

export async function latestSeparation(db: Db, personId: number): Promise<Separation | undefined> {
  const r = await sql<Separation>`
    SELECT em.id, em.employer_id, em.start_date, em.end_date, em.end_reason, er.region
    FROM employment em JOIN employer er ON er.id = em.employer_id
    WHERE em.person_id = ${personId} AND em.end_date IS NOT NULL
    ORDER BY em.end_date DESC, em.id DESC LIMIT 1`.execute(db);
  const row = r.rows[0];
  return row ? { ...row, id: int(row.id), employer_id: int(row.employer_id) } : undefined;
}

export async function hasOpenEmployment(db: Db, personId: number): Promise<boolean> {
  const r = await db
    .selectFrom('employment')
    .select('id')
    .where('person_id', '=', personId)
    .where('end_date', 'is', null)
    .executeTakeFirst();
  return r !== undefined;
}

/** Does the person already receive a basic pension (社会保险法 Art. 51: a pensioner is not paid unemployment benefit)? */
export async function receivesPension(db: Db, personId: number): Promise<boolean> {
  const r = await sql<{ id: number }>`
    SELECT id FROM pension_award WHERE person_id = ${personId} AND status IN ('active', 'suspended') LIMIT 1`.execute(
    db,
  );
  return r.rows.length > 0;
}

/**
 * Months with paid unemployment-insurance contributions (employer or employee part), after `afterPeriod`
 * (a previous claim's separation month: contribution time restarts after re-employment, 社会保险法 Art. 46)
 * and up to `throughPeriod`, across employers and regions (Art. 52).
 */
export async function unemploymentContributionMonths(
  db: Db,
  personId: number,
  afterPeriod: string | null,
  throughPeriod: string,
): Promise<number> {
  const r = await sql<{ n: unknown }>`
    SELECT count(DISTINCT l.period) AS n
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status = 'paid'
      AND (l.unemployment_employer_fen + l.unemployment_employee_fen) > 0
      AND l.period <= ${throughPeriod} ${afterPeriod === null ? sql`` : sql`AND l.period > ${afterPeriod}`}`.execute(
    db,
  );
  return int(r.rows[0]?.n);
}

/** The person's last claim that paid (its separation month restarts the contribution count) and the months it left to carry. */
export async function previousClaim(
  db: Db,
  personId: number,
): Promise<{ id: number; separationPeriod: string; carried: number } | undefined> {
  const r = await db
    .selectFrom('unemployment_claim')
    .select(['id', 'separation_date', 'remaining_months', 'carry_forward'])
    .where('person_id', '=', personId)
    .where('status', 'in', ['stopped', 'ended'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    separationPeriod: r.separation_date.slice(0, 7),
    carried: r.carry_forward ? (r.remaining_months ?? 0) : 0,
  };
}

/** An approved claim's stage in the hall: paid month by month until it ends (then `completed`). */
export const BEING_PAID: Note = { zh: '发放中', en: 'being paid' };

/** The service hall follows the application through `case.status` outbox events (same transaction). */
export async function publishCaseStatus(
  tx: Db,
  actor: Actor,
  e: {
    service: 'unemployment-benefit' | 'unemployment-subsidy';
    ref: string;
    personId: number;
    status: CaseStatus;
    /** words for the applicant in both languages (the hall shows each reader theirs) */
    note?: Note;
    /** where it stands within the status (发放中 / being paid), shown beside it in the hall */
    stage?: Note;
    regionCode: string;
  },
): Promise<void> {
  await publishCaseStatusEvent(tx, {
    ...e,
    actor: actor.username,
    on: today(),
    citizenPath: '/citizen/unemployment', // the claim and its subsidies are on the citizen's unemployment page
  });
}

/**
 * What a claim has been paid (months, fen): one definition for a claim read alone and for each row of
 * the list, where it sits in the list's own statement (not one query per row).
 */
const paidMonthsOf = (claimId: RawBuilder<unknown>) =>
  sql<string>`(SELECT count(*) FROM unemployment_payment u WHERE u.claim_id = ${claimId})`;
const paidFenOf = (claimId: RawBuilder<unknown>) =>
  sql<string>`(SELECT coalesce(sum(u.amount_fen), 0) FROM unemployment_payment u WHERE u.claim_id = ${claimId})`;

export async function paidOf(db: Db, claimId: number): Promise<{ months: number; fen: number }> {
  const r = await db
    .selectNoFrom([paidMonthsOf(sql.val(claimId)).as('n'), paidFenOf(sql.val(claimId)).as('total')])
    .executeTakeFirstOrThrow();
  return { months: int(r.n), fen: int(r.total) };
}

/** The list's rows with the person's name; the caller narrows it to what the actor may read. */
export const claimList = (db: Db) =>
  db.selectFrom('unemployment_claim as c').innerJoin('person as p', 'p.id', 'c.person_id');

/** Each row with what it has been paid, citizens' newest first, staff's by the nearest due day. */
export const claimListRows = (b: ReturnType<typeof claimList>, byDeadline: boolean) =>
  b
    .selectAll('c')
    .select('p.name as person_name')
    .select([paidMonthsOf(sql.ref('c.id')).as('paid_months'), paidFenOf(sql.ref('c.id')).as('paid_fen')])
    .orderBy(byDeadline ? 'c.decision_deadline' : 'c.id', byDeadline ? 'asc' : 'desc')
    .orderBy('c.id', 'desc');

/** One employment by id, with its employer's region: the separation a citizen names (theirs or not). */
export function employmentWithRegion(db: Db, employmentId: number) {
  return db
    .selectFrom('employment as em')
    .innerJoin('employer as er', 'er.id', 'em.employer_id')
    .select([
      'em.id',
      'em.person_id',
      'em.employer_id',
      'em.start_date',
      'em.end_date',
      'em.end_reason',
      'er.region',
    ])
    .where('em.id', '=', employmentId)
    .executeTakeFirst();
}

/** Serialises a person's claims, so the check for an open one and the insert are one step. */
export async function lockPersonClaims(tx: Db, personId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(726354301, ${personId}::int)`.execute(tx);
}

/** The person's claim still being decided or paid, if any. */
export const openClaim = (tx: Db, personId: number) =>
  tx
    .selectFrom('unemployment_claim')
    .select(['id', 'status'])
    .where('person_id', '=', personId)
    .where('status', 'in', ['submitted', 'approved', 'interrupted'])
    .executeTakeFirst();

/** A claim that already paid out from this separation (stopped or ended). */
export const claimOfSeparation = (tx: Db, employmentId: number) =>
  tx
    .selectFrom('unemployment_claim')
    .select('id')
    .where('employment_id', '=', employmentId)
    .where('status', 'in', ['stopped', 'ended'])
    .executeTakeFirst();

export const insertClaim = (tx: Db, values: Insertable<UnemploymentClaimTable>): Promise<ClaimRow> =>
  tx.insertInto('unemployment_claim').values(values).returningAll().executeTakeFirstOrThrow();

/** The claim's monthly payments, oldest first. */
export const claimPaymentRows = (db: Db, claimId: number) =>
  db
    .selectFrom('unemployment_payment')
    .select(['period', 'amount_fen', 'medical_fen', 'run_id'])
    .where('claim_id', '=', claimId)
    .orderBy('period')
    .execute();

/** The decision on the claim (its version moves on). */
export async function recordClaimDecision(
  tx: Db,
  id: number,
  set: Omit<Updateable<UnemploymentClaimTable>, 'version'>,
): Promise<void> {
  await tx
    .updateTable('unemployment_claim')
    .set({ ...set, version: sql`version + 1` })
    .where('id', '=', id)
    .execute();
}

/** The months carried from the person's earlier claims are used by `claimId`: they cannot be carried twice. */
export async function useCarriedMonths(tx: Db, personId: number, claimId: number): Promise<void> {
  await tx
    .updateTable('unemployment_claim')
    .set({ carry_forward: false })
    .where('person_id', '=', personId)
    .where('id', '<>', claimId)
    .where('carry_forward', '=', true)
    .execute();
}
