/**
 * Residential buildings (楼栋) and compounds (小区 / 村民小组) of the demo district.
 *
 * Each comprehensive grid gets buildings whose households and residents add up exactly to the
 * grid's targets. Urban grids hold 1–5 compounds; a compound is either recorded building by
 * building ('锦华小区3号楼', kind 'building') or, for small old work-unit compounds, as one point
 * ('纺机厂家属院', kind 'compound'). Village grids hold villager groups ('西张二村三组', kind
 * 'compound') clustered around one or two settlements. Every point lies inside its grid at least
 * MARGIN_M metres from the grid boundary. Age figures are shared out over the whole district at
 * the end: 60+ ≈ 18% of residents (more in old compounds and villages, fewer in new ones) and 80+
 * ≈ 14% of the 60+.
 */
import type { XY } from './geometry.js';
import type { GridPlan } from './grids.js';
import { chineseNumber, communityRoad, communityShortName, compoundName, unique, type CompoundAge } from './names.js';
import { TOTAL_RESIDENTS } from './population.js';
import { apportion, apportionCapped, type Rng } from './rng.js';

/** Minimum distance of a building from its grid's boundary. */
export const MARGIN_M = 6;
const MIN_SPACING_M = 12;

export type BuildingAge = CompoundAge | 'village';

export interface BuildingRecord {
  name: string;
  kind: 'building' | 'compound';
  xy: XY;
  households: number;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
  age: BuildingAge;
  grid: GridPlan;
}

interface Draft {
  name: string;
  kind: 'building' | 'compound';
  xy: XY;
  households: number;
  age: BuildingAge;
}

function randomPointIn(grid: GridPlan, r: Rng, margin: number): XY | null {
  const [x0, y0, x1, y1] = grid.area.bbox;
  for (let i = 0; i < 400; i++) {
    const x = r.float(x0, x1);
    const y = r.float(y0, y1);
    if (grid.area.containsWithMargin(x, y, margin)) return [x, y];
  }
  return null;
}

/** A point near `centre` (within `radius`), inside the grid with margin and not crowding others. */
function placeNear(grid: GridPlan, r: Rng, centre: XY, radius: number, placed: XY[]): XY {
  for (let attempt = 0; attempt < 60; attempt++) {
    const spacing = attempt < 40 ? MIN_SPACING_M : 0;
    const rad = radius * (1 + attempt / 30);
    const a = r.float(0, 2 * Math.PI);
    const d = rad * Math.sqrt(r.next());
    const p: XY = [centre[0] + d * Math.cos(a), centre[1] + d * Math.sin(a)];
    if (!grid.area.containsWithMargin(p[0], p[1], MARGIN_M)) continue;
    if (spacing > 0 && placed.some((q) => (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2 < spacing * spacing)) continue;
    return p;
  }
  const p = randomPointIn(grid, r, MARGIN_M);
  if (!p) throw new Error(`no room for a building in grid ${grid.code}`);
  return p;
}

function centreFor(grid: GridPlan, r: Rng, wanted: number): XY {
  for (let margin = wanted; margin >= MARGIN_M; margin /= 2) {
    const p = randomPointIn(grid, r, margin);
    if (p) return p;
  }
  const p = randomPointIn(grid, r, MARGIN_M);
  if (!p) throw new Error(`grid ${grid.code} is too narrow for buildings`);
  return p;
}

function compoundAge(r: Rng, urbanity: number): CompoundAge {
  const pOld = 0.15 + 0.35 * urbanity;
  const pNew = 0.35 - 0.2 * urbanity;
  const u = r.next();
  return u < pOld ? 'old' : u < pOld + pNew ? 'new' : 'mid';
}

function urbanDrafts(grid: GridPlan, r: Rng, names: Set<string>, roads: Map<string, string>): Draft[] {
  const H = grid.targetHouseholds;
  const community = grid.community.community.division;
  const road = roads.get(community.code) ?? communityRoad(communityShortName(community.name), r);
  roads.set(community.code, road);
  const drafts: Draft[] = [];
  const placed: XY[] = [];
  const gridSize = Math.sqrt(grid.area.area);
  const m = Math.min(5, Math.max(1, Math.round(H / r.float(70, 140)), 1));
  const compoundHouseholds = apportion(H, Array.from({ length: m }, () => r.float(0.5, 1.5)));
  for (const h of compoundHouseholds) {
    if (h === 0) continue;
    const age = compoundAge(r, grid.community.community.urbanity);
    const name = unique(names, () => compoundName(r, age, road), (n) => `${compoundName(r, age, road)}${chineseNumber(n)}期`);
    const single = h < 15 || (age === 'old' && h <= 160 && r.chance(0.5));
    if (single) {
      const xy = placeNear(grid, r, centreFor(grid, r, 0.2 * gridSize), 0.15 * gridSize, placed);
      placed.push(xy);
      drafts.push({ name, kind: 'compound', xy, households: h, age });
      continue;
    }
    const perBuilding = age === 'old' ? r.float(18, 36) : age === 'mid' ? r.float(28, 56) : r.float(50, 100);
    const nb = Math.min(h, Math.max(2, Math.round(h / perBuilding)));
    const radius = Math.min(25 + 14 * Math.sqrt(nb), 0.3 * gridSize);
    const centre = centreFor(grid, r, radius);
    const hb = apportion(h, Array.from({ length: nb }, () => r.float(0.7, 1.3)));
    hb.forEach((households, k) => {
      if (households === 0) return;
      const xy = placeNear(grid, r, centre, radius, placed);
      placed.push(xy);
      drafts.push({ name: `${name}${k + 1}号楼`, kind: 'building', xy, households, age });
    });
  }
  return drafts;
}

function villageDrafts(grid: GridPlan, r: Rng, groupCounter: Map<string, number>): Draft[] {
  const H = grid.targetHouseholds;
  const village = grid.community.community.division;
  const short = communityShortName(village.name);
  const gridSize = Math.sqrt(grid.area.area);
  const nb = Math.min(H, Math.max(1, Math.round(H / r.float(45, 90))));
  const hb = apportion(H, Array.from({ length: nb }, () => r.float(0.6, 1.4)));
  const settlementRadius = Math.min(350, 0.25 * gridSize);
  const settlements = Array.from({ length: nb > 3 && r.chance(0.5) ? 2 : 1 }, () =>
    centreFor(grid, r, settlementRadius),
  );
  const drafts: Draft[] = [];
  const placed: XY[] = [];
  hb.forEach((households, k) => {
    if (households === 0) return;
    const n = (groupCounter.get(village.code) ?? 0) + 1;
    groupCounter.set(village.code, n);
    const xy = placeNear(grid, r, settlements[k % settlements.length]!, settlementRadius, placed);
    placed.push(xy);
    drafts.push({ name: `${short}${chineseNumber(n)}组`, kind: 'compound', xy, households, age: 'village' });
  });
  return drafts;
}

/** Moves residents so that no building has fewer residents than households. */
function atLeastOnePerHousehold(residents: number[], households: readonly number[]): void {
  for (let i = 0; i < residents.length; i++) {
    while (residents[i]! < households[i]!) {
      let donor = -1;
      let surplus = 0;
      residents.forEach((rv, j) => {
        const s = rv - households[j]!;
        if (s > surplus) {
          surplus = s;
          donor = j;
        }
      });
      if (donor < 0) throw new Error('not enough residents for the households');
      const move = Math.min(surplus, households[i]! - residents[i]!);
      residents[donor]! -= move;
      residents[i]! += move;
    }
  }
}

const SHARE_60: Record<BuildingAge, [number, number]> = {
  old: [0.28, 0.04],
  mid: [0.17, 0.03],
  new: [0.09, 0.02],
  village: [0.22, 0.03],
};

export function generateBuildings(grids: readonly GridPlan[], rng: Rng): BuildingRecord[] {
  const names = new Set<string>();
  const groupCounter = new Map<string, number>();
  const roads = new Map<string, string>();
  const records: BuildingRecord[] = [];
  for (const grid of grids) {
    if (grid.dedicated || grid.targetHouseholds === 0) continue;
    const r = rng.fork(grid.code);
    const drafts = grid.community.community.village
      ? villageDrafts(grid, r, groupCounter)
      : urbanDrafts(grid, r, names, roads);
    const households = drafts.map((d) => d.households);
    const residents = apportion(
      grid.targetResidents,
      households.map((h) => h * r.float(0.85, 1.15)),
    );
    atLeastOnePerHousehold(residents, households);
    drafts.forEach((d, i) => {
      records.push({
        name: d.name,
        kind: d.kind,
        xy: d.xy,
        households: d.households,
        residents: residents[i]!,
        residents60Plus: 0,
        residents80Plus: 0,
        age: d.age,
        grid,
      });
    });
  }

  // Ages, shared out over the district.
  const r = rng.fork('ages');
  const total = records.reduce((s, b) => s + b.residents, 0);
  if (total !== TOTAL_RESIDENTS) throw new Error(`buildings hold ${total} residents, expected ${TOTAL_RESIDENTS}`);
  const total60 = Math.round(total * r.float(0.178, 0.183));
  const share = records.map((b) => {
    const [mean, sd] = SHARE_60[b.age];
    return Math.min(0.5, Math.max(0.03, r.normal(mean, sd)));
  });
  const a60 = apportionCapped(
    total60,
    records.map((b, i) => b.residents * share[i]!),
    records.map((b) => b.residents),
  );
  const total80 = Math.round(total60 * r.float(0.13, 0.15));
  const a80 = apportionCapped(
    total80,
    a60.map((a) => a * r.float(0.7, 1.3)),
    a60,
  );
  records.forEach((b, i) => {
    b.residents60Plus = a60[i]!;
    b.residents80Plus = a80[i]!;
  });
  return records;
}
