/**
 * Two years of reported incidents (事件) for the demo district.
 *
 * - Where: near residential buildings, drawn in proportion to their residents, plus four hotspots
 *   where one category concentrates (a market with street-order cases, an old compound with
 *   disputes, a village with sanitation problems, a late-night food street with noise).
 * - When: a day is drawn with rejection sampling on a seasonal factor of the sub-category
 *   (sanitation up in summer, heating complaints in the heating season 15 Nov – 15 Mar, …), a
 *   weekly factor of the source (grid workers report on weekdays, the 12345 hotline all week) and
 *   a slight upward trend; the hour follows the source's working pattern. All calendar logic is in
 *   China time (UTC+8), independent of the machine's time zone.
 * - Handling: each case gets a processing time; ~87% finish within the category deadline. Cases
 *   finished before the anchor date are 'closed', the rest are at a stage according to how far they
 *   have got; a share of last month's cases (more the more recent) is still open as a backlog;
 *   ~2.5% of older cases were 'returned'.
 */
import type { BuildingRecord } from './buildings.js';
import type { PreparedArea, XY } from './geometry.js';
import type { GridPlan } from './grids.js';
import { landline, mobilePhone, personName } from './names.js';
import { WeightedSampler, type Rng } from './rng.js';
import type { DemoStaffMember, IncidentSource, IncidentStatus } from './types.js';

export interface IncidentCategorySpec {
  code: string;
  name: string;
  /** Handling deadline in hours. */
  deadlineHours: number;
  share: number;
  subCategories: { code: string; name: string; share: number }[];
}

/** Incident categories and sub-categories (codes, names and deadlines as in the incident_category table). */
export const INCIDENT_CATEGORIES: IncidentCategorySpec[] = [
  {
    code: 'dispute',
    name: '矛盾纠纷',
    deadlineHours: 168,
    share: 0.14,
    subCategories: [
      { code: 'neighbour', name: '邻里纠纷', share: 0.4 },
      { code: 'family', name: '家庭纠纷', share: 0.2 },
      { code: 'property', name: '物业纠纷', share: 0.3 },
      { code: 'labour', name: '劳资纠纷', share: 0.1 },
    ],
  },
  {
    code: 'safety_hazard',
    name: '安全隐患',
    deadlineHours: 48,
    share: 0.13,
    subCategories: [
      { code: 'fire', name: '消防隐患', share: 0.4 },
      { code: 'gas', name: '燃气隐患', share: 0.2 },
      { code: 'building', name: '房屋安全', share: 0.25 },
      { code: 'traffic', name: '交通安全', share: 0.15 },
    ],
  },
  {
    code: 'public_order',
    name: '治安',
    deadlineHours: 24,
    share: 0.11,
    subCategories: [
      { code: 'theft', name: '盗窃', share: 0.3 },
      { code: 'noise', name: '噪声扰民', share: 0.5 },
      { code: 'gathering', name: '聚集滋事', share: 0.2 },
    ],
  },
  {
    code: 'sanitation',
    name: '环境卫生',
    deadlineHours: 72,
    share: 0.24,
    subCategories: [
      { code: 'garbage', name: '垃圾堆放', share: 0.6 },
      { code: 'sewage', name: '污水外溢', share: 0.25 },
      { code: 'pests', name: '病媒生物', share: 0.15 },
    ],
  },
  {
    code: 'street_order',
    name: '市容秩序',
    deadlineHours: 72,
    share: 0.22,
    subCategories: [
      { code: 'street_vendor', name: '占道经营', share: 0.35 },
      { code: 'illegal_parking', name: '违章停车', share: 0.45 },
      { code: 'illegal_construction', name: '违法建设', share: 0.2 },
    ],
  },
  {
    code: 'livelihood',
    name: '民生诉求',
    deadlineHours: 120,
    share: 0.16,
    subCategories: [
      { code: 'heating', name: '供暖', share: 0.3 },
      { code: 'water_supply', name: '供水', share: 0.3 },
      { code: 'elderly_care', name: '养老服务', share: 0.25 },
      { code: 'employment', name: '就业', share: 0.15 },
    ],
  },
];

export interface IncidentRecord {
  category: string;
  subCategory: string;
  source: IncidentSource;
  status: IncidentStatus;
  occurredAt: Date;
  reportedAt: Date;
  closedAt: Date | null;
  xy: XY;
  description: string;
  reporterName: string | null;
  reporterPhone: string | null;
  externalId: string;
}

const BASE_INCIDENTS = 23_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHINA_OFFSET = 8 * HOUR;

/** Source shares by category, in the order of SOURCES. */
const SOURCES: IncidentSource[] = ['grid_worker', 'hotline_12345', 'public', 'video', 'higher_level'];
const SOURCE_MIX: Record<string, number[]> = {
  dispute: [0.55, 0.2, 0.17, 0.01, 0.07],
  safety_hazard: [0.62, 0.14, 0.1, 0.1, 0.04],
  public_order: [0.42, 0.25, 0.18, 0.12, 0.03],
  sanitation: [0.66, 0.14, 0.08, 0.09, 0.03],
  street_order: [0.56, 0.12, 0.06, 0.22, 0.04],
  livelihood: [0.34, 0.44, 0.14, 0.0, 0.08],
};

/** Relative weight of each weekday (0 = Sunday) by source. */
const WEEKLY: Record<IncidentSource, number[]> = {
  grid_worker: [0.18, 1, 1, 1, 1, 0.95, 0.32],
  hotline_12345: [0.9, 1, 0.97, 0.95, 0.95, 0.95, 0.9],
  public: [1, 0.85, 0.85, 0.85, 0.85, 0.9, 1],
  video: [1, 1, 1, 1, 1, 1, 1],
  higher_level: [0.03, 1, 1, 1, 1, 1, 0.05],
};

/** Relative weight of each hour of the day by source. */
const HOURLY: Record<IncidentSource, number[]> = {
  grid_worker: [0, 0, 0, 0, 0, 0, 0.1, 0.5, 3, 8, 10, 9, 3, 2, 7, 10, 9, 6, 2, 0.6, 0.3, 0.1, 0, 0],
  hotline_12345: [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.6, 2, 5, 8, 8, 7, 4, 3, 5, 6, 6, 5, 4, 6, 7, 6, 3, 1],
  public: [0.1, 0, 0, 0, 0, 0.1, 0.5, 2, 5, 7, 7, 6, 4, 3, 5, 6, 6, 6, 6, 6, 5, 3, 1, 0.3],
  video: [1, 0.8, 0.6, 0.5, 0.5, 0.8, 2, 4, 6, 6, 6, 6, 5, 5, 6, 6, 6, 6, 6, 5, 4, 3, 2, 1.5],
  higher_level: [0, 0, 0, 0, 0, 0, 0, 0, 2, 8, 10, 8, 1, 1, 6, 9, 8, 5, 1, 0, 0, 0, 0, 0],
};
const NIGHT_HOURS = [3, 1, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 1, 3, 6, 9, 10, 8];

/** Day of the year (0-based) of a China-time date. */
function chinaDayOfYear(ms: number): number {
  const d = new Date(ms + CHINA_OFFSET);
  return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY);
}

/** Seasonal factor in [0, 1] of a sub-category on a China-time day of the year. */
function seasonal(sub: string, doy: number, month: number, day: number): number {
  const summer = 0.5 + 0.5 * Math.cos((2 * Math.PI * (doy - 196)) / 365); // 1 mid-July, 0 mid-January
  const winter = 1 - summer;
  switch (sub) {
    case 'garbage':
      return 0.55 + 0.45 * summer;
    case 'sewage':
      return 0.5 + 0.5 * summer;
    case 'pests':
      return 0.08 + 0.92 * summer * summer;
    case 'noise':
      return 0.7 + 0.3 * summer;
    case 'water_supply':
      return 0.65 + 0.35 * summer;
    case 'fire':
      return 0.7 + 0.3 * winter;
    case 'gas':
      return 0.55 + 0.45 * winter;
    case 'heating': {
      // Heating season 15 Nov – 15 Mar; most complaints in its first weeks.
      const inSeason = month === 11 ? day >= 15 : month === 12 || month <= 2 || (month === 3 && day <= 15);
      if (!inSeason) return 0.03;
      const early = (month === 11 && day >= 15) || (month === 12 && day <= 20);
      return early ? 1 : 0.6;
    }
    default:
      return 1;
  }
}

const TEMPLATES: Record<string, string[]> = {
  neighbour: ['{p}两户居民因楼上漏水发生纠纷，需协调处理。', '{p}邻里因噪音问题发生口角，请求调解。', '{p}住户因楼道堆物引发邻里矛盾。', '{p}居民因停车位归属发生争执。'],
  family: ['{p}一户居民因赡养老人问题发生家庭矛盾。', '{p}一户家庭因房产分割产生纠纷，请求调解。', '{p}居民反映家庭成员间长期不和，需上门疏导。'],
  property: ['{p}业主与物业因物业费收取标准产生纠纷。', '{p}居民反映物业服务不到位，电梯长期故障。', '{p}业主对公共收益分配有异议，与物业发生争执。'],
  labour: ['{p}附近务工人员反映被拖欠工资。', '{p}装修工人与业主因工钱结算发生纠纷。', '{p}附近商户员工反映未签订劳动合同。'],
  fire: ['{p}楼道内堆放杂物，堵塞消防通道。', '{p}电动车在楼道内充电，存在火灾隐患。', '{p}消防栓损坏，无法正常出水。', '{p}地下室私拉电线，存在消防隐患。'],
  gas: ['{p}居民闻到燃气异味，疑似管道泄漏。', '{p}附近餐饮店液化气瓶存放不规范。', '{p}燃气管道外露锈蚀，需检修。'],
  building: ['{p}外墙瓷砖脱落，存在高空坠物隐患。', '{p}楼顶防水层破损，墙体出现裂缝。', '{p}单元门雨棚松动，存在坠落风险。'],
  traffic: ['{p}附近路口信号灯故障。', '{p}门前路面塌陷，存在通行隐患。', '{p}附近道路井盖缺失。'],
  theft: ['{p}居民反映电动车电瓶被盗。', '{p}地下车库发生车辆被撬事件。', '{p}居民反映快递包裹多次丢失。'],
  noise: ['{p}附近夜间施工噪音扰民。', '{p}广场舞音响声音过大，影响居民休息。', '{p}附近烧烤店深夜噪音扰民。'],
  gathering: ['{p}门前有人员聚集，情绪较为激动。', '{p}附近有多人聚集打牌至深夜。', '{p}门口有人员聚集反映诉求。'],
  garbage: ['{p}垃圾桶满溢，未及时清运。', '{p}旁建筑垃圾随意堆放。', '{p}周边绿化带内有生活垃圾堆积。'],
  sewage: ['{p}污水井冒溢，气味难闻。', '{p}化粪池堵塞外溢。', '{p}门前雨污水管道堵塞，路面积水。'],
  pests: ['{p}周边老鼠较多，请求消杀。', '{p}绿化带蚊虫滋生，请求消杀。', '{p}垃圾站附近蟑螂较多。'],
  street_vendor: ['{p}门口流动摊贩占道经营。', '{p}附近早市摊点占用人行道，影响通行。', '{p}路边商户出店经营。'],
  illegal_parking: ['{p}门口车辆乱停乱放，堵塞消防通道。', '{p}附近人行道被机动车占用。', '{p}共享单车堆放杂乱，影响通行。'],
  illegal_construction: ['{p}顶楼住户私搭乱建。', '{p}一楼住户违规扩建小院。', '{p}附近商户违规搭建彩钢棚。'],
  heating: ['{p}居民反映暖气不热，室温偏低。', '{p}供暖管道漏水。', '{p}居民反映供暖费收取有异议。'],
  water_supply: ['{p}停水未提前通知。', '{p}自来水水压低，高层无法正常用水。', '{p}居民反映自来水发黄。'],
  elderly_care: ['{p}独居老人需要助餐服务。', '{p}高龄老人申请居家养老上门服务。', '{p}居民咨询高龄津贴办理事宜。'],
  employment: ['{p}居民咨询就业培训政策。', '{p}失业人员申请就业援助。', '{p}居民咨询灵活就业社保补贴。'],
};

interface Hotspot {
  centre: XY;
  sd: number;
  count: number;
  category: string;
  subs: [string, number][];
  sources: number[];
  place: string;
  grid: GridPlan;
  night?: boolean;
}

export interface IncidentInputs {
  anchorDate: Date;
  buildings: readonly BuildingRecord[];
  grids: readonly GridPlan[];
  staff: ReadonlyMap<string, DemoStaffMember[]>;
  district: PreparedArea;
}

export function generateIncidents(inputs: IncidentInputs, rng: Rng): IncidentRecord[] {
  const { anchorDate, buildings, grids, staff, district } = inputs;
  const r = rng;
  const end = anchorDate.getTime();
  if (!Number.isFinite(end)) throw new Error('anchorDate is not a valid date');
  const a = new Date(end);
  const start = Date.UTC(
    a.getUTCFullYear(),
    a.getUTCMonth() - 24,
    a.getUTCDate(),
    a.getUTCHours(),
    a.getUTCMinutes(),
    a.getUTCSeconds(),
    a.getUTCMilliseconds(),
  );
  // China-time midnight on or before the start; days are counted from there.
  const firstDay = Math.floor((start + CHINA_OFFSET) / DAY) * DAY - CHINA_OFFSET;
  const dayCount = Math.ceil((end - firstDay) / DAY);

  const catSampler = new WeightedSampler(INCIDENT_CATEGORIES.map((c) => c.share));
  const subSamplers = INCIDENT_CATEGORIES.map((c) => new WeightedSampler(c.subCategories.map((s) => s.share)));
  const sourceSamplers = new Map(Object.entries(SOURCE_MIX).map(([k, v]) => [k, new WeightedSampler(v)]));
  const hourSamplers = new Map(
    (Object.entries(HOURLY) as [IncidentSource, number[]][]).map(([k, v]) => [k, new WeightedSampler(v)]),
  );
  const nightSampler = new WeightedSampler(NIGHT_HOURS);
  const buildingSampler = new WeightedSampler(buildings.map((b) => b.residents));
  // Property-management disputes and heating complaints come from town: villages have neither.
  const townSampler = new WeightedSampler(buildings.map((b) => (b.age === 'village' ? 0 : b.residents)));
  const TOWN_ONLY = new Set(['property', 'heating']);
  const categoryOf = new Map(INCIDENT_CATEGORIES.map((c) => [c.code, c]));

  const drawTime = (sub: string, source: IncidentSource, night: boolean): number => {
    for (;;) {
      const dayIndex = Math.floor(r.next() * dayCount);
      const dayStart = firstDay + dayIndex * DAY;
      const local = new Date(dayStart + CHINA_OFFSET);
      const f =
        seasonal(sub, chinaDayOfYear(dayStart), local.getUTCMonth() + 1, local.getUTCDate()) *
        WEEKLY[source][local.getUTCDay()]! *
        (0.8 + 0.2 * (dayIndex / dayCount));
      if (r.next() >= f) continue;
      const hour = (night && (source === 'hotline_12345' || source === 'public') ? nightSampler : hourSamplers.get(source)!).draw(r);
      const t = dayStart + hour * HOUR + Math.floor(r.next() * HOUR);
      if (t >= start && t < end) return t;
    }
  };

  const jitter = (centre: XY, sd: number): XY => {
    for (let i = 0; i < 12; i++) {
      const p: XY = [centre[0] + r.normal(0, sd), centre[1] + r.normal(0, sd)];
      if (district.contains(p[0], p[1])) return p;
    }
    return [centre[0], centre[1]];
  };

  const reporter = (source: IncidentSource, grid: GridPlan): [string | null, string | null] => {
    switch (source) {
      case 'grid_worker': {
        const members = staff.get(grid.code) ?? [];
        const managers = members.filter((m) => m.role === 'manager');
        const m = managers.length > 0 && r.chance(0.85) ? r.pick(managers) : r.pick(members);
        return [m.name, m.phone];
      }
      case 'video':
        return r.chance(0.8) ? [null, null] : ['视频巡查', null];
      case 'higher_level':
        return [personName(r), landline(r)];
      default:
        return [personName(r), mobilePhone(r)];
    }
  };

  const drafts: Omit<IncidentRecord, 'externalId'>[] = [];
  const make = (
    categoryCode: string,
    sub: string,
    source: IncidentSource,
    xy: XY,
    place: string,
    grid: GridPlan,
    night: boolean,
  ): void => {
    const category = categoryOf.get(categoryCode)!;
    const reported = drawTime(sub, source, night);
    let delay: number;
    switch (source) {
      case 'grid_worker':
        delay = r.float(0, 2) * HOUR;
        break;
      case 'video':
        delay = r.float(0, 0.2) * HOUR;
        break;
      case 'higher_level':
        delay = r.float(4, 72) * HOUR;
        break;
      default:
        delay = Math.min(72, -Math.log(1 - r.next()) * 8) * HOUR;
    }
    const occurred = Math.max(start, reported - Math.round(delay));
    const deadline = category.deadlineHours;
    const onTime = r.chance(0.875);
    const hours = onTime
      ? deadline * (0.03 + 0.95 * Math.pow(r.next(), 1.8))
      : Math.min(deadline * (1.02 + -Math.log(1 - r.next()) * 0.6), deadline + 21 * 24);
    const duration = Math.round(hours * HOUR);
    const age = end - reported;
    let status: IncidentStatus;
    let closedAt: Date | null = null;
    if (r.chance(age > 30 * DAY ? 0.025 : 0.01)) {
      status = 'returned';
    } else if (age < 30 * DAY && r.chance(0.55 * (1 - age / (30 * DAY)))) {
      // Backlog of the last month: still somewhere in the workflow, later stages as it ages.
      const days = age / DAY;
      const stages: IncidentStatus[] = ['reported', 'accepted', 'dispatched', 'handling', 'verifying'];
      const weights = [3 * Math.exp(-days / 1.5), 2 * Math.exp(-days / 4), 1.2, 1.5, 0.4 + days / 15];
      status = stages[r.weightedIndex(weights)]!;
    } else if (reported + duration <= end) {
      status = 'closed';
      closedAt = new Date(reported + duration);
    } else {
      const f = age / duration;
      status = f < 0.05 ? 'reported' : f < 0.15 ? 'accepted' : f < 0.35 ? 'dispatched' : f < 0.8 ? 'handling' : 'verifying';
    }
    const [reporterName, reporterPhone] = reporter(source, grid);
    drafts.push({
      category: categoryCode,
      subCategory: sub,
      source,
      status,
      occurredAt: new Date(occurred),
      reportedAt: new Date(reported),
      closedAt,
      xy,
      description: r.pick(TEMPLATES[sub]!).replace('{p}', place),
      reporterName,
      reporterPhone,
    });
  };

  // Background incidents, near where people live.
  for (let i = 0; i < BASE_INCIDENTS; i++) {
    const ci = catSampler.draw(r);
    const category = INCIDENT_CATEGORIES[ci]!;
    const sub = category.subCategories[subSamplers[ci]!.draw(r)]!.code;
    const source = SOURCES[sourceSamplers.get(category.code)!.draw(r)]!;
    const b = buildings[(TOWN_ONLY.has(sub) ? townSampler : buildingSampler).draw(r)]!;
    const sd = b.age === 'village' ? 70 : category.code === 'street_order' ? 45 : 25;
    make(category.code, sub, source, jitter(b.xy, sd), b.name, b.grid, false);
  }

  // Hotspots.
  for (const h of hotspots(buildings, grids, r)) {
    const subSampler = new WeightedSampler(h.subs.map(([, w]) => w));
    const srcSampler = new WeightedSampler(h.sources);
    for (let i = 0; i < h.count; i++) {
      const sub = h.subs[subSampler.draw(r)]![0];
      make(h.category, sub, SOURCES[srcSampler.draw(r)]!, jitter(h.centre, h.sd), h.place, h.grid, h.night ?? false);
    }
  }

  // Chronological order and yearly case numbers: QD-2025-000123.
  const order = drafts.map((_, i) => i).sort((x, y) => drafts[x]!.reportedAt.getTime() - drafts[y]!.reportedAt.getTime() || x - y);
  const perYear = new Map<number, number>();
  return order.map((i) => {
    const d = drafts[i]!;
    const year = new Date(d.reportedAt.getTime() + CHINA_OFFSET).getUTCFullYear();
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    return { ...d, externalId: `QD-${year}-${String(n).padStart(6, '0')}` };
  });
}

function hotspots(buildings: readonly BuildingRecord[], grids: readonly GridPlan[], r: Rng): Hotspot[] {
  const out: Hotspot[] = [];
  // 1. A market: hawkers and parking around a market's dedicated grid.
  const markets = grids.filter((g) => g.dedicated?.kind === 'market');
  if (markets.length > 0) {
    const g = r.pick(markets);
    out.push({
      centre: g.area.interiorPoint(r),
      sd: 70,
      count: 420,
      category: 'street_order',
      subs: [
        ['street_vendor', 0.55],
        ['illegal_parking', 0.35],
        ['illegal_construction', 0.1],
      ],
      sources: [0.45, 0.2, 0.1, 0.22, 0.03],
      place: g.dedicated!.unit,
      grid: g,
    });
  }
  const urban = buildings.filter((b) => b.age !== 'village');
  const pickTop = (list: readonly BuildingRecord[], score: (b: BuildingRecord) => number): BuildingRecord => {
    const ranked = list.slice().sort((x, y) => score(y) - score(x));
    return r.pick(ranked.slice(0, Math.max(1, Math.min(5, ranked.length))));
  };
  // 2. An old compound with disputes between neighbours and with the property management.
  const old = urban.filter((b) => b.age === 'old');
  if (old.length > 0) {
    const b = pickTop(old, (x) => x.residents * (0.5 + x.grid.community.community.urbanity));
    out.push({
      centre: b.xy,
      sd: 30,
      count: 300,
      category: 'dispute',
      subs: [
        ['neighbour', 0.5],
        ['property', 0.4],
        ['family', 0.1],
      ],
      sources: [0.55, 0.2, 0.2, 0, 0.05],
      place: b.name,
      grid: b.grid,
    });
  }
  // 3. A village with rubbish and sewage problems.
  const village = buildings.filter((b) => b.age === 'village');
  if (village.length > 0) {
    const b = pickTop(village, (x) => x.residents);
    out.push({
      centre: b.xy,
      sd: 90,
      count: 260,
      category: 'sanitation',
      subs: [
        ['garbage', 0.6],
        ['sewage', 0.4],
      ],
      sources: [0.6, 0.2, 0.12, 0.05, 0.03],
      place: b.name,
      grid: b.grid,
    });
  }
  // 4. A late-night food street: noise and gatherings in the evening.
  const fresh = urban.filter((b) => b.age !== 'old' && b.kind === 'building');
  if (fresh.length > 0) {
    const b = pickTop(fresh, (x) => x.residents * x.grid.community.community.urbanity);
    out.push({
      centre: b.xy,
      sd: 60,
      count: 240,
      category: 'public_order',
      subs: [
        ['noise', 0.8],
        ['gathering', 0.2],
      ],
      sources: [0.25, 0.45, 0.25, 0.05, 0],
      place: b.name,
      grid: b.grid,
      night: true,
    });
  }
  return out;
}
