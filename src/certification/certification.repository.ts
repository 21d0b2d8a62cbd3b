// Certification SQL: campaigns, proofs of life, nonces, the home-visit register, suspensions and
// notices, and reads of the pension capability's awards (documented in docs/pension-schema.md).
// Functions take the executor first; services own the transactions.
import { sql, type Insertable, type RawBuilder, type Selectable } from 'kysely';
import { int } from '../db/values.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql, regionOrAncestorSql } from '../db/region-sql.ts';
import type {
  CertificationAttemptTable,
  CertificationCampaignTable,
  CertificationChannel,
  CertificationImportKind,
  CertificationSuspensionTable,
  HomeVisitRegisterTable,
} from '../db/database.ts';

export type CampaignRow = Selectable<CertificationCampaignTable>;
export type SuspensionRow = Selectable<CertificationSuspensionTable>;
export type RegisterRow = Selectable<HomeVisitRegisterTable>;

export { regionCoversSql };

// ---- campaigns ----

export const findCampaign = (db: Db, id: number, forUpdate = false): Promise<CampaignRow | undefined> => {
  const q = db.selectFrom('certification_campaign').selectAll().where('id', '=', id);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
};

export const insertCampaign = (
  db: Db,
  c: {
    region: string;
    year: number;
    window_start: string;
    deadline: string;
    suspend_from_period: string;
    created_by: string;
  },
): Promise<CampaignRow> =>
  db.insertInto('certification_campaign').values(c).returningAll().executeTakeFirstOrThrow();

export async function listCampaigns(db: Db, region: string): Promise<CampaignRow[]> {
  return db
    .selectFrom('certification_campaign')
    .selectAll()
    .where(regionCoversSql(sql.ref('region'), region))
    .orderBy('year', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
}

/** Pensioners of the campaign's region who need a certification in its window (active or suspended, alive, started before the window). */
function dueAwardsSql(c: CampaignRow): RawBuilder<unknown> {
  return sql`
    FROM pension_award a
    JOIN person p ON p.id = a.person_id
    WHERE a.status IN ('active', 'suspended')
      AND p.death_date IS NULL
      AND a.start_period < ${c.window_start.slice(0, 7)}
      AND ${regionCoversSql(sql.ref('a.region'), c.region)}`;
}

export interface CampaignCounts {
  pensioners: number;
  certified: number;
  uncertified: number;
  suspended: number;
  restored: number;
  byChannel: Record<string, number>;
}

export async function campaignCounts(db: Db, c: CampaignRow): Promise<CampaignCounts> {
  const r = await sql<{ channel: string | null; n: number | string }>`
    WITH due AS (SELECT DISTINCT a.person_id ${dueAwardsSql(c)}),
    latest AS (
      SELECT DISTINCT ON (x.person_id) x.person_id, x.channel
      FROM certification x JOIN due USING (person_id)
      WHERE x.certified_on BETWEEN ${c.window_start} AND ${c.deadline}
      ORDER BY x.person_id, x.certified_on DESC, x.id DESC
    )
    SELECT l.channel, count(*) AS n FROM due LEFT JOIN latest l USING (person_id) GROUP BY l.channel`.execute(
    db,
  );
  const byChannel: Record<string, number> = {};
  let pensioners = 0;
  let uncertified = 0;
  for (const row of r.rows) {
    const n = int(row.n);
    pensioners += n;
    if (row.channel === null) uncertified += n;
    else byChannel[row.channel] = n;
  }
  const s = await sql<{ suspended: number | string; restored: number | string }>`
    SELECT count(*) FILTER (WHERE restored_at IS NULL) AS suspended, count(*) FILTER (WHERE restored_at IS NOT NULL) AS restored
    FROM certification_suspension WHERE campaign_id = ${c.id}`.execute(db);
  return {
    pensioners,
    certified: pensioners - uncertified,
    uncertified,
    suspended: int(s.rows[0]?.suspended ?? 0),
    restored: int(s.rows[0]?.restored ?? 0),
    byChannel,
  };
}

export interface UncertifiedRow {
  person_id: number;
  id_number: string;
  name: string;
  birth_date: string;
  region: string;
  award_id: number;
  award_status: string;
  last_certified_on: string | null;
  on_visit_register: boolean;
}

/** The people of the campaign not yet certified in its window, oldest first (they are the ones to visit). */
export async function uncertified(
  db: Db,
  c: CampaignRow,
  limit: number,
  offset: number,
): Promise<{ rows: UncertifiedRow[]; total: number }> {
  const base = sql`
    ${dueAwardsSql(c)}
    AND NOT EXISTS (SELECT 1 FROM certification x WHERE x.person_id = a.person_id AND x.certified_on BETWEEN ${c.window_start} AND ${c.deadline})`;
  const rows = await sql<UncertifiedRow>`
    SELECT a.person_id, p.id_number, p.name, p.birth_date, a.region, a.id AS award_id, a.status AS award_status,
      (SELECT max(x.certified_on) FROM certification x WHERE x.person_id = a.person_id) AS last_certified_on,
      EXISTS (SELECT 1 FROM home_visit_register h WHERE h.person_id = a.person_id AND h.removed_at IS NULL) AS on_visit_register
    ${base}
    ORDER BY p.birth_date, a.id
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  const total = await sql<{ n: number | string }>`SELECT count(*) AS n ${base}`.execute(db);
  return { rows: rows.rows, total: int(total.rows[0]?.n ?? 0) };
}

// ---- proofs of life ----

/** Inserts a certification (one per person, channel and day); answers the id of the row now there. */
export async function insertCertification(
  db: Db,
  c: {
    person_id: number;
    certified_on: string;
    channel: CertificationChannel;
    source_ref: string;
    evidence: unknown;
    created_by: string;
  },
): Promise<{ id: number; created: boolean }> {
  const ins = await db
    .insertInto('certification')
    .values({ ...c, evidence: JSON.stringify(c.evidence) })
    .onConflict((oc) => oc.columns(['person_id', 'channel', 'certified_on']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (ins) return { id: ins.id, created: true };
  const row = await db
    .selectFrom('certification')
    .select('id')
    .where('person_id', '=', c.person_id)
    .where('channel', '=', c.channel)
    .where('certified_on', '=', c.certified_on)
    .executeTakeFirstOrThrow();
  return { id: row.id, created: false };
}

export const lastCertifications = (db: Db, personId: number, limit = 20) =>
  db
    .selectFrom('certification')
    .select(['id', 'certified_on', 'channel', 'source_ref', 'created_by', 'created_at'])
    .where('person_id', '=', personId)
    .orderBy('certified_on', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();

export async function recordAttempt(
  db: Db,
  a: Omit<Insertable<CertificationAttemptTable>, 'id' | 'at'>,
): Promise<void> {
  await db.insertInto('certification_attempt').values(a).execute();
}

// ---- nonces ----

export async function insertNonce(
  db: Db,
  n: { nonce: string; person_id: number; expires_at: string },
): Promise<void> {
  await db.insertInto('liveness_nonce').values(n).execute();
}

/** Marks the nonce used if it was issued to this person, is unused and unexpired; otherwise answers why not. */
export async function consumeNonce(
  db: Db,
  nonce: string,
  personId: number,
  now: Date,
): Promise<'ok' | 'nonce_unknown' | 'nonce_used' | 'nonce_expired' | 'nonce_other_person'> {
  const row = await db
    .selectFrom('liveness_nonce')
    .selectAll()
    .where('nonce', '=', nonce)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return 'nonce_unknown';
  if (row.person_id !== personId) return 'nonce_other_person';
  if (row.used_at !== null) return 'nonce_used';
  if (Date.parse(row.expires_at) <= now.getTime()) return 'nonce_expired';
  const upd = await db
    .updateTable('liveness_nonce')
    .set({ used_at: now.toISOString() })
    .where('nonce', '=', nonce)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return upd.numUpdatedRows === 1n ? 'ok' : 'nonce_used';
}

export async function linkNonce(db: Db, nonce: string, certificationId: number): Promise<void> {
  await db
    .updateTable('liveness_nonce')
    .set({ certification_id: certificationId })
    .where('nonce', '=', nonce)
    .execute();
}

// ---- awards (the pension capability's table, read only) ----

export interface AwardRef {
  id: number;
  person_id: number;
  region: string;
  status: 'active' | 'suspended' | 'stopped';
  suspended_from_period: string | null;
  suspend_reason_code: 'not_certified' | 'other' | null;
  start_period: string;
}

export async function awardsOfPerson(db: Db, personId: number): Promise<AwardRef[]> {
  const r =
    await sql<AwardRef>`SELECT id, person_id, region, status, suspended_from_period, suspend_reason_code, start_period FROM pension_award WHERE person_id = ${personId} ORDER BY id`.execute(
      db,
    );
  return r.rows;
}

/** The latest period whose payroll has run (done) for the region; null when none has. */
export async function latestPayrollPeriod(db: Db, region: string): Promise<string | null> {
  const r = await sql<{
    period: string | null;
  }>`SELECT max(period) AS period FROM payroll_run WHERE region = ${region} AND status = 'done'`.execute(db);
  return r.rows[0]?.period ?? null;
}

// ---- suspensions and notices ----

/** Open suspensions of a person that a certification on `certifiedOn` lifts (it falls on or after the campaign's window start). */
export async function openSuspensionsLiftedBy(
  db: Db,
  personId: number,
  certifiedOn: string,
): Promise<Array<SuspensionRow & { window_start: string }>> {
  return db
    .selectFrom('certification_suspension as s')
    .innerJoin('certification_campaign as c', 'c.id', 's.campaign_id')
    .selectAll('s')
    .select('c.window_start')
    .where('s.person_id', '=', personId)
    .where('s.restored_at', 'is', null)
    .where('c.window_start', '<=', certifiedOn)
    .forUpdate()
    .execute();
}

export async function markRestored(
  db: Db,
  suspensionId: number,
  certificationId: number,
  restoredFromPeriod: string,
  arrearsKey: string | null,
): Promise<void> {
  await db
    .updateTable('certification_suspension')
    .set({
      restored_at: new Date().toISOString(),
      restored_by_certification_id: certificationId,
      restored_from_period: restoredFromPeriod,
      arrears_key: arrearsKey,
    })
    .where('id', '=', suspensionId)
    .execute();
}

export async function insertNotice(
  db: Db,
  n: {
    person_id: number;
    kind: 'restoration';
    campaign_id: number | null;
    suspension_id: number | null;
    detail: unknown;
  },
): Promise<void> {
  await db
    .insertInto('certification_notice')
    .values({ ...n, detail: JSON.stringify(n.detail) })
    .onConflict((oc) => oc.columns(['suspension_id', 'kind']).doNothing())
    .execute();
}

export interface NoticeRow {
  id: number;
  kind: 'suspension' | 'restoration';
  campaign_id: number | null;
  suspension_id: number | null;
  detail: unknown;
  created_at: string;
}

/**
 * The person's latest 50 notices, newest first: the restoration notices (rows) and a suspension notice
 * per suspension, derived from it and its campaign (migration 2026_12_03_1460), with the id the
 * suspension drew from the notices' sequence.
 */
export async function noticesOfPerson(db: Db, personId: number): Promise<NoticeRow[]> {
  const r = await sql<NoticeRow>`
    (SELECT id, kind, campaign_id, suspension_id, detail, created_at
     FROM certification_notice WHERE person_id = ${personId} ORDER BY id DESC LIMIT 50)
    UNION ALL
    (SELECT s.notice_id, 'suspension', s.campaign_id, s.id,
       jsonb_build_object('year', c.year, 'windowStart', c.window_start::text, 'deadline', c.deadline::text,
         'suspendedFromPeriod', s.suspended_from_period::text),
       s.created_at
     FROM certification_suspension s JOIN certification_campaign c ON c.id = s.campaign_id
     WHERE s.person_id = ${personId} ORDER BY s.notice_id DESC LIMIT 50)
    ORDER BY id DESC LIMIT 50`.execute(db);
  return r.rows;
}

// ---- a person's certification history (the agency's person page) ----

/** The data comparisons named by certifications' sources (`import:<id>:<line>`): their kind and file. */
export async function importsByIds(
  db: Db,
  ids: readonly number[],
): Promise<Array<{ id: number; kind: CertificationImportKind; filename: string | null }>> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('certification_import')
    .select(['id', 'kind', 'filename'])
    .where('id', 'in', [...ids])
    .execute();
}

/**
 * The campaign that governs a pensioner now: the latest one (by year) already open on `today` (its window
 * begun) of the award's region or a region above it, with whether the award had to certify in it (it
 * started before the window, as the sweep's due) and the latest certification of the person in its window.
 */
export async function campaignStanding(
  db: Db,
  a: { personId: number; region: string; startPeriod: string },
  today: string,
): Promise<
  | {
      id: number;
      year: number;
      window_start: string;
      deadline: string;
      status: 'open' | 'swept';
      due: boolean;
      certified_on: string | null;
    }
  | undefined
> {
  const r = await sql<{
    id: unknown;
    year: number;
    window_start: string;
    deadline: string;
    status: 'open' | 'swept';
    due: boolean;
    certified_on: string | null;
  }>`
    SELECT c.id, c.year, c.window_start::text AS window_start, c.deadline::text AS deadline, c.status,
      ${a.startPeriod} < left(c.window_start::text, 7) AS due,
      (SELECT max(x.certified_on)::text FROM certification x
       WHERE x.person_id = ${a.personId} AND x.certified_on >= c.window_start) AS certified_on
    FROM certification_campaign c
    WHERE ${regionOrAncestorSql(sql.ref('c.region'), a.region)} AND c.window_start <= ${today}::date
    ORDER BY c.year DESC, c.id DESC
    LIMIT 1`.execute(db);
  const c = r.rows[0];
  return c === undefined ? undefined : { ...c, id: int(c.id) };
}

/** The person's suspensions for want of a certification, newest first, with their campaign's year. */
export async function suspensionsOfPerson(db: Db, personId: number, limit = 20) {
  return db
    .selectFrom('certification_suspension as s')
    .innerJoin('certification_campaign as c', 'c.id', 's.campaign_id')
    .select([
      's.id',
      's.campaign_id',
      'c.year',
      's.award_id',
      's.suspended_from_period',
      's.created_at',
      's.restored_at',
      's.restored_from_period',
    ])
    .where('s.person_id', '=', personId)
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute();
}

// ---- home-visit register ----

export const openRegisterEntry = (db: Db, personId: number): Promise<RegisterRow | undefined> =>
  db
    .selectFrom('home_visit_register')
    .selectAll()
    .where('person_id', '=', personId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();

export async function listRegister(db: Db, region: string, limit: number, offset: number) {
  const where = regionCoversSql(sql.ref('h.region'), region);
  const rows = await db
    .selectFrom('home_visit_register as h')
    .innerJoin('person as p', 'p.id', 'h.person_id')
    .select([
      'h.id',
      'h.person_id',
      'p.name',
      'p.id_number',
      'p.birth_date',
      'h.region',
      'h.reason',
      'h.note',
      'h.added_by',
      'h.added_at',
    ])
    .select(
      sql<string | null>`(SELECT max(v.visited_on) FROM home_visit v WHERE v.person_id = h.person_id)`.as(
        'last_visited_on',
      ),
    )
    .where('h.removed_at', 'is', null)
    .where(where)
    .orderBy('p.birth_date')
    .limit(limit)
    .offset(offset)
    .execute();
  const total = await db
    .selectFrom('home_visit_register as h')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('h.removed_at', 'is', null)
    .where(where)
    .executeTakeFirstOrThrow();
  return { rows, total: int(total.n) };
}
