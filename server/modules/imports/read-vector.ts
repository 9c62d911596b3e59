/**
 * The front door of every import: an uploaded file in → GeoJSON features in WGS84 longitude/
 * latitude with their attributes and the source's field list out. Every format is read by
 * GDAL (ogrinfo for what the file holds and its coordinate system, ogr2ogr for the features),
 * so a zipped Shapefile (GBK or UTF-8, with or without .cpg), GeoJSON, KML/KMZ from any writer,
 * GeoPackage, FlatGeobuf, GML and CSV with a WKT column are one path. Projected systems on
 * CGCS2000/WGS84 are reprojected by PROJ; GCJ-02/BD-09 are the user's choice, applied after.
 *
 * The file is written to a private temporary directory (mode 700) that is always removed;
 * archives are opened by safe-zip (central directory checked before anything is inflated) and
 * only the entries GDAL needs are written out, under fixed names.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type JSZip from 'jszip';
import { geojsonToWgs84 } from '../../shared/coordinates.js';
import { badRequest, phrase } from '../../shared/errors.js';
import { openZipSafely, readZipEntry, readZipEntryText } from '../../shared/safe-zip.js';
import { runGdal } from './gdal.js';
import { classifyCrs, CRS_CHOICES_TEXT, isEpsgChoice, type ChosenCrs, type CrsKind } from './source-crs.js';
import { chooseShapefileEncoding, gdalEncodingName, type EncodingUsed, type SourceEncoding } from './text-encoding.js';

export type VectorFormat = 'geojson' | 'shapefile' | 'kml' | 'geopackage' | 'flatgeobuf' | 'gml' | 'csv' | 'dxf';

export interface SourceGeometry {
  type: string;
  coordinates?: unknown;
  geometries?: unknown;
}

export interface SourceFeature {
  geometry: SourceGeometry | null;
  properties: Record<string, unknown>;
}

export interface VectorSource {
  format: VectorFormat;
  /** The layers read (KML folders are layers of one file). */
  layers: string[];
  /** Features in WGS84 longitude/latitude, in file order. */
  features: SourceFeature[];
  /** Attribute names in the order the file declares them. */
  fields: string[];
  /** The text encoding of a Shapefile's attributes, and where it came from. */
  encoding: EncodingUsed | null;
  /** The coordinate system as read (or chosen), and what was done to reach WGS84. */
  crs: { name: string; from: 'file' | 'chosen'; reprojected: boolean; shiftedFrom: 'gcj02' | 'bd09' | null };
}

export interface ReadOptions {
  encoding?: SourceEncoding;
  /** The system the user chose; undefined when they did not (a file without one is then refused). */
  crs?: ChosenCrs;
  maxFeatures?: number;
}

export const MAX_IMPORT_FEATURES = 5000;
export const SUPPORTED_FILES = '.zip (Shapefile), .geojson/.json, .kml/.kmz, .gpkg, .fgb, .gml, .dxf or .csv (a WKT column, or X/Y, lon/lat, 经度/纬度 columns)';

/** CSV columns GDAL takes as the geometry (WKT) or as the point's X/longitude and Y/latitude. */
const CSV_GEOMETRY_NAMES = ['WKT', 'wkt_geom', 'geometry', 'geom', 'the_geom', 'shape', '几何', '空间信息'];
const CSV_X_NAMES = ['x', 'lon', 'lng', 'long', 'longitude', 'point_x', '经度', 'jd', 'jingdu', 'easting', '东坐标'];
const CSV_Y_NAMES = ['y', 'lat', 'latitude', 'point_y', '纬度', 'wd', 'weidu', 'northing', '北坐标'];

/** DXF bookkeeping GDAL turns into fields; the layer name and an entity's text are kept. */
const DXF_BOOKKEEPING = new Set(['PaperSpace', 'SubClasses', 'Linetype', 'EntityHandle', 'ExtendedEntity', 'RawCodeValues']);

/** KML bookkeeping that GDAL's LIBKML driver turns into fields; not attributes of the place. */
const KML_BOOKKEEPING = new Set(['description', 'timestamp', 'begin', 'end', 'altitudeMode', 'tessellate', 'extrude', 'visibility', 'drawOrder', 'icon', 'snippet']);
const KML_RENAMED: Record<string, string> = { Name: 'name', Description: 'description' };

interface LayerInfo {
  name: string;
  geometry: string;
  featureCount: number;
  wkt: string;
  fields: string[];
  /** The layer's extent as ogrinfo reports it, in the layer's own coordinates. */
  extent: [number, number, number, number] | null;
}

/** Parses `ogrinfo -so -al -wkt_format WKT1` (GDAL 3.6 has no JSON output for vector files). */
export function parseOgrinfo(text: string): LayerInfo[] {
  const layers: LayerInfo[] = [];
  const blocks = text.split(/^Layer name: /m).slice(1);
  for (const block of blocks) {
    const lines = block.split('\n');
    const layer: LayerInfo = { name: lines[0]!.trim(), geometry: '', featureCount: 0, wkt: '', fields: [], extent: null };
    let inWkt = false;
    let afterWkt = false;
    for (const line of lines.slice(1)) {
      if (inWkt) {
        if (line.startsWith('Data axis to CRS axis mapping')) {
          inWkt = false;
          afterWkt = true;
        } else if (line.trim() === '(unknown)') {
          layer.wkt = '(unknown)';
          inWkt = false;
          afterWkt = true;
        } else layer.wkt += `${line}\n`;
        continue;
      }
      if (line.startsWith('Geometry: ')) layer.geometry = line.slice(10).trim();
      else if (line.startsWith('Feature Count: ')) layer.featureCount = Number(line.slice(15)) || 0;
      else if (line.startsWith('Layer SRS WKT:')) inWkt = true;
      else if (line.startsWith('Extent: ')) {
        const n = /^Extent: \(([-\d.e+]+), ([-\d.e+]+)\) - \(([-\d.e+]+), ([-\d.e+]+)\)/.exec(line);
        if (n) layer.extent = [Number(n[1]), Number(n[2]), Number(n[3]), Number(n[4])];
      }
      else if (afterWkt) {
        const match = /^(.+): (String|Integer|Integer64|Real|Date|DateTime|Time|Binary|StringList|IntegerList|Integer64List|RealList)(\(\w+\))? \(/.exec(line);
        if (match) layer.fields.push(match[1]!);
      }
    }
    layers.push(layer);
  }
  return layers;
}

function formatOf(fileName: string): Exclude<VectorFormat, 'shapefile'> | 'zip' | 'kmz' | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.zip')) return 'zip';
  if (lower.endsWith('.kml')) return 'kml';
  if (lower.endsWith('.kmz')) return 'kmz';
  if (lower.endsWith('.gpkg')) return 'geopackage';
  if (lower.endsWith('.fgb')) return 'flatgeobuf';
  if (lower.endsWith('.gml')) return 'gml';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.dxf')) return 'dxf';
  return null;
}

const FILE_NAMES: Record<Exclude<VectorFormat, 'shapefile'>, string> = {
  geojson: 'source.geojson', kml: 'source.kml', geopackage: 'source.gpkg', flatgeobuf: 'source.fgb', gml: 'source.gml', csv: 'source.csv', dxf: 'source.dxf',
};

/** How GDAL opens each format: open options and configuration. */
function openingOf(format: Exclude<VectorFormat, 'shapefile'>): { openOptions: string[]; config: Record<string, string> } {
  if (format === 'csv') {
    return {
      openOptions: ['-oo', 'KEEP_GEOM_COLUMNS=NO', '-oo', `GEOM_POSSIBLE_NAMES=${CSV_GEOMETRY_NAMES.join(',')}`,
        '-oo', `X_POSSIBLE_NAMES=${CSV_X_NAMES.join(',')}`, '-oo', `Y_POSSIBLE_NAMES=${CSV_Y_NAMES.join(',')}`],
      config: {},
    };
  }
  // CAD drawings outline areas with closed polylines: read them as polygons.
  if (format === 'dxf') return { openOptions: [], config: { DXF_CLOSED_LINE_AS_POLYGON: 'TRUE' } };
  if (format === 'kml') return { openOptions: [], config: { LIBKML_LAUNDER_FIELD_NAMES: 'NO' } };
  // A GML without its .xsd: GDAL guesses types from the values and would turn a code such as
  // 0101 or a phone number into a number; every attribute stays text (the imports parse counts).
  if (format === 'gml') return { openOptions: [], config: { GML_FIELDTYPES: 'ALWAYS_STRING' } };
  return { openOptions: [], config: {} };
}

/** A CSV in GBK (Excel's default on a Chinese Windows) or UTF-8, as UTF-8 for GDAL. */
function csvAsUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function liveEntries(zip: JSZip) {
  return Object.values(zip.files).filter((f) => !f.dir && !f.name.startsWith('__MACOSX') && !path.basename(f.name).startsWith('._'));
}

interface Staged {
  format: VectorFormat;
  path: string;
  openOptions: string[];
  config: Record<string, string>;
  encoding: EncodingUsed | null;
  /** The Shapefile's own name, for messages about its .prj. */
  shapefileName?: string;
}

/** Writes what GDAL should read into `dir` and says how to open it. */
async function stage(dir: string, bytes: Buffer, fileName: string, chosenEncoding: SourceEncoding): Promise<Staged> {
  const format = formatOf(fileName);
  if (!format) throw badRequest('imports.unsupported', { file: fileName, supported: SUPPORTED_FILES });
  const write = async (name: string, data: Uint8Array | string) => {
    const target = path.join(dir, name);
    await fs.writeFile(target, data, { mode: 0o600 });
    return target;
  };
  if (format === 'geojson') {
    // JSON.parse says where a broken file breaks more plainly than GDAL does.
    try {
      JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
      throw badRequest('imports.notJson', { file: fileName, detail: (error as Error).message });
    }
  }
  if (format === 'kmz') {
    // GDAL reads the KMZ itself: writers (GDAL's LIBKML among them) put each layer in a file of
    // its own under layers/, linked from doc.kml. The archive is checked first like every zip.
    const zip = await openZipSafely(bytes, fileName);
    if (!liveEntries(zip).some((f) => f.name.toLowerCase().endsWith('.kml'))) throw badRequest('imports.kmzNoKml', { file: fileName });
    return { format: 'kml', path: await write('source.kmz', bytes), openOptions: [], config: { LIBKML_LAUNDER_FIELD_NAMES: 'NO' }, encoding: null };
  }
  if (format === 'zip') {
    const zip = await openZipSafely(bytes, fileName);
    const entries = liveEntries(zip);
    const shpEntries = entries.filter((f) => f.name.toLowerCase().endsWith('.shp'));
    if (shpEntries.length === 0) {
      // A zip may also carry one file of another supported kind.
      const other = entries.find((f) => { const kind = formatOf(f.name); return kind && kind !== 'zip' && kind !== 'kmz'; });
      if (other) {
        const kind = formatOf(other.name) as Exclude<VectorFormat, 'shapefile'>;
        const inner = await readZipEntry(other, fileName);
        return { format: kind, path: await write(FILE_NAMES[kind], kind === 'csv' ? csvAsUtf8(inner) : inner), ...openingOf(kind), encoding: null };
      }
      throw badRequest('imports.zipNoShp', { file: fileName });
    }
    if (shpEntries.length > 1) throw badRequest('imports.zipManyShp', { file: fileName, count: shpEntries.length, names: shpEntries.map((e) => e.name).join(', ') });
    const base = shpEntries[0]!.name.slice(0, -4);
    const sibling = (ext: string) => entries.find((f) => f.name.toLowerCase() === `${base.toLowerCase()}.${ext}`);
    const dbfEntry = sibling('dbf');
    if (!dbfEntry) throw badRequest('imports.noDbf', { file: fileName, base: path.basename(base) });
    const dbf = await readZipEntry(dbfEntry, fileName);
    const cpgEntry = sibling('cpg');
    const cpg = cpgEntry ? await readZipEntryText(cpgEntry, fileName) : undefined;
    const encoding = chooseShapefileEncoding(chosenEncoding, cpg, dbf);
    const shp = await write('layer.shp', await readZipEntry(shpEntries[0]!, fileName));
    await write('layer.dbf', dbf);
    const shx = sibling('shx');
    if (shx) await write('layer.shx', await readZipEntry(shx, fileName));
    const prj = sibling('prj');
    if (prj) await write('layer.prj', await readZipEntry(prj, fileName));
    return {
      format: 'shapefile',
      path: shp,
      openOptions: ['-oo', `ENCODING=${gdalEncodingName(encoding.name)}`],
      // A missing .shx is rebuilt from the .shp rather than refused.
      config: { SHAPE_RESTORE_SHX: 'YES' },
      encoding,
      shapefileName: path.basename(base),
    };
  }
  return { format, path: await write(FILE_NAMES[format], format === 'csv' ? csvAsUtf8(bytes) : bytes), ...openingOf(format), encoding: null };
}

function trimValues(properties: Record<string, unknown>, format: VectorFormat): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(properties ?? {})) {
    let key = rawKey.trim();
    if (format === 'kml') {
      if (KML_BOOKKEEPING.has(key) && !(key === 'description' && typeof value === 'string' && value.trim())) continue;
      key = KML_RENAMED[key] ?? key;
    }
    if (format === 'dxf' && DXF_BOOKKEEPING.has(key)) continue;
    out[key] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}

/**
 * What a chosen EPSG code is, as PROJ knows it: classified like a file's own system (so a
 * Xian 80 code is refused for the same reason as a Xian 80 .prj).
 */
async function epsgKind(code: `EPSG:${number}`, fileName: string, dir: string): Promise<CrsKind> {
  let wkt: string;
  try {
    wkt = (await runGdal('gdalsrsinfo', ['-o', 'wkt1', code], { fileName, hide: dir })).stdout;
  } catch {
    throw badRequest('imports.epsgUnknown', { code });
  }
  return classifyCrs(wkt, `${fileName} (crs ${code})`);
}

/** Reads an uploaded vector file into WGS84 GeoJSON features. */
export async function readVectorFile(bytes: Buffer, fileName: string, options: ReadOptions = {}): Promise<VectorSource> {
  const maxFeatures = options.maxFeatures ?? MAX_IMPORT_FEATURES;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wangge-import-'));
  try {
    const staged = await stage(dir, bytes, fileName, options.encoding ?? 'auto');
    const context = { fileName, hide: dir, config: staged.config };
    const info = await runGdal('ogrinfo', ['-ro', '-so', '-al', '-wkt_format', 'WKT1', ...staged.openOptions, staged.path], context);
    const layers = parseOgrinfo(info.stdout).filter((l) => l.geometry !== 'None' && l.featureCount > 0);
    if (layers.length === 0) throw badRequest('imports.noFeatures', { file: fileName });
    if (layers.length > 1 && staged.format !== 'kml') {
      throw badRequest('imports.manyLayers', { file: fileName, count: layers.length, names: layers.map((l) => l.name).join(', ') });
    }
    const total = layers.reduce((sum, l) => sum + l.featureCount, 0);
    if (total > maxFeatures) throw badRequest('imports.tooManyFeatures', { file: fileName, count: total, max: maxFeatures });

    const features: SourceFeature[] = [];
    const fields: string[] = [];
    let crsSeen: { name: string; from: 'file' | 'chosen'; reprojected: boolean } | null = null;
    const chosenEpsg = isEpsgChoice(options.crs) ? await epsgKind(options.crs, fileName, dir) : null;
    for (const [index, layer] of layers.entries()) {
      // KML is WGS84 by its specification, and so is GeoJSON (GDAL reports WGS 84 for it).
      const fileCrs: CrsKind = staged.format === 'kml' ? { kind: 'geographic', name: 'WGS 84', datum: 'WGS84' } : classifyCrs(layer.wkt, fileName);
      if (fileCrs.kind === 'none' && !options.crs) {
        const what = staged.format === 'shapefile' ? phrase('imports.prjMissing', { base: staged.shapefileName ?? '' }) : phrase('imports.crsNotSaid');
        throw badRequest('imports.crsUnknown', { file: fileName, what, choices: CRS_CHOICES_TEXT }, { needsCrs: true });
      }
      if (fileCrs.kind === 'none' && !chosenEpsg && layer.extent && layer.extent.some((v, i) => Math.abs(v) > (i % 2 === 0 ? 180 : 90))) {
        const [minX, minY] = layer.extent;
        throw badRequest('imports.projectedMetres', { file: fileName, x: minX!, y: minY! }, { needsCrs: true });
      }
      const crs: CrsKind = fileCrs.kind === 'none' && chosenEpsg ? chosenEpsg : fileCrs;
      if (crs.kind === 'projected' && (options.crs === 'gcj02' || options.crs === 'bd09')) {
        throw badRequest('imports.projectedNotLonLat', { file: fileName, crs: crs.name, chosen: options.crs === 'gcj02' ? 'GCJ-02' : 'BD-09' });
      }
      const reprojected = crs.kind === 'projected';
      const fromChoice = fileCrs.kind === 'none';
      crsSeen ??= crs.kind === 'none' ? { name: options.crs!, from: 'chosen', reprojected: false } : { name: crs.name, from: fromChoice ? 'chosen' : 'file', reprojected };
      const out = path.join(dir, `out-${index}.geojson`);
      await runGdal('ogr2ogr', [
        '-f', 'GeoJSON', '-lco', 'RFC7946=NO', '-dim', 'XY',
        ...(fromChoice && chosenEpsg ? ['-s_srs', options.crs as string] : []),
        ...(reprojected ? ['-t_srs', 'EPSG:4326'] : []),
        ...staged.openOptions, out, staged.path, layer.name,
      ], context);
      let parsed: { features?: { geometry: SourceGeometry | null; properties: Record<string, unknown> | null }[] };
      try {
        parsed = JSON.parse(await fs.readFile(out, 'utf8'));
      } catch {
        throw badRequest('imports.layerNotConverted', { file: fileName, layer: layer.name });
      }
      for (const f of parsed.features ?? []) features.push({ geometry: f.geometry ?? null, properties: trimValues(f.properties ?? {}, staged.format) });
      for (const field of layer.fields) {
        const name = Object.keys(trimValues({ [field]: 'x' }, staged.format))[0];
        if (name && !fields.includes(name)) fields.push(name);
      }
    }
    const shift = options.crs === 'gcj02' || options.crs === 'bd09' ? options.crs : null;
    if (shift) for (const f of features) if (f.geometry) f.geometry = geojsonToWgs84(f.geometry, shift);
    if (features.length === 0) throw badRequest('imports.noFeatures', { file: fileName });
    return {
      format: staged.format,
      layers: layers.map((l) => (staged.format === 'shapefile' ? staged.shapefileName! : l.name)),
      features,
      fields,
      encoding: staged.encoding,
      crs: { ...crsSeen!, shiftedFrom: shift },
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
