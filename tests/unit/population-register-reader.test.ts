/**
 * The register's streaming sheet reader: Chinese text across the inflater's chunk boundaries
 * (where exceljs's streaming reader puts U+FFFD), shared and inline strings, sparse cells, and
 * the same rows from CSV.
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readRegisterRows } from '../../server/modules/population/register-reader.js';

const ROWS = Array.from({ length: 20_000 }, (_, i) => [`张${'伟芳娜敏静'[i % 5]}${i}`, `锦华小区${i % 97}号楼`, `${(i % 4) + 1}单元`, String(101 + i)]);

async function streamedXlsx(useSharedStrings: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk, _e, done) { chunks.push(Buffer.from(chunk)); done(); } });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings });
  const sheet = workbook.addWorksheet('实有人口');
  sheet.addRow(['姓名', '楼栋', '单元', '房号']).commit();
  for (const r of ROWS) sheet.addRow(r).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

async function read(bytes: Buffer, fileName: string) {
  const rows: Array<{ row: number; cells: string[] }> = [];
  await readRegisterRows(bytes, fileName, (cells, row) => void rows.push({ row, cells: [...cells] }));
  return rows;
}

describe('register reader', () => {
  it.each([true, false])('reads every Chinese character of a 20,000-row workbook intact (shared strings: %s)', async (shared) => {
    const rows = await read(await streamedXlsx(shared), 'r.xlsx');
    expect(rows).toHaveLength(ROWS.length + 1);
    expect(rows[0]).toEqual({ row: 1, cells: ['姓名', '楼栋', '单元', '房号'] });
    const broken = rows.filter((r) => r.cells.some((c) => c.includes('\uFFFD')));
    expect(broken).toEqual([]);
    rows.slice(1).forEach((r, i) => expect(r).toEqual({ row: i + 2, cells: ROWS[i] }));
  });

  it('reads a workbook saved whole (sparse cells, a number) and the same rows from CSV', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sheet1');
    sheet.addRow(['公民身份号码', '社区', '楼栋']);
    sheet.getCell('A3').value = '11010519491231002X';
    sheet.getCell('C3').value = 7;
    const rows = await read(Buffer.from(await workbook.xlsx.writeBuffer()), 'r.xlsx');
    expect(rows).toEqual([{ row: 1, cells: ['公民身份号码', '社区', '楼栋'] }, { row: 3, cells: ['11010519491231002X', '', '7'] }]);
    const csv = await read(Buffer.from('公民身份号码,社区,楼栋\r\n11010519491231002X,,7\r\n'), 'r.csv');
    expect(csv).toEqual([{ row: 1, cells: ['公民身份号码', '社区', '楼栋'] }, { row: 2, cells: ['11010519491231002X', '', '7'] }]);
  });
});
