// The pension relation transfer between two provinces, in one process: two databases (the old place
// A, the new place B) and the messages carried from one outbox to the other inbox by hand, through
// the same take-in path the broker consumer uses. The broker itself is tested in
// src/ops/federation.reliability.test.ts.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeBillLine, makeEmployer, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { idHash, takeIn, type Envelope, type Handler } from './fed.messaging.ts';
import { TransferService, transferHandlers, transferTotals } from './transfer.service.ts';

const A = '340000';
const B = '320000';
let dbA: TestDb;
let dbB: TestDb;
const clerkB: Actor = {
  userId: null,
  username: 'clerk-b',
  role: 'clerk',
  personId: null,
  employerId: null,
  region: B,
};
const handlers: Record<string, Record<string, Handler>> = {
  [A]: transferHandlers(A),
  [B]: transferHandlers(B),
};

/** Moves every unsent message of `from` to `to` (or to nobody, for the national exchange) and marks it sent. */
async function carry(from: string, fromDb: Db, to: string, toDb: Db): Promise<Envelope[]> {
  const rows = await sql<{ id: string; msg_id: string; to_node: string; kind: string; body: unknown }>`
    SELECT id, msg_id, to_node, kind, body FROM fed_outbox WHERE published_at IS NULL AND to_node = ${to} ORDER BY id`.execute(
    fromDb,
  );
  const out: Envelope[] = [];
  for (const r of rows.rows) {
    const env: Envelope = {
      id: r.msg_id,
      from,
      to,
      kind: r.kind,
      at: new Date().toISOString(),
      body: r.body,
    };
    await takeIn(toDb, env, handlers[to]?.[r.kind]);
    await sql`UPDATE fed_outbox SET published_at = now() WHERE id = ${r.id}`.execute(fromDb);
    out.push(env);
  }
  return out;
}

let idNumber = '';
let accountFen = 0;

before(async () => {
  dbA = await openTestDb();
  dbB = await openTestDb();
  // A: two years paid at 5,000.00 a month with 8% into the personal account.
  const pa = await makePerson(dbA.ctx.db, { region: '341800' });
  idNumber = pa.id_number;
  const emp = await makeEmployer(dbA.ctx.db);
  for (const year of [2019, 2020])
    for (let m = 1; m <= 12; m++) {
      await makeBillLine(dbA.ctx.db, {
        personId: pa.id,
        employerId: emp.id,
        period: `${year}-${String(m).padStart(2, '0')}`,
        baseFen: 500000,
        pensionEmployerFen: 80000,
        pensionEmployeeFen: 40000,
        personalAccountFen: 40000,
      });
      accountFen += 40000;
    }
  // B: the same person, insured there now.
  const pb = await makePerson(dbB.ctx.db, {
    id_number: idNumber,
    region: '320100',
    hukou_region: pa.hukou_region,
  });
  await dbB.ctx.db
    .insertInto('enrolment')
    .values({
      person_id: pb.id,
      scheme: 'employee_pension',
      kind: 'flexible',
      region: '320100',
      employer_id: null,
      start_date: '2021-01-01',
      end_date: null,
      status: 'active',
    })
    .execute();
});

after(async () => {
  await dbA?.close();
  await dbB?.close();
});

test('a transfer: 24 months at 5,000.00 → pooled 12% × 6,000,000 a year = 720,000 × 2; account 960,000; out of A = into B, once', async () => {
  const svc = new TransferService(dbB.ctx.db, B, [A, B]);
  const applied = await svc.apply(clerkB, { idNumber, fromProvince: A });
  assert.equal(applied.status, 'requested');
  const hall = await sql<{
    payload: { service: string; status: string; ref: string };
  }>`SELECT payload FROM outbox WHERE topic = 'case.status'`.execute(dbB.ctx.db);
  assert.deepEqual(
    hall.rows.map((r) => [r.payload.service, r.payload.status, r.payload.ref]),
    [['pension-transfer', 'submitted', `fed_transfer:${applied.id}`]],
  );
  await assert.rejects(
    svc.apply(clerkB, { idNumber, fromProvince: A }),
    /SB_ERR_CONFLICT|in progress|办理中/,
  );

  const requests = await carry(B, dbB.ctx.db, A, dbA.ctx.db);
  assert.deepEqual(
    requests.map((e) => e.kind),
    ['transfer.request'],
  );
  // The same request again (a redelivery): no second transfer, no second posting.
  const again = await takeIn(dbA.ctx.db, requests[0] as Envelope, handlers[A]?.['transfer.request']);
  assert.equal(again.replay, true);
  const outs = await sql<{
    n: unknown;
  }>`SELECT count(*)::bigint AS n FROM journal_entry WHERE kind = 'transfer-out'`.execute(dbA.ctx.db);
  assert.equal(int(outs.rows[0]?.n), 1);

  const funds = await carry(A, dbA.ctx.db, B, dbB.ctx.db);
  assert.deepEqual(
    funds.map((e) => e.kind),
    ['transfer.funds'],
  );
  const t = await svc.get(clerkB, applied.id);
  assert.equal(t.status, 'completed');
  assert.equal(t.months, 24);
  assert.deepEqual(t.pooledByYear, { '2019': 720000, '2020': 720000 });
  assert.equal(t.pooledFen, 1440000);
  assert.equal(t.accountFen, accountFen);
  assert.equal(t.totalFen, 1440000 + accountFen);
  assert.deepEqual(
    t.steps.map((s) => s.step),
    ['applied', 'letter-sent', 'funds-sent', 'credited'],
  );
  for (const s of t.steps.filter((x) => x.step !== 'applied'))
    assert.match(s.dueBy ?? '', /^\d{4}-\d{2}-\d{2}$/);
  const lines = await sql<{ from_period: string; to_period: string; monthly_base_fen: unknown }>`
    SELECT from_period, to_period, monthly_base_fen FROM fed_credited_segment ORDER BY line_no`.execute(
    dbB.ctx.db,
  );
  assert.deepEqual(
    lines.rows.map((r) => [r.from_period, r.to_period, int(r.monthly_base_fen)]),
    [['2019-01', '2020-12', 500000]],
  );

  await carry(B, dbB.ctx.db, A, dbA.ctx.db);
  const outRow = await sql<{
    status: string;
  }>`SELECT status FROM fed_transfer WHERE direction = 'out'`.execute(dbA.ctx.db);
  assert.equal(outRow.rows[0]?.status, 'completed');

  const ta = await transferTotals(dbA.ctx.db);
  const tb = await transferTotals(dbB.ctx.db);
  assert.equal(ta.outFen, 1440000 + accountFen);
  assert.equal(tb.inFen, ta.outFen);
  assert.equal((await verifyLedger(dbA.ctx.db)).unbalancedEntries.length, 0);
  assert.equal((await verifyLedger(dbB.ctx.db)).equationDifferences.length, 0);
  const hall2 = await sql<{
    payload: { status: string };
  }>`SELECT payload FROM outbox WHERE topic = 'case.status' ORDER BY id`.execute(dbB.ctx.db);
  assert.deepEqual(
    hall2.rows.map((r) => r.payload.status),
    ['submitted', 'completed'],
  );
  // Both sides told the exchange which province holds what (by hashed ID number only).
  const idx = await sql<{ body: { idHash: string; province: string; relationHeld: boolean } }>`
    SELECT body FROM fed_outbox WHERE kind = 'index.update'`.execute(dbA.ctx.db);
  assert.deepEqual(
    idx.rows.map((r) => [r.body.idHash, r.body.province, r.body.relationHeld]),
    [[idHash(idNumber), A, false]],
  );
  assert.ok(!JSON.stringify(idx.rows).includes(idNumber));
});

test('the old place has no record of the person → refused, the applicant sees it rejected, no money moves', async () => {
  const stranger = await makePerson(dbB.ctx.db, { region: '320100' });
  await dbB.ctx.db
    .insertInto('enrolment')
    .values({
      person_id: stranger.id,
      scheme: 'employee_pension',
      kind: 'flexible',
      region: '320100',
      employer_id: null,
      start_date: '2021-01-01',
      end_date: null,
      status: 'active',
    })
    .execute();
  const svc = new TransferService(dbB.ctx.db, B, [A, B]);
  const before = await transferTotals(dbB.ctx.db);
  const r = await svc.apply(clerkB, { idNumber: stranger.id_number, fromProvince: A });
  await carry(B, dbB.ctx.db, A, dbA.ctx.db);
  await carry(A, dbA.ctx.db, B, dbB.ctx.db);
  const t = await svc.get(clerkB, r.id);
  assert.equal(t.status, 'refused');
  assert.match(t.note ?? '', /no record/);
  assert.deepEqual(await transferTotals(dbB.ctx.db), before);
  const last = await sql<{
    payload: { status: string; ref: string };
  }>`SELECT payload FROM outbox WHERE topic = 'case.status' ORDER BY id DESC LIMIT 1`.execute(dbB.ctx.db);
  assert.deepEqual(
    [last.rows[0]?.payload.status, last.rows[0]?.payload.ref],
    ['rejected', `fed_transfer:${r.id}`],
  );
});

test('applying: not from this province, not insured here, another clerk region → refused', async () => {
  const svc = new TransferService(dbB.ctx.db, B, [A, B]);
  await assert.rejects(
    svc.apply(clerkB, { idNumber, fromProvince: B }),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_VALIDATION',
  );
  const p = await makePerson(dbB.ctx.db, { region: '320100' });
  await assert.rejects(
    svc.apply(clerkB, { idNumber: p.id_number, fromProvince: A }),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_CONFLICT',
  );
  const elsewhere: Actor = { ...clerkB, region: '330000' };
  await assert.rejects(
    svc.apply(elsewhere, { idNumber, fromProvince: A }),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_OUT_OF_SCOPE',
  );
});
