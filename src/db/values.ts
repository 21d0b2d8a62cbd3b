// Reading values back from the drivers: counts and bigint sums arrive as numbers or text depending on
// the driver and the expression; unique violations carry SQLSTATE 23505 on both.
import { type Expression, type RawBuilder, sql } from 'kysely';

/** A count or a `::bigint` sum as a safe integer (null and undefined read as 0); throws on anything else. */
export function int(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${JSON.stringify(v)}`);
  return n;
}

/** The error a unique index raises (SQLSTATE 23505), on PGlite and PostgreSQL alike. */
export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';

/**
 * A PostgreSQL array literal of plain elements (digits, checked ID numbers, ISO dates — nothing to
 * quote), bound as one parameter and cast in SQL: the driver would otherwise quote every element, which
 * costs more than the statement for arrays of 100,000 (issue 18).
 */
export const plainArrayLiteral = (xs: readonly (string | number)[]): string => `{${xs.join(',')}}`;

/**
 * Months from period `a` to period `b` (b − a) as SQL on `YYYY-MM` text: 0 for the same month, 1 from
 * 2024-12 to 2025-01. A segment from `a` to `b` inclusive holds this + 1 months.
 */
export const monthsFromTo = (a: Expression<unknown>, b: Expression<unknown>): RawBuilder<number> =>
  sql<number>`((left(${b}, 4)::int * 12 + right(${b}, 2)::int) - (left(${a}, 4)::int * 12 + right(${a}, 2)::int))`;
