// Append-only, hash-chained audit log: each entry carries the hash of the one before, so a changed
// or removed row breaks the chain. Written in the same transaction as the change it records.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';

export interface AuditEntry {
  action: string;
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
function canonical(v: unknown): string {
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

export interface AuditRowForHash {
  at: string;
  actor_user_id: number | null;
  actor_username: string;
  actor_role: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  region: string | null;
  subject_person_id: number | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  request_id: string | null;
  prev_hash: string;
}

export function hashAuditRow(r: AuditRowForHash): string {
  const body = canonical({
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
  });
  return createHash('sha256').update(r.prev_hash).update('\n').update(body).digest('hex');
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

export async function appendAudit(tx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  // One writer at a time extends the chain; the lock is released at commit.
  await sql`SELECT pg_advisory_xact_lock(726354001)`.execute(tx);
  const last = await tx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prev_hash = last?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const before =
    entry.before === undefined ? null : (JSON.parse(JSON.stringify(scrub(entry.before))) as unknown);
  const after =
    entry.after === undefined ? null : (JSON.parse(JSON.stringify(scrub(entry.after))) as unknown);
  const row: AuditRowForHash = {
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
    prev_hash,
  };
  await tx
    .insertInto('audit_log')
    .values({
      ...row,
      before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after),
      hash: hashAuditRow(row),
    })
    .execute();
}

export interface AuditVerifyResult {
  ok: boolean;
  entries: number;
  firstBrokenId: number | null;
  problem: string | null;
}

/** Re-walks the chain from the first entry; names the first entry whose hash or link is wrong. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<AuditVerifyResult> {
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
