// The audit writer: staff reads are queued (audit_queue, in the reading request) and chained into
// audit_log here, in queue order, by one writer per database handle in this process — so a read
// never waits for the chain's lock, and concurrent reads cost one insert each. Several processes
// may run writers: each batch takes the chain's lock (src/audit/audit.repository.ts).
//
// A request that finds the writer idle waits for its own entry to be chained (the first batch only), so
// a person's access log and the audit list show a read at once when the server is not busy; under
// load the requests only queue and the running writer picks their entries up in its next batch.
// The queue is drained when the server starts (entries a crash left), every second, on shutdown,
// and before every reader of the log (verify, the supervisor's list, the person's access log).
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';
import { chainQueuedAudit, queueAudit, type AuditEntry } from './audit.repository.ts';

class AuditWriter {
  private running: Promise<void> | null = null;
  /** Resolves when the running drain's first batch has ended (committed or failed). */
  private firstBatch: Promise<void> = Promise.resolve();
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
      this.again = false;
      let n = 0;
      try {
        n = await chainQueuedAudit(this.db, 500, {}, first && queued);
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

/**
 * Audits reads: queues the entries (durable when this returns) and hands them to the writer. When
 * the writer was idle the call waits for the batch that chains them, so an unloaded server shows the
 * entry at once.
 */
export async function auditReads(db: Db, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await queueAudit(db, actor, entries);
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
