/**
 * Reads an uploaded grid file into GeoJSON features with their source attributes: GeoJSON,
 * zipped Shapefile (text encoding from the .cpg, or the one the planner chose, or detected) and
 * KML/KMZ. Coordinates are returned as in the file; conversion happens afterwards.
 */
import * as shapefile from 'shapefile';
import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { badRequest } from '../../shared/errors.js';
import { openZipSafely, readZipEntry, readZipEntryText } from '../../shared/safe-zip.js';

export const SOURCE_ENCODINGS = ['auto', 'utf-8', 'gbk', 'gb18030'] as const;
export type SourceEncoding = (typeof SOURCE_ENCODINGS)[number];

export interface SourceFeature {
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}

export interface SourceFile {
  format: 'geojson' | 'shapefile' | 'kml';
  features: SourceFeature[];
  /** Attribute names in the order first seen. */
  fields: string[];
  /** The text encoding used for a Shapefile's attributes, and where it came from. */
  encoding: { name: string; from: 'chosen' | 'cpg' | 'detected' } | null;
}

export const MAX_IMPORT_FEATURES = 5000;

/** .cpg contents as written by ArcGIS, QGIS and others → a TextDecoder label. */
export function encodingFromCpg(cpg: string): string | null {
  const value = cpg.trim().toUpperCase().replace(/^ANSI\s+/, '');
  if (['UTF-8', 'UTF8', '65001'].includes(value)) return 'utf-8';
  if (['GBK', '936', 'CP936', 'GB2312', 'MS936', 'WINDOWS-936'].includes(value)) return 'gbk';
  if (['GB18030', '54936'].includes(value)) return 'gb18030';
  try {
    new TextDecoder(value.toLowerCase());
    return value.toLowerCase();
  } catch {
    return null;
  }
}

function collectFields(features: SourceFeature[]): string[] {
  const seen = new Set<string>();
  for (const f of features) for (const key of Object.keys(f.properties)) seen.add(key);
  return [...seen];
}

export async function readSourceFile(bytes: Buffer, fileName: string, chosenEncoding: SourceEncoding = 'auto'): Promise<SourceFile> {
  const lower = fileName.toLowerCase();
  let result: SourceFile;
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) result = readGeojson(bytes, fileName);
  else if (lower.endsWith('.zip')) result = await readZippedShapefile(bytes, fileName, chosenEncoding);
  else if (lower.endsWith('.kml')) result = readKml(bytes.toString('utf8'), fileName);
  else if (lower.endsWith('.kmz')) result = await readKmz(bytes, fileName);
  else throw badRequest(`file ${fileName}: grids can be imported from .geojson/.json, a zipped Shapefile (.zip) or .kml/.kmz`);
  if (result.features.length === 0) throw badRequest(`file ${fileName}: it holds no features`);
  if (result.features.length > MAX_IMPORT_FEATURES) throw badRequest(`file ${fileName}: ${result.features.length} features; at most ${MAX_IMPORT_FEATURES} can be imported at once`);
  return result;
}

function readGeojson(bytes: Buffer, fileName: string): SourceFile {
  let json: { type?: string; features?: unknown[]; geometry?: unknown; properties?: unknown };
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw badRequest(`file ${fileName}: not valid JSON (${(error as Error).message})`);
  }
  const list = json.type === 'FeatureCollection' && Array.isArray(json.features) ? json.features : json.type === 'Feature' ? [json] : null;
  if (!list) throw badRequest(`file ${fileName}: expected a GeoJSON FeatureCollection or Feature`);
  const features = list.map((f) => {
    const feature = f as { geometry?: SourceFeature['geometry']; properties?: Record<string, unknown> | null };
    return { geometry: feature.geometry ?? null, properties: feature.properties ?? {} };
  });
  return { format: 'geojson', features, fields: collectFields(features), encoding: null };
}

async function readZippedShapefile(bytes: Buffer, fileName: string, chosen: SourceEncoding): Promise<SourceFile> {
  const zip = await openZipSafely(bytes, fileName);
  const entries = Object.values(zip.files).filter((f) => !f.dir && !f.name.startsWith('__MACOSX'));
  const shpEntries = entries.filter((f) => f.name.toLowerCase().endsWith('.shp'));
  if (shpEntries.length === 0) {
    const kmlEntry = entries.find((f) => f.name.toLowerCase().endsWith('.kml'));
    if (kmlEntry) return readKml(await readZipEntryText(kmlEntry, fileName), fileName);
    throw badRequest(`file ${fileName}: the zip holds no .shp file`);
  }
  if (shpEntries.length > 1) throw badRequest(`file ${fileName}: the zip holds ${shpEntries.length} .shp files (${shpEntries.map((e) => e.name).join(', ')}); import one layer at a time`);
  const base = shpEntries[0]!.name.slice(0, -4);
  const sibling = (ext: string) => entries.find((f) => f.name.toLowerCase() === `${base.toLowerCase()}.${ext}`);
  const dbfEntry = sibling('dbf');
  if (!dbfEntry) throw badRequest(`file ${fileName}: ${base}.dbf (the attribute table) is missing from the zip`);
  const prjEntry = sibling('prj');
  const prj = prjEntry ? await readZipEntryText(prjEntry, fileName) : undefined;
  if (prj && /^\s*PROJCS/i.test(prj)) {
    throw badRequest(`file ${fileName}: ${base}.prj is a projected coordinate system (${prj.match(/PROJCS\["([^"]+)"/)?.[1] ?? 'unknown'}); export it as longitude/latitude (WGS84 or CGCS2000) first`);
  }
  const shp = await readZipEntry(shpEntries[0]!, fileName);
  const dbf = await readZipEntry(dbfEntry, fileName);
  let encoding: SourceFile['encoding'];
  const cpgEntry = sibling('cpg');
  const cpg = cpgEntry ? await readZipEntryText(cpgEntry, fileName) : undefined;
  if (chosen !== 'auto') encoding = { name: chosen, from: 'chosen' };
  else if (cpg && encodingFromCpg(cpg)) encoding = { name: encodingFromCpg(cpg)!, from: 'cpg' };
  else encoding = { name: detectDbfEncoding(dbf), from: 'detected' };
  const features: SourceFeature[] = [];
  try {
    const source = await shapefile.open(shp, dbf, { encoding: encoding.name });
    for (let next = await source.read(); !next.done; next = await source.read()) {
      features.push({ geometry: next.value.geometry as SourceFeature['geometry'], properties: trimValues(next.value.properties ?? {}) });
      if (features.length > MAX_IMPORT_FEATURES) break;
    }
  } catch (error) {
    throw badRequest(`file ${fileName}: the Shapefile could not be read (${(error as Error).message})`);
  }
  return { format: 'shapefile', features, fields: collectFields(features), encoding };
}

/** Text in a .dbf without .cpg: UTF-8 if all of it is valid UTF-8, otherwise GB18030 (a superset of GBK). */
function detectDbfEncoding(dbf: Uint8Array): string {
  const headerLength = dbf.length >= 10 ? dbf[8]! | (dbf[9]! << 8) : 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(headerLength));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

function trimValues(properties: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(properties)) out[k.trim()] = typeof v === 'string' ? v.trim() : v;
  return out;
}

function readKml(text: string, fileName: string): SourceFile {
  const errors: string[] = [];
  let collection: ReturnType<typeof kml> | null = null;
  try {
    // xmldom reports some faults through onError and throws (ParseError) on fatal ones.
    const document = new DOMParser({ onError: (level, message) => { if (level !== 'warning') errors.push(message); } }).parseFromString(text, 'text/xml');
    if (!errors.length) collection = kml(document as unknown as Document);
  } catch (error) {
    errors.push((error as Error).message);
  }
  if (errors.length || !collection) throw badRequest(`file ${fileName}: not valid KML (${(errors[0] ?? 'no document').split('\n')[0]!.slice(0, 200)})`);
  const features = collection.features.map((f) => {
    const properties = { ...(f.properties ?? {}) } as Record<string, unknown>;
    // Styling that togeojson adds is not an attribute of the grid.
    for (const key of Object.keys(properties)) if (/^(fill|stroke|styleUrl|styleHash|styleMapHash|icon)/.test(key)) delete properties[key];
    return { geometry: (f.geometry as SourceFeature['geometry']) ?? null, properties };
  });
  return { format: 'kml', features, fields: collectFields(features), encoding: null };
}

async function readKmz(bytes: Buffer, fileName: string): Promise<SourceFile> {
  const zip = await openZipSafely(bytes, fileName);
  const entry = Object.values(zip.files).find((f) => f.name.toLowerCase().endsWith('.kml'));
  if (!entry) throw badRequest(`file ${fileName}: the KMZ holds no .kml document`);
  return readKml(await readZipEntryText(entry, fileName), fileName);
}
