// Offline verification of an electronic social security card QR code (电子社保卡二维码), as a bus
// gate, library door or hospital counter runs it: with only the published JWKS, a revocation snapshot
// and the terminal's own memory of nonces it has seen. No database, no server, no network — this
// module imports only `jose`, and the browser's terminal simulator runs the very same code.
import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';

/** The token's `typ` header and the claims the server puts in it (see docs/cards.md). */
export const ECARD_TYP = 'ecard+jwt';
export const ECARD_TOKEN_SECONDS = 60;
/** Clock difference a terminal tolerates, in seconds. */
export const ECARD_CLOCK_TOLERANCE = 5;

export interface EcardClaims {
  /** issuer: "shebao:<region>" */
  iss: string;
  /** the card reference (32 hex), not the ID number */
  ref: string;
  /** the issuing region (GB/T 2260, 6 digits) */
  rgn: string;
  iat: number;
  exp: number;
  nonce: string;
}

export interface RevocationSnapshot {
  generatedAt: string;
  refs: string[];
}

/** The terminal's memory: nonces seen, each with the expiry (seconds) of its token, so it can forget them after. */
export interface VerifierState {
  seen: Record<string, number>;
}

export type RefusalReason = 'expired' | 'bad-signature' | 'revoked' | 'replayed' | 'malformed';

export type VerifyResult =
  | { ok: true; ref: string; region: string; issuer: string; kid: string; expiresAt: string; nonce: string }
  | { ok: false; reason: RefusalReason; detail: string };

export interface VerifyOptions {
  jwks: JSONWebKeySet;
  revoked?: RevocationSnapshot | null;
  /** mutated: a valid code's nonce is added, expired nonces are dropped */
  state?: VerifierState | null;
  /** the terminal's clock (default: now) */
  now?: Date;
}

const REF = /^[0-9a-f]{32}$/;
const REGION = /^[0-9]{6}$/;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

export function emptyState(): VerifierState {
  return { seen: {} };
}

/** Reads a state file's JSON (anything unusable starts an empty memory rather than stopping the gate). */
export function parseState(text: string | null): VerifierState {
  if (text === null || text.trim() === '') return emptyState();
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && 'seen' in v && v.seen && typeof v.seen === 'object') {
      const seen: Record<string, number> = {};
      for (const [k, n] of Object.entries(v.seen as Record<string, unknown>))
        if (typeof n === 'number' && Number.isFinite(n)) seen[k] = n;
      return { seen };
    }
  } catch {
    /* an unreadable memory is an empty one */
  }
  return emptyState();
}

function refuse(reason: RefusalReason, detail: string): VerifyResult {
  return { ok: false, reason, detail };
}

export async function verifyEcardToken(token: string, opts: VerifyOptions): Promise<VerifyResult> {
  const now = opts.now ?? new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const t = token.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(t) || t.length > 4096)
    return refuse('malformed', 'not a compact JWS');
  if (!opts.jwks || !Array.isArray((opts.jwks as { keys?: unknown }).keys))
    return refuse('bad-signature', 'no usable JWKS');
  let payload: Record<string, unknown>;
  let kid: string;
  try {
    const keys = createLocalJWKSet(opts.jwks);
    const r = await jwtVerify(t, keys, {
      algorithms: ['EdDSA'],
      typ: ECARD_TYP,
      currentDate: now,
      clockTolerance: ECARD_CLOCK_TOLERANCE,
      requiredClaims: ['exp', 'iat', 'iss'],
    });
    payload = r.payload;
    kid = r.protectedHeader.kid ?? '';
  } catch (e) {
    if (e instanceof errors.JWTExpired) return refuse('expired', 'the code has expired');
    if (e instanceof errors.JWSSignatureVerificationFailed)
      return refuse('bad-signature', 'signature does not verify');
    if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys)
      return refuse('bad-signature', 'no published key signed this code');
    if (e instanceof errors.JOSEAlgNotAllowed) return refuse('bad-signature', 'algorithm not allowed');
    return refuse('malformed', e instanceof Error ? e.message : 'unreadable');
  }
  const { ref, rgn, iss, nonce, exp } = payload;
  if (typeof ref !== 'string' || !REF.test(ref)) return refuse('malformed', 'ref');
  if (typeof rgn !== 'string' || !REGION.test(rgn)) return refuse('malformed', 'rgn');
  if (typeof iss !== 'string' || iss !== `shebao:${rgn}`) return refuse('malformed', 'iss');
  if (typeof nonce !== 'string' || !NONCE.test(nonce)) return refuse('malformed', 'nonce');
  if (typeof exp !== 'number') return refuse('malformed', 'exp');
  const refs: unknown = opts.revoked?.refs;
  if (Array.isArray(refs) && refs.includes(ref))
    return refuse('revoked', 'the card is reported lost or cancelled');
  const state = opts.state;
  if (state) {
    for (const [n, until] of Object.entries(state.seen))
      if (until + ECARD_CLOCK_TOLERANCE < nowSeconds) delete state.seen[n];
    if (state.seen[nonce] !== undefined)
      return refuse('replayed', 'this code was already used at this terminal');
    state.seen[nonce] = exp;
  }
  return {
    ok: true,
    ref,
    region: rgn,
    issuer: iss,
    kid,
    expiresAt: new Date(exp * 1000).toISOString(),
    nonce,
  };
}
