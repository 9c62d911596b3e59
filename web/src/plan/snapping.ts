/**
 * Snapping a drawn point to the grids around it: to a neighbour's (or the community outline's)
 * vertex when one is near on screen, otherwise onto the nearest edge. Distances are in screen
 * pixels, as a GIS user expects; the point put on an edge lies exactly on the straight segment
 * in longitude/latitude, which is how PostGIS sees that edge.
 */
export type Position = [number, number];
export type ScreenPoint = { x: number; y: number };

export interface SnapOptions {
  /** Snap to a vertex within this many pixels. */
  vertexPixels?: number;
  /** Otherwise onto an edge within this many pixels. */
  edgePixels?: number;
}

export interface SnapResult {
  position: Position;
  kind: 'vertex' | 'edge';
  pixels: number;
}

/**
 * The snapped position for a pointer at `pointer` (screen), or null when nothing is near.
 * `rings` are closed rings (first = last) of the reference outlines.
 */
export function snapPosition(
  pointer: ScreenPoint,
  rings: readonly (readonly Position[])[],
  project: (position: Position) => ScreenPoint,
  options: SnapOptions = {},
): SnapResult | null {
  const vertexPixels = options.vertexPixels ?? 12;
  const edgePixels = options.edgePixels ?? 10;
  let bestVertex: SnapResult | null = null;
  let bestEdge: SnapResult | null = null;
  for (const ring of rings) {
    let previous: { p: Position; s: ScreenPoint } | null = null;
    for (const p of ring) {
      const s = project(p);
      const d = Math.hypot(s.x - pointer.x, s.y - pointer.y);
      if (d <= vertexPixels && (!bestVertex || d < bestVertex.pixels)) bestVertex = { position: [p[0], p[1]], kind: 'vertex', pixels: d };
      if (previous) {
        const dx = s.x - previous.s.x;
        const dy = s.y - previous.s.y;
        const length2 = dx * dx + dy * dy;
        if (length2 > 0) {
          const t = Math.max(0, Math.min(1, ((pointer.x - previous.s.x) * dx + (pointer.y - previous.s.y) * dy) / length2));
          const distance = Math.hypot(previous.s.x + t * dx - pointer.x, previous.s.y + t * dy - pointer.y);
          if (distance <= edgePixels && (!bestEdge || distance < bestEdge.pixels)) {
            const a = previous.p;
            bestEdge = { position: [a[0] + t * (p[0] - a[0]), a[1] + t * (p[1] - a[1])], kind: 'edge', pixels: distance };
          }
        }
      }
      previous = { p, s };
    }
  }
  return bestVertex ?? bestEdge;
}

/** The closed rings of polygonal geometries, for snapping. */
export function ringsOf(geometries: Iterable<GeoJSON.Geometry | null | undefined>): Position[][] {
  const rings: Position[][] = [];
  for (const g of geometries) {
    if (!g) continue;
    if (g.type === 'Polygon') g.coordinates.forEach((r) => rings.push(r as Position[]));
    else if (g.type === 'MultiPolygon') g.coordinates.forEach((p) => p.forEach((r) => rings.push(r as Position[])));
    else if (g.type === 'LineString') rings.push(g.coordinates as Position[]);
  }
  return rings;
}
