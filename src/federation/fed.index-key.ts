// Moving a province onto the keyed national index (HMAC-SHA-256 under FEDERATION_SECRET): at start,
// a province whose part of the index was published with another key (or with the old unkeyed
// SHA-256) republishes every person's `index.update` under the current key and rehashes its own
// transfer rows; migration 2026_12_01_0700 dropped the exchange's unkeyed rows. The key's
// fingerprint (an HMAC of a fixed text, never the key) is kept in platform_meta, so a later change of
// secret republishes too.
import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { enqueue, federationSecret, idHash, NATIONAL } from './fed.messaging.ts';

export const INDEX_KEY_META = 'federation.index-key';

const fingerprint = (secret: string) =>
  createHmac('sha256', secret).update('shebao-fed-index-key-fingerprint').digest('hex').slice(0, 16);

/** Republishes this province's index under the current key when it was published under another. */
export async function ensureKeyedIndex(db: Db, self: string): Promise<{ republished: number }> {
  const secret = federationSecret();
  const fp = fingerprint(secret);
  return db.transaction().execute(async (tx) => {
    const meta = await sql<{ value: string }>`
      SELECT value FROM platform_meta WHERE key = ${INDEX_KEY_META} FOR UPDATE`.execute(tx);
    if (meta.rows[0]?.value === fp) return { republished: 0 };
    const rows = await sql<{
      id: unknown;
      id_number: string;
      months: unknown;
      last: string | null;
      held: boolean;
    }>`
      SELECT p.id, p.id_number, count(DISTINCT l.period)::bigint AS months, max(l.period) AS last,
        EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme = 'employee_pension' AND e.status = 'active') AS held
      FROM person p JOIN contribution_bill_line l ON l.person_id = p.id
      JOIN contribution_bill b ON b.id = l.bill_id AND b.status = 'paid'
      GROUP BY p.id ORDER BY p.id`.execute(tx);
    for (const r of rows.rows)
      await enqueue(tx, NATIONAL, 'index.update', {
        idHash: idHash(r.id_number, secret),
        province: self,
        months: Number(r.months),
        lastPeriod: r.last,
        relationHeld: r.held,
      });
    const people = await sql<{ id: unknown; id_number: string }>`
      SELECT DISTINCT p.id, p.id_number FROM person p JOIN fed_transfer t ON t.person_id = p.id`.execute(tx);
    for (const p of people.rows)
      await sql`UPDATE fed_transfer SET id_hash = ${idHash(p.id_number, secret)} WHERE person_id = ${p.id}`.execute(
        tx,
      );
    await sql`INSERT INTO platform_meta (key, value) VALUES (${INDEX_KEY_META}, ${JSON.stringify(fp)}::jsonb)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(tx);
    return { republished: rows.rows.length };
  });
}

/** Marks the index as published under the current key (the demo seed publishes it itself). */
export async function markIndexKeyed(db: Db): Promise<void> {
  const fp = fingerprint(federationSecret());
  await sql`INSERT INTO platform_meta (key, value) VALUES (${INDEX_KEY_META}, ${JSON.stringify(fp)}::jsonb)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`.execute(db);
}
