// The SQL twin of core/regions.ts regionContains: `column` lies in `region` (000000 all, a province
// its prefectures and counties, a prefecture its counties, a county itself). One place for every job,
// repository and service that scopes rows by region.
import { sql, type RawBuilder } from 'kysely';
import { SbError } from '../core/errors.ts';
import { regionChain, regionPrefix } from '../core/regions.ts';

export function regionCoversSql(column: RawBuilder<unknown>, region: string): RawBuilder<boolean> {
  if (!/^[0-9]{6}$/.test(region)) throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
  const prefix = regionPrefix(region);
  if (prefix === '') return sql<boolean>`true`;
  if (prefix.length === 6) return sql<boolean>`${column} = ${region}`;
  return sql<boolean>`left(${column}, ${sql.lit(prefix.length)}) = ${prefix}`;
}

/**
 * The same test as regionCoversSql, as a prefix LIKE, for statements that test it on every row of a large
 * scan (the pension payroll's chunk bounds and chunks). `left()` of a char(6) first copies each value into
 * a text; the LIKE reads it in place — about 5 % of the regular payroll's database CPU at 1,000,000
 * awards. The planner estimates it from the column's own statistics (the same row estimates as the
 * `left()` expression statistics of migration 2026_12_03_1580 on the bench's data).
 */
export function regionCoversScanSql(column: RawBuilder<unknown>, region: string): RawBuilder<boolean> {
  const covers = regionCoversSql(column, region);
  const prefix = regionPrefix(region);
  if (prefix === '' || prefix.length === 6) return covers;
  // the prefix is digits (checked above), so it holds no LIKE wildcard
  return sql<boolean>`${column} LIKE ${`${prefix}%`}`;
}

/** `column` is the region or one of its ancestors (the regions whose runs and parameters apply to it). */
export function regionOrAncestorSql(column: RawBuilder<unknown>, region: string): RawBuilder<boolean> {
  return sql<boolean>`${column} IN (${sql.join(regionChain(region))})`;
}
