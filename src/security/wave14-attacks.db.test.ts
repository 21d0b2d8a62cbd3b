// The fourteenth wave's attacker's walk (sec39): "not yours" answered as "not found" on the routes wave 13
// could not reach (the walk now makes their records: transfers, cross-province requests, collections,
// certification imports and campaigns, hospitals and their keys), a clerk's free text
// masked where a reader sees it, the two dates still unbounded, and what the thirty-eighth pass added.
// Each test goes through the real server (app.inject) on a real database; the holes were seen failing
// first (docs/security.md, wave 14).
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { POLICY, Scope } from '../auth/policy.ts';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import type { Role } from '../db/database.ts';
import { insertImport } from '../certification/data-import.repository.ts';
import { setFederationSecret } from '../federation/fed.messaging.ts';
import { federationRoutes } from '../federation/federation.routes.ts';
import { insertCollection } from '../federation/transfer-collect.repository.ts';
import { collectionRoutes } from '../federation/transfer-collect.routes.ts';
import { consumeEvents } from '../hall/events.job.ts';
import { HospitalService } from '../injury/hospital.service.ts';
import { BANK_RECEIPT_HEADER } from '../testing/bill-fixtures.ts';
import { makeEmployer, makeInjuryCase, makePerson } from '../testing/factories.ts';
import { TEST_REGION } from '../testing/test-app.ts';
import { seedApprovedClaims } from '../testing/unemployment-fixtures.ts';
import { loginAsNew } from '../testing/users.ts';
import { attackerWalk } from './attackers.ts';
import { idSlots, madeIds, spreadIds, walkIds, type OpenApi, type SampleValues } from './id-walk.ts';

const TODAY = '2026-04-20';
const UNKNOWN_ID = 987_654_321;
const FAR = '340100';
const PROVINCE = '340000';

const ATTACKERS: readonly [who: string, role: Role, scope: Scope][] = [
  ['clerk-hefei', 'clerk', 'region'],
  ['reviewer-hefei', 'reviewer', 'region'],
  ['supervisor-hefei', 'supervisor', 'region'],
  ['admin-hefei', 'admin', 'region'],
  ['citizen-b', 'citizen', 'own-person'],
];
const INSIDERS: readonly Role[] = ['clerk', 'reviewer', 'supervisor', 'admin', 'citizen', 'employer'];

/** The tables whose records wave 13's walk did not make, and the route of each this wave must reach. */
const REACHED: Record<string, string> = {
  fed_transfer: 'GET /api/v1/transfers/{id} path.id',
  fed_xp_request: 'GET /api/v1/cross-province/requests/{id} path.id',
  fed_collection: 'GET /api/v1/transfers/collections/{id} path.id',
  certification_import: 'GET /api/v1/certification/imports/{id} path.id',
  certification_campaign: 'GET /api/v1/certification/campaigns/{id} path.id',
  hospital: 'GET /api/v1/hospitals/{id}/keys path.id',
  hospital_api_key: 'POST /api/v1/hospital-keys/{id}/rotate path.id',
};

describe('wave 14', () => {
  // a province node's routes beside the server's own, as a federation node serves them (the transfers')
  const w = attackerWalk(['citizen-b', 'reviewer-hefei', 'supervisor-hefei'], TODAY, {
    routes: async (app, ctx) => {
      setFederationSecret('w14-federation-secret-0123456789abcdef');
      await app.register(federationRoutes, {
        ctx,
        self: PROVINCE,
        provinces: [PROVINCE, '110000'],
        stats: () => ({}),
      });
      await app.register(collectionRoutes, { ctx });
    },
  });
  const { as, call, error } = w;
  const answer = (r: { statusCode: number; json: <T>() => T }) => ({
    status: r.statusCode,
    error: r.statusCode >= 400 ? error(r) : undefined,
  });

  test('the records wave 13 could not make — a transfer, a cross-province request, a collection, a certification import and campaign, a hospital and its key — are walked: another person, another city’s staff or administrator hear what an unknown id gets, never the id', async (ctx) => {
    const db = w.t.ctx.db;
    as['admin'] = await w.t.login('admin');
    as['admin-hefei'] = await loginAsNew(w.t, 'admin-hefei', { role: 'admin', region: FAR });
    const actionOf = (method: string, path: string) =>
      w.t.app.routeTable.find(
        (r) => !r.public && r.method === method && r.url.replace(/:(\w+)/g, '{$1}') === path,
      )?.action as keyof typeof POLICY | undefined;
    const doc = (w.t.app as unknown as { swagger(): OpenApi }).swagger();
    const { slots, unnamed, tableOf } = await idSlots(db, doc, actionOf);
    await spreadIds(
      db,
      slots.map((s) => s.table),
    );

    // one record of each kind, of the region and of a person none of the attackers is
    const p = await makePerson(db);
    const e = await makeEmployer(db);
    const hash = randomBytes(32).toString('hex');
    await sql`INSERT INTO fed_transfer (ref, direction, id_hash, person_id, from_province, to_province, status, applied_by)
      VALUES ('W14-T-1', 'in', ${hash}, ${p.id}, '110000', ${PROVINCE}, 'requested', 'w14')`.execute(db);
    await sql`INSERT INTO fed_xp_request (ref, side, service, person_id, filed_in, handled_by, status, applied_by)
      VALUES ('W14-X-1', 'filed', 'insurance-certificate', ${p.id}, ${PROVINCE}, '110000', 'submitted', 'w14')`.execute(
      db,
    );
    await insertCollection(db, { ref: 'W14-C-1', personId: p.id, appliedBy: 'w14' });
    await insertImport(db, {
      kind: 'death',
      region: TEST_REGION,
      content_hash: hash,
      filename: 'w14.csv',
      line_count: 0,
      result: JSON.stringify({}),
      created_by: 'w14',
    });
    const campaign = await call('clerk', 'POST', '/api/v1/certification/campaigns', {
      region: TEST_REGION,
      year: 2026,
    });
    assert.equal(campaign.statusCode, 201, campaign.body);
    const hospitals = new HospitalService(db);
    const h = await hospitals.createHospital(systemActor('w14'), {
      code: 'W14H0001',
      name: '宣城市第十四医院',
      region: TEST_REGION,
    });
    await hospitals.createApiKey(systemActor('w14'), h.id, 'HIS');

    const made = await madeIds(
      db,
      slots.map((s) => s.table),
    );
    const slotOf = (route: string) =>
      slots.find((s) => `${s.method} ${s.path} ${s.in}.${s.name}` === route)?.table ?? 'no slot';
    assert.deepEqual(
      Object.values(REACHED).map(slotOf),
      Object.keys(REACHED),
      `each route's table as the walk names it: ${JSON.stringify(Object.values(REACHED).map(slotOf))}`,
    );
    const v: SampleValues = {
      today: TODAY,
      idNumber: p.id_number,
      creditCode: e.credit_code,
      idOf: (noun, path) => {
        const table = tableOf(noun, path);
        return table === undefined ? undefined : made.get(table);
      },
    };
    const { failures, walked, reached, wrongKinds } = await walkIds(slots, call, {
      attackers: ATTACKERS,
      insiders: INSIDERS,
      unknownId: UNKNOWN_ID,
      made,
      values: v,
      // only the kinds wave 13's walk had no record of (it walks the rest)
      walks: (slot) => slot.table in REACHED,
    });
    ctx.diagnostic(
      `${reached} attacks and ${wrongKinds} wrong kinds over ${[...walked].length} routes: ${[...walked].join('; ')}; unnamed: ${unnamed.join('; ')}`,
    );
    assert.deepEqual(failures, []);
    for (const route of Object.values(REACHED)) assert.ok(walked.has(route), `${route} walked`);
  });

  test('a clerk’s free text: an ID number typed into a suspension’s reason reaches the pensioner’s message masked, and a restoration’s reason the approval page masked (old code: both whole)', async () => {
    const db = w.t.ctx.db;
    const ID = makeIdNumber('341802', '1961-05-06', 17);
    const personId = w.t.personId;
    const award = await sql<{ id: unknown }>`
      INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months,
        monthly_fen, created_by)
      VALUES (${personId}, 'employee_pension', ${TEST_REGION}, 'import', '2021-06-15', '2021-07', 300, 300000, 'test')
      RETURNING id`.execute(db);
    const awardId = Number(award.rows[0]?.id);
    await sql`INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, created_by)
      VALUES (${awardId}, '2021-07', 300000, 'initial', 'test')`.execute(db);
    const s = await call('clerk', 'POST', `/api/v1/pension/awards/${awardId}/suspend`, {
      fromPeriod: '2026-05',
      reason: `与 ${ID} 重复领取，暂停核查`,
    });
    assert.equal(s.statusCode, 200, s.body);
    await consumeEvents(w.t.ctx);
    const inbox = await call('citizen', 'GET', '/api/v1/messages');
    const told = inbox
      .json<{ items: { topic: string; bodyZh: string; bodyEn: string }[] }>()
      .items.filter((m) => m.topic === 'pension.suspended');
    assert.equal(told.length, 1, inbox.body);
    assert.ok(told[0]!.bodyZh.includes('重复领取'), 'the clerk’s words are there');
    assert.ok(!inbox.body.includes(ID), inbox.body);
    // another citizen's inbox holds none of it
    const theirs = await call('citizen-b', 'GET', '/api/v1/messages');
    assert.equal(theirs.statusCode, 200);
    assert.ok(!theirs.body.includes('重复领取'), theirs.body);

    const prepared = await call('clerk', 'POST', `/api/v1/pension/awards/${awardId}/restore`, {
      reason: `核实 ${ID} 非本人，恢复发放`,
    });
    assert.equal(prepared.statusCode, 200, prepared.body);
    const approval = prepared.json<{ id: number }>().id;
    for (const [who, url] of [
      ['reviewer', `/api/v1/approvals/${approval}`],
      ['reviewer', '/api/v1/approvals?status=prepared'],
      ['clerk', `/api/v1/approvals/${approval}`],
    ] as const) {
      const r = await call(who, 'GET', url);
      assert.equal(r.statusCode, 200, r.body);
      assert.ok(r.body.includes('非本人'), `${url}: the reason is shown`);
      assert.ok(!r.body.includes(ID), `${who} ${url}: ${r.body}`);
    }
    // the action still runs from the stored reason: the release is unchanged
    const released = await call('reviewer', 'POST', `/api/v1/approvals/${approval}/release`, {});
    assert.equal(released.statusCode, 200, released.body);
  });

  test('dates still unbounded: a resumption dated before its claim’s interruption, a treatment filing from before the accident or a year ahead (old code: 200, 201, 201); the resumption’s note masked on the claim’s events', async () => {
    const db = w.t.ctx.db;
    const e = await makeEmployer(db);
    await seedApprovedClaims(db, {
      count: 1,
      region: TEST_REGION,
      employerId: e.id,
      firstPeriod: '2026-01',
      idPrefix: 'V',
    });
    const claim = await db
      .selectFrom('unemployment_claim')
      .select('id')
      .where('employer_id', '=', e.id)
      .executeTakeFirstOrThrow();
    // interrupted on 10 March (only Guangdong's table interrupts — imprisonment —, so the claim is set so)
    await sql`UPDATE unemployment_claim SET status = 'interrupted', stop_event = 'imprisonment',
      stop_date = '2026-03-10', interrupted_from_period = '2026-04' WHERE id = ${claim.id}`.execute(db);
    const ID = makeIdNumber('341802', '1970-02-03', 23);
    const resume = (date: string) =>
      call('clerk', 'POST', `/api/v1/unemployment/claims/${claim.id}/resume`, {
        date,
        note: `刑满释放，核对 ${ID}`,
      });
    const early = await resume('2026-02-01');
    assert.equal(early.statusCode, 400, early.body);
    assert.equal(error(early)?.field, 'date', early.body);
    assert.ok(!early.body.includes('2026-02-01'), early.body);
    assert.equal((await resume('2026-04-01')).statusCode, 200);
    // the clerk's note on the claim's events, which its claimant reads too: the ID number masked (old code: whole)
    const events = await call('clerk', 'GET', `/api/v1/unemployment/claims/${claim.id}/events`);
    assert.equal(events.statusCode, 200, events.body);
    assert.ok(events.body.includes('刑满释放') && !events.body.includes(ID), events.body);

    const p = await makePerson(db);
    const c = await makeInjuryCase(db, {
      person_id: p.id,
      employer_id: e.id,
      accident_date: '2026-03-02',
    });
    const hospitals = await call('clerk', 'GET', '/api/v1/hospitals');
    const hospitalId = hospitals.json<{ items: { id: number }[] }>().items[0]?.id;
    assert.ok(hospitalId !== undefined, hospitals.body);
    const file = (validFrom: string) =>
      call('clerk', 'POST', `/api/v1/injury/cases/${c.id}/filings`, {
        hospitalId,
        validFrom,
        reason: '转外地治疗',
      });
    for (const day of ['2026-03-01', '2027-04-20']) {
      const r = await file(day);
      assert.equal(r.statusCode, 400, `${day}: ${r.body}`);
      assert.equal(error(r)?.field, 'validFrom', r.body);
      assert.ok(!r.body.includes(day), r.body);
    }
    // the accident's day (a filing after an admission elsewhere) and one planned for next month
    for (const day of ['2026-03-02', '2026-05-20']) assert.equal((await file(day)).statusCode, 201, day);
  });

  test('what the thirty-eighth pass added, held: the bank receipt file’s skipped lines again, the card terminal register and a hall message by id, as a citizen, an employer, another city’s clerk and an anonymous caller', async () => {
    fixToday(TODAY);
    const receipts = (who: string | null, query: string) =>
      w.t.app.inject({
        method: 'POST',
        url: `/api/v1/payments/bank-receipts.csv?skippedAgain=true${query}`,
        headers: { ...(who === null ? {} : as[who]!.headers), 'content-type': 'text/csv' },
        payload: `${BANK_RECEIPT_HEADER}\n`,
      });
    for (const who of ['citizen', 'employer']) assert.equal((await receipts(who, '')).statusCode, 403, who);
    assert.equal((await receipts(null, '')).statusCode, 401);
    // another city's clerk names this region: refused whatever the file
    assert.equal((await receipts('clerk-hefei', `&region=${TEST_REGION}`)).statusCode, 403);

    for (const who of ['citizen', 'employer'])
      assert.equal((await call(who, 'GET', '/api/v1/card-terminals')).statusCode, 403, who);
    assert.equal((await call(null, 'GET', '/api/v1/card-terminals')).statusCode, 401);
    const far = await call('clerk-hefei', 'GET', `/api/v1/card-terminals?region=${TEST_REGION}`);
    assert.equal(far.statusCode, 403, far.body);

    // a message by id: another citizen's answers as none, its id not repeated
    const mine = await call('citizen', 'GET', '/api/v1/messages');
    const id = mine.json<{ items: { id: number }[] }>().items[0]?.id;
    assert.ok(id !== undefined, mine.body);
    const other = await call('citizen-b', 'POST', `/api/v1/messages/${id}/read`);
    const unknown = await call('citizen-b', 'POST', `/api/v1/messages/${UNKNOWN_ID}/read`);
    assert.deepEqual(answer(other), answer(unknown));
    assert.equal(other.statusCode, 404, other.body);
    assert.ok(!other.body.includes(String(id)) && !unknown.body.includes(String(UNKNOWN_ID)), other.body);
  });

  test('the fortieth pass’s terminal upload key, attacked: a citizen, an employer and another city’s clerk get no key, a login is not a key, a key uploads for its own terminal and region only; an id another region holds answers as one this region holds', async () => {
    fixToday(TODAY);
    const made = await call('clerk', 'POST', '/api/v1/card-terminals', {
      terminalId: 'W14-GATE-1',
      kind: 'bus',
      name: '宣城公交 闸机',
    });
    assert.equal(made.statusCode, 201, made.body);
    const { key } = made.json<{ key: string }>();
    const renew = (who: string | null, id = 'W14-GATE-1') =>
      call(who, 'POST', `/api/v1/card-terminals/${id}/key`);
    for (const who of ['citizen', 'employer', 'reviewer', 'supervisor'])
      assert.equal((await renew(who)).statusCode, 403, who);
    assert.equal((await renew(null)).statusCode, 401);
    // another city's clerk: the answer of an id nobody registered, the id not repeated
    const far = await renew('clerk-hefei');
    assert.deepEqual(answer(far), answer(await renew('clerk-hefei', 'W14-NOBODY')));
    assert.equal(far.statusCode, 404, far.body);
    assert.ok(!far.body.includes('W14-GATE-1'), far.body);

    const batch = (terminalId: string, region = TEST_REGION) => ({
      terminalId,
      terminalKind: 'bus',
      region,
      records: [{ seq: 1, cardRef: 'a'.repeat(32), usedAt: `${TODAY}T08:00:00+08:00`, accepted: true }],
    });
    // a session, however strong, is not a terminal's key
    for (const who of ['clerk', 'clerk-hefei', 'citizen', null]) {
      const r = await call(who, 'POST', '/api/v1/terminal-api/card-uses', batch('W14-GATE-1'));
      assert.equal(r.statusCode, 401, `${who}: ${r.body}`);
      assert.equal(error(r)?.code, 'SB_ERR_TERMINAL_KEY_INVALID');
    }
    const asTerminal = (body: unknown) =>
      w.t.app.inject({
        method: 'POST',
        url: '/api/v1/terminal-api/card-uses',
        headers: { 'x-terminal-key': key },
        remoteAddress: '10.14.0.1',
        payload: body as Record<string, unknown>,
      });
    // the key names Hefei's region: refused; another terminal of the region: as unregistered
    assert.equal((await asTerminal(batch('W14-GATE-1', FAR))).statusCode, 403);
    assert.equal((await asTerminal(batch('W14-OTHER'))).statusCode, 404);

    // registering an id another region holds: exactly the answer of an id this region holds
    const theirs = await call('clerk-hefei', 'POST', '/api/v1/card-terminals', {
      terminalId: 'W14-GATE-1',
      kind: 'bus',
      name: '合肥公交 闸机',
    });
    const ours = await call('clerk', 'POST', '/api/v1/card-terminals', {
      terminalId: 'W14-GATE-1',
      kind: 'bus',
      name: '宣城公交 闸机',
    });
    assert.equal(theirs.statusCode, 409, theirs.body);
    assert.equal(theirs.body, ours.body);
    assert.ok(!/341800|宣城/.test(theirs.body), theirs.body);
  });
});
