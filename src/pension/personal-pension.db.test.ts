// Personal pension (个人养老金) on a real database: eligibility, the 12,000-yuan yearly cap (also under
// concurrent payments and against a direct write), idempotent payments, withdrawal reasons and the 3% tax.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makePerson as insertPerson } from '../testing/factories.ts';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { projectParams } from '../core/params-loader.ts';
import type { Db } from '../db/connection.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { computeWithdrawalTax } from './personal-pension.rules.ts';
import { PersonalPensionService } from './personal-pension.service.ts';

const REGION = '341800';
const clerk: Actor = {
  userId: null,
  username: 'clerk-pp',
  role: 'clerk',
  personId: null,
  employerId: null,
  region: REGION,
};
const citizenOf = (personId: number): Actor => ({
  userId: null,
  username: `citizen-${personId}`,
  role: 'citizen',
  personId,
  employerId: null,
  region: null,
});

let seq = 200;
async function makePerson(db: Db, opts: { enrolled: boolean; pensioner?: boolean }): Promise<number> {
  seq += 2;
  const birth = '1962-04-04';
  const p = await insertPerson(db, {
    id_number: makeIdNumber('341802', birth, seq),
    name: `参保${seq}`,
    sex: 'F',
    birth_date: birth,
    hukou_region: '341802',
    region: REGION,
  });
  if (opts.enrolled) {
    await db
      .insertInto('enrolment')
      .values({
        person_id: p.id,
        scheme: 'employee_pension',
        kind: 'flexible',
        region: REGION,
        employer_id: null,
        start_date: '2015-01-01',
        end_date: null,
        status: 'active',
        end_reason: null,
      })
      .execute();
  }
  if (opts.pensioner) {
    await sql`INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
      VALUES (${p.id}, 'employee_pension', ${REGION}, 'import', '2022-04-04', '2022-05', 300, 280000, 'test')`.execute(
      db,
    );
  }
  return p.id;
}

describe('personal pension', () => {
  let tdb: TestDb;
  let db: Db;
  let svc: PersonalPensionService;
  before(async () => {
    tdb = await openTestDb();
    db = tdb.ctx.db;
    svc = new PersonalPensionService(db, projectParams());
    fixToday('2026-11-28');
  });
  after(async () => {
    fixToday(null);
    await tdb.close();
  });

  test('an account is only for people covered by a basic pension scheme, and only once', async () => {
    const outsider = await makePerson(db, { enrolled: false });
    await assert.rejects(svc.open(citizenOf(outsider), outsider, {}), { code: 'SB_ERR_NOT_ELIGIBLE' });
    const member = await makePerson(db, { enrolled: true });
    const s = await svc.open(citizenOf(member), member, { bankName: '中国银行' });
    assert.deepEqual([s.account.openedOn, s.balanceFen], ['2026-11-28', 0]);
    await assert.rejects(svc.open(clerk, member, {}), { code: 'SB_ERR_DUPLICATE' });
    // another person's id answers as an unknown one
    await assert.rejects(svc.open(citizenOf(member), outsider, {}), { code: 'SB_ERR_NOT_FOUND' });
  });

  test('without an account the summary is 404 by default and null when asked ifOpened; another person answers as an unknown id', async () => {
    const member = await makePerson(db, { enrolled: true });
    await assert.rejects(svc.summary(citizenOf(member), member), { code: 'SB_ERR_NOT_FOUND' });
    assert.equal(await svc.summaryIfOpened(citizenOf(member), member), null);
    const other = await makePerson(db, { enrolled: true });
    await assert.rejects(svc.summaryIfOpened(citizenOf(member), other), { code: 'SB_ERR_NOT_FOUND' });
    await svc.open(citizenOf(member), member, {});
    assert.equal((await svc.summaryIfOpened(citizenOf(member), member))?.balanceFen, 0);
  });

  test('no account before the region\u2019s start date (2024-12-15 nationally)', async () => {
    const member = await makePerson(db, { enrolled: true });
    fixToday('2024-12-14');
    try {
      await assert.rejects(svc.open(citizenOf(member), member, {}), { code: 'SB_ERR_NOT_ELIGIBLE' });
    } finally {
      fixToday('2026-11-28');
    }
  });

  test('cap: 8,000 + 5,000 yuan in one year is refused (13,000 > 12,000); 4,000 more fits exactly; then not one fen more', async () => {
    const p = await makePerson(db, { enrolled: true });
    await svc.open(clerk, p, {});
    const a = await svc.contribute(citizenOf(p), p, {
      amountFen: 800_000,
      idempotencyKey: `contrib-${p}-a`,
    });
    assert.deepEqual([a.yearContributedFen, a.yearCapFen], [800_000, 1_200_000]);
    await assert.rejects(
      svc.contribute(citizenOf(p), p, {
        amountFen: 500_000,
        idempotencyKey: `contrib-${p}-b`,
      }),
      { code: 'SB_ERR_CAP_EXCEEDED' },
    );
    const c = await svc.contribute(citizenOf(p), p, {
      amountFen: 400_000,
      idempotencyKey: `contrib-${p}-c`,
    });
    assert.equal(c.yearContributedFen, 1_200_000);
    await assert.rejects(
      svc.contribute(citizenOf(p), p, { amountFen: 1, idempotencyKey: `contrib-${p}-d` }),
      { code: 'SB_ERR_CAP_EXCEEDED' },
    );
    // The same key again pays nothing twice.
    const replay = await svc.contribute(citizenOf(p), p, {
      amountFen: 400_000,
      idempotencyKey: `contrib-${p}-c`,
    });
    assert.equal(replay.replayed, true);
    await assert.rejects(
      svc.contribute(citizenOf(p), p, { amountFen: 300_000, idempotencyKey: `contrib-${p}-c` }),
      { code: 'SB_ERR_CONFLICT' },
    );
    const s = await svc.summary(clerk, p);
    assert.equal(s.balanceFen, 1_200_000);
    assert.deepEqual(
      s.years.map((y) => [y.year, y.contributedFen, y.remainingFen]),
      [[2026, 1_200_000, 0]],
    );
  });

  test('cap under concurrency: two payments of 7,000 yuan at once into 2025 — exactly one is accepted', async () => {
    const p = await makePerson(db, { enrolled: true });
    // the account opened in 2025: a citizen's payment is of its day, staff may record an earlier one
    fixToday('2025-05-02');
    let results: PromiseSettledResult<unknown>[];
    try {
      await svc.open(clerk, p, {});
      results = await Promise.allSettled([
        svc.contribute(citizenOf(p), p, { amountFen: 700_000, idempotencyKey: `contrib-${p}-x1` }),
        svc.contribute(clerk, p, {
          amountFen: 700_000,
          paidOn: '2025-05-02',
          idempotencyKey: `contrib-${p}-x2`,
        }),
      ]);
    } finally {
      fixToday('2026-11-28');
    }
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const refused = results.find((r) => r.status === 'rejected');
    assert.equal(((refused as PromiseRejectedResult).reason as { code: string }).code, 'SB_ERR_CAP_EXCEEDED');
    const s = await svc.summary(clerk, p);
    assert.deepEqual(
      s.years.map((y) => [y.year, y.contributedFen]),
      [[2025, 700_000]],
    );
    assert.equal(s.contributions.length, 1);
  });

  test('the database refuses a total above the cap even when code bypasses the service', async () => {
    const acc = await db
      .selectFrom('personal_pension_account')
      .select('id')
      .limit(1)
      .executeTakeFirstOrThrow();
    await assert.rejects(
      sql`INSERT INTO personal_pension_year (account_id, year, cap_fen, contributed_fen) VALUES (${acc.id}, 2024, 1200000, 1200001)`.execute(
        db,
      ),
      (e: unknown) => (e as { code?: string }).code === '23514',
    );
  });

  test('tax: withdrawal × 3%, half up to the fen — 10,000.50 yuan → tax 300.02 (300.015), paid out 9,700.48', () => {
    const t = computeWithdrawalTax(projectParams(), {
      region: REGION,
      withdrawnOn: '2026-11-28',
      grossFen: 1_000_050,
    });
    assert.deepEqual([t.taxRatePercent, t.taxFen, t.netFen], [3, 30_002, 970_048]);
  });

  test('withdrawal: only for a lawful reason; retirement online only for someone drawing a basic pension; others at the agency with evidence', async () => {
    const worker = await makePerson(db, { enrolled: true });
    await svc.open(clerk, worker, {});
    await svc.contribute(clerk, worker, {
      amountFen: 600_000,
      idempotencyKey: `contrib-${worker}-1`,
    });
    await assert.rejects(
      svc.withdraw(citizenOf(worker), worker, {
        amountFen: 100_000,
        reason: 'retirement',
        idempotencyKey: `withdraw-${worker}-1`,
      }),
      { code: 'SB_ERR_NOT_ELIGIBLE' },
    );
    await assert.rejects(
      svc.withdraw(citizenOf(worker), worker, {
        amountFen: 100_000,
        reason: 'holiday',
        idempotencyKey: `withdraw-${worker}-2`,
      }),
      { code: 'SB_ERR_NOT_ELIGIBLE' },
    );
    await assert.rejects(
      svc.withdraw(citizenOf(worker), worker, {
        amountFen: 100_000,
        reason: 'emigration',
        idempotencyKey: `withdraw-${worker}-3`,
      }),
      { code: 'SB_ERR_FORBIDDEN' },
    );
    await assert.rejects(
      svc.withdraw(clerk, worker, {
        amountFen: 100_000,
        reason: 'emigration',
        idempotencyKey: `withdraw-${worker}-4`,
      }),
      { code: 'SB_ERR_REQUIRED' },
    );
    const em = await svc.withdraw(clerk, worker, {
      amountFen: 100_000,
      reason: 'emigration',
      evidence: '定居证明 2026-11-01',
      idempotencyKey: `withdraw-${worker}-5`,
    });
    assert.deepEqual([em.taxFen, em.netFen, em.balanceAfterFen], [3_000, 97_000, 500_000]);

    const retiree = await makePerson(db, { enrolled: false, pensioner: true });
    await svc.open(citizenOf(retiree), retiree, {});
    await svc.contribute(citizenOf(retiree), retiree, {
      amountFen: 1_000_050,
      idempotencyKey: `contrib-${retiree}-1`,
    });
    await assert.rejects(
      svc.withdraw(citizenOf(retiree), retiree, {
        amountFen: 1_000_051,
        reason: 'retirement',
        idempotencyKey: `withdraw-${retiree}-0`,
      }),
      { code: 'SB_ERR_INSUFFICIENT_BALANCE' },
    );
    const w = await svc.withdraw(citizenOf(retiree), retiree, {
      amountFen: 1_000_050,
      reason: 'retirement',
      idempotencyKey: `withdraw-${retiree}-1`,
    });
    assert.deepEqual([w.grossFen, w.taxFen, w.netFen, w.balanceAfterFen], [1_000_050, 30_002, 970_048, 0]);
    const again = await svc.withdraw(citizenOf(retiree), retiree, {
      amountFen: 1_000_050,
      reason: 'retirement',
      idempotencyKey: `withdraw-${retiree}-1`,
    });
    assert.equal(again.replayed, true);
    const s = await svc.summary(citizenOf(retiree), retiree);
    assert.deepEqual([s.balanceFen, s.taxPaidFen, s.withdrawals.length], [0, 30_002, 1]);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_person_id', '=', retiree)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((x) => x.action),
      ['personal-pension.open', 'personal-pension.contribute', 'personal-pension.withdraw'],
    );
  });
});
