// Benchmark of a certification campaign's creation and of the online hall telling its pensioners
// (issue #18, fourteenth pass), on PostgreSQL (a fresh database under BENCH_DATABASE_URL, dropped
// after): N pensioners generated as the certification bench generates them (none certified, so all
// are told), then CampaignService.create, then consumeEvents called until it finds nothing, as the
// hall's loop calls it one pass after another (without its 2 s interval). Printed for each phase:
// seconds, this process's CPU, the cluster's CPU (from /proc, this machine's server), the WAL the
// cluster wrote, and — where pg_stat_statements is loaded — the phase's buffer hits and WAL records;
// for the hall the passes that found events. Last, a digest of every message written (person, title,
// body, link, in person order) to compare two trees' runs on the same data.
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:54330/postgres node --import tsx bench/certification-campaign.bench.ts [--pensioners N]
// A benchmark, not a test: it prints figures and never fails on timing.
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import * as support from './bench-support.ts';
import { generatePensioners, REGION } from './certification-support.ts';
import { systemActor } from '../src/auth/actor.ts';
import { CampaignService } from '../src/certification/campaign.service.ts';
import { fixToday } from '../src/core/clock.ts';
import { consumeEvents } from '../src/hall/events.job.ts';

const PENSIONERS = Number(support.arg('pensioners') ?? 200_000);

const opened = await support.openFreshTarget('postgresql', 'shebao_bench_campaign');
const { ctx, say, serverVersion, cleanup } = opened;
try {
  const db = ctx.db;
  say(`generating ${PENSIONERS.toLocaleString('en')} pensioners`);
  await generatePensioners(ctx, PENSIONERS);
  const clusterCpu = await support.clusterCpuReader(ctx);
  const statements = await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`
    .execute(db)
    .then(() => sql`SELECT pg_stat_statements_reset()`.execute(db))
    .then(
      () => true,
      () => false,
    );
  const lsn = async (): Promise<string> =>
    (await sql<{ l: string }>`SELECT pg_current_wal_insert_lsn()::text AS l`.execute(db)).rows[0]!.l;

  /** One phase: seconds, node and cluster CPU, WAL bytes, and the statements' buffer hits and WAL records. */
  async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (statements) await sql`SELECT pg_stat_statements_reset()`.execute(db);
    const l0 = await lsn();
    const c0 = clusterCpu();
    const n0 = process.cpuUsage();
    const t0 = performance.now();
    const value = await fn();
    const seconds = (performance.now() - t0) / 1000;
    const n = process.cpuUsage(n0);
    const c1 = clusterCpu();
    const l1 = await lsn();
    const wal = await sql<{
      b: string;
    }>`SELECT pg_wal_lsn_diff(${l1}::pg_lsn, ${l0}::pg_lsn)::bigint AS b`.execute(db);
    let st = '';
    if (statements) {
      const s = await sql<{ hits: string; records: string; calls: string }>`
        SELECT sum(shared_blks_hit)::bigint AS hits, sum(wal_records)::bigint AS records, sum(calls)::bigint AS calls
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_current_wal_insert_lsn%'`.execute(
        db,
      );
      const r = s.rows[0];
      st = `; statements: ${Number(r?.calls).toLocaleString('en')} calls, ${Number(r?.hits).toLocaleString('en')} buffer hits, ${Number(r?.records).toLocaleString('en')} WAL records`;
    }
    console.log(
      `  ${name}: ${seconds.toFixed(2)} s, CPU node ${((n.user + n.system) / 1e6).toFixed(2)} s / cluster ${c0 === null || c1 === null ? '?' : (c1 - c0).toFixed(2)} s, WAL ${(Number(wal.rows[0]?.b) / 1048576).toFixed(1)} MiB${st}`,
    );
    return value;
  }

  const load0 = loadavg();
  fixToday('2026-12-20');
  console.log(
    `# certification campaign and the hall's messages: ${PENSIONERS.toLocaleString('en')} pensioners, PostgreSQL ${serverVersion}${statements ? '' : ' (no pg_stat_statements)'}`,
  );
  await phase('campaign creation', () =>
    new CampaignService(db).create(systemActor('bench'), { region: REGION, year: 2026 }),
  );
  const events = await sql<{
    n: string;
  }>`SELECT count(*) AS n FROM outbox WHERE topic = 'certification.due'`.execute(db);
  console.log(`  outbox events: ${Number(events.rows[0]?.n).toLocaleString('en')}`);
  const passes = await phase('hall until every message is written', async () => {
    let n = 0;
    while ((await consumeEvents(ctx)) > 0) n += 1;
    return n;
  });
  const digest = await sql<{ n: string; people: string; md5: string }>`
    SELECT count(*) AS n, count(DISTINCT person_id) AS people,
      md5(string_agg(concat_ws('|', person_id, title_zh, title_en, body_zh, body_en, link), E'\n' ORDER BY person_id, id)) AS md5
    FROM hall_message WHERE topic = 'certification.due'`.execute(db);
  const d = digest.rows[0];
  console.log(
    `  hall passes that found events: ${passes}; messages ${Number(d?.n).toLocaleString('en')} to ${Number(d?.people).toLocaleString('en')} persons, md5 ${d?.md5}`,
  );
  const la = (x: number[]): string => x.map((v) => v.toFixed(1)).join(' ');
  console.log(`load average: ${la(load0)} at the start, ${la(loadavg())} at the end`);
} finally {
  fixToday(null);
  await cleanup();
}
