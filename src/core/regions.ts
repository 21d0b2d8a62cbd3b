// The one region module: administrative regions (GB/T 2260) — every province, prefecture and county
// of China with its name and parent (regions.data.ts, generated from a maintained package) — and the
// hierarchy rules every capability uses: containment, the parent chain, the SQL prefix of a region.
// A pooling region is one of these codes. Nothing else in the code encodes the hierarchy.
import { GB2260_TSV } from './regions.data.ts';

export type RegionLevel = 'national' | 'province' | 'prefecture' | 'county';

export interface RegionInfo {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
  level: RegionLevel;
}

export const NATIONAL_REGION = '000000';

/**
 * English names of the province-level units and the cities and districts that carry parameters or demo
 * data (the demo's people registered elsewhere too: an English page read 户籍地 东湖区); others show
 * their Chinese name.
 */
const ENGLISH: Record<string, string> = {
  '000000': 'National',
  '110000': 'Beijing',
  '120000': 'Tianjin',
  '130000': 'Hebei',
  '140000': 'Shanxi',
  '150000': 'Inner Mongolia',
  '210000': 'Liaoning',
  '220000': 'Jilin',
  '230000': 'Heilongjiang',
  '310000': 'Shanghai',
  '320000': 'Jiangsu',
  '320100': 'Nanjing',
  '320106': 'Gulou District',
  '330000': 'Zhejiang',
  '330100': 'Hangzhou',
  '330106': 'Xihu District',
  '340000': 'Anhui',
  '340100': 'Hefei',
  '340104': 'Shushan District',
  '341800': 'Xuancheng',
  '341802': 'Xuanzhou District',
  '341821': 'Langxi County',
  '341823': 'Jing County',
  '341824': 'Jixi County',
  '341825': 'Jingde County',
  '341881': 'Ningguo',
  '341882': 'Guangde',
  '350000': 'Fujian',
  '360000': 'Jiangxi',
  '360100': 'Nanchang',
  '360102': 'Donghu District',
  '370000': 'Shandong',
  '370100': 'Jinan',
  '370102': 'Lixia District',
  '410000': 'Henan',
  '410100': 'Zhengzhou',
  '410102': 'Zhongyuan District',
  '411500': 'Xinyang',
  '411502': 'Shihe District',
  '420000': 'Hubei',
  '420100': 'Wuhan',
  '420106': 'Wuchang District',
  '430000': 'Hunan',
  '440000': 'Guangdong',
  '440100': 'Guangzhou',
  '440300': 'Shenzhen',
  '450000': 'Guangxi',
  '460000': 'Hainan',
  '500000': 'Chongqing',
  '510000': 'Sichuan',
  '510100': 'Chengdu',
  '510104': 'Jinjiang District',
  '520000': 'Guizhou',
  '530000': 'Yunnan',
  '540000': 'Tibet',
  '610000': 'Shaanxi',
  '620000': 'Gansu',
  '630000': 'Qinghai',
  '640000': 'Ningxia',
  '650000': 'Xinjiang',
  '710000': 'Taiwan',
  '810000': 'Hong Kong',
  '820000': 'Macao',
};

/** The level a GB/T 2260 code names by its zeros: 000000 the nation, xx0000 a province, xxxx00 a prefecture. */
export const regionLevel = (code: string): RegionLevel =>
  code === NATIONAL_REGION
    ? 'national'
    : code.endsWith('0000')
      ? 'province'
      : code.endsWith('00')
        ? 'prefecture'
        : 'county';

function load(): Map<string, RegionInfo> {
  const map = new Map<string, RegionInfo>();
  map.set(NATIONAL_REGION, {
    code: NATIONAL_REGION,
    nameZh: '全国',
    nameEn: 'National',
    parentCode: null,
    level: 'national',
  });
  for (const line of GB2260_TSV.split('\n')) {
    const [code = '', nameZh = '', parentCode = ''] = line.split('\t');
    map.set(code, { code, nameZh, nameEn: ENGLISH[code] ?? nameZh, parentCode, level: regionLevel(code) });
  }
  return map;
}

/** Every region, in code order (parents before children). */
export const REGIONS: ReadonlyMap<string, RegionInfo> = load();

export const isKnownRegion = (code: string): boolean => REGIONS.has(code);

export const regionInfo = (code: string): RegionInfo | undefined => REGIONS.get(code);

/** The region one level up (341802 → 341800 → 340000 → 000000; 110101 → 110000 where no prefecture exists). */
export function parentRegion(code: string): string | null {
  if (code === NATIONAL_REGION) return null;
  const known = REGIONS.get(code);
  if (known) return known.parentCode;
  // A code not in the table (withdrawn or not yet listed): by its digits.
  if (code.endsWith('0000')) return NATIONAL_REGION;
  if (code.endsWith('00')) return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}

/** The region and its ancestors, nearest first, ending with 000000 (341802 → 341802, 341800, 340000, 000000). */
export function regionChain(code: string): string[] {
  const chain: string[] = [];
  for (let c: string | null = code; c !== null && !chain.includes(c); c = parentRegion(c)) chain.push(c);
  return chain;
}

/** The ancestors of a known region from the province down, the region itself last (410102 → 河南省, 郑州市, 中原区). */
export function regionLineage(code: string): RegionInfo[] {
  return regionChain(code)
    .filter((c) => c !== NATIONAL_REGION)
    .reverse()
    .map((c) => REGIONS.get(c))
    .filter((r): r is RegionInfo => r !== undefined);
}

/** The nearest known region of a code (an ID number's birth county may have been withdrawn since): itself, else its parents. */
export function nearestKnownRegion(code: string): string {
  for (const c of regionChain(code)) if (REGIONS.has(c)) return c;
  return NATIONAL_REGION;
}

/**
 * The code prefix every region under `region` shares: '' for 000000, 2 digits for a province, 4 for a
 * prefecture, the code itself for a county. Province-administered county-level cities (419001 under
 * 410000) share their province's prefix, so containment by prefix agrees with the parent chain.
 */
export function regionPrefix(region: string): string {
  if (region === NATIONAL_REGION) return '';
  if (region.endsWith('0000')) return region.slice(0, 2);
  if (region.endsWith('00')) return region.slice(0, 4);
  return region;
}

/** Does region `outer` contain `inner`? 000000 contains all, a province its prefectures and counties, a prefecture its counties. */
export const regionContains = (outer: string, inner: string): boolean =>
  outer === inner || inner.startsWith(regionPrefix(outer));

/** SQL LIKE pattern of a region and its sub-regions: 000000 → %, 340000 → 34%, 341800 → 3418%, a county itself. */
export function regionLikePattern(region: string): string {
  const prefix = regionPrefix(region);
  return prefix.length === 6 ? prefix : `${prefix}%`;
}

/** The pooling (prefecture-level) region of a residence region: counties pool at their prefecture. */
export function poolingRegionOf(region: string): string {
  if (region.endsWith('00')) return region;
  return `${region.slice(0, 4)}00`;
}

/** Display name: the Chinese name of a region, or its code when unknown. */
export const regionName = (code: string, lang: 'zh' | 'en' = 'zh'): string => {
  const r = REGIONS.get(code);
  return r ? (lang === 'zh' ? r.nameZh : r.nameEn) : code;
};
