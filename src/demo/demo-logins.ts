// Logins for every kind of user of the demo city, beyond the six made with the city: a retired
// pensioner (`retiree`), a flexible worker (`flexible`), a resident of the residents' scheme
// (`resident`), a second reviewer (`reviewer2`, so a case opened by one reviewer can be approved
// by another) and a policy researcher (`policy`, the policy simulator). Same password as the others (shebao-demo), and only on a database the demo seeded.
// Picks are deterministic: the lowest person id that fits. The work-injury login `injured` (a worker
// with a recognised grade-5 case) is made with its case by demo-injury.job.ts.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { accountActorByUsername } from '../auth/account-actor.ts';
import type { Actor } from '../auth/actor.ts';
import type { IsoDate } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { isDemoDatabase } from './demo-city.ts';
import { CITY_CODE } from './demo-data.ts';

export const EXTRA_DEMO_USERS = ['retiree', 'flexible', 'resident', 'reviewer2', 'policy'] as const;

export async function addDemoLogins(db: Db, asOf: IsoDate): Promise<{ users: string[] }> {
  if (!(await isDemoDatabase(db))) return { users: [] };
  const prefix = CITY_CODE.slice(0, 4);
  // The demo password's hash, from the demo's own staff user: no second argon2 run.
  const hash = await db
    .selectFrom('app_user')
    .select('password_hash')
    .where('username', '=', 'clerk')
    .executeTakeFirst();
  if (!hash) return { users: [] };
  const r = await sql<{ username: string }>`
    WITH retiree AS (
      SELECT p.id, p.name FROM person p JOIN pension_award a ON a.person_id = p.id
      WHERE a.scheme = 'employee_pension' AND a.status = 'active' AND p.death_date IS NULL AND left(p.region, 4) = ${prefix}
        AND EXISTS (SELECT 1 FROM pension_payment pp WHERE pp.award_id = a.id)
      ORDER BY p.id LIMIT 1
    ), flexible AS (
      SELECT p.id, p.name FROM person p JOIN enrolment e ON e.person_id = p.id
      WHERE e.scheme = 'employee_pension' AND e.kind = 'flexible' AND e.status = 'active' AND p.death_date IS NULL
        AND left(p.region, 4) = ${prefix}
      ORDER BY p.id LIMIT 1
    ), resident AS (
      SELECT p.id, p.name FROM person p JOIN enrolment e ON e.person_id = p.id
      WHERE e.scheme = 'resident_pension' AND e.status = 'active' AND p.death_date IS NULL AND left(p.region, 4) = ${prefix}
        AND p.birth_date > ${asOf}::date - interval '58 years'
        AND NOT EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id)
        AND p.hardship_group IS NULL
        AND NOT EXISTS (SELECT 1 FROM resident_tier_choice c WHERE c.person_id = p.id
                        AND c.year = extract(year FROM ${asOf}::date))
      ORDER BY p.id LIMIT 1
    ), reviewer2 AS (
      -- Four eyes compares persons: the second reviewer is a registered person of working age who
      -- holds no other login and is none of the citizens picked above.
      SELECT p.id, p.name FROM person p
      WHERE p.death_date IS NULL AND p.birth_date BETWEEN '1975-01-01' AND '1995-12-31'
        AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.person_id = p.id)
        AND p.id NOT IN (SELECT id FROM flexible UNION ALL SELECT id FROM resident)
      ORDER BY p.id LIMIT 1
    ), picks AS (
      SELECT 'retiree' AS username, id, name AS display_name FROM retiree
      UNION ALL SELECT 'flexible', id, name FROM flexible
      UNION ALL SELECT 'resident', id, name FROM resident
    )
    INSERT INTO app_user (username, display_name, role, person_id, employer_id, region, password_hash, locked_until)
    SELECT username, display_name, 'citizen', id, NULL::bigint, NULL::char(6), ${hash.password_hash}, NULL::timestamptz FROM picks
    UNION ALL
    SELECT 'reviewer2', name, 'reviewer', id, NULL::bigint, ${CITY_CODE}, ${hash.password_hash}, NULL::timestamptz
    FROM reviewer2
    UNION ALL
    -- The policy researcher (政策研究员) runs the policy simulator for the city; no person record.
    SELECT 'policy', '周明远', 'policy', NULL::bigint, NULL::bigint, ${CITY_CODE}, ${hash.password_hash}, NULL::timestamptz
    ON CONFLICT (username) DO NOTHING
    RETURNING username`.execute(db);
  return { users: r.rows.map((x) => x.username) };
}

/** A demo login as an actor, read as the approval service reads a maker (auth/account-actor.ts). */
export async function loginActor(ctx: AppContext, username: string): Promise<Actor> {
  const a = await accountActorByUsername(ctx.db, username);
  if (!a) throw new Error(`demo login ${username} not found`);
  return a.actor;
}
