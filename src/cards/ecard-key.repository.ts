// The SQL of the e-card signing keys (ecard-key.service.ts): the key rows and the lock that orders
// their changes. The service makes the keys, signs and audits. Executor first.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import './card.tables.ts';

const KEY_LOCK = 726354140;

/** Makers and rotations of the keys one at a time (inside the caller's transaction). */
export async function lockKeys(tx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${KEY_LOCK})`.execute(tx);
}

export async function insertKey(
  tx: Db,
  k: {
    kid: string;
    status: 'active' | 'next';
    publicJwk: string;
    privatePkcs8: string;
    activatedAt: string | null;
  },
): Promise<void> {
  await tx
    .insertInto('ecard_key')
    .values({
      kid: k.kid,
      status: k.status,
      public_jwk: k.publicJwk,
      private_pkcs8: k.privatePkcs8,
      activated_at: k.activatedAt,
    })
    .execute();
}

export async function hasActiveKey(db: Db): Promise<boolean> {
  const has = await db
    .selectFrom('ecard_key')
    .select('kid')
    .where('status', '=', 'active')
    .executeTakeFirst();
  return has !== undefined;
}

export async function keyStatuses(tx: Db): Promise<string[]> {
  return (await tx.selectFrom('ecard_key').select('status').execute()).map((r) => r.status);
}

/** The active key retired at `now`; answers its kid. */
export async function retireActiveKey(tx: Db, now: string): Promise<string | undefined> {
  const retired = await tx
    .updateTable('ecard_key')
    .set({ status: 'retired', retired_at: now })
    .where('status', '=', 'active')
    .returning('kid')
    .executeTakeFirst();
  return retired?.kid;
}

/** The next key made active at `now`; answers its kid. */
export async function promoteNextKey(tx: Db, now: string): Promise<string | undefined> {
  const promoted = await tx
    .updateTable('ecard_key')
    .set({ status: 'active', activated_at: now })
    .where('status', '=', 'next')
    .returning('kid')
    .executeTakeFirst();
  return promoted?.kid;
}

/** The keys not retired, and those retired after `since`, newest first. */
export async function publishedKeys(db: Db, since: string) {
  return db
    .selectFrom('ecard_key')
    .select(['kid', 'public_jwk', 'status'])
    .where((eb) => eb.or([eb('status', '!=', 'retired'), eb('retired_at', '>', since)]))
    .orderBy('created_at', 'desc')
    .execute();
}

export async function activeSigningKey(db: Db): Promise<{ kid: string; private_pkcs8: string }> {
  return db
    .selectFrom('ecard_key')
    .select(['kid', 'private_pkcs8'])
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
}
