// The real HTTP app on a fresh database with one user per role (region 341800, Xuancheng), for
// tests that go through app.inject().
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { hashPassword } from '../auth/password.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import { DEMO_META_KEY } from '../db/platform-meta.ts';
import type { Role } from '../db/database.ts';
import { buildServer } from '../server.ts';
import { openTestDb } from './test-db.ts';
import { makeEmployer, makePerson } from './factories.ts';

export const TEST_REGION = '341800';
export const TEST_PASSWORD = 'test-pass-2021';

export interface LoginResult {
  user: { id: number; role: Role; username: string; personId: number | null; employerId: number | null };
  csrfToken: string;
  cookie: string;
  cookieHeader: string;
  /** headers for a cookie-authenticated write */
  headers: Record<string, string>;
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  password: string;
  personId: number;
  employerId: number;
  /** logs in (the test password unless given) */
  login(username: string, password?: string): Promise<LoginResult>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Mark the database as seeded as a demo (the demo seed's platform_meta row), as a demo start would. */
  demo?: boolean;
  /** Routes registered beside the server's own before the app is ready (e.g. a federation node's). */
  routes?: (app: FastifyInstance, ctx: AppContext) => Promise<void>;
}

export async function makeTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const tdb = await openTestDb();
  const { ctx } = tdb;
  if (opts.demo === true)
    await ctx.db
      .insertInto('platform_meta')
      .values({
        key: DEMO_META_KEY,
        value: JSON.stringify({
          city: TEST_REGION,
          seed: 0,
          seededAt: new Date().toISOString(),
          persons: 0,
          employers: 0,
          asOf: '2026-01-01',
        }),
      })
      .execute();
  const person = await makePerson(ctx.db, {
    id_number: makeIdNumber('341802', '1985-06-15', 11),
    name: '张三',
    sex: 'M',
    birth_date: '1985-06-15',
    phone: '13800000000',
  });
  const employer = await makeEmployer(ctx.db, {
    credit_code: makeCreditCode(TEST_REGION, 1001),
    name: '宣城测试有限公司',
    industry_class: 1,
  });
  const hash = await hashPassword(TEST_PASSWORD);
  // Every staff account belongs to a registered person (four eyes compares persons): one each.
  const staffPersons: Array<{ id: number }> = [];
  for (const [i, role] of ['clerk', 'reviewer', 'supervisor', 'admin'].entries())
    staffPersons.push(
      await makePerson(ctx.db, {
        id_number: makeIdNumber('341802', '1980-03-1' + String(i + 1), 21 + i),
        name: `职员${role}`,
        sex: 'F',
        birth_date: `1980-03-1${i + 1}`,
      }),
    );
  const staffPerson = (role: Role): number | null => {
    const i = ['clerk', 'reviewer', 'supervisor', 'admin'].indexOf(role);
    return i < 0 ? null : (staffPersons[i]?.id ?? null);
  };
  const roles: Role[] = ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'admin', 'policy'];
  await ctx.db
    .insertInto('app_user')
    .values(
      roles.map((role) => ({
        username: role,
        display_name: role,
        password_hash: hash,
        role,
        person_id: role === 'citizen' ? person.id : staffPerson(role),
        employer_id: role === 'employer' ? employer.id : null,
        region: ['clerk', 'reviewer', 'supervisor', 'admin', 'policy'].includes(role) ? TEST_REGION : null,
      })),
    )
    .execute();
  const app = await buildServer(ctx);
  if (opts.routes) await opts.routes(app, ctx);
  await app.ready();
  return {
    app,
    ctx,
    password: TEST_PASSWORD,
    personId: person.id,
    employerId: employer.id,
    async login(username: string, password = TEST_PASSWORD) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password },
      });
      if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
      const body = r.json<{ user: LoginResult['user']; csrfToken: string }>();
      const raw = r.headers['set-cookie'];
      const cookie = (Array.isArray(raw) ? raw[0] : raw) ?? '';
      const cookieHeader = cookie.split(';')[0] ?? '';
      return {
        user: body.user,
        csrfToken: body.csrfToken,
        cookie,
        cookieHeader,
        headers: { cookie: cookieHeader, 'x-csrf-token': body.csrfToken },
      };
    },
    async close() {
      await app.close();
      await tdb.close();
    },
  };
}
