// The monthly unemployment benefit payroll: pays each approved claim once per month (a database
// constraint), posts benefit and medical premiums to the unemployment fund, writes the bank file,
// survives a crash inside and after a chunk (injected hooks) and a rerun pays nobody twice; re-employment
// found in the data stops the benefit from the month after, keeps the unused months and recovers what
// was paid after the stop; clerk-recorded stop events; death during receipt with a reviewer.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeBillLine, makeEmployer, makeEmployment } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { seedApprovedClaims } from '../testing/unemployment-fixtures.ts';
import { benefitPayrollSummary, runBenefitPayroll, writeBenefitBankFile } from './benefit-payroll.job.ts';
import { BenefitPayrollService } from './benefit-payroll.service.ts';
import { StopService } from './stop.service.ts';

const REGION = '341800';
const actor = systemActor('test');

async function ledgerTotals(t: TestDb): Promise<{ benefit: number; other: number; bank: number }> {
  const r = await sql<{ account: string; amount: unknown }>`
    SELECT l.account_code AS account, sum(l.debit_fen - l.credit_fen)::bigint AS amount
    FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
    WHERE e.fund = 'unemployment' AND e.kind = 'unemployment_payroll' GROUP BY l.account_code`.execute(
    t.ctx.db,
  );
  const of = (a: string): number => Number(r.rows.find((x) => x.account === a)?.amount ?? 0);
  return { benefit: of('5001'), other: of('5005'), bank: of('1001') };
}

describe('unemployment benefit payroll', () => {
  let t: TestDb;
  let employerId: number;
  before(async () => {
    fixToday('2026-12-15');
    t = await openTestDb();
    employerId = (await makeEmployer(t.ctx.db)).id;
    await seedApprovedClaims(t.ctx.db, {
      count: 9,
      region: REGION,
      employerId,
      firstPeriod: '2026-10',
      maxMonths: 12,
    });
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('a crash inside chunk 2 and after chunk 3 leaves whole chunks; the rerun completes and pays each claim once', async () => {
    const boom = (n: number) => (chunkNo: number) => {
      if (chunkNo === n) throw new Error(`crash at chunk ${n}`);
    };
    await assert.rejects(
      runBenefitPayroll(t.ctx, actor, {
        period: '2026-10',
        region: REGION,
        chunkSize: 2,
        hooks: { insideChunk: boom(2) },
      }),
      /crash at chunk 2/,
    );
    let s = await benefitPayrollSummary(t.ctx.db, { period: '2026-10', region: REGION });
    assert.equal(s.status, 'running');
    assert.equal(s.chunksDone, 1);
    assert.equal(s.payments, 2);
    await assert.rejects(
      runBenefitPayroll(t.ctx, actor, {
        period: '2026-10',
        region: REGION,
        chunkSize: 2,
        hooks: { afterChunk: boom(3) },
      }),
      /crash at chunk 3/,
    );
    s = await benefitPayrollSummary(t.ctx.db, { period: '2026-10', region: REGION });
    assert.equal(s.chunksDone, 3);
    assert.equal(s.payments, 6);
    s = await runBenefitPayroll(t.ctx, actor, { period: '2026-10', region: REGION, chunkSize: 2 });
    assert.equal(s.status, 'done');
    assert.equal(s.chunksTotal, 5);
    assert.equal(s.payments, 9);
    assert.equal(s.benefitFen, 9 * 148500);
    assert.equal(s.medicalFen, 9 * 11880);
    assert.equal(s.totalFen, 9 * (148500 + 11880));
    const rows = await sql<{ n: unknown; persons: unknown }>`
      SELECT count(*) AS n, count(DISTINCT person_id) AS persons FROM unemployment_payment WHERE period = '2026-10'`.execute(
      t.ctx.db,
    );
    assert.equal(Number(rows.rows[0]?.n), 9);
    assert.equal(Number(rows.rows[0]?.persons), 9);
    // the ledger: benefit 5001, medical premiums 5005, out of the bank 1001
    const l = await ledgerTotals(t);
    assert.deepEqual(l, { benefit: 9 * 148500, other: 9 * 11880, bank: -9 * (148500 + 11880) });
    assert.equal((await verifyLedger(t.ctx.db)).ok, true);
  });

  test('running the month again pays nobody twice and posts nothing more', async () => {
    const again = await runBenefitPayroll(t.ctx, actor, { period: '2026-10', region: REGION, chunkSize: 2 });
    assert.equal(again.payments, 9);
    const l = await ledgerTotals(t);
    assert.equal(l.benefit, 9 * 148500);
    // even a second run row for the same month (another region scope) cannot pay the same person twice
    const other = await runBenefitPayroll(t.ctx, actor, {
      period: '2026-10',
      region: '340000',
      chunkSize: 4,
    });
    assert.equal(other.payments, 0);
    // Preparing a paid month, or one of an unknown region, is refused without repeating what was asked.
    const payroll = new BenefitPayrollService(t.ctx);
    for (const [input, code] of [
      [{ period: '2026-10', region: REGION }, 'SB_ERR_CONFLICT'],
      [{ period: '2026-10', region: '990000' }, 'SB_ERR_UNKNOWN_REGION'],
    ] as const)
      await assert.rejects(payroll.prepareBenefitPayroll(actor, input), (e: Error & { code?: string }) => {
        assert.equal(e.code, code);
        assert.doesNotMatch(e.message, /2026-10|990000/);
        return true;
      });
  });

  test("the fund report's figures: recipients and spending of the month for staff of the region, not for citizens", async () => {
    const supervisor = { ...actor, role: 'supervisor' as const, region: REGION, username: 'sup' };
    const f = await new BenefitPayrollService(t.ctx).unemploymentFigures(supervisor, '2026-10');
    assert.deepEqual([f.recipients, f.benefitFen, f.medicalFen], [9, 9 * 148500, 9 * 11880]);
    const far = await new BenefitPayrollService(t.ctx).unemploymentFigures(
      { ...supervisor, region: '340100' },
      '2026-10',
    );
    assert.equal(far.recipients, 0);
    await assert.rejects(
      new BenefitPayrollService(t.ctx).unemploymentFigures(
        { ...actor, role: 'citizen', personId: 1 },
        '2026-10',
      ),
      /FORBIDDEN|无权/,
    );
  });

  test('the bank file: one line per person paid, the benefit only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ui-bank-'));
    try {
      const file = join(dir, 'bank.csv');
      const r = await writeBenefitBankFile(t.ctx.db, { period: '2026-10', region: REGION }, file);
      assert.equal(r.lines, 9);
      assert.equal(r.totalFen, 9 * 148500);
      const text = readFileSync(file, 'utf8').trim().split('\n');
      assert.equal(text.length, 11);
      assert.match(text[1] ?? '', /,148500,1485\.00,2026-10,/);
      assert.equal(text.at(-1), `# total,9,${9 * 148500}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('re-employment from the data: a new job in October stops from November; the November payment is recovered and the unused months kept', async () => {
    const db = t.ctx.db;
    const claims = await db.selectFrom('unemployment_claim').selectAll().orderBy('id').execute();
    const [c1, c2] = claims;
    assert.ok(c1 && c2);
    await runBenefitPayroll(t.ctx, actor, { period: '2026-11', region: REGION, chunkSize: 4 });
    // c1 started a job on 2026-10-20 (found after November was paid); c2 has a contribution for 2026-12
    await makeEmployment(db, { person_id: c1.person_id, employer_id: employerId, start_date: '2026-10-20' });
    await makeBillLine(db, {
      personId: c2.person_id,
      employerId,
      region: REGION,
      period: '2026-12',
      status: 'open',
      averageWageFen: 0,
      unemploymentEmployerFen: 2500,
      unemploymentEmployeeFen: 2500,
    });
    const dec = await runBenefitPayroll(t.ctx, actor, { period: '2026-12', region: REGION, chunkSize: 4 });
    assert.equal(dec.stopped, 2);
    assert.equal(dec.payments, 8); // c2's December is its event month: still paid
    const s1 = await db
      .selectFrom('unemployment_claim')
      .selectAll()
      .where('id', '=', c1.id)
      .executeTakeFirstOrThrow();
    assert.equal(s1.status, 'stopped');
    assert.equal(s1.stop_event, 'reemployment');
    assert.equal(s1.stopped_from_period, '2026-11');
    assert.equal(s1.remaining_months, 11); // 12 − October
    assert.equal(s1.carry_forward, true);
    const s2 = await db
      .selectFrom('unemployment_claim')
      .selectAll()
      .where('id', '=', c2.id)
      .executeTakeFirstOrThrow();
    assert.equal(s2.stopped_from_period, '2027-01');
    assert.equal(
      (
        await db
          .selectFrom('unemployment_payment')
          .select('id')
          .where('claim_id', '=', c2.id)
          .where('period', '=', '2026-12')
          .execute()
      ).length,
      1,
    );
    const rc = await db
      .selectFrom('recovery_case')
      .selectAll()
      .where('person_id', '=', c1.person_id)
      .execute();
    assert.equal(rc.length, 1);
    assert.equal(Number(rc[0]?.amount_fen), 148500);
    assert.equal(rc[0]?.from_period, '2026-11');
    assert.equal((await verifyLedger(t.ctx.db)).ok, true);
  });

  test('clerk-recorded stops: pension stops without keeping months; imprisonment (Anhui) stops and keeps them', async () => {
    const db = t.ctx.db;
    const open = await db
      .selectFrom('unemployment_claim')
      .selectAll()
      .where('status', '=', 'approved')
      .orderBy('id')
      .execute();
    const [a, b] = open;
    assert.ok(a && b);
    const clerk = { ...actor, role: 'clerk' as const, region: REGION, username: 'clerk-x' };
    const r1 = await new StopService(t.ctx).recordStop(clerk, a.id, {
      event: 'pension',
      eventDate: '2026-12-01',
    });
    assert.deepEqual([r1.status, r1.stoppedFromPeriod, r1.carryForward], ['stopped', '2027-01', false]);
    assert.equal(r1.remainingMonths, 9); // Oct, Nov, Dec used
    const r2 = await new StopService(t.ctx).recordStop(clerk, b.id, {
      event: 'imprisonment',
      eventDate: '2026-11-05',
    });
    assert.equal(r2.stoppedFromPeriod, '2026-12');
    assert.equal(r2.carryForward, true);
    // December was paid after the event month: recovered
    assert.ok(r2.recoveryCaseId !== null);
    await assert.rejects(
      new StopService(t.ctx).resumeClaim(clerk, b.id, { date: '2026-12-10' }),
      /SB_ERR_CONFLICT|未中止/,
    );
    const far = { ...clerk, region: '340100' };
    const c = open[2];
    assert.ok(c);
    await assert.rejects(
      new StopService(t.ctx).recordStop(far, c.id, { event: 'emigration', eventDate: '2026-12-01' }),
      // another city's claim answers as an unknown one (wave 13)
      (e: Error & { code?: string }) => e.code === 'SB_ERR_NOT_FOUND',
    );
  });

  test('Guangdong (2022 regulation): imprisonment interrupts and the clock resumes; only the third refusal stops', async () => {
    const db = t.ctx.db;
    await seedApprovedClaims(db, {
      count: 2,
      region: '440100',
      employerId,
      firstPeriod: '2026-10',
      maxMonths: 12,
      idPrefix: 'G',
    });
    const [g1, g2] = await db
      .selectFrom('unemployment_claim')
      .selectAll()
      .where('region', '=', '440100')
      .orderBy('id')
      .execute();
    assert.ok(g1 && g2);
    const clerk = { ...actor, role: 'clerk' as const, region: '440000', username: 'gd-clerk' };
    const r = await new StopService(t.ctx).recordStop(clerk, g1.id, {
      event: 'imprisonment',
      eventDate: '2026-10-20',
    });
    assert.deepEqual([r.status, r.action], ['interrupted', 'interrupt']);
    // no payment while interrupted
    await runBenefitPayroll(t.ctx, actor, { period: '2026-11', region: '440000', chunkSize: 10 });
    const paid = await db
      .selectFrom('unemployment_payment')
      .select('period')
      .where('claim_id', '=', g1.id)
      .execute();
    assert.deepEqual(paid, []);
    // released in December: November was missed, the last month moves from 2027-09 to 2027-10
    const resumed = await new StopService(t.ctx).resumeClaim(clerk, g1.id, { date: '2026-12-03' });
    assert.deepEqual([resumed.status, resumed.lastPeriod], ['approved', '2027-10']);
    for (const d of ['2026-10-21', '2026-11-02']) {
      const x = await new StopService(t.ctx).recordStop(clerk, g2.id, { event: 'refusal', eventDate: d });
      assert.equal(x.action, 'recorded');
    }
    const third = await new StopService(t.ctx).recordStop(clerk, g2.id, {
      event: 'refusal',
      eventDate: '2026-11-20',
    });
    assert.deepEqual([third.action, third.stoppedFromPeriod, third.carryForward], ['stop', '2026-12', false]);
  });
});
