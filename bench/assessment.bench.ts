// Benchmark of the monthly contribution assessment: N employees (default 1,000,000) of N/25
// employers declare September 2021 (generated set-based with generate_series, not through the API),
// then one assessment run writes the bills and the per-person bill lines set-based and posts the
// journal totals, exactly as `shebao contributions assess` does (ContributionService.assess minus the
// audit entry). In the same run and database it times COPY of the same number of rows into a table
// with the bill-line table's columns and indexes (a fresh LIKE contribution_bill_line each time, timed
// twice, the faster counts) — the raw write limit — and prints the ratio. PGlite in a fresh temporary data folder; PostgreSQL when
// BENCH_DATABASE_URL is set (a fresh database is created there and dropped after). Each database runs
// in its own child process, so the peak memory (max RSS) is per database.
//   node --import tsx bench/assessment.bench.ts [--employees N]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54330/postgres node --import tsx bench/assessment.bench.ts
// Where the time goes (issue #18): the assessment is one statement — the lines computed once from the
// declarations, the bills their sums, the lines inserted with their bill's id from the bills' RETURNING in
// bill order, the hall's events and the totals from the same rows. Before, the lines were computed twice
// and joined to a scan of every bill. PostgreSQL 15, 200,000 lines, load ~30: before 3.29×, after 3.61×
// (within the noise); PGlite at 1,000,000 before: 4.5× (docs/performance.md). Third pass, PostgreSQL 15,
// 1,000,000 lines, load 18–19: 62.4 s against a 15.4 s COPY, 4.05×.
// Fifth pass (EXPLAIN (ANALYZE, BUFFERS), log_temp_files): at 1,000,000 the materialized lines carried
// every numeric rate column (~490 MB > the 256 MB work_mem) and spilled a 242 MB temporary file, and the
// rates were converted from numeric again for every line. Now integer millionths and narrow lines: no
// temporary file, backend CPU at 200,000 2.0–3.0 → 1.3–1.6 s; most of what is left is the lines' insert
// (two indexes) and their sort in bill order. Figures in docs/performance.md ("Fifth pass").
// Seventh pass (perf of the backend at 200,000): the lines' insert is at the COPY's own cost (the same
// backend CPU for the same rows); B-tree inserts are ~40 % of the job. The rest was the lines computed
// by hashing every declaration against the employers and the rates, then sorted into bill order; now
// the employers are joined to the nine rates first and each one's declarations read by its index (the
// lines arrive grouped by payer), no sort: backend CPU 1.8–2.4 → 1.5–1.6 s, 3.9–4.1× → 1.7–2.0× in two
// pairs at load 12–16 (1,000,000: 5.6× → 2.8× in one pair). What is left besides the insert: the three
// FK checks per bill, the aggregate.
// Eighth pass: the lines arrive per payer but their bills took ids in hash order, so each bill's lines
// went into the middle of the primary key (bill_id, person_id); the bills now take ids in payer order
// and the key grows at its right edge: key 50 → 31 MiB, WAL 339 → 322 MiB, backend CPU about −14 % at
// 1,000,000. Where the time went before it (perf of the backend, whole statement, 1,000,000): index
// inserts 35 %, page faults of fresh memory 12 %, the lines' heap 9 %, forming the tuples of the
// materialized lines, the merge join's sort and the trigger's transition table ~10 %, the end-of-statement
// triggers (the bills' FK checks, the record summary) 9 %, the declarations' index scan ~10 %.
// Ninth pass (perf of the backend over the whole assessment at 1,000,000, load 5–8): index inserts 32 %
// (the COPY pays the same), the bills' foreign-key checks 8 % (three SPI queries per bill, 120,000 in
// all; without them 6.3–7.3 s of backend CPU against 6.8–8.4 s in three pairs), the declarations' index
// scans per employer 10 %, fresh-memory page faults 8.5 %, the materialized lines and the trigger's
// transition table ~12 %, the record summary's trigger itself 2 %; JIT is on at this size (cost 178,724)
// and off was no faster. The rest is spread thin: the aim (≤ 2.0×) turns on the foreign keys.
// Eighteenth pass: those three foreign keys are gone (migration 2026_12_04_1590: every writer of a bill
// proves its assessment, region and employer, and none of them is ever deleted): the statement's buffer
// hits −8 % (7.34 → 6.74 M at 1,000,000), one WAL record a bill fewer (the employer's key-share lock),
// no nested query; backend CPU about −10 % at 200,000 in six pairs at load 4–6, bills and lines identical.
// What is left is the list above without them: index inserts at the COPY's cost, the declarations' index
// scans, the materialized lines and the transition table, fresh memory, the summary's trigger.
// Nineteenth pass: the lines are no longer captured in a transition table (migration 2026_12_04_1610:
// the record summary learns of settled bills at the bills' insert; backend CPU about −19 % at 200,000 in
// six pairs) nor sorted a second time for a merge join with their bills (a hash join on the bills now;
// −11 % at 1,000,000 in two pairs). Left: index inserts at the COPY's cost, the declarations' index scans
// per employer, the CTE's one copy of the lines (read by the bills' sums and by the lines), fresh memory.
// Twentieth pass (EXPLAIN ANALYZE at 1,000,000): the lines' insert ~48 %, the declarations' index scans
// ~18 %, the bills' aggregate and insert ~12 %, the lines' hash join ~5 %. The rates' underestimate keeps
// that per-employer scan (lines in key order); the estimate fixed made the plan slower (+5–39 % CPU).
// A benchmark, not a test: it prints sizes, times and ratios and never fails on timing.
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import * as support from './bench-support.ts';
import type { AppContext } from '../src/app-context.ts';
import { systemActor } from '../src/auth/actor.ts';
import { fixToday } from '../src/core/clock.ts';
import { assessPeriod } from '../src/contributions/assessment.repository.ts';
import { postAssessment } from '../src/contributions/contribution-posting.repository.ts';

const N = Number(support.arg('employees') ?? 1_000_000);
const EMPLOYERS = Math.max(1, Math.round(N / 25));
const REGION = '341800';
const PERIOD = '2021-09';
const BIRTH_SPAN = 9000;

interface TargetResult {
  target: support.Target;
  serverVersion: string;
  generateSeconds: number;
  assessSeconds: number;
  /** the database's CPU seconds in the assessment (databaseCpuReader; null where it cannot be read) */
  assessCpu: number | null;
  bills: number;
  lines: number;
  totalFen: number;
  copy: support.CopyBaseline;
  copyBytes: number;
  linesTableMiB: number | null;
  peakRssMiB: number;
  databaseMiB: number | null;
}

/** N persons (valid ID numbers computed in SQL), N/25 employers of every industry class, N declarations. */
async function generate(ctx: AppContext): Promise<void> {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = sql.raw(weights.map((w, k) => `substr(body, ${k + 1}, 1)::int * ${w}`).join(' + '));
  await ctx.db.transaction().execute(async (tx) => {
    await sql`
      INSERT INTO person (id_number, name, sex, birth_date, hukou_region, region)
      SELECT body || substr('10X98765432', ((${sum}) % 11) + 1, 1), '职工' || i, CASE WHEN (i / ${BIRTH_SPAN}) % 2 = 1 THEN 'M' ELSE 'F' END, birth, '341802', ${REGION}
      FROM (SELECT i, (date '1965-01-01' + (i % ${BIRTH_SPAN})) AS birth,
              '341802' || to_char(date '1965-01-01' + (i % ${BIRTH_SPAN}), 'YYYYMMDD') || lpad((i / ${BIRTH_SPAN})::text, 3, '0') AS body
            FROM generate_series(0, ${N - 1}) i) s`.execute(tx);
    await sql`
      INSERT INTO employer (credit_code, name, region, industry_class, size)
      SELECT '91341800' || lpad(i::text, 10, '0'), '宣城基准测试单位' || i, ${REGION}, 1 + i % 8, CASE WHEN i % 20 = 0 THEN 'large' ELSE 'sme' END
      FROM generate_series(0, ${EMPLOYERS - 1}) i`.execute(tx);
    // Wages from below the floor to above the ceiling (the clamp is exercised both ways).
    await sql`
      INSERT INTO contribution_declaration (kind, region, period, employer_id, person_id, wage_fen, source, created_by)
      SELECT 'employee', ${REGION}, ${PERIOD}, e0 + (p.id % ${EMPLOYERS}), p.id, 250000 + (p.id * 7919) % 2000000, 'bench', 'bench'
      FROM person p, (SELECT min(id) AS e0 FROM employer) e`.execute(tx);
  });
  await support.settle(ctx, 'the assessment', {
    vacuum: ['person', 'employer', 'contribution_declaration'],
  });
}

/** N bill-line rows in COPY text format, shaped like the assessment's (bill per 25 persons). */
function copyText(): Buffer {
  const parts: string[] = [];
  for (let i = 1; i <= N; i++) {
    const base = 250000 + ((i * 7919) % 2000000);
    parts.push(
      `${1 + (i % EMPLOYERS)}\t${i}\t${PERIOD}\t${base}\t${Math.round(base * 0.16)}\t${Math.round(base * 0.08)}\t${Math.round(base * 0.08)}\t${Math.round(base * 0.005)}\t${Math.round(base * 0.005)}\t${Math.round(base * 0.011)}\t${Math.round(base * 0.025)}\n`,
    );
  }
  return Buffer.from(parts.join(''));
}

async function runTarget(target: support.Target): Promise<TargetResult> {
  const opened = await support.openFreshTarget(target, 'shebao_bench_assess');
  const { ctx, dbUrl, say, serverVersion, cleanup } = opened;
  try {
    const db = ctx.db;
    say(
      `generating ${N.toLocaleString('en')} employees, ${EMPLOYERS.toLocaleString('en')} employers and their ${PERIOD} declarations`,
    );
    let t0 = performance.now();
    await generate(ctx);
    const generateSeconds = (performance.now() - t0) / 1000;
    say(`generated in ${generateSeconds.toFixed(1)} s; assessing`);
    fixToday('2021-10-20');
    const actor = systemActor('bench');
    const databaseCpu = await support.databaseCpuReader(ctx);
    const c0 = databaseCpu();
    t0 = performance.now();
    const s = await db.transaction().execute(async (tx) => {
      const summary = await assessPeriod(tx, ctx.params, {
        region: REGION,
        period: PERIOD,
        today: '2021-10-20',
        createdBy: 'bench',
      });
      await postAssessment(tx, actor, summary);
      return summary;
    });
    const assessSeconds = (performance.now() - t0) / 1000;
    const c1 = databaseCpu();
    say(
      `assessment: ${assessSeconds.toFixed(1)} s, ${s.bills} bills, ${s.lines} lines; load ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );

    const buf = copyText();
    const cols =
      'bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen, personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen';
    const copy = await support.copyChunksBaseline(
      ctx,
      dbUrl,
      'contribution_bill_line',
      cols,
      support.chunksOf(buf),
      N,
      databaseCpu,
    );
    say(`COPY: ${support.copyRunsText(copy)}`);
    const size = await sql<{
      db: string | number;
      lines: string | number;
    }>`SELECT pg_database_size(current_database()) AS db, pg_total_relation_size('contribution_bill_line') AS lines`
      .execute(db)
      .catch(() => null);
    return {
      target,
      serverVersion,
      generateSeconds,
      assessSeconds,
      assessCpu: c0 === null || c1 === null ? null : c1 - c0,
      bills: s.bills,
      lines: s.lines,
      totalFen: s.totalFen,
      copy,
      copyBytes: buf.length,
      linesTableMiB: size ? support.mib(Number(size.rows[0]?.lines)) : null,
      peakRssMiB: support.peakRssMiB(),
      databaseMiB: size ? support.mib(Number(size.rows[0]?.db)) : null,
    };
  } finally {
    fixToday(null);
    await cleanup();
  }
}

function print(r: TargetResult): void {
  console.log(`\n## ${r.target} (PostgreSQL ${r.serverVersion})`);
  console.log(
    `generated ${N.toLocaleString('en')} persons + ${EMPLOYERS.toLocaleString('en')} employers + ${N.toLocaleString('en')} declarations (set-based): ${r.generateSeconds.toFixed(1)} s`,
  );
  console.log(
    `assessment of ${PERIOD}: ${r.assessSeconds.toFixed(1)} s — ${r.bills.toLocaleString('en')} bills, ${r.lines.toLocaleString('en')} lines (${r.linesTableMiB ?? '?'} MiB with indexes), total ${(r.totalFen / 100).toLocaleString('en')} yuan`,
  );
  console.log(
    `COPY of ${N.toLocaleString('en')} rows (${support.mib(r.copyBytes)} MiB) into a fresh LIKE contribution_bill_line (its defaults, constraints and indexes): ${support.copyRunsText(r.copy)}`,
  );
  console.log(
    `  ratio assessment / COPY: ${(r.assessSeconds / r.copy.seconds).toFixed(2)}×; load at the end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  if (r.assessCpu !== null && r.copy.cpu !== null)
    console.log(
      `  CPU (${r.target === 'pglite' ? 'this process, PGlite in it' : "the PostgreSQL cluster's processes"}): assessment ${r.assessCpu.toFixed(1)} s, the faster COPY ${r.copy.cpu.toFixed(1)} s: ${(r.assessCpu / r.copy.cpu).toFixed(2)}×`,
    );
  console.log(
    `peak RSS ${r.peakRssMiB} MiB${r.databaseMiB !== null ? `; database ${r.databaseMiB} MiB` : ''}`,
  );
}

await support.perTargetMain(fileURLToPath(import.meta.url), runTarget, {
  header: () =>
    `# contribution assessment benchmark: ${N.toLocaleString('en')} employees, ${EMPLOYERS.toLocaleString('en')} employers; ${cpus().length} cores, ${support.mib(totalmem())} MiB RAM, Node ${process.version}`,
  order: ['postgresql', 'pglite'],
  print,
  maxBuffer: 64 * 1024 * 1024,
});
