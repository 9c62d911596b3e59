/**
 * How many people live in each community and how many grids it gets.
 *
 * Villages get 1,000–3,000 residents each; the rest of the district total goes to the urban
 * communities (lognormal spread, slightly more in bigger communities). The 893 urban grids are
 * shared out in proportion to population with at least 3 per community (a divisor method on
 * max(3, residents / q), then largest remainders); villages get one grid per ~300 households
 * (1–4). About 20 urban communities host one dedicated grid (a school, hospital, market, …) on
 * top of at least 3 comprehensive ones.
 */
import { areaXY } from './geometry.js';
import type { LayoutCommunity } from './layout.js';
import { DEDICATED_UNITS } from './names.js';
import { apportion, type Rng } from './rng.js';
import type { DedicatedKind } from './types.js';

export const TOTAL_RESIDENTS = 669_700;
export const URBAN_GRIDS = 893;
export const TOTAL_MANAGERS = 1219;
export const MIN_URBAN_GRIDS = 3;
export const HOUSEHOLDS_PER_VILLAGE_GRID = 300;

/** Dedicated grids by kind (20 in all). */
const DEDICATED_MIX: [DedicatedKind, number][] = [
  ['school', 6],
  ['hospital', 3],
  ['market', 4],
  ['industrial_park', 2],
  ['enterprise', 3],
  ['party_government', 2],
];

export interface DedicatedUnit {
  kind: DedicatedKind;
  unit: string;
}

export interface CommunityPlan {
  community: LayoutCommunity;
  residents: number;
  households: number;
  /** Number of grids, dedicated one included. */
  gridCount: number;
  dedicated: DedicatedUnit | null;
}

/** Splits a target real-valued quota list to integers ≥ min with the given total. */
function divisorApportion(total: number, weights: readonly number[], min: number): number[] {
  const quotas = (q: number): number[] => weights.map((w) => Math.max(min, w / q));
  const sum = (q: number): number => quotas(q).reduce((a, b) => a + b, 0);
  if (min * weights.length > total) throw new Error('divisorApportion: minimum exceeds total');
  let lo = 1e-9;
  let hi = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (sum(mid) > total) lo = mid;
    else hi = mid;
  }
  const real = quotas(hi);
  const floors = real.map((x) => Math.floor(x));
  // Hand the units left over to the largest remainders (ties: lower index first).
  let left = total - floors.reduce((a, b) => a + b, 0);
  const order = real.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) floors[order[k]!.i]! += 1;
  return floors;
}

export function planPopulation(communities: readonly LayoutCommunity[], rng: Rng): CommunityPlan[] {
  const villages = communities.filter((c) => c.village);
  const urban = communities.filter((c) => !c.village);

  const villageResidents = villages.map(() => Math.round(1000 + 1000 * (rng.next() + rng.next())));
  const urbanTotal = TOTAL_RESIDENTS - villageResidents.reduce((a, b) => a + b, 0);
  const urbanWeights = urban.map((c) => {
    const km2 = areaXY(c.geometry) / 1e6;
    return Math.exp(rng.normal(0, 0.33)) * Math.pow(km2, 0.2);
  });
  const urbanResidents = apportion(urbanTotal, urbanWeights);

  const residentsOf = new Map<string, number>();
  villages.forEach((c, i) => residentsOf.set(c.division.code, villageResidents[i]!));
  urban.forEach((c, i) => residentsOf.set(c.division.code, urbanResidents[i]!));

  const urbanGrids = divisorApportion(URBAN_GRIDS, urbanResidents, MIN_URBAN_GRIDS);
  const gridsOf = new Map<string, number>();
  urban.forEach((c, i) => gridsOf.set(c.division.code, urbanGrids[i]!));

  // Households: ~2.6 persons per household in town, ~3.1 in the villages.
  const householdsOf = new Map<string, number>();
  for (const c of communities) {
    const pph = c.village ? rng.float(2.95, 3.25) : rng.float(2.5, 2.75);
    const households = Math.round(residentsOf.get(c.division.code)! / pph);
    householdsOf.set(c.division.code, households);
    if (c.village) {
      const n = Math.round(households / HOUSEHOLDS_PER_VILLAGE_GRID);
      gridsOf.set(c.division.code, Math.min(4, Math.max(1, n)));
    }
  }

  // Dedicated grids: in urban communities with at least MIN_URBAN_GRIDS + 1 grids; industrial
  // parks towards the edge of town, everything else towards the centre.
  const dedicatedOf = new Map<string, DedicatedUnit>();
  const eligible = urban.filter((c) => gridsOf.get(c.division.code)! >= MIN_URBAN_GRIDS + 1);
  for (const [kind, count] of DEDICATED_MIX) {
    const units = rng.shuffled(DEDICATED_UNITS[kind]);
    for (let k = 0; k < count; k++) {
      const open = eligible.filter((c) => !dedicatedOf.has(c.division.code));
      if (open.length === 0) break;
      const weights = open.map((c) =>
        kind === 'industrial_park' ? Math.pow(1.05 - c.urbanity, 3) : Math.pow(0.05 + c.urbanity, 2),
      );
      const chosen = open[rng.weightedIndex(weights)]!;
      dedicatedOf.set(chosen.division.code, { kind, unit: units[k % units.length]! });
    }
  }

  return communities.map((c) => ({
    community: c,
    residents: residentsOf.get(c.division.code)!,
    households: householdsOf.get(c.division.code)!,
    gridCount: gridsOf.get(c.division.code)!,
    dedicated: dedicatedOf.get(c.division.code) ?? null,
  }));
}
