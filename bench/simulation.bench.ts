// Benchmark of the policy simulator: a region of N persons (default 1,000,000: about four in five
// contributors with an employment and an employee-pension enrolment, the rest pensioners with an
// active award), generated set-based; then the service's run of a 30-year projection (baseline and
// one scenario), split into reading the population as cohorts (SQL) and projecting them (the live
// rules once per cohort and year). PostgreSQL when BENCH_DATABASE_URL is set (a fresh database is
// created there and dropped after), else PGlite in a temporary folder.
//   node --import tsx bench/simulation.bench.ts [--persons N] [--years 30]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55605/postgres node --import tsx bench/simulation.bench.ts
// A benchmark, not a test: it prints sizes and times and never fails on timing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { AppContext } from '../src/app-context.ts';
import { systemActor } from '../src/auth/actor.ts';
import { makeLogger, openContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { fixToday } from '../src/core/clock.ts';
import { projectFund } from '../src/simulation/projection.rules.ts';
import { SimulationService } from '../src/simulation/simulation.service.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const ADMIN = process.env['BENCH_DATABASE_URL'];
const N = Number(arg('persons') ?? (ADMIN ? 1_000_000 : 100_000));
const YEARS = Number(arg('years') ?? 30);
const REGION = '341800';
const TODAY = '2026-06-30';
const SPAN = 25_000; // birth dates over ~68 years from 1935-01-01
const EMPLOYERS = Math.max(1, Math.round(N / 25));

async function generate(ctx: AppContext): Promise<void> {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = sql.raw(weights.map((w, k) => `substr(body, ${k + 1}, 1)::int * ${w}`).join(' + '));
  await ctx.db.transaction().execute(async (tx) => {
    await sql`
      INSERT INTO person (id_number, name, sex, birth_date, hukou_region, region)
      SELECT body || substr('10X98765432', ((${sum}) % 11) + 1, 1), '居民' || i,
        CASE WHEN i % 2 = 1 THEN 'M' ELSE 'F' END, birth, '341802', ${REGION}
      FROM (SELECT i, (date '1935-01-01' + (i % ${SPAN})) AS birth,
              '341802' || to_char(date '1935-01-01' + (i % ${SPAN}), 'YYYYMMDD')
                || lpad(((i / ${SPAN}) * 2 + i % 2)::text, 3, '0') AS body
            FROM generate_series(0, ${N - 1}) i) s`.execute(tx);
    await sql`
      INSERT INTO employer (credit_code, name, region, industry_class, size)
      SELECT '91341800' || lpad(i::text, 10, '0'), '宣城模拟单位' || i, ${REGION}, 1 + i % 8, 'sme'
      FROM generate_series(0, ${EMPLOYERS - 1}) i`.execute(tx);
    // Working age (born 1962 and later): an employment and an enrolment (one in ten flexible).
    await sql`
      INSERT INTO employment (person_id, employer_id, start_date, monthly_wage_fen)
      SELECT p.id, e0 + (p.id % ${EMPLOYERS}), greatest(p.birth_date + interval '22 years', date '1995-01-01')::date,
        300000 + (p.id * 7919) % 1500000
      FROM person p, (SELECT min(id) AS e0 FROM employer) e
      WHERE p.birth_date >= '1962-01-01' AND p.birth_date <= '2006-01-01' AND p.id % 10 <> 0`.execute(tx);
    await sql`
      INSERT INTO enrolment (person_id, scheme, kind, region, employer_id, start_date, status)
      SELECT p.id, 'employee_pension', CASE WHEN p.id % 10 = 0 THEN 'flexible' ELSE 'employee' END, ${REGION},
        CASE WHEN p.id % 10 = 0 THEN NULL ELSE e0 + (p.id % ${EMPLOYERS}) END,
        greatest(p.birth_date + interval '22 years', date '1995-01-01')::date, 'active'
      FROM person p, (SELECT min(id) AS e0 FROM employer) e
      WHERE p.birth_date >= '1962-01-01' AND p.birth_date <= '2006-01-01'`.execute(tx);
    // Older: an active employee pension award.
    await sql`
      INSERT INTO pension_award (person_id, scheme, region, retirement_date, start_period, contribution_months, monthly_fen, created_by)
      SELECT p.id, 'employee_pension', ${REGION}, (p.birth_date + interval '60 years')::date,
        to_char(p.birth_date + interval '60 years 1 month', 'YYYY-MM'), 180 + p.id % 240, 200000 + (p.id * 7919) % 400000, 'bench'
      FROM person p WHERE p.birth_date < '1962-01-01' AND p.birth_date + interval '60 years' <= ${TODAY}::date`.execute(
      tx,
    );
  });
  await sql`ANALYZE`.execute(ctx.db);
}

async function main(): Promise<void> {
  const log = makeLogger('silent');
  const work = mkdtempSync(join(tmpdir(), 'shebao-sim-bench-'));
  let ctx: AppContext;
  let cleanup: () => Promise<void>;
  const target = ADMIN ? 'postgresql' : 'pglite';
  if (ADMIN) {
    const name = `shebao_bench_sim_${randomBytes(4).toString('hex')}`;
    const c = new pg.Client({ connectionString: ADMIN });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const url = new URL(ADMIN);
    url.pathname = `/${name}`;
    ctx = await openContext({ ...loadConfig({}), databaseUrl: url.toString(), logLevel: 'silent' }, log);
    cleanup = async () => {
      await ctx.handle.close();
      const d = new pg.Client({ connectionString: ADMIN });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    };
  } else {
    ctx = await openContext(
      { ...loadConfig({}), databaseUrl: undefined, dataDir: join(work, 'data'), logLevel: 'silent' },
      log,
    );
    cleanup = async () => ctx.handle.close();
  }
  try {
    const version = String(
      (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(ctx.db)).rows[0]?.v,
    );
    process.stderr.write(`  [${target}] generating ${N.toLocaleString('en')} persons\n`);
    let t0 = performance.now();
    await generate(ctx);
    const generateSeconds = (performance.now() - t0) / 1000;
    fixToday(TODAY);
    const service = new SimulationService(ctx.db, ctx.params);
    t0 = performance.now();
    const snapshot = await service.snapshot(REGION, TODAY);
    const snapshotSeconds = (performance.now() - t0) / 1000;
    const contributors = snapshot.contributors.reduce((s, c) => s + c.count, 0);
    const pensioners = snapshot.pensioners.reduce((s, c) => s + c.count, 0);
    t0 = performance.now();
    const base = projectFund(snapshot, { years: YEARS }, ctx.params);
    const projectSeconds = (performance.now() - t0) / 1000;
    const actor = { ...systemActor('bench'), region: REGION };
    t0 = performance.now();
    const run = await service.run(actor, {
      years: YEARS,
      adjustmentRatePpm: 20_000,
      retirementAge: { male: { maxDelayMonths: 60, stepMonths: 2 } },
    });
    const runSeconds = (performance.now() - t0) / 1000;
    const last = base.years[base.years.length - 1];
    console.log(`\n## ${target} (PostgreSQL ${version}), ${cpus().length} cores`);
    console.log(
      `generated ${N.toLocaleString('en')} persons (${contributors.toLocaleString('en')} contributors, ${pensioners.toLocaleString('en')} pensioners): ${generateSeconds.toFixed(1)} s`,
    );
    console.log(
      `population as cohorts (SQL): ${snapshotSeconds.toFixed(2)} s — ${snapshot.contributors.length.toLocaleString('en')} contributor groups, ${snapshot.pensioners.length.toLocaleString('en')} pensioner groups`,
    );
    console.log(
      `${YEARS}-year projection, baseline (live rules per cohort and year): ${projectSeconds.toFixed(2)} s`,
    );
    console.log(
      `POST /api/v1/simulations service run (read + project + store), scenario: ${runSeconds.toFixed(2)} s (run ${run.id})`,
    );
    if (last)
      console.log(
        `baseline ${last.year}: ${last.contributors.toLocaleString('en')} contributors, ${last.pensioners.toLocaleString('en')} pensioners, dependency ${(last.dependencyRatioPpm / 10_000).toFixed(1)}%`,
      );
    console.log(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  } finally {
    fixToday(null);
    await cleanup();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
