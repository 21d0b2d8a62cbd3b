// Facts about the database itself, kept in platform_meta. The demo seed writes the `demo` row in
// its own transaction; features that must exist only on a demo (the liveness simulator, the demo
// logins) ask here, from whatever floor they live on.
import type { Db } from './connection.ts';

export const DEMO_META_KEY = 'demo';

/** Was this database seeded as the demo city (never true on a real one)? */
export async function isDemoDatabase(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('platform_meta')
    .select('key')
    .where('key', '=', DEMO_META_KEY)
    .executeTakeFirst();
  return row !== undefined;
}
