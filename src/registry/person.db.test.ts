// Persons and employers through the real app: validation, derived fields, masking, duplicates,
// optimistic versions, role and region scopes, and an audit entry with every change.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { drainAuditQueue } from '../audit/audit.repository.ts';
import { countRows, makeEmployer, makePerson } from '../testing/factories.ts';
import { fixToday } from '../core/clock.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import type { LoginResult, TestApp } from '../testing/test-app.ts';
import { appWithLogins, DESK_ROLES } from '../testing/users.ts';

type Json = Record<string, unknown>;
interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

describe('registry: persons and employers', () => {
  let t: TestApp;
  let clerk: LoginResult;
  let citizen: LoginResult;
  let employer: LoginResult;
  let reviewer: LoginResult;
  // A staff read's entry is durable in the audit queue when its answer leaves and chained by the writer,
  // which a read that finds it busy does not wait for (src/audit/audit-queue.ts): drained before counting
  // (on PostgreSQL the count raced the writer).
  const auditCount = async (): Promise<number> => {
    await drainAuditQueue(t.ctx.db);
    return countRows(t.ctx.db, 'audit_log');
  };
  const personCount = (): Promise<number> => countRows(t.ctx.db, 'person');
  /** The newest audit entry. */
  const lastAudit = async () => {
    await drainAuditQueue(t.ctx.db);
    return t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
  };

  before(async () => {
    ({ t, clerk, citizen, employer, reviewer } = await appWithLogins('2024-03-01', DESK_ROLES));
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  const post = (url: string, who: LoginResult, payload: Json) =>
    t.app.inject({ method: 'POST', url, headers: who.headers, payload });
  const get = (url: string, who?: LoginResult) =>
    t.app.inject({ method: 'GET', url, ...(who ? { headers: { cookie: who.cookieHeader } } : {}) });
  const patch = (url: string, who: LoginResult, payload: Json) =>
    t.app.inject({ method: 'PATCH', url, headers: who.headers, payload });

  test('a clerk registers a person: sex and birth date come from the ID number, and the change is audited', async () => {
    const id = makeIdNumber('341802', '1990-02-14', 124); // even sequence → female
    const n = await auditCount();
    const r = await post('/api/v1/persons', clerk, {
      idNumber: id,
      name: ' 李 四 ',
      region: '341802',
      phone: '139 1234 5678',
      bankAccount: '6222 0212 3456 7890 123',
    });
    assert.equal(r.statusCode, 201, r.body);
    const p = r.json<Json>();
    assert.equal(p['idNumber'], id);
    assert.equal(p['sex'], 'F');
    assert.equal(p['birthDate'], '1990-02-14');
    assert.equal(p['hukouRegion'], '341802', 'hukou defaults to the region of the ID number');
    assert.equal(p['name'], '李 四');
    assert.equal(p['phone'], '13912345678');
    assert.equal(p['bankAccount'], '6222021234567890123');
    assert.equal(p['version'], 1);
    assert.equal(await auditCount(), n + 1);
    const entry = await lastAudit();
    assert.equal(entry.action, 'person.create');
    assert.equal(entry.subject_person_id, p['id']);
    assert.equal(entry.actor_username, 'clerk');
  });

  test('sex and birth date cannot be sent: they are derived', async () => {
    const r = await post('/api/v1/persons', clerk, {
      idNumber: makeIdNumber('341802', '1991-01-01', 11),
      name: '王五',
      region: '341800',
      sex: 'F',
    });
    assert.equal(r.statusCode, 400);
  });

  test('a 15-digit ID number is converted to 18', async () => {
    const r = await post('/api/v1/persons', clerk, {
      idNumber: '341802800101001',
      name: '老号码',
      region: '341800',
    });
    assert.equal(r.statusCode, 201, r.body);
    const p = r.json<Json>();
    assert.equal((p['idNumber'] as string).length, 18);
    assert.equal(p['birthDate'], '1980-01-01');
    assert.equal(p['sex'], 'M');
  });

  test('an invalid ID number is 400 SB_ERR_INVALID_ID_NUMBER naming idNumber, and nothing is written', async () => {
    const good = makeIdNumber('341802', '1988-08-08', 31);
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const persons = await personCount();
    const audits = await auditCount();
    const r = await post('/api/v1/persons', clerk, { idNumber: bad, name: '错号', region: '341800' });
    assert.equal(r.statusCode, 400);
    const e = r.json<{ error: { code: string; field?: string; message: string } }>().error;
    assert.equal(e.code, 'SB_ERR_INVALID_ID_NUMBER');
    assert.equal(e.field, 'idNumber');
    assert.match(e.message, /校验码/);
    assert.equal(await personCount(), persons);
    assert.equal(await auditCount(), audits);
    const future = await post('/api/v1/persons', clerk, {
      idNumber: makeIdNumber('341802', '2030-01-01', 31),
      name: '未来',
      region: '341800',
    });
    assert.equal(future.json<{ error: { code: string } }>().error.code, 'SB_ERR_INVALID_ID_NUMBER');
  });

  test('bad phone, bank account and region are 400 with their field', async () => {
    const id = makeIdNumber('341802', '1975-05-05', 41);
    const phone = await post('/api/v1/persons', clerk, {
      idNumber: id,
      name: '甲',
      region: '341800',
      phone: '12345',
    });
    assert.equal(phone.json<{ error: { code: string; field: string } }>().error.code, 'SB_ERR_INVALID_PHONE');
    const bank = await post('/api/v1/persons', clerk, {
      idNumber: id,
      name: '甲',
      region: '341800',
      bankAccount: '12ab',
    });
    assert.equal(bank.json<{ error: { field: string } }>().error.field, 'bankAccount');
    const region = await post('/api/v1/persons', clerk, { idNumber: id, name: '甲', region: '999999' });
    assert.equal(region.json<{ error: { code: string } }>().error.code, 'SB_ERR_UNKNOWN_REGION');
    const landline = await post('/api/v1/persons', clerk, {
      idNumber: id,
      name: '甲',
      region: '341800',
      phone: '0563-2345678',
    });
    assert.equal(landline.statusCode, 201, landline.body);
  });

  test('a duplicate ID number is 409 SB_ERR_DUPLICATE', async () => {
    const id = makeIdNumber('341802', '1970-07-07', 51);
    assert.equal(
      (await post('/api/v1/persons', clerk, { idNumber: id, name: '重复', region: '341800' })).statusCode,
      201,
    );
    const again = await post('/api/v1/persons', clerk, {
      idNumber: id.toLowerCase(),
      name: '重复',
      region: '341800',
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json<{ error: { code: string } }>().error.code, 'SB_ERR_DUPLICATE');
  });

  test('search masks ID number, phone and bank account; the detail view shows them in full and is audited', async () => {
    const id = makeIdNumber('341821', '1966-06-06', 61);
    const created = (
      await post('/api/v1/persons', clerk, {
        idNumber: id,
        name: '赵六',
        region: '341821',
        phone: '13800001111',
        bankAccount: '622202123456789',
      })
    ).json<Json>();
    const s = await get(`/api/v1/persons?name=${encodeURIComponent('赵')}`, clerk);
    assert.equal(s.statusCode, 200, s.body);
    const page = s.json<Paged<Json>>();
    assert.deepEqual(Object.keys(page).sort(), ['items', 'page', 'pageSize', 'total']);
    const item = page.items.find((i) => i['id'] === created['id']);
    assert.ok(item);
    assert.equal(item['idNumber'], `3418**********${id.slice(-4)}`);
    assert.equal(item['phone'], '138****1111');
    assert.equal(item['bankAccount'], '***********6789');
    assert.ok(!JSON.stringify(page).includes(id));
    const byId = (await get(`/api/v1/persons?idNumber=${id}`, clerk)).json<Paged<Json>>();
    assert.equal(byId.total, 1);
    const audits = await auditCount();
    const d = await get(`/api/v1/persons/${String(created['id'])}`, clerk);
    assert.equal(d.json<Json>()['idNumber'], id);
    assert.equal(d.json<Json>()['bankAccount'], '622202123456789');
    assert.equal(await auditCount(), audits + 1, 'a staff read is audited');
    const read = await lastAudit();
    assert.equal(read.action, 'person.read');
    assert.equal(read.subject_person_id, created['id']);
  });

  test('pagination answers items, total, page and pageSize', async () => {
    const r = (await get('/api/v1/persons?page=2&pageSize=2', clerk)).json<Paged<Json>>();
    assert.equal(r.page, 2);
    assert.equal(r.pageSize, 2);
    assert.ok(r.total >= 5);
    assert.equal(r.items.length, 2);
  });

  test('update needs the current version, records before/after, and a stale version is 409', async () => {
    const p = (
      await post('/api/v1/persons', clerk, {
        idNumber: makeIdNumber('341802', '1982-03-03', 71),
        name: '钱七',
        region: '341800',
      })
    ).json<Json>();
    const url = `/api/v1/persons/${String(p['id'])}`;
    const audits = await auditCount();
    const ok = await patch(url, clerk, {
      version: 1,
      phone: '13700001234',
      name: '钱柒',
      reason: '户口本更名',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json<Json>()['version'], 2);
    assert.equal(await auditCount(), audits + 1);
    const entry = await lastAudit();
    assert.equal(entry.action, 'person.update');
    assert.deepEqual(entry.before, { name: '钱七', phone: null, version: 1 });
    assert.deepEqual(entry.after, { name: '钱柒', phone: '13700001234', version: 2 });
    assert.equal(entry.reason, '户口本更名');
    const stale = await patch(url, clerk, { version: 1, address: '宣城' });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json<{ error: { code: string } }>().error.code, 'SB_ERR_CONFLICT');
    assert.equal(await auditCount(), audits + 1, 'a refused change writes nothing');
  });

  test('401 without login', async () => {
    for (const url of [
      '/api/v1/persons',
      `/api/v1/persons/${t.personId}`,
      '/api/v1/employers',
      `/api/v1/employers/${t.employerId}/staff`,
    ]) {
      const r = await get(url);
      assert.equal(r.statusCode, 401, url);
      assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_UNAUTHENTICATED');
    }
    const w = await t.app.inject({
      method: 'POST',
      url: '/api/v1/persons',
      payload: { idNumber: 'x', name: 'x', region: '341800' },
    });
    assert.equal(w.statusCode, 401);
  });

  test('a citizen sees and edits only their own record, and only contact and bank fields', async () => {
    const own = await get(`/api/v1/persons/${t.personId}`, citizen);
    assert.equal(own.statusCode, 200);
    const other = (await get('/api/v1/persons?pageSize=200', clerk))
      .json<Paged<Json>>()
      .items.find((i) => i['id'] !== t.personId)?.['id'];
    assert.notEqual(other, t.personId);
    const theirs = await get(`/api/v1/persons/${String(other)}`, citizen);
    const unknown = await get('/api/v1/persons/999999', citizen);
    assert.equal(theirs.statusCode, 404, theirs.body);
    assert.equal(theirs.body, unknown.body, 'a citizen cannot probe which ids exist');
    assert.ok(!theirs.body.includes(String(other)), theirs.body);
    assert.equal((await get('/api/v1/persons', citizen)).statusCode, 403);
    assert.equal(
      (
        await post('/api/v1/persons', citizen, {
          idNumber: makeIdNumber('341802', '1999-09-09', 81),
          name: '自助',
          region: '341800',
        })
      ).statusCode,
      403,
    );
    const version = own.json<Json>()['version'];
    const phone = await patch(`/api/v1/persons/${t.personId}`, citizen, { version, phone: '13600000000' });
    assert.equal(phone.statusCode, 200, phone.body);
    const name = await patch(`/api/v1/persons/${t.personId}`, citizen, {
      version: phone.json<Json>()['version'],
      name: '改名',
    });
    assert.equal(name.statusCode, 403);
    assert.equal(name.json<{ error: { field: string } }>().error.field, 'name');
  });

  test('an employer cannot read or search persons directly', async () => {
    const r = await get(`/api/v1/persons/${t.personId}`, employer);
    assert.equal(r.statusCode, 403);
    assert.equal(
      r.json<{ error: { code: string } }>().error.code,
      'SB_ERR_FORBIDDEN',
      'the employer role may not read persons at all',
    );
    assert.equal((await get('/api/v1/persons', employer)).statusCode, 403);
  });

  test('a clerk acts only in their own region', async () => {
    const outside = await post('/api/v1/persons', clerk, {
      idNumber: makeIdNumber('440305', '1990-01-01', 91),
      name: '深圳人',
      region: '440300',
    });
    assert.equal(outside.statusCode, 403);
    assert.equal((await get('/api/v1/persons?region=440300', clerk)).statusCode, 403);
    // A person registered elsewhere (by the system) is invisible to the Xuancheng clerk.
    const row = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('440305', '1990-01-01', 93),
      name: '深圳人',
      sex: 'M',
      birth_date: '1990-01-01',
      hukou_region: '440300',
      region: '440300',
    });
    // Read by id, the record and the pension answer as for an id that does not exist (ids tell nothing).
    for (const who of [clerk, reviewer])
      for (const path of ['', '/pension']) {
        const far = await get(`/api/v1/persons/${row.id}${path}`, who);
        const unknown = await get(`/api/v1/persons/987654321${path}`, who);
        assert.equal(far.statusCode, 404, `${path}: ${far.body}`);
        assert.equal(far.json<{ error: { code: string } }>().error.code, 'SB_ERR_NOT_FOUND');
        assert.equal(far.body, unknown.body, `${path}: another region's person reads as an unknown id`);
        assert.ok(!far.body.includes(String(row.id)) && !unknown.body.includes('987654321'), far.body);
      }
    // So do that person's employments and enrolments, and an employer of that region with its staff.
    const farEmployer = await makeEmployer(t.ctx.db, { region: '440300' });
    for (const [far, unknown] of [
      [`/api/v1/persons/${row.id}/employments`, '/api/v1/persons/987654321/employments'],
      [`/api/v1/persons/${row.id}/enrolments`, '/api/v1/persons/987654321/enrolments'],
      [`/api/v1/employers/${farEmployer.id}`, '/api/v1/employers/987654321'],
      [`/api/v1/employers/${farEmployer.id}/staff`, '/api/v1/employers/987654321/staff'],
    ] as const) {
      const a = await get(far, clerk);
      const b = await get(unknown, clerk);
      assert.equal(a.statusCode, 404, `${far}: ${a.body}`);
      assert.equal(a.body, b.body, far);
      assert.ok(!a.body.includes(String(row.id)) && !a.body.includes(String(farEmployer.id)), a.body);
    }
    assert.equal((await get(`/api/v1/persons/${t.personId}/pension`, clerk)).statusCode, 200);
    const mine = (await get('/api/v1/persons?pageSize=200', clerk)).json<Paged<Json>>();
    assert.ok(mine.items.every((i) => String(i['region']).startsWith('3418')));
  });

  test('employers: invalid credit code 400, duplicate 409, update audited, employer edits only its own', async () => {
    const code = makeCreditCode('341800', 424242);
    const bad = code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A');
    const persons = await auditCount();
    const invalid = await post('/api/v1/employers', clerk, {
      creditCode: bad,
      name: '错码公司',
      region: '341800',
      industryClass: 2,
      size: 'sme',
    });
    assert.equal(invalid.statusCode, 400);
    assert.equal(
      invalid.json<{ error: { code: string; field: string } }>().error.code,
      'SB_ERR_INVALID_CREDIT_CODE',
    );
    assert.equal(await auditCount(), persons);
    const risk = await post('/api/v1/employers', clerk, {
      creditCode: code,
      name: '风险',
      region: '341800',
      industryClass: 9,
      size: 'sme',
    });
    assert.equal(risk.statusCode, 400);
    const ok = await post('/api/v1/employers', clerk, {
      creditCode: code,
      name: '宣城新材料有限公司',
      region: '341802',
      industryClass: 3,
      size: 'large',
    });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(await auditCount(), persons + 1);
    const dup = await post('/api/v1/employers', clerk, {
      creditCode: code,
      name: '又一个',
      region: '341800',
      industryClass: 3,
      size: 'large',
    });
    assert.equal(dup.statusCode, 409);
    const id = ok.json<Json>()['id'];
    const s = (await get('/api/v1/employers?name=%E6%96%B0%E6%9D%90%E6%96%99', clerk)).json<Paged<Json>>();
    assert.equal(s.total, 1);
    const upd = await patch(`/api/v1/employers/${String(id)}`, clerk, { version: 1, industryClass: 4 });
    assert.equal(upd.statusCode, 200, upd.body);
    assert.equal(await auditCount(), persons + 2);
    // the employer user: own record yes, another no; only address and phone
    assert.equal((await get(`/api/v1/employers/${t.employerId}`, employer)).statusCode, 200);
    assert.equal((await get(`/api/v1/employers/${String(id)}`, employer)).statusCode, 404);
    assert.equal((await get('/api/v1/employers', employer)).statusCode, 403);
    const own = (await get(`/api/v1/employers/${t.employerId}`, employer)).json<Json>();
    assert.equal(
      (
        await patch(`/api/v1/employers/${t.employerId}`, employer, {
          version: own['version'],
          contactPhone: '0563-3012345',
        })
      ).statusCode,
      200,
    );
    assert.equal(
      (
        await patch(`/api/v1/employers/${t.employerId}`, employer, {
          version: Number(own['version']) + 1,
          industryClass: 1,
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (await patch(`/api/v1/employers/${String(id)}`, employer, { version: 2, address: 'x' })).statusCode,
      404,
    );
  });

  test('regions are listed for any logged-in user', async () => {
    const r = await get('/api/v1/regions', citizen);
    assert.equal(r.statusCode, 200);
    const list = r.json<Array<{ code: string; parentCode: string | null }>>();
    assert.ok(list.some((x) => x.code === '341800'));
    assert.equal(list.find((x) => x.code === '341802')?.parentCode, '341800');
  });

  test('the whole GB/T 2260 table is loaded: every province, prefecture and county, with its parent', async () => {
    const list = (await get('/api/v1/regions', citizen)).json<
      Array<{ code: string; parentCode: string | null }>
    >();
    assert.ok(list.length > 3000, `${list.length} regions`);
    assert.equal(list.find((x) => x.code === '410102')?.parentCode, '410100');
    assert.equal(
      list.find((x) => x.code === '110101')?.parentCode,
      '110000',
      'a municipality district → the municipality',
    );
  });

  test('GET /api/v1/regions/410102 answers its name and the chain province → prefecture → county', async () => {
    const r = await get('/api/v1/regions/410102', citizen);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<{
      nameZh: string;
      level: string;
      fullNameZh: string;
      chain: Array<{ code: string; nameZh: string; level: string }>;
    }>();
    assert.equal(body.nameZh, '中原区');
    assert.equal(body.level, 'county');
    assert.deepEqual(
      body.chain.map((c) => [c.code, c.nameZh, c.level]),
      [
        ['410000', '河南省', 'province'],
        ['410100', '郑州市', 'prefecture'],
        ['410102', '中原区', 'county'],
      ],
    );
    assert.equal(body.fullNameZh, '河南省郑州市中原区');
    // unknown or malformed: the field named, the code sent not repeated
    for (const [code, status] of [
      ['419999', 404],
      ['41010', 400],
    ] as const) {
      const r = await get(`/api/v1/regions/${code}`, citizen);
      assert.equal(r.statusCode, status, r.body);
      assert.ok(!r.body.includes(code), r.body);
    }
  });

  test('regions are public reference data: GET /api/v1/regions/410102 answers without a login, and is rate-limited', async () => {
    const r = await get('/api/v1/regions/410102');
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json<{ fullNameZh: string; chain: Array<{ code: string }> }>();
    assert.equal(body.fullNameZh, '河南省郑州市中原区');
    assert.deepEqual(
      body.chain.map((c) => c.code),
      ['410000', '410100', '410102'],
    );
    assert.equal((await get('/api/v1/regions')).statusCode, 200);
    assert.equal(r.headers['x-ratelimit-limit'], '60');
  });

  test('a person with household registration in Zhengzhou (410102) is registered in the demo city', async () => {
    const id = makeIdNumber('410102', '1988-06-01', 31);
    const r = await post('/api/v1/persons', clerk, { idNumber: id, name: '郑州人', region: '341802' });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(
      r.json<Json>()['hukouRegion'],
      '410102',
      'hukou from the ID number, not climbed to a province',
    );
    assert.equal(
      r.json<Json>()['hukouRegionNameZh'],
      '河南省郑州市中原区',
      'and its name, province to county',
    );
    assert.equal(r.json<Json>()['regionNameZh'], '安徽省宣城市宣州区');
    const explicit = await post('/api/v1/persons', clerk, {
      idNumber: makeIdNumber('341802', '1987-03-01', 33),
      name: '外迁户',
      region: '341802',
      hukouRegion: '410102',
    });
    assert.equal(explicit.statusCode, 201, explicit.body);
    assert.equal(explicit.json<Json>()['hukouRegion'], '410102');
  });

  test('the registry routes are in the OpenAPI document', async () => {
    const doc = (await get('/api/docs/json')).json<{ paths: Record<string, unknown> }>();
    for (const p of [
      '/api/v1/persons',
      '/api/v1/persons/{id}',
      '/api/v1/persons/{id}/death',
      '/api/v1/employers',
      '/api/v1/employers/{id}',
      '/api/v1/employers/{id}/staff',
      '/api/v1/regions',
      '/api/v1/regions/{code}',
    ]) {
      assert.ok(doc.paths[p], p);
    }
  });
});
