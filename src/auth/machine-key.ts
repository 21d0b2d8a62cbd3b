// Keys a machine calls with instead of a login: a hospital's billing system (`sbh_…`, src/injury/) and a
// card terminal (`sbt_…`, src/cards/). One way to make, store and check them, so the two cannot drift:
// the key is shown once, only its SHA-256 and its prefix are stored, and every failed call counts against
// the calling address — after KEY_FAILURES_MAX failures in KEY_WINDOW_MINUTES the address is refused
// (SB_ERR_TOO_MANY_ATTEMPTS) for KEY_LOCK_MINUTES, even with a good key, so guessing stays useless.
import { createHash, randomBytes } from 'node:crypto';
import { now, today } from '../core/clock.ts';
import { SbError, type ErrorCode } from '../core/errors.ts';
import { projectParams } from '../core/params-loader.ts';
import type { Db } from '../db/connection.ts';
import { countKeyFailure, keyLockedUntil } from './machine-key.repository.ts';
import { MACHINES } from './machines.ts';

/** What the key is for: its first letters (`sbh_` a hospital, `sbt_` a terminal). */
export type MachineKeyKind = 'sbh' | 'sbt';

const KEY_FAILURES_MAX = 20;
const KEY_WINDOW_MINUTES = 15;
const KEY_LOCK_MINUTES = 15;

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A new key `<kind>_<10 hex>_<43 base64url>`: the key (to show once), its prefix and its hash (to store). */
export function newMachineKey(kind: MachineKeyKind): { key: string; prefix: string; hash: string } {
  const prefix = `${kind}_${randomBytes(5).toString('hex')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: sha256(key) };
}

/**
 * What a rotation does with the key it replaces: `stop-now` when the old key may be known to someone else
 * (a device stolen, a key leaked), `overlap` when a device fleet is re-keyed and each device must keep
 * calling until it has its new key.
 */
export const OLD_KEY_FATES = ['stop-now', 'overlap'] as const;
export type OldKeyFate = (typeof OLD_KEY_FATES)[number];

/**
 * Until when the replaced key of a rotation at `at` stays valid: null when it stops now; with `overlap`,
 * the region's overlap hours later (params/machine-keys/overlap-hours.yaml). Whoever checks the old key
 * also ends it at the new key's first use, whichever comes first.
 */
export function oldKeyValidUntil(fate: OldKeyFate, region: string, at: Date): Date | null {
  if (fate === 'stop-now') return null;
  const hours = projectParams().get<number>('machine-keys/overlap-hours', region, today());
  return new Date(at.getTime() + hours * 3_600_000);
}

const KEY_SHAPE = /^sb[ht]_[0-9a-f]{10}_[A-Za-z0-9_-]{43}$/;

/**
 * The holder of a live key of `kind` (found by its hash through `lookup`), for a call from `source` (the
 * address). Missing, malformed, unknown and stopped keys answer alike (`invalid`, a 401) and count as a
 * failure of the address; a locked address is refused before the key is looked at.
 */
export async function authenticateMachineKey<T>(
  db: Db,
  call: {
    kind: MachineKeyKind;
    key: string | null;
    source: string;
    invalid: ErrorCode;
    lookup: (hash: string) => Promise<T | undefined>;
  },
): Promise<T> {
  // named by the machine's role: hospitals keep the throttle rows they always had (`hospital-key:<address>`)
  const machine = MACHINES.find((m) => m.keyKind === call.kind)?.role ?? call.kind;
  const throttleKey = `${machine}-key:${call.source}`;
  const at = now();
  const until = await keyLockedUntil(db, throttleKey);
  if (until !== null && until > at) throw new SbError('SB_ERR_TOO_MANY_ATTEMPTS');
  const { key } = call;
  const found =
    key !== null && KEY_SHAPE.test(key) && key.startsWith(`${call.kind}_`)
      ? await call.lookup(sha256(key))
      : undefined;
  if (found === undefined) {
    const windowStart = new Date(at.getTime() - KEY_WINDOW_MINUTES * 60_000).toISOString();
    const lockUntil = new Date(at.getTime() + KEY_LOCK_MINUTES * 60_000).toISOString();
    await countKeyFailure(db, throttleKey, { at, windowStart, lockUntil, max: KEY_FAILURES_MAX });
    throw new SbError(call.invalid);
  }
  return found;
}

/** Any machine key in a text, cut to its prefix: the log's last line of defence (src/bootstrap.ts). */
export const maskMachineKeys = (s: string): string =>
  s.replace(/\b(sb[ht]_[0-9a-f]{10})_[A-Za-z0-9_-]{43}/g, '$1_[redacted]');
