// Migration 0530: the register of card terminals is filled from the uses already stored (each terminal the
// region, kind and day of its first upload, in Shanghai's calendar), every use then references a registered
// terminal, and a card's issue day is read from its history (the first move to issued, or a demo card's
// activation; none for a card never issued).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { down, up } from '../db/migrations/2026_12_07_0530_card_terminal.ts';
import * as keys from '../db/migrations/2026_12_07_1910_card_terminal_key.ts';
import * as overlap from '../db/migrations/2026_12_07_2150_machine_key_overlap.ts';
import { makePerson } from '../testing/factories.ts';
import { makeTestApp, TEST_REGION, type TestApp } from '../testing/test-app.ts';
import { CardService } from './card.service.ts';

const FAR = '340100';
let t: TestApp;
before(async () => {
  t = await makeTestApp();
});
after(async () => {
  await t.close();
});

test('up registers each terminal for the region of its first upload and dates each card’s issue; down reverses', async () => {
  const db = t.ctx.db as unknown as Kysely<unknown>;
  // the register as 0530 made it: migration 1910's key columns and 2150's kept old key come after
  await overlap.down(db);
  await keys.down(db);
  await down(db);
  const card = async (n: number, events: Array<[string, string, string]>) => {
    const p = await makePerson(t.ctx.db, { region: TEST_REGION });
    const r = await sql<{ id: number }>`
      INSERT INTO card (person_id, region, card_no, card_ref, chip_id, status, applied_via)
      VALUES (${p.id}, ${TEST_REGION}, ${`90000000${n}`}, ${String(n).repeat(32)}, ${String(n).repeat(32)},
              ${events.at(-1)![0]}, 'clerk') RETURNING id`.execute(db);
    const id = r.rows[0]!.id;
    for (const [to, kind, at] of events)
      await sql`INSERT INTO card_event (card_id, to_status, kind, actor, at)
        VALUES (${id}, ${to}, ${kind}, 'test', ${at}::timestamptz)`.execute(db);
    return Number(id);
  };
  // issued late in the evening of 1 March (UTC): 2 March in Shanghai; reissued cards keep the first day
  const issued = await card(1, [
    ['applied', 'apply', '2026-02-20T02:00:00Z'],
    ['produced', 'produce', '2026-02-25T02:00:00Z'],
    ['issued', 'issue', '2026-03-01T20:00:00Z'],
    ['activated', 'activate', '2026-03-05T02:00:00Z'],
  ]);
  const demo = await card(2, [['activated', 'demo-issue', '2026-04-01T02:00:00Z']]);
  const applied = await card(3, [['applied', 'apply', '2026-04-01T02:00:00Z']]);
  const use = (terminal: string, seq: number, region: string, at: string) =>
    sql`INSERT INTO card_use (terminal_id, seq, terminal_kind, region, card_ref, used_at, accepted, uploaded_by, uploaded_at)
      VALUES (${terminal}, ${seq}, 'bus', ${region}, ${'1'.repeat(32)}, '2026-03-06T01:00:00Z', true, 'test', ${at}::timestamptz)`.execute(
      db,
    );
  // T-1 was Xuancheng's first; Hefei's clerk uploaded under it later (before wave 12 refused that)
  await use('T-1', 2, FAR, '2026-03-07T03:00:00Z');
  await use('T-1', 1, TEST_REGION, '2026-03-06T20:00:00Z');
  await use('T-2', 1, FAR, '2026-03-08T03:00:00Z');
  await up(db);
  await keys.up(db);
  await overlap.up(db);

  const terminals = await sql`SELECT terminal_id, kind, name, region, registered_on, retired_on, registered_by
    FROM card_terminal ORDER BY terminal_id`.execute(db);
  assert.deepEqual(terminals.rows, [
    {
      terminal_id: 'T-1',
      kind: 'bus',
      name: 'T-1',
      region: TEST_REGION,
      registered_on: '2026-03-07',
      retired_on: null,
      registered_by: 'migration 0530',
    },
    {
      terminal_id: 'T-2',
      kind: 'bus',
      name: 'T-2',
      region: FAR,
      registered_on: '2026-03-08',
      retired_on: null,
      registered_by: 'migration 0530',
    },
  ]);
  const days = await sql<{ id: number; issued_on: string | null }>`
    SELECT id, issued_on FROM card WHERE id = ANY(${[issued, demo, applied]}::bigint[]) ORDER BY id`.execute(
    db,
  );
  assert.deepEqual(
    days.rows.map((r) => r.issued_on),
    ['2026-03-02', '2026-04-01', null],
  );
  await assert.rejects(
    use('T-3', 1, TEST_REGION, '2026-03-09T03:00:00Z'),
    'a use names a registered terminal',
  );
  // T-1's stored use is of the day before its registration (its first upload's day): sent again, it is
  // still a duplicate, not a use before the terminal existed (card39's rule spares the migration's terminals)
  const resent = await new CardService(t.ctx.db).uploadUses(systemActor('test'), {
    terminalId: 'T-1',
    region: TEST_REGION,
    records: [{ seq: 1, cardRef: '1'.repeat(32), usedAt: '2026-03-06T01:00:00Z', accepted: true }],
  });
  assert.deepEqual(resent, { received: 1, inserted: 0, duplicates: 1 });

  await overlap.down(db);
  await keys.down(db);
  await down(db);
  const gone = await sql`SELECT to_regclass('card_terminal') AS t`.execute(db);
  assert.deepEqual(gone.rows, [{ t: null }]);
  await up(db);
  await keys.up(db);
  await overlap.up(db);
});
