/**
 * Synthetic Chinese names, phone numbers and place names for the demo district. Nothing here
 * refers to a real person; phone numbers are random and only follow the common formats.
 */
import type { DedicatedKind } from './types.js';
import type { Rng } from './rng.js';

/** Common surnames, most frequent first (weights fall off with rank). */
const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗',
  '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧', '程', '曹', '袁', '邓', '许', '傅', '沈', '曾', '彭', '吕',
  '苏', '卢', '蒋', '蔡', '贾', '丁', '魏', '薛', '叶', '阎', '余', '潘', '杜', '戴', '夏', '钟', '汪', '田', '任', '姜',
  '范', '方', '石', '姚', '谭', '廖', '邹', '熊', '金', '陆', '郝', '孔', '白', '崔', '康', '毛', '邱', '秦', '江', '史',
  '顾', '侯', '邵', '孟', '龙', '万', '段', '雷', '钱', '汤', '尹', '黎', '易', '常', '武', '乔', '贺', '赖', '龚', '文',
];
const SURNAME_WEIGHTS = SURNAMES.map((_, i) => 1 / (i + 8));

const GIVEN_MALE = [
  '伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波', '宁', '建',
  '国', '峰', '亮', '俊', '浩', '宇', '博', '晨', '阳', '毅', '文', '志', '永', '海', '林', '立', '新', '振', '安', '德',
];
const GIVEN_FEMALE = [
  '芳', '娜', '敏', '静', '丽', '艳', '娟', '霞', '燕', '玲', '婷', '雪', '琳', '颖', '倩', '洁', '蕾', '欣', '慧', '萍',
  '红', '梅', '晶', '莉', '璐', '佳', '悦', '彤', '雯', '妍', '丹', '月', '春', '秀', '兰', '琴', '云', '露', '瑶', '宁',
];

export function personName(rng: Rng): string {
  const surname = SURNAMES[rng.weightedIndex(SURNAME_WEIGHTS)]!;
  const pool = rng.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE;
  const given = rng.chance(0.3) ? rng.pick(pool) : rng.pick(pool) + rng.pick(pool);
  return surname + given;
}

const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158',
  '159', '180', '181', '182', '183', '186', '187', '188', '189', '177', '173', '199',
];

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

/** An 11-digit synthetic mobile number. */
export function mobilePhone(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + digits(rng, 8);
}

/** A Xianyang landline (area code 029, 8-digit local numbers starting with 3). */
export function landline(rng: Rng): string {
  return `029-3${rng.int(2, 8)}${digits(rng, 6)}`;
}

/** Draws values until one is not in `taken`, then records it (gives up after many tries). */
export function unique(taken: Set<string>, make: () => string, fallback?: (n: number) => string): string {
  for (let i = 0; i < 200; i++) {
    const v = make();
    if (!taken.has(v)) {
      taken.add(v);
      return v;
    }
  }
  for (let n = 2; ; n++) {
    const v = fallback ? fallback(n) : `${make()}${n}`;
    if (!taken.has(v)) {
      taken.add(v);
      return v;
    }
  }
}

/**
 * The short form used in grid and facility names: '乐育北路社区居委会' → '乐育北路社区',
 * '天王一区居委会' → '天王一区社区', '西张二村委会' → '西张二村', '周村委会' → '周村'.
 */
export function communityShortName(name: string): string {
  let n = name.replace(/(社区)?居民委员会$/, '').replace(/(社区)?居委会$/, '');
  if (n !== name) return n.endsWith('社区') ? n : `${n}社区`;
  n = name.replace(/村民委员会$/, '村').replace(/村委会$/, '村');
  if (n !== name) return n;
  return name;
}

/** Roads of the demo district (plausible for Xianyang's Qindu district). */
export const ROADS = [
  '人民中路', '人民西路', '乐育北路', '乐育南路', '渭阳西路', '渭阳中路', '西兰路', '文林路', '毕塬路', '秦皇路',
  '惠民路', '勤俭路', '玉泉路', '宝泉路', '世纪大道', '上林路', '咸户路', '同文路', '滨河路', '中华路', '彩虹路',
  '汉仓路', '柳仓路', '永昌路', '劳动路', '长虹路', '西环路', '星火路', '茂陵路', '文兴路', '朝阳路', '团结路',
  '友谊路', '胜利街', '建设路', '思源路', '沈平路', '水厂路', '陈杨路', '扶苏路', '沣柳路', '白马河路', '段家路',
  '河南街', '渭滨路', '锦华路', '锦业路', '富安路', '安居路', '金山路', '北安路', '南安路', '西阳路', '统一路',
  '秦都路', '毕原路', '陇海路', '风轮路', '迎宾大道', '体育场路',
];

/** A road for a community: the one in its name when there is one ('乐育北路社区' → '乐育北路'). */
export function communityRoad(shortName: string, rng: Rng): string {
  const m = /^(.+?(?:路|街|大道))/.exec(shortName);
  if (m && m[1]!.length >= 3) return m[1]!;
  return rng.pick(ROADS);
}

/** Words for compound names of all ages (places, roads, auspicious words). */
const COMPOUND_WORDS = [
  '锦华', '华宇', '丽彩', '阳光', '金泰', '秦宝', '嘉阳', '富安', '玉泉', '宝泉', '彩虹', '世纪', '上林', '沣水', '渭滨',
  '长虹', '星火', '永昌', '汉仓', '柳仓', '文林', '惠民', '勤俭', '同文', '和园', '康定', '天福', '沣润', '聆水', '芙蓉',
  '福园', '思源', '中华', '安居', '西阳', '北安', '南安', '秦皇', '毕塬', '乐育', '嘉惠', '中宏', '友谊', '团结', '胜利',
  '滨河', '渭阳', '陇安', '玉珠', '珠泉', '荣泉', '新泉', '丽莱', '华泰', '光明', '幸福', '文西', '茂陵', '晨光', '秦都',
  '马泉', '锦程', '锦绣', '锦馨', '溪悦', '泰和', '颐和', '盛世', '翠微', '紫薇', '兴乐', '金色', '明珠', '新城', '荣华',
  '瑞景', '怡园', '书香', '兰亭', '康乐', '安泰', '祥和', '和平', '民生', '建兴', '永安', '恒信', '金桥', '银河', '东方',
  '西苑', '南郊', '北郊', '朝阳', '旭日', '春晖', '秋实', '松鹤', '桂花', '丁香', '海棠', '梧桐', '银杏', '杨柳', '青松',
  '翠竹', '红枫', '清华', '博雅', '育才', '文苑', '学府', '凤凰', '龙泉', '天王', '渭水', '泾渭', '咸阳湖', '古渡', '钓台',
  '陈杨', '吴家堡', '七里铺', '西兰', '风轮', '统一', '北塬', '毕原', '周陵', '平陵', '安谷', '先河', '宇宏', '华府', '林凯',
  '白马', '沣柳', '金山', '秦源', '汉都', '大秦', '秦韵', '长乐', '未央', '安康', '金辉', '新兴', '富源', '鑫源', '宏达',
];
/** Developers' brand words, for new compounds only. */
const BRAND_WORDS = [
  '万达', '恒大', '碧桂园', '融创', '龙湖', '保利', '绿地', '中天', '海泉湾', '中海', '华润', '招商', '金地', '阳光城', '奥林匹克',
  '国润', '沣太', '金科', '天朗', '荣民', '紫薇', '枫林', '曲江', '高科', '天地源', '雅居乐', '蓝光', '中南', '旭辉', '世茂',
];
const COMPOUND_SUFFIX_NEW = ['华庭', '公馆', '名邸', '雅苑', '花园', '壹号院', '尚城', '御府', '云著', '悦府', '天著', '华府', '新城', '国际'];
const COMPOUND_SUFFIX_MID = ['小区', '家园', '苑', '花苑', '佳苑', '新苑', '嘉园', '名苑', '雅居', '公寓', '花园', '小区', '家园'];
const COMPOUND_SUFFIX_OLD = ['家属院', '家属区', '生活区', '小区'];
const OLD_OWNERS = [
  '纺机厂', '二棉', '七〇四厂', '陕毛一厂', '陶瓷厂', '供电局', '水泥厂', '印染厂', '电子厂', '粮食局', '交通局',
  '建工局', '机床厂', '橡胶厂', '邮电局', '自来水公司', '运输公司', '化工厂', '秦都区政府', '市一中', '煤机厂', '玻璃厂',
  '电机厂', '面粉厂', '棉纺厂', '毛纺厂', '食品厂', '卫生局', '税务局', '工商局', '商业局', '物资局', '油漆厂', '机械厂',
];

export type CompoundAge = 'old' | 'mid' | 'new';

/**
 * A compound (小区) name. Old compounds are work-unit housing ('纺机厂家属院'), numbered yards on
 * a road ('人民西路36号院') or plain '…小区/新村'; newer ones carry estate names ('锦华名苑').
 */
export function compoundName(rng: Rng, age: CompoundAge, road: string): string {
  if (age === 'old') {
    const u = rng.next();
    if (u < 0.4) return rng.pick(OLD_OWNERS) + rng.pick(COMPOUND_SUFFIX_OLD);
    if (u < 0.75) return `${road}${rng.int(1, 199)}号院`;
    return rng.pick(COMPOUND_WORDS) + rng.pick(['小区', '新村']);
  }
  if (age === 'new') {
    const word = rng.chance(0.4) ? rng.pick(BRAND_WORDS) : rng.pick(COMPOUND_WORDS);
    return word + rng.pick(COMPOUND_SUFFIX_NEW);
  }
  return rng.pick(COMPOUND_WORDS) + rng.pick(COMPOUND_SUFFIX_MID);
}

const CHINESE_NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → '一', 12 → '十二' (up to 99). */
export function chineseNumber(n: number): string {
  if (n <= 10) return CHINESE_NUMERALS[n]!;
  if (n < 20) return '十' + CHINESE_NUMERALS[n - 10]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return CHINESE_NUMERALS[tens]! + '十' + (ones ? CHINESE_NUMERALS[ones]! : '');
}

/** Names of the institutions that get a dedicated grid (专属网格), by kind. */
export const DEDICATED_UNITS: Record<DedicatedKind, string[]> = {
  school: [
    '咸阳市实验中学', '咸阳市秦都中学', '咸阳市彩虹学校', '秦都区乐育小学', '咸阳师范学院附属中学', '秦都区渭阳小学',
    '咸阳市第一中学', '秦都区吴家堡小学',
  ],
  hospital: ['咸阳市中心医院', '陕西中医药大学附属医院', '秦都区人民医院', '咸阳市妇幼保健院'],
  market: ['人民路农贸市场', '七里铺农贸市场', '西兰路综合批发市场', '吴家堡蔬菜市场', '玉泉路农贸市场'],
  industrial_park: ['秦都高新技术产业园', '咸阳纺织服装工业园', '秦都电子信息产业园'],
  enterprise: ['彩虹集团', '陕西纺织机械厂', '西北二棉', '咸阳供电公司'],
  party_government: ['秦都区人民政府', '咸阳市行政中心', '秦都区委党校'],
};
