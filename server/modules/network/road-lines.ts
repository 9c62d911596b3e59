/**
 * Roads from a file → road lines with a road class: lines from any vector file the import front
 * door reads (Shapefile, GeoJSON, GeoPackage, …), or the `lines` layer of an OpenStreetMap
 * extract (.osm.pbf / .osm, read by GDAL's OSM driver). Multi-lines are split into their parts.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { badRequest } from '../../shared/errors.js';
import { runGdal } from '../imports/gdal.js';
import { readVectorFile, type ReadOptions, type SourceFeature } from '../imports/read-vector.js';

export interface RoadLine {
  /** 0-based number of the feature in the file (for messages). */
  feature: number;
  coordinates: [number, number][];
  /** OpenStreetMap highway=* value (or the file's class field), lower case; null when absent. */
  roadClass: string | null;
  name: string | null;
  bridge: boolean;
  tunnel: boolean;
  oneway: boolean;
}

export const MAX_ROAD_FEATURES = 200_000;
const CLASS_FIELDS = ['highway', 'road_class', 'fclass', 'class', 'type', 'kind'];
const NAME_FIELDS = ['name', 'name_zh', 'NAME', 'Name', '名称', '道路名称'];

const truthy = (v: unknown) => v === true || v === 1 || (typeof v === 'string' && ['yes', 'true', '1', 't', 'y', '是', '-1'].includes(v.trim().toLowerCase()));
const pick = (props: Record<string, unknown>, names: string[]) => {
  for (const n of names) {
    const hit = Object.keys(props).find((k) => k.toLowerCase() === n.toLowerCase());
    if (hit && props[hit] !== null && props[hit] !== undefined && String(props[hit]).trim() !== '') return String(props[hit]).trim();
  }
  return null;
};

/** OSM's other_tags field: `"bridge"=>"yes","oneway"=>"yes"`. */
function otherTags(text: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof text !== 'string') return out;
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!;
  return out;
}

function toLines(features: SourceFeature[]): RoadLine[] {
  const lines: RoadLine[] = [];
  features.forEach((f, feature) => {
    const props = { ...f.properties, ...otherTags(f.properties.other_tags) };
    const parts: unknown[] =
      f.geometry?.type === 'LineString' ? [f.geometry.coordinates] : f.geometry?.type === 'MultiLineString' ? (f.geometry.coordinates as unknown[]) : [];
    if (f.geometry && parts.length === 0) return; // points and polygons are not roads
    const cls = pick(props, CLASS_FIELDS);
    for (const coords of parts) {
      lines.push({
        feature,
        coordinates: (coords as number[][]).map((c) => [Number(c[0]), Number(c[1])] as [number, number]),
        roadClass: cls ? cls.toLowerCase() : null,
        name: pick(props, NAME_FIELDS),
        bridge: truthy(props.bridge),
        tunnel: truthy(props.tunnel),
        oneway: truthy(props.oneway),
      });
    }
  });
  return lines;
}

const isOsm = (fileName: string) => /\.osm(\.pbf)?$/i.test(fileName) || /\.pbf$/i.test(fileName);

/** OpenStreetMap extract: the lines layer with a highway tag, through ogr2ogr. */
async function readOsm(bytes: Buffer, fileName: string): Promise<SourceFeature[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wangge-osm-'));
  try {
    const src = path.join(dir, /\.pbf$/i.test(fileName) ? 'extract.osm.pbf' : 'extract.osm');
    await fs.writeFile(src, bytes, { mode: 0o600 });
    const out = path.join(dir, 'lines.geojson');
    const context = { fileName, hide: dir };
    await runGdal('ogr2ogr', ['-f', 'GeoJSON', '-lco', 'RFC7946=NO', '-dim', 'XY', '-where', 'highway IS NOT NULL', out, src, 'lines'], context);
    const parsed = JSON.parse(await fs.readFile(out, 'utf8')) as { features?: SourceFeature[] };
    return (parsed.features ?? []).map((f) => ({ geometry: f.geometry ?? null, properties: f.properties ?? {} }));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export async function readRoadLines(bytes: Buffer, fileName: string, options: ReadOptions = {}): Promise<{ lines: RoadLine[]; format: string }> {
  if (isOsm(fileName)) {
    const features = await readOsm(bytes, fileName);
    if (features.length > MAX_ROAD_FEATURES) throw badRequest('network.tooManyRoads', { file: fileName, count: features.length, max: MAX_ROAD_FEATURES });
    return { lines: toLines(features), format: 'osm' };
  }
  const source = await readVectorFile(bytes, fileName, { ...options, maxFeatures: MAX_ROAD_FEATURES });
  return { lines: toLines(source.features), format: source.format };
}
