// Benchmark of a certification sweep against a 1,000,000-row death and travel import, with N
// pensioners (default 1,000,000) generated set-based (valid ID numbers computed in SQL), on PGlite (a
// fresh temporary data folder) and, when BENCH_DATABASE_URL is set, on PostgreSQL (a fresh database
// created there and dropped after). Measured as the platform runs it: the two files are streamed line
// by line through DataImportService (every line checked, staged by COPY, matched set-based; deaths
// recorded through the registry in chunks, PersonService.recordDeaths), then the deadline sweep suspends the
// uncertified. In the same run and database it times two baselines, and prints a ratio against each:
//   1. "ratio to the staged lines' COPY" (issue #18's figure since the third pass): each phase's seconds,
//      and their total, divided by the seconds of ONE COPY — the file's R lines as the staging table
//      holds them (4 columns) into a fresh table LIKE certification_import_row INCLUDING ALL. It is not
//      the job's write limit: the job also writes certifications, award versions and suspensions.
//   2. "ratio to the write floor": after the job, each set of rows a phase wrote is dumped (COPY … TO,
//      untimed, every stored column) and timed as a COPY into a fresh LIKE … INCLUDING ALL copy of its
//      table (indexes, defaults, checks; no foreign keys or triggers), dropped after — the eighth
//      pass's method, in the same run and database. The death import: its staged lines, its death
//      matches, the persons it recorded dead; the travel import: its staged lines, its certifications;
//      the sweep: the award versions it wrote (the suspended awards), its suspensions. Left out as too
//      small to time: one import header per import, one audit entry per import, sweep chunk and death,
//      the job_run row, the person.died events. "total / COPY of the rows the job wrote" divides the
//      three phases' seconds by the sum of those COPYs; each phase is divided by its own rows' COPYs.
//      1.0× would be the job writing its rows as fast as PostgreSQL's own bulk load writes them.
// It also prints each phase's CPU seconds: this process's, and (PostgreSQL on this machine) the
// cluster's — the postmaster and all its processes, from /proc — which unlike seconds hardly depends on
// what else the machine runs.
//   node --import tsx bench/certification.bench.ts [--pensioners N] [--rows R] [--deaths D]
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54330/postgres node --import tsx bench/certification.bench.ts
// Each database runs in its own child process, so the peak memory (max RSS) is per database.
// A benchmark, not a test: it prints sizes, times and ratios and never fails on timing.
// BENCH_KEEP=1 keeps the PostgreSQL database for EXPLAIN ANALYZE after the run.
//
// Where the time goes (issue #18, third pass; PostgreSQL 15, 200,000 pensioners, per statement from
// log_min_duration_statement and auto_explain; the COPY is 0.6–1.3 s depending on the load):
//   death import (600 rows): ~all of it is the per-person recording through the registry (one
//     transaction, the person update, the enrolments and employments ended, the person.died event and an
//     audit-chain append each: 7–20 ms a death). Not changed: it is the registry's use case.
//   travel import (199,400 lines): checking every line in JavaScript and staging it (unnest, 50,000 a
//     statement) ~40 %; the match ~60 %: the latest sign per person (hash aggregate), the persons and their
//     awards (hash joins once the tables have statistics, index probes before — both linear), and the
//     insert of 138,388 certifications (~3 s: rows with a JSON evidence and two indexes). Before: a third
//     index (certification_person_idx, now the unique key's order) and a FK check per certification
//     (3.7 s of 15.7 s), and, once the tables had statistics, 2.0 s of JIT compilation per import.
//   sweep (61,012 suspended in 4 chunks): per chunk the due awards (index range + probes), the award
//     update through AwardService.suspendMany (not HOT: the award pages are full), the suspension and
//     notice rows. Before: the probe for this campaign's suspensions planned as a nested loop over every
//     earlier suspension (11.6 million comparisons in the third chunk, growing with each chunk), the award
//     update scanned every award per chunk (`id = ANY(array)`), and six FK checks per suspended award
//     (5 s of the 7.1 s insert). Migration 2026_12_01_1020 drops the FK checks the writers prove.
//   Same run, load 11–15: before 30.8× (deaths 8.2×, travel 11.7×, sweep 10.9×), after 26.9× (deaths 10.1×,
//   travel 10.2×, sweep 6.6×); figures at 1,000,000 in docs/performance.md ("Third pass").
// Fourth pass (branch cert-bulk, 2026-12-02 06:52–06:57 UTC, PostgreSQL 15.18, 200,000, load 7–9, main's
// code and this branch back to back in three pairs):
//   death import: now PersonService.recordDeaths, 2,000 deaths per transaction in ~8 statements (persons
//     locked, the dates set, enrolments and employments ended, the events, one audit insert) instead of a
//     transaction of ~10 round trips per death: 4.0–5.9 s → 0.2–0.4 s (7.4–8.9× → 0.3–0.7× COPY).
//   travel import: the staged lines had no statistics, so the match was planned for ~500 lines as index
//     probes of person and pension_award per line (2.2 s of a 3.9 s match); the import now ANALYZEs them
//     (files of 10,000 lines or more) and the match runs as hash joins (~0.5 s for that part). The JSON
//     evidence per certification is gone (the source_ref names import and line). What is left: staging
//     the lines (unnest, 4 × 50,000: ~1.0 s, ~2–3× the COPY of the same rows by itself), reading, hashing
//     and checking the lines in JS (~1 s; the check itself 0.4–0.6 s), the insert of 138,388
//     certifications with their two indexes (~0.8–1.1 s). 5.3–10.0 s → 3.6–4.9 s (10.7–14.3× → 5.1–7.4×).
//   sweep: unchanged code, 2.9–5.6 s either way (the load's swing): per 50,000-award chunk the due probe
//     (~0.3–0.45 s: a person and a certification probe per award), the award update (~0.8 s per 50,000,
//     not HOT: full award pages — a fillfactor on pension_award is the pension capability's call), the
//     suspension + notice insert (~0.7 s per 50,000).
//   Total: 24.7× → 12.4×, 30.4× → 12.9×, 26.3× → 13.8× (12.3 → 8.9 s, 19.1 → 10.3 s, 20.9 → 9.3 s).
// Fifth pass (branch cert-assess): the line check has a plain-line path (0.8 → 0.47 s per 200,000 lines)
// and the staged arrays go as literals (no per-element quoting by the driver); travel import 6.2–6.4 →
// 4.0–6.6 s at load 15–18. Per statement (auto_explain): the match 3.5 s (138,388 certifications 1.7 s),
// per sweep chunk the award update 1.6 s (non-HOT), the suspension + notice 2.0 s. It runs on PGlite too
// (--only pglite, e.g. --pensioners 50000 --rows 50000). docs/performance.md ("Fifth pass").
// Sixth pass (branch cert-assess2; the travel import now checks a chunk while the previous one is staged,
// which saves time only where a core is idle): buffer hits per row — the sweep's award update 15.2 per
// award (not heap-only: this bench's uncertified are the last 30 % of award ids, so the last chunk updates
// every row of its pages and no fillfactor helps), suspension + notice 16.2, the due probe ~9 per award.
// docs/performance.md ("Sixth pass") has the figures, the fillfactor at a sparse rate, and the readers a
// narrow suspension table would have to move.
// Eighth pass (branch assess8): the rows the job writes (staged lines, certifications, award versions,
// suspensions, notices), COPYed into LIKE copies of their tables, take 4.3–8.7× this bench's COPY by
// themselves, so 3× for the total is below the job's write floor on this schema (docs/performance.md).
// Ninth pass (branch cert9): the sweep no longer writes a notice row per suspension (derived from the
// suspension when read, migration 2026_12_03_1460). Per sweep now: the due probe (~9 buffer hits per
// award), the award update (~15 per award, not HOT), the suspension insert — for 61,012 suspensions
// 0.64 M buffer hits and 20 MB of WAL against 0.92–1.07 M and 46–48 MB with the notices (0.71–1.07 s
// against 1.08–1.59 s, same data, load 5–9). The write floor without the notices: 3.8–7.2× this COPY.
// The travel import is unchanged: staging the lines, the check in JS, the match and its 138,388
// certification rows (a narrower data row was measured: the same buffer hits, 30 % less WAL; not taken).
// Tenth pass (branch cert10): the write floor and the CPU per phase above. At 200,000, load 6–14: the job
// 2.4–3.6× the COPY of the rows it writes (travel import 2.0–4.0×, sweep 2.0–3.4×), that floor itself
// 3.5–8.1× the staged lines' COPY (docs/performance.md, "Tenth pass (branch cert10 …)"). The sweep's due
// probe now tests the certification before the person in a CASE: the person is probed only for the
// uncertified even with certification's statistics stale, as they are here right after the import.
// Fourteenth pass (branch cert14): the campaign created before the timed phases writes one outbox event
// per 10,000 persons instead of one per person; its creation and the hall's messages are measured by
// bench/certification-campaign.bench.ts (docs/performance.md, "Fourteenth pass (branch cert14 …)").
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import * as support from './bench-support.ts';
import { BIRTH_SPAN, generatePensioners, REGION } from './certification-support.ts';
import type { AppContext } from '../src/app-context.ts';
import { systemActor } from '../src/auth/actor.ts';
import { CampaignService } from '../src/certification/campaign.service.ts';
import { DataImportService, type ImportResult } from '../src/certification/data-import.service.ts';
import { fileLines } from '../src/certification/import-lines.ts';
import { fixToday } from '../src/core/clock.ts';
import { copyIn } from '../src/db/connection.ts';
import { addDays } from '../src/core/dates.ts';
import { makeIdNumber } from '../src/core/ids.ts';

const PENSIONERS = Number(support.arg('pensioners') ?? 1_000_000);
const ROWS = Number(support.arg('rows') ?? 1_000_000);
/** A month of deaths among 1,000,000 pensioners (about 3.6% a year). */
const DEATHS = Number(support.arg('deaths') ?? Math.round(ROWS * 0.003));
const TRAVEL = ROWS - DEATHS;

interface Phase {
  seconds: number;
  peakRssMiB: number;
  /** CPU seconds of this process (for PGlite the database's too) and of the PostgreSQL cluster (null on PGlite) */
  nodeCpu: number;
  clusterCpu: number | null;
}
interface TargetResult {
  target: support.Target;
  serverVersion: string;
  generateSeconds: number;
  deaths: Phase & { result: ImportResult };
  travel: Phase & { result: ImportResult };
  /** walBytes: the WAL the cluster wrote during the sweep (null where the server cannot say) — unlike seconds, not a function of the load */
  sweep: Phase & { suspended: number; chunks: number; walBytes: number | null };
  copy: support.CopyBaseline;
  copyBytes: number;
  /** the rows each phase wrote, dumped after the job and COPYed back into fresh LIKE copies of their tables */
  written: WrittenCopy[];
  peakRssMiB: number;
  databaseMiB: number | null;
  /** the load average (1, 5, 15 min) at the start and the end of the timed work */
  load: { start: number[]; end: number[] };
}

type JobPhase = 'death import' | 'travel import' | 'sweep';
/** One set of rows a phase of the job wrote: its table and which of the table's rows they are. */
interface WrittenSet {
  phase: JobPhase;
  table: string;
  where: string;
}
interface WrittenCopy {
  phase: JobPhase;
  table: string;
  rows: number;
  bytes: number;
  /** the faster of two COPYs (support.fasterOfTwo) */
  seconds: number;
  /** the database's CPU seconds in the faster COPY (support.databaseCpuReader) */
  cpu: number | null;
  runs: readonly number[];
}

/** Pensioner i: the same ID number as the SQL generator below computes. */
const birthOf = (i: number): string => addDays('1940-01-01', i % BIRTH_SPAN);
const idOf = (i: number): string => makeIdNumber('341802', birthOf(i), Math.floor(i / BIRTH_SPAN));

/** The death file (D rows among those who do not travel) and the travel file (the rest, ~70% of pensioners, some unknown). */
function writeFiles(dir: string): {
  deathFile: string;
  travelFile: string;
  copyFile: string;
  copyBytes: number;
} {
  const travellers = Math.floor(PENSIONERS * 0.7);
  const death: string[] = ['id_number,death_date,source'];
  for (let d = 0; d < DEATHS; d++) {
    const i = travellers + ((d * 97) % (PENSIONERS - travellers));
    death.push(`${idOf(i)},${addDays('2026-10-01', d % 60)},民政火化记录`);
  }
  const travel: string[] = ['id_number,travel_date,operator'];
  for (let j = 0; j < TRAVEL; j++) {
    // Every 50th ride is by someone not in the registry (a visitor); the others by pensioners, some twice.
    const id =
      j % 50 === 49
        ? makeIdNumber('340102', birthOf(j), 500 + (Math.floor(j / BIRTH_SPAN) % 400))
        : idOf(j < travellers ? j : (j * 13) % travellers);
    travel.push(`${id},${addDays('2026-01-01', j % 340)},上海铁路局`);
  }
  const deathFile = join(dir, 'deaths.csv');
  const travelFile = join(dir, 'travel.csv');
  writeFileSync(deathFile, `${death.join('\n')}\n`);
  writeFileSync(travelFile, `${travel.join('\n')}\n`);
  // The same rows as the staging table holds them (import_id, line_no, id_number, event_date), for COPY.
  const copy: string[] = [];
  for (let k = 1; k < death.length; k++)
    copy.push(`1\t${k + 1}\t${death[k]!.slice(0, 18)}\t${death[k]!.slice(19, 29)}`);
  for (let k = 1; k < travel.length; k++)
    copy.push(`2\t${k + 1}\t${travel[k]!.slice(0, 18)}\t${travel[k]!.slice(19, 29)}`);
  const copyFile = join(dir, 'copy.tsv');
  const text = `${copy.join('\n')}\n`;
  writeFileSync(copyFile, text);
  return { deathFile, travelFile, copyFile, copyBytes: Buffer.byteLength(text) };
}

async function timed<T>(
  fn: () => Promise<T>,
  clusterCpu: () => number | null = () => null,
): Promise<{ value: T; seconds: number; peakRssMiB: number; nodeCpu: number; clusterCpu: number | null }> {
  const c0 = clusterCpu();
  const n0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const n = process.cpuUsage(n0);
  const c1 = clusterCpu();
  return {
    value,
    seconds,
    peakRssMiB: support.peakRssMiB(),
    nodeCpu: (n.user + n.system) / 1e6,
    clusterCpu: c0 === null || c1 === null ? null : c1 - c0,
  };
}

/** COPY … TO STDOUT on one connection through pg-copy-streams: the table's rows in COPY text format. */
async function copyOut(client: pg.Client, text: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const c of client.query(copyTo(text))) chunks.push(c as Buffer);
  return chunks;
}

/**
 * The database's own write limit for one set of rows the job wrote: the rows dumped (COPY text format,
 * every stored column, untimed), then timed as a COPY into a fresh `LIKE … INCLUDING ALL` copy of their
 * table (columns, defaults, constraints but no foreign keys, indexes; no triggers), dropped after; twice,
 * the faster counts (support.fasterOfTwo).
 */
async function copyWritten(
  ctx: AppContext,
  dbUrl: string | undefined,
  set: WrittenSet,
  databaseCpu: () => number | null,
): Promise<WrittenCopy> {
  const db = ctx.db;
  const colRows = await sql<{ c: string }>`
    SELECT column_name AS c FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = ${set.table} AND is_generated = 'NEVER'
    ORDER BY ordinal_position`.execute(db);
  const cols = colRows.rows.map((r) => `"${r.c}"`).join(', ');
  const dump = `COPY (SELECT ${cols} FROM ${set.table} WHERE ${set.where})`;
  const copy = `bench_written_${set.table}`;
  const load = `COPY ${copy} (${cols}) FROM STDIN`;
  const pglite = ctx.handle.pglite;
  // One connection for the dump and the COPYs, opened before the clock starts (the staged lines' COPY
  // above counts its connect, a few milliseconds).
  const client = pglite ? undefined : new pg.Client({ connectionString: dbUrl });
  await client?.connect();
  try {
    const blob = pglite ? ((await pglite.query(`${dump} TO '/dev/blob'`)).blob ?? new Blob([])) : undefined;
    // COPY TO answers a message per row; sent back as they came, a write per row would be timed.
    const chunks = client
      ? support.chunksOf(Buffer.concat(await copyOut(client, `${dump} TO STDOUT`)))
      : [Buffer.from(await (blob ?? new Blob([])).arrayBuffer())];
    let rows = 0;
    let bytes = 0;
    for (const c of chunks) {
      bytes += c.length;
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) rows += 1;
    }
    const best = await support.fasterOfTwo(async () => {
      await sql`DROP TABLE IF EXISTS ${sql.table(copy)}`.execute(db);
      await sql`CREATE TABLE ${sql.table(copy)} (LIKE ${sql.table(set.table)} INCLUDING ALL)`.execute(db);
      try {
        await support.settle(ctx, `the COPY into ${copy}`);
        const c0 = databaseCpu();
        const t0 = performance.now();
        if (client) await copyIn(client, load, chunks);
        else if (pglite && blob) await pglite.query(load.replace('STDIN', "'/dev/blob'"), [], { blob });
        const seconds = (performance.now() - t0) / 1000;
        const c1 = databaseCpu();
        const n = await sql<{ n: string | number }>`SELECT count(*) AS n FROM ${sql.table(copy)}`.execute(db);
        if (Number(n.rows[0]?.n) !== rows)
          throw new Error(`COPY into ${copy}: ${n.rows[0]?.n} rows, ${rows} dumped`);
        return { seconds, cpu: c0 === null || c1 === null ? null : c1 - c0 };
      } finally {
        await sql`DROP TABLE IF EXISTS ${sql.table(copy)}`.execute(db);
      }
    });
    return {
      phase: set.phase,
      table: set.table,
      rows,
      bytes,
      seconds: best.seconds,
      cpu: best.cpu,
      runs: best.runs,
    };
  } finally {
    await client?.end();
  }
}

const phaseOf = (t: Phase): Phase => ({
  seconds: t.seconds,
  peakRssMiB: t.peakRssMiB,
  nodeCpu: t.nodeCpu,
  clusterCpu: t.clusterCpu,
});

async function runTarget(target: support.Target): Promise<TargetResult> {
  const opened = await support.openFreshTarget(target, 'shebao_bench_cert');
  const { ctx, dbUrl, say, serverVersion, cleanup, work } = opened;
  try {
    const db = ctx.db;
    say(`generating ${PENSIONERS.toLocaleString('en')} pensioners`);
    const gen = await timed(() => generatePensioners(ctx, PENSIONERS));
    say(
      `generated in ${gen.seconds.toFixed(1)} s; writing ${DEATHS.toLocaleString('en')} death + ${TRAVEL.toLocaleString('en')} travel rows`,
    );
    const files = writeFiles(work);

    // The cluster's CPU per phase, where the server runs on this machine (the pool's backend's parent);
    // the database's for the COPYs (on PGlite this process's: the COPY is all database work).
    const clusterCpu = await support.clusterCpuReader(ctx);
    const databaseCpu = await support.databaseCpuReader(ctx);
    const actor = systemActor('bench');
    const loadStart = loadavg();
    fixToday('2026-12-20');
    const campaign = await new CampaignService(db).create(actor, { region: REGION, year: 2026 });
    const imports = new DataImportService(db);
    const importFile = (kind: 'death' | 'transit', file: string) =>
      imports.import(actor, { kind, region: REGION, filename: file, lines: fileLines(file) });
    say('importing the death file');
    await support.settle(ctx, 'the death import');
    const deaths = await timed(() => importFile('death', files.deathFile), clusterCpu);
    say(`deaths: ${deaths.seconds.toFixed(1)} s; importing the travel file`);
    await support.settle(ctx, 'the travel import');
    const travel = await timed(() => importFile('transit', files.travelFile), clusterCpu);
    say(`travel: ${travel.seconds.toFixed(1)} s; sweeping`);
    fixToday('2027-01-05');
    const walAt = async (): Promise<string | null> =>
      (
        await sql<{ lsn: string }>`SELECT pg_current_wal_insert_lsn()::text AS lsn`
          .execute(db)
          .catch(() => null)
      )?.rows[0]?.lsn ?? null;
    await support.settle(ctx, 'the sweep');
    const walBefore = await walAt();
    const sweep = await timed(() => new CampaignService(db).sweep(actor, campaign.id), clusterCpu);
    const walAfter = await walAt();
    const wal =
      walBefore === null || walAfter === null
        ? null
        : await sql<{
            n: string | number;
          }>`SELECT pg_wal_lsn_diff(${walAfter}::pg_lsn, ${walBefore}::pg_lsn) AS n`
            .execute(db)
            .then((r) => Number(r.rows[0]?.n));
    say(`sweep: ${sweep.seconds.toFixed(1)} s, ${sweep.value.suspended.toLocaleString('en')} suspended`);

    // The raw limit: COPY the same 1,000,000 rows into a table with the staging table's columns and indexes.
    const buf = readFileSync(files.copyFile);
    const copy = await support.copyChunksBaseline(
      ctx,
      dbUrl,
      'certification_import_row',
      'import_id, line_no, id_number, event_date',
      support.chunksOf(buf),
      ROWS,
      databaseCpu,
    );
    say(`COPY: ${support.copyRunsText(copy)}`);

    // The write limit of what the job wrote: each phase's new rows, COPYed back one table at a time.
    // Left out: one import header and one audit entry per import and sweep chunk, a job_run row, and the
    // death import's person.died events and audit entries (600 of each at 200,000 rows).
    const importIdOf = (r: ImportResult): number => {
      if (r.status !== 'imported') throw new Error(`import ${r.status}`);
      return r.importId;
    };
    const deathImport = importIdOf(deaths.value);
    const travelImport = importIdOf(travel.value);
    const sets: WrittenSet[] = [
      { phase: 'death import', table: 'certification_import_row', where: `import_id = ${deathImport}` },
      { phase: 'death import', table: 'certification_death_match', where: `import_id = ${deathImport}` },
      {
        phase: 'death import',
        table: 'person',
        where: `id IN (SELECT person_id FROM certification_death_match WHERE import_id = ${deathImport} AND status = 'recorded')`,
      },
      { phase: 'travel import', table: 'certification_import_row', where: `import_id = ${travelImport}` },
      {
        phase: 'travel import',
        table: 'certification',
        where: `source_ref LIKE 'import:${travelImport}:%'`,
      },
      {
        phase: 'sweep',
        table: 'pension_award',
        where: `id IN (SELECT award_id FROM certification_suspension WHERE campaign_id = ${campaign.id})`,
      },
      { phase: 'sweep', table: 'certification_suspension', where: `campaign_id = ${campaign.id}` },
    ];
    const written: WrittenCopy[] = [];
    for (const set of sets) written.push(await copyWritten(ctx, dbUrl, set, databaseCpu));
    say(`COPY of the rows written: ${written.reduce((t, w) => t + w.seconds, 0).toFixed(1)} s`);
    const size = await sql<{ n: string | number }>`SELECT pg_database_size(current_database()) AS n`
      .execute(db)
      .catch(() => null);
    return {
      target,
      serverVersion,
      generateSeconds: gen.seconds,
      deaths: { ...phaseOf(deaths), result: deaths.value },
      travel: { ...phaseOf(travel), result: travel.value },
      sweep: {
        ...phaseOf(sweep),
        suspended: sweep.value.suspended,
        chunks: sweep.value.chunks,
        walBytes: wal,
      },
      copy,
      copyBytes: files.copyBytes,
      written,
      peakRssMiB: support.peakRssMiB(),
      databaseMiB: size ? support.mib(Number(size.rows[0]?.n)) : null,
      load: { start: loadStart, end: loadavg() },
    };
  } finally {
    fixToday(null);
    await cleanup();
  }
}

function print(r: TargetResult): void {
  const counts = (x: ImportResult): string =>
    x.status === 'rejected' ? `rejected: ${x.errorCount} errors` : JSON.stringify(x.counts);
  const total = r.deaths.seconds + r.travel.seconds + r.sweep.seconds;
  console.log(`\n## ${r.target} (PostgreSQL ${r.serverVersion})`);
  console.log(
    `generated ${PENSIONERS.toLocaleString('en')} pensioners (person + award + amount, set-based): ${r.generateSeconds.toFixed(1)} s`,
  );
  console.log(
    `death import, ${DEATHS.toLocaleString('en')} rows: ${r.deaths.seconds.toFixed(1)} s  ${counts(r.deaths.result)}`,
  );
  console.log(
    `travel import, ${TRAVEL.toLocaleString('en')} rows: ${r.travel.seconds.toFixed(1)} s  ${counts(r.travel.result)}`,
  );
  console.log(
    `sweep: ${r.sweep.seconds.toFixed(1)} s, ${r.sweep.suspended.toLocaleString('en')} suspended in ${r.sweep.chunks} chunks${r.sweep.walBytes === null ? '' : `, ${support.mib(r.sweep.walBytes)} MiB of WAL`}`,
  );
  console.log(`total (imports + sweep): ${total.toFixed(1)} s`);
  const cpu = (p: Phase): string =>
    `node ${p.nodeCpu.toFixed(2)} s${p.clusterCpu === null ? '' : `, cluster ${p.clusterCpu.toFixed(2)} s`}`;
  console.log(
    `CPU (${r.target === 'pglite' ? 'this process, PGlite in it' : "this process; the PostgreSQL cluster's processes"}): death import ${cpu(r.deaths)}; travel import ${cpu(r.travel)}; sweep ${cpu(r.sweep)}`,
  );
  console.log(
    `COPY of the same ${ROWS.toLocaleString('en')} rows (${support.mib(r.copyBytes)} MiB) into a fresh LIKE certification_import_row (its defaults, constraints and indexes): ${support.copyRunsText(r.copy)}`,
  );
  console.log(
    `  ratio to the staged lines' COPY (issue #18's figure): total / COPY: ${(total / r.copy.seconds).toFixed(1)}×; death import / COPY: ${(r.deaths.seconds / r.copy.seconds).toFixed(1)}×; travel import / COPY: ${(r.travel.seconds / r.copy.seconds).toFixed(1)}×; sweep / COPY: ${(r.sweep.seconds / r.copy.seconds).toFixed(1)}×`,
  );
  console.log(
    'COPY of the rows each phase wrote (dumped after the job, COPYed into fresh LIKE … INCLUDING ALL copies):',
  );
  const floor = (phase?: JobPhase): number =>
    r.written.filter((w) => phase === undefined || w.phase === phase).reduce((t, w) => t + w.seconds, 0);
  for (const w of r.written)
    console.log(
      `  ${w.phase}: ${w.table}, ${w.rows.toLocaleString('en')} rows (${(w.bytes / 1048576).toFixed(1)} MiB): ${w.seconds.toFixed(2)} s (faster of ${w.runs.map((x) => `${x.toFixed(2)} s`).join(', ')})${w.cpu === null ? '' : `, CPU ${w.cpu.toFixed(2)} s`}`,
    );
  const phases: Array<[JobPhase, number]> = [
    ['death import', r.deaths.seconds],
    ['travel import', r.travel.seconds],
    ['sweep', r.sweep.seconds],
  ];
  console.log(
    `  write floor: ${phases.map(([p]) => `${p} ${floor(p).toFixed(2)} s`).join(', ')}; job ${floor().toFixed(2)} s (${(floor() / r.copy.seconds).toFixed(1)}× the staged lines' COPY)`,
  );
  console.log(
    `  ratio to the write floor: total / COPY of the rows the job wrote: ${(total / floor()).toFixed(1)}×; ${phases
      .map(([p, s]) => `${p} / COPY of its rows: ${(s / floor(p)).toFixed(1)}×`)
      .join('; ')}`,
  );
  // By CPU, which the load hardly moves: each phase's database CPU (the cluster's; on PGlite this
  // process's, the file's reading and checking in JavaScript included) against its rows' COPYs'.
  // NaN where a figure cannot be read (no line then).
  const cpuOf = (p: Phase): number => (r.target === 'pglite' ? p.nodeCpu : (p.clusterCpu ?? NaN));
  const floorCpu = (phase: JobPhase): number =>
    r.written.filter((w) => w.phase === phase).reduce((t, w) => t + (w.cpu ?? NaN), 0);
  const byCpu: Array<[JobPhase, number, number]> = [
    ['death import', cpuOf(r.deaths), floorCpu('death import')],
    ['travel import', cpuOf(r.travel), floorCpu('travel import')],
    ['sweep', cpuOf(r.sweep), floorCpu('sweep')],
  ];
  const jobCpu = byCpu.reduce((t, [, c]) => t + c, 0);
  const rowsCpu = byCpu.reduce((t, [, , f]) => t + f, 0);
  if (Number.isFinite(jobCpu / rowsCpu))
    console.log(
      `  by CPU (${r.target === 'pglite' ? 'this process, PGlite in it' : "the cluster's"}): total ${jobCpu.toFixed(2)} s / the COPYs of the rows the job wrote ${rowsCpu.toFixed(2)} s: ${(jobCpu / rowsCpu).toFixed(1)}×; ${byCpu
        .map(([p, c, f]) => `${p} ${(c / f).toFixed(1)}×`)
        .join('; ')}; the staged lines' COPY ${r.copy.cpu?.toFixed(2) ?? '?'} s`,
    );
  const la = (x: number[]): string => x.map((v) => v.toFixed(1)).join(' ');
  console.log(`load average: ${la(r.load.start)} at the start, ${la(r.load.end)} at the end`);
  console.log(
    `peak RSS: after deaths ${r.deaths.peakRssMiB} MiB, after travel ${r.travel.peakRssMiB} MiB, after sweep ${r.sweep.peakRssMiB} MiB, end ${r.peakRssMiB} MiB${r.databaseMiB !== null ? `; database ${r.databaseMiB} MiB` : ''}`,
  );
}

await support.perTargetMain(fileURLToPath(import.meta.url), runTarget, {
  header: () =>
    `# certification sweep benchmark: ${PENSIONERS.toLocaleString('en')} pensioners, ${ROWS.toLocaleString('en')} import rows (${DEATHS.toLocaleString('en')} deaths, ${TRAVEL.toLocaleString('en')} travel); ${cpus().length} cores, ${support.mib(totalmem())} MiB RAM, Node ${process.version}`,
  order: ['postgresql', 'pglite'],
  print,
  maxBuffer: 64 * 1024 * 1024,
});
