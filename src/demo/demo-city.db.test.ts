// The demo city: valid identifiers, determinism, a realistic shape, demo users, refusal on a
// non-empty database, and all-or-nothing seeding.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { verifyAuditChain } from '../audit/audit.repository.ts';
import { verifyPassword } from '../auth/password.ts';
import { ageInYears } from '../core/dates.ts';
import { isSbError } from '../core/errors.ts';
import { checkCreditCode, checkIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import { flexibleEligibility } from '../registry/enrolment.rules.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { CityGenerator } from './demo-city.generate.ts';
import {
  DEMO_PASSWORD,
  isDatabaseEmpty,
  isDemoDatabase,
  readDemoMeta,
  seedDemoCity,
  type SeedReport,
} from './demo-city.ts';

const SEED = 20211231;
const AS_OF = '2026-11-28';
const OPTS = { seed: SEED, persons: 2000, employers: 80, asOf: AS_OF };

async function count(db: Db, query: string): Promise<number> {
  const r = await sql.raw<{ n: number | string }>(query).execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

const fingerprint = async (db: Db): Promise<string> => {
  const persons = await db
    .selectFrom('person')
    .select([
      'id',
      'id_number',
      'name',
      'birth_date',
      'phone',
      'address',
      'bank_account',
      'hukou_region',
      'hardship_group',
      'death_date',
    ])
    .orderBy('id')
    .execute();
  const jobs = await db
    .selectFrom('employment')
    .select(['person_id', 'employer_id', 'start_date', 'end_date', 'end_reason', 'monthly_wage_fen'])
    .orderBy('id')
    .execute();
  const enrolments = await db
    .selectFrom('enrolment')
    .select(['person_id', 'scheme', 'kind', 'employer_id', 'start_date', 'end_date', 'status'])
    .orderBy('id')
    .execute();
  const employers = await db
    .selectFrom('employer')
    .select(['id', 'credit_code', 'name', 'industry_class', 'size', 'address'])
    .orderBy('id')
    .execute();
  return JSON.stringify({ persons, jobs, enrolments, employers });
};

describe('demo city (Xuancheng 341800)', () => {
  let a: TestDb;
  let b: TestDb;
  let report: SeedReport;
  const stages = new Set<string>();

  before(async () => {
    [a, b] = await Promise.all([openTestDb(), openTestDb()]);
    assert.equal(await isDatabaseEmpty(a.ctx.db), true);
    assert.equal(await isDemoDatabase(a.ctx.db), false);
    report = await seedDemoCity(a.ctx.db, { ...OPTS, onProgress: (_d, _t, stage) => stages.add(stage) });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  test('the report matches the tables, and progress was reported by stage', async () => {
    const db = a.ctx.db;
    assert.equal(report.persons, 2000);
    assert.equal(report.employers, 80);
    assert.equal(await count(db, 'SELECT count(*) AS n FROM person'), 2000);
    assert.equal(await count(db, 'SELECT count(*) AS n FROM employer'), 80);
    assert.equal(await count(db, 'SELECT count(*) AS n FROM employment'), report.employments);
    assert.equal(await count(db, 'SELECT count(*) AS n FROM enrolment'), report.enrolments);
    assert.equal(report.users, 6);
    assert.deepEqual([...stages].sort(), ['employers', 'persons']);
    assert.ok(report.seconds > 0 && Object.keys(report.byStage).includes('enrolments'));
  });

  test('every ID number is valid, unique, and agrees with the sex and birth date stored', async () => {
    const rows = await a.ctx.db
      .selectFrom('person')
      .select(['id_number', 'sex', 'birth_date', 'name', 'phone'])
      .execute();
    for (const r of rows) {
      const c = checkIdNumber(r.id_number, AS_OF);
      assert.ok(c.valid, `${r.id_number}: ${c.valid ? '' : c.reason}`);
      assert.equal(c.sex, r.sex, r.id_number);
      assert.equal(c.birthDate, r.birth_date, r.id_number);
      assert.match(r.name, /^[\u4e00-\u9fff]{2,4}$/);
      if (r.phone !== null) assert.match(r.phone, /^1[3-9]\d{9}$/);
    }
    assert.equal(new Set(rows.map((r) => r.id_number)).size, rows.length);
  });

  test('every credit code is valid (with a valid organisation code) and unique', async () => {
    const rows = await a.ctx.db
      .selectFrom('employer')
      .select(['credit_code', 'name', 'size', 'industry_class'])
      .execute();
    for (const r of rows) {
      const c = checkCreditCode(r.credit_code);
      assert.ok(c.valid && c.orgCodeCheckOk, r.credit_code);
      assert.match(c.regionCode, /^3418\d\d$/);
    }
    assert.equal(new Set(rows.map((r) => r.credit_code)).size, rows.length);
    assert.equal(new Set(rows.map((r) => r.name)).size, rows.length);
    const large = rows.filter((r) => r.size === 'large').length;
    assert.ok(large >= 1 && large <= 10, `${large} large employers of 80`);
    assert.ok(new Set(rows.map((r) => r.industry_class)).size >= 5);
  });

  test('the same seed gives the same city on another database; another seed a different one', async () => {
    const db = b.ctx.db;
    assert.equal(await isDemoDatabase(db), false);
    // A failure in the middle (here: from the progress callback) leaves the database empty.
    await assert.rejects(
      seedDemoCity(db, {
        ...OPTS,
        onProgress: (done, _t, stage) => {
          if (stage === 'persons' && done > 0) throw new Error('interrupted');
        },
      }),
      /interrupted/,
    );
    assert.equal(await isDatabaseEmpty(db), true);
    assert.equal(await count(db, 'SELECT count(*) AS n FROM enrolment'), 0);
    assert.equal(await isDemoDatabase(db), false);

    await seedDemoCity(db, OPTS);
    const ids = (d: Db) => d.selectFrom('person').select(['id_number', 'name']).orderBy('id').execute();
    assert.deepEqual(await ids(db), await ids(a.ctx.db));
    assert.equal(await fingerprint(db), await fingerprint(a.ctx.db));

    const other = new CityGenerator(SEED + 1, 2000, 80, AS_OF, 1, 1);
    other.generateEmployers(0, 80);
    const otherIds = other.generatePersons(0, 2000).persons.id_number;
    const same = (await ids(a.ctx.db)).filter((r, i) => r.id_number === otherIds[i]).length;
    assert.ok(same < 20, `${same} of 2000 ID numbers equal under another seed`);
  });

  test('the age pyramid has children, workers, retirees, the dead, and someone over 100', async () => {
    const db = a.ctx.db;
    const births = await db.selectFrom('person').select(['birth_date', 'death_date']).execute();
    const ages = births.map((p) => ageInYears(p.birth_date, AS_OF));
    const share = (lo: number, hi: number): number =>
      ages.filter((x) => x >= lo && x < hi).length / ages.length;
    assert.ok(share(0, 15) > 0.12 && share(0, 15) < 0.25, `children ${share(0, 15)}`);
    assert.ok(share(15, 60) > 0.55 && share(15, 60) < 0.72, `15–59 ${share(15, 60)}`);
    assert.ok(share(60, 200) > 0.14 && share(60, 200) < 0.3, `60+ ${share(60, 200)}`);
    assert.ok(ages.filter((x) => x >= 100).length >= 5);
    assert.ok(
      (await count(
        db,
        `SELECT count(*) AS n FROM person WHERE death_date IS NULL AND birth_date <= '1924-11-28'`,
      )) >= 1,
      'a living person of 102 or more',
    );
    const dead = births.filter((p) => p.death_date !== null);
    assert.ok(dead.length > 0 && dead.length < 100);
    for (const p of dead)
      assert.ok(p.death_date !== null && p.death_date > p.birth_date && p.death_date <= AS_OF);
    assert.ok(
      (await count(db, `SELECT count(*) AS n FROM employment WHERE end_date IS NULL`)) > 400,
      'workers',
    );
    assert.ok(
      (await count(db, `SELECT count(*) AS n FROM employment WHERE end_reason = 'retirement'`)) > 100,
      'retirees',
    );
    assert.ok(
      (await count(
        db,
        `SELECT count(*) AS n FROM employment WHERE end_reason = 'involuntary' AND end_date > '2025-06-01'`,
      )) > 10,
      'recently laid off',
    );
    // Retirees: the employee pension enrolment ended on the retirement date.
    assert.equal(
      await count(
        db,
        `SELECT count(*) AS n FROM employment j WHERE j.end_reason = 'retirement' AND NOT EXISTS (
        SELECT 1 FROM enrolment e WHERE e.person_id = j.person_id AND e.scheme = 'employee_pension' AND e.status = 'ended' AND e.end_date = j.end_date)`,
      ),
      0,
    );
    assert.equal(
      await count(
        db,
        `SELECT count(*) AS n FROM employment j JOIN person p ON p.id = j.person_id WHERE j.start_date < p.birth_date + interval '16 years'`,
      ),
      0,
    );
  });

  test('schemes: employees, flexible workers, residents; wages around 7,000 yuan; coverage gaps exist', async () => {
    const db = a.ctx.db;
    const n = (scheme: string, kind: string): Promise<number> =>
      count(
        db,
        `SELECT count(*) AS n FROM enrolment WHERE scheme = '${scheme}' AND kind = '${kind}' AND status = 'active'`,
      );
    assert.ok((await n('employee_pension', 'employee')) > 300);
    assert.ok((await n('employee_pension', 'flexible')) > 50);
    assert.ok((await n('resident_pension', 'resident')) > 300);
    assert.equal(
      await count(
        db,
        `SELECT count(*) AS n FROM enrolment WHERE kind = 'flexible' AND (scheme <> 'employee_pension' OR employer_id IS NOT NULL)`,
      ),
      0,
    );
    const avg = await count(
      db,
      `SELECT round(avg(monthly_wage_fen))::bigint AS n FROM employment WHERE end_date IS NULL`,
    );
    assert.ok(avg > 550_000 && avg < 900_000, `average wage ${avg / 100} yuan`);
    const gaps = await count(
      db,
      `SELECT count(*) AS n FROM employment j WHERE j.end_date IS NULL AND EXISTS (
        SELECT 1 FROM unnest(ARRAY['employee_pension', 'unemployment', 'injury']) s(scheme) WHERE NOT EXISTS (
          SELECT 1 FROM enrolment e WHERE e.person_id = j.person_id AND e.scheme = s.scheme AND e.status = 'active'))`,
    );
    assert.ok(gaps > 0, 'some employees lack a scheme they must have');
    // Every flexible worker passes the registry's own rule on the day they enrolled (age, and local hukou while the city required it).
    const flexible = await db
      .selectFrom('enrolment as e')
      .innerJoin('person as p', 'p.id', 'e.person_id')
      .select(['e.start_date', 'p.sex', 'p.birth_date', 'p.hukou_region'])
      .where('e.kind', '=', 'flexible')
      .execute();
    for (const f of flexible) {
      const d = flexibleEligibility(
        {
          date: f.start_date,
          sex: f.sex,
          birthDate: f.birth_date,
          deathDate: null,
          hukouRegion: f.hukou_region,
          poolingRegion: '341800',
          openEmployments: 0,
          enrolledInEmployeePension: false,
        },
        a.ctx.params,
      );
      assert.ok(d.eligible, `${JSON.stringify(f)}: ${d.reasons.map((r) => r.en).join('; ')}`);
    }
    const hukou = await count(
      db,
      `SELECT count(DISTINCT hukou_region) AS n FROM person WHERE hukou_region NOT LIKE '3418%'`,
    );
    assert.ok(hukou >= 2, 'people registered in other places');
    assert.ok((await count(db, `SELECT count(*) AS n FROM person WHERE hardship_group IS NOT NULL`)) > 10);
  });

  test('demo users log in with the demo password and are bound as their roles require', async () => {
    const db = a.ctx.db;
    const users = await db.selectFrom('app_user').selectAll().orderBy('username').execute();
    assert.deepEqual(
      users.map((u) => u.username),
      ['admin', 'citizen', 'clerk', 'employer', 'reviewer', 'supervisor'],
    );
    for (const u of users) {
      assert.ok(await verifyPassword(u.password_hash, DEMO_PASSWORD), u.username);
      assert.ok(u.password_hash.startsWith('$argon2id$'));
      assert.match(u.display_name, /[\u4e00-\u9fff]/);
    }
    assert.equal(await verifyPassword(users[0]?.password_hash ?? '', 'wrong-password'), false);
    // A display name is the person's (or the company's) name: the header shows the role beside it,
    // and a name like 基金监督员 杨萍 read as the role twice, and in English too.
    const names = new Map(
      (
        await db
          .selectFrom('person')
          .select(['id', 'name'])
          .where(
            'id',
            'in',
            users.flatMap((u) => (u.person_id ? [u.person_id] : [])),
          )
          .execute()
      ).map((p) => [p.id, p.name]),
    );
    for (const u of users) {
      if (u.person_id) assert.equal(u.display_name, names.get(u.person_id), u.username);
      assert.doesNotMatch(u.display_name, /经办|复核|监督|管理员|\s/, u.username);
    }
    const citizen = users.find((u) => u.username === 'citizen');
    assert.ok(citizen?.person_id);
    assert.equal(
      await count(
        db,
        `SELECT count(*) AS n FROM employment WHERE person_id = ${citizen.person_id} AND end_date IS NULL`,
      ),
      1,
    );
    assert.ok(
      (await count(db, `SELECT count(*) AS n FROM employment WHERE person_id = ${citizen.person_id}`)) >= 3,
      'a rich history',
    );
    assert.equal(
      await count(
        db,
        `SELECT count(*) AS n FROM enrolment WHERE person_id = ${citizen.person_id} AND status = 'active'`,
      ),
      3,
    );
    const employer = users.find((u) => u.username === 'employer');
    assert.ok(employer?.employer_id);
    const staff = await count(
      db,
      `SELECT count(*) AS n FROM employment WHERE employer_id = ${employer.employer_id} AND end_date IS NULL`,
    );
    assert.ok(staff >= 2, `the employer account's employer has ${staff} employees`);
    for (const u of users.filter((x) => ['clerk', 'reviewer', 'supervisor', 'admin'].includes(x.role)))
      assert.equal(u.region, '341800');
  });

  test('marked as a demo, audited, and refused on a non-empty database', async () => {
    const db = a.ctx.db;
    assert.equal(await isDemoDatabase(db), true);
    assert.equal(await isDatabaseEmpty(db), false);
    const meta = await readDemoMeta(db);
    assert.equal(meta?.city, '341800');
    assert.equal(meta?.seed, SEED);
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'demo.seed').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.actor_username, 'seed');
    assert.ok((await verifyAuditChain(db)).ok);
    await assert.rejects(
      seedDemoCity(db, OPTS),
      (e: unknown) => isSbError(e) && e.code === 'SB_ERR_CONFLICT' && /not empty/.test(e.message),
    );
    assert.equal(await count(db, 'SELECT count(*) AS n FROM person'), 2000);
    // New persons get ids after the seeded ones.
    const next = await count(db, `SELECT nextval(pg_get_serial_sequence('person', 'id')) AS n`);
    assert.equal(next, 2001);
  });
});
