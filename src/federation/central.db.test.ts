// The central adjustment settled across a federation in one process: the exchange N and two provinces
// A (Anhui) and B (Jiangsu), each its own database, the messages carried from outbox to inbox by hand
// through the take-in path the broker consumer uses (the broker itself: src/ops/federation.reliability.test.ts).
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { projectParams } from '../core/params-loader.ts';
import { Trace } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { fedDemoParams } from '../demo/federation-demo.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeEmployer, makePerson } from '../testing/factories.ts';
import { message } from '../testing/federation-carrier.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { nationalCentralAdjustment } from './central.rules.ts';
import { CentralAdjustmentService } from './central.service.ts';
import { NATIONAL, takeIn, type Envelope, type Handler } from './fed.messaging.ts';

const A = '340000';
const B = '320000';
const params = fedDemoParams(projectParams());
const dbs: Record<string, TestDb> = {};
const handlers: Record<string, Record<string, Handler>> = {
  [NATIONAL]: CentralAdjustmentService.nationalHandlers([A, B], params),
  [A]: CentralAdjustmentService.provinceHandlers(A, params),
  [B]: CentralAdjustmentService.provinceHandlers(B, params),
};
const admin: Actor = {
  userId: null,
  username: 'national-reviewer',
  role: 'reviewer',
  personId: null,
  employerId: null,
  region: '000000',
};
const db = (n: string): Db => (dbs[n] as TestDb).ctx.db;

/** Carries every unsent message from `from` to `to`, marking it sent; returns what it carried. */
async function carry(from: string, to: string): Promise<Envelope[]> {
  const rows = await sql<{ id: string; msg_id: string; kind: string; body: unknown }>`
    SELECT id, msg_id, kind, body FROM fed_outbox WHERE published_at IS NULL AND to_node = ${to} ORDER BY id`.execute(
    db(from),
  );
  const out: Envelope[] = [];
  for (const r of rows.rows) {
    const env = message(from, to, r.kind, r.body, r.msg_id);
    await takeIn(db(to), env, handlers[to]?.[r.kind]);
    await sql`UPDATE fed_outbox SET published_at = now() WHERE id = ${r.id}`.execute(db(from));
    out.push(env);
  }
  return out;
}

/** `n` employees insured at the end of 2019 and `r` retirees (retired in 2015) in a province's city. */
async function population(node: string, city: string, n: number, r: number) {
  const employer = await makeEmployer(db(node), { region: city });
  for (let i = 0; i < n + r; i++) {
    const p = await makePerson(db(node), { region: city });
    await db(node)
      .insertInto('enrolment')
      .values({
        person_id: p.id,
        scheme: 'employee_pension',
        kind: 'employee',
        region: city,
        employer_id: employer.id,
        start_date: '2010-01-01',
        end_date: i < n ? null : '2015-06-30',
        end_reason: i < n ? null : 'retirement',
        status: i < n ? 'active' : 'ended',
      })
      .execute();
  }
}

const entries = async (node: string) =>
  (
    await sql<{ kind: string; amount: unknown }>`
      SELECT e.kind, sum(l.debit_fen)::bigint AS amount FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
      WHERE e.kind LIKE 'central-adjustment-%' GROUP BY e.kind ORDER BY e.kind`.execute(db(node))
  ).rows.map((r) => [r.kind, int(r.amount)]);

before(async () => {
  for (const n of [NATIONAL, A, B]) dbs[n] = await openTestDb();
  await population(A, '341800', 6, 3);
  await population(B, '320100', 9, 1);
});

after(async () => {
  for (const d of Object.values(dbs)) await d.close();
});

test('2019: both provinces report, the exchange computes with the rule, each posts its share once; money out = money in + residual; ledgers verify', async () => {
  const svc = new CentralAdjustmentService(db(NATIONAL), [A, B]);
  const first = await svc.run(admin, 2019);
  assert.equal(first.started, true);
  assert.equal(first.view.status, 'requested');
  assert.deepEqual(first.view.waitingFor, [A, B]);
  // Idempotent per year: asking again sends nothing new.
  const again = await svc.run(admin, 2019);
  assert.equal(again.started, false);
  assert.deepEqual(
    (await carry(NATIONAL, A)).map((e) => e.kind),
    ['central.request'],
  );
  assert.equal((await carry(NATIONAL, B)).length, 1);
  await carry(A, NATIONAL);
  assert.equal((await svc.get(admin, 2019)).status, 'requested');
  await carry(B, NATIONAL);
  const computed = await svc.get(admin, 2019);
  assert.equal(computed.status, 'computed');
  // The figures the provinces reported: 6 + 9 insured, 3 + 1 retirees; Anhui's wage (Jiangsu's the demo stand-in).
  const wageA = int(params.tryResolve<number>('contributions/average-wage', A, '2019-01-01')?.value) * 12;
  assert.deepEqual(
    computed.provinces.map((p) => [p.province, p.insuredCount, p.retireeCount, p.annualAverageWageFen]),
    [
      [B, 9, 1, wageA],
      [A, 6, 3, wageA],
    ],
  );
  // The same figures through the pure rule give the same shares (one figure, one formula).
  const expected = nationalCentralAdjustment(
    2019,
    [
      { province: A, annualAverageWageFen: wageA, insuredCount: 6, retireeCount: 3 },
      { province: B, annualAverageWageFen: wageA, insuredCount: 9, retireeCount: 1 },
    ],
    params,
    new Trace(),
  );
  assert.equal(computed.raisedFen, expected.raisedFen);
  assert.equal(computed.perCapitaAllocationFen, expected.perCapitaAllocationFen);
  assert.deepEqual(
    computed.provinces.map((p) => [p.contributionFen, p.allocationFen, p.netFen]),
    expected.provinces.map((p) => [p.contributionFen, p.allocationFen, p.netFen]),
  );
  const share = (p: string) => expected.provinces.find((x) => x.province === p);

  const posts = await carry(NATIONAL, A);
  assert.deepEqual(
    posts.map((e) => e.kind),
    ['central.post'],
  );
  await carry(NATIONAL, B);
  assert.deepEqual(await entries(A), [
    ['central-adjustment-in', share(A)?.allocationFen],
    ['central-adjustment-out', share(A)?.contributionFen],
  ]);
  // A redelivery of the same message, and the same share sent again under a new message id: no second posting.
  assert.equal((await takeIn(db(A), posts[0] as Envelope, handlers[A]?.['central.post'])).replay, true);
  await takeIn(db(A), { ...(posts[0] as Envelope), id: crypto.randomUUID() }, handlers[A]?.['central.post']);
  assert.deepEqual(await entries(A), [
    ['central-adjustment-in', share(A)?.allocationFen],
    ['central-adjustment-out', share(A)?.contributionFen],
  ]);
  // A province cannot post a share for another: a central.post not from the exchange does nothing.
  await takeIn(
    db(B),
    { ...(posts[0] as Envelope), id: crypto.randomUUID(), from: A, to: B },
    handlers[B]?.['central.post'],
  );
  assert.equal(
    int(
      (await sql<{ n: unknown }>`SELECT count(*)::bigint AS n FROM fed_central_posting`.execute(db(B)))
        .rows[0]?.n,
    ),
    1,
  );

  await carry(A, NATIONAL);
  await carry(B, NATIONAL);
  const posted = await svc.get(admin, 2019);
  assert.equal(posted.status, 'posted');
  // Money: what the provinces paid up = what they received + what stays in the central account.
  const sum = async (kind: string) =>
    (await entries(A)).concat(await entries(B)).reduce((s, [k, v]) => (k === kind ? s + Number(v) : s), 0);
  assert.equal(await sum('central-adjustment-out'), expected.raisedFen);
  assert.equal(
    await sum('central-adjustment-out'),
    (await sum('central-adjustment-in')) + expected.residualFen,
  );
  for (const n of [A, B]) {
    const v = await verifyLedger(db(n));
    assert.deepEqual([v.unbalancedEntries.length, v.equationDifferences.length], [0, 0], `${n} verifies`);
  }
  // Each province's posting is audited.
  const audit = await sql<{
    action: string;
  }>`SELECT action FROM audit_log WHERE action = 'central-adjustment.post'`.execute(db(A));
  assert.equal(audit.rows.length, 1);
});

test('figures claimed for another province, or for a year never asked, are ignored', async () => {
  const forged = message(A, NATIONAL, 'central.figures', {
    year: 2020,
    province: B,
    annualAverageWageFen: 1,
    insuredCount: 1,
    retireeCount: 1,
  });
  await takeIn(db(NATIONAL), forged, handlers[NATIONAL]?.['central.figures']);
  await takeIn(
    db(NATIONAL),
    { ...forged, id: crypto.randomUUID(), body: { ...(forged.body as object), province: A } },
    handlers[NATIONAL]?.['central.figures'],
  );
  const n = await sql<{
    n: unknown;
  }>`SELECT count(*)::bigint AS n FROM fed_central_figures WHERE year = 2020`.execute(db(NATIONAL));
  assert.equal(int(n.rows[0]?.n), 0);
});

test('a year outside the central adjustment fails with the rule’s reason and may be asked again; only the exchange’s reviewer runs it', async () => {
  const svc = new CentralAdjustmentService(db(NATIONAL), [A, B]);
  await svc.run(admin, 2023);
  await carry(NATIONAL, A);
  await carry(NATIONAL, B);
  await carry(A, NATIONAL);
  await carry(B, NATIONAL);
  const failed = await svc.get(admin, 2023);
  assert.equal(failed.status, 'failed');
  assert.match(failed.error ?? '', /2022|中央调剂/);
  assert.equal((await svc.run(admin, 2023)).started, true);
  await assert.rejects(
    svc.run({ ...admin, region: A }, 2021),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_OUT_OF_SCOPE',
  );
  await assert.rejects(
    svc.run({ ...admin, role: 'supervisor' }, 2021),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_FORBIDDEN',
  );
  await assert.rejects(
    svc.run({ ...admin, role: 'admin' }, 2021),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_FORBIDDEN',
    'the administrator approves no money',
  );
  await assert.rejects(
    svc.get({ ...admin, role: 'clerk', region: A }, 2019),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_OUT_OF_SCOPE',
  );
});
