/**
 * Small planar helpers on GeoJSON longitude/latitude, good enough for framing the view and
 * placing a label inside a district-sized polygon (no turf needed in the browser).
 */
import type { Geometry, Polygon, MultiPolygon, Position } from 'geojson';

/** [west, south, east, north] */
export type BBox = [number, number, number, number];

function eachPosition(geometry: Geometry, visit: (p: Position) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates);
      break;
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(visit);
      break;
    case 'MultiLineString':
    case 'Polygon':
      geometry.coordinates.forEach((line) => line.forEach(visit));
      break;
    case 'MultiPolygon':
      geometry.coordinates.forEach((polygon) => polygon.forEach((ring) => ring.forEach(visit)));
      break;
    case 'GeometryCollection':
      geometry.geometries.forEach((g) => eachPosition(g, visit));
      break;
  }
}

/** The bounding box of some geometries, or null when there is no position at all. */
export function bboxOf(geometries: Iterable<Geometry>): BBox | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const geometry of geometries) {
    eachPosition(geometry, ([x, y]) => {
      if (x === undefined || y === undefined) return;
      if (x < west) west = x;
      if (x > east) east = x;
      if (y < south) south = y;
      if (y > north) north = y;
    });
  }
  return west <= east ? [west, south, east, north] : null;
}

/** Signed shoelace area of a ring in square degrees (only compared, never shown). */
function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    sum += (a[0]! * b[1]! - b[0]! * a[1]!);
  }
  return sum / 2;
}

function ringCentroid(ring: Position[]): Position {
  let cx = 0;
  let cy = 0;
  let doubleArea = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    const cross = a[0]! * b[1]! - b[0]! * a[1]!;
    doubleArea += cross;
    cx += (a[0]! + b[0]!) * cross;
    cy += (a[1]! + b[1]!) * cross;
  }
  if (doubleArea === 0) return ring[0] ?? [0, 0];
  return [cx / (3 * doubleArea), cy / (3 * doubleArea)];
}

function insidePolygon(point: Position, polygon: Position[][]): boolean {
  const [x, y] = point as [number, number];
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * A point inside a (multi)polygon to hang its label on: the centroid of its largest part when
 * that falls inside, else the middle of the widest inside stretch of the horizontal line through
 * the centroid (concave streets and crescent-shaped villages).
 */
export function labelPoint(geometry: Polygon | MultiPolygon): Position | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let largest: Position[][] | null = null;
  let largestArea = -1;
  for (const polygon of polygons) {
    const outer = polygon[0];
    if (!outer || outer.length < 4) continue;
    const area = Math.abs(ringArea(outer));
    if (area > largestArea) {
      largestArea = area;
      largest = polygon;
    }
  }
  if (!largest) return null;
  const centroid = ringCentroid(largest[0]!);
  if (insidePolygon(centroid, largest)) return centroid;

  const y = centroid[1]!;
  const crossings: number[] = [];
  for (const ring of largest) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if (yi > y !== yj > y) crossings.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
    }
  }
  crossings.sort((a, b) => a - b);
  let best: Position | null = null;
  let bestWidth = -1;
  for (let i = 0; i + 1 < crossings.length; i += 2) {
    const width = crossings[i + 1]! - crossings[i]!;
    if (width > bestWidth) {
      bestWidth = width;
      best = [(crossings[i]! + crossings[i + 1]!) / 2, y];
    }
  }
  return best ?? centroid;
}
