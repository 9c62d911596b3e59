/**
 * Reads the generator's two input files from the repository's `data/` folder: the district
 * outline and the list of streets and communities.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import * as gcoordModule from 'gcoord';
import type { Feature, FeatureCollection, Polygon } from 'geojson';

interface GcoordApi {
  transform(input: [number, number], from: unknown, to: unknown): [number, number];
  GCJ02: unknown;
  WGS84: unknown;
}

/**
 * gcoord is CommonJS whose typings declare an ES `export default`; depending on the loader the
 * API is the namespace itself, its `default`, or `default.default`. Take whichever has `transform`.
 */
function resolveGcoord(): GcoordApi {
  let candidate: unknown = gcoordModule;
  for (let depth = 0; depth < 3 && candidate; depth++) {
    if (typeof (candidate as Partial<GcoordApi>).transform === 'function') return candidate as GcoordApi;
    candidate = (candidate as { default?: unknown }).default;
  }
  throw new Error('gcoord: transform() not found');
}
const gcoord = resolveGcoord();

/** The repository root, two folders above this module (server/demo/). */
const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export const DISTRICT_CODE = '610402';
export const DISTRICT_NAME = '秦都区';

export interface Division {
  level: 'street' | 'community';
  code: string;
  name: string;
  parentCode: string;
}

export interface Divisions {
  streets: Division[];
  communities: Division[];
}

/** Urban communities (居委会) have codes ending 001–199, villages (村委会) 200–399. */
export function isVillageCode(code: string): boolean {
  const n = Number(code.slice(9, 12));
  return n >= 200 && n <= 399;
}

export function loadDivisions(): Divisions {
  const text = fs.readFileSync(DATA_DIR + 'divisions-610402-qindu.csv', 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()?.split(',');
  if (header?.join(',') !== 'level,code,name,parent_code') throw new Error(`unexpected CSV header: ${header}`);
  const streets: Division[] = [];
  const communities: Division[] = [];
  for (const line of lines) {
    const [level, code, name, parentCode] = line.split(',').map((s) => s.trim());
    if (!level || !code || !name || !parentCode) throw new Error(`bad CSV line: ${line}`);
    if (level === 'street') streets.push({ level, code, name, parentCode });
    else if (level === 'community') communities.push({ level, code, name, parentCode });
    else throw new Error(`unknown level ${level}`);
  }
  streets.sort((a, b) => a.code.localeCompare(b.code));
  communities.sort((a, b) => a.code.localeCompare(b.code));
  return { streets, communities };
}

/**
 * The district outline as one valid WGS84 polygon ring (closed, counter-clockwise).
 *
 * Repair: the source ring repeats vertices and in a few places runs back along itself (zero-width
 * spikes …A→B→A… and collinear back-tracks), which validators report as a self-intersection.
 * While the coordinates are still on the source's exact 1/1024° lattice (GCJ-02), we union the
 * polygon with itself through polygon-clipping (turf.union): that rebuilds the ring from its
 * edges, dropping the duplicate vertices and the zero-area spikes without moving any other vertex
 * (the area stays 260.26 km²). Only then is every vertex converted GCJ-02 → WGS84 (in the other
 * order the spikes would become hair-thin slivers). The result is checked to be one simple ring
 * (≈259.7 km² in WGS84).
 */
export function loadDistrictOutline(): [number, number][] {
  const fc = JSON.parse(
    fs.readFileSync(DATA_DIR + 'district-610402-qindu.geojson', 'utf8'),
  ) as FeatureCollection<Polygon>;
  const feature = fc.features[0];
  if (!feature || feature.geometry.type !== 'Polygon') throw new Error('district outline: expected one Polygon');
  const source: Feature<Polygon> = turf.polygon([feature.geometry.coordinates[0]!]);
  const repaired = turf.union(turf.featureCollection([source, source]));
  if (!repaired || repaired.geometry.type !== 'Polygon' || repaired.geometry.coordinates.length !== 1) {
    throw new Error('district outline: repair did not give one simple ring');
  }
  const ring = repaired.geometry.coordinates[0]!.map((p) => {
    const [lon, lat] = gcoord.transform([p[0]!, p[1]!], gcoord.GCJ02, gcoord.WGS84);
    return [lon, lat] as [number, number];
  });
  const result = turf.polygon([ring]);
  if (turf.kinks(result).features.length > 0) throw new Error('district outline: still self-intersecting');
  return ring;
}
