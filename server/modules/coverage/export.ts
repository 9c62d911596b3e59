/**
 * The coverage figures as an Excel workbook: one sheet per level (网格, 社区, 街道) and a summary
 * sheet with the scenario and the district, headers in Chinese. Shares are real numbers
 * formatted as percentages, so that the sheet can be sorted and charted.
 */
import ExcelJS from 'exceljs';
import type { AreaCoverage, CoverageResult, Population } from './schemas.js';

export const POPULATION_LABELS: Record<Population, string> = { all: '全部居民', age60: '60岁以上老年人', age80: '80岁以上老年人' };
const KIND_LABELS: Record<string, string> = { urban: '城市社区', village: '村', mixed: '城乡混合' };

const COLUMNS: { header: string; key: keyof AreaCoverage | 'kindLabel' | 'meetsTargetLabel' | 'meetsLineLabel'; width: number; numFmt?: string }[] = [
  { header: '编码', key: 'code', width: 18 },
  { header: '名称', key: 'name', width: 24 },
  { header: '上级编码', key: 'parentCode', width: 14 },
  { header: '类型', key: 'kindLabel', width: 10 },
  { header: '楼栋数', key: 'buildings', width: 9 },
  { header: '未覆盖楼栋数', key: 'uncoveredBuildings', width: 13 },
  { header: '人口', key: 'population', width: 10 },
  { header: '已覆盖人口', key: 'covered', width: 11 },
  { header: '未覆盖人口', key: 'uncovered', width: 11 },
  { header: '覆盖率', key: 'share', width: 9, numFmt: '0.0%' },
  { header: '目标覆盖率', key: 'target', width: 11, numFmt: '0.0%' },
  { header: '是否达到目标', key: 'meetsTargetLabel', width: 12 },
  { header: '是否达到80%', key: 'meetsLineLabel', width: 12 },
];

const yesNo = (v: boolean | null) => (v === null ? '—' : v ? '是' : '否');

function addLevelSheet(workbook: ExcelJS.Workbook, title: string, rows: AreaCoverage[]) {
  const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) {
    sheet.addRow({
      ...r,
      kindLabel: r.kind ? KIND_LABELS[r.kind] : '',
      meetsTargetLabel: yesNo(r.meetsTarget),
      meetsLineLabel: yesNo(r.meetsLine),
    });
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
}

export interface ExportContext {
  facilityTypeNames: string[];
  proposalLabels: string[];
  removedFacilityNames: string[];
  generatedAt: Date;
}

export async function coverageWorkbook(result: Omit<CoverageResult, 'gaps'>, context: ExportContext): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Wangge';
  workbook.created = context.generatedAt;

  const summary = workbook.addWorksheet('汇总');
  summary.columns = [{ width: 22 }, { width: 60 }];
  const d = result.district;
  const lines: [string, string | number][] = [
    ['统计对象', POPULATION_LABELS[result.population]],
    ['计入的设施类型', context.facilityTypeNames.join('、')],
    ['计入的设施数', result.countingFacilities],
    ['拟建站点（假设）', context.proposalLabels.length ? context.proposalLabels.join('、') : '无'],
    ['拟撤除站点（假设）', context.removedFacilityNames.length ? context.removedFacilityNames.join('、') : '无'],
    [d.level === 'city' ? '市名称' : '区名称', d.name],
    ['人口', d.population],
    ['已覆盖人口', d.covered],
    ['未覆盖人口', d.uncovered],
    ['覆盖率', d.share === null ? '—' : `${(d.share * 100).toFixed(1)}%`],
    ['目标（城市社区 / 村）', `${result.targets.urban * 100}% / ${result.targets.village * 100}%；总体 ${result.targets.line * 100}%`],
    ['方法', '楼栋距任一计入设施的步行半径内（椭球面距离）即为覆盖；人口取自楼栋'],
    ['生成时间', context.generatedAt.toISOString()],
  ];
  for (const [k, v] of lines) summary.addRow([k, v]);
  summary.getColumn(1).font = { bold: true };

  addLevelSheet(workbook, '网格', result.grids);
  addLevelSheet(workbook, '社区', result.communities);
  addLevelSheet(workbook, '街道', result.streets);
  if (result.districts.length > 1) addLevelSheet(workbook, '区县', result.districts);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
