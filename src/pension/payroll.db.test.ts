// Payroll: who is paid, arrears, ledger, bank file, rerun; and the crash test — the CLI killed with
// SIGKILL between chunks and inside a chunk, then rerun: one payment per pensioner and period, the
// ledger balanced, the summary equal to an uninterrupted run on an identical second database.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';
import { makeLogger, openContext } from '../bootstrap.ts';
import { fixToday } from '../core/clock.ts';
import { loadConfig } from '../config.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { freshTestDatabase, openTestDb, type TestDb } from '../testing/test-db.ts';
import { AwardService } from './award.service.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { markTestClock } from '../testing/test-clock.ts';
import { payrollSummary, runPayroll, writeBankFile } from './payroll.job.ts';

const REGION = '341800';
const actor = systemActor('test');
const root = join(import.meta.dirname, '..', '..');

describe('payroll', () => {
  let t: TestDb;
  before(async () => {
    fixToday('2026-03-15');
    t = await openTestDb();
    await seedPensioners(t.ctx.db, { count: 30, region: REGION, startPeriod: '2026-01' });
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('pays active pensioners once, skips the suspended and the dead, adds arrears, posts the ledger', async () => {
    const db = t.ctx.db;
    const awards = await db
      .selectFrom('pension_award')
      .select(['id', 'person_id', 'monthly_fen'])
      .orderBy('id')
      .execute();
    const [a1, a2, a3] = awards;
    assert.ok(a1 && a2 && a3);
    await db.transaction().execute(async (tx) => {
      await new AwardService(tx).suspend(actor, {
        awardId: a1.id,
        fromPeriod: '2026-02',
        reason: 'not certified',
      });
      await new AwardService(tx).queueArrears(actor, {
        awardId: a3.id,
        reason: 'correction',
        fromPeriod: '2026-01',
        toPeriod: '2026-01',
        amountFen: 1234,
        idempotencyKey: 'test:a3',
      });
    });
    await db.updateTable('person').set({ death_date: '2026-01-20' }).where('id', '=', a2.person_id).execute();

    const s = await runPayroll(db, actor, { period: '2026-02', region: REGION, chunkSize: 7 });
    const expectedRegular = awards.slice(3).reduce((n, a) => n + a.monthly_fen, a3.monthly_fen);
    assert.equal(s.status, 'done');
    assert.equal(s.chunksTotal, 5);
    assert.equal(s.payments, 28 + 1, '28 regular (30 − suspended − dead) + 1 arrears');
    assert.equal(s.regularFen, expectedRegular);
    assert.equal(s.arrearsFen, 1234);
    // Paid by a marker row (the arrears row itself is never updated: migration 2026_12_01_1260).
    const arrears = await db
      .selectFrom('pension_arrears as ar')
      .innerJoin('pension_arrears_paid as x', (j) =>
        j.onRef('x.arrears_id', '=', 'ar.id').onRef('x.award_id', '=', 'ar.award_id'),
      )
      .select(['x.paid_in_period'])
      .where('ar.idempotency_key', '=', 'test:a3')
      .execute();
    assert.deepEqual(
      arrears.map((r) => r.paid_in_period),
      ['2026-02'],
    );

    // Rerun: nothing new.
    const again = await runPayroll(db, actor, { period: '2026-02', region: REGION, chunkSize: 7 });
    assert.deepEqual(again, s);
    const n = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pension_payment WHERE period = '2026-02'`.execute(db);
    assert.equal(n.rows[0]?.n, 29);
    const ledger = await verifyLedger(db);
    assert.equal(ledger.ok, true, JSON.stringify(ledger.unbalancedEntries));
    const booked = await sql<{
      d: number;
    }>`SELECT coalesce(sum(l.debit_fen), 0)::bigint AS d FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id WHERE e.kind = 'pension_payroll' AND e.period = '2026-02'`.execute(
      db,
    );
    assert.equal(Number(booked.rows[0]?.d), s.totalFen);

    // Bank file: one line per person paid, full account numbers, totals match.
    const dir = mkdtempSync(join(tmpdir(), 'shebao-bank-'));
    try {
      const file = join(dir, 'bank.csv');
      const w = await writeBankFile(db, { period: '2026-02', region: REGION }, file);
      assert.equal(w.totalFen, s.totalFen);
      assert.equal(w.lines, 28);
      const text = readFileSync(file, 'utf8').trim().split('\n');
      assert.equal(
        text[0],
        'seq,id_number,name,bank_name,bank_account,amount_fen,amount_yuan,period,award_ids,note',
      );
      assert.equal(text.at(-1), `# total,28,${s.totalFen}`);
      assert.match(text[1] ?? '', /,6222[0-9]{15},/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Restored later: back pay for February through the next payroll.
    const r = await db
      .transaction()
      .execute((tx) => new AwardService(tx).restore(actor, { awardId: a1.id, reason: 'certified' }));
    assert.equal(r.arrearsFen, a1.monthly_fen);
    assert.equal(r.fromPeriod, '2026-02');
    const march = await runPayroll(db, actor, { period: '2026-03', region: REGION, chunkSize: 7 });
    assert.equal(march.arrearsFen, a1.monthly_fen);
    assert.equal(march.payments, 29 + 1);
  });

  test('bank file: a name or bank name that looks like a formula is neutralized, amounts stay numbers', async () => {
    const db = t.ctx.db;
    const first = await db
      .selectFrom('pension_payment as pp')
      .innerJoin('pension_award as a', 'a.id', 'pp.award_id')
      .select('a.person_id')
      .where('pp.period', '=', '2026-03')
      .orderBy('a.person_id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('person')
      .set({ name: '=HYPERLINK("http://evil","点我")', bank_name: '@SUM(A1)' })
      .where('id', '=', first.person_id)
      .execute();
    const dir = mkdtempSync(join(tmpdir(), 'shebao-bank-'));
    try {
      const file = join(dir, 'bank.csv');
      await writeBankFile(db, { period: '2026-03', region: REGION }, file);
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes(`"'=HYPERLINK(""http://evil"",""点我"")"`), text.slice(0, 400));
      assert.ok(text.includes(",'@SUM(A1),"));
      for (const line of text.trim().split('\n').slice(1, -1)) {
        const cells = line.split(',');
        assert.match(cells.at(-5) ?? '', /^-?[0-9]+$/, 'amount_fen is a plain number');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('summary of a period never run says not_started', async () => {
    const s = await payrollSummary(t.ctx.db, { period: '2025-12', region: REGION });
    assert.equal(s.status, 'not_started');
  });
});

// ---- the crash test: the real CLI in a child process on its own database ----

interface Scratch {
  env: Record<string, string>;
  open(): Promise<AppContext>;
  drop(): Promise<void>;
}

/** A copy of the run's migrated template (the CLI would otherwise migrate an empty database first). */
async function scratchDb(): Promise<Scratch> {
  const log = makeLogger('silent');
  const fresh = await freshTestDatabase();
  const { databaseUrl, dataDir } = fresh;
  return {
    env: databaseUrl === undefined ? { DATA_DIR: dataDir, DATABASE_URL: '' } : { DATABASE_URL: databaseUrl },
    open: () => openContext({ ...loadConfig({}), databaseUrl, dataDir, logLevel: 'silent' }, log),
    drop: () => fresh.drop(),
  };
}

async function prepare(s: Scratch): Promise<void> {
  const ctx = await s.open();
  try {
    // The CLI runs with SHEBAO_TODAY: this test's database says its test fixes the clock.
    await markTestClock(ctx.db);
    await seedPensioners(ctx.db, { count: 60, region: REGION, startPeriod: '2026-01' });
    const awards = await ctx.db.selectFrom('pension_award').select('id').orderBy('id').limit(3).execute();
    await ctx.db.transaction().execute(async (tx) => {
      for (const [i, a] of awards.entries()) {
        await new AwardService(tx).queueArrears(actor, {
          awardId: a.id,
          reason: 'adjustment',
          fromPeriod: '2026-01',
          toPeriod: '2026-01',
          amountFen: 500 * (i + 1),
          idempotencyKey: `crash:${a.id}`,
        });
      }
    });
  } finally {
    await ctx.handle.close();
  }
}

function cli(
  s: Scratch,
  args: string[],
  extra: Record<string, string> = {},
): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'shebao.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, ...s.env, LOG_LEVEL: 'error', SHEBAO_TODAY: '2026-02-20', ...extra },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The payroll run in a child process that kills itself at chunk n (the hook is a parameter of runPayroll). */
function crashAt(
  s: Scratch,
  where: 'inside' | 'after',
  chunkNo: number,
  extra: Record<string, string> = {},
): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src', 'testing', 'payroll-crash.child.ts'),
      '2026-02',
      REGION,
      '10',
      where,
      String(chunkNo),
    ],
    {
      cwd: root,
      env: { ...process.env, ...s.env, LOG_LEVEL: 'error', SHEBAO_TODAY: '2026-02-20', ...extra },
      encoding: 'utf8',
      timeout: 240_000,
    },
  );
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

async function summaryOf(s: Scratch) {
  const ctx = await s.open();
  try {
    return await payrollSummary(ctx.db, { period: '2026-02', region: REGION });
  } finally {
    await ctx.handle.close();
  }
}

const RUN = ['payroll', 'run', '--period', '2026-02', '--region', REGION, '--chunk-size', '10'];

describe('payroll crash test (SIGKILL, then rerun)', { timeout: 900_000 }, () => {
  test('SHEBAO_TODAY on a database neither a demo’s nor marked by its test: `payroll run` is refused before any work, nobody paid', async () => {
    const real = await scratchDb();
    try {
      const ctx = await real.open();
      try {
        await seedPensioners(ctx.db, { count: 3, region: REGION, startPeriod: '2026-01' });
      } finally {
        await ctx.handle.close();
      }
      const r = cli(real, RUN);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /SHEBAO_TODAY fixes the date for a demo database only/);
      assert.equal((await summaryOf(real)).status, 'not_started');
    } finally {
      await real.drop();
    }
  });

  test('killed inside chunk 3 and after chunk 2: the rerun completes, nobody is paid twice, same totals as an uninterrupted run', async () => {
    const crashed = await scratchDb();
    const clean = await scratchDb();
    try {
      await prepare(crashed);
      await prepare(clean);

      const k1 = crashAt(crashed, 'after', 2);
      assert.equal(k1.signal, 'SIGKILL', k1.stderr);
      const k2 = crashAt(crashed, 'inside', 3);
      assert.equal(k2.signal, 'SIGKILL', k2.stderr);
      const k3 = crashAt(crashed, 'inside', 6);
      assert.equal(k3.signal, 'SIGKILL', k3.stderr);
      const midSummary = await summaryOf(crashed);
      assert.equal(midSummary.status, 'running');
      assert.equal(midSummary.chunksDone, 5);
      const done = cli(crashed, RUN);
      assert.equal(done.status, 0, done.stderr);
      const again = cli(crashed, RUN);
      assert.equal(again.status, 0, again.stderr);

      const ref = cli(clean, RUN);
      assert.equal(ref.status, 0, ref.stderr);
      const summary = cli(crashed, ['payroll', 'summary', '--period', '2026-02', '--region', REGION]);
      const a = JSON.parse(summary.stdout) as Record<string, unknown>;
      const b = { ...(await summaryOf(clean)) } as Record<string, unknown>;
      assert.equal(a['status'], 'done');
      assert.deepEqual({ ...a, runId: 0 }, { ...b, runId: 0 });
      assert.equal(a['payments'], 63);

      const ctx = await crashed.open();
      try {
        const dup = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM (SELECT award_id FROM pension_payment WHERE period = '2026-02' AND kind = 'regular' GROUP BY award_id HAVING count(*) > 1) d`.execute(
          ctx.db,
        );
        assert.equal(dup.rows[0]?.n, 0);
        const paid = await sql<{
          n: number;
        }>`SELECT count(DISTINCT award_id)::int AS n FROM pension_payment WHERE period = '2026-02' AND kind = 'regular'`.execute(
          ctx.db,
        );
        assert.equal(paid.rows[0]?.n, 60, 'every pensioner exactly once');
        const ledger = await verifyLedger(ctx.db);
        assert.equal(ledger.ok, true);
        const booked = await sql<{
          d: number;
        }>`SELECT coalesce(sum(l.debit_fen), 0)::bigint AS d FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id WHERE e.kind = 'pension_payroll'`.execute(
          ctx.db,
        );
        assert.equal(Number(booked.rows[0]?.d), a['totalFen']);
        const unpaid = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM pension_arrears ar
          WHERE NOT EXISTS (SELECT 1 FROM pension_arrears_paid x WHERE x.arrears_id = ar.id)`.execute(ctx.db);
        assert.equal(unpaid.rows[0]?.n, 0);
      } finally {
        await ctx.handle.close();
      }
    } finally {
      await crashed.drop();
      await clean.drop();
    }
  });

  test(
    'PostgreSQL, three workers: killed inside chunk 3 while chunk 1 waits — whole chunks only, the rerun gives the rows of a serial run',
    { skip: process.env['SHEBAO_TEST_DB'] !== 'postgresql' && 'several connections: PostgreSQL only' },
    async () => {
      const crashed = await scratchDb();
      const clean = await scratchDb();
      const workers = { PAYROLL_WORKERS: '3' };
      try {
        await prepare(crashed);
        await prepare(clean);
        const url = crashed.env['DATABASE_URL'];
        assert.ok(url);
        // An uncommitted payment of chunk 1's first award holds chunk 1 (its insert waits on the key)
        // while the other workers run and chunk 3 kills the process.
        const holder = new pg.Client({ connectionString: url });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query(`INSERT INTO pension_payment (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
            SELECT min(id), '2026-02', 'regular', 1, 0, 0 FROM pension_award`);
          const k = crashAt(crashed, 'inside', 3, workers);
          assert.equal(k.signal, 'SIGKILL', k.stderr);
          await holder.query('ROLLBACK');
        } finally {
          await holder.end();
        }
        const ctx = await crashed.open();
        try {
          // Whole chunks: every payment belongs to a recorded chunk with its count; 1 and 3 are not recorded.
          const chunks = await sql<{ chunk_no: number; payments: number; written: number }>`
            SELECT c.chunk_no, c.payments::int AS payments,
              (SELECT count(*)::int FROM pension_payment p WHERE p.period = '2026-02' AND p.payroll_run_id = c.run_id AND p.chunk_no = c.chunk_no) AS written
            FROM payroll_chunk c ORDER BY c.chunk_no`.execute(ctx.db);
          const recorded = chunks.rows.map((r) => r.chunk_no);
          assert.ok(!recorded.includes(1) && !recorded.includes(3), `recorded ${recorded.join(',')}`);
          for (const r of chunks.rows) assert.equal(r.written, r.payments, `chunk ${r.chunk_no}`);
          const stray = await sql<{ n: number }>`
            SELECT count(*)::int AS n FROM pension_payment p WHERE p.period = '2026-02'
              AND NOT EXISTS (SELECT 1 FROM payroll_chunk c WHERE c.run_id = p.payroll_run_id AND c.chunk_no = p.chunk_no)`.execute(
            ctx.db,
          );
          assert.equal(stray.rows[0]?.n, 0);
          const run = await sql<{
            chunks_done: number;
            status: string;
          }>`SELECT chunks_done, status FROM payroll_run`.execute(ctx.db);
          assert.deepEqual(run.rows, [{ chunks_done: recorded.length, status: 'running' }]);
        } finally {
          await ctx.handle.close();
        }
        const done = cli(crashed, RUN, workers);
        assert.equal(done.status, 0, done.stderr);
        const ref = cli(clean, RUN);
        assert.equal(ref.status, 0, ref.stderr);
        const rows = async (s: Scratch): Promise<unknown> => {
          const c = await s.open();
          try {
            const r = await sql`
              SELECT
                (SELECT md5(string_agg(concat_ws(',', award_id, kind, amount_fen, account_fen, offset_fen, payroll_run_id, chunk_no, arrears_through_amount_id), ';' ORDER BY award_id, kind))
                  FROM pension_payment WHERE period = '2026-02') AS payments,
                (SELECT md5(string_agg(concat_ws(',', award_id, arrears_id, paid_in_period, payroll_run_id), ';' ORDER BY award_id, arrears_id))
                  FROM pension_arrears_paid) AS markers,
                (SELECT md5(string_agg(concat_ws(',', e.idempotency_key, e.fund, e.region, e.period, e.entry_date, e.description, l.line_no, l.account_code, l.debit_fen, l.credit_fen), ';' ORDER BY e.idempotency_key, l.line_no))
                  FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id WHERE e.kind = 'pension_payroll') AS ledger,
                (SELECT md5(string_agg(concat_ws(',', run_id, chunk_no, from_award_id, to_award_id, payments, regular_fen, arrears_fen, total_fen), ';' ORDER BY chunk_no))
                  FROM payroll_chunk) AS chunks,
                (SELECT concat_ws(',', status, chunks_done, chunks_total, payments, total_fen) FROM payroll_run) AS run,
                (SELECT count(*) FROM audit_log WHERE action = 'payroll.complete') AS completions`.execute(
              c.db,
            );
            assert.equal((await verifyLedger(c.db)).ok, true);
            return r.rows[0];
          } finally {
            await c.handle.close();
          }
        };
        const [a, b] = [await rows(crashed), await rows(clean)];
        assert.deepEqual(a, b);
        assert.match(String((a as { run: string }).run), /^done,6,6,63,/);
        assert.equal(Number((a as { completions: unknown }).completions), 1);
      } finally {
        await crashed.drop();
        await clean.drop();
      }
    },
  );
});
