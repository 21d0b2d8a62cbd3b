// Benchmark of a supervision scan: every detector over a generated region of N persons (default
// 1,000,000) on PostgreSQL, with the time per detector, then the same scan again (idempotent: no new
// finding, the time of a re-run).
//   BENCH_DATABASE_URL=postgres://…/fresh_db node --import tsx bench/supervision.bench.ts [N]
// BENCH_DATABASE_URL must name a fresh, empty database. The region is written set-based: persons
// (a quarter of them pensioners paid for three months, 2% unemployed and paid, 60% employed with three
// monthly bills), employers, staff users with their own person records and an audit log of their
// writes, injury cases, back payments, processed deaths; then the planted cases of every pattern
// (src/supervision/detector.plant.ts), which the scan must find. A benchmark, not a test: it prints
// sizes and times and fails only when a planted case is missed.
//
// Measured: see docs/supervision.md (Performance).
import { sql } from 'kysely';
import { makeLogger, openContext } from '../src/bootstrap.ts';
import { systemActor } from '../src/auth/actor.ts';
import { fixToday } from '../src/core/clock.ts';
import { loadConfig } from '../src/config.ts';
import { plantSupervisionCases } from '../src/supervision/detector.plant.ts';
import { DETECTORS } from '../src/supervision/detector.rules.ts';
import { ScanService } from '../src/supervision/scan.service.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const REGION = '341800';
const AS_OF = '2026-11-20';
const PERIODS = ['2026-08', '2026-09', '2026-10'];

const url = process.env['BENCH_DATABASE_URL'];
if (!url) {
  process.stderr.write('BENCH_DATABASE_URL must name a fresh PostgreSQL database\n');
  process.exit(2);
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  process.stdout.write(`  ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return r;
}

fixToday(AS_OF);
const ctx = await openContext(
  { ...loadConfig({}), databaseUrl: url, logLevel: 'silent' },
  makeLogger('silent'),
);
const db = ctx.db;
const E = Math.max(10, Math.round(N / 25));
process.stdout.write(`supervision scan benchmark: ${N} persons, ${E} employers, PostgreSQL\n`);
process.stdout.write('generating the region\n');

await timed('persons', () =>
  sql`INSERT INTO person (id_number, name, sex, birth_date, hukou_region, region, address, bank_name, bank_account, death_date)
    SELECT 'B' || lpad(i::text, 17, '0'), '人员' || i, CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END,
      CASE WHEN i % 4 = 0 THEN date '1950-01-01' + (i % 5000) ELSE date '1970-01-01' + (i % 9000) END,
      ${REGION}, ${REGION}, '宣城市某路' || i || '号', '工商银行', '6222' || lpad(i::text, 15, '0'),
      CASE WHEN i % 400 = 0 THEN date '2026-07-15' END
    FROM generate_series(1, ${N}) i`.execute(db),
);
await timed('employers', () =>
  sql`INSERT INTO employer (credit_code, name, region, industry_class, size)
    SELECT 'E' || lpad(i::text, 17, '0'), '单位' || i, ${REGION}, 1 + i % 8, 'sme' FROM generate_series(1, ${E}) i`.execute(
    db,
  ),
);
const ids = await sql<{ p0: string; e0: string }>`
  SELECT (SELECT min(id) FROM person) AS p0, (SELECT min(id) FROM employer) AS e0`.execute(db);
const p0 = Number(ids.rows[0]?.p0);
const e0 = Number(ids.rows[0]?.e0);
// Working-age persons (i % 4 <> 0) are employed at employer (i % E); pensioners are i % 4 = 0.
await timed('employment (75%)', () =>
  sql`INSERT INTO employment (person_id, employer_id, start_date, monthly_wage_fen)
    SELECT id, ${e0} + (id - ${p0}) % ${E}, date '2015-01-01' + ((id - ${p0}) % 2000)::int, 600000
    FROM person WHERE (id - ${p0} + 1) % 4 <> 0 AND (id - ${p0} + 1) % 50 <> 1`.execute(db),
);
await timed('pension awards (25%)', () =>
  sql`INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months,
      status, stop_reason, stopped_from_period, monthly_fen, created_by)
    SELECT id, 'employee_pension', ${REGION}, 'import', date '2015-01-01' + ((id - ${p0}) % 3000)::int, '2023-01', 300,
      CASE WHEN death_date IS NULL THEN 'active' ELSE 'stopped' END, CASE WHEN death_date IS NOT NULL THEN 'death' END,
      CASE WHEN death_date IS NOT NULL THEN '2026-08' END, 200000 + ((id * 7919) % 400000), 'bench'
    FROM person WHERE (id - ${p0} + 1) % 4 = 0`.execute(db),
);
await timed('pension payments (3 months, none after a death)', () =>
  sql`INSERT INTO pension_payment (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
    SELECT a.id, m.period, 'regular', a.monthly_fen, 0, 0
    FROM pension_award a JOIN person p ON p.id = a.person_id
    CROSS JOIN (VALUES ('2026-08'), ('2026-09'), ('2026-10')) m(period)
    WHERE p.death_date IS NULL OR m.period <= to_char(p.death_date, 'YYYY-MM')`.execute(db),
);
await timed('unemployment claims and payments (2%)', async () => {
  await sql`INSERT INTO employment (person_id, employer_id, start_date, end_date, end_reason, monthly_wage_fen)
    SELECT id, ${e0} + (id - ${p0}) % ${E}, '2012-01-01', '2026-07-20', 'involuntary', 500000
    FROM person WHERE (id - ${p0} + 1) % 50 = 1`.execute(db);
  await sql`INSERT INTO unemployment_claim (person_id, region, employment_id, employer_id, separation_date, separation_reason,
      registration_date, decision_deadline, contribution_months, eligible, max_months, monthly_fen, medical_fen,
      entitlement_start, entitlement_end, first_period, last_period, status, created_by)
    SELECT e.person_id, ${REGION}, e.id, e.employer_id, e.end_date, 'involuntary', '2026-08-01', '2026-08-15', 120, true, 12,
      180000, 14400, '2026-08-01', '2027-07-31', '2026-08', '2027-07', 'approved', 'bench'
    FROM employment e WHERE e.end_date = '2026-07-20'`.execute(db);
  await sql`INSERT INTO unemployment_payment (person_id, claim_id, region, period, amount_fen, medical_fen, run_id, chunk_no)
    SELECT c.person_id, c.id, c.region, m.period, 180000, 14400, 0, 0
    FROM unemployment_claim c CROSS JOIN (VALUES ('2026-08'), ('2026-09'), ('2026-10')) m(period)`.execute(
    db,
  );
});
await timed('employer bills and lines (3 months; 0.1% of the lines back payments of 2 months)', async () => {
  // Each month's paid bills with their lines in one transaction (the record summary reads a settled
  // bill's lines at the commit that wrote it: migration 2026_12_04_1610).
  for (const period of PERIODS)
    await db.transaction().execute(async (tx) => {
      await sql`INSERT INTO contribution_bill (region, period, payer_kind, employer_id, due_date, average_wage_fen, lines, total_fen, status)
        SELECT ${REGION}, ${period}, 'employer', id, (${period} || '-28')::date, 800000, 0, 0, 'paid' FROM employer`.execute(
        tx,
      );
      await sql`INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen,
          personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
        SELECT b.id, e.person_id, ${period}, 600000, 96000, 48000, 48000, 3000, 3000, 3000, 0
        FROM employment e JOIN contribution_bill b ON b.employer_id = e.employer_id AND b.period = ${period} AND NOT b.back_payment
        WHERE e.end_date IS NULL`.execute(tx);
    });
  for (const period of ['2026-01', '2026-02'])
    await sql`WITH b AS (
        INSERT INTO contribution_bill (region, period, payer_kind, employer_id, back_payment, due_date, average_wage_fen, lines, total_fen, status)
        SELECT ${REGION}, ${period}, 'employer', id, true, '2026-03-31', 800000, 0, 0, 'open' FROM employer WHERE id % 25 = 0
        RETURNING id, employer_id)
      INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen,
        personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
      SELECT b.id, e.person_id, ${period}, 600000, 96000, 48000, 48000, 3000, 3000, 3000, 0
      FROM b JOIN employment e ON e.employer_id = b.employer_id AND e.end_date IS NULL AND e.person_id % 40 = 0`.execute(
      db,
    );
});
await timed('injury cases (0.2%, spread over the employers)', () =>
  sql`INSERT INTO injury_case (person_id, employer_id, region_code, kind, accident_date, description, status,
      reported_by, reporter_kind, reported_date, employer_insured, accepted_date)
    SELECT e.person_id, e.employer_id, ${REGION}, 'injury', date '2026-01-01' + (e.person_id % 300)::int, '基准：摔伤', 'accepted',
      'bench', 'employer', date '2026-01-06' + (e.person_id % 300)::int, true, date '2026-01-08' + (e.person_id % 300)::int
    FROM employment e WHERE e.end_date IS NULL AND e.person_id % 499 = 7`.execute(db),
);
const staff = Math.max(20, Math.round(N / 5000));
await timed(
  `staff (${staff}) with their own person records and an audit log of ${N / 5} writes`,
  async () => {
    await sql`INSERT INTO app_user (username, display_name, password_hash, role, person_id, region)
    SELECT 'bench-clerk-' || i, '职员' || i, '!', 'clerk', ${p0} + i * 37, ${REGION} FROM generate_series(1, ${staff}) i`.execute(
      db,
    );
    await sql`INSERT INTO audit_log (actor_user_id, actor_username, actor_role, action, entity_type, entity_id, region,
      subject_person_id, prev_hash, hash)
    SELECT u.id, u.username, 'clerk', CASE WHEN i % 3 = 0 THEN 'person.read' ELSE 'person.update' END, 'person',
      (${p0} + (i * 7919) % ${N})::text, ${REGION}, ${p0} + (i * 7919) % ${N}, md5((i - 1)::text), md5(i::text)
    FROM generate_series(1, ${N / 5}) i
    JOIN app_user u ON u.username = 'bench-clerk-' || (1 + i % ${staff})`.execute(db);
  },
);
await timed('planted cases', () => plantSupervisionCases(db, { region: REGION, asOf: AS_OF }));
await timed('ANALYZE', () => sql`ANALYZE`.execute(db));

const svc = new ScanService(db, ctx.params);
const actor = systemActor('bench');
for (const label of ['first scan', 'second scan (idempotent)']) {
  process.stdout.write(`${label}\n`);
  const t0 = performance.now();
  const r = await svc.scan(actor, { region: REGION, asOf: AS_OF });
  const total = (performance.now() - t0) / 1000;
  for (const d of DETECTORS)
    process.stdout.write(
      `  ${d.padEnd(28)} ${String(r.ms[d]).padStart(7)} ms  findings ${r.findings[d]} (new ${r.newFindings[d]})\n`,
    );
  process.stdout.write(`  total ${total.toFixed(1)} s, ${r.total} findings, ${r.newTotal} new\n`);
  const missed = DETECTORS.filter((d) => (r.findings[d] ?? 0) < 1);
  if (missed.length) {
    process.stdout.write(`MISSED planted cases: ${missed.join(', ')}\n`);
    process.exitCode = 1;
  }
}
const size = await sql<{
  s: string;
}>`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`.execute(db);
process.stdout.write(`database size ${size.rows[0]?.s}\n`);
await ctx.handle.close();
