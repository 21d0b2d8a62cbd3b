// Four eyes on every money action, through the real HTTP app (issue #10): a clerk prepares, a
// reviewer who is another person releases; the maker, the maker's person under another account and
// the person the money belongs to cannot; a release happens once, even with two checkers at once; a
// prepared payroll pays nothing, posts nothing and has no bank file until it is released.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday, onDay } from '../core/clock.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { AwardService } from '../pension/award.service.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { writeBankFile } from '../pension/payroll.job.ts';
import { jobSettled, releaseSettled } from '../http/background-jobs.testing.ts';
import { callAs, errorCode } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { makeUsers } from '../testing/users.ts';

interface Approval {
  id: number;
  kind: string;
  status: string;
  summary: { payments: number; totalFen: number; awardsInForce: number; writeOffFen: number };
  result: unknown;
}

describe('four eyes on money actions', () => {
  let t: TestApp;
  let dir: string;
  const as: Record<string, LoginResult> = {};
  let pensioners: Array<{ awardId: number; personId: number }>;

  const call = callAs(() => t.app, as);
  const prepared = async (who: string, url: string, payload: unknown): Promise<Approval> => {
    const r = await call(who, 'POST', url, payload);
    assert.equal(r.statusCode, 200, r.body);
    const a = r.json<Approval>();
    assert.equal(a.status, 'prepared');
    return a;
  };
  const release = (who: string, id: number) => call(who, 'POST', `/api/v1/approvals/${id}/release`, {});
  const code = errorCode;
  const count = async (q: string): Promise<number> =>
    Number((await sql<{ n: unknown }>`${sql.raw(q)}`.execute(t.ctx.db)).rows[0]?.n);

  /** The maker is refused by role, the maker's person under a reviewer account and the subject by four eyes. */
  async function refusedToAllButAnotherReviewer(a: Approval, subject?: string): Promise<void> {
    const own = await release('clerk', a.id);
    assert.equal(own.statusCode, 403, own.body);
    const samePerson = await release('clerkalt', a.id);
    assert.equal(samePerson.statusCode, 403, samePerson.body);
    assert.equal(code(samePerson), 'SB_ERR_FOUR_EYES');
    if (subject) {
      const bySubject = await release(subject, a.id);
      assert.equal(bySubject.statusCode, 403, bySubject.body);
      assert.equal(code(bySubject), 'SB_ERR_FOUR_EYES');
    }
    const still = await call('reviewer', 'GET', `/api/v1/approvals/${a.id}`);
    assert.equal(still.json<Approval>().status, 'prepared');
  }

  async function releasedOnce(a: Approval, second = 'reviewer3'): Promise<Approval> {
    // A payroll or an adjustment answers 202 and runs in the worker: followed to its end.
    const ok = await releaseSettled(t.app, as['reviewer']!.headers, await release('reviewer', a.id));
    assert.equal(ok.statusCode, 200, ok.body);
    const done = ok.json<Approval>();
    assert.equal(done.status, 'released');
    const again = await release(second, a.id);
    assert.equal(again.statusCode, 409, again.body);
    return done;
  }
  /** The status column of one row (a bill, a payment, an award, a recovery case). */
  async function statusOf(
    table: 'contribution_bill' | 'contribution_payment' | 'pension_award' | 'recovery_case',
    id: number,
  ): Promise<string> {
    return (await t.ctx.db.selectFrom(table).select('status').where('id', '=', id).executeTakeFirstOrThrow())
      .status;
  }

  before(async () => {
    fixToday('2026-03-15');
    dir = mkdtempSync(join(tmpdir(), 'sb-approval-'));
    t = await makeTestApp();
    const db = t.ctx.db;
    await seedPensioners(db, { count: 12, region: TEST_REGION, startPeriod: '2026-01' });
    pensioners = (
      await db.selectFrom('pension_award').select(['id', 'person_id']).orderBy('id').execute()
    ).map((r) => ({ awardId: r.id, personId: r.person_id }));
    const clerk = await db
      .selectFrom('app_user')
      .select('person_id')
      .where('username', '=', 'clerk')
      .executeTakeFirstOrThrow();
    const staff = (personId: number | null) => ({ role: 'reviewer' as const, personId, region: TEST_REGION });
    await makeUsers(db, {
      // the clerk's own person under a second (reviewer) account: the old bypass
      clerkalt: staff(clerk.person_id),
      // a second reviewer who is the first pensioner (the subject of that pensioner's money)
      reviewer2: staff(pensioners[0]?.personId ?? null),
      // a reviewer who is the employee on the test employer's bills
      reviewer3: staff(t.personId),
      // an account linked to nobody: it can check nothing
      nobody: staff(null),
      // a clerk of one district (宣州区) of the city: the city's payroll is not theirs
      'district-clerk': { role: 'clerk', region: '341802' },
    });
    for (const u of [
      'clerk',
      'clerkalt',
      'reviewer',
      'reviewer2',
      'reviewer3',
      'nobody',
      'district-clerk',
      'employer',
      'admin',
      'supervisor',
    ])
      as[u] = await t.login(u);
  });
  after(async () => {
    fixToday(null);
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  test('a payroll prepared by the clerk pays nothing, posts nothing and has no bank file until a reviewer releases it', async () => {
    const payments = 'SELECT count(*) AS n FROM pension_payment';
    const entries = "SELECT count(*) AS n FROM journal_entry WHERE kind = 'pension_payroll'";
    const a = await prepared('clerk', '/api/v1/payroll/runs', { period: '2026-03', region: TEST_REGION });
    assert.equal(a.kind, 'payroll.run');
    assert.equal(a.summary.payments, 12);
    assert.ok(a.summary.totalFen > 0);
    assert.equal(await count(payments), 0);
    assert.equal(await count(entries), 0);
    await assert.rejects(
      writeBankFile(t.ctx.db, { period: '2026-03', region: TEST_REGION }, join(dir, 'b.csv')),
    );
    const twice = await call('clerk', 'POST', '/api/v1/payroll/runs', {
      period: '2026-03',
      region: TEST_REGION,
    });
    assert.equal(twice.statusCode, 409, 'the same payroll cannot wait twice');

    await refusedToAllButAnotherReviewer(a);
    const nobody = await release('nobody', a.id);
    assert.equal(code(nobody), 'SB_ERR_FOUR_EYES', 'an account linked to no person checks nothing');
    assert.equal(await count(payments), 0);
    assert.equal(await count(entries), 0);

    const done = await releasedOnce(a);
    assert.equal((done.result as { payments: number }).payments, 12);
    assert.equal(await count(payments), 12);
    // Paid: refused naming the field, not repeating the period sent (it said 2026-03 已发放).
    const paidAgain = await call('clerk', 'POST', '/api/v1/payroll/runs', {
      period: '2026-03',
      region: TEST_REGION,
    });
    assert.equal(paidAgain.statusCode, 409, paidAgain.body);
    assert.equal(paidAgain.json<{ error: { field: string } }>().error.field, 'period');
    assert.ok(!paidAgain.body.includes('2026-03'), paidAgain.body);
    assert.ok((await count(entries)) > 0);
    const paidFen = await count(
      "SELECT coalesce(sum(amount_fen), 0)::bigint AS n FROM pension_payment WHERE period = '2026-03'",
    );
    assert.equal(paidFen, a.summary.totalFen, 'the checker saw what is paid');
    const file = await writeBankFile(
      t.ctx.db,
      { period: '2026-03', region: TEST_REGION },
      join(dir, 'b.csv'),
    );
    assert.equal(file.totalFen, a.summary.totalFen);
    assert.match(readFileSync(join(dir, 'b.csv'), 'utf8'), /^seq,id_number/);
    assert.equal((await verifyLedger(t.ctx.db)).ok, true);
    const audit = await count(
      `SELECT count(*) AS n FROM audit_log WHERE entity_type = 'approval' AND entity_id = '${a.id}' AND action IN ('approval.prepare', 'approval.release')`,
    );
    assert.equal(audit, 2);
  });

  test('two reviewers release the same payroll at once: exactly one succeeds and it pays once', async () => {
    // A death reported by the registry is shown to the checker, and its follow-up (survivor benefit,
    // heirs) is not a side effect of the payroll: it waits for its own prepare and release.
    const dead = pensioners[3];
    assert.ok(dead);
    const death = await call('clerk', 'POST', `/api/v1/persons/${dead.personId}/death`, {
      deathDate: '2026-03-10',
      reason: '死亡登记',
    });
    assert.equal(death.statusCode, 200, death.body);
    const a = await prepared('clerk', '/api/v1/payroll/runs', { period: '2026-04', region: TEST_REGION });
    assert.equal((a.summary as unknown as { pendingDeaths: number }).pendingDeaths, 1);
    assert.equal(a.summary.payments, 11, 'the dead are not paid after their death month');
    const [r1, r2] = await Promise.all([release('reviewer', a.id), release('reviewer3', a.id)]);
    assert.deepEqual([r1.statusCode, r2.statusCode].sort(), [202, 409], `${r1.body} ${r2.body}`);
    const won = r1.statusCode === 202 ? r1 : r2;
    assert.equal((await releaseSettled(t.app, as['reviewer']!.headers, won)).statusCode, 200);
    assert.equal(await count("SELECT count(*) AS n FROM pension_payment WHERE period = '2026-04'"), 11);
    assert.equal(
      await count(
        `SELECT count(*) AS n FROM audit_log WHERE action = 'approval.release' AND entity_id = '${a.id}'`,
      ),
      1,
    );
    assert.equal(
      await count(`SELECT count(*) AS n FROM pension_death_case WHERE person_id = ${dead.personId}`),
      0,
    );
    assert.equal(
      await count(`SELECT count(*) AS n FROM survivor_benefit WHERE person_id = ${dead.personId}`),
      0,
    );
  });

  test('the payroll history lists the released runs, newest first, to the region’s staff only', async () => {
    const r = await call('reviewer', 'GET', `/api/v1/payroll/history?region=${TEST_REGION}`);
    assert.equal(r.statusCode, 200, r.body);
    const items = r.json<{
      items: Array<{ period: string; status: string; payments: number; totalFen: number }>;
    }>().items;
    assert.deepEqual(
      items.map((i) => [i.period, i.status, i.payments]),
      [
        ['2026-04', 'done', 11],
        ['2026-03', 'done', 12],
      ],
    );
    const paid = await count(
      "SELECT sum(amount_fen)::bigint AS n FROM pension_payment WHERE period = '2026-03'",
    );
    assert.equal(items[1]?.totalFen, paid);
    // a clerk of a district of the city, an employer: refused, and told nothing of the runs
    for (const who of ['district-clerk', 'employer']) {
      const refused = await call(who, 'GET', `/api/v1/payroll/history?region=${TEST_REGION}`);
      assert.equal(refused.statusCode, 403, `${who}: ${refused.body}`);
      assert.doesNotMatch(refused.body, /2026-0[34]/);
    }
    // the district's own history is empty: the city's runs are not counted under a district
    const own = await call('district-clerk', 'GET', '/api/v1/payroll/history?region=341802');
    assert.deepEqual(own.json<{ items: unknown[] }>().items, []);
  });

  test('a payroll for a period later than next month is refused', async () => {
    const r = await call('clerk', 'POST', '/api/v1/payroll/runs', { period: '2026-05', region: TEST_REGION });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json<{ error: { field: string } }>().error.field, 'period');
  });

  test('a returned action runs nothing and cannot be released afterwards; its times are the app clock’s', async () => {
    const award = pensioners[5];
    assert.ok(award);
    await t.ctx.db.transaction().execute((tx) =>
      new AwardService(tx).suspend(systemActor('test'), {
        awardId: award.awardId,
        fromPeriod: '2026-03',
        reason: 'test',
      }),
    );
    // prepared and returned on a moved clock (the demo seed's past days): the rows read its times
    const a = await onDay(
      '2026-03-12',
      () => prepared('clerk', `/api/v1/pension/awards/${award.awardId}/restore`, { reason: '已认证' }),
      '10:20',
    );
    const ret = await onDay(
      '2026-03-13',
      () => call('reviewer', 'POST', `/api/v1/approvals/${a.id}/return`, { reason: '材料不全' }),
      '09:05',
    );
    assert.equal(ret.statusCode, 200, ret.body);
    assert.equal(ret.json<Approval>().status, 'returned');
    const times = await sql<{ prepared: string; decided: string }>`
      SELECT to_char(prepared_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS prepared,
        to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS decided FROM approval WHERE id = ${a.id}`.execute(
      t.ctx.db,
    );
    assert.deepEqual(times.rows[0], { prepared: '2026-03-12T02:20', decided: '2026-03-13T01:05' });
    assert.equal((await release('reviewer2', a.id)).statusCode, 409);
    assert.equal(await statusOf('pension_award', award.awardId), 'suspended');
  });

  test('restoration back pay: maker, same person and the pensioner refused; another reviewer releases once', async () => {
    const award = pensioners[0];
    assert.ok(award);
    await t.ctx.db.transaction().execute((tx) =>
      new AwardService(tx).suspend(systemActor('test'), {
        awardId: award.awardId,
        fromPeriod: '2026-05',
        reason: 'test',
      }),
    );
    const a = await prepared('clerk', `/api/v1/pension/awards/${award.awardId}/restore`, {
      reason: '已认证',
    });
    await refusedToAllButAnotherReviewer(a, 'reviewer2');
    await releasedOnce(a);
    assert.equal(await statusOf('pension_award', award.awardId), 'active');
  });

  test('recovery write-off: refused to maker, same person and subject; released once, the receivable booked back', async () => {
    const award = pensioners[0];
    assert.ok(award);
    const c = await t.ctx.db.transaction().execute((tx) =>
      new AwardService(tx).openRecoveryCase(systemActor('test'), {
        personId: award.personId,
        awardId: award.awardId,
        region: TEST_REGION,
        reason: 'other',
        fromPeriod: '2026-01',
        toPeriod: '2026-01',
        amountFen: 5000,
        idempotencyKey: 'test:write-off',
      }),
    );
    // the clerk's work list names the person and shows what has come back (the recovery page)
    const list = await call('clerk', 'GET', '/api/v1/pension/recovery-cases');
    assert.equal(list.statusCode, 200, list.body);
    const listed = list
      .json<
        Array<{ id: number; personName: string; amountFen: number; recoveredFen: number; status: string }>
      >()
      .find((x) => x.id === c.id);
    const person = await t.ctx.db
      .selectFrom('person')
      .select('name')
      .where('id', '=', award.personId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      listed && { name: listed.personName, amountFen: listed.amountFen, recoveredFen: listed.recoveredFen },
      { name: person.name, amountFen: 5000, recoveredFen: 0 },
    );
    const a = await prepared('clerk', `/api/v1/pension/recovery-cases/${c.id}/write-off`, {
      reason: '无法追回',
    });
    assert.equal(a.summary.writeOffFen, 5000);
    await refusedToAllButAnotherReviewer(a, 'reviewer2');
    await releasedOnce(a);
    assert.equal(await statusOf('recovery_case', c.id), 'written_off');
    assert.equal((await verifyLedger(t.ctx.db)).ok, true);
  });

  test('death follow-up and survivor payout: the deceased’s case runs only on release', async () => {
    const award = pensioners[1];
    assert.ok(award);
    await t.ctx.db
      .updateTable('person')
      .set({ death_date: '2026-02-10' })
      .where('id', '=', award.personId)
      .execute();
    await t.ctx.db
      .updateTable('app_user')
      .set({ person_id: award.personId })
      .where('username', '=', 'nobody')
      .execute();
    const a = await prepared('clerk', `/api/v1/persons/${award.personId}/pension/death`, {
      monthlyDisposableIncomeFen: 300000,
    });
    assert.equal(
      await count(`SELECT count(*) AS n FROM pension_death_case WHERE person_id = ${award.personId}`),
      0,
    );
    await refusedToAllButAnotherReviewer(a, 'nobody');
    await releasedOnce(a);
    assert.equal(
      await count(`SELECT count(*) AS n FROM pension_death_case WHERE person_id = ${award.personId}`),
      1,
    );
  });

  test('annual adjustment: prepared by the clerk, the maker cannot release it, a reviewer releases it once', async () => {
    const a = await prepared('clerk', '/api/v1/pension/adjustments', { region: TEST_REGION, year: 2026 });
    assert.ok(a.summary.awardsInForce >= 10);
    const amounts = 'SELECT count(*) AS n FROM pension_amount';
    const before = await count(amounts);
    await refusedToAllButAnotherReviewer(a);
    assert.equal(await count(amounts), before, 'nothing is recomputed before the release');
    const done = await releasedOnce(a);
    assert.ok((done.result as { adjusted: number }).adjusted >= 10, JSON.stringify(done.result));
    assert.ok((await count(amounts)) > before, 'the new amounts exist after the release');
  });

  test('bill cancellation and payment reversal: refused to maker, same person and the employee on the bill', async () => {
    const db = t.ctx.db;
    await db
      .insertInto('employment')
      .values({
        person_id: t.personId,
        employer_id: t.employerId,
        start_date: '2025-03-01',
        end_date: null,
        end_reason: null,
        monthly_wage_fen: 700000,
      })
      .execute();
    const declared = await call('employer', 'POST', `/api/v1/employers/${t.employerId}/declarations`, {
      lines: [
        { personId: t.personId, period: '2026-01', wageFen: 700000 },
        { personId: t.personId, period: '2026-02', wageFen: 700000 },
      ],
    });
    assert.equal(declared.statusCode, 200, declared.body);
    for (const period of ['2026-01', '2026-02']) {
      const r = await jobSettled(
        t.app,
        as['clerk']!.headers,
        await call('clerk', 'POST', '/api/v1/contributions/assessments', { period }),
      );
      assert.equal(r.statusCode, 200, r.body);
    }
    const bills = await db
      .selectFrom('contribution_bill')
      .select(['id', 'period', 'total_fen'])
      .where('employer_id', '=', t.employerId)
      .orderBy('period')
      .execute();
    const [jan, feb] = bills;
    assert.ok(jan && feb);
    const detail = await call('employer', 'GET', `/api/v1/bills/${jan.id}`);
    const due = detail.json<{ due: { totalFen: number } }>().due.totalFen;
    const paid = await call('employer', 'POST', `/api/v1/bills/${jan.id}/payments`, { amountFen: due });
    assert.equal(paid.statusCode, 200, paid.body);
    const payment = await db
      .selectFrom('contribution_payment')
      .select('id')
      .where('bill_id', '=', jan.id)
      .executeTakeFirstOrThrow();

    const cancel = await prepared('clerk', `/api/v1/bills/${feb.id}/cancel`, { reason: '重复申报' });
    assert.equal(await statusOf('contribution_bill', feb.id), 'open');
    await refusedToAllButAnotherReviewer(cancel, 'reviewer3');
    await releasedOnce(cancel, 'reviewer2');
    assert.equal(await statusOf('contribution_bill', feb.id), 'cancelled');

    const reverse = await prepared('clerk', `/api/v1/payments/${payment.id}/reverse`, {
      reasonKind: 'bank_return',
      reason: '银行退票',
    });
    assert.equal(await statusOf('contribution_payment', payment.id), 'matched');
    await refusedToAllButAnotherReviewer(reverse, 'reviewer3');
    await releasedOnce(reverse, 'reviewer2');
    assert.equal(await statusOf('contribution_payment', payment.id), 'reversed');
    assert.equal((await verifyLedger(db)).ok, true);
  });

  test('the approvals list shows pending items of every kind to reviewers of the region, not to employers', async () => {
    const list = await call('reviewer', 'GET', '/api/v1/approvals?status=released&pageSize=50');
    assert.equal(list.statusCode, 200, list.body);
    const items = list.json<{
      items: Array<
        Approval &
          Record<'makerUsername' | 'checkerUsername', string> &
          Record<'makerName' | 'checkerName', string | null>
      >;
    }>().items;
    const kinds = new Set(items.map((a) => a.kind));
    // Maker and checker by the names colleagues know (app_user.display_name), beside their accounts.
    const names = new Map(
      (await t.ctx.db.selectFrom('app_user').select(['username', 'display_name']).execute()).map((u) => [
        u.username,
        u.display_name,
      ]),
    );
    await sql`UPDATE app_user SET display_name = '王芳' WHERE username = 'clerk'`.execute(t.ctx.db);
    const renamed = await call(
      'reviewer',
      'GET',
      `/api/v1/approvals/${items.find((a) => a.makerUsername === 'clerk')!.id}`,
    );
    assert.equal(renamed.json<{ makerName: string }>().makerName, '王芳');
    await sql`UPDATE app_user SET display_name = ${names.get('clerk')} WHERE username = 'clerk'`.execute(
      t.ctx.db,
    );
    for (const a of items) {
      assert.equal(a.makerName, names.get(a.makerUsername) ?? null, `maker of #${a.id}`);
      assert.equal(a.checkerName, names.get(a.checkerUsername), `checker of #${a.id}`);
    }
    for (const k of [
      'payroll.run',
      'pension.restore',
      'recovery.write-off',
      'survivor.decide',
      'bill.cancel',
      'payment.reverse',
    ])
      assert.ok(kinds.has(k), k);
    assert.equal((await call('employer', 'GET', '/api/v1/approvals')).statusCode, 403);
  });
});
