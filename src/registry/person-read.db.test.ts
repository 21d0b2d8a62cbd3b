// The person read every person page makes (findPerson) is a prepared statement on PostgreSQL that
// names its columns (src/db/connection.ts): it must answer exactly the row `SELECT *` answers, so a
// column added to person later is not silently left out; and on PostgreSQL it is prepared once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';
import { makePerson } from '../testing/factories.ts';
import { findPerson, searchPersons } from './person.repository.ts';

describe('person read', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp();
  });
  after(() => t.close());

  test('findPerson answers every column of person, as SELECT * does', async () => {
    const all = await t.ctx.db
      .selectFrom('person')
      .selectAll()
      .where('id', '=', t.personId)
      .executeTakeFirst();
    assert.ok(all);
    assert.deepEqual(await findPerson(t.ctx.db, t.personId), all);
    assert.equal(await findPerson(t.ctx.db, 999_999_999), undefined);
  });

  test('on PostgreSQL the read is a named prepared statement of its connection', async (s) => {
    if (t.ctx.dbKind !== 'postgresql') return s.skip('PGlite: the mark is only a comment');
    // In one transaction: the same connection runs the read and the look at its prepared statements.
    const names = await t.ctx.db.transaction().execute(async (tx) => {
      await findPerson(tx, t.personId);
      await findPerson(tx, t.personId);
      return (
        await sql<{
          name: string;
          statement: string;
        }>`SELECT name, statement FROM pg_prepared_statements`.execute(tx)
      ).rows;
    });
    const read = names.filter((n) => n.statement.includes('FROM person WHERE id = $1'));
    assert.equal(read.length, 1, JSON.stringify(names));
    assert.match(read[0]!.name, /^sb_/);
  });

  test('a search answers its page and the total of all matches in one statement; a page past the end still says the total', async () => {
    for (let i = 0; i < 5; i++) await makePerson(t.ctx.db, { name: `翁页${i}`, region: '341802' });
    const f = { regionPattern: '3418%', name: '翁页' };
    const first = await searchPersons(t.ctx.db, f, 2, 0);
    assert.deepEqual(
      first.rows.map((r) => r.name),
      ['翁页0', '翁页1'],
    );
    assert.equal(first.total, 5);
    assert.deepEqual(
      Object.keys(first.rows[0]!).sort(),
      Object.keys((await findPerson(t.ctx.db, t.personId))!).sort(),
    );
    const last = await searchPersons(t.ctx.db, f, 2, 4);
    assert.deepEqual([last.rows.length, last.total], [1, 5]);
    const past = await searchPersons(t.ctx.db, f, 2, 10);
    assert.deepEqual([past.rows.length, past.total], [0, 5]);
    const none = await searchPersons(t.ctx.db, { regionPattern: '3418%', name: '无此人名' }, 2, 0);
    assert.deepEqual([none.rows.length, none.total], [0, 0]);
  });
});
