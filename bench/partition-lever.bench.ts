// Issue #18's unmeasured lever: payments partitioned by period, a month's run writing a fresh partition
// whose indexes are built after the bulk insert and which is then attached. Measured without changing
// the product's schema or jobs, on PostgreSQL only, in one run:
//   BENCH_DATABASE_URL=postgres://…/postgres node --import tsx bench/partition-lever.bench.ts [N] [--months M] [--plans]
// N pensioners (default 1,000,000) in four cities of one province, M − 1 earlier months paid (default
// M = 24), then the payroll of the M-th month (2021-04) three ways, each on its own copy of the same
// database (CREATE DATABASE … TEMPLATE), and the payroll bench's COPY baseline:
//   (a) the job as it is, into pension_payment holding the earlier months (its primary key then takes
//       each new row in the middle, next to the award's earlier months);
//   (b) the same job writing into a fresh table LIKE pension_payment without indexes (a schema `stage`
//       ahead of `public` on the copy's search_path, so the job's own statements run unchanged), then
//       pension_payment's indexes built, the primary key added on its index, and ATTACH PARTITION into
//       a copy of pension_payment partitioned by RANGE (period) holding the earlier months (the attach
//       scans the new partition to prove its bound);
//   (c) as (b) with a CHECK matching the bound on the fresh table, so that the attach does not scan.
// Then what the partitioned layout costs the reads (EXPLAIN ANALYZE and a timed loop): one person's
// payments over all periods, the citizen's page (the latest 36 of an award), a period's total per region —
// on the plain table, on the period partitions, and on partitions per period and city (a region column
// added, as a province paying city by city would need). The job's month has no arrears (no adjustment
// before it), so its reads of pension_payment find nothing on either layout. A benchmark: it prints
// figures and never fails on timing. Figures and the recommendation: docs/performance.md (28th pass).
import { type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { systemActor } from '../src/auth/actor.ts';
import type { AppContext } from '../src/app-context.ts';
import { fixToday } from '../src/core/clock.ts';
import { runPayroll } from '../src/pension/payroll.job.ts';
import { seedPensioners } from '../src/testing/pension-fixtures.ts';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  arg,
  benchAdminDb as adminDb,
  clusterCpuReader,
  loadText as load,
  onBenchDb as onAdmin,
  openBenchDb as open,
  type CopyBaseline,
  copyCsvBaseline,
  copyRunsText,
  fasterOfTwo,
  monthsBefore,
  PAYMENT_COLS,
  paymentCsv,
  settle,
  timed,
} from './bench-support.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const MONTHS = Number(arg('months') ?? 24);
const PLANS = process.argv.includes('--plans');
/** `--no-city`: no layout by period and city for the reads (building it is the longest step at 1,000,000) */
const CITY = !process.argv.includes('--no-city');
const PROVINCE = '370000';
const CITIES = ['370100', '370200', '370300', '370600'] as const;
const PERIOD = '2021-04';
const NEXT = '2021-05';
const actor = systemActor('bench');
const admin = process.env['BENCH_DATABASE_URL'];

/**
 * pension_payment's indexes as CREATE INDEX statements renamed (`prefix`) and pointed at `target`: the
 * primary key's index and the others apart, with the key's definition (a partitioned parent takes the
 * key as a constraint, a partition on its index).
 */
async function paymentIndexes(
  c: pg.Client,
  target: string,
  prefix: string,
): Promise<{ pkey: string; pkeyIndex: string; pkeyDef: string; others: string[] }> {
  const r = await c.query<{ indexname: string; indexdef: string; pk: boolean }>(
    `SELECT i.indexname, i.indexdef, coalesce(x.indisprimary, false) AS pk
     FROM pg_indexes i JOIN pg_class ic ON ic.relname = i.indexname AND ic.relnamespace = 'public'::regnamespace
     JOIN pg_index x ON x.indexrelid = ic.oid
     WHERE i.schemaname = 'public' AND i.tablename = 'pension_payment' ORDER BY i.indexname`,
  );
  const def = await c.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'public.pension_payment'::regclass AND contype = 'p'`,
  );
  const renamed = (x: { indexname: string; indexdef: string }): string =>
    x.indexdef
      .replace(x.indexname, x.indexname.replace('pension_payment', prefix))
      .replace('ON public.pension_payment ', `ON ${target} `);
  const pk = r.rows.find((x) => x.pk);
  if (!pk || !def.rows[0]) throw new Error('pension_payment has no primary key');
  return {
    pkey: pk.indexname.replace('pension_payment', prefix),
    pkeyIndex: renamed(pk),
    pkeyDef: def.rows[0].def,
    others: r.rows.filter((x) => !x.pk).map(renamed),
  };
}

/**
 * A filled partition-to-be made a partition of pension_payment_part: pension_payment's indexes built,
 * the primary key added on its index, then ATTACH (which proves the bound by a scan unless a CHECK
 * implies it: DEBUG1 says which, as a notice). Each step's seconds.
 */
async function indexAndAttach(
  c: pg.Client,
  table: string,
  prefix: string,
  period: string,
): Promise<Array<{ what: string; seconds: number }>> {
  const steps: Array<{ what: string; seconds: number }> = [];
  const ix = await paymentIndexes(c, table, prefix);
  for (const d of [ix.pkeyIndex, ...ix.others]) {
    const [, t] = await timed(() => c.query(d));
    steps.push({ what: d.replace(/ ON .*? USING btree/, ''), seconds: t });
  }
  const [, tk] = await timed(() =>
    c.query(`ALTER TABLE ${table} ADD CONSTRAINT ${ix.pkey} PRIMARY KEY USING INDEX ${ix.pkey}`),
  );
  steps.push({ what: 'primary key on its index', seconds: tk });
  await c.query('SET client_min_messages = debug1');
  const [, ta] = await timed(() =>
    c.query(
      `ALTER TABLE public.pension_payment_part ATTACH PARTITION ${table} FOR VALUES FROM ('${period}') TO ('${nextMonth(period)}')`,
    ),
  );
  await c.query('RESET client_min_messages');
  steps.push({ what: 'ATTACH PARTITION', seconds: ta });
  return steps;
}

interface Variant {
  job: number;
  cpu: number | null;
  steps: Array<{ what: string; seconds: number }>;
  notices: string[];
  payments: number;
}

/** Seed, the earlier months on both layouts, settled: the template every variant copies. */
async function buildTemplate(name: string): Promise<void> {
  await onAdmin(adminDb(), (c) => c.query(`CREATE DATABASE ${name}`));
  const ctx = await open(name);
  try {
    const [, seedS] = await timed(async () => {
      const per = Math.ceil(N / CITIES.length);
      for (const [k, city] of CITIES.entries())
        for (let off = k * per; off < Math.min(N, (k + 1) * per); off += 250_000)
          await seedPensioners(ctx.db, {
            count: Math.min(250_000, Math.min(N, (k + 1) * per) - off),
            region: city,
            startPeriod: '2019-01',
            retirementDate: '2018-12-15',
            offset: off,
          });
    });
    const history = monthsBefore(PERIOD, MONTHS - 1);
    // The partitioned copy: same columns, defaults, checks (by name: ATTACH wants them) and indexes on the parent.
    await sql`CREATE TABLE pension_payment_part (LIKE pension_payment INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (period)`.execute(
      ctx.db,
    );
    await onAdmin(name, async (c) => {
      const ix = await paymentIndexes(c, 'public.pension_payment_part', 'pension_payment_part');
      await c.query(`ALTER TABLE pension_payment_part ADD CONSTRAINT ${ix.pkey} ${ix.pkeyDef}`);
      for (const d of ix.others) await c.query(d);
    });
    const [, histS] = await timed(async () => {
      // the plain table month by month, as the payrolls wrote it: each month's keys go next to the award's
      // earlier ones; each month's partition as the lever would write it (indexed after, then attached)
      for (const m of history) {
        const rows = (t: string): RawBuilder<unknown> =>
          sql`INSERT INTO ${sql.table(t)} (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
            SELECT a.id, ${m}, 'regular', a.monthly_fen, 0, 1 + (a.id / 50000)::int FROM pension_award a ORDER BY a.id`;
        await rows('pension_payment').execute(ctx.db);
        const part = `pension_payment_${m.replace('-', '_')}`;
        await sql
          .raw(
            `CREATE TABLE ${part} (LIKE pension_payment INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT ${part}_bound CHECK (period >= '${m}' AND period < '${nextMonth(m)}'))`,
          )
          .execute(ctx.db);
        await rows(part).execute(ctx.db);
        await onAdmin(name, (c) => indexAndAttach(c, `public.${part}`, part, m));
      }
    });
    await settle(ctx, 'the template', {
      vacuum: ['person', 'pension_award', 'pension_amount', 'pension_payment', 'pension_payment_part'],
    });
    console.log(
      `seeded ${N.toLocaleString('en')} pensioners in ${CITIES.length} cities in ${seedS.toFixed(1)} s; ${history.length} earlier months (${history[0]} … ${history.at(-1)}) on both layouts in ${histS.toFixed(1)} s; ${load()}`,
    );
  } finally {
    await ctx.handle.close();
  }
}

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

/** (a): the job as it is. */
async function plainJob(db: string): Promise<Variant> {
  const ctx = await open(db);
  try {
    await settle(ctx, '(a)');
    const cpu = await clusterCpuReader(ctx);
    const c0 = cpu();
    const [p, s] = await timed(() => runPayroll(ctx.db, actor, { period: PERIOD, region: PROVINCE }));
    const c1 = cpu();
    return {
      job: s,
      cpu: c0 === null || c1 === null ? null : c1 - c0,
      steps: [],
      notices: [],
      payments: p.payments,
    };
  } finally {
    await ctx.handle.close();
  }
}

/** (b) and (c): the job into a fresh unindexed table, then its indexes, its key and the attach. */
async function partitionJob(db: string, boundCheck: boolean): Promise<Variant> {
  await onAdmin(db, async (c) => {
    await c.query('CREATE SCHEMA stage');
    await c.query(
      'CREATE TABLE stage.pension_payment (LIKE public.pension_payment INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
    );
    if (boundCheck)
      await c.query(
        `ALTER TABLE stage.pension_payment ADD CONSTRAINT pension_payment_bound CHECK (period >= '${PERIOD}' AND period < '${NEXT}')`,
      );
    // the job's unqualified pension_payment is now the fresh table; every other table is public's
    await c.query(`ALTER DATABASE ${db} SET search_path = stage, public`);
  });
  const ctx = await open(db);
  try {
    await settle(ctx, boundCheck ? '(c)' : '(b)');
    const cpu = await clusterCpuReader(ctx);
    const c0 = cpu();
    const [p, s] = await timed(() => runPayroll(ctx.db, actor, { period: PERIOD, region: PROVINCE }));
    const steps: Variant['steps'] = [];
    const notices: string[] = [];
    await onAdmin(db, async (c) => {
      c.on('notice', (n) => notices.push(n.message ?? ''));
      steps.push(
        ...(await indexAndAttach(
          c,
          'stage.pension_payment',
          `pension_payment_${PERIOD.replace('-', '_')}`,
          PERIOD,
        )),
      );
      await c.query(`ALTER DATABASE ${db} RESET search_path`);
    });
    const c1 = cpu();
    return { job: s, cpu: c0 === null || c1 === null ? null : c1 - c0, steps, notices, payments: p.payments };
  } finally {
    await ctx.handle.close();
  }
}

/** The lever's own floor: the COPY of the same rows into a fresh table without indexes, then the indexes built. */
async function copyThenIndex(ctx: AppContext, db: string, csv: string): Promise<CopyBaseline> {
  const dir = mkdtempSync(join(tmpdir(), 'shebao-bench-floor-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'floor.csv');
  writeFileSync(file, csv, { mode: 0o644 });
  try {
    return await fasterOfTwo(async () => {
      await sql`DROP TABLE IF EXISTS bench_floor`.execute(ctx.db);
      await sql`CREATE TABLE bench_floor (LIKE pension_payment INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`.execute(
        ctx.db,
      );
      try {
        await settle(ctx, 'the COPY into bench_floor');
        const [, s] = await timed(async () => {
          await sql
            .raw(`COPY bench_floor (${PAYMENT_COLS}) FROM '${file}' WITH (FORMAT csv)`)
            .execute(ctx.db);
          await onAdmin(db, async (c) => {
            const ix = await paymentIndexes(c, 'public.bench_floor', 'bench_floor');
            for (const d of [ix.pkeyIndex, ...ix.others]) await c.query(d);
          });
        });
        return s;
      } finally {
        await sql`DROP TABLE IF EXISTS bench_floor`.execute(ctx.db);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Sample {
  award: number;
  person: number;
  region: string;
}

interface ReadCase {
  name: string;
  text: string;
  params: (s: Sample) => unknown[];
  /** timed over every sampled person (a per-person read); otherwise EXPLAIN ANALYZE alone */
  loop: boolean;
}

interface PlanNode {
  'Relation Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

const relationsScanned = (n: PlanNode): number =>
  (n['Relation Name'] ? 1 : 0) + (n.Plans ?? []).reduce((k, p) => k + relationsScanned(p), 0);

/** The reads that matter on `table`: EXPLAIN (ANALYZE, BUFFERS) of the first person, and the mean of a loop over all. */
async function measureReads(
  db: string,
  label: string,
  cases: readonly ReadCase[],
  sample: readonly Sample[],
): Promise<void> {
  await onAdmin(db, async (c) => {
    for (const rc of cases) {
      const first = sample[0];
      if (!first) throw new Error('no sampled person');
      await c.query(rc.text, rc.params(first));
      const ex = await c.query<{
        'QUERY PLAN': Array<{ Plan: PlanNode; 'Planning Time': number; 'Execution Time': number }>;
      }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${rc.text}`, rc.params(first));
      const plan = ex.rows[0]?.['QUERY PLAN'][0];
      if (!plan) throw new Error('no plan');
      let loopText = '';
      if (rc.loop) {
        for (const s of sample) await c.query(rc.text, rc.params(s));
        const [, t] = await timed(async () => {
          for (const s of sample) await c.query(rc.text, rc.params(s));
        });
        loopText = `; ${sample.length} people, ${((t / sample.length) * 1000).toFixed(2)} ms a read (round trip, planned each time)`;
      }
      console.log(
        `  ${label} — ${rc.name}: planning ${plan['Planning Time'].toFixed(2)} ms, execution ${plan['Execution Time'].toFixed(2)} ms, ${plan.Plan['Shared Hit Blocks'] ?? 0} hits + ${plan.Plan['Shared Read Blocks'] ?? 0} reads, ${relationsScanned(plan.Plan)} relation scans${loopText}`,
      );
      if (PLANS) {
        const t = await c.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${rc.text}`,
          rc.params(first),
        );
        console.log(t.rows.map((r) => `      ${r['QUERY PLAN']}`).join('\n'));
      }
    }
  });
}

const personReads = (table: string): ReadCase[] => [
  {
    name: "one person's payments, every period",
    text: `SELECT pp.period, pp.kind, pp.amount_fen FROM ${table} pp JOIN pension_award a ON a.id = pp.award_id WHERE a.person_id = $1 ORDER BY pp.period`,
    params: (s) => [s.person],
    loop: true,
  },
  {
    name: "the citizen's page (an award's latest 36)",
    text: `SELECT period, kind, amount_fen FROM ${table} WHERE award_id = $1 ORDER BY period DESC LIMIT 36`,
    params: (s) => [s.award],
    loop: true,
  },
];

const totalByRegion = (table: string, period: string): ReadCase => ({
  name: `the total of ${period} per city`,
  text: `SELECT a.region, count(*), sum(pp.amount_fen) FROM ${table} pp JOIN pension_award a ON a.id = pp.award_id WHERE pp.period = $1 GROUP BY a.region`,
  params: () => [period],
  loop: false,
});

/** A copy of the partitioned payments partitioned again by city (a region column added): a province paying city by city. */
async function buildCityLayout(db: string, months: readonly string[]): Promise<number> {
  const [, s] = await timed(() =>
    onAdmin(db, async (c) => {
      await c.query(
        'CREATE TABLE public.pension_payment_city (LIKE public.pension_payment INCLUDING DEFAULTS INCLUDING CONSTRAINTS, region character(6) NOT NULL) PARTITION BY RANGE (period)',
      );
      for (const m of months) {
        const p = `pension_payment_city_${m.replace('-', '_')}`;
        await c.query(
          `CREATE TABLE public.${p} PARTITION OF public.pension_payment_city FOR VALUES FROM ('${m}') TO ('${nextMonth(m)}') PARTITION BY LIST (region)`,
        );
        for (const city of CITIES)
          await c.query(
            `CREATE TABLE public.${p}_${city} PARTITION OF public.${p} FOR VALUES IN ('${city}')`,
          );
      }
      await c.query(
        'INSERT INTO pension_payment_city SELECT pp.*, a.region FROM pension_payment_part pp JOIN pension_award a ON a.id = pp.award_id',
      );
      await c.query('ALTER TABLE pension_payment_city ADD PRIMARY KEY (award_id, period, kind, region)');
      await c.query('VACUUM (ANALYZE) pension_payment_city');
    }),
  );
  return s;
}

/** count, sum and md5 of the month's payments in key order: the three layouts must hold the same rows. */
async function monthDigest(db: string, table: string): Promise<string> {
  return onAdmin(db, async (c) => {
    const r = await c.query<{ n: string; total: string; md5: string }>(
      `SELECT count(*) AS n, sum(amount_fen) AS total, md5(string_agg(award_id || kind || amount_fen || ':' || chunk_no, ',' ORDER BY award_id, kind)) AS md5
       FROM ${table} WHERE period = $1`,
      [PERIOD],
    );
    const x = r.rows[0];
    return `${x?.n} rows, ${x?.total} fen, md5 ${x?.md5.slice(0, 8)}…`;
  });
}

const cpuText = (c: number | null): string => (c === null ? 'n/a' : `${c.toFixed(1)} s`);

function printVariant(label: string, v: Variant, copy: CopyBaseline): void {
  const after = v.steps.reduce((k, st) => k + st.seconds, 0);
  const total = v.job + after;
  console.log(
    `${label}: ${total.toFixed(2)} s, ratio ${(total / copy.seconds).toFixed(2)}× the COPY (the job ${v.job.toFixed(2)} s = ${(v.job / copy.seconds).toFixed(2)}×${v.steps.length ? `, after it ${after.toFixed(2)} s` : ''}); cluster CPU ${cpuText(v.cpu)}; ${load()}`,
  );
  for (const st of v.steps) console.log(`    ${st.what}: ${st.seconds.toFixed(2)} s`);
  const proof = v.notices.filter((n) => /partition constraint|implied|scan/i.test(n));
  if (proof.length) console.log(`    attach said: ${proof.join(' | ')}`);
}

async function main(): Promise<void> {
  if (!admin) {
    console.log('PostgreSQL only: BENCH_DATABASE_URL is not set');
    return;
  }
  const base = `partlever_${randomBytes(4).toString('hex')}`;
  const [dbA, dbB, dbC] = [`${base}_a`, `${base}_b`, `${base}_c`];
  const made: string[] = [];
  fixToday('2021-04-20');
  try {
    console.log(`partition lever, N = ${N.toLocaleString('en')}, ${MONTHS} months; ${load()}`);
    made.push(base);
    await buildTemplate(base);
    for (const d of [dbA, dbB, dbC]) {
      await onAdmin(adminDb(), (c) => c.query(`CREATE DATABASE ${d} TEMPLATE ${base} STRATEGY FILE_COPY`));
      made.push(d);
    }
    await onAdmin(adminDb(), (c) => c.query(`DROP DATABASE ${base}`));
    made.shift();

    const va = await plainJob(dbA);
    const ctxA = await open(dbA);
    let copy: CopyBaseline;
    let floor: CopyBaseline;
    try {
      const csv = paymentCsv(va.payments, 1, PERIOD);
      copy = await copyCsvBaseline(ctxA, 'pension_payment', PAYMENT_COLS, csv, await clusterCpuReader(ctxA));
      floor = await copyThenIndex(ctxA, dbA, csv);
    } finally {
      await ctxA.handle.close();
    }
    const vb = await partitionJob(dbB, false);
    const vc = await partitionJob(dbC, true);
    console.log(
      `COPY of ${va.payments.toLocaleString('en')} rows into pension_payment's shape (the payroll bench's baseline): ${copyRunsText(copy)}, cluster CPU ${cpuText(copy.cpu)}`,
    );
    printVariant('(a) the job as it is, into pension_payment with the earlier months', va, copy);
    printVariant('(b) the job into a fresh unindexed table, indexes, key, ATTACH (scans)', vb, copy);
    printVariant('(c) as (b) with a CHECK of the bound (ATTACH without a scan)', vc, copy);
    console.log(
      `the lever's own floor: the same COPY into a fresh table without indexes, then its indexes: ${copyRunsText(floor)}, ratio ${(floor.seconds / copy.seconds).toFixed(2)}× the COPY`,
    );
    console.log(
      `same rows: (a) ${await monthDigest(dbA, 'pension_payment')}; (b) ${await monthDigest(dbB, 'pension_payment_part')}; (c) ${await monthDigest(dbC, 'pension_payment_part')}`,
    );

    // The reads, on the plain table of (a) and the partitioned table of (c), both 24 months.
    const months = [...monthsBefore(PERIOD, MONTHS - 1), PERIOD];
    const cityS = CITY ? await buildCityLayout(dbC, months) : null;
    console.log(
      `reads (${months.length} months; ${cityS === null ? 'no layout by city (--no-city)' : `by city: ${months.length} × ${CITIES.length} partitions, built in ${cityS.toFixed(1)} s`}); ${load()}`,
    );
    const step = Math.max(1, Math.floor(N / 200));
    const sample = await onAdmin(dbA, async (c) => {
      const r = await c.query<{ award: string; person: string; region: string }>(
        `SELECT id AS award, person_id AS person, region FROM pension_award WHERE id % ${step} = 7 ORDER BY id LIMIT 200`,
      );
      return r.rows.map((x) => ({ award: Number(x.award), person: Number(x.person), region: x.region }));
    });
    const total = monthsBefore(PERIOD, 1)[0] ?? PERIOD;
    for (let round = 1; round <= 2; round++) {
      console.log(`  round ${round}`);
      await measureReads(
        dbA,
        'plain',
        [...personReads('pension_payment'), totalByRegion('pension_payment', total)],
        sample,
      );
      await measureReads(
        dbC,
        'by period',
        [...personReads('pension_payment_part'), totalByRegion('pension_payment_part', total)],
        sample,
      );
      if (CITY)
        await measureReads(
          dbC,
          'by period and city',
          [
            ...personReads('pension_payment_city'),
            {
              name: "the citizen's page, the award's city named",
              text: 'SELECT period, kind, amount_fen FROM pension_payment_city WHERE award_id = $1 AND region = $2 ORDER BY period DESC LIMIT 36',
              params: (s) => [s.award, s.region],
              loop: true,
            },
            {
              name: `the total of ${total} per city, from the region column`,
              text: 'SELECT region, count(*), sum(amount_fen) FROM pension_payment_city WHERE period = $1 GROUP BY region',
              params: () => [total],
              loop: false,
            },
          ],
          sample,
        );
    }
  } finally {
    fixToday(null);
    if (process.env['BENCH_KEEP']) console.log(`kept ${made.join(', ')}`);
    else
      for (const d of made)
        await onAdmin(adminDb(), (c) => c.query(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`));
  }
}

await main();
