// The agency's view of a pensioner's certifications (thirty-ninth pass): a clerk answering the phone saw
// nothing of when and how a pensioner last certified, nor whether they are due, suspended for not
// certifying, or paid again. GET /api/v1/persons/{id}/certification/history answers it: the state, the
// campaign, the latest restoration, each certification's source in parts (a card use: the registered
// terminal that saw the card and its region; a home visit: the clerk) — staff of the person's region only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { makePerson } from '../testing/factories.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { callAs } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { makeUsers } from '../testing/users.ts';
import { CampaignService } from './campaign.service.ts';

let t: TestApp;
const as: Record<string, LoginResult> = {};
const call = callAs(() => t.app, as);

interface Source {
  kind: string;
  clerk: string | null;
  importKind: string | null;
  filename: string | null;
  line: number | null;
  terminal: { terminalId: string; name: string; kind: string; region: string } | null;
}
interface History {
  state: string;
  suspendedFromPeriod: string | null;
  campaign: { year: number; deadline: string; swept: boolean; certifiedOn: string | null } | null;
  lastCertifiedOn: string | null;
  restoration: { year: number; suspendedFromPeriod: string; restoredFromPeriod: string | null } | null;
  certifications: Array<{ certifiedOn: string; channel: string; source: Source }>;
  suspensions: Array<{ year: number; suspendedFromPeriod: string; restoredFromPeriod: string | null }>;
}

const history = async (personId: number, who = 'clerk') => {
  const r = await call(who, 'GET', `/api/v1/persons/${personId}/certification/history`);
  assert.equal(r.statusCode, 200, r.body);
  return r.json<History>();
};

let [swept, visited, carded] = [0, 0, 0];
let cardedIdNumber = '';
let campaignId = 0;

before(async () => {
  t = await makeTestApp();
  fixToday('2021-04-10');
  await seedPensioners(t.ctx.db, { count: 2, region: TEST_REGION, startPeriod: '2020-07' });
  const seeded = await sql<{
    person_id: unknown;
  }>`SELECT person_id FROM pension_award ORDER BY person_id`.execute(t.ctx.db);
  [swept, visited] = seeded.rows.map((r) => Number(r.person_id)) as [number, number];
  // a data comparison checks the ID number, so the card user has a real one
  cardedIdNumber = makeIdNumber('341802', '1955-03-01', 41);
  carded = (
    await makePerson(t.ctx.db, {
      id_number: cardedIdNumber,
      name: '李大爷',
      sex: 'M',
      birth_date: '1955-03-01',
      region: TEST_REGION,
    })
  ).id;
  const award = await sql<{ id: unknown }>`
    INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months,
      monthly_fen, created_by)
    VALUES (${carded}, 'employee_pension', ${TEST_REGION}, 'import', '2015-03-01', '2015-04', 400, 300000, 'test')
    RETURNING id`.execute(t.ctx.db);
  await sql`INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, created_by)
    VALUES (${Number(award.rows[0]?.id)}, '2015-04', 300000, 'initial', 'test')`.execute(t.ctx.db);
  campaignId = (
    await new CampaignService(t.ctx.db).create(systemActor('test'), { region: TEST_REGION, year: 2021 })
  ).id;
  await makeUsers(t.ctx.db, { farclerk: { displayName: 'far clerk', role: 'clerk', region: '110000' } });
  for (const u of ['clerk', 'reviewer', 'citizen', 'farclerk']) as[u] = await t.login(u);
});

after(async () => {
  fixToday(null);
  await t.close();
});

test('a pensioner not yet certified is due by the deadline; a card use at another city’s terminal and a home visit read in parts', async () => {
  const due = await history(swept);
  assert.deepEqual(
    [due.state, due.campaign, due.lastCertifiedOn, due.certifications, due.suspensions],
    [
      'due',
      { ...due.campaign, year: 2021, deadline: '2021-12-31', swept: false, certifiedOn: null },
      null,
      [],
      [],
    ],
  );

  // A Beijing bus gate saw the card on 3 May (08:00 in Shanghai); the comparison of that region's terminals certifies.
  await sql`INSERT INTO card_terminal (terminal_id, kind, name, region, registered_on, registered_by)
    VALUES ('BJ-BUS-7', 'bus', '北京公交 7 路', '110000', '2021-01-04', 'bj-clerk')`.execute(t.ctx.db);
  await sql`INSERT INTO card_use (terminal_id, seq, terminal_kind, region, card_ref, person_id, used_at, accepted, uploaded_by)
    VALUES ('BJ-BUS-7', 1, 'bus', '110000', ${'a'.repeat(32)}, ${carded}, '2021-05-03T00:00:00Z', true, 'bj-clerk')`.execute(
    t.ctx.db,
  );
  fixToday('2021-05-10');
  const filename = 'card-uses-2021-05-01-2021-05-09-terminals-110000.csv';
  const imported = await call('clerk', 'POST', '/api/v1/certification/imports', {
    kind: 'card',
    region: TEST_REGION,
    filename,
    csv: `id_number,use_date,terminal\n${cardedIdNumber},2021-05-03,BJ-BUS-7\n`,
  });
  assert.equal(imported.statusCode, 201, imported.body);
  const card = await history(carded);
  assert.equal(card.state, 'certified');
  assert.equal(card.lastCertifiedOn, '2021-05-03');
  assert.deepEqual(
    card.certifications.map((c) => [c.certifiedOn, c.channel]),
    [['2021-05-03', 'data']],
  );
  assert.deepEqual(card.certifications[0]?.source, {
    ...card.certifications[0]?.source,
    kind: 'import',
    importKind: 'card',
    filename,
    line: 2,
    terminal: { terminalId: 'BJ-BUS-7', name: '北京公交 7 路', kind: 'bus', region: '110000' },
  });

  const visit = await call('clerk', 'POST', '/api/v1/certification/visits', {
    personId: visited,
    visitedOn: '2021-05-10',
    outcome: 'alive',
  });
  assert.equal(visit.statusCode, 201, visit.body);
  const home = await history(visited);
  assert.equal(home.state, 'certified');
  assert.deepEqual(
    home.certifications.map((c) => [c.channel, c.source.kind, c.source.clerk, c.source.terminal]),
    [['visit', 'visit', 'clerk', null]],
  );
});

test('suspended for not certifying by the deadline, then certified: paid again, the restoration and the suspension newest first', async () => {
  fixToday('2022-03-10');
  await new CampaignService(t.ctx.db).sweep(systemActor('test'), campaignId);
  const held = await history(swept, 'reviewer');
  assert.deepEqual(
    [held.state, held.suspendedFromPeriod, held.restoration, held.campaign?.swept],
    ['suspended', '2022-01', null, true],
  );
  assert.deepEqual(
    held.suspensions.map((s) => [s.year, s.suspendedFromPeriod, s.restoredFromPeriod]),
    [[2021, '2022-01', null]],
  );

  const visit = await call('clerk', 'POST', '/api/v1/certification/visits', {
    personId: swept,
    visitedOn: '2022-03-10',
    outcome: 'alive',
  });
  assert.equal(visit.statusCode, 201, visit.body);
  const again = await history(swept);
  assert.deepEqual(
    [again.state, again.suspendedFromPeriod, again.lastCertifiedOn, again.campaign?.certifiedOn],
    ['certified', null, '2022-03-10', '2022-03-10'],
  );
  assert.deepEqual(again.restoration, {
    ...again.restoration,
    year: 2021,
    suspendedFromPeriod: '2022-01',
    restoredFromPeriod: '2022-03',
  });
});

test('who may read it: staff of the region (audited as a read); another city’s clerk 404 as for no person, a citizen 403, nobody 401', async () => {
  const url = (id: number) => `/api/v1/persons/${id}/certification/history`;
  const far = await call('farclerk', 'GET', url(swept));
  const none = await call('farclerk', 'GET', url(99_999_999));
  assert.equal(far.statusCode, 404);
  assert.equal(far.body, none.body);
  assert.equal((await call('citizen', 'GET', url(t.personId))).statusCode, 403);
  assert.equal((await t.app.inject({ method: 'GET', url: url(swept) })).statusCode, 401);
  const reads = await t.ctx.db
    .selectFrom('audit_log')
    .select('actor_username')
    .where('action', '=', 'certification.read')
    .where('entity_id', '=', String(swept))
    .execute();
  assert.deepEqual([...new Set(reads.map((r) => r.actor_username))].sort(), ['clerk', 'reviewer']);
});
