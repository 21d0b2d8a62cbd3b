// Monthly work-injury payroll (伤残津贴, 生活护理费, 供养亲属抚恤金 paid by the fund), with the pension
// payroll's guarantees (src/pension/payroll.job.ts): set-based SQL in chunks of benefit ids; each
// chunk is one transaction that inserts its payments (ON CONFLICT DO NOTHING on the (benefit, period)
// primary key: one payment per benefit and month), posts the chunk's total to the work-injury fund's
// ledger (idempotency key run + chunk + region), records the chunk and advances the run. A crash leaves
// whole chunks; running the same period again resumes with the first chunk not done and pays nobody
// twice. Allowances owed by the employer (grades 5–6, an uninsured employer) are not paid here.
//
// Test hooks (InjuryPayrollOptions.hooks, passed by the crash test's child process): insideChunk(n)
// runs inside chunk n after its payments are written and before its commit; afterChunk(n) after it.
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { once } from 'node:events';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { csvLine, csvNumber, csvText } from '../core/csv.ts';
import { addPeriods, parsePeriod, periodEnd, periodOf, periodStart, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatYuan } from '../core/money.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import './injury.tables.ts';

export const INJURY_PAYROLL_CHUNK = 20_000;

export interface InjuryPayrollHooks {
  insideChunk?: (chunkNo: number) => void;
  afterChunk?: (chunkNo: number) => void;
}

export interface InjuryPayrollOptions {
  period: string;
  region: string;
  chunkSize?: number;
  hooks?: InjuryPayrollHooks;
}

export interface InjuryPayrollSummary {
  runId: number | null;
  period: string;
  region: string;
  status: 'not_started' | 'running' | 'done';
  chunksDone: number;
  chunksTotal: number;
  payments: number;
  totalFen: number;
}

interface Bounds {
  from: number;
  to: number | null;
}

/** A fund-paid monthly benefit payable in the period (alias b, person p). */
const payableSql = (
  period: Period,
) => sql<boolean>`b.monthly AND b.payer = 'fund' AND b.status IN ('decided', 'paid')
  AND b.from_period <= ${period} AND (b.to_period IS NULL OR b.to_period >= ${period})
  AND (p.death_date IS NULL OR p.death_date >= ${periodStart(period)}::date)`;

async function startOrResume(db: Db, actor: Actor, period: Period, region: string, chunkSize: number) {
  return db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(726354113, hashtext(${`${region}:${period}`}))`.execute(tx);
    const existing = await tx
      .selectFrom('injury_payroll_run')
      .select(['id', 'chunk_bounds'])
      .where('period', '=', period)
      .where('region_code', '=', region)
      .executeTakeFirst();
    if (existing) return { runId: int(existing.id), bounds: existing.chunk_bounds as Bounds[] };
    const starts = await sql<{ id: number }>`
      SELECT id FROM (SELECT b.id, row_number() OVER (ORDER BY b.id) - 1 AS rn FROM injury_benefit b
        WHERE b.monthly AND b.payer = 'fund' AND ${regionCoversSql(sql`b.region_code`, region)}) s
      WHERE rn % ${chunkSize} = 0 ORDER BY id`.execute(tx);
    const bounds: Bounds[] = starts.rows.map((r, i) => ({
      from: int(r.id),
      to: i + 1 < starts.rows.length ? int(starts.rows[i + 1]?.id) - 1 : null,
    }));
    const run = await tx
      .insertInto('injury_payroll_run')
      .values({
        period,
        region_code: region,
        status: bounds.length === 0 ? 'done' : 'running',
        chunk_size: chunkSize,
        chunk_bounds: JSON.stringify(bounds),
        chunks_total: bounds.length,
        started_by: actor.username,
        finished_at: bounds.length === 0 ? new Date().toISOString() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'injury.payroll.start',
      entityType: 'injury_payroll_run',
      entityId: run.id,
      region,
      after: { period, region, chunks: bounds.length, chunkSize },
    });
    return { runId: int(run.id), bounds };
  });
}

async function runChunk(
  db: Db,
  actor: Actor,
  runId: number,
  period: Period,
  region: string,
  chunkNo: number,
  b: Bounds,
  hooks: InjuryPayrollHooks,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const locked = await sql<{ chunks_done: number; chunks_total: number }>`
      UPDATE injury_payroll_run SET chunks_done = chunks_done WHERE id = ${runId} AND status = 'running'
      RETURNING chunks_done, chunks_total`.execute(tx);
    const run = locked.rows[0];
    if (!run) return false;
    const done = await tx
      .selectFrom('injury_payroll_chunk')
      .select('chunk_no')
      .where('run_id', '=', runId)
      .where('chunk_no', '=', chunkNo)
      .executeTakeFirst();
    if (done) return false;
    const range = b.to === null ? sql`b.id >= ${b.from}` : sql`b.id BETWEEN ${b.from} AND ${b.to}`;
    const paid = await sql<{ region_code: string; n: unknown; total: unknown }>`
      WITH src AS MATERIALIZED (
        SELECT b.id, b.person_id, b.region_code, b.amount_fen FROM injury_benefit b JOIN person p ON p.id = b.person_id
        WHERE ${range} AND ${regionCoversSql(sql`b.region_code`, region)} AND ${payableSql(period)}
      ), ins AS (
        INSERT INTO injury_payment (benefit_id, period, person_id, amount_fen, run_id, chunk_no)
        SELECT id, ${period}, person_id, amount_fen, ${runId}, ${chunkNo} FROM src
        ON CONFLICT DO NOTHING
        RETURNING benefit_id, amount_fen
      ), marked AS (
        UPDATE injury_benefit SET status = 'paid' FROM ins WHERE injury_benefit.id = ins.benefit_id AND injury_benefit.status = 'decided'
        RETURNING injury_benefit.id
      )
      SELECT src.region_code, count(*) AS n, coalesce(sum(ins.amount_fen), 0)::bigint AS total
      FROM ins JOIN src ON src.id = ins.benefit_id GROUP BY src.region_code ORDER BY src.region_code`.execute(
      tx,
    );
    hooks.insideChunk?.(chunkNo);
    let payments = 0;
    let totalFen = 0;
    const entryDate = today() < periodEnd(period) ? today() : periodEnd(period);
    for (const r of paid.rows) {
      const amount = int(r.total);
      payments += int(r.n);
      totalFen += amount;
      if (amount <= 0) continue;
      await postEntry(tx, actor, {
        fund: 'injury',
        region: r.region_code.trim(),
        period,
        entryDate,
        kind: 'injury_payroll',
        description: `工伤保险定期待遇发放 ${period} 第${chunkNo}批 / work-injury monthly benefits ${period} chunk ${chunkNo}`,
        idempotencyKey: `injury-payroll:${runId}:${chunkNo}:${r.region_code.trim()}`,
        source: { type: 'injury_payroll_run', id: runId },
        lines: [
          { account: ACCOUNTS.benefitExpenditure, debitFen: amount },
          { account: ACCOUNTS.bank, creditFen: amount },
        ],
      });
    }
    await tx
      .insertInto('injury_payroll_chunk')
      .values({ run_id: runId, chunk_no: chunkNo, payments, total_fen: totalFen })
      .execute();
    const last = run.chunks_done + 1 >= run.chunks_total;
    await sql`UPDATE injury_payroll_run SET chunks_done = chunks_done + 1, payments = payments + ${payments},
      total_fen = total_fen + ${totalFen}, status = ${last ? 'done' : 'running'}, finished_at = ${last ? sql`now()` : sql`NULL`}
      WHERE id = ${runId}`.execute(tx);
    if (last)
      await appendAudit(tx, actor, {
        action: 'injury.payroll.complete',
        entityType: 'injury_payroll_run',
        entityId: runId,
        region,
        after: { period },
      });
    return true;
  });
}

/** Runs (or resumes) the work-injury payroll of a period for a region; answers its summary. */
export async function runInjuryPayroll(
  db: Db,
  actor: Actor,
  opts: InjuryPayrollOptions,
): Promise<InjuryPayrollSummary> {
  const period = parsePeriod(opts.period);
  const latest = addPeriods(periodOf(today()), 1);
  if (period > latest)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'period',
      zh: `发放期间不得晚于下月（${latest}）`,
      en: `the payroll period may be at most next month (${latest})`,
    });
  const chunkSize = opts.chunkSize ?? INJURY_PAYROLL_CHUNK;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'chunkSize',
      zh: String(chunkSize),
      en: String(chunkSize),
    });
  if (!(await db.selectFrom('region').select('code').where('code', '=', opts.region).executeTakeFirst()))
    throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region', zh: opts.region, en: opts.region });
  const { runId, bounds } = await startOrResume(db, actor, period, opts.region, chunkSize);
  const doneChunks = new Set(
    (
      await db.selectFrom('injury_payroll_chunk').select('chunk_no').where('run_id', '=', runId).execute()
    ).map((r) => r.chunk_no),
  );
  for (const [i, b] of bounds.entries()) {
    const chunkNo = i + 1;
    if (doneChunks.has(chunkNo)) continue;
    if (await runChunk(db, actor, runId, period, opts.region, chunkNo, b, opts.hooks ?? {}))
      opts.hooks?.afterChunk?.(chunkNo);
  }
  return injuryPayrollSummary(db, { period, region: opts.region });
}

export async function injuryPayrollSummary(
  db: Db,
  q: { period: string; region: string },
): Promise<InjuryPayrollSummary> {
  const period = parsePeriod(q.period);
  const run = await db
    .selectFrom('injury_payroll_run')
    .selectAll()
    .where('period', '=', period)
    .where('region_code', '=', q.region)
    .executeTakeFirst();
  if (!run)
    return {
      runId: null,
      period,
      region: q.region,
      status: 'not_started',
      chunksDone: 0,
      chunksTotal: 0,
      payments: 0,
      totalFen: 0,
    };
  const t = await sql<{ chunks: unknown; payments: unknown; total: unknown }>`
    SELECT count(*) AS chunks, coalesce(sum(payments), 0)::bigint AS payments, coalesce(sum(total_fen), 0)::bigint AS total
    FROM injury_payroll_chunk WHERE run_id = ${run.id}`.execute(db);
  const r = t.rows[0];
  return {
    runId: int(run.id),
    period,
    region: run.region_code.trim(),
    status: run.status,
    chunksDone: int(r?.chunks),
    chunksTotal: run.chunks_total,
    payments: int(r?.payments),
    totalFen: int(r?.total),
  };
}

export async function listInjuryPayrollRuns(db: Db, regionPattern: string): Promise<InjuryPayrollSummary[]> {
  const runs = await db
    .selectFrom('injury_payroll_run')
    .selectAll()
    .where('region_code', 'like', regionPattern)
    .orderBy('period', 'desc')
    .limit(36)
    .execute();
  return runs.map((run) => ({
    runId: int(run.id),
    period: run.period,
    region: run.region_code.trim(),
    status: run.status,
    chunksDone: run.chunks_done,
    chunksTotal: run.chunks_total,
    payments: run.payments,
    totalFen: int(run.total_fen),
  }));
}

export const INJURY_BANK_FILE_HEADER =
  'seq,id_number,name,bank_name,bank_account,amount_fen,amount_yuan,period,benefit_ids,note';

/** The bank payment file of a finished run: one line per person, the sum of their payments (full accounts: the file goes to the bank). */
export async function writeInjuryBankFile(
  db: Db,
  q: { period: string; region: string },
  path: string,
): Promise<{ lines: number; totalFen: number }> {
  const s = await injuryPayrollSummary(db, q);
  if (s.status !== 'done' || s.runId === null)
    throw new SbError('SB_ERR_CONFLICT', {
      zh: '本期发放尚未完成',
      en: 'the payroll of this period is not complete',
    });
  const rows = await sql<{
    id_number: string;
    name: string;
    bank_name: string | null;
    bank_account: string | null;
    amount: unknown;
    ids: string;
  }>`
    SELECT p.id_number, p.name, p.bank_name, p.bank_account, sum(ip.amount_fen)::bigint AS amount, string_agg(ip.benefit_id::text, ';' ORDER BY ip.benefit_id) AS ids
    FROM injury_payment ip JOIN person p ON p.id = ip.person_id
    WHERE ip.run_id = ${s.runId} GROUP BY p.id, p.id_number, p.name, p.bank_name, p.bank_account ORDER BY p.id`.execute(
    db,
  );
  const part = `${path}.part`;
  const out = createWriteStream(part, { encoding: 'utf8', mode: 0o600 });
  let buf = `${INJURY_BANK_FILE_HEADER}\n`;
  let lines = 0;
  let totalFen = 0;
  for (const r of rows.rows) {
    const amount = int(r.amount);
    lines += 1;
    totalFen += amount;
    buf += csvLine([
      csvNumber(lines),
      csvText(r.id_number),
      csvText(r.name),
      csvText(r.bank_name),
      csvText(r.bank_account),
      csvNumber(amount),
      csvNumber(formatYuan(amount, false)),
      csvText(s.period),
      csvText(r.ids),
      csvText(r.bank_account ? '' : 'NO_ACCOUNT'),
    ]);
  }
  buf += `# total,${lines},${totalFen}\n`;
  out.write(buf);
  out.end();
  await once(out, 'finish');
  await rename(part, path);
  return { lines, totalFen };
}
