// Generated malformed bodies, parameters, query strings and CSV files to every route: never a 5xx,
// never a stack trace, and a refused request writes nothing (no row inserted, updated or deleted).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { POLICY, type Action } from '../auth/policy.ts';
import { badTextReason, textKindOf } from '../core/text.ts';
import type { Role } from '../db/database.ts';
import { systemActor } from '../auth/actor.ts';
import { machineOfRoute } from '../auth/machines.ts';
import { CardTerminalService } from '../cards/card-terminal.service.ts';
import { HospitalService } from '../injury/hospital.service.ts';
import { makeTestApp, TEST_REGION, type TestApp } from '../testing/test-app.ts';
import { bearerToken } from '../testing/users.ts';

const ROLES: Role[] = ['clerk', 'citizen', 'employer', 'reviewer', 'supervisor', 'admin', 'hospital'];
const RUNS = Number(process.env['HOSTILE_RUNS'] ?? 6);

describe('hostile input on every route', () => {
  let t: TestApp;
  const tokens = new Map<Role, string>();
  /** each machine's key, by its role: its routes are called with it instead of a session */
  const keys = new Map<string, string>();
  before(async () => {
    t = await makeTestApp();
    // A hospital, its staff login (the clerk's password) and its system's API key.
    const sys = systemActor('test');
    const hospital = await new HospitalService(t.ctx.db).createHospital(sys, {
      code: 'HTEST01',
      name: '测试医院',
      region: TEST_REGION,
    });
    keys.set(
      'hospital',
      (await new HospitalService(t.ctx.db).createApiKey(sys, hospital.id, 'hostile-input')).key,
    );
    keys.set(
      'terminal',
      (
        await new CardTerminalService(t.ctx.db).register(sys, {
          terminalId: 'HOSTILE-T1',
          kind: 'counter',
          name: '恶意输入测试终端',
          region: TEST_REGION,
        })
      ).key,
    );
    await sql`
      INSERT INTO app_user (username, display_name, role, person_id, employer_id, region, password_hash)
      SELECT 'hospital', '测试医院 医保办', 'hospital', NULL, NULL, ${TEST_REGION}, password_hash
      FROM app_user WHERE username = 'clerk'`.execute(t.ctx.db);
    await sql`
      INSERT INTO hospital_staff (user_id, hospital_id)
      SELECT id, ${hospital.id} FROM app_user WHERE username = 'hospital'`.execute(t.ctx.db);
    for (const role of ROLES) tokens.set(role, await bearerToken(t.app, role, t.password));
    // A refused request must write nothing. Counting every table's rows around each of some 4,000
    // requests cost two ~40 ms queries a request, nine tenths of this file's time; instead a trigger on
    // every table logs each committed row change (and a TRUNCATE) in one test-only table, cheap to
    // count, which also sees an UPDATE that a row count missed. Refused logins are audited and counted
    // (login_throttle) and sessions and a hospital key note their last use, on purpose: those stay out.
    // ENABLE ALWAYS: the demo's bulk mode (session_replication_role = replica) does not silence them.
    await sql`CREATE TABLE hostile_probe_write (id bigint GENERATED ALWAYS AS IDENTITY, table_name text NOT NULL, op text NOT NULL)`.execute(
      t.ctx.db,
    );
    await sql`CREATE FUNCTION hostile_probe_log() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO hostile_probe_write (table_name, op) VALUES (TG_TABLE_NAME, TG_OP);
        RETURN NULL;
      END $$`.execute(t.ctx.db);
    await sql`DO $$
      DECLARE t text;
      BEGIN
        FOR t IN SELECT table_name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
            AND table_name NOT IN ('hostile_probe_write', 'user_session', 'login_throttle', 'kysely_migration', 'kysely_migration_lock')
        LOOP
          EXECUTE format('CREATE TRIGGER hostile_probe_rows AFTER %s ON %I FOR EACH ROW %s EXECUTE FUNCTION hostile_probe_log()',
            CASE t WHEN 'audit_log' THEN 'INSERT' WHEN 'hospital_api_key' THEN 'INSERT OR DELETE' ELSE 'INSERT OR UPDATE OR DELETE' END,
            t,
            CASE t WHEN 'audit_log' THEN 'WHEN (NEW.action NOT LIKE ''auth.%'')' ELSE '' END);
          EXECUTE format('CREATE TRIGGER hostile_probe_truncate AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION hostile_probe_log()', t);
          EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER hostile_probe_rows, ENABLE ALWAYS TRIGGER hostile_probe_truncate', t);
        END LOOP;
      END $$`.execute(t.ctx.db);
    // A hospital key's other changes (revoked, replaced, relabelled) are writes like any other: only the
    // note of its last use is left out (it was every UPDATE of the key, a revocation included).
    await sql`CREATE TRIGGER hostile_probe_key_update AFTER UPDATE ON hospital_api_key FOR EACH ROW
      WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
      EXECUTE FUNCTION hostile_probe_log()`.execute(t.ctx.db);
    await sql`ALTER TABLE hospital_api_key ENABLE ALWAYS TRIGGER hostile_probe_key_update`.execute(t.ctx.db);
  });
  after(() => t.close());

  /** How many row changes have been committed so far. */
  const writes = async (): Promise<number> =>
    Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM hostile_probe_write`.execute(t.ctx.db)).rows[0]?.n,
    );
  /** The row changes committed after the first `before` ones, e.g. "person INSERT"; '' when none. */
  const writtenSince = async (before: number): Promise<string> =>
    (
      await sql<{ w: string | null }>`
        SELECT string_agg(DISTINCT table_name || ' ' || op, ', ') AS w
        FROM (SELECT table_name, op FROM hostile_probe_write ORDER BY id OFFSET ${before}) AS later`.execute(
        t.ctx.db,
      )
    ).rows[0]?.w ?? '';

  /** The credentials a route is called with: a machine's key, or the session of the first role it admits. */
  function headersFor(route: {
    url: string;
    action?: string | undefined;
    public?: boolean | undefined;
  }): Record<string, string> {
    const machine = machineOfRoute(route.url);
    if (machine?.keyHeader) {
      // a machine added to the list without a key here would be walked as refused callers only
      const key = keys.get(machine.role);
      assert.ok(key !== undefined, `hostile input makes no key for the ${machine.role}'s routes`);
      return { [machine.keyHeader]: key };
    }
    return route.public ? {} : { authorization: `Bearer ${tokens.get(roleFor(route.action)) ?? ''}` };
  }

  function roleFor(action: string | undefined): Role {
    if (action === undefined) return 'clerk';
    return ROLES.find((r) => POLICY[action as Action][r] !== undefined) ?? 'clerk';
  }

  const hostileString = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '1965-13-40',
      '-1',
      '0',
      '99999999999999999999',
      "'; DROP TABLE person; --",
      '../../etc/passwd',
      '%00',
      '１２３',
      'NaN',
      'null',
      '<script>',
      '2021-02-29',
      '9'.repeat(400),
      '\u0000',
      'a\u0000b',
      '\u0007\u001b[31m',
      '\u0085',
      '\u202eevil',
      'zero\u200bwidth',
      '\ufeff',
      '\ud800',
    ),
  );
  const hostileBody = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'idNumber',
        'name',
        'period',
        'wageFen',
        'personId',
        'employerId',
        'startDate',
        'amountFen',
        'region',
        'username',
        'password',
        'reason',
        'year',
      ),
      fc.oneof(
        hostileString,
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 3 }),
      ),
    ),
  );

  test('never a 5xx, never a partial write', async () => {
    const routes = t.app.routeTable.filter(
      (r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && !r.url.endsWith('/logout'),
    );
    const failures: string[] = [];
    for (const r of routes) {
      const headers = headersFor(r);
      await fc.assert(
        fc.asyncProperty(
          hostileString,
          hostileString,
          hostileBody,
          fc.constantFrom('json', 'csv', 'garbage'),
          async (param, query, body, kind) => {
            const url = `${r.url.replace(/:\w+/g, encodeURIComponent(param) || 'x')}?page=${encodeURIComponent(query)}&period=${encodeURIComponent(query)}`;
            const before = await writes();
            const write = r.method !== 'GET';
            const payload =
              kind === 'json'
                ? JSON.stringify(body)
                : kind === 'csv'
                  ? `idNumber,period,wageFen\n${param},${query},${JSON.stringify(body)}\n,,\n`
                  : `\u0000\u00ff{${param}`;
            const res = await t.app.inject({
              method: r.method as 'GET',
              url,
              headers: {
                ...headers,
                'content-type':
                  kind === 'json'
                    ? 'application/json'
                    : kind === 'csv'
                      ? 'text/csv'
                      : 'application/octet-stream',
              },
              ...(write ? { payload } : {}),
            });
            if (res.statusCode >= 500)
              failures.push(`${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
            if (/\bat .*\.ts:\d+/.test(res.body)) failures.push(`${r.method} ${r.url} leaked a stack trace`);
            const written = res.statusCode >= 400 ? await writtenSince(before) : '';
            if (written)
              failures.push(`${r.method} ${r.url} → ${res.statusCode} but rows changed (${written})`);
            return true;
          },
        ),
        { numRuns: RUNS, seed: 20211231 },
      );
    }
    assert.deepEqual(failures.slice(0, 20), []);
  });

  // Driven by the OpenAPI document, so a new route is covered without touching this file: a NUL or
  // another refused character in each path parameter, query parameter and body field (and in a CSV
  // cell) answers 400 SB_ERR_INVALID_TEXT for a caller the route admits, never a 5xx, and writes nothing.
  test('control characters in every parameter and body field of every route answer 400 SB_ERR_INVALID_TEXT', async () => {
    type Param = { in: string; name: string };
    type Op = {
      parameters?: Param[];
      requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
    };
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{
      paths: Record<string, Record<string, Op>>;
    }>();
    const routeByKey = new Map(t.app.routeTable.map((r) => [`${r.method} ${r.url}`, r]));
    const BAD = ['a\u0000b', 'x\u0001y', '\u009b', 'n\u202ea', 'z\u200bw'];
    const failures: string[] = [];
    let probes = 0;
    for (const [openPath, ops] of Object.entries(doc.paths)) {
      if (!openPath.startsWith('/api/') || openPath.startsWith('/api/docs')) continue;
      const fastifyPath = openPath.replace(/\{(\w+)\}/g, ':$1');
      for (const [method, op] of Object.entries(ops)) {
        const M = method.toUpperCase();
        const route = routeByKey.get(`${M} ${fastifyPath}`);
        if (!route || route.url.endsWith('/logout')) continue;
        const headers = headersFor(route);
        const params = op.parameters ?? [];
        const pathUrl = (override?: [string, string]): string =>
          openPath.replace(/\{(\w+)\}/g, (_m, name: string) =>
            encodeURIComponent(override?.[0] === name ? override[1] : '1'),
          );
        const bodyProps = Object.keys(
          op.requestBody?.content?.['application/json']?.schema?.properties ?? {},
        );
        const cases: { where: string; url: string; payload?: string; type?: string }[] = [];
        for (const bad of BAD) {
          for (const p of params) {
            if (p.in === 'path') cases.push({ where: `path ${p.name}`, url: pathUrl([p.name, bad]) });
            if (p.in === 'query')
              cases.push({
                where: `query ${p.name}`,
                url: `${pathUrl()}?${p.name}=${encodeURIComponent(bad)}`,
              });
          }
          if (M !== 'GET') {
            for (const prop of bodyProps)
              // A password may hold bidi and zero-width characters (hashed, never shown); no controls.
              if (textKindOf(prop) !== 'secret' || badTextReason(bad, 'secret') !== null)
                cases.push({
                  where: `body ${prop}`,
                  url: pathUrl(),
                  payload: JSON.stringify({ [prop]: bad }),
                });
            if (fastifyPath.endsWith('.csv'))
              cases.push({
                where: 'csv cell',
                url: pathUrl(),
                payload: `idNumber,name,period,wageFen\n1,${bad},2024-01,1\n`,
                type: 'text/csv',
              });
          }
        }
        for (const c of cases) {
          probes += 1;
          const before = await writes();
          const res = await t.app.inject({
            method: M as 'GET',
            url: c.url,
            headers: {
              ...headers,
              ...(c.payload === undefined ? {} : { 'content-type': c.type ?? 'application/json' }),
            },
            ...(c.payload === undefined ? {} : { payload: c.payload }),
          });
          const code =
            res.statusCode < 500 ? res.json<{ error?: { code?: string } }>().error?.code : undefined;
          // A route with its own rate limit (the hall's code requests) may refuse a burst before
          // reading the body at all: that is a refusal too, never a 5xx.
          const limited = res.statusCode === 429;
          if (res.statusCode >= 500 || (code !== 'SB_ERR_INVALID_TEXT' && !limited))
            failures.push(`${M} ${openPath} ${c.where} → ${res.statusCode} ${res.body.slice(0, 120)}`);
          const written = await writtenSince(before);
          if (written) failures.push(`${M} ${openPath} ${c.where}: rows changed (${written})`);
        }
      }
    }
    assert.ok(probes > 200, `${probes} probes`);
    assert.deepEqual(failures.slice(0, 20), []);
  });
});
