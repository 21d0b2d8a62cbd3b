// The audit log is append-only and tamper-evident: the database refuses changes, and a row changed
// behind its back (triggers disabled by a superuser) is found by the chain check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { AUDIT_ACTIONS } from '../audit-actions.ts';
import type { Actor } from '../auth/actor.ts';
import { auditReason } from './audit-reasons.ts';
import { appendAudit, hashAuditRow, verifyAuditChain } from './audit.repository.ts';

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
    // and the reason's words, masked the same
    assert.deepEqual(r.json<{ items: Array<{ reasonWords: unknown }> }>().items[0]?.reasonWords, {
      zh: `15位身份证号码已升为18位：${full.slice(0, 4)}**********${full.slice(-4)}`,
      en: `15-digit ID number converted to ${full.slice(0, 4)}**********${full.slice(-4)}`,
    });
    // (An earlier test in this file tampers with row 2 on purpose: check the entries written here.)
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'in', ['person.create', 'audit.read'])
      .execute();
    assert.ok(rows.length >= 1);
    for (const row of rows) assert.equal(hashAuditRow(row), row.hash, `entry ${row.id} unchanged`);
  });

  test('who looked at my record: the server’s reasons in the page’s language (old entries too), a clerk’s as typed', async () => {
    const clerk: Actor = {
      userId: null,
      username: 'clerk',
      role: 'clerk',
      personId: null,
      employerId: null,
      region: '341802',
    };
    // entries as the server wrote them before the codes, a process note in both languages, a typed reason
    const written = [
      'employment 12 ended (involuntary)',
      'retirement case 3 approved',
      '已转安徽省办理 / sent to Anhui',
      '经核实多领待遇，责令分期退还',
    ];
    await t.ctx.db.transaction().execute(async (tx) => {
      for (const reason of written)
        await appendAudit(tx, clerk, {
          action: 'enrolment.end',
          entityType: 'person',
          entityId: t.personId,
          region: '341802',
          subjectPersonId: t.personId,
          reason,
        });
    });
    const c = await t.login('citizen');
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId}/access-log?pageSize=4`,
      headers: c.headers,
    });
    assert.equal(r.statusCode, 200, r.body);
    type Item = { reason: string; reasonCode: string | null; reasonWords: { zh: string; en: string } };
    const items = r.json<{ items: Item[] }>().items.reverse();
    assert.deepEqual(
      items.map((i) => [i.reason, i.reasonCode, i.reasonWords]),
      [
        [
          written[0],
          'employment-ended',
          {
            zh: '劳动关系终止（非本人意愿中断就业）',
            en: 'employment ended: Involuntary loss of the job',
          },
        ],
        [written[1], 'retirement-approved', { zh: '退休审批通过', en: 'retirement approved' }],
        [written[2], null, { zh: '已转安徽省办理', en: 'sent to Anhui' }],
        [written[3], null, { zh: written[3], en: written[3] }],
      ],
    );
    // what the server writes now reads back as the same code
    assert.equal(auditReason('employment-ended', { employment: 12, why: 'involuntary' }), written[0]);
  });

  test('who looked at my record names the reader’s office by its region, never the clerk', async () => {
    const clerk = await t.login('clerk');
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId}`,
      headers: clerk.headers,
    });
    assert.equal(read.statusCode, 200, read.body);
    const user = await t.ctx.db
      .selectFrom('app_user')
      .select(['region'])
      .where('username', '=', 'clerk')
      .executeTakeFirstOrThrow();
    const c = await t.login('citizen');
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId}/access-log?pageSize=1`,
      headers: c.headers,
    });
    assert.equal(r.statusCode, 200, r.body);
    const [item] = r.json<{ items: Array<Record<string, unknown>> }>().items;
    assert.equal(item?.['action'], 'person.read');
    assert.equal(item?.['actorRole'], 'clerk');
    assert.ok(user.region, 'the demo clerk has a region');
    assert.equal(item?.['actorRegion'], user.region);
    // no field names the reader (the test clerk's login and name are the word "clerk", the role's code, so the
    // fields are checked rather than the text)
    assert.deepEqual(Object.keys(item ?? {}).sort(), [
      'action',
      'actorRegion',
      'actorRole',
      'at',
      'id',
      'reason',
      'reasonCode',
      'reasonWords',
    ]);
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

  test('CSV export: the filtered rows with a header in words and names, the change in words, audited itself with before/after visible', async () => {
    // the clerk corrects the test person's phone: a change to read in words
    const clerk = await t.login('clerk');
    const person = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId}`,
      headers: clerk.headers,
    });
    const edited = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/persons/${t.personId}`,
      headers: clerk.headers,
      payload: {
        version: person.json<{ version: number }>().version,
        phone: '13912345678',
        reason: '本人来电更正',
      },
    });
    assert.equal(edited.statusCode, 200, edited.body);
    const list = await get<Page>('/api/v1/audit?actor=clerk&pageSize=100');
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit.csv?actor=clerk',
      headers: sup.headers,
    });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/csv/);
    assert.equal(r.headers['x-truncated'], 'false');
    // a header a supervisor reads, over the columns in their order as before (the login name third)
    assert.ok(r.body.startsWith('\uFEFF编号,时间,操作人账号,操作人姓名'), r.body.slice(0, 80));
    const lines = r.body.trim().split('\r\n');
    assert.equal(lines.length, list.total + 1);
    assert.ok(lines.slice(1).every((l) => l.split(',')[2] === 'clerk'));
    assert.ok(lines.some((l) => l.includes('张三')));
    // the edit in words in the last column, the version last and marked
    const edit = lines.find((l) => l.includes('person.update')) ?? '';
    assert.match(edit, /手机号码：[^；]*→ 13912345678；版本（技术字段）：\d+ → \d+"?$/);
    // the export is itself in the log, with what was exported in "after"
    const exp = await get<Page>('/api/v1/audit?action=audit.export');
    assert.equal(exp.total, 1);
    assert.deepEqual((exp.items[0]!.after as { rows: number }).rows, list.total);
    assert.equal(exp.items[0]!.before, null);
    // in English when the page is
    const english = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit.csv?actor=clerk&lang=en',
      headers: sup.headers,
    });
    assert.ok(english.body.startsWith('\uFEFFID,Time,Username,Name'), english.body.slice(0, 80));
    assert.match(english.body, /Phone: [^;]*→ 13912345678; Version \(technical\): \d+ → \d+/);
  });

  test('the action codes the filter offers: every code written now, each once, in code order; clerks may not read them', async () => {
    const { actions } = await get<{ actions: string[] }>('/api/v1/audit/actions');
    assert.deepEqual(actions, [...AUDIT_ACTIONS].sort());
    assert.ok(actions.includes('auth.login') && actions.includes('unemployment.payroll.start'));
    const clerk = await t.login('clerk');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/audit/actions', headers: clerk.headers });
    assert.equal(r.statusCode, 403);
  });

  test('clerks may not export the log', async () => {
    const clerk = await t.login('clerk');
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/audit.csv', headers: clerk.headers });
    assert.equal(r.statusCode, 403);
  });
});
