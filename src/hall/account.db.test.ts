// Online accounts through the real HTTP app, as a citizen, an employer and an attacker would try:
// registration bound to the registry, the same refusal for a wrong name and an unknown ID number,
// codes stored hashed, limited attempts, expiry, throttling per phone, password reset.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import { makeTestApp, TEST_REGION, type TestApp } from '../testing/test-app.ts';
import { AccountService, MAX_ATTEMPTS_PER_CODE } from './account.service.ts';
import type { SmsSender } from './sms.sender.ts';
import { hallDb } from './hall.db.ts';

process.env['HALL_SMS_SENDER'] = 'demo';

let t: TestApp;
const ID = makeIdNumber('341802', '1970-03-04', 31);
const PHONE = '13900001111';
const REP_ID = makeIdNumber('341802', '1975-07-08', 41);
const REP_PHONE = '13700002222';
const CREDIT = makeCreditCode(TEST_REGION, 2002);
const GOOD_PASSWORD = 'Hall-register-2026';

type Err = { error: { code: string; message: string } };

const post = (url: string, payload: unknown, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, remoteAddress: ip });

/** The code from the last SMS to a phone (what the phone's owner reads). */
async function lastCode(phone: string): Promise<string> {
  const r = await t.app.inject({ method: 'GET', url: `/api/v1/hall/demo-sms?phone=${phone}` });
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json<{ items: Array<{ body: string }> }>();
  const m = /(\d{6})/.exec(body.items[0]?.body ?? '');
  assert.ok(m, 'an SMS with a code was sent');
  return m[1] ?? '';
}

/** Lets the per-phone pause pass without waiting a minute. */
const ageCodes = () =>
  sql`UPDATE hall_code SET created_at = created_at - interval '2 minutes'`.execute(t.ctx.db);

before(async () => {
  t = await makeTestApp();
  await t.ctx.db
    .insertInto('person')
    .values([
      {
        id_number: ID,
        name: '王小明',
        sex: 'M',
        birth_date: '1970-03-04',
        hukou_region: '341802',
        region: TEST_REGION,
        phone: PHONE,
        address: null,
        bank_name: null,
        bank_account: null,
        hardship_group: null,
        death_date: null,
      },
      {
        id_number: REP_ID,
        name: '赵法人',
        sex: 'M',
        birth_date: '1975-07-08',
        hukou_region: '341802',
        region: TEST_REGION,
        phone: REP_PHONE,
        address: null,
        bank_name: null,
        bank_account: null,
        hardship_group: null,
        death_date: null,
      },
    ])
    .execute();
  await hallDb(t.ctx.db)
    .insertInto('employer')
    .values({
      credit_code: CREDIT,
      name: '宣城注册测试有限公司',
      region: TEST_REGION,
      industry_class: 1,
      size: 'sme',
      address: null,
      contact_phone: null,
      legal_rep_name: '赵法人',
      legal_rep_id_number: REP_ID,
    })
    .execute();
});

after(async () => {
  await t.close();
});

beforeEach(async () => {
  await ageCodes();
});

describe('citizen registration', () => {
  test('a wrong name, an unknown ID number and a phone not on record get the same refusal, with no code sent', async () => {
    const unknown = makeIdNumber('341802', '1980-01-01', 77);
    const answers = await Promise.all([
      post('/api/v1/accounts/citizen', { idNumber: ID, name: '王大明', phone: PHONE }),
      post('/api/v1/accounts/citizen', { idNumber: unknown, name: '王小明', phone: '13900003333' }),
      post('/api/v1/accounts/citizen', { idNumber: ID, name: '王小明', phone: '13900004444' }),
    ]);
    for (const r of answers) {
      assert.equal(r.statusCode, 422, r.body);
      assert.equal(r.json<Err>().error.code, 'SB_ERR_REGISTRY_MISMATCH');
    }
    // Byte for byte the same answer: nothing says whose the ID number is.
    assert.equal(answers[0]?.body, answers[1]?.body);
    assert.equal(answers[0]?.body, answers[2]?.body);
    assert.doesNotMatch(answers[0]?.body ?? '', /王小明|王大明|\d{17}/);
    const codes = await hallDb(t.ctx.db).selectFrom('hall_code').select('id').execute();
    assert.equal(codes.length, 0);
  });

  test('an ID number with a wrong check character is refused as invalid', async () => {
    const bad = ID.slice(0, 17) + (ID.endsWith('1') ? '2' : '1');
    const r = await post('/api/v1/accounts/citizen', { idNumber: bad, name: '王小明', phone: PHONE });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json<Err>().error.code, 'SB_ERR_INVALID_ID_NUMBER');
  });

  test('a matching request sends a code that is stored only hashed; confirming it creates a login bound to the person', async () => {
    const r = await post('/api/v1/accounts/citizen', { idNumber: ID, name: '王小明', phone: PHONE });
    assert.equal(r.statusCode, 202, r.body);
    assert.equal(r.json<{ sentTo: string }>().sentTo, '139****1111');
    const code = await lastCode(PHONE);
    const row = await hallDb(t.ctx.db)
      .selectFrom('hall_code')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.notEqual(row.code_hash, code);
    assert.doesNotMatch(JSON.stringify(row), new RegExp(`"${code}"`));
    assert.equal(row.code_hash, createHash('sha256').update(`${row.salt}:${code}`).digest('hex'));

    const weak = await post('/api/v1/accounts/citizen/confirm', {
      idNumber: ID,
      phone: PHONE,
      code,
      password: 'short',
    });
    assert.equal(weak.statusCode, 400, 'a weak password is refused before the code is used');

    const ok = await post('/api/v1/accounts/citizen/confirm', {
      idNumber: ID,
      phone: PHONE,
      code,
      password: GOOD_PASSWORD,
    });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json<{ username: string }>().username, ID.toLowerCase());

    const login = await post('/api/v1/auth/login', { username: ID, password: GOOD_PASSWORD });
    assert.equal(login.statusCode, 200, login.body);
    const user = login.json<{ user: { role: string; personId: number } }>().user;
    assert.equal(user.role, 'citizen');
    const person = await t.ctx.db
      .selectFrom('person')
      .select('id')
      .where('id_number', '=', ID)
      .executeTakeFirstOrThrow();
    assert.equal(user.personId, person.id);

    // The code is spent: a replay does not create anything.
    const replay = await post('/api/v1/accounts/citizen/confirm', {
      idNumber: ID,
      phone: PHONE,
      code,
      password: GOOD_PASSWORD,
    });
    assert.equal(replay.statusCode, 400);
    assert.equal(replay.json<Err>().error.code, 'SB_ERR_CODE_INVALID');

    // Audited: the code sent and the account created, with the person as subject.
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_person_id', '=', person.id)
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action).filter((a) => a.startsWith('account.')),
      ['account.code-sent', 'account.create'],
    );

    // A second registration for the same person is refused.
    await ageCodes();
    const again = await post('/api/v1/accounts/citizen', { idNumber: ID, name: '王小明', phone: PHONE });
    assert.equal(again.statusCode, 409);
  });
});

describe('brute force', () => {
  test(`a code dies after ${MAX_ATTEMPTS_PER_CODE} wrong guesses, even when the right one comes next`, async () => {
    const r = await post('/api/v1/accounts/password-reset', { username: ID, phone: PHONE });
    assert.equal(r.statusCode, 202, r.body);
    const code = await lastCode(PHONE);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < MAX_ATTEMPTS_PER_CODE; i++) {
      const g = await post('/api/v1/accounts/password-reset/confirm', {
        username: ID,
        phone: PHONE,
        code: wrong,
        password: 'Another-pass-2026',
      });
      assert.equal(g.statusCode, 400, g.body);
    }
    const right = await post('/api/v1/accounts/password-reset/confirm', {
      username: ID,
      phone: PHONE,
      code,
      password: 'Another-pass-2026',
    });
    assert.equal(right.statusCode, 400, 'the code no longer works');
    const login = await post('/api/v1/auth/login', { username: ID, password: GOOD_PASSWORD });
    assert.equal(login.statusCode, 200, 'the password is unchanged');
  });

  test('an expired code does not work', async () => {
    await post('/api/v1/accounts/password-reset', { username: ID, phone: PHONE });
    const code = await lastCode(PHONE);
    await sql`UPDATE hall_code SET expires_at = now() - interval '1 second' WHERE consumed_at IS NULL`.execute(
      t.ctx.db,
    );
    const r = await post('/api/v1/accounts/password-reset/confirm', {
      username: ID,
      phone: PHONE,
      code,
      password: 'Another-pass-2026',
    });
    assert.equal(r.statusCode, 400);
    assert.equal(r.json<Err>().error.code, 'SB_ERR_CODE_INVALID');
  });

  test('codes to one phone: one a minute and five an hour', async () => {
    await sql`DELETE FROM hall_code`.execute(t.ctx.db);
    const ask = () => post('/api/v1/accounts/password-reset', { username: ID, phone: PHONE }, '10.0.0.2');
    assert.equal((await ask()).statusCode, 202);
    const soon = await ask();
    assert.equal(soon.statusCode, 429, 'a second code within the minute');
    assert.equal(soon.json<Err>().error.code, 'SB_ERR_TOO_MANY_ATTEMPTS');
    for (let i = 0; i < 4; i++) {
      await ageCodes();
      assert.equal((await ask()).statusCode, 202);
    }
    await ageCodes();
    assert.equal((await ask()).statusCode, 429, 'the sixth code within the hour');
    await sql`DELETE FROM hall_code`.execute(t.ctx.db);
  });

  test('codes from one source: at most 20 an hour across phones', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await post(
        '/api/v1/accounts/password-reset',
        { username: 'nobody', phone: `1350000${String(i).padStart(4, '0')}` },
        '10.0.0.3',
      );
      assert.equal(r.statusCode, 202, r.body);
    }
    const r = await post(
      '/api/v1/accounts/password-reset',
      { username: 'nobody', phone: '13600000000' },
      '10.0.0.3',
    );
    assert.equal(r.statusCode, 429);
    await sql`DELETE FROM hall_code`.execute(t.ctx.db);
  });
});

describe('password reset', () => {
  test('the answer is the same for an unknown account or a phone not its own, and no SMS goes out', async () => {
    const a = await post('/api/v1/accounts/password-reset', { username: 'nosuchuser', phone: '13911112222' });
    await ageCodes();
    const b = await post('/api/v1/accounts/password-reset', { username: ID, phone: '13911113333' });
    assert.equal(a.statusCode, 202);
    assert.equal(b.statusCode, 202);
    const sms = await hallDb(t.ctx.db)
      .selectFrom('hall_message_outbox')
      .select('id')
      .where('recipient', 'in', ['13911112222', '13911113333'])
      .execute();
    assert.equal(sms.length, 0);
    const staff = await post('/api/v1/accounts/password-reset', { username: 'clerk', phone: '13800000000' });
    assert.equal(staff.statusCode, 202, 'staff accounts are not reset by phone, and it is not revealed');
  });

  test('a code from the phone on record sets a new password, unlocks the account and ends its sessions', async () => {
    const before = await post('/api/v1/auth/login', { username: ID, password: GOOD_PASSWORD });
    const cookie = String(before.headers['set-cookie']).split(';')[0] ?? '';
    await t.ctx.db
      .updateTable('app_user')
      .set({ locked_until: new Date(Date.now() + 600_000).toISOString() })
      .where('username', '=', ID.toLowerCase())
      .execute();
    await post('/api/v1/accounts/password-reset', { username: ID, phone: PHONE });
    const code = await lastCode(PHONE);
    const r = await post('/api/v1/accounts/password-reset/confirm', {
      username: ID,
      phone: PHONE,
      code,
      password: 'Reset-pass-2026x',
    });
    assert.equal(r.statusCode, 200, r.body);
    const old = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    assert.equal(old.statusCode, 401, 'the old session ended');
    assert.equal(
      (await post('/api/v1/auth/login', { username: ID, password: GOOD_PASSWORD })).statusCode,
      401,
    );
    assert.equal(
      (await post('/api/v1/auth/login', { username: ID, password: 'Reset-pass-2026x' })).statusCode,
      200,
    );
  });
});

describe('employer registration', () => {
  test('an invalid credit code, a wrong representative or a phone not the representative\u2019s are refused', async () => {
    const bad = CREDIT.slice(0, 17) + (CREDIT.endsWith('0') ? '1' : '0');
    const r1 = await post('/api/v1/accounts/employer', {
      creditCode: bad,
      legalRepName: '赵法人',
      legalRepIdNumber: REP_ID,
      phone: REP_PHONE,
    });
    assert.equal(r1.json<Err>().error.code, 'SB_ERR_INVALID_CREDIT_CODE');
    const r2 = await post('/api/v1/accounts/employer', {
      creditCode: CREDIT,
      legalRepName: '钱法人',
      legalRepIdNumber: REP_ID,
      phone: REP_PHONE,
    });
    const r3 = await post('/api/v1/accounts/employer', {
      creditCode: CREDIT,
      legalRepName: '赵法人',
      legalRepIdNumber: REP_ID,
      phone: '13700009999',
    });
    for (const r of [r2, r3]) {
      assert.equal(r.statusCode, 422, r.body);
      assert.equal(r.json<Err>().error.code, 'SB_ERR_REGISTRY_MISMATCH');
    }
    assert.equal(r2.body, r3.body);
  });

  test('the representative\u2019s code creates an employer login for that employer', async () => {
    const r = await post('/api/v1/accounts/employer', {
      creditCode: CREDIT,
      legalRepName: '赵法人',
      legalRepIdNumber: REP_ID,
      phone: REP_PHONE,
    });
    assert.equal(r.statusCode, 202, r.body);
    const code = await lastCode(REP_PHONE);
    const ok = await post('/api/v1/accounts/employer/confirm', {
      creditCode: CREDIT,
      phone: REP_PHONE,
      code,
      password: GOOD_PASSWORD,
    });
    assert.equal(ok.statusCode, 201, ok.body);
    const login = await post('/api/v1/auth/login', { username: CREDIT, password: GOOD_PASSWORD });
    assert.equal(login.statusCode, 200);
    const user = login.json<{ user: { role: string; employerId: number } }>().user;
    const e = await t.ctx.db
      .selectFrom('employer')
      .select('id')
      .where('credit_code', '=', CREDIT)
      .executeTakeFirstOrThrow();
    assert.deepEqual([user.role, user.employerId], ['employer', e.id]);
  });
});

describe('demo SMS page', () => {
  test('is not offered when the demo sender is not chosen on a non-demo database', async () => {
    process.env['HALL_SMS_SENDER'] = 'none';
    try {
      const r = await t.app.inject({ method: 'GET', url: `/api/v1/hall/demo-sms?phone=${PHONE}` });
      assert.equal(r.statusCode, 404);
    } finally {
      process.env['HALL_SMS_SENDER'] = 'demo';
    }
  });
});

describe('a real SMS gateway as the sender', () => {
  test('gets the message with the code; the outbox keeps it only with the code blanked', async () => {
    const sent: Array<{ to: string; body: string }> = [];
    const gateway: SmsSender = {
      name: 'test-gateway',
      send: (to, body) => {
        sent.push({ to, body });
        return Promise.resolve();
      },
    };
    await new AccountService(t.ctx, gateway).requestReset({ username: ID, phone: PHONE }, '10.0.0.9');
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.to, PHONE);
    assert.match(sent[0]?.body ?? '', /\d{6}/);
    const row = await hallDb(t.ctx.db)
      .selectFrom('hall_message_outbox')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    assert.equal(row.sender, 'test-gateway');
    assert.doesNotMatch(row.body, /\d{6}/);
  });
});
