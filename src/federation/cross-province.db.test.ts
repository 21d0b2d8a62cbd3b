// 跨省通办: a certificate filed in one province (A, where the person lives now) and decided by the one
// holding the record (B); the request and the status updates carried as federation messages through
// the consumer's take-in path, and the progress shown in A's service hall.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { hashPassword } from '../auth/password.ts';
import { today } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import { consumeEvents } from '../hall/events.job.ts';
import { buildServer } from '../server.ts';
import { makeBillLine, makeEmployer, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { CrossProvinceService } from './cross-province.service.ts';
import { setFederationSecret, takeIn, type Handler } from './fed.messaging.ts';
import { carryAll, message } from '../testing/federation-carrier.ts';
import { federationRoutes } from './federation.routes.ts';
import { TransferService } from './transfer.service.ts';

const A = '340000';
const B = '320000';
let dbA: TestDb;
let dbB: TestDb;
let handlers: Record<string, Record<string, Handler>> = {};
const clerkA: Actor = {
  userId: null,
  username: 'clerk-a',
  role: 'clerk',
  personId: null,
  employerId: null,
  region: '341800',
};
const dbOf = (node: string): Db => (node === A ? dbA : dbB).ctx.db;
const svcA = () => new CrossProvinceService(dbA.ctx.db, A, [A, B]);

const pump = (redeliver = false): Promise<string[]> =>
  carryAll({ dbOf, handlers: () => handlers }, [A, B], redeliver);

let idNumber = '';
let personA = 0;

before(async () => {
  setFederationSecret('test-federation-secret-0123456789abcdef');
  [dbA, dbB] = await Promise.all([openTestDb(), openTestDb()]);
  handlers = {
    [A]: TransferService.handlers(A, dbA.ctx.params),
    [B]: TransferService.handlers(B, dbB.ctx.params),
  };
  // B holds two years of employee contributions; the person lives in A now.
  const pb = await makePerson(dbB.ctx.db, { region: '320100', birth_date: '1984-04-04', sex: 'M' });
  idNumber = pb.id_number;
  await dbB.ctx.db
    .insertInto('enrolment')
    .values({
      person_id: pb.id,
      scheme: 'employee_pension',
      kind: 'flexible',
      region: '320100',
      employer_id: null,
      start_date: '2019-01-01',
      end_date: null,
      status: 'active',
    })
    .execute();
  const emp = await makeEmployer(dbB.ctx.db, { region: '320100' });
  for (const year of [2019, 2020])
    for (let m = 1; m <= 12; m++)
      await makeBillLine(dbB.ctx.db, {
        personId: pb.id,
        employerId: emp.id,
        region: '320100',
        period: `${year}-${String(m).padStart(2, '0')}`,
        pensionEmployerFen: 80000,
        pensionEmployeeFen: 40000,
        personalAccountFen: 40000,
      });
  const pa = await makePerson(dbA.ctx.db, {
    id_number: idNumber,
    region: '341800',
    birth_date: pb.birth_date,
    sex: pb.sex,
  });
  personA = pa.id;
});

after(async () => {
  await dbA?.close();
  await dbB?.close();
});

async function hallApplication(id: number) {
  await consumeEvents(dbA.ctx);
  const r = await sql<{
    service_code: string;
    status: string;
    person_id: number;
    region: string;
    note: string;
    note_en: string;
  }>`
    SELECT service_code, status, person_id, region, detail->'note'->>'zh' AS note, detail->'note'->>'en' AS note_en FROM hall_application WHERE source_ref = ${`fed_xp_request:${id}`}`.execute(
    dbA.ctx.db,
  );
  return r.rows[0];
}

test('a certificate filed in A and decided by B: submitted in A’s hall, then accepted and completed by B’s messages, with B’s statement (24 months); once, however often redelivered', async () => {
  const filed = await svcA().file(clerkA, { service: 'insurance-certificate', province: B, idNumber });
  assert.equal(filed.status, 'submitted');
  const h0 = await hallApplication(filed.id);
  assert.deepEqual(
    [h0?.service_code, h0?.status, Number(h0?.person_id), h0?.region],
    ['insurance-certificate', 'submitted', personA, '341800'],
  );
  assert.deepEqual(await pump(true), ['xp.request', 'xp.status', 'xp.status']);
  const got = await svcA().get(clerkA, filed.id);
  assert.equal(got.status, 'completed');
  assert.equal(got.handledBy, B);
  const day = today();
  assert.deepEqual([got.acceptedOn, got.closedOn], [day, day], 'the days B accepted and completed it');
  const pension = got.result?.schemes.find((s) => s.scheme === 'employee_pension');
  assert.deepEqual([pension?.months, pension?.status, pension?.since], [24, 'active', '2019-01-01']);
  assert.equal(got.result?.accounts, null, 'a certificate states no balances');
  assert.doesNotMatch(JSON.stringify(got.result), new RegExp(idNumber), 'the ID number travels back masked');
  assert.match(got.note?.zh ?? '', /企业职工基本养老保险 24 个月/);
  assert.match(got.note?.en ?? '', /employees’ basic pension 24 months/, 'the reader’s language');
  const h1 = await hallApplication(filed.id);
  assert.equal(h1?.status, 'completed');
  assert.match(
    h1?.note ?? '',
    /^江苏省出具参保证明：企业职工基本养老保险 24 个月/,
    'the province by name, not code',
  );
  assert.match(h1?.note_en ?? '', /^Jiangsu issued an insurance certificate: /, 'and in English');
  const handled = await sql<{
    n: unknown;
  }>`SELECT count(*)::int AS n FROM fed_xp_request WHERE side = 'handled'`.execute(dbB.ctx.db);
  assert.equal(Number(handled.rows[0]?.n), 1);
  // A late status update (a new message, not a redelivery) never moves it back.
  await takeIn(
    dbA.ctx.db,
    message(B, A, 'xp.status', { ref: got.ref, status: 'accepted' }),
    handlers[A]?.['xp.status'],
  );
  assert.equal((await svcA().get(clerkA, filed.id)).status, 'completed');
  const audit = await sql<{ action: string }>`
    SELECT action FROM audit_log WHERE entity_type = 'fed_xp_request' AND entity_id = ${String(filed.id)} ORDER BY id`.execute(
    dbA.ctx.db,
  );
  assert.deepEqual(
    audit.rows.map((a) => a.action),
    ['xp.file', 'xp.status', 'xp.status'],
  );
});

test('the record statement carries the personal account (960.00 × … = 9,600.00) from B', async () => {
  const filed = await svcA().file(clerkA, { service: 'record-statement', province: B, idNumber });
  await pump();
  const got = await svcA().get(clerkA, filed.id);
  assert.deepEqual(got.result?.accounts, { employeePensionFen: 960000, residentPensionFen: 0 });
  assert.equal((await hallApplication(filed.id))?.service_code, 'record-statement');
});

test('a province that holds no record refuses, and the applicant reads why in A’s hall', async () => {
  const stranger = await makePerson(dbA.ctx.db, { region: '341800' });
  const filed = await svcA().file(clerkA, {
    service: 'insurance-certificate',
    province: B,
    idNumber: stranger.id_number,
  });
  assert.deepEqual(await pump(), ['xp.request', 'xp.status', 'xp.status']);
  const got = await svcA().get(clerkA, filed.id);
  assert.equal(got.status, 'rejected');
  assert.match(got.note?.zh ?? '', /无此人参保记录/);
  assert.equal((await hallApplication(filed.id))?.status, 'rejected');
  await assert.rejects(
    svcA().file(clerkA, { service: 'insurance-certificate', province: A, idNumber }),
    // the field named, the code sent not repeated
    (e: Error) => /not another province/.test(e.message) && !e.message.includes(A),
  );
});

test('over HTTP: the citizen files their own (201), lists and reads it; another’s ID number is out of scope; unknown fields are refused', async () => {
  const app = await buildServer(dbA.ctx);
  await app.register(federationRoutes, { ctx: dbA.ctx, self: A, provinces: [A, B], stats: () => ({}) });
  await app.ready();
  try {
    const other = await makePerson(dbA.ctx.db, { region: '341800' });
    await dbA.ctx.db
      .insertInto('app_user')
      .values({
        username: 'cit-xp',
        display_name: 'c',
        role: 'citizen',
        person_id: personA,
        employer_id: null,
        region: null,
        password_hash: await hashPassword('test-pass-2021'),
      })
      .execute();
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login?bearer=true',
      payload: { username: 'cit-xp', password: 'test-pass-2021' },
    });
    const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
    const post = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/cross-province/requests', headers, payload });
    assert.equal(
      (await post({ service: 'insurance-certificate', province: B, status: 'completed' })).statusCode,
      400,
    );
    const theirs = await post({ service: 'insurance-certificate', province: B, idNumber: other.id_number });
    assert.equal(theirs.statusCode, 403, theirs.body);
    const mine = await post({ service: 'insurance-certificate', province: B });
    assert.equal(mine.statusCode, 201, mine.body);
    await pump();
    const list = await app.inject({ method: 'GET', url: '/api/v1/cross-province/requests', headers });
    assert.equal(list.statusCode, 200, list.body);
    const rows = list.json<Array<{ personId: number; status: string }>>();
    assert.ok(rows.length >= 1 && rows.every((r) => r.personId === personA));
    const one = await app.inject({
      method: 'GET',
      url: `/api/v1/cross-province/requests/${mine.json<{ id: number }>().id}`,
      headers,
    });
    assert.equal(one.json<{ status: string }>().status, 'completed');
    // The provinces an application can go to: the others of the federation.
    const prov = await app.inject({ method: 'GET', url: '/api/v1/cross-province/provinces', headers });
    assert.deepEqual(prov.json(), { self: A, provinces: [B] });
  } finally {
    await app.close();
  }
});

test('attacker’s view: no login → 401; another citizen and a clerk of another region neither list nor read the request; the clerk of its region does', async () => {
  const app = await buildServer(dbA.ctx);
  await app.register(federationRoutes, { ctx: dbA.ctx, self: A, provinces: [A, B], stats: () => ({}) });
  await app.ready();
  try {
    const filed = await svcA().file(clerkA, { service: 'record-statement', province: B, idNumber });
    await pump();
    const neighbour = await makePerson(dbA.ctx.db, { region: '341800' });
    const tokenOf = async (
      username: string,
      role: string,
      personId: number | null,
      region: string | null,
    ) => {
      await dbA.ctx.db
        .insertInto('app_user')
        .values({
          username,
          display_name: username,
          role: role as 'citizen',
          person_id: personId,
          employer_id: null,
          region,
          password_hash: await hashPassword('test-pass-2021'),
        })
        .execute();
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login?bearer=true',
        payload: { username, password: 'test-pass-2021' },
      });
      return { authorization: `Bearer ${login.json<{ token: string }>().token}` };
    };
    const get = (url: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url, headers });
    const one = `/api/v1/cross-province/requests/${filed.id}`;
    const list = '/api/v1/cross-province/requests';
    for (const url of [list, one, '/api/v1/cross-province/provinces'])
      assert.equal((await get(url)).statusCode, 401, url);
    const anon = await app.inject({
      method: 'POST',
      url: list,
      payload: { service: 'insurance-certificate', province: B },
    });
    assert.equal(anon.statusCode, 401);

    const other = await tokenOf('cit-neighbour', 'citizen', neighbour.id, null);
    // another person's request answers as an unknown one (wave 14: it was 403, so ids told what exists)
    const r1 = await get(one, other);
    assert.equal(r1.statusCode, 404, r1.body);
    assert.equal(r1.json<{ error: { code: string } }>().error.code, 'SB_ERR_NOT_FOUND');
    const l1 = await get(list, other);
    assert.deepEqual(l1.json(), [], 'a citizen lists only their own');

    // A clerk of Hefei (340100) is staff of the same province, not of Xuancheng (341800).
    const far = await tokenOf('clerk-hefei', 'clerk', null, '340100');
    assert.equal((await get(one, far)).statusCode, 404);
    const l2 = await get(list, far);
    assert.equal(l2.statusCode, 200);
    assert.ok(
      l2.json<Array<{ id: number }>>().every((r) => r.id !== filed.id),
      'not in another region’s list',
    );

    const near = await tokenOf('clerk-xc', 'clerk', null, '341800');
    const r3 = await get(one, near);
    assert.equal(r3.statusCode, 200, r3.body);
    assert.equal(r3.json<{ status: string }>().status, 'completed');
    const registered = await dbA.ctx.db
      .selectFrom('person')
      .select('name')
      .where('id', '=', personA)
      .executeTakeFirstOrThrow();
    assert.equal(
      r3.json<{ personName: string | null }>().personName,
      registered.name,
      'the clerk knows whose',
    );
    assert.ok((await get(list, near)).json<Array<{ id: number }>>().some((r) => r.id === filed.id));
  } finally {
    await app.close();
  }
});

test('a refusal from B carrying controls, a bidi override and 5,000 characters reaches A’s hall as one clean line of at most 500 characters', async () => {
  const stranger = await makePerson(dbA.ctx.db, { region: '341800' });
  const filed = await svcA().file(clerkA, {
    service: 'insurance-certificate',
    province: B,
    idNumber: stranger.id_number,
  });
  const ref = (
    await sql<{ ref: string }>`SELECT ref FROM fed_xp_request WHERE id = ${filed.id}`.execute(dbA.ctx.db)
  ).rows[0]!.ref;
  await takeIn(
    dbA.ctx.db,
    message(B, A, 'xp.status', {
      ref,
      status: 'rejected',
      note: '\u0007拒绝\u202E原因\n' + 'x'.repeat(5000),
    }),
    handlers[A]?.['xp.status'],
  );
  const h = await hallApplication(filed.id);
  assert.equal(h?.status, 'rejected');
  const note = h?.note ?? '';
  assert.ok(note.startsWith('江苏省不予办理：拒绝原因 xxx'), note.slice(0, 30));
  assert.ok(note.endsWith('x…'));
  assert.ok([...note].length <= 520, `${[...note].length} characters`);
  assert.doesNotMatch(note, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/); // eslint-disable-line no-control-regex
  // the other province's one line, as typed (it has no English half): the same words in each language
  const rest = note.slice('江苏省不予办理：'.length);
  assert.deepEqual((await svcA().get(clerkA, filed.id)).note, { zh: rest, en: rest });
});
