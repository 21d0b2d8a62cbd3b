// A person who moved in from one province moves on again (人社部发〔2016〕5号; 国办发〔2009〕66号 Art. 4):
// A (340000) → B (320000) → C (330000). The relation B sends on carries the whole insured history B
// holds — its own months and the months it credited from A, each with its province of origin and
// the average wage A assessed them against, as received — and the whole personal account, what B
// credited from A included. C books them once; at B they count nowhere after the move. Four
// databases (three provinces and the exchange), the messages carried through the consumer's
// take-in path as in transfer.db.test.ts.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { computeContributionIndex } from '../contributions/contribution-index.rules.ts';
import { RecordService } from '../contributions/record.service.ts';
import { Trace } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { pensionRecord } from '../pension/person-record.repository.ts';
import { carryFrom, indexUpdate, message } from '../testing/federation-carrier.ts';
import { makeBillLine, makeEmployer, makeEnrolment, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { ensureKeyedIndex } from './fed.index-key.ts';
import { NATIONAL, setFederationSecret, takeIn, type Envelope, type Handler } from './fed.messaging.ts';
import { NationalService } from './national.service.ts';
import { schemeFigures } from './scheme-bridging.repository.ts';
import { CollectionService } from './transfer-collect.service.ts';
import { LocateService } from './transfer-locate.service.ts';
import { transferTotals } from './transfer.repository.ts';
import { TransferService } from './transfer.service.ts';
import { CreditedWageRepair } from './transfer-wages.service.ts';
import type { Words } from '../core/bilingual.ts';

const A = '340000';
const B = '320000';
const C = '330000';
const PROVINCES = [A, B, C];
let dbA: TestDb;
let dbB: TestDb;
let dbC: TestDb;
let dbN: TestDb;
const clerk = (region: string): Actor => ({
  userId: null,
  username: `clerk-${region}`,
  role: 'clerk',
  personId: null,
  employerId: null,
  region,
});
let handlers: Record<string, Record<string, Handler>> = {};
const dbOf = (node: string): Db => {
  const d = { [A]: dbA, [B]: dbB, [C]: dbC, [NATIONAL]: dbN }[node];
  assert.ok(d, node);
  return d.ctx.db;
};
const carry = (from: string): Promise<Envelope[]> => carryFrom({ dbOf, handlers: () => handlers }, from);
async function pump(): Promise<string[]> {
  const kinds: string[] = [];
  for (let round = 0; round < 20; round++) {
    let n = 0;
    for (const node of [C, B, NATIONAL, A]) {
      const c = await carry(node);
      n += c.length;
      kinds.push(...c.map((e) => `${node}>${e.to}:${e.kind}`));
    }
    if (n === 0) return kinds;
  }
  throw new Error('messages still flowing after 20 rounds');
}

let idNumber = '';
const ids: Record<string, number> = {};
/** A: 2019–2020, 24 months at 5,000.00 against an average wage of 8,000.00, 400.00 a month into the account. */
const A_ACCOUNT = 24 * 40000;
/** B: 2021–2022, 24 months at 6,000.00 against 9,000.00, 480.00 a month into the account. */
const B_ACCOUNT = 24 * 48000;

async function paid(
  db: Db,
  personId: number,
  region: string,
  year: number,
  baseFen: number,
  averageWageFen: number,
) {
  const employer = await makeEmployer(db);
  for (let m = 1; m <= 12; m++)
    await makeBillLine(db, {
      personId,
      employerId: employer.id,
      region,
      period: `${year}-${String(m).padStart(2, '0')}`,
      baseFen,
      averageWageFen,
      pensionEmployerFen: (baseFen * 16) / 100,
      pensionEmployeeFen: (baseFen * 8) / 100,
      personalAccountFen: (baseFen * 8) / 100,
    });
}

before(async () => {
  setFederationSecret('test-federation-secret-0123456789abcdef');
  [dbA, dbB, dbC, dbN] = await Promise.all([openTestDb(), openTestDb(), openTestDb(), openTestDb()]);
  const province = (p: string, d: TestDb) => ({
    ...TransferService.handlers(p, d.ctx.params),
    ...CollectionService.handlers(p, d.ctx.params),
  });
  handlers = {
    [A]: province(A, dbA),
    [B]: province(B, dbB),
    [C]: province(C, dbC),
    [NATIONAL]: { ...NationalService.handlers(), ...LocateService.handlers(PROVINCES) },
  };
  const pa = await makePerson(dbA.ctx.db, { region: '341800', birth_date: '1985-03-01', sex: 'M' });
  idNumber = pa.id_number;
  ids[A] = pa.id;
  for (const y of [2019, 2020]) await paid(dbA.ctx.db, pa.id, '341800', y, 500000, 800000);
  for (const [p, d, region, since] of [
    [B, dbB, '320100', '2021-01-01'],
    [C, dbC, '330100', '2023-01-01'],
  ] as const) {
    const person = await makePerson(d.ctx.db, {
      id_number: idNumber,
      region,
      hukou_region: pa.hukou_region,
      birth_date: pa.birth_date,
      sex: pa.sex,
    });
    ids[p] = person.id;
    await makeEnrolment(d.ctx.db, { person_id: person.id, region, start_date: since });
  }
  await ensureKeyedIndex(dbA.ctx.db, A);
  await pump();
  // A → B: B applies; A sends its 24 months and account.
  const first = await new TransferService(dbB.ctx.db, B, PROVINCES, dbB.ctx.params).apply(clerk(B), {
    idNumber,
  });
  await pump();
  assert.equal(
    (await new TransferService(dbB.ctx.db, B, PROVINCES, dbB.ctx.params).get(clerk(B), first.id)).status,
    'completed',
  );
  // Then B's own two years, and B tells the exchange (as its index does on change).
  for (const y of [2021, 2022]) await paid(dbB.ctx.db, ids[B]!, '320100', y, 600000, 900000);
  // And a year in B's residents' scheme before that: its account is not the employee account and stays.
  await makeBillLine(dbB.ctx.db, {
    personId: ids[B]!,
    payerKind: 'resident',
    region: '320100',
    period: '2018-01',
    pensionEmployeeFen: 30000,
    personalAccountFen: 30000,
  });
  await ensureKeyedIndex(dbB.ctx.db, B);
  await pump();
});

after(async () => {
  await Promise.all([dbA?.close(), dbB?.close(), dbC?.close(), dbN?.close()]);
});

const svcC = () => new TransferService(dbC.ctx.db, C, PROVINCES, dbC.ctx.params);

test('B → C carries A’s 24 months (origin 340000, wage 8,000.00) with B’s 24 (320000, 9,000.00) and the whole account 960,000 + 1,152,000 = 2,112,000; pooled 12% × (6,000,000 × 2 + 7,200,000 × 2) = 3,168,000; out of B = into C, once', async () => {
  const svc = svcC();
  const applied = await svc.apply(clerk(C), { idNumber });
  const kinds = await pump();
  assert.ok(kinds.includes(`${B}>${C}:transfer.funds`), kinds.join(', '));
  assert.ok(
    !kinds.some((k) => k.includes(`>${A}:transfer.request`)),
    'A is not asked: it sent everything to B',
  );
  const t = await svc.get(clerk(C), applied.id);
  assert.equal(t.status, 'completed');
  assert.equal(t.fromProvince, B);
  assert.equal(t.months, 48);
  assert.deepEqual(t.pooledByYear, { '2019': 720000, '2020': 720000, '2021': 864000, '2022': 864000 });
  assert.equal(t.pooledFen, 3168000);
  assert.equal(t.accountFen, A_ACCOUNT + B_ACCOUNT);
  assert.equal(t.totalFen, 3168000 + A_ACCOUNT + B_ACCOUNT);
  const segs = await sql<{
    from_province: string;
    from_period: string;
    to_period: string;
    monthly_base_fen: unknown;
    average_wage_fen: unknown;
  }>`SELECT from_province, from_period, to_period, monthly_base_fen, average_wage_fen FROM fed_credited_segment
    WHERE person_id = ${ids[C]} ORDER BY from_period`.execute(dbC.ctx.db);
  assert.deepEqual(
    segs.rows.map((r) => [
      r.from_province,
      r.from_period,
      r.to_period,
      int(r.monthly_base_fen),
      int(r.average_wage_fen),
    ]),
    [
      [A, '2019-01', '2020-12', 500000, 800000],
      [B, '2021-01', '2022-12', 600000, 900000],
    ],
  );
  // The money: out of B = into C; both ledgers balance.
  const outB = await sql<{ fen: unknown }>`
    SELECT coalesce(sum(l.debit_fen), 0)::bigint AS fen FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
    WHERE e.kind = 'transfer-out' AND e.idempotency_key LIKE 'fed-transfer-out:%'`.execute(dbB.ctx.db);
  assert.equal(int(outB.rows[0]?.fen), 3168000 + A_ACCOUNT + B_ACCOUNT);
  assert.equal((await transferTotals(dbC.ctx.db)).inFen, 3168000 + A_ACCOUNT + B_ACCOUNT);
  assert.equal((await verifyLedger(dbB.ctx.db)).unbalancedEntries.length, 0);
  assert.equal((await verifyLedger(dbC.ctx.db)).unbalancedEntries.length, 0);
  // Audited at B: what it sent, with what it carried on from elsewhere.
  const audit = await sql<{ after: Record<string, unknown> }>`
    SELECT after FROM audit_log WHERE action = 'transfer.send' ORDER BY id DESC LIMIT 1`.execute(dbB.ctx.db);
  assert.deepEqual(audit.rows[0]?.after['carriedOn'], [
    { province: A, from: '2019-01', to: '2020-12', months: 24 },
  ]);
  assert.equal(audit.rows[0]?.after['accountFen'], A_ACCOUNT + B_ACCOUNT);
  // The exchange keeps counting the months paid in each province (the place of payment's years).
  const idx = await sql<{ province: string; months: number; relation_held: boolean }>`
    SELECT province, months, relation_held FROM fed_person_index ORDER BY province`.execute(dbN.ctx.db);
  assert.deepEqual(
    idx.rows.map((r) => [r.province, Number(r.months), r.relation_held]),
    [
      [B, 24, false],
      [C, 0, true],
      [A, 24, false],
    ],
  );
});

test("C's pension record (what the award reads) counts the 48 months at their own indices (0.625 from A, 0.6667 from B) and the account 2,112,000 — once when the funds message is handled again", async () => {
  const rec = await pensionRecord(dbC.ctx.db, ids[C]!, '2026-12');
  assert.equal(rec.contributionMonths, 48);
  assert.equal(rec.personalAccountFen, A_ACCOUNT + B_ACCOUNT);
  assert.deepEqual(rec.indexLines[0], { period: '2019-01', baseFen: 500000, averageWageFen: 800000 });
  assert.deepEqual(rec.indexLines[47], { period: '2022-12', baseFen: 600000, averageWageFen: 900000 });
  const z = computeContributionIndex(
    { region: '330100', lines: rec.indexLines },
    dbC.ctx.params,
    new Trace(),
  );
  assert.equal(z.totalMonths, 48);
  const msg = await sql<{ msg_id: string; body: unknown }>`
    SELECT msg_id, body FROM fed_outbox WHERE kind = 'transfer.funds' AND to_node = ${C}`.execute(dbB.ctx.db);
  assert.equal(msg.rows.length, 1);
  const env = (id: string) => message(B, C, 'transfer.funds', msg.rows[0]?.body, id);
  // A redelivery (the same message id: the inbox) and a replay under a new id (past the inbox: the handler).
  const again = await takeIn(dbC.ctx.db, env(msg.rows[0]!.msg_id), handlers[C]?.['transfer.funds']);
  assert.equal(again.replay, true);
  await dbC.ctx.db.transaction().execute(async (tx) => {
    await handlers[C]?.['transfer.funds']?.(tx, env('replayed-under-a-new-id'));
  });
  const twice = await pensionRecord(dbC.ctx.db, ids[C]!, '2026-12');
  assert.equal(twice.contributionMonths, 48);
  assert.equal(twice.personalAccountFen, A_ACCOUNT + B_ACCOUNT);
  const n = await sql<{ segs: unknown; credits: unknown; ins: unknown }>`
    SELECT (SELECT count(*) FROM fed_credited_segment WHERE person_id = ${ids[C]})::bigint AS segs,
           (SELECT count(*) FROM pension_record_credit WHERE person_id = ${ids[C]})::bigint AS credits,
           (SELECT count(*) FROM journal_entry WHERE kind = 'transfer-in')::bigint AS ins`.execute(
    dbC.ctx.db,
  );
  assert.deepEqual([int(n.rows[0]?.segs), int(n.rows[0]?.credits), int(n.rows[0]?.ins)], [2, 1, 1]);
});

test("C's rights record shows 2019 and 2020 as credited from 340000, 2021 and 2022 from 320000, the account from 320000: 48 months, balance 2,112,000", async () => {
  const r = await new RecordService(dbC.ctx.db, dbC.ctx.params).personRecord(clerk(C), ids[C]!);
  assert.equal(r.totals.employeePensionMonths, 48);
  assert.equal(r.personalAccount.employeePensionFen, A_ACCOUNT + B_ACCOUNT);
  const marks = r.years
    .filter((y) => y.pensionMonths > 0)
    .map((y) => [
      y.year,
      y.pensionMonths,
      y.credited?.fromProvince ?? null,
      y.movedOut?.toProvince ?? null,
      y.contributionIndex,
    ]);
  assert.deepEqual(marks, [
    [2019, 12, A, null, 0.625],
    [2020, 12, A, null, 0.625],
    [2021, 12, B, null, 0.6667],
    [2022, 12, B, null, 0.6667],
  ]);
  const account = r.years.filter((y) => y.pensionMonths === 0 && y.accountCreditFen !== 0);
  assert.deepEqual(
    account.map((y) => [y.credited?.fromProvince, y.accountCreditFen]),
    [[B, A_ACCOUNT + B_ACCOUNT]],
  );
});

test('at B after the move the months credited from A count nowhere, as B’s own: the award’s record has 0 months and account 0; the rights record keeps them as moved out to 330000', async () => {
  const rec = await pensionRecord(dbB.ctx.db, ids[B]!, '2026-12');
  assert.equal(rec.contributionMonths, 0);
  assert.equal(rec.indexLines.length, 0);
  assert.equal(rec.personalAccountFen, 0);
  const r = await new RecordService(dbB.ctx.db, dbB.ctx.params).personRecord(clerk(B), ids[B]!);
  assert.equal(r.totals.employeePensionMonths, 0);
  assert.equal(r.personalAccount.employeePensionFen, 0, 'the whole employee account moved, no more');
  const months = r.years
    .filter((y) => y.pensionMonths > 0 && y.scheme === 'employee_pension')
    .map((y) => [y.year, y.pensionMonths, y.credited?.fromProvince ?? null, y.movedOut?.toProvince ?? null]);
  assert.deepEqual(months, [
    [2019, 12, A, C],
    [2020, 12, A, C],
    [2021, 12, null, C],
    [2022, 12, null, C],
  ]);
  // The credited segments stay at B as the copy kept for queries, marked with the transfer that took them.
  const kept = await sql<{ moved: unknown }>`
    SELECT count(*) FILTER (WHERE moved_out_by IS NOT NULL)::bigint AS moved FROM fed_credited_segment WHERE person_id = ${ids[B]}`.execute(
    dbB.ctx.db,
  );
  assert.equal(int(kept.rows[0]?.moved), 1);
});

test('nothing moves twice: a new application at C finds nothing still to transfer (A is not asked), and A asked directly refuses — it sent everything to B', async () => {
  const svc = svcC();
  const again = await svc.apply(clerk(C), { idNumber });
  const kinds = await pump();
  assert.ok(!kinds.some((k) => k.endsWith(':transfer.request')), kinds.join(', '));
  const t = await svc.get(clerk(C), again.id);
  assert.equal(t.status, 'refused');
  assert.match(t.note?.en ?? '', /still to transfer/);
  // A request reaching A anyway (another province naming the person): A has nothing left to send.
  const before = await transferTotals(dbA.ctx.db);
  await dbA.ctx.db.transaction().execute(async (tx) => {
    await handlers[A]?.['transfer.request']?.(tx, {
      id: 'direct',
      from: C,
      to: A,
      kind: 'transfer.request',
      at: new Date().toISOString(),
      body: { ref: crypto.randomUUID(), idNumber, toProvince: C, appliedOn: '2026-12-01' },
    });
  });
  assert.deepEqual(await transferTotals(dbA.ctx.db), before);
  const refused = await sql<{ note: unknown }>`
    SELECT note FROM fed_transfer WHERE direction = 'out' AND status = 'refused' ORDER BY id DESC LIMIT 1`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(refused.rows[0]?.note, {
    zh: '此人在转出地的参保记录已全部转出',
    en: 'everything of this person here has already transferred out',
  });
});

/**
 * A transfer A → B as booked before migration 1070: A's segment without a wage on both sides, B's
 * transfer in marked as needing the wages (as the migration 1420 marks those it finds).
 */
async function legacyTransfer() {
  const pa = await makePerson(dbA.ctx.db, { region: '341800', birth_date: '1980-05-05', sex: 'F' });
  await paid(dbA.ctx.db, pa.id, '341800', 2019, 500000, 800000);
  await paid(dbA.ctx.db, pa.id, '341800', 2020, 500000, 850000);
  const pb = await makePerson(dbB.ctx.db, {
    id_number: pa.id_number,
    region: '320100',
    hukou_region: pa.hukou_region,
    birth_date: pa.birth_date,
    sex: pa.sex,
  });
  // As booked before migration 1070: the old place's segments without a wage, on both sides.
  const ref = crypto.randomUUID();
  const funds = JSON.stringify({ segments: [{ from: '2019-01', to: '2020-12', monthlyBaseFen: 500000 }] });
  await sql`INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, funds)
    VALUES (${ref}, 'out', 'pension', ${'0'.repeat(64)}, ${pa.id}, ${A}, ${B}, 'completed', ${B}, ${funds}::jsonb)`.execute(
    dbA.ctx.db,
  );
  const tin = await sql<{ id: unknown }>`
    INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, funds)
    VALUES (${ref}, 'in', 'pension', ${'0'.repeat(64)}, ${pb.id}, ${A}, ${B}, 'completed', 'clerk', ${funds}::jsonb) RETURNING id`.execute(
    dbB.ctx.db,
  );
  const tid = int(tin.rows[0]?.id);
  await sql`INSERT INTO fed_credited_segment (transfer_id, line_no, person_id, from_province, from_period, to_period, monthly_base_fen)
    VALUES (${tid}, 1, ${pb.id}, ${A}, '2019-01', '2020-12', 500000)`.execute(dbB.ctx.db);
  await sql`UPDATE fed_transfer SET wages_repair = 'needed' WHERE id = ${tid}`.execute(dbB.ctx.db);
  return { pa, pb, ref, tid };
}
const repairOf = async (tid: number) =>
  (
    await sql<{
      wages_repair: string | null;
    }>`SELECT wages_repair FROM fed_transfer WHERE id = ${tid}`.execute(dbB.ctx.db)
  ).rows[0]?.wages_repair;

test('segments credited before migration 1070 (no average wage: the award and the record leave their 24 months out) get their wages from the old place once: 2019 at 8,000.00 and 2020 at 8,500.00 → two segments, 24 months counted, audited; asked and answered again, nothing changes', async () => {
  const { pb, tid } = await legacyTransfer();
  assert.equal((await pensionRecord(dbB.ctx.db, pb.id, '2026-12')).contributionMonths, 0);

  assert.deepEqual(await new CreditedWageRepair(dbB.ctx.db).requestMissing(), { requested: 1 });
  assert.equal(await repairOf(tid), 'asked', 'the request is recorded on the transfer');
  const asked = await sql<{ n: unknown }>`SELECT count(*)::bigint AS n FROM audit_log
    WHERE action = 'transfer.wages.request' AND entity_id = ${String(tid)}`.execute(dbB.ctx.db);
  assert.equal(int(asked.rows[0]?.n), 1, 'the request audited');
  const kinds = await pump();
  assert.deepEqual(
    kinds.filter((k) => k.includes('wages')),
    [`${B}>${A}:transfer.wages.request`, `${A}>${B}:transfer.wages`],
  );
  const segs = async () =>
    (
      await sql<{ line_no: number; from_period: string; to_period: string; average_wage_fen: unknown }>`
        SELECT line_no, from_period, to_period, average_wage_fen FROM fed_credited_segment WHERE transfer_id = ${tid} ORDER BY line_no`.execute(
        dbB.ctx.db,
      )
    ).rows.map((r) => [r.line_no, r.from_period, r.to_period, int(r.average_wage_fen)]);
  assert.deepEqual(await segs(), [
    [1, '2019-01', '2019-12', 800000],
    [2, '2020-01', '2020-12', 850000],
  ]);
  const rec = await pensionRecord(dbB.ctx.db, pb.id, '2026-12');
  assert.equal(rec.contributionMonths, 24);
  assert.deepEqual(rec.indexLines[12], { period: '2020-01', baseFen: 500000, averageWageFen: 850000 });
  const audits = async () =>
    int(
      (
        await sql<{
          n: unknown;
        }>`SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'transfer.wages.credit'
          AND subject_person_id = ${pb.id}`.execute(dbB.ctx.db)
      ).rows[0]?.n,
    );
  assert.equal(await audits(), 1);
  assert.equal(
    await repairOf(tid),
    'answered',
    'the answer is recorded: a start has nothing left to look at',
  );
  // Asked once only; the answer handled again (a replay under a new id) changes nothing.
  assert.deepEqual(await new CreditedWageRepair(dbB.ctx.db).requestMissing(), { requested: 0 });
  const answer = await sql<{ body: unknown }>`
    SELECT body FROM fed_outbox WHERE kind = 'transfer.wages' ORDER BY id DESC LIMIT 1`.execute(dbA.ctx.db);
  await dbB.ctx.db.transaction().execute(async (tx) => {
    await handlers[B]?.['transfer.wages']?.(tx, {
      id: 'again',
      from: A,
      to: B,
      kind: 'transfer.wages',
      at: new Date().toISOString(),
      body: answer.rows[0]?.body,
    });
  });
  assert.equal((await segs()).length, 2);
  assert.equal(await audits(), 1);
});

test('a wages answer is taken only for a transfer asked, from its old place: unasked, from another province or for a transfer out, it changes nothing', async () => {
  const { ref, tid } = await legacyTransfer();
  const before = async () =>
    (
      await sql<{ line_no: number; average_wage_fen: unknown; to_period: string }>`
        SELECT line_no, average_wage_fen, to_period FROM fed_credited_segment WHERE transfer_id = ${tid} ORDER BY line_no`.execute(
        dbB.ctx.db,
      )
    ).rows.map((r) => [r.line_no, r.to_period, r.average_wage_fen === null ? null : int(r.average_wage_fen)]);
  const untouched = await before();
  const body = {
    ref,
    months: Array.from({ length: 24 }, (_, i) => ({
      period: `${2019 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
      averageWageFen: 99_999_900,
    })),
  };
  const send = (from: string, to: string, b: unknown = body) =>
    dbOf(to)
      .transaction()
      .execute(async (tx) => {
        await handlers[to]?.['transfer.wages']?.(tx, {
          id: crypto.randomUUID(),
          from,
          to,
          kind: 'transfer.wages',
          at: new Date().toISOString(),
          body: b,
        });
      });
  await send(C, B); // a province the transfer never came from
  await send(A, B); // its old place, but nobody asked
  assert.deepEqual(await before(), untouched);
  assert.equal(await repairOf(tid), 'needed');
  await send(B, A); // at A the ref is a transfer out: nothing to fill
  const credits = await sql<{ n: unknown }>`SELECT count(*)::bigint AS n FROM audit_log
    WHERE action = 'transfer.wages.credit'`.execute(dbA.ctx.db);
  assert.equal(int(credits.rows[0]?.n), 0);
  // Asked: only A's answer counts; a replayed request answers the same, once.
  assert.deepEqual(await new CreditedWageRepair(dbB.ctx.db).requestMissing(), { requested: 1 });
  await send(C, B);
  assert.deepEqual(await before(), untouched, 'asked, but not from another province');
  await pump();
  assert.deepEqual(await before(), [
    [1, '2019-12', 800000],
    [2, '2020-12', 850000],
  ]);
  assert.equal(await repairOf(tid), 'answered');
});

test('a retirement collection at C asks A and B at once; A refuses (everything moved to B), B sends A’s months with its own: the hall shows A’s part as come through B, not rejected', async () => {
  // Hukou in C, the relation held in C: C is the place of payment (66号 Art. 6(1)).
  const who = { birth_date: '1975-06-06', sex: 'M' as const, hukou_region: '330100' };
  const pa = await makePerson(dbA.ctx.db, { region: '341800', ...who });
  for (const y of [2019, 2020]) await paid(dbA.ctx.db, pa.id, '341800', y, 500000, 800000);
  const pb = await makePerson(dbB.ctx.db, { id_number: pa.id_number, region: '320100', ...who });
  await makeEnrolment(dbB.ctx.db, { person_id: pb.id, region: '320100', start_date: '2021-01-01' });
  const pc = await makePerson(dbC.ctx.db, { id_number: pa.id_number, region: '330100', ...who });
  await indexUpdate(dbA.ctx.db, A, pa.id_number, 24, false, '2020-12');
  await pump();
  // A → B first, as in the suite's set-up; then B's own two years.
  const first = await new TransferService(dbB.ctx.db, B, PROVINCES, dbB.ctx.params).apply(clerk(B), {
    idNumber: pa.id_number,
  });
  await pump();
  assert.equal(
    (await new TransferService(dbB.ctx.db, B, PROVINCES, dbB.ctx.params).get(clerk(B), first.id)).status,
    'completed',
  );
  for (const y of [2021, 2022]) await paid(dbB.ctx.db, pb.id, '320100', y, 600000, 900000);
  await indexUpdate(dbB.ctx.db, B, pa.id_number, 24, false, '2022-12');
  await indexUpdate(dbC.ctx.db, C, pa.id_number, 12, true, '2023-12');
  await pump();

  const svc = new CollectionService(dbC.ctx.db);
  const c = await svc.apply(clerk(C), { idNumber: pa.id_number });
  const kinds = await pump();
  assert.ok(kinds.includes(`${C}>${A}:transfer.request`), 'C asks A, not knowing A sent everything to B');
  assert.ok(kinds.includes(`${A}>${C}:transfer.refused`));
  const got = await svc.get(clerk(C), c.id);
  assert.equal(got.status, 'completed');
  const fromA = got.transfers.find((t) => t.fromProvince === A);
  const fromB = got.transfers.find((t) => t.fromProvince === B);
  assert.ok(fromA && fromB);
  assert.equal(fromB.status, 'completed');
  assert.equal(fromB.months, 48, 'B sent A’s 24 months with its own 24');
  assert.equal(fromA.status, 'refused', 'A itself sent nothing');
  assert.equal(fromA.cameThrough, B, 'A’s part came through B');
  const segs = await sql<{ from_province: string; transfer_id: unknown }>`
    SELECT from_province, transfer_id FROM fed_credited_segment WHERE person_id = ${pc.id} ORDER BY from_period`.execute(
    dbC.ctx.db,
  );
  assert.deepEqual(
    segs.rows.map((r) => [r.from_province, int(r.transfer_id)]),
    [
      [A, fromB.id],
      [B, fromB.id],
    ],
  );
  // The hall: A's part is not shown as rejected; it says it came through B, with its months.
  const hall = await sql<{ payload: { status: string; note: Words } }>`
    SELECT payload FROM outbox WHERE topic = 'case.status' AND payload->>'ref' = ${`fed_transfer:${fromA.id}`} ORDER BY id`.execute(
    dbC.ctx.db,
  );
  assert.deepEqual(
    hall.rows.map((r) => r.payload.status),
    ['completed'],
  );
  assert.match(hall.rows[0]?.payload.note.zh ?? '', /320000.*24 个月/);
  assert.match(hall.rows[0]?.payload.note.en ?? '', /came through Jiangsu \(24 months\)$/);
});

test('a refusal that says "moved out" but whose months never arrived by another way is shown as rejected', async () => {
  const who = { birth_date: '1975-07-07', sex: 'F' as const, hukou_region: '330100' };
  const pc = await makePerson(dbC.ctx.db, { region: '330100', ...who });
  await indexUpdate(dbA.ctx.db, A, pc.id_number, 24, false, '2020-12');
  await indexUpdate(dbC.ctx.db, C, pc.id_number, 12, true, '2023-12');
  await pump();
  const svc = new CollectionService(dbC.ctx.db);
  const c = await svc.apply(clerk(C), { idNumber: pc.id_number });
  await carry(C); // payment.place
  await carry(NATIONAL); // payment.placed: C opens the transfer from A
  const t = await sql<{ ref: string }>`
    SELECT ref FROM fed_transfer WHERE collection_id = ${c.id} AND from_province = ${A}`.execute(dbC.ctx.db);
  const ref = t.rows[0]?.ref;
  assert.ok(ref);
  // The request never reaches A; a hostile or mistaken A answers "moved out" for a person it never sent anywhere.
  await sql`DELETE FROM fed_outbox WHERE kind = 'transfer.request' AND published_at IS NULL`.execute(
    dbC.ctx.db,
  );
  await dbC.ctx.db.transaction().execute(async (tx) => {
    await handlers[C]?.['transfer.refused']?.(tx, {
      id: crypto.randomUUID(),
      from: A,
      to: C,
      kind: 'transfer.refused',
      at: new Date().toISOString(),
      // a hostile province's words, too: controls, a bidi override, 5,000 characters
      body: { ref, reason: '\u0007拒绝\u202E原因\n' + 'x'.repeat(5000), code: 'moved-out' },
    });
  });
  const got = await svc.get(clerk(C), c.id);
  assert.equal(got.status, 'completed');
  const fromA = got.transfers.find((t) => t.fromProvince === A);
  assert.ok(fromA);
  assert.equal(fromA.cameThrough, null);
  const hall = await sql<{ payload: { status: string; note: { zh: string } } }>`
    SELECT payload FROM outbox WHERE topic = 'case.status' AND payload->>'ref' = ${`fed_transfer:${fromA.id}`} ORDER BY id`.execute(
    dbC.ctx.db,
  );
  assert.deepEqual(
    hall.rows.map((r) => r.payload.status),
    ['rejected'],
  );
  const note = hall.rows[0]?.payload.note.zh ?? '';
  assert.ok(note.startsWith('转出地不予转移：拒绝原因 xxx'), note.slice(0, 30));
  assert.ok(note.endsWith('x…') && [...note].length <= 520, `${[...note].length} characters`);
});

test('scheme bridging at B after the relation moved on to C counts by the moved-out rule: no employee months or account left at B (they are C’s), the residents’ year stays', async () => {
  const f = await schemeFigures(dbB.ctx.db, ids[B]!);
  assert.deepEqual(f.employeePeriods, [], 'A’s 24 credited months and B’s own 24 moved to C');
  assert.equal(f.employeeAccountFen, 0, 'the whole account moved to C');
  assert.deepEqual(
    f.residentYears.map((y) => y.year),
    [2018],
    'the residents’ scheme stays at B',
  );
  // At C the same rule counts them all: 48 months, the account as C’s record holds it.
  const c = await schemeFigures(dbC.ctx.db, ids[C]!);
  assert.equal(c.employeePeriods.length, 48);
  assert.equal(c.employeeAccountFen, A_ACCOUNT + B_ACCOUNT);
});

test('a second stint in A after A’s months moved on (A → B → C, then a year back in A, 2024): C’s next application asks A again and books only 2024 — 12 months, nothing twice', async () => {
  await paid(dbA.ctx.db, ids[A]!, '341800', 2024, 550000, 950000);
  await indexUpdate(dbA.ctx.db, A, idNumber, 36, false, '2024-12');
  await pump();
  const svc = svcC();
  const applied = await svc.apply(clerk(C), { idNumber });
  const kinds = await pump();
  assert.ok(kinds.includes(`${C}>${A}:transfer.request`), kinds.join(', '));
  assert.ok(!kinds.includes(`${C}>${B}:transfer.request`), 'B sent everything already');
  const t = await svc.get(clerk(C), applied.id);
  assert.equal(t.status, 'completed');
  assert.equal(t.fromProvince, A);
  assert.equal(t.months, 12, 'only the second stint: 2019–2020 went to B and on to C');
  const segs = await sql<{ from_province: string; from_period: string; to_period: string }>`
    SELECT from_province, from_period, to_period FROM fed_credited_segment WHERE person_id = ${ids[C]} ORDER BY from_period`.execute(
    dbC.ctx.db,
  );
  assert.deepEqual(
    segs.rows.map((r) => [r.from_province, r.from_period, r.to_period]),
    [
      [A, '2019-01', '2020-12'],
      [B, '2021-01', '2022-12'],
      [A, '2024-01', '2024-12'],
    ],
  );
  assert.equal((await pensionRecord(dbC.ctx.db, ids[C]!, '2026-12')).contributionMonths, 60);
  // Asked again now, nothing is left anywhere.
  const again = await svc.apply(clerk(C), { idNumber });
  const k2 = await pump();
  assert.ok(!k2.some((k) => k.endsWith(':transfer.request')), k2.join(', '));
  assert.equal((await svc.get(clerk(C), again.id)).status, 'refused');
});
