/**
 * Reads uploaded tables (CSV in UTF-8/GBK, or the first sheet of an .xlsx workbook) into rows
 * keyed by header, each with its 1-based row number in the file (header = row 1), so that an
 * import preview can say "row 17, column 经度: not a number".
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { badRequest } from './errors.js';
import { openZipSafely, ZIP_LIMITS } from './safe-zip.js';

export interface TableRow {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  rowNumber: number;
  values: Record<string, string>;
}

export interface ParsedTable {
  headers: string[];
  rows: TableRow[];
}

export const MAX_TABLE_ROWS = 200_000;

/** Decodes CSV bytes: UTF-8 (with or without BOM) unless it is not valid UTF-8, then GB18030. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export async function readTable(bytes: Buffer, fileName: string, maxRows = MAX_TABLE_ROWS): Promise<ParsedTable> {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return readCsv(bytes, maxRows);
  if (lower.endsWith('.xlsx')) return readXlsx(bytes, maxRows);
  throw badRequest(`file ${fileName}: only .csv and .xlsx files can be imported`);
}

function readCsv(bytes: Buffer, maxRows: number): ParsedTable {
  let records: string[][];
  try {
    records = parse(decodeText(bytes), { relax_column_count: true, skip_empty_lines: true, trim: true, to: maxRows + 1 });
  } catch (error) {
    throw badRequest(`CSV could not be read: ${(error as Error).message}`);
  }
  return fromRecords(records, maxRows);
}

async function readXlsx(bytes: Buffer, maxRows: number): Promise<ParsedTable> {
  // An .xlsx is a zip: check it as any uploaded archive (bombs, paths, links) before the parser inflates it.
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) throw badRequest('the file is not an .xlsx workbook');
  await openZipSafely(bytes, 'the workbook', { ...ZIP_LIMITS, maxEntries: 500 });
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as never);
  } catch (error) {
    throw badRequest(`the workbook could not be read: ${(error as Error).message}`);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badRequest('the workbook has no sheet');
  if (sheet.rowCount > maxRows + 1) throw badRequest(`the sheet has ${sheet.rowCount - 1} rows; at most ${maxRows} can be imported at once`);
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cell.text?.trim() ?? '';
    });
    records.push(Array.from(cells, (c) => c ?? ''));
  });
  return fromRecords(records, maxRows);
}

function fromRecords(records: string[][], maxRows: number): ParsedTable {
  const [header, ...body] = records;
  if (!header || header.every((h) => !h)) throw badRequest('the table has no header row');
  if (body.length > maxRows) throw badRequest(`the table has more than ${maxRows} rows; split it`);
  const headers = header.map((h) => h.trim());
  const rows: TableRow[] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => !c)) return;
    const values: Record<string, string> = {};
    headers.forEach((h, col) => {
      if (h) values[h] = (cells[col] ?? '').trim();
    });
    rows.push({ rowNumber: i + 2, values });
  });
  return { headers, rows };
}
