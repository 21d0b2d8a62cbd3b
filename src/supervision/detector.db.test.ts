// Every detector finds exactly its planted case in a small generated population (pensioners paid for
// three months, unemployed people paid, ordinary bills, processed deaths, a couple sharing an account,
// a short back payment) and nothing else; a re-run adds no finding; a supervisor reaches only their
// own region; the schedule's pass is the same idempotent scan.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { hashPassword } from '../auth/password.ts';
import { fixToday } from '../core/clock.ts';
import { addPeriods } from '../core/dates.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makeEmployer, makePerson } from '../testing/factories.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { makeTestApp, TEST_PASSWORD, type TestApp } from '../testing/test-app.ts';
import { seedApprovedClaims } from '../testing/unemployment-fixtures.ts';
import { plantSupervisionCases, type PlantReport } from './detector.plant.ts';
import { DETECTORS } from './detector.rules.ts';
import { runScheduledScan } from './scan.job.ts';
import { findingSummary } from '../../web/src/pages/supervision/summary.ts';
import type { Words } from '../core/bilingual.ts';

const AS_OF = '2026-11-20';
const REGION = '341800';
const [P1, P2, P3] = ['2026-08', '2026-09', '2026-10'];

interface ScanBody {
  runId: number;
  findings: Record<string, number>;
  newFindings: Record<string, number>;
  total: number;
  newTotal: number;
}
interface FindingBody {
  items: Array<{
    id: number;
    detector: string;
    region: string;
    fingerprint: string;
    personId: number | null;
    employerId: number | null;
    amountAtRiskFen: number;
    evidence: Record<string, unknown>;
    summaryZh: string;
    summaryEn: string;
    periodFrom: string | null;
    periodTo: string | null;
    personName: string | null;
    employerName: string | null;
    staffName: string | null;
    status: string;
  }>;
  total: number;
}

describe('supervision detectors over a generated population with planted cases', () => {
  let t: TestApp;
  let planted: PlantReport;
  let supervisor: Record<string, string>;

  before(async () => {
    fixToday(AS_OF);
    t = await makeTestApp();
    const db = t.ctx.db;
    // Background: 40 pensioners paid for three months, 15 unemployed paid for three months.
    const { firstAwardId, lastAwardId } = await seedPensioners(db, {
      count: 40,
      region: REGION,
      startPeriod: '2020-07',
      offset: 500_000,
    });
    for (const period of [P1, P2, P3])
      await sql`INSERT INTO pension_payment (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
        SELECT id, ${period}, 'regular', monthly_fen, 0, 0 FROM pension_award WHERE id BETWEEN ${firstAwardId} AND ${lastAwardId}`.execute(
        db,
      );
    const former = await makeEmployer(db, { name: '宣城背景单位' });
    await seedApprovedClaims(db, { count: 15, region: REGION, employerId: former.id, firstPeriod: P1 });
    await sql`INSERT INTO unemployment_payment (person_id, claim_id, region, period, amount_fen, medical_fen, run_id, chunk_no)
      SELECT c.person_id, c.id, c.region, m.period, c.monthly_fen, c.medical_fen, 0, 0
      FROM unemployment_claim c CROSS JOIN (VALUES (${P1}), (${P2}), (${P3})) m(period)`.execute(db);
    // Their former employer declared them up to the month they left (the claim's employer: not a finding).
    await sql`WITH b AS (
        INSERT INTO contribution_bill (region, period, payer_kind, employer_id, due_date, average_wage_fen, lines, total_fen, status)
        VALUES (${REGION}, ${P1}, 'employer', ${former.id}, '2026-08-31', 800000, 15, 0, 'open') RETURNING id)
      INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen,
        personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
      SELECT b.id, c.person_id, ${P1}, 500000, 0, 0, 0, 0, 0, 0, 0 FROM b CROSS JOIN unemployment_claim c`.execute(
      db,
    );
    // Near misses. A processed death: paid after it, but the recovery case is open.
    const late = await makePerson(db, {
      id_number: makeIdNumber('341802', '1949-04-04', 801),
      name: '已处理死亡',
      death_date: '2026-08-20',
    });
    const a = await sql<{
      id: number;
    }>`INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period,
        contribution_months, monthly_fen, created_by, status, stop_reason, stopped_from_period)
      VALUES (${late.id}, 'employee_pension', ${REGION}, 'import', '2010-01-01', '2010-01', 300, 300000, 't', 'stopped', 'death', ${P2})
      RETURNING id`.execute(db);
    const awardId = Number(a.rows[0]?.id);
    await sql`INSERT INTO pension_payment (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
      VALUES (${awardId}, ${P2}, 'regular', 300000, 0, 0)`.execute(db);
    await sql`INSERT INTO recovery_case (person_id, award_id, region, reason, from_period, to_period, amount_fen, idempotency_key, created_by)
      VALUES (${late.id}, ${awardId}, ${REGION}, 'death', ${P2}, ${P2}, 300000, 'near-miss', 't')`.execute(
      db,
    );
    // A couple at one address sharing one account, both pensioners: related, not a finding.
    for (const [i, name] of ['夫', '妻'].entries()) {
      const p = await makePerson(db, {
        id_number: makeIdNumber('341802', '1950-02-0' + String(i + 1), 802 + i),
        name,
        address: '宣城市同住址1号',
        bank_name: '工商银行',
        bank_account: '6222999900000000001',
      });
      await sql`INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
        VALUES (${p.id}, 'employee_pension', ${REGION}, 'import', '2012-01-01', '2012-01', 300, 250000, 't')`.execute(
        db,
      );
    }
    // A back payment of two months: arrears, below the threshold of three.
    const shop = await makeEmployer(db, { name: '宣城补两个月单位' });
    const worker = await makePerson(db, {
      id_number: makeIdNumber('341802', '1990-01-01', 805),
      name: '补两月',
    });
    for (const period of ['2026-05', '2026-06'])
      await sql`WITH b AS (
          INSERT INTO contribution_bill (region, period, payer_kind, employer_id, back_payment, due_date, average_wage_fen, lines, total_fen, status)
          VALUES (${REGION}, ${period}, 'employer', ${shop.id}, true, '2026-07-31', 800000, 1, 0, 'open') RETURNING id)
        INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen,
          personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
        SELECT b.id, ${worker.id}, ${period}, 500000, 0, 0, 0, 0, 0, 0, 0 FROM b`.execute(db);

    planted = await plantSupervisionCases(db, { region: REGION, asOf: AS_OF });
    const s = await t.login('supervisor');
    supervisor = s.headers;
  });

  after(async () => {
    fixToday(null);
    await t.close();
  });

  const scan = async (headers: Record<string, string>, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/supervision/scans', headers, payload });
  const findings = async (query: string, headers = supervisor) =>
    t.app.inject({ method: 'GET', url: `/api/v1/supervision/findings?${query}`, headers });

  test('a scan by the region’s supervisor finds exactly one finding per detector: the planted case', async () => {
    const r = await scan(supervisor, { region: REGION });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<ScanBody>();
    for (const d of DETECTORS) {
      assert.equal(body.findings[d], 1, `${d}: ${JSON.stringify(body.findings)}`);
      assert.equal(body.newFindings[d], 1, d);
    }
    assert.equal(body.total, DETECTORS.length);
    for (const d of DETECTORS) {
      const list = await findings(`detector=${d}`);
      assert.equal(list.statusCode, 200, list.body);
      const [f, ...rest] = list.json<FindingBody>().items;
      assert.equal(rest.length, 0, d);
      assert.ok(f, d);
      const want = planted[d];
      assert.ok(f.fingerprint.startsWith(want.prefix), `${d}: ${f.fingerprint} vs ${want.prefix}`);
      if (want.personId !== null) assert.equal(f.personId, want.personId, d);
      if (want.employerId !== null) assert.equal(f.employerId, want.employerId, d);
      assert.equal(f.region, REGION);
      assert.equal(f.status, 'open');
      assert.ok(f.summaryZh.length > 0 && f.summaryEn.length > 0);
    }
  });

  test('the evidence carries the figures: months, amounts, thresholds with their sources', async () => {
    const one = async (d: string) => (await findings(`detector=${d}`)).json<FindingBody>().items[0];
    const death = await one('pension_after_death');
    assert.equal(death?.amountAtRiskFen, 3 * 310000);
    assert.equal((death?.evidence['payments'] as unknown[]).length, 3);
    assert.match(
      death?.summaryZh ?? '',
      /共¥9,300\.00$/,
      'the amount is whole yuan and fen, as the pages write it',
    );
    const suspended = await one('pension_while_suspended');
    assert.equal(suspended?.amountAtRiskFen, 2 * 240000, 'the months from the suspension on');
    // the reason as a code the pages say in the reader's language, not the stored English or a bare word
    assert.equal(suspended?.evidence['suspendReasonCode'], 'not_certified');
    assert.equal(suspended?.evidence['suspendReason'], undefined);
    const twice = await one('double_pension');
    assert.equal(twice?.amountAtRiskFen, 3 * 23000, 'the resident pension is the one refunded');
    const both = await one('pension_and_unemployment');
    assert.equal(both?.amountAtRiskFen, 2 * (180000 + 14400));
    const employed = await one('unemployment_while_employed');
    assert.equal(
      employed?.amountAtRiskFen,
      2 * (180000 + 14400),
      'only the months the new employer declared',
    );
    const back = await one('back_payment_undocumented');
    assert.equal(back?.evidence['months'], 6);
    assert.equal(back?.evidence['documented'], false);
    const thresholds = back?.evidence['thresholds'] as Array<{
      path: string;
      uncertain: boolean;
      reference: Words;
    }>;
    assert.deepEqual(
      thresholds.map((x) => x.path),
      ['supervision/back-payment-min-months', 'supervision/back-payment-lump-months'],
    );
    assert.ok(thresholds.every((x) => x.reference.zh.length > 0 && x.reference.en.length > 0));
    const staff = await one('staff_own_records');
    assert.equal(staff?.evidence['relation'], 'same_address');
    assert.deepEqual(staff?.evidence['actions'], ['person.update']);
    const injuries = await one('employer_injuries');
    assert.equal(injuries?.evidence['cases'], 3);
    assert.equal(injuries?.evidence['workers'], 3);
    const shared = await one('shared_bank_account');
    assert.equal(shared?.evidence['persons'], 2);
    assert.equal(shared?.evidence['accountTail'], '0001');
    assert.equal(shared?.amountAtRiskFen, 200000 + 210000);
    const late = await one('late_career_hire');
    assert.equal(late?.evidence['ceilingMonths'], 5);
  });

  test('the summary a supervisor reads: dates in words, yuan with ¥ and separators, a staff member by name', async () => {
    // The scan stores each summary in the current wording (its SQL said 2026-08-22, 9300.00元 and
    // sv-clerk-341800), told by the rules the page tells it with, so the stored text and the page agree.
    const all = (await findings('pageSize=100')).json<FindingBody>().items;
    assert.equal(all.length, DETECTORS.length);
    for (const f of all) {
      assert.equal(f.summaryZh, findingSummary(f, 'zh-CN'), f.detector);
      assert.equal(f.summaryEn, findingSummary(f, 'en'), f.detector);
      for (const lang of ['zh-CN', 'en'] as const) {
        const text = findingSummary(f, lang);
        assert.doesNotMatch(text, /\d{4}-\d{2}|\d\.\d{2}\s?(元|yuan)|sv-clerk/, `${f.detector}: ${text}`);
        if (
          f.amountAtRiskFen > 0 &&
          !['late_career_hire', 'employer_injuries', 'shared_bank_account'].includes(f.detector)
        )
          assert.ok(text.includes(`¥`), `${f.detector}: ${text}`);
      }
    }
    const one = (d: string) => all.find((f) => f.detector === d);
    const death = one('pension_after_death');
    assert.ok(death);
    assert.match(
      findingSummary(death, 'zh-CN'),
      /^.+于\d{4}年\d{1,2}月\d{1,2}日死亡，此后仍发放养老金3个月，共¥9,300\.00$/,
    );
    assert.match(
      findingSummary(death, 'en'),
      /^Died \d{1,2} [A-Z][a-z]{2} \d{4}; pension still paid for 3 months after, ¥9,300\.00$/,
    );
    const staff = one('staff_own_records');
    assert.ok(staff);
    assert.equal(staff.staffName, '监管演示经办员');
    assert.match(findingSummary(staff, 'zh-CN'), /^经办人员监管演示经办员对同住址人员的记录办理业务\d+次$/);
    // an account gone: the summary names nobody rather than the username
    assert.match(
      findingSummary({ ...staff, staffName: null }, 'en'),
      /^Staff member acted (1 time|\d+ times) on the record of a person at their address$/,
    );
    const injuries = one('employer_injuries');
    assert.ok(injuries?.employerName);
    assert.ok(findingSummary(injuries, 'zh-CN').startsWith(`${injuries.employerName}在`));
    assert.ok(one('double_pension')?.personName);
  });

  test('a finding stored in the old wording still reads in the current one on the page', async () => {
    const death = (await findings('detector=pension_after_death')).json<FindingBody>().items[0];
    assert.ok(death);
    const told = { zh: death.summaryZh, en: death.summaryEn };
    await sql`UPDATE supervision_finding SET summary_zh = ${'张三于2026-08-22死亡，此后仍发放养老金3个月，共9300.00元'},
      summary_en = ${'Died 2026-08-22; pension still paid for 3 month(s) after, 9300.00 yuan'}
      WHERE id = ${death.id}`.execute(t.ctx.db);
    const old = (await findings('detector=pension_after_death')).json<FindingBody>().items[0];
    assert.ok(old);
    assert.match(old.summaryZh, /2026-08-22/, 'the row holds the old text');
    assert.equal(findingSummary(old, 'zh-CN'), told.zh);
    assert.equal(findingSummary(old, 'en'), told.en);
    // evidence that cannot tell a sentence: the stored text, as it is
    assert.equal(findingSummary({ ...old, evidence: {} }, 'en'), old.summaryEn);
    await sql`UPDATE supervision_finding SET summary_zh = ${told.zh}, summary_en = ${told.en}
      WHERE id = ${death.id}`.execute(t.ctx.db);
  });

  test('a second scan adds no duplicate; the scheduled pass is the same idempotent scan', async () => {
    const before = (await findings('pageSize=200')).json<FindingBody>().total;
    const r = await scan(supervisor, { region: REGION });
    const body = r.json<ScanBody>();
    assert.equal(body.newTotal, 0);
    assert.equal(body.total, DETECTORS.length);
    assert.equal(await runScheduledScan(t.ctx), 0);
    assert.equal((await findings('pageSize=200')).json<FindingBody>().total, before);
    const runs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM supervision_run`.execute(t.ctx.db);
    assert.ok((runs.rows[0]?.n ?? 0) >= 3, 'every scan is recorded');
  });

  test('a new fact after the scan is found by the next one, and only it', async () => {
    // Another month paid to the dead pensioner changes nothing (same death, same finding) …
    const award = await sql<{
      id: number;
    }>`SELECT id FROM pension_award WHERE person_id = ${planted.pension_after_death.personId}`.execute(
      t.ctx.db,
    );
    await sql`INSERT INTO pension_payment (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
      VALUES (${award.rows[0]?.id}, ${addPeriods(P3, 1)}, 'regular', 310000, 0, 0)`.execute(t.ctx.db);
    // … a fourth injury at another employer's three-worker shop is not enough alone; a new dead pensioner is.
    const dead = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('341802', '1948-01-01', 806),
      name: '新发现死亡',
      death_date: '2026-07-01',
    });
    const a = await sql<{
      id: number;
    }>`INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period,
        contribution_months, monthly_fen, created_by)
      VALUES (${dead.id}, 'employee_pension', ${REGION}, 'import', '2008-01-01', '2008-01', 300, 200000, 't') RETURNING id`.execute(
      t.ctx.db,
    );
    await sql`INSERT INTO pension_payment (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
      VALUES (${a.rows[0]?.id}, ${P3}, 'regular', 200000, 0, 0)`.execute(t.ctx.db);
    const body = (
      await scan(supervisor, { region: REGION, detectors: ['pension_after_death'] })
    ).json<ScanBody>();
    assert.deepEqual(body.newFindings, { pension_after_death: 1 });
    assert.deepEqual(body.findings, { pension_after_death: 2 });
  });

  test('a supervisor of another region can neither scan nor read this region’s findings', async () => {
    const hash = await hashPassword(TEST_PASSWORD);
    const p = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('340102', '1979-09-09', 807),
      name: '合肥监管',
    });
    await t.ctx.db
      .insertInto('app_user')
      .values({
        username: 'hefei-supervisor',
        display_name: '合肥监管',
        password_hash: hash,
        role: 'supervisor',
        person_id: p.id,
        region: '340100',
      })
      .execute();
    const other = (await t.login('hefei-supervisor')).headers;
    const r = await scan(other, { region: REGION });
    assert.equal(r.statusCode, 403, r.body);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_OUT_OF_SCOPE');
    const read = await findings(`region=${REGION}`, other);
    assert.equal(read.statusCode, 403);
    const own = await findings('', other);
    assert.equal(own.statusCode, 200);
    assert.equal(own.json<FindingBody>().total, 0, 'their own region has none');
  });

  test('clerks may not scan or read findings; unknown detectors and extra fields are refused', async () => {
    const clerk = (await t.login('clerk')).headers;
    assert.equal((await scan(clerk, { region: REGION })).statusCode, 403);
    assert.equal((await findings('', clerk)).statusCode, 403);
    assert.equal((await scan(supervisor, { region: REGION, detectors: ['nonsense'] })).statusCode, 400);
    assert.equal((await scan(supervisor, { region: REGION, extra: 1 })).statusCode, 400);
    assert.equal((await findings('detector=nonsense')).statusCode, 400);
  });

  test('findings page and filter by status', async () => {
    const page1 = (await findings('pageSize=5&page=1')).json<FindingBody>();
    const page3 = (await findings('pageSize=5&page=3')).json<FindingBody>();
    assert.equal(page1.items.length, 5);
    assert.equal(page1.total, DETECTORS.length + 1);
    assert.equal(page3.items.length, DETECTORS.length + 1 - 10);
    assert.equal((await findings('status=dismissed')).json<FindingBody>().total, 0);
    assert.equal((await findings('status=open')).json<FindingBody>().total, DETECTORS.length + 1);
  });
});
