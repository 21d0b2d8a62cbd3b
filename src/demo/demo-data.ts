// Reference lists for the demo city of Xuancheng (宣城市, 341800): districts, names, streets, banks,
// industries, the age pyramid and the wage history. Plain data; the generator draws from it.

export const CITY_CODE = '341800';

export interface District {
  code: string;
  /** Name as written in an address, after 安徽省宣城市 (a county-level city is written alone). */
  name: string;
  /** Prefix of a company registered there (宣城市…, 宁国市…, 泾县…). */
  companyPrefix: string;
  /** Share of the city's population (2020 census, rounded). */
  weight: number;
  towns: readonly string[];
}

export const DISTRICTS: readonly District[] = [
  { code: '341802', name: '宣城市宣州区', companyPrefix: '宣城市', weight: 31, towns: ['鳌峰街道', '澄江街道', '济川街道', '西林街道', '向阳街道', '水阳镇', '孙埠镇', '狸桥镇', '新田镇', '洪林镇'] },
  { code: '341821', name: '宣城市郎溪县', companyPrefix: '郎溪县', weight: 12, towns: ['建平镇', '十字镇', '梅渚镇', '涛城镇', '飞鲤镇', '姚村乡'] },
  { code: '341823', name: '宣城市泾县', companyPrefix: '泾县', weight: 11, towns: ['泾川镇', '茂林镇', '榔桥镇', '丁家桥镇', '桃花潭镇', '云岭镇'] },
  { code: '341824', name: '宣城市绩溪县', companyPrefix: '绩溪县', weight: 6, towns: ['华阳镇', '临溪镇', '上庄镇', '长安镇', '瀛洲镇'] },
  { code: '341825', name: '宣城市旌德县', companyPrefix: '旌德县', weight: 5, towns: ['旌阳镇', '庙首镇', '白地镇', '蔡家桥镇', '三溪镇'] },
  { code: '341881', name: '宁国市', companyPrefix: '宁国市', weight: 15, towns: ['西津街道', '河沥溪街道', '南山街道', '汪溪街道', '港口镇', '中溪镇', '宁墩镇'] },
  { code: '341882', name: '广德市', companyPrefix: '广德市', weight: 20, towns: ['桃州镇', '新杭镇', '邱村镇', '杨滩镇', '誓节镇', '东亭乡'] },
];

/** Where people registered elsewhere come from: hukou region (in core/regions.ts) and a county code for their ID number. */
export const ORIGINS: ReadonlyArray<{ hukou: string; idRegion: string; weight: number }> = [
  { hukou: '340100', idRegion: '340104', weight: 30 }, // 合肥市蜀山区
  { hukou: '320000', idRegion: '320106', weight: 18 }, // 江苏 南京市鼓楼区
  { hukou: '330000', idRegion: '330106', weight: 14 }, // 浙江 杭州市西湖区
  { hukou: '370000', idRegion: '370102', weight: 10 }, // 山东 济南市历下区
  { hukou: '410000', idRegion: '411502', weight: 10 }, // 河南 信阳市浉河区
  { hukou: '360000', idRegion: '360102', weight: 8 }, // 江西 南昌市东湖区
  { hukou: '420000', idRegion: '420106', weight: 6 }, // 湖北 武汉市武昌区
  { hukou: '510000', idRegion: '510104', weight: 4 }, // 四川 成都市锦江区
];

export const ROADS: readonly string[] = [
  '人民路', '中山路', '建设路', '文化路', '解放路', '梅园路', '叠嶂路', '昭亭路', '和平路', '新华路',
  '宛陵路', '敬亭路', '鳌峰路', '府山路', '状元路', '梅溪路', '开元路', '薰化路', '健康路', '长安路',
  '锦城路', '青弋路', '振宣路', '宝城路', '滨河路', '桃园路', '红旗路', '迎宾大道', '东门路', '北门路',
];
export const VILLAGE_SUFFIX: readonly string[] = ['村', '社区'];
export const VILLAGES: readonly string[] = [
  '双桥', '大塘', '杨柳', '山口', '新河', '河口', '东湖', '西岭', '桃园', '竹林', '金塘', '石门',
  '花园', '松林', '团结', '光明', '联合', '前进', '红星', '长岗', '塘坝', '桥头', '黄田', '龙潭',
];
export const ESTATES: readonly string[] = ['阳光花园', '梅园小区', '锦绣家园', '碧桂园', '滨江花园', '叠嶂新村', '宛陵新城', '金色家园', '幸福里', '翰林苑', '御景湾', '南湖春晓'];

/** Surnames with rough national frequency (per mille), Anhui's 汪, 方, 章, 詹, 查, 操 raised. */
export const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 71], ['李', 70], ['张', 67], ['刘', 54], ['陈', 45], ['杨', 31], ['黄', 24], ['赵', 22], ['吴', 24], ['周', 19],
  ['徐', 17], ['孙', 15], ['马', 14], ['朱', 13], ['胡', 15], ['郭', 12], ['何', 12], ['林', 11], ['高', 11], ['罗', 10],
  ['郑', 9], ['梁', 9], ['谢', 8], ['宋', 7], ['唐', 7], ['许', 7], ['韩', 6], ['冯', 6], ['邓', 6], ['曹', 6],
  ['彭', 5], ['曾', 5], ['肖', 5], ['田', 5], ['董', 5], ['潘', 4], ['袁', 4], ['蔡', 4], ['蒋', 4], ['余', 4],
  ['于', 4], ['杜', 4], ['叶', 4], ['程', 5], ['魏', 3], ['苏', 3], ['吕', 3], ['丁', 3], ['任', 3], ['卢', 3],
  ['姚', 3], ['沈', 3], ['钟', 3], ['姜', 3], ['崔', 3], ['谭', 3], ['陆', 3], ['范', 2], ['汪', 10], ['廖', 2],
  ['石', 2], ['金', 2], ['韦', 2], ['贾', 2], ['夏', 2], ['付', 2], ['方', 5], ['邹', 2], ['熊', 2], ['白', 2],
  ['孟', 2], ['秦', 2], ['邱', 2], ['侯', 2], ['江', 3], ['尹', 2], ['薛', 2], ['闫', 2], ['段', 2], ['雷', 2],
  ['龙', 1], ['黎', 1], ['史', 1], ['陶', 1], ['贺', 1], ['毛', 1], ['郝', 1], ['顾', 1], ['龚', 1], ['邵', 1],
  ['万', 1], ['钱', 1], ['戴', 1], ['严', 1], ['孔', 1], ['向', 1], ['章', 2], ['詹', 1.5], ['查', 1], ['舒', 1],
  ['操', 0.5], ['储', 0.5], ['桂', 0.5], ['欧阳', 0.2], ['诸葛', 0.05], ['司马', 0.05],
];

export type Era = 'old' | 'middle' | 'young';
/** Given names by era of birth (before 1960, 1960–1989, from 1990) and sex: whole names, and two pools to compose from. */
export const GIVEN: Record<Era, Record<'M' | 'F', { whole: readonly string[]; first: readonly string[]; second: readonly string[] }>> = {
  old: {
    M: {
      whole: ['建国', '国庆', '建华', '卫东', '志强', '德明', '文华', '福生', '长林', '金山', '保国', '振华', '玉林', '有才', '广福', '树林', '家良', '正清', '根生', '学文', '永康', '德胜', '忠华', '明山', '炳南'],
      first: ['德', '福', '金', '长', '永', '国', '春', '桂', '树', '家', '有', '正', '根', '学', '忠', '茂', '庆'],
      second: ['生', '林', '山', '才', '福', '华', '明', '清', '发', '荣', '贵', '和', '元', '祥', '泉', '根'],
    },
    F: {
      whole: ['秀英', '桂英', '玉兰', '桂兰', '秀兰', '凤英', '秀珍', '玉珍', '翠兰', '桂芳', '金花', '美英', '素芳', '月娥', '兰英', '淑珍', '冬梅', '春花', '菊香', '玉梅', '腊梅', '招娣'],
      first: ['秀', '桂', '玉', '凤', '翠', '金', '美', '素', '月', '兰', '淑', '春', '菊', '爱', '银'],
      second: ['英', '兰', '珍', '芳', '花', '娥', '梅', '香', '凤', '琴', '莲', '枝', '娣', '云'],
    },
  },
  middle: {
    M: {
      whole: ['伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞', '波', '建军', '海涛', '志刚', '俊', '林', '峰', '晓东', '国华', '文斌', '红军', '立新', '宏伟', '永刚', '建平', '小龙', '海波'],
      first: ['建', '国', '志', '文', '明', '永', '海', '俊', '家', '宏', '立', '晓', '振', '少', '德', '成', '红', '卫', '小', '新'],
      second: ['军', '华', '平', '强', '明', '林', '刚', '东', '峰', '辉', '波', '杰', '龙', '涛', '斌', '勇', '鹏', '宇', '飞', '兵'],
    },
    F: {
      whole: ['芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '燕', '玲', '红', '梅', '丹', '萍', '琳', '雪', '慧', '晓燕', '丽华', '秀梅', '春燕', '海燕', '红梅', '玉洁', '晓丽', '婷婷', '丽娟'],
      first: ['丽', '晓', '美', '海', '红', '雪', '春', '秀', '玉', '小', '艳', '慧', '静', '文', '金'],
      second: ['英', '梅', '芳', '华', '燕', '霞', '娟', '琴', '云', '萍', '洁', '丽', '莉', '红', '玲', '敏'],
    },
  },
  young: {
    M: {
      whole: ['浩然', '子轩', '宇轩', '梓豪', '俊杰', '浩宇', '博文', '宇航', '皓轩', '一鸣', '天佑', '思远', '明哲', '嘉豪', '文博', '子墨', '睿', '轩', '昊', '晨', '阳', '凯', '鑫', '宇', '浩', '博', '铭', '泽'],
      first: ['浩', '子', '宇', '梓', '俊', '博', '皓', '一', '天', '思', '嘉', '文', '睿', '奕', '煜', '承', '沐', '锦'],
      second: ['然', '轩', '豪', '杰', '宇', '文', '航', '鸣', '佑', '远', '哲', '博', '墨', '辰', '泽', '阳', '晨', '川'],
    },
    F: {
      whole: ['欣怡', '梓涵', '诗涵', '雨涵', '可馨', '子萱', '思琪', '雨欣', '梦瑶', '佳怡', '语桐', '一诺', '紫涵', '欣妍', '若曦', '雅婷', '婷', '悦', '琪', '颖', '瑶', '涵', '萱', '怡'],
      first: ['欣', '梓', '诗', '雨', '可', '子', '思', '梦', '佳', '语', '一', '紫', '若', '雅', '静', '安', '书', '芷'],
      second: ['怡', '涵', '馨', '萱', '琪', '欣', '瑶', '桐', '诺', '妍', '曦', '婷', '悦', '彤', '然', '宁', '希', '雯'],
    },
  },
};

/** China, 2020 census, millions by 5-year age group (0–4 … 95–99, 100+), male and female. */
export const AGE_PYRAMID: ReadonlyArray<readonly [number, number]> = [
  [40.97, 36.91], [48.03, 42.21], [45.93, 39.32], [39.04, 33.64], [39.68, 35.26], [47.29, 44.56], [64.01, 60.13],
  [50.96, 48.05], [47.84, 45.36], [58.19, 56.07], [61.13, 60.05], [50.71, 50.69], [36.78, 36.61], [36.41, 37.59],
  [24.07, 25.52], [14.73, 16.45], [9.15, 11.25], [4.59, 6.57], [1.37, 2.36], [0.27, 0.58], [0.03, 0.09],
];

/** Average monthly wage, yuan, scaled to Anhui (≈7,000 in 2025); interpolated geometrically between years. */
export const AVERAGE_WAGE: ReadonlyArray<readonly [number, number]> = [
  [1950, 25], [1978, 40], [1985, 75], [1990, 138], [1995, 340], [2000, 606], [2005, 1188], [2010, 2364], [2015, 4013],
  [2020, 6300], [2025, 7000], [2030, 7800], [2100, 30000],
];

export interface Bank {
  name: string;
  bin: string;
  length: number;
  weight: number;
}
export const BANKS: readonly Bank[] = [
  { name: '中国工商银行宣城分行', bin: '622202', length: 19, weight: 20 },
  { name: '中国农业银行宣城分行', bin: '622848', length: 19, weight: 22 },
  { name: '中国银行宣城分行', bin: '621661', length: 19, weight: 10 },
  { name: '中国建设银行宣城分行', bin: '621700', length: 19, weight: 16 },
  { name: '交通银行宣城分行', bin: '622262', length: 19, weight: 4 },
  { name: '中国邮政储蓄银行宣城市分行', bin: '621799', length: 19, weight: 12 },
  { name: '徽商银行宣城分行', bin: '622651', length: 16, weight: 6 },
  { name: '安徽宣城皖南农村商业银行', bin: '623058', length: 19, weight: 10 },
];

export const MOBILE_PREFIXES: readonly string[] = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '166', '173', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199',
];

/** Work-injury risk classes I–VIII (人社部发〔2015〕71号) with a city's mix, typical trades and a wage factor. */
export const INDUSTRY_CLASSES: ReadonlyArray<{ cls: number; weight: number; wageFactor: number; trades: readonly string[] }> = [
  { cls: 1, weight: 22, wageFactor: 1.25, trades: ['软件科技', '信息技术', '商贸', '企业管理咨询', '教育科技', '电子商务', '会计服务', '人力资源服务'] },
  { cls: 2, weight: 18, wageFactor: 0.9, trades: ['餐饮管理', '酒店管理', '物业管理', '房地产开发', '文化传媒', '旅游开发', '超市'] },
  { cls: 3, weight: 12, wageFactor: 0.95, trades: ['食品', '茶业', '农业开发', '医药', '生物科技', '粮油'] },
  { cls: 4, weight: 12, wageFactor: 0.9, trades: ['纺织', '服饰', '宣纸', '家具', '文房四宝', '竹木制品'] },
  { cls: 5, weight: 14, wageFactor: 1.05, trades: ['机械制造', '汽车零部件', '电子', '橡胶密封件', '耐磨材料', '电机', '精密铸造'] },
  { cls: 6, weight: 10, wageFactor: 1.0, trades: ['化工', '新型建材', '水泥', '物流', '运输', '塑胶'] },
  { cls: 7, weight: 8, wageFactor: 1.05, trades: ['建筑工程', '建设工程', '路桥工程', '钢结构', '金属制品'] },
  { cls: 8, weight: 4, wageFactor: 1.15, trades: ['矿业', '石料开采', '非金属矿业'] },
];

/** Trade names (字号) for company names. */
export const TRADE_NAMES: readonly string[] = [
  '宏达', '鑫源', '恒通', '金泰', '瑞丰', '永盛', '东方', '德隆', '华信', '天成', '顺发', '广源', '兴业', '海德', '锦程',
  '鼎盛', '宏远', '创新', '佳美', '新华', '昭亭', '敬亭', '宛陵', '青弋', '水阳', '梅溪', '桃花潭', '江南', '皖南', '徽韵',
  '宣和', '叠嶂', '双塔', '华阳', '泾川', '宁墩', '桃州', '建平', '旌阳', '恒泰', '中联', '盛达', '汇丰源', '联创', '远航',
  '嘉禾', '润泽', '明辉', '通达', '万隆', '金鹰', '银河', '晨光', '百川', '和顺', '安信', '亿丰', '天润', '昌盛', '福瑞',
];
export const COMPANY_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['有限公司', 70], ['有限责任公司', 20], ['股份有限公司', 5], ['厂', 5],
];

/** Names the demo staff accounts show. */
export const STAFF_USERS: ReadonlyArray<{ username: 'clerk' | 'reviewer' | 'supervisor' | 'admin'; displayName: string }> = [
  { username: 'clerk', displayName: '经办员 王芳' },
  { username: 'reviewer', displayName: '复核员 陈静' },
  { username: 'supervisor', displayName: '基金监督员 汪建华' },
  { username: 'admin', displayName: '系统管理员 李明' },
];
