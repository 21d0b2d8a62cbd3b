// Migration 1582: the notes of transfers, their steps and 跨省通办 requests become `{ zh, en }` data;
// a string of the former shape "中文 / English" is split into its halves, any other kept as text, and
// the down writes each back as the one string it was.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { down, up } from '../db/migrations/2026_12_04_1582_fed_note_bilingual.ts';
import { makeTestApp, type TestApp } from '../testing/test-app.ts';

let t: TestApp;
before(async () => {
  t = await makeTestApp();
});
after(async () => {
  await t.close();
});

test('up splits the notes of the former shape and keeps the others as typed; down writes them back', async () => {
  const db = t.ctx.db as unknown as Kysely<unknown>;
  await down(db);
  const notes = [
    '全国参保人员索引中没有此人在 340000 的参保记录 / the national index shows no segment of this person in 340000',
    '企业职工基本养老保险 24 个月',
    'refused by the other side / see letter',
    null,
  ];
  for (const [i, note] of notes.entries())
    await sql`INSERT INTO fed_transfer (ref, direction, id_hash, from_province, to_province, status, applied_by, note)
      VALUES (${`m1582-${i}`}, 'in', ${'0'.repeat(64)}, '340000', '310000', 'refused', 'test', ${note})`.execute(
      db,
    );
  await up(db);
  const rows = await sql<{ note: unknown }>`
    SELECT note FROM fed_transfer WHERE ref LIKE 'm1582-%' ORDER BY ref`.execute(db);
  assert.deepEqual(
    rows.rows.map((r) => r.note),
    [
      {
        zh: '全国参保人员索引中没有此人在 340000 的参保记录',
        en: 'the national index shows no segment of this person in 340000',
      },
      { text: '企业职工基本养老保险 24 个月' },
      { text: 'refused by the other side / see letter' },
      null,
    ],
  );
  await down(db);
  const back = await sql<{ note: string | null }>`
    SELECT note FROM fed_transfer WHERE ref LIKE 'm1582-%' ORDER BY ref`.execute(db);
  assert.deepEqual(
    back.rows.map((r) => r.note),
    notes,
  );
  await up(db);
});
