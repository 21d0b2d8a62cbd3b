// The audit log is append-only and tamper-evident: the database refuses changes, and a row changed
// behind its back (triggers disabled by a superuser) is found by the chain check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { verifyAuditChain } from './audit.repository.ts';

describe('audit log', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp();
    for (const u of ['clerk', 'reviewer', 'citizen']) await t.login(u);
  });
  after(() => t.close());

  test('the chain verifies after ordinary work', async () => {
    const r = await verifyAuditChain(t.ctx.db);
    assert.equal(r.ok, true);
    assert.ok(r.entries >= 3);
  });

  test('UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    await assert.rejects(sql`UPDATE audit_log SET reason = 'x'`.execute(t.ctx.db), /append-only/);
    await assert.rejects(sql`DELETE FROM audit_log`.execute(t.ctx.db), /append-only/);
    await assert.rejects(sql`TRUNCATE audit_log`.execute(t.ctx.db), /append-only/);
  });

  test('a row tampered with directly in the database is named by the check', async () => {
    const rows = await t.ctx.db.selectFrom('audit_log').select('id').orderBy('id').execute();
    const victim = rows[1]!.id;
    await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(t.ctx.db);
    await sql`UPDATE audit_log SET actor_username = 'someone-else' WHERE id = ${victim}`.execute(t.ctx.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(t.ctx.db);
    const r = await verifyAuditChain(t.ctx.db);
    assert.equal(r.ok, false);
    assert.equal(r.firstBrokenId, victim);
  });

  test('a deleted row breaks the link of the next one', async () => {
    const t2 = await makeTestApp();
    try {
      await t2.login('clerk');
      await t2.login('reviewer');
      const rows = await t2.ctx.db.selectFrom('audit_log').select('id').orderBy('id').execute();
      await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(t2.ctx.db);
      await sql`DELETE FROM audit_log WHERE id = ${rows[0]!.id}`.execute(t2.ctx.db);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(t2.ctx.db);
      const r = await verifyAuditChain(t2.ctx.db);
      assert.equal(r.ok, false);
      assert.equal(r.firstBrokenId, rows[1]!.id);
    } finally {
      await t2.close();
    }
  });

  test('supervisors read the region log; clerks and citizens may not', async () => {
    const sup = await t.login('supervisor');
    const ok = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=auth.login',
      headers: sup.headers,
    });
    assert.equal(ok.statusCode, 200);
    assert.ok(ok.json<{ total: number }>().total >= 1);
    for (const who of ['clerk', 'citizen']) {
      const s = await t.login(who);
      const r = await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: s.headers });
      assert.equal(r.statusCode, 403, who);
    }
  });

  test('a citizen sees who looked at their record, and only their own', async () => {
    const c = await t.login('citizen');
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId}/access-log`,
      headers: c.headers,
    });
    assert.equal(own.statusCode, 200);
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId + 1}/access-log`,
      headers: c.headers,
    });
    assert.equal(other.statusCode, 403);
  });
});
