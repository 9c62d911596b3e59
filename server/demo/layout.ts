/**
 * Synthetic street and community outlines that tile the district exactly.
 *
 * Method: 186 community seeds are placed by density-weighted Lloyd relaxation over the whole
 * district. The density is high over the urban core (Xianyang's built-up area in the district's
 * eastern arm along the Wei river, around the district seat) and low over the rural west and the
 * northern plateau, so the cells come out small (~0.3–1 km²) in town and large (several km²) in
 * the country. Their Voronoi cells, clipped to the district, are the community outlines.
 *
 * Streets: the 128 densest cells are provisionally "urban", the rest "rural". Capacity-constrained
 * k-means groups the cells into the 12 streets so that each gets exactly its number of urban
 * communities and villages, compact around a moving anchor (the initial anchors put the ten town
 * streets in the eastern arm, 双照 in the west and south-west, 马庄 on the northern plateau). A
 * swap repair then makes every street one connected piece. Within each street its smallest cells
 * become its urban communities (居委会) and the others its villages (村委会). Each street outline
 * is the union of its communities — so union(children) = parent holds by construction.
 */
import { Delaunay } from 'd3-delaunay';
import { balancedKMeans, repairConnectivity } from './assignment.js';
import {
  areaXY,
  connectedVoronoiTiles,
  LocalProjection,
  PreparedArea,
  relaxSeeds,
  sharedEdgeLength,
  unionXY,
  type MultiPolygonXY,
  type XY,
} from './geometry.js';
import { isVillageCode, type Division, type Divisions } from './inputs.js';
import type { Rng } from './rng.js';

export interface LayoutCommunity {
  division: Division;
  village: boolean;
  geometry: MultiPolygonXY;
  /** Mean urban density weight of the cell, 0 (rural) … 1 (town centre). */
  urbanity: number;
}

export interface LayoutStreet {
  division: Division;
  geometry: MultiPolygonXY;
}

export interface DistrictLayout {
  streets: LayoutStreet[];
  communities: LayoutCommunity[];
}

/** Initial street anchors (WGS84 lon/lat); k-means moves them to where their communities are. */
const STREET_ANCHORS: Record<string, [number, number]> = {
  '610402001': [108.712, 34.336], // 人民路: old town centre
  '610402002': [108.697, 34.342], // 西兰路
  '610402003': [108.700, 34.326], // 吴家堡
  '610402004': [108.733, 34.331], // 渭阳西路
  '610402005': [108.765, 34.336], // 陈杨寨: east end
  '610402006': [108.727, 34.318], // 古渡: along the river
  '610402007': [108.752, 34.318], // 上林
  '610402008': [108.690, 34.296], // 钓台: south, across the river
  '610402009': [108.683, 34.338], // 马泉: west edge of town
  '610402010': [108.668, 34.318], // 渭滨: south-west edge of town
  '610402011': [108.615, 34.318], // 双照: rural south-west and west
  '610402012': [108.640, 34.430], // 马庄: rural northern plateau
};

/** Old-town centre and the axis of the built-up area (WGS84). */
const CORE_CENTRE: [number, number] = [108.736, 34.325];
const OLD_TOWN: [number, number] = [108.714, 34.333];
const CORE_SEMI_MAJOR_M = 8000;
const CORE_SEMI_MINOR_M = 3600;
const CORE_BEARING_DEG = 12; // axis rotated this much north of east

export function makeUrbanity(proj: LocalProjection): (p: XY) => number {
  const c = proj.project(CORE_CENTRE);
  const o = proj.project(OLD_TOWN);
  const t = (CORE_BEARING_DEG * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  return (p: XY): number => {
    const dx = p[0] - c[0];
    const dy = p[1] - c[1];
    const u = (dx * cos + dy * sin) / CORE_SEMI_MAJOR_M;
    const v = (-dx * sin + dy * cos) / CORE_SEMI_MINOR_M;
    const r = Math.sqrt(u * u + v * v);
    const plateau = 1 / (1 + Math.exp((r - 1) / 0.08));
    const d2 = (p[0] - o[0]) ** 2 + (p[1] - o[1]) ** 2;
    const peak = Math.exp(-d2 / (2 * 2000 * 2000));
    return Math.min(1, 0.8 * plateau + 0.2 * peak * plateau);
  };
}

export function layoutDistrict(
  district: MultiPolygonXY,
  proj: LocalProjection,
  divisions: Divisions,
  rng: Rng,
): DistrictLayout {
  const area = new PreparedArea(district);
  const urbanity = makeUrbanity(proj);
  const { streets, communities } = divisions;

  // A few broad random bumps make community sizes vary, not just follow the core.
  const bumps = Array.from({ length: 10 }, () => {
    const [x, y] = area.samplePoints(1, rng)[0]!;
    return { x, y, s: rng.float(1500, 4000), a: rng.float(-0.45, 0.45) };
  });
  const density = (p: XY): number => {
    let noise = 0;
    for (const b of bumps) noise += b.a * Math.exp(-((p[0] - b.x) ** 2 + (p[1] - b.y) ** 2) / (2 * b.s * b.s));
    return (1 + 60 * urbanity(p)) * Math.exp(noise);
  };

  const samples = area.samplePoints(24000, rng);
  const weights = samples.map(density);

  // Initial seeds: distinct samples drawn with probability ∝ sqrt(density) (roughly the seed
  // density of a weighted CVT), then relaxed.
  const initWeights = weights.map((w) => Math.sqrt(w));
  const chosen = new Set<number>();
  while (chosen.size < communities.length) {
    const i = rng.weightedIndex(initWeights);
    if (!chosen.has(i)) chosen.add(i);
    initWeights[i] = 0;
  }
  const initial = [...chosen].map((i) => samples[i]!);
  const seeds = relaxSeeds(initial, samples, weights, 30, area);
  const cells = connectedVoronoiTiles(seeds, district);

  const cellUrbanity = cells.map((cell) => {
    const probe = new PreparedArea(cell);
    let sum = 0;
    let n = 0;
    for (const p of samples) {
      if (probe.contains(p[0], p[1])) {
        sum += urbanity(p);
        n++;
      }
    }
    return n > 0 ? sum / n : 0;
  });

  const cellArea = cells.map((cell) => areaXY(cell));

  // Urban = the cells with the highest urbanity (a first guess that fixes the typed group sizes).
  const urbanCount = communities.filter((c) => !isVillageCode(c.code)).length;
  const rank = cells.map((_, i) => i).sort((a, b) => cellUrbanity[b]! - cellUrbanity[a]! || a - b);
  const types = new Array<number>(cells.length).fill(1);
  rank.slice(0, urbanCount).forEach((i) => {
    types[i] = 0;
  });

  // Group the cells into streets with the right numbers of urban cells and villages, compact,
  // then make every street connected (a few swaps may break the urban/village counts; the final
  // labels below go by urbanity within each street anyway).
  const sizes = streets.map((s) => {
    const own = communities.filter((c) => c.parentCode === s.code);
    const v = own.filter((c) => isVillageCode(c.code)).length;
    return [own.length - v, v];
  });
  const anchors = streets.map((s) => {
    const a = STREET_ANCHORS[s.code];
    if (!a) throw new Error(`no anchor for street ${s.code}`);
    return proj.project(a);
  });
  const kmeans = balancedKMeans(seeds, types, anchors, sizes, 30);
  const groups = repairConnectivity(kmeans.groups, tileAdjacency(seeds, cells), seeds, types, sizes);

  // Within a street, its smallest (densest) cells are its urban communities, the rest its villages;
  // the community codes go to the cells of each kind in random order.
  const layoutCommunities: LayoutCommunity[] = [];
  const layoutStreets: LayoutStreet[] = [];
  streets.forEach((street, g) => {
    const own = communities.filter((c) => c.parentCode === street.code);
    const urbanDivs = own.filter((c) => !isVillageCode(c.code));
    const villageDivs = own.filter((c) => isVillageCode(c.code));
    const ranked = cells
      .map((_, i) => i)
      .filter((i) => groups[i] === g)
      .sort((a, b) => cellArea[a]! - cellArea[b]! || a - b);
    const urbanCells = rng.shuffled(ranked.slice(0, urbanDivs.length));
    const villageCells = rng.shuffled(ranked.slice(urbanDivs.length));
    const pairs: [Division, number][] = [
      ...urbanDivs.map((d, k) => [d, urbanCells[k]!] as [Division, number]),
      ...villageDivs.map((d, k) => [d, villageCells[k]!] as [Division, number]),
    ];
    for (const [division, cell] of pairs) {
      layoutCommunities.push({
        division,
        village: isVillageCode(division.code),
        geometry: cells[cell]!,
        urbanity: cellUrbanity[cell]!,
      });
    }
    layoutStreets.push({ division: street, geometry: unionXY(pairs.map(([, cell]) => cells[cell]!)) });
  });
  layoutCommunities.sort((a, b) => a.division.code.localeCompare(b.division.code));
  return { streets: layoutStreets, communities: layoutCommunities };
}

/** Which tiles share a boundary (candidates from the Delaunay triangulation of the seeds). */
export function tileAdjacency(seeds: readonly XY[], tiles: readonly MultiPolygonXY[]): number[][] {
  const delaunay = Delaunay.from(seeds);
  const adjacency: number[][] = seeds.map(() => []);
  for (let i = 0; i < seeds.length; i++) {
    for (const j of delaunay.neighbors(i)) {
      if (j <= i) continue;
      if (sharedEdgeLength(tiles[i]!, tiles[j]!) > 1) {
        adjacency[i]!.push(j);
        adjacency[j]!.push(i);
      }
    }
  }
  for (const list of adjacency) list.sort((a, b) => a - b);
  return adjacency;
}
