/**
 * The one writer behind every export. Features arrive as a GeoJSON FeatureCollection built in
 * SQL (WGS84), with their properties keyed by the layer's columns; the writer turns them into
 *
 * - GeoJSON (RFC 7946, WGS84): the collection itself;
 * - a zipped Shapefile or a GeoPackage: written by GDAL's ogr2ogr from the collection in a private
 *   temporary directory (removed afterwards), with the columns' Shapefile names, types and widths,
 *   the coordinate system WGS84 (EPSG:4326) or CGCS2000 (EPSG:4490) in the .prj / the layer, and a
 *   .cpg naming the attribute encoding;
 * - an Excel workbook or a CSV (UTF-8 with BOM) with the Chinese column headers and times in China
 *   time.
 *
 * CGCS2000 and WGS84 agree to a few centimetres (ITRF realisations), so writing EPSG:4490 assigns
 * the system to the same coordinates: it does not transform them.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { badRequest } from '../../shared/errors.js';
import { runGdal } from '../imports/gdal.js';

export const VECTOR_FORMATS = ['geojson', 'shp', 'gpkg'] as const;
export const TABLE_FORMATS = ['xlsx', 'csv'] as const;
export const EXPORT_FORMATS = [...VECTOR_FORMATS, ...TABLE_FORMATS] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_CRS = ['4326', '4490'] as const;
export type ExportCrs = (typeof EXPORT_CRS)[number];
export type ShapefileEncoding = 'utf-8' | 'gbk';

export interface ExportColumn {
  /** The property name in the GeoJSON (and the GeoPackage field). */
  key: string;
  /** The Excel / CSV header (Chinese first: the sheet is for people). */
  header: string;
  /** The Shapefile field: at most 10 ASCII characters. */
  shapefileName: string;
  type: 'string' | 'integer' | 'real' | 'datetime';
  /** Shapefile width: bytes for strings (≤ 254), digits for numbers. */
  width?: number;
  /** Excel column width in characters. */
  excelWidth?: number;
  /** Values shown in the sheet instead of codes (e.g. comprehensive → 综合网格). */
  labels?: Record<string, string>;
}

export interface ExportLayer {
  /** File and layer base name, ASCII (e.g. grids-610402002). */
  name: string;
  /** The sheet's name. */
  sheetName: string;
  columns: readonly ExportColumn[];
  /** A totals row for the sheet: the columns to sum, and the label under the first column. */
  totals?: { label: (count: number) => string; sum: readonly string[] };
}

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
  count: number;
}

/** The collection as SQL wrote it (JSON text) and its number of features. */
export interface CollectionText {
  text: string;
  count: number;
}

export interface FeatureCollectionLike {
  type: 'FeatureCollection';
  features: { type: 'Feature'; id?: number | string; geometry: unknown; properties: Record<string, unknown> }[];
}

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  geojson: 'application/geo+json; charset=utf-8',
  shp: 'application/zip',
  gpkg: 'application/geopackage+sqlite3',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

const EXTENSIONS: Record<ExportFormat, string> = { geojson: '.geojson', shp: '-shapefile.zip', gpkg: '.gpkg', xlsx: '.xlsx', csv: '.csv' };

/** Refuses a CRS the format cannot carry (GeoJSON is WGS84 by definition; tables carry lon/lat as numbers). */
export function checkCrs(format: ExportFormat, crs: ExportCrs) {
  if (crs !== '4326' && format !== 'shp' && format !== 'gpkg') {
    if (format === 'geojson') throw badRequest('exports.geojsonCrs');
    throw badRequest('exports.tableCrs');
  }
}

export async function writeExport(
  layer: ExportLayer,
  collection: CollectionText,
  format: ExportFormat,
  options: { crs?: ExportCrs; encoding?: ShapefileEncoding } = {},
): Promise<ExportFile> {
  const crs = options.crs ?? '4326';
  checkCrs(format, crs);
  const count = collection.count;
  const fileName = `${layer.name}${crs === '4490' ? '-cgcs2000' : ''}${EXTENSIONS[format]}`;
  const file = (body: Buffer) => ({ fileName, contentType: MEDIA_TYPES[format], body, count });
  switch (format) {
    case 'geojson':
      return file(Buffer.from(collection.text, 'utf8'));
    case 'xlsx':
      return file(await excel(layer, JSON.parse(collection.text)));
    case 'csv':
      return file(csv(layer, JSON.parse(collection.text)));
    case 'shp':
    case 'gpkg':
      return file(await withGdal(layer, collection, format, crs, options.encoding ?? 'utf-8'));
  }
}

// ---------------------------------------------------------------- GDAL

/** An OGR SQL identifier (column keys are ours, never a request's: quoting is for case only). */
const quoted = (name: string) => `"${name.replace(/"/g, '')}"`;

function castFor(column: ExportColumn): string {
  switch (column.type) {
    case 'integer':
      return `integer(${column.width ?? 9})`;
    case 'real':
      return `numeric(${column.width ?? 18},6)`;
    default:
      return `character(${Math.min(column.width ?? 254, 254)})`;
  }
}

async function withGdal(layer: ExportLayer, collection: CollectionText, format: 'shp' | 'gpkg', crs: ExportCrs, encoding: ShapefileEncoding): Promise<Buffer> {
  // mkdtemp creates the directory with mode 0700: no other account reads the features.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wangge-export-'));
  try {
    const source = path.join(dir, 'features.geojson');
    await fs.writeFile(source, collection.text);
    const srs = `EPSG:${crs}`;
    const context = { fileName: `${layer.name} (${format})`, hide: dir };
    if (format === 'gpkg') {
      const target = path.join(dir, `${layer.name}.gpkg`);
      // GDAL reads the types from the collection (ISO date-times become DateTime fields).
      await runGdal('ogr2ogr', ['-f', 'GPKG', '-a_srs', srs, '-nln', layer.name, target, source], context);
      return await fs.readFile(target);
    }
    // Shapefile: short field names, declared widths (GDAL's default is 80 bytes, a Chinese name
    // of 27 characters), the .cpg and the attribute encoding written by GDAL.
    const out = path.join(dir, 'shp');
    await fs.mkdir(out);
    const select = layer.columns.map((c) => `CAST(${quoted(c.key)} AS ${castFor(c)}) AS ${c.shapefileName}`).join(', ');
    await runGdal(
      'ogr2ogr',
      ['-f', 'ESRI Shapefile', '-oo', 'DATE_AS_STRING=YES', '-a_srs', srs, '-lco', `ENCODING=${encoding === 'gbk' ? 'CP936' : 'UTF-8'}`, '-nln', layer.name, '-sql', `SELECT ${select} FROM features`, path.join(out, `${layer.name}.shp`), source],
      context,
    );
    const zip = new JSZip();
    for (const name of (await fs.readdir(out)).sort()) zip.file(name, await fs.readFile(path.join(out, name)));
    return await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- tables

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** An instant as China time, `2026-11-03 08:30` (China has kept UTC+8 without daylight saving since 1991). */
export function chinaTime(value: unknown): string {
  if (typeof value !== 'string' || value === '') return '';
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

function cellValue(column: ExportColumn, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (column.type === 'datetime') return chinaTime(value);
  if (column.labels && typeof value === 'string') return column.labels[value] ?? value;
  if (Array.isArray(value)) return value.join('、');
  if (typeof value === 'boolean') return value ? '是' : '否';
  return value as string | number;
}

async function excel(layer: ExportLayer, collection: FeatureCollectionLike): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Wangge';
  const sheet = workbook.addWorksheet(layer.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = layer.columns.map((c) => ({ header: c.header, key: c.key, width: c.excelWidth ?? Math.max(8, c.header.length * 2 + 2) }));
  sheet.getRow(1).font = { bold: true };
  for (const feature of collection.features) {
    sheet.addRow(Object.fromEntries(layer.columns.map((c) => [c.key, cellValue(c, feature.properties[c.key])])));
  }
  if (layer.totals) {
    const first = layer.columns[0]!.key;
    const row: Record<string, string | number> = { [first]: '合计' };
    if (layer.columns[1]) row[layer.columns[1].key] = layer.totals.label(collection.features.length);
    for (const key of layer.totals.sum) row[key] = collection.features.reduce((s, f) => s + (Number(f.properties[key]) || 0), 0);
    sheet.addRow(row).font = { bold: true };
  }
  // Codes stay text: 610402001001003 is not a number to round.
  for (const c of layer.columns) if (c.type === 'string') sheet.getColumn(c.key).numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a byte-order mark, so that Excel on a Chinese Windows opens it without mojibake. */
function csv(layer: ExportLayer, collection: FeatureCollectionLike): Buffer {
  const lines = [layer.columns.map((c) => csvField(c.header)).join(',')];
  for (const feature of collection.features) lines.push(layer.columns.map((c) => csvField(cellValue(c, feature.properties[c.key]))).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

// ---------------------------------------------------------------- HTTP

/**
 * `Content-Disposition` for a download: an ASCII fallback name and the UTF-8 name (RFC 6266 with
 * RFC 5987's `filename*`), so that 网格 names survive every browser.
 */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
