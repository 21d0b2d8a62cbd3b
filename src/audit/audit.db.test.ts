// The audit log is append-only and tamper-evident: the database refuses changes, and a row changed
// behind its back (triggers disabled by a superuser) is found by the chain check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { hashAuditRow, verifyAuditChain } from './audit.repository.ts';

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

  test('the supervisor’s audit list never shows a full ID number (a 15-digit conversion reason, before/after), and the stored chain stays intact', async () => {
    const clerk = await t.login('clerk');
    const legacy = '341802850615123'; // 15 digits: converted to 18 on registration
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/persons',
      headers: clerk.headers,
      payload: { idNumber: legacy, name: '旧证号', region: '341802' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const full = created.json<{ idNumber: string }>().idNumber;
    assert.equal(full.length, 18);
    const stored = await t.ctx.db
      .selectFrom('audit_log')
      .select('reason')
      .where('action', '=', 'person.create')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.ok(stored.reason?.includes(full), 'the stored entry keeps what was written');
    const sup = await t.login('supervisor');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=person.create&pageSize=100',
      headers: sup.headers,
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.ok(!r.body.includes(full), r.body);
    assert.ok(!r.body.includes(legacy), r.body);
    assert.ok(!/(?<![0-9])[0-9]{17}[0-9X](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])/.test(r.body), r.body);
    const item = r.json<{ items: Array<{ reason: string | null; after: { idNumber?: string } | null }> }>()
      .items[0];
    assert.equal(
      item?.reason,
      `15-digit ID number converted to ${full.slice(0, 4)}**********${full.slice(-4)}`,
    );
    assert.equal(item?.after?.idNumber, `${full.slice(0, 4)}**********${full.slice(-4)}`);
    // (An earlier test in this file tampers with row 2 on purpose: check the entries written here.)
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'in', ['person.create', 'audit.read'])
      .execute();
    assert.ok(rows.length >= 1);
    for (const row of rows) assert.equal(hashAuditRow(row), row.hash, `entry ${row.id} unchanged`);
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
