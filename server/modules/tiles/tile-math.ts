/**
 * Web Mercator tile arithmetic (the XYZ scheme MapLibre requests): which longitude/latitude box
 * a tile covers, with the buffer its features are drawn with, and whether a box touches it.
 */

/** [minLon, minLat, maxLon, maxLat], WGS84. */
export type LonLatBox = [number, number, number, number];

/** Tile extent in MVT units, and the buffer drawn around it (ST_AsMVTGeom's defaults). */
export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;

/** The highest zoom served: beyond it MapLibre overzooms the tiles it has. */
export const MAX_TILE_ZOOM = 22;

export interface TileCoordinates {
  z: number;
  x: number;
  y: number;
}

export function isValidTile({ z, x, y }: TileCoordinates): boolean {
  const n = 2 ** z;
  return Number.isInteger(z) && Number.isInteger(x) && Number.isInteger(y) && z >= 0 && z <= MAX_TILE_ZOOM && x >= 0 && x < n && y >= 0 && y < n;
}

const lonOf = (x: number, n: number) => (x / n) * 360 - 180;
const latOf = (y: number, n: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;

/**
 * The box a tile's features may come from: the tile plus its drawing buffer (64/4096 of a tile
 * on each side). An edit anywhere in it may change the tile's bytes.
 */
export function tileBoxWithBuffer({ z, x, y }: TileCoordinates): LonLatBox {
  const n = 2 ** z;
  const margin = TILE_BUFFER / TILE_EXTENT;
  return [lonOf(x - margin, n), latOf(y + 1 + margin, n), lonOf(x + 1 + margin, n), latOf(y - margin, n)];
}

/** Closed-box intersection: a point on a tile's edge touches the tile. */
export function boxesIntersect(a: LonLatBox, b: LonLatBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** The tile (x, y) at zoom z that contains a longitude/latitude. */
export function tileAt(lon: number, lat: number, z: number): TileCoordinates {
  const n = 2 ** z;
  const x = Math.min(n - 1, Math.max(0, Math.floor(((lon + 180) / 360) * n)));
  const rad = (lat * Math.PI) / 180;
  const y = Math.min(n - 1, Math.max(0, Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)));
  return { z, x, y };
}
