// The record (权益记录单) shows what a pension transfer or a scheme bridging credited to the person here,
// as the award counts it (src/pension/person-record.repository.ts): a citizen who moved in must not
// see fewer months, another index or a smaller account on the record than the award will use. The
// credited months are their own year rows, marked with where they came from. The rows are what
// TransferService and SchemeBridgingService write (fed_credited_segment, pension_record_credit).
// At the old place, the months and the account of a relation moved out stay on the record as rows
// marked as moved out (66号: the copy kept for queries) but count no longer, as for the award.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { Trace } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { CertificateService } from '../hall/certificate.service.ts';
import { pensionRecord } from '../pension/person-record.repository.ts';
import { makeBillLine, makeEmployer, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { computeContributionIndex } from './contribution-index.rules.ts';
import { recordHtml } from './record-html.ts';
import { RecordService } from './record.service.ts';

const REGION = '341800';
let t: TestDb;
before(async () => {
  t = await openTestDb();
});
after(async () => {
  await t.close();
});

/** The note column of the hall's certificate of the record (个人权益记录单), as issued and then verified. */
async function certificateNotes(personId: number): Promise<string[]> {
  const certificates = new CertificateService(t.ctx);
  const { code } = await certificates.issue(systemActor('test'), personId, 'record', 'https://shebao.test');
  const { statement } = await certificates.verify(code);
  return (statement as { years: Array<{ note: string }> }).years.map((y) => y.note);
}

async function transfer(db: Db, personId: number, kind: 'pension' | 'scheme-bridging', ref: string) {
  const r = await sql<{ id: string }>`
    INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by)
    VALUES (${ref}, 'in', ${kind}, ${'0'.repeat(64)}, ${personId}, '320000', '340000', 'completed', 'test') RETURNING id`.execute(
    db,
  );
  return Number(r.rows[0]!.id);
}

test('moved in from 320000: 2019-01…2020-12 at 5,000.00 against 8,000.00 and an account of 960,000 transferred; 2021 paid here at 8,000.00 → the record shows 36 months, Z and the account the award uses, the 24 months as credited from 320000', async () => {
  const db = t.ctx.db;
  const person = await makePerson(db, { region: REGION });
  const employer = await makeEmployer(db);
  for (let m = 1; m <= 12; m++)
    await makeBillLine(db, {
      personId: person.id,
      employerId: employer.id,
      region: REGION,
      period: `2021-${String(m).padStart(2, '0')}`,
      baseFen: 800000,
      averageWageFen: 800000,
      pensionEmployerFen: 128000,
      pensionEmployeeFen: 64000,
      personalAccountFen: 64000,
    });
  const id = await transfer(db, person.id, 'pension', 'T-REC-1');
  await sql`INSERT INTO fed_credited_segment (transfer_id, line_no, person_id, from_province, from_period, to_period, monthly_base_fen, average_wage_fen)
    VALUES (${id}, 1, ${person.id}, '320000', '2019-01', '2020-12', 500000, 800000)`.execute(db);
  await sql`INSERT INTO pension_record_credit (person_id, fund, source_type, source_id, months, account_fen, period, note, created_by)
    VALUES (${person.id}, 'employee_pension', 'fed_transfer', ${id}, 0, 960000, '2022-03', '养老保险关系自 320000 转入的个人账户 / personal account transferred in from 320000', 'test')`.execute(
    db,
  );

  const award = await pensionRecord(db, person.id, '2026-12');
  const z = computeContributionIndex({ region: REGION, lines: award.indexLines }, t.ctx.params, new Trace());
  assert.equal(award.contributionMonths, 36);
  assert.equal(z.averageIndex, '0.7500'); // (24 × 0.625 + 12 × 1.0) ÷ 36

  const record = await new RecordService(db, t.ctx.params).personRecord(systemActor('test'), person.id);
  assert.equal(record.totals.employeePensionMonths, award.contributionMonths);
  assert.equal(record.totals.averageContributionIndex, 0.75);
  assert.equal(record.personalAccount.employeePensionFen, award.personalAccountFen);
  assert.equal(record.personalAccount.employeePensionFen, 12 * 64000 + 960000);
  const credited = record.years.filter((y) => y.credited !== null);
  assert.deepEqual(
    credited.map((y) => [
      y.year,
      y.scheme,
      y.pensionMonths,
      y.averageBaseFen,
      y.contributionIndex,
      y.accountCreditFen,
      y.credited,
    ]),
    [
      [2019, 'employee_pension', 12, 500000, 0.625, 0, { kind: 'transfer', fromProvince: '320000' }],
      [2020, 'employee_pension', 12, 500000, 0.625, 0, { kind: 'transfer', fromProvince: '320000' }],
      [2022, 'employee_pension', 0, 0, null, 960000, { kind: 'transfer', fromProvince: '320000' }],
    ],
  );
  // The year paid here is as before, and the balance runs through the credited rows in year order.
  const own = record.years.find((y) => y.year === 2021)!;
  assert.equal(own.credited, null);
  assert.equal(own.pensionMonths, 12);
  assert.equal(own.contributionIndex, 1);
  assert.equal(record.years.at(-1)!.closingBalanceFen, 12 * 64000 + 960000);
  // The printable record marks them too.
  assert.equal(
    recordHtml(record, '2026-12-02').split('自 江苏省 转入 / transferred in from Jiangsu').length - 1,
    3,
  );
  assert.equal((await certificateNotes(person.id)).filter((n) => n === '自江苏省转入').length, 3);
});

test('scheme bridging here: employee years credited to the residents’ scheme (+60 months, account 30,000.00) show as their own row, marked as bridged', async () => {
  const db = t.ctx.db;
  const person = await makePerson(db, { region: REGION });
  const id = await transfer(db, person.id, 'scheme-bridging', 'T-REC-2');
  await sql`INSERT INTO pension_record_credit (person_id, fund, source_type, source_id, months, account_fen, period, note, created_by)
    VALUES (${person.id}, 'resident_pension', 'fed_transfer', ${id}, 60, 3000000, '2025-07', '职工缴费年限合并计算为城乡居民缴费年限 / employee years added', 'test')`.execute(
    db,
  );
  const award = await pensionRecord(db, person.id, '2026-12');
  const record = await new RecordService(db, t.ctx.params).personRecord(systemActor('test'), person.id);
  assert.deepEqual(
    record.years.map((y) => [
      y.year,
      y.scheme,
      y.pensionMonths,
      y.accountCreditFen,
      y.closingBalanceFen,
      y.credited,
    ]),
    [[2025, 'resident_pension', 60, 3000000, 3000000, { kind: 'bridging', fromProvince: null }]],
  );
  assert.equal(record.personalAccount.residentPensionFen, award.residentAccountFen);
});

test('moved out to 320000: 2019-01…2020-12 at 5,000.00 against 8,000.00 (account 960,000) transferred away in 2022, 2023 paid here at 8,000.00 → the record counts 12 months, Z 1.0000 and the account the award counts; the 24 months stay as rows marked 已转出至 320000, the account that moved as a negative credit', async () => {
  const db = t.ctx.db;
  const person = await makePerson(db, { region: REGION });
  const employer = await makeEmployer(db);
  const line = (period: string, baseFen: number, accountFen: number) =>
    makeBillLine(db, {
      personId: person.id,
      employerId: employer.id,
      region: REGION,
      period,
      baseFen,
      averageWageFen: 800000,
      pensionEmployerFen: baseFen * 0.16,
      pensionEmployeeFen: accountFen,
      personalAccountFen: accountFen,
      unemploymentEmployeeFen: baseFen / 100,
    });
  for (const y of [2019, 2020])
    for (let m = 1; m <= 12; m++) await line(`${y}-${String(m).padStart(2, '0')}`, 500000, 40000);
  for (let m = 1; m <= 12; m++) await line(`2023-${String(m).padStart(2, '0')}`, 800000, 64000);
  const funds = {
    segments: [{ from: '2019-01', to: '2020-12', monthlyBaseFen: 500000, averageWageFen: 800000 }],
  };
  await sql`INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by,
      months, account_fen, funds, created_at)
    VALUES ('T-REC-OUT', 'out', 'pension', ${'0'.repeat(64)}, ${person.id}, '340000', '320000', 'completed', 'test',
      24, 960000, ${JSON.stringify(funds)}::jsonb, '2022-03-15')`.execute(db);

  const award = await pensionRecord(db, person.id, '2026-12');
  assert.equal(award.contributionMonths, 12);
  const z = computeContributionIndex({ region: REGION, lines: award.indexLines }, t.ctx.params, new Trace());
  assert.equal(z.averageIndex, '1.0000');
  assert.equal(award.personalAccountFen, 12 * 64000);

  const record = await new RecordService(db, t.ctx.params).personRecord(systemActor('test'), person.id);
  // Before: 36 months, Z (24 × 0.625 + 12 × 1) ÷ 36 = 0.75 and 1,728,000 — 24 months and 960,000 more than the award.
  assert.equal(record.totals.employeePensionMonths, award.contributionMonths);
  assert.equal(record.totals.averageContributionIndex, 1);
  assert.equal(record.personalAccount.employeePensionFen, award.personalAccountFen);
  // Unemployment months did not move with the pension relation.
  assert.equal(record.totals.unemploymentMonths, 36);
  assert.deepEqual(
    record.years.map((y) => [
      y.year,
      y.pensionMonths,
      y.averageBaseFen,
      y.contributionIndex,
      y.accountCreditFen,
      y.closingBalanceFen,
      y.movedOut,
    ]),
    [
      [2019, 12, 500000, 0.625, 480000, 480000, { toProvince: '320000' }],
      [2020, 12, 500000, 0.625, 480000, 960000, { toProvince: '320000' }],
      [2022, 0, 0, null, -960000, 0, { toProvince: '320000' }],
      [2023, 12, 800000, 1, 768000, 768000, null],
    ],
  );
  assert.ok(record.years.every((y) => y.credited === null));
  // The printable record marks them: the two years and the account.
  assert.equal(
    recordHtml(record, '2026-12-02').split('已转出至 江苏省 / moved out to Jiangsu').length - 1,
    3,
  );
  // And the hall's certificate of the record (个人权益记录单) in its note column.
  assert.deepEqual(await certificateNotes(person.id), [
    '已转出至江苏省',
    '已转出至江苏省',
    '已转出至江苏省',
    '',
  ]);
});

test('a transfer out still being asked for (requested) or refused moves nothing: the months count here, no row is marked', async () => {
  const db = t.ctx.db;
  const person = await makePerson(db, { region: REGION });
  const employer = await makeEmployer(db);
  for (let m = 1; m <= 6; m++)
    await makeBillLine(db, {
      personId: person.id,
      employerId: employer.id,
      region: REGION,
      period: `2024-0${m}`,
      baseFen: 800000,
      averageWageFen: 800000,
      pensionEmployerFen: 128000,
      pensionEmployeeFen: 64000,
      personalAccountFen: 64000,
    });
  const funds = {
    segments: [{ from: '2024-01', to: '2024-06', monthlyBaseFen: 800000, averageWageFen: 800000 }],
  };
  for (const status of ['requested', 'refused'])
    await sql`INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, account_fen, funds)
      VALUES (${`T-REC-${status}`}, 'out', 'pension', ${'0'.repeat(64)}, ${person.id}, '340000', '320000', ${status}, 'test',
        384000, ${JSON.stringify(funds)}::jsonb)`.execute(db);
  const award = await pensionRecord(db, person.id, '2026-12');
  const record = await new RecordService(db, t.ctx.params).personRecord(systemActor('test'), person.id);
  assert.equal(award.contributionMonths, 6);
  assert.equal(record.totals.employeePensionMonths, 6);
  assert.equal(record.personalAccount.employeePensionFen, award.personalAccountFen);
  assert.ok(record.years.every((y) => y.movedOut === null));
});
