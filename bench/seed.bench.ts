// Benchmark of the demo-city seed: N persons (default 1,000,000) on PGlite (a fresh temporary data
// folder) and, when BENCH_DATABASE_URL is set, on PostgreSQL (a fresh database created there and
// dropped after). In the same run and the same database it times COPY of the same N person rows into
// a table of the same shape with the same indexes — the raw limit the seed is compared with — twice
// each, from a settled database (support.settle), the faster counting (support.fasterOfTwo). It prints
// the CPU seconds of the seed and of each COPY: this process's and the database's (the PostgreSQL
// cluster's; PGlite runs in this process), which unlike seconds hardly depend on the machine's load.
//   node --import tsx bench/seed.bench.ts [--persons N] [--employers M] [--seed S]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54330/postgres node --import tsx bench/seed.bench.ts
// Each database runs in its own child process, so the peak memory (max RSS) is per database.
// A benchmark, not a test: it prints sizes, times and ratios and never fails on timing.
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import * as support from './bench-support.ts';
import { CityGenerator, type PersonColumns } from '../src/demo/demo-city.generate.ts';
import { DEMO_CHUNK, seedDemoCity, type SeedReport } from '../src/demo/demo-city.ts';

const PERSONS = Number(support.arg('persons') ?? 1_000_000);
const EMPLOYERS = Number(support.arg('employers') ?? Math.max(40, Math.round(PERSONS / 25)));
const SEED = Number(support.arg('seed') ?? 20211231);
const AS_OF = '2026-11-28';

interface TargetResult {
  target: support.Target;
  seed: SeedReport;
  seedPeakRssMiB: number;
  /** CPU seconds of the seed: this process's, and the database's (null where it cannot be read) */
  seedCpu: { node: number; database: number | null };
  copy: support.CopyBaseline;
  copyFk: support.CopyBaseline;
  copyBytes: number;
  databaseMiB: number | null;
  serverVersion: string;
  /** the load average (1, 5, 15 min) at the start and the end of the timed work */
  load: { start: number[]; end: number[] };
}

const PERSON_COLUMNS: Array<keyof PersonColumns> = [
  'id',
  'id_number',
  'name',
  'sex',
  'birth_date',
  'hukou_region',
  'region',
  'phone',
  'address',
  'bank_name',
  'bank_account',
  'hardship_group',
  'death_date',
];

/** The same person rows the seed wrote, as COPY text in chunks of about 64 KiB. */
function personCopyChunks(): Buffer[] {
  const gen = new CityGenerator(SEED, PERSONS, EMPLOYERS, AS_OF, 1, 1);
  for (let f = 0; f < EMPLOYERS; f += DEMO_CHUNK)
    gen.generateEmployers(f, Math.min(EMPLOYERS, f + DEMO_CHUNK));
  const out: Buffer[] = [];
  let pending = '';
  for (let from = 0; from < PERSONS; from += DEMO_CHUNK) {
    const p = gen.generatePersons(from, Math.min(PERSONS, from + DEMO_CHUNK)).persons;
    for (let i = 0; i < p.id.length; i++) {
      pending += `${PERSON_COLUMNS.map((c) => {
        const v = p[c][i];
        return v === null || v === undefined ? '\\N' : String(v);
      }).join('\t')}\n`;
      if (pending.length >= 24_000) {
        out.push(Buffer.from(pending)); // ~64 KiB of UTF-8 (Chinese is 3 bytes a character)
        pending = '';
      }
    }
  }
  if (pending) out.push(Buffer.from(pending));
  return out;
}

async function runTarget(target: support.Target): Promise<TargetResult> {
  const opened = await support.openFreshTarget(target, 'shebao_bench');
  const { ctx, dbUrl, serverVersion, cleanup } = opened;
  try {
    const db = ctx.db;
    let lastPrint = 0;
    const databaseCpu = await support.databaseCpuReader(ctx);
    const loadStart = loadavg();
    const n0 = process.cpuUsage();
    const d0 = databaseCpu();
    const seed = await seedDemoCity(db, {
      seed: SEED,
      persons: PERSONS,
      employers: EMPLOYERS,
      asOf: AS_OF,
      onProgress: (done, total, stage) => {
        const now = performance.now();
        if (now - lastPrint > 2000 || done === total) {
          lastPrint = now;
          process.stderr.write(
            `  [${target}] ${stage} ${done.toLocaleString('en')}/${total.toLocaleString('en')}  rss ${support.mib(process.memoryUsage().rss)} MiB\n`,
          );
        }
      },
    });
    const n = process.cpuUsage(n0);
    const d1 = databaseCpu();
    const seedCpu = {
      node: (n.user + n.system) / 1e6,
      database: d0 === null || d1 === null ? null : d1 - d0,
    };
    const seedPeakRssMiB = support.peakRssMiB();

    // The raw limit: COPY the same rows into tables shaped like person, with the same indexes
    // (LIKE … INCLUDING ALL), then the same again with person's two foreign keys to region.
    process.stderr.write(`  [${target}] preparing COPY text for ${PERSONS.toLocaleString('en')} persons\n`);
    const chunks = personCopyChunks();
    const copyBytes = chunks.reduce((s, c) => s + c.length, 0);
    const cols = PERSON_COLUMNS.join(', ');
    const copyInto = (withKeys: boolean): Promise<support.CopyBaseline> =>
      support.fasterOfTwo(async () => {
        await sql`DROP TABLE IF EXISTS bench_person_copy`.execute(db);
        await sql`CREATE TABLE bench_person_copy (LIKE person INCLUDING ALL)`.execute(db);
        if (withKeys)
          await sql`ALTER TABLE bench_person_copy ADD FOREIGN KEY (hukou_region) REFERENCES region(code), ADD FOREIGN KEY (region) REFERENCES region(code)`.execute(
            db,
          );
        try {
          await support.settle(ctx, 'the COPY into bench_person_copy');
          return await support.copyChunksInto(
            ctx,
            dbUrl,
            'bench_person_copy',
            cols,
            chunks,
            PERSONS,
            databaseCpu,
          );
        } finally {
          await sql`DROP TABLE IF EXISTS bench_person_copy`.execute(db);
        }
      });
    const copy = await copyInto(false);
    const copyFk = await copyInto(true);
    const size = await sql<{ n: string | number }>`SELECT pg_database_size(current_database()) AS n`
      .execute(db)
      .catch(() => null);
    return {
      target,
      seed,
      seedPeakRssMiB,
      seedCpu,
      copy,
      copyFk,
      copyBytes,
      databaseMiB: size ? support.mib(Number(size.rows[0]?.n)) : null,
      serverVersion,
      load: { start: loadStart, end: loadavg() },
    };
  } finally {
    await cleanup();
  }
}

function print(r: TargetResult): void {
  const s = r.seed;
  const f = (x: number): string => x.toFixed(1).padStart(7);
  console.log(`\n## ${r.target} (PostgreSQL ${r.serverVersion})`);
  console.log(
    `seeded ${s.persons.toLocaleString('en')} persons, ${s.employers.toLocaleString('en')} employers, ${s.employments.toLocaleString('en')} employment rows, ${s.enrolments.toLocaleString('en')} enrolments in ${s.seconds.toFixed(1)} s`,
  );
  console.log(
    `  ${Math.round(s.persons / s.seconds).toLocaleString('en')} persons/s overall; ${Math.round((s.persons + s.employers + s.employments + s.enrolments) / s.seconds).toLocaleString('en')} rows/s`,
  );
  for (const [stage, sec] of Object.entries(s.byStage)) console.log(`  ${stage.padEnd(11)} ${f(sec)} s`);
  console.log(
    `COPY of the same ${s.persons.toLocaleString('en')} person rows (${support.mib(r.copyBytes)} MiB of text) into LIKE person INCLUDING ALL: ${support.copyRunsText(r.copy)}; with person's 2 foreign keys: ${support.copyRunsText(r.copyFk)}`,
  );
  const persons = s.byStage['persons'] ?? 0;
  console.log(
    `  ratio, person stage / COPY (same indexes): ${(persons / r.copy.seconds).toFixed(2)}×; with FKs: ${(persons / r.copyFk.seconds).toFixed(2)}×`,
  );
  console.log(
    `  ratio, whole seed (all tables, generation included) / COPY of person: ${(s.seconds / r.copy.seconds).toFixed(1)}×`,
  );
  const cpu = (x: number | null): string => (x === null ? '?' : `${x.toFixed(1)} s`);
  const database = r.target === 'pglite' ? 'this process, PGlite in it' : 'the PostgreSQL cluster';
  console.log(
    `CPU: the seed, this process ${cpu(r.seedCpu.node)}${r.target === 'pglite' ? '' : `, the cluster ${cpu(r.seedCpu.database)}`}; the faster COPY (${database}) ${cpu(r.copy.cpu)}, with FKs ${cpu(r.copyFk.cpu)}`,
  );
  const la = (x: number[]): string => x.map((v) => v.toFixed(1)).join(' ');
  console.log(`load average: ${la(r.load.start)} at the start, ${la(r.load.end)} at the end`);
  console.log(
    `peak RSS during the seed: ${r.seedPeakRssMiB} MiB${r.databaseMiB !== null ? `; database size after the bench: ${r.databaseMiB} MiB` : ''}`,
  );
}

await support.perTargetMain(fileURLToPath(import.meta.url), runTarget, {
  header: () =>
    `# demo-city seed benchmark: ${PERSONS.toLocaleString('en')} persons, ${EMPLOYERS.toLocaleString('en')} employers, seed ${SEED}; ${cpus().length} cores, ${support.mib(totalmem())} MiB RAM, Node ${process.version}`,
  order: ['pglite', 'postgresql'],
  print,
  maxBuffer: 16 * 1024 * 1024,
});
