/**
 * The export menus' strings (`exports.*`), fetched with the pages that use them (`i18n/pages.ts`).
 * `en` has zhCN's type, so a missing key does not compile.
 */
const zh = {
  title: '导出',
  format: '格式',
  formats: { geojson: 'GeoJSON', shp: 'Shapefile（zip）', gpkg: 'GeoPackage', xlsx: 'Excel', csv: 'CSV' },
  crs: '坐标系',
  crsOptions: { '4326': 'WGS84（EPSG:4326）', '4490': 'CGCS2000（EPSG:4490）' },
  crsFixed: 'GeoJSON 和表格固定为 WGS84 经纬度',
  encoding: '属性编码',
  encodings: { 'utf-8': 'UTF-8', gbk: 'GBK（旧版 ArcGIS）' },
  scope: '范围',
  scopes: { community: '本社区：{{name}}', street: '本街道：{{name}}', district: '全区：{{name}}', city: '全市：{{name}}' },
  download: '导出',
  downloading: '正在生成文件…',
  done: '已导出 {{file}}',
  failed: '导出失败：{{message}}',
  grids: { title: '导出网格', note: '含网格长、网格员姓名和电话，仅供规划人员使用。导出的文件可原样导入。' },
  facilities: { title: '导出设施', note: '按当前类型和名称筛选导出；Excel 表可直接导入。' },
  incidents: { title: '导出事件', note: '导出当前筛选条件下的事件（最多 50,000 条），与事件列表一致，不含反映人信息。' },
  analysis: { title: '导出分析结果', hexagons: '六边形统计（GeoJSON）', hotspots: '热点分析 Gi*（GeoJSON）' },
  png: {
    plain: '下载 PNG',
    georeferenced: '带坐标的 PNG（png + pgw + prj）',
    note: '压缩包内含图片、世界文件（.pgw）和坐标系（.prj），可直接在 QGIS/ArcGIS 中叠加。',
  },
};

export type ExportsStrings = typeof zh;

const english: ExportsStrings = {
  title: 'Export',
  format: 'Format',
  formats: { geojson: 'GeoJSON', shp: 'Shapefile (zip)', gpkg: 'GeoPackage', xlsx: 'Excel', csv: 'CSV' },
  crs: 'Coordinate system',
  crsOptions: { '4326': 'WGS84 (EPSG:4326)', '4490': 'CGCS2000 (EPSG:4490)' },
  crsFixed: 'GeoJSON and tables are always WGS84 longitude/latitude',
  encoding: 'Attribute encoding',
  encodings: { 'utf-8': 'UTF-8', gbk: 'GBK (older ArcGIS)' },
  scope: 'Area',
  scopes: { community: 'Community: {{name}}', street: 'Street: {{name}}', district: 'District: {{name}}', city: 'City: {{name}}' },
  download: 'Export',
  downloading: 'Writing the file…',
  done: 'Exported {{file}}',
  failed: 'Export failed: {{message}}',
  grids: { title: 'Export grids', note: 'Includes grid leaders’ and managers’ names and phones: for planners only. The file imports back as it is.' },
  facilities: { title: 'Export facilities', note: 'Exports the facilities of the current type and name filter; the Excel sheet imports back as it is.' },
  incidents: { title: 'Export incidents', note: 'Exports the incidents of the current filter (at most 50,000), as the list shows them, with nothing about reporters.' },
  analysis: { title: 'Export analysis results', hexagons: 'Hexagon counts (GeoJSON)', hotspots: 'Gi* hot spots (GeoJSON)' },
  png: {
    plain: 'Download PNG',
    georeferenced: 'Georeferenced PNG (png + pgw + prj)',
    note: 'The zip holds the image, its world file (.pgw) and coordinate system (.prj): QGIS and ArcGIS place it on the map.',
  },
};

export const zhCN = zh;
export const en = english;
