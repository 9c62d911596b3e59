/**
 * Exporting the grids of a street or community: GeoJSON, zipped Shapefile (.prj, .cpg) and an
 * Excel sheet of codes and figures. Attribute names are the ones the import recognises, so an
 * export imports back as the same grids.
 */
import ExcelJS from 'exceljs';
import type { Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import { writeZippedShapefile, type DbfField, type ShapefileEncoding } from './shapefile-writer.js';

const EXPORT_SQL = sqlFile(import.meta.url, 'export-grids.sql');

export const EXPORT_FORMATS = ['geojson', 'shapefile', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface ExportGrid {
  id: number;
  code: string;
  name: string;
  communityCode: string;
  communityName: string;
  gridType: string;
  dedicatedKind: string | null;
  households: number;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
  leaderName: string | null;
  leaderPhone: string | null;
  managers: string;
  managerCount: number;
  areaSquareMeters: number;
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
}

const SHAPEFILE_FIELDS: (DbfField & { from: keyof ExportGrid })[] = [
  { name: 'CODE', type: 'C', length: 15, from: 'code' },
  { name: 'NAME', type: 'C', length: 254, from: 'name' },
  { name: 'COMMUNITY', type: 'C', length: 12, from: 'communityCode' },
  { name: 'COMM_NAME', type: 'C', length: 254, from: 'communityName' },
  { name: 'TYPE', type: 'C', length: 13, from: 'gridType' },
  { name: 'DED_KIND', type: 'C', length: 16, from: 'dedicatedKind' },
  { name: 'HOUSEHOLDS', type: 'N', length: 9, from: 'households' },
  { name: 'RESIDENTS', type: 'N', length: 9, from: 'residents' },
  { name: 'RES_60', type: 'N', length: 9, from: 'residents60Plus' },
  { name: 'RES_80', type: 'N', length: 9, from: 'residents80Plus' },
  { name: 'LEADER', type: 'C', length: 100, from: 'leaderName' },
  { name: 'LEADER_TEL', type: 'C', length: 20, from: 'leaderPhone' },
  { name: 'MANAGERS', type: 'C', length: 254, from: 'managers' },
  { name: 'AREA_M2', type: 'N', length: 12, from: 'areaSquareMeters' },
];

export async function exportGrids(db: Queryable, areaCode: string, format: ExportFormat, encoding: ShapefileEncoding = 'utf-8') {
  const { rows } = await db.query<ExportGrid>(EXPORT_SQL, [areaCode]);
  const baseName = `grids-${areaCode}`;
  if (format === 'geojson') {
    const collection = {
      type: 'FeatureCollection',
      features: rows.map(({ geometry, id, ...properties }) => ({ type: 'Feature', id, geometry, properties })),
    };
    return { count: rows.length, fileName: `${baseName}.geojson`, contentType: 'application/geo+json; charset=utf-8', body: Buffer.from(JSON.stringify(collection), 'utf8') };
  }
  if (format === 'shapefile') {
    const body = await writeZippedShapefile(
      baseName,
      SHAPEFILE_FIELDS,
      rows.map((g) => ({
        polygons: g.geometry.coordinates,
        values: Object.fromEntries(SHAPEFILE_FIELDS.map((f) => [f.name, g[f.from] as string | number | null])),
      })),
      encoding,
    );
    return { count: rows.length, fileName: `${baseName}-shapefile.zip`, contentType: 'application/zip', body };
  }
  return { count: rows.length, fileName: `${baseName}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: await excel(rows) };
}

const TYPE_NAMES: Record<string, string> = { comprehensive: '综合网格', dedicated: '专属网格' };
const KIND_NAMES: Record<string, string> = {
  party_government: '党政机关', industrial_park: '产业园区', hospital: '医院', school: '学校', enterprise: '企业', market: '市场',
};

/** One sheet of codes and figures, Chinese headers (an .xlsx is Unicode: Chinese Excel opens it as is). */
async function excel(rows: ExportGrid[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Wangge';
  const sheet = workbook.addWorksheet('网格', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '网格编码', key: 'code', width: 18 },
    { header: '网格名称', key: 'name', width: 24 },
    { header: '社区编码', key: 'communityCode', width: 15 },
    { header: '社区名称', key: 'communityName', width: 18 },
    { header: '网格类型', key: 'gridType', width: 10 },
    { header: '专属类型', key: 'dedicatedKind', width: 10 },
    { header: '户数', key: 'households', width: 8 },
    { header: '常住人口', key: 'residents', width: 10 },
    { header: '60岁以上', key: 'residents60Plus', width: 10 },
    { header: '80岁以上', key: 'residents80Plus', width: 10 },
    { header: '网格长', key: 'leaderName', width: 10 },
    { header: '网格长电话', key: 'leaderPhone', width: 14 },
    { header: '网格员', key: 'managers', width: 36 },
    { header: '网格员人数', key: 'managerCount', width: 10 },
    { header: '面积(m²)', key: 'areaSquareMeters', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const g of rows) {
    sheet.addRow({ ...g, gridType: TYPE_NAMES[g.gridType] ?? g.gridType, dedicatedKind: g.dedicatedKind ? KIND_NAMES[g.dedicatedKind] ?? g.dedicatedKind : '' });
  }
  const total = sheet.addRow({
    code: '合计', name: `${rows.length} 个网格`,
    households: rows.reduce((s, g) => s + g.households, 0),
    residents: rows.reduce((s, g) => s + g.residents, 0),
    residents60Plus: rows.reduce((s, g) => s + g.residents60Plus, 0),
    residents80Plus: rows.reduce((s, g) => s + g.residents80Plus, 0),
    managerCount: rows.reduce((s, g) => s + g.managerCount, 0),
  });
  total.font = { bold: true };
  sheet.getColumn('code').numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
