// E-card signing keys (Ed25519): kept in the database, private keys never leave the server. There is
// always one `active` key (signs) and one `next` key (already published, so terminals that refresh
// their JWKS hold it before it signs); a rotation retires the active key, promotes the next and makes
// a new next. A retired key stays in the JWKS for RETIRED_KEY_HOURS, far longer than a code lives
// (60 s), so a code signed just before a rotation is still accepted until it expires.
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, type JWK } from 'jose';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';
import * as repo from './ecard-key.repository.ts';
import { ECARD_TOKEN_SECONDS, ECARD_TYP, type EcardClaims } from './ecard-verifier.ts';

const RETIRED_KEY_HOURS = 24;

export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: string;
  use: string;
}

async function newKey(tx: Db, status: 'active' | 'next'): Promise<string> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = (await calculateJwkThumbprint(jwk)).slice(0, 22);
  await repo.insertKey(tx, {
    kid,
    status,
    publicJwk: JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }),
    privatePkcs8: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    activatedAt: status === 'active' ? new Date().toISOString() : null,
  });
  return kid;
}

export interface RotationResult {
  retired: string | null;
  active: string;
  next: string;
}

export class EcardKeyService {
  constructor(private readonly db: Db) {}

  /** Makes the first active and next keys if there are none (idempotent; safe under concurrency). */
  async ensureKeys(): Promise<void> {
    if (await repo.hasActiveKey(this.db)) return;
    await this.db.transaction().execute(async (tx) => {
      await repo.lockKeys(tx);
      const statuses = await repo.keyStatuses(tx);
      if (!statuses.includes('active')) await newKey(tx, 'active');
      if (!statuses.includes('next')) await newKey(tx, 'next');
    });
  }

  /** Retires the active key, promotes the next one (already published) and makes a new next; audited. */
  async rotateKeys(actor: Actor): Promise<RotationResult> {
    await this.ensureKeys();
    return this.db.transaction().execute(async (tx) => {
      await repo.lockKeys(tx);
      const now = new Date().toISOString();
      const retired = await repo.retireActiveKey(tx, now);
      const promoted = await repo.promoteNextKey(tx, now);
      const active = promoted ?? (await newKey(tx, 'active'));
      const next = await newKey(tx, 'next');
      const result = { retired: retired ?? null, active, next };
      await appendAudit(tx, actor, {
        action: 'ecard.key-rotate',
        entityType: 'ecard_key',
        entityId: active,
        after: result,
      });
      return result;
    });
  }

  /** The public keys a terminal needs: active, next and those retired in the last RETIRED_KEY_HOURS. */
  async publicJwks(): Promise<{ keys: PublicJwk[] }> {
    await this.ensureKeys();
    const since = new Date(Date.now() - RETIRED_KEY_HOURS * 3600_000).toISOString();
    const rows = await repo.publishedKeys(this.db, since);
    return {
      keys: rows.map((r) => {
        const k = r.public_jwk as { kty: string; crv: string; x: string };
        return { kty: k.kty, crv: k.crv, x: k.x, kid: r.kid, alg: 'EdDSA', use: 'sig' };
      }),
    };
  }

  /** Signs a 60-second e-card token for a card reference with the active key. */
  async signToken(
    card: { ref: string; region: string },
    now: Date = new Date(),
  ): Promise<{ token: string; expiresAt: string; kid: string }> {
    await this.ensureKeys();
    const key = await repo.activeSigningKey(this.db);
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + ECARD_TOKEN_SECONDS;
    const claims: Omit<EcardClaims, 'iat' | 'exp' | 'iss'> = {
      ref: card.ref,
      rgn: card.region,
      nonce: randomBytes(16).toString('base64url'),
    };
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: ECARD_TYP })
      .setIssuer(`shebao:${card.region}`)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(createPrivateKey(key.private_pkcs8));
    return { token, expiresAt: new Date(exp * 1000).toISOString(), kid: key.kid };
  }
}
