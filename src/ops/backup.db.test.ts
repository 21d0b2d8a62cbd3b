// Backup and restore into a fresh database; the restored copy passes the ledger and audit checks.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { appendAudit, verifyAuditChain } from '../audit/audit.repository.ts';
import { systemActor } from '../auth/actor.ts';
import { openDatabase } from '../db/connection.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { backup, restore } from './backup.ts';

describe('backup and restore', () => {
  let t: TestDb;
  const dir = mkdtempSync(join(tmpdir(), 'shebao-backup-'));
  before(async () => {
    t = await openTestDb();
    const actor = systemActor('test');
    await t.ctx.db.transaction().execute(async (tx) => {
      await postEntry(tx, actor, {
        fund: 'unemployment',
        region: '341800',
        period: '2021-09',
        entryDate: '2021-09-30',
        kind: 'test',
        description: 'test',
        idempotencyKey: 'backup-1',
        lines: [
          { account: ACCOUNTS.bank, debitFen: 777 },
          { account: ACCOUNTS.contributionIncome, creditFen: 777 },
        ],
      });
      await appendAudit(tx, actor, { action: 'person.update', entityType: 'test', after: { a: 1 } });
    });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a restored copy has the same data and passes ledger and audit verification', async () => {
    const file = join(dir, 'shebao.backup');
    const databaseUrl = t.ctx.dbKind === 'postgresql' ? t.ctx.config.databaseUrl : undefined;
    await backup(t.ctx.handle, databaseUrl, file);

    let targetUrl: string | undefined;
    let dropName: string | undefined;
    if (databaseUrl !== undefined) {
      dropName = `shebao_r_${randomBytes(5).toString('hex')}`;
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`CREATE DATABASE ${dropName}`);
      await c.end();
      const u = new URL(databaseUrl);
      u.pathname = `/${dropName}`;
      targetUrl = u.toString();
    }
    const dataDir = join(dir, 'restored');
    await restore({ databaseUrl: targetUrl, dataDir }, file);
    await assert.rejects(restore({ databaseUrl: targetUrl, dataDir }, file), /not empty|非空/);

    const h = await openDatabase({ databaseUrl: targetUrl, dataDir });
    try {
      const entries = await h.db.selectFrom('journal_entry').select('idempotency_key').execute();
      assert.deepEqual(
        entries.map((e) => e.idempotency_key),
        ['backup-1'],
      );
      const ledger = await verifyLedger(h.db);
      assert.equal(ledger.ok, true);
      const audit = await verifyAuditChain(h.db);
      assert.equal(audit.ok, true);
      assert.ok(audit.entries >= 1);
    } finally {
      await h.close();
      if (dropName !== undefined && databaseUrl !== undefined) {
        const c = new pg.Client({ connectionString: databaseUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${dropName} WITH (FORCE)`);
        await c.end();
      }
    }
  });
});
