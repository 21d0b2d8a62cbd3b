// A card terminal that proves itself (fortieth pass, docs/cards.md): the upload key a terminal gets at
// registration (shown once, stored hashed), a new key that stops the old one at once, retirement that
// clears it, the key uploading for its own terminal only, and the throttle on wrong keys. One app.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { systemActor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makePerson } from '../testing/factories.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { CardService } from './card.service.ts';

let t: TestApp;
let clerk: LoginResult;
let cardRef: string;
const KEY = /^sbt_[0-9a-f]{10}_[A-Za-z0-9_-]{43}$/;
const UPLOAD = '/api/v1/terminal-api/card-uses';

const post = (url: string, who: LoginResult, payload?: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: who.headers, ...(payload ? { payload } : {}) });
/** A terminal's own upload: its key in X-Terminal-Key, from `address`. */
const upload = (key: string, payload: Record<string, unknown>, address = '10.40.0.1') =>
  t.app.inject({
    method: 'POST',
    url: UPLOAD,
    headers: { 'x-terminal-key': key },
    remoteAddress: address,
    payload,
  });
const uses = (terminalId: string, seq: number) => ({
  terminalId,
  terminalKind: 'bus',
  region: TEST_REGION,
  records: [{ seq, cardRef, usedAt: `${today()}T08:00:00+08:00`, accepted: true }],
});
const errorOf = (r: { json<T>(): T }) => r.json<{ error: { code: string; field?: string } }>().error;
const register = async (terminalId: string) => {
  const r = await post('/api/v1/card-terminals', clerk, {
    terminalId,
    kind: 'bus',
    name: '宣城公交 测试闸机',
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json<{ key: string; keyPrefix: string; keyIssuedOn: string }>();
};
const stored = (terminalId: string) =>
  t.ctx.db
    .selectFrom('card_terminal')
    .select(['key_hash', 'key_prefix', 'key_issued_on'])
    .where('terminal_id', '=', terminalId)
    .executeTakeFirstOrThrow();
const auditOf = (terminalId: string) =>
  t.ctx.db
    .selectFrom('audit_log')
    .select(['action', 'actor_username', 'before', 'after'])
    .where('entity_type', '=', 'card_terminal')
    .where('entity_id', '=', terminalId)
    .orderBy('id')
    .execute();

before(async () => {
  t = await makeTestApp();
  clerk = await t.login('clerk');
  const sys = systemActor('test');
  const holder = await makePerson(t.ctx.db, { id_number: makeIdNumber('341802', '1960-02-02', 61) });
  const s = new CardService(t.ctx.db);
  const c = await s.apply(sys, holder.id);
  await s.advance(sys, c.id, 'produce');
  await s.advance(sys, c.id, 'issue');
  await s.activate(sys, c.id);
  cardRef = (
    await t.ctx.db.selectFrom('card').select('card_ref').where('id', '=', c.id).executeTakeFirstOrThrow()
  ).card_ref;
});
after(async () => t.close());

describe('a terminal’s upload key', () => {
  test('issued once at registration, kept only as its SHA-256 and prefix; the terminal uploads with it as itself, a clerk’s upload is marked manual (old code: no key, 404 route)', async () => {
    const r = await register('XC-KEY-1');
    assert.match(r.key, KEY);
    assert.equal(r.keyPrefix, r.key.slice(0, 14));
    assert.equal(r.keyIssuedOn, today());
    const row = await stored('XC-KEY-1');
    assert.equal(row.key_hash, createHash('sha256').update(r.key).digest('hex'));
    assert.equal(row.key_prefix, r.keyPrefix);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/card-terminals?pageSize=200',
      headers: clerk.headers,
    });
    assert.ok(
      list.body.includes(r.keyPrefix) && !list.body.includes(r.key),
      'the list names the prefix, never the key',
    );

    const sent = await upload(r.key, uses('XC-KEY-1', 1));
    assert.equal(sent.statusCode, 200, sent.body);
    assert.deepEqual(sent.json(), { received: 1, inserted: 1, duplicates: 0 });
    const manual = await post('/api/v1/card-uses', clerk, uses('XC-KEY-1', 2));
    assert.equal(manual.statusCode, 200, manual.body);
    const by = await t.ctx.db
      .selectFrom('card_use')
      .select(['seq', 'uploaded_by'])
      .where('terminal_id', '=', 'XC-KEY-1')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      by.map((u) => [Number(u.seq), u.uploaded_by]),
      [
        [1, 'terminal:XC-KEY-1'],
        [2, 'clerk'],
      ],
    );
    const audit = await auditOf('XC-KEY-1');
    const uploads = audit.filter((a) => a.action === 'card.use-upload');
    assert.deepEqual(
      uploads.map((a) => [a.actor_username, (a.after as { manual: boolean }).manual]),
      [
        ['terminal:XC-KEY-1', false],
        ['clerk', true],
      ],
    );
    assert.ok(!JSON.stringify(audit).includes(r.key), 'no audit entry holds the key');
  });

  test('a wrong key is 401 whether or not the terminal it names exists; a new key stops the old one at once (audited, prefixes only); retirement clears the key', async () => {
    const r = await register('XC-KEY-2');
    const forged = `sbt_${'0'.repeat(10)}_${'A'.repeat(43)}`;
    const named = await upload(forged, uses('XC-KEY-2', 1), '10.40.0.2');
    const nobody = await upload(forged, uses('XC-NOBODY-9', 1), '10.40.0.2');
    const garbage = await upload('not a key', uses('XC-KEY-2', 1), '10.40.0.2');
    const none = await t.app.inject({
      method: 'POST',
      url: UPLOAD,
      remoteAddress: '10.40.0.2',
      payload: uses('XC-KEY-2', 1),
    });
    for (const x of [named, nobody, garbage, none]) {
      assert.equal(x.statusCode, 401, x.body);
      assert.equal(x.body, named.body, 'one answer for every wrong key');
    }
    assert.equal(errorOf(named).code, 'SB_ERR_TERMINAL_KEY_INVALID');
    assert.ok(!named.body.includes('XC-KEY-2'));

    const renewed = await post('/api/v1/card-terminals/XC-KEY-2/key', clerk);
    assert.equal(renewed.statusCode, 201, renewed.body);
    const fresh = renewed.json<{ key: string; keyPrefix: string }>();
    assert.match(fresh.key, KEY);
    assert.notEqual(fresh.key, r.key);
    assert.equal((await upload(r.key, uses('XC-KEY-2', 1))).statusCode, 401, 'the old key stopped');
    assert.equal((await upload(fresh.key, uses('XC-KEY-2', 1))).statusCode, 200);
    const issue = (await auditOf('XC-KEY-2')).find((a) => a.action === 'card.terminal-key');
    assert.deepEqual(
      { before: issue?.before, after: issue?.after },
      {
        before: { keyPrefix: r.keyPrefix, keyIssuedOn: today() },
        after: {
          keyPrefix: fresh.keyPrefix,
          keyIssuedOn: today(),
          oldKey: 'stop-now',
          oldKeyPrefix: null,
          oldKeyValidUntil: null,
        },
      },
    );
    assert.ok(!JSON.stringify(issue).includes(fresh.key.slice(15)));

    assert.equal((await post('/api/v1/card-terminals/XC-KEY-2/retirement', clerk)).statusCode, 200);
    const gone = await upload(fresh.key, uses('XC-KEY-2', 2));
    assert.equal(gone.statusCode, 401, gone.body);
    assert.deepEqual(await stored('XC-KEY-2'), { key_hash: null, key_prefix: null, key_issued_on: null });
    assert.equal(
      (await post('/api/v1/card-terminals/XC-KEY-2/key', clerk)).statusCode,
      409,
      'a retired terminal gets no key',
    );
  });

  test('a key uploads for its own terminal only: another terminal’s id answers as an id never registered, and nothing is kept', async () => {
    const mine = await register('XC-KEY-3');
    await register('XC-KEY-4');
    const other = await upload(mine.key, uses('XC-KEY-4', 7));
    const unknown = await upload(mine.key, uses('XC-NOBODY-8', 7));
    assert.equal(other.statusCode, 404, other.body);
    assert.equal(other.body, unknown.body);
    assert.equal(errorOf(other).field, 'terminalId');
    const kept = await t.ctx.db
      .selectFrom('card_use')
      .select('seq')
      .where('terminal_id', '=', 'XC-KEY-4')
      .execute();
    assert.deepEqual(kept, []);
  });

  test('20 wrong keys from one address lock it out for a while, even with a good key; another address is not touched', async () => {
    const good = await register('XC-KEY-5');
    const forged = `sbt_${'1'.repeat(10)}_${'B'.repeat(43)}`;
    for (let i = 0; i < 20; i++)
      assert.equal((await upload(forged, uses('XC-KEY-5', 1), '10.40.0.9')).statusCode, 401);
    const locked = await upload(good.key, uses('XC-KEY-5', 1), '10.40.0.9');
    assert.equal(locked.statusCode, 429, locked.body);
    assert.equal(errorOf(locked).code, 'SB_ERR_TOO_MANY_ATTEMPTS');
    assert.equal((await upload(good.key, uses('XC-KEY-5', 1), '10.40.0.10')).statusCode, 200);
  });
});
