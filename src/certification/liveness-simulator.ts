// A liveness vendor SIMULATOR for the demo: it plays the vendor's part (signing a result bound to our
// nonce and the person) so the self-service journey runs end to end without a real vendor. Its key
// pair is made fresh in each process and is trusted only while the simulator is enabled, which it
// can be only on a database seeded as a demo (the durable `demo` row the demo seed writes into
// platform_meta): never on a real database, whatever the environment says. SHEBAO_LIVENESS_SIMULATOR=false
// turns it off on a demo database too.
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { SbError } from '../core/errors.ts';
import { encodeToken, subjectOf, type LivenessPayload, type VendorKey } from './liveness.provider.ts';

export const SIMULATOR_VENDOR = 'demo-simulator';

let keys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

function keyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  keys ??= generateKeyPairSync('ed25519');
  return keys;
}

export function simulatorVendorKey(): VendorKey {
  return { id: SIMULATOR_VENDOR, alg: 'ed25519', publicKey: keyPair().publicKey };
}

/**
 * On only when the database was seeded as a demo (`demoDatabase`, from the seed's durable marker);
 * there SHEBAO_LIVENESS_SIMULATOR=false turns it off. On a real database it is off even with =true.
 */
export function simulatorEnabled(demoDatabase: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env['SHEBAO_LIVENESS_SIMULATOR'];
  if (raw === undefined || raw === '') return demoDatabase;
  if (['1', 'true', 'yes'].includes(raw)) return demoDatabase;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new SbError('SB_ERR_INVALID_CONFIG', {
    field: 'SHEBAO_LIVENESS_SIMULATOR',
    zh: `“${raw}”应为 true 或 false`,
    en: `"${raw}" must be true or false`,
  });
}

export interface SimulateInput {
  nonce: string;
  idNumber: string;
  /** 0–1; the demo face passes with 0.97 */
  score?: number;
  now?: Date;
  /** how long the result stays valid; default 5 minutes */
  ttlMs?: number;
}

/** What the vendor's SDK would hand back to the app: a signed result for this nonce and person. */
export function simulateResult(input: SimulateInput): string {
  const now = input.now ?? new Date();
  const payload: LivenessPayload = {
    v: 1,
    vendor: SIMULATOR_VENDOR,
    nonce: input.nonce,
    subject: subjectOf(input.idNumber),
    score: input.score ?? 0.97,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (input.ttlMs ?? 5 * 60_000)).toISOString(),
    resultId: randomUUID(),
  };
  return encodeToken(payload, (data) => sign(null, data, keyPair().privateKey));
}
