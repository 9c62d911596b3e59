/** Strings of the parts every import form shares: the file button, the coordinate system, the GCJ-02 hint. */

export const zhCN = {
  chooseFile: '选择文件…',
  noFile: '未选择文件',
  crs: '坐标系',
  crsOptions: {
    auto: '按文件所写',
    choose: '请选择坐标系…',
    wgs84: 'WGS84（GPS）',
    cgcs2000: 'CGCS2000 经纬度',
    gcj02: 'GCJ-02（高德、腾讯）',
    bd09: 'BD-09（百度）',
    epsg: '投影坐标（EPSG 代码）…',
  },
  epsg: 'EPSG 代码',
  epsgHelp: '例如 4527（CGCS2000 3° 高斯-克吕格 39 带）、4545（中央经线 108°E）',
  needsCrs: '文件没有写明坐标系：请在“坐标系”中选择后再预览。',
  tableCrs: '表格不写坐标系：请先选择经纬度所用的坐标系。',
  hint: '看起来是 {{system}} 坐标：按当前坐标系读取，这些点距离本区已有楼栋、道路或网格边界的中位距离为 {{asRead}} 米；按 {{system}} 读取则为 {{suggested}} 米，{{share}}% 的点更贴近（偏移约 {{shift}} 米）。',
  hintSystems: { gcj02: 'GCJ-02（高德、腾讯）', bd09: 'BD-09（百度）' },
  useSuggested: '改用 {{system}} 重新预览',
  formats: {
    vector: '可导入 GeoJSON、Shapefile（zip）、GeoPackage、KML/KMZ、FlatGeobuf、GML、DXF、CSV（WKT 或经纬度列）',
    table: '可导入 .xlsx、.xls、.ods、.csv 表格',
  },
};

export const en: typeof zhCN = {
  chooseFile: 'Choose file…',
  noFile: 'No file chosen',
  crs: 'Coordinate system',
  crsOptions: {
    auto: 'As the file says',
    choose: 'Choose the coordinate system…',
    wgs84: 'WGS84 (GPS)',
    cgcs2000: 'CGCS2000 longitude/latitude',
    gcj02: 'GCJ-02 (Amap, Tencent)',
    bd09: 'BD-09 (Baidu)',
    epsg: 'Projected (EPSG code)…',
  },
  epsg: 'EPSG code',
  epsgHelp: 'e.g. 4527 (CGCS2000 3° Gauss-Krüger zone 39), 4545 (central meridian 108°E)',
  needsCrs: 'The file does not say its coordinate system: choose one under “Coordinate system” and preview again.',
  tableCrs: 'A table does not say its coordinate system: choose the one of its longitude/latitude first.',
  hint: 'These look like {{system}} coordinates: read as chosen, the points lie a median {{asRead}} m from the district’s buildings, roads or grid edges; read as {{system}}, {{suggested}} m, and {{share}}% of them nearer (a shift of about {{shift}} m).',
  hintSystems: { gcj02: 'GCJ-02 (Amap, Tencent)', bd09: 'BD-09 (Baidu)' },
  useSuggested: 'Preview again as {{system}}',
  formats: {
    vector: 'GeoJSON, Shapefile (zip), GeoPackage, KML/KMZ, FlatGeobuf, GML, DXF, CSV (WKT or coordinate columns)',
    table: '.xlsx, .xls, .ods or .csv tables',
  },
};
