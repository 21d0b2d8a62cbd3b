// Migration 0370: a suspension's reason becomes a code the pages say in the reader's language. The
// sweep's English sentence and the demo's planted word "certification" map to not_certified (on the
// award and in a finding's stored evidence); a clerk's own words stay, under the code other. The
// person's pension answers the code and the words, for the pages to say.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { down, up } from '../db/migrations/2026_12_07_0370_suspend_reason_code.ts';
import { makePerson } from '../testing/factories.ts';
import { callAs } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { AwardService } from './award.service.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp();
});
after(async () => {
  await t.close();
});

test('up maps the sweep text and the planted word to not_certified, a clerk reason to other; down reverses', async () => {
  const db = t.ctx.db as unknown as Kysely<unknown>;
  await down(db);
  const reasons = [
    'certification campaign 3 (2026): not certified between 2026-01-01 and 2026-12-31',
    'certification',
    '本人申请暂停（出国定居）',
    null,
  ];
  const awards: number[] = [];
  for (const reason of reasons) {
    const p = await makePerson(t.ctx.db, { region: TEST_REGION });
    const r = await sql<{ id: number | string }>`
      INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period,
        contribution_months, status, suspended_from_period, suspend_reason, monthly_fen, created_by)
      VALUES (${p.id}, 'employee_pension', ${TEST_REGION}, 'import', '2015-03-01', '2015-04', 300,
        'suspended', '2027-01', ${reason}, 300000, 'test') RETURNING id`.execute(db);
    awards.push(Number(r.rows[0]?.id));
  }
  const active = await makePerson(t.ctx.db, { region: TEST_REGION });
  const act = await sql<{ id: number | string }>`
    INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period,
      contribution_months, monthly_fen, created_by)
    VALUES (${active.id}, 'employee_pension', ${TEST_REGION}, 'import', '2015-03-01', '2015-04', 300, 300000, 'test')
    RETURNING id`.execute(db);
  for (const [i, reason] of ['certification', '本人申请暂停'].entries())
    await sql`INSERT INTO supervision_finding (detector, region, fingerprint, evidence, summary_zh, summary_en, found_on)
      VALUES ('pension_while_suspended', ${TEST_REGION}, ${`m0370-${i}`},
        ${JSON.stringify({ awardId: awards[i], suspendedFrom: '2027-01', suspendReason: reason, periods: ['2027-01'] })}::jsonb,
        '—', '—', '2027-02-01')`.execute(db);
  await up(db);

  const rows = await sql<{ code: string | null; reason: string | null }>`
    SELECT suspend_reason_code AS code, suspend_reason AS reason FROM pension_award
    WHERE id = ANY(${[...awards, Number(act.rows[0]?.id)]}::bigint[]) ORDER BY id`.execute(db);
  assert.deepEqual(rows.rows, [
    { code: 'not_certified', reason: null },
    { code: 'not_certified', reason: null },
    { code: 'other', reason: '本人申请暂停（出国定居）' },
    { code: 'other', reason: null },
    { code: null, reason: null },
  ]);
  const evidence = await sql<{ evidence: Record<string, unknown> }>`
    SELECT evidence FROM supervision_finding WHERE fingerprint LIKE 'm0370-%' ORDER BY fingerprint`.execute(
    db,
  );
  assert.deepEqual(
    evidence.rows.map((r) => [r.evidence['suspendReasonCode'], r.evidence['suspendReason']]),
    [
      ['not_certified', undefined],
      [undefined, '本人申请暂停'],
    ],
    'the planted word in a stored finding is read as the code; a clerk reason stays words',
  );
  await assert.rejects(
    sql`UPDATE pension_award SET suspend_reason_code = NULL WHERE id = ${awards[2]}`.execute(db),
    'a suspended award says why',
  );

  await down(db);
  const back = await sql<{ reason: string | null }>`
    SELECT suspend_reason AS reason FROM pension_award WHERE id = ANY(${awards}::bigint[]) ORDER BY id`.execute(
    db,
  );
  assert.deepEqual(
    back.rows.map((r) => r.reason),
    ['certification', 'certification', '本人申请暂停（出国定居）', null],
  );
  await up(db);
});

test('a clerk’s suspension keeps the words under other; the sweep’s is the code alone; the person’s pension answers both', async () => {
  const as: Record<string, LoginResult> = { clerk: await t.login('clerk') };
  const call = callAs(() => t.app, as);
  const award = async () => {
    const p = await makePerson(t.ctx.db, { region: TEST_REGION });
    const r = await sql<{ id: number | string }>`
      INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period,
        contribution_months, monthly_fen, created_by)
      VALUES (${p.id}, 'employee_pension', ${TEST_REGION}, 'import', '2015-03-01', '2015-04', 300, 300000, 'test')
      RETURNING id`.execute(t.ctx.db);
    return { personId: p.id, awardId: Number(r.rows[0]?.id) };
  };
  const byClerk = await award();
  const suspended = await call('clerk', 'POST', `/api/v1/pension/awards/${byClerk.awardId}/suspend`, {
    fromPeriod: '2027-01',
    reason: '本人申请暂停（出国定居）',
  });
  assert.equal(suspended.statusCode, 200, suspended.body);
  const bySweep = await award();
  await t.ctx.db.transaction().execute((tx) =>
    new AwardService(tx).suspendMany({
      awardIds: [bySweep.awardId],
      fromPeriod: '2027-01',
      reasonCode: 'not_certified',
    }),
  );
  const reasonOf = async (personId: number) => {
    const r = await call('clerk', 'GET', `/api/v1/persons/${personId}/pension`);
    assert.equal(r.statusCode, 200, r.body);
    const a = r.json<{ awards: Array<{ suspendReasonCode: unknown; suspendReason: unknown }> }>().awards[0];
    return [a?.suspendReasonCode, a?.suspendReason];
  };
  assert.deepEqual(await reasonOf(byClerk.personId), ['other', '本人申请暂停（出国定居）']);
  assert.deepEqual(await reasonOf(bySweep.personId), ['not_certified', null]);
});
