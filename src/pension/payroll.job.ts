// Monthly pension payroll: set-based SQL in chunks of award ids. Each chunk is one transaction that
// inserts the regular payments and the arrears payments (ON CONFLICT DO NOTHING on the
// (award_id, period, kind) primary key), marks the arrears paid, posts the chunk's totals to the
// ledger (idempotency key run+chunk+fund), records the chunk and advances the progress. A crash at
// any point leaves whole chunks only; running the same period again resumes with the first chunk
// not done and pays nobody twice.
//
// Test hooks (PayrollOptions.hooks, passed by the crash test's child process, never read from the
// environment): insideChunk(n) runs inside chunk n after its payments are written and before its
// commit; afterChunk(n) right after chunk n commits. Chunks count from 1.
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { once } from 'node:events';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { addPeriods, parsePeriod, periodEnd, periodOf, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { csvLine, csvNumber, csvText } from '../core/csv.ts';
import { formatYuan } from '../core/money.ts';
import type { Db } from '../db/connection.ts';
import type { Fund } from '../db/database.ts';
import { ACCOUNTS, postEntry, type PostingLine } from '../ledger/journal.repository.ts';
import { int } from '../db/values.ts';
import { amountInForceSql, payableSql, regionCoversSql } from './pension.repository.ts';

export const PAYROLL_CHUNK = 50_000;

export interface PayrollOptions {
  period: string;
  region: string;
  chunkSize?: number;
  onProgress?: (done: number, total: number, stage: string) => void;
  /** For the crash test only: called at the two points where a crash must leave whole chunks. */
  hooks?: PayrollHooks;
}

export interface PayrollHooks {
  insideChunk?: (chunkNo: number) => void;
  afterChunk?: (chunkNo: number) => void;
}

export interface PayrollSummary {
  runId: number | null;
  period: Period;
  region: string;
  status: 'not_started' | 'running' | 'done' | 'failed';
  chunksDone: number;
  chunksTotal: number;
  payments: number;
  regularFen: number;
  arrearsFen: number;
  totalFen: number;
}

interface Bounds {
  from: number;
  to: number | null;
}

async function startOrResume(
  db: Db,
  actor: Actor,
  period: Period,
  region: string,
  chunkSize: number,
): Promise<{ runId: number; bounds: Bounds[]; status: string }> {
  return db.transaction().execute(async (tx) => {
    // Serialize starters of the same run (two clerks pressing the button at once).
    await sql`SELECT pg_advisory_xact_lock(726354101, hashtext(${`${region}:${period}`}))`.execute(tx);
    const existing = await tx
      .selectFrom('payroll_run')
      .select(['id', 'chunk_bounds', 'status'])
      .where('period', '=', period)
      .where('region', '=', region)
      .executeTakeFirst();
    if (existing)
      return { runId: existing.id, bounds: existing.chunk_bounds as Bounds[], status: existing.status };
    const starts = await sql<{ id: number }>`
      SELECT id FROM (SELECT a.id, row_number() OVER (ORDER BY a.id) - 1 AS rn FROM pension_award a WHERE ${regionCoversSql(sql`a.region`, region)}) s
      WHERE rn % ${chunkSize} = 0 ORDER BY id`.execute(tx);
    const bounds: Bounds[] = starts.rows.map((r, i) => ({
      from: int(r.id),
      to: i + 1 < starts.rows.length ? int(starts.rows[i + 1]?.id) - 1 : null,
    }));
    const job = await tx
      .insertInto('job_run')
      .values({
        kind: 'payroll',
        key: `${region}:${period}`,
        status: bounds.length === 0 ? 'done' : 'running',
        total: bounds.length,
        detail: JSON.stringify({ period, region }),
        started_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      })
      .onConflict((oc) =>
        oc.columns(['kind', 'key']).doUpdateSet({ status: 'running', updated_at: new Date().toISOString() }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    const run = await tx
      .insertInto('payroll_run')
      .values({
        period,
        region,
        status: bounds.length === 0 ? 'done' : 'running',
        job_run_id: job.id,
        chunk_size: chunkSize,
        chunk_bounds: JSON.stringify(bounds),
        chunks_total: bounds.length,
        started_by: actor.username,
        finished_at: bounds.length === 0 ? new Date().toISOString() : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(tx, actor, {
      action: 'payroll.start',
      entityType: 'payroll_run',
      entityId: run.id,
      region,
      after: { period, region, chunks: bounds.length, chunkSize },
    });
    return { runId: run.id, bounds, status: bounds.length === 0 ? 'done' : 'running' };
  });
}

const FUND_OF: Record<string, Fund> = {
  employee_pension: 'employee_pension',
  resident_pension: 'resident_pension',
};

async function runChunk(
  db: Db,
  actor: Actor,
  runId: number,
  period: Period,
  region: string,
  chunkNo: number,
  b: Bounds,
  hooks: PayrollHooks,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const locked = await sql<{ chunks_done: number; chunks_total: number }>`
      UPDATE payroll_run SET updated_at = now() WHERE id = ${runId} AND status = 'running' RETURNING chunks_done, chunks_total`.execute(
      tx,
    );
    const run = locked.rows[0];
    if (!run) return false;
    const done = await tx
      .selectFrom('payroll_chunk')
      .select('chunk_no')
      .where('run_id', '=', runId)
      .where('chunk_no', '=', chunkNo)
      .executeTakeFirst();
    if (done) return false;
    const range = b.to === null ? sql`a.id >= ${b.from}` : sql`a.id BETWEEN ${b.from} AND ${b.to}`;
    const amountRange =
      b.to === null ? sql`pa.award_id >= ${b.from}` : sql`pa.award_id BETWEEN ${b.from} AND ${b.to}`;
    const where = sql`${range} AND ${regionCoversSql(sql`a.region`, region)} AND ${payableSql(period)}`;
    // The amounts in force for the chunk in one ordered range scan (not a probe per award); the
    // payable awards materialized once, so the totals join back by hash, not by index probes.
    const regular = await sql<{
      scheme: string;
      region: string;
      n: unknown;
      total: unknown;
      account: unknown;
      offset: unknown;
    }>`
      WITH amt AS (
        SELECT DISTINCT ON (pa.award_id) pa.award_id, pa.monthly_fen, pa.account_fen FROM pension_amount pa
        WHERE ${amountRange} AND pa.effective_period <= ${period}
        ORDER BY pa.award_id, pa.effective_period DESC, pa.id DESC
      ), off AS (
        -- released offsets of open recovery cases against this month's pension
        SELECT rc.award_id, rc.amount_fen FROM recovery_collection rc JOIN recovery_case c ON c.id = rc.case_id AND c.status = 'open'
        WHERE rc.kind = 'offset' AND rc.status = 'scheduled' AND rc.period = ${period}
      ), src AS MATERIALIZED (
        SELECT a.id, a.scheme, a.region, amt.monthly_fen,
          CASE WHEN a.scheme = 'resident_pension' THEN least(amt.account_fen, amt.monthly_fen) ELSE 0 END AS account_fen,
          CASE WHEN off.amount_fen <= amt.monthly_fen THEN off.amount_fen ELSE 0 END AS offset_fen
        FROM pension_award a JOIN amt ON amt.award_id = a.id LEFT JOIN off ON off.award_id = a.id
        WHERE ${where}
      ), paid AS (
        INSERT INTO pension_payment (award_id, period, kind, amount_fen, account_fen, offset_fen, payroll_run_id, chunk_no)
        SELECT src.id, ${period}, 'regular', src.monthly_fen, src.account_fen, src.offset_fen, ${runId}, ${chunkNo} FROM src
        ON CONFLICT DO NOTHING
        RETURNING award_id, amount_fen, account_fen, offset_fen
      )
      SELECT src.scheme, src.region, count(*) AS n, coalesce(sum(paid.amount_fen), 0)::bigint AS total,
        coalesce(sum(paid.account_fen), 0)::bigint AS account, coalesce(sum(paid.offset_fen), 0)::bigint AS offset
      FROM paid JOIN src ON src.id = paid.award_id GROUP BY src.scheme, src.region`.execute(tx);
    const arrears = await sql<{
      scheme: string;
      region: string;
      n: unknown;
      total: unknown;
      account: unknown;
    }>`
      WITH due AS MATERIALIZED (
        SELECT ar.award_id, a.scheme, a.region, sum(ar.amount_fen)::bigint AS amount_fen,
          CASE WHEN a.scheme = 'resident_pension' THEN least(sum(ar.amount_fen), sum(ar.account_fen)) ELSE 0 END::bigint AS account_fen
        FROM pension_arrears ar
        JOIN pension_award a ON a.id = ar.award_id
        WHERE ar.paid_in_period IS NULL AND ${where}
        GROUP BY ar.award_id, a.scheme, a.region
      ), paid AS (
        INSERT INTO pension_payment (award_id, period, kind, amount_fen, account_fen, payroll_run_id, chunk_no)
        SELECT award_id, ${period}, 'arrears', amount_fen, account_fen, ${runId}, ${chunkNo} FROM due
        ON CONFLICT DO NOTHING
        RETURNING award_id, amount_fen, account_fen
      ), marked AS (
        -- a data-modifying CTE always runs, referenced or not; it sees the same snapshot as due,
        -- so it marks exactly the rows summed there
        UPDATE pension_arrears ar SET paid_in_period = ${period}, payroll_run_id = ${runId}
        FROM paid
        WHERE ar.award_id = paid.award_id AND ar.paid_in_period IS NULL
        RETURNING ar.id
      )
      SELECT due.scheme, due.region, count(*) AS n, coalesce(sum(paid.amount_fen), 0)::bigint AS total,
        coalesce(sum(paid.account_fen), 0)::bigint AS account
      FROM paid JOIN due ON due.award_id = paid.award_id
      GROUP BY due.scheme, due.region`.execute(tx);
    // The offsets this chunk kept back: applied, and their recovery cases credited (closed when complete).
    await sql`
      WITH ap AS (
        UPDATE recovery_collection rc SET status = 'applied', payroll_run_id = ${runId}
        FROM pension_payment pp
        WHERE rc.kind = 'offset' AND rc.status = 'scheduled' AND pp.award_id = rc.award_id AND pp.period = rc.period
          AND pp.kind = 'regular' AND pp.payroll_run_id = ${runId} AND pp.chunk_no = ${chunkNo} AND pp.offset_fen = rc.amount_fen
        RETURNING rc.case_id, rc.amount_fen
      ), s AS (SELECT case_id, sum(amount_fen)::bigint AS amt FROM ap GROUP BY case_id)
      UPDATE recovery_case c SET recovered_fen = c.recovered_fen + s.amt,
        status = CASE WHEN c.recovered_fen + s.amt >= c.amount_fen THEN 'recovered' ELSE c.status END, updated_at = now()
      FROM s WHERE c.id = s.case_id`.execute(tx);
    hooks.insideChunk?.(chunkNo);
    // Ledger entries per fund and the award's own region (a province-wide run books each city's fund).
    const byFund = new Map<
      string,
      { fund: Fund; region: string; amount: number; account: number; offset: number }
    >();
    const add = (fund: Fund, r: string, amount: number, account: number, offset = 0): void => {
      const k = `${fund}:${r}`;
      const cur = byFund.get(k) ?? { fund, region: r, amount: 0, account: 0, offset: 0 };
      cur.amount += amount;
      cur.account += account;
      cur.offset += offset;
      byFund.set(k, cur);
    };
    let payments = 0;
    let regularFen = 0;
    let arrearsFen = 0;
    for (const r of regular.rows) {
      const fund = FUND_OF[r.scheme];
      if (!fund) continue;
      payments += int(r.n);
      regularFen += int(r.total);
      add(fund, r.region, int(r.total), int(r.account), int(r.offset));
    }
    for (const r of arrears.rows) {
      const fund = FUND_OF[r.scheme];
      if (!fund) continue;
      payments += int(r.n);
      arrearsFen += int(r.total);
      add(fund, r.region, int(r.total), int(r.account));
    }
    const entryDate = today() < periodEnd(period) ? today() : periodEnd(period);
    for (const [key, { fund, region: entryRegion, amount, account, offset }] of [...byFund].sort((x, y) =>
      x[0] < y[0] ? -1 : 1,
    )) {
      if (amount <= 0) continue;
      await postEntry(tx, actor, {
        fund,
        region: entryRegion,
        period,
        entryDate,
        kind: 'pension_payroll',
        description: `养老金发放 ${period} 第${chunkNo}批 / pension payroll ${period} chunk ${chunkNo}`,
        idempotencyKey: `payroll:${runId}:${chunkNo}:${key}`,
        source: { type: 'payroll_run', id: runId },
        lines: payrollLines(fund, amount, account, offset),
      });
    }
    await tx
      .insertInto('payroll_chunk')
      .values({
        run_id: runId,
        chunk_no: chunkNo,
        from_award_id: b.from,
        to_award_id: b.to,
        payments,
        regular_fen: regularFen,
        arrears_fen: arrearsFen,
        total_fen: regularFen + arrearsFen,
      })
      .execute();
    const last = run.chunks_done + 1 >= run.chunks_total;
    await sql`UPDATE payroll_run SET chunks_done = chunks_done + 1, payments = payments + ${payments},
      regular_fen = regular_fen + ${regularFen}, arrears_fen = arrears_fen + ${arrearsFen}, total_fen = total_fen + ${regularFen + arrearsFen},
      status = ${last ? 'done' : 'running'}, finished_at = ${last ? sql`now()` : sql`NULL`}
      WHERE id = ${runId}`.execute(tx);
    await sql`UPDATE job_run SET done = done + 1, updated_at = now(), status = ${last ? 'done' : 'running'}, finished_at = ${last ? sql`now()` : sql`NULL`}
      WHERE id = (SELECT job_run_id FROM payroll_run WHERE id = ${runId})`.execute(tx);
    if (last) {
      const t = await tx
        .selectFrom('payroll_run')
        .select(['payments', 'total_fen', 'regular_fen', 'arrears_fen'])
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      await appendAudit(tx, actor, {
        action: 'payroll.complete',
        entityType: 'payroll_run',
        entityId: runId,
        region,
        after: { period, ...t },
      });
    }
    return true;
  });
}

/**
 * The lines of a chunk's entry for one fund. Every payment is benefit expenditure paid from the bank.
 * A residents' pension is two parts (国发〔2014〕8号): the personal-account part is drawn down from the
 * accounts (3002 → 3001: the earmarked part of the balance shrinks by what is paid out of it), and
 * the basic part is financed by the government's subsidy (1201 receivable → 4002 subsidy income).
 * Employee pensions are paid from the pooled fund as before. An offset against a recovery case
 * (recovery-collection.service.ts) is kept back from the bank and clears the overpayment receivable.
 */
export function payrollLines(fund: Fund, amount: number, account: number, offset = 0): PostingLine[] {
  const lines: PostingLine[] = [
    { account: ACCOUNTS.benefitExpenditure, debitFen: amount },
    { account: ACCOUNTS.bank, creditFen: amount - offset },
  ];
  // What was kept back against a recovery case clears the overpayment receivable instead of leaving the bank.
  if (offset > 0) lines.push({ account: ACCOUNTS.overpaymentsReceivable, creditFen: offset });
  if (fund !== 'resident_pension') return lines;
  const basic = amount - account;
  if (account > 0)
    lines.push(
      { account: ACCOUNTS.personalAccountFund, debitFen: account },
      { account: ACCOUNTS.pooledFund, creditFen: account },
    );
  if (basic > 0)
    lines.push(
      { account: ACCOUNTS.subsidiesReceivable, debitFen: basic },
      { account: ACCOUNTS.subsidyIncome, creditFen: basic },
    );
  return lines;
}

/** A payroll is for a period up to next month by the server's clock; later ones are refused. */
export function checkPayrollPeriod(period: Period): void {
  const latest = addPeriods(periodOf(today()), 1);
  if (period > latest)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'period',
      zh: `发放期间不得晚于下月（${latest}）`,
      en: `the payroll period may be at most next month (${latest})`,
    });
}

/**
 * What a run of the period would pay now, without paying: payable awards not yet paid for the period
 * (with their amount in force) and the unpaid arrears of payable awards. Shown to the checker.
 */
export async function previewPayroll(
  db: Db,
  q: { period: string; region: string },
): Promise<{ payments: number; persons: number; regularFen: number; arrearsFen: number; totalFen: number }> {
  const period = parsePeriod(q.period);
  const covers = regionCoversSql(sql`a.region`, q.region);
  const r = await sql<{ n: unknown; persons: unknown; total: unknown }>`
    SELECT count(*) AS n, count(DISTINCT a.person_id) AS persons, coalesce(sum(${amountInForceSql(period)}), 0)::bigint AS total
    FROM pension_award a
    WHERE ${covers} AND ${payableSql(period)} AND ${amountInForceSql(period)} IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM pension_payment pp WHERE pp.award_id = a.id AND pp.period = ${period} AND pp.kind = 'regular')`.execute(
    db,
  );
  const ar = await sql<{ n: unknown; total: unknown }>`
    SELECT count(DISTINCT ar.award_id) AS n, coalesce(sum(ar.amount_fen), 0)::bigint AS total
    FROM pension_arrears ar JOIN pension_award a ON a.id = ar.award_id
    WHERE ar.paid_in_period IS NULL AND ${covers} AND ${payableSql(period)}`.execute(db);
  const regularFen = int(r.rows[0]?.total);
  const arrearsFen = int(ar.rows[0]?.total);
  return {
    payments: int(r.rows[0]?.n) + int(ar.rows[0]?.n),
    persons: int(r.rows[0]?.persons),
    regularFen,
    arrearsFen,
    totalFen: regularFen + arrearsFen,
  };
}

/** Runs (or resumes) the payroll of a period for a region; answers its summary. */
export async function runPayroll(db: Db, actor: Actor, opts: PayrollOptions): Promise<PayrollSummary> {
  const period = parsePeriod(opts.period);
  checkPayrollPeriod(period);
  const region = opts.region;
  const chunkSize = opts.chunkSize ?? PAYROLL_CHUNK;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'chunkSize',
      zh: String(chunkSize),
      en: String(chunkSize),
    });
  if (!(await db.selectFrom('region').select('code').where('code', '=', region).executeTakeFirst())) {
    throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region', zh: region, en: region });
  }
  const { runId, bounds } = await startOrResume(db, actor, period, region, chunkSize);
  const doneChunks = new Set(
    (await db.selectFrom('payroll_chunk').select('chunk_no').where('run_id', '=', runId).execute()).map(
      (r) => r.chunk_no,
    ),
  );
  let done = doneChunks.size;
  opts.onProgress?.(done, bounds.length, 'payroll');
  for (const [i, b] of bounds.entries()) {
    const chunkNo = i + 1;
    if (doneChunks.has(chunkNo)) continue;
    if (await runChunk(db, actor, runId, period, region, chunkNo, b, opts.hooks ?? {})) {
      done += 1;
      opts.onProgress?.(done, bounds.length, 'payroll');
      opts.hooks?.afterChunk?.(chunkNo);
    }
  }
  return payrollSummary(db, { period, region });
}

/** The region's payroll run of a period, if one has started. */
const payrollRunOf = (db: Db, period: string, region: string) =>
  db
    .selectFrom('payroll_run')
    .selectAll()
    .where('period', '=', period)
    .where('region', '=', region)
    .executeTakeFirst();

export async function payrollSummary(db: Db, q: { period: string; region: string }): Promise<PayrollSummary> {
  const period = parsePeriod(q.period);
  const run = await payrollRunOf(db, period, q.region);
  if (!run)
    return {
      runId: null,
      period,
      region: q.region,
      status: 'not_started',
      chunksDone: 0,
      chunksTotal: 0,
      payments: 0,
      regularFen: 0,
      arrearsFen: 0,
      totalFen: 0,
    };
  const t = await sql<{ chunks: unknown; payments: unknown; regular: unknown; arrears: unknown }>`
    SELECT count(*) AS chunks, coalesce(sum(payments), 0)::bigint AS payments, coalesce(sum(regular_fen), 0)::bigint AS regular,
      coalesce(sum(arrears_fen), 0)::bigint AS arrears FROM payroll_chunk WHERE run_id = ${run.id}`.execute(
    db,
  );
  const r = t.rows[0];
  const regularFen = int(r?.regular);
  const arrearsFen = int(r?.arrears);
  return {
    runId: run.id,
    period,
    region: run.region,
    status: run.status,
    chunksDone: int(r?.chunks),
    chunksTotal: run.chunks_total,
    payments: int(r?.payments),
    regularFen,
    arrearsFen,
    totalFen: regularFen + arrearsFen,
  };
}

export const BANK_FILE_HEADER =
  'seq,id_number,name,bank_name,bank_account,amount_fen,amount_yuan,period,award_ids,note';

/**
 * Writes the bank payment file of a finished run (docs/payroll-bank-file.md): one line per person
 * paid in the run, the sum of their payments. Full account numbers: the file goes to the bank, never
 * to a log. Written chunk by chunk to `<path>.part`, then renamed, so memory stays flat.
 */
export async function writeBankFile(
  db: Db,
  q: { period: string; region: string },
  path: string,
): Promise<{ lines: number; totalFen: number }> {
  const period = parsePeriod(q.period);
  const run = await payrollRunOf(db, period, q.region);
  if (!run || run.status !== 'done')
    throw new SbError('SB_ERR_CONFLICT', {
      zh: '本期发放尚未完成',
      en: 'the payroll of this period is not complete',
    });
  const part = `${path}.part`;
  const out = createWriteStream(part, { encoding: 'utf8', mode: 0o600 });
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`${BANK_FILE_HEADER}\n`);
  let lines = 0;
  let totalFen = 0;
  for (const b of run.chunk_bounds as Bounds[]) {
    const range =
      b.to === null ? sql`pp.award_id >= ${b.from}` : sql`pp.award_id BETWEEN ${b.from} AND ${b.to}`;
    const rows = await sql<{
      id_number: string;
      name: string;
      bank_name: string | null;
      bank_account: string | null;
      amount: unknown;
      awards: string;
    }>`
      SELECT p.id_number, p.name, p.bank_name, p.bank_account, sum(pp.amount_fen - pp.offset_fen)::bigint AS amount, string_agg(DISTINCT pp.award_id::text, ';') AS awards
      FROM pension_payment pp JOIN pension_award a ON a.id = pp.award_id JOIN person p ON p.id = a.person_id
      WHERE ${range} AND pp.period = ${period} AND pp.payroll_run_id = ${run.id}
      GROUP BY p.id, p.id_number, p.name, p.bank_name, p.bank_account ORDER BY p.id`.execute(db);
    let buf = '';
    for (const r of rows.rows) {
      const amount = int(r.amount);
      lines += 1;
      totalFen += amount;
      const note = r.bank_account ? '' : 'NO_ACCOUNT';
      // Text cells through csvText (a name beginning with = cannot become a formula); the amounts are the
      // format's numeric cells, written as plain numbers by csvNumber (a negative amount stays -1234).
      buf += csvLine([
        csvNumber(lines),
        csvText(r.id_number),
        csvText(r.name),
        csvText(r.bank_name),
        csvText(r.bank_account),
        csvNumber(amount),
        csvNumber(formatYuan(amount, false)),
        csvText(period),
        csvText(r.awards),
        csvText(note),
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
