#!/usr/bin/env node
// `npm run bench [-- name …]`: runs the benchmarks in bench/ one after another (they are not tests
// and never fail on timing). PostgreSQL figures need BENCH_DATABASE_URL (an admin URL: each bench
// creates and drops its own database); without it, a throwaway cluster is started when Debian's
// PostgreSQL is installed (see scripts/pg-throwaway.sh).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const wanted = process.argv.slice(2);
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

let env = { ...process.env };
let stop = null;
if (!env.BENCH_DATABASE_URL) {
  const started = spawnSync(
    'bash',
    [
      '-c',
      'source scripts/pg-throwaway.sh && PG_THROWAWAY_PORT=54339 pg_throwaway_start >&2 && env | grep ^PG_THROWAWAY_',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (started.status === 0) {
    const vars = Object.fromEntries(
      started.stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    env = { ...env, ...vars, BENCH_DATABASE_URL: vars.PG_THROWAWAY_URL.replace(/\/[^/]*$/, '/postgres') };
    stop = () =>
      spawnSync('bash', ['-c', 'source scripts/pg-throwaway.sh && pg_throwaway_stop'], {
        cwd: root,
        env,
        stdio: 'inherit',
      });
    console.log(`# throwaway PostgreSQL for the benchmarks at ${env.BENCH_DATABASE_URL}`);
  } else {
    console.log('# PostgreSQL is not available: PGlite figures only');
  }
}
for (const f of files) {
  console.log(`\n# ${f}`);
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', f)], {
    stdio: 'inherit',
    env,
    cwd: root,
  });
}
stop?.();
