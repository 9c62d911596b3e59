/**
 * What each export holds: the columns of grids, facilities and incidents in every format —
 * property key (GeoJSON, GeoPackage), Chinese header (Excel, CSV), Shapefile field (≤ 10
 * characters, the names the imports recognise) and type.
 */
import type { ExportColumn, ExportLayer } from './file-writer.js';

const GRID_TYPE_NAMES: Record<string, string> = { comprehensive: '综合网格', dedicated: '专属网格' };
const DEDICATED_KIND_NAMES: Record<string, string> = {
  party_government: '党政机关', industrial_park: '产业园区', hospital: '医院', school: '学校', enterprise: '企业', market: '市场',
};

const GRID_COLUMNS: ExportColumn[] = [
  { key: 'code', header: '网格编码', shapefileName: 'CODE', type: 'string', width: 15, excelWidth: 18 },
  { key: 'name', header: '网格名称', shapefileName: 'NAME', type: 'string', width: 254, excelWidth: 24 },
  { key: 'communityCode', header: '社区编码', shapefileName: 'COMMUNITY', type: 'string', width: 12, excelWidth: 15 },
  { key: 'communityName', header: '社区名称', shapefileName: 'COMM_NAME', type: 'string', width: 254, excelWidth: 18 },
  { key: 'streetCode', header: '街道编码', shapefileName: 'STREET', type: 'string', width: 9, excelWidth: 12 },
  { key: 'streetName', header: '街道名称', shapefileName: 'STR_NAME', type: 'string', width: 254, excelWidth: 14 },
  { key: 'gridType', header: '网格类型', shapefileName: 'TYPE', type: 'string', width: 13, labels: GRID_TYPE_NAMES },
  { key: 'dedicatedKind', header: '专属类型', shapefileName: 'DED_KIND', type: 'string', width: 16, labels: DEDICATED_KIND_NAMES },
  { key: 'households', header: '户数', shapefileName: 'HOUSEHOLDS', type: 'integer' },
  { key: 'residents', header: '常住人口', shapefileName: 'RESIDENTS', type: 'integer', excelWidth: 10 },
  { key: 'residents60Plus', header: '60岁以上', shapefileName: 'RES_60', type: 'integer', excelWidth: 10 },
  { key: 'residents80Plus', header: '80岁以上', shapefileName: 'RES_80', type: 'integer', excelWidth: 10 },
  { key: 'leaderName', header: '网格长', shapefileName: 'LEADER', type: 'string', width: 100 },
  { key: 'leaderPhone', header: '网格长电话', shapefileName: 'LEADER_TEL', type: 'string', width: 20, excelWidth: 14 },
  { key: 'managers', header: '网格员', shapefileName: 'MANAGERS', type: 'string', width: 254, excelWidth: 36 },
  { key: 'managerCount', header: '网格员人数', shapefileName: 'MANAGER_N', type: 'integer' },
  { key: 'areaSquareMeters', header: '面积(m²)', shapefileName: 'AREA_M2', type: 'integer', width: 12, excelWidth: 12 },
];

export const gridsLayer = (areaCode: string): ExportLayer => ({
  name: `grids-${areaCode}`,
  sheetName: '网格',
  columns: GRID_COLUMNS,
  totals: { label: (n) => `${n} 个网格`, sum: ['households', 'residents', 'residents60Plus', 'residents80Plus', 'managerCount'] },
});

/**
 * Headers are the facility import's own names (名称, 设施类型, 经度, 纬度, 服务 …): an exported
 * sheet imports back as it is.
 */
export const facilitiesLayer = (name: string): ExportLayer => ({
  name,
  sheetName: '服务设施',
  columns: [
    { key: 'id', header: '编号', shapefileName: 'ID', type: 'integer' },
    { key: 'name', header: '名称', shapefileName: 'NAME', type: 'string', width: 200, excelWidth: 28 },
    { key: 'facilityTypeName', header: '设施类型', shapefileName: 'TYPE_NAME', type: 'string', width: 60, excelWidth: 16 },
    { key: 'facilityType', header: '类型代码', shapefileName: 'TYPE', type: 'string', width: 40, excelWidth: 16 },
    { key: 'address', header: '地址', shapefileName: 'ADDRESS', type: 'string', width: 254, excelWidth: 30 },
    { key: 'lon', header: '经度', shapefileName: 'LON', type: 'real', width: 12 },
    { key: 'lat', header: '纬度', shapefileName: 'LAT', type: 'real', width: 12 },
    { key: 'phone', header: '电话', shapefileName: 'PHONE', type: 'string', width: 40, excelWidth: 14 },
    { key: 'openingHours', header: '开放时间', shapefileName: 'HOURS', type: 'string', width: 100, excelWidth: 16 },
    { key: 'services', header: '服务', shapefileName: 'SERVICES', type: 'string', width: 254, excelWidth: 30 },
    { key: 'capacity', header: '容量', shapefileName: 'CAPACITY', type: 'integer' },
    { key: 'isPublic', header: '是否公开', shapefileName: 'IS_PUBLIC', type: 'string', width: 5 },
    { key: 'communityCode', header: '社区编码', shapefileName: 'COMMUNITY', type: 'string', width: 12, excelWidth: 15 },
    { key: 'communityName', header: '社区名称', shapefileName: 'COMM_NAME', type: 'string', width: 254, excelWidth: 18 },
  ],
});

const STATUS_NAMES: Record<string, string> = {
  reported: '已上报', accepted: '已受理', dispatched: '已派遣', handling: '处置中', verifying: '待核查', closed: '已结案', returned: '已退回',
};
const SOURCE_NAMES: Record<string, string> = {
  grid_worker: '网格员上报', hotline_12345: '12345热线', public: '群众反映', video: '视频发现', higher_level: '上级交办',
};

export const incidentsLayer = (name: string): ExportLayer => ({
  name,
  sheetName: '事件',
  columns: [
    { key: 'id', header: '编号', shapefileName: 'ID', type: 'integer' },
    { key: 'externalId', header: '工单号', shapefileName: 'EXT_ID', type: 'string', width: 64, excelWidth: 18 },
    { key: 'categoryName', header: '类别', shapefileName: 'CAT_NAME', type: 'string', width: 60, excelWidth: 12 },
    { key: 'subCategoryName', header: '子类', shapefileName: 'SUB_NAME', type: 'string', width: 60, excelWidth: 14 },
    { key: 'category', header: '类别代码', shapefileName: 'CATEGORY', type: 'string', width: 40, excelWidth: 14 },
    { key: 'source', header: '来源', shapefileName: 'SOURCE', type: 'string', width: 20, labels: SOURCE_NAMES, excelWidth: 12 },
    { key: 'status', header: '状态', shapefileName: 'STATUS', type: 'string', width: 12, labels: STATUS_NAMES },
    { key: 'reportedAt', header: '上报时间', shapefileName: 'REPORTED', type: 'datetime', width: 25, excelWidth: 17 },
    { key: 'dueAt', header: '办结时限', shapefileName: 'DUE', type: 'datetime', width: 25, excelWidth: 17 },
    { key: 'closedAt', header: '结案时间', shapefileName: 'CLOSED', type: 'datetime', width: 25, excelWidth: 17 },
    { key: 'overdue', header: '超期', shapefileName: 'OVERDUE', type: 'string', width: 5 },
    { key: 'description', header: '事件描述', shapefileName: 'DESCRIPT', type: 'string', width: 254, excelWidth: 40 },
    { key: 'lon', header: '经度', shapefileName: 'LON', type: 'real', width: 12 },
    { key: 'lat', header: '纬度', shapefileName: 'LAT', type: 'real', width: 12 },
    { key: 'gridCode', header: '网格编码', shapefileName: 'GRID', type: 'string', width: 15, excelWidth: 18 },
    { key: 'gridName', header: '网格名称', shapefileName: 'GRID_NAME', type: 'string', width: 254, excelWidth: 22 },
    { key: 'communityCode', header: '社区编码', shapefileName: 'COMMUNITY', type: 'string', width: 12, excelWidth: 15 },
    { key: 'communityName', header: '社区名称', shapefileName: 'COMM_NAME', type: 'string', width: 254, excelWidth: 18 },
  ],
});
