/**
 * Strings of the resident register import in /plan (`register.*`). Fetched
 * with the pages that use them (`i18n/pages.ts`).
 */
const zh = {
  title: '实有人口导入',
  intro: '公安或民政导出的实有人口表（Excel .xlsx 或 CSV），每行一人：公民身份号码、社区、小区、楼栋、单元、房号、户号。系统按身份证号计算年龄段，把地址匹配到楼栋，只保存每栋楼的户数、人数、60岁以上和80岁以上人数；姓名和身份证号不保存、不记录。',
  file: '实有人口表',
  date: '年龄计算日期',
  preview: '预览匹配',
  commit: '导入（{{buildings}} 栋楼）',
  summary: '{{residents}} 人，匹配率 {{rate}}%（精确 {{exact}}，规范化 {{normalised}}，人工指定 {{assigned}}），未匹配 {{unmatched}} 人。',
  totals: '导入后：{{households}} 户，{{residents}} 人，60岁以上 {{s60}} 人，80岁以上 {{s80}} 人；另有 {{emptied}} 栋楼无登记人口，将记为 0。',
  unmatchedTitle: '未匹配的地址（{{count}} 个）',
  unmatchedHint: '点击“在地图上指定”，再在地图上点选该地址所在的楼栋。指定会保存，下次导入自动沿用。',
  unmatchedRow: '{{address}} · {{residents}} 人',
  assign: '在地图上指定',
  picking: '请在地图上点选 {{address}} 所在的楼栋（圆点）。',
  cancelPick: '取消',
  hovered: '{{building}}（现有 {{residents}} 人）',
  assigned: '→ {{building}}',
  assignedAddress: '{{compound}} {{building}}号楼',
  undo: '撤销',
  noBuildings: '该社区没有楼栋可以指定。',
  errorsTitle: '问题（共 {{count}} 个，未导入任何数据）',
  error: '第 {{row}} 行 · {{column}}：{{message}}',
  progress: '正在导入：{{stage}} {{done}}',
  stages: { queued: '排队', reading: '读取', matching: '匹配', writing: '写入楼栋', 'recounting grids': '重算网格' },
  done: '已导入：{{residents}} 人，{{buildings}} 栋楼，{{grids}} 个网格已按楼栋重算。',
};

const en: typeof zh = {
  title: 'Resident register import',
  intro: 'The resident register as the police or civil affairs export it (Excel .xlsx or CSV), one row per person: ID number, community, compound, building, unit, room, household number. Wangge derives age bands from the ID numbers, matches addresses to buildings, and keeps only each building’s households, residents, 60+ and 80+; names and ID numbers are neither stored nor logged.',
  file: 'Register',
  date: 'Ages reckoned on',
  preview: 'Preview matching',
  commit: 'Import ({{buildings}} buildings)',
  summary: '{{residents}} residents, {{rate}} % matched (exact {{exact}}, normalised {{normalised}}, assigned {{assigned}}), {{unmatched}} unmatched.',
  totals: 'After import: {{households}} households, {{residents}} residents, {{s60}} aged 60+, {{s80}} aged 80+; {{emptied}} buildings with no one registered will be set to 0.',
  unmatchedTitle: 'Unmatched addresses ({{count}})',
  unmatchedHint: 'Choose “Assign on map”, then click the building the address belongs to. Assignments are kept for the next import.',
  unmatchedRow: '{{address}} · {{residents}} residents',
  assign: 'Assign on map',
  picking: 'Click the building (dot) on the map where {{address}} is.',
  cancelPick: 'Cancel',
  hovered: '{{building}} (now {{residents}} residents)',
  assigned: '→ {{building}}',
  assignedAddress: '{{compound}} building {{building}}',
  undo: 'Undo',
  noBuildings: 'This community has no buildings to assign to.',
  errorsTitle: 'Problems ({{count}}; nothing was imported)',
  error: 'Row {{row}} · {{column}}: {{message}}',
  progress: 'Importing: {{stage}} {{done}}',
  stages: { queued: 'queued', reading: 'reading', matching: 'matching', writing: 'writing buildings', 'recounting grids': 'recounting grids' },
  done: 'Imported: {{residents}} residents, {{buildings}} buildings; {{grids}} grids re-counted from their buildings.',
};

export const zhCN = zh;
export { en };
