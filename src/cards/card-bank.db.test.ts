// The card's bank function (社保卡金融功能, issue 14 item 1), on the real app and a real database:
// the account is validated (16–19 digits), masked in answers, bound only by the holder (or a clerk),
// recorded on the person in the registry when the card is activated (also a reissued card), audited
// with the card's-bank-account reason, and the pension payroll's bank file pays to it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { systemActor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { runPayroll, writeBankFile } from '../pension/payroll.job.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';
import { CardService } from './card.service.ts';
import { CARD_BANK_REASON } from './card.rules.ts';
import { makePerson } from '../testing/factories.ts';

let t: TestApp;
let citizen: LoginResult;
let other: LoginResult;
let otherPersonId: number;
const sys = systemActor('test');
const ACCOUNT = '6217001234567890123';

const put = (url: string, who: LoginResult, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PUT', url, headers: who.headers, payload });
const post = (url: string, who: LoginResult) => t.app.inject({ method: 'POST', url, headers: who.headers });
const get = (url: string, who: LoginResult) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: who.cookieHeader } });

/** A card produced and issued, waiting for activation. */
async function issuedCard(personId: number): Promise<number> {
  const s = new CardService(t.ctx.db);
  const c = await s.apply(sys, personId);
  await s.advance(sys, c.id, 'produce');
  await s.advance(sys, c.id, 'issue');
  return c.id;
}

const personBank = (id: number) =>
  t.ctx.db
    .selectFrom('person')
    .select(['bank_name', 'bank_account'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

before(async () => {
  fixToday('2026-03-15');
  t = await makeTestApp();
  const p = await makePerson(t.ctx.db, {
    id_number: makeIdNumber('341802', '1981-04-04', 88),
    name: '他人',
    sex: 'M',
    birth_date: '1981-04-04',
    bank_name: '中国银行',
    bank_account: '6013820000000000001',
  });
  otherPersonId = p.id;
  citizen = await t.login('citizen');
  other = await loginAsNew(t, 'citizen2', { personId: otherPersonId });
});
after(async () => {
  fixToday(null);
  await t.close();
});

describe('card bank function', () => {
  let cardId: number;

  test('a malformed account is refused with a clear 400 naming the field', async () => {
    cardId = await issuedCard(t.personId);
    for (const bad of ['6217 0012 3456', '62170012345678901234', '6217x01234567890123']) {
      const r = await put(`/api/v1/cards/${cardId}/bank`, citizen, {
        bankName: '中国建设银行',
        bankAccount: bad,
      });
      assert.equal(r.statusCode, 400, r.body);
      const e = r.json<{ error: { code: string; field: string; message: string } }>().error;
      assert.equal(e.code, 'SB_ERR_INVALID_CARD_BANK_ACCOUNT');
      assert.equal(e.field, 'bankAccount');
      assert.match(e.message, /16至19位数字/);
      assert.match(e.message, /16 to 19 digits/);
    }
    const card = await t.ctx.db
      .selectFrom('card')
      .select('bank_account')
      .where('id', '=', cardId)
      .executeTakeFirstOrThrow();
    assert.equal(card.bank_account, null);
  });

  test('a citizen cannot set another\u2019s card account: 404, and nothing changes', async () => {
    const othersCard = await issuedCard(otherPersonId);
    const r = await put(`/api/v1/cards/${othersCard}/bank`, citizen, {
      bankName: '中国建设银行',
      bankAccount: ACCOUNT,
    });
    assert.equal(r.statusCode, 404, r.body);
    const row = await t.ctx.db
      .selectFrom('card')
      .select('bank_account')
      .where('id', '=', othersCard)
      .executeTakeFirstOrThrow();
    assert.equal(row.bank_account, null);
    const act = await post(`/api/v1/cards/${othersCard}/activate`, other);
    assert.equal(act.statusCode, 200, act.body);
    // No card account: the person's own account stays.
    assert.deepEqual(await personBank(otherPersonId), {
      bank_name: '中国银行',
      bank_account: '6013820000000000001',
    });
  });

  test('the holder binds the account; it is stored in full and masked in GET /api/v1/cards and the register', async () => {
    const r = await put(`/api/v1/cards/${cardId}/bank`, citizen, {
      bankName: ' 中国建设银行 ',
      bankAccount: '6217 0012 3456 7890 123',
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json<{ bankAccount: string }>().bankAccount, '***************0123');
    const stored = await t.ctx.db
      .selectFrom('card')
      .select(['bank_name', 'bank_account'])
      .where('id', '=', cardId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { bank_name: '中国建设银行', bank_account: ACCOUNT });
    const list = await get('/api/v1/cards', citizen);
    assert.equal(list.statusCode, 200, list.body);
    assert.ok(!list.body.includes(ACCOUNT), 'the full account never appears in the list');
    const item = list.json<{ items: Array<{ bankName: string; bankAccount: string }> }>().items[0];
    assert.equal(item?.bankName, '中国建设银行');
    assert.equal(item?.bankAccount, '***************0123');
    const register = await get(`/api/v1/card-register?region=${TEST_REGION}`, await t.login('clerk'));
    assert.equal(register.statusCode, 200, register.body);
    assert.ok(!register.body.includes(ACCOUNT));
    // Not yet activated: the person's account is not touched.
    assert.equal((await personBank(t.personId)).bank_account === ACCOUNT, false);
  });

  test('activation records the card\u2019s account on the person, audited with the card\u2019s-bank-account reason', async () => {
    const r = await post(`/api/v1/cards/${cardId}/activate`, citizen);
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(await personBank(t.personId), { bank_name: '中国建设银行', bank_account: ACCOUNT });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'person.update')
      .where('entity_id', '=', String(t.personId))
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(audit.reason, CARD_BANK_REASON);
    assert.match(audit.reason ?? '', /社保卡金融功能账户/);
    assert.equal((audit.after as Record<string, unknown>)['bank_account'], ACCOUNT);
  });

  test('a reissued card keeps the account; a new account bound to it becomes the person\u2019s on activation', async () => {
    const s = new CardService(t.ctx.db);
    const reissued = await s.reissue(sys, cardId, 'lost on the bus');
    assert.equal(reissued.bankAccount, '***************0123');
    const NEW = '6217009999888877776';
    const bound = await put(`/api/v1/cards/${reissued.id}/bank`, citizen, {
      bankName: '中国建设银行',
      bankAccount: NEW,
    });
    assert.equal(bound.statusCode, 200, bound.body);
    assert.equal((await personBank(t.personId)).bank_account, ACCOUNT, 'not before activation');
    await s.advance(sys, reissued.id, 'produce');
    await s.advance(sys, reissued.id, 'issue');
    const act = await post(`/api/v1/cards/${reissued.id}/activate`, citizen);
    assert.equal(act.statusCode, 200, act.body);
    assert.equal((await personBank(t.personId)).bank_account, NEW);
    // A lost card can no longer be bound.
    const lost = await put(`/api/v1/cards/${cardId}/bank`, citizen, { bankName: 'x', bankAccount: ACCOUNT });
    assert.equal(lost.statusCode, 409, lost.body);
    assert.match(
      lost.json<{ error: { message: string } }>().error.message,
      /社保卡当前状态（正式挂失）不能绑定银行账户/,
    );
  });

  test('after activation the pension payroll\u2019s bank file pays that person to the card\u2019s account', async () => {
    await seedPensioners(t.ctx.db, { count: 3, region: TEST_REGION, startPeriod: '2026-01', offset: 9000 });
    const award = await t.ctx.db
      .selectFrom('pension_award')
      .innerJoin('person', 'person.id', 'pension_award.person_id')
      .select(['person.id as personId', 'person.id_number as idNumber', 'person.bank_account as before'])
      .orderBy('pension_award.id')
      .executeTakeFirstOrThrow();
    const PAY = '6217005555444433332';
    const card = await issuedCard(Number(award.personId));
    const s = new CardService(t.ctx.db);
    await s.setBank(sys, card, { bankName: '中国建设银行', bankAccount: PAY });
    await s.activate(sys, card);
    assert.notEqual(award.before, PAY);
    await runPayroll(t.ctx.db, sys, { period: '2026-02', region: TEST_REGION, chunkSize: 10 });
    const dir = mkdtempSync(join(tmpdir(), 'shebao-card-bank-'));
    try {
      const file = join(dir, 'bank.csv');
      await writeBankFile(t.ctx.db, { period: '2026-02', region: TEST_REGION }, file);
      const line = readFileSync(file, 'utf8')
        .split('\n')
        .find((l) => l.includes(award.idNumber));
      assert.ok(line, 'the pensioner is in the bank file');
      const cols = line.split(',');
      assert.equal(cols[3], '中国建设银行');
      assert.equal(cols[4], PAY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
