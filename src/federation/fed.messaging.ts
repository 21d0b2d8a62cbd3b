// Messages between instances: signed envelopes written to fed_outbox in the transaction of the change,
// published to NATS JetStream by the relay, and received into fed_inbox (keyed by message id) in the
// transaction of their effect, so each message takes effect exactly once whatever node dies when.
//
//   writer tx: change + fed_outbox row ─▶ relay: sign, publish (JetStream msgID = message id), mark
//   receiver: verify sender's Ed25519 signature ─▶ tx: fed_inbox row + effect (+ new outbox rows) ─▶ ack
//
// A receiver refuses (and records in fed_refused) a message whose signature is not the claimed
// sender's, that is addressed to another node, or whose id it has already taken in (a replay).
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  randomUUID,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { sql } from 'kysely';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';

export const STREAM = 'SHEBAO_FED';
export const SIGNATURE_HEADER = 'Shebao-Signature';
/** The national exchange's node name; provinces are named by their 6-digit code (`340000`). */
export const NATIONAL = 'national';

export interface Envelope<B = unknown> {
  id: string;
  from: string;
  to: string;
  kind: string;
  at: string;
  body: B;
}

export const subjectOf = (to: string, kind: string): string => `fed.${to}.${kind}`;

// ---- the national index's key ----

let fedSecret: string | null = null;
/** Shortest federation secret accepted (FEDERATION_SECRET): 32 characters, e.g. 32 random bytes in hex. */
export const MIN_SECRET_LENGTH = 32;

/** Sets this process's federation secret (at node start, from the configuration). */
export function setFederationSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new SbError('SB_ERR_INVALID_CONFIG', {
      field: 'FEDERATION_SECRET',
      zh: `联网密钥至少 ${MIN_SECRET_LENGTH} 个字符`,
      en: `the federation secret needs at least ${MIN_SECRET_LENGTH} characters`,
    });
  fedSecret = secret;
}

export function federationSecret(): string {
  if (fedSecret === null)
    throw new SbError('SB_ERR_INVALID_CONFIG', {
      field: 'FEDERATION_SECRET',
      zh: '未配置联网密钥（FEDERATION_SECRET）',
      en: 'no federation secret is configured (FEDERATION_SECRET)',
    });
  return fedSecret;
}

/**
 * The hashed ID number the national index is keyed by (the exchange never holds ID numbers):
 * HMAC-SHA-256 under the federation's secret. An unkeyed hash of an 18-character ID number is
 * brute-forced in minutes (region × birth date × sequence is ~10^11); without the key it is not.
 */
export function idHash(idNumber: string, secret: string = federationSecret()): string {
  return createHmac('sha256', secret).update(`shebao-fed-v2:${idNumber.toUpperCase()}`).digest('hex');
}

/** Writes a message to the outbox inside the caller's transaction; the relay sends it after commit. */
export async function enqueue(tx: Db, to: string, kind: string, body: unknown): Promise<string> {
  const msgId = randomUUID();
  await sql`INSERT INTO fed_outbox (msg_id, to_node, kind, body) VALUES (${msgId}, ${to}, ${kind}, ${JSON.stringify(body)}::jsonb)`.execute(
    tx,
  );
  return msgId;
}

// ---- keys ----

export interface NodeKeys {
  /** this node's signing key (PKCS#8 PEM) */
  privateKey: KeyObject;
  /** every node's public key (SPKI PEM), by node name: the registry the national exchange publishes */
  registry: ReadonlyMap<string, KeyObject>;
}

export function loadKeys(privatePem: string, registry: Record<string, string>): NodeKeys {
  return {
    privateKey: createPrivateKey(privatePem),
    registry: new Map(Object.entries(registry).map(([node, pem]) => [node, createPublicKey(pem)])),
  };
}

export const signBytes = (key: KeyObject, bytes: Uint8Array): string =>
  sign(null, bytes, key).toString('base64');

/** Why a message is refused, or null when it is genuine and addressed to `self`. */
export function checkMessage(
  self: string,
  subject: string,
  bytes: Uint8Array,
  signature: string | undefined,
  keys: NodeKeys,
): { env: Envelope | null; refusal: string | null } {
  let env: Envelope;
  try {
    env = JSON.parse(Buffer.from(bytes).toString('utf8')) as Envelope;
  } catch {
    return { env: null, refusal: 'not JSON' };
  }
  if (typeof env.id !== 'string' || typeof env.from !== 'string' || typeof env.kind !== 'string')
    return { env: null, refusal: 'not an envelope' };
  if (env.to !== self || subject !== subjectOf(self, env.kind))
    return { env, refusal: `addressed to ${String(env.to)}, not ${self}` };
  const key = keys.registry.get(env.from);
  if (!key) return { env, refusal: `unknown sender ${env.from}` };
  if (!signature) return { env, refusal: 'unsigned' };
  let ok = false;
  try {
    ok = verify(null, bytes, key, Buffer.from(signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) return { env, refusal: `signature is not ${env.from}'s` };
  return { env, refusal: null };
}

/**
 * Takes one checked message in: its fed_inbox row and its effect in one transaction. A message id
 * already there (a redelivery after a lost ack, or a replay) acts nothing: `{ replay: true }`.
 */
export async function takeIn(
  db: Db,
  env: Envelope,
  handler: Handler | undefined,
  hook?: CrashHook,
  log?: { warn(o: object, m?: string): void },
): Promise<{ replay: boolean }> {
  const result = { replay: false };
  await db.transaction().execute(async (tx) => {
    const inserted = await sql<{ msg_id: string }>`
      INSERT INTO fed_inbox (msg_id, from_node, kind) VALUES (${env.id}, ${env.from}, ${env.kind})
      ON CONFLICT (msg_id) DO NOTHING RETURNING msg_id`.execute(tx);
    if (inserted.rows.length === 0) {
      result.replay = true;
      return;
    }
    if (handler) await handler(tx, env);
    else log?.warn({ kind: env.kind }, 'federation: no handler for this kind; recorded only');
    hook?.('consume.before-commit', env.kind);
  });
  return result;
}

// ---- the broker ----

export type CrashPoint =
  'relay.before-publish' | 'relay.after-publish' | 'consume.before-commit' | 'consume.after-commit';

/** Test hooks: called at each crash point with the message kind (a test node SIGKILLs itself there). */
export type CrashHook = (point: CrashPoint, kind: string) => void;

export type Handler = (tx: Db, env: Envelope) => Promise<void>;

export interface FederationNodeOptions {
  self: string;
  natsUrl: string;
  keys: NodeKeys;
  handlers: Readonly<Record<string, Handler>>;
  hook?: CrashHook;
  log?: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
  /** seconds the broker waits for an ack before redelivering (default 4) */
  ackWaitSeconds?: number;
  /** messages taken in at the same time, each its own transaction (default 4; 1 = one after another) */
  concurrency?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lane a message is taken in on: its person (`idHash`), else its case (`ref`), else one shared lane. */
function laneOf(data: Uint8Array): string {
  try {
    const env = JSON.parse(Buffer.from(data).toString('utf8')) as {
      body?: { idHash?: unknown; ref?: unknown };
    };
    const b = env.body;
    if (b && typeof b.idHash === 'string') return `h:${b.idHash}`;
    if (b && typeof b.ref === 'string') return `r:${b.ref}`;
  } catch {
    // refused by receive
  }
  return '*';
}

export class FederationNode {
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private stopped = false;
  private loops: Promise<void>[] = [];
  private wake: (() => void) | null = null;
  readonly stats = { published: 0, applied: 0, duplicates: 0, refused: 0 };
  /** Where this node's messaging time goes (ms, summed; the benchmark prints them). */
  readonly timings = {
    relayBatches: 0,
    /** reading pending outbox rows */
    relayReadMs: 0,
    /** building, signing and handing the batch to the client */
    relaySignMs: 0,
    /** waiting for the broker's acks of the batch */
    relayBrokerMs: 0,
    /** marking the batch published */
    relayMarkMs: 0,
    /** checking envelopes and signatures */
    checkMs: 0,
    /** inbox row + effect, one transaction per message */
    takeInMs: 0,
  };

  constructor(
    private readonly db: Db,
    private readonly opts: FederationNodeOptions,
  ) {}

  async start(): Promise<void> {
    this.nc = await connect({
      servers: this.opts.natsUrl,
      name: `shebao-${this.opts.self}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      waitOnFirstConnect: true,
    });
    const jsm = await jetstreamManager(this.nc);
    try {
      await jsm.streams.info(STREAM);
    } catch {
      try {
        await jsm.streams.add({
          name: STREAM,
          subjects: ['fed.>'],
          duplicate_window: 3_600_000_000_000, // 1 h in ns: a republish after a crash is dropped
        });
      } catch (e) {
        // another node created it at the same moment
        await jsm.streams.info(STREAM).catch(() => {
          throw e;
        });
      }
    }
    const durable = `node_${this.opts.self}`;
    await jsm.consumers.add(STREAM, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: subjectOf(this.opts.self, '>'),
      ack_wait: (this.opts.ackWaitSeconds ?? 4) * 1_000_000_000,
      max_ack_pending: 1000,
    });
    this.js = jetstream(this.nc);
    this.loops.push(this.relayLoop(), this.consumeLoop(durable));
  }

  /** The relay looks at the outbox now rather than at its next tick (after a commit that enqueued). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    await Promise.allSettled(this.loops);
    await this.nc?.drain().catch(() => undefined);
  }

  private async relayLoop(): Promise<void> {
    while (!this.stopped) {
      let sent = 0;
      try {
        sent = await this.relayOnce();
      } catch (e) {
        this.opts.log?.warn({ err: e }, 'federation relay: will retry');
        await sleep(500);
      }
      if (sent === 0 && !this.stopped)
        await new Promise<void>((r) => {
          const t = setTimeout(r, 200);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
    }
  }

  /**
   * Publishes pending outbox rows, a batch at a time: every row of the batch is signed and handed to
   * the broker without waiting (one connection keeps them in order), the broker's acks are awaited
   * together, and the rows acknowledged — up to the first one that was not — are marked in one
   * statement. A row is marked only after the broker stored it; one published but not marked (a crash,
   * or a failure earlier in the batch) is published again and the broker's duplicate window (msgID)
   * drops the copy.
   */
  async relayOnce(): Promise<number> {
    const js = this.js;
    if (!js) return 0;
    const t0 = performance.now();
    const rows = await sql<{
      id: string;
      msg_id: string;
      to_node: string;
      kind: string;
      body: unknown;
      created_at: unknown;
    }>`
      SELECT id, msg_id, to_node, kind, body, created_at FROM fed_outbox WHERE published_at IS NULL ORDER BY id LIMIT 200`.execute(
      this.db,
    );
    if (rows.rows.length === 0) return 0;
    const t1 = performance.now();
    const acks: Promise<unknown>[] = [];
    for (const r of rows.rows) {
      const env: Envelope = {
        id: r.msg_id,
        from: this.opts.self,
        to: r.to_node,
        kind: r.kind,
        at: new Date(String(r.created_at)).toISOString(),
        body: r.body,
      };
      const bytes = Buffer.from(JSON.stringify(env), 'utf8');
      const h = headers();
      h.set(SIGNATURE_HEADER, signBytes(this.opts.keys.privateKey, bytes));
      this.opts.hook?.('relay.before-publish', r.kind);
      acks.push(
        js.publish(subjectOf(r.to_node, r.kind), bytes, { msgID: r.msg_id, headers: h, timeout: 5000 }),
      );
    }
    const t2 = performance.now();
    const settled = await Promise.allSettled(acks);
    const t3 = performance.now();
    let stored = 0;
    while (stored < settled.length && settled[stored]?.status === 'fulfilled') stored++;
    for (const r of rows.rows.slice(0, stored)) this.opts.hook?.('relay.after-publish', r.kind);
    if (stored > 0) {
      const ids = rows.rows.slice(0, stored).map((r) => String(r.id));
      await sql`UPDATE fed_outbox SET published_at = now() WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[])`.execute(
        this.db,
      );
    }
    const t4 = performance.now();
    this.stats.published += stored;
    const tm = this.timings;
    tm.relayBatches++;
    tm.relayReadMs += t1 - t0;
    tm.relaySignMs += t2 - t1;
    tm.relayBrokerMs += t3 - t2;
    tm.relayMarkMs += t4 - t3;
    const failed = settled[stored];
    if (failed?.status === 'rejected') throw failed.reason;
    return rows.rows.length;
  }

  private async consumeLoop(durable: string): Promise<void> {
    while (!this.stopped) {
      try {
        const js = this.js;
        if (!js) return;
        const consumer = await js.consumers.get(STREAM, durable);
        while (!this.stopped) {
          const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
          await this.receiveBatch(batch);
        }
      } catch (e) {
        if (this.stopped) return;
        this.opts.log?.warn({ err: e }, 'federation consumer: will retry');
        await sleep(500);
      }
    }
  }

  /**
   * Takes a fetched batch in with up to `concurrency` transactions at a time, so that one message's
   * database round trips overlap another's. Messages about the same person or case (the same
   * `idHash`, else the same `ref`) keep their order in one lane; messages that name neither share one
   * lane. Each message is still its own transaction (inbox row + effect) acknowledged after commit. After
   * a failure no further message is started; the unacknowledged ones are redelivered.
   */
  private async receiveBatch(batch: AsyncIterable<JsMsg>): Promise<void> {
    const limit = Math.max(1, this.opts.concurrency ?? 4);
    const lanes = new Map<string, Promise<void>>();
    const running = new Set<Promise<void>>();
    let failure: { e: unknown } | null = null;
    for await (const m of batch) {
      if (this.stopped || failure) break;
      const lane = laneOf(m.data);
      const p = (lanes.get(lane) ?? Promise.resolve())
        .then(() => (failure || this.stopped ? undefined : this.receive(m)))
        .catch((e: unknown) => {
          failure ??= { e };
        });
      lanes.set(lane, p);
      running.add(p);
      void p.finally(() => running.delete(p));
      while (running.size >= limit) await Promise.race(running);
    }
    await Promise.all(running);
    if (failure) throw (failure as { e: unknown }).e;
  }

  /** One message: check, then inbox row + effect in one transaction, then ack. */
  async receive(m: JsMsg): Promise<void> {
    const t0 = performance.now();
    const { env, refusal } = checkMessage(
      this.opts.self,
      m.subject,
      m.data,
      m.headers?.get(SIGNATURE_HEADER) || undefined,
      this.opts.keys,
    );
    if (refusal !== null || env === null) {
      await this.refuse(env, refusal ?? 'unreadable');
      m.term();
      return;
    }
    const t1 = performance.now();
    const result = await takeIn(this.db, env, this.opts.handlers[env.kind], this.opts.hook, this.opts.log);
    this.timings.checkMs += t1 - t0;
    this.timings.takeInMs += performance.now() - t1;
    if (result.replay) {
      // Redelivery of a message already taken in (the ack was lost) or a replay: no second effect.
      this.stats.duplicates++;
      if (m.info.deliveryCount <= 1) await this.refuse(env, 'replay: message id already received');
    } else {
      this.stats.applied++;
      this.opts.hook?.('consume.after-commit', env.kind);
      this.poke();
    }
    m.ack();
  }

  private async refuse(env: Envelope | null, reason: string): Promise<void> {
    this.stats.refused++;
    this.opts.log?.warn(
      { msgId: env?.id, from: env?.from, kind: env?.kind, reason },
      'federation: message refused',
    );
    await sql`INSERT INTO fed_refused (msg_id, claimed_from, kind, reason)
      VALUES (${env?.id ?? null}, ${env?.from ?? null}, ${env?.kind ?? null}, ${reason})`.execute(this.db);
  }
}
