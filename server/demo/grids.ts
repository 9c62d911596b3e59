/**
 * Grid outlines, codes and names for every community, plus their household and resident targets.
 *
 * Each community is cut into its grids by a Lloyd-relaxed Voronoi tessellation clipped to the
 * community (so the grids tile it exactly and are about equally large). Codes follow the coding
 * rule in server/modules/grids/encoding.ts. The community's households are spread evenly over
 * its comprehensive grids (±4%), residents in proportion; dedicated grids get none.
 */
import * as turf from '@turf/turf';
import { encodeGrids } from '../modules/grids/encoding.js';
import {
  centroidXY,
  connectedVoronoiTiles,
  LocalProjection,
  PreparedArea,
  relaxSeeds,
  type MultiPolygonXY,
} from './geometry.js';
import { communityShortName } from './names.js';
import type { CommunityPlan, DedicatedUnit } from './population.js';
import { apportion, type Rng } from './rng.js';

export interface GridPlan {
  code: string;
  sequence: number;
  name: string;
  community: CommunityPlan;
  dedicated: DedicatedUnit | null;
  geometry: MultiPolygonXY;
  area: PreparedArea;
  targetHouseholds: number;
  targetResidents: number;
}

export function planGrids(plans: readonly CommunityPlan[], proj: LocalProjection, rng: Rng): GridPlan[] {
  const grids: GridPlan[] = [];
  for (const plan of plans) {
    const code = plan.community.division.code;
    const r = rng.fork(code);
    const community = new PreparedArea(plan.community.geometry);
    const k = plan.gridCount;
    let tiles: MultiPolygonXY[];
    if (k === 1) {
      tiles = [plan.community.geometry];
    } else {
      const samples = community.samplePoints(90 * k, r);
      const seeds = relaxSeeds(samples.slice(0, k), samples, null, 15, community);
      tiles = connectedVoronoiTiles(seeds, plan.community.geometry);
    }
    const dedicatedIndex = plan.dedicated ? r.int(0, k - 1) : -1;
    const comprehensiveCount = k - (plan.dedicated ? 1 : 0);
    const households = apportion(
      plan.households,
      Array.from({ length: comprehensiveCount }, () => 1 + r.float(-0.04, 0.04)),
    );
    const residents = apportion(
      plan.residents,
      households.map((h) => h * (1 + r.float(-0.03, 0.03))),
    );
    const items = tiles.map((geometry, index) => ({
      index,
      geometry,
      centroid: proj.unproject(centroidXY(geometry)),
      dedicated: index === dedicatedIndex,
    }));
    // The area for the row height as a planner's tool would measure it (spherical, on WGS84).
    const areaM2 = turf.area(turf.feature(proj.unprojectMulti(plan.community.geometry)));
    const encoded = encodeGrids(code, items, { areaM2 });
    const short = communityShortName(plan.community.division.name);
    let target = 0;
    for (const { item, sequence, code: gridCode } of encoded) {
      const dedicated = item.dedicated ? plan.dedicated : null;
      const t = dedicated ? -1 : target++;
      grids.push({
        code: gridCode,
        sequence,
        name: dedicated ? `${dedicated.unit}专属网格` : `${short}第${sequence}网格`,
        community: plan,
        dedicated,
        geometry: item.geometry,
        area: new PreparedArea(item.geometry),
        targetHouseholds: t < 0 ? 0 : households[t]!,
        targetResidents: t < 0 ? 0 : residents[t]!,
      });
    }
  }
  grids.sort((a, b) => a.code.localeCompare(b.code));
  return grids;
}
