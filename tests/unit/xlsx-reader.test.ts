/**
 * The streaming workbook reader: the same texts as a workbook written by ExcelJS shows, and
 * hostile workbooks refused quickly with bounded memory — a directory that claims 1 KB for a
 * sheet of 300 MB, and an honest sheet with more rows than the cap (reading stops at the cap).
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../server/shared/tabular.js';
import { bigWorkbook, workbookBomb } from '../helpers/hostile-zips.js';

/**
 * Runs fn, sampling this process's resident memory; the peak growth in MB, the time, and the
 * longest the event loop was held (other requests wait that long).
 */
async function measured<T>(fn: () => Promise<T>): Promise<{ result: T | Error; growthMb: number; ms: number; maxLagMs: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  let last = Date.now();
  let maxLagMs = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    maxLagMs = Math.max(maxLagMs, now - last);
    last = now;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = Date.now();
  let result: T | Error;
  try {
    result = await fn();
  } catch (error) {
    result = error as Error;
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, growthMb: (peak - base) / 1048576, ms: Date.now() - started, maxLagMs };
}

describe('reading a workbook', () => {
  it('gives the texts a spreadsheet shows: strings, numbers, dates, booleans, gaps', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('点位');
    sheet.addRow(['名称', '经度', '纬度', '日期', '启用']);
    sheet.addRow(['  社区服务站 ', 108.7151, 34.3152, new Date(Date.UTC(2026, 2, 3, 8, 30)), true]);
    sheet.getRow(4).values = ['第二', 108.7, 34.3, new Date(Date.UTC(2026, 2, 4)), false];
    sheet.getCell('D4').numFmt = 'yyyy-mm-dd';
    sheet.getCell('D2').numFmt = 'yyyy-mm-dd hh:mm';
    sheet.getCell('F2').value = { richText: [{ text: '富' }, { text: '文本' }] };
    workbook.addWorksheet('其他').addRow(['不读']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const table = await readTable(bytes, 'points.xlsx');
    expect(table.headers).toEqual(['名称', '经度', '纬度', '日期', '启用']);
    expect(table.rows).toEqual([
      { rowNumber: 2, values: { 名称: '社区服务站', 经度: '108.7151', 纬度: '34.3152', 日期: '2026-03-03 08:30', 启用: 'true' } },
      { rowNumber: 4, values: { 名称: '第二', 经度: '108.7', 纬度: '34.3', 日期: '2026-03-04', 启用: 'false' } },
    ]);
  });

  it('refuses a sheet that inflates past what the directory claims, at once and in little memory', async () => {
    const bomb = await workbookBomb(['名称', '经度', '纬度'], 300);
    expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
    const { result, growthMb, ms } = await measured(() => readTable(bomb, 'bomb.xlsx'));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/unpacks to more than it declares/);
    expect(growthMb).toBeLessThan(48);
    expect(ms).toBeLessThan(2000);
  });

  it('stops reading an honest sheet at the first row past the cap', async () => {
    const rows = 260_000;
    const bytes = await bigWorkbook(['名称', '经度', '纬度'], rows, (i) => [`点${i}`, (108.6 + ((i * 7919) % 10007) / 1e5).toFixed(6), (34.3 + ((i * 104729) % 10009) / 1e5).toFixed(6)]);
    const { result, growthMb, ms, maxLagMs } = await measured(() => readTable(bytes, 'big.xlsx', 20_000));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/more than 20000 rows/);
    expect(growthMb).toBeLessThan(64);
    // Read chunk by chunk: the event loop is never held for long, so other requests go on.
    // (A whole-workbook reader held it for the entire read: 27 s for this sheet.)
    expect(maxLagMs).toBeLessThan(1000);
    // Stopped near row 20,000 of 260,000: a fraction of the time the whole sheet takes.
    expect(ms).toBeLessThan(3000);
  });
});
