// The skeleton every monthly payroll shares (pension, unemployment benefit, work injury): a run of a
// period for a region split into chunks of source ids, each chunk one transaction, resumable and
// crash-safe, posting to the ledger and writing the bank's file. The job supplies only what differs —
// how it finds its chunk starts, what a chunk writes and books — and gets these guarantees:
//   - one run per (period, region): starters are serialised by an advisory lock, a second start
//     resumes the first run with the chunk bounds it fixed (a new source row cannot shift a chunk);
//   - a chunk takes its own lock, skips itself when already recorded, writes, calls the test hook
//     insideChunk(n) (a crash there rolls the whole chunk back), records the chunk row and advances the
//     run (and its `job_run`, when the kind has one) in the same transaction; afterChunk(n) right after
//     the commit. Chunks count from 1; several may run at once (MonthlyRunOptions.workers);
//   - the completion is audited in the transaction of the chunk that finds all the others recorded.
// Table and column names come from the job's constant `MonthlyRunKind`, never from input.
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { once } from 'node:events';
import { sql, type RawBuilder } from 'kysely';
import type { PayrollRun } from './ledger.audit-actions.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { now, today } from '../core/clock.ts';
import { csvLine, csvNumber, csvText } from '../core/csv.ts';
import { addPeriods, parsePeriod, periodEnd, periodOf, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatYuan } from '../core/money.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';

/** A chunk: source ids from..to inclusive (to null: the last chunk, open-ended). */
export interface ChunkBounds {
  from: number;
  to: number | null;
}

/** Crash points for tests, passed by the crash test's child process; never read from the environment. */
export interface MonthlyRunHooks {
  insideChunk?: (chunkNo: number) => void;
  afterChunk?: (chunkNo: number) => void;
}

export interface MonthlyRunKind {
  /** `job_run.kind` of the run, or null when the run keeps no `job_run` row */
  jobKind: string | null;
  /** first key of the advisory lock that serialises starters of one (period, region) */
  lockClass: number;
  runTable: string;
  chunkTable: string;
  /** the run table's region column */
  regionColumn: 'region' | 'region_code';
  /** audit actions `<auditAction>.start` and `<auditAction>.complete` */
  auditAction: PayrollRun;
  /** run columns the completion audit reports next to the period (in this order) */
  completeColumns: readonly string[];
  /** the run row has `updated_at`, stamped by each chunk */
  hasUpdatedAt: boolean;
}

/** A run row as every kind has it. */
export interface MonthlyRunRow {
  id: number;
  status: 'running' | 'done' | 'failed';
  region: string;
  chunks_total: number;
  chunk_bounds: ChunkBounds[];
}

/** A monthly run is for a period up to next month by the server's clock; later ones are refused. */
export function checkRunPeriod(period: Period): void {
  const latest = addPeriods(periodOf(today()), 1);
  if (period > latest)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'period',
      zh: `发放期间不得晚于下月（${latest}）`,
      en: `the payroll period may be at most next month (${latest})`,
    });
}

/** The checks before a run: a valid period not after next month, a positive chunk size, a known region. */
export async function checkRunInput(
  db: Db,
  opts: { period: string; region: string; chunkSize?: number | undefined },
  defaultChunk: number,
): Promise<{ period: Period; chunkSize: number }> {
  const period = parsePeriod(opts.period);
  checkRunPeriod(period);
  const chunkSize = opts.chunkSize ?? defaultChunk;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'chunkSize',
      zh: '每批人数须为正整数',
      en: 'a chunk holds a positive whole number of people',
    });
  if (!(await db.selectFrom('region').select('code').where('code', '=', opts.region).executeTakeFirst()))
    throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
  return { period, chunkSize };
}

/**
 * The ids that start each chunk: every chunkSize-th id of `ids` (a SELECT of one column `id`) in
 * id order, turned into bounds. The ids are sorted once into an array and every chunkSize-th element
 * taken: a window's row_number() spooled and numbered every id, then filtered all but a few (at
 * 1,000,000 awards 0.8–1.2 s against 0.5–0.7 s, a tenth of the pension payroll). The array holds 8
 * bytes an id in the backend for the statement.
 */
async function chunkBoundsOf(tx: Db, ids: RawBuilder<unknown>, chunkSize: number): Promise<ChunkBounds[]> {
  const starts = await sql<{ id: unknown }>`
    SELECT x.a[i] AS id FROM (SELECT array_agg(s.id ORDER BY s.id) AS a FROM (${ids}) s) x,
      generate_series(1, coalesce(array_length(x.a, 1), 0), ${chunkSize}::int) i
    ORDER BY i`.execute(tx);
  return starts.rows.map((r, i) => ({
    from: int(r.id),
    to: i + 1 < starts.rows.length ? int(starts.rows[i + 1]?.id) - 1 : null,
  }));
}

/** The run of a period and region, if one has started. */
export async function findRun(
  db: Db,
  kind: MonthlyRunKind,
  period: string,
  region: string,
): Promise<MonthlyRunRow | undefined> {
  const r = await sql<{
    id: unknown;
    status: MonthlyRunRow['status'];
    region: string;
    chunks_total: unknown;
    chunk_bounds: unknown;
  }>`
    SELECT id, status, ${sql.ref(kind.regionColumn)} AS region, chunks_total, chunk_bounds FROM ${sql.table(kind.runTable)}
    WHERE period = ${period} AND ${sql.ref(kind.regionColumn)} = ${region}`.execute(db);
  const row = r.rows[0];
  if (!row) return undefined;
  const bounds: unknown =
    typeof row.chunk_bounds === 'string' ? (JSON.parse(row.chunk_bounds) as unknown) : row.chunk_bounds;
  return {
    id: int(row.id),
    status: row.status,
    region: row.region.trim(),
    chunks_total: int(row.chunks_total),
    chunk_bounds: bounds as ChunkBounds[],
  };
}

/** The run of a period that must be finished (for its bank file). */
export async function doneRun(
  db: Db,
  kind: MonthlyRunKind,
  period: string,
  region: string,
): Promise<MonthlyRunRow> {
  const run = await findRun(db, kind, period, region);
  if (!run || run.status !== 'done')
    throw new SbError('SB_ERR_CONFLICT', {
      zh: '本期发放尚未完成',
      en: 'the payroll of this period is not complete',
    });
  return run;
}

/** Starts the run of the period (fixing its chunk bounds over `ids`) or finds the one started. */
export async function startOrResumeRun(
  db: Db,
  actor: Actor,
  kind: MonthlyRunKind,
  q: { period: Period; region: string; chunkSize: number; ids: RawBuilder<unknown> },
): Promise<{ runId: number; bounds: ChunkBounds[] }> {
  const { period, region, chunkSize } = q;
  return db.transaction().execute(async (tx) => {
    // Serialise starters of the same run (two clerks pressing the button at once).
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(kind.lockClass)}, hashtext(${`${region}:${period}`}))`.execute(
      tx,
    );
    const existing = await findRun(tx, kind, period, region);
    if (existing) return { runId: existing.id, bounds: existing.chunk_bounds };
    const bounds = await chunkBoundsOf(tx, q.ids, chunkSize);
    // The app's clock, not the database's: the demo seed's past runs carry the days they were run on.
    const nowIso = now().toISOString();
    const status = bounds.length === 0 ? 'done' : 'running';
    let jobRunId: number | null = null;
    if (kind.jobKind !== null) {
      const job = await tx
        .insertInto('job_run')
        .values({
          kind: kind.jobKind,
          key: `${region}:${period}`,
          status,
          total: bounds.length,
          detail: JSON.stringify({ period, region }),
          started_at: nowIso,
          updated_at: nowIso,
        })
        .onConflict((oc) =>
          oc.columns(['kind', 'key']).doUpdateSet({ status: 'running', updated_at: nowIso }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      jobRunId = int(job.id);
    }
    const jobCol = kind.jobKind !== null ? sql`, job_run_id` : sql``;
    const jobVal = kind.jobKind !== null ? sql`, ${jobRunId}` : sql``;
    const run = await sql<{ id: unknown }>`
      INSERT INTO ${sql.table(kind.runTable)} (period, ${sql.ref(kind.regionColumn)}, status${jobCol}, chunk_size, chunk_bounds,
        chunks_total, started_by, started_at, finished_at)
      VALUES (${period}, ${region}, ${status}${jobVal}, ${chunkSize}, ${JSON.stringify(bounds)}::jsonb, ${bounds.length},
        ${actor.username}, ${nowIso}::timestamptz, ${bounds.length === 0 ? nowIso : null}::timestamptz)
      RETURNING id`.execute(tx);
    const runId = int(run.rows[0]?.id);
    await appendAudit(tx, actor, {
      action: `${kind.auditAction}.start`,
      entityType: kind.runTable,
      entityId: runId,
      region,
      after: { period, region, chunks: bounds.length, chunkSize },
    });
    return { runId, bounds };
  });
}

/** What a chunk wrote: the chunk row's own columns and the increments of the run's totals. */
export interface ChunkOutcome {
  chunk: Record<string, number | null>;
  totals: Record<string, number>;
}

export interface ChunkContext {
  tx: Db;
  chunkNo: number;
  bounds: ChunkBounds;
  /** the day the chunk's ledger entries carry: today, or the period's last day if that is earlier */
  entryDate: string;
}

/**
 * One chunk in one transaction; false when the run is not running or the chunk was already done.
 * Chunks of one run may run at once on several connections (runChunks' workers, or a second process
 * resuming the same run): what makes a chunk exclusive is its own advisory lock, taken first — a
 * second taker waits for the first's commit or rollback, then finds the chunk recorded or does it.
 * The run row is locked only by the closing update, at the end: held for the whole chunk it made
 * every chunk of the run wait for the one before. That update counts the chunk and, when the count
 * reaches the total, marks the run done; the count is the committed one (a waiting UPDATE re-reads
 * the row), so exactly one chunk — the one that finds all others recorded — closes the run and
 * audits its completion. Locks are taken in one order in every chunk (its advisory lock, its own
 * rows, the run row, the `job_run` row), so two chunks cannot deadlock on them.
 */
async function runOneChunk(
  db: Db,
  actor: Actor,
  kind: MonthlyRunKind,
  run: { runId: number; period: Period; region: string },
  chunkNo: number,
  bounds: ChunkBounds,
  hooks: MonthlyRunHooks,
  body: (c: ChunkContext) => Promise<ChunkOutcome>,
): Promise<boolean> {
  const { runId, period } = run;
  const runTable = sql.table(kind.runTable);
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(kind.lockClass)}, hashtext(${`chunk:${runId}:${chunkNo}`}))`.execute(
      tx,
    );
    const state = await sql<{ status: string }>`SELECT status FROM ${runTable} WHERE id = ${runId}`.execute(
      tx,
    );
    if (state.rows[0]?.status !== 'running') return false;
    const done =
      await sql`SELECT 1 FROM ${sql.table(kind.chunkTable)} WHERE run_id = ${runId} AND chunk_no = ${chunkNo}`.execute(
        tx,
      );
    if (done.rows.length > 0) return false;
    const entryDate = today() < periodEnd(period) ? today() : periodEnd(period);
    const out = await body({ tx, chunkNo, bounds, entryDate });
    hooks.insideChunk?.(chunkNo);
    const cols = Object.keys(out.chunk);
    // The chunk's and the run's stamps by the app's clock (the demo seed's past runs: their own day).
    const at = sql`${now().toISOString()}::timestamptz`;
    await sql`INSERT INTO ${sql.table(kind.chunkTable)} (run_id, chunk_no, done_at${sql.join(
      cols.map((c) => sql`, ${sql.ref(c)}`),
      sql``,
    )})
      VALUES (${runId}, ${chunkNo}, ${at}${sql.join(
        cols.map((c) => sql`, ${out.chunk[c]}`),
        sql``,
      )})`.execute(tx);
    const adds = Object.entries(out.totals).map(([c, v]) => sql`, ${sql.ref(c)} = ${sql.ref(c)} + ${v}`);
    const stamp = kind.hasUpdatedAt ? sql`, updated_at = ${at}` : sql``;
    const closes = sql`chunks_done + 1 >= chunks_total`;
    const closed = await sql<{
      status: string;
    }>`UPDATE ${runTable} SET chunks_done = chunks_done + 1${sql.join(adds, sql``)}${stamp},
      status = CASE WHEN ${closes} THEN 'done' ELSE 'running' END, finished_at = CASE WHEN ${closes} THEN ${at} END
      WHERE id = ${runId} RETURNING status`.execute(tx);
    const last = closed.rows[0]?.status === 'done';
    if (kind.jobKind !== null)
      await sql`UPDATE job_run SET done = done + 1, updated_at = ${at}, status = ${last ? 'done' : 'running'},
        finished_at = ${last ? at : sql`NULL`}
        WHERE id = (SELECT job_run_id FROM ${runTable} WHERE id = ${runId})`.execute(tx);
    if (last) {
      let after: Record<string, unknown> = { period };
      if (kind.completeColumns.length > 0) {
        const t = await sql<
          Record<string, unknown>
        >`SELECT ${sql.join(kind.completeColumns.map((c) => sql.ref(c)))}
          FROM ${runTable} WHERE id = ${runId}`.execute(tx);
        after = { period, ...t.rows[0] };
      }
      await appendAudit(tx, actor, {
        action: `${kind.auditAction}.complete`,
        entityType: kind.runTable,
        entityId: runId,
        region: run.region,
        after,
      });
    }
    return true;
  });
}

/**
 * Runs every chunk of the run not yet recorded; `body` writes one chunk inside its transaction and
 * answers what to record. `workers` chunks at a time, each worker on its own connection taking the
 * next chunk not yet taken (1: in order, one after the other). A failing chunk stops the workers
 * from taking more; the chunks already under way finish (or fail) whole, then the first error is
 * thrown. onProgress(done, total, stage) after each chunk. Answers how many chunks this call ran.
 */
export async function runChunks(
  db: Db,
  actor: Actor,
  kind: MonthlyRunKind,
  run: { runId: number; bounds: ChunkBounds[]; period: Period; region: string },
  opts: {
    hooks?: MonthlyRunHooks | undefined;
    onProgress?: ((done: number, total: number, stage: string) => void) | undefined;
    stage: string;
    workers?: number | undefined;
  },
  body: (c: ChunkContext) => Promise<ChunkOutcome>,
): Promise<number> {
  const recorded = await sql<{ chunk_no: number }>`
    SELECT chunk_no FROM ${sql.table(kind.chunkTable)} WHERE run_id = ${run.runId}`.execute(db);
  const doneChunks = new Set(recorded.rows.map((r) => int(r.chunk_no)));
  const todo = [...run.bounds.entries()].filter(([i]) => !doneChunks.has(i + 1));
  let done = doneChunks.size;
  let ran = 0;
  let next = 0;
  let failure: { error: unknown } | undefined;
  opts.onProgress?.(done, run.bounds.length, opts.stage);
  const worker = async (): Promise<void> => {
    for (let t = todo[next++]; t !== undefined && failure === undefined; t = todo[next++]) {
      const [i, b] = t;
      const chunkNo = i + 1;
      try {
        if (await runOneChunk(db, actor, kind, run, chunkNo, b, opts.hooks ?? {}, body)) {
          done += 1;
          ran += 1;
          opts.onProgress?.(done, run.bounds.length, opts.stage);
          opts.hooks?.afterChunk?.(chunkNo);
        }
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const workers = Math.max(1, Math.min(opts.workers ?? 1, todo.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
  return ran;
}

/** The sums over a run's recorded chunks: `chunks` (their count) and each named column. */
export async function chunkTotals<C extends string>(
  db: Db,
  kind: MonthlyRunKind,
  runId: number,
  columns: readonly C[],
): Promise<Record<C | 'chunks', number>> {
  const sums = columns.map((c) => sql`, coalesce(sum(${sql.ref(c)}), 0)::bigint AS ${sql.ref(c)}`);
  const r = await sql<Record<string, unknown>>`
    SELECT count(*) AS chunks${sql.join(sums, sql``)} FROM ${sql.table(kind.chunkTable)} WHERE run_id = ${runId}`.execute(
    db,
  );
  const row = r.rows[0] ?? {};
  const out = { chunks: int(row['chunks']) } as Record<C | 'chunks', number>;
  for (const c of columns) out[c] = int(row[c]);
  return out;
}

/** The input every monthly run takes (the job's options as the caller gives them). */
export interface MonthlyRunOptions {
  period: string;
  region: string;
  chunkSize?: number | undefined;
  onProgress?: ((done: number, total: number, stage: string) => void) | undefined;
  hooks?: MonthlyRunHooks | undefined;
  /** chunks run at once, each on its own connection (default 1; PGlite has one connection) */
  workers?: number | undefined;
}

/** What a chunk body is told about its run besides its chunk. */
export interface MonthlyRunRef {
  runId: number;
  period: Period;
  region: string;
}

/** What a monthly run's chunk body gets: its chunk and its run. */
export type MonthlyChunk = ChunkContext & MonthlyRunRef;

/**
 * A whole run as every monthly payroll does it: checks the input, starts (fixing the chunk bounds
 * over `job.ids`) or resumes the run, and runs the chunks not yet recorded through `job.body`.
 * Answers the run and how many chunks this call ran.
 */
export async function runMonthly(
  db: Db,
  actor: Actor,
  kind: MonthlyRunKind,
  opts: MonthlyRunOptions,
  job: {
    defaultChunk: number;
    stage: string;
    /** a SELECT of one column `id`: the source rows the chunks are cut from */
    ids: RawBuilder<unknown>;
    body: (c: MonthlyChunk) => Promise<ChunkOutcome>;
  },
): Promise<MonthlyRunRef & { ran: number }> {
  const { period, chunkSize } = await checkRunInput(db, opts, job.defaultChunk);
  const region = opts.region;
  const { runId, bounds } = await startOrResumeRun(db, actor, kind, {
    period,
    region,
    chunkSize,
    ids: job.ids,
  });
  const ref: MonthlyRunRef = { runId, period, region };
  const ran = await runChunks(
    db,
    actor,
    kind,
    { runId, bounds, period, region },
    { hooks: opts.hooks, onProgress: opts.onProgress, stage: job.stage, workers: opts.workers },
    (c) => job.body({ ...c, ...ref }),
  );
  return { ...ref, ran };
}

/** The part of a run's summary every monthly payroll shares (status not_started when none has begun). */
export interface RunSummaryHead {
  runId: number | null;
  period: Period;
  region: string;
  status: 'not_started' | MonthlyRunRow['status'];
  chunksDone: number;
  chunksTotal: number;
}

/** The state of a period's run for its summary: the shared head and the sums of its chunks' columns. */
export async function runState<C extends string>(
  db: Db,
  kind: MonthlyRunKind,
  q: { period: string; region: string },
  columns: readonly C[],
): Promise<{ head: RunSummaryHead; totals: Record<C, number> }> {
  const period = parsePeriod(q.period);
  const run = await findRun(db, kind, period, q.region);
  const totals = run
    ? await chunkTotals(db, kind, run.id, columns)
    : (Object.fromEntries([['chunks', 0], ...columns.map((c) => [c, 0])]) as Record<C | 'chunks', number>);
  const head: RunSummaryHead = {
    runId: run?.id ?? null,
    period,
    region: run?.region ?? q.region,
    status: run?.status ?? 'not_started',
    chunksDone: totals.chunks,
    chunksTotal: run?.chunks_total ?? 0,
  };
  return { head, totals };
}

/**
 * The past runs of a region, newest period first (at most `limit`): each run's head and the sums of
 * its chunks' columns, as runState answers for one period, in one statement.
 */
export async function runHistory<C extends string>(
  db: Db,
  kind: MonthlyRunKind,
  region: string,
  columns: readonly C[],
  limit: number,
): Promise<Array<{ head: RunSummaryHead; totals: Record<C, number> }>> {
  const sums = columns.map((c) => sql`, coalesce(sum(c.${sql.ref(c)}), 0)::bigint AS ${sql.ref(c)}`);
  const r = await sql<
    Record<string, unknown> & { id: unknown; period: string; status: MonthlyRunRow['status'] }
  >`
    SELECT r.id, r.period, r.status, r.chunks_total, count(c.run_id) AS chunks${sql.join(sums, sql``)}
    FROM ${sql.table(kind.runTable)} r LEFT JOIN ${sql.table(kind.chunkTable)} c ON c.run_id = r.id
    WHERE r.${sql.ref(kind.regionColumn)} = ${region}
    GROUP BY r.id, r.period, r.status, r.chunks_total ORDER BY r.period DESC LIMIT ${limit}`.execute(db);
  return r.rows.map((row) => ({
    head: {
      runId: int(row.id),
      period: parsePeriod(row.period),
      region,
      status: row.status,
      chunksDone: int(row['chunks']),
      chunksTotal: int(row['chunks_total']),
    },
    totals: Object.fromEntries(columns.map((c) => [c, int(row[c])])) as Record<C, number>,
  }));
}

/** The header line of a bank payment file whose reference column is `refColumn` (docs/payroll-bank-file.md). */
export const bankFileHeader = (refColumn: string): string =>
  `seq,id_number,name,bank_name,bank_account,amount_fen,amount_yuan,period,${refColumn},note`;

/** A job's writer of the bank payment file of a finished run: (db, the run's period and region, path). */
export type BankFileWriter = (
  db: Db,
  q: { period: string; region: string },
  path: string,
) => Promise<{ lines: number; totalFen: number }>;

/**
 * The bank file writer of a kind of run (writeBankCsv below): refuses a run not done; the job's
 * `pages` reads the run's payments page by page.
 */
export function bankFileWriter(
  kind: MonthlyRunKind,
  header: string,
  pages: (db: Db, run: MonthlyRunRow, period: Period) => AsyncIterable<BankRow[]>,
): BankFileWriter {
  return async (db, q, path) => {
    const period = parsePeriod(q.period);
    const run = await doneRun(db, kind, period, q.region);
    return writeBankCsv(path, header, period, pages(db, run, period));
  };
}

/** A line of a bank payment file: who is paid, how much, and the reference cell (already formatted). */
export interface BankRow {
  id_number: string;
  name: string;
  bank_name: string | null;
  bank_account: string | null;
  amount: unknown;
  ref: string;
}

/** The reference cell of a bank line as text (a list of ids) or as a number (one id). */
export const bankRefText = (s: string): string => csvText(s);
export const bankRefNumber = (n: unknown, column: string): string => csvNumber(int(n), column);

/**
 * Writes a bank payment file (docs/payroll-bank-file.md): the header, one line per row of each page
 * `pages` yields (numbered across pages), and a `# total,<lines>,<fen>` line. Full account numbers:
 * the file goes to the bank, never to a log. Written page by page to `<path>.part`, then renamed, so
 * memory stays flat and a half-written file never carries the final name.
 */
export async function writeBankCsv(
  path: string,
  header: string,
  period: string,
  pages: AsyncIterable<BankRow[]>,
): Promise<{ lines: number; totalFen: number }> {
  const part = `${path}.part`;
  const out = createWriteStream(part, { encoding: 'utf8', mode: 0o600 });
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`${header}\n`);
  let lines = 0;
  let totalFen = 0;
  for await (const rows of pages) {
    let buf = '';
    for (const r of rows) {
      const amount = int(r.amount);
      lines += 1;
      totalFen += amount;
      // Text cells through csvText (a name beginning with = cannot become a formula); the amounts are the
      // format's numeric cells, written as plain numbers by csvNumber (a negative amount stays -1234).
      buf += csvLine([
        csvNumber(lines, 'seq'),
        csvText(r.id_number),
        csvText(r.name),
        csvText(r.bank_name),
        csvText(r.bank_account),
        csvNumber(amount, 'amount_fen'),
        csvNumber(formatYuan(amount, false), 'amount_yuan'),
        csvText(period),
        r.ref,
        csvText(r.bank_account ? '' : 'NO_ACCOUNT'),
      ]);
    }
    await write(buf);
  }
  await write(`# total,${lines},${totalFen}\n`);
  out.end();
  await once(out, 'finish');
  await rename(part, path);
  return { lines, totalFen };
}
