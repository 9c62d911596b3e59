/**
 * Strings of the population imports in /plan (`population.*`): buildings with their people, and
 * figures per grid. Spread into `i18n/zh-CN.ts` and `i18n/en.ts`.
 */
const zh = {
  title: '人口与楼栋',
  buildings: {
    title: '导入楼栋',
    intro: '楼栋或小区的点或面（压缩的 Shapefile、GeoJSON、KML、GeoPackage，或带经纬度列的 Excel/CSV），含户数、人数、60 岁以上、80 岁以上、地址和可选的楼栋编码（社区内 00001–99999）。面取其内点。导入将替换文件所涉社区的全部楼栋（旧楼栋停用并保留历史），所在网格的人口随即按楼栋重新汇总。',
    file: '楼栋文件',
    crs: '坐标系',
    preview: '预览楼栋',
    commit: '导入 {{buildings}} 栋楼',
    reason: '原因',
    summary: '{{rows}} 条，有效 {{buildings}} 栋：{{households}} 户，{{residents}} 人，60 岁以上 {{r60}} 人，80 岁以上 {{r80}} 人；{{errors}} 个问题。',
    community: '{{name}}：导入 {{buildings}} 栋、{{households}} 户（替换现有 {{replacing}} 栋）',
    unplaced: '不在任何社区轮廓内：{{buildings}} 栋',
    blocked: '存在问题，无法导入：请修改文件后重新预览。',
    errorsTitle: '问题',
    errorRow: '第 {{row}} 行',
    errorFeature: '第 {{row}} 个要素',
    onMap: '预览的楼栋已显示在地图上（绿色圆点）。',
    columns: { row: '行', name: '名称', address: '地址', code: '楼栋编码', grid: '网格', households: '户数', residents: '人数', r60: '60+', r80: '80+' },
    progress: '正在导入：{{stage}} {{done}}/{{total}}',
    stages: { queued: '排队', reading: '读取', writing: '写入', done: '完成' },
    done: '已导入 {{inserted}} 栋楼，停用 {{retired}} 栋，重新汇总 {{gridsRecounted}} 个网格。',
    moreRows: '另有 {{count}} 行未列出。',
  },
  figures: {
    title: '按网格导入人口',
    intro: '没有楼栋数据时：Excel/CSV，每行一个网格：网格编码、户数、人数、60 岁以上、80 岁以上。只用于没有楼栋的网格；覆盖率将以网格为单位按服务范围覆盖的面积比例估算。',
    file: '人口表格',
    preview: '预览人口表',
    commit: '导入 {{count}} 个网格的人口',
    summary: '{{rows}} 行，{{count}} 个网格可导入，{{errors}} 个问题。',
    done: '已更新 {{updated}} 个网格的人口。',
    columns: { row: '行', grid: '网格', name: '名称', households: '户数', residents: '人数', r60: '60+', r80: '80+' },
  },
  crsOptions: { wgs84: 'WGS84 / 按文件', cgcs2000: 'CGCS2000', gcj02: 'GCJ-02（高德/腾讯）', bd09: 'BD-09（百度）' },
};

const en: typeof zh = {
  title: 'People and buildings',
  buildings: {
    title: 'Import buildings',
    intro: 'Points or outlines of buildings or compounds (zipped Shapefile, GeoJSON, KML, GeoPackage, or Excel/CSV with longitude and latitude columns) with households, residents, aged 60+, aged 80+, an address and an optional building code (00001–99999 within a community). An outline is placed at its inner point. The import replaces all buildings of the communities it covers (the old ones are retired with their history) and the grids around them are re-counted from the buildings at once.',
    file: 'Buildings file',
    crs: 'Coordinate system',
    preview: 'Preview buildings',
    commit: 'Import {{buildings}} buildings',
    reason: 'Reason',
    summary: '{{rows}} records, {{buildings}} valid buildings: {{households}} households, {{residents}} residents, {{r60}} aged 60+, {{r80}} aged 80+; {{errors}} problems.',
    community: '{{name}}: {{buildings}} buildings, {{households}} households imported (replacing {{replacing}})',
    unplaced: 'In no community outline: {{buildings}} buildings',
    blocked: 'There are problems, so nothing can be imported: fix the file and preview again.',
    errorsTitle: 'Problems',
    errorRow: 'Row {{row}}',
    errorFeature: 'Feature {{row}}',
    onMap: 'The previewed buildings are shown on the map (green dots).',
    columns: { row: 'Row', name: 'Name', address: 'Address', code: 'Code', grid: 'Grid', households: 'Households', residents: 'Residents', r60: '60+', r80: '80+' },
    progress: 'Importing: {{stage}} {{done}}/{{total}}',
    stages: { queued: 'queued', reading: 'reading', writing: 'writing', done: 'done' },
    done: 'Imported {{inserted}} buildings, retired {{retired}}, re-counted {{gridsRecounted}} grids.',
    moreRows: '{{count}} more rows not listed.',
  },
  figures: {
    title: 'Import figures per grid',
    intro: 'Without building data: Excel/CSV, one grid per row: grid code, households, residents, aged 60+, aged 80+. Only for grids without buildings; coverage then treats the grid as the unit, reached for the share of its area the service areas cover (an estimate).',
    file: 'Figures table',
    preview: 'Preview figures',
    commit: 'Import figures of {{count}} grids',
    summary: '{{rows}} rows, {{count}} grids ready, {{errors}} problems.',
    done: 'Updated the figures of {{updated}} grids.',
    columns: { row: 'Row', grid: 'Grid', name: 'Name', households: 'Households', residents: 'Residents', r60: '60+', r80: '80+' },
  },
  crsOptions: { wgs84: 'WGS84 / as the file says', cgcs2000: 'CGCS2000', gcj02: 'GCJ-02 (Amap/Tencent)', bd09: 'BD-09 (Baidu)' },
};

export { zh as zhCN, en };
