/**
 * Service facilities (党群服务中心, 日间照料中心, 养老服务站, …) of the demo district.
 *
 * Facilities are sited where people live: a host community is drawn in proportion to its
 * residents (or its residents aged 60+ for elderly services), then a building of that community in
 * proportion to its residents, and the facility is put 15–60 m from that building (further for
 * emergency shelters, which sit on squares and in parks), inside the community.
 */
import type { BuildingRecord } from './buildings.js';
import { PreparedArea, type XY } from './geometry.js';
import type { Division } from './inputs.js';
import { chineseNumber, communityRoad, communityShortName, landline } from './names.js';
import type { CommunityPlan } from './population.js';
import { WeightedSampler, type Rng } from './rng.js';
import type { FacilityType } from './types.js';

export interface FacilityRecord {
  facilityType: FacilityType;
  name: string;
  address: string;
  xy: XY;
  phone: string | null;
  openingHours: string | null;
  services: string[];
  capacity: number | null;
  isPublic: boolean;
}

interface CommunityInfo {
  plan: CommunityPlan;
  street: Division;
  short: string;
  road: string;
  area: PreparedArea;
  buildings: BuildingRecord[];
  residents: number;
  residents60Plus: number;
}

/** Facility counts; party-mass centres and day-care centres are fixed figures of the district. */
export const FACILITY_COUNTS: Record<FacilityType, number> = {
  party_mass_service_centre: 141,
  community_service_centre: 20,
  day_care_centre: 21,
  home_elderly_care_station: 60,
  elderly_canteen: 40,
  care_home: 8,
  volunteer_station: 30,
  home_for_disabled: 6,
  health_station: 35,
  emergency_shelter: 15,
  convenience_station: 50,
};

/** How many facilities of a type are not open to the public (private or internal). */
const NOT_PUBLIC: Partial<Record<FacilityType, number>> = {
  care_home: 3,
  convenience_station: 10,
  health_station: 4,
  home_elderly_care_station: 4,
};

const CARE_HOMES = [
  '秦都区社会福利院', '咸阳颐和养老院', '秦都区康乐敬老院', '渭滨颐养中心', '上林康养中心', '秦都区中心敬老院',
  '福寿园老年公寓', '夕阳红养老院',
];

interface Spec {
  services: string[][];
  hours: string[];
  capacity: [number, number] | null;
  /** Weight of a host community. */
  weight: (c: CommunityInfo) => number;
  urbanOnly?: boolean;
}

const byResidents = (c: CommunityInfo): number => c.residents;
const byElderly = (c: CommunityInfo): number => c.residents60Plus;

const SPECS: Record<Exclude<FacilityType, 'party_mass_service_centre' | 'care_home' | 'home_for_disabled'>, Spec> = {
  community_service_centre: {
    services: [['政务代办', '社保医保', '就业服务', '法律咨询'], ['政务代办', '文体活动', '便民维修', '法律咨询']],
    hours: ['08:30-17:30', '09:00-17:30'],
    capacity: null,
    weight: byResidents,
    urbanOnly: true,
  },
  day_care_centre: {
    services: [
      ['日间照料', '助餐', '康复护理', '文体活动'],
      ['日间照料', '助餐', '助浴', '心理疏导'],
      ['日间照料', '康复护理', '医疗保健', '文体活动'],
    ],
    hours: ['08:00-18:00', '08:30-17:30'],
    capacity: [20, 60],
    weight: byElderly,
    urbanOnly: true,
  },
  home_elderly_care_station: {
    services: [['助餐', '助洁', '助浴', '上门探访'], ['助餐', '医疗保健', '心理疏导'], ['助洁', '助浴', '康复护理']],
    hours: ['08:30-17:30', '09:00-17:00'],
    capacity: [10, 30],
    weight: byElderly,
  },
  elderly_canteen: {
    services: [['助餐', '送餐上门'], ['助餐']],
    hours: ['10:30-13:30', '11:00-18:30', '10:30-18:00'],
    capacity: [30, 120],
    weight: byElderly,
  },
  volunteer_station: {
    services: [['志愿服务', '便民维修', '文体活动'], ['志愿服务', '心理疏导', '法律咨询']],
    hours: ['09:00-17:00', '08:30-17:30'],
    capacity: null,
    weight: byResidents,
  },
  health_station: {
    services: [['医疗保健', '慢病管理', '预防接种'], ['医疗保健', '健康咨询', '康复护理']],
    hours: ['08:00-20:00', '08:00-18:00'],
    capacity: null,
    weight: byResidents,
  },
  emergency_shelter: {
    services: [['应急避难', '物资储备', '医疗救护']],
    hours: ['00:00-24:00'],
    capacity: [1000, 8000],
    weight: byResidents,
  },
  convenience_station: {
    services: [['便民维修', '快递代收', '政务代办'], ['便民维修', '家政服务', '快递代收']],
    hours: ['08:00-20:00', '08:30-18:00'],
    capacity: null,
    weight: byResidents,
  },
};

const NAME_SUFFIX: Record<keyof typeof SPECS, string[]> = {
  community_service_centre: ['综合服务中心'],
  day_care_centre: ['日间照料中心'],
  home_elderly_care_station: ['居家养老服务站'],
  elderly_canteen: ['老年助餐点', '幸福食堂'],
  volunteer_station: ['新时代文明实践志愿服务站'],
  health_station: ['卫生服务站'],
  emergency_shelter: ['应急避难场所'],
  convenience_station: ['便民服务站'],
};

/** Weighted draws without replacement. */
function drawDistinct<T>(items: readonly T[], weights: readonly number[], n: number, r: Rng): T[] {
  const w = weights.slice();
  const out: T[] = [];
  for (let k = 0; k < n && w.some((x) => x > 0); k++) {
    const i = r.weightedIndex(w);
    out.push(items[i]!);
    w[i] = 0;
  }
  if (out.length < n) throw new Error(`drawDistinct: only ${out.length} of ${n}`);
  return out;
}

export function generateFacilities(
  plans: readonly CommunityPlan[],
  streets: readonly Division[],
  buildings: readonly BuildingRecord[],
  rng: Rng,
): FacilityRecord[] {
  const r = rng;
  const streetOf = new Map(streets.map((s) => [s.code, s]));
  const byCommunity = new Map<string, BuildingRecord[]>();
  for (const b of buildings) {
    const code = b.grid.community.community.division.code;
    const list = byCommunity.get(code) ?? [];
    list.push(b);
    byCommunity.set(code, list);
  }
  const infos: CommunityInfo[] = plans.map((plan) => {
    const d = plan.community.division;
    const own = byCommunity.get(d.code) ?? [];
    const short = communityShortName(d.name);
    return {
      plan,
      street: streetOf.get(d.parentCode)!,
      short,
      road: communityRoad(short, r),
      area: new PreparedArea(plan.community.geometry),
      buildings: own,
      residents: own.reduce((s, b) => s + b.residents, 0),
      residents60Plus: own.reduce((s, b) => s + b.residents60Plus, 0),
    };
  });

  const siteNear = (info: CommunityInfo, minD: number, maxD: number, elderly = false): XY => {
    const sampler = new WeightedSampler(info.buildings.map((b) => (elderly ? b.residents60Plus + 1 : b.residents)));
    const b = info.buildings[sampler.draw(r)]!;
    for (let i = 0; i < 30; i++) {
      const a = r.float(0, 2 * Math.PI);
      const d = r.float(minD, maxD);
      const p: XY = [b.xy[0] + d * Math.cos(a), b.xy[1] + d * Math.sin(a)];
      if (info.area.containsWithMargin(p[0], p[1], 3)) return p;
    }
    return [b.xy[0], b.xy[1]];
  };
  const address = (info: CommunityInfo): string =>
    info.plan.community.village
      ? `${info.street.name}${info.short}${chineseNumber(r.int(1, 8))}组`
      : `${info.street.name}${info.road}${r.int(1, 260)}号`;

  const out: FacilityRecord[] = [];
  const push = (f: Omit<FacilityRecord, 'isPublic'>): void => {
    out.push({ ...f, isPublic: true });
  };

  // 党群服务中心 "心心秦家": one per street, and one in each of 129 communities chosen by residents.
  const streetLevel = FACILITY_COUNTS.party_mass_service_centre - 129;
  const streetHosts = streets.slice(0, streetLevel).map((s) => {
    const own = infos.filter((c) => c.street.code === s.code && c.buildings.length > 0);
    return own[r.weightedIndex(own.map((c) => c.residents))]!;
  });
  streetHosts.forEach((info) => {
    push({
      facilityType: 'party_mass_service_centre',
      name: `心心秦家·${info.street.name}党群服务中心`,
      address: address(info),
      xy: siteNear(info, 15, 60),
      phone: landline(r),
      openingHours: '08:30-17:30',
      services: ['政务代办', '党员活动', '文体活动', '法律咨询', '心理疏导', '便民服务'],
      capacity: null,
    });
  });
  const withPeople = infos.filter((c) => c.buildings.length > 0);
  for (const info of drawDistinct(withPeople, withPeople.map(byResidents), 129, r)) {
    push({
      facilityType: 'party_mass_service_centre',
      name: `心心秦家·${info.short}党群服务中心`,
      address: address(info),
      xy: siteNear(info, 15, 60),
      phone: landline(r),
      openingHours: r.pick(['08:30-17:30', '08:30-18:00', '09:00-17:30']),
      services: r.pick([
        ['政务代办', '党员活动', '文体活动', '法律咨询'],
        ['政务代办', '文体活动', '心理疏导', '便民维修'],
        ['政务代办', '党员活动', '助餐', '文体活动'],
      ]),
      capacity: null,
    });
  }

  // Street-level institutions: care homes (named) and homes for the disabled (one per street).
  const streetInfos = (n: number, elderly: boolean): CommunityInfo[] =>
    drawDistinct(withPeople, withPeople.map(elderly ? byElderly : byResidents), n, r);
  streetInfos(FACILITY_COUNTS.care_home, true).forEach((info, k) => {
    push({
      facilityType: 'care_home',
      name: CARE_HOMES[k % CARE_HOMES.length]!,
      address: address(info),
      xy: siteNear(info, 30, 120, true),
      phone: landline(r),
      openingHours: '00:00-24:00',
      services: ['康复护理', '医疗保健', '助浴', '助餐', '文体活动', '心理疏导'],
      capacity: r.int(6, 30) * 10,
    });
  });
  const disabledStreets = r.shuffled(streets).slice(0, FACILITY_COUNTS.home_for_disabled);
  for (const s of disabledStreets.sort((a, b) => a.code.localeCompare(b.code))) {
    const own = withPeople.filter((c) => c.street.code === s.code);
    const info = own[r.weightedIndex(own.map(byResidents))]!;
    push({
      facilityType: 'home_for_disabled',
      name: `${s.name}残疾人之家`,
      address: address(info),
      xy: siteNear(info, 15, 60),
      phone: landline(r),
      openingHours: '08:30-17:30',
      services: ['康复护理', '日间照料', '职业培训', '文体活动'],
      capacity: r.int(20, 50),
    });
  }

  // Community-level facilities.
  for (const type of Object.keys(SPECS) as (keyof typeof SPECS)[]) {
    const spec = SPECS[type];
    const pool = withPeople.filter((c) => !spec.urbanOnly || !c.plan.community.village);
    const hosts = drawDistinct(pool, pool.map(spec.weight), FACILITY_COUNTS[type], r);
    const shelter = type === 'emergency_shelter';
    for (const info of hosts) {
      const cap = spec.capacity;
      push({
        facilityType: type,
        name: `${info.short}${r.pick(NAME_SUFFIX[type])}`,
        address: address(info),
        xy: shelter ? siteNear(info, 60, 200) : siteNear(info, 15, 60, spec.weight === byElderly),
        phone: type === 'emergency_shelter' || (type === 'volunteer_station' && r.chance(0.3)) ? null : landline(r),
        openingHours: r.pick(spec.hours),
        services: r.pick(spec.services),
        capacity: cap ? (shelter ? r.int(cap[0] / 100, cap[1] / 100) * 100 : r.int(cap[0], cap[1])) : null,
      });
    }
  }

  // A few facilities are not open to the public (private care homes, internal stations).
  for (const [type, n] of Object.entries(NOT_PUBLIC) as [FacilityType, number][]) {
    const ofType = out.filter((f) => f.facilityType === type);
    for (const f of r.shuffled(ofType).slice(0, n)) f.isPublic = false;
  }
  return out;
}
