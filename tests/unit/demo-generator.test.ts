import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as turf from '@turf/turf';
import type { Feature, LineString, MultiPolygon } from 'geojson';
import { generateDemoDistrict } from '../../server/demo/generate.js';
import { INCIDENT_CATEGORIES } from '../../server/demo/incidents.js';
import { orderForEncoding } from '../../server/modules/grids/encoding.js';
import {
  FACILITY_TYPES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  type DemoArea,
  type DemoDataset,
  type DemoGrid,
} from '../../server/demo/types.js';

/** Same anchor as the rest of the test suite (tests/helpers/constants.ts). */
const ANCHOR = new Date(Date.UTC(2026, 10, 1));
const DAY = 86_400_000;

const sha256 = (d: DemoDataset): string => createHash('sha256').update(JSON.stringify(d)).digest('hex');
const feature = (g: MultiPolygon): Feature<MultiPolygon> => turf.feature(g);
const area = (g: MultiPolygon): number => turf.area(feature(g));
const isUrbanCode = (code: string): boolean => Number(code.slice(9, 12)) < 200;

/** Point-in-polygon lookups over many polygons with a bounding-box prefilter. */
class PolygonIndex<T extends { geometry: MultiPolygon }> {
  private readonly boxes: { item: T; bbox: number[] }[];
  constructor(items: readonly T[]) {
    this.boxes = items.map((item) => ({ item, bbox: turf.bbox(item.geometry) }));
  }
  containing(p: number[]): T[] {
    const [x, y] = p as [number, number];
    return this.boxes
      .filter(({ bbox }) => x >= bbox[0]! && x <= bbox[2]! && y >= bbox[1]! && y <= bbox[3]!)
      .filter(({ item }) => turf.booleanPointInPolygon(p, item.geometry))
      .map(({ item }) => item);
  }
}

let data: DemoDataset;
let district: DemoArea;
let streets: DemoArea[];
let communities: DemoArea[];
let gridIndex: PolygonIndex<DemoGrid>;
let gridOfBuilding: DemoGrid[];

beforeAll(() => {
  data = generateDemoDistrict({ anchorDate: ANCHOR });
  district = data.areas.find((a) => a.level === 'district')!;
  streets = data.areas.filter((a) => a.level === 'street');
  communities = data.areas.filter((a) => a.level === 'community');
  gridIndex = new PolygonIndex(data.grids);
  gridOfBuilding = data.buildings.map((b) => {
    const found = gridIndex.containing(b.geometry.coordinates);
    expect(found, `building ${b.name} lies in exactly one grid`).toHaveLength(1);
    return found[0]!;
  });
});

describe('demo district: areas', () => {
  it('has the district, its 12 streets and 186 communities from the division list', () => {
    const csv = fs
      .readFileSync(new URL('../../data/divisions-610402-qindu.csv', import.meta.url), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((line) => line.split(','));
    expect(data.areas).toHaveLength(199);
    expect(district).toMatchObject({ code: '610402', name: '秦都区', parentCode: null });
    expect(streets.map((s) => [s.code, s.name, s.parentCode])).toEqual(
      csv.filter((r) => r[0] === 'street').map((r) => [r[1], r[2], r[3]]),
    );
    expect(communities.map((c) => [c.code, c.name, c.parentCode])).toEqual(
      csv.filter((r) => r[0] === 'community').map((r) => [r[1], r[2], r[3]]),
    );
    expect(communities.filter((c) => isUrbanCode(c.code))).toHaveLength(128);
    for (const a of data.areas) {
      expect(a.geometry.type).toBe('MultiPolygon');
      expect(a.geometry.coordinates.length).toBeGreaterThan(0);
    }
  });

  it('covers the repaired district outline: one valid polygon of about 260 km², WGS84', () => {
    expect(district.geometry.coordinates).toHaveLength(1);
    expect(turf.booleanValid(district.geometry)).toBe(true);
    expect(turf.kinks(turf.polygon(district.geometry.coordinates[0]!)).features).toHaveLength(0);
    const km2 = area(district.geometry) / 1e6;
    expect(km2).toBeGreaterThan(255);
    expect(km2).toBeLessThan(265);
    const [w, s, e, n] = turf.bbox(district.geometry);
    // The source outline (GCJ-02) spans 108.5654–108.8027 E; WGS84 lies ~0.005° further west.
    expect(w).toBeGreaterThan(108.55);
    expect(e).toBeLessThan(108.8);
    expect(s).toBeGreaterThan(34.2);
    expect(n).toBeLessThan(34.5);
  });

  it('tiles every parent exactly with its children (areas add up within 1 m² per child)', () => {
    const check = (parent: DemoArea | { code: string; geometry: MultiPolygon }, children: { geometry: MultiPolygon }[]) => {
      expect(children.length).toBeGreaterThan(0);
      const sum = children.reduce((s, c) => s + area(c.geometry), 0);
      expect(Math.abs(sum - area(parent.geometry)), `children of ${parent.code}`).toBeLessThan(children.length);
    };
    check(district, streets);
    for (const s of streets) check(s, communities.filter((c) => c.parentCode === s.code));
    for (const c of communities) check(c, data.grids.filter((g) => g.communityCode === c.code));
  });

  it('has no overlaps: the union of the grids of a community is the community', () => {
    const sample = communities.filter((_, i) => i % 12 === 0);
    for (const c of sample) {
      const grids = data.grids.filter((g) => g.communityCode === c.code);
      const union = grids.length === 1 ? feature(grids[0]!.geometry) : turf.union(turf.featureCollection(grids.map((g) => feature(g.geometry))));
      expect(Math.abs(area(union!.geometry as MultiPolygon) - area(c.geometry)), c.code).toBeLessThan(1);
    }
  });

  it('puts every point of the district in exactly one street, community and grid, nested', () => {
    const streetIndex = new PolygonIndex(streets);
    const communityIndex = new PolygonIndex(communities);
    const points = turf.randomPoint(3000, { bbox: turf.bbox(district.geometry) as [number, number, number, number] });
    let inside = 0;
    for (const p of points.features) {
      const xy = p.geometry.coordinates;
      if (!turf.booleanPointInPolygon(xy, district.geometry)) continue;
      inside++;
      const s = streetIndex.containing(xy);
      const c = communityIndex.containing(xy);
      const g = gridIndex.containing(xy);
      expect([s.length, c.length, g.length]).toEqual([1, 1, 1]);
      expect(c[0]!.parentCode).toBe(s[0]!.code);
      expect(g[0]!.communityCode).toBe(c[0]!.code);
    }
    expect(inside).toBeGreaterThan(1000);
  });

  it('keeps each street and community in one piece, towns small and villages large', () => {
    for (const a of [...streets, ...communities]) expect(a.geometry.coordinates, a.code).toHaveLength(1);
    const urban = communities.filter((c) => isUrbanCode(c.code)).map((c) => area(c.geometry) / 1e6);
    const villages = communities.filter((c) => !isUrbanCode(c.code)).map((c) => area(c.geometry) / 1e6);
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    expect(median(urban)).toBeGreaterThan(0.2);
    expect(median(urban)).toBeLessThan(1.2);
    expect(median(villages)).toBeGreaterThan(2 * median(urban));
    const streetArea = (code: string) => area(streets.find((s) => s.code === code)!.geometry) / 1e6;
    for (const code of ['610402001', '610402002', '610402003', '610402006', '610402009']) {
      expect(streetArea(code)).toBeLessThan(20);
    }
    expect(streetArea('610402011')).toBeGreaterThan(40);
    expect(streetArea('610402012')).toBeGreaterThan(30);
  });
});

describe('demo district: grids', () => {
  it('has exactly 893 urban grids, at least 3 per urban community, 1–4 per village', () => {
    const urban = data.grids.filter((g) => isUrbanCode(g.communityCode));
    expect(urban).toHaveLength(893);
    for (const c of communities) {
      const n = data.grids.filter((g) => g.communityCode === c.code).length;
      if (isUrbanCode(c.code)) expect(n, c.code).toBeGreaterThanOrEqual(3);
      else {
        expect(n, c.code).toBeGreaterThanOrEqual(1);
        expect(n, c.code).toBeLessThanOrEqual(4);
      }
    }
    expect(new Set(data.grids.map((g) => g.code)).size).toBe(data.grids.length);
  });

  it('has 15–25 dedicated grids in town, empty of people and buildings', () => {
    const dedicated = data.grids.filter((g) => g.gridType === 'dedicated');
    expect(dedicated.length).toBeGreaterThanOrEqual(15);
    expect(dedicated.length).toBeLessThanOrEqual(25);
    for (const g of dedicated) {
      expect(isUrbanCode(g.communityCode)).toBe(true);
      expect(['party_government', 'industrial_park', 'hospital', 'school', 'enterprise', 'market']).toContain(g.dedicatedKind);
      expect([g.households, g.residents, g.residents60Plus, g.residents80Plus]).toEqual([0, 0, 0, 0]);
      expect(g.name).toMatch(/专属网格$/);
      expect(gridOfBuilding.includes(g)).toBe(false);
    }
    for (const g of data.grids.filter((x) => x.gridType === 'comprehensive')) expect(g.dedicatedKind).toBeNull();
  });

  it('codes grids by the coding rule: 001… west→east then north→south, dedicated from 901', () => {
    for (const c of communities) {
      const grids = data.grids.filter((g) => g.communityCode === c.code);
      for (const g of grids) expect(g.code).toMatch(new RegExp(`^${c.code}\\d{3}$`));
      // Area-weighted centroids (turf.centerOfMass of a Polygon; on a MultiPolygon it would use the hull).
      const items = grids.map((g) => {
        expect(g.geometry.coordinates).toHaveLength(1);
        return { g, centroid: turf.centerOfMass(turf.polygon(g.geometry.coordinates[0]!)).geometry.coordinates as [number, number] };
      });
      const ordered = orderForEncoding(items, { areaM2: area(c.geometry) });
      const comprehensive = ordered.filter((i) => i.g.gridType === 'comprehensive').map((i) => Number(i.g.code.slice(12)));
      const dedicated = ordered.filter((i) => i.g.gridType === 'dedicated').map((i) => Number(i.g.code.slice(12)));
      expect(comprehensive, c.code).toEqual(comprehensive.map((_, k) => k + 1));
      expect(dedicated, c.code).toEqual(dedicated.map((_, k) => 901 + k));
    }
  });

  it('names grids after their community', () => {
    const byCode = new Map(communities.map((c) => [c.code, c]));
    expect(data.grids.find((g) => g.code === '610402001001001')!.name).toBe('乐育北路社区第1网格');
    for (const g of data.grids.filter((x) => x.gridType === 'comprehensive')) {
      const seq = Number(g.code.slice(12));
      expect(g.name).toMatch(new RegExp(`^[\\u4e00-\\u9fa5〇]+(社区|村)第${seq}网格$`));
      const base = byCode.get(g.communityCode)!.name.replace(/(社区)?(居委会|居民委员会|村委会)$/, '');
      expect(g.name.startsWith(base)).toBe(true);
    }
  });

  it("adds up each grid's figures from the buildings inside it", () => {
    const sums = new Map<DemoGrid, number[]>();
    data.buildings.forEach((b, i) => {
      const s = sums.get(gridOfBuilding[i]!) ?? [0, 0, 0, 0];
      s[0]! += b.households;
      s[1]! += b.residents;
      s[2]! += b.residents60Plus;
      s[3]! += b.residents80Plus;
      sums.set(gridOfBuilding[i]!, s);
    });
    for (const g of data.grids) {
      expect([g.households, g.residents, g.residents60Plus, g.residents80Plus], g.code).toEqual(sums.get(g) ?? [0, 0, 0, 0]);
      if (g.gridType === 'comprehensive') expect(g.households, g.code).toBeGreaterThan(0);
    }
  });

  it('spreads households evenly over the comprehensive grids of a community (±10%)', () => {
    for (const c of communities) {
      const hh = data.grids.filter((g) => g.communityCode === c.code && g.gridType === 'comprehensive').map((g) => g.households);
      const mean = hh.reduce((a, b) => a + b, 0) / hh.length;
      for (const h of hh) expect(Math.abs(h - mean) / mean, c.code).toBeLessThanOrEqual(0.1);
    }
    const urban = data.grids.filter((g) => isUrbanCode(g.communityCode) && g.gridType === 'comprehensive');
    const avg = urban.reduce((s, g) => s + g.households, 0) / urban.length;
    expect(avg).toBeGreaterThan(200);
    expect(avg).toBeLessThan(300);
  });

  it('staffs every grid with one leader and at least one manager, 1,219 managers in all', () => {
    let managers = 0;
    for (const g of data.grids) {
      expect(g.staff.filter((s) => s.role === 'leader'), g.code).toHaveLength(1);
      const m = g.staff.filter((s) => s.role === 'manager').length;
      expect(m, g.code).toBeGreaterThanOrEqual(1);
      managers += m;
      for (const s of g.staff) {
        expect(s.name).toMatch(/^[\u4e00-\u9fa5]{2,3}$/);
        expect(s.phone).toMatch(/^1[3-9]\d{9}$/);
      }
    }
    expect(managers).toBe(1219);
    // The extra managers go to the grids with the most households.
    const withExtra = data.grids.filter((g) => g.staff.length > 2);
    const minExtra = Math.min(...withExtra.map((g) => g.households));
    const maxSingle = Math.max(...data.grids.filter((g) => g.staff.length === 2).map((g) => g.households));
    expect(minExtra).toBeGreaterThanOrEqual(maxSingle);
  });
});

describe('demo district: buildings', () => {
  it('holds exactly 669,700 residents with plausible households and ages', () => {
    const sum = (f: (b: DemoDataset['buildings'][number]) => number) => data.buildings.reduce((s, b) => s + f(b), 0);
    const residents = sum((b) => b.residents);
    expect(residents).toBe(669_700);
    const households = sum((b) => b.households);
    expect(residents / households).toBeGreaterThan(2.55);
    expect(residents / households).toBeLessThan(2.85);
    const s60 = sum((b) => b.residents60Plus) / residents;
    const s80 = sum((b) => b.residents80Plus) / residents;
    expect(s60).toBeGreaterThan(0.17);
    expect(s60).toBeLessThan(0.19);
    expect(s80).toBeGreaterThan(0.02);
    expect(s80).toBeLessThan(0.03);
    expect(data.buildings.length).toBeGreaterThanOrEqual(5000);
    expect(data.buildings.length).toBeLessThanOrEqual(10000);
    for (const b of data.buildings) {
      expect(b.households).toBeGreaterThan(0);
      expect(b.residents).toBeGreaterThanOrEqual(b.households);
      expect(b.residents60Plus).toBeLessThanOrEqual(b.residents);
      expect(b.residents80Plus).toBeLessThanOrEqual(b.residents60Plus);
      expect(['building', 'compound']).toContain(b.kind);
      expect(b.name.length).toBeGreaterThan(1);
    }
    expect(new Set(data.buildings.map((b) => b.name)).size).toBe(data.buildings.length);
  });

  it('puts most people in the urban communities, 1,000–3,000 in each village', () => {
    const communityResidents = new Map<string, number>();
    data.grids.forEach((g) => communityResidents.set(g.communityCode, (communityResidents.get(g.communityCode) ?? 0) + g.residents));
    let urban = 0;
    for (const [code, r] of communityResidents) {
      if (isUrbanCode(code)) urban += r;
      else {
        expect(r, code).toBeGreaterThanOrEqual(1000);
        expect(r, code).toBeLessThanOrEqual(3000);
      }
    }
    expect(urban / 669_700).toBeGreaterThan(0.75);
  });

  it('keeps buildings strictly inside comprehensive grids, at least 5 m from the boundary', () => {
    const boundaries = new Map<DemoGrid, Feature<LineString>[]>();
    data.buildings.forEach((b, i) => {
      const g = gridOfBuilding[i]!;
      expect(g.gridType).toBe('comprehensive');
      if (!boundaries.has(g)) boundaries.set(g, g.geometry.coordinates.flatMap((poly) => poly.map((ring) => turf.lineString(ring))));
      const d = Math.min(
        ...boundaries.get(g)!.map((line) => turf.pointToLineDistance(b.geometry.coordinates, line, { units: 'meters' })),
      );
      expect(d, b.name).toBeGreaterThanOrEqual(5);
    });
  });
});

describe('demo district: facilities', () => {
  it('has 141 party-mass service centres and 21 day-care centres, all public', () => {
    const count = (t: string) => data.facilities.filter((f) => f.facilityType === t).length;
    expect(count('party_mass_service_centre')).toBe(141);
    expect(count('day_care_centre')).toBe(21);
    for (const t of FACILITY_TYPES) expect(count(t), t).toBeGreaterThan(0);
    for (const f of data.facilities) {
      expect(FACILITY_TYPES).toContain(f.facilityType);
      if (f.facilityType === 'party_mass_service_centre' || f.facilityType === 'day_care_centre') expect(f.isPublic).toBe(true);
    }
    const privateShare = data.facilities.filter((f) => !f.isPublic).length / data.facilities.length;
    expect(privateShare).toBeGreaterThan(0.02);
    expect(privateShare).toBeLessThan(0.08);
  });

  it('sites facilities inside the district near where people live, with plausible details', () => {
    for (const f of data.facilities) {
      expect(turf.booleanPointInPolygon(f.geometry.coordinates, district.geometry), f.name).toBe(true);
      expect(f.name.length).toBeGreaterThan(3);
      expect(f.address).toMatch(/^[\u4e00-\u9fa5]+街道/);
      if (f.phone !== null) expect(f.phone).toMatch(/^029-3\d{7}$/);
      if (f.openingHours !== null) expect(f.openingHours).toMatch(/^\d{2}:\d{2}-\d{2}:\d{2}$/);
      expect(f.services.length).toBeGreaterThan(0);
      if (f.capacity !== null) expect(f.capacity).toBeGreaterThan(0);
      // Within 300 m of some building.
      const p = f.geometry.coordinates;
      const near = data.buildings.some((b) => turf.distance(p, b.geometry.coordinates, { units: 'meters' }) < 300);
      expect(near, f.name).toBe(true);
    }
  });
});

describe('demo district: incidents', () => {
  const categories = new Map(INCIDENT_CATEGORIES.map((c) => [c.code, c]));

  it('has 20,000+ valid incidents in the 24 months before the anchor date', () => {
    expect(data.incidents.length).toBeGreaterThanOrEqual(20_000);
    expect(data.incidents.length).toBeLessThanOrEqual(30_000);
    const start = Date.UTC(2024, 10, 1);
    const end = ANCHOR.getTime();
    // Collect problems instead of calling expect() 24,000 times (much faster).
    const problems: string[] = [];
    const check = (ok: boolean, what: string, id: string) => {
      if (!ok && problems.length < 10) problems.push(`${id}: ${what}`);
    };
    for (const i of data.incidents) {
      const id = i.externalId;
      const cat = categories.get(i.category);
      check(cat !== undefined, `category ${i.category}`, id);
      check(cat?.subCategories.some((s) => s.code === i.subCategory) ?? false, `sub-category ${i.subCategory}`, id);
      check((INCIDENT_SOURCES as readonly string[]).includes(i.source), `source ${i.source}`, id);
      check((INCIDENT_STATUSES as readonly string[]).includes(i.status), `status ${i.status}`, id);
      const reported = i.reportedAt.getTime();
      check(reported >= start && reported < end, 'reported in the period', id);
      check(i.occurredAt.getTime() <= reported && i.occurredAt.getTime() >= start, 'occurred before reported', id);
      check((i.status === 'closed') === (i.closedAt !== null), 'closedAt iff closed', id);
      if (i.closedAt) check(i.closedAt.getTime() > reported && i.closedAt.getTime() <= end, 'closed after reported', id);
      check(/^QD-20\d{2}-\d{6}$/.test(id), 'external id format', id);
      check(i.description.length > 5, 'description', id);
      if (i.source !== 'video') check(Boolean(i.reporterName && i.reporterPhone), 'reporter', id);
      if (i.reporterPhone) check(/^(1[3-9]\d{9}|029-3\d{7})$/.test(i.reporterPhone), 'reporter phone', id);
    }
    expect(problems).toEqual([]);
    expect(new Set(data.incidents.map((i) => i.externalId)).size).toBe(data.incidents.length);
    // Sorted by report time, numbered per year.
    for (let k = 1; k < data.incidents.length; k++) {
      check(data.incidents[k]!.reportedAt >= data.incidents[k - 1]!.reportedAt, 'chronological', data.incidents[k]!.externalId);
    }
    expect(problems).toEqual([]);
  });

  it('lies inside the district, near people', () => {
    const outside = data.incidents.filter((i) => !turf.booleanPointInPolygon(i.geometry.coordinates, district.geometry));
    expect(outside.map((i) => i.externalId)).toEqual([]);
    // Most incidents fall in urban communities, where most people live.
    const urbanGrids = data.grids.filter((g) => isUrbanCode(g.communityCode));
    const urbanIndex = new PolygonIndex(urbanGrids);
    const sample = data.incidents.filter((_, k) => k % 20 === 0);
    const inTown = sample.filter((i) => urbanIndex.containing(i.geometry.coordinates).length > 0).length;
    expect(inTown / sample.length).toBeGreaterThan(0.7);
  });

  it('has plausible shares of categories and sources', () => {
    const share = (f: (i: DemoDataset['incidents'][number]) => boolean) => data.incidents.filter(f).length / data.incidents.length;
    for (const c of INCIDENT_CATEGORIES) {
      expect(share((i) => i.category === c.code), c.code).toBeGreaterThan(0.05);
      expect(share((i) => i.category === c.code), c.code).toBeLessThan(0.35);
    }
    const bySource = INCIDENT_SOURCES.map((s) => share((i) => i.source === s));
    expect(bySource[0]).toBeGreaterThan(0.4); // grid_worker
    expect(bySource[0]!).toBeGreaterThan(bySource[1]!);
    expect(bySource[1]!).toBeGreaterThan(bySource[2]!);
    expect(bySource[1]!).toBeGreaterThan(bySource[4]!);
  });

  it('closes older cases, mostly on time; recent ones are in every stage', () => {
    const old = data.incidents.filter((i) => ANCHOR.getTime() - i.reportedAt.getTime() > 31 * DAY);
    const closedOld = old.filter((i) => i.status === 'closed').length / old.length;
    expect(closedOld).toBeGreaterThan(0.95);
    expect(old.filter((i) => i.status === 'returned').length).toBeGreaterThan(0);
    expect(old.every((i) => i.status === 'closed' || i.status === 'returned')).toBe(true);
    const recent = data.incidents.filter((i) => ANCHOR.getTime() - i.reportedAt.getTime() < 30 * DAY);
    for (const s of ['reported', 'accepted', 'dispatched', 'handling', 'verifying']) {
      expect(recent.filter((i) => i.status === s).length, s).toBeGreaterThan(0);
    }
    const closed = data.incidents.filter((i) => i.closedAt);
    const onTime = closed.filter(
      (i) => i.closedAt!.getTime() - i.reportedAt.getTime() <= categories.get(i.category)!.deadlineHours * 3_600_000,
    ).length / closed.length;
    expect(onTime).toBeGreaterThan(0.85);
    expect(onTime).toBeLessThan(0.9);
  });

  it('follows weekly and seasonal rhythms', () => {
    // China time: UTC+8.
    const local = (d: Date) => new Date(d.getTime() + 8 * 3_600_000);
    const weekend = (d: Date) => [0, 6].includes(local(d).getUTCDay());
    const gridWorker = data.incidents.filter((i) => i.source === 'grid_worker');
    expect(gridWorker.filter((i) => weekend(i.reportedAt)).length / gridWorker.length).toBeLessThan(0.12);
    const hotline = data.incidents.filter((i) => i.source === 'hotline_12345');
    expect(hotline.filter((i) => weekend(i.reportedAt)).length / hotline.length).toBeGreaterThan(0.22);
    const month = (d: Date) => local(d).getUTCMonth() + 1;
    const count = (f: (i: DemoDataset['incidents'][number]) => boolean) => data.incidents.filter(f).length;
    expect(count((i) => i.category === 'sanitation' && month(i.reportedAt) === 7)).toBeGreaterThan(
      1.4 * count((i) => i.category === 'sanitation' && month(i.reportedAt) === 1),
    );
    expect(count((i) => i.subCategory === 'heating' && [12, 1].includes(month(i.reportedAt)))).toBeGreaterThan(
      10 * count((i) => i.subCategory === 'heating' && [6, 7].includes(month(i.reportedAt))),
    );
  });

  it('has a few hotspots where one category concentrates', () => {
    // Blocks of 3 × 3 cells of 0.005° (~1.4 km): in the block where a category is busiest, its
    // share of the category is far above the block's share of all incidents.
    const cell = (c: number[]) => [Math.floor(c[0]! / 0.005), Math.floor(c[1]! / 0.005)] as const;
    const blockCounts = (list: DemoDataset['incidents']) => {
      const counts = new Map<string, number>();
      for (const i of list) {
        const [x, y] = cell(i.geometry.coordinates);
        for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
          const k = `${x + dx},${y + dy}`;
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      }
      return counts;
    };
    const all = blockCounts(data.incidents);
    let hot = 0;
    for (const category of ['street_order', 'dispute', 'sanitation', 'public_order']) {
      const own = data.incidents.filter((i) => i.category === category);
      const counts = blockCounts(own);
      const [block, n] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
      const ratio = n / own.length / (all.get(block)! / data.incidents.length);
      if (ratio > 2) hot++;
    }
    expect(hot).toBeGreaterThanOrEqual(3);
  });
});

describe('demo district: determinism', () => {
  it('gives the same data for the same seed and anchor, without Math.random or the clock', () => {
    const random = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random called');
    });
    const now = vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now called');
    });
    try {
      const again = generateDemoDistrict({ seed: 'qindu-2023', anchorDate: new Date(ANCHOR.getTime()) });
      expect(sha256(again)).toBe(sha256(data));
    } finally {
      random.mockRestore();
      now.mockRestore();
    }
  });

  it('gives different data for a different seed', () => {
    const other = generateDemoDistrict({ seed: 'another-seed', anchorDate: ANCHOR });
    expect(sha256(other)).not.toBe(sha256(data));
    expect(other.grids.filter((g) => isUrbanCode(g.communityCode))).toHaveLength(893);
    expect(other.buildings.reduce((s, b) => s + b.residents, 0)).toBe(669_700);
  });
});
