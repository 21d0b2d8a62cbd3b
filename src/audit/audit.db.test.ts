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

describe('audit log filters and export (supervisor)', () => {
  let t: TestApp;
  let sup: Awaited<ReturnType<TestApp['login']>>;
  const shanghaiToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const get = async <T>(url: string) => {
    const r = await t.app.inject({ method: 'GET', url, headers: sup.headers });
    assert.equal(r.statusCode, 200, r.body);
    return r.json<T>();
  };
  type Page = {
    total: number;
    items: {
      actorUsername: string;
      actorName: string | null;
      action: string;
      subjectName: string | null;
      before: unknown;
      after: unknown;
    }[];
  };
  before(async () => {
    t = await makeTestApp();
    const clerk = await t.login('clerk');
    await t.login('reviewer');
    // the clerk reads the test person: an entry about 张三
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId}`,
      headers: clerk.headers,
    });
    assert.equal(r.statusCode, 200);
    sup = await t.login('supervisor');
  });
  after(() => t.close());

  test('the operator filter keeps one user’s entries and names them by display name', async () => {
    const names = await t.ctx.db.selectFrom('app_user').select(['username', 'display_name']).execute();
    const clerkName = names.find((u) => u.username === 'clerk')!.display_name;
    const page = await get<Page>('/api/v1/audit?actor=clerk&pageSize=100');
    assert.ok(page.total >= 2);
    assert.ok(page.items.every((i) => i.actorUsername === 'clerk'));
    assert.ok(page.items.every((i) => i.actorName === clerkName));
    const byName = await get<Page>(`/api/v1/audit?actor=${encodeURIComponent(clerkName)}&pageSize=100`);
    assert.equal(byName.total, page.total);
  });

  test('date filters: a range before today holds nothing, a range ending today holds everything so far', async () => {
    const none = await get<Page>('/api/v1/audit?to=2000-12-31');
    assert.equal(none.total, 0);
    const all = await get<Page>('/api/v1/audit');
    const untilToday = await get<Page>(`/api/v1/audit?from=2000-01-01&to=${shanghaiToday}`);
    assert.equal(untilToday.total, all.total);
    const fromTomorrow = await get<Page>(`/api/v1/audit?from=2999-01-01`);
    assert.equal(fromTomorrow.total, 0);
  });

  test('an entry about a person carries the person’s name', async () => {
    const page = await get<Page>('/api/v1/audit?actor=clerk&action=person.read');
    assert.ok(page.total >= 1, 'the clerk read the person');
    assert.equal(page.items[0]!.subjectName, '张三');
  });

  test('a malformed date is refused', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit?from=2026-13-01',
      headers: sup.headers,
    });
    assert.equal(r.statusCode, 400);
  });

  test('CSV export: the filtered rows with a header and names, audited itself with before/after visible', async () => {
    const list = await get<Page>('/api/v1/audit?actor=clerk&pageSize=100');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit.csv?actor=clerk',
      headers: sup.headers,
    });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/csv/);
    assert.equal(r.headers['x-truncated'], 'false');
    assert.ok(r.body.startsWith('\uFEFFid,at,actor_username,actor_name'));
    const lines = r.body.trim().split('\r\n');
    assert.equal(lines.length, list.total + 1);
    assert.ok(lines.slice(1).every((l) => l.split(',')[2] === 'clerk'));
    assert.ok(lines.some((l) => l.includes('张三')));
    // the export is itself in the log, with what was exported in "after"
    const exp = await get<Page>('/api/v1/audit?action=audit.export');
    assert.equal(exp.total, 1);
    assert.deepEqual((exp.items[0]!.after as { rows: number }).rows, list.total);
    assert.equal(exp.items[0]!.before, null);
  });

  test('clerks may not export the log', async () => {
    const clerk = await t.login('clerk');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/audit.csv', headers: clerk.headers });
    assert.equal(r.statusCode, 403);
  });
});
