// The third wave's attacker's walk (sec-walk): the routes added last session that had no separate
// attack — the node's role, cross-province requests (跨省通办), transfers and scheme bridging, the
// background jobs (the job status, the release that answers 202, the assessment, the refund scan) —
// tried as an anonymous caller, a citizen with another person's ids, an employer, a clerk of another
// district or province, a clerk releasing their own preparation, and a policy researcher. Each test
// asserts the safe behaviour through the real server (app.inject) on a real database; the log scan
// of scripts/test.mjs then reads what the suite logged.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { CrossProvinceService } from '../federation/cross-province.service.ts';
import { setFederationSecret, takeIn } from '../federation/fed.messaging.ts';
import { federationRoutes } from '../federation/federation.routes.ts';
import { collectionRoutes } from '../federation/transfer-collect.routes.ts';
import { awaitJob } from '../http/background-jobs.testing.ts';
import { makeEmployer, makeEnrolment, makePerson } from '../testing/factories.ts';
import { message } from '../testing/federation-carrier.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { errorCode, send } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

const A = '340000'; // this node: Anhui (the test city 341800 is in it)
const B = '320000'; // another province of the federation
const C = '330000'; // a third one

describe('wave 3: an attacker’s walk over the new routes', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  const count = async (q: string): Promise<number> =>
    Number((await sql<{ n: unknown }>`${sql.raw(q)}`.execute(t.ctx.db)).rows[0]?.n);

  before(async () => {
    fixToday('2026-03-15');
    setFederationSecret('test-federation-secret-0123456789abcdef');
    t = await makeTestApp({
      routes: async (app, ctx) => {
        await app.register(federationRoutes, { ctx, self: A, provinces: [A, B, C], stats: () => ({}) });
        await app.register(collectionRoutes, { ctx });
      },
    });
    await makeEnrolment(t.ctx.db, { person_id: t.personId, region: TEST_REGION });
    // An employer in a district of the city, so the city has employers in more than one region.
    await makeEmployer(t.ctx.db, { region: '341802', name: '宣州区测试单位' });
    const staff = (n: number) =>
      makePerson(t.ctx.db, {
        id_number: makeIdNumber('341802', '1981-01-0' + String(n), 40 + n),
        birth_date: '1981-01-0' + String(n),
      });
    for (const name of ['clerk', 'reviewer', 'supervisor', 'admin', 'policy', 'citizen', 'employer'])
      as[name] = await t.login(name);
    // A clerk of a district of the city (宣州区), and one of another city of the province (合肥).
    as['clerk-district'] = await loginAsNew(t, 'clerk-district', {
      role: 'clerk',
      region: '341802',
      personId: (await staff(1)).id,
    });
    as['clerk-hefei'] = await loginAsNew(t, 'clerk-hefei', {
      role: 'clerk',
      region: '340100',
      personId: (await staff(2)).id,
    });
    as['reviewer-hefei'] = await loginAsNew(t, 'reviewer-hefei', {
      role: 'reviewer',
      region: '340100',
      personId: (await staff(3)).id,
    });
    const other = await makePerson(t.ctx.db, { region: TEST_REGION });
    await makeEnrolment(t.ctx.db, { person_id: other.id, region: TEST_REGION });
    as['citizen2'] = await loginAsNew(t, 'citizen2', { personId: other.id });
  });
  after(async () => {
    fixToday(null);
    await t?.close();
  });

  describe('the refund scan covers every employer: only staff whose region covers them all may start it', () => {
    test('a clerk of a district (or of another city) is refused and queues nothing; the city’s clerk starts it', async () => {
      for (const who of ['clerk-district', 'clerk-hefei']) {
        const r = await send(t.app, as[who]!, 'POST', '/api/v1/unemployment/refund-batches/2025/scan');
        assert.equal(r.statusCode, 403, `${who}: ${r.body}`);
        assert.equal(errorCode(r), 'SB_ERR_OUT_OF_SCOPE');
      }
      assert.equal(
        await count(`SELECT count(*) AS n FROM background_job WHERE kind = 'unemployment.refund-scan'`),
        0,
        'a refused start queues no job',
      );
      const ok = await send(t.app, as['clerk']!, 'POST', '/api/v1/unemployment/refund-batches/2025/scan');
      assert.equal(ok.statusCode, 202, ok.body);
    });

    test('the batch tells the page whether this caller may start the scan (the button is offered only then)', async () => {
      const allowed = async (who: string) => {
        const r = await send(t.app, as[who]!, 'GET', '/api/v1/unemployment/refund-batches/2024');
        assert.equal(r.statusCode, 200, r.body);
        return r.json<{ scanAllowed: boolean }>().scanAllowed;
      };
      assert.equal(await allowed('clerk'), true);
      assert.equal(await allowed('clerk-district'), false);
      assert.equal(await allowed('reviewer'), false, 'a reviewer reads the batch but starts no scan');
    });
  });

  describe('GET /api/v1/node', () => {
    test('anonymous: the node’s role and province only, nothing else', async () => {
      const r = await send(t.app, null, 'GET', '/api/v1/node');
      assert.equal(r.statusCode, 200);
      assert.deepEqual(Object.keys(r.json<object>()).sort(), ['province', 'role']);
    });
  });

  describe('transfers, scheme bridging and cross-province requests', () => {
    const routes = [
      ['/api/v1/transfers', { fromProvince: B }],
      ['/api/v1/transfers', { kind: 'unemployment', fromProvince: B }],
      ['/api/v1/transfers', { kind: 'scheme-bridging' }],
      ['/api/v1/cross-province/requests', { service: 'insurance-certificate', province: B }],
      ['/api/v1/transfers/collections', {}],
    ] as const;

    test('anonymous: 401; an employer and a policy researcher: 403 before anything is read', async () => {
      for (const [url, body] of routes) {
        assert.equal((await send(t.app, null, 'POST', url, body)).statusCode, 401, url);
        for (const who of ['employer', 'policy']) {
          const r = await send(t.app, as[who]!, 'POST', url, { ...body, personId: t.personId });
          assert.equal(r.statusCode, 403, `${who} ${url}: ${r.body}`);
          assert.equal(errorCode(r), 'SB_ERR_FORBIDDEN');
        }
      }
      for (const url of ['/api/v1/transfers', '/api/v1/cross-province/requests'])
        for (const who of ['employer', 'policy'])
          assert.equal((await send(t.app, as[who]!, 'GET', url)).statusCode, 403, `${who} GET ${url}`);
    });

    test('a citizen naming another ID number or person id learns nothing: registered or not, the same 403', async () => {
      const registered = (
        await t.ctx.db
          .selectFrom('person')
          .select(['id', 'id_number'])
          .where('id', '=', as['citizen2']!.user.personId!)
          .executeTakeFirstOrThrow()
      ).id_number;
      const unknown = makeIdNumber('341802', '1990-01-01', 77);
      const before = await count(`SELECT count(*) AS n FROM fed_transfer`);
      for (const [url, body] of routes) {
        const answers = [];
        for (const probe of [
          { idNumber: registered },
          { idNumber: unknown },
          { personId: as['citizen2']!.user.personId! },
          { personId: 987654 },
        ]) {
          const r = await send(t.app, as['citizen']!, 'POST', url, { ...body, ...probe });
          assert.ok(!r.body.includes(registered) && !r.body.includes(unknown), 'no ID number echoed');
          answers.push(`${r.statusCode} ${r.body}`);
        }
        assert.match(answers[0]!, /^403 /, `${url}: ${answers[0]}`);
        assert.deepEqual(new Set(answers).size, 1, `${url}: ${answers.join(' | ')}`);
      }
      assert.equal(await count(`SELECT count(*) AS n FROM fed_transfer`), before, 'nothing filed');
    });

    test('a clerk of another city cannot file for, nor read, the city’s people; a client cannot send amounts or dates', async () => {
      const mine = await send(t.app, as['citizen']!, 'POST', '/api/v1/cross-province/requests', {
        service: 'record-statement',
        province: B,
      });
      assert.equal(mine.statusCode, 201, mine.body);
      const id = mine.json<{ id: number }>().id;
      for (const [url, body] of routes) {
        const r = await send(t.app, as['clerk-hefei']!, 'POST', url, { ...body, personId: t.personId });
        assert.equal(r.statusCode, 403, `${url}: ${r.body}`);
      }
      // as an unknown id since wave 14 (it was 403)
      const peek = await send(t.app, as['clerk-hefei']!, 'GET', `/api/v1/cross-province/requests/${id}`);
      assert.equal(peek.statusCode, 404);
      const other = await send(t.app, as['citizen2']!, 'GET', `/api/v1/cross-province/requests/${id}`);
      assert.equal(other.statusCode, 404);
      const list = await send(t.app, as['clerk-hefei']!, 'GET', '/api/v1/cross-province/requests');
      assert.ok(!list.json<Array<{ id: number }>>().some((x) => x.id === id));
      for (const extra of [{ amountFen: 1 }, { appliedOn: '2020-01-01' }, { transferredFen: 100 }]) {
        const r = await send(t.app, as['citizen']!, 'POST', '/api/v1/transfers', {
          kind: 'scheme-bridging',
          ...extra,
        });
        assert.equal(r.statusCode, 400, `${JSON.stringify(extra)}: ${r.body}`);
      }
    });

    test('a status from a province other than the one handling the request changes nothing; a malformed statement from the right one does not break the page', async () => {
      const filed = await send(t.app, as['citizen']!, 'POST', '/api/v1/cross-province/requests', {
        service: 'insurance-certificate',
        province: B,
      });
      assert.equal(filed.statusCode, 201, filed.body);
      const id = filed.json<{ id: number }>().id;
      const ref = (
        await sql<{ ref: string }>`SELECT ref FROM fed_xp_request WHERE id = ${id}`.execute(t.ctx.db)
      ).rows[0]!.ref;
      const handler = CrossProvinceService.handlers(A)['xp.status'];
      const env = (from: string, body: unknown) => message(from, A, 'xp.status', body);
      await takeIn(t.ctx.db, env(C, { ref, status: 'rejected', note: '伪造 / forged' }), handler);
      const still = await send(t.app, as['citizen']!, 'GET', `/api/v1/cross-province/requests/${id}`);
      assert.equal(still.json<{ status: string }>().status, 'submitted', 'C does not handle it');
      // B handles it, but sends a statement that is not one (missing fields, wrong types, extra ones).
      await takeIn(
        t.ctx.db,
        env(B, { ref, status: 'completed', result: { province: 5, evil: '<img src=x>' }, note: 'ok' }),
        handler,
      );
      const after = await send(t.app, as['citizen']!, 'GET', `/api/v1/cross-province/requests/${id}`);
      assert.equal(after.statusCode, 200, after.body);
      assert.ok(!after.body.includes('evil'), after.body);
      const listed = await send(t.app, as['citizen']!, 'GET', '/api/v1/cross-province/requests');
      assert.equal(listed.statusCode, 200, listed.body);
    });
  });

  describe('background jobs: the status, the 202 release, the assessment', () => {
    test('a job is read only by staff of its region: anonymous 401; citizen, employer, policy 403; another city as an unknown job (404)', async () => {
      const job = (
        await sql<{ id: unknown }>`SELECT id FROM background_job ORDER BY id LIMIT 1`.execute(t.ctx.db)
      ).rows[0];
      assert.ok(job, 'the refund scan queued a job above');
      const url = `/api/v1/jobs/${String(job.id)}`;
      assert.equal((await send(t.app, null, 'GET', url)).statusCode, 401);
      for (const who of ['citizen', 'employer', 'policy']) {
        const r = await send(t.app, as[who]!, 'GET', url);
        assert.equal(r.statusCode, 403, `${who}: ${r.body}`);
      }
      for (const who of ['clerk-hefei', 'clerk-district']) {
        const r = await send(t.app, as[who]!, 'GET', url);
        const unknown = await send(t.app, as[who]!, 'GET', '/api/v1/jobs/987654321');
        assert.equal(r.statusCode, 404, `${who}: ${r.body}`);
        assert.equal(r.body, unknown.body, `${who}: another city's job reads as an unknown one`);
        assert.ok(!unknown.body.includes('987654321'), unknown.body);
      }
      assert.equal((await send(t.app, as['clerk']!, 'GET', url)).statusCode, 200);
    });

    test('the release that answers 202: not by its preparer, not by a second account of the same person, not by another city’s reviewer', async () => {
      await seedPensioners(t.ctx.db, { count: 3, region: TEST_REGION, startPeriod: '2025-01' });
      const prepared = await send(t.app, as['clerk']!, 'POST', '/api/v1/payroll/runs', {
        period: '2026-03',
        region: TEST_REGION,
      });
      assert.ok([200, 201].includes(prepared.statusCode), prepared.body);
      const id = prepared.json<{ id: number }>().id;
      const clerkPerson = (
        await t.ctx.db
          .selectFrom('app_user')
          .select('person_id')
          .where('username', '=', 'clerk')
          .executeTakeFirstOrThrow()
      ).person_id;
      const twin = await loginAsNew(t, 'reviewer-twin', {
        role: 'reviewer',
        region: TEST_REGION,
        personId: Number(clerkPerson),
      });
      const url = `/api/v1/approvals/${id}/release`;
      // another city's approval answers its reviewer as an unknown id does (wave 5)
      for (const [who, login, status] of [
        ['clerk', as['clerk']!, 403],
        ['reviewer-twin', twin, 403],
        ['reviewer-hefei', as['reviewer-hefei']!, 404],
        ['policy', as['policy']!, 403],
      ] as const) {
        const r = await send(t.app, login, 'POST', url, {});
        assert.equal(r.statusCode, status, `${who}: ${r.body}`);
      }
      assert.equal(
        await count(`SELECT count(*) AS n FROM background_job WHERE kind LIKE 'approval:%'`),
        0,
        'no refused release queued a job',
      );
      const ok = await send(t.app, as['reviewer']!, 'POST', url, {});
      assert.equal(ok.statusCode, 202, ok.body);
    });

    test('a job that fails inside shows staff a stable code and a plain message, not the internal error (which is logged)', async () => {
      const actor = {
        userId: as['clerk']!.user.id,
        username: 'clerk',
        role: 'clerk',
        personId: null,
        employerId: null,
        region: TEST_REGION,
      };
      // A job row whose params its kind cannot read (as a bug or a database error would fail a job):
      // the worker fails it with an internal error.
      const ins = await sql<{ id: unknown }>`
        INSERT INTO background_job (kind, key, params, actor, region)
        VALUES ('unemployment.refund-scan', 'probe', 'null'::jsonb, ${JSON.stringify(actor)}::jsonb, ${TEST_REGION})
        RETURNING id`.execute(t.ctx.db);
      t.app.kickJobs();
      const job = await awaitJob(t.app, as['clerk']!.headers, Number(ins.rows[0]!.id));
      assert.equal(job.status, 'failed');
      assert.equal(job.error?.code, 'SB_ERR_INTERNAL');
      assert.ok(!/null|reading|year|TypeError/i.test(job.error.message), JSON.stringify(job.error));
    });

    test('the assessment: another city’s clerk, the whole country, a future period, a policy user are refused', async () => {
      const post = (who: string, body: object) =>
        send(t.app, as[who]!, 'POST', '/api/v1/contributions/assessments', body);
      const cases: Array<[string, object, number]> = [
        ['clerk-hefei', { period: '2026-02', region: TEST_REGION }, 403],
        ['clerk-district', { period: '2026-02', region: TEST_REGION }, 403],
        ['clerk', { period: '2026-02', region: '000000' }, 403],
        ['policy', { period: '2026-02' }, 403],
        ['employer', { period: '2026-02' }, 403],
        ['clerk', { period: '2027-01', region: TEST_REGION }, 400],
        ['clerk', { period: '2026-02', region: TEST_REGION, bills: 9 }, 400],
      ];
      const before = await count(`SELECT count(*) AS n FROM background_job WHERE kind LIKE 'contributions%'`);
      for (const [who, body, status] of cases) {
        const r = await post(who, body);
        assert.equal(r.statusCode, status, `${who} ${JSON.stringify(body)}: ${r.body}`);
      }
      assert.equal(
        await count(`SELECT count(*) AS n FROM background_job WHERE kind LIKE 'contributions%'`),
        before,
      );
    });
  });
});
