// The pension relation transfer between two provinces, in one process: two databases (the old place
// A, the new place B) and the messages carried from one outbox to the other inbox by hand, through
// the same take-in path the broker consumer uses. The broker itself is tested in
// src/ops/federation.reliability.test.ts.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { buildServer } from '../server.ts';
import { federationRoutes } from './federation.routes.ts';
import { carryFrom, indexUpdate, message } from '../testing/federation-carrier.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import {
  makeBillLine,
  makeEmployer,
  makeEmployment,
  makeEnrolment,
  makePerson,
} from '../testing/factories.ts';
import { addUnemploymentContributions } from '../testing/unemployment-fixtures.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { bearerToken, makeUsers } from '../testing/users.ts';
import { ensureKeyedIndex } from './fed.index-key.ts';
import {
  idHash,
  NATIONAL,
  setFederationSecret,
  takeIn,
  type Envelope,
  type Handler,
} from './fed.messaging.ts';
import { NationalService } from './national.service.ts';
import { CollectionService } from './transfer-collect.service.ts';
import { LocateService } from './transfer-locate.service.ts';
import { transferTotals } from './transfer.repository.ts';
import { TransferService } from './transfer.service.ts';
import { pensionRecord } from '../pension/person-record.repository.ts';
import { computeContributionIndex } from '../contributions/contribution-index.rules.ts';
import { Trace } from '../core/trace.ts';
import type { Words } from '../core/bilingual.ts';

const A = '340000';
const B = '320000';
let dbA: TestDb;
let dbB: TestDb;
let dbN: TestDb;
const clerkB: Actor = {
  userId: null,
  username: 'clerk-b',
  role: 'clerk',
  personId: null,
  employerId: null,
  region: B,
};
let handlers: Record<string, Record<string, Handler>> = {};
const dbOf = (node: string): Db => {
  const d = { [A]: dbA, [B]: dbB, [NATIONAL]: dbN }[node];
  assert.ok(d, node);
  return d.ctx.db;
};

/** Moves every unsent message of `from` to its addressee and marks it sent; returns what it carried. */
const carry = (from: string): Promise<Envelope[]> => carryFrom({ dbOf, handlers: () => handlers }, from);

/** Carries messages between the three nodes until none is left; returns the kinds in the order carried. */
async function pump(): Promise<string[]> {
  const kinds: string[] = [];
  for (let round = 0; round < 20; round++) {
    let n = 0;
    for (const node of [B, NATIONAL, A]) {
      const c = await carry(node);
      n += c.length;
      kinds.push(...c.map((e) => e.kind));
    }
    if (n === 0) return kinds;
  }
  throw new Error('messages still flowing after 20 rounds');
}

let idNumber = '';
let accountFen = 0;

before(async () => {
  setFederationSecret('test-federation-secret-0123456789abcdef');
  [dbA, dbB, dbN] = await Promise.all([openTestDb(), openTestDb(), openTestDb()]);
  handlers = {
    [A]: { ...TransferService.handlers(A, dbA.ctx.params), ...CollectionService.handlers(A, dbA.ctx.params) },
    [B]: { ...TransferService.handlers(B, dbB.ctx.params), ...CollectionService.handlers(B, dbB.ctx.params) },
    [NATIONAL]: { ...NationalService.handlers(), ...LocateService.handlers([A, B]) },
  };
  // A: two years paid at 5,000.00 a month with 8% into the personal account.
  const pa = await makePerson(dbA.ctx.db, { region: '341800', birth_date: '1985-03-01', sex: 'M' });
  idNumber = pa.id_number;
  const emp = await makeEmployer(dbA.ctx.db);
  accountFen = await paidTwoYears(dbA.ctx.db, pa.id, emp.id);
  // B: the same person, insured there now.
  const pb = await makePerson(dbB.ctx.db, {
    id_number: idNumber,
    region: '320100',
    hukou_region: pa.hukou_region,
    birth_date: pa.birth_date,
    sex: pa.sex,
  });
  await enrolHere(dbB.ctx.db, pb.id, '320100', '2021-01-01');
  // A tells the exchange which people it holds segments of (under the keyed hash), as at start.
  await ensureKeyedIndex(dbA.ctx.db, A);
  await pump();
});

after(async () => {
  await dbA?.close();
  await dbB?.close();
  await dbN?.close();
});

const svcB = () => new TransferService(dbB.ctx.db, B, [A, B], dbB.ctx.params);

async function enrolHere(db: Db, personId: number, region: string, start: string) {
  await makeEnrolment(db, { person_id: personId, region, start_date: start });
}

/** The descriptions of one fund's journal entries of a kind (what the fund's books show). */
async function described(db: Db, fund: string, kind: string): Promise<string[]> {
  const r = await sql<{ description: string }>`
    SELECT description FROM journal_entry WHERE fund = ${fund} AND kind = ${kind} ORDER BY id`.execute(db);
  return r.rows.map((x) => x.description);
}

/** 2019 and 2020 paid at 5,000.00 a month, 8% of it into the personal account; answers the account's total. */
async function paidTwoYears(db: Db, personId: number, employerId: number): Promise<number> {
  let account = 0;
  for (const year of [2019, 2020])
    for (let m = 1; m <= 12; m++) {
      await makeBillLine(db, {
        personId,
        employerId,
        period: `${year}-${String(m).padStart(2, '0')}`,
        baseFen: 500000,
        pensionEmployerFen: 80000,
        pensionEmployeeFen: 40000,
        personalAccountFen: 40000,
      });
      account += 40000;
    }
  return account;
}

test('a transfer: the exchange locates the old place; 24 months at 5,000.00 → pooled 12% × 6,000,000 a year = 720,000 × 2; account 960,000; out of A = into B, once', async () => {
  const svc = svcB();
  const applied = await svc.apply(clerkB, { idNumber });
  assert.equal(applied.status, 'requested');
  const before = await svc.get(clerkB, applied.id);
  assert.equal(before.fromProvince, null, 'the old place is not known before the exchange answers');
  const hall = await sql<{
    payload: { service: string; status: string; ref: string };
  }>`SELECT payload FROM outbox WHERE topic = 'case.status'`.execute(dbB.ctx.db);
  assert.deepEqual(
    hall.rows.map((r) => [r.payload.service, r.payload.status, r.payload.ref]),
    [['pension-transfer', 'submitted', `fed_transfer:${applied.id}`]],
  );
  await assert.rejects(svc.apply(clerkB, { idNumber }), /SB_ERR_CONFLICT|in progress|办理中/);

  // B → exchange (locate) → B (located: A) → A (request) → B (funds) → A (booked)
  const locate = await carry(B);
  assert.deepEqual(
    locate.map((e) => [e.to, e.kind]),
    [[NATIONAL, 'index.locate']],
  );
  assert.ok(!JSON.stringify(locate).includes(idNumber), 'the exchange is sent the keyed hash only');
  await carry(NATIONAL);
  const requests = await carry(B);
  assert.deepEqual(
    requests.map((e) => [e.to, e.kind]),
    [[A, 'transfer.request']],
  );
  // The same request again (a redelivery): no second transfer, no second posting.
  const again = await takeIn(dbA.ctx.db, requests[0] as Envelope, handlers[A]?.['transfer.request']);
  assert.equal(again.replay, true);
  const outs = await sql<{
    n: unknown;
  }>`SELECT count(*)::bigint AS n FROM journal_entry WHERE kind = 'transfer-out'`.execute(dbA.ctx.db);
  assert.equal(int(outs.rows[0]?.n), 1);

  const funds = await carry(A);
  assert.deepEqual(
    funds.map((e) => e.kind),
    ['transfer.funds', 'index.update'],
  );
  const t = await svc.get(clerkB, applied.id);
  assert.equal(t.status, 'completed');
  assert.equal(t.fromProvince, A);
  assert.equal(t.months, 24);
  assert.deepEqual(t.pooledByYear, { '2019': 720000, '2020': 720000 });
  assert.equal(t.pooledFen, 1440000);
  assert.equal(t.accountFen, accountFen);
  assert.equal(t.totalFen, 1440000 + accountFen);
  assert.deepEqual(
    t.steps.map((s) => s.step),
    ['applied', 'located', 'letter-sent', 'funds-sent', 'credited'],
  );
  for (const s of t.steps.filter((x) => !['applied', 'located'].includes(x.step)))
    assert.match(s.dueBy ?? '', /^\d{4}-\d{2}-\d{2}$/);
  const lines = await sql<{ from_period: string; to_period: string; monthly_base_fen: unknown }>`
    SELECT from_period, to_period, monthly_base_fen FROM fed_credited_segment ORDER BY line_no`.execute(
    dbB.ctx.db,
  );
  assert.deepEqual(
    lines.rows.map((r) => [r.from_period, r.to_period, int(r.monthly_base_fen)]),
    [['2019-01', '2020-12', 500000]],
  );

  await pump();
  // The journals, the account credit and the applicant's note name the other province, not its code.
  assert.deepEqual(await described(dbA.ctx.db, 'employee_pension', 'transfer-out'), [
    '养老保险关系转出至江苏省 / pension relation transferred to Jiangsu',
  ]);
  assert.deepEqual(await described(dbB.ctx.db, 'employee_pension', 'transfer-in'), [
    '养老保险关系自安徽省转入 / pension relation transferred in from Anhui',
  ]);
  const creditNote = await sql<{ note: string }>`SELECT note FROM pension_record_credit`.execute(dbB.ctx.db);
  assert.deepEqual(
    creditNote.rows.map((r) => r.note),
    ['养老保险关系自安徽省转入的个人账户 / personal account transferred in from Anhui'],
  );
  const notes = await sql<{ note: string }>`
    SELECT payload->>'note' AS note FROM outbox WHERE topic = 'case.status' ORDER BY id`.execute(dbB.ctx.db);
  assert.ok(
    notes.rows.every((r) => !/\d{6}/.test(r.note ?? '')),
    `no province code in the applicant's notes: ${JSON.stringify(notes.rows)}`,
  );
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
    payload: { status: string; citizenPath?: string };
  }>`SELECT payload FROM outbox WHERE topic = 'case.status' ORDER BY id`.execute(dbB.ctx.db);
  assert.deepEqual(
    hall2.rows.map((r) => [r.payload.status, r.payload.citizenPath]),
    [
      ['submitted', `/citizen/transfers/${applied.id}`],
      ['accepted', `/citizen/transfers/${applied.id}`],
      ['completed', `/citizen/transfers/${applied.id}`],
    ],
    'each event carries the citizen’s own page of the transfer',
  );
  // The exchange's index is keyed by the HMAC of the ID number, never the number or its plain SHA-256.
  const idx = await sql<{ id_hash: string; province: string; relation_held: boolean }>`
    SELECT id_hash, province, relation_held FROM fed_person_index ORDER BY province`.execute(dbN.ctx.db);
  assert.ok(idx.rows.some((r) => r.id_hash === idHash(idNumber) && r.province === A && !r.relation_held));
  assert.ok(!JSON.stringify(idx.rows).includes(idNumber));
  // A second application finds nothing left to transfer (A's segment is already here): refused by the index.
  const second = await svc.apply(clerkB, { idNumber });
  await pump();
  const t2 = await svc.get(clerkB, second.id);
  assert.equal(t2.status, 'refused');
  assert.match(t2.note?.en ?? '', /still to transfer/);
  assert.match(t2.note?.zh ?? '', /尚未转移的参保记录$/, 'each language its own half');
});

test("after the transfer the new place's pension record (what the award reads) holds the 24 months at their index (5,000.00 ÷ 8,000.00 = 0.625 a month) and the account 960,000 — once even when the funds message is handled again; the old place's record no longer counts them", async () => {
  const pb = await dbB.ctx.db
    .selectFrom('person')
    .select('id')
    .where('id_number', '=', idNumber)
    .executeTakeFirstOrThrow();
  const pa = await dbA.ctx.db
    .selectFrom('person')
    .select('id')
    .where('id_number', '=', idNumber)
    .executeTakeFirstOrThrow();
  const recB = await pensionRecord(dbB.ctx.db, pb.id, '2026-12');
  assert.equal(recB.contributionMonths, 24);
  assert.equal(recB.indexLines.length, 24);
  assert.deepEqual(recB.indexLines[0], { period: '2019-01', baseFen: 500000, averageWageFen: 800000 });
  assert.equal(recB.personalAccountFen, accountFen);
  const z = computeContributionIndex(
    { region: '320100', lines: recB.indexLines },
    dbB.ctx.params,
    new Trace(),
  );
  assert.equal(z.averageIndex, '0.6250');
  assert.equal(z.totalMonths, 24);
  // Only through the period asked for: a record through 2019-06 has the first 6 months.
  assert.equal((await pensionRecord(dbB.ctx.db, pb.id, '2019-06')).contributionMonths, 6);
  // The funds message handled again (past the inbox, as a redelivery under a new id would be): nothing twice.
  const msg = await sql<{ body: unknown }>`SELECT body FROM fed_outbox WHERE kind = 'transfer.funds'`.execute(
    dbA.ctx.db,
  );
  await dbB.ctx.db.transaction().execute(async (tx) => {
    await handlers[B]?.['transfer.funds']?.(tx, {
      id: 'again',
      from: A,
      to: B,
      kind: 'transfer.funds',
      at: new Date().toISOString(),
      body: msg.rows[0]?.body,
    });
  });
  const again = await pensionRecord(dbB.ctx.db, pb.id, '2026-12');
  assert.equal(again.contributionMonths, 24);
  assert.equal(again.personalAccountFen, accountFen);
  const credits = await sql<{
    account_fen: unknown;
  }>`SELECT account_fen FROM pension_record_credit WHERE person_id = ${pb.id}`.execute(dbB.ctx.db);
  assert.deepEqual(
    credits.rows.map((r) => int(r.account_fen)),
    [accountFen],
  );
  const audit = await sql<{
    n: unknown;
  }>`SELECT count(*)::bigint AS n FROM audit_log WHERE action = 'pension.record.credit' AND subject_person_id = ${pb.id}`.execute(
    dbB.ctx.db,
  );
  assert.equal(int(audit.rows[0]?.n), 1);
  // The old place keeps its bill lines (the copy for queries) but its record no longer counts what moved.
  const lines = await sql<{
    n: unknown;
  }>`SELECT count(*)::bigint AS n FROM contribution_bill_line WHERE person_id = ${pa.id}`.execute(dbA.ctx.db);
  assert.equal(int(lines.rows[0]?.n), 24);
  const recA = await pensionRecord(dbA.ctx.db, pa.id, '2026-12');
  assert.equal(recA.contributionMonths, 0);
  assert.equal(recA.indexLines.length, 0);
  assert.equal(recA.personalAccountFen, 0);
});

test('the applicant cannot choose the old place: a province the index does not confirm is refused, no message goes there', async () => {
  const p = await makePerson(dbB.ctx.db, { region: '320100', birth_date: '1990-01-01' });
  await enrolHere(dbB.ctx.db, p.id, '320100', '2021-01-01');
  const svc = svcB();
  const before = await transferTotals(dbB.ctx.db);
  const r = await svc.apply(clerkB, { idNumber: p.id_number, fromProvince: A });
  const kinds = await pump();
  assert.ok(!kinds.includes('transfer.request'), kinds.join(','));
  const t = await svc.get(clerkB, r.id);
  assert.equal(t.status, 'refused');
  assert.equal(t.fromProvince, null);
  assert.match(t.note?.en ?? '', new RegExp(`no segment of this person in ${A}`));
  assert.deepEqual(await transferTotals(dbB.ctx.db), before);
  const last = await sql<{
    payload: { status: string; ref: string };
  }>`SELECT payload FROM outbox WHERE topic = 'case.status' ORDER BY id DESC LIMIT 1`.execute(dbB.ctx.db);
  assert.deepEqual(
    [last.rows[0]?.payload.status, last.rows[0]?.payload.ref],
    ['rejected', `fed_transfer:${r.id}`],
  );
});

test("applying: a hint of this province, not insured here, another province's clerk, another person as a citizen → refused", async () => {
  const svc = svcB();
  await assert.rejects(
    svc.apply(clerkB, { idNumber, fromProvince: B }),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_VALIDATION',
  );
  const p = await makePerson(dbB.ctx.db, { region: '320100', birth_date: '1990-01-01' });
  await assert.rejects(
    svc.apply(clerkB, { idNumber: p.id_number }),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_CONFLICT',
  );
  const elsewhere: Actor = { ...clerkB, region: '330000' };
  await assert.rejects(
    svc.apply(elsewhere, { idNumber }),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_OUT_OF_SCOPE',
  );
  const otherDistrict: Actor = { ...clerkB, region: '320200' };
  await assert.rejects(
    svc.apply(otherDistrict, { idNumber }),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_OUT_OF_SCOPE',
  );
  const citizen: Actor = { ...clerkB, username: 'c', role: 'citizen', region: null, personId: p.id };
  await assert.rejects(
    svc.apply(citizen, { idNumber }),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_OUT_OF_SCOPE',
  );
  // A citizen cannot attest an approved transfer (it lifts the temporary-account rule).
  await assert.rejects(
    svc.apply(citizen, { approvedTransfer: true }),
    (e: Error & { code?: string }) => e.code === 'SB_ERR_VALIDATION',
  );
});

test('an unemployment transfer: the place left stops the claim and sends 8 unpaid months × 1,800.00 = 14,400.00 + half for subsidies 7,200.00 = 21,600.00; both ledgers post it once; the new place credits 60 contribution months and 8 benefit months', async () => {
  // At A: 60 months of unemployment contributions (2019–2023), then an approved claim of 12 months
  // at 1,800.00 with four months paid (2026-08 … 2026-11): 8 months unpaid.
  const pa = await makePerson(dbA.ctx.db, { region: '341800', birth_date: '1988-04-04', sex: 'F' });
  const emp = await makeEmployer(dbA.ctx.db);
  await addUnemploymentContributions(dbA.ctx.db, {
    personId: pa.id,
    employerId: emp.id,
    from: '2019-01',
    to: '2023-12',
  });
  const job = await makeEmployment(dbA.ctx.db, {
    person_id: pa.id,
    employer_id: emp.id,
    start_date: '2019-01-01',
    end_date: '2026-07-15',
    end_reason: 'involuntary',
  });
  const claim = await sql<{ id: unknown }>`
    INSERT INTO unemployment_claim (person_id, region, employment_id, employer_id, separation_date, separation_reason,
      registration_date, decision_deadline, contribution_months, eligible, max_months, monthly_fen, medical_fen,
      entitlement_start, entitlement_end, first_period, last_period, status, created_by)
    VALUES (${pa.id}, '341800', ${job.id}, ${emp.id}, '2026-07-15', 'involuntary', '2026-07-20', '2026-08-03', 60, true, 12,
      180000, 14400, '2026-08-01', '2027-07-31', '2026-08', '2027-07', 'approved', 'test')
    RETURNING id`.execute(dbA.ctx.db);
  const claimId = int(claim.rows[0]?.id);
  for (const period of ['2026-08', '2026-09', '2026-10', '2026-11'])
    await sql`INSERT INTO unemployment_payment (person_id, claim_id, region, period, amount_fen, medical_fen, run_id, chunk_no)
      VALUES (${pa.id}, ${claimId}, '341800', ${period}, 180000, 14400, 1, 1)`.execute(dbA.ctx.db);
  await indexUpdate(dbA.ctx.db, A, pa.id_number, 60, false, '2023-12');
  await pump();
  // At B: the person registered there, applying as a citizen for their own relation.
  const pb = await makePerson(dbB.ctx.db, {
    id_number: pa.id_number,
    region: '320100',
    birth_date: pa.birth_date,
    sex: pa.sex,
  });
  const citizen: Actor = { ...clerkB, username: 'citizen-u', role: 'citizen', region: null, personId: pb.id };
  const svc = svcB();
  const r = await svc.apply(citizen, { kind: 'unemployment' });
  const kinds = await pump();
  assert.deepEqual(kinds, [
    'index.locate',
    'index.located',
    'ui-transfer.request',
    'ui-transfer.funds',
    'transfer.booked',
  ]);
  const t = await svc.get(citizen, r.id);
  assert.equal(t.kind, 'unemployment');
  assert.equal(t.status, 'completed');
  assert.equal(t.fromProvince, A);
  assert.equal(t.totalFen, 2160000);
  assert.equal(t.months, 8);
  assert.deepEqual(t.unemployment, {
    contribMonths: 60,
    carriedContribMonths: 60,
    remainingMonths: 8,
    outMonthlyFen: 180000,
    benefitFen: 1440000,
    subsidiesFen: 720000,
    fundsMove: true,
  });
  assert.deepEqual(
    t.steps.map((s) => s.step),
    ['applied', 'located', 'letter-sent', 'funds-sent', 'credited'],
  );
  // The place left acts within 5 working days of the letter.
  assert.match(t.steps.find((s) => s.step === 'funds-sent')?.dueBy ?? '', /^\d{4}-\d{2}-\d{2}$/);
  // A stopped the claim: no more months paid there; the unpaid months went with the relation.
  const c = await sql<{
    status: string;
    stop_event: string;
    remaining_months: unknown;
    stopped_from_period: string;
  }>`
    SELECT status, stop_event, remaining_months, stopped_from_period FROM unemployment_claim WHERE id = ${claimId}`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(
    [
      c.rows[0]?.status,
      c.rows[0]?.stop_event,
      int(c.rows[0]?.remaining_months),
      c.rows[0]?.stopped_from_period,
    ],
    ['stopped', 'transfer', 8, '2026-12'],
  );
  // Each ledger posts the 21,600.00 once, in the unemployment fund; both verify.
  const posted = async (db: Db, kind: string) =>
    (
      await sql<{ fund: string; n: unknown; fen: unknown }>`
        SELECT e.fund, count(DISTINCT e.id)::bigint AS n, sum(l.debit_fen)::bigint AS fen FROM journal_entry e
        JOIN journal_line l ON l.entry_id = e.id WHERE e.kind = ${kind} AND e.fund = 'unemployment' GROUP BY e.fund`.execute(
        db,
      )
    ).rows.map((x) => [x.fund, int(x.n), int(x.fen)]);
  assert.deepEqual(await posted(dbA.ctx.db, 'transfer-out'), [['unemployment', 1, 2160000]]);
  assert.deepEqual(await posted(dbB.ctx.db, 'transfer-in'), [['unemployment', 1, 2160000]]);
  assert.deepEqual(await described(dbA.ctx.db, 'unemployment', 'transfer-out'), [
    '失业保险关系转出至江苏省 / unemployment relation transferred to Jiangsu',
  ]);
  assert.deepEqual(await described(dbB.ctx.db, 'unemployment', 'transfer-in'), [
    '失业保险关系自安徽省转入 / unemployment relation transferred in from Anhui',
  ]);
  assert.equal((await verifyLedger(dbA.ctx.db)).unbalancedEntries.length, 0);
  assert.equal((await verifyLedger(dbB.ctx.db)).unbalancedEntries.length, 0);
  // The funds message again (a redelivery or a replay): taken in once, nothing posted twice.
  const funds = await sql<{ msg_id: string; body: unknown }>`
    SELECT msg_id, body FROM fed_outbox WHERE kind = 'ui-transfer.funds'`.execute(dbA.ctx.db);
  const env = message(A, B, 'ui-transfer.funds', funds.rows[0]?.body, funds.rows[0]?.msg_id ?? '');
  assert.equal((await takeIn(dbB.ctx.db, env, handlers[B]?.['ui-transfer.funds'])).replay, true);
  // Even under a new message id the transfer is credited once (it is no longer waiting).
  await takeIn(dbB.ctx.db, { ...env, id: crypto.randomUUID() }, handlers[B]?.['ui-transfer.funds']);
  assert.deepEqual(await posted(dbB.ctx.db, 'transfer-in'), [['unemployment', 1, 2160000]]);
  // The applicant follows it in B's hall (filed at B, decided at A: 跨省通办); A's hall closes the claim.
  const hallB = await sql<{ payload: { service: string; status: string; ref: string } }>`
    SELECT payload FROM outbox WHERE topic = 'case.status' AND payload->>'ref' = ${`fed_transfer:${r.id}`} ORDER BY id`.execute(
    dbB.ctx.db,
  );
  assert.deepEqual(
    hallB.rows.map((x) => [x.payload.service, x.payload.status]),
    [
      ['unemployment-transfer', 'submitted'],
      ['unemployment-transfer', 'accepted'],
      ['unemployment-transfer', 'completed'],
    ],
  );
  const hallA = await sql<{ payload: { service: string; status: string } }>`
    SELECT payload FROM outbox WHERE topic = 'case.status' AND payload->>'ref' = ${`unemployment_claim:${claimId}`}`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(
    hallA.rows.map((x) => [x.payload.service, x.payload.status]),
    [['unemployment-benefit', 'completed']],
  );
});

test('temporary accounts (66号 Art. 5): a man who began here at 51 away from his hukou province cannot transfer his relation in, unless the move was an approved transfer a clerk attests', async () => {
  const p = await makePerson(dbB.ctx.db, {
    region: '320100',
    birth_date: '1970-01-01',
    sex: 'M',
    hukou_region: '341800',
  });
  await enrolHere(dbB.ctx.db, p.id, '320100', '2021-01-01');
  const svc = svcB();
  await assert.rejects(
    svc.apply(clerkB, { idNumber: p.id_number }),
    (e: Error & { code?: string; message: string }) =>
      e.code === 'SB_ERR_NOT_ELIGIBLE' && /temporary account/.test(e.message),
  );
  const r = await svc.apply(clerkB, { idNumber: p.id_number, approvedTransfer: true });
  assert.equal(r.status, 'requested');
  await pump();
});

test("a temporary account collected by the place of payment moves its pooled part at the employer's 16%, not 12%: 24 × 5,000.00 × 16% = 19,200.00", async () => {
  // Hukou in Jiangsu (B); at 44 she began contributing in Anhui (A): A kept a temporary account.
  const pa = await makePerson(dbA.ctx.db, {
    region: '341800',
    birth_date: '1965-06-01',
    sex: 'F',
    hukou_region: '320100',
  });
  const emp = await makeEmployer(dbA.ctx.db);
  await enrolHere(dbA.ctx.db, pa.id, '341800', '2009-09-01');
  await dbA.ctx.db
    .updateTable('enrolment')
    .set({ kind: 'employee', employer_id: emp.id, status: 'ended', end_date: '2020-12-31' })
    .where('person_id', '=', pa.id)
    .execute();
  await paidTwoYears(dbA.ctx.db, pa.id, emp.id);
  await indexUpdate(dbA.ctx.db, A, pa.id_number, 24, false, '2020-12');
  await pump();
  const pb = await makePerson(dbB.ctx.db, {
    id_number: pa.id_number,
    region: '320100',
    birth_date: pa.birth_date,
    sex: 'F',
    hukou_region: '320100',
  });
  await enrolHere(dbB.ctx.db, pb.id, '320100', '2021-01-01');
  const svc = svcB();
  const r = await svc.apply(clerkB, { idNumber: pb.id_number, fromProvince: A });
  await pump();
  const t = await svc.get(clerkB, r.id);
  assert.equal(t.status, 'completed');
  assert.equal(t.pooledFen, 1920000);
  assert.deepEqual(t.pooledByYear, { '2019': 960000, '2020': 960000 });
  assert.equal(t.totalFen, 1920000 + 24 * 40000);
  const out = await sql<{ funds: { accountType: string; pooledRatePercent: number } }>`
    SELECT funds FROM fed_transfer WHERE direction = 'out' AND ref = ${t.ref}`.execute(dbA.ctx.db);
  assert.deepEqual([out.rows[0]?.funds.accountType, out.rows[0]?.funds.pooledRatePercent], ['temporary', 16]);
});

test('over HTTP: a citizen starts only their own transfer, a clerk of another city cannot, amounts and dates from the client are refused, and nobody else reads it', async () => {
  const app = await buildServer(dbB.ctx);
  await app.register(federationRoutes, { ctx: dbB.ctx, self: B, provinces: [A, B], stats: () => ({}) });
  await app.ready();
  try {
    const mine = await makePerson(dbB.ctx.db, { region: '320100', birth_date: '1990-02-02' });
    await enrolHere(dbB.ctx.db, mine.id, '320100', '2022-01-01');
    const other = await makePerson(dbB.ctx.db, { region: '320100', birth_date: '1991-02-02' });
    await enrolHere(dbB.ctx.db, other.id, '320100', '2022-01-01');
    const staff = await makePerson(dbB.ctx.db, { region: '320200', birth_date: '1980-02-02' });
    await makeUsers(dbB.ctx.db, {
      'cit-mine': { displayName: 'c1', personId: mine.id },
      'cit-other': { displayName: 'c2', personId: other.id },
      'clerk-wuxi': { displayName: 'k', role: 'clerk', personId: staff.id, region: '320200' },
    });
    const token = async (username: string) => ({
      authorization: `Bearer ${await bearerToken(app, username)}`,
    });
    const asMine = await token('cit-mine');
    const post = (headers: Record<string, string>, payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/transfers', headers, payload });
    // Another person's ID number: out of scope.
    const r1 = await post(asMine, { idNumber: other.id_number });
    assert.equal(r1.statusCode, 403, r1.body);
    assert.equal(r1.json<{ error: { code: string } }>().error.code, 'SB_ERR_OUT_OF_SCOPE');
    // Amounts, dates or the place of payment's decision are never taken from the client.
    for (const extra of [{ totalFen: 1 }, { appliedOn: '2020-01-01' }, { toProvince: A }, { months: 240 }]) {
      const r = await post(asMine, { ...extra });
      assert.equal(r.statusCode, 400, `${JSON.stringify(extra)} → ${r.body}`);
    }
    // Their own: accepted, and the old place is left to the exchange.
    const r2 = await post(asMine, {});
    assert.equal(r2.statusCode, 201, r2.body);
    const id = r2.json<{ id: number }>().id;
    const got = await app.inject({ method: 'GET', url: `/api/v1/transfers/${id}`, headers: asMine });
    assert.equal(got.statusCode, 200, got.body);
    assert.equal(got.json<{ fromProvince: string | null }>().fromProvince, null);
    // Another citizen reads neither it nor it in the list; a clerk of another city may not apply for her.
    const asOther = await token('cit-other');
    const peek = await app.inject({ method: 'GET', url: `/api/v1/transfers/${id}`, headers: asOther });
    // as an unknown id (wave 14: it was 403)
    assert.equal(peek.statusCode, 404, peek.body);
    const list = await app.inject({ method: 'GET', url: '/api/v1/transfers', headers: asOther });
    assert.equal(list.statusCode, 200);
    assert.ok(!list.json<Array<{ id: number }>>().some((t) => t.id === id));
    const asWuxi = await token('clerk-wuxi');
    const r3 = await post(asWuxi, { idNumber: other.id_number });
    assert.equal(r3.statusCode, 403, r3.body);
    const peek2 = await app.inject({ method: 'GET', url: `/api/v1/transfers/${id}`, headers: asWuxi });
    assert.equal(peek2.statusCode, 404, peek2.body);
    const list2 = await app.inject({ method: 'GET', url: '/api/v1/transfers', headers: asWuxi });
    assert.ok(!list2.json<Array<{ id: number }>>().some((t) => t.id === id));
  } finally {
    await app.close();
  }
});

test('place of payment at retirement: hukou and relation in B → B (Art. 6(1)); B collects the temporary account A kept (he began there at 52): 24 × 5,000.00 × 16% = 19,200.00 + account 9,600.00; the collection completes with it', async () => {
  const pa = await makePerson(dbA.ctx.db, {
    region: '341800',
    birth_date: '1966-03-03',
    sex: 'M',
    hukou_region: '320100',
  });
  const emp = await makeEmployer(dbA.ctx.db);
  await enrolHere(dbA.ctx.db, pa.id, '341800', '2019-01-01');
  await paidTwoYears(dbA.ctx.db, pa.id, emp.id);
  const pb = await makePerson(dbB.ctx.db, {
    id_number: pa.id_number,
    region: '320100',
    birth_date: pa.birth_date,
    sex: 'M',
    hukou_region: '320100',
  });
  await enrolHere(dbB.ctx.db, pb.id, '320100', '2021-01-01');
  await indexUpdate(dbA.ctx.db, A, pa.id_number, 24, false, '2020-12');
  await indexUpdate(dbB.ctx.db, B, pa.id_number, 60, true, '2025-12');
  await pump();
  const svc = new CollectionService(dbB.ctx.db);
  const c = await svc.apply(clerkB, { idNumber: pa.id_number });
  await assert.rejects(svc.apply(clerkB, { idNumber: pa.id_number }), /SB_ERR_CONFLICT|in progress/);
  const kinds = await pump();
  assert.deepEqual(kinds.slice(0, 4), [
    'payment.place',
    'payment.placed',
    'transfer.request',
    'transfer.funds',
  ]);
  const got = await svc.get(clerkB, c.id);
  assert.equal(got.status, 'completed');
  assert.deepEqual([got.place, got.rule], [B, 1]);
  assert.deepEqual(
    got.transfers.map((t) => [t.fromProvince, t.status, t.months, t.totalFen]),
    [[A, 'completed', 24, 1920000 + 24 * 40000]],
  );
  const hall = await sql<{ payload: { status: string; citizenPath: string } }>`
    SELECT payload FROM outbox WHERE topic = 'case.status' AND payload->>'ref' = ${`fed_collection:${c.id}`} ORDER BY id`.execute(
    dbB.ctx.db,
  );
  assert.deepEqual(
    hall.rows.map((x) => [x.payload.status, x.payload.citizenPath]),
    [
      ['submitted', '/citizen/transfers'],
      ['accepted', '/citizen/transfers'],
      ['completed', '/citizen/transfers'],
    ],
  );
});

test('place of payment elsewhere: hukou A, 130 months in A, the relation in B with 60 → A (Art. 6(3), the previous place with ≥120): B gathers nothing and tells the applicant where to apply', async () => {
  const p = await makePerson(dbB.ctx.db, {
    region: '320100',
    birth_date: '1967-03-03',
    sex: 'M',
    hukou_region: '341800',
  });
  await indexUpdate(dbA.ctx.db, A, p.id_number, 130, false, '2020-10');
  await indexUpdate(dbB.ctx.db, B, p.id_number, 60, true, '2025-12');
  await pump();
  const svc = new CollectionService(dbB.ctx.db);
  const c = await svc.apply(clerkB, { idNumber: p.id_number });
  const kinds = await pump();
  assert.ok(!kinds.includes('transfer.request'));
  const got = await svc.get(clerkB, c.id);
  assert.deepEqual([got.status, got.place, got.rule, got.transfers.length], ['elsewhere', A, 3, 0]);
  const last = await sql<{ payload: { status: string; note: Words } }>`
    SELECT payload FROM outbox WHERE topic = 'case.status' AND payload->>'ref' = ${`fed_collection:${c.id}`} ORDER BY id DESC LIMIT 1`.execute(
    dbB.ctx.db,
  );
  assert.equal(last.rows[0]?.payload.status, 'rejected');
  assert.match(last.rows[0]?.payload.note.zh ?? '', new RegExp(`待遇领取地为 ${A}`));
  assert.equal(last.rows[0]?.payload.note.en, `the place of payment is ${A}`);
});

test('a retirement collection after a second stint in A (A → B in 2021, then 2022 back in A): B asks A again and books only 2022 — 12 months, nothing twice', async () => {
  const who = { birth_date: '1966-05-05', sex: 'M' as const, hukou_region: '320100' };
  const pa = await makePerson(dbA.ctx.db, { region: '341800', ...who });
  const emp = await makeEmployer(dbA.ctx.db);
  await paidTwoYears(dbA.ctx.db, pa.id, emp.id);
  const pb = await makePerson(dbB.ctx.db, { id_number: pa.id_number, region: '320100', ...who });
  await enrolHere(dbB.ctx.db, pb.id, '320100', '2021-01-01');
  await indexUpdate(dbA.ctx.db, A, pa.id_number, 24, false, '2020-12');
  await pump();
  const first = await svcB().apply(clerkB, { idNumber: pa.id_number });
  await pump();
  assert.equal((await svcB().get(clerkB, first.id)).status, 'completed');
  // Back in A for 2022, then the relation in B again (hukou B: B is the place of payment, Art. 6(1)).
  for (let m = 1; m <= 12; m++)
    await makeBillLine(dbA.ctx.db, {
      personId: pa.id,
      employerId: emp.id,
      period: `2022-${String(m).padStart(2, '0')}`,
      baseFen: 500000,
      pensionEmployerFen: 80000,
      pensionEmployeeFen: 40000,
      personalAccountFen: 40000,
    });
  await indexUpdate(dbA.ctx.db, A, pa.id_number, 12, false, '2022-12');
  await indexUpdate(dbB.ctx.db, B, pa.id_number, 48, true, '2025-12');
  await pump();
  const svc = new CollectionService(dbB.ctx.db);
  const c = await svc.apply(clerkB, { idNumber: pa.id_number });
  await pump();
  const got = await svc.get(clerkB, c.id);
  assert.deepEqual([got.status, got.place, got.rule], ['completed', B, 1]);
  assert.deepEqual(
    got.transfers.map((t) => [t.fromProvince, t.status, t.months]),
    [[A, 'completed', 12]],
    'A is asked again for its second stint',
  );
  const segs = await sql<{ from_province: string; from_period: string; to_period: string }>`
    SELECT from_province, from_period, to_period FROM fed_credited_segment WHERE person_id = ${pb.id} ORDER BY from_period`.execute(
    dbB.ctx.db,
  );
  assert.deepEqual(
    segs.rows.map((r) => [r.from_province, r.from_period, r.to_period]),
    [
      [A, '2019-01', '2020-12'],
      [A, '2022-01', '2022-12'],
    ],
  );
});
