// The catalogue of covered work-injury medical items (catalogue.yaml, format in
// docs/injury-hospital.md): read and checked once; a malformed entry stops start-up naming the entry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Catalogue, CatalogueItem } from './catalogue.rules.ts';

const FILE = join(import.meta.dirname, 'catalogue.yaml');
const CATEGORIES = ['drug', 'treatment', 'material', 'facility'] as const;

function fail(where: string, what: string): never {
  throw new Error(`${FILE}: ${where}: ${what}`);
}

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

export function checkCatalogue(raw: unknown, file = FILE): Catalogue {
  if (typeof raw !== 'object' || raw === null) fail('top', 'not a mapping');
  const o = raw as Record<string, unknown>;
  if (typeof o['version'] !== 'string') fail('version', 'missing');
  if (!Array.isArray(o['items'])) fail('items', 'not a list');
  const seen = new Set<string>();
  const items: CatalogueItem[] = (o['items'] as unknown[]).map((r, i) => {
    if (typeof r !== 'object' || r === null) fail(`items[${i}]`, 'not a mapping');
    const it = r as Record<string, unknown>;
    const where = `items[${i}] (${String(it['code'])})`;
    const code = it['code'];
    if (typeof code !== 'string' || !/^[A-Z][0-9A-Z]{3,19}$/.test(code)) fail(where, 'bad code');
    if (seen.has(code)) fail(where, 'duplicate code');
    seen.add(code);
    for (const k of ['nameZh', 'nameEn', 'unit'])
      if (typeof it[k] !== 'string' || it[k] === '') fail(where, `${k} missing`);
    if (!CATEGORIES.includes(it['category'] as (typeof CATEGORIES)[number])) fail(where, 'bad category');
    const max = it['maxUnitPriceFen'];
    if (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 0)
      fail(where, 'maxUnitPriceFen must be an integer number of fen');
    if (typeof it['covered'] !== 'boolean') fail(where, 'covered must be true or false');
    if (!it['covered'] && (typeof it['reasonZh'] !== 'string' || typeof it['reasonEn'] !== 'string'))
      fail(where, 'an item not covered needs reasonZh and reasonEn');
    if (!isDate(it['from'])) fail(where, 'from must be YYYY-MM-DD');
    if (it['to'] !== undefined && it['to'] !== null && !isDate(it['to']))
      fail(where, 'to must be YYYY-MM-DD');
    return {
      code,
      nameZh: it['nameZh'] as string,
      nameEn: it['nameEn'] as string,
      category: it['category'] as CatalogueItem['category'],
      unit: it['unit'] as string,
      maxUnitPriceFen: max,
      covered: it['covered'],
      reasonZh: (it['reasonZh'] as string | undefined) ?? null,
      reasonEn: (it['reasonEn'] as string | undefined) ?? null,
      from: it['from'],
      to: (it['to'] as string | undefined) ?? null,
    };
  });
  void file;
  return {
    version: o['version'],
    reference: typeof o['reference'] === 'string' ? o['reference'] : '',
    items,
  };
}

let cached: Catalogue | null = null;

/** The shipped catalogue (read once). */
export function injuryCatalogue(): Catalogue {
  cached ??= checkCatalogue(parse(readFileSync(FILE, 'utf8')) as unknown);
  return cached;
}
