// Social security cards and the e-card (issue 14), on the real app and a real database: the contract
// (own cards, loss blocks at once, QR token, public JWKS and revocation snapshot), each refusal reason
// of the offline verifier, key rotation, idempotent use records, death, employer batches — and the
// attacker's view (another's card, the ID number in the token, anonymous callers).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { today } from '../core/clock.ts';
import { dayNumber, fromDayNumber } from '../core/dates.ts';
import { makeIdNumber } from '../core/ids.ts';
import { PersonService } from '../registry/person.service.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew, makeUser } from '../testing/users.ts';
import { CardCertificationService } from './card-certification.service.ts';
import { CardTerminalService } from './card-terminal.service.ts';
import { CardService } from './card.service.ts';
import { EcardKeyService } from './ecard-key.service.ts';
import { emptyState, verifyEcardToken, type RevocationSnapshot } from './ecard-verifier.ts';
import { makeEmployment, makePerson } from '../testing/factories.ts';

let t: TestApp;
let citizen: LoginResult;
let other: LoginResult;
let otherPersonId: number;
const sys = systemActor('test');

async function activatedCard(personId: number): Promise<number> {
  const s = new CardService(t.ctx.db);
  const c = await s.apply(sys, personId);
  await s.advance(sys, c.id, 'produce');
  await s.advance(sys, c.id, 'issue');
  await s.activate(sys, c.id);
  return c.id;
}

async function newPerson(seq: number, birth = '1980-03-03'): Promise<number> {
  const p = await makePerson(t.ctx.db, {
    id_number: makeIdNumber('341802', birth, seq),
    name: `持卡${seq}`,
    sex: 'F',
    birth_date: birth,
  });
  return p.id;
}

/** The persons employed by the test employer since 2025-01-01. */
async function employHere(personIds: number[]): Promise<void> {
  for (const person_id of personIds)
    await makeEmployment(t.ctx.db, { person_id, employer_id: t.employerId, start_date: '2025-01-01' });
}

const get = (url: string, who?: LoginResult) =>
  t.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookieHeader } : {} });
const post = (url: string, who: LoginResult, payload?: Record<string, unknown>) =>
  payload === undefined
    ? t.app.inject({ method: 'POST', url, headers: who.headers })
    : t.app.inject({ method: 'POST', url, headers: who.headers, payload });

async function jwks() {
  return (await get('/api/v1/ecard/jwks')).json<{ keys: Array<Record<string, string>> }>();
}
async function snapshot() {
  return (await get('/api/v1/ecard/revoked')).json<RevocationSnapshot>();
}
async function qr(who: LoginResult) {
  const r = await get('/api/v1/ecard/qr', who);
  assert.equal(r.statusCode, 200, r.body);
  return r.json<{ token: string; expiresAt: string }>();
}

before(async () => {
  t = await makeTestApp();
  otherPersonId = await newPerson(77);
  await makeUser(t.ctx.db, 'citizen2', { personId: otherPersonId });
  await activatedCard(t.personId);
  await activatedCard(otherPersonId);
  citizen = await t.login('citizen');
  other = await t.login('citizen2');
});
after(async () => t.close());

describe('contract', () => {
  test('the holder lists their own activated card (paginated), and its history from application to activation', async () => {
    const r = await get('/api/v1/cards?page=1&pageSize=5', citizen);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<{
      items: Array<{ id: number; status: string; personId: number; cardNo: string }>;
      total: number;
      pageSize: number;
    }>();
    assert.equal(body.total, 1);
    assert.equal(body.pageSize, 5);
    assert.equal(body.items[0]?.status, 'activated');
    assert.equal(body.items[0]?.personId, t.personId);
    assert.match(body.items[0]?.cardNo ?? '', /^[0-9]{9}$/);
    const h = await get(`/api/v1/cards/${body.items[0]?.id}/history`, citizen);
    assert.deepEqual(
      h.json<{ events: Array<{ toStatus: string }> }>().events.map((e) => e.toStatus),
      ['applied', 'produced', 'issued', 'activated'],
    );
  });

  test('the QR token is a 60-second EdDSA JWS with a card reference, region, expiry and nonce — never the ID number', async () => {
    const { token, expiresAt } = await qr(citizen);
    const header = decodeProtectedHeader(token);
    assert.equal(header.alg, 'EdDSA');
    assert.equal(header.typ, 'ecard+jwt');
    const claims = decodeJwt(token);
    assert.equal(claims.rgn, TEST_REGION);
    assert.match(String(claims.ref), /^[0-9a-f]{32}$/);
    assert.ok(typeof claims.nonce === 'string' && claims.nonce.length >= 16);
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 60);
    assert.equal(new Date(expiresAt).getTime(), (claims.exp ?? 0) * 1000);
    const person = await t.ctx.db
      .selectFrom('person')
      .select(['id_number', 'name'])
      .where('id', '=', t.personId)
      .executeTakeFirstOrThrow();
    const decoded = Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8');
    assert.ok(!decoded.includes(person.id_number), 'the ID number is not in the token');
    assert.ok(!decoded.includes(person.id_number.slice(0, 14)), 'nor a part of it');
    assert.ok(!decoded.includes(person.name), 'nor the name');
    assert.ok(!token.includes(person.id_number));
    const ok = await verifyEcardToken(token, {
      jwks: await jwks(),
      revoked: await snapshot(),
      state: emptyState(),
    });
    assert.equal(ok.ok, true, JSON.stringify(ok));
  });

  test('JWKS holds only public keys (no "d"), the active and the next key', async () => {
    const k = await jwks();
    assert.ok(k.keys.length >= 2);
    for (const key of k.keys) {
      assert.equal(key['d'], undefined);
      assert.equal(key['kty'], 'OKP');
      assert.equal(key['crv'], 'Ed25519');
    }
  });

  test('anonymous callers get only the JWKS and the revocation snapshot', async () => {
    assert.equal((await get('/api/v1/ecard/jwks')).statusCode, 200);
    assert.equal((await get('/api/v1/ecard/revoked')).statusCode, 200);
    assert.equal((await get('/api/v1/ecard/qr')).statusCode, 401);
    assert.equal((await get('/api/v1/cards')).statusCode, 401);
    assert.equal((await get('/api/v1/cards/1/history')).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/cards/1/loss' })).statusCode, 401);
    const snap = await snapshot();
    assert.deepEqual(Object.keys(snap).sort(), ['count', 'generatedAt', 'refs']);
  });
});

describe('an attacker', () => {
  test('a citizen cannot see, read the history of, or block another citizen\u2019s card', async () => {
    const others = (await get('/api/v1/cards', other)).json<{ items: Array<{ id: number }> }>().items;
    const victimCard = others[0]?.id ?? 0;
    const mine = (await get('/api/v1/cards', citizen)).json<{ items: Array<{ id: number }> }>();
    assert.ok(!mine.items.some((c) => c.id === victimCard));
    assert.equal((await get(`/api/v1/cards/${victimCard}/history`, citizen)).statusCode, 404);
    assert.equal((await post(`/api/v1/cards/${victimCard}/loss`, citizen)).statusCode, 404);
    assert.equal(
      (await post(`/api/v1/cards/${victimCard}/loss`, citizen, { kind: 'formal' })).statusCode,
      404,
    );
    assert.equal((await post(`/api/v1/cards/${victimCard}/reissue`, citizen)).statusCode, 404);
    // another's person answers as an unknown one (404 since card39), as their card does
    assert.equal((await get(`/api/v1/persons/${otherPersonId}/cards`, citizen)).statusCode, 404);
    const still = await t.ctx.db
      .selectFrom('card')
      .select('status')
      .where('id', '=', victimCard)
      .executeTakeFirstOrThrow();
    assert.equal(still.status, 'activated');
  });

  test('an employer cannot report a card lost; the e-card QR is the holder\u2019s alone', async () => {
    const employer = await t.login('employer');
    assert.equal((await post('/api/v1/cards/1/loss', employer)).statusCode, 403);
    assert.equal((await get('/api/v1/ecard/qr', employer)).statusCode, 403);
    const clerk = await t.login('clerk');
    assert.equal((await get('/api/v1/ecard/qr', clerk)).statusCode, 403);
  });
});

describe('offline verifier: each refusal reason', () => {
  test('expired: a code checked 2 minutes after it was made', async () => {
    const { token } = await qr(other);
    const r = await verifyEcardToken(token, { jwks: await jwks(), now: new Date(Date.now() + 120_000) });
    assert.deepEqual([r.ok, !r.ok && r.reason], [false, 'expired']);
  });

  test('bad-signature: a changed payload, and a code signed by a key not in the JWKS', async () => {
    const { token } = await qr(other);
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
    claims['ref'] = 'f'.repeat(32);
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    const r1 = await verifyEcardToken(forged, { jwks: await jwks() });
    assert.equal(!r1.ok && r1.reason, 'bad-signature');
    const { generateKeyPair, exportJWK, SignJWT } = await import('jose');
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const theirs = { ...(await exportJWK(publicKey)), kid: 'attacker-key-1', alg: 'EdDSA' };
    const kid = decodeProtectedHeader(token).kid ?? '';
    const mine = await new SignJWT({ ref: 'a'.repeat(32), rgn: TEST_REGION, nonce: 'n'.repeat(22) })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'ecard+jwt' })
      .setIssuer(`shebao:${TEST_REGION}`)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(privateKey);
    const r2 = await verifyEcardToken(mine, { jwks: await jwks() });
    assert.equal(!r2.ok && r2.reason, 'bad-signature');
    assert.equal(
      (await verifyEcardToken(mine, { jwks: { keys: [{ ...theirs, kid }] } })).ok,
      true,
      'the same code passes with its own key',
    );
  });

  test('malformed: garbage, two parts, and an alg "none" token', async () => {
    const k = await jwks();
    for (const bad of [
      'hello',
      'a.b',
      'a.b.c',
      `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`,
    ]) {
      const r = await verifyEcardToken(bad, { jwks: k });
      assert.equal(r.ok, false, bad);
      assert.ok(!r.ok && ['malformed', 'bad-signature'].includes(r.reason), `${bad}: ${JSON.stringify(r)}`);
    }
    assert.equal((await verifyEcardToken('hello', { jwks: k })).ok === false && 'malformed', 'malformed');
  });

  test('replayed: the same code twice at one terminal; another terminal accepts it once', async () => {
    const { token } = await qr(other);
    const k = await jwks();
    const gate = emptyState();
    assert.equal((await verifyEcardToken(token, { jwks: k, state: gate })).ok, true);
    const again = await verifyEcardToken(token, { jwks: k, state: gate });
    assert.equal(!again.ok && again.reason, 'replayed');
    assert.equal((await verifyEcardToken(token, { jwks: k, state: emptyState() })).ok, true);
  });
});

describe('key rotation', () => {
  test('a code signed with the previous key is accepted until it expires; new codes use the promoted key', async () => {
    const before = await jwks();
    const { token: old } = await qr(other);
    const oldKid = decodeProtectedHeader(old).kid;
    const rotation = await new EcardKeyService(t.ctx.db).rotateKeys(sys);
    assert.equal(rotation.retired, oldKid);
    assert.ok(
      before.keys.some((k) => k['kid'] === rotation.active),
      'the new signing key was published before it signed',
    );
    const after = await jwks();
    assert.ok(
      after.keys.some((k) => k['kid'] === oldKid),
      'the retired key is still published',
    );
    assert.equal((await verifyEcardToken(old, { jwks: after })).ok, true);
    assert.equal(
      (await verifyEcardToken(old, { jwks: after, now: new Date(Date.now() + 90_000) })).ok,
      false,
    );
    const { token: fresh } = await qr(other);
    assert.equal(decodeProtectedHeader(fresh).kid, rotation.active);
    assert.equal(
      (await verifyEcardToken(fresh, { jwks: before })).ok,
      true,
      'a terminal with yesterday\u2019s JWKS accepts the new key',
    );
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'ecard.key-rotate')
      .execute();
    assert.equal(audit.length, 1);
  });
});

describe('loss', () => {
  test('an empty body is a temporary loss: blocked at once, in the snapshot, the old code is revoked, no new code', async () => {
    const { token } = await qr(citizen);
    const ref = String(decodeJwt(token).ref);
    const id =
      (await get('/api/v1/cards', citizen)).json<{ items: Array<{ id: number }> }>().items[0]?.id ?? 0;
    const r = await post(`/api/v1/cards/${id}/loss`, citizen);
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json<{ status: string; lossUntil: string }>().status, 'temp_lost');
    const lossUntil = r.json<{ lossUntil: string }>().lossUntil;
    assert.equal(
      dayNumber(lossUntil) - dayNumber(today()),
      7,
      'the national default of cards/temporary-loss-days',
    );
    const snap = await snapshot();
    assert.ok(snap.refs.includes(ref));
    const v = await verifyEcardToken(token, { jwks: await jwks(), revoked: snap });
    assert.equal(!v.ok && v.reason, 'revoked');
    const q = await get('/api/v1/ecard/qr', citizen);
    assert.equal(q.statusCode, 409);
    // unblock, then a formal loss and a reissue with a new card number
    assert.equal((await post(`/api/v1/cards/${id}/unblock`, citizen)).statusCode, 200);
    assert.ok(!(await snapshot()).refs.includes(ref));
    assert.equal(
      (await post(`/api/v1/cards/${id}/loss`, citizen, { kind: 'formal' })).json<{ status: string }>().status,
      'lost',
    );
    assert.equal(
      (await post(`/api/v1/cards/${id}/unblock`, citizen)).statusCode,
      409,
      'a formal loss cannot be undone',
    );
    const re = await post(`/api/v1/cards/${id}/reissue`, citizen, {});
    assert.equal(re.statusCode, 201, re.body);
    const fresh = re.json<{ id: number; cardNo: string; status: string; replacesCardId: number }>();
    assert.equal(fresh.status, 'applied');
    assert.equal(fresh.replacesCardId, id);
    const old = (await get(`/api/v1/cards/${id}/history`, citizen)).json<{
      card: { cardNo: string };
      events: Array<{ kind: string }>;
    }>();
    assert.notEqual(fresh.cardNo, old.card.cardNo);
    assert.deepEqual(
      old.events.map((e) => e.kind),
      ['apply', 'produce', 'issue', 'activate', 'temporary-loss', 'unblock', 'formal-loss'],
    );
    const audits = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'card')
      .where('entity_id', '=', String(id))
      .execute();
    assert.equal(audits.length, 7, 'every state change is audited');
  });
});

describe('use records', () => {
  test('a batch resent by a terminal adds nothing (idempotent by terminal and sequence)', async () => {
    const clerk = await t.login('clerk');
    const ref = (
      await t.ctx.db
        .selectFrom('card')
        .select('card_ref')
        .where('person_id', '=', otherPersonId)
        .executeTakeFirstOrThrow()
    ).card_ref;
    // the gate is in the region's register, and the card was issued before the month of its uses
    await new CardTerminalService(t.ctx.db).register(sys, {
      terminalId: 'bus-gate-7',
      kind: 'bus',
      name: '宣城公交7路 闸机',
      region: TEST_REGION,
    });
    // registered before the month of its uses (a use before the registration is refused)
    await t.ctx.db
      .updateTable('card_terminal')
      .set({ registered_on: '2026-11-01' })
      .where('terminal_id', '=', 'bus-gate-7')
      .execute();
    await t.ctx.db
      .updateTable('card')
      .set({ issued_on: '2026-11-01' })
      .where('person_id', '=', otherPersonId)
      .execute();
    const batch = {
      terminalId: 'bus-gate-7',
      terminalKind: 'bus',
      region: TEST_REGION,
      records: [1, 2, 3].map((seq) => ({
        seq,
        cardRef: ref,
        usedAt: '2026-11-30T08:00:0' + seq + 'Z',
        accepted: true,
      })),
    };
    const first = await post('/api/v1/card-uses', clerk, batch);
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), { received: 3, inserted: 3, duplicates: 0 });
    const again = await post('/api/v1/card-uses', clerk, {
      ...batch,
      records: [
        ...batch.records,
        { seq: 4, cardRef: ref, usedAt: '2026-11-30T09:00:00Z', accepted: false, reason: 'replayed' },
      ],
    });
    assert.deepEqual(again.json(), { received: 4, inserted: 1, duplicates: 3 });
    const rows = await t.ctx.db
      .selectFrom('card_use')
      .select(['seq', 'person_id'])
      .where('terminal_id', '=', 'bus-gate-7')
      .execute();
    assert.equal(rows.length, 4);
    assert.ok(
      rows.every((r) => r.person_id === otherPersonId),
      'each use is linked to the holder',
    );
    assert.equal(
      (await post('/api/v1/card-uses', citizen, batch)).statusCode,
      403,
      'a citizen cannot upload use records',
    );
  });
});

describe('the agency', () => {
  test('a clerk lists the register of the region by status and moves an application to produced and issued; a citizen may not', async () => {
    const pid = await newPerson(111);
    const c = await new CardService(t.ctx.db).apply(sys, pid);
    const clerk = await t.login('clerk');
    const list = await get('/api/v1/card-register?status=applied', clerk);
    assert.equal(list.statusCode, 200, list.body);
    assert.ok(list.json<{ items: Array<{ id: number }> }>().items.some((x) => x.id === c.id));
    const early = await post(`/api/v1/cards/${c.id}/production`, clerk, { step: 'issue' });
    assert.equal(early.statusCode, 409, early.body);
    // the status in words (it said 社保卡当前状态（applied）)
    assert.match(
      early.json<{ error: { message: string } }>().error.message,
      /社保卡当前状态（已申领）不能办理此业务/,
    );
    assert.equal(
      (await post(`/api/v1/cards/${c.id}/production`, clerk, { step: 'produce' })).statusCode,
      200,
    );
    const issued = await post(`/api/v1/cards/${c.id}/production`, clerk, { step: 'issue' });
    assert.equal(issued.json<{ status: string }>().status, 'issued');
    assert.equal((await get('/api/v1/card-register', citizen)).statusCode, 403);
    assert.equal(
      (await post(`/api/v1/cards/${c.id}/production`, citizen, { step: 'produce' })).statusCode,
      403,
    );
  });
});

describe('card use as a life sign', () => {
  test('accepted uses become one line per holder of the certification capability\u2019s card comparison; a rerun is a replay', async () => {
    const { imports } = await new CardCertificationService(t.ctx.db).certifyFromCardUses(sys, {
      region: TEST_REGION,
      from: '2026-11-01',
      to: '2026-11-30',
    });
    assert.equal(imports.length, 1, 'one terminal region, one file');
    const r = imports[0]!;
    assert.equal(r.status, 'imported', JSON.stringify(r));
    if (r.status !== 'imported') return;
    assert.equal(r.kind, 'card');
    assert.equal(r.counts.lines, 1, 'four uses of one holder, one line');
    assert.equal(r.counts.matched, 1);
    assert.equal(r.counts.notPensioners, 1, 'the holder is not a pensioner: nothing to certify');
    const again = await new CardCertificationService(t.ctx.db).certifyFromCardUses(sys, {
      region: TEST_REGION,
      from: '2026-11-01',
      to: '2026-11-30',
    });
    assert.deepEqual(
      again.imports.map((x) => x.status),
      ['replayed'],
    );
  });
});

describe('death and employer batches', () => {
  test('the registry\u2019s person.died cancels the live card, and the snapshot lists it', async () => {
    const pid = await newPerson(91, '1950-01-01');
    const id = await activatedCard(pid);
    const ref = (
      await t.ctx.db.selectFrom('card').select('card_ref').where('id', '=', id).executeTakeFirstOrThrow()
    ).card_ref;
    await new PersonService(t.ctx.db).recordDeath(sys, pid, { deathDate: '2026-01-05' });
    assert.ok(
      (await snapshot()).refs.includes(ref),
      'revoked as soon as the death is recorded, before the event is consumed',
    );
    const r = await new CardService(t.ctx.db).processDeathEvents(sys);
    assert.ok(r.cancelled >= 1);
    const c = await t.ctx.db
      .selectFrom('card')
      .select(['status', 'card_ref'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(c.status, 'cancelled');
    assert.ok((await snapshot()).refs.includes(c.card_ref));
    assert.equal(
      (await new CardService(t.ctx.db).processDeathEvents(sys)).cancelled,
      0,
      'a rerun does nothing',
    );
  });

  test('an employer applies for its current staff in one batch; not for another employer', async () => {
    const a = await newPerson(101);
    const b = await newPerson(103);
    await employHere([a, b]);
    const employer = await t.login('employer');
    const r = await post(`/api/v1/employers/${t.employerId}/card-batches`, employer, {});
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json<{ accepted: number }>().accepted, 2);
    const again = await post(`/api/v1/employers/${t.employerId}/card-batches`, employer, {});
    assert.equal(
      again.json<{ accepted: number }>().accepted,
      0,
      'staff with a live card are not applied for twice',
    );
    assert.equal(
      (await post(`/api/v1/employers/${t.employerId + 999}/card-batches`, employer, {})).statusCode,
      404,
    );
  });
});

describe('shebao ecard verify (the command, offline)', () => {
  test('exits 0 with JSON for a valid code, 1 with {ok:false, reason} for a replay, with its state file created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecard-'));
    try {
      writeFileSync(join(dir, 'jwks.json'), JSON.stringify(await jwks()));
      writeFileSync(join(dir, 'revoked.json'), JSON.stringify(await snapshot()));
      const { token } = await qr(other);
      const run = (tok: string) =>
        spawnSync(
          process.execPath,
          [
            'bin/shebao.mjs',
            'ecard',
            'verify',
            '--token',
            tok,
            '--jwks',
            join(dir, 'jwks.json'),
            '--revoked',
            join(dir, 'revoked.json'),
            '--state',
            join(dir, 'state.json'),
          ],
          {
            encoding: 'utf8',
            env: { ...process.env, DATABASE_URL: 'postgres://127.0.0.1:1/none', DATA_DIR: '/nonexistent' },
          },
        );
      const ok = run(token);
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal((JSON.parse(ok.stdout) as { ok: boolean }).ok, true);
      const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
        seen: Record<string, number>;
      };
      assert.equal(Object.keys(state.seen).length, 1);
      const replay = run(token);
      assert.equal(replay.status, 1);
      assert.deepEqual(JSON.parse(replay.stdout), {
        ok: false,
        reason: 'replayed',
        detail: 'this code was already used at this terminal',
      });
      const bad = run('x.y.z');
      assert.equal(bad.status, 1);
      assert.equal((JSON.parse(bad.stdout) as { reason: string }).reason, 'malformed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the agency: search and production batches', () => {
  let clerk: LoginResult;
  let far: LoginResult;
  before(async () => {
    await makeUser(t.ctx.db, 'farcardclerk', { displayName: 'far clerk', role: 'clerk', region: '110000' });
    clerk = await t.login('clerk');
    far = await t.login('farcardclerk');
  });
  const searchAudits = (personId: number) =>
    t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_username', 'entity_id'])
      .where('action', '=', 'card.search')
      .where('subject_person_id', '=', personId)
      .execute();
  type Page = { items: Array<{ id: number; personId: number; status: string }>; total: number };
  type ErrorBody = { error: { code: string; field?: string } };

  test('a clerk finds a card by the whole ID number, by its last four with the name, or by the card number — each read audited for the holder', async () => {
    const pid = await newPerson(211);
    const c = await new CardService(t.ctx.db).apply(sys, pid);
    const idNumber = makeIdNumber('341802', '1980-03-03', 211);
    const byId = await get(`/api/v1/card-register?idNumber=${idNumber}`, clerk);
    assert.equal(byId.statusCode, 200, byId.body);
    assert.deepEqual(
      byId.json<Page>().items.map((x) => x.id),
      [c.id],
    );
    const audits = await searchAudits(pid);
    assert.equal(audits.length, 1, 'the search is a staff read of the holder');
    assert.equal(audits[0]?.actor_username, 'clerk');
    const last4 = idNumber.slice(-4);
    const byLast4 = await get(
      `/api/v1/card-register?idNumber=${last4}&name=${encodeURIComponent('持卡211')}`,
      clerk,
    );
    assert.deepEqual(
      byLast4.json<Page>().items.map((x) => x.id),
      [c.id],
    );
    const wrongName = await get(
      `/api/v1/card-register?idNumber=${last4}&name=${encodeURIComponent('持卡999')}`,
      clerk,
    );
    assert.equal(wrongName.json<Page>().total, 0);
    const byNo = await get(`/api/v1/card-register?cardNo=${c.cardNo}`, clerk);
    assert.deepEqual(
      byNo.json<Page>().items.map((x) => x.id),
      [c.id],
    );
    assert.equal((await searchAudits(pid)).length, 3);
    // Refusals: a wrong check character, a prefix, the last four without the name, a bad card number.
    const badCheck = `${idNumber.slice(0, 17)}${idNumber.endsWith('0') ? '1' : '0'}`;
    for (const q of [`idNumber=${badCheck}`, `idNumber=${idNumber.slice(0, 10)}`, `idNumber=${last4}`]) {
      const r = await get(`/api/v1/card-register?${q}`, clerk);
      assert.equal(r.statusCode, 400, `${q}: ${r.body}`);
      assert.equal(r.json<ErrorBody>().error.code, 'SB_ERR_PARTIAL_ID_NUMBER');
    }
    const badNo = await get('/api/v1/card-register?cardNo=12ab', clerk);
    assert.equal(badNo.statusCode, 400);
    assert.equal(badNo.json<ErrorBody>().error.field, 'cardNo');
    // A clerk of another region does not find it, and reads nobody.
    const farRead = await get(`/api/v1/card-register?idNumber=${idNumber}`, far);
    assert.equal(farRead.statusCode, 200, farRead.body);
    assert.equal(farRead.json<Page>().total, 0);
    assert.equal(
      (await get(`/api/v1/card-register?region=${TEST_REGION}&idNumber=${idNumber}`, far)).statusCode,
      403,
    );
    assert.equal((await searchAudits(pid)).length, 3);
  });

  test('a clerk produces all applied cards of an employer batch, then issues them, then the rest of the region; a repeat changes nothing; another region\u2019s clerk cannot', async () => {
    const single = await new CardService(t.ctx.db).apply(sys, await newPerson(221));
    const staff = [await newPerson(223), await newPerson(225)];
    await employHere(staff);
    const employer = await t.login('employer');
    const b = await post(`/api/v1/employers/${t.employerId}/card-batches`, employer, {});
    assert.equal(b.statusCode, 201, b.body);
    const batchId = b.json<{ batchId: number; accepted: number }>().batchId;
    const batchCards = (
      await t.ctx.db.selectFrom('card').select('id').where('batch_id', '=', batchId).orderBy('id').execute()
    ).map((r) => Number(r.id));
    assert.equal(batchCards.length, 2);
    const statusOf = async (id: number) =>
      (await t.ctx.db.selectFrom('card').select('status').where('id', '=', id).executeTakeFirstOrThrow())
        .status;
    const eventCount = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('card_event')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const batch = (who: LoginResult, body: Record<string, unknown>) =>
      post('/api/v1/card-production-batches', who, body);

    // Another region's clerk: the batch is not theirs (404), the region is not theirs (403), their own
    // region has nothing to move.
    assert.equal((await batch(far, { step: 'produce', batchId })).statusCode, 404);
    assert.equal((await batch(far, { step: 'produce', region: TEST_REGION })).statusCode, 403);
    const farOwn = await batch(far, { step: 'produce' });
    assert.equal(farOwn.statusCode, 200, farOwn.body);
    assert.equal(farOwn.json<{ moved: number }>().moved, 0);
    assert.equal(await statusOf(batchCards[0] ?? 0), 'applied');
    assert.equal((await batch(citizen, { step: 'produce' })).statusCode, 403);

    // Issuing before producing moves nothing.
    assert.equal((await batch(clerk, { step: 'issue', batchId })).json<{ moved: number }>().moved, 0);
    const produced = await batch(clerk, { step: 'produce', batchId });
    assert.equal(produced.statusCode, 200, produced.body);
    assert.deepEqual(produced.json<{ cardIds: number[] }>().cardIds, batchCards);
    assert.equal(await statusOf(single.id), 'applied', 'a card outside the batch stays as it was');
    const events = await eventCount();
    const again = await batch(clerk, { step: 'produce', batchId });
    assert.deepEqual(again.json<{ moved: number; cardIds: number[] }>(), {
      step: 'produce',
      moved: 0,
      cardIds: [],
    });
    assert.equal(await eventCount(), events, 'a repeated batch writes no events');

    const issued = await batch(clerk, { step: 'issue', batchId });
    assert.deepEqual(issued.json<{ cardIds: number[] }>().cardIds, batchCards);
    assert.equal((await batch(clerk, { step: 'issue', batchId })).json<{ moved: number }>().moved, 0);

    const region = await batch(clerk, { step: 'produce' });
    assert.ok(region.json<{ cardIds: number[] }>().cardIds.includes(single.id));
    assert.equal((await batch(clerk, { step: 'produce' })).json<{ moved: number }>().moved, 0);
    assert.equal(await statusOf(single.id), 'produced');

    const h = await get(`/api/v1/cards/${batchCards[0]}/history`, clerk);
    assert.deepEqual(
      h
        .json<{ events: Array<{ toStatus: string; kind: string; actor: string }> }>()
        .events.map((e) => [e.toStatus, e.kind]),
      [
        ['applied', 'apply'],
        ['produced', 'produce'],
        ['issued', 'issue'],
      ],
    );
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'actor_username'])
      .where('action', 'in', ['card.batch-produce', 'card.batch-issue'])
      .where('actor_username', '=', 'clerk')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['card.batch-produce', 'card.batch-issue', 'card.batch-produce'],
      'one audit entry per batch that moved cards',
    );
  });
});

describe('the register of card terminals (pass 38)', () => {
  const FAR = '340100';
  let hefei: LoginResult;
  const terminal = (terminalId: string, name = '宣城公交 测试闸机', kind = 'bus') => ({
    terminalId,
    kind,
    name,
  });
  const uses = (
    terminalId: string,
    region: string,
    records: Array<{ seq: number; cardRef: string; usedAt: string }>,
  ) => ({
    terminalId,
    terminalKind: 'bus',
    region,
    records: records.map((r) => ({ ...r, accepted: true })),
  });
  const errorOf = (r: { json<T>(): T }) =>
    r.json<{ error: { code: string; field?: string; message: string } }>().error;
  const thisMorning = () => `${today()}T08:00:00+08:00`;
  const refOf = async (personId: number) =>
    (
      await t.ctx.db
        .selectFrom('card')
        .select('card_ref')
        .where('person_id', '=', personId)
        .where('status', '=', 'activated')
        .executeTakeFirstOrThrow()
    ).card_ref;

  before(async () => {
    const p = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('340102', '1979-01-01', 41),
      birth_date: '1979-01-01',
      region: FAR,
    });
    hefei = await loginAsNew(t, 'clerk-hefei', { role: 'clerk', region: FAR, personId: p.id });
  });

  test('the region’s clerk or administrator registers a terminal (audited) and lists it; an id is registered once, by one region; a citizen registers nothing', async () => {
    const clerk = await t.login('clerk');
    const r = await post(
      '/api/v1/card-terminals',
      clerk,
      terminal('XC-LIB-9', ' 宣城市图书馆 正门 ', 'library'),
    );
    assert.equal(r.statusCode, 201, r.body);
    const { key, keyPrefix, ...registered } = r.json<{ key: string; keyPrefix: string }>();
    assert.equal(keyPrefix, key.slice(0, 14), 'the upload key, once (card-terminal-key.db.test.ts)');
    assert.deepEqual(registered, {
      terminalId: 'XC-LIB-9',
      kind: 'library',
      name: '宣城市图书馆 正门',
      region: TEST_REGION,
      registeredOn: today(),
      retiredOn: null,
      registeredBy: 'clerk',
      keyIssuedOn: today(),
      oldKeyPrefix: null,
      oldKeyValidUntil: null,
    });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'region'])
      .where('entity_type', '=', 'card_terminal')
      .where('entity_id', '=', 'XC-LIB-9')
      .execute();
    assert.deepEqual(audit, [{ action: 'card.terminal-register', region: TEST_REGION }]);
    const admin = await t.login('admin');
    assert.equal((await post('/api/v1/card-terminals', admin, terminal('XC-HOS-9'))).statusCode, 201);
    const ids = (who: LoginResult) =>
      get('/api/v1/card-terminals?pageSize=200', who).then((x) =>
        x.json<{ items: Array<{ terminalId: string }> }>().items.map((i) => i.terminalId),
      );
    assert.ok((await ids(clerk)).includes('XC-LIB-9'));
    assert.ok(!(await ids(hefei)).includes('XC-LIB-9'), 'another region does not list it');
    // Hefei cannot register the same id: told it is taken, nothing of whose
    const again = await post('/api/v1/card-terminals', hefei, terminal('XC-LIB-9', '合肥 闸机'));
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(errorOf(again).field, 'terminalId');
    assert.ok(!/341800|宣城/.test(again.body), again.body);
    const blank = await post('/api/v1/card-terminals', clerk, terminal('XC-LIB-10', '   '));
    assert.equal(blank.statusCode, 400, blank.body);
    assert.equal(errorOf(blank).field, 'name');
    assert.equal((await post('/api/v1/card-terminals', citizen, terminal('XC-LIB-11'))).statusCode, 403);
  });

  test('uses go only through a registered terminal of the uploading region in service: an id nobody registered, another region’s terminal and a retired one are refused naming terminalId', async () => {
    const clerk = await t.login('clerk');
    const holder = await newPerson(130);
    await activatedCard(holder);
    const one = [{ seq: 1, cardRef: await refOf(holder), usedAt: thisMorning() }];
    // old code: 200, and the id was whoever's uploaded first
    const unregistered = await post('/api/v1/card-uses', clerk, uses('XC-NOBODY-1', TEST_REGION, one));
    assert.equal(unregistered.statusCode, 404, unregistered.body);
    assert.equal(errorOf(unregistered).field, 'terminalId');
    assert.equal(
      (await post('/api/v1/card-terminals', hefei, terminal('HF-BUS-1', '合肥公交1路 闸机'))).statusCode,
      201,
    );
    // Hefei's gate under Xuancheng's name: the answer of an id nobody registered, nothing of Hefei's
    const theirs = await post('/api/v1/card-uses', clerk, uses('HF-BUS-1', TEST_REGION, one));
    assert.equal(theirs.statusCode, 404, theirs.body);
    assert.deepEqual(errorOf(theirs), errorOf(unregistered));
    assert.ok(!/340100|合肥/.test(theirs.body), theirs.body);
    assert.equal((await post('/api/v1/card-terminals', clerk, terminal('XC-BUS-RET'))).statusCode, 201);
    assert.equal(
      (await post('/api/v1/card-uses', clerk, uses('XC-BUS-RET', TEST_REGION, one))).statusCode,
      200,
    );
    // Hefei cannot retire Xuancheng's terminal: the answer of one that does not exist
    const foreign = await post('/api/v1/card-terminals/XC-BUS-RET/retirement', hefei);
    const unknown = await post('/api/v1/card-terminals/XC-NOBODY-1/retirement', hefei);
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.deepEqual(errorOf(foreign), errorOf(unknown));
    const retired = await post('/api/v1/card-terminals/XC-BUS-RET/retirement', clerk);
    assert.equal(retired.statusCode, 200, retired.body);
    assert.equal(retired.json<{ retiredOn: string }>().retiredOn, today());
    const late = await post(
      '/api/v1/card-uses',
      clerk,
      uses('XC-BUS-RET', TEST_REGION, [{ ...one[0]!, seq: 2 }]),
    );
    assert.equal(late.statusCode, 409, late.body);
    assert.equal(errorOf(late).field, 'terminalId');
    const kept = await t.ctx.db
      .selectFrom('card_use')
      .select(['terminal_id', 'seq'])
      .where('terminal_id', 'in', ['XC-NOBODY-1', 'HF-BUS-1', 'XC-BUS-RET'])
      .execute();
    assert.deepEqual(
      kept,
      [{ terminal_id: 'XC-BUS-RET', seq: 1 }],
      'only the use through a terminal in service',
    );
  });

  test('a use dated before its card was issued, or before 2015, is refused naming the record, and nothing of the batch is kept', async () => {
    const clerk = await t.login('clerk');
    assert.equal((await post('/api/v1/card-terminals', clerk, terminal('XC-BUS-ISSUE'))).statusCode, 201);
    // in service long before the card: only the card's issue bounds these uses
    await t.ctx.db
      .updateTable('card_terminal')
      .set({ registered_on: '2014-01-01' })
      .where('terminal_id', '=', 'XC-BUS-ISSUE')
      .execute();
    const pid = await newPerson(131);
    const id = await activatedCard(pid);
    const card = await t.ctx.db
      .selectFrom('card')
      .select(['card_ref', 'issued_on'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(card.issued_on, today(), 'the day it was issued');
    const dayBefore = fromDayNumber(dayNumber(today()) - 1);
    // old code: 200, a life sign of a day before the card existed
    const early = await post(
      '/api/v1/card-uses',
      clerk,
      uses('XC-BUS-ISSUE', TEST_REGION, [
        { seq: 1, cardRef: card.card_ref, usedAt: thisMorning() },
        { seq: 2, cardRef: card.card_ref, usedAt: `${dayBefore}T08:00:00+08:00` },
      ]),
    );
    assert.equal(early.statusCode, 400, early.body);
    assert.equal(errorOf(early).field, 'records.1.usedAt');
    assert.ok(!early.body.includes(dayBefore), early.body);
    const ancient = await post(
      '/api/v1/card-uses',
      clerk,
      uses('XC-BUS-ISSUE', TEST_REGION, [
        { seq: 3, cardRef: 'e'.repeat(32), usedAt: '2014-12-31T08:00:00+08:00' },
      ]),
    );
    assert.equal(ancient.statusCode, 400, ancient.body);
    assert.equal(errorOf(ancient).field, 'records.0.usedAt');
    const count = async () =>
      (
        await t.ctx.db
          .selectFrom('card_use')
          .select('seq')
          .where('terminal_id', '=', 'XC-BUS-ISSUE')
          .execute()
      ).length;
    assert.equal(await count(), 0);
    const onTheDay = await post(
      '/api/v1/card-uses',
      clerk,
      uses('XC-BUS-ISSUE', TEST_REGION, [{ seq: 1, cardRef: card.card_ref, usedAt: thisMorning() }]),
    );
    assert.equal(onTheDay.statusCode, 200, onTheDay.body);
    assert.equal(await count(), 1);
  });

  test('a use dated before its terminal was registered is refused naming the record (old code: 200), nothing of the batch kept; a terminal the migration registered keeps its older uses', async () => {
    const clerk = await t.login('clerk');
    assert.equal((await post('/api/v1/card-terminals', clerk, terminal('XC-BUS-NEW'))).statusCode, 201);
    // the card was issued long before: only the terminal's registration (today) bounds the use
    const pid = await newPerson(132);
    const id = await activatedCard(pid);
    await t.ctx.db.updateTable('card').set({ issued_on: '2025-01-01' }).where('id', '=', id).execute();
    const ref = await refOf(pid);
    const dayBefore = fromDayNumber(dayNumber(today()) - 1);
    const before = await post(
      '/api/v1/card-uses',
      clerk,
      uses('XC-BUS-NEW', TEST_REGION, [
        { seq: 1, cardRef: ref, usedAt: thisMorning() },
        { seq: 2, cardRef: ref, usedAt: `${dayBefore}T08:00:00+08:00` },
      ]),
    );
    assert.equal(before.statusCode, 400, before.body);
    assert.equal(errorOf(before).field, 'records.1.usedAt');
    assert.ok(!before.body.includes(dayBefore), before.body);
    const kept = await t.ctx.db
      .selectFrom('card_use')
      .select('seq')
      .where('terminal_id', '=', 'XC-BUS-NEW')
      .execute();
    assert.equal(kept.length, 0);
    // a terminal found by migration 0530 is registered on its first upload's day, and that upload held
    // older uses: it was in service before, so its uses are not bounded by that day
    await t.ctx.db
      .updateTable('card_terminal')
      .set({ registered_by: 'migration 0530' })
      .where('terminal_id', '=', 'XC-BUS-NEW')
      .execute();
    const migrated = await post(
      '/api/v1/card-uses',
      clerk,
      uses('XC-BUS-NEW', TEST_REGION, [{ seq: 2, cardRef: ref, usedAt: `${dayBefore}T08:00:00+08:00` }]),
    );
    assert.equal(migrated.statusCode, 200, migrated.body);
  });

  test('a pensioner seen at another region’s registered terminal is certified, and the certification leads to the region whose terminal it was; made-up uses under an id nobody registered certify nobody', async () => {
    const clerk = await t.login('clerk');
    const pid = await newPerson(133, '1955-05-05');
    await sql`INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
      VALUES (${pid}, 'employee_pension', ${TEST_REGION}, 'import', '2015-06-15', '2015-07', 360, 300000, 'test')`.execute(
      t.ctx.db,
    );
    await activatedCard(pid);
    const ref = await refOf(pid);
    const day = today();
    const certifyToday = () =>
      new CardCertificationService(t.ctx.db).certifyFromCardUses(sys, {
        region: TEST_REGION,
        from: day,
        to: day,
      });
    const certifications = () =>
      t.ctx.db.selectFrom('certification').select('source_ref').where('person_id', '=', pid).execute();
    // Hefei's clerk makes up a use of the Xuancheng pensioner's card under an id nobody registered
    // (old code: 200, and the pensioner certified alive by it)
    const madeUp = await post(
      '/api/v1/card-uses',
      hefei,
      uses('HF-MADE-UP', FAR, [{ seq: 1, cardRef: ref, usedAt: thisMorning() }]),
    );
    assert.equal(madeUp.statusCode, 404, madeUp.body);
    assert.equal(errorOf(madeUp).field, 'terminalId');
    await certifyToday();
    assert.deepEqual(await certifications(), [], 'nobody certified');
    // the pensioner takes a bus in Hefei: Hefei's registered gate certifies them alive
    assert.equal(
      (await post('/api/v1/card-terminals', hefei, terminal('HF-BUS-2', '合肥公交2路 闸机'))).statusCode,
      201,
    );
    const seen = await post(
      '/api/v1/card-uses',
      hefei,
      uses('HF-BUS-2', FAR, [{ seq: 1, cardRef: ref, usedAt: thisMorning() }]),
    );
    assert.equal(seen.statusCode, 200, seen.body);
    const { imports } = await certifyToday();
    const fromHefei = imports.find((i) => i.terminalRegion === FAR);
    assert.ok(fromHefei?.status === 'imported', JSON.stringify(imports));
    if (fromHefei?.status !== 'imported') return;
    assert.equal(fromHefei.counts.certified, 1);
    assert.equal(fromHefei.filename, `card-uses-${day}-${day}-terminals-${FAR}.csv`);
    const certs = await certifications();
    assert.equal(certs.length, 1);
    assert.ok(certs[0]!.source_ref.startsWith(`import:${fromHefei.importId}:`), certs[0]!.source_ref);
    // what the pensioner's region's clerk reads: the certification's source, and its import's file
    // naming the region whose terminal saw the pensioner
    const status = await get(`/api/v1/persons/${pid}/certification`, clerk);
    assert.ok(status.body.includes(`import:${fromHefei.importId}:`), status.body);
    const imp = await get(`/api/v1/certification/imports/${fromHefei.importId}`, clerk);
    assert.equal(imp.statusCode, 200, imp.body);
    assert.equal(imp.json<{ filename: string }>().filename, fromHefei.filename);
  });
});
