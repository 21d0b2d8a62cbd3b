// SQL helpers on the real database: the months between two YYYY-MM periods.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { int, monthsFromTo } from './values.ts';

let t: TestDb;
before(async () => {
  t = await openTestDb();
});
after(() => t.close());

test('months from a to b: 0 within a month, 1 across a year end, 12 a year on, negative backwards', async () => {
  const cases: [string, string, number][] = [
    ['2024-05', '2024-05', 0],
    ['2024-12', '2025-01', 1],
    ['2023-11', '2025-02', 15],
    ['2024-01', '2025-01', 12],
    ['2025-01', '2024-12', -1],
  ];
  for (const [a, b, months] of cases) {
    const r = await sql<{
      n: unknown;
    }>`SELECT ${monthsFromTo(sql`${a}::text`, sql`${b}::text`)} AS n`.execute(t.ctx.db);
    assert.equal(int(r.rows[0]?.n), months, `${a} → ${b}`);
  }
});
