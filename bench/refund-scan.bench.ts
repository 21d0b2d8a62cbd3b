// Benchmark of the yearly stable-employment refund scan (issue 12) with N employers (default 40,000),
// next to a COPY of the same result rows into a table with refund_result's shape and indexes, in the
// same run:
//   BENCH_DATABASE_URL=postgres://…/fresh_db node --import tsx bench/refund-scan.bench.ts [N] [pglite|postgresql|both] [chunk size]
// PostgreSQL: BENCH_DATABASE_URL must name a fresh, empty database on this machine (the COPY baseline
// reads a CSV file server-side). PGlite: a temporary data folder.
// The city: employer g has 1 + g % 10 staff (one laid off in 2024 at every 7th employer), 12 monthly
// bills of 2024 (every 13th employer misses a month, every 23rd has its December bill open = arrears).
// A benchmark, not a test: it prints sizes, times and the ratio and never fails on timing.
import { sql } from 'kysely';
import {
  copyCsvBaseline,
  copyRunsText,
  runInProcess,
  settle,
  timed,
  type CopyBaseline,
} from './bench-support.ts';
import type { AppContext } from '../src/app-context.ts';
import { systemActor } from '../src/auth/actor.ts';
import { fixToday } from '../src/core/clock.ts';
import { csvNumber, csvText } from '../src/core/csv.ts';
import { runRefundScan } from '../src/unemployment/refund.job.ts';

const N = Number(process.argv[2] ?? 40_000);
const which = process.argv[3] ?? 'both';
const CHUNK = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const REGION = '341800';
const actor = systemActor('bench');

async function seed(ctx: AppContext, n: number): Promise<void> {
  const db = ctx.db;
  await sql`SET work_mem = '256MB'`.execute(db);
  await sql`INSERT INTO employer (credit_code, name, region, industry_class, size)
    SELECT 'B' || lpad(g::text, 17, '0'), '基准单位' || g, ${REGION}, 1 + g % 8, CASE WHEN g % 50 = 0 THEN 'large' ELSE 'sme' END
    FROM generate_series(1, ${n}) g`.execute(db);
  // staff: employer g has 1 + g % 10 persons; person number = employer * 10 + j
  await sql`INSERT INTO person (id_number, name, sex, birth_date, hukou_region, region)
    SELECT 'R' || lpad((e.id * 10 + j)::text, 17, '0'), '职工' || (e.id * 10 + j), CASE WHEN j % 2 = 0 THEN 'F' ELSE 'M' END,
      DATE '1980-01-01' + (j * 97)::int, ${REGION}, ${REGION}
    FROM employer e CROSS JOIN LATERAL generate_series(0, e.id % 10) j`.execute(db);
  await sql`INSERT INTO employment (person_id, employer_id, start_date, end_date, end_reason, monthly_wage_fen)
    SELECT p.id, e.id, DATE '2019-01-01',
      CASE WHEN e.id % 7 = 0 AND j = 0 THEN DATE '2024-05-31' END,
      CASE WHEN e.id % 7 = 0 AND j = 0 THEN 'involuntary' END, 600000
    FROM employer e CROSS JOIN LATERAL generate_series(0, e.id % 10) j
    JOIN person p ON p.id_number = 'R' || lpad((e.id * 10 + j)::text, 17, '0')`.execute(db);
  await sql`INSERT INTO contribution_bill (region, period, payer_kind, employer_id, due_date, lines, unemployment_employer_fen,
      unemployment_employee_fen, total_fen, status, paid_date)
    SELECT ${REGION}, '2024-' || lpad(m::text, 2, '0'), 'employer', e.id, make_date(2024, m, 15), 1 + e.id % 10,
      (1 + e.id % 10) * 4800, (1 + e.id % 10) * 2400, (1 + e.id % 10) * 7200,
      CASE WHEN e.id % 23 = 0 AND m = 12 THEN 'open' ELSE 'paid' END,
      CASE WHEN e.id % 23 = 0 AND m = 12 THEN NULL ELSE make_date(2024, m, 10) END
    FROM employer e CROSS JOIN generate_series(1, 12) m
    WHERE NOT (e.id % 13 = 0 AND m = 6)`.execute(db);
}

const COLS =
  'id, year, employer_id, region, size, insured_count, laid_off_count, premiums_paid_fen, arrears, paid_months, eligible, refund_fen, rate_percent, layoff_rate_percent, layoff_limit_percent, reason, reason_zh, trace, chunk_no';

/** The scan's own rows as CSV (the COPY baseline writes exactly these). */
async function resultCsv(ctx: AppContext): Promise<string> {
  const r = await sql<
    Record<string, unknown>
  >`SELECT ${sql.raw(COLS)}, trace::text AS trace_text FROM refund_result ORDER BY id`.execute(ctx.db);
  const cell = (v: unknown, column: string): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean') return v ? 't' : 'f';
    if (typeof v === 'bigint') return csvNumber(v, column);
    if (typeof v === 'number') return Number.isSafeInteger(v) ? csvNumber(v, column) : String(v);
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return /^-?[0-9]+(\.[0-9]+)?$/.test(text) ? text : `"${text.replace(/"/g, '""')}"`;
  };
  return r.rows
    .map((x) =>
      [
        'id',
        'year',
        'employer_id',
        'region',
        'size',
        'insured_count',
        'laid_off_count',
        'premiums_paid_fen',
        'arrears',
        'paid_months',
        'eligible',
        'refund_fen',
        'rate_percent',
        'layoff_rate_percent',
        'layoff_limit_percent',
        'reason',
        'reason_zh',
        'trace_text',
        'chunk_no',
      ]
        .map((k, i) =>
          i === 3 || i === 4 ? csvText(typeof x[k] === 'string' ? x[k].trim() : '') : cell(x[k], k),
        )
        .join(','),
    )
    .join('\n')
    .concat('\n');
}

const copyBaseline = (ctx: AppContext, csv: string): Promise<CopyBaseline> =>
  copyCsvBaseline(ctx, 'refund_result', COLS, csv);

async function bench(kind: 'pglite' | 'postgresql', ctx: AppContext, peak: () => string): Promise<void> {
  try {
    const existing = await sql<{ n: unknown }>`SELECT count(*) AS n FROM employer`.execute(ctx.db);
    if (Number(existing.rows[0]?.n ?? 0) > 0) throw new Error('the benchmark needs a fresh database');
    fixToday('2026-03-15');
    const [, seedS] = await timed(() => seed(ctx, N));
    const counts = await sql<{ e: unknown; m: unknown; b: unknown }>`
      SELECT (SELECT count(*) FROM employer) AS e, (SELECT count(*) FROM employment) AS m, (SELECT count(*) FROM contribution_bill) AS b`.execute(
      ctx.db,
    );
    const c = counts.rows[0];
    console.log(
      `${kind}: seeded ${Number(c?.e).toLocaleString('en')} employers, ${Number(c?.m).toLocaleString('en')} employments, ${Number(c?.b).toLocaleString('en')} bills in ${seedS.toFixed(1)} s`,
    );
    await settle(ctx, 'the refund scan', {
      vacuum: ['employer', 'person', 'employment', 'contribution_bill'],
    });
    const [s, scanS] = await timed(() =>
      runRefundScan(ctx.db, ctx.params, actor, {
        year: 2025,
        ...(CHUNK === undefined ? {} : { chunkSize: CHUNK }),
      }),
    );
    const csv = await resultCsv(ctx);
    const copy = await copyBaseline(ctx, csv);
    console.log(
      `${kind}: refund scan 2025  ${s.employersScanned.toLocaleString('en')} employers (${s.qualifying.toLocaleString('en')} qualifying, ${s.totalFen.toLocaleString('en')} fen, ${(csv.length / 1048576).toFixed(1)} MB of results with traces) in ${scanS.toFixed(1)} s (${Math.round(s.employersScanned / scanS).toLocaleString('en')}/s); COPY of the same rows into refund_result's shape: ${copyRunsText(copy)}; ratio ${(scanS / copy.seconds).toFixed(2)}×`,
    );
    await settle(ctx, 'the rerun');
    const [again, rerunS] = await timed(() => runRefundScan(ctx.db, ctx.params, actor, { year: 2025 }));
    console.log(
      `${kind}: rerun of 2025 (done): ${rerunS.toFixed(2)} s, same figures: ${JSON.stringify(again) === JSON.stringify(s)}`,
    );
    console.log(`${kind}: peak RSS of this process ${peak()}`);
  } finally {
    fixToday(null);
  }
}

await runInProcess(which, bench);
