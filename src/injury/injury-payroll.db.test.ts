// The work-injury allowance payroll (issue 13 item 4) with the pension payroll's guarantees: one
// payment per benefit and month, a crash inside a chunk leaves whole chunks only and the rerun pays
// the rest and nobody twice, a repeated run pays nothing, the ledger balances; employer-owed and
// stopped benefits, benefits not yet due and dead persons are not paid.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeEmployer, makeInjuryCase, makePerson } from '../testing/factories.ts';
import { openTestDb } from '../testing/test-db.ts';
import { injuryPayrollSummary, runInjuryPayroll } from './injury-payroll.job.ts';

let tdb: Awaited<ReturnType<typeof openTestDb>>;
const actor = systemActor('test');
const paidIds: number[] = [];

before(async () => {
  fixToday('2026-05-20');
  tdb = await openTestDb();
  const db = tdb.ctx.db;
  const e = await makeEmployer(db);
  const benefit = async (v: {
    payer?: 'fund' | 'employer';
    status?: 'decided' | 'stopped';
    from?: string;
    dead?: string;
    amount?: number;
  }) => {
    const p = await makePerson(db, v.dead ? { death_date: v.dead } : {});
    const c = await makeInjuryCase(db, {
      person_id: p.id,
      employer_id: e.id,
      accident_date: '2026-01-05',
      status: 'recognised',
      reported_by: 't',
      reported_date: '2026-01-06',
      decided_date: '2026-02-01',
    });
    const b = await db
      .insertInto('injury_benefit')
      .values({
        case_id: c.id,
        person_id: p.id,
        employer_id: e.id,
        region_code: '341800',
        kind: 'disability_allowance',
        payer: v.payer ?? 'fund',
        monthly: true,
        amount_fen: v.amount ?? 500000,
        from_period: v.from ?? '2026-04',
        status: v.status ?? 'decided',
        proposed_by: 'clerk',
        reviewed_by: 'reviewer',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return b.id;
  };
  for (let i = 0; i < 5; i++) paidIds.push(await benefit({ amount: 400000 + i }));
  await benefit({ payer: 'employer' });
  await benefit({ status: 'stopped' });
  await benefit({ from: '2026-06' });
  await benefit({ dead: '2026-04-15' });
});
after(async () => {
  fixToday(null);
  await tdb.close();
});

test('a crash inside chunk 3 leaves chunks 1–2; the rerun pays the rest once; a third run pays nothing', async () => {
  const db = tdb.ctx.db;
  await assert.rejects(
    runInjuryPayroll(db, actor, {
      period: '2026-05',
      region: '341800',
      chunkSize: 2,
      hooks: {
        insideChunk: (n) => {
          if (n === 3) throw new Error('simulated crash');
        },
      },
    }),
    /simulated crash/,
  );
  const mid = await injuryPayrollSummary(db, { period: '2026-05', region: '341800' });
  assert.equal(mid.status, 'running');
  assert.equal(mid.chunksDone, 2);
  const paidMid = await db.selectFrom('injury_payment').select('benefit_id').execute();
  assert.equal(paidMid.length, 4, 'chunks 1 and 2 cover 4 benefits, of which 4 payable');
  const done = await runInjuryPayroll(db, actor, { period: '2026-05', region: '341800', chunkSize: 2 });
  assert.equal(done.status, 'done');
  assert.equal(done.payments, 5);
  assert.equal(done.totalFen, 400000 * 5 + (0 + 1 + 2 + 3 + 4));
  const again = await runInjuryPayroll(db, actor, { period: '2026-05', region: '341800' });
  assert.equal(again.payments, 5);
  const rows = await db.selectFrom('injury_payment').select(['benefit_id', 'period']).execute();
  assert.deepEqual(
    rows.map((r) => r.benefit_id).sort((a, b) => a - b),
    paidIds,
  );
  const posted = await db
    .selectFrom('journal_entry as e')
    .innerJoin('journal_line as l', 'l.entry_id', 'e.id')
    .select((eb) => eb.fn.sum<number>('l.debit_fen').as('d'))
    .where('e.kind', '=', 'injury_payroll')
    .executeTakeFirstOrThrow();
  assert.equal(Number(posted.d), done.totalFen);
  assert.equal((await verifyLedger(db)).ok, true);
  const statuses = await db
    .selectFrom('injury_benefit')
    .select('status')
    .where('id', 'in', paidIds)
    .execute();
  assert.ok(statuses.every((s) => s.status === 'paid'));
});

test('a period later than next month is refused', async () => {
  await assert.rejects(
    runInjuryPayroll(tdb.ctx.db, actor, { period: '2026-08', region: '341800' }),
    /SB_ERR_OUT_OF_RANGE|下月/,
  );
});
