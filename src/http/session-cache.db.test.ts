// The session plugin's cache (src/http/session.plugin.ts): requests that miss while a token's lookup is
// in flight share it, and a write while it is in flight is honoured. Counted on the real database: the
// server runs on a connection that counts (and can hold) the session statements it sends.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CompiledQuery } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/connection.ts';
import { buildServer } from '../server.ts';
import { fixElapsed, fixNow } from '../core/clock.ts';
import { makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { SESSION_CACHE_MS } from './session.plugin.ts';

/** resolveSession's statement (src/auth/auth.service.ts). */
const isSessionLookup = (q: CompiledQuery): boolean => q.sql.includes('FROM user_session s JOIN app_user u');

/** Methods of `target` called on it, not on a proxy (Kysely's classes keep private fields). */
const bound = <T extends object>(target: T, prop: string | symbol): unknown => {
  const v: unknown = Reflect.get(target, prop, target);
  return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
};

describe('session cache: one lookup in flight per token', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let citizen: LoginResult;
  /** session statements sent */
  let lookups = 0;
  /** When set, the next session statement's answer waits (after it ran) until `release`. */
  let hold: { reached: () => void; release: Promise<void> } | null = null;
  /** When set, the next session statement's answer is this error instead. */
  let failNext: Error | null = null;
  /**
   * The database as the second server sees it: raw statements (the session lookup is one) go through
   * this executor, which counts the lookups and can fail one or hold its answer after it ran — with
   * the connection released, so other requests (the logout) use the database meanwhile.
   */
  const counted = (db: Db): Db => {
    const real = db.getExecutor();
    const executor = new Proxy(real, {
      get: (target, prop) =>
        prop === 'executeQuery'
          ? async (q: CompiledQuery, ...rest: unknown[]) => {
              if (!isSessionLookup(q)) return target.executeQuery(q, ...(rest as []));
              lookups += 1;
              const [h, e] = [hold, failNext];
              hold = null;
              failNext = null;
              if (e) throw e;
              const result = await target.executeQuery(q, ...(rest as []));
              if (h) {
                h.reached();
                await h.release;
              }
              return result;
            }
          : bound(target, prop),
    });
    return new Proxy(db, {
      get: (target, prop) => (prop === 'getExecutor' ? () => executor : bound(target, prop)),
    });
  };
  const me = () =>
    app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: citizen.cookieHeader } });
  // The cache's two clocks (elapsed time and "now") are held still and moved by the test: an entry's
  // age is what the test says, however long a loaded machine takes between two steps.
  let elapsed = 1_000_000;
  let wall = 0;
  const advance = (ms: number) => {
    elapsed += ms;
    fixElapsed(elapsed);
    fixNow(new Date(wall + elapsed));
  };
  const waitPastEntry = () => advance(SESSION_CACHE_MS + 50);

  before(async () => {
    t = await makeTestApp();
    // A second server on the same database, through the counting connection.
    app = await buildServer({ ...t.ctx, db: counted(t.ctx.db) });
    await app.ready();
    // Logged in through the first server: the session is in the database, not in this one's cache.
    citizen = await t.login('citizen');
    wall = Date.now() - elapsed;
    advance(0);
  });
  after(async () => {
    fixElapsed(null);
    fixNow(null);
    await app.close();
    await t.close();
  });

  test('twenty concurrent reads after the entry expired send one session statement', async () => {
    assert.equal((await me()).statusCode, 200);
    waitPastEntry();
    const before = lookups;
    const answers = await Promise.all(Array.from({ length: 20 }, () => me()));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      Array.from({ length: 20 }, () => 200),
    );
    assert.equal(lookups - before, 1);
    // And the answer is cached: one more read sends none.
    assert.equal((await me()).statusCode, 200);
    assert.equal(lookups - before, 1);
  });

  test("a read in the entry's last fifth is answered from it and renews it: the read after its time waits for no lookup", async () => {
    waitPastEntry();
    const before = lookups;
    assert.equal((await me()).statusCode, 200); // looked up: the entry's time starts
    assert.equal(lookups - before, 1);
    advance(SESSION_CACHE_MS * 0.85);
    assert.equal((await me()).statusCode, 200); // from the entry, with a lookup beside it
    assert.equal(lookups - before, 2);
    advance(SESSION_CACHE_MS * 0.25); // past the first entry's time, within the renewed one's
    assert.equal((await me()).statusCode, 200);
    assert.equal(lookups - before, 2);
  });

  test('a failed lookup fails the requests sharing it, and the next request looks up afresh', async () => {
    waitPastEntry();
    const before = lookups;
    failNext = new Error('connection lost (test)');
    const [a, b] = await Promise.all([me(), me()]);
    assert.equal(a.statusCode, 500);
    assert.equal(b.statusCode, 500);
    assert.equal(lookups - before, 1);
    const again = await me();
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(lookups - before, 2);
  });

  test('a logout while a lookup is in flight: no later request joins or reuses that lookup', async () => {
    waitPastEntry();
    const before = lookups;
    let reached!: () => void;
    const atDatabase = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    hold = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
    // Two reads before the logout: one lookup, answered (held) before the session is deleted.
    const early = Promise.all([me(), me()]);
    await atDatabase;
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: citizen.headers });
    assert.equal(out.statusCode, 200, out.body);
    // A read after the logout, while the old lookup is still held: its own lookup, which finds nothing.
    assert.equal((await me()).statusCode, 401);
    release();
    // The reads that began before the logout answer what their lookup found then.
    assert.deepEqual(
      (await early).map((r) => r.statusCode),
      [200, 200],
    );
    // That lookup's answer was not cached: the next read is refused.
    assert.equal((await me()).statusCode, 401);
    // The early pair's one lookup, the logout's own, and one each for the two reads after it.
    assert.equal(lookups - before, 4);
  });
});
