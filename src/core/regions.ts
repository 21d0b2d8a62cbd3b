// Administrative regions (GB/T 2260) the platform knows by name: every province-level unit and the
// cities that carry parameters or demo data. A pooling region is one of these codes.

export interface RegionInfo {
  code: string;
  nameZh: string;
  nameEn: string;
}

const LIST: Array<[string, string, string]> = [
  ['000000', '全国', 'National'],
  ['110000', '北京市', 'Beijing'],
  ['120000', '天津市', 'Tianjin'],
  ['130000', '河北省', 'Hebei'],
  ['140000', '山西省', 'Shanxi'],
  ['150000', '内蒙古自治区', 'Inner Mongolia'],
  ['210000', '辽宁省', 'Liaoning'],
  ['220000', '吉林省', 'Jilin'],
  ['230000', '黑龙江省', 'Heilongjiang'],
  ['310000', '上海市', 'Shanghai'],
  ['320000', '江苏省', 'Jiangsu'],
  ['330000', '浙江省', 'Zhejiang'],
  ['340000', '安徽省', 'Anhui'],
  ['340100', '合肥市', 'Hefei'],
  ['341800', '宣城市', 'Xuancheng'],
  ['341802', '宣州区', 'Xuanzhou District'],
  ['341821', '郎溪县', 'Langxi County'],
  ['341823', '泾县', 'Jing County'],
  ['341824', '绩溪县', 'Jixi County'],
  ['341825', '旌德县', 'Jingde County'],
  ['341881', '宁国市', 'Ningguo'],
  ['341882', '广德市', 'Guangde'],
  ['350000', '福建省', 'Fujian'],
  ['360000', '江西省', 'Jiangxi'],
  ['370000', '山东省', 'Shandong'],
  ['370100', '济南市', 'Jinan'],
  ['410000', '河南省', 'Henan'],
  ['420000', '湖北省', 'Hubei'],
  ['430000', '湖南省', 'Hunan'],
  ['440000', '广东省', 'Guangdong'],
  ['440100', '广州市', 'Guangzhou'],
  ['440300', '深圳市', 'Shenzhen'],
  ['450000', '广西壮族自治区', 'Guangxi'],
  ['460000', '海南省', 'Hainan'],
  ['500000', '重庆市', 'Chongqing'],
  ['510000', '四川省', 'Sichuan'],
  ['520000', '贵州省', 'Guizhou'],
  ['530000', '云南省', 'Yunnan'],
  ['540000', '西藏自治区', 'Tibet'],
  ['610000', '陕西省', 'Shaanxi'],
  ['620000', '甘肃省', 'Gansu'],
  ['630000', '青海省', 'Qinghai'],
  ['640000', '宁夏回族自治区', 'Ningxia'],
  ['650000', '新疆维吾尔自治区', 'Xinjiang'],
  ['710000', '台湾省', 'Taiwan'],
  ['810000', '香港特别行政区', 'Hong Kong'],
  ['820000', '澳门特别行政区', 'Macao'],
];

export const REGIONS: ReadonlyMap<string, RegionInfo> = new Map(
  LIST.map(([code, nameZh, nameEn]) => [code, { code, nameZh, nameEn }]),
);

export const isKnownRegion = (code: string): boolean => REGIONS.has(code);

/** SQL LIKE pattern of a region and its sub-regions: 000000 → %, 340000 → 34%, 341800 → 3418%, a district itself. */
export function regionLikePattern(region: string): string {
  if (region === '000000') return '%';
  if (region.endsWith('0000')) return `${region.slice(0, 2)}%`;
  if (region.endsWith('00')) return `${region.slice(0, 4)}%`;
  return region;
}

/** The region a code belongs to one level up (341802 → 341800 → 340000 → 000000). */
export function parentRegion(code: string): string | null {
  if (code === '000000') return null;
  if (code.endsWith('0000')) return '000000';
  if (code.endsWith('00')) return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}
