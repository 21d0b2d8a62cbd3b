// Lists that show the latest entries first, a page at a time.
import { sql, type SelectQueryBuilder } from 'kysely';

/** One page of a list, the newest (highest id) first. */
export function newestFirstPage<DB, TB extends keyof DB, O>(
  b: SelectQueryBuilder<DB, TB, O>,
  q: { page: number; pageSize: number },
): Promise<O[]> {
  return b
    .orderBy(sql.ref('id'), 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
}
