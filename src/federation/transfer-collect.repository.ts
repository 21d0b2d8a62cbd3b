// SQL of the collections at the place of payment (归集, transfer-collect.service.ts): the collection
// with its person, the transfers in it opens, its settlement's figures, the parts that moved on, the
// clerk's keyset list and the person's own, and the hall's `case.status` messages of a collection.
// Executor first; the service owns the transaction, the checks and the audit.
import { sql } from 'kysely';
import type { Note } from '../core/bilingual.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int, monthsFromTo } from '../db/values.ts';
import { publishCaseStatusEvent } from '../hall/case-status.event.ts';
import { noteJson } from './transfer.repository.ts';

export type CollectionStatus = 'requested' | 'gathering' | 'elsewhere' | 'completed';

/** The exchange's decision (`payment.placed`). */
export interface PaymentPlacedBody {
  ref: string;
  place: string;
  rule: number;
  reason: string;
  /** Each province's months in the index and its last month there (a second stint shows as a later one). */
  segments: Array<{ province: string; months: number; lastPeriod?: string | null }>;
  collectTemporary: string[];
}

export interface CollectionRow {
  id: unknown;
  ref: string;
  person_id: unknown;
  status: CollectionStatus;
  place: string | null;
  rule: number | null;
  decision: PaymentPlacedBody | null;
  applied_by: string;
}

/** The day a collection was applied for, in China's time. */
const APPLIED_ON = sql`to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`;

/** The applicant's progress in the service hall (the collection's own reference). */
export async function collectionCaseStatus(
  tx: Db,
  id: number,
  personId: number,
  status: 'submitted' | 'accepted' | 'completed' | 'rejected',
  actor: string,
  region: string,
  note: Note,
): Promise<void> {
  await publishCaseStatusEvent(tx, {
    service: 'pension-transfer',
    ref: `fed_collection:${id}`,
    personId,
    status,
    actor,
    note,
    regionCode: region.trim(),
    // The citizen's transfers page shows their collections (mine) and the transfers they opened.
    citizenPath: '/citizen/transfers',
  });
}

/** A collection by reference with its person's region and ID number, locked until the transaction ends. */
export async function collectionByRefForUpdate(tx: Db, ref: string) {
  const r = await sql<CollectionRow & { region: string; id_number: string }>`
    SELECT c.*, p.region, p.id_number FROM fed_collection c JOIN person p ON p.id = c.person_id
    WHERE c.ref = ${ref} FOR UPDATE OF c`.execute(tx);
  return r.rows[0];
}

/** The exchange's decision on a collection: gathered here, or paid elsewhere. */
export async function recordPlacement(
  tx: Db,
  id: number,
  status: 'elsewhere' | 'gathering',
  b: PaymentPlacedBody,
): Promise<void> {
  await sql`UPDATE fed_collection SET status = ${status}, place = ${b.place}, rule = ${b.rule},
    decision = ${JSON.stringify(b)}::jsonb, updated_at = now() WHERE id = ${id}`.execute(tx);
}

/** A transfer in the collection opens from one province (located by the exchange); answers its id. */
export async function insertCollectedTransfer(
  tx: Db,
  t: {
    ref: string;
    idHash: string;
    personId: number;
    from: string;
    self: string;
    appliedBy: string;
    collectionId: number;
  },
): Promise<number> {
  const ins = await sql<{ id: unknown }>`
    INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, collection_id)
    VALUES (${t.ref}, 'in', 'pension', ${t.idHash}, ${t.personId}, ${t.from}, ${t.self}, 'requested', ${t.appliedBy}, ${t.collectionId})
    RETURNING id`.execute(tx);
  return int(ins.rows[0]?.id);
}

/** A collection's transfers still pending and the months and money of those completed; the collection locked. */
export async function collectionTallyForUpdate(tx: Db, collectionId: number) {
  const r = await sql<{
    pending: unknown;
    person_id: unknown;
    region: string;
    status: string;
    months: unknown;
    fen: unknown;
  }>`
    SELECT (SELECT count(*) FROM fed_transfer WHERE collection_id = c.id AND status NOT IN ('completed', 'refused'))::bigint AS pending,
      (SELECT coalesce(sum(months), 0) FROM fed_transfer WHERE collection_id = c.id AND status = 'completed')::bigint AS months,
      (SELECT coalesce(sum(total_fen), 0) FROM fed_transfer WHERE collection_id = c.id AND status = 'completed')::bigint AS fen,
      c.person_id, p.region, c.status
    FROM fed_collection c JOIN person p ON p.id = c.person_id WHERE c.id = ${collectionId} FOR UPDATE OF c`.execute(
    tx,
  );
  return r.rows[0];
}

export async function completeCollection(tx: Db, collectionId: number): Promise<void> {
  await sql`UPDATE fed_collection SET status = 'completed', updated_at = now() WHERE id = ${collectionId}`.execute(
    tx,
  );
}

/**
 * The parts of a collection refused because everything there had moved on, each with the province
 * whose completed transfer in brought its months here (none: none did) and how many months.
 */
export async function movedOnParts(tx: Db, collectionId: number) {
  const parts = await sql<{
    id: unknown;
    from_province: string;
    note: unknown;
    via: string | null;
    months: unknown;
  }>`
    SELECT t.id, t.from_province, t.note, v.via, v.months FROM fed_transfer t
    LEFT JOIN LATERAL (
      SELECT min(i.from_province) AS via,
        sum(${monthsFromTo(sql`s.from_period`, sql`s.to_period`)} + 1)::bigint AS months
      FROM fed_credited_segment s JOIN fed_transfer i ON i.id = s.transfer_id
      WHERE s.person_id = t.person_id AND s.from_province = t.from_province
        AND i.direction = 'in' AND i.status = 'completed' AND i.from_province <> t.from_province
    ) v ON true
    WHERE t.collection_id = ${collectionId} AND t.status = 'refused' AND coalesce(t.funds ? 'movedOut', false)
    ORDER BY t.id`.execute(tx);
  return parts.rows;
}

/** A refused part's months came through another province's transfer: recorded on it, with the note shown. */
export async function markCameThrough(
  tx: Db,
  transferId: number,
  c: { note: Note; via: string; months: number },
): Promise<void> {
  await sql`UPDATE fed_transfer SET note = ${noteJson(c.note)}::jsonb,
    funds = funds || jsonb_build_object('cameThrough', ${c.via}::text, 'cameThroughMonths', ${c.months}::int),
    updated_at = now() WHERE id = ${transferId}`.execute(tx);
}

/** The id of the person's collection still in progress, if any. */
export async function openCollection(tx: Db, personId: number): Promise<number | undefined> {
  const open = await sql<{ id: unknown }>`
    SELECT id FROM fed_collection WHERE person_id = ${personId} AND status IN ('requested', 'gathering') LIMIT 1`.execute(
    tx,
  );
  return open.rows[0] === undefined ? undefined : int(open.rows[0].id);
}

export async function insertCollection(
  tx: Db,
  c: { ref: string; personId: number; appliedBy: string },
): Promise<number> {
  const ins = await sql<{ id: unknown }>`
    INSERT INTO fed_collection (ref, person_id, status, applied_by) VALUES (${c.ref}, ${c.personId}, 'requested', ${c.appliedBy})
    RETURNING id`.execute(tx);
  return int(ins.rows[0]?.id);
}

/** The persons of a region (all, when null) whose collections a list holds. */
const within = (region: string | null) =>
  region === null ? sql<boolean>`true` : regionCoversSql(sql`p.region`, region);

/** Whether the collection is one a list of the region (all, when null) holds. */
export async function collectionListed(db: Db, id: number, region: string | null): Promise<boolean> {
  const r = await sql<{ id: unknown }>`
    SELECT c.id FROM fed_collection c JOIN person p ON p.id = c.person_id
    WHERE c.id = ${id} AND ${within(region)}`.execute(db);
  return r.rows.length > 0;
}

/**
 * Collections of the persons of a region (all, when null), newest first, below the id `below` when
 * given: `limit` rows, with how many transfers each opened and how many completed.
 */
export async function collectionsPage(
  db: Db,
  q: { region: string | null; below: number | null; limit: number },
) {
  const r = await sql<{
    id: unknown;
    person_id: unknown;
    name: string;
    status: CollectionStatus;
    place: string | null;
    rule: number | null;
    applied_on: string;
    transfers: unknown;
    completed: unknown;
  }>`
    SELECT c.id, c.person_id, p.name, c.status, c.place, c.rule,
      ${APPLIED_ON} AS applied_on,
      (SELECT count(*) FROM fed_transfer t WHERE t.collection_id = c.id)::bigint AS transfers,
      (SELECT count(*) FROM fed_transfer t WHERE t.collection_id = c.id AND t.status = 'completed')::bigint AS completed
    FROM fed_collection c JOIN person p ON p.id = c.person_id
    WHERE ${within(q.region)} AND (${q.below}::bigint IS NULL OR c.id < ${q.below})
    ORDER BY c.id DESC LIMIT ${q.limit}`.execute(db);
  return r.rows;
}

/** A collection with its person's region and name and the day applied for. */
export async function collectionById(db: Db, id: number) {
  const r = await sql<CollectionRow & { region: string; name: string; applied_on: string }>`
    SELECT c.*, p.region, p.name, ${APPLIED_ON} AS applied_on
    FROM fed_collection c JOIN person p ON p.id = c.person_id WHERE c.id = ${id}`.execute(db);
  return r.rows[0];
}

/** A person's collections, newest first (at most 20), with the day each was applied for. */
export async function collectionsOfPerson(db: Db, personId: number) {
  const r = await sql<CollectionRow & { applied_on: string }>`
    SELECT c.*, ${APPLIED_ON} AS applied_on
    FROM fed_collection c WHERE c.person_id = ${personId} ORDER BY c.id DESC LIMIT 20`.execute(db);
  return r.rows;
}

/** The transfers the collections opened, by id, with the province a moved-on part came through. */
export async function transfersOfCollections(db: Db, ids: readonly number[]) {
  const transfers = await sql<{
    id: unknown;
    collection_id: unknown;
    from_province: string | null;
    status: string;
    months: unknown;
    total_fen: unknown;
    came_through: string | null;
  }>`SELECT id, collection_id, from_province, status, months, total_fen, funds ->> 'cameThrough' AS came_through
    FROM fed_transfer WHERE collection_id = ANY(${`{${ids.join(',')}}`}::bigint[]) ORDER BY id`.execute(db);
  return transfers.rows;
}
