/**
 * Planar geometry helpers for the demo generator.
 *
 * The generator works in a local equirectangular projection (metres east/north of a reference
 * point, see LocalProjection), so that Voronoi cells, distances and relaxation are isotropic; all
 * output is converted back to WGS84 longitude/latitude at the very end. Because the projection is
 * affine, straight edges stay straight and identical projected coordinates stay identical after
 * unprojection, so shared edges between neighbouring cells remain bit-identical.
 */
import { Delaunay } from 'd3-delaunay';
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Rng } from './rng.js';

export type XY = [number, number];
export type Ring = XY[];
export type PolygonXY = Ring[];
export type MultiPolygonXY = PolygonXY[];
export type BBox = [number, number, number, number];

const EARTH_RADIUS = 6371008.8; // mean radius, the one turf uses

export class LocalProjection {
  private readonly kx: number;
  private readonly ky: number;

  constructor(
    readonly lon0: number,
    readonly lat0: number,
  ) {
    const rad = Math.PI / 180;
    this.ky = EARTH_RADIUS * rad;
    this.kx = EARTH_RADIUS * rad * Math.cos(lat0 * rad);
  }

  project(p: readonly number[]): XY {
    return [(p[0]! - this.lon0) * this.kx, (p[1]! - this.lat0) * this.ky];
  }

  unproject(p: readonly number[]): XY {
    return [this.lon0 + p[0]! / this.kx, this.lat0 + p[1]! / this.ky];
  }

  unprojectMulti(mp: MultiPolygonXY): MultiPolygon {
    return {
      type: 'MultiPolygon',
      coordinates: mp.map((poly) => poly.map((ring) => ring.map((p) => this.unproject(p)))),
    };
  }
}

export function ringSignedArea(ring: readonly XY[]): number {
  let s = 0;
  for (let i = 0, n = ring.length; i < n - 1; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** Planar area of a (multi)polygon: outer rings minus holes, whatever their orientation. */
export function areaXY(mp: MultiPolygonXY): number {
  let total = 0;
  for (const poly of mp) {
    poly.forEach((ring, k) => {
      const a = Math.abs(ringSignedArea(ring));
      total += k === 0 ? a : -a;
    });
  }
  return total;
}

/** Area-weighted centroid (like PostGIS ST_Centroid). */
export function centroidXY(mp: MultiPolygonXY): XY {
  let ax = 0;
  let ay = 0;
  let at = 0;
  for (const poly of mp) {
    poly.forEach((ring, k) => {
      const signed = ringSignedArea(ring);
      if (signed === 0) return;
      const sign = (k === 0 ? 1 : -1) * Math.sign(signed);
      let cx = 0;
      let cy = 0;
      for (let i = 0; i < ring.length - 1; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        const cross = a[0] * b[1] - b[0] * a[1];
        cx += (a[0] + b[0]) * cross;
        cy += (a[1] + b[1]) * cross;
      }
      // cx/(6*signed) is the ring centroid; weight it by the ring's (signed) contribution.
      const w = sign * Math.abs(signed);
      ax += (cx / (6 * signed)) * w;
      ay += (cy / (6 * signed)) * w;
      at += w;
    });
  }
  if (at === 0) throw new Error('centroid of an empty geometry');
  return [ax / at, ay / at];
}

export function bboxXY(mp: MultiPolygonXY): BBox {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const poly of mp)
    for (const ring of poly)
      for (const [x, y] of ring) {
        if (x < x0) x0 = x;
        if (y < y0) y0 = y;
        if (x > x1) x1 = x;
        if (y > y1) y1 = y;
      }
  return [x0, y0, x1, y1];
}

export function toFeature(mp: MultiPolygonXY): Feature<MultiPolygon> {
  return { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: mp } };
}

export function fromGeometry(g: Polygon | MultiPolygon): MultiPolygonXY {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.map((poly) => poly.map((ring) => ring.map((p) => [p[0]!, p[1]!] as XY)));
}

/** Pieces smaller than this (m²) in a clipping result are numerical slivers and are dropped. */
const SLIVER_M2 = 0.01;

function dropSlivers(mp: MultiPolygonXY): MultiPolygonXY {
  return mp.filter((poly) => areaXY([poly]) > SLIVER_M2);
}

export function intersectXY(a: MultiPolygonXY, b: MultiPolygonXY): MultiPolygonXY {
  const r = turf.intersect(turf.featureCollection([toFeature(a), toFeature(b)]));
  return r ? dropSlivers(fromGeometry(r.geometry)) : [];
}

export function unionXY(parts: MultiPolygonXY[]): MultiPolygonXY {
  if (parts.length === 0) return [];
  if (parts.length === 1) return parts[0]!;
  const r = turf.union(turf.featureCollection(parts.map(toFeature)));
  return r ? dropSlivers(fromGeometry(r.geometry)) : [];
}

/**
 * A (multi)polygon with its edges flattened for fast point-in-polygon and distance queries.
 */
export class PreparedArea {
  readonly bbox: BBox;
  readonly area: number;
  private readonly edges: Float64Array; // x1,y1,x2,y2 per edge

  constructor(readonly geometry: MultiPolygonXY) {
    this.bbox = bboxXY(geometry);
    this.area = areaXY(geometry);
    const list: number[] = [];
    for (const poly of geometry)
      for (const ring of poly)
        for (let i = 0; i < ring.length - 1; i++) list.push(ring[i]![0], ring[i]![1], ring[i + 1]![0], ring[i + 1]![1]);
    this.edges = Float64Array.from(list);
  }

  /** Even-odd rule over all rings. */
  contains(x: number, y: number): boolean {
    const [bx0, by0, bx1, by1] = this.bbox;
    if (x < bx0 || x > bx1 || y < by0 || y > by1) return false;
    const e = this.edges;
    let inside = false;
    for (let i = 0; i < e.length; i += 4) {
      const xa = e[i]!;
      const ya = e[i + 1]!;
      const xb = e[i + 2]!;
      const yb = e[i + 3]!;
      if (ya > y !== yb > y && x < ((xb - xa) * (y - ya)) / (yb - ya) + xa) inside = !inside;
    }
    return inside;
  }

  distanceToBoundary(x: number, y: number): number {
    const e = this.edges;
    let best = Infinity;
    for (let i = 0; i < e.length; i += 4) {
      const xa = e[i]!;
      const ya = e[i + 1]!;
      const dx = e[i + 2]! - xa;
      const dy = e[i + 3]! - ya;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? ((x - xa) * dx + (y - ya) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const px = xa + t * dx - x;
      const py = ya + t * dy - y;
      const d2 = px * px + py * py;
      if (d2 < best) best = d2;
    }
    return Math.sqrt(best);
  }

  /** Whether any vertex of this geometry lies in the bounding box [x0, y0, x1, y1] and inside `other`. */
  anyVertexInside(other: PreparedArea): boolean {
    const [x0, y0, x1, y1] = other.bbox;
    const e = this.edges;
    for (let i = 0; i < e.length; i += 4) {
      const x = e[i]!;
      const y = e[i + 1]!;
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1 && (other.contains(x, y) || other.distanceToBoundary(x, y) < 1e-6)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the convex ring lies wholly inside this area: all its vertices strictly inside and
   * none of this area's vertices inside the ring (a boundary cannot cross a convex ring
   * without leaving a vertex of one inside the other).
   */
  containsConvexRing(ring: readonly XY[]): boolean {
    for (const [x, y] of ring) if (!this.contains(x, y) || this.distanceToBoundary(x, y) < 1e-6) return false;
    return !this.anyVertexInside(new PreparedArea([[ring as XY[]]]));
  }

  /** Inside and at least `margin` metres from the boundary. */
  containsWithMargin(x: number, y: number, margin: number): boolean {
    return this.contains(x, y) && this.distanceToBoundary(x, y) >= margin;
  }

  /** Uniform random points inside (rejection sampling in the bounding box). */
  samplePoints(n: number, rng: Rng, margin = 0): XY[] {
    const [x0, y0, x1, y1] = this.bbox;
    const out: XY[] = [];
    const maxTries = Math.max(1000, n * 400);
    for (let tries = 0; out.length < n && tries < maxTries; tries++) {
      const x = rng.float(x0, x1);
      const y = rng.float(y0, y1);
      if (margin > 0 ? this.containsWithMargin(x, y, margin) : this.contains(x, y)) out.push([x, y]);
    }
    if (out.length < n) throw new Error(`samplePoints: only ${out.length} of ${n} points found`);
    return out;
  }

  /** A point well inside: the best of a few random candidates by distance to the boundary. */
  interiorPoint(rng: Rng, candidates = 60): XY {
    const pts = this.samplePoints(candidates, rng);
    let best = pts[0]!;
    let bestD = -1;
    for (const p of pts) {
      const d = this.distanceToBoundary(p[0], p[1]);
      if (d > bestD) {
        bestD = d;
        best = p;
      }
    }
    return best;
  }
}

/**
 * Lloyd relaxation on a cloud of (optionally weighted) sample points: each iteration assigns
 * every sample to its nearest seed and moves the seed to the weighted mean of its samples.
 * Converges towards a (density-weighted) centroidal Voronoi tessellation: even cells where the
 * weight is uniform, smaller cells where it is high. Seeds that end up outside `area` (possible
 * in concave shapes) are moved to their nearest own sample, which is inside.
 */
export function relaxSeeds(
  seeds: readonly XY[],
  samples: readonly XY[],
  weights: readonly number[] | null,
  iterations: number,
  area: PreparedArea,
): XY[] {
  let current = seeds.map((p) => [p[0], p[1]] as XY);
  const k = current.length;
  if (k <= 1 || samples.length === 0) return current;
  const owner = new Int32Array(samples.length);
  for (let it = 0; it < iterations; it++) {
    const delaunay = Delaunay.from(current);
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const sw = new Float64Array(k);
    let hint = 0;
    for (let i = 0; i < samples.length; i++) {
      const [x, y] = samples[i]!;
      const j = delaunay.find(x, y, hint);
      hint = j;
      owner[i] = j;
      const w = weights ? weights[i]! : 1;
      sx[j]! += x * w;
      sy[j]! += y * w;
      sw[j]! += w;
    }
    current = current.map((p, j) => (sw[j]! > 0 ? [sx[j]! / sw[j]!, sy[j]! / sw[j]!] : p));
  }
  // Keep every seed inside the area (and distinct).
  const delaunay = Delaunay.from(current);
  const nearestOwn = new Array<XY | null>(k).fill(null);
  const nearestD = new Float64Array(k).fill(Infinity);
  for (let i = 0; i < samples.length; i++) {
    const [x, y] = samples[i]!;
    const j = delaunay.find(x, y);
    const d = (x - current[j]![0]) ** 2 + (y - current[j]![1]) ** 2;
    if (d < nearestD[j]!) {
      nearestD[j] = d;
      nearestOwn[j] = samples[i]!;
    }
  }
  current = current.map((p, j) => (area.contains(p[0], p[1]) ? p : (nearestOwn[j] ?? p)));
  return current;
}

/**
 * Voronoi cells of the seeds clipped to the parent. d3-delaunay computes each Voronoi vertex
 * once, so neighbouring cells share bit-identical edges and the clipped cells tile the parent.
 * Returns one (possibly multi-part) geometry per seed, in seed order; throws when a cell is empty.
 */
export function voronoiTiles(seeds: readonly XY[], parent: MultiPolygonXY): MultiPolygonXY[] {
  if (seeds.length === 1) return [parent];
  const [x0, y0, x1, y1] = bboxXY(parent);
  const pad = 100;
  const voronoi = Delaunay.from(seeds).voronoi([x0 - pad, y0 - pad, x1 + pad, y1 + pad]);
  const prepared = new PreparedArea(parent);
  return seeds.map((_, i) => {
    const cell = voronoi.cellPolygon(i);
    if (!cell) throw new Error(`voronoiTiles: no cell for seed ${i} (duplicate seed?)`);
    let ring = cell.map((p) => [p[0]!, p[1]!] as XY);
    if (ringSignedArea(ring) < 0) ring = ring.reverse();
    // Cells wholly inside need no clipping (which is slow): use them as they are.
    if (prepared.containsConvexRing(ring)) return [[ring]];
    const clipped = intersectXY([[ring]], parent);
    if (clipped.length === 0) throw new Error(`voronoiTiles: cell ${i} does not meet its parent`);
    return clipped;
  });
}

/** Length of the boundary two tiles share (edges present in both with the same end points). */
export function sharedEdgeLength(a: MultiPolygonXY, b: MultiPolygonXY): number {
  const key = (p: XY, q: XY): string =>
    p[0] < q[0] || (p[0] === q[0] && p[1] < q[1]) ? `${p[0]},${p[1]},${q[0]},${q[1]}` : `${q[0]},${q[1]},${p[0]},${p[1]}`;
  const edges = new Set<string>();
  for (const poly of a) for (const ring of poly) for (let i = 0; i < ring.length - 1; i++) edges.add(key(ring[i]!, ring[i + 1]!));
  let len = 0;
  for (const poly of b)
    for (const ring of poly)
      for (let i = 0; i < ring.length - 1; i++) {
        const p = ring[i]!;
        const q = ring[i + 1]!;
        if (edges.has(key(p, q))) len += Math.hypot(q[0] - p[0], q[1] - p[1]);
      }
  return len;
}

/**
 * Voronoi tiling with connected tiles: a piece of a clipped cell that is cut off from the part
 * holding the seed (a concave parent can do that) is merged into the neighbouring tile with which
 * it shares the longest boundary. Pieces that touch no other tile (separate parts of a
 * multi-part parent) stay with their cell.
 */
export function connectedVoronoiTiles(seeds: readonly XY[], parent: MultiPolygonXY): MultiPolygonXY[] {
  const tiles = voronoiTiles(seeds, parent);
  if (tiles.length === 1) return tiles;
  const moves: { piece: PolygonXY; from: number }[] = [];
  tiles.forEach((tile, i) => {
    if (tile.length < 2) return;
    const seed = seeds[i]!;
    let keep = tile.findIndex((poly) => new PreparedArea([poly]).contains(seed[0], seed[1]));
    if (keep < 0) {
      let best = -1;
      tile.forEach((poly, k) => {
        const a = areaXY([poly]);
        if (a > best) {
          best = a;
          keep = k;
        }
      });
    }
    tile.forEach((poly, k) => {
      if (k !== keep) moves.push({ piece: poly, from: i });
    });
  });
  if (moves.length === 0) return tiles;
  const result = tiles.map((t) => t.slice());
  const additions = new Map<number, PolygonXY[]>();
  for (const move of moves) {
    let bestJ = -1;
    let bestLen = 0;
    tiles.forEach((tile, j) => {
      if (j === move.from) return;
      const len = sharedEdgeLength([move.piece], tile);
      if (len > bestLen) {
        bestLen = len;
        bestJ = j;
      }
    });
    if (bestJ < 0) continue; // an island of the parent: stays where it is
    result[move.from] = result[move.from]!.filter((p) => p !== move.piece);
    const list = additions.get(bestJ) ?? [];
    list.push(move.piece);
    additions.set(bestJ, list);
  }
  for (const [j, pieces] of [...additions.entries()].sort((a, b) => a[0] - b[0])) {
    result[j] = unionXY([result[j]!, ...pieces.map((p) => [p])]);
  }
  return result;
}

/**
 * Makes a set of polygons a clean coverage: wherever a vertex of any of them lies on an edge of
 * another (within `tolerance` metres, e.g. where a grid boundary meets its community's
 * boundary), that vertex is inserted into the edge. Shared boundaries then have the same
 * vertices on both sides (no T-junctions), so areas of children add up to their parent's under
 * any area formula (turf's spherical one included) and PostGIS sees a proper polygonal coverage.
 */
export function addSharedVertices(geometries: readonly MultiPolygonXY[], tolerance = 1e-6): MultiPolygonXY[] {
  const BUCKET = 200;
  const bucketKey = (ix: number, iy: number): number => ix * 1_000_003 + iy;
  const buckets = new Map<number, XY[]>();
  const seen = new Set<string>();
  for (const g of geometries)
    for (const poly of g)
      for (const ring of poly)
        for (let i = 0; i < ring.length - 1; i++) {
          const p = ring[i]!;
          const k = `${p[0]},${p[1]}`;
          if (seen.has(k)) continue;
          seen.add(k);
          const bk = bucketKey(Math.floor(p[0] / BUCKET), Math.floor(p[1] / BUCKET));
          const list = buckets.get(bk);
          if (list) list.push(p);
          else buckets.set(bk, [p]);
        }
  const densify = (ring: Ring): Ring => {
    const out: Ring = [];
    for (let i = 0; i < ring.length - 1; i++) {
      const a = ring[i]!;
      const b = ring[i + 1]!;
      out.push(a);
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const len2 = dx * dx + dy * dy;
      if (len2 === 0) continue;
      const len = Math.sqrt(len2);
      const found: { t: number; p: XY }[] = [];
      const ix0 = Math.floor((Math.min(a[0], b[0]) - tolerance) / BUCKET);
      const ix1 = Math.floor((Math.max(a[0], b[0]) + tolerance) / BUCKET);
      const iy0 = Math.floor((Math.min(a[1], b[1]) - tolerance) / BUCKET);
      const iy1 = Math.floor((Math.max(a[1], b[1]) + tolerance) / BUCKET);
      for (let ix = ix0; ix <= ix1; ix++)
        for (let iy = iy0; iy <= iy1; iy++) {
          const list = buckets.get(bucketKey(ix, iy));
          if (!list) continue;
          for (const p of list) {
            if ((p[0] === a[0] && p[1] === a[1]) || (p[0] === b[0] && p[1] === b[1])) continue;
            const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
            if (t * len <= tolerance || (1 - t) * len <= tolerance) continue;
            const dist = Math.abs((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / len;
            if (dist <= tolerance) found.push({ t, p });
          }
        }
      found.sort((u, v) => u.t - v.t || u.p[0] - v.p[0] || u.p[1] - v.p[1]);
      for (const f of found) out.push(f.p);
    }
    out.push(ring[ring.length - 1]!);
    return out;
  };
  return geometries.map((g) => g.map((poly) => poly.map(densify)));
}
