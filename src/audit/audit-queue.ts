// The audit writer: staff reads are queued (audit_queue, in the reading request) and chained into
// audit_log here, in queue order, by one writer per database handle in this process — so a read
// never waits for the chain's lock, and concurrent reads share one insert (QueueBatcher). Several
// processes may run writers: each batch takes the chain's lock (src/audit/audit.repository.ts).
//
// A request that finds the writer idle waits for its own entry to be chained (the first batch only), so
// a person's access log and the audit list show a read at once when the server is not busy; under
// load the requests only queue and the running writer picks their entries up in its next batch.
// The queue is drained when the server starts (entries a crash left), every second, on shutdown,
// and before every reader of the log (verify, the supervisor's list, the person's access log).
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';
import { chainQueuedBatch, queueAuditMany, type AuditEntry } from './audit.repository.ts';

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

interface QueueRequest {
  actor: Actor;
  entries: readonly AuditEntry[];
  at: string;
  done: (err?: Error) => void;
}

/**
 * Group commit of the queue (issue 18): the entries of every read that arrives while an insert is
 * on its way go into the next insert together, one statement and one commit for all of them instead
 * of one each. Each read still returns only once its own entries are committed. A failed insert is
 * retried read by read, so one read's bad entry fails that read alone.
 */
class QueueBatcher {
  private pending: QueueRequest[] = [];
  private flushing = false;

  constructor(private readonly db: Db) {}

  add(actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({
        actor,
        entries,
        at: new Date().toISOString(),
        done: (err) => (err === undefined ? resolve() : reject(err)),
      });
      if (!this.flushing) {
        this.flushing = true;
        void this.flush();
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      // Reads answered in the same turn of the event loop join the first insert too.
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
}

const batchers = new WeakMap<Db, QueueBatcher>();

/**
 * Audits reads: queues the entries (durable when this returns) and hands them to the writer. When
 * the writer was idle the call waits for the batch that chains them, so an unloaded server shows the
 * entry at once.
 */
export async function auditReads(db: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new QueueBatcher(db);
    batchers.set(db, batcher);
  }
  await batcher.add(actor, entries);
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
