/**
 * Coordinate systems data arrives in, and their conversion to what Wangge stores: WGS84
 * longitude/latitude (CGCS2000 differs by centimetres and is treated as WGS84).
 * GCJ-02 comes from Amap/Tencent, BD-09 from Baidu; both are offset by up to ~500 m.
 */
import gcoord from 'gcoord';
import { Type, type Static } from 'typebox';
import { problem, type Problem } from './refusals.js';

export const SOURCE_CRS = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;
export const SourceCrsSchema = Type.Enum(SOURCE_CRS, {
  description: 'Coordinate system of the source: wgs84 / cgcs2000 (stored as is), gcj02 (Amap, Tencent), bd09 (Baidu)',
});
export type SourceCrs = Static<typeof SourceCrsSchema>;

const GCOORD_CRS = { gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** Converts one [lon, lat] position from a source CRS to WGS84. */
export function toWgs84(position: [number, number], from: SourceCrs): [number, number] {
  if (from === 'wgs84' || from === 'cgcs2000') return [position[0], position[1]];
  const [lon, lat] = gcoord.transform(position, GCOORD_CRS[from], gcoord.WGS84) as [number, number];
  return [lon, lat];
}

/** Converts every position of a GeoJSON geometry or feature collection in place; returns it. */
export function geojsonToWgs84<T extends object>(geojson: T, from: SourceCrs): T {
  if (from === 'wgs84' || from === 'cgcs2000') return geojson;
  return gcoord.transform(geojson as never, GCOORD_CRS[from], gcoord.WGS84) as T;
}

/**
 * Why a longitude/latitude pair cannot be a place in China, or null: swapped axes, projected
 * metres, NaN/Infinity and out-of-range values, each its own code (server/shared/refusals.ts
 * `problem`), for the row errors of an upload and the refusals quoting them.
 */
export function lonLatCodedProblem(lon: number, lat: number): Problem | null {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return problem('coordinates.notFinite');
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    if (Math.abs(lat) <= 180 && Math.abs(lon) <= 90) return problem('coordinates.swapped', { lon, lat });
    return problem('coordinates.notDegrees', { lon, lat });
  }
  // China spans roughly 73–136° E and 3–54° N.
  if (lon >= 3 && lon <= 54 && lat >= 73 && lat <= 136) return problem('coordinates.swapped', { lon, lat });
  return null;
}
