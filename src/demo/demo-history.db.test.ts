// The demo's contribution history as a clerk reads one bill of it: issued by the monthly assessment
// batch on the period's first day, audited as a real run is, the audit chain intact.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyAuditChain } from '../audit/audit.repository.ts';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { BillService } from '../contributions/bill.service.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { seedDemoCity } from './demo-city.ts';
import { CITY_CODE } from './demo-data.ts';
import { generateDemoHistory } from './demo-history.job.ts';

const AS_OF = '2026-11-20';
let t: TestDb;

before(async () => {
  fixToday(AS_OF);
  t = await openTestDb();
  await seedDemoCity(t.ctx.db, { seed: 20211231, persons: 300, employers: 12, asOf: AS_OF });
  await generateDemoHistory(t.ctx.db, t.ctx.params, { region: CITY_CODE, asOf: AS_OF });
});
after(async () => {
  fixToday(null);
  await t.close();
});

test('a demo employer’s and a flexible worker’s bill were issued by the batch on their period’s first day, audited as assessment.run', async () => {
  const bills = await t.ctx.db
    .selectFrom('contribution_bill')
    .select(['id', 'period', 'payer_kind'])
    .where('period', '=', '2026-03')
    .where('payer_kind', 'in', ['employer', 'flexible'])
    .orderBy('id')
    .execute();
  const kinds = new Set(bills.map((b) => b.payer_kind));
  assert.deepEqual([...kinds].sort(), ['employer', 'flexible']);
  const service = new BillService(t.ctx.db, t.ctx.params);
  for (const kind of kinds) {
    const bill = bills.find((b) => b.payer_kind === kind)!;
    const h = await service.getBillHistory(systemActor('test'), Number(bill.id));
    const issued = h.events.find((e) => e.action === 'assessment.run');
    assert.ok(issued, JSON.stringify(h.events));
    assert.equal(issued.actorUsername, 'batch');
    assert.equal(issued.actorRole, 'system');
    // 09:00 in Shanghai on 2026-03-01
    assert.equal(new Date(issued.at).toISOString(), '2026-03-01T01:00:00.000Z');
  }
  const runs = await t.ctx.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'assessment.run')
    .where('actor_username', '=', 'batch')
    .executeTakeFirstOrThrow();
  const assessments = await t.ctx.db
    .selectFrom('contribution_assessment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(runs.n), Number(assessments.n));
  const chain = await verifyAuditChain(t.ctx.db);
  assert.ok(chain.ok, JSON.stringify(chain));
});
