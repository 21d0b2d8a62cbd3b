// A machine key re-keyed without a dead device (forty-first pass, docs/security.md "Re-keying"): a
// rotation that keeps the old key until the new key's first use or the overlap hours, one that stops it
// now, for card terminals and hospitals alike; the command line's batch of one region. One app.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { issueIntoKeyFile } from '../cards/card.cli.ts';
import { CardTerminalService } from '../cards/card-terminal.service.ts';
import { fixNow, now } from '../core/clock.ts';
import { isSbError } from '../core/errors.ts';
import { HospitalService } from '../injury/hospital.service.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { systemActor } from './actor.ts';

let t: TestApp;
let clerk: LoginResult;
let farClerk: LoginResult;
const HOUR = 3_600_000;
const OVERLAP_HOURS = 72; // params/machine-keys/overlap-hours.yaml

const post = (url: string, who: LoginResult) => t.app.inject({ method: 'POST', url, headers: who.headers });
/** A terminal's call with its key (an empty batch is refused after the key: 400 means the key opened). */
const terminalCall = async (key: string, terminalId: string) => {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/terminal-api/card-uses',
    headers: { 'x-terminal-key': key },
    remoteAddress: '10.41.0.1',
    payload: { terminalId, terminalKind: 'bus', region: TEST_REGION, records: [] },
  });
  return r.statusCode === 401 ? 401 : 'opened';
};
const hospitalCall = async (key: string) =>
  (
    await t.app.inject({
      method: 'GET',
      url: '/api/v1/hospital-api/bills',
      headers: { 'x-hospital-key': key },
      remoteAddress: '10.41.0.2',
    })
  ).statusCode;
const register = async (terminalId: string) => {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/card-terminals',
    headers: clerk.headers,
    payload: { terminalId, kind: 'bus', name: '宣城公交 换钥测试' },
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json<{ key: string; keyPrefix: string }>();
};
type Rekeyed = {
  key: string;
  keyPrefix: string;
  oldKeyPrefix: string | null;
  oldKeyValidUntil: string | null;
};
const rekey = async (terminalId: string, oldKey?: string) => {
  const r = await post(`/api/v1/card-terminals/${terminalId}/key${oldKey ? `?oldKey=${oldKey}` : ''}`, clerk);
  assert.equal(r.statusCode, 201, r.body);
  return r.json<Rekeyed>();
};
const audits = (action: string, entityId: string) =>
  t.ctx.db
    .selectFrom('audit_log')
    .select(['actor_username', 'after'])
    .where('action', '=', action)
    .where('entity_id', '=', entityId)
    .execute();

before(async () => {
  t = await makeTestApp();
  clerk = await t.login('clerk');
  const pw = await t.ctx.db
    .selectFrom('app_user')
    .select('password_hash')
    .where('username', '=', 'clerk')
    .executeTakeFirstOrThrow();
  await t.ctx.db
    .insertInto('app_user')
    .values({
      username: 'clerk-sh',
      display_name: 'clerk-sh',
      password_hash: pw.password_hash,
      role: 'clerk',
      person_id: null,
      employer_id: null,
      region: '310104',
    })
    .execute();
  farClerk = await t.login('clerk-sh');
});
after(async () => {
  fixNow(null);
  await t.close();
});

describe('a terminal re-keyed', () => {
  test('with overlap: the old key opens until the new key’s first call, then 401; the page’s answer shows until when (old code: the old key stopped at once)', async () => {
    const first = await register('XC-RK-1');
    const at = now();
    const r = await rekey('XC-RK-1', 'overlap');
    assert.equal(r.oldKeyPrefix, first.keyPrefix);
    const until = new Date(r.oldKeyValidUntil ?? '');
    assert.ok(
      Math.abs(until.getTime() - at.getTime() - OVERLAP_HOURS * HOUR) < 60_000,
      r.oldKeyValidUntil ?? '',
    );
    assert.equal(
      await terminalCall(first.key, 'XC-RK-1'),
      'opened',
      'the device without its new key still uploads',
    );
    assert.equal(await terminalCall(first.key, 'XC-RK-1'), 'opened');
    assert.equal(await terminalCall(r.key, 'XC-RK-1'), 'opened');
    assert.equal(await terminalCall(first.key, 'XC-RK-1'), 401, 'the new key’s first call ended the old');
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/card-terminals?pageSize=200',
      headers: clerk.headers,
    });
    const row = list
      .json<{ items: Array<{ terminalId: string } & Rekeyed> }>()
      .items.find((x) => x.terminalId === 'XC-RK-1');
    assert.equal(row?.oldKeyPrefix, null);
    const rotation = await audits('card.terminal-key', 'XC-RK-1');
    assert.deepEqual(
      rotation.map((a) => a.after),
      [
        {
          keyPrefix: r.keyPrefix,
          keyIssuedOn: (rotation[0]?.after as { keyIssuedOn: string }).keyIssuedOn,
          oldKey: 'overlap',
          oldKeyPrefix: first.keyPrefix,
          oldKeyValidUntil: r.oldKeyValidUntil,
        },
      ],
    );
    const ended = await audits('card.terminal-old-key-end', 'XC-RK-1');
    assert.deepEqual(
      ended.map((a) => a.actor_username),
      ['terminal:XC-RK-1'],
    );
    assert.ok(!JSON.stringify([rotation, ended]).includes(r.key.slice(15)), 'prefixes only');
    assert.ok(!JSON.stringify([rotation, ended]).includes(first.key.slice(15)));
  });

  test('with overlap, a device that never takes its new key: the old key is 401 once the overlap hours are past', async () => {
    const first = await register('XC-RK-2');
    const r = await rekey('XC-RK-2', 'overlap');
    const until = new Date(r.oldKeyValidUntil ?? '');
    try {
      fixNow(new Date(until.getTime() - 60_000));
      assert.equal(await terminalCall(first.key, 'XC-RK-2'), 'opened');
      fixNow(new Date(until.getTime() + 1000));
      assert.equal(await terminalCall(first.key, 'XC-RK-2'), 401);
      assert.equal(await terminalCall(r.key, 'XC-RK-2'), 'opened');
    } finally {
      fixNow(null);
    }
  });

  test('stop now (a compromised key): the old key is 401 at once, and is the default', async () => {
    const first = await register('XC-RK-3');
    const r = await rekey('XC-RK-3', 'stop-now');
    assert.equal(r.oldKeyPrefix, null);
    assert.equal(await terminalCall(first.key, 'XC-RK-3'), 401);
    const again = await rekey('XC-RK-3');
    assert.equal(await terminalCall(r.key, 'XC-RK-3'), 401, 'no choice named: stop now');
    assert.equal(await terminalCall(again.key, 'XC-RK-3'), 'opened');
    const bad = await post('/api/v1/card-terminals/XC-RK-3/key?oldKey=forever', clerk);
    assert.equal(bad.statusCode, 400);
    assert.ok(!bad.body.includes('forever'));
  });

  test('retirement stops the kept old key too; another region’s clerk cannot re-key (404, as one never registered)', async () => {
    const first = await register('XC-RK-4');
    await rekey('XC-RK-4', 'overlap');
    const far = await post('/api/v1/card-terminals/XC-RK-4/key?oldKey=overlap', farClerk);
    assert.equal(far.statusCode, 404, far.body);
    assert.equal(await terminalCall(first.key, 'XC-RK-4'), 'opened', 'the refused re-key changed nothing');
    assert.equal((await post('/api/v1/card-terminals/XC-RK-4/retirement', clerk)).statusCode, 200);
    assert.equal(await terminalCall(first.key, 'XC-RK-4'), 401);
  });
});

describe('the command line’s batch (shebao cards terminal-keys)', () => {
  test('one region’s terminals re-keyed all at once into a 0600 file, audited as the operator; another region’s id refuses the whole list (old code: no batch)', async () => {
    const a = await register('XC-RK-5');
    await register('XC-RK-6');
    const terminals = new CardTerminalService(t.ctx.db);
    const sh = await terminals.register(systemActor('test'), {
      terminalId: 'SH-RK-1',
      kind: 'bus',
      name: '上海公交 换钥测试',
      region: '310104',
    });
    const dir = mkdtempSync(join(tmpdir(), 'sb-keys-'));
    const refusedOut = join(dir, 'refused.tsv');
    await assert.rejects(
      issueIntoKeyFile(refusedOut, () =>
        terminals.newKeys(systemActor('cli:ops'), {
          region: TEST_REGION,
          terminalIds: ['XC-RK-5', 'SH-RK-1'],
          oldKey: 'overlap',
        }),
      ),
      (e: unknown) => isSbError(e) && e.status === 404 && e.toBody().field === 'terminalIds.1',
    );
    assert.ok(!existsSync(refusedOut), 'no file is left of a refused batch');
    assert.equal(await terminalCall(a.key, 'XC-RK-5'), 'opened', 'nothing was re-keyed');
    assert.equal(await terminalCall(sh.key, 'SH-RK-1'), 'opened');
    assert.equal((await audits('card.terminal-key', 'XC-RK-5')).length, 0);

    const out = join(dir, 'keys.tsv');
    await issueIntoKeyFile(out, () =>
      terminals.newKeys(systemActor('cli:ops'), {
        region: TEST_REGION,
        terminalIds: ['XC-RK-5', 'XC-RK-6'],
        oldKey: 'overlap',
      }),
    );
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    assert.deepEqual(
      lines.map((l) => l[0]),
      ['XC-RK-5', 'XC-RK-6'],
    );
    assert.equal(await terminalCall(a.key, 'XC-RK-5'), 'opened', 'overlap: the old key still opens');
    assert.equal(await terminalCall(lines[0]?.[1] ?? '', 'XC-RK-5'), 'opened');
    assert.deepEqual(
      (await audits('card.terminal-key', 'XC-RK-5')).map((x) => x.actor_username),
      ['cli:ops'],
    );
    await assert.rejects(
      issueIntoKeyFile(out, async () => []),
      /EEXIST/,
      'an existing file is never overwritten',
    );
  });
});

describe('a hospital’s key rotated', () => {
  test('with overlap: the old key opens until the new one’s first call; stop now: 401 at once; the overlap runs out (old code: stopped at once)', async () => {
    const hs = new HospitalService(t.ctx.db);
    const sys = systemActor('test');
    const h = await hs.createHospital(sys, { code: 'H34180041', name: '宣城市换钥医院', region: '341802' });
    const k1 = await hs.createApiKey(sys, h.id, 'HIS');
    const k2 = await hs.rotateApiKey(sys, k1.id, 'overlap');
    assert.ok(k2.oldKeyValidUntil !== null);
    assert.equal(await hospitalCall(k1.key), 200);
    assert.equal(await hospitalCall(k2.key), 200);
    assert.equal(await hospitalCall(k1.key), 401, 'the new key’s first call ended the old');
    const ended = await audits('hospital.key.old-end', String(k1.id));
    assert.deepEqual(
      ended.map((a) => a.actor_username),
      [`key:${k2.prefix}`],
    );

    const k3 = await hs.rotateApiKey(sys, k2.id, 'overlap');
    try {
      fixNow(new Date(new Date(k3.oldKeyValidUntil ?? '').getTime() + 1000));
      assert.equal(await hospitalCall(k2.key), 401, 'past the overlap');
    } finally {
      fixNow(null);
    }
    const k4 = await hs.rotateApiKey(sys, k3.id, 'stop-now');
    assert.equal(k4.oldKeyValidUntil, null);
    assert.equal(await hospitalCall(k3.key), 401);
    assert.equal(await hospitalCall(k4.key), 200);
    const keys = await hs.listApiKeys(sys, h.id);
    assert.ok(!JSON.stringify(keys).includes(k4.key));
  });
});
