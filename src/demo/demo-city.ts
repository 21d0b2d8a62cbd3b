// The deterministic synthetic demo city: Xuancheng, Anhui (宣城市, 341800), where the article's
// retired worker lives. Same seed, same rows. Rows are generated in JS chunk by chunk and written
// with one set-based statement per chunk and table, all in one transaction: if seeding fails, the
// database is left as it was. Demo users exist only in a database seeded here.
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import { systemActor, type AccountRow } from '../auth/actor.ts';
import { hashPassword } from '../auth/password.ts';
import { isIsoDate, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { DEMO_META_KEY, isDemoDatabase } from '../db/platform-meta.ts';
export { isDemoDatabase };
import { CityGenerator } from './demo-city.generate.ts';
import {
  bumpIdentity,
  foreignKeyViolations,
  insertEmployers,
  insertEmployment,
  insertEnrolments,
  insertPersons,
  nextId,
  restoreTriggers,
  skipForeignKeyTriggers,
} from './demo-city.repository.ts';
import { CITY_CODE, STAFF_USERS } from './demo-data.ts';

export const DEMO_PASSWORD = 'shebao-demo';
/** Persons generated and written per statement: big enough for set-based speed, small enough for memory. */
export const DEMO_CHUNK = 20_000;

export interface SeedOptions {
  seed: number;
  persons: number;
  employers: number;
  asOf: IsoDate;
  onProgress?: (done: number, total: number, stage: string) => void;
}

export interface SeedReport {
  persons: number;
  employers: number;
  employments: number;
  enrolments: number;
  users: number;
  seconds: number;
  /** Seconds per stage: generate (JS), employers, persons, employment, enrolments, verify (foreign keys, when checked set-based), users, finish. */
  byStage: Record<string, number>;
}

export interface DemoMeta {
  city: string;
  seed: number;
  seededAt: string;
  persons: number;
  employers: number;
  asOf: IsoDate;
}

export async function readDemoMeta(db: Db): Promise<DemoMeta | null> {
  const row = await db
    .selectFrom('platform_meta')
    .select('value')
    .where('key', '=', DEMO_META_KEY)
    .executeTakeFirst();
  if (!row) return null;
  return (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as DemoMeta;
}

/** No persons, employers or users: nothing a seed could collide with or be mistaken for. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const r = await sql<{
    n: boolean;
  }>`SELECT NOT (EXISTS (SELECT 1 FROM person) OR EXISTS (SELECT 1 FROM employer) OR EXISTS (SELECT 1 FROM app_user)) AS n`.execute(
    db,
  );
  return r.rows[0]?.n === true;
}

function checkOptions(o: SeedOptions): void {
  const bad = (field: string, en: string, zh: string): SbError =>
    new SbError('SB_ERR_VALIDATION', { field, en, zh });
  if (!Number.isSafeInteger(o.seed)) throw bad('seed', 'the seed must be an integer', '种子须为整数');
  if (!Number.isInteger(o.persons) || o.persons < 1 || o.persons > 50_000_000)
    throw bad('persons', 'persons must be 1–50,000,000', '人数须为 1–50,000,000');
  if (!Number.isInteger(o.employers) || o.employers < 1 || o.employers > 5_000_000)
    throw bad('employers', 'employers must be 1–5,000,000', '单位数须为 1–5,000,000');
  if (!isIsoDate(o.asOf))
    throw bad(
      'asOf',
      `asOf "${String(o.asOf)}" is not a YYYY-MM-DD date`,
      `基准日“${String(o.asOf)}”不是 YYYY-MM-DD 日期`,
    );
}

export async function seedDemoCity(db: Db, opts: SeedOptions): Promise<SeedReport> {
  checkOptions(opts);
  const t0 = performance.now();
  const byStage: Record<string, number> = {
    generate: 0,
    employers: 0,
    persons: 0,
    employment: 0,
    enrolments: 0,
    verify: 0,
    users: 0,
    finish: 0,
  };
  const timed = async <T>(stage: string, f: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      byStage[stage] = (byStage[stage] ?? 0) + (performance.now() - t) / 1000;
    }
  };
  const progress = opts.onProgress ?? ((): void => undefined);
  // One argon2id hash for all demo users (a hash costs ~50 ms and 19 MiB).
  const passwordHash = await timed('users', () => hashPassword(DEMO_PASSWORD));

  const counts = { persons: 0, employers: 0, employments: 0, enrolments: 0, users: 0 };
  await db.transaction().execute(async (tx) => {
    // Two seeders at once would both see an empty database: the first holds this lock to commit.
    await sql`SELECT pg_advisory_xact_lock(726354002)`.execute(tx);
    if (!(await isDatabaseEmpty(tx))) {
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '数据库不是空的（已有人员、单位或用户），演示城市只能在空数据库中生成；请使用新的 DATA_DIR 或新数据库',
        en: 'the database is not empty (it has persons, employers or users); the demo city is only seeded into an empty database — use a fresh DATA_DIR or a new database',
      });
    }
    // Per-row foreign-key triggers cost as much as the rest of the insert: skip them when allowed and
    // check every key set-based before commit instead.
    const bulkMode = await skipForeignKeyTriggers(tx);
    const gen = new CityGenerator(
      opts.seed,
      opts.persons,
      opts.employers,
      opts.asOf,
      await nextId(tx, 'person'),
      await nextId(tx, 'employer'),
    );

    progress(0, opts.employers, 'employers');
    for (let from = 0; from < opts.employers; from += DEMO_CHUNK) {
      const to = Math.min(opts.employers, from + DEMO_CHUNK);
      const cols = await timed('generate', () => gen.generateEmployers(from, to));
      counts.employers += await timed('employers', () => insertEmployers(tx, cols));
      progress(to, opts.employers, 'employers');
    }

    progress(0, opts.persons, 'persons');
    for (let from = 0; from < opts.persons; from += DEMO_CHUNK) {
      const to = Math.min(opts.persons, from + DEMO_CHUNK);
      const chunk = await timed('generate', () => gen.generatePersons(from, to));
      counts.persons += await timed('persons', () => insertPersons(tx, chunk.persons));
      counts.employments += await timed('employment', () => insertEmployment(tx, chunk.employment));
      counts.enrolments += await timed('enrolments', () => insertEnrolments(tx, chunk.enrolment));
      progress(to, opts.persons, 'persons');
    }

    if (bulkMode) {
      await timed('verify', async () => {
        await restoreTriggers(tx);
        const broken = await foreignKeyViolations(tx);
        if (Object.keys(broken).length > 0)
          throw new Error(`demo city: foreign keys point nowhere: ${JSON.stringify(broken)}`);
      });
    }

    await timed('users', async () => {
      const citizen = gen.citizenPersonId();
      const employer = gen.employerId(gen.midSizeEmployerIndex());
      const citizenName =
        citizen === null
          ? null
          : await tx.selectFrom('person').select('name').where('id', '=', citizen).executeTakeFirst();
      const employerName = await tx
        .selectFrom('employer')
        .select('name')
        .where('id', '=', employer)
        .executeTakeFirstOrThrow();
      const users: AccountRow[] = [];
      if (citizen !== null && citizenName)
        users.push({
          username: 'citizen',
          display_name: citizenName.name,
          role: 'citizen',
          person_id: citizen,
          employer_id: null,
          region: null,
        });
      users.push({
        username: 'employer',
        display_name: employerName.name,
        role: 'employer',
        person_id: null,
        employer_id: employer,
        region: null,
      });
      // Each demo staff account belongs to a distinct registered person of working age (four eyes
      // compares persons), never the demo citizen.
      const staffPersons = await tx
        .selectFrom('person')
        .select(['id', 'name'])
        .where('death_date', 'is', null)
        .where('birth_date', '>=', '1975-01-01')
        .where('birth_date', '<=', '1995-12-31')
        .where('id', '<>', citizen ?? -1)
        .orderBy('id')
        .limit(STAFF_USERS.length)
        .execute();
      for (const [i, s] of STAFF_USERS.entries()) {
        const p = staffPersons[i];
        users.push({
          username: s.username,
          display_name: p?.name ?? s.displayName,
          role: s.username,
          person_id: p?.id ?? null,
          employer_id: null,
          region: CITY_CODE,
        });
      }
      await tx
        .insertInto('app_user')
        .values(users.map((u) => ({ ...u, password_hash: passwordHash, locked_until: null })))
        .execute();
      counts.users = users.length;
    });

    await timed('finish', async () => {
      await bumpIdentity(tx, 'person');
      await bumpIdentity(tx, 'employer');
      const meta: DemoMeta = {
        city: CITY_CODE,
        seed: opts.seed,
        seededAt: new Date().toISOString(),
        persons: counts.persons,
        employers: counts.employers,
        asOf: opts.asOf,
      };
      await tx
        .insertInto('platform_meta')
        .values({ key: DEMO_META_KEY, value: JSON.stringify(meta) })
        .execute();
      await appendAudit(tx, systemActor('seed'), {
        action: 'demo.seed',
        entityType: 'platform',
        entityId: DEMO_META_KEY,
        region: CITY_CODE,
        after: {
          ...meta,
          employments: counts.employments,
          enrolments: counts.enrolments,
          users: counts.users,
        },
        reason: `演示城市：宣城市（种子 ${opts.seed}） / demo city Xuancheng (seed ${opts.seed})`,
      });
    });
  });

  return { ...counts, seconds: (performance.now() - t0) / 1000, byStage };
}
