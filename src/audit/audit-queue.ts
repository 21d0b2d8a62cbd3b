// Staff reads are audited by group commit (issue 18): the reads that arrive together write their
// entries in one transaction straight into the hash chain (ReadBatcher below), each read answering
// only once that transaction has committed. A batch never waits for the chain's lock: when another
// transaction holds it (a job appending its own entries, another process), the batch is queued
// (audit_queue) instead, and the audit writer here chains queued entries into audit_log in queue
// order. Several processes may run writers and batchers: each takes the chain's lock
// (src/audit/audit.repository.ts).
//
// The queue is drained when the server starts (entries a crash left), every second, on shutdown,
// and before every reader of the log (verify, the supervisor's list, the person's access log).
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';
import { chainOrQueueAudit, chainQueuedAudit, type AuditEntry } from './audit.repository.ts';

class AuditWriter {
  private running: Promise<void> | null = null;
  private again = false;
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
    this.running = this.loop(queued).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async loop(queued: boolean): Promise<void> {
    for (let first = true; ; first = false) {
      // Known to hold entries: the caller has just queued, or a read queued while the last batch ran
      // (issue 18: the look for an empty queue ran before every batch under load — a scan of a table
      // full of the rows the batches before had deleted, ~1 ms each).
      const known = first ? queued : this.again;
      this.again = false;
      let n = 0;
      try {
        n = await chainQueuedAudit(this.db, 500, {}, known);
      } catch {
        // The entries stay queued (the batch rolled back); the next kick or tick retries.
        this.failures += 1;
        return;
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

const asError = (e: unknown): Error =>
  e instanceof Error ? e : new Error('audit: the entry was not written');

interface ReadRequest {
  actor: Actor;
  entries: readonly AuditEntry[];
  at: string;
  done: (err?: Error) => void;
}

/**
 * Group commit of staff reads (issue 18): the entries of every read that arrives while a batch is
 * being written go into the next batch together — one transaction, one commit (one WAL flush) for
 * all of them instead of one per read. A batch goes straight into the chain when its lock is free,
 * and into the queue otherwise (`chainOrQueueAudit`: a read never waits for the chain's lock). Each
 * read returns only once its own entries are committed; a failed batch is retried read by read, so
 * one read's bad entry fails that read alone, and a read whose entries cannot be written fails.
 */
class ReadBatcher {
  private pending: ReadRequest[] = [];
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

  /** Writes a batch; each read is answered as soon as the batch is durable. */
  private async write(batch: readonly ReadRequest[]): Promise<void> {
    let durable = false;
    try {
      const how = await chainOrQueueAudit(this.db, batch, () => {
        durable = true;
        for (const b of batch) b.done();
      });
      if (how === 'queued') void auditWriter(this.db).kick(true);
    } catch (err) {
      // Once durable, only letting go of the lock can have failed (a lost connection lets it go):
      // never written twice.
      if (!durable) throw err;
    }
  }

  private async flush(): Promise<void> {
    try {
      // Reads answered in the same turn of the event loop join the first batch too.
      await new Promise<void>((r) => setImmediate(r));
      while (this.pending.length > 0) {
        const batch: ReadRequest[] = [];
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
          await this.write(batch);
        } catch (err) {
          if (batch.length === 1) batch[0]!.done(asError(err));
          else for (const b of batch) await this.write([b]).catch((e: unknown) => b.done(asError(e)));
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

const batchers = new WeakMap<Db, ReadBatcher>();

/**
 * Audits reads: their entries are durable (chained, or queued when the chain's lock is busy) when
 * this returns, written together with the entries of the reads around them (group commit).
 */
export async function auditReads(db: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new ReadBatcher(db);
    batchers.set(db, batcher);
  }
  await batcher.add(actor, entries);
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
