// Staff reads are queued and chained by the audit writer (issue 18): concurrent reads all end up in
// one verifiable chain, a crash between the queue and the chain loses nothing and doubles nothing,
// and tampering is still found.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { openDatabase } from '../db/connection.ts';
import { buildServer } from '../server.ts';
import { makeTestApp, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { PersonService } from '../registry/person.service.ts';
import { auditReads, auditWriter } from './audit-queue.ts';
import {
  appendAudit,
  chainQueuedAudit,
  lockAuditChain,
  chainQueuedBatch,
  drainAuditQueue,
  queueAudit,
  queueAuditMany,
  verifyAuditChain,
} from './audit.repository.ts';

describe('audit queue', () => {
  let t: TestApp;
  let clerk: LoginResult;
  const count = async (action: string, personId: number) =>
    Number(
      (
        await t.ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('action', '=', action)
          .where('subject_person_id', '=', personId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const queued = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom('audit_queue')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** The test clerk as the services see them. */
  const clerkActor = (): Actor => ({
    userId: clerk.user.id,
    username: 'clerk',
    role: 'clerk',
    personId: null,
    employerId: null,
    region: '341800',
  });

  before(async () => {
    t = await makeTestApp();
    clerk = await t.login('clerk');
  });
  after(() => t.close());

  test('an unhurried staff read is in the chain when its answer arrives', async () => {
    const before = await count('person.read', t.personId);
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId}`,
      headers: { cookie: clerk.cookieHeader },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(await count('person.read', t.personId), before + 1);
    assert.equal(await queued(), 0);
  });

  test('a clerk’s person read queues its entry before it answers: the entry says who, what and whom; a clerk of another region is refused and leaves none', async () => {
    const svc = new PersonService(t.ctx.db);
    const before = await count('person.read', t.personId);
    const read = await svc.get({ ...clerkActor(), requestId: 'req-clerk-read' }, t.personId);
    assert.equal(read.id, t.personId);
    // Durable in the queue when the answer leaves; chained by the writer, which a previous test may
    // still have busy (then its next batch takes it): drain before looking in the chain.
    await drainAuditQueue(t.ctx.db);
    const e = await t.ctx.db
      .selectFrom('audit_log')
      .select([
        'actor_username',
        'actor_role',
        'entity_type',
        'entity_id',
        'region',
        'subject_person_id',
        'request_id',
      ])
      .where('request_id', '=', 'req-clerk-read')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...e, region: e.region?.trim() },
      {
        actor_username: 'clerk',
        actor_role: 'clerk',
        entity_type: 'person',
        entity_id: String(t.personId),
        region: read.region,
        subject_person_id: t.personId,
        request_id: 'req-clerk-read',
      },
    );
    const elsewhere: Actor = { ...clerkActor(), region: '110000', requestId: 'req-elsewhere' };
    // another region's person answers as an unknown one (and nothing is audited for it)
    await assert.rejects(svc.get(elsewhere, t.personId), { code: 'SB_ERR_NOT_FOUND' });
    await assert.rejects(svc.get(clerkActor(), 987654321), { code: 'SB_ERR_NOT_FOUND' });
    await drainAuditQueue(t.ctx.db);
    assert.equal(await count('person.read', t.personId), before + 1);
    assert.equal(await queued(), 0);
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true, v.problem ?? '');
  });

  test('concurrent staff reads all end up in one verifiable chain, each once', async () => {
    const before = await count('person.read', t.personId);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        t.app.inject({
          method: 'GET',
          url: `/api/v1/persons/${t.personId}`,
          headers: { cookie: clerk.cookieHeader },
        }),
      ),
    );
    for (const a of answers) assert.equal(a.statusCode, 200, a.body);
    await drainAuditQueue(t.ctx.db);
    assert.equal(await count('person.read', t.personId), before + 40);
    assert.equal(await queued(), 0);
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true, v.problem ?? '');
    // Each entry keeps its own request id (the reads are not merged).
    const ids = await t.ctx.db
      .selectFrom('audit_log')
      .select('request_id')
      .where('action', '=', 'person.read')
      .orderBy('id', 'desc')
      .limit(40)
      .execute();
    assert.equal(new Set(ids.map((r) => r.request_id)).size, 40);
  });

  test('a clerk’s read whose audit entry cannot be written answers 500 and none of the person’s data, each of concurrent reads alike', async () => {
    const person = await t.ctx.db
      .selectFrom('person')
      .select(['name', 'id_number'])
      .where('id', '=', t.personId)
      .executeTakeFirstOrThrow();
    const before = await count('person.read', t.personId);
    // The database refuses every person.read entry, wherever it is written (queue or chain): a read
    // answered without its entry would answer 200 here.
    await sql`CREATE FUNCTION test_refuse_read() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'person.read' THEN RAISE EXCEPTION 'test: audit write refused'; END IF; RETURN NEW; END $$`.execute(
      t.ctx.db,
    );
    await sql`CREATE TRIGGER test_refuse_read BEFORE INSERT ON audit_queue FOR EACH ROW EXECUTE FUNCTION test_refuse_read()`.execute(
      t.ctx.db,
    );
    await sql`CREATE TRIGGER test_refuse_read BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_read()`.execute(
      t.ctx.db,
    );
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          t.app.inject({
            method: 'GET',
            url: `/api/v1/persons/${t.personId}`,
            headers: { cookie: clerk.cookieHeader },
          }),
        ),
      );
      for (const a of answers) {
        assert.equal(a.statusCode, 500, a.body);
        assert.ok(!a.body.includes(person.name) && !a.body.includes(person.id_number), a.body);
      }
    } finally {
      await sql`DROP TRIGGER test_refuse_read ON audit_queue`.execute(t.ctx.db);
      await sql`DROP TRIGGER test_refuse_read ON audit_log`.execute(t.ctx.db);
      await sql`DROP FUNCTION test_refuse_read()`.execute(t.ctx.db);
    }
    await drainAuditQueue(t.ctx.db);
    assert.equal(await count('person.read', t.personId), before);
    // Once the entry can be written again, the read answers and is chained once.
    const ok = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId}`,
      headers: { cookie: clerk.cookieHeader },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    await drainAuditQueue(t.ctx.db);
    assert.equal(await count('person.read', t.personId), before + 1);
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true, v.problem ?? '');
  });

  test('reads queued together each return once their own entry is durable; a bad entry fails only its read', async () => {
    const before = await count('record.read', t.personId);
    const entry = (region: string) => ({
      action: 'record.read' as const,
      entityType: 'person',
      entityId: t.personId,
      subjectPersonId: t.personId,
      region,
    });
    // Twelve reads at once share the queue's inserts (group commit); one carries a region the
    // column cannot hold, so the insert it is in fails and is retried read by read.
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        auditReads(t.ctx.db, { ...clerkActor(), requestId: `group-${i}` }, [
          entry(i === 5 ? 'far-too-long-region' : '341800'),
        ]),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      results.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')),
    );
    await drainAuditQueue(t.ctx.db);
    assert.equal(await count('record.read', t.personId), before + 11);
    const ids = await t.ctx.db
      .selectFrom('audit_log')
      .select('request_id')
      .where('request_id', 'like', 'group-%')
      .execute();
    assert.equal(ids.length, 11);
    assert.ok(!ids.some((r) => r.request_id === 'group-5'));
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true, v.problem ?? '');
  });

  test('a take from near the writer’s last id skips the deleted rows below it; an entry queued below it (its statement committed late) is chained by the writer’s next drain', async () => {
    await drainAuditQueue(t.ctx.db);
    const before = await count('person.read', t.personId);
    await sql`SELECT setval(pg_get_serial_sequence('audit_queue', 'id'), 10000000)`.execute(t.ctx.db);
    const entry = {
      action: 'person.read' as const,
      entityType: 'person',
      entityId: t.personId,
      subjectPersonId: t.personId,
      region: '341800',
    };
    await queueAudit(t.ctx.db, clerkActor(), [entry]);
    await auditWriter(t.ctx.db).kick(true);
    assert.equal(await queued(), 0);
    // A read whose queue id was drawn before the writer's last take but committed after it (the
    // server's tick held off, or it would chain the entry before the take below looks).
    await auditWriter(t.ctx.db).hold(async () => {
      await sql`INSERT INTO audit_queue (id, actor_user_id, actor_username, actor_role, action, entity_type,
          entity_id, region, subject_person_id)
        OVERRIDING SYSTEM VALUE VALUES (10, ${clerk.user.id}, 'clerk', 'clerk', 'person.read', 'person',
          ${String(t.personId)}, '341800', ${t.personId})`.execute(t.ctx.db);
      const skipped = await chainQueuedBatch(t.ctx.db, { known: true, above: 10000001 - 1000 });
      assert.equal(skipped.chained, 0);
      assert.equal(await queued(), 1);
    });
    await auditWriter(t.ctx.db).kick(true);
    assert.equal(await queued(), 0);
    assert.equal(await count('person.read', t.personId), before + 2);
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true, v.problem ?? '');
  });

  // ---- nineteenth pass: a batch straight into the chain when that costs no wait ----

  /** The queue's last drawn id: unchanged when a read's entry went straight into the chain. */
  const queueSeq = async () =>
    Number(
      (await sql<{ v: string }>`SELECT last_value AS v FROM audit_queue_id_seq`.execute(t.ctx.db)).rows[0]!.v,
    );
  const readEntry = (requestId: string) => ({
    actor: { ...clerkActor(), requestId },
    entry: {
      action: 'person.read' as const,
      entityType: 'person',
      entityId: t.personId,
      subjectPersonId: t.personId,
      region: '341800',
    },
  });
  const chainOrder = async (prefix: string) =>
    (
      await t.ctx.db
        .selectFrom('audit_log')
        .select('request_id')
        .where('request_id', 'like', `${prefix}%`)
        .orderBy('id')
        .execute()
    ).map((r) => r.request_id);

  test('with nothing queued and the lock free, concurrent reads go straight into the chain: in it when they answer, no queue row drawn, the chain verifies', async () => {
    await drainAuditQueue(t.ctx.db);
    const seq = await queueSeq();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const r = readEntry(`direct-${i}`);
        return auditReads(t.ctx.db, r.actor, [r.entry]);
      }),
    );
    assert.equal((await chainOrder('direct-')).length, 20);
    assert.equal(await queueSeq(), seq, 'nothing was queued');
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true, v.problem ?? '');
  });

  test('entries already queued go first: a read finding the queue not empty queues behind them, and the chain keeps the order', async () => {
    await drainAuditQueue(t.ctx.db);
    const a = readEntry('order-a');
    await queueAudit(t.ctx.db, a.actor, [a.entry]);
    const b = readEntry('order-b');
    await auditReads(t.ctx.db, b.actor, [b.entry]);
    await drainAuditQueue(t.ctx.db);
    assert.deepEqual(await chainOrder('order-'), ['order-a', 'order-b']);
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true, v.problem ?? '');
  });

  test('another writer moved the head (a use case’s entry): the next read finds the new head and still goes straight in after it', async () => {
    await drainAuditQueue(t.ctx.db);
    await t.ctx.db.transaction().execute((tx) =>
      appendAudit(tx, clerkActor(), {
        action: 'person.update',
        entityType: 'test',
        reason: 'head moved',
      }),
    );
    const seq = await queueSeq();
    const r = readEntry('after-moved-head');
    await auditReads(t.ctx.db, r.actor, [r.entry]);
    assert.equal(await queueSeq(), seq);
    const last = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'request_id'])
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    assert.deepEqual(
      last.map((x) => x.request_id ?? x.action),
      ['after-moved-head', 'person.update'],
    );
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true, v.problem ?? '');
  });

  test('reads on several database handles, with use cases appending beside them and the lock held a while, chain each entry once and the chain verifies (PostgreSQL: two handles and a held lock; PGlite: its one handle)', async () => {
    await drainAuditQueue(t.ctx.db);
    const other =
      t.ctx.dbKind === 'postgresql'
        ? await openDatabase({ databaseUrl: t.ctx.config.databaseUrl, dataDir: t.ctx.config.dataDir })
        : null;
    const dbs = other ? [t.ctx.db, other.db] : [t.ctx.db];
    try {
      if (other) {
        // A job's transaction holds the chain's lock: a read neither waits for it nor is lost.
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let locked!: () => void;
        const isLocked = new Promise<void>((r) => (locked = r));
        const job = other.db.transaction().execute(async (tx) => {
          await lockAuditChain(tx);
          locked();
          await held;
        });
        await isLocked;
        const r = readEntry('held-lock');
        const seq = await queueSeq();
        const reading = auditReads(t.ctx.db, r.actor, [r.entry]);
        // Its entry is queued while the lock is held: the direct append did not wait for it.
        for (let i = 0; (await queueSeq()) === seq; i += 1) {
          assert.ok(i < 250, 'the read’s entry was not queued while the lock was held');
          await new Promise((res) => setTimeout(res, 20));
        }
        release();
        await job;
        await reading;
      }
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          const db = dbs[i % dbs.length]!;
          if (i % 10 === 9)
            return db.transaction().execute((tx) =>
              appendAudit(tx, clerkActor(), {
                action: 'person.update',
                entityType: 'test',
                reason: `m-${i}`,
              }),
            );
          const r = readEntry(`multi-${i}`);
          return auditReads(db, r.actor, [r.entry]);
        }),
      );
      for (const db of dbs) await drainAuditQueue(db);
      assert.equal(await queued(), 0);
      assert.equal((await chainOrder('multi-')).length, 54);
      assert.equal(new Set(await chainOrder('multi-')).size, 54);
      if (other) assert.equal((await chainOrder('held-lock')).length, 1);
      const v = await verifyAuditChain(t.ctx.db);
      assert.equal(v.ok, true, v.problem ?? '');
    } finally {
      if (other) {
        await auditWriter(other.db).kick();
        await other.close();
      }
    }
  });

  test('a crash between queue and chain loses nothing: the next server chains the entries once', async () => {
    const actor: Actor = { ...clerkActor(), requestId: 'crash-test' };
    const before = await count('person.read', t.personId);
    // The server's tick held off: this process's writer stands for the one that died.
    await auditWriter(t.ctx.db).hold(async () => {
      // The request committed its queue rows, then the process died before the writer chained them.
      await queueAudit(t.ctx.db, actor, [
        {
          action: 'person.read',
          entityType: 'person',
          entityId: t.personId,
          subjectPersonId: t.personId,
          region: '341800',
        },
        {
          action: 'person.read',
          entityType: 'person',
          entityId: t.personId,
          subjectPersonId: t.personId,
          region: '341800',
        },
      ]);
      // A writer that dies after writing the chain but before deleting the queue rows rolls back whole.
      await assert.rejects(
        chainQueuedAudit(t.ctx.db, 500, {
          afterInsert: () => {
            throw new Error('crash');
          },
        }),
        /crash/,
      );
      assert.equal(await queued(), 2, 'the queue is durable');
      assert.equal(await count('person.read', t.personId), before);
    });
    // A new server on the same database chains what was left when it starts.
    const app2 = await buildServer(t.ctx);
    await app2.ready();
    try {
      assert.equal(await queued(), 0);
      assert.equal(await count('person.read', t.personId), before + 2);
      const v = await verifyAuditChain(t.ctx.db);
      assert.equal(v.ok, true, v.problem ?? '');
    } finally {
      await app2.close();
    }
  });

  test('the person sees a queued read in their access log, and verify drains the queue first', async () => {
    const citizen = await t.login('citizen');
    const actor = clerkActor();
    await queueAudit(t.ctx.db, actor, [
      {
        action: 'bill.read',
        entityType: 'person',
        entityId: t.personId,
        subjectPersonId: t.personId,
        region: '341800',
      },
    ]);
    const log = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${t.personId}/access-log?pageSize=5`,
      headers: { cookie: citizen.cookieHeader },
    });
    assert.equal(log.statusCode, 200, log.body);
    assert.equal(log.json<{ items: Array<{ action: string }> }>().items[0]?.action, 'bill.read');
    await queueAudit(t.ctx.db, actor, [
      { action: 'bill.read', entityType: 'person', subjectPersonId: t.personId },
    ]);
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true);
    assert.equal(await queued(), 0);
  });

  test('a batch of 203 entries is chained in queue order by inserts of 128, 64, 8, 2 and 1 rows', async () => {
    const reads = Array.from({ length: 203 }, (_, i) => ({
      actor: { ...clerkActor(), requestId: `req-size-${i}` },
      entries: [{ action: 'person.read' as const, entityType: 'person', subjectPersonId: t.personId }],
      at: new Date().toISOString(),
    }));
    await queueAuditMany(t.ctx.db, reads);
    await drainAuditQueue(t.ctx.db);
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select('request_id')
      .where('request_id', 'like', 'req-size-%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.request_id),
      reads.map((r) => r.actor.requestId),
    );
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, true, v.problem ?? '');
  });

  test('queued rows are never changed, and a chained read changed behind the log’s back is found', async () => {
    const actor = clerkActor();
    // The server's tick held off: chained before the update, the row would leave it nothing to refuse.
    await auditWriter(t.ctx.db).hold(async () => {
      await queueAudit(t.ctx.db, actor, [
        { action: 'person.read', entityType: 'person', subjectPersonId: t.personId },
      ]);
      await assert.rejects(
        sql`UPDATE audit_queue SET actor_username = 'x'`.execute(t.ctx.db),
        /never changed/,
      );
    });
    await drainAuditQueue(t.ctx.db);
    const victim = await t.ctx.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'person.read')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(t.ctx.db);
    await sql`UPDATE audit_log SET actor_username = 'someone-else' WHERE id = ${victim.id}`.execute(t.ctx.db);
    await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(t.ctx.db);
    const v = await verifyAuditChain(t.ctx.db);
    assert.equal(v.ok, false);
    assert.equal(v.firstBrokenId, victim.id);
  });
});
