// The twelfth wave's attacker's walk (sec37): numbers in request bodies at the edge, the demo's own routes
// on a real database, and two areas the waves had not walked — the personal pension (个人养老金) and the
// card terminals' use records (刷卡记录, the life signs of 静默认证) — tried as a citizen, another citizen,
// a clerk of the region, a clerk of another city and an anonymous caller. Each test goes through the real
// server (app.inject) on a real database; the holes were seen failing first (docs/security.md, wave 12).
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { makeEnrolment } from '../testing/factories.ts';
import { makeTestApp, TEST_REGION } from '../testing/test-app.ts';
import { attackerWalk } from './attackers.ts';

const FAR = '340100';
/** A January: the year before still has room under its cap, and a day before the account opened exists. */
const TODAY = '2026-01-20';

describe('wave 12', () => {
  const w = attackerWalk(['citizen-b'], TODAY);
  const { as, call, error } = w;

  test('a number in a body past what a clerk would type is refused at the edge naming the field, never repeating it: a resident’s tier year of 1e300 was repeated in the answer', async () => {
    for (const year of ['1e300', '99999', '9007199254740993', '-1', '1949']) {
      const r = await w.t.app.inject({
        method: 'POST',
        url: `/api/v1/persons/${w.t.personId}/resident-tier`,
        headers: { ...as['clerk']!.headers, 'content-type': 'application/json' },
        payload: `{"year":${year},"tierFen":20000}`,
      });
      assert.equal(r.statusCode, 400, `${year}: ${r.body}`);
      assert.equal(error(r)?.field, 'year', `${year}: ${r.body}`);
      for (const shown of [year, '1e+300', '100000'])
        assert.ok(!r.body.includes(shown), `${year} repeated: ${r.body}`);
    }
  });

  test('the demo’s own routes on a real database: absent, or 404 to the roles that may call them, 403 to the others and 401 anonymous — nothing of the demo answers', async () => {
    const demo = await makeTestApp({ demo: true });
    const ops = (
      demo.app as unknown as {
        swagger(): { paths: Record<string, Record<string, { summary?: string }>> };
      }
    ).swagger().paths;
    await demo.close();
    const demoRoutes = Object.entries(ops).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => op.summary?.startsWith('演示') === true)
        .map(([m, op]) => ({ method: m.toUpperCase() as 'GET' | 'POST', path, summary: op.summary })),
    );
    // the sample return file, the SMS outbox, the liveness and payment gateway simulators
    assert.ok(demoRoutes.length >= 5, JSON.stringify(demoRoutes));
    for (const r of demoRoutes) {
      const url = r.path
        .replace('{orderNo}', 'SB' + '0'.repeat(24))
        .replace('{id}', String(w.t.personId))
        .concat(r.path.endsWith('demo-sms') ? '?phone=13800000000' : '');
      const body = r.method === 'POST' ? { nonce: 'x'.repeat(16), outcome: 'success' } : undefined;
      for (const who of [null, 'citizen', 'employer', 'clerk', 'clerk-hefei']) {
        const got = await call(who, r.method, url, body);
        assert.ok([401, 403, 404].includes(got.statusCode), `${who} ${r.method} ${url}: ${got.body}`);
        if (who === 'clerk' || (who === null && got.statusCode !== 401))
          assert.equal(got.statusCode, 404, `${who} ${r.method} ${url}: ${got.body}`);
      }
    }
    const sample = '/api/v1/payments/bank-returns/demo-sample';
    assert.equal((await call(null, 'GET', sample)).statusCode, 401);
    for (const who of ['citizen', 'employer']) assert.equal((await call(who, 'GET', sample)).statusCode, 403);
  });

  test('the personal pension: a citizen cannot date a payment into last year’s cap, a clerk cannot date one before the account opened; a missing account does not repeat the person’s number; others read nothing', async () => {
    const me = w.t.personId;
    await makeEnrolment(w.t.ctx.db, { person_id: me, region: TEST_REGION });
    const opened = await call('citizen', 'POST', `/api/v1/persons/${me}/personal-pension`, {});
    assert.equal(opened.statusCode, 201, opened.body);
    const pay = (who: string, paidOn: string | undefined, key: string) =>
      call(who, 'POST', `/api/v1/persons/${me}/personal-pension/contributions`, {
        amountFen: 100_000,
        idempotencyKey: key,
        ...(paidOn === undefined ? {} : { paidOn }),
      });
    // old code: 201 into 2025's cap (a deduction from last year's income claimed this January)
    const lastYear = await pay('citizen', '2025-12-31', 'w12-citizen-backdated');
    assert.equal(lastYear.statusCode, 400, lastYear.body);
    assert.equal(error(lastYear)?.field, 'paidOn', lastYear.body);
    assert.ok(!lastYear.body.includes('2025-12-31'), lastYear.body);
    const mine = await pay('citizen', undefined, 'w12-citizen-today');
    assert.equal(mine.statusCode, 201, mine.body);
    assert.equal(mine.json<{ year: number; paidOn: string }>().paidOn, TODAY);
    // staff record a payment received earlier, but never before the account existed (old code: 201)
    const beforeOpening = await pay('clerk', '2026-01-05', 'w12-clerk-before');
    assert.equal(beforeOpening.statusCode, 400, beforeOpening.body);
    assert.equal(error(beforeOpening)?.field, 'paidOn', beforeOpening.body);
    assert.equal((await pay('clerk', TODAY, 'w12-clerk-today')).statusCode, 201);
    const years = await w.t.ctx.db
      .selectFrom('personal_pension_contribution')
      .select('year')
      .distinct()
      .execute();
    assert.deepEqual(
      years.map((y) => y.year),
      [2026],
      'nothing paid into 2025',
    );
    // another citizen and another city's clerk: the answer of an unknown person, nothing paid
    const unknown = 999_999_999;
    for (const who of ['citizen-b', 'clerk-hefei']) {
      const theirs = await call(who, 'GET', `/api/v1/persons/${me}/personal-pension`);
      const none = await call(who, 'GET', `/api/v1/persons/${unknown}/personal-pension`);
      assert.equal(theirs.statusCode, 404, `${who}: ${theirs.body}`);
      assert.deepEqual(error(theirs), error(none), who);
      const paid = await call(who, 'POST', `/api/v1/persons/${me}/personal-pension/contributions`, {
        amountFen: 100,
        idempotencyKey: `w12-${who}-pays`,
      });
      assert.equal(paid.statusCode, 404, `${who}: ${paid.body}`);
    }
    // citizen-b has no account: the answer names no person's number
    const b = as['citizen-b']!.user.personId!;
    const noAccount = await call('citizen-b', 'GET', `/api/v1/persons/${b}/personal-pension`);
    assert.equal(noAccount.statusCode, 404, noAccount.body);
    assert.ok(!noAccount.body.includes(String(b)), noAccount.body);
  });

  test('card terminals’ use records: a use dated after today is refused naming the record, another city’s clerk cannot take over a terminal’s numbers (the register’s, since pass 38), and a number sent again with other content is refused instead of dropped', async () => {
    const upload = (who: string | null, terminalId: string, region: string, records: unknown[]) =>
      call(who, 'POST', '/api/v1/card-uses', { terminalId, terminalKind: 'bus', region, records });
    const use = (seq: number, usedAt: string, cardRef = 'a'.repeat(32)) => ({
      seq,
      cardRef,
      usedAt,
      accepted: true,
    });
    // the region's terminals are in its register (thirty-eighth pass: uploads go only through them)
    for (const n of [1, 2, 3, 4]) {
      const registered = await call('clerk', 'POST', '/api/v1/card-terminals', {
        terminalId: `W12-XC-BUS-${n}`,
        kind: 'bus',
        name: `宣城公交${n}路 闸机`,
      });
      assert.equal(registered.statusCode, 201, registered.body);
    }
    // in service since the new year: the uses below are of the day before the registration (card39 refuses
    // a use older than its terminal's registration)
    await w.t.ctx.db
      .updateTable('card_terminal')
      .set({ registered_on: '2026-01-01' })
      .where('terminal_id', 'like', 'W12-XC-BUS-%')
      .execute();
    // a life sign on a day not yet lived (old code: 200, inserted)
    const ahead = await upload('clerk', 'W12-XC-BUS-1', TEST_REGION, [
      use(1, '2026-01-20T08:00:00+08:00'),
      use(2, '2026-02-01T08:00:00+08:00'),
    ]);
    assert.equal(ahead.statusCode, 400, ahead.body);
    assert.equal(error(ahead)?.field, 'records.1.usedAt', ahead.body);
    assert.ok(!ahead.body.includes('2026-02-01'), ahead.body);
    const count = async (terminal: string) =>
      (await w.t.ctx.db.selectFrom('card_use').select('seq').where('terminal_id', '=', terminal).execute())
        .length;
    assert.equal(await count('W12-XC-BUS-1'), 0, 'nothing of the refused batch kept');
    // Hefei's clerk uploads first under a Xuancheng terminal's id; Xuancheng's own records were then
    // answered as duplicates and silently dropped (old code: 200, inserted 0). Now the terminal is
    // Xuancheng's in the register: Hefei is told only that Hefei has no such terminal.
    const taken = await upload('clerk-hefei', 'W12-XC-BUS-2', FAR, [use(1, '2026-01-19T07:00:00+08:00')]);
    assert.equal(taken.statusCode, 404, taken.body);
    assert.equal(error(taken)?.field, 'terminalId', taken.body);
    assert.ok(!/341800|宣城/.test(taken.body), taken.body);
    const ours = await upload('clerk', 'W12-XC-BUS-2', TEST_REGION, [
      use(1, '2026-01-19T07:30:00+08:00', 'b'.repeat(32)),
    ]);
    assert.equal(ours.statusCode, 200, ours.body);
    assert.deepEqual(ours.json(), { received: 1, inserted: 1, duplicates: 0 });
    // within the region: a batch sent again is a replay; the same number with another card is refused
    const first = [use(1, '2026-01-19T07:00:00+08:00'), use(2, '2026-01-19T07:05:00+08:00')];
    assert.equal((await upload('clerk', 'W12-XC-BUS-3', TEST_REGION, first)).statusCode, 200);
    const again = await upload('clerk', 'W12-XC-BUS-3', TEST_REGION, first);
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(again.json(), { received: 2, inserted: 0, duplicates: 2 });
    const other = await upload('clerk', 'W12-XC-BUS-3', TEST_REGION, [
      use(2, '2026-01-19T07:05:00+08:00', 'c'.repeat(32)),
    ]);
    assert.equal(other.statusCode, 409, other.body);
    assert.equal(error(other)?.field, 'records.0.seq', other.body);
    // payers and anonymous callers upload nothing
    for (const who of [null, 'citizen', 'employer'])
      assert.equal(
        (await upload(who, 'W12-XC-BUS-4', TEST_REGION, first)).statusCode,
        who === null ? 401 : 403,
      );
  });
});
