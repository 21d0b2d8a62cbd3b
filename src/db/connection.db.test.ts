// COPY … FROM STDIN through either driver (copyFromStdin): inside a transaction, and its error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { copyFromStdin } from './connection.ts';
import { isUniqueViolation } from './values.ts';

let t: TestDb;
before(async () => {
  t = await openTestDb();
  await sql`CREATE TABLE copy_probe (id int PRIMARY KEY, name text NOT NULL, on_day date)`.execute(t.ctx.db);
});
after(() => t.close());

const rowsOf = async () =>
  (
    await sql<{ id: number; name: string; on_day: string | null }>`
      SELECT id, name, on_day FROM copy_probe ORDER BY id`.execute(t.ctx.db)
  ).rows;

test('copyFromStdin writes its rows in the transaction it is given; a failed COPY rolls the transaction back', async () => {
  await t.ctx.db.transaction().execute(async (tx) => {
    await copyFromStdin(
      tx,
      'copy_probe',
      ['id', 'name', 'on_day'],
      Buffer.from('1\t张三\t2026-12-03\n2\tLi\t\\N\n'),
    );
    const seen = await sql<{ n: number }>`SELECT count(*)::int AS n FROM copy_probe`.execute(tx);
    assert.equal(seen.rows[0]?.n, 2, 'the transaction reads its own COPY');
  });
  assert.deepEqual(await rowsOf(), [
    { id: 1, name: '张三', on_day: '2026-12-03' },
    { id: 2, name: 'Li', on_day: null },
  ]);

  // A duplicate key: the server's error reaches the caller, nothing of the transaction stays, and the
  // connection serves the next statement.
  await assert.rejects(
    t.ctx.db.transaction().execute(async (tx) => {
      await copyFromStdin(tx, 'copy_probe', ['id', 'name'], Buffer.from('3\tWang\n'));
      await copyFromStdin(tx, 'copy_probe', ['id', 'name'], Buffer.from('1\tZhao\n'));
    }),
    (e: unknown) => isUniqueViolation(e),
  );
  assert.deepEqual(
    (await rowsOf()).map((r) => r.id),
    [1, 2],
  );
});
