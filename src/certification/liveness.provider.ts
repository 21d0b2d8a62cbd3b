// Self-service face check (人脸识别认证): we never run the face match ourselves. A liveness vendor's SDK
// runs in the citizen's app, bound to a single-use nonce we issued, and returns a SIGNED result. This
// module verifies that result: the vendor is one we trust, the signature is the vendor's (Ed25519 or
// HMAC-SHA256 with the vendor's key from configuration), it has not expired, it names this person
// (SHA-256 of the ID number) and its liveness score reaches the threshold. The nonce (issued by us,
// single use, expiring) is checked against the database by the service. There is no provider that
// passes everyone: every path to "accepted" goes through a signature check.
//
// Token format (docs/certification.md): `<vendorId>.<base64url(payload JSON)>.<base64url(signature)>`,
// the signature taken over the ASCII text `<vendorId>.<base64url(payload JSON)>`.
// Payload: { v: 1, vendor, nonce, subject, score, issuedAt, expiresAt, resultId }.
import {
  createHash,
  createHmac,
  createPublicKey,
  timingSafeEqual,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SbError } from '../core/errors.ts';

export type LivenessRefusal =
  | 'malformed'
  | 'unknown_vendor'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_person'
  | 'low_score'
  | 'nonce_unknown'
  | 'nonce_used'
  | 'nonce_expired'
  | 'nonce_other_person';

const REFUSAL_TEXT: Record<LivenessRefusal, [string, string]> = {
  malformed: ['认证结果格式不正确', 'the result is malformed'],
  unknown_vendor: ['认证服务商未登记', 'the vendor is not registered'],
  bad_signature: ['认证结果签名无效（可能被篡改或伪造）', 'the signature is invalid (changed or forged)'],
  expired: ['认证结果已过期，请重新认证', 'the result has expired; please try again'],
  not_yet_valid: ['认证结果时间不正确', 'the result is dated in the future'],
  wrong_person: ['认证结果不是本人的', 'the result names another person'],
  low_score: ['活体检测分数不足', 'the liveness score is below the threshold'],
  nonce_unknown: ['认证请求不存在，请重新发起', 'unknown nonce; start again'],
  nonce_used: ['认证请求已使用过', 'the nonce was already used'],
  nonce_expired: ['认证请求已过期，请重新发起', 'the nonce has expired; start again'],
  nonce_other_person: ['认证请求不是为本人发起的', 'the nonce was issued to someone else'],
};

export class LivenessRefused extends SbError {
  constructor(readonly refusal: LivenessRefusal) {
    const [zh, en] = REFUSAL_TEXT[refusal];
    super('SB_ERR_LIVENESS_REJECTED', {
      field: 'result',
      zh: `${zh}（${refusal}）`,
      en: `${en} (${refusal})`,
    });
  }
}

export interface LivenessPayload {
  v: 1;
  vendor: string;
  nonce: string;
  /** hex SHA-256 of the 18-character ID number */
  subject: string;
  /** 0–1 */
  score: number;
  issuedAt: string;
  expiresAt: string;
  resultId: string;
}

export interface VerifiedLiveness {
  vendor: string;
  nonce: string;
  score: number;
  resultId: string;
  issuedAt: string;
}

/** What the service needs from a face-check provider: verify a result for a person, or refuse. */
export interface LivenessProvider {
  readonly vendorIds: readonly string[];
  verify(token: string, expected: { idNumber: string }, now: Date): VerifiedLiveness;
}

export type VendorKey =
  { id: string; alg: 'ed25519'; publicKey: KeyObject } | { id: string; alg: 'hmac-sha256'; secret: Buffer };

export const subjectOf = (idNumber: string): string =>
  createHash('sha256').update(idNumber.trim().toUpperCase()).digest('hex');

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export function encodeToken(payload: LivenessPayload, sign: (signingInput: Buffer) => Buffer): string {
  const signingInput = `${payload.vendor}.${b64url(JSON.stringify(payload))}`;
  return `${signingInput}.${b64url(sign(Buffer.from(signingInput, 'ascii')))}`;
}

const MAX_SKEW_MS = 60_000;
const MAX_LIFETIME_MS = 15 * 60_000;

function parsePayload(text: string): LivenessPayload | null {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null) return null;
  const p = o as Record<string, unknown>;
  const str = (k: string): boolean => typeof p[k] === 'string' && p[k].length > 0 && p[k].length <= 200;
  if (
    p['v'] !== 1 ||
    !str('vendor') ||
    !str('nonce') ||
    !str('subject') ||
    !str('issuedAt') ||
    !str('expiresAt') ||
    !str('resultId')
  )
    return null;
  if (typeof p['score'] !== 'number' || !Number.isFinite(p['score']) || p['score'] < 0 || p['score'] > 1)
    return null;
  if (Number.isNaN(Date.parse(p['issuedAt'] as string)) || Number.isNaN(Date.parse(p['expiresAt'] as string)))
    return null;
  return p as unknown as LivenessPayload;
}

/** Verifies vendors' signed results with the keys from configuration. */
export class SignedResultProvider implements LivenessProvider {
  private readonly keys: Map<string, VendorKey>;

  constructor(
    keys: readonly VendorKey[],
    readonly minScore: number,
  ) {
    if (!(minScore > 0 && minScore <= 1)) throw new Error('liveness minimum score must be in (0, 1]');
    this.keys = new Map(keys.map((k) => [k.id, k]));
  }

  get vendorIds(): string[] {
    return [...this.keys.keys()];
  }

  verify(token: string, expected: { idNumber: string }, now: Date): VerifiedLiveness {
    const parts = token.trim().split('.');
    if (parts.length !== 3 || parts.some((p) => p === '' || !/^[A-Za-z0-9_-]+$/.test(p)))
      throw new LivenessRefused('malformed');
    const [vendorId = '', body = '', sig = ''] = parts;
    const key = this.keys.get(vendorId);
    if (!key) throw new LivenessRefused('unknown_vendor');
    const signingInput = Buffer.from(`${vendorId}.${body}`, 'ascii');
    const signature = Buffer.from(sig, 'base64url');
    let ok: boolean;
    if (key.alg === 'ed25519') {
      ok = signature.length === 64 && cryptoVerify(null, signingInput, key.publicKey, signature);
    } else {
      const mac = createHmac('sha256', key.secret).update(signingInput).digest();
      ok = signature.length === mac.length && timingSafeEqual(signature, mac);
    }
    if (!ok) throw new LivenessRefused('bad_signature');
    // Only a signed payload is read.
    const payload = parsePayload(Buffer.from(body, 'base64url').toString('utf8'));
    if (!payload || payload.vendor !== vendorId) throw new LivenessRefused('malformed');
    const issued = Date.parse(payload.issuedAt);
    const expires = Date.parse(payload.expiresAt);
    if (issued > now.getTime() + MAX_SKEW_MS) throw new LivenessRefused('not_yet_valid');
    if (expires <= now.getTime() || expires - issued > MAX_LIFETIME_MS || expires < issued)
      throw new LivenessRefused('expired');
    const want = Buffer.from(subjectOf(expected.idNumber), 'utf8');
    const got = Buffer.from(payload.subject.toLowerCase(), 'utf8');
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw new LivenessRefused('wrong_person');
    if (payload.score < this.minScore) throw new LivenessRefused('low_score');
    return {
      vendor: vendorId,
      nonce: payload.nonce,
      score: payload.score,
      resultId: payload.resultId,
      issuedAt: payload.issuedAt,
    };
  }
}

// ---- configuration ----

interface VendorConfig {
  id?: unknown;
  alg?: unknown;
  publicKey?: unknown;
  secret?: unknown;
}

function configError(msg: string): SbError {
  return new SbError('SB_ERR_INVALID_CONFIG', { field: 'SHEBAO_LIVENESS_VENDORS', zh: msg, en: msg });
}

/**
 * Vendor keys from SHEBAO_LIVENESS_VENDORS (JSON) or SHEBAO_LIVENESS_VENDORS_FILE (a JSON file):
 * `[{"id": "acme", "alg": "ed25519", "publicKey": "-----BEGIN PUBLIC KEY-----…"},
 *   {"id": "beta", "alg": "hmac-sha256", "secret": "<base64, ≥ 32 bytes>"}]`.
 */
export function vendorKeysFromEnv(env: NodeJS.ProcessEnv = process.env): VendorKey[] {
  const file = env['SHEBAO_LIVENESS_VENDORS_FILE'];
  const text = file ? readFileSync(file, 'utf8') : env['SHEBAO_LIVENESS_VENDORS'];
  if (text === undefined || text.trim() === '') return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw configError('not valid JSON');
  }
  if (!Array.isArray(list)) throw configError('expected a JSON array of vendors');
  return list.map((raw: VendorConfig, i) => {
    const id = raw.id;
    if (typeof id !== 'string' || !/^[a-z0-9-]{2,40}$/.test(id))
      throw configError(`vendor ${i}: id must be 2–40 of a-z, 0-9, -`);
    if (raw.alg === 'ed25519') {
      if (typeof raw.publicKey !== 'string') throw configError(`vendor ${id}: publicKey (PEM) is required`);
      const publicKey = createPublicKey(raw.publicKey);
      if (publicKey.asymmetricKeyType !== 'ed25519')
        throw configError(`vendor ${id}: the public key is not Ed25519`);
      return { id, alg: 'ed25519' as const, publicKey };
    }
    if (raw.alg === 'hmac-sha256') {
      const secret = typeof raw.secret === 'string' ? Buffer.from(raw.secret, 'base64') : Buffer.alloc(0);
      if (secret.length < 32) throw configError(`vendor ${id}: secret must be base64 of at least 32 bytes`);
      return { id, alg: 'hmac-sha256' as const, secret };
    }
    throw configError(`vendor ${id}: alg must be ed25519 or hmac-sha256`);
  });
}

export function minScoreFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['SHEBAO_LIVENESS_MIN_SCORE'];
  if (raw === undefined || raw === '') return 0.9;
  const n = Number(raw);
  if (!(n > 0 && n <= 1))
    throw new SbError('SB_ERR_INVALID_CONFIG', {
      field: 'SHEBAO_LIVENESS_MIN_SCORE',
      zh: `“${raw}”应在 (0, 1] 之间`,
      en: `"${raw}" must be in (0, 1]`,
    });
  return n;
}
