// The skill-upgrade subsidy (issue 12, item 4) through the real HTTP app: the certificate register is
// imported from CSV all-or-nothing with every row's error; a citizen applies with a certificate in
// their own name only; the rule's result and trace come back at once; a clerk proposes and a reviewer
// who is another person releases: a grant pays the person's bank account and posts to the
// unemployment fund, a refusal says why in words.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixToday } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makePerson } from '../testing/factories.ts';
import { callAs } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { makeUsers } from '../testing/users.ts';
import { checkRegisterCsv } from './certificate-register.rules.ts';
import { SKILL_SUBSIDY_CHECKS } from './skill-subsidy.service.ts';

const HEADER = 'certificate_no,id_number,name,occupation,level,issue_date,issuer';

async function paidMonths(db: Db, personId: number, from: number, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const y = from + Math.floor(i / 12);
    const period = `${y}-${String((i % 12) + 1).padStart(2, '0')}`;
    // The bill with its line, in one transaction: the record summary learns of a paid bill's lines at
    // the commit of the transaction that wrote the bill (migration 2026_12_04_1610).
    await db.transaction().execute(async (tx) => {
      const b = await tx
        .insertInto('contribution_bill')
        .values({
          region: TEST_REGION,
          period,
          payer_kind: 'flexible',
          employer_id: null,
          person_id: personId,
          due_date: `${period}-15`,
          lines: 1,
          unemployment_employer_fen: 1000,
          unemployment_employee_fen: 500,
          total_fen: 1500,
          status: 'paid',
          paid_date: `${period}-10`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('contribution_bill_line')
        .values({
          bill_id: b.id,
          person_id: personId,
          period,
          base_fen: 500000,
          pension_employer_fen: 0,
          pension_employee_fen: 0,
          personal_account_fen: 0,
          unemployment_employer_fen: 1000,
          unemployment_employee_fen: 500,
          injury_fen: 0,
          waived_fen: 0,
        })
        .execute();
    });
  }
}

interface App {
  id: number;
  status: string;
  eligible: boolean;
  amountFen: number;
  reasonZh: string | null;
  decisionNote: string | null;
  trace: Array<{ step: string }>;
  bankAccount: string | null;
}

describe('skill-upgrade subsidy (技能提升补贴)', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  let citizenId = '';
  let otherId = '';
  let newcomerId = '';
  const call = callAs(() => t.app, as);

  before(async () => {
    fixToday('2026-03-15');
    t = await makeTestApp();
    const db = t.ctx.db;
    await db
      .updateTable('person')
      .set({ bank_name: '建设银行宣城分行', bank_account: '6217001234567890123' })
      .where('id', '=', t.personId)
      .execute();
    const me = await db
      .selectFrom('person')
      .select('id_number')
      .where('id', '=', t.personId)
      .executeTakeFirstOrThrow();
    citizenId = me.id_number;
    await paidMonths(db, t.personId, 2024, 20);
    const other = await makePerson(db);
    otherId = other.id_number;
    const newcomer = await makePerson(db, { bank_account: '6217009999999999999', bank_name: '农业银行' });
    newcomerId = newcomer.id_number;
    await paidMonths(db, newcomer.id, 2025, 6);
    const p = await makePerson(db);
    await makeUsers(db, {
      other: { displayName: 'o', personId: other.id },
      newcomer: { displayName: 'n', personId: newcomer.id },
      'reviewer-hefei': { displayName: 'r', role: 'reviewer', personId: p.id, region: '340100' },
    });
    for (const u of ['citizen', 'other', 'newcomer', 'clerk', 'reviewer', 'reviewer-hefei', 'supervisor'])
      as[u] = await t.login(u);
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('the register file is checked line by line: any error → nothing written, every error named', async () => {
    const bad = [
      HEADER,
      `ZY2026000001,${citizenId},张三,电工,4,2026-01-10,安徽省职业技能鉴定中心`,
      `ZY2026000001,${citizenId},张三,焊工,4,2026-01-10,安徽省职业技能鉴定中心`,
      `ZY2026000002,340000199001011234,李四,焊工,4,2026-01-10,鉴定中心`,
      `ZY2026000003,${otherId},王五,焊工,6,2026-13-01,鉴定中心`,
      `ZY2026000004,${otherId},王五,焊工,4,2027-01-01,`,
      `ZY2026000005,${otherId},王五`,
    ].join('\n');
    const r = await call('clerk', 'POST', '/api/v1/unemployment/certificate-register/imports', {
      csv: bad,
      filename: 'bad.csv',
    });
    assert.equal(r.statusCode, 400, r.body);
    const body = r.json<{
      error: { code: string };
      errors: Array<{ line: number; field: string; reasonZh: string }>;
    }>();
    assert.equal(body.error.code, 'SB_ERR_INVALID_UPLOAD');
    const at = (line: number) =>
      body.errors
        .filter((e) => e.line === line)
        .map((e) => e.field)
        .sort();
    assert.deepEqual(at(3), ['certificate_no']);
    assert.deepEqual(at(4), ['id_number']);
    assert.deepEqual(at(5), ['issue_date', 'level']);
    assert.deepEqual(at(6), ['issue_date', 'issuer']);
    assert.deepEqual(at(7), ['line']);
    assert.equal(at(2).length, 0);
    const n = await sql<{ n: unknown }>`SELECT count(*) AS n FROM vocational_certificate`.execute(t.ctx.db);
    assert.equal(Number(n.rows[0]?.n), 0);
    assert.equal(checkRegisterCsv('a,b\n', '2026-03-15').errors[0]?.field, 'header');
    // a citizen cannot import
    const c = await call('citizen', 'POST', '/api/v1/unemployment/certificate-register/imports', {
      csv: HEADER,
    });
    assert.equal(c.statusCode, 403);
  });

  test('a good file imports every row; the same file again is refused', async () => {
    const good = [
      HEADER,
      `ZY2026000001,${citizenId},张三,电工,4,2026-01-10,安徽省职业技能鉴定中心`,
      `ZY2024000009,${citizenId},张三,焊工,5,2024-06-01,安徽省职业技能鉴定中心`,
      `ZY2026000002,${otherId},李四,焊工,3,2026-02-01,安徽省职业技能鉴定中心`,
      `ZY2026000003,${newcomerId},王五,育婴员,5,2026-02-01,安徽省职业技能鉴定中心`,
      '',
    ].join('\r\n');
    const r = await call('clerk', 'POST', '/api/v1/unemployment/certificate-register/imports', {
      csv: good,
      filename: 'register.csv',
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json<{ rows: number }>().rows, 4);
    const again = await call('clerk', 'POST', '/api/v1/unemployment/certificate-register/imports', {
      csv: good,
    });
    assert.equal(again.statusCode, 409, again.body);
    const list = await call('reviewer', 'GET', '/api/v1/unemployment/certificate-register/imports');
    assert.equal(list.json<{ certificates: number }>().certificates, 4);
  });

  test('a citizen cannot apply with someone else’s certificate, and learns nothing about it', async () => {
    const theirs = await call('citizen', 'POST', '/api/v1/unemployment/skill-subsidies', {
      certificateNo: 'ZY2026000002',
    });
    const unknown = await call('citizen', 'POST', '/api/v1/unemployment/skill-subsidies', {
      certificateNo: 'ZY2099999999',
    });
    assert.equal(theirs.statusCode, 404, theirs.body);
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(theirs.json(), unknown.json());
    const bad = await call('citizen', 'POST', '/api/v1/unemployment/skill-subsidies', {
      certificateNo: 'x',
      personId: 1,
    });
    assert.equal(bad.statusCode, 400);
    // a citizen naming another person is refused by scope (personId is ignored for citizens)
    const mine = await call('citizen', 'GET', `/api/v1/persons/${t.personId}/skill-subsidies`);
    assert.equal(mine.statusCode, 200);
    const others = await call('other', 'GET', `/api/v1/persons/${t.personId}/skill-subsidies`);
    assert.equal(others.statusCode, 403);
  });

  test('apply → rule with trace → clerk proposes, reviewer releases → paid to the bank, posted to the fund', async () => {
    const r = await call('citizen', 'POST', '/api/v1/unemployment/skill-subsidies', {
      certificateNo: 'zy2026000001',
    });
    assert.equal(r.statusCode, 201, r.body);
    const a = r.json<App>();
    assert.equal(a.status, 'submitted');
    assert.equal(a.eligible, true);
    assert.equal(a.amountFen, 150000, 'level 4: 1,500 yuan');
    assert.ok(a.trace.some((s) => s.step.includes('contribution months')));
    const twice = await call('citizen', 'POST', '/api/v1/unemployment/skill-subsidies', {
      certificateNo: 'ZY2026000001',
    });
    assert.equal(twice.statusCode, 409);
    // the other citizen cannot read it, nor find it in their list
    const peek = await call('other', 'GET', `/api/v1/unemployment/skill-subsidies/${a.id}`);
    assert.equal(peek.statusCode, 403);
    const theirList = await call('other', 'GET', '/api/v1/unemployment/skill-subsidies');
    assert.equal(theirList.statusCode, 200, theirList.body);
    assert.equal(theirList.json<{ total: number }>().total, 0);
    const ownList = await call('citizen', 'GET', '/api/v1/unemployment/skill-subsidies');
    assert.equal(ownList.json<{ items: App[] }>().items[0]?.id, a.id);
    const q = await call('clerk', 'GET', '/api/v1/unemployment/skill-subsidies?status=submitted');
    assert.ok(q.json<{ items: App[] }>().items.some((x) => x.id === a.id));
    const prep = await call('clerk', 'POST', `/api/v1/unemployment/skill-subsidies/${a.id}/decision`, {
      grant: true,
    });
    assert.equal(prep.statusCode, 200, prep.body);
    const approvalId = prep.json<{ id: number }>().id;
    const still = await call('citizen', 'GET', `/api/v1/unemployment/skill-subsidies/${a.id}`);
    assert.equal(still.json<App>().status, 'submitted');
    // another region's approval answers as an unknown id (404)
    for (const [who, status] of [
      ['clerk', 403],
      ['reviewer-hefei', 404],
      ['citizen', 403],
    ] as const) {
      const no = await call(who, 'POST', `/api/v1/approvals/${approvalId}/release`, {});
      assert.equal(no.statusCode, status, `${who} ${no.body}`);
    }
    const ok = await call('reviewer', 'POST', `/api/v1/approvals/${approvalId}/release`, {});
    assert.equal(ok.statusCode, 200, ok.body);
    const done = (await call('citizen', 'GET', `/api/v1/unemployment/skill-subsidies/${a.id}`)).json<App>();
    assert.equal(done.status, 'paid');
    assert.equal(done.bankAccount, '***************0123');
    const posted = await sql<{ total: unknown }>`
      SELECT coalesce(sum(l.debit_fen), 0)::bigint AS total FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
      WHERE e.fund = 'unemployment' AND e.kind = 'unemployment.skill-subsidy' AND l.account_code = '5001'`.execute(
      t.ctx.db,
    );
    assert.equal(Number(posted.rows[0]?.total), 150000);
    const events = await sql<{ status: string }>`
      SELECT payload->>'status' AS status FROM outbox WHERE topic = 'case.status' AND payload->>'service' = 'skills-subsidy'
        AND payload->>'ref' = ${`skill_subsidy_application:${a.id}`} ORDER BY id`.execute(t.ctx.db);
    assert.deepEqual(
      events.rows.map((e) => e.status),
      ['submitted', 'approved', 'completed'],
    );
    assert.equal((await verifyLedger(t.ctx.db, SKILL_SUBSIDY_CHECKS)).ok, true);
  });

  test('the same occupation again is refused in words that name the rule, not the certificate’s occupation', async () => {
    const more = [
      HEADER,
      `ZY2026000011,${citizenId},张三,电工,4,2026-02-10,安徽省职业技能鉴定中心`,
      `ZY2026000012,${citizenId},张三,电工,5,2026-02-10,安徽省职业技能鉴定中心`,
    ].join('\n');
    const imp = await call('clerk', 'POST', '/api/v1/unemployment/certificate-register/imports', {
      csv: more,
    });
    assert.equal(imp.statusCode, 201, imp.body);
    // 电工 level 4 was paid above: level 4 again, then level 5 (lower) in 2026
    for (const [no, words] of [
      [
        'ZY2026000011',
        /：同一职业（工种）同一等级只能享受一次技能提升补贴，您已申领过 \/ .*one occupation at one level/,
      ],
      [
        'ZY2026000012',
        /：您已申领过同一职业（工种）更高等级的技能提升补贴，不再享受较低等级的补贴 \/ .*a higher level/,
      ],
    ] as const) {
      const r = await call('citizen', 'POST', '/api/v1/unemployment/skill-subsidies', { certificateNo: no });
      assert.equal(r.statusCode, 409, r.body);
      const e = r.json<{ error: { code: string; message: string } }>().error;
      assert.equal(e.code, 'SB_ERR_DUPLICATE');
      assert.match(e.message, words);
      assert.doesNotMatch(e.message, /电工|ZY2026/);
    }
  });

  test('an out-of-time or too-short application is refused in words, after four eyes', async () => {
    // certificate of 2024-06-01: deadline 2025-06-01 passed
    const late = (
      await call('citizen', 'POST', '/api/v1/unemployment/skill-subsidies', { certificateNo: 'ZY2024000009' })
    ).json<App>();
    assert.equal(late.eligible, false);
    assert.match(late.reasonZh ?? '', /已超过申领期限2025-06-01/);
    const grant = await call('clerk', 'POST', `/api/v1/unemployment/skill-subsidies/${late.id}/decision`, {
      grant: true,
    });
    assert.equal(grant.statusCode, 422, grant.body);
    const prep = await call('clerk', 'POST', `/api/v1/unemployment/skill-subsidies/${late.id}/decision`, {
      grant: false,
    });
    assert.equal(prep.statusCode, 200, prep.body);
    const ok = await call(
      'reviewer',
      'POST',
      `/api/v1/approvals/${prep.json<{ id: number }>().id}/release`,
      {},
    );
    assert.equal(ok.statusCode, 200, ok.body);
    const done = (
      await call('citizen', 'GET', `/api/v1/unemployment/skill-subsidies/${late.id}`)
    ).json<App>();
    assert.equal(done.status, 'rejected');
    assert.match(done.decisionNote ?? '', /超过申领期限/);
    // six months of contributions: fewer than 12
    const short = (
      await call('newcomer', 'POST', '/api/v1/unemployment/skill-subsidies', {
        certificateNo: 'ZY2026000003',
      })
    ).json<App>();
    assert.equal(short.eligible, false);
    assert.match(short.reasonZh ?? '', /失业保险缴费6个月，不足12个月/);
  });
});
