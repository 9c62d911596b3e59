/**
 * Downloads of the export routes (modules/exports on the server), saved under the server's
 * UTF-8 file name.
 */
import { api, saveBlob, type QueryValue } from '../api/client';

export const VECTOR_FORMATS = ['geojson', 'shp', 'gpkg'] as const;
export const TABLE_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof VECTOR_FORMATS)[number] | (typeof TABLE_FORMATS)[number];
export type ExportCrs = '4326' | '4490';
export type ShapefileEncoding = 'utf-8' | 'gbk';

export interface ExportChoice {
  format: ExportFormat;
  crs: ExportCrs;
  encoding: ShapefileEncoding;
}

/** Whether the format carries a coordinate system the user may choose (Shapefile, GeoPackage). */
export const takesCrs = (format: ExportFormat) => format === 'shp' || format === 'gpkg';

export type Query = Record<string, QueryValue>;

/** GETs the export and saves it under the server's file name, which it returns. */
export async function downloadFile(path: string, query: Query, fallbackName: string): Promise<string> {
  const { blob, fileName } = await api.download(path, { query, fallbackName });
  saveBlob(blob, fileName);
  return fileName;
}

export function queryOf(choice: ExportChoice): Query {
  return { format: choice.format, crs: takesCrs(choice.format) ? choice.crs : undefined, encoding: choice.format === 'shp' ? choice.encoding : undefined };
}
