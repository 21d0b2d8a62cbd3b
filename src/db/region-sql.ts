// The SQL twin of core/regions.ts regionContains: `column` lies in `region` (000000 all, a province
// its prefectures and counties, a prefecture its counties, a county itself). One place for every job,
// repository and service that scopes rows by region.
import { sql, type RawBuilder } from 'kysely';
import { SbError } from '../core/errors.ts';
import { regionChain, regionPrefix } from '../core/regions.ts';

export function regionCoversSql(column: RawBuilder<unknown>, region: string): RawBuilder<boolean> {
  if (!/^[0-9]{6}$/.test(region))
    throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region', zh: region, en: region });
  const prefix = regionPrefix(region);
  if (prefix === '') return sql<boolean>`true`;
  if (prefix.length === 6) return sql<boolean>`${column} = ${region}`;
  return sql<boolean>`left(${column}, ${sql.lit(prefix.length)}) = ${prefix}`;
}

/** `column` is the region or one of its ancestors (the regions whose runs and parameters apply to it). */
export function regionOrAncestorSql(column: RawBuilder<unknown>, region: string): RawBuilder<boolean> {
  return sql<boolean>`${column} IN (${sql.join(regionChain(region))})`;
}
