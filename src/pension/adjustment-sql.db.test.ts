// One figure, one formula: the adjustment's SQL components (componentSql, bigint arithmetic) equal the
// JS rule (computePensionAdjustment, decimal arithmetic) for every region and year encoded in
// params/pension/adjustment-rules.yaml, over a grid of pensions (with every band limit of the rule
// and the fen either side of it), contribution months 0–600 and birth years around every age band.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fen, yuanToFen } from '../core/money.ts';
import { Trace } from '../core/trace.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { componentSql } from './adjustment.job.ts';
import {
  ADJUSTMENT_RULES,
  componentTables,
  computePensionAdjustment,
  adjustmentRuleInForce,
} from './pension-adjustment.rules.ts';

/** Every yuan amount a rule compares a pension with (band limits, floors): the grid's edges. */
function pensionEdges(components: Array<Record<string, unknown>>): number[] {
  const out: number[] = [];
  for (const c of components) {
    if (c['kind'] === 'floor' && typeof c['amount'] === 'number') out.push(yuanToFen(c['amount']));
    if (c['kind'] === 'pensionBand' && Array.isArray(c['bands']))
      for (const b of c['bands'] as Array<Record<string, unknown>>)
        if (typeof b['below'] === 'number') out.push(yuanToFen(b['below']));
  }
  return out.flatMap((f) => [f - 1, f, f + 1]).filter((f) => f >= 0);
}

describe('adjustment: SQL components equal the JS rule', () => {
  let t: TestDb;
  before(async () => {
    t = await openTestDb();
  });
  after(async () => {
    await t.close();
  });

  test('every encoded region and year, 20,000+ pensioners each: same components, fen for fen', async () => {
    const def = t.ctx.params.definitions.get(ADJUSTMENT_RULES);
    assert.ok(def, 'the adjustment rules are loaded');
    const rules = [...def.regions].flatMap(([region, versions]) =>
      versions.map((v) => ({ region, year: Number(v.effectiveFrom.slice(0, 4)) })),
    );
    assert.ok(rules.length >= 5, `rules found: ${rules.length}`);
    for (const { region, year } of rules) {
      const comps = componentSql(t.ctx.params, region, year);
      const edges = pensionEdges(componentTables(adjustmentRuleInForce(t.ctx.params, region, year)));
      const rows: Array<{ before: number; months: number; birthYear: number }> = [];
      // every month count with a spread of pensions (0 to 19,999.99 yuan) and ages (40 to 109)
      for (let i = 0; i < 20_000; i++)
        rows.push({
          before: (i * 7919 + (i % 7) * 50) % 2_000_000,
          months: i % 601,
          birthYear: year - 1 - (40 + ((i * 13) % 70)),
        });
      for (const [k, before] of [0, 1, 49, 50, 99, 100, 101, ...edges].entries())
        rows.push({ before, months: (k * 37) % 601, birthYear: year - 1 - (60 + (k % 40)) });
      const cols = sql.join(
        comps.map((c, i) => sql`${c.expr} AS ${sql.ref(`c${i}`)}`),
        sql`, `,
      );
      const got = await sql<Record<string, unknown>>`
        SELECT ${cols} FROM (
          SELECT u.ord, u.before_fen, u.months, u.birth_year
          FROM unnest(${rows.map((r) => r.before)}::bigint[], ${rows.map((r) => r.months)}::int[],
            ${rows.map((r) => r.birthYear)}::int[]) WITH ORDINALITY AS u(before_fen, months, birth_year, ord)
        ) b ORDER BY b.ord`.execute(t.ctx.db);
      assert.equal(got.rows.length, rows.length);
      for (const [i, r] of rows.entries()) {
        const js = computePensionAdjustment(
          {
            region,
            year,
            monthlyPensionFen: fen(r.before),
            contributionMonths: r.months,
            birthDate: `${r.birthYear}-06-15`,
            retirementDate: `${year - 2}-06-15`,
          },
          t.ctx.params,
          new Trace(),
        );
        const row = got.rows[i] ?? {};
        assert.deepEqual(
          comps.map((c, k) => ({ kind: c.kind, amountFen: Number(row[`c${k}`]) })),
          js.components.map((c) => ({ kind: c.kind, amountFen: c.amountFen })),
          `${region} ${year}: ${r.before} fen, ${r.months} months, born ${r.birthYear}`,
        );
      }
    }
  });
});
