/**
 * The demo district generator: a complete, synthetic but plausible Qindu district (秦都区) with
 * streets, communities, grids, buildings, facilities and two years of incidents.
 *
 * Pure and deterministic: the same seed and anchor date give a deep-equal dataset. Every random
 * draw comes from seedrandom streams derived from the seed (one per stage, see rng.ts); nothing
 * reads the clock. Only the two input files in data/ are read.
 *
 * Stages (each in its own module):
 *   inputs.ts      district outline (repaired, GCJ-02 → WGS84) and the division list
 *   layout.ts      community and street outlines tiling the district
 *   population.ts  residents, households and grid counts per community, dedicated grids
 *   grids.ts       grid outlines, codes (server/modules/grids/encoding.ts) and targets
 *   buildings.ts   buildings/compounds whose figures add up to the grid targets
 *   facilities.ts  service facilities near where people live
 *   incidents.ts   incidents with spatial, weekly and seasonal patterns
 */
import { generateBuildings, type BuildingRecord } from './buildings.js';
import { generateFacilities } from './facilities.js';
import { addSharedVertices, LocalProjection, PreparedArea, type MultiPolygonXY } from './geometry.js';
import { planGrids, type GridPlan } from './grids.js';
import { generateIncidents } from './incidents.js';
import { demoIncidentEvents } from './incident-events.js';
import { DISTRICT_CODE, DISTRICT_NAME, loadDistrictOutline, loadDivisions } from './inputs.js';
import { layoutDistrict } from './layout.js';
import { generateRoads } from './roads.js';
import { mobilePhone, personName, unique } from './names.js';
import { planPopulation, TOTAL_MANAGERS } from './population.js';
import { createRng, type Rng } from './rng.js';
import type { DemoArea, DemoDataset, DemoGrid, DemoStaffMember } from './types.js';

export const DEFAULT_SEED = 'qindu-2023';

export interface GenerateOptions {
  seed?: string;
  /** End of the incident period: incidents fall in the 24 months before it. */
  anchorDate: Date;
}

export function generateDemoDistrict(options: GenerateOptions): DemoDataset {
  const seed = options.seed ?? DEFAULT_SEED;
  const anchorDate = new Date(options.anchorDate.getTime());
  if (Number.isNaN(anchorDate.getTime())) throw new Error('generateDemoDistrict: invalid anchorDate');
  const root = createRng(seed);

  const ring = loadDistrictOutline();
  const divisions = loadDivisions();
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  const proj = new LocalProjection(
    (Math.min(...lons) + Math.max(...lons)) / 2,
    (Math.min(...lats) + Math.max(...lats)) / 2,
  );
  const district: MultiPolygonXY = [[ring.map((p) => proj.project(p))]];

  const layout = layoutDistrict(district, proj, divisions, root.fork('layout'));
  const plans = planPopulation(layout.communities, root.fork('population'));
  const grids = planGrids(plans, proj, root.fork('grids'));
  const buildings = generateBuildings(grids, root.fork('buildings'));
  const staff = assignStaff(grids, buildings, root.fork('staff'));
  const facilities = generateFacilities(plans, divisions.streets, buildings, root.fork('facilities'));
  const incidents = generateIncidents(
    { anchorDate, buildings, grids, staff, district: new PreparedArea(district) },
    root.fork('incidents'),
  );
  const roads = generateRoads(district, proj);

  // One clean coverage across all levels: shared boundaries get the same vertices on both sides.
  const polygons = addSharedVertices([
    district,
    ...layout.streets.map((s) => s.geometry),
    ...layout.communities.map((c) => c.geometry),
    ...grids.map((g) => g.geometry),
  ]);
  const [districtOut, ...rest] = polygons.map((g) => proj.unprojectMulti(g));
  const streetsOut = rest.slice(0, layout.streets.length);
  const communitiesOut = rest.slice(layout.streets.length, layout.streets.length + layout.communities.length);
  const gridsOut = rest.slice(layout.streets.length + layout.communities.length);

  const areas: DemoArea[] = [
    { code: DISTRICT_CODE, name: DISTRICT_NAME, level: 'district', parentCode: null, geometry: districtOut! },
    ...layout.streets.map((s, i) => ({
      code: s.division.code,
      name: s.division.name,
      level: 'street' as const,
      parentCode: s.division.parentCode,
      geometry: streetsOut[i]!,
    })),
    ...layout.communities.map((c, i) => ({
      code: c.division.code,
      name: c.division.name,
      level: 'community' as const,
      parentCode: c.division.parentCode,
      geometry: communitiesOut[i]!,
    })),
  ];

  const figures = gridFigures(buildings);
  const demoGrids: DemoGrid[] = grids.map((g, i) => {
    const f = figures.get(g.code) ?? { households: 0, residents: 0, residents60Plus: 0, residents80Plus: 0 };
    return {
      code: g.code,
      name: g.name,
      communityCode: g.community.community.division.code,
      gridType: g.dedicated ? 'dedicated' : 'comprehensive',
      dedicatedKind: g.dedicated?.kind ?? null,
      geometry: gridsOut[i]!,
      ...f,
      staff: staff.get(g.code)!,
    };
  });

  return {
    seed,
    anchorDate,
    areas,
    grids: demoGrids,
    buildings: buildings.map((b) => ({
      name: b.name,
      kind: b.kind,
      geometry: { type: 'Point', coordinates: proj.unproject(b.xy) },
      households: b.households,
      residents: b.residents,
      residents60Plus: b.residents60Plus,
      residents80Plus: b.residents80Plus,
    })),
    facilities: facilities.map((f) => ({
      facilityType: f.facilityType,
      name: f.name,
      address: f.address,
      geometry: { type: 'Point', coordinates: proj.unproject(f.xy) },
      phone: f.phone,
      openingHours: f.openingHours,
      services: f.services,
      capacity: f.capacity,
      isPublic: f.isPublic,
    })),
    incidents: incidents.map((i) => ({
      externalId: i.externalId,
      category: i.category,
      subCategory: i.subCategory,
      source: i.source,
      status: i.status,
      occurredAt: i.occurredAt,
      reportedAt: i.reportedAt,
      closedAt: i.closedAt,
      geometry: { type: 'Point', coordinates: proj.unproject(i.xy) },
      description: i.description,
      reporterName: i.reporterName,
      reporterPhone: i.reporterPhone,
      events: demoIncidentEvents(i, anchorDate),
    })),
    roads,
  };
}

interface Figures {
  households: number;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
}

function gridFigures(buildings: readonly BuildingRecord[]): Map<string, Figures> {
  const out = new Map<string, Figures>();
  for (const b of buildings) {
    const f = out.get(b.grid.code) ?? { households: 0, residents: 0, residents60Plus: 0, residents80Plus: 0 };
    f.households += b.households;
    f.residents += b.residents;
    f.residents60Plus += b.residents60Plus;
    f.residents80Plus += b.residents80Plus;
    out.set(b.grid.code, f);
  }
  return out;
}

/**
 * One leader and at least one manager per grid; the managers beyond one per grid (to reach
 * TOTAL_MANAGERS) go to the grids with the most households.
 */
function assignStaff(
  grids: readonly GridPlan[],
  buildings: readonly BuildingRecord[],
  rng: Rng,
): Map<string, DemoStaffMember[]> {
  const figures = gridFigures(buildings);
  const households = (g: GridPlan): number => figures.get(g.code)?.households ?? 0;
  const managers = new Map(grids.map((g) => [g.code, 1]));
  let extra = TOTAL_MANAGERS - grids.length;
  if (extra < 0) throw new Error(`${grids.length} grids need more than ${TOTAL_MANAGERS} managers`);
  const ranked = grids.slice().sort((a, b) => households(b) - households(a) || a.code.localeCompare(b.code));
  for (let k = 0; extra > 0; k = (k + 1) % ranked.length, extra--) {
    const code = ranked[k]!.code;
    managers.set(code, managers.get(code)! + 1);
  }
  const names = new Set<string>();
  const phones = new Set<string>();
  const staff = new Map<string, DemoStaffMember[]>();
  for (const g of grids) {
    const member = (role: DemoStaffMember['role']): DemoStaffMember => ({
      role,
      name: unique(names, () => personName(rng)),
      phone: unique(phones, () => mobilePhone(rng)),
    });
    staff.set(g.code, [member('leader'), ...Array.from({ length: managers.get(g.code)! }, () => member('manager'))]);
  }
  return staff;
}
