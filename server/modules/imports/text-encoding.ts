/**
 * Text encodings of Shapefile attribute tables. Chinese Shapefiles come in GBK (ArcGIS's default
 * on a Chinese Windows) or UTF-8, with a .cpg saying which — or without one, and then the bytes
 * tell: text that is all valid UTF-8 is UTF-8, anything else is read as GB18030 (a superset of
 * GBK). The planner can always choose.
 */
export const SOURCE_ENCODINGS = ['auto', 'utf-8', 'gbk', 'gb18030'] as const;
export type SourceEncoding = (typeof SOURCE_ENCODINGS)[number];

export interface EncodingUsed {
  name: string;
  from: 'chosen' | 'cpg' | 'detected';
}

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

/** Text in a .dbf without .cpg: UTF-8 if all of it is valid UTF-8, otherwise GB18030. */
export function detectDbfEncoding(dbf: Uint8Array): string {
  const headerLength = dbf.length >= 10 ? dbf[8]! | (dbf[9]! << 8) : 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(headerLength));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

export function chooseShapefileEncoding(chosen: SourceEncoding, cpg: string | undefined, dbf: Uint8Array): EncodingUsed {
  if (chosen !== 'auto') return { name: chosen, from: 'chosen' };
  const fromCpg = cpg ? encodingFromCpg(cpg) : null;
  if (fromCpg) return { name: fromCpg, from: 'cpg' };
  return { name: detectDbfEncoding(dbf), from: 'detected' };
}

/** The name GDAL (iconv) knows an encoding by. */
export const gdalEncodingName = (name: string) => name.toUpperCase();
