// Eligibility certification end to end on a real database: each channel (self-service face check with
// its refusals, home visit, data comparison), the deadline sweep (suspension with notices, idempotent
// and resumable) and restoration with back pay queued in pension_arrears; a death import records the
// death and publishes person.died; a file with a bad line writes nothing.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { makePerson } from '../testing/factories.ts';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { addDays } from '../core/dates.ts';
import { makeIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import { DeathService } from '../pension/death.service.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { CampaignService } from './campaign.service.ts';
import { DataImportService } from './data-import.service.ts';
import { linesOf } from './import-lines.ts';
import { HomeVisitService } from './home-visit.service.ts';
import { noticesOfPerson } from './certification.repository.ts';
import { SIMULATOR_VENDOR, simulateResult } from './liveness-simulator.ts';
import { encodeToken, subjectOf, type LivenessPayload } from './liveness.provider.ts';

const clerk: Actor = {
  userId: null,
  username: 'clerk-test',
  role: 'clerk',
  personId: null,
  employerId: null,
  region: TEST_REGION,
};

interface Pensioner {
  personId: number;
  awardId: number;
  idNumber: string;
}

let seq = 100;
async function makePensioner(db: Db, birthDate: string, monthlyFen = 300_000): Promise<Pensioner> {
  seq += 2;
  const idNumber = makeIdNumber('341802', birthDate, seq);
  const p = await makePerson(db, {
    id_number: idNumber,
    name: `退休${seq}`,
    sex: 'F',
    birth_date: birthDate,
    hukou_region: '341802',
    region: TEST_REGION,
  });
  const a = await sql<{ id: number }>`
    INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
    VALUES (${p.id}, 'employee_pension', ${TEST_REGION}, 'import', '2020-06-15', '2020-07', 360, ${monthlyFen}, 'test') RETURNING id`.execute(
    db,
  );
  const awardId = a.rows[0]!.id;
  await sql`INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, created_by) VALUES (${awardId}, '2020-07', ${monthlyFen}, 'initial', 'test')`.execute(
    db,
  );
  return { personId: p.id, awardId, idNumber };
}

class RollBack extends Error {}

const awardOf = async (db: Db, awardId: number) =>
  (
    await sql<{
      status: string;
      suspended_from_period: string | null;
    }>`SELECT status, suspended_from_period FROM pension_award WHERE id = ${awardId}`.execute(db)
  ).rows[0]!;

describe('certification', () => {
  let t: TestApp;
  let db: Db;
  let citizen: LoginResult;
  let clerkLogin: LoginResult;
  let me: Pensioner;
  let campaignId: number;
  const people: Record<string, Pensioner> = {};

  before(async () => {
    // The vendor simulator exists only on a database seeded as a demo.
    t = await makeTestApp({ demo: true });
    db = t.ctx.db;
    fixToday('2026-11-20');
    // The test app's citizen becomes a pensioner.
    const id = (
      await db.selectFrom('person').select('id_number').where('id', '=', t.personId).executeTakeFirstOrThrow()
    ).id_number;
    const a = await sql<{ id: number }>`
      INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
      VALUES (${t.personId}, 'employee_pension', ${TEST_REGION}, 'import', '2020-06-15', '2020-07', 360, 250000, 'test') RETURNING id`.execute(
      db,
    );
    await sql`INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, created_by) VALUES (${a.rows[0]!.id}, '2020-07', 250000, 'initial', 'test')`.execute(
      db,
    );
    me = { personId: t.personId, awardId: a.rows[0]!.id, idNumber: id };
    for (const [k, birth] of [
      ['visited', '1924-03-01'],
      ['traveller', '1950-05-05'],
      ['dead', '1940-02-02'],
      ['silent', '1945-07-07'],
      ['late', '1948-08-08'],
      ['other', '1952-09-09'],
    ] as const) {
      people[k] = await makePensioner(db, birth);
    }
    citizen = await t.login('citizen');
    clerkLogin = await t.login('clerk');
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/certification/campaigns',
      headers: clerkLogin.headers,
      payload: { region: TEST_REGION, year: 2026 },
    });
    assert.equal(c.statusCode, 201, c.body);
    const body = c.json<{ id: number; windowStart: string; deadline: string; suspendFromPeriod: string }>();
    assert.deepEqual(
      [body.windowStart, body.deadline, body.suspendFromPeriod],
      ['2026-01-01', '2026-12-31', '2027-01'],
    );
    campaignId = body.id;
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  const challenge = async (): Promise<string> => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${me.personId}/certification/challenge`,
      headers: citizen.headers,
    });
    assert.equal(r.statusCode, 201, r.body);
    return r.json<{ nonce: string }>().nonce;
  };
  const submit = (result: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${me.personId}/certification/self`,
      headers: citizen.headers,
      payload: { result },
    });
  const refusal = (r: { statusCode: number; json: <T>() => T }, reason: string): void => {
    assert.equal(r.statusCode, 422);
    const e = r.json<{ error: { code: string; message: string } }>().error;
    assert.equal(e.code, 'SB_ERR_LIVENESS_REJECTED');
    assert.match(e.message, new RegExp(`\\(${reason}\\)`));
  };

  test('self-service: nonce → simulator-signed result → certified; the same nonce twice is refused', async () => {
    const nonce = await challenge();
    const sim = await t.app.inject({
      method: 'POST',
      url: `/api/v1/persons/${me.personId}/certification/simulate`,
      headers: citizen.headers,
      payload: { nonce },
    });
    assert.equal(sim.statusCode, 200, sim.body);
    const result = sim.json<{ result: string }>().result;
    const ok = await submit(result);
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json<{ channel: string; certifiedOn: string }>().certifiedOn, '2026-11-20');
    refusal(await submit(result), 'nonce_used');
  });

  test('self-service refusals: forged signature, unknown vendor, expired result, another person, low score, a nonce never issued', async () => {
    const nonce = await challenge();
    // Forged: the right shape and claims, signed with a key that is not the vendor's.
    const forger = generateKeyPairSync('ed25519');
    const payload: LivenessPayload = {
      v: 1,
      vendor: SIMULATOR_VENDOR,
      nonce,
      subject: subjectOf(me.idNumber),
      score: 0.99,
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      resultId: 'forged-1',
    };
    refusal(await submit(encodeToken(payload, (d) => sign(null, d, forger.privateKey))), 'bad_signature');
    // A genuine result with its payload altered after signing.
    const genuine = simulateResult({ nonce, idNumber: me.idNumber }).split('.');
    const tampered = Buffer.from(
      JSON.stringify({
        ...(JSON.parse(Buffer.from(genuine[1]!, 'base64url').toString()) as object),
        score: 1,
      }),
    ).toString('base64url');
    refusal(await submit(`${genuine[0]}.${tampered}.${genuine[2]}`), 'bad_signature');
    refusal(
      await submit(encodeToken({ ...payload, vendor: 'acme' }, (d) => sign(null, d, forger.privateKey))),
      'unknown_vendor',
    );
    refusal(
      await submit(simulateResult({ nonce, idNumber: me.idNumber, now: new Date(Date.now() - 20 * 60_000) })),
      'expired',
    );
    refusal(await submit(simulateResult({ nonce, idNumber: people['other']!.idNumber })), 'wrong_person');
    refusal(await submit(simulateResult({ nonce, idNumber: me.idNumber, score: 0.5 })), 'low_score');
    refusal(
      await submit(simulateResult({ nonce: 'never-issued-nonce-0123456789', idNumber: me.idNumber })),
      'nonce_unknown',
    );
    const attempts = await db
      .selectFrom('certification_attempt')
      .select(['reason'])
      .where('person_id', '=', me.personId)
      .where('outcome', '=', 'refused')
      .execute();
    assert.deepEqual(
      attempts.map((a) => a.reason),
      [
        'nonce_used',
        'bad_signature',
        'bad_signature',
        'unknown_vendor',
        'expired',
        'wrong_person',
        'low_score',
        'nonce_unknown',
      ],
    );
    // The nonce refused so often is still unused: only a verified result consumes it.
    const n = await db
      .selectFrom('liveness_nonce')
      .select('used_at')
      .where('nonce', '=', nonce)
      .executeTakeFirstOrThrow();
    assert.equal(n.used_at, null);
  });

  test('home visit: the register (add, remove with a reason), and a visit certifies, audited', async () => {
    const visits = new HomeVisitService(db);
    const v = people['visited']!;
    await visits.addToRegister(clerk, { personId: v.personId, reason: 'bedridden', note: '卧床' });
    await assert.rejects(visits.addToRegister(clerk, { personId: v.personId, reason: 'very_old' }), {
      code: 'SB_ERR_DUPLICATE',
    });
    const list = await visits.listRegister(clerk, undefined, 1, 20);
    assert.deepEqual(
      list.items.map((i) => i.personId),
      [v.personId],
    );
    const r = await visits.recordVisit(clerk, {
      personId: v.personId,
      visitedOn: '2026-11-18',
      outcome: 'alive',
      note: '本人在家',
    });
    assert.ok(r.certificationId !== null);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_username'])
      .where('entity_type', '=', 'home_visit')
      .execute();
    assert.deepEqual(audit, [{ action: 'certification.visit', actor_username: 'clerk-test' }]);
    await assert.rejects(visits.removeFromRegister(clerk, v.personId, ' '), { code: 'SB_ERR_REQUIRED' });
    await visits.removeFromRegister(clerk, v.personId, '已搬往子女家');
    assert.equal((await visits.listRegister(clerk, undefined, 1, 20)).total, 0);
    await visits.addToRegister(clerk, { personId: v.personId, reason: 'very_old' });
  });

  test('data import: a file with one bad line writes nothing and reports every error by line and field', async () => {
    const before = await db
      .selectFrom('certification')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const csv = [
      'id_number,travel_date,operator',
      `${people['traveller']!.idNumber},2026-10-01,上海铁路局`,
      `${people['traveller']!.idNumber.slice(0, 17)}0,2026-10-02,bus`,
      `${people['silent']!.idNumber},2026-13-01,bus`,
      `${people['silent']!.idNumber},2026-10-01`,
      `${people['silent']!.idNumber},2027-10-01,bus`,
    ].join('\n');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/certification/imports',
      headers: clerkLogin.headers,
      payload: { kind: 'transit', region: TEST_REGION, csv },
    });
    assert.equal(r.statusCode, 400, r.body);
    const body = r.json<{
      error: { code: string };
      errors: Array<{ line: number; field: string }>;
      errorCount: number;
    }>();
    assert.equal(body.error.code, 'SB_ERR_INVALID_UPLOAD');
    assert.deepEqual(
      body.errors.map((e) => `${e.line}:${e.field}`),
      ['3:id_number', '4:travel_date', '5:(line)', '6:travel_date'],
    );
    const after = await db
      .selectFrom('certification')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
    const imports = await db.selectFrom('certification_import').select('id').execute();
    assert.equal(imports.length, 0);
    const rows = await db.selectFrom('certification_import_row').select('line_no').execute();
    assert.equal(rows.length, 0);
  });

  test('data import: life signs certify pensioners (channel data, latest date); the same file again is a replay', async () => {
    const svc = new DataImportService(db);
    const csv = [
      'id_number,travel_date,operator',
      `${people['traveller']!.idNumber},2026-03-01,rail`,
      `${people['traveller']!.idNumber},2026-09-12,rail`,
      '# a comment line',
      `${makeIdNumber('341802', '1960-01-01', 999)},2026-09-12,unknown person`,
      '',
    ].join('\n');
    const r = await svc.import(clerk, {
      kind: 'transit',
      region: TEST_REGION,
      filename: 'rail-2026-09.csv',
      lines: linesOf(csv),
    });
    assert.equal(r.status, 'imported');
    if (r.status !== 'imported') return;
    assert.deepEqual([r.counts.lines, r.counts.persons, r.counts.unknown, r.counts.certified], [3, 2, 1, 1]);
    const c = await db
      .selectFrom('certification')
      .select(['certified_on', 'channel'])
      .where('person_id', '=', people['traveller']!.personId)
      .execute();
    assert.deepEqual(c, [{ certified_on: '2026-09-12', channel: 'data' }]);
    const again = await svc.import(clerk, { kind: 'transit', region: TEST_REGION, lines: linesOf(csv) });
    assert.equal(again.status, 'replayed');
    assert.equal(again.status === 'replayed' ? again.importId : 0, r.importId);
  });

  test('data import: a death record flags the person, records the death in the registry and publishes person.died, which stops the pension', async () => {
    const d = people['dead']!;
    const csv = `id_number,death_date,source\n${d.idNumber},2026-10-03,民政火化记录\n`;
    const r = await new DataImportService(db).import(clerk, {
      kind: 'death',
      region: TEST_REGION,
      lines: linesOf(csv),
    });
    assert.equal(r.status, 'imported');
    if (r.status !== 'imported') return;
    assert.deepEqual([r.counts.deaths, r.counts.deathsRecorded], [1, 1]);
    const p = await db
      .selectFrom('person')
      .select('death_date')
      .where('id', '=', d.personId)
      .executeTakeFirstOrThrow();
    assert.equal(p.death_date, '2026-10-03');
    const m = await db
      .selectFrom('certification_death_match')
      .select(['status', 'line_no'])
      .where('person_id', '=', d.personId)
      .execute();
    assert.deepEqual(m, [{ status: 'recorded', line_no: 2 }]);
    const events = await db
      .selectFrom('outbox')
      .select(['topic', 'payload'])
      .where('topic', '=', 'person.died')
      .execute();
    assert.equal(events.length, 1);
    assert.deepEqual((events[0]!.payload as { personId: number; deathDate: string }).personId, d.personId);
    assert.deepEqual((events[0]!.payload as { personId: number; deathDate: string }).deathDate, '2026-10-03');
    // The pension capability consumes person.died: the pension stops from the month after death.
    await new DeathService(t.ctx).processDeathEvents(clerk);
    assert.deepEqual(await awardOf(db, d.awardId), { status: 'stopped', suspended_from_period: null });
    const dc = await db
      .selectFrom('pension_death_case')
      .select(['source', 'stopped_from_period'])
      .where('person_id', '=', d.personId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(dc, { source: 'registry', stopped_from_period: '2026-11' });
    // A duplicate person in a death file is a line error.
    const dup = await new DataImportService(db).import(clerk, {
      kind: 'death',
      region: TEST_REGION,
      lines: linesOf(`id_number,death_date,source\n${d.idNumber},2026-10-03,a\n${d.idNumber},2026-10-04,b\n`),
    });
    assert.equal(dup.status, 'rejected');
  });

  test('data import: deaths are recorded a chunk at a time; a death the registry refuses rolls back its chunk and the rest resumes; a file repeating them records nothing again', async () => {
    const ps: Pensioner[] = [];
    for (const b of ['1941-01-11', '1941-02-12', '1941-03-13', '1941-04-14', '1941-05-15'])
      ps.push(await makePensioner(db, b));
    // The registry's birth date disagrees with the ID number's: the line passes, the registry refuses.
    const bad = ps[2]!;
    await sql`UPDATE person SET birth_date = '2026-10-20' WHERE id = ${bad.personId}`.execute(db);
    const file = (source: string) =>
      `id_number,death_date,source\n${ps.map((p) => `${p.idNumber},2026-10-05,${source}`).join('\n')}\n`;
    const died = async () =>
      (
        await db
          .selectFrom('person')
          .select('death_date')
          .where(
            'id',
            'in',
            ps.map((p) => p.personId),
          )
          .orderBy('id')
          .execute()
      ).map((p) => p.death_date);
    const events = async () =>
      (await sql<{ n: string }>`SELECT count(*) AS n FROM outbox WHERE topic = 'person.died'`.execute(db))
        .rows[0]!.n;
    const eventsBefore = await events();
    const svc = new DataImportService(db);
    let refused = '';
    await assert.rejects(
      svc.import(clerk, {
        kind: 'death',
        region: TEST_REGION,
        lines: linesOf(file('民政')),
        deathChunkSize: 2,
      }),
      (e: unknown) => {
        refused = e instanceof Error ? e.message : '';
        return refused.includes('死亡日期早于出生日期');
      },
    );
    // The first chunk (two persons) is recorded; the refused one's chunk wrote nothing; the rest waits.
    assert.deepEqual(await died(), ['2026-10-05', '2026-10-05', null, null, null]);
    assert.equal(Number(await events()), Number(eventsBefore) + 2);
    const imp = await db
      .selectFrom('certification_import')
      .select('id')
      .where('kind', '=', 'death')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    // The refusal names the line of the file the clerk can correct.
    const { line_no } = await db
      .selectFrom('certification_death_match')
      .select('line_no')
      .where('import_id', '=', imp.id)
      .where('person_id', '=', bad.personId)
      .executeTakeFirstOrThrow();
    assert.ok(refused.includes(`第 ${line_no} 行`) && refused.includes(`line ${line_no}`), refused);
    const statuses = async () =>
      (
        await db
          .selectFrom('certification_death_match')
          .select('status')
          .where('import_id', '=', imp.id)
          .orderBy('person_id')
          .execute()
      ).map((m) => m.status);
    assert.deepEqual(await statuses(), ['recorded', 'recorded', 'pending', 'pending', 'pending']);
    // Corrected in the registry, the import resumes where it stopped.
    await sql`UPDATE person SET birth_date = '1941-03-13' WHERE id = ${bad.personId}`.execute(db);
    assert.deepEqual(await svc.applyDeaths(clerk, imp.id, undefined, 2), {
      recorded: 3,
      already: 0,
      conflicts: 0,
    });
    assert.deepEqual(await died(), Array(5).fill('2026-10-05'));
    assert.deepEqual(await statuses(), Array(5).fill('recorded'));
    assert.equal(Number(await events()), Number(eventsBefore) + 5);
    // Another file with the same deaths (another source): matched, nothing recorded twice.
    const again = await svc.import(clerk, {
      kind: 'death',
      region: TEST_REGION,
      lines: linesOf(file('公安')),
    });
    assert.equal(again.status, 'imported');
    if (again.status !== 'imported') return;
    assert.deepEqual(
      [again.counts.deaths, again.counts.deathsRecorded, again.counts.deathsAlreadyRecorded],
      [5, 0, 5],
    );
    assert.equal(Number(await events()), Number(eventsBefore) + 5);
    // The same file again is a replay.
    const replay = await svc.import(clerk, {
      kind: 'death',
      region: TEST_REGION,
      lines: linesOf(file('公安')),
    });
    assert.equal(replay.status, 'replayed');
    await new DeathService(t.ctx).processDeathEvents(clerk);
    for (const p of ps) assert.equal((await awardOf(db, p.awardId)).status, 'stopped');
  });

  test('data import: a file of 10,000 lines or more has its staged lines analyzed in the import’s transaction and matches the same', async () => {
    const lines = ['id_number,travel_date,operator'];
    for (let j = 0; j < 10_000; j++)
      lines.push(
        `${makeIdNumber('340102', addDays('1950-01-01', j % 5000), 700 + Math.floor(j / 5000))},2026-05-01,铁路`,
      );
    const r = await new DataImportService(db).import(clerk, {
      kind: 'transit',
      region: TEST_REGION,
      lines: linesOf(`${lines.join('\n')}\n`),
    });
    assert.equal(r.status, 'imported');
    if (r.status !== 'imported') return;
    assert.deepEqual(
      [r.counts.lines, r.counts.persons, r.counts.unknown, r.counts.certified],
      [10_000, 10_000, 10_000, 0],
    );
    const st = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'certification_import_row'`.execute(db);
    assert.ok(st.rows[0]!.n > 0, 'the staged lines have statistics');
  });

  test('data import in chunks: a chunk is staged while the next is checked; every line is staged once, and a bad line after staged chunks writes nothing', async () => {
    const svc = new DataImportService(db);
    // Seven persons not in the registry (nobody is certified), in chunks of 2: four inserts, three of
    // them in flight while the next chunk is read.
    const lines = ['id_number,travel_date,operator'];
    for (let j = 0; j < 7; j++)
      lines.push(`${makeIdNumber('340102', addDays('1951-01-01', j), 801)},2026-06-0${j + 1},bus`);
    const r = await svc.import(clerk, {
      kind: 'transit',
      region: TEST_REGION,
      lines: linesOf(`${lines.join('\n')}\n`),
      chunkSize: 2,
    });
    assert.equal(r.status, 'imported');
    if (r.status !== 'imported') return;
    assert.deepEqual([r.counts.lines, r.counts.persons, r.counts.unknown], [7, 7, 7]);
    const staged = await db
      .selectFrom('certification_import_row')
      .select(['line_no', 'id_number', 'event_date'])
      .where('import_id', '=', r.importId)
      .orderBy('line_no')
      .execute();
    assert.deepEqual(
      staged.map((x) => `${x.line_no}:${x.id_number},${x.event_date}`),
      lines.slice(1).map((l, k) => `${k + 2}:${l.slice(0, 29)}`),
    );

    const count = async (table: 'certification_import' | 'certification_import_row') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const imports = await count('certification_import');
    const rows = await count('certification_import_row');
    // The same persons on other days, and a bad date on line 9: three chunks are staged before it is read.
    const bad = [
      lines[0]!,
      ...lines.slice(1).map((l) => l.replace('2026-06-0', '2026-07-0')),
      `${makeIdNumber('340102', '1951-02-01', 801)},2026-13-01,bus`,
    ];
    const rej = await svc.import(clerk, {
      kind: 'transit',
      region: TEST_REGION,
      lines: linesOf(`${bad.join('\n')}\n`),
      chunkSize: 2,
    });
    assert.equal(rej.status, 'rejected');
    if (rej.status !== 'rejected') return;
    assert.deepEqual(
      rej.errors.map((e) => `${e.line}:${e.field}`),
      ['9:travel_date'],
    );
    assert.equal(await count('certification_import'), imports);
    assert.equal(await count('certification_import_row'), rows);
  });

  test('campaign counts by channel and the list of the uncertified (oldest first)', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/v1/certification/campaigns/${campaignId}`,
      headers: clerkLogin.headers,
    });
    assert.equal(r.statusCode, 200, r.body);
    const c = r.json<{
      counts: {
        pensioners: number;
        certified: number;
        uncertified: number;
        byChannel: Record<string, number>;
      };
    }>().counts;
    // me (self), visited (visit), traveller (data) certified; silent, late, other not; dead is no longer due.
    assert.deepEqual([c.pensioners, c.certified, c.uncertified], [6, 3, 3]);
    assert.deepEqual(c.byChannel, { self: 1, visit: 1, data: 1 });
    const u = await t.app.inject({
      method: 'GET',
      url: `/api/v1/certification/campaigns/${campaignId}/uncertified`,
      headers: clerkLogin.headers,
    });
    assert.deepEqual(
      u.json<{ items: Array<{ personId: number }> }>().items.map((i) => i.personId),
      [people['silent']!.personId, people['late']!.personId, people['other']!.personId],
    );
  });

  test('the sweep refuses to run before the deadline', async () => {
    await assert.rejects(new CampaignService(db).sweep(clerk, campaignId), { code: 'SB_ERR_CONFLICT' });
  });

  test('after the deadline the sweep suspends the uncertified from 2027-01 with a notice each; interrupted, it resumes; rerun, it changes nothing', async () => {
    fixToday('2027-01-15');
    const svc = new CampaignService(db);
    const first = await svc.sweep(clerk, campaignId, { chunkSize: 2, stopAfterChunks: 1 });
    assert.equal(first.status, 'interrupted');
    const done = await svc.sweep(clerk, campaignId, { chunkSize: 2 });
    assert.equal(done.status, 'done');
    assert.equal(done.resumed, true);
    assert.equal(done.suspended, 3);
    assert.equal(done.suspendedFromPeriod, '2027-01');
    for (const k of ['silent', 'late', 'other'])
      assert.deepEqual(await awardOf(db, people[k]!.awardId), {
        status: 'suspended',
        suspended_from_period: '2027-01',
      });
    // the reason a code the pages say in the reader's language (it was an English sentence)
    const why = await sql<{ code: string | null; reason: string | null }>`
      SELECT suspend_reason_code AS code, suspend_reason AS reason FROM pension_award WHERE id = ${people['silent']!.awardId}`.execute(
      db,
    );
    assert.deepEqual(why.rows[0], { code: 'not_certified', reason: null });
    for (const k of ['visited', 'traveller'])
      assert.equal((await awardOf(db, people[k]!.awardId)).status, 'active');
    assert.equal((await awardOf(db, me.awardId)).status, 'active');
    // Each sees the notice of their suspension, derived from it (migration 2026_12_03_1460).
    for (const k of ['silent', 'late', 'other']) {
      const p = people[k]!;
      const s = await db
        .selectFrom('certification_suspension')
        .select(['id', 'notice_id', 'created_at'])
        .where('person_id', '=', p.personId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(await noticesOfPerson(db, p.personId), [
        {
          id: s.notice_id,
          kind: 'suspension',
          campaign_id: campaignId,
          suspension_id: s.id,
          detail: {
            year: 2026,
            windowStart: '2026-01-01',
            deadline: '2026-12-31',
            suspendedFromPeriod: '2027-01',
          },
          created_at: s.created_at,
        },
      ]);
    }
    // The status API shows it as it showed the row.
    const st = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${people['silent']!.personId}/certification`,
      headers: clerkLogin.headers,
    });
    assert.equal(st.statusCode, 200, st.body);
    const [shown] = await noticesOfPerson(db, people['silent']!.personId);
    assert.deepEqual(st.json<{ notices: unknown[] }>().notices, [
      {
        id: shown!.id,
        kind: 'suspension',
        campaignId,
        detail: shown!.detail,
        createdAt: shown!.created_at,
      },
    ]);
    const summary = await db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('action', '=', 'certification.sweep')
      .execute();
    assert.equal(summary.length, 1);
    assert.equal((summary[0]!.after as { suspended: number }).suspended, 3);
    const again = await svc.sweep(clerk, campaignId);
    assert.deepEqual([again.status, again.suspended], ['done', 3]);
    assert.equal((await db.selectFrom('certification_suspension').select('id').execute()).length, 3);
  });

  test('certified later: the award is restored and the back pay for the suspended months queued (key per award and suspension)', async () => {
    fixToday('2027-04-10');
    const late = people['late']!;
    const r = await new HomeVisitService(db).recordVisit(clerk, {
      personId: late.personId,
      visitedOn: '2027-04-08',
      outcome: 'alive',
    });
    // No payroll has run in the test: back pay through last month, 2027-01..2027-03 = 3 × 3,000.00 yuan.
    assert.deepEqual(
      r.restorations.map((x) => [x.arrearsFen, x.fromPeriod, x.toPeriod]),
      [[900_000, '2027-01', '2027-03']],
    );
    assert.deepEqual(await awardOf(db, late.awardId), { status: 'active', suspended_from_period: null });
    const arrears = await db
      .selectFrom('pension_arrears')
      .select(['reason', 'amount_fen', 'idempotency_key', 'from_period', 'to_period'])
      .where('award_id', '=', late.awardId)
      .execute();
    assert.deepEqual(arrears, [
      {
        reason: 'restoration',
        amount_fen: 900_000,
        idempotency_key: `restoration:${late.awardId}:2027-01`,
        from_period: '2027-01',
        to_period: '2027-03',
      },
    ]);
    const s = await db
      .selectFrom('certification_suspension')
      .select(['restored_from_period', 'arrears_key'])
      .where('award_id', '=', late.awardId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(s, {
      restored_from_period: '2027-04',
      arrears_key: `restoration:${late.awardId}:2027-01`,
    });
    const notice = await noticesOfPerson(db, late.personId);
    assert.deepEqual(
      notice.map((n) => n.kind),
      ['restoration', 'suspension'],
    );
    // A second proof of life changes nothing more.
    const again = await new HomeVisitService(db).recordVisit(clerk, {
      personId: late.personId,
      visitedOn: '2027-04-09',
      outcome: 'alive',
    });
    assert.deepEqual(again.restorations, []);
    assert.equal(
      (await db.selectFrom('pension_arrears').select('id').where('award_id', '=', late.awardId).execute())
        .length,
      1,
    );
  });

  test('a data-comparison life sign also restores a suspended pensioner', async () => {
    const silent = people['silent']!;
    const r = await new DataImportService(db).import(clerk, {
      kind: 'hospital',
      region: TEST_REGION,
      lines: linesOf(`id_number,visit_date,hospital\n${silent.idNumber},2027-03-30,宣城市人民医院\n`),
    });
    assert.equal(r.status === 'imported' ? r.counts.restored : -1, 1);
    assert.equal((await awardOf(db, silent.awardId)).status, 'active');
  });

  test('migration 1460 moves the suspension notices out of certification_notice and back (down), with their ids, details and times', async () => {
    const persons = [people['silent']!, people['late']!, people['other']!].map((p) => p.personId);
    const derived = await Promise.all(persons.map((id) => noticesOfPerson(db, id)));
    const migration = await import('../db/migrations/2026_12_03_1460_suspension_notice_derived.ts');
    await db
      .transaction()
      .execute(async (tx) => {
        await migration.down(tx as never);
        const rows = await sql<{
          person_id: number;
          id: number;
          kind: string;
          campaign_id: number | null;
          suspension_id: number | null;
          detail: unknown;
          created_at: string;
        }>`
        SELECT person_id, id, kind, campaign_id, suspension_id, detail, created_at FROM certification_notice
        WHERE person_id IN (${sql.join(persons)}) ORDER BY id DESC`.execute(tx);
        assert.deepEqual(
          persons.map((id) => rows.rows.filter((r) => r.person_id === id).map(({ person_id: _, ...n }) => n)),
          derived,
          'the rows down writes are the notices the derived read answered',
        );
        await migration.up(tx as never);
        assert.deepEqual(await Promise.all(persons.map((id) => noticesOfPerson(tx, id))), derived);
        // A suspension inserted after the round trip still draws its notice id from the notices' sequence.
        const next = await sql<{ last: number }>`SELECT max(id) AS last FROM certification_notice`.execute(
          tx,
        );
        const s = await sql<{ notice_id: number }>`
        INSERT INTO certification_suspension (campaign_id, award_id, person_id, region, suspended_from_period)
        VALUES (${campaignId}, ${people['visited']!.awardId}, ${people['visited']!.personId}, ${TEST_REGION}, '2027-01')
        RETURNING notice_id`.execute(tx);
        assert.ok(s.rows[0]!.notice_id > Math.max(next.rows[0]!.last, ...derived.flat().map((n) => n.id)));
        throw new RollBack();
      })
      .catch((e: unknown) => {
        if (!(e instanceof RollBack)) throw e;
      });
    assert.deepEqual(await Promise.all(persons.map((id) => noticesOfPerson(db, id))), derived);
  });

  test('a citizen sees their own status; another person\u2019s answers as an unknown id', async () => {
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${me.personId}/certification`,
      headers: citizen.headers,
    });
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json<{ lastCertifiedOn: string }>().lastCertifiedOn, '2026-11-20');
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/persons/${people['other']!.personId}/certification`,
      headers: citizen.headers,
    });
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/v1/persons/987654321/certification',
      headers: citizen.headers,
    });
    assert.equal(other.statusCode, 404, other.body);
    assert.equal(other.body, unknown.body, 'another person answers as an unknown id');
  });
});
