// The covered-items catalogue as data, and the pure lookup a bill check uses.
export interface CatalogueItem {
  code: string;
  nameZh: string;
  nameEn: string;
  category: 'drug' | 'treatment' | 'material' | 'facility';
  unit: string;
  /** the most the fund pays for one unit (限价), fen */
  maxUnitPriceFen: number;
  covered: boolean;
  reasonZh: string | null;
  reasonEn: string | null;
  /** in force from (inclusive) … to (inclusive, null = open) */
  from: string;
  to: string | null;
}

export interface Catalogue {
  version: string;
  reference: string;
  items: CatalogueItem[];
}

/** The entry of `code` in force on `date`, or why there is none. */
export function lookupItem(
  catalogue: Catalogue,
  code: string,
  date: string,
): { item: CatalogueItem } | { missing: 'unknown' | 'not-in-force' } {
  const entries = catalogue.items.filter((i) => i.code === code);
  if (entries.length === 0) return { missing: 'unknown' };
  const item = entries.find((i) => i.from <= date && (i.to === null || date <= i.to));
  return item ? { item } : { missing: 'not-in-force' };
}
