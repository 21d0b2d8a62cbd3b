// The command-line contract: `shebao unemployment pay --period` twice pays nobody twice, `shebao
// unemployment summary --period` answers JSON with payments, totalFen and status, and `shebao ledger
// verify` passes after it — the real CLI in a child process on its own PGlite folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeLogger, openContext } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { makeEmployer } from '../testing/factories.ts';
import { markTestClock } from '../testing/test-clock.ts';
import { seedApprovedClaims } from '../testing/unemployment-fixtures.ts';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'shebao-ue-cli-'));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'shebao.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'error', SHEBAO_TODAY: '2026-11-20' },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('shebao unemployment pay / summary', { timeout: 600_000 }, () => {
  before(async () => {
    const ctx = await openContext(
      { ...loadConfig({}), databaseUrl: undefined, dataDir: dir, logLevel: 'silent' },
      makeLogger('silent'),
    );
    try {
      // The CLI runs with SHEBAO_TODAY: this test's database says its test fixes the clock.
      await markTestClock(ctx.db);
      const employer = await makeEmployer(ctx.db);
      await seedApprovedClaims(ctx.db, {
        count: 5,
        region: '341800',
        employerId: employer.id,
        firstPeriod: '2026-10',
      });
    } finally {
      await ctx.handle.close();
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('pay twice pays each recipient once; summary and ledger verify agree', () => {
    const bank = join(dir, 'bank.csv');
    const first = cli(['unemployment', 'pay', '--period', '2026-11', '--bank-file', bank]);
    assert.equal(first.status, 0, first.stderr);
    const a = JSON.parse(first.stdout) as {
      payments: number;
      totalFen: number;
      status: string;
      bankFile: { lines: number };
    };
    assert.deepEqual([a.payments, a.status, a.bankFile.lines], [5, 'done', 5]);
    assert.equal(a.totalFen, 5 * (148500 + 11880));
    assert.match(readFileSync(bank, 'utf8'), /^seq,id_number,name/);
    const second = cli(['unemployment', 'pay', '--period', '2026-11']);
    assert.equal(second.status, 0, second.stderr);
    assert.equal((JSON.parse(second.stdout) as { payments: number }).payments, 5);
    const summary = cli(['unemployment', 'summary', '--period', '2026-11']);
    const s = JSON.parse(summary.stdout) as { payments: number; totalFen: number; status: string };
    assert.deepEqual([s.payments, s.totalFen, s.status], [5, a.totalFen, 'done']);
    const none = JSON.parse(cli(['unemployment', 'summary', '--period', '2026-09']).stdout) as {
      status: string;
    };
    assert.equal(none.status, 'not_started');
    const verify = cli(['ledger', 'verify']);
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal((JSON.parse(verify.stdout) as { ok: boolean }).ok, true);
    const bad = cli(['unemployment', 'pay', '--period', '2026-13']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /SB_ERR_INVALID_PERIOD/);
  });
});
