// Append-only, hash-chained audit log: each entry carries the hash of the one before, so a changed
// or removed row breaks the chain. Written in the same transaction as the change it records.
import { createHash } from 'node:crypto';
import { CompiledQuery, sql, type Selectable } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { now } from '../core/clock.ts';
import { PREPARED_MARK, type Db } from '../db/connection.ts';
import type { AuditLogTable } from '../db/database.ts';
import type { AuditAction } from './audit-actions.ts';

export interface AuditEntry {
  action: AuditAction;
  entityType: string;
  entityId?: string | number | null;
  region?: string | null;
  /** The person the record is about, so they can see who looked at or changed it. */
  subjectPersonId?: number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON (sorted keys) so the hash does not depend on key order after a jsonb round trip. */
export function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** An audit_log row without its id and hash: what the hash covers (the previous hash included). */
export interface AuditRowForHash extends Omit<Selectable<AuditLogTable>, 'id' | 'hash' | 'before' | 'after'> {
  before: unknown;
  after: unknown;
}

/** An entry's hashed fields as raw SQL may answer them (times as dates, bigints as strings). */
type RawAuditFields = Omit<AuditRowForHash, 'prev_hash' | 'at' | 'actor_user_id' | 'subject_person_id'> & {
  at: string | Date;
  actor_user_id: number | string | null;
  subject_person_id: number | string | null;
};

/** The fields a hash reads, as the hash reads them: ISO time, numeric ids, trimmed region, null for absent. */
function hashedFields(r: RawAuditFields): Omit<AuditRowForHash, 'prev_hash'> {
  return {
    at: new Date(r.at).toISOString(),
    actor_user_id: r.actor_user_id === null ? null : Number(r.actor_user_id),
    actor_username: r.actor_username,
    actor_role: r.actor_role,
    action: r.action,
    entity_type: r.entity_type,
    entity_id: r.entity_id,
    region: r.region === null ? null : r.region.trim(),
    subject_person_id: r.subject_person_id === null ? null : Number(r.subject_person_id),
    before: r.before ?? null,
    after: r.after ?? null,
    reason: r.reason,
    request_id: r.request_id,
  };
}

type HashedKey = keyof Omit<AuditRowForHash, 'prev_hash'>;
/** The fields of an entry that its hash covers, in audit_log's column order. */
const AUDIT_FIELDS = [
  'at',
  'actor_user_id',
  'actor_username',
  'actor_role',
  'action',
  'entity_type',
  'entity_id',
  'region',
  'subject_person_id',
  'before',
  'after',
  'reason',
  'request_id',
] as const satisfies readonly HashedKey[];
/** The same fields in canonical (sorted) order, each with its JSON key written once. */
const HASHED_KEYS = [...AUDIT_FIELDS].sort().map((k) => ({ key: k, prefix: `${JSON.stringify(k)}:` }));

export function hashAuditRow(r: AuditRowForHash): string {
  return hashOfFields(r.prev_hash, hashedFields(r));
}

/** The hash of an entry whose fields hashedFields has already normalized. */
function hashOfFields(prevHash: string, f: Omit<AuditRowForHash, 'prev_hash'>): string {
  // canonical(f) without sorting the same thirteen keys per entry (issue 18: the audit writer hashes
  // every staff read); a test compares the two.
  let body = '';
  for (const { key, prefix } of HASHED_KEYS) {
    const v = f[key];
    if (v !== undefined) body += `${body === '' ? '{' : ','}${prefix}${canonical(v)}`;
  }
  body = body === '' ? '{}' : `${body}}`;
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Drops secrets that must never reach the log, whatever the caller passed. */
function scrub(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(scrub);
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    out[k] = /password|token|secret/i.test(k) ? '[redacted]' : scrub(val);
  }
  return out;
}

/**
 * The entry as stored (scrubbed, JSON round-tripped, the actor's fields), without its place in the chain.
 * Its time is the app's clock: the real time, or the day the demo seed is building (core/clock onDay).
 */
export function auditRowOf(
  actor: Actor,
  entry: AuditEntry,
  at = now().toISOString(),
): Omit<AuditRowForHash, 'prev_hash'> {
  const before =
    entry.before === undefined ? null : (JSON.parse(JSON.stringify(scrub(entry.before))) as unknown);
  const after =
    entry.after === undefined ? null : (JSON.parse(JSON.stringify(scrub(entry.after))) as unknown);
  return {
    at,
    actor_user_id: actor.userId,
    actor_username: actor.username,
    actor_role: actor.role,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    region: entry.region ?? null,
    subject_person_id: entry.subjectPersonId ?? null,
    before,
    after,
    reason: entry.reason ?? null,
    request_id: actor.requestId ?? null,
  };
}

/** The lock that one writer at a time holds to extend the chain (released at commit). */
export const lockAuditChain = (tx: Db) => sql`SELECT pg_advisory_xact_lock(726354001)`.execute(tx);

/** The hash of the last chained entry (the genesis hash on an empty log); call it under the lock. */
export async function lastAuditHash(tx: Db): Promise<string> {
  const last = await tx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.hash ?? GENESIS_HASH;
}

/** The row to insert into audit_log: jsonb columns as text, and its hash. */
export function chainedRow(row: AuditRowForHash) {
  return {
    ...row,
    before: row.before === null ? null : JSON.stringify(row.before),
    after: row.after === null ? null : JSON.stringify(row.after),
    hash: hashAuditRow(row),
  };
}

export async function appendAudit(tx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  // One writer at a time extends the chain; the lock is released at commit. (Staff reads do not
  // come here: they are queued and chained by the audit writer, src/audit/audit-queue.ts.)
  await lockAuditChain(tx);
  const prev_hash = await lastAuditHash(tx);
  await tx
    .insertInto('audit_log')
    .values(chainedRow({ ...auditRowOf(actor, entry), prev_hash }))
    .execute();
}

/**
 * Appends several entries to the chain in one lock and a few multi-row inserts (a batch use case's
 * one entry per person): the same rows, hashes and order as `appendAudit` once per entry.
 */
export async function appendAuditMany(tx: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await lockAuditChain(tx);
  await insertChained(
    tx,
    await lastAuditHash(tx),
    entries.map((e) => auditRowOf(actor, e)),
  );
}

/**
 * Chains rows after `head` and inserts them, at most 128 to a statement (insertSize). The caller holds
 * the chain's lock. A multi-row VALUES takes its identities in list order: the ids follow the chain.
 */
async function insertChained(tx: Db, head: string, rows: readonly RawAuditFields[]): Promise<void> {
  let prev_hash = head;
  for (let i = 0; i < rows.length;) {
    const size = insertSize(rows.length - i);
    const chunk = rows.slice(i, i + size);
    i += size;
    // The statement's text and parameters built directly (issue 18: Kysely building a 100-row insert
    // was a third of the writer's CPU per entry); the same values as chainedRow's.
    const params: unknown[] = [];
    for (const r of chunk) {
      const f = hashedFields(r);
      const hash = hashOfFields(prev_hash, f);
      for (const k of AUDIT_FIELDS) {
        const v = f[k];
        params.push((k === 'before' || k === 'after') && v !== null ? JSON.stringify(v) : v);
      }
      params.push(prev_hash, hash);
      prev_hash = hash;
    }
    await tx.executeQuery(CompiledQuery.raw(insertAuditLogText(chunk.length), params));
  }
}

/**
 * The largest power of two up to `n` (at most 128): the inserts come in eight sizes, each prepared
 * once per connection (issue 18, tenth pass: a text per batch size was parsed and planned again for
 * every batch — a 1,500-parameter VALUES — more database CPU per entry than its execution).
 */
const insertSize = (n: number): number => 2 ** Math.min(7, Math.floor(Math.log2(n)));

const AUDIT_LOG_COLUMNS = [...AUDIT_FIELDS, 'prev_hash', 'hash'] as const;

const insertTexts = new Map<number, string>();
/** `INSERT INTO audit_log (…) VALUES ($1, …), …` for `rows` rows, built once per size, prepared. */
function insertAuditLogText(rows: number): string {
  let text = insertTexts.get(rows);
  if (text === undefined) {
    const w = AUDIT_LOG_COLUMNS.length;
    const tuples = Array.from(
      { length: rows },
      (_, r) => `(${AUDIT_LOG_COLUMNS.map((_c, k) => `$${r * w + k + 1}`).join(', ')})`,
    );
    text = `${PREPARED_MARK} INSERT INTO audit_log (${AUDIT_LOG_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
    insertTexts.set(rows, text);
  }
  return text;
}

/** The entries of one staff read and its time, as the queue and the chain take them. */
export interface ReadEntries {
  actor: Actor;
  entries: readonly AuditEntry[];
  at: string;
}

/** Staff reads' entries as audit_log stores them, in order: each one's hashed fields and its columns. */
export interface PreparedReads {
  fields: Array<Omit<AuditRowForHash, 'prev_hash'>>;
  /** One array per field of AUDIT_FIELDS (jsonb as text), the parameters of APPEND_IF_FREE. */
  columns: unknown[][];
}

export function prepareReads(reads: readonly ReadEntries[]): PreparedReads {
  const fields = reads.flatMap(({ actor, entries, at }) =>
    entries.map((e) => hashedFields(auditRowOf(actor, e, at))),
  );
  const columns = AUDIT_FIELDS.map((k) =>
    fields.map((f) => ((k === 'before' || k === 'after') && f[k] !== null ? JSON.stringify(f[k]) : f[k])),
  );
  return { fields, columns };
}

/**
 * Appends staff reads' entries straight to the chain when that costs no wait: in one statement, the
 * chain's lock taken without waiting, no entry queued, the head found equal to `head` (the one this
 * process last saw), then the entries inserted chained after it — durable when this returns `chained`.
 * Otherwise nothing is written and `head` is the head found (null: the lock was busy or entries were
 * queued; the caller queues). The statement is prepared once per connection, whatever the number of rows.
 */
export async function appendReadsIfFree(
  db: Db,
  head: string,
  reads: PreparedReads,
): Promise<{ chained: boolean; head: string | null }> {
  const prevs: string[] = [];
  const hashes: string[] = [];
  let prev_hash = head;
  for (const f of reads.fields) {
    const hash = hashOfFields(prev_hash, f);
    prevs.push(prev_hash);
    hashes.push(hash);
    prev_hash = hash;
  }
  const { rows } = await db.executeQuery<{ head: string | null; n: number | string }>(
    CompiledQuery.raw(APPEND_IF_FREE, [...reads.columns, prevs, hashes, head]),
  );
  const found = rows[0]?.head ?? null;
  if (found !== head) return { chained: false, head: found };
  if (Number(rows[0]?.n) !== reads.fields.length)
    throw new Error(`audit chain: appended ${String(rows[0]?.n)} of ${reads.fields.length} entries`);
  return { chained: true, head: prev_hash };
}

const COLUMN_TYPES: Record<(typeof AUDIT_LOG_COLUMNS)[number], string> = {
  at: 'timestamptz',
  actor_user_id: 'bigint',
  actor_username: 'text',
  actor_role: 'text',
  action: 'text',
  entity_type: 'text',
  entity_id: 'text',
  region: 'text',
  subject_person_id: 'bigint',
  before: 'jsonb',
  after: 'jsonb',
  reason: 'text',
  request_id: 'text',
  prev_hash: 'text',
  hash: 'text',
};

/**
 * The direct append (migration 1600's audit_chain_try_head: the lock tried, the queue and the head read
 * after it). The rows are inserted in their order, so the log's identities follow the chain.
 */
const APPEND_IF_FREE = `${PREPARED_MARK}
  WITH h AS MATERIALIZED (SELECT audit_chain_try_head() AS head),
  i AS (
    INSERT INTO audit_log (${AUDIT_LOG_COLUMNS.join(', ')})
    SELECT ${AUDIT_LOG_COLUMNS.map((c) => `u.${c}`).join(', ')}
    FROM h, unnest(${AUDIT_LOG_COLUMNS.map((c, k) => `$${k + 1}::${COLUMN_TYPES[c]}[]`).join(', ')})
      WITH ORDINALITY AS u (${AUDIT_LOG_COLUMNS.join(', ')}, n)
    WHERE h.head = $${AUDIT_LOG_COLUMNS.length + 1}
    ORDER BY u.n
    RETURNING 1)
  SELECT (SELECT head FROM h) AS head, (SELECT count(*) FROM i) AS n`;

/**
 * Queues entries (staff reads) for the audit writer: one insert, no lock, so a read never waits
 * for the chain. Durable once the caller's statement (or transaction) commits.
 */
export async function queueAudit(db: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  await queueAuditMany(db, [{ actor, entries, at: now().toISOString() }]);
}

/** Queues the entries of several readers in one insert, in the order given. */
export async function queueAuditMany(db: Db, reads: readonly ReadEntries[]): Promise<void> {
  const rows = reads.flatMap(({ actor, entries, at }) =>
    entries.map((e) => {
      const r = auditRowOf(actor, e, at);
      return {
        ...r,
        before: r.before === null ? null : JSON.stringify(r.before),
        after: r.after === null ? null : JSON.stringify(r.after),
      };
    }),
  );
  if (rows.length === 0) return;
  await db.insertInto('audit_queue').values(rows).execute();
}

export interface ChainHooks {
  /** Called after the batch is written to audit_log, before it commits (crash tests). */
  afterInsert?: () => Promise<void> | void;
}

interface QueuedRow extends RawAuditFields {
  id: number | string;
  head: string | null;
}

/**
 * Chains up to `limit` queued entries into audit_log in queue order, under the chain's lock, taking
 * them out of the queue in the same transaction: a crash chains all of them or none. Returns how
 * many were chained. `known` skips the look for an empty queue (the caller has just queued).
 */
export async function chainQueuedAudit(
  db: Db,
  limit = 500,
  hooks: ChainHooks = {},
  known = false,
): Promise<number> {
  return (await chainQueuedBatch(db, { limit, hooks, known })).chained;
}

/**
 * chainQueuedAudit taking only entries whose queue id is above `above` (0: from the queue's start),
 * and answering the highest id it took and the chain's head after it. Issue 18: the take walks the queue's index from its start,
 * over every entry earlier batches deleted until vacuum removes them (~5 ms a take with 150,000 of
 * them); a writer that knows what it took skips them. An entry below `above` still queued (its
 * statement committed after a later one was taken) is taken by the next take from the start.
 */
export async function chainQueuedBatch(
  db: Db,
  opts: { limit?: number; hooks?: ChainHooks; known?: boolean; above?: number },
): Promise<{ chained: number; lastId: number; head: string | null }> {
  const { limit = 500, hooks = {}, known = false, above = 0 } = opts;
  // Nothing queued: no transaction and no lock.
  if (!known && !(await db.selectFrom('audit_queue').select('id').limit(1).executeTakeFirst()))
    return { chained: 0, lastId: 0, head: null };
  return db.transaction().execute(async (tx) => {
    await lockAuditChain(tx);
    // Under the lock: read the oldest queued entries and the chain's head in one round trip.
    const { rows: queued } = await tx.executeQuery<QueuedRow>(CompiledQuery.raw(TAKE_QUEUED, [above, limit]));
    if (queued.length === 0) return { chained: 0, lastId: 0, head: null };
    // Hashed here; the rows move from the queue into the chain in one statement that carries only
    // their ids and hashes (issue 18, seventeenth pass: sending every field back as parameters, in up
    // to eight chunked inserts, cost the database more per entry than moving the rows).
    const ids: string[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    let prev_hash = queued[0]!.head ?? GENESIS_HASH;
    for (const r of queued) {
      const hash = hashOfFields(prev_hash, hashedFields(r));
      ids.push(String(r.id));
      prevs.push(prev_hash);
      hashes.push(hash);
      prev_hash = hash;
    }
    const { rows: moved } = await tx.executeQuery<{ n: number | string }>(
      CompiledQuery.raw(MOVE_QUEUED, [ids, prevs, hashes]),
    );
    // Under the lock nothing else takes from the queue and its rows are never changed: every row
    // read is moved as read. Anything else would break the chain, so the batch rolls back.
    if (Number(moved[0]?.n) !== queued.length)
      throw new Error(`audit queue: moved ${String(moved[0]?.n)} of ${queued.length} entries`);
    await hooks.afterInsert?.();
    return { chained: queued.length, lastId: Number(queued[queued.length - 1]!.id), head: prev_hash };
  });
}

const QUEUE_COLUMNS = ['id', ...AUDIT_FIELDS].join(', ');

/**
 * The take. The ids as an array, not `id IN (…)`: the queue's statistics describe a nearly empty table
 * while its pages fill with deleted entries between vacuums, and the IN form was planned as two
 * sequential scans of them per take (issue 18, ninth pass: 2 ms a take at 40,000 deleted, growing until
 * vacuum); the array form is planned as walks of the primary key, from `above`.
 */
const TAKE_QUEUED = `${PREPARED_MARK}
  SELECT ${QUEUE_COLUMNS}, (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS head
  FROM audit_queue
  WHERE id = ANY (ARRAY(SELECT id FROM audit_queue WHERE id > $1 ORDER BY id LIMIT $2))
  ORDER BY id`;

/**
 * Moves the taken entries into audit_log with their place in the chain: ids ascending, so the log's
 * identities (assigned in the insert's order) follow the chain.
 */
const MOVE_QUEUED = `${PREPARED_MARK}
  WITH d AS (DELETE FROM audit_queue WHERE id = ANY ($1::bigint[]) RETURNING ${QUEUE_COLUMNS}),
  i AS (
    INSERT INTO audit_log (${AUDIT_LOG_COLUMNS.join(', ')})
    SELECT ${AUDIT_FIELDS.map((k) => `d.${k}`).join(', ')}, h.prev_hash, h.hash
    FROM d JOIN unnest($1::bigint[], $2::text[], $3::text[]) AS h (id, prev_hash, hash) ON h.id = d.id
    ORDER BY d.id
    RETURNING 1)
  SELECT count(*) AS n FROM i`;

/** Chains everything queued so far (before a verify, a reader of the log, a shutdown). */
export async function drainAuditQueue(db: Db): Promise<number> {
  let n = 0;
  for (;;) {
    const k = await chainQueuedAudit(db);
    if (k === 0) return n;
    n += k;
  }
}

export interface AuditVerifyResult {
  ok: boolean;
  entries: number;
  firstBrokenId: number | null;
  problem: string | null;
}

/** Re-walks the chain from the first entry; names the first entry whose hash or link is wrong. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<AuditVerifyResult> {
  await drainAuditQueue(db);
  let prev = GENESIS_HASH;
  let afterId = 0;
  let entries = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      entries += 1;
      if (r.prev_hash !== prev) {
        return {
          ok: false,
          entries,
          firstBrokenId: r.id,
          problem: 'prev_hash does not match the previous entry (an entry was removed or reordered)',
        };
      }
      if (hashAuditRow(r) !== r.hash) {
        return {
          ok: false,
          entries,
          firstBrokenId: r.id,
          problem: 'hash does not match the entry (the entry was changed)',
        };
      }
      prev = r.hash;
      afterId = r.id;
    }
  }
  return { ok: true, entries, firstBrokenId: null, problem: null };
}
