// The fund journal on a real database: idempotent postings, reversals, append-only, balance at commit,
// derived statements, and a property test over random sequences of postings and reversals.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import type { Fund } from '../db/database.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { fundStatements } from './fund-report.repository.ts';
import { ACCOUNTS, postEntry, reverseEntry, type Posting } from './journal.repository.ts';
import { verifyLedger } from './ledger-verify.repository.ts';

const actor = systemActor('test');

function contribution(
  key: string,
  amount: number,
  period = '2021-09',
  fund: Fund = 'employee_pension',
): Posting {
  return {
    fund,
    region: '341800',
    period,
    entryDate: `${period}-15`,
    kind: 'contribution.assessed',
    description: 'test',
    idempotencyKey: key,
    lines: [
      { account: ACCOUNTS.contributionsReceivable, debitFen: amount },
      { account: ACCOUNTS.contributionIncome, creditFen: amount },
    ],
  };
}

describe('fund journal', () => {
  let t: TestDb;
  before(async () => {
    t = await openTestDb();
  });
  after(() => t.close());

  test('the same idempotency key posts once', async () => {
    const a = await postEntry(t.ctx.db, actor, contribution('k1', 10_000));
    const b = await postEntry(t.ctx.db, actor, contribution('k1', 10_000));
    assert.equal(a.created, true);
    assert.equal(b.created, false);
    assert.equal(a.entryId, b.entryId);
    const n = await t.ctx.db
      .selectFrom('journal_line')
      .select(sql<number>`count(*)::bigint`.as('n'))
      .where('entry_id', '=', a.entryId)
      .executeTakeFirstOrThrow();
    assert.equal(n.n, 2);
  });

  test('an unbalanced posting is refused before the database', async () => {
    const p = contribution('k2', 100);
    p.lines[1] = { account: ACCOUNTS.contributionIncome, creditFen: 99 };
    await assert.rejects(postEntry(t.ctx.db, actor, p), /does not balance|借贷不平/);
  });

  test('the database itself refuses an unbalanced entry at commit', async () => {
    await assert.rejects(
      t.ctx.db.transaction().execute(async (tx) => {
        const e = await tx
          .insertInto('journal_entry')
          .values({
            fund: 'injury',
            region: '341800',
            period: '2021-09',
            entry_date: '2021-09-01',
            kind: 'x',
            description: 'x',
            idempotency_key: 'raw1',
            source_type: null,
            source_id: null,
            reverses_entry_id: null,
            created_by: 'x',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('journal_line')
          .values([
            { entry_id: e.id, line_no: 1, account_code: '1001', debit_fen: 5, credit_fen: 0 },
            { entry_id: e.id, line_no: 2, account_code: '4001', debit_fen: 0, credit_fen: 4 },
          ])
          .execute();
      }),
      /does not balance/,
    );
    const left = await t.ctx.db
      .selectFrom('journal_entry')
      .select('id')
      .where('idempotency_key', '=', 'raw1')
      .execute();
    assert.equal(left.length, 0);
  });

  test('entries cannot be updated or deleted', async () => {
    await assert.rejects(
      sql`UPDATE journal_line SET debit_fen = debit_fen + 1`.execute(t.ctx.db),
      /append-only/,
    );
    await assert.rejects(sql`DELETE FROM journal_entry`.execute(t.ctx.db), /append-only/);
  });

  test('a reversal mirrors the entry once and nets it to zero', async () => {
    const a = await postEntry(t.ctx.db, actor, contribution('k3', 12_345, '2021-10'));
    const r1 = await reverseEntry(t.ctx.db, actor, a.entryId, '2021-10-20', 'declared twice');
    const r2 = await reverseEntry(t.ctx.db, actor, a.entryId, '2021-10-20', 'declared twice');
    assert.equal(r1.created, true);
    assert.equal(r2.created, false);
    const [oct] = await fundStatements(t.ctx.db, {
      region: '341800',
      fromPeriod: '2021-10',
      throughPeriod: '2021-10',
    });
    assert.equal(oct?.incomeFen, 0);
  });

  test('statements: income, expenditure and balance', async () => {
    await postEntry(t.ctx.db, actor, {
      fund: 'employee_pension',
      region: '341800',
      period: '2021-09',
      entryDate: '2021-09-25',
      kind: 'pension.paid',
      description: 'payroll',
      idempotencyKey: 'pay-2021-09',
      lines: [
        { account: ACCOUNTS.benefitExpenditure, debitFen: 4_000 },
        { account: ACCOUNTS.bank, creditFen: 4_000 },
      ],
    });
    const [sep] = await fundStatements(t.ctx.db, {
      region: '341800',
      fromPeriod: '2021-09',
      throughPeriod: '2021-09',
    });
    assert.equal(sep?.incomeFen, 10_000);
    assert.equal(sep?.expenditureFen, 4_000);
    assert.equal(sep?.balanceFen, 6_000);
  });

  test('property: any sequence of postings and reversals leaves the ledger verified', async () => {
    const op = fc.oneof(
      fc.record({
        type: fc.constant('post' as const),
        amount: fc.integer({ min: 1, max: 10 ** 10 }),
        fund: fc.constantFrom<Fund>('employee_pension', 'unemployment', 'injury', 'resident_pension'),
        month: fc.integer({ min: 1, max: 12 }),
        key: fc.integer({ min: 0, max: 30 }),
      }),
      fc.record({ type: fc.constant('reverse' as const), pick: fc.nat() }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        run += 1;
        const posted: number[] = [];
        for (const o of ops) {
          if (o.type === 'post') {
            const period = `2022-${String(o.month).padStart(2, '0')}`;
            const r = await postEntry(
              t.ctx.db,
              actor,
              contribution(`prop-${run}-${o.key}`, o.amount, period, o.fund),
            );
            posted.push(r.entryId);
          } else if (posted.length > 0) {
            await reverseEntry(
              t.ctx.db,
              actor,
              posted[o.pick % posted.length]!,
              '2022-12-31',
              'property test',
            );
          }
        }
        const v = await verifyLedger(t.ctx.db);
        return v.ok && v.unbalancedEntries.length === 0;
      }),
      { numRuns: 25 },
    );
  });
});
