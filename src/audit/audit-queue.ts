// Staff reads' audit entries (issue 18). The reads that arrive while a write is on its way are written
// together (QueueBatcher), and each read answers only once its own entries are durable. A batch goes
// straight into the chain (audit_log) when that costs no wait: one statement takes the chain's lock
// without waiting, finds no entry queued and the head this process last saw, and inserts the entries
// chained after it (appendReadsIfFree). Otherwise — the lock held by a job's transaction, another
// process or this process's writer; entries queued; another head — the batch is queued (audit_queue)
// and the writer below chains it, in queue order, one writer per database handle in this process;
// writers of several processes take the chain's lock per batch (src/audit/audit.repository.ts). So a
// read's write never waits for the chain's lock (a queued read may wait for the idle writer's batch).
//
// Order: the chain holds entries in the order they were written into it. A batch goes into the chain
// directly only when nothing is queued (looked at under the lock), so it never passes an entry that was
// durable before it; queued entries are chained in queue order (an entry whose insert committed after
// later ones were taken is chained by a later batch). Entries of concurrent reads have no promised order.
//
// A request whose batch was queued and that finds the writer idle waits for its own entry to be chained
// (the first batch only), so a person's access log and the audit list show a read at once; under load
// it only queues and the running writer picks its entries up in its next batch. The queue is drained
// when the server starts (entries a crash left), every second, on shutdown, and before every reader of
// the log (verify, the supervisor's list, the person's access log).
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import { now } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import {
  GENESIS_HASH,
  appendReadsIfFree,
  chainQueuedBatch,
  prepareReads,
  queueAuditMany,
  type AuditEntry,
  type ReadEntries,
} from './audit.repository.ts';

/** How often a busy writer takes from the queue's start, and how far below its last id it looks. */
const FROM_START_MS = 1000;
const TAKE_MARGIN = 1000;

class AuditWriter {
  private running: Promise<void> | null = null;
  /** Resolves when the running drain's first batch has ended (committed or failed). */
  private firstBatch: Promise<void> = Promise.resolve();
  private again = false;
  /** The highest queue id this writer has chained, and when a batch last took from the queue's start. */
  private lastTaken = 0;
  private fromStartAt = 0;
  failures = 0;
  /** The chain's head as this process last wrote or found it: what a direct append expects. */
  head = GENESIS_HASH;

  constructor(private readonly db: Db) {}

  get idle(): boolean {
    return this.running === null;
  }

  /**
   * Starts a drain, or asks the running one to look again; resolves when the queue was found empty.
   * `queued`: the caller has just queued an entry (no need to look whether the queue is empty).
   */
  kick(queued = false): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    let firstDone!: () => void;
    this.firstBatch = new Promise<void>((resolve) => (firstDone = resolve));
    this.running = this.loop(queued, firstDone).finally(() => {
      firstDone();
      this.running = null;
    });
    return this.running;
  }

  /**
   * Starts a drain when none runs and resolves once its first batch has ended: that batch takes the
   * queue's oldest 500 entries, so it holds an entry queued just before (issue 18: a read waited for
   * the whole drain, which under a steady load of reads never found the queue empty).
   */
  kickFirstBatch(queued = false): Promise<void> {
    if (this.running) {
      this.again = true;
      return Promise.resolve();
    }
    void this.kick(queued);
    return this.firstBatch;
  }

  /**
   * Runs `fn` while this process's writer takes nothing: its ticks and kicks meanwhile wait, and the
   * next kick after `fn` chains what is queued. The crash tests stand in for a writer that died;
   * without this, the server's one-second tick could chain their entries first.
   */
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    while (this.running) await this.running;
    let release!: () => void;
    this.running = new Promise<void>((resolve) => (release = resolve));
    try {
      return await fn();
    } finally {
      this.running = null;
      release();
    }
  }

  private async loop(queued: boolean, firstDone: () => void): Promise<void> {
    for (let first = true; ; first = false) {
      // Known to hold entries: the caller has just queued, or a read queued while the last batch ran
      // (issue 18: the look for an empty queue ran before every batch under load — a scan of a table
      // full of the rows the batches before had deleted, ~1 ms each).
      const known = first ? queued : this.again;
      this.again = false;
      // A drain's first batch, and one a second under a steady load, takes from the queue's start
      // (entries that committed after later ones were taken); the others start near what this
      // writer last took, past the deleted rows (chainQueuedBatch).
      const fromStart = first || performance.now() - this.fromStartAt >= FROM_START_MS;
      if (fromStart) this.fromStartAt = performance.now();
      let n = 0;
      try {
        const r = await chainQueuedBatch(this.db, {
          known,
          above: fromStart ? 0 : Math.max(0, this.lastTaken - TAKE_MARGIN),
        });
        n = r.chained;
        this.lastTaken = Math.max(this.lastTaken, r.lastId);
        if (r.head !== null) this.head = r.head;
      } catch {
        // The entries stay queued (the batch rolled back); the next kick or tick retries.
        this.failures += 1;
        return;
      } finally {
        if (first) firstDone();
      }
      if (n === 0 && !this.again) return;
    }
  }
}

const writers = new WeakMap<Db, AuditWriter>();

export function auditWriter(db: Db): AuditWriter {
  let w = writers.get(db);
  if (!w) {
    w = new AuditWriter(db);
    writers.set(db, w);
  }
  return w;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error('audit queue: the insert failed'));

/** An error the database answered (a SQLSTATE): the statement did not commit, so writing again doubles nothing. */
const answeredByDatabase = (e: unknown): boolean =>
  typeof (e as { code?: unknown } | null)?.code === 'string' &&
  /^[0-9A-Z]{5}$/.test((e as { code: string }).code);

interface QueueRequest extends ReadEntries {
  /** `chained`: the entries are in the chain; otherwise queued, for the writer. */
  done: (err?: Error, chained?: boolean) => void;
}

/**
 * Group commit of staff reads' entries (issue 18): the entries of every read that arrives while a write
 * is on its way go into the next write together, one statement and one commit for all of them. Each
 * read returns only once its own entries are durable. A batch is appended to the chain directly when
 * that costs no wait, else queued; a failed queue insert is retried read by read, so one read's bad
 * entry fails that read alone.
 */
class QueueBatcher {
  private pending: QueueRequest[] = [];
  private flushing = false;

  constructor(private readonly db: Db) {}

  /** Resolves with whether the entries went straight into the chain (else they are queued). */
  add(actor: Actor, entries: readonly AuditEntry[]): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({
        actor,
        entries,
        at: now().toISOString(),
        done: (err, chained = false) => (err === undefined ? resolve(chained) : reject(err)),
      });
      if (!this.flushing) {
        this.flushing = true;
        void this.flush();
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      // Reads answered in the same turn of the event loop join the first write too.
      await new Promise<void>((r) => setImmediate(r));
      while (this.pending.length > 0) {
        const batch: QueueRequest[] = [];
        let rows = 0;
        while (
          this.pending.length > 0 &&
          (batch.length === 0 || rows + this.pending[0]!.entries.length <= 500)
        ) {
          const next = this.pending.shift()!;
          rows += next.entries.length;
          batch.push(next);
        }
        try {
          if (await this.appendDirect(batch)) {
            for (const b of batch) b.done(undefined, true);
            continue;
          }
        } catch (err) {
          // The database refused the batch (a bad entry): the queue's insert, read by read, finds
          // which. Anything else (the connection lost) may have committed: the batch fails.
          if (!answeredByDatabase(err)) {
            for (const b of batch) b.done(asError(err));
            continue;
          }
        }
        try {
          await queueAuditMany(this.db, batch);
          for (const b of batch) b.done();
        } catch (err) {
          if (batch.length === 1) batch[0]!.done(asError(err));
          else
            for (const b of batch)
              await queueAuditMany(this.db, [b]).then(
                () => b.done(),
                (e: unknown) => b.done(asError(e)),
              );
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * The batch straight into the chain, after the head this process last saw; a second try after the
   * head the first found (another writer moved it). False: the lock was busy or entries were queued.
   */
  private async appendDirect(batch: readonly QueueRequest[]): Promise<boolean> {
    const writer = auditWriter(this.db);
    const reads = prepareReads(batch);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const r = await appendReadsIfFree(this.db, writer.head, reads);
      if (r.head === null) return false;
      writer.head = r.head;
      if (r.chained) return true;
    }
    return false;
  }
}

const batchers = new WeakMap<Db, QueueBatcher>();

/**
 * Audits reads: the entries are durable (in the chain, or queued for the writer) when this returns.
 * Queued while the writer was idle, the call waits for the batch that chains them, so an unloaded
 * server shows the entry at once.
 */
export async function auditReads(db: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new QueueBatcher(db);
    batchers.set(db, batcher);
  }
  if (await batcher.add(actor, entries)) return;
  // Idle writer: wait for the first batch (it holds these entries); busy: its next batch takes them.
  await auditWriter(db).kickFirstBatch(true);
}

/** Runs the writer beside the server: at start (what a crash left), every second, and on close. */
export function installAuditWriter(app: FastifyInstance, db: Db, tickMs = 1000): void {
  const w = auditWriter(db);
  let timer: NodeJS.Timeout | null = null;
  app.addHook('onReady', async () => {
    await w.kick();
    timer = setInterval(() => void w.kick(), tickMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await w.kick();
  });
}
