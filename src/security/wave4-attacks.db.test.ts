// The fourth wave's attacker's walk (sec22): what changed last and was least attacked — the declaration
// file in yuan and the bank receipts with amount_yuan, the card routes, the supervision case and the
// recovery list, the service hall's applications, messages and home visits, and the background jobs —
// tried as an anonymous caller, a citizen with another citizen's ids, an employer naming another
// employer, and staff of another district or city. Each test goes through the real server
// (app.inject) on a real database and asserts the refusal, that nothing was written, and that no
// personal data came back; the log scan of scripts/test.mjs then reads what the suite logged.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { CardTerminalService } from '../cards/card-terminal.service.ts';
import { CardService } from '../cards/card.service.ts';
import { systemActor } from '../auth/actor.ts';
import { declaringEmployerApp } from '../testing/contribution-fixtures.ts';
import { postMessage } from '../hall/message.repository.ts';
import { makeBillLine, makeEmployer, makeEmployment, makePerson } from '../testing/factories.ts';
import { errorCode, send } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

const count = async (t: TestApp, table: string): Promise<number> =>
  Number(
    (await sql<{ n: unknown }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.ctx.db)).rows[0]?.n,
  );

describe('wave 4: the declaration file in yuan and the bank receipts', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  let own = ''; // the employer's staff member's ID number
  let otherEmployer = 0;
  const post = (who: string, url: string, csv: string) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...as[who]!.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
  const declare = (who: string, csv: string, employerId = t.employerId) =>
    post(who, `/api/v1/employers/${employerId}/declarations.csv`, csv);
  const written = async () =>
    [await count(t, 'contribution_declaration'), await count(t, 'contribution_upload')].join('/');

  before(async () => {
    t = await declaringEmployerApp();
    own = makeIdNumber('341802', '1985-06-15', 11);
    otherEmployer = (await makeEmployer(t.ctx.db, { region: TEST_REGION, name: '另一测试单位' })).id;
    as['employer'] = await t.login('employer');
    as['clerk'] = await t.login('clerk');
    as['employer2'] = await loginAsNew(t, 'employer2', { role: 'employer', employerId: otherEmployer });
    const staff = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('340102', '1981-02-02', 31),
      birth_date: '1981-02-02',
      region: '340100',
    });
    as['clerk-district'] = await loginAsNew(t, 'clerk-district', {
      role: 'clerk',
      region: '341802',
      personId: staff.id,
    });
  });
  after(async () => {
    fixToday(null);
    await t?.close();
  });

  test('an employer posting a file to another employer is refused before the file is read, whatever its lines', async () => {
    const before = await written();
    const bad = 'id_number,name,period,wage_yuan\nnot-an-id,x,2021-13,abc\n';
    const good = `id_number,name,period,wage_yuan\n${own},张三,2021-09,6500.00\n`;
    for (const csv of [bad, good, 'garbage']) {
      const r = await declare('employer2', csv);
      // another employer answers as an unknown one (wave 13: a 403 said the employer exists)
      assert.equal(r.statusCode, 404, `${csv}: ${r.body}`);
      assert.equal(errorCode(r), 'SB_ERR_NOT_FOUND');
    }
    const unknown = await declare('employer', bad, 987654);
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(await written(), before);
  });

  test('hostile files answer 400 with every bad line, write nothing and echo no registry data', async () => {
    const header = 'id_number,name,period,wage_yuan';
    const ok = `${own},张三,2021-09,6500.00`;
    const files: Array<[string, string, string]> = [
      ['Arabic-Indic digits', `${header}\n${ok}\n${own},张三,2021-08,٦٥٠٠٫٠٠\n`, 'wage_yuan'],
      ['Extended Arabic-Indic digits', `${header}\n${ok}\n${own},张三,2021-08,۶۵۰۰\n`, 'wage_yuan'],
      ['Devanagari digits', `${header}\n${ok}\n${own},张三,2021-08,६५००\n`, 'wage_yuan'],
      ['mathematical bold digits', `${header}\n${ok}\n${own},张三,2021-08,𝟔𝟓𝟎𝟎\n`, 'wage_yuan'],
      ['superscript digits', `${header}\n${ok}\n${own},张三,2021-08,⁶⁵⁰⁰\n`, 'wage_yuan'],
      ['Arabic-Indic digits in the period', `${header}\n${ok}\n${own},张三,٢٠٢١-٠٨,6500\n`, 'period'],
      [
        'a no-break space inside the amount',
        `${header}\n${ok}\n${own},张三,2021-08,6\u00a0500\n`,
        'wage_yuan',
      ],
      ['an exponent', `${header}\n${ok}\n${own},张三,2021-08,6.5e3\n`, 'wage_yuan'],
      ['Infinity', `${header}\n${ok}\n${own},张三,2021-08,Infinity\n`, 'wage_yuan'],
      ['a formula', `${header}\n${ok}\n${own},张三,2021-08,=6500\n`, 'wage_yuan'],
      ['a quoted name with a line break', `${header}\n${ok}\n${own},"张\n三",2021-08,6500\n`, '(line)'],
      ['the same person and month twice', `${header}\n${ok}\n${ok}\n`, 'id_number'],
      ['CR-only line ends (one line)', `${header}\r${ok}\r${own},张三,2021-08,6500\r`, '(header)'],
      // the registered name (张三) is nowhere in this file: the answer must not tell it
      ['a wrong name for the staff member', `${header}\n${own},李四,2021-08,6500\n`, 'name'],
    ];
    const before = await written();
    for (const [what, csv, field] of files) {
      const r = await declare('employer', csv);
      assert.equal(r.statusCode, 400, `${what}: ${r.body}`);
      const errors = r.json<{ error: { lines: Array<{ field: string }> } }>().error.lines;
      assert.ok(
        errors.some((e) => e.field === field),
        `${what}: ${r.body}`,
      );
      // A file that names 张三 may see its own cell again; one that does not must not learn the name.
      if (!csv.includes('张三')) assert.doesNotMatch(r.body, /张三/, `${what}: no registered name`);
    }
    assert.equal(await written(), before, 'nothing written by a rejected file');
  });

  test('control characters, NUL, bidi marks and a BOM inside the file are refused at the edge; a leading BOM is read', async () => {
    const header = 'id_number,name,period,wage_yuan';
    const before = await written();
    for (const [what, cell] of [
      ['NUL', '65\u000000'],
      ['a C0 control', '6500\u0007'],
      ['a C1 control', '6500\u0085'],
      ['a right-to-left mark', '\u200f6500'],
      ['a right-to-left override', '\u202e00.0056'],
      ['a zero-width space', '65\u200b00'],
      ['a BOM inside the file', '\ufeff6500'],
    ] as const) {
      const r = await declare('employer', `${header}\n${own},张三,2021-08,${cell}\n`);
      assert.equal(r.statusCode, 400, `${what}: ${r.body}`);
      assert.equal(errorCode(r), 'SB_ERR_INVALID_TEXT', what);
      assert.ok(!r.body.includes(own), `${what}: the line is not echoed`);
    }
    assert.equal(await written(), before);
    // The same marks in a JSON field (a right-to-left or Arabic letter mark reorders a name on screen).
    for (const mark of ['\u200e', '\u200f', '\u061c']) {
      const r = await send(t.app, as['employer']!, 'POST', '/api/v1/applications', {
        serviceCode: 'insurance-certificate',
        note: `申请${mark}证明`,
      });
      assert.equal(r.statusCode, 400, r.body);
      assert.equal(errorCode(r), 'SB_ERR_INVALID_TEXT');
    }
    assert.equal(await count(t, 'hall_application'), 0);
    const bom = await declare('employer', `\ufeff${header}\r\n${own},张三,2021-08,"6,500.00"\r\n`);
    assert.equal(bom.statusCode, 200, bom.body);
  });

  test('a file over the limit is refused whole (413) and one of 50,001 lines stops at the cap, writing nothing', async () => {
    const before = await written();
    const big = `id_number,name,period,wage_yuan\n${own},${'张'.repeat((9 * 1024 * 1024) / 3)},2021-08,6500\n`;
    const r = await declare('employer', big);
    assert.equal(r.statusCode, 413, r.body.slice(0, 200));
    assert.ok(!r.body.includes('张张'), 'the line is not echoed');
    const many = `id_number,name,period,wage_yuan\n${`${own},,2021-08,6500\n`.repeat(50_001)}`;
    const m = await declare('employer', many);
    assert.equal(m.statusCode, 400);
    const lines = m.json<{ error: { lines: Array<{ field: string }> } }>().error.lines;
    assert.ok(
      lines.some((e) => e.field === '(file)'),
      'the cap is named',
    );
    assert.equal(await written(), before);
  });

  test('bank receipts in yuan: a district clerk naming a bill of another region links nothing of it; other digits are refused', async () => {
    const stranger = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('340102', '1970-05-05', 41),
      birth_date: '1970-05-05',
      region: '340100',
    });
    const foreign = await makeEmployer(t.ctx.db, { region: '340100', name: '合肥外地单位' });
    const { billId } = await makeBillLine(t.ctx.db, {
      personId: stranger.id,
      period: '2021-08',
      region: '340100',
      employerId: foreign.id,
      status: 'open',
      pensionEmployerFen: 100_000,
    });
    const header = 'bank_ref,paid_date,bill_no,amount_yuan';
    const url = '/api/v1/payments/bank-receipts.csv?region=341802';
    for (const amount of ['١٠٠٠', '𝟏𝟎𝟎𝟎', '1000.001', '-1000', '0x3e8']) {
      const r = await post(
        'clerk-district',
        url,
        `${header}\nREF-${amount.length}-X,2021-10-01,${billId},${amount}\n`,
      );
      assert.equal(r.statusCode, 400, `${amount}: ${r.body}`);
    }
    const r = await post('clerk-district', url, `${header}\nREF-FOREIGN-1,2021-10-01,${billId},1000.00\n`);
    assert.equal(r.statusCode, 200, r.body);
    const res = r.json<{ results: Array<{ status: string; reason?: string }> }>().results;
    assert.equal(res[0]?.status, 'unallocated');
    assert.ok(!r.body.includes('合肥') && !r.body.includes(String(stranger.id)), r.body);
    const row = (
      await sql<{ bill_id: unknown; person_id: unknown; employer_id: unknown; region: string }>`
        SELECT bill_id, person_id, employer_id, region FROM contribution_payment WHERE bank_ref = 'REF-FOREIGN-1'`.execute(
        t.ctx.db,
      )
    ).rows[0];
    assert.deepEqual(
      { bill: row?.bill_id, person: row?.person_id, employer: row?.employer_id, region: row?.region.trim() },
      { bill: null, person: null, employer: null, region: '341802' },
      'a receipt held in this region names nothing of a bill elsewhere',
    );
    for (const who of ['employer', 'employer2']) {
      const e = await post(who, url, `${header}\nREF-EMP-1,2021-10-01,${billId},1000.00\n`);
      assert.equal(e.statusCode, 403, `${who}: ${e.body}`);
    }
    const elsewhere = await post(
      'clerk-district',
      '/api/v1/payments/bank-receipts.csv?region=340100',
      `${header}\nREF-HEFEI-1,2021-10-01,${billId},1000.00\n`,
    );
    assert.equal(elsewhere.statusCode, 403, elsewhere.body);
  });

  test('bank receipts: a file name of 10,000 characters is refused (SB_ERR_VALIDATION, filename), not echoed, nothing stored; 200 are taken', async () => {
    const csv = 'bank_ref,paid_date,bill_no,amount_yuan\nREF-NAME-LIMIT-1,2021-10-01,987654,1000.00\n';
    const url = (filename: string) =>
      `/api/v1/payments/bank-receipts.csv?region=${TEST_REGION}&filename=${encodeURIComponent(filename)}`;
    const imports = async () =>
      Number(
        (
          await sql<{
            n: unknown;
          }>`SELECT count(*) AS n FROM audit_log WHERE action = 'payment.import'`.execute(t.ctx.db)
        ).rows[0]?.n,
      );
    const stored = async () =>
      [await count(t, 'contribution_upload'), await count(t, 'contribution_payment'), await imports()].join(
        '/',
      );
    const before = await stored();
    const long = `${'回单'.repeat(10)}${'q'.repeat(9_976)}.csv`;
    assert.equal(long.length, 10_000);
    const r = await post('clerk', url(long), csv);
    assert.equal(r.statusCode, 400, r.body.slice(0, 300));
    assert.equal(errorCode(r), 'SB_ERR_VALIDATION');
    assert.equal(r.json<{ error: { field?: string } }>().error.field, 'filename');
    assert.ok(
      !r.body.includes('qqqq') && !r.body.includes('回单'),
      `the name is not echoed: ${r.body.slice(0, 300)}`,
    );
    assert.equal(await stored(), before, 'nothing stored, nothing audited');
    const ok = await post('clerk', url(`${'q'.repeat(196)}.csv`), csv);
    assert.equal(ok.statusCode, 200, ok.body);
  });
});

describe('wave 4: cards, the hall, supervision and the jobs', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  let other = 0; // citizen2's person id

  before(async () => {
    fixToday('2026-03-16');
    t = await makeTestApp();
    for (const name of ['clerk', 'reviewer', 'supervisor', 'admin', 'policy', 'citizen', 'employer'])
      as[name] = await t.login(name);
    const person = (seq: number, region = '340100') =>
      makePerson(t.ctx.db, {
        id_number: makeIdNumber(region.slice(0, 4) + '02', '1982-04-0' + String(seq), 50 + seq),
        birth_date: '1982-04-0' + String(seq),
        region,
      });
    for (const [name, role, region, seq] of [
      ['clerk-hefei', 'clerk', '340100', 1],
      ['supervisor-hefei', 'supervisor', '340100', 2],
      ['policy-hefei', 'policy', '340100', 3],
      ['clerk-district', 'clerk', '341802', 4],
    ] as const)
      as[name] = await loginAsNew(t, name, { role, region, personId: (await person(seq)).id });
    other = (await makePerson(t.ctx.db, { region: TEST_REGION, name: '王五' })).id;
    as['citizen2'] = await loginAsNew(t, 'citizen2', { personId: other });
    const otherEmployer = await makeEmployer(t.ctx.db, { region: TEST_REGION, name: '别家单位' });
    await makeEmployment(t.ctx.db, {
      person_id: other,
      employer_id: otherEmployer.id,
      start_date: '2020-01-01',
    });
    as['employer2'] = await loginAsNew(t, 'employer2', { role: 'employer', employerId: otherEmployer.id });
  });
  after(async () => {
    fixToday(null);
    await t?.close();
  });

  test('cards: anonymous learns nothing but the public snapshot; a guessed, another’s or another region’s card answers alike', async () => {
    const sys = systemActor('test');
    const s = new CardService(t.ctx.db);
    const mine = await s.apply(sys, t.personId);
    const theirs = await s.apply(sys, other);
    await s.advance(sys, theirs.id, 'produce');
    await s.advance(sys, theirs.id, 'issue');
    await s.activate(sys, theirs.id);
    await s.reportLoss(sys, theirs.id, { kind: 'formal' });
    const idNumber = (
      await sql<{ id_number: string }>`SELECT id_number FROM person WHERE id = ${other}`.execute(t.ctx.db)
    ).rows[0]!.id_number;
    for (const [m, url] of [
      ['GET', `/api/v1/cards/${theirs.id}/history`],
      ['GET', `/api/v1/persons/${other}/cards`],
      ['GET', '/api/v1/card-register'],
      ['POST', `/api/v1/cards/${theirs.id}/loss`],
      ['POST', `/api/v1/cards/${theirs.id}/unblock`],
      ['POST', '/api/v1/card-uses'],
      ['GET', '/api/v1/ecard/qr'],
    ] as const) {
      const r = await send(t.app, null, m, url, m === 'POST' ? {} : undefined);
      assert.equal(r.statusCode, 401, `${m} ${url}: ${r.body}`);
    }
    const snap = await send(t.app, null, 'GET', '/api/v1/ecard/revoked');
    assert.equal(snap.statusCode, 200);
    assert.ok(!snap.body.includes(idNumber) && !snap.body.includes('王五'), snap.body);
    // the lost card is in it (an empty list would pass the check below), as its reference only
    const refs = snap.json<{ refs: string[] }>().refs;
    assert.ok(refs.length > 0, snap.body);
    assert.ok(
      refs.every((x) => /^[0-9a-f]{32}$/.test(x)),
      snap.body,
    );
    // A citizen: another's card and a guessed number give the same answer, with nothing of the card.
    const answers = new Set<string>();
    for (const id of [theirs.id, 999_999]) {
      for (const [m, url] of [
        ['GET', `/api/v1/cards/${id}/history`],
        ['POST', `/api/v1/cards/${id}/unblock`],
        ['POST', `/api/v1/cards/${id}/activate`],
        ['POST', `/api/v1/cards/${id}/reissue`],
      ] as const) {
        const r = await send(t.app, as['citizen']!, m, url, m === 'POST' ? {} : undefined);
        // the body as it came: the answer does not repeat the number asked for either
        answers.add(`${url.replace(String(id), 'N')} ${r.statusCode} ${r.body}`);
        assert.ok(!r.body.includes('lost') && !r.body.includes(idNumber), r.body);
      }
    }
    assert.equal(answers.size, 4, [...answers].join('\n'));
    // Staff of another city: the city's card or person answers as an unknown one (404 since card39; no
    // status, no holder), and the city's register is refused (a region, not an id).
    for (const [m, url, status] of [
      ['GET', `/api/v1/cards/${mine.id}/history`, 404],
      ['POST', `/api/v1/cards/${theirs.id}/unblock`, 404],
      ['GET', `/api/v1/persons/${other}/cards`, 404],
      ['GET', `/api/v1/card-register?region=${TEST_REGION}`, 403],
    ] as const) {
      const r = await send(t.app, as['clerk-hefei']!, m, url, m === 'POST' ? {} : undefined);
      assert.equal(r.statusCode, status, `${m} ${url}: ${r.body}`);
      assert.ok(!r.body.includes(idNumber) && !r.body.includes('lost'), r.body);
    }
  });

  test('card terminal uploads: only the region’s clerk; a replayed batch adds nothing', async () => {
    // uploads go only through a terminal the region registered (thirty-eighth pass)
    await new CardTerminalService(t.ctx.db).register(systemActor('test'), {
      terminalId: 'bus-0001',
      kind: 'bus',
      name: '宣城公交 测试闸机',
      region: TEST_REGION,
    });
    const ref = (
      await sql<{ card_ref: string }>`SELECT card_ref FROM card WHERE person_id = ${other} LIMIT 1`.execute(
        t.ctx.db,
      )
    ).rows[0]!.card_ref;
    const batch = {
      terminalId: 'bus-0001',
      terminalKind: 'bus',
      region: TEST_REGION,
      records: [
        { seq: 1, cardRef: ref, usedAt: '2026-03-16T08:00:00+08:00', accepted: false, reason: 'lost' },
      ],
    };
    for (const who of ['citizen', 'employer', 'policy', 'supervisor', 'clerk-hefei', 'clerk-district']) {
      const r = await send(t.app, as[who]!, 'POST', '/api/v1/card-uses', batch);
      assert.equal(r.statusCode, 403, `${who}: ${r.body}`);
    }
    assert.equal(await count(t, 'card_use'), 0);
    const first = await send(t.app, as['clerk']!, 'POST', '/api/v1/card-uses', batch);
    assert.deepEqual(first.json(), { received: 1, inserted: 1, duplicates: 0 });
    const replay = await send(t.app, as['clerk']!, 'POST', '/api/v1/card-uses', batch);
    assert.deepEqual(replay.json(), { received: 1, inserted: 0, duplicates: 1 });
  });

  test('the hall: another citizen’s application, another employer’s staff, another district’s clerk', async () => {
    const filed = await send(t.app, as['citizen']!, 'POST', '/api/v1/applications', {
      serviceCode: 'insurance-certificate',
      note: '本人申请',
    });
    if (filed.statusCode !== 201) {
      // the catalogue's first service the hall takes from a citizen
      const list = await send(t.app, as['citizen']!, 'GET', '/api/v1/services');
      assert.fail(`${filed.statusCode} ${filed.body} ${list.body.slice(0, 400)}`);
    }
    const app = filed.json<{ id: number; version: number }>();
    const url = `/api/v1/applications/${app.id}`;
    const unknown = await send(t.app, as['citizen2']!, 'GET', `/api/v1/applications/${app.id + 100000}`);
    assert.equal(unknown.statusCode, 404, unknown.body);
    // Another applicant's id, or another region's, answers as an unknown one does: ids are not confirmed
    // to outsiders, whether read or acted on (the policy user may not read applications at all: 403).
    const withdraw = (who: string, id: number) =>
      send(t.app, as[who]!, 'POST', `/api/v1/applications/${id}/actions`, {
        action: 'withdraw',
        version: app.version,
      });
    for (const who of ['citizen2', 'employer', 'employer2', 'clerk-hefei', 'policy']) {
      const r = await send(t.app, as[who]!, 'GET', url);
      const asUnknown = await send(t.app, as[who]!, 'GET', `/api/v1/applications/${app.id + 100000}`);
      assert.equal(r.statusCode, who === 'policy' ? 403 : 404, `${who}: ${r.body}`);
      assert.equal(r.body, asUnknown.body, who);
      assert.ok(!r.body.includes('张三') && !r.body.includes('本人申请'), `${who}: ${r.body}`);
      const act = await withdraw(who, app.id);
      assert.ok([403, 404].includes(act.statusCode), `${who} withdraw: ${act.statusCode} ${act.body}`);
      assert.equal(act.body, (await withdraw(who, app.id + 100000)).body, `${who} withdraw`);
    }
    const still = await send(t.app, as['citizen']!, 'GET', url);
    assert.equal(still.json<{ status: string }>().status, 'submitted', still.body);
    const lists = await send(t.app, as['clerk-hefei']!, 'GET', '/api/v1/applications');
    assert.ok(!lists.body.includes('张三'), lists.body);
    // A message of the citizen's, read or marked by another (or by staff of another city).
    await postMessage(t.ctx.db, {
      personId: t.personId,
      topic: 'test',
      titleZh: '张三的消息',
      titleEn: 'a message',
      bodyZh: '张三 的社保卡已挂失',
      bodyEn: 'the card is blocked',
      link: null,
    });
    const msg = (
      await sql<{
        id: unknown;
      }>`SELECT id FROM hall_message WHERE person_id = ${t.personId} ORDER BY id LIMIT 1`.execute(t.ctx.db)
    ).rows[0]!;
    for (const who of ['citizen2', 'employer', 'clerk-hefei']) {
      const mark = await send(t.app, as[who]!, 'POST', `/api/v1/messages/${String(msg.id)}/read`, {});
      assert.equal(mark.statusCode, 404, `${who}: ${mark.body}`);
      const theirs = await send(t.app, as[who]!, 'GET', '/api/v1/messages');
      assert.ok(!theirs.body.includes('张三'), `${who}: ${theirs.body}`);
    }
    const unread = await send(t.app, as['citizen']!, 'GET', '/api/v1/messages?unreadOnly=true');
    assert.ok(unread.body.includes('张三的消息'), 'still unread for its owner');
    // An employer's staff: another employer's person, by id.
    for (const u of [`/api/v1/persons/${other}`, `/api/v1/persons/${other}/employments`]) {
      const r = await send(t.app, as['employer']!, 'GET', u);
      assert.ok([403, 404].includes(r.statusCode), `${u}: ${r.statusCode} ${r.body}`);
      assert.ok(!r.body.includes('王五'), r.body);
    }
    const staff = await send(
      t.app,
      as['employer']!,
      'GET',
      '/api/v1/employers/' + String(as['employer2']!.user.employerId) + '/staff',
    );
    assert.equal(staff.statusCode, 404, staff.body);
  });

  test('supervision: another city’s supervisor and a policy user read no case, award or recovery of the city', async () => {
    for (const who of ['supervisor-hefei', 'policy', 'policy-hefei', 'clerk-district']) {
      for (const u of [
        `/api/v1/supervision/recoveries?region=${TEST_REGION}`,
        '/api/v1/supervision/recoveries?region=000000',
        `/api/v1/supervision/cases?region=${TEST_REGION}`,
      ]) {
        const r = await send(t.app, as[who]!, 'GET', u);
        assert.equal(r.statusCode, 403, `${who} ${u}: ${r.body}`);
      }
    }
    for (const who of ['policy', 'policy-hefei']) {
      const r = await send(t.app, as[who]!, 'GET', `/api/v1/persons/${other}/pension`);
      assert.ok([403, 404].includes(r.statusCode), `${who}: ${r.statusCode} ${r.body}`);
    }
  });

  test('jobs: an assessment job of the city is read by no one of another city, district or role', async () => {
    const started = await send(t.app, as['clerk']!, 'POST', '/api/v1/contributions/assessments', {
      period: '2026-02',
      region: TEST_REGION,
    });
    assert.equal(started.statusCode, 202, started.body);
    const id = started.json<{ jobId: number }>().jobId;
    // Staff of another city or district: as an unknown job; other roles: refused by role.
    for (const [who, status] of [
      ['clerk-hefei', 404],
      ['supervisor-hefei', 404],
      ['policy', 403],
      ['policy-hefei', 403],
      ['clerk-district', 404],
      ['citizen', 403],
      ['employer', 403],
    ] as const) {
      const r = await send(t.app, as[who]!, 'GET', `/api/v1/jobs/${id}`);
      assert.equal(r.statusCode, status, `${who}: ${r.body}`);
      assert.ok(!r.body.includes('progress'), r.body);
    }
    // No route cancels or lists jobs: a guessed one is 404, not a 5xx.
    for (const [m, u] of [
      ['DELETE', `/api/v1/jobs/${id}`],
      ['POST', `/api/v1/jobs/${id}/cancel`],
      ['GET', '/api/v1/jobs'],
    ] as const) {
      const r = await send(t.app, as['clerk-hefei']!, m, u);
      assert.equal(r.statusCode, 404, `${m} ${u}: ${r.body}`);
    }
  });
});
