// SQL of the card register (社会保障卡): the card with its holder's history (card_event) and the
// `card.blocked` message to the online hall, the register's lists and search, the production batch,
// new cards (one by one, or an employer's batch), the cancellations that follow a death, the terminal
// use records and the revocation snapshot. Executor first; the service owns the transaction, the
// checks and the audit entry.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { newestFirstPage } from '../db/paging.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { LIVE_STATUSES, REVOKED_STATUSES } from './card.rules.ts';
import type { CardStatus, TerminalKind } from './card.tables.ts';

export type CardRow = {
  id: number;
  person_id: number;
  region: string;
  card_no: string;
  card_ref: string;
  status: CardStatus;
  applied_via: string;
  applied_at: string;
  status_changed_at: string;
  loss_until: string | null;
  replaces_card_id: number | null;
  bank_name: string | null;
  bank_account: string | null;
};

const CARD_COLUMNS = [
  'id',
  'person_id',
  'region',
  'card_no',
  'card_ref',
  'status',
  'applied_via',
  'applied_at',
  'status_changed_at',
  'loss_until',
  'replaces_card_id',
  'bank_name',
  'bank_account',
] as const;

/** New card number (9 digits, from a sequence), card reference and chip id, as SQL expressions. */
const NEW_CARD_NO = sql<string>`lpad(nextval('card_no_seq')::text, 9, '0')`;
const NEW_HEX32 = sql<string>`replace(gen_random_uuid()::text, '-', '')`;

/** The card, locked to the transaction's end when `lock` (every change of a card reads it so). */
export async function findCard(db: Db, id: number, lock: boolean): Promise<CardRow | undefined> {
  let q = db.selectFrom('card').select(CARD_COLUMNS).where('id', '=', id);
  if (lock) q = q.forUpdate();
  return await q.executeTakeFirst();
}

/** The card's region (whose temporary-loss validity applies), if the card exists. */
export async function cardRegion(db: Db, id: number): Promise<string | undefined> {
  return (await db.selectFrom('card').select('region').where('id', '=', id).executeTakeFirst())?.region;
}

/** A step of the holder's history: the card went from one status to another (or kept it, `bank`). */
export async function insertCardEvent(
  tx: Db,
  e: {
    cardId: number;
    from: CardStatus | null;
    to: CardStatus;
    kind: string;
    note: string | null;
    actor: string;
  },
): Promise<void> {
  await tx
    .insertInto('card_event')
    .values({
      card_id: e.cardId,
      from_status: e.from,
      to_status: e.to,
      kind: e.kind,
      note: e.note,
      actor: e.actor,
    })
    .execute();
}

/** Tells the online hall that the holder's card is blocked (topic `card.blocked`). */
export async function publishCardBlocked(
  tx: Db,
  m: { personId: number; cardId: number; status: CardStatus; region: string; lossUntil: string | null },
): Promise<void> {
  await tx
    .insertInto('outbox')
    .values({
      topic: 'card.blocked',
      payload: JSON.stringify({
        personId: m.personId,
        cardId: m.cardId,
        status: m.status,
        region: m.region,
        lossUntil: m.lossUntil,
      }),
    })
    .execute();
}

/** Moves the card to `status` (with its loss validity when given); answers the card as it now is. */
export async function setCardStatus(
  tx: Db,
  id: number,
  s: { status: CardStatus; at: string; loss_until?: string | null; issued_on?: string },
): Promise<CardRow> {
  const { status, at, ...set } = s;
  return await tx
    .updateTable('card')
    .set({ status, status_changed_at: at, ...set })
    .where('id', '=', id)
    .returning(CARD_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Formal loss of a card a reissue replaces (its row is already locked by the caller). */
export async function markCardLost(tx: Db, id: number, at: string): Promise<void> {
  await tx
    .updateTable('card')
    .set({ status: 'lost', status_changed_at: at, loss_until: null })
    .where('id', '=', id)
    .execute();
}

/** Cancels a card still live (at a death); false when it was no longer live. */
export async function cancelLiveCard(tx: Db, id: number, at: string): Promise<boolean> {
  const r = await tx
    .updateTable('card')
    .set({ status: 'cancelled', status_changed_at: at, loss_until: null })
    .where('id', '=', id)
    .where('status', 'in', LIVE_STATUSES)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function setCardBank(
  tx: Db,
  id: number,
  bank: { bankName: string; bankAccount: string },
): Promise<CardRow> {
  return await tx
    .updateTable('card')
    .set({ bank_name: bank.bankName, bank_account: bank.bankAccount })
    .where('id', '=', id)
    .returning(CARD_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** A person's cards, newest first, a page at a time, with the count of all. */
export async function cardsOfPerson(
  db: Db,
  personId: number,
  page: { page: number; pageSize: number },
): Promise<{ rows: CardRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    newestFirstPage(db.selectFrom('card').select(CARD_COLUMNS).where('person_id', '=', personId), page),
    db
      .selectFrom('card')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows, total: Number(total.n) };
}

/**
 * A page of the register of a region (and its sub-regions), newest first, with the count of all:
 * by status, card number, the holder's whole ID number, or the last four characters and the name.
 */
export async function cardRegister(
  db: Db,
  f: {
    region: string;
    status?: CardStatus | undefined;
    cardNo?: string | undefined;
    idNumber?: string | undefined;
    last4?: { last4: string; name: string } | undefined;
  },
  page: { page: number; pageSize: number },
): Promise<{ rows: CardRow[]; total: number }> {
  let q = db.selectFrom('card').where(regionCoversSql(sql.ref('card.region'), f.region));
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.cardNo !== undefined) q = q.where('card.card_no', '=', f.cardNo);
  if (f.idNumber !== undefined) {
    const idNumber = f.idNumber;
    q = q.where('card.person_id', 'in', (eb) =>
      eb.selectFrom('person').select('person.id').where('person.id_number', '=', idNumber),
    );
  }
  if (f.last4 !== undefined) {
    const { last4, name } = f.last4;
    q = q.where('card.person_id', 'in', (eb) =>
      eb
        .selectFrom('person')
        .select('person.id')
        .where('person.name', '=', name)
        .where(sql<boolean>`right(person.id_number, 4) = ${last4}`),
    );
  }
  const [rows, total] = await Promise.all([
    newestFirstPage(q.select(CARD_COLUMNS), page),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows, total: Number(total.n) };
}

/** The holder's history of a card, oldest first. */
export function cardEvents(db: Db, cardId: number) {
  return db.selectFrom('card_event').selectAll().where('card_id', '=', cardId).orderBy('id', 'asc').execute();
}

/** Whether the employer batch exists within the region. */
export async function cardBatchInRegion(tx: Db, batchId: number, region: string): Promise<boolean> {
  const b = await tx
    .selectFrom('card_batch')
    .select('id')
    .where('id', '=', batchId)
    .where(regionCoversSql(sql.ref('card_batch.region'), region))
    .executeTakeFirst();
  return b !== undefined;
}

/**
 * Production step over a region (or one employer batch): every card in `from` moves to `to`, each
 * with its history row, in one statement; answers the cards moved, by id.
 */
export async function advanceCards(
  tx: Db,
  s: {
    from: CardStatus;
    to: CardStatus;
    kind: string;
    region: string;
    batchId: number | undefined;
    note: string;
    actor: string;
    at: string;
    /** The agency's day: the issue day of the cards an issue step moves. */
    day: string;
  },
): Promise<number[]> {
  const moved = await sql<{ id: number }>`
    WITH moved AS (
      UPDATE card SET status = ${s.to}, status_changed_at = ${s.at},
             issued_on = CASE WHEN ${s.to === 'issued'}::boolean THEN ${s.day}::date ELSE issued_on END
      WHERE status = ${s.from} AND ${regionCoversSql(sql.ref('card.region'), s.region)}
        AND (${s.batchId === undefined}::boolean OR batch_id = ${s.batchId ?? null}::bigint)
      RETURNING id),
    ev AS (
      INSERT INTO card_event (card_id, from_status, to_status, kind, note, actor)
      SELECT id, ${s.from}, ${s.to}, ${s.kind}, ${s.note}, ${s.actor} FROM moved)
    SELECT id FROM moved ORDER BY id`.execute(tx);
  return moved.rows.map((r) => Number(r.id));
}

/** Whether the person holds a live card (one person, one live card). */
export async function holdsLiveCard(tx: Db, personId: number): Promise<boolean> {
  const live = await tx
    .selectFrom('card')
    .select('id')
    .where('person_id', '=', personId)
    .where('status', 'in', LIVE_STATUSES)
    .executeTakeFirst();
  return live !== undefined;
}

/** A new card, `applied`, with a new number, reference and chip id (the bank carried over on reissue). */
export async function insertCard(
  tx: Db,
  c: {
    personId: number;
    region: string;
    via: 'person' | 'clerk' | 'reissue';
    batchId: number | null;
    replaces: number | null;
    bank: { bank_name: string | null; bank_account: string | null };
  },
): Promise<CardRow> {
  return await tx
    .insertInto('card')
    .values({
      person_id: c.personId,
      region: c.region,
      card_no: NEW_CARD_NO,
      card_ref: NEW_HEX32,
      chip_id: NEW_HEX32,
      status: 'applied',
      applied_via: c.via,
      batch_id: c.batchId,
      replaces_card_id: c.replaces,
      ...c.bank,
    })
    .returning(CARD_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** An employer's application batch, before its cards (`accepted` is set once they are made). */
export async function insertCardBatch(
  tx: Db,
  b: { employerId: number; region: string; requested: number; createdBy: string },
): Promise<number> {
  const batch = await tx
    .insertInto('card_batch')
    .values({
      employer_id: b.employerId,
      region: b.region,
      requested: b.requested,
      accepted: 0,
      created_by: b.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(batch.id);
}

/**
 * The batch's cards: one for each of the employer's staff on `day` (only those in `only` when given)
 * who is alive and holds no live card, each with its history row; answers the cards made.
 */
export async function insertEmployerBatchCards(
  tx: Db,
  b: { batchId: number; employerId: number; day: string; only: readonly number[] | null; actor: string },
): Promise<Array<{ id: number; person_id: number; region: string }>> {
  const inserted = await sql<{ id: number; person_id: number; region: string }>`
    INSERT INTO card (person_id, region, card_no, card_ref, chip_id, status, applied_via, batch_id)
    SELECT DISTINCT ON (p.id) p.id, p.region, lpad(nextval('card_no_seq')::text, 9, '0'),
           replace(gen_random_uuid()::text, '-', ''), replace(gen_random_uuid()::text, '-', ''),
           'applied', 'employer', ${b.batchId}
    FROM employment m JOIN person p ON p.id = m.person_id
    WHERE m.employer_id = ${b.employerId} AND m.start_date <= ${b.day}::date
      AND (m.end_date IS NULL OR m.end_date >= ${b.day}::date)
      AND p.death_date IS NULL
      AND (${b.only === null}::boolean OR p.id = ANY(${b.only ?? []}::bigint[]))
      AND NOT EXISTS (SELECT 1 FROM card c WHERE c.person_id = p.id
                      AND c.status IN ('applied', 'produced', 'issued', 'activated', 'temp_lost'))
    ORDER BY p.id
    RETURNING id, person_id, region`.execute(tx);
  await sql`
    INSERT INTO card_event (card_id, from_status, to_status, kind, note, actor)
    SELECT c.id, NULL, 'applied', 'apply', ${`employer batch ${b.batchId}`}, ${b.actor}
    FROM card c WHERE c.batch_id = ${b.batchId}`.execute(tx);
  await tx
    .updateTable('card_batch')
    .set({ accepted: inserted.rows.length })
    .where('id', '=', b.batchId)
    .execute();
  return inserted.rows;
}

/** The reference of the person's activated card, while no death is recorded (the e-card's source). */
export async function activatedCardOfLiving(
  db: Db,
  personId: number,
): Promise<{ card_ref: string; region: string } | undefined> {
  return db
    .selectFrom('card')
    .innerJoin('person', 'person.id', 'card.person_id')
    .select(['card.card_ref', 'card.region'])
    .where('card.person_id', '=', personId)
    .where('card.status', '=', 'activated')
    .where('person.death_date', 'is', null)
    .executeTakeFirst();
}

/** Live cards of persons whose death the registry published (person.died), oldest message first. */
export async function liveCardsOfTheDead(db: Db) {
  const pending = await sql<{
    id: number;
    person_id: number;
    region: string;
    status: CardStatus;
    death_date: string;
  }>`
    SELECT c.id, c.person_id, c.region, c.status, o.payload->>'deathDate' AS death_date
    FROM outbox o JOIN card c ON c.person_id = (o.payload->>'personId')::bigint
    WHERE o.topic = 'person.died'
      AND c.status IN ('applied', 'produced', 'issued', 'activated', 'temp_lost')
    ORDER BY o.id LIMIT 10000`.execute(db);
  return pending.rows;
}

/** One terminal use record (刷卡记录) as a terminal reports it. */
export interface CardUse {
  seq: number;
  cardRef: string;
  usedAt: string;
  accepted: boolean;
  reason?: string | null;
}

/** Terminal use records, each matched to its card by reference; a (terminal, sequence) already held adds nothing. Answers how many were added. */
export async function insertCardUses(
  tx: Db,
  u: {
    terminalId: string;
    terminalKind: TerminalKind;
    region: string;
    uploadedBy: string;
    records: readonly CardUse[];
  },
): Promise<number> {
  const r = u.records;
  const res = await sql<{ n: number }>`
    INSERT INTO card_use (terminal_id, seq, terminal_kind, region, card_ref, card_id, person_id, used_at, accepted, reason, uploaded_by)
    SELECT ${u.terminalId}, u.seq, ${u.terminalKind}, ${u.region}, u.ref, c.id, c.person_id,
           u.used_at, u.accepted, u.reason, ${u.uploadedBy}
    FROM unnest(${r.map((x) => x.seq)}::bigint[], ${r.map((x) => x.cardRef)}::text[],
                ${r.map((x) => x.usedAt)}::timestamptz[], ${r.map((x) => x.accepted)}::boolean[],
                ${r.map((x) => x.reason ?? null)}::text[]) AS u(seq, ref, used_at, accepted, reason)
    LEFT JOIN card c ON c.card_ref = u.ref
    ON CONFLICT (terminal_id, seq) DO NOTHING`.execute(tx);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * The first record of an upload (its index in the batch) whose number the terminal already holds with
 * other content, read after the upload's insert in its transaction, so a replay is told from an
 * overwrite; null when there is none.
 */
export async function cardUseClash(
  tx: Db,
  u: { terminalId: string; records: readonly CardUse[] },
): Promise<number | null> {
  const r = u.records;
  const res = await sql<{ i: string }>`
    SELECT u.i FROM unnest(${r.map((x) => x.seq)}::bigint[], ${r.map((x) => x.cardRef)}::text[],
                           ${r.map((x) => x.usedAt)}::timestamptz[], ${r.map((x) => x.accepted)}::boolean[])
           WITH ORDINALITY AS u(seq, ref, used_at, accepted, i)
    JOIN card_use c ON c.terminal_id = ${u.terminalId} AND c.seq = u.seq
    WHERE c.card_ref <> u.ref OR c.used_at <> u.used_at OR c.accepted <> u.accepted
    ORDER BY u.i LIMIT 1`.execute(tx);
  const first = res.rows[0];
  return first === undefined ? null : Number(first.i) - 1;
}

/**
 * The first record of an upload (its index in the batch) dated, on the agency's calendar, before its card
 * was issued (a card not issued yet has no use), or before `earliest` whatever the card; null when none is.
 */
export async function firstUseBeforeIssue(
  tx: Db,
  records: readonly CardUse[],
  earliest: string,
): Promise<number | null> {
  const res = await sql<{ i: string }>`
    SELECT u.i
    FROM unnest(${records.map((x) => x.cardRef)}::text[], ${records.map((x) => x.usedAt)}::timestamptz[])
         WITH ORDINALITY AS u(ref, used_at, i)
    LEFT JOIN card c ON c.card_ref = u.ref
    CROSS JOIN LATERAL (SELECT (u.used_at AT TIME ZONE 'Asia/Shanghai')::date AS day) d
    WHERE d.day < ${earliest}::date OR (c.id IS NOT NULL AND (c.issued_on IS NULL OR d.day < c.issued_on))
    ORDER BY u.i LIMIT 1`.execute(tx);
  const first = res.rows[0];
  return first === undefined ? null : Number(first.i) - 1;
}

/** References of the lost, temporarily lost and cancelled cards, and of live cards whose holder's death is recorded. */
export async function revokedCardRefs(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('card')
    .select('card.card_ref')
    .where((eb) =>
      eb.or([
        eb('card.status', 'in', REVOKED_STATUSES),
        eb.and([
          eb('card.status', 'in', LIVE_STATUSES),
          eb.exists(
            eb
              .selectFrom('person')
              .select('person.id')
              .whereRef('person.id', '=', 'card.person_id')
              .where('person.death_date', 'is not', null),
          ),
        ]),
      ]),
    )
    .orderBy('card.card_ref')
    .execute();
  return rows.map((r) => r.card_ref);
}
