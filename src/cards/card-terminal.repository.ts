// SQL of the register of card terminals (用卡终端登记, migration 0530): a region's terminals, one
// terminal by its id or by its upload key's hash (migration 1910; a kept old key, 2150), registration, a new key and retirement. Executor first; the service owns the checks, the
// transaction and the audit entry.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import type { CardTerminalTable, TerminalKind } from './card.tables.ts';

/** A terminal as the register reads it (the table's columns but its creation time and its keys' hashes). */
export type TerminalRow = Omit<Selectable<CardTerminalTable>, 'created_at' | 'key_hash' | 'old_key_hash'>;

const TERMINAL_COLUMNS = [
  'terminal_id',
  'kind',
  'name',
  'region',
  'registered_on',
  'retired_on',
  'registered_by',
  'key_prefix',
  'key_issued_on',
  'old_key_prefix',
  'old_key_until',
] as const;

/** An upload key as stored: its hash, its prefix, the day it was issued. */
export interface StoredKey {
  hash: string;
  prefix: string;
  on: string;
}

/** The terminal registered under `id` (any region), locked to the transaction's end when `lock`. */
export async function findTerminal(db: Db, id: string, lock = false): Promise<TerminalRow | undefined> {
  let q = db.selectFrom('card_terminal').select(TERMINAL_COLUMNS).where('terminal_id', '=', id);
  if (lock) q = q.forUpdate();
  return await q.executeTakeFirst();
}

/** The terminals of a region and its sub-regions, in service first, then by id, a page at a time. */
export async function terminalsOfRegion(
  db: Db,
  region: string,
  page: { page: number; pageSize: number },
): Promise<{ rows: TerminalRow[]; total: number }> {
  const q = db.selectFrom('card_terminal').where(regionCoversSql(sql.ref('card_terminal.region'), region));
  const [rows, total] = await Promise.all([
    q
      .select(TERMINAL_COLUMNS)
      .orderBy(sql`retired_on IS NOT NULL`)
      .orderBy('terminal_id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Registers a terminal; undefined when its id is already registered (by any region). */
export async function insertTerminal(
  tx: Db,
  t: { terminalId: string; kind: TerminalKind; name: string; region: string; on: string; by: string },
  key: StoredKey,
): Promise<TerminalRow | undefined> {
  return await tx
    .insertInto('card_terminal')
    .values({
      terminal_id: t.terminalId,
      kind: t.kind,
      name: t.name,
      region: t.region,
      registered_on: t.on,
      registered_by: t.by,
      key_hash: key.hash,
      key_prefix: key.prefix,
      key_issued_on: key.on,
    })
    .onConflict((oc) => oc.column('terminal_id').doNothing())
    .returning(TERMINAL_COLUMNS)
    .executeTakeFirst();
}

/** Retires a terminal from `on`; its keys (the new and any kept old one) stop with it. */
export async function retireTerminal(tx: Db, id: string, on: string): Promise<TerminalRow> {
  return await tx
    .updateTable('card_terminal')
    .set({
      retired_on: on,
      key_hash: null,
      key_prefix: null,
      key_issued_on: null,
      old_key_hash: null,
      old_key_prefix: null,
      old_key_until: null,
    })
    .where('terminal_id', '=', id)
    .returning(TERMINAL_COLUMNS)
    .executeTakeFirstOrThrow();
}

/**
 * Gives a terminal a new upload key. The one it had stops at once when `oldUntil` is null; otherwise it is
 * kept valid until then (an older kept key is dropped: one old key at a time). A terminal without a key
 * keeps none.
 */
export async function replaceTerminalKey(
  tx: Db,
  id: string,
  key: StoredKey,
  oldUntil: Date | null,
): Promise<TerminalRow> {
  const keep = oldUntil === null ? null : oldUntil.toISOString();
  // every SET reads the row as it was: the old key is the one being replaced
  return await tx
    .updateTable('card_terminal')
    .set({
      key_hash: key.hash,
      key_prefix: key.prefix,
      key_issued_on: key.on,
      old_key_hash: keep === null ? null : sql<string>`key_hash`,
      old_key_prefix: keep === null ? null : sql<string>`key_prefix`,
      old_key_until:
        keep === null
          ? null
          : sql<string>`CASE WHEN key_hash IS NULL THEN NULL ELSE ${keep}::timestamptz END`,
    })
    .where('terminal_id', '=', id)
    .returning(TERMINAL_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** The terminal in service whose upload key — or whose kept old key, before its deadline — has this hash. */
export async function terminalOfKey(
  db: Db,
  hash: string,
  at: Date,
): Promise<{ terminal_id: string; region: string; newKey: boolean; oldKept: boolean } | undefined> {
  return await db
    .selectFrom('card_terminal')
    .select((eb) => [
      'terminal_id',
      'region',
      eb('key_hash', '=', hash).$castTo<boolean>().as('newKey'),
      eb('old_key_hash', 'is not', null).$castTo<boolean>().as('oldKept'),
    ])
    .where((eb) =>
      eb.or([
        eb('key_hash', '=', hash),
        eb.and([eb('old_key_hash', '=', hash), eb('old_key_until', '>', at.toISOString())]),
      ]),
    )
    .where('retired_on', 'is', null)
    .executeTakeFirst();
}

/** Ends a terminal's kept old key (its new key was used): the old key's prefix, or undefined when none was kept. */
export async function endOldTerminalKey(
  db: Db,
  id: string,
): Promise<{ prefix: string; until: string } | undefined> {
  const r = await sql<{ prefix: string; until: unknown }>`
    UPDATE card_terminal n SET old_key_hash = NULL, old_key_prefix = NULL, old_key_until = NULL
    FROM card_terminal o WHERE n.terminal_id = ${id} AND o.terminal_id = n.terminal_id AND o.old_key_hash IS NOT NULL
    RETURNING o.old_key_prefix AS prefix, o.old_key_until AS until`.execute(db);
  const o = r.rows[0];
  return o === undefined ? undefined : { prefix: o.prefix, until: new Date(o.until as string).toISOString() };
}

/** The terminal that saw a person's card on a day: its latest accepted use that day (Asia/Shanghai). */
export type TerminalSeen = TerminalRow & { day: string };

/**
 * For each of `days`, the registered terminal of the person's latest accepted card use that day — the
 * use a card data comparison took as the life sign (card-certification.service.ts picks the latest use
 * of the period, at a terminal of the uploading region). Days without such a use are absent.
 */
export async function terminalsSeenOn(
  db: Db,
  personId: number,
  days: readonly string[],
): Promise<TerminalSeen[]> {
  if (days.length === 0) return [];
  const r = await sql<TerminalSeen>`
    SELECT DISTINCT ON (d.day) d.day::text AS day, t.terminal_id, t.kind, t.name, t.region,
      t.registered_on::text AS registered_on, t.retired_on::text AS retired_on, t.registered_by,
      t.key_prefix, t.key_issued_on::text AS key_issued_on, t.old_key_prefix, t.old_key_until
    FROM unnest(${[...days]}::date[]) AS d(day)
    JOIN card_use u ON u.person_id = ${personId} AND u.accepted
      AND (u.used_at AT TIME ZONE 'Asia/Shanghai')::date = d.day
    JOIN card_terminal t ON t.terminal_id = u.terminal_id AND t.region = u.region
    ORDER BY d.day, u.used_at DESC`.execute(db);
  return r.rows;
}
