/**
 * The report as an Excel workbook: a cover sheet (report, area, period, comparison periods, as-of
 * and generated-at times) and one sheet per table, headers in Chinese. Dates are real Excel dates
 * in China time; rates are fractions formatted as percentages, so the sheets sort and chart.
 */
import ExcelJS from 'exceljs';
import type { IndicatorRow } from './schemas.js';
import type { ReportReply } from './report-schemas.js';

const CHINA_OFFSET_MS = 8 * 3_600_000;
/** An instant as an Excel date showing its China-time wall clock (Excel dates have no zone). */
export const chinaExcelDate = (iso: string) => new Date(new Date(iso).getTime() + CHINA_OFFSET_MS);
const DATE_TIME = 'yyyy-mm-dd hh:mm';
const DATE = 'yyyy-mm-dd';

export const KIND_TITLES = { week: '周报', month: '月报', custom: '专报' } as const;
export const LEVEL_NAMES = { city: '市', district: '区县', street: '街道', community: '社区', grid: '网格' } as const;
export const STATUS_NAMES: Record<string, string> = {
  reported: '已上报', accepted: '已受理', dispatched: '已派遣', handling: '处置中', verifying: '待核查', closed: '已结案', returned: '已退回',
};
export const SOURCE_NAMES: Record<string, string> = { grid_worker: '网格员', hotline_12345: '12345热线', public: '群众', video: '视频巡查', higher_level: '上级交办' };

/** A China-time day of an instant (exclusive ends shown as the last day included). */
export function chinaDay(iso: string, exclusiveEnd = false): string {
  const ms = new Date(iso).getTime() + CHINA_OFFSET_MS - (exclusiveEnd ? 1 : 0);
  return new Date(ms).toISOString().slice(0, 10);
}
export const periodText = (p: { from: string; to: string }) => `${chinaDay(p.from)} 至 ${chinaDay(p.to, true)}`;

const INDICATOR_COLUMNS: { header: string; width: number; numFmt?: string; value: (r: IndicatorRow) => number | string | null }[] = [
  { header: '受理（件）', width: 11, numFmt: '#,##0', value: (r) => r.current.reported },
  { header: '应结案（件）', width: 12, numFmt: '#,##0', value: (r) => r.current.due },
  { header: '结案（件）', width: 11, numFmt: '#,##0', value: (r) => r.current.closed },
  { header: '按期结案（件）', width: 13, numFmt: '#,##0', value: (r) => r.current.closedOnTime },
  { header: '结案率', width: 9, numFmt: '0.0%', value: (r) => r.current.closureRate },
  { header: '按期结案率', width: 11, numFmt: '0.0%', value: (r) => r.current.onTimeClosureRate },
  { header: '平均处置时长（小时）', width: 18, numFmt: '#,##0.0', value: (r) => r.current.meanHandlingHours },
  { header: '期内到期未结（件）', width: 17, numFmt: '#,##0', value: (r) => r.current.overdueOpen },
  { header: '受理环比', width: 10, numFmt: '+0.0%;-0.0%;0.0%', value: (r) => r.reportedMonthOnMonth },
  { header: '受理同比', width: 10, numFmt: '+0.0%;-0.0%;0.0%', value: (r) => r.reportedYearOnYear },
  { header: '结案率环比（百分点）', width: 18, numFmt: '+0.0;-0.0;0.0', value: (r) => r.closureRateMonthOnMonthPoints },
  { header: '结案率同比（百分点）', width: 18, numFmt: '+0.0;-0.0;0.0', value: (r) => r.closureRateYearOnYearPoints },
  { header: '上期受理（件）', width: 13, numFmt: '#,##0', value: (r) => r.previous.reported },
  { header: '上期结案率', width: 11, numFmt: '0.0%', value: (r) => r.previous.closureRate },
  { header: '上年同期受理（件）', width: 17, numFmt: '#,##0', value: (r) => r.yearAgo.reported },
  { header: '上年同期结案率', width: 14, numFmt: '0.0%', value: (r) => r.yearAgo.closureRate },
];

type Column = { header: string; width: number; numFmt?: string };

function tableSheet(workbook: ExcelJS.Workbook, title: string, columns: Column[], rows: (string | number | Date | null)[][]) {
  const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  sheet.getRow(1).font = { bold: true };
  // A missing figure (nothing was due, no previous period) is an empty cell, not a zero.
  for (const r of rows) sheet.addRow(r.map((v) => (v === null ? undefined : v)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return sheet;
}

function indicatorSheet(workbook: ExcelJS.Workbook, title: string, lead: Column[], rows: { lead: (string | number)[]; row: IndicatorRow }[]) {
  return tableSheet(
    workbook,
    title,
    [...lead, ...INDICATOR_COLUMNS],
    rows.map((r) => [...r.lead, ...INDICATOR_COLUMNS.map((c) => c.value(r.row))]),
  );
}

export async function reportWorkbook(report: ReportReply, generatedBy: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Wangge';
  workbook.created = new Date(report.generatedAt);
  const names = (code: string | null) => (code ? (report.categoryNames[code]?.zh ?? code) : '');

  const cover = workbook.addWorksheet('封面');
  cover.columns = [{ width: 20 }, { width: 48 }];
  const title = `${report.area.name}事件办理${KIND_TITLES[report.kind]}`;
  cover.addRow([title]).font = { bold: true, size: 16 };
  cover.mergeCells('A1:B1');
  cover.addRow([]);
  const lines: [string, string | Date][] = [
    ['区域', `${report.area.name}（${report.area.code}）`],
    ['区域级别', LEVEL_NAMES[report.area.level]],
    ['报告期', periodText(report.period)],
    ['环比期（上期）', periodText(report.previous)],
    ['同比期（上年同期）', periodText(report.yearAgo)],
    ['数据截至', chinaExcelDate(report.asOf)],
    ['生成时间', chinaExcelDate(report.generatedAt)],
    ['生成人', generatedBy],
    ['时间口径', '北京时间（UTC+8）'],
    ['指标口径', '结案率 = 期内到期应结案件中已结案数 ÷ 应结案数；按期结案率 = 其中按期限内结案数 ÷ 应结案数（退回件不计）；平均处置时长 = 期内结案事件从上报到结案的平均小时数'],
    ['超期口径', '期内到期未结：期限落在报告期内且仍未结案；超期清单：截至数据截至时已过期限且仍未结案（不含退回）的全部事件'],
    ['个人信息', '本报告不含上报人姓名、电话、身份证号'],
  ];
  for (const [k, v] of lines) {
    const row = cover.addRow([k, v]);
    row.getCell(1).font = { bold: true };
    if (v instanceof Date) row.getCell(2).numFmt = DATE_TIME;
    row.getCell(2).alignment = { wrapText: true, vertical: 'top', horizontal: 'left' };
  }

  indicatorSheet(workbook, '总体指标', [{ header: '区域', width: 20 }], [{ lead: [report.total.name], row: report.total }]);
  indicatorSheet(
    workbook,
    '分类指标',
    [{ header: '类别', width: 12 }],
    report.byCategory.map((r) => ({ lead: [r.name], row: r })),
  );
  indicatorSheet(
    workbook,
    `分${LEVEL_NAMES[report.childLevel]}指标`,
    [{ header: '编码', width: 17 }, { header: LEVEL_NAMES[report.childLevel], width: 20 }],
    report.byArea.map((r) => ({ lead: [r.code, r.name], row: r })),
  );
  const HOT = ['99%冷点', '95%冷点', '90%冷点', '不显著', '90%热点', '95%热点', '99%热点'];
  indicatorSheet(
    workbook,
    '网格排名',
    [{ header: '名次', width: 6 }, { header: '网格编码', width: 17 }, { header: '网格', width: 18 }, { header: '热点（Gi*）', width: 11 }],
    report.topGrids.map((r, k) => ({ lead: [k + 1, r.code, r.name, HOT[r.hotspotClass + 3]!], row: r })),
  );
  tableSheet(
    workbook,
    '趋势',
    [{ header: report.trend.unit === 'day' ? '日期' : '月份', width: 12, numFmt: report.trend.unit === 'day' ? DATE : 'yyyy-mm' }, { header: '受理（件）', width: 11, numFmt: '#,##0' }, { header: '结案（件）', width: 11, numFmt: '#,##0' }],
    report.trend.buckets.map((b) => [new Date(`${b.bucket.length === 7 ? `${b.bucket}-01` : b.bucket}T00:00:00Z`), b.reported, b.closed]),
  );
  tableSheet(
    workbook,
    '热点网格',
    [{ header: '网格编码', width: 17 }, { header: '网格', width: 18 }, { header: '受理（件）', width: 11, numFmt: '#,##0' }, { header: 'Gi* z 值', width: 10, numFmt: '0.00' }, { header: '类别', width: 10 }],
    report.hotspots.grids
      .filter((g) => g.hotspotClass !== 0)
      .sort((a, b) => b.hotspotClass - a.hotspotClass || (b.z ?? 0) - (a.z ?? 0))
      .map((g) => [g.code, g.name, g.count, g.z, HOT[g.hotspotClass + 3]!]),
  );
  const overdue = tableSheet(
    workbook,
    '超期清单',
    [
      { header: '事件编号', width: 8 }, { header: '工单号', width: 16 }, { header: '类别', width: 10 }, { header: '子类', width: 10 },
      { header: '来源', width: 10 }, { header: '状态', width: 8 }, { header: '街道', width: 14 }, { header: '社区', width: 14 },
      { header: '网格', width: 14 }, { header: '上报时间', width: 17, numFmt: DATE_TIME }, { header: '办理期限', width: 17, numFmt: DATE_TIME },
      { header: '超期（天）', width: 10, numFmt: '#,##0.0' },
    ],
    report.overdue.incidents.map((i) => [
      i.id, i.externalId, names(i.category), names(i.subCategory), SOURCE_NAMES[i.source] ?? i.source, STATUS_NAMES[i.status] ?? i.status,
      i.streetName, i.communityName, i.gridName, chinaExcelDate(i.reportedAt), chinaExcelDate(i.dueAt), i.overdueHours / 24,
    ]),
  );
  if (report.overdue.total > report.overdue.incidents.length) {
    overdue.addRow([`共 ${report.overdue.total} 件，此表列出超期最久的 ${report.overdue.incidents.length} 件`]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
